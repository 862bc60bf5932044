# The comm page: an inmate reads its cell's id, state, TSC and APIC kHz and
# CPU count there and answers shutdown requests. One that agrees stops at
# once; one that refuses keeps running and leaves the machine as it was
# (shutdown fails with EAGAIN and says what to do), and destroy still stops
# it; one that ignores the page is stopped when the hypervisor's wait ends.
# emulators: qemu qemu-x2apic
# vm-run: --cpus 3
. /cellvisor/tests/lib/guest.sh
APIC=$(apic_mode)

# The QEMU system config with CPUs 0-2 in the root cell and the clock rates
# the comm page passes on.
SYS=/tmp/qemu-svm-comm.yaml
sed 's/^  cpus: 0-1/  cpus: 0-2/' configs/x86/qemu-svm.yaml |
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in "  apic-mode: "*)
			printf '  tsc-khz: 2000000\n  apic-khz: 1000000\n' ;;
		esac
	done > $SYS
{
	cell_yaml comm 1-2 1M@0x32000000
	printf '  - name: comm\n    comm-page: true\n    guest: 0x100000\n'
} > /tmp/comm.yaml
CV=/sys/class/misc/cellvisor
PAGE=comm_page=0x100000
ONLINE0=$(cat /sys/devices/system/cpu/online)

# The whole hypervisor console goes to a file (the ring holds only 8 KiB);
# mark remembers its length, since prints what came after the mark.
CONSOLE=/tmp/console
mark() { MARK=$(stat -c %s $CONSOLE); }
since() { tail -c +$((MARK + 1)) $CONSOLE; }
# wait_for WHAT PATTERN: a console line after the mark matches PATTERN.
wait_for() {
	local i=0
	while ! since | grep -Eq -- "$2" && [ $i -lt 30 ]; do
		sleep 1
		i=$((i + 1))
	done
	since | grep -Eq -- "$2" && ok "$1" ||
		not_ok "$1 (no console line matches /$2/ in 30 s)"
}
# not_seen WHAT PATTERN: no such line after the mark, now. Wait for a
# later line first: the file follows the ring every 200 ms.
not_seen() {
	since | grep -Eq -- "$2" && not_ok "$1 (a console line matches /$2/)" ||
		ok "$1"
}
# run_cell ARGS: load the comm inmate with ARGS and start it.
run_cell() {
	mark
	check "comm loads ($1)" cellctl load comm inmates/tests/comm.bin \
		--string "$1@0x1000"
	check "comm starts ($1)" cellctl start comm
}
# timed CMD...: run CMD and say how long it took (information only: the
# emulator's speed varies too much for a check).
timed() {
	local t0 t1 rc
	t0=$(cut -d' ' -f1 /proc/uptime)
	"$@"
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "  | $* took $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }') s"
	return $rc
}
state_is() { cellctl list | grep -Eq "^[0-9]+ +comm +$1 "; }
root_reads_zeros() {
	dd if=/dev/mem bs=4096 skip=$((0x32000)) count=1 of=/tmp/seen \
		2>/dev/null && cmp -s /tmp/seen /tmp/zeros
}
dd if=/dev/zero bs=4096 count=1 of=/tmp/zeros 2>/dev/null

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
cellctl console -f > $CONSOLE 2>&1 &
FOLLOW=$!
# The first cell costs the pool some pages for good (cells.md, "Destroy").
check "a first cell comes and goes" sh -c \
	"cellctl create -s $SYS /tmp/comm.yaml && cellctl destroy comm"
pool0=$(cat $CV/pool_free)
check "the comm cell is created" cellctl create -s $SYS /tmp/comm.yaml
ID=$(cellctl list | awk '$2 == "comm" { print $1 }')
check "it has an id ($ID)" test -n "$ID"

