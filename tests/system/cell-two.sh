# Two cells at once on a 4-CPU machine: a 1-CPU hello cell and a 2-CPU SMP
# cell whose boot CPU starts the other with INIT/SIPI/SIPI; the root keeps
# CPU 0.  The SMP cell is restarted several times: each start races the
# second SIPI against the AP leaving its park, and each shutdown must stop
# both CPUs.
# vm-run: --cpus 4
. /cellvisor/tests/lib/guest.sh

machine_configs
# This machine's system config with all four CPUs in the root cell.
sed 's/^  cpus: 0-1/  cpus: 0-3/' $SYS > /tmp/system-4.yaml
SYS=/tmp/system-4.yaml
TSC_KHZ=$(awk '/^cpu MHz/ { printf "%d", $4 * 1000; exit }' /proc/cpuinfo)
cat > /tmp/one.yaml <<'YAML'
kind: cell
name: one
cpus: 1
memory:
  - name: ram
    phys: 0x32000000
    guest: 0x0
    size: 1M
    access: [read, write, execute]
    loadable: true
pio:
  - 0x2f8-0x2ff
YAML
cell_yaml two 2-3 1M@0x32100000 > /tmp/two.yaml
QUIET="console=0 tsc_khz=$TSC_KHZ"

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "cell one is created" cellctl create -s $SYS /tmp/one.yaml
check "cell two is created" cellctl create -s $SYS /tmp/two.yaml
check_fails "a third cell wanting CPU 2 is refused" \
	cellctl create -s $SYS /tmp/two.yaml
check "CPUs 1-3 are offline" sh -c 'for c in 1 2 3; do
	grep -qx 0 /sys/devices/system/cpu/cpu$c/online || exit 1; done'
check "hello loads into one" cellctl load one inmates/demos/hello.bin \
	--string "$QUIET@0x1000"
SMP_ARGS="tsc_khz=$TSC_KHZ cpus=2@0x1000"
check "smp loads into two" cellctl load two inmates/tests/smp.bin \
	--string "$SMP_ARGS"
check "one starts" cellctl start one
check "two starts" cellctl start two
run cellctl list
check "both cells run" sh -c "cellctl list | grep -Eq 'one +running' &&
	cellctl list | grep -Eq 'two +running'"
check "the second CPU of cell two was started by its first" \
	wait_until 30 sh -c "cellctl console | grep -q 'smp: CPU 1 (APIC ID 3'"
run cellctl stats two 0.1
check_out "its APIC exits are counted on CPU 3" '^apic +3 +[1-9]'
check "the root still runs processes on CPU 0" \
	taskset -c 0 sh -c 'i=0; while [ $i -lt 500 ]; do i=$((i+1)); done'
check "one is destroyed while two runs" cellctl destroy one
check "CPU 1 is back" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "two still runs" sh -c "cellctl list | grep -Eq 'two +running'"

# cellctl checks one cell file alone: only the hypervisor knows that this
# one's memory belongs to cell two. It must refuse, and change nothing.
sed -e 's/^name: two/name: three/' -e 's/^cpus: 2-3/cpus: 1/' /tmp/two.yaml \
	> /tmp/three.yaml
run cellctl create -s $SYS /tmp/three.yaml
check_rc "the hypervisor refuses memory that cell two owns" 1
check "the driver reports the refusal" \
	sh -c "dmesg | grep -q \"hypervisor refused cell 'three' (-17)\""
check "CPU 1 stays online after the refusal" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "two still runs after the refusal" \
	sh -c "cellctl list | grep -Eq 'two +running'"
# smp prints on the hypervisor console: one PASS per start of cell two.
passes() { [ "$(cellctl console | grep -c 'smp: PASS')" -ge "$1" ]; }
wait_passes() { wait_until 30 passes "$1"; }
check "both CPUs of two came up and took their breakpoints" wait_passes 1
# Three restarts under QEMU, one under Bochs (a 4-CPU Bochs is slow).
[ "$EMU" = qemu ] && ROUNDS="2 3 4" || ROUNDS=2
for round in $ROUNDS; do
	check "two shuts down (round $round)" cellctl shutdown two
	check "two is shut down, not failed (round $round)" \
		sh -c "cellctl list | grep -Eq 'two +shut down'"
	check "two reloads (round $round)" cellctl load two \
		inmates/tests/smp.bin --string "$SMP_ARGS"
	check "two starts again (round $round)" cellctl start two
	check "both CPUs of two come up again (round $round)" \
		wait_passes $round
done
# The smp demo passes a token around both CPUs of two as fixed IPIs: the
# hypervisor lets IPIs between a cell's own CPUs through.
check "two shuts down for the demo" cellctl shutdown two
check "the smp demo loads into two" cellctl load two inmates/demos/smp.bin \
	--string "$SMP_ARGS"
check "and starts" cellctl start two
ring_done() { cellctl console | grep -q 'smp: IPI ring: \(PASS\|FAILED\)'; }
check "the demo's IPI ring ends" wait_until 30 ring_done
run cellctl console
check_out "each CPU of two took the token 100 times" \
	'smp: IPI ring: 100 rounds on 2 CPUs, taken 100 100 times'
check_out "the demo passed" 'smp: IPI ring: PASS'
check "two still runs" sh -c "cellctl list | grep -Eq 'two +running'"
check "two shuts down" cellctl shutdown two
check "two is destroyed" cellctl destroy two
check "CPUs 1-3 are online again" sh -c 'for c in 1 2 3; do
	grep -qx 1 /sys/devices/system/cpu/cpu$c/online || exit 1; done'
check "disable works" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
