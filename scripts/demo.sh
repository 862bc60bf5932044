# `make demo`: what Cellvisor does today, step by step, on the emulated AMD-V machine.
set -e
CV=/sys/class/misc/cellvisor
SYS=configs/x86/qemu-svm.yaml
step() { echo; echo "### $*"; }

step "insmod cellvisor.ko"
insmod cellvisor.ko
ls -l /dev/cellvisor

step "cellctl config check $SYS"
cellctl config check $SYS

step "cellctl enable $SYS   (Linux becomes the root cell)"
cellctl enable $SYS
dmesg | grep -i cellvisor | tail -n 5
echo "enabled: $(cat $CV/enabled)"
echo "VM exits so far: $(cat $CV/exits)"

step "Linux keeps working under the hypervisor"
for cpu in $(seq 0 $(($(nproc) - 1))); do
	sum=$(taskset -c "$cpu" awk 'BEGIN { s = 0; for (i = 1; i <= 100000; i++) s += i; print s }')
	echo "CPU $cpu: sum 1..100000 = $sum"
done

CELL=configs/x86/hello-qemu.yaml
step "cellctl create -s $SYS $CELL   (CPU 1, 1M of RAM and COM1 leave Linux)"
cellctl create -s $SYS $CELL
cellctl list
echo "CPU 1 online in Linux: $(cat /sys/devices/system/cpu/cpu1/online)"

step "cellctl load hello inmates/demos/hello.bin; cellctl start hello"
cellctl load hello inmates/demos/hello.bin
cellctl start hello
sleep 1
# A cell's lines carry its name; only the hypervisor's start "Cellvisor: ".
cellctl console | grep -E "^(\[hello\] |Cellvisor: cell 'hello')"

step "a real-time loop: the latency demo, its APIC timer at 1 kHz"
cellctl shutdown hello
cellctl load hello inmates/demos/latency.bin --string "report_ms=500@0x1000"
cellctl start hello
sleep 2
cellctl console | grep '^\[hello\] latency:' | tail -n 3
echo "(under QEMU's TCG these latencies are host scheduling noise; see"
echo " scripts/bench-cell and Documentation/performance.md for Bochs)"
cellctl stats hello 0.5 | awk 'NR == 1 || $3 > 0'

step "a hostile inmate reads the hypervisor's memory: its cell stops, Linux carries on"
cellctl shutdown hello
cellctl load hello inmates/tests/hostile.bin --string "mem=0x30000000@0x1000"
cellctl start hello
sleep 1
cellctl console | grep -E "^(\[hello\] hostile|Cellvisor: ERROR: cell 'hello')"
cellctl list
echo "Linux still computes: $(awk 'BEGIN { s = 0; for (i = 1; i <= 1000; i++) s += i; print s }')"

step "cellctl destroy hello   (everything goes back to Linux)"
cellctl destroy hello
cellctl list
echo "CPU 1 online in Linux: $(cat /sys/devices/system/cpu/cpu1/online)"

step "cellctl disable   (every CPU leaves the hypervisor)"
cellctl disable
echo "enabled: $(cat $CV/enabled)"

step "rmmod cellvisor"
rmmod cellvisor
echo
echo "demo: done"
