# A VT-d unit Linux uses for DMA remapping (booted intel_iommu=on) is left to Linux: enable works, says DMA is not isolated and which kernel parameters would change that; the root keeps working.
# emulators: qemu-x2apic
# vm-run: --append intel_iommu=on
. /cellvisor/tests/lib/guest.sh

# qemu-x2apic with intel_iommu=on: Linux runs its IOMMU's DMA remapping
# (GSTS.TES) besides the interrupt remapping x2APIC needs (GSTS.IRES);
# taking the unit would break its DMA.  (Booted as vm-run does by
# default, intel_iommu=off, the hypervisor takes the unit and emulates
# the interrupt remapping: iommu-ir.)
machine_configs
EDU=/cellvisor/tests/modules/cvtest_edu.ko
SELFTEST='cvtest_edu: ok id factorial dma msi'

count() { cellctl console | grep -Ec -- "$1"; }

# /proc/interrupts, not dmesg: an earlier scenario of the same boot may
# have cleared the kernel's log (dmesg -c).
check "Linux uses interrupt remapping here" grep -q "IR-" /proc/interrupts
check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
run cellctl console
check_out "the unit is left to Linux, with the reason" \
	"^Cellvisor: VT-d unit at 0xfed90000: left to Linux: Linux uses the VT-d unit for DMA remapping \(GSTS\.TES\): boot it with intel_iommu=off"
check_out "enable says device DMA is not isolated" \
	"^Cellvisor: device DMA is NOT isolated: .*boot Linux with intel_iommu=off"
check_out "and that Linux's interrupt remapping is then emulated" \
	"interrupt remapping, which x2APIC needs, is then emulated"
check "nothing is emulated" test "$(count 'emulated for the root')" -eq 0
check "it says so once" test "$(count 'NOT isolated')" -eq 1
check "no unit was turned on" test "$(count 'DMA remapping on')" -eq 0
dmesg -c >/dev/null
check "cvtest_edu loads" insmod $EDU
run sh -c 'dmesg | grep cvtest_edu'
rmmod cvtest_edu
check_out "the root's edu works (Linux's remapping intact)" "$SELFTEST"
# Fail closed: without DMA isolation a cell gets no PCI device.
check_fails "a cell with edu is refused" \
	cellctl create -s $SYS configs/x86/pci-edu-qemu.yaml
check "no cell exists" test "$(cellctl list | grep -c pci-edu)" -eq 0
check "Linux keeps working on both CPUs" sh -c \
	'taskset -c 0 true && taskset -c 1 true && sleep 0.1'
check "cellctl disable succeeds" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
