# A cell region in memory Linux uses as System RAM is refused at create, and nothing changes.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

# Issue 10: a cell with 'phys:' inside the root cell's RAM passed 'config
# check' and 'create', and loading it crashed the root kernel. Both
# machines boot with memmap=0xc000000$0x30000000: 0x20000000 lies in the
# root's ram-low, which Linux uses; the cell pool (0x32000000) does not.
machine_configs
CV=/sys/class/misc/cellvisor
CPU1=/sys/devices/system/cpu/cpu1/online
RAM=0x20000000

# in_system_ram ADDR: /proc/iomem lists ADDR as System RAM.
in_system_ram() {
	local range sep name
	while read -r range sep name; do
		[ "$name" = "System RAM" ] || continue
		[ $((0x${range%-*})) -le $(($1)) ] &&
			[ $(($1)) -le $((0x${range#*-})) ] && return 0
	done </proc/iomem
	return 1
}

# cell_at FILE FLAGS: a one-CPU cell whose RAM is at $RAM, with FLAGS.
cell_at() {
	cat >"$1" <<EOF
kind: cell
name: inram
cpus: 1
memory:
  - name: ram
    phys: $RAM
    guest: 0x0
    size: 1M
    loadable: true
$2
EOF
}

check "$RAM is System RAM in this guest (/proc/iomem)" in_system_ram $RAM
check_fails "the cell pool is not" in_system_ram 0x32000000

cell_at /tmp/inram.yaml ""
run cellctl config check $SYS /tmp/inram.yaml
check_rc "config check passes (a warning is not an error)" 0
check_out "but warns that the region is this machine's System RAM" \
	"inram.yaml:6:11: warning: region 'ram' \(0x20000000-0x200fffff\) is System RAM that Linux uses on this machine"
check_out "and what to do" 'reserve the range with memmap=0x100000\$0x20000000'
no_ram_warning() { ! printf '%s\n' "$OUT" | grep -q 'System RAM'; }
run cellctl config check $SYS $CELL
check "a cell in the pool gets no such warning" no_ram_warning

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
pool0=$(cat $CV/pool_free)
pool1=

# The same region plain, shared (stays mapped in Linux, written by the
# cell all the same) and flagged io (the config's claim, not the kernel's).
for variant in plain shared io; do
	case $variant in
	plain) cell_at /tmp/inram.yaml "" ;;
	shared) cell_at /tmp/inram.yaml "    shared: true" ;;
	io) cell_at /tmp/inram.yaml "    access: [read, write, execute, io]" ;;
	esac
	dmesg -c >/dev/null
	run cellctl create -s $SYS /tmp/inram.yaml
	check_rc "$variant: create of a cell in System RAM is refused" 1
	check_out "$variant: cellctl says why and what to do" \
		'create failed: Address already in use \(a memory region of the cell is System RAM that Linux uses: put it in the memmap= reserved region or reserve its range with memmap=; dmesg names it\)'
	run dmesg
	check_out "$variant: dmesg names the region and the RAM in it" \
		"cell 'inram' refused, nothing was changed: its region 'ram' 0x20000000-0x200fffff overlaps System RAM that Linux uses, at 0x20000000-0x200fffff \(see /proc/iomem\)"
	check_out "$variant: and what to do" \
		'reserve the range with memmap=0x100000\$0x20000000 and reboot'
	check "$variant: CPU 1 is still online" grep -qx 1 $CPU1
	check "$variant: no cell exists" sh -c "test \$(cellctl list | wc -l) -eq 1"
	# The hypervisor's first look at a cell blob may keep page-table
	# pages (as the first create does); later refusals keep nothing.
	if [ -z "$pool1" ]; then
		pool1=$(cat $CV/pool_free)
		echo "pool: $pool0 free pages after enable, $pool1 after the first refusal"
	else
		check "$variant: the hypervisor's pool is untouched" \
			test "$(cat $CV/pool_free)" = "$pool1"
	fi
done
rm -f /tmp/inram.yaml

check "Linux still runs work on CPU 1" taskset -c 1 sh -c 'i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); done'
# The rule takes only Linux's RAM: the pool, memmap= reserved, still goes.
check "a cell in the pool is still created" cellctl create -s $SYS $CELL
check "and destroyed" cellctl destroy hello
check "CPU 1 is online again" grep -qx 1 $CPU1
check "disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
