# Late launch on Intel VT-x: Linux becomes the root cell, keeps working, and leaves again.
# emulators: bochs
. /cellvisor/tests/lib/guest.sh

SYS=configs/x86/bochs-vmx.yaml
CV=/sys/class/misc/cellvisor

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "sysfs reports enabled" grep -qx 1 $CV/enabled
e1=$(cat $CV/exits)
e2=$(cat $CV/exits)
check "VM exits are counted ($e1 then $e2)" test "$e2" -gt "$e1"
busy() { i=0; while [ $i -lt 3000 ]; do i=$((i + 1)); done; }
busy & busy & wait
check "Linux still runs processes on both CPUs" true
check "sleep and timers still work" sleep 0.1
check_fails "rmmod is refused while enabled" rmmod cellvisor
check "cellctl disable succeeds" cellctl disable
check "sysfs reports disabled again" grep -qx 0 $CV/enabled
busy & busy & wait
check "Linux runs natively afterwards" sleep 0.1
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
