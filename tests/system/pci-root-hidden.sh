# The root cannot reach a cell's PCI device (issue 13: "the root cannot
# program a cell's device (BAR, MSI)"). While the cell pci-dma owns QEMU's
# edu (00:04.0), the root reads its config space through Linux's sysfs
# (mechanism 1 underneath) and, with the test module cvtest_cfg, through
# raw port I/O (0xcf8/0xcfc) and the raw ECAM window (0xb0000000): all
# ones each way, where the same module read the real registers before the
# cell existed. During an MSI run of the cell (inmates/tests/msibench.c,
# one MSI every 20 ms until the root asks the cell to shut down, so the
# run covers the attacks however slow the machine) the root writes edu's
# BAR 0, command register and MSI address/data (aimed at its own CPU)
# through all three paths: it still reads all ones, the cell receives
# every MSI it raised, and a DMA round trip afterwards (the pci-dma demo)
# works. After destroy Linux finds BAR 0 where it was, and the root's edu
# driver (cvtest_edu) works.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

machine_configs
BDF=0000:00:04.0
EDU=/sys/bus/pci/devices/$BDF
CFG=/cellvisor/tests/modules/cvtest_cfg.ko
EDUMOD=/cellvisor/tests/modules/cvtest_edu.ko
# The pci-dma cell with a comm page: msibench hears the shutdown request.
PCICELL=/tmp/pci-dma-comm.yaml
ECAM=0xb0000000		# q35's MMCONFIG, platform.pci.mmconfig of $SYS
DMA_BUF=0x3b000000
ONES='id 0xffffffff cmd 0xffffffff bar0 0xffffffff msi 0xffffffff 0xffffffff 0xffffffff 0xffffffff$'
MSIS=4096		# the ceiling, one every 20 ms: 80 s of the cell's time

cleanup() {
	cellctl destroy pci-dma >/dev/null 2>&1
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	rmmod cvtest_cfg 2>/dev/null
	rmmod cvtest_edu 2>/dev/null
	return 0
}
trap cleanup EXIT

state_is() { cellctl list | grep -Eq "pci-dma +$1"; }
# The first 64 bytes of edu's config space as Linux reads them (sysfs).
config_head() { od -v -An -tx1 -N64 $EDU/config | tr -d ' \n'; }
# config_dword OFFSET: one little-endian dword of it, as 0x%08x.
config_dword() {
	od -An -tx4 -j "$1" -N4 $EDU/config | tr -d ' \n' | sed 's/^/0x/'
}
# sysfs_write OFFSET BYTES: write BYTES (printf octal escapes) there.
sysfs_write() {
	printf "$2" | dd of=$EDU/config bs=1 seek=$(($1)) conv=notrunc 2>/dev/null
}
# cfg_module ARGS...: cvtest_cfg's lines for one load, in $OUT.
cfg_module() {
	dmesg -c >/dev/null
	insmod $CFG "$@" || return 1
	rmmod cvtest_cfg
	OUT=$(dmesg | grep 'cvtest_cfg:')
	printf '%s\n' "$OUT" | sed 's/^/  | /'
}
msibench_ceiling() { cellctl console | grep -q 'msibench: ceiling reached'; }
msibench_ready() { cellctl console | grep -q 'msibench: ready'; }

awk '/^pio:$/ { print "  - name: comm"; print "    comm-page: true"
	print "    guest: 0x100000" } { print }' \
	configs/x86/pci-dma-demo-qemu.yaml >$PCICELL
check "edu is at $BDF" grep -qx 0x11e8 $EDU/device
BAR0_BEFORE=$(config_dword 16)
RES_BEFORE=$(head -n 1 $EDU/resource)
check "Linux put BAR 0 at 0xfea00000 (as $PCICELL says)" \
	test "$BAR0_BEFORE" = 0xfea00000

# ---- the module sees the device while nobody hides it ----
check "cvtest_cfg loads without a hypervisor" cfg_module ecam=$ECAM
check_out "mechanism 1 reads edu's IDs and BAR 0" \
	'cvtest_cfg: cf8 00:04.0 id 0x11e81234 cmd 0x[0-9a-f]{8} bar0 0xfea00000 '
check_out "ECAM reads the same" \
	'cvtest_cfg: ecam 00:04.0 id 0x11e81234 cmd 0x[0-9a-f]{8} bar0 0xfea00000 '

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "cvtest_cfg loads under the hypervisor, no cell yet" cfg_module ecam=$ECAM
check_out "mechanism 1 still reads edu" 'cvtest_cfg: cf8 00:04.0 id 0x11e81234 '
check_out "ECAM too" 'cvtest_cfg: ecam 00:04.0 id 0x11e81234 '

