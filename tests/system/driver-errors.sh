# The driver refuses bad enables with a message that says what to do, and Linux stays as it was.
# emulators: qemu
. /cellvisor/tests/lib/guest.sh

SYS=configs/x86/qemu-svm.yaml
CV=/sys/class/misc/cellvisor

check "cellvisor.ko loads" insmod cellvisor.ko
check "/dev/cellvisor is root-only (0600)" \
	sh -c 'ls -l /dev/cellvisor | grep -q "^crw-------"'

# An image built for fewer CPUs than are online (max_cpus is at 0x28).
cp cellvisor.bin /tmp/one-cpu.bin
printf '\001' | dd of=/tmp/one-cpu.bin bs=1 seek=40 conv=notrunc 2>/dev/null
check_fails "an image for 1 CPU is refused on 2 CPUs" \
	cellctl enable -i /tmp/one-cpu.bin $SYS
check "the kernel says why" \
	sh -c 'dmesg | grep -q "2 CPUs online, cellvisor.bin supports 1"'

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

check "still disabled after the failures" grep -qx 0 $CV/enabled
check_fails "disable without enable is refused" cellctl disable
check "a good enable still works afterwards" cellctl enable $SYS
check "and disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
