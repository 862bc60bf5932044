# The root's raw writes to a bridge above a cell's device, through both
# paths, where the bridge's ECAM page is the pci-bridge-held model's
# (hypervisor/pci_bridge.c): an edu behind QEMU's conventional
# pci-bridge at 00:08.0 with MSI and SHPC off (no MSI, so no other model
# traps its page). A requester-ID alias: the cell gets it only under
# dma-isolation: none (a warning), and the bridge is held all the same.
# tests/modules/cvtest_cfg writes 0 into the bridge's command and memory
# window (its "BAR 4", 0x20) through 0xcf8/0xcfc and through a raw ECAM
# mapping: both keep their values while the cell exists, and reach the
# bridge after destroy.
# emulators: qemu
# (tests/system/run splits the options at spaces: one QEMU word each)
# vm-run: --qemu-args -device --qemu-args pci-bridge,id=pb,addr=8,chassis_nr=8,msi=off,shpc=off --qemu-args -device --qemu-args edu,bus=pb,addr=1,dma_mask=0xffffffffffffffff
. /cellvisor/tests/lib/guest.sh

machine_configs
PCICELL=configs/x86/pci-edu-qemu.yaml
CELL=/tmp/pci-bridge-held-ecam.yaml
NONE=/tmp/pci-bridge-held-none.yaml
CFG=/cellvisor/tests/modules/cvtest_cfg.ko
ECAM=0xb0000000		# q35's MMCONFIG, platform.pci.mmconfig of $SYS
BRIDGE=/sys/bus/pci/devices/0000:00:08.0

cleanup() {
	cellctl destroy pci-edu >/dev/null 2>&1
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	rmmod cvtest_cfg 2>/dev/null
	return 0
}
trap cleanup EXIT

# attack: cvtest_cfg writes command and memory window of 00:08.0 through
# both paths; its lines in $CFG_OUT.
attack() {
	dmesg -c >/dev/null
	insmod $CFG bus=0 dev=8 fn=0 ecam=$ECAM attack=1 bar=4 bar_val=0 \
		msi=0xf0 || return 1
	rmmod cvtest_cfg
	CFG_OUT=$(dmesg | grep 'cvtest_cfg:')
	printf "%s\n" "$CFG_OUT" | sed 's/^/  | /'
}
# line PATH: cvtest_cfg's line for PATH after the attack.
line() { printf "%s\n" "$CFG_OUT" | grep "cvtest_cfg: $1 00:08.0 after attack"; }

EDU=$(ls -d $BRIDGE/0000:*:*.0 | head -1)
BDF=$(basename "$EDU" | cut -c6-)
check "an edu sits behind the bridge ($BDF)" grep -qx 0x11e8 "$EDU/device"
CMD=$(od -An -tx2 -j 4 -N2 $BRIDGE/config | tr -d ' ')
WIN=$(od -An -tx4 -j 32 -N4 $BRIDGE/config | tr -d ' ')
bar=$(awk 'NR == 1 { print $1 }' "$EDU/resource")
sed -e "s/bdf: 00:04.0/bdf: $BDF/" -e "s/base: 0xfea00000/base: $bar/" \
	$PCICELL >$CELL
awk '{ print } /^platform:/ { print "  dma-isolation: none" }' $SYS >$NONE
check "the configs (dma-isolation: none)" grep -q "bdf: $BDF" $CELL

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $NONE
run cellctl create $CELL
check_rc "the cell with the edu behind the bridge is created" 0
check "cvtest_cfg attacks the bridge" attack
DEC=$(printf %x $((0x$CMD & 7)))
check "Linux has the bridge's decode on (command 0x$CMD)" test "$DEC" != 0
run line cf8
check_out "through 0xcf8/0xcfc the decode bits and the window stay" \
	"cmd 0x[0-9a-f]{7}$DEC bar4 0x$WIN "
run line ecam
check_out "through ECAM too" "cmd 0x[0-9a-f]{7}$DEC bar4 0x$WIN "
run cellctl console
check_out "the console names the memory window" \
	"root cell: PCI 00:08.0 0x20 write kept from the memory window"
check_out "and the command" \
	"root cell: PCI 00:08.0 0x04 write kept from the command"

check "the cell is destroyed" cellctl destroy pci-edu
check "cvtest_cfg attacks the bridge again" attack
run line ecam
check_out "now the writes reach it" "cmd 0x[0-9a-f]{7}0 bar4 0x00000000 "
# Linux's values back, for the rest of the boot (a dword at 0x20, a word
# at 0x04, little-endian).
put() {
	local v=$3 i s=""
	for i in $(seq 1 "$2"); do
		s="$s\\$(printf %03o $((v & 0xff)))"
		v=$((v >> 8))
	done
	printf "$s" | dd of=$BRIDGE/config bs="$2" seek=$(($1 / $2)) count=1 \
		conv=notrunc 2>/dev/null
}
put 0x20 4 0x$WIN
put 0x04 2 0x$CMD
check "Linux's window is back" test "$(od -An -tx4 -j 32 -N4 $BRIDGE/config | tr -d ' ')" = "$WIN"
check "cellctl disable" cellctl disable
done_checks
