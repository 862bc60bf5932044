# A cell's PCI device whose DMA the IOMMU cannot tell from the root's, or
# whose peer-to-peer traffic can go around the IOMMU, is refused at
# create, and the refusal changes nothing (driver/pci_path.c). Two more
# edu devices: one behind a PCIe root port (00:06.0) without an ACS
# capability (so neither Linux nor the hypervisor can turn redirect on),
# one behind a PCIe-to-PCI bridge (00:07.0), whose
# DMA reaches the IOMMU under the bridge's secondary bus as requester ID.
# A cell config naming either (the pci-edu cell with that device and its
# BAR) is refused with the reason in dmesg; the device stays Linux's,
# with no driver override, its config space readable; no cell exists and
# CPU 1 stays online. The same cell with edu at 00:04.0 (an integrated
# endpoint on the root bus) is created.  The root port is an ioh3420
# (QEMU's has MSI, no ACS capability); a pcie-root-port has ACS, and a
# device behind it goes to a cell (pci-bridge-held).
# emulators: qemu
# (tests/system/run splits the options at spaces: one QEMU word each)
# vm-run: --qemu-args -device --qemu-args ioh3420,id=r,addr=6,chassis=6 --qemu-args -device --qemu-args edu,bus=r --qemu-args -device --qemu-args pcie-pci-bridge,id=b,addr=7 --qemu-args -device --qemu-args edu,bus=b,addr=1
# Not on qemu-x2apic: Linux runs its IOMMU driver there and turns the
# root port's ACS on (that case is the unit test's).
. /cellvisor/tests/lib/guest.sh

machine_configs
PCICELL=configs/x86/pci-edu-qemu.yaml
TOPO=/tmp/pci-topology.yaml

cleanup() {
	cellctl destroy pci-edu >/dev/null 2>&1
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	return 0
}
trap cleanup EXIT

# behind BRIDGE: the sysfs directory of the edu below bridge 00:BRIDGE.
behind() { ls -d /sys/devices/pci0000:00/0000:00:$1/0000:*:*.0 | head -1; }
# cell_for DEV: the pci-edu cell with DEV (sysfs) and its BAR 0 in $TOPO.
cell_for() {
	local bdf bar
	bdf=$(basename "$1" | cut -c6-)
	bar=$(awk 'NR == 1 { print $1 }' "$1/resource")
	sed -e "s/bdf: 00:04.0/bdf: $bdf/" \
	    -e "s/base: 0xfea00000/base: $bar/" $PCICELL >$TOPO
	grep -q "bdf: $bdf" $TOPO
}
# refused DEV BRIDGE REASON: the cell with DEV is refused for REASON and
# nothing changed.
refused() {
	local dev=$1 name
	name=$(basename "$dev" | cut -c6-)
	check "edu $name sits behind 00:$2" test -e "$dev/vendor"
	check "its cell config" cell_for "$dev"
	run cellctl config check $SYS $TOPO
	check_rc "cellctl config check accepts it (it cannot see the hierarchy)" 0
	dmesg -c >/dev/null
	run cellctl create $TOPO
	check_fails "create of the cell with $name is refused" test "$RC" -eq 0
	check_out "cellctl says: not permitted" 'Operation not permitted'
	run sh -c "dmesg | grep cellvisor"
	check_out "dmesg names the device and the reason" \
		"cell 'pci-edu': PCI $name refused, nothing was changed: $3"
	check "no cell exists" test "$(cells_besides_root)" -eq 0
	check "CPU 1 is still online" grep -qx 1 /sys/devices/system/cpu/cpu1/online
	check "no driver override was left on $name" \
		grep -qx '(null)' "$dev/driver_override"
	check "Linux still reads its config space" grep -qx 0x1234 "$dev/vendor"
	run sh -c "od -An -tx1 -N4 $dev/config | tr -d ' '"
	check_out "the real bytes, not all ones" '^3412e811$'
	check_fails "the hypervisor never heard of the cell" \
		sh -c "cellctl console | grep -q \"cell 'pci-edu'\""
}

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS

refused "$(behind 06.0)" 06.0 \
	"port 00:06.0 above it has no ACS capability \(source validation, request and completion redirect, upstream forwarding\)"
refused "$(behind 07.0)" 07.0 \
	"its DMA reaches the IOMMU under requester ID [0-9a-f]{2}:00.0 of bridge 00:07.0 above it"

# The integrated edu at 00:04.0 still goes to a cell (cell-pci-edu runs
# it); its BAR moved for the bridges' windows.
check "the cell config for 00:04.0" cell_for /sys/bus/pci/devices/0000:00:04.0
dmesg -c >/dev/null
run cellctl create $TOPO
check_rc "the cell with edu at 00:04.0 (root bus) is created" 0
check_fails "with no topology line" sh -c "dmesg | grep -q 'refused, nothing'"
check "and destroyed" cellctl destroy pci-edu
check "cellctl disable" cellctl disable
done_checks
