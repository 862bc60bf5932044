# What `make install` gives (PREFIX=/usr, carried in by make system-deps as
# tests/lib/generated/install): modprobe loads the module from
# /lib/modules/KVER/extra, /usr/sbin/cellctl has no image next to it, so
# the driver loads /lib/firmware/cellvisor/cellvisor.bin through the
# kernel's firmware loader; without that file enable fails, saying so.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

machine_configs
INST=/cellvisor/tests/lib/generated/install
CV=/sys/class/misc/cellvisor
CELLCTL=/usr/sbin/cellctl
FW=/lib/firmware/cellvisor/cellvisor.bin
SYS=/cellvisor/$SYS
CELL=/cellvisor/$CELL

check "the installed tree was carried in" test -x $INST$CELLCTL
check "no cellvisor module is loaded yet" test ! -d /sys/module/cellvisor
cp -a $INST/. /
check "no image next to the installed cellctl" \
	sh -c "! ls /usr/sbin/*.bin /usr/hypervisor 2>/dev/null"
check "depmod indexes the installed module" depmod
check "modprobe cellvisor loads it" modprobe cellvisor
check "from /lib/modules/$(uname -r)/extra" \
	grep -q "extra/cellvisor.ko" /lib/modules/$(uname -r)/modules.dep
KO=/lib/modules/$(uname -r)/extra/cellvisor.ko
check "the module loaded is the installed one" \
	test "$(cat /sys/module/cellvisor/srcversion)" = "$(modinfo -F srcversion $KO)"
check "the module says its version" \
	sh -c "grep -qx \"\$($CELLCTL --version | cut -d' ' -f2)\" /sys/module/cellvisor/version"

# Without the installed image: refused, and nothing changes.
mv $FW /tmp/cellvisor.bin
cd /tmp
dmesg -c >/dev/null
run $CELLCTL enable $SYS
check_rc "enable without any image fails" 1
check_out "cellctl says no image is installed and what to do" \
	"no hypervisor image: none next to cellctl and none installed as /lib/firmware/cellvisor/cellvisor.bin \(make install\); or give --image FILE"
check "the driver says it too" \
	sh -c "dmesg | grep -q 'no hypervisor image cellvisor/cellvisor.bin in the firmware directories (-2)'"
check "still disabled" grep -qx 0 $CV/enabled
mv /tmp/cellvisor.bin $FW

check "the installed cellctl enables without --image" $CELLCTL enable $SYS
check "the hypervisor runs" grep -qx 1 $CV/enabled
run $CELLCTL create $CELL
check_rc "create without -s" 0
check "the hello inmate loads" $CELLCTL load hello /cellvisor/inmates/demos/hello.bin
check "the cell starts" $CELLCTL start hello
check "the inmate prints" \
	wait_until 20 sh -c "$CELLCTL console | grep -q '^\[hello\] Hello from Cellvisor inmate'"
check "the cell is destroyed" $CELLCTL destroy hello
check "disable" $CELLCTL disable
check "modprobe -r unloads it" modprobe -r cellvisor
check "the module is gone" test ! -d /sys/module/cellvisor
# --image still wins over the installed image.
check "modprobe cellvisor again" modprobe cellvisor
check "enable --image FILE works as before" \
	$CELLCTL enable --image /cellvisor/cellvisor.bin $SYS
check "disable again" $CELLCTL disable
check "modprobe -r unloads it again" modprobe -r cellvisor
# The next scenarios of a Bochs batch find the machine as it was.
(cd $INST && find . -type f) | while read -r f; do rm -f "/$f"; done
rmdir /lib/firmware/cellvisor
depmod
done_checks