# --- what the inmate sees, and an inmate that agrees -------------------------
run_cell "$PAGE"
wait_for "the inmate reads id, state, TSC and APIC kHz and CPU count" \
	"comm: cell $ID, state running, TSC 2000000 kHz, APIC 1000000 kHz, 2 CPUs"
wait_for "tsc_khz() takes the comm page's value" \
	'comm: tsc_khz\(\) 2000000 \(comm page\)'
wait_for "apic_timer_khz() takes the comm page's value" \
	'comm: apic_timer_khz\(\) 1000000([^0-9]|$)'
check "the cell runs" state_is running
check "shutdown of an agreeing cell succeeds" timed cellctl shutdown comm
check "it is shut down, not failed" state_is "shut down"
wait_for "the inmate was asked once and agreed" \
	'comm: agreeing to shutdown request 1'
wait_for "the hypervisor took the agreement" "cell 'comm' agreed to shut down"
wait_for "and stopped the cell" "cell 'comm' shut down"
not_seen "without waiting for its time to run out" "did not answer"

# --- without comm_page=, the inmate asks the hypervisor where the page is ---
run_cell "deny=0"
wait_for "the inmate found its comm page by asking the hypervisor" \
	"comm: cell $ID, state running, TSC 2000000 kHz"
check "shutdown of that cell succeeds" cellctl shutdown comm
wait_for "it answered through the page it found" \
	"cell 'comm' agreed to shut down"

# --- the hello demo agrees too --------------------------------------------------
mark
check "hello loads with the comm page" cellctl load comm \
	inmates/demos/hello.bin --string "$PAGE@0x1000"
check "hello starts" cellctl start comm
wait_for "hello waits for the request" 'hello: waiting for shutdown \(comm page\)'
check "hello shuts down" cellctl shutdown comm
wait_for "hello agreed" "cell 'comm' agreed to shut down"

# --- an interrupt-driven inmate finishes its report, then agrees ---------------
mark
check "latency loads with the comm page" cellctl load comm \
	inmates/demos/latency.bin \
	--string "$PAGE xapic period_us=1000 report_ms=100@0x1000"
check "latency starts" cellctl start comm
# The cell's APIC is in the root's mode: x2APIC under qemu-x2apic.
wait_for "latency takes both rates from the comm page" \
	"latency: TSC 2000000 kHz \\(comm page\\), ${APIC%apic}APIC, timer one-shot at 1000000 kHz"
wait_for "latency runs" 'latency: window: 100 samples'
check "latency shuts down" cellctl shutdown comm
wait_for "latency printed its total first" 'latency: done, [0-9]+ overruns'
wait_for "and then agreed" "cell 'comm' agreed to shut down"

# --- an inmate that refuses ----------------------------------------------------
run_cell "$PAGE deny=2"
wait_for "a restarted cell finds its comm page filled again" \
	"comm: cell $ID, state running, TSC 2000000 kHz"
wait_for "with no request or answer left over from the last shutdown" \
	'comm: msg_to_cell 0, reply_from_cell 0'
list0=$(cellctl list)
pool1=$(cat $CV/pool_free)
run cellctl shutdown comm
check_rc "the first shutdown is refused" 1
check_out "cellctl says the cell refused, and what to do" \
	"^cellctl: shutdown failed: Resource temporarily unavailable \(the cell refused to shut down and still runs: .*'cellctl destroy NAME' stops it without asking\)\$"
wait_for "the inmate denied the request" \
	'comm: denying shutdown request 1'
wait_for "the hypervisor console names the refusal" \
	"cell 'comm' refused to shut down \(comm page\)"
check "the cell still runs" state_is running
check "cellctl list is unchanged" test "$(cellctl list)" = "$list0"
check "the pool is unchanged" test "$(cat $CV/pool_free)" -eq "$pool1"
check "CPUs 1-2 stay with the cell" sh -c \
	'for c in 1 2; do grep -qx 0 /sys/devices/system/cpu/cpu$c/online || exit 1; done'
