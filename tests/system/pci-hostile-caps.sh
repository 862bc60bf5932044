# Hostile config writes a cell's PCI function must not pass to the
# device, on the real path (AMD-V, the hypervisor's IOMMU): an e1000e
# (QEMU's 82574L: PCI Express, power management, MSI and MSI-X
# capabilities) at 00:05.0 (scripts/vm-run's) goes to a cell, and the hostile inmate
# (inmates/tests/pcihostile.c) tries one step per run: SERR enable
# (command bit 8: a system error would go to the root's port), the PCI
# Express device control's error reporting enables and phantom functions
# (DMA under other functions' requester IDs), and D3hot through the
# power management control, each bit flipped from what the device has.
# Each time the cell reads the device's own register back: the bits are
# as they were, the cell goes on (the
# writes are masked or dropped, Documentation/pci.md), and nothing says
# LANDED. After destroy the function is Linux's again.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

machine_configs
BDF=0000:00:05.0
FN=/sys/bus/pci/devices/$BDF
HOSTILE=inmates/tests/pcihostile.bin
CELLCFG=/tmp/pci-hostile-caps.yaml

cleanup() {
	cellctl destroy pci-nic >/dev/null 2>&1
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	return 0
}
trap cleanup EXIT

state_is() { cellctl list | grep -Eq "pci-nic +$1"; }
settled() { state_is exited || state_is failed; }

# The cell: one CPU, 1M of RAM, the e1000e with every BAR where Linux has
# it (a BAR that holds an address must be listed), its I/O BAR's ports.
write_cell() {
	local start end flags bars="" pio="" i
	for i in 0 1 2 3 4 5; do
		read -r start end flags
		if [ $((start)) -eq 0 ]; then
			bars="$bars      - none\n"
			continue
		fi
		bars="$bars      - {base: $start, size: $((end - start + 1))}\n"
		[ $((flags & 0x100)) -ne 0 ] &&
			pio="$pio $(printf '0x%x-0x%x' $((start)) $((end)))"
	done <"$FN/resource"
	{
		cell_yaml pci-nic 1 1M $pio
		printf '%b' "pci-devices:\n  - bdf: 00:05.0\n    bars:\n$bars"
	} >$CELLCFG
}

# hostile STEP PATTERN: STEP runs, the cell exits with status 0 and its
# console has PATTERN (the register read back without the bits).
hostile() {
	check "pcihostile loads (step=$1)" cellctl load pci-nic $HOSTILE \
		--string "bdf=0x28 step=$1@0x1000"
	check "and starts" cellctl start pci-nic
	check "and ends" wait_until 60 settled
	run cellctl list
	check_out "step=$1 does not stop the cell" \
		'pci-nic +exited .*exited with status 0$'
	run cellctl console
	check_out "$2" "\[pci-nic\] pcihostile: $1: register $3\$"
	check_out "step=$1 done" "\[pci-nic\] pcihostile: $1: done\$"
	check "the cell shuts down after $1" cellctl shutdown pci-nic
}

check "the e1000e is at $BDF" grep -qx 0x10d3 $FN/device
check "its cell config" write_cell
# SERR enable off first (the firmware left it on): the cell then tries to
# set it, the attack, not to clear it.
cmd_hi() { od -An -tx1 -j5 -N1 $FN/config | tr -d ' '; }
printf '\000' | dd of=$FN/config bs=1 seek=5 conv=notrunc 2>/dev/null
check "the root cleared SERR enable" test $((0x$(cmd_hi) & 1)) -eq 0
check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
run cellctl create $CELLCFG
check_rc "the cell with the e1000e is created" 0

# Each line: register R was V, wrote V ^ BITS, reads W: BITS kept (the
# inmate compares W & BITS with V & BITS; both values are in the log).
hostile serr "SERR enable stays the device's" '0x4 was .*: bits 0x100 kept'
was=$(cellctl console | sed -n 's/.*serr: register 0x4 was \(0x[0-9a-f]*\),.*/\1/p')
check "the device had it off ($was), so the cell tried to set it" \
	test $((was & 0x100)) -eq 0
hostile devctl "error reporting and phantom functions stay the device's" \
	'0x[0-9a-f]+ .*: bits 0x20f kept'
hostile pm "D3hot does not reach it (its power state stays)" \
	'0x[0-9a-f]+ .*: bits 0x3 kept'
check_fails "no step printed LANDED" \
	sh -c "cellctl console | grep -q 'pcihostile: .*LANDED'"

check "the cell is destroyed" cellctl destroy pci-nic
check "Linux reads the e1000e's IDs again" grep -qx 0x8086 $FN/vendor
check "disable" cellctl disable
done_checks
