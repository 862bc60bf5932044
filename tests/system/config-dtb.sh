# The hypervisor accepts the DTB cellctl compiled and itself refuses tampered DTBs that bypass cellctl.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

# QEMU only: the tampered DTBs are edits of qemu-svm's (cpu-vendor amd),
# which the driver refuses on an Intel CPU before the hypervisor sees them;
# the hypervisor's config checks run before any vendor code, so one
# machine covers them.
if grep -q '^flags.* svm' /proc/cpuinfo; then
	SYS=configs/x86/qemu-svm.yaml
else
	SYS=configs/x86/bochs-vmx.yaml
fi
CV=/sys/class/misc/cellvisor
GEN=/cellvisor/tests/lib/generated
RAW=$GEN/cv-raw-enable
T=$GEN/tampered

# Linux as it was: not enabled, no hypervisor answering, both CPUs online.
unchanged() {
	grep -qx 0 $CV/enabled &&
		! cat $CV/exits >/dev/null 2>&1 &&
		grep -qx 0-1 /sys/devices/system/cpu/online
}

check "the test helpers were built (make -C tests/tools)" \
	test -x $RAW -a -f $T/system-cases.txt
check "cellvisor.ko loads" insmod cellvisor.ko

check "the system config compiles to a DTB in the guest" \
	cellctl config compile -o /tmp/sys.dtb $SYS
run cellctl config show /tmp/sys.dtb
check_rc "cellctl config show reads the DTB" 0
check_out "and shows the hypervisor region" 'phys: 0x30000000'
check "cellctl enable accepts that DTB" cellctl enable /tmp/sys.dtb
check "sysfs reports enabled" grep -qx 1 $CV/enabled
check "disable" cellctl disable

run $RAW cellvisor.bin /tmp/sys.dtb
check_rc "the same DTB passed unchecked is accepted by the hypervisor" 0
check "sysfs reports enabled" grep -qx 1 $CV/enabled
check "disable" cellctl disable
check "Linux is as before" unchanged

# Each tampered DTB reaches the hypervisor (or, for a cut file, the driver)
# without cellctl's checks; each must be refused and change nothing.
while read -r file errno layer reason; do
	dmesg -c >/dev/null
	run $RAW cellvisor.bin $T/$file
	check_rc "$file is refused with errno $errno" "$errno"
	# The reason goes to the hypervisor console (the serial log above),
	# which the guest cannot read back; unit tests check it.
	echo "  expected console reason: $reason"
	if [ "$layer" = hv ]; then
		check "  by the hypervisor, says the kernel log" sh -c \
			"dmesg | grep -q 'enable failed on the hypervisor side (-$errno)'"
	else
		check "  already by the driver, says the kernel log" sh -c \
			"dmesg | grep -q 'cellvisor: the system config '"
		check_fails "  and the hypervisor never ran" sh -c \
			"dmesg | grep -q 'on the hypervisor side'"
	fi
	check "  and Linux is unchanged" unchanged
done <$T/system-cases.txt

check "cellctl itself refuses a tampered DTB before the ioctl" \
	sh -c "! cellctl enable $T/system-root-over-hv.dtb"

check "a normal enable still works afterwards" cellctl enable $SYS
busy() { i=0; while [ $i -lt 3000 ]; do i=$((i + 1)); done; }
busy & busy & wait
check "and disable" cellctl disable
check "Linux is as before" unchanged
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
