# QEMU's edu device (00:04.0, scripts/vm-run) moves from Linux to a cell
# and back: before, the root's test driver cvtest_edu finds it working
# (ID, factorial, DMA round trip, MSI). With a system config that says
# dma-isolation: none, cellctl warns at check and create; while the cell
# exists Linux has no driver on edu and reads its config space as all
# ones; the cell (inmates/tests/pci.bin, configs/x86/pci-edu-qemu.yaml)
# finds only edu through 0xcf8/0xcfc, takes an MSI on its own CPU and
# moves data by DMA through edu's buffer, each transfer ending with an
# MSI. An MSI it aims at the root's CPU stops it, with the hypervisor's
# reason. After destroy Linux gets edu back and cvtest_edu works again,
# rebound by the driver core and after rmmod/insmod. With the same system
# config without dma-isolation: none, the cell is refused while no IOMMU
# confines DMA, with the reason; where the hypervisor runs DMA remapping
# (its console says "DMA remapping on") it is created, without a warning,
# and its DMA works through the IOMMU.
# emulators: qemu qemu-x2apic
# On qemu-x2apic (Linux booted intel_iommu=off by vm-run) the hypervisor
# takes the VT-d unit and emulates Linux's interrupt remapping, so the
# cell's DMA goes through the hypervisor's tables as on qemu.
. /cellvisor/tests/lib/guest.sh

machine_configs
BDF=0000:00:04.0
EDU=/sys/bus/pci/devices/$BDF
MOD=/cellvisor/tests/modules/cvtest_edu.ko
PCICELL=configs/x86/pci-edu-qemu.yaml
PCI=inmates/tests/pci.bin
NONE=/tmp/qemu-svm-dma-none.yaml
DMA_BUF=0x3b000000
WARNING="warning: cell 'pci-edu' gets PCI devices, but the system config says dma-isolation: none"

cleanup() {
	cellctl destroy pci-edu >/dev/null 2>&1
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	rmmod cvtest_edu 2>/dev/null
	return 0
}
trap cleanup EXIT

state_is() { cellctl list | grep -Eq "pci-edu +$1"; }
driver_is() { [ "$(basename "$(readlink $EDU/driver 2>/dev/null)")" = "$1" ]; }
# The first 4 bytes of edu's config space as Linux reads them (sysfs).
config_id() { od -An -tx1 -N4 $EDU/config | tr -d ' \n'; }
edu_said_ok() { dmesg | grep -q 'cvtest_edu: ok id factorial dma msi$'; }
isolating() { cellctl console | grep -q 'DMA remapping on'; }

# cvtest_edu's self test, fresh: insmod (or a rebind), then its one line.
edu_works() {
	check "$1: cvtest_edu says ok" wait_until 10 edu_said_ok
	check_fails "$1: and no FAIL" sh -c "dmesg | grep -q 'cvtest_edu: FAIL'"
	check "$1: edu is bound to cvtest_edu" driver_is cvtest_edu
}

# The PCI inmate in the cell, with ARGS after dma_buf=.
run_inmate() {
	check "the PCI inmate loads ($1)" cellctl load pci-edu $PCI \
		--string "dma_buf=$DMA_BUF $1@0x1000"
	check "and starts" cellctl start pci-edu
}

# ---- Linux has edu ----
check "edu is at $BDF" grep -qx 0x11e8 $EDU/device
check "no driver has it yet" test ! -e $EDU/driver
dmesg -c >/dev/null
check "cvtest_edu.ko loads" insmod $MOD
edu_works "before"

# ---- dma-isolation: none ----
awk '{ print } /^platform:/ { print "  dma-isolation: none" }' $SYS >$NONE
check "the generated system config says dma-isolation: none" \
	grep -qx '  dma-isolation: none' $NONE
run cellctl config check $NONE $PCICELL
check_rc "config check accepts the cell with dma-isolation: none" 0
check_out "and warns that its devices can DMA anywhere" "$WARNING"

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable (dma-isolation: none) succeeds" cellctl enable $NONE
dmesg -c >/dev/null
run cellctl create $PCICELL
check_rc "the cell with edu is created" 0
check_out "create warns too, against the running system config" "$WARNING"
if ! isolating; then
	run cellctl console
	check_out "the hypervisor says edu can DMA anywhere" \
		"cell 'pci-edu': PCI device 00:04.0 can DMA anywhere in memory"
fi
check "Linux has no driver on edu" test ! -e $EDU/driver
check_fails "cvtest_edu did not bind it again" \
	sh -c "dmesg | grep -q 'cvtest_edu: ok'"
run config_id
check_out "the root reads edu's config space as all ones" '^ffffffff$'

run_inmate ""
check "the inmate ends itself" wait_until 10 state_is exited
run cellctl list
check_out "with status 0" 'pci-edu +exited .*exited with status 0$'
run cellctl console
check_out "the cell uses mechanism 1" '\[pci-edu\] pci: ports 0xcf8/0xcfc$'
check_out "it finds edu" '\[pci-edu\] pci: 00:04.0 1234:11e8 class 0x00ff00$'
check_out "and no other function" '\[pci-edu\] pci: 1 functions$'
check_out "edu's BAR at its physical address" \
	'\[pci-edu\] pci: edu at 00:04.0, BAR0 0x0*fea00000$'