check "the root still reads zeros from the cell's memory" root_reads_zeros
not_seen "the cell did not fail" 'FAILED'
run cellctl shutdown comm
check_rc "a second shutdown is refused too" 1
wait_for "the inmate, still running, answered the new request" \
	'comm: denying shutdown request 2'
check "the cell still runs after two refusals" state_is running
check "the third shutdown succeeds" cellctl shutdown comm
wait_for "the inmate agreed to the third request" \
	'comm: agreeing to shutdown request 3'
check "the cell is shut down" state_is "shut down"
check_fails "the root sees the cell's memory again" root_reads_zeros

# --- an inmate that ignores the page ---------------------------------------------
run_cell "$PAGE ignore"
wait_for "the inmate runs and ignores the page" \
	'comm: ignoring shutdown requests'
check "shutdown of an ignoring cell succeeds" timed cellctl shutdown comm
check "it is shut down" state_is "shut down"
wait_for "after the hypervisor's wait ran out" \
	"cell 'comm' did not answer the shutdown request: stopping it"
not_seen "the inmate never answered" 'comm: (denying|agreeing)'

# --- destroy does not ask --------------------------------------------------------
run_cell "$PAGE deny=1000"
wait_for "a refusing inmate runs" "comm: cell $ID, state running"
run cellctl shutdown comm
check_rc "its shutdown is refused" 1
wait_for "by the inmate" 'comm: denying shutdown request 1'
check "destroy stops the refusing cell" cellctl destroy comm
wait_for "the hypervisor destroyed it" "cell 'comm' destroyed"
not_seen "without asking it" 'shutdown request 2'
check "no cell is left" test "$(cells_besides_root)" -eq 0
check "CPUs 1-2 are online again" sh -c \
	'for c in 1 2; do grep -qx 1 /sys/devices/system/cpu/cpu$c/online || exit 1; done'
check "the pool has all its pages back ($pool0)" \
	test "$(cat $CV/pool_free)" -eq "$pool0"

kill $FOLLOW
wait $FOLLOW 2>/dev/null
check "disable works" cellctl disable

# --- a config without tsc-khz: the comm page has Linux's TSC rate ------------
# (the driver passes the rate Linux calibrated; /proc/cpuinfo's "cpu MHz"
# is cpu_khz, which the refined TSC calibration may move by under 1 %).
sed 's/^  cpus: 0-1/  cpus: 0-2/' configs/x86/qemu-svm.yaml > /tmp/qemu-svm-3.yaml
check "enable with a config that gives no TSC rate" \
	cellctl enable /tmp/qemu-svm-3.yaml
cellctl console -f > $CONSOLE 2>&1 &
FOLLOW=$!
check "the comm cell is created again" \
	cellctl create -s /tmp/qemu-svm-3.yaml /tmp/comm.yaml
run_cell "$PAGE"
wait_for "the inmate reads a TSC rate and no APIC rate" \
	"comm: cell [0-9]+, state running, TSC [1-9][0-9]* kHz, APIC 0 kHz"
COMM_KHZ=$(since | sed -n 's/.*comm: cell .*, TSC \([0-9]*\) kHz.*/\1/p' | head -n 1)
LINUX_KHZ=$(awk '/^cpu MHz/ { printf "%d", $4 * 1000; exit }' /proc/cpuinfo)
check "it is Linux's ($COMM_KHZ kHz on the page, Linux says $LINUX_KHZ)" \
	test $(((COMM_KHZ - LINUX_KHZ) * 100 / LINUX_KHZ)) -eq 0
wait_for "tsc_khz() takes it from the comm page" \
	"comm: tsc_khz\(\) $COMM_KHZ \(comm page\)"
check "the comm cell is destroyed" cellctl destroy comm
kill $FOLLOW
wait $FOLLOW 2>/dev/null
check "disable works again" cellctl disable
check_unchanged "after the comm cells" "$ONLINE0"
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
