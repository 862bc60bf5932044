# A hypervisor region that is not all reserved RAM is refused before anything changes.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

# The driver used to check only that the region is not System RAM; a region
# beyond the end of RAM passed, and every CPU died entering it.
CV=/sys/class/misc/cellvisor
machine_configs
CPUS=$(cat /sys/devices/system/cpu/online)

check "cellvisor.ko loads" insmod cellvisor.ko

# 4 GiB: above the end of this 1 GiB machine's RAM, in no resource at all.
sed 's/^\(  \)phys: 0x30000000/\1phys: 0x100000000/' $SYS >/tmp/outside.yaml
check "the test config moved the region" grep -q 'phys: 0x100000000' /tmp/outside.yaml
run cellctl enable /tmp/outside.yaml
check_rc "a hypervisor region beyond RAM is refused" 1
run sh -c 'dmesg | tail -n 5'
check_out "the kernel says it is not all reserved RAM" \
	'0x100000000\+0x2000000 is not all reserved RAM'
check_out "and what to do" 'memmap=0x2000000\$ADDR'
check_unchanged "region outside RAM" "$CPUS"
rm -f /tmp/outside.yaml

check "the right config still enables" cellctl enable $SYS
check "and disables" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
