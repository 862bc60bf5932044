# A second enable and rmmod are refused while enabled, and a second disable after it.
# emulators: qemu
# Bochs: add it to the emulators line once enable-vmx passes there (VT-x
# disable does not work yet: Documentation/enable-flow.md).
. /cellvisor/tests/lib/guest.sh

CV=/sys/class/misc/cellvisor
case $(grep -m1 vendor_id /proc/cpuinfo) in
*AuthenticAMD*) SYS=configs/x86/qemu-svm.yaml ;;
*) SYS=configs/x86/bochs-vmx.yaml ;;
esac
CPUS=$(cat /sys/devices/system/cpu/online)

check "cellvisor.ko loads" insmod cellvisor.ko
# --- enable twice ------------------------------------------------------------
check "a first enable succeeds" cellctl enable $SYS
e1=$(cat $CV/exits)
run cellctl enable $SYS
check_rc "a second enable fails" 1
check_out "and says it is already enabled" "already enabled"
check "still enabled" grep -qx 1 $CV/enabled
check "module held once" grep -qx 1 /sys/module/cellvisor/refcnt
e2=$(cat $CV/exits)
check "the hypervisor still runs ($e1 then $e2 exits)" test "$e2" -gt "$e1"
# The driver holds a reference while enabled; busybox rmmod then reports
# EAGAIN ("Resource temporarily unavailable"), which the driver cannot word.
run rmmod cellvisor
check_rc "rmmod while enabled is refused" 1
check "and the module stays" grep -q '^cellvisor ' /proc/modules
check "disable succeeds" cellctl disable
check_unchanged "after enable twice and disable" "$CPUS"
run cellctl disable
check_rc "a second disable fails" 1
check_out "and says it is not enabled" "not enabled"

check "cellvisor.ko unloads" rmmod cellvisor
done_checks
