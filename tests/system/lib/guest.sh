# Assertions for system-test scenarios; sourced by a scenario inside the guest.
# Each check prints "ok - WHAT" or "not ok - WHAT"; a scenario fails (non-zero
# exit) as soon as one check fails, so the first failure is the one reported.

T_CHECKS=0

ok() {
	T_CHECKS=$((T_CHECKS + 1))
	echo "ok - $*"
}

not_ok() {
	echo "not ok - $*"
	exit 1
}

# check WHAT CMD...: CMD must succeed.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what (command failed: $*)"; fi
}

# check_fails WHAT CMD...: CMD must fail.
check_fails() {
	local what=$1
	shift
	if "$@"; then not_ok "$what (command succeeded: $*)"; else ok "$what"; fi
}

# run CMD...: run CMD, keep its output in $OUT and its status in $RC.
run() {
	OUT=$("$@" 2>&1)
	RC=$?
	printf '%s\n' "$OUT" | sed 's/^/  | /'
}

# check_rc WHAT N: the last run exited with status N.
check_rc() {
	[ "$RC" -eq "$2" ] && ok "$1" || not_ok "$1 (exit status $RC, expected $2)"
}

# check_out WHAT PATTERN: the last run printed a line matching the
# extended regular expression PATTERN.
check_out() {
	printf '%s\n' "$OUT" | grep -E -q -- "$2" && ok "$1" ||
		not_ok "$1 (no output line matches /$2/)"
}

# cells_besides_root: how many cells 'cellctl list' shows, the root not
# counted (the first two lines are the hypervisor's state and the header).
cells_besides_root() {
	cellctl list | awk 'NR > 2 && $2 != "root"' | wc -l
}

# json_is WHAT PATH VALUE FILE: json-c's parser reads FILE (a cellctl --json
# output) and finds VALUE at PATH (tests/tools/cv-json.c).
json_is() {
	local got
	got=$(/cellvisor/tests/lib/generated/cv-json "$2" <"$4")
	[ "$got" = "$3" ] && ok "$1" || not_ok "$1 ($2 is '$got', expected '$3')"
}

# done_checks: end of a scenario; a scenario that checked nothing fails.
done_checks() {
	[ "$T_CHECKS" -gt 0 ] || not_ok "scenario ran no check"
	echo "checks: $T_CHECKS passed"
	exit 0
}

# check_unchanged WHAT CPUS: the machine is as it was before any enable:
# the hypervisor is off and holds nothing, the CPUs listed in CPUS (as
# /sys/devices/system/cpu/online showed them) are online, and every CPU
# runs natively (no Cellvisor CPUID signature).
check_unchanged() {
	local what=$1 cpus=$2 c cv=/sys/class/misc/cellvisor
	check "$what: sysfs says disabled" grep -qx 0 $cv/enabled
	check_fails "$what: exits not readable" cat $cv/exits
	check "$what: module not held" grep -qx 0 /sys/module/cellvisor/refcnt
	check_fails "$what: region not claimed" grep -q cellvisor /proc/iomem
	check "$what: all CPUs online ($cpus)" \
		test "$(cat /sys/devices/system/cpu/online)" = "$cpus"
	for c in $(seq 0 $(($(nproc) - 1))); do
		run taskset -c "$c" /cellvisor/tests/modules/cpuid-sig
		check_fails "$what: CPU $c runs natively" \
			sh -c "echo '$OUT' | grep -q CellvisorVMM"
	done
}

# machine_configs: the configs for the machine this runs on, told by its
# CPU vendor: Bochs (Intel, VT-x) or QEMU (AMD, AMD-V).  Sets EMU (qemu or
# bochs: how fast the machine is), MACHINE (the name vm-run booted:
# qemu, qemu-x2apic or bochs), APIC (x2apic or xapic: the mode Linux runs
# its local APICs in, and so the cells too), SYS (the system config) and
# CELL (the one-CPU hello cell on CPU 1, RAM at 0x32000000, COM1).
machine_configs() {
	if grep -q GenuineIntel /proc/cpuinfo; then
		EMU=bochs
		SYS=configs/x86/bochs-vmx.yaml
		CELL=configs/x86/hello-bochs.yaml
	else
		EMU=qemu
		SYS=configs/x86/qemu-svm.yaml
		CELL=configs/x86/hello-qemu.yaml
	fi
	MACHINE=$(cat /etc/cellvisor-machine 2>/dev/null || echo $EMU)
	APIC=$(apic_mode)
}

