# MSI-X for a cell under the hypervisor's interrupt remapping, with QEMU's
# e1000e (Intel 82574L, 00:05.0, scripts/vm-run). Before: the root's test
# driver cvtest_msix raises the NIC's "other" cause on MSI-X entry 2 and
# counts the interrupts (no hypervisor). Then a cell owns the NIC
# (configs/x86/pci-msix-qemu.yaml) and inmates/tests/msix.bin programs the
# table as on hardware: the hypervisor traps the table's page, remaps the
# cell's entry through an entry of the cell's (the device holds a
# remappable address) and the interrupts arrive. A hostile entry aimed at
# the root's CPU, and one with a crafted remappable-format address, stay
# masked in the device with a console line, and the root sees nothing.
# After destroy and disable Linux gets the NIC back and MSI-X works.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

machine_configs
BDF=0000:00:05.0
NIC=/sys/bus/pci/devices/$BDF
MOD=/cellvisor/tests/modules/cvtest_msix.ko
MSIXCELL=configs/x86/pci-msix-qemu.yaml
MSIX=inmates/tests/msix.bin

cleanup() {
	cellctl destroy pci-msix >/dev/null 2>&1
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	rmmod cvtest_msix 2>/dev/null
	return 0
}
trap cleanup EXIT

state_is() { cellctl list | grep -Eq "pci-msix +$1"; }
msix_said_ok() { dmesg | grep -q 'cvtest_msix: ok 3 raises arrived$'; }
# The root's error and spurious interrupt counts, and "no handler" lines.
root_strays() {
	grep -E '^ *(ERR|SPU|MIS):' /proc/interrupts
	dmesg | grep -c 'No irq handler for vector'
}

msix_works() {
	dmesg -c >/dev/null
	check "$1: cvtest_msix.ko loads" insmod $MOD
	wait_until 10 msix_said_ok
	run sh -c "dmesg | grep cvtest_msix"
	check_out "$1: its MSI-X interrupts arrive" 'cvtest_msix: ok 3 raises arrived$'
	check "$1: cvtest_msix.ko unloads (MSI-X off)" rmmod cvtest_msix
}

# The MSI-X inmate in the cell with ARGS, to its end.
run_inmate() {
	check "the MSI-X inmate loads ($1)" cellctl load pci-msix $MSIX \
		--string "$1@0x1000"
	check "and starts" cellctl start pci-msix
	check "and ends itself" wait_until 20 state_is exited
}

# ---- Linux has the NIC ----
check "e1000e is at $BDF" grep -qx 0x10d3 $NIC/device
check "no driver has it at boot" test ! -e $NIC/driver
msix_works "before"

# ---- a cell has it ----
check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable" cellctl enable $SYS
run cellctl console
check_out "interrupt remapping is on" '^Cellvisor: interrupt remapping on '
check "the cell with the NIC is created" cellctl create $MSIXCELL
STRAYS=$(root_strays)
run_inmate "hostile=msix"
run cellctl console
check_out "the inmate finds the table" \
	'\[pci-msix\] msix: e1000e at 00:05\.0, BAR0 0xfeb40000, 5 MSI-X entries$'
check_out "the cell's entry went through a remapping entry" \
	"^Cellvisor: cell 'pci-msix': PCI 00:05\.0: MSI-X entry 2 remapped through entry [0-9]+ \(device holds address 0xfee[0-9a-f]*[13579bdf][0-9a-f]\)$"
check_out "each raise arrived once" \
	'\[pci-msix\] msix: entry 2 to APIC ID [0-9]+ vector 0x41: 3 of 3 raises arrived'
check_out "MSI-X works in the cell" '\[pci-msix\] msix: e1000e MSI-X PASS$'
check_out "the entry aimed at the root stays masked, said" \
	"^Cellvisor: ERROR: cell 'pci-msix': PCI 00:05\.0: MSI-X entry 3 left masked: MSI destination is not a CPU of the cell$"
check_out "the cell carries on, nothing arrived" \
	'\[pci-msix\] msix: hostile: SURVIVED, 0 interrupts here$'
check "pci-msix exited with status 0" \
	sh -c "cellctl list | grep -Eq 'pci-msix +exited .*exited with status 0$'"
check "the cell shuts down (MSI-X off in the device)" \
	cellctl shutdown pci-msix
run_inmate "hostile=msix msix_addr=0xfee00018 msix_data=0"
run cellctl console
check_out "a crafted remappable-format entry stays masked, said" \
	"^Cellvisor: ERROR: cell 'pci-msix': PCI 00:05\.0: MSI-X entry 3 left masked: MSI address is not 0xfee00000 \| APIC ID << 12$"
check "the root saw no stray interrupt" \
	test "$(root_strays)" = "$STRAYS"
check "the cell is destroyed" cellctl destroy pci-msix
check "disable" cellctl disable

# ---- Linux has it again ----
msix_works "after"
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
