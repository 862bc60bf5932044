# VT-d DMA remapping: after enable the root's edu still DMAs into root RAM, but not into hypervisor or cell memory (fault reported, target intact); after disable the unit is Linux's again.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

# The qemu machine has an intel-iommu that Linux leaves alone
# (intel_iommu=off intremap=off, scripts/vm-run) and QEMU's edu device at
# 00:04.0; cvtest_edu.ko drives edu from the root: a self test through the
# DMA API (into root RAM), and with dma_to=PHYS a raw DMA write of 64
# bytes of 0x5a to PHYS, as an attacker would.
machine_configs
EDU=/cellvisor/tests/modules/cvtest_edu.ko
HV_MEM=0x30000000	# the hypervisor image (configs/x86/qemu-svm.yaml)
CELL_MEM=0x32000000	# hello's RAM: the first page of the cell pool
SELFTEST='cvtest_edu: ok id factorial dma msi'

# edu_run [ARGS]: load cvtest_edu with ARGS, keep its kernel lines in
# $OUT, unload it.
edu_run() {
	dmesg -c >/dev/null
	insmod $EDU "$@"
	OUT=$(dmesg | grep cvtest_edu)
	rmmod cvtest_edu
	printf '%s\n' "$OUT"
}

# count PATTERN: hypervisor console lines matching PATTERN (grep -E).
count() { cellctl console | grep -Ec -- "$1"; }
at_least() { [ "$(count "$2")" -ge "$1" ]; }

check "cvtest_edu.ko is in the guest" test -f $EDU
check "cellvisor.ko loads" insmod cellvisor.ko
edu_run
check_out "natively: edu's self test passes" "$SELFTEST"
check "cellctl enable succeeds" cellctl enable $SYS
run cellctl console
check_out "the hypervisor turned DMA remapping on" \
	"^Cellvisor: VT-d unit at 0xfed90000: DMA remapping on"
check "no line says DMA is not isolated" test "$(count 'NOT isolated')" -eq 0

# The root's own DMA, through the root's domain.
edu_run
check_out "under the hypervisor: edu's self test passes (DMA into root RAM)" \
	"$SELFTEST"

# Hypervisor memory: not in the root's domain.
edu_run dma_to=$HV_MEM
check_out "edu's DMA to hypervisor memory was issued" \
	"cvtest_edu: dma to $HV_MEM done"
check "the unit blocked it and the console names the root cell and edu" \
	wait_until 10 at_least 1 \
	"^Cellvisor: ERROR: root cell: DMA write to $HV_MEM blocked \(device 00:04\.0, reason 5: "
check "the hypervisor still answers" cellctl list

# A cell's memory: hello's entry code at guest 0 is the first page of
# the pool.  Overwritten, the cell would not print its greeting.
sed "s/^    guest: 0x0 .*/&\n    phys: $CELL_MEM/" $CELL >/tmp/hello-at.yaml
check "hello's RAM is placed at $CELL_MEM" grep -q "phys: $CELL_MEM" /tmp/hello-at.yaml
check "cellctl create hello succeeds" cellctl create -s $SYS /tmp/hello-at.yaml
check "hello loads" cellctl load hello inmates/demos/hello.bin
edu_run dma_to=$CELL_MEM
check_out "edu's DMA into the cell's memory was issued" \
	"cvtest_edu: dma to $CELL_MEM done"
check "the unit blocked it, attributed to the root cell" \
	wait_until 10 at_least 1 \
	"^Cellvisor: ERROR: root cell: DMA write to $CELL_MEM blocked \(device 00:04\.0, reason 5: "
check "hello starts" cellctl start hello
check "its code survived: it prints its greeting" \
	wait_until 20 at_least 1 '^\[hello\] Hello from Cellvisor inmate$'
edu_run
check_out "the root's edu still works with a cell running" "$SELFTEST"
check "cellctl destroy hello" cellctl destroy hello
edu_run
check_out "and after the cell is gone" "$SELFTEST"

check "cellctl disable succeeds" cellctl disable
edu_run
check_out "after disable: edu's self test passes (unit off)" "$SELFTEST"
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