check_out "its MSI goes to the cell's CPU" \
	'\[pci-edu\] pci: edu MSI to APIC ID [1-9][0-9]*, vector 0x40$'
check_out "and arrives once" \
	'\[pci-edu\] pci: edu MSI: 1 interrupts, status 0x5a$'
check_out "edu works in the cell" '\[pci-edu\] pci: edu PASS$'
check_out "DMA through edu's buffer, an MSI each way" \
	"\[pci-edu\] pci: edu DMA: 256 bytes RAM $DMA_BUF -> edu -> RAM 0x3b001000, 2 MSIs\$"
check_out "the data came back" '\[pci-edu\] pci: edu DMA PASS$'
check_out "at its first start edu had bus mastering and MSI off" \
	'\[pci-edu\] pci: edu at start: command 0x0[0-9a-f]{3}, bus master off, MSI off$'
check_fails "nothing FAILED" sh -c "cellctl console | grep -q 'FAILED'"
run config_id
check_out "the root still reads all ones" '^ffffffff$'
check "the cell shuts down" cellctl shutdown pci-edu

# ---- each start resets edu ----
# The inmate ends with edu's bus mastering and MSI left on; started again
# (no shutdown in between, which would quiesce edu), it must find both
# off: the hypervisor resets the cell's devices at every start (edu has
# no FLR: bus mastering, MSI and INTx off, BARs and decode restored).
run_inmate "keep_on=1"
check "the inmate that leaves edu on ends itself" wait_until 10 state_is exited
last_start() { cellctl console | grep 'pci: edu at start' | tail -n 1; }
starts() { cellctl console | grep -c 'pci: edu at start'; }
n=$(starts)
check "the exited cell starts again" cellctl start pci-edu
check "and ends again" wait_until 10 state_is exited
check "the second run said how it found edu" test "$(starts)" -gt "$n"
run last_start
check_out "it found bus mastering and MSI off" \
	'bus master off, MSI off$'
check_out "and memory decode on (its BAR restored)" \
	'command 0x0[0-9a-f][0-9a-f][2367abef],'
run cellctl list
check_out "and it worked again" 'pci-edu +exited .*exited with status 0$'
check "the cell shuts down" cellctl shutdown pci-edu

# An MSI aimed at the root's CPU 0 (APIC ID 0): the config write that
# would send it is refused and the cell stopped.
run_inmate "hostile=msi msi_dest=0"
check "the hostile MSI stops the cell" wait_until 10 state_is failed
run cellctl list
check_out "with the hypervisor's reason" \
	'pci-edu +failed .*PCI 00:04.0 0x4[0-9a-f] write \(RIP 0x[0-9a-f]+\): MSI destination is not a CPU of the cell$'
check_fails "it never said SURVIVED" \
	sh -c "cellctl console | grep -q 'pci: hostile: SURVIVED'"

# ---- Linux gets edu back ----
dmesg -c >/dev/null
check "the cell is destroyed" cellctl destroy pci-edu
run config_id
check_out "the root reads edu's IDs again" '^3412e811$'
edu_works "after destroy, rebound by the driver core"
check "cvtest_edu.ko unloads" rmmod cvtest_edu
check "which leaves edu without a driver" test ! -e $EDU/driver
dmesg -c >/dev/null
check "cvtest_edu.ko loads again" insmod $MOD
edu_works "after insmod"
check "disable" cellctl disable

# ---- the same system config without dma-isolation: none ----
check "cellctl enable (dma-isolation: iommu, the default) succeeds" \
	cellctl enable $SYS
run cellctl create $PCICELL
if isolating; then
	check_rc "with DMA remapping on, the cell is created" 0
	check_fails "without a warning" \
		sh -c "echo \"\$OUT\" | grep -q 'dma-isolation: none'"
	run_inmate ""
	check "the inmate ends itself" wait_until 10 state_is exited
	run cellctl console
	check_out "DMA through the IOMMU works" '\[pci-edu\] pci: edu DMA PASS$'
	# With interrupt remapping (iommu.md) the cell's MSI goes through
	# an entry of its own: edu holds a remappable address (bit 4), which
	# QEMU delivers only through a present entry, and the cell's MSI
	# arrived above.
	check_out "interrupt remapping is on" \
		'^Cellvisor: interrupt remapping on '
	check_out "the cell's MSI went through a remapping entry" \
		"^Cellvisor: cell 'pci-edu': PCI 00:04\.0: MSI remapped through entry [0-9]+ \(device holds address 0xfee[0-9a-f]*[13579bdf][0-9a-f]\)$"
	check "the cell is destroyed" cellctl destroy pci-edu
else
	check "without an IOMMU the cell is refused" test "$RC" -ne 0
	check_fails "cellctl said no warning" \
		sh -c "echo \"\$OUT\" | grep -q 'dma-isolation: none ('"
	run sh -c "dmesg; cellctl console"
	check_out "with the reason" \
		"PCI devices need DMA isolation, which no IOMMU gives yet: accept the risk with 'dma-isolation: none'"
	check "no cell was left" test "$(cells_besides_root)" -eq 0
fi
check "edu is still Linux's" driver_is cvtest_edu
check "disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
check "cvtest_edu.ko unloads" rmmod cvtest_edu
done_checks
