# A cell's device behind a PCIe root port (hypervisor/pci_bridge.c): an
# edu behind QEMU's pcie-root-port at 00:06.0, which has an ACS
# capability whose controls Linux leaves off (intel_iommu=off). Create
# succeeds and the hypervisor turns source validation, request and
# completion redirect and upstream forwarding on (read from the root
# through sysfs); the cell's MSI and DMA work. The root then writes the
# port's secondary and subordinate bus numbers, memory window, bridge
# control (secondary bus reset), command (decode off) and ACS control:
# each keeps its value (read back), the console names it, and the cell's
# DMA still works after. After destroy the root's ACS control is back and
# the root's writes reach the port again.
# emulators: qemu qemu-x2apic
# (tests/system/run splits the options at spaces: one QEMU word each)
# vm-run: --qemu-args -device --qemu-args pcie-root-port,id=r,addr=6,chassis=6 --qemu-args -device --qemu-args edu,bus=r,dma_mask=0xffffffffffffffff
. /cellvisor/tests/lib/guest.sh

machine_configs
PCICELL=configs/x86/pci-edu-qemu.yaml
CELL=/tmp/pci-bridge-held.yaml
PCI=inmates/tests/pci.bin
PORT=/sys/bus/pci/devices/0000:00:06.0
ACS=0x148		# QEMU's pcie-root-port: AER at 0x100, then ACS

cleanup() {
	cellctl destroy pci-edu >/dev/null 2>&1
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	return 0
}
trap cleanup EXIT

# cfgr OFF SIZE: the port's register as the root reads it (0x..., hex).
cfgr() {
	od -An -tx1 -j $(($1)) -N "$2" $PORT/config |
		awk '{ v = ""; for (i = NF; i >= 1; i--) v = v $i; print "0x" v }'
}
# cfgw OFF SIZE VAL: the root writes it, one access of SIZE bytes.
cfgw() {
	local i s=""
	for i in $(seq 0 $(($2 - 1))); do
		s="$s\\$(printf %03o $((($3 >> (8 * i)) & 0xff)))"
	done
	printf "$s" | dd of=$PORT/config bs="$2" seek=$(($1 / $2)) count=1 \
		conv=notrunc 2>/dev/null
}
# kept OFF SIZE VAL NAME: the root's write of VAL leaves the register as
# it was, and the console names it.
kept() {
	local before
	before=$(cfgr "$1" "$2")
	cfgw "$1" "$2" "$3"
	check "the root's write of the $4 is kept ($before)" \
		test "$(cfgr "$1" "$2")" = "$before"
	run cellctl console
	check_out "the console names the $4" \
		"root cell: PCI 00:06.0 $1 write kept from the $4"
}
state_is() { cellctl list | grep -Eq "pci-edu +$1"; }
dma_passes() { cellctl console | grep -c '\[pci-edu\] pci: edu DMA PASS$'; }
run_inmate() {
	check "the PCI inmate loads" cellctl load pci-edu $PCI \
		--string "dma_buf=0x3b000000@0x1000"
	check "and starts" cellctl start pci-edu
	check "and ends itself" wait_until 20 state_is exited
	run cellctl list
	check_out "with status 0" 'pci-edu +exited .*exited with status 0$'
}

EDU=$(ls -d $PORT/0000:*:*.0 | head -1)
BDF=$(basename "$EDU" | cut -c6-)
check "an edu sits behind the root port ($BDF)" grep -qx 0x11e8 "$EDU/device"
check "the port has its ACS capability at $ACS" \
	test "$(cfgr $ACS 2)" = 0x000d
run cfgr $((ACS + 6)) 2
check_out "Linux left its ACS controls off" '^0x0000$'
bar=$(awk 'NR == 1 { print $1 }' "$EDU/resource")
sed -e "s/bdf: 00:04.0/bdf: $BDF/" -e "s/base: 0xfea00000/base: $bar/" \
	$PCICELL >$CELL
check "the pci-edu cell config with that edu" grep -q "bdf: $BDF" $CELL

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
run cellctl create $CELL
check_rc "the cell with the edu behind the port is created" 0
run cfgr $((ACS + 6)) 2
check_out "the port's ACS controls are on (SV, RR, CR, UF)" '^0x001d$'
run cellctl console
check_out "the console says so" \
	"cell 'pci-edu': PCI port 00:06.0 above $BDF: ACS control 0x0 -> 0x1d"

run_inmate
run cellctl console
check_out "the cell finds the edu" "\[pci-edu\] pci: edu at $BDF, BAR0"
check_out "its MSI arrives" '\[pci-edu\] pci: edu MSI: 1 interrupts'
check "its DMA works" test "$(dma_passes)" -eq 1

# ---- the root reprograms the port ----
kept 0x19 1 0x05 "secondary bus number"
kept 0x1a 1 0x05 "subordinate bus number"
kept 0x20 4 0x0000fff0 "memory window"
kept 0x3e 2 $(($(cfgr 0x3e 2) | 0x40)) "bridge control"
kept 0x04 2 $(($(cfgr 0x04 2) & ~7)) "command"
kept 0x14e 2 0x0000 "ACS control"
check "the cell runs again after all that" cellctl start pci-edu
check "and ends itself again" wait_until 20 state_is exited
check "its DMA still works" test "$(dma_passes)" -eq 2
check_fails "nothing FAILED" sh -c "cellctl console | grep -q FAILED"

# ---- destroy gives the port back ----
check "the cell is destroyed" cellctl destroy pci-edu
run cfgr $((ACS + 6)) 2
check_out "the root's ACS control is back" '^0x0000$'
run cellctl console
check_out "the console says so" \
	"PCI port 00:06.0: ACS control back to 0x0 \(the root's\)"
cfgw $((ACS + 6)) 2 0x0001
run cfgr $((ACS + 6)) 2
check_out "the root's writes reach the port again" '^0x0001$'
cfgw $((ACS + 6)) 2 0x0000
check "cellctl disable" cellctl disable
done_checks