run cellctl create $PCICELL
check_rc "the cell with edu is created" 0
check "Linux has no driver on edu" test ! -e $EDU/driver

# ---- reads: nothing useful ----
run config_head
check_out "sysfs reads edu's first 64 bytes as all ones" '^(ff){64}$'
check "cvtest_cfg loads" cfg_module ecam=$ECAM
check_out "mechanism 1 reads all ones" "cvtest_cfg: cf8 00:04.0 $ONES"
check_out "ECAM reads all ones" "cvtest_cfg: ecam 00:04.0 $ONES"
run cellctl console
check_out "the hypervisor says the root touched a cell's device" \
	"root cell accessed a cell's PCI device at 0x"

# ---- writes during the cell's MSI run ----
check "msibench loads" cellctl load pci-dma inmates/tests/msibench.bin \
	--string "count=$MSIS gap_us=20000 until_shutdown@0x1000"
check "and starts" cellctl start pci-dma
check "its MSI is set up" wait_until 20 msibench_ready
# BAR 0 moved, decode and bus mastering off, MSI to APIC ID 0 vector 0xef.
sysfs_write 0x10 '\000\000\260\376'
sysfs_write 0x04 '\000\000'
sysfs_write 0x44 '\000\000\340\376'
sysfs_write 0x48 '\000\000\000\000'
sysfs_write 0x4c '\357\000'
sysfs_write 0x42 '\001\000'
run config_head
check_out "after sysfs writes, sysfs still reads all ones" '^(ff){64}$'
check "cvtest_cfg attacks" cfg_module ecam=$ECAM attack=1
check_out "through mechanism 1" \
	'cvtest_cfg: cf8 00:04.0 wrote bar0 0xfeb00000 cmd 0 msi to APIC ID 0 vector 0xef'
check_out "which then reads all ones" "cvtest_cfg: cf8 00:04.0 after attack $ONES"
check_out "and through ECAM" \
	'cvtest_cfg: ecam 00:04.0 wrote bar0 0xfeb00000 cmd 0 msi to APIC ID 0 vector 0xef'
check_out "which then reads all ones" "cvtest_cfg: ecam 00:04.0 after attack $ONES"
check_fails "all of it while the MSI run was going on" msibench_ceiling
check "the cell shuts down" cellctl shutdown pci-dma
run cellctl console
check_out "msibench agreed to the shutdown, its run over" \
	"cell 'pci-dma' agreed to shut down"
RUN=$(printf '%s\n' "$OUT" | sed -n \
	's/.*msibench: *\([0-9]*\) raised, *\([0-9]*\) received$/\1 \2/p')
echo "  | msibench: raised, received: $RUN"
# shellcheck disable=SC2086
check "it received every MSI it raised" sh -c \
	'[ $# = 2 ] && [ "$1" -gt 0 ] && [ "$1" = "$2" ]' - $RUN
run cellctl load pci-dma inmates/demos/pci-dma.bin \
	--string "dma_buf=$DMA_BUF@0x1000"
check_rc "the pci-dma demo loads" 0
check "and starts" cellctl start pci-dma
check "and ends itself" wait_until 10 state_is exited
run cellctl list
check_out "with status 0" 'pci-dma +exited .*exited with status 0$'
run cellctl console
check_out "edu at its BAR 0 still" \
	'\[pci-dma\] pci-dma: edu at 00:04.0, BAR0 0x0*fea00000, ID 0x010000ed$'
check_out "the DMA round trip worked" \
	"\[pci-dma\] pci-dma: DMA $DMA_BUF -> edu -> 0x3b001000, 2 MSIs: \"Hello from a cell, by DMA\"\$"
check_fails "nothing FAILED" sh -c "cellctl console | grep -q 'FAILED'"

# ---- Linux gets edu back as it was ----
dmesg -c >/dev/null
check "the cell is destroyed" cellctl destroy pci-dma
run config_dword 16
check_out "Linux finds BAR 0 where it was" "^$BAR0_BEFORE\$"
run head -n 1 $EDU/resource
check_out "and its resource unchanged" "^$RES_BEFORE\$"
check "cvtest_edu.ko loads" insmod $EDUMOD
check "cvtest_edu says ok" wait_until 10 \
	sh -c "dmesg | grep -q 'cvtest_edu: ok id factorial dma msi$'"
check "cvtest_edu.ko unloads" rmmod cvtest_edu
check "disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
