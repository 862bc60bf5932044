# A cell's PCI device with Function Level Reset (QEMU's NVMe controller at
# 00:06.0, scripts/vm-run --nvme: FLR in its PCI Express capability) is
# reset at every start of the cell: the console says so each time, and
# the inmate (inmates/tests/pci.bin master_on=1), which turns bus
# mastering on and ends, finds it off at the next start (no shutdown in
# between), memory decode on and its BAR answering: the hypervisor put
# back what the FLR cleared.
# emulators: qemu
# vm-run: --nvme
. /cellvisor/tests/lib/guest.sh

machine_configs
CELL=/tmp/flr.yaml
DTB=/tmp/flr.dtb
PCI=inmates/tests/pci.bin
FN=/sys/bus/pci/devices/0000:00:06.0

cleanup() {
	cellctl destroy flr >/dev/null 2>&1
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	return 0
}
trap cleanup EXIT

{ cell_yaml flr 1 1M; printf 'pci-devices:\n  - bdf: 00:06.0\n'; } >$CELL

state_is() { cellctl list | grep -Eq "flr +$1"; }
flrs() { cellctl console | grep -c "cell 'flr': PCI 00:06.0: function level reset$"; }
# PCI Express Device Capabilities bit 28: the function has FLR.
has_flr() {
	local exp=$(od -An -tu1 -j 0x34 -N1 $FN/config | tr -d ' ') id
	while [ "$exp" -ge 64 ]; do
		id=$(od -An -tu1 -j "$exp" -N1 $FN/config | tr -d ' ')
		[ "$id" = 16 ] && break
		exp=$(od -An -tu1 -j $((exp + 1)) -N1 $FN/config | tr -d ' ')
	done
	[ "$id" = 16 ] || return 1
	[ $(($(od -An -tu4 -j $((exp + 4)) -N4 $FN/config) >> 28 & 1)) = 1 ]
}
# The inmate's line about 00:06.0 at its last start.
last_start() { cellctl console | grep '\[flr\] pci: 00:06.0 at start' | tail -n 1; }
start_once() {
	check "start $1" cellctl start flr
	check "run $1 ends (status 0)" wait_until 10 state_is exited
	check "the hypervisor reset the function before run $1" \
		test "$(flrs)" -eq "$1"
	run last_start
	check_out "run $1 finds bus mastering off, memory decode on" \
		'command 0x0[0-9a-f][0-9a-f][2367abef], bus master off,'
	check_out "and the BAR answering (NVMe version 1.x)" \
		'BAR0 register 8: 0x0001[0-9a-f]{4}$'
}

check "the NVMe controller is at 00:06.0 (vm-run --nvme)" \
	grep -qx 0x1b36 $FN/vendor
check "it has Function Level Reset" has_flr
check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable" cellctl enable $SYS
run cellctl config compile -s $SYS -p -o $DTB $CELL
check_rc "the cell config compiles, BARs read from sysfs" 0
check "the cell with the NVMe controller is created" cellctl create $DTB
check "pci.bin loads" cellctl load flr $PCI --string "master_on=1@0x1000"
start_once 1
start_once 2
check "the cell is destroyed" cellctl destroy flr
check "disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
