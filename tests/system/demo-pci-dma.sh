# The pci-dma demo (inmates/demos/pci-dma.c, issue 13 item 7) in its cell
# (configs/x86/pci-dma-demo-qemu.yaml) on the qemu machine, where the
# hypervisor's VT-d DMA remapping confines edu to the cell's dma region:
# the demo finds edu by its IDs, maps BAR 0, routes the MSI to its CPU,
# copies a message by DMA from its RAM into edu and back into another
# page, an MSI ending each transfer, and prints what came back. Then the
# same demo with its buffer in cell RAM the device may not reach (no
# `dma` access, guest != phys): the IOMMU keeps the device out, nothing
# comes back and the demo says so with status 1, so the check above can
# fail. After destroy Linux has edu back.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

machine_configs
EDU=/sys/bus/pci/devices/0000:00:04.0
PCICELL=configs/x86/pci-dma-demo-qemu.yaml
DEMO=inmates/demos/pci-dma.bin
DMA_BUF=0x3b000000
MESSAGE='Hello from a cell, by DMA'

cleanup() {
	cellctl destroy pci-dma >/dev/null 2>&1
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	return 0
}
trap cleanup EXIT

state_is() { cellctl list | grep -Eq "pci-dma +$1"; }
# demo ARGS: load and start the demo, wait for it to end.
demo() {
	check "the demo loads ($1)" cellctl load pci-dma $DEMO --string "$1@0x1000"
	check "and starts" cellctl start pci-dma
	check "and ends itself" wait_until 10 state_is exited
}

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
run cellctl console
check_out "the hypervisor runs DMA remapping" 'DMA remapping on'
run cellctl create $PCICELL
check_rc "the demo's cell is created" 0
check_fails "without a dma-isolation warning" \
	sh -c "echo \"\$OUT\" | grep -q 'dma-isolation: none'"

demo "dma_buf=$DMA_BUF"
run cellctl list
check_out "with status 0" 'pci-dma +exited .*exited with status 0$'
run cellctl console
check_out "it found edu by its IDs, BAR 0 at its address" \
	'\[pci-dma\] pci-dma: edu at 00:04.0, BAR0 0x0*fea00000, ID 0x010000ed$'
check_out "its MSI goes to the cell's CPU" \
	'\[pci-dma\] pci-dma: MSI vector 0x40 to APIC ID [1-9][0-9]*$'
check_out "the message came back by DMA, an MSI for each transfer" \
	"\[pci-dma\] pci-dma: DMA $DMA_BUF -> edu -> 0x3b001000, 2 MSIs: \"$MESSAGE\"\$"
check "the cell shuts down" cellctl shutdown pci-dma

# A buffer the device may not reach: cell RAM without `dma` access.
demo "dma_buf=0x80000"
run cellctl list
check_out "with a buffer edu may not reach, status 1" \
	'pci-dma +exited .*exited with status 1$'
run cellctl console
check_out "and nothing came back" \
	'\[pci-dma\] pci-dma: DMA 0x80000 -> edu -> 0x81000, 2 MSIs: ""$'
check "the IOMMU's fault names the cell and edu" wait_until 10 sh -c \
	"cellctl console | grep -Eq \"cell 'pci-dma': DMA read from 0x80000 blocked \\(device 00:04\\.0\""
check_fails "nothing FAILED" sh -c "cellctl console | grep -q 'FAILED'"

check "the cell is destroyed" cellctl destroy pci-dma
check "Linux sees edu again" grep -qx 0x11e8 $EDU/device
check "disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