# cell_yaml NAME CPUS RAM [PORTS...]: the head of a cell config, on
# stdout: NAME on CPUS with a debug console (the virtual UART at COM1,
# whose ports it lists), the port ranges PORTS besides ('0x2f8-0x2ff'),
# and its RAM loadable at guest 0 (read, write, execute): RAM is SIZE
# (placed by cellctl) or SIZE@PHYS.  The memory list comes last: append
# more regions or keys (pci-devices:, virtual-devices:) to the file.
cell_yaml() {
	local name=$1 cpus=$2 size=${3%@*} phys=${3#*@} port
	[ "$phys" = "$3" ] && phys=
	shift 3
	printf 'kind: cell\nname: %s\ncpus: %s\nconsole: true\n' "$name" "$cpus"
	printf 'pio:\n  - 0x3f8-0x3ff\n'
	for port; do printf '  - %s\n' "$port"; done
	printf 'memory:\n  - name: ram\n'
	[ -n "$phys" ] && printf '    phys: %s\n' "$phys"
	printf '    guest: 0x0\n    size: %s\n' "$size"
	printf '    access: [read, write, execute]\n    loadable: true\n'
}

# apic_mode: x2apic or xapic, as Linux said at boot.  Kept in /tmp the
# first time: a long batch of scenarios (Bochs) could push the boot lines
# out of the kernel's log.
apic_mode() {
	local f=/tmp/cellvisor-apic-mode
	if [ ! -s $f ]; then
		if dmesg | grep -q 'x2apic enabled'; then
			echo x2apic >$f
		else
			echo xapic >$f
		fi
	fi
	cat $f
}

# check_timer_exits WHAT CELL CPU: a cell's APIC timer runs and costs what
# the APIC mode says.  In xAPIC mode the cell's APIC page traps, so each
# EOI is an APIC exit: some every second.  In x2APIC mode the EOI and the
# timer registers are MSRs that pass: no APIC or MSR exit at all (the
# exit-free path).  Needs APIC from machine_configs.
check_timer_exits() {
	run cellctl stats "$2" 0.2
	if [ "$APIC" = x2apic ]; then
		check_out "$1: no APIC exit per second (x2APIC)" \
			"^apic +$3 +[0-9]+ +0\$"
		check_out "$1: no MSR exit per second (x2APIC)" \
			"^msr +$3 +[0-9]+ +0\$"
	else
		check_out "$1: APIC exits every second (xAPIC page)" \
			"^apic +$3 +[0-9]+ +[1-9]"
	fi
}

# irq_count N: the root's interrupts on IRQ N (0 when it has no line).
irq_count() {
	awk -v irq="$1:" '$1 == irq { s = 0
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i
		print s; found = 1 } END { if (!found) print 0 }' /proc/interrupts
}

# grows WHAT CMD...: CMD's output (a count) grows within 10 s.
grows() {
	local what=$1 before now i=0
	shift
	before=$("$@")
	while [ $i -lt 50 ]; do
		now=$("$@")
		if [ "$now" -gt "$before" ]; then
			ok "$what ($before -> $now)"
			return
		fi
		sleep 0.2
		i=$((i + 1))
	done
	not_ok "$what (stays at $before)"
}

# wait_until SECONDS CMD...: runs CMD every 20 ms of guest time until it
# succeeds; fails after SECONDS worth of polls.  Wait for what a scenario
# needs to see rather than sleeping a fixed time, and poll often.  While
# it waits it says so every 5 s of guest time (checked every 10 polls):
# the host stops a machine whose console stays silent for minutes
# (vm-run --idle-timeout), and a long wait under Bochs (a Linux cell
# decompressing itself, memtest86+ starting) is silent work, not a hang.
wait_until() {
	local n=$(($1 * 50)) i=0 said now
	shift
	said=$(date +%s)
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		i=$((i + 1))
		if [ $((i % 10)) -eq 0 ]; then
			now=$(date +%s)
			if [ $((now - said)) -ge 5 ]; then
				echo "# still waiting ($i polls): $*"
				said=$now
			fi
		fi
		sleep 0.02
	done
}

# between_scenarios: what the run harness does after each scenario of a
# batch (tests/system/run), so that the next one starts as on a fresh
# boot: every cell destroyed, the hypervisor disabled, cellvisor.ko and
# the test modules unloaded, offline CPUs back online. It says what it had
# to do; a scenario's verdict is already given.
between_scenarios() {
	local name m cpu
	if [ -e /dev/cellvisor ]; then
		for name in $(cellctl list 2>/dev/null | awk 'NR > 2 && $2 != "root" { print $2 }'); do
			echo "# between scenarios: destroy cell $name"
			cellctl destroy "$name" >/dev/null 2>&1
		done
		cellctl disable >/dev/null 2>&1 && echo "# between scenarios: disabled"
	fi
	for m in $(awk '/^cvtest_/ { print $1 }' /proc/modules) cellvisor; do
		grep -q "^$m " /proc/modules || continue
		echo "# between scenarios: rmmod $m"
		rmmod "$m" 2>&1 | sed 's/^/# /'
	done
	for cpu in /sys/devices/system/cpu/cpu[0-9]*/online; do
		grep -qx 0 "$cpu" 2>/dev/null || continue
		echo "# between scenarios: ${cpu%/online} back online"
		echo 1 >"$cpu" 2>/dev/null
	done
}
