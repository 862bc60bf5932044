# Debian's memtest86+ (6.10, /boot/memtest86+x64.bin of the package that
# scripts/install-deps installs) runs in a cell: cellctl loads it through
# the Linux boot protocol, it prints its screen on the cell's COM1 and
# tests the cell's RAM. The ports it probes (floppy motor, PCI
# configuration space, PIT channel 2 with port 0x61 for its TSC
# calibration, keyboard controller, VGA cursor) are the pc-legacy device
# model's (configs/x86/memtest-*.yaml); anything else would stop the cell
# with the port, MSR or address named. QEMU: its banner, then its tests
# under way (the moving-inversions tests, #3 on); Bochs, slower: its first
# test under way. No memory errors: the e820 map reserves the PC's legacy
# hole 0xa0000-0xfffff, so memtest does not test the VGA text buffer it
# writes its screen to.
# Afterwards the root has its CPU back and runs processes.
# emulators: qemu qemu-x2apic bochs
# vm-run: --add-kernel --add /boot/memtest86+x64.bin
. /cellvisor/tests/lib/guest.sh

machine_configs
MEMTEST=/cellvisor/memtest86+x64.bin
CONSOLE=/tmp/memtest-console
if [ "$EMU" = bochs ]; then
	CELL=configs/x86/memtest-bochs.yaml
	# Bochs runs memtest's first test over 16M in minutes.
	SHOWN='Address test, walking ones'
	BANNER_WAIT=600
	WAIT=1500
else
	CELL=configs/x86/memtest-qemu.yaml
	# Tests #3 to #6: the three address tests are done.
	SHOWN='Moving inversions'
	BANNER_WAIT=120
	WAIT=300
fi

# screen: memtest's output as it wrote it: the console shows it in lines of
# at most 120 characters (ESC as ^[), the later pieces marked "[memtest]+ ";
# joined again, a word split between two pieces matches too. memtest only
# sends what changed on its screen, so "#1" may show as just "1": match the
# names of the tests.
# Only the first and the last 16 KiB: memtest redraws its screen without
# end, and a poll that read the whole growing file took minutes on a
# loaded Bochs (the banner is at the start, the running test at the end).
screen() {
	{ head -c 16384 $CONSOLE; echo; tail -c 16384 $CONSOLE; } |
		sed -n 's/^\[memtest\]+\{0,1\} //p' | tr -d '\n'
}
shows() { screen | grep -Eq -- "$1"; }
failed() { cellctl list | grep -Eq '^[0-9]+ +memtest +failed'; }
# shown_or_failed PATTERN: no point in waiting once the cell has stopped.
shown_or_failed() { shows "$1" || failed; }
# report: what stopped memtest, in the log (the reason names the port,
# MSR or address, and the RIP).
report() {
	cellctl list | sed 's/^/# /'
	grep -E 'FAILED|memtest' $CONSOLE | grep -v '^\[memtest\]' | sed 's/^/# /'
}

check "memtest86+ is there (scripts/install-deps installs it)" test -s $MEMTEST
check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
cellctl console -f > $CONSOLE 2>&1 &
FOLLOW=$!
check "the memtest cell (pc-legacy) is created" cellctl create -s $SYS $CELL
run cellctl load memtest $MEMTEST --cmdline "console=ttyS0,115200"
check_rc "memtest86+ loads through the Linux boot protocol" 0
check_out "at 1 MiB, with a zero page" \
	"^cell 'memtest': Linux kernel loaded, 32-bit entry 0x100000, zero page at 0x[0-9a-f]+000$"
check "the cell starts" cellctl start memtest

wait_until $BANNER_WAIT shown_or_failed 'Memtest86\+ v6'
failed && report
check "memtest prints its banner on COM1" shows 'Memtest86\+ v6'
wait_until $WAIT shown_or_failed "$SHOWN"
failed && report
check "its tests are under way (/$SHOWN/)" shows "$SHOWN"
run cellctl list
check_out "the cell has not failed" '^[0-9]+ +memtest +running'
check "no error found in the cell's RAM" shows 'Errors: +0'
check_fails "and memtest has not counted one" shows 'Errors: +[1-9]'
check_fails "nothing FAILED on the console" grep -q FAILED $CONSOLE

check "the cell is destroyed" cellctl destroy memtest
kill $FOLLOW
check "its CPU is back in Linux" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "and runs processes" taskset -c 1 true
check "cellctl disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
