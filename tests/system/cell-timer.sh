# A cell's APIC timer ticks: the latency demo runs periodic interrupts in a
# cell; nothing Linux left pending on the CPU reaches it.
# emulators: qemu
. /cellvisor/tests/lib/guest.sh

SYS=configs/x86/qemu-svm.yaml

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "create" cellctl create -s $SYS configs/x86/hello-qemu.yaml
check "latency loads" cellctl load hello inmates/demos/latency.bin \
	--string "tsc_khz=1000000 xapic@0x1000"
check "latency starts" cellctl start hello
sleep 3
run cellctl stats hello 2
check "its timer interrupts keep coming (APIC exits per second)" \
	sh -c "cellctl stats hello 1 | grep -Eq '^apic +1 +[0-9]+ +[1-9]'"
check "the cell still runs" sh -c "cellctl list | grep -Eq 'hello +running'"
check "shutdown" cellctl shutdown hello
check "destroy" cellctl destroy hello
check "disable" cellctl disable
done_checks
