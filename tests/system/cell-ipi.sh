# IPIs from the root never reach a cell: physical ones to a cell's CPU,
# flat logical ones to every logical ID, and the "all" and "all but self"
# broadcasts, each written straight into the root's ICR by a test module
# (Linux itself would not send them to an offline CPU).  The latency demo
# in the cell has no handler for the vector, so one that got through would
# stop it with "UNEXPECTED INTERRUPT".  Under qemu-x2apic the root writes
# the x2APIC ICR (MSR 0x830), and "logical" is cluster 0, CPUs 0-7.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

machine_configs
SEND=/sys/module/cvtest_ipi/parameters/send
VEC=253		# Linux's reschedule vector: harmless to the root's CPUs

check "cellvisor.ko loads" insmod cellvisor.ko
check "cvtest_ipi.ko loads" insmod /cellvisor/tests/modules/cvtest_ipi.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "create" cellctl create -s $SYS configs/x86/hello-qemu.yaml
check "latency loads" cellctl load hello inmates/demos/latency.bin \
	--string "tsc_khz=1000000 xapic@0x1000"
check "latency starts" cellctl start hello
sleep 2
check "CPU 1 (APIC ID 1 under QEMU) belongs to the cell" \
	grep -qx 0 /sys/devices/system/cpu/cpu1/online
for form in "physical $VEC 1" "logical $VEC" "allbutself $VEC" "all $VEC"; do
	check "the root sends: $form" \
		taskset -c 0 sh -c "echo '$form' > $SEND"
done
sleep 2
run cellctl console
check "the hypervisor says it dropped the physical IPI" \
	sh -c "cellctl console | grep -q \"root cell sent IPI 0x$(printf %x $VEC) to a cell's CPU: dropped\""
check "no IPI reached the inmate" \
	sh -c "! cellctl console | grep -q 'UNEXPECTED INTERRUPT'"
check "the cell still runs" sh -c "cellctl list | grep -Eq 'hello +running'"
check_timer_exits "its timer still runs" hello 1
check "the root still runs processes" \
	sh -c 'i=0; while [ $i -lt 300 ]; do i=$((i+1)); done'
check "shutdown" cellctl shutdown hello
check "destroy" cellctl destroy hello
check "CPU 1 is back" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "disable" cellctl disable
check "cvtest_ipi.ko unloads" rmmod cvtest_ipi
done_checks
