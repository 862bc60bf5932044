# A second enable and rmmod are refused while enabled, and a second disable after it.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

CV=/sys/class/misc/cellvisor
machine_configs
CPUS=$(cat /sys/devices/system/cpu/online)

RAW=/cellvisor/tests/lib/generated/cv-raw-enable

check "cellvisor.ko loads" insmod cellvisor.ko
# --- enable twice ------------------------------------------------------------
dmesg -c >/dev/null
check "a first enable succeeds" cellctl enable $SYS
check "the kernel says rmmod is refused until disable" sh -c \
	"dmesg | grep -q \"Linux is now the root cell; the module stays loaded (rmmod is refused) until 'cellctl disable'\""
e1=$(cat $CV/exits)
run cellctl enable $SYS
check_rc "a second enable fails" 1
check_out "with EBUSY, saying it is already enabled and what to do" \
	"^cellctl: enable failed: Device or resource busy \(the hypervisor is already enabled; run 'cellctl disable' first\)\$"
check "the kernel says so too" sh -c \
	"dmesg | grep -q \"cellvisor: the hypervisor is already enabled; run 'cellctl disable' first\""
check "cellctl compiles the system config" \
	cellctl config compile -o /tmp/sys.dtb $SYS
run $RAW cellvisor.bin /tmp/sys.dtb
check_rc "a second enable past cellctl is EBUSY too" 16
rm -f /tmp/sys.dtb
check "still enabled" grep -qx 1 $CV/enabled
check "module held once" grep -qx 1 /sys/module/cellvisor/refcnt
e2=$(cat $CV/exits)
check "the hypervisor still runs ($e1 then $e2 exits)" test "$e2" -gt "$e1"
# --- rmmod while enabled -------------------------------------------------------
# The driver holds a reference while enabled (a module exit cannot fail);
# busybox rmmod then reports EAGAIN ("Resource temporarily unavailable"):
# the enable line in dmesg and sysfs say why.
run rmmod cellvisor
check_rc "rmmod while enabled is refused" 1
check "and the module stays" grep -q '^cellvisor ' /proc/modules
check "still enabled after the rmmod" grep -qx 1 $CV/enabled
check "still held once" grep -qx 1 /sys/module/cellvisor/refcnt
e3=$(cat $CV/exits)
check "the hypervisor still runs after the rmmod ($e2 then $e3 exits)" \
	test "$e3" -gt "$e2"
check "cellctl still reaches it" cellctl stats root 0.1
check "disable succeeds" cellctl disable
check_unchanged "after enable twice and disable" "$CPUS"
run cellctl disable
check_rc "a second disable fails" 1
check_out "and says it is not enabled" \
	"^cellctl: disable failed: Invalid argument \(the hypervisor is not enabled\)\$"

check "cellvisor.ko unloads" rmmod cellvisor
done_checks
