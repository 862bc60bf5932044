# Late launch on AMD-V: Linux becomes the root cell, keeps working, and leaves again.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

SYS=configs/x86/qemu-svm.yaml
CV=/sys/class/misc/cellvisor

check "cellvisor.ko loads" insmod cellvisor.ko
check "sysfs reports disabled" grep -qx 0 $CV/enabled
check "cellctl enable succeeds" cellctl enable $SYS
check "sysfs reports enabled" grep -qx 1 $CV/enabled
check "the kernel logged the enable" sh -c 'dmesg | grep -q "Linux is now the root cell"'

# Every read of 'exits' is a hypercall: the count grows only under the hypervisor.
e1=$(cat $CV/exits)
e2=$(cat $CV/exits)
check "VM exits are counted ($e1 then $e2)" test "$e2" -gt "$e1"

# Work on both CPUs, forks, timers and the console, as a guest.
busy() { i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done; }
busy & busy & wait
check "Linux still runs processes on both CPUs" true
check "sleep and timers still work" sleep 0.1

check_fails "a second enable is refused" cellctl enable $SYS
check_fails "rmmod is refused while enabled" rmmod cellvisor
check_fails "CPU 1 cannot go offline while enabled" \
	sh -c 'echo 0 > /sys/devices/system/cpu/cpu1/online'

check "cellctl disable succeeds" cellctl disable
check "sysfs reports disabled again" grep -qx 0 $CV/enabled
check_fails "exits are not readable when disabled" cat $CV/exits
check_fails "a second disable is refused" cellctl disable
check "CPU 1 can go offline when disabled" \
	sh -c 'echo 0 > /sys/devices/system/cpu/cpu1/online'
check "and online again" sh -c 'echo 1 > /sys/devices/system/cpu/cpu1/online'

check "enable works a second time" cellctl enable $SYS
busy & busy & wait
check "disable works a second time" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
