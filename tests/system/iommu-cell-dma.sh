# A cell's edu DMAs into its own RAM through its domain, and not into root or hypervisor memory (fault attributed to the cell and counted in its stats, root memory unchanged); after destroy the root's edu works again.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

# configs/x86/pci-edu-qemu.yaml gives QEMU's edu (00:04.0) to a cell with
# a DMA buffer at 0x3b000000 (guest == phys); inmates/tests/pci.bin tests
# edu there (MSI, DMA round trip) and with hostile=dma has it write 64
# bytes of 0xc3 to dma_to= and read dma_len bytes from dma_from=.
machine_configs
EDU_CELL=configs/x86/pci-edu-qemu.yaml
P=/sys/module/cvtest_mem/parameters
# Root RAM that Linux keeps for itself and never uses (the first 64 KiB
# are reserved at boot): a known pattern there shows whether a DMA hit.
ROOT_PAGE=0x8000
PATTERN=0x1122334455667788
HV_MEM=0x30000000

count() { cellctl console | grep -Ec -- "$1"; }
at_least() { [ "$(count "$2")" -ge "$1" ]; }
root_page_value() { echo $ROOT_PAGE >$P/read && cat $P/value; }

check "cellvisor.ko loads" insmod cellvisor.ko
check "cvtest_mem.ko loads" insmod /cellvisor/tests/modules/cvtest_mem.ko
echo $PATTERN >$P/pattern
check "the pattern is written to root page $ROOT_PAGE" \
	sh -c "echo $ROOT_PAGE >$P/write"
check "and reads back" test "$(root_page_value)" = "$((PATTERN))"
check "cellctl enable succeeds" cellctl enable $SYS
check "DMA remapping is on" test "$(count 'DMA remapping on')" -eq 1

check "the cell owning edu is created" cellctl create -s $SYS $EDU_CELL
check "the PCI inmate loads" cellctl load pci-edu inmates/tests/pci.bin \
	--string "dma_buf=0x3b000000 hostile=dma dma_to=$ROOT_PAGE dma_from=$HV_MEM@0x1000"
check "and starts" cellctl start pci-edu
check "edu's DMA into the cell's RAM works (through the cell's domain)" \
	wait_until 30 at_least 1 '^\[pci-edu\] pci: edu DMA PASS$'
check "the hostile write into root memory ran" \
	wait_until 30 at_least 1 "^\[pci-edu\] pci: hostile: DMA of 64 bytes 0xc3 to $ROOT_PAGE done"
check "the hostile read of hypervisor memory ran" \
	wait_until 30 at_least 1 "^\[pci-edu\] pci: hostile: DMA of 64 bytes from $HV_MEM done"
check "the write was blocked, attributed to the cell and edu" \
	wait_until 10 at_least 1 \
	"^Cellvisor: ERROR: cell 'pci-edu': DMA write to $ROOT_PAGE blocked \(device 00:04\.0, reason 5: "
check "the read was blocked, attributed to the cell and edu" \
	wait_until 10 at_least 1 \
	"^Cellvisor: ERROR: cell 'pci-edu': DMA read from $HV_MEM blocked \(device 00:04\.0, reason 6: "
cellctl stats --json pci-edu 0.1 >/tmp/stats.json
check "cellctl stats --json counts both DMA faults for the cell" test \
	"$(/cellvisor/tests/lib/generated/cv-json dma_faults.total </tmp/stats.json)" -ge 2
run cellctl stats pci-edu 0.1
check_out "and the text table has a dma-faults row" '^dma-faults +- +([2-9]|[1-9][0-9]+) '
check "root memory is unchanged" test "$(root_page_value)" = "$((PATTERN))"
check "the root still runs processes" sh -c 'taskset -c 0 true && sleep 0.1'

check "cellctl destroy pci-edu" cellctl destroy pci-edu
dmesg -c >/dev/null
check "cvtest_edu binds edu in the root again" \
	insmod /cellvisor/tests/modules/cvtest_edu.ko
run sh -c 'dmesg | grep cvtest_edu'
check_out "and its self test passes (edu back in the root's domain)" \
	'cvtest_edu: ok id factorial dma msi'
check "cvtest_edu unloads" rmmod cvtest_edu
check "cellctl disable succeeds" cellctl disable
check "root memory is still unchanged" test "$(root_page_value)" = "$((PATTERN))"
check "cvtest_mem.ko unloads" rmmod cvtest_mem
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
