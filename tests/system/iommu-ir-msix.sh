# The root's MSI-X under the hypervisor's interrupt remapping, with QEMU's
# e1000e (00:05.0, scripts/vm-run) and the test driver cvtest_msix, which
# raises the NIC's "other" cause on MSI-X entry 2. With MSI-X in use by
# Linux before enable, enable still turns remapping on: the table page is
# trapped and Linux's live entries are taken over (the device holds a
# remappable address, said by the hypervisor); the interrupts keep
# arriving; Linux can set MSI-X up again under the hypervisor (its
# writes go through the table model, its enable bit is allowed); after
# disable Linux's own values are back and the interrupts still arrive.
# On qemu-x2apic Linux writes its entries in remappable format, naming
# entries of its own table (emulated, iommu.md): they resolve through it.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

machine_configs
MOD=/cellvisor/tests/modules/cvtest_msix.ko
RAISE=/sys/module/cvtest_msix/parameters/raise

cleanup() {
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	rmmod cvtest_msix 2>/dev/null
	return 0
}
trap cleanup EXIT

msix_irqs() { awk '/cvtest_msix/ { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }' /proc/interrupts; }
# One more raise: its interrupt arrives (the module waits up to 1 s).
raise_arrives() {
	dmesg -c >/dev/null
	echo 1 >$RAISE
	run sh -c "dmesg | grep 'cvtest_msix: raise'"
	check_out "$1: the raise's interrupt arrives" 'cvtest_msix: raise: arrived'
}
msix_setup_works() {
	dmesg -c >/dev/null
	check "$1: cvtest_msix.ko loads" insmod $MOD
	run sh -c "dmesg | grep cvtest_msix"
	check_out "$1: MSI-X set up, its interrupts arrive" \
		'cvtest_msix: ok 3 raises arrived$'
}

msix_setup_works "before enable"
check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable" cellctl enable $SYS
run cellctl console
check_out "interrupt remapping is on" '^Cellvisor: interrupt remapping on '
check_fails "not kept off by the live MSI-X" \
	sh -c "cellctl console | grep -q 'has MSI-X enabled'"
check_out "the root's table is trapped, its live entries taken over" \
	'^Cellvisor: root cell: PCI 00:05\.0: MSI-X table trapped, [1-5] of 5 entries live and remapped$'
check_out "entry 2 holds a remappable address" \
	"^Cellvisor: root cell: PCI 00:05\.0: MSI-X entry 2 remapped through entry [0-9]+ \(device holds address 0xfee[0-9a-f]*[13579bdf][0-9a-f]\)$"
BEFORE=$(msix_irqs)
raise_arrives "under the hypervisor"
check "and /proc/interrupts counts it" test "$(msix_irqs)" -gt "$BEFORE"
check "cvtest_msix.ko unloads" rmmod cvtest_msix
msix_setup_works "set up again under the hypervisor"
check_fails "no MSI-X enable refusal" \
	sh -c "cellctl console | grep -q 'MSI-X enable refused'"
check_fails "no entry left masked" \
	sh -c "cellctl console | grep -q 'MSI-X entry [0-9]* left masked'"
check "disable" cellctl disable
raise_arrives "after disable"
check "cvtest_msix.ko unloads" rmmod cvtest_msix
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
