# The driver refuses bad enables with a message that says what to do, and Linux stays as it was.
# QEMU only: these are the driver's checks, the same for both vendors (errors-enable,
# errors-region and errors-twice run on both machines).
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

SYS=configs/x86/qemu-svm.yaml
CV=/sys/class/misc/cellvisor
RAW=/cellvisor/tests/lib/generated/cv-raw-enable
CPUS=$(cat /sys/devices/system/cpu/online)

check "cellvisor.ko loads" insmod cellvisor.ko
check "/dev/cellvisor is root-only (0600)" \
	sh -c 'ls -l /dev/cellvisor | grep -q "^crw-------"'

# An image built for fewer CPUs than are online (max_cpus is at 0x28).
cp cellvisor.bin /tmp/one-cpu.bin
printf '\001' | dd of=/tmp/one-cpu.bin bs=1 seek=40 conv=notrunc 2>/dev/null
check_fails "an image for 1 CPU is refused on 2 CPUs" \
	cellctl enable -i /tmp/one-cpu.bin $SYS
check "the kernel says why and what to do" \
	sh -c 'dmesg | grep -q "2 CPUs online, cellvisor.bin supports 1; boot with nr_cpus=1, or build the image for more"'

# Not an image at all: cellctl itself refuses before the ioctl.
check_fails "a file that is no image is refused" \
	cellctl enable -i $SYS $SYS

# A hypervisor region in System RAM: the message names memmap=.
sed -e 's/^  phys: 0x30000000/  phys: 0x3c000000/' \
    -e 's/      phys: 0x3c000000/      phys: 0x3e000000/' \
    -e 's/      size: 0x4000000    # up to 1 GiB/      size: 0x2000000/' \
    $SYS >/tmp/unreserved.yaml
check_fails "a region in System RAM is refused" cellctl enable /tmp/unreserved.yaml
check "the kernel names the missing memmap= parameter" \
	sh -c 'dmesg | grep -q "is not reserved; boot Linux with memmap=0x2000000\$0x3c000000"'

# An ioctl with no config at all (only a raw caller can send one).
dmesg -c >/dev/null
run $RAW cellvisor.bin /dev/null
check_rc "an empty config is refused with EINVAL" 22
check "the kernel says what the ioctl needs" sh -c \
	"dmesg | grep -q \"enable ioctl: flags must be 0, the image 1 byte to [0-9]* KiB, the config 1 byte to [0-9]* KiB; use 'cellctl enable'\""
check_unchanged "bad enables" "$CPUS"

check "still disabled after the failures" grep -qx 0 $CV/enabled
check_fails "disable without enable is refused" cellctl disable
check "a good enable still works afterwards" cellctl enable $SYS

# --- disable while a cell exists ---------------------------------------------
check "a cell is created" cellctl create -s $SYS configs/x86/hello-qemu.yaml
dmesg -c >/dev/null
run cellctl disable
check_rc "disable is refused while the cell exists" 1
check_out "naming the cell to destroy first" \
	"^cellctl: disable failed: Device or resource busy \(destroy cell\(s\) 'hello' first \(cellctl list\)\)\$"
check "the kernel names it too" sh -c \
	"dmesg | grep -q \"cellvisor: disable refused: cell(s) 'hello' exist; destroy them first (cellctl list, cellctl destroy NAME)\""
check "the hypervisor is still enabled" grep -qx 1 $CV/enabled
check "and the cell still there" sh -c "cellctl list | grep -q '^[0-9]* *hello '"
check "CPU 1 is still the cell's" grep -qx 0 /sys/devices/system/cpu/cpu1/online
check "the cell is destroyed" cellctl destroy hello
check "CPU 1 is back in Linux" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "then disable works" cellctl disable
check_unchanged "after the cell" "$CPUS"
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
