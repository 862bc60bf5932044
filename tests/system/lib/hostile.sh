# Hostile inmates and the witnesses that the root came to no harm; sourced
# after guest.sh by the cell-hostile-* scenarios, which create the
# one-CPU cell "hello" (machine_configs' CELL) first.

HOSTILE=inmates/tests/hostile.bin
HOSTILE_RUN=0

# A scenario that stops at a failed check leaves the machine as it found
# it all the same: under Bochs the next scenario runs in the same boot and
# would otherwise find the module loaded (its own first check failing).
hostile_cleanup() {
	[ -n "${RD_PID:-}" ] && kill "$RD_PID" 2>/dev/null
	cellctl destroy hello >/dev/null 2>&1
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	return 0
}
trap hostile_cleanup EXIT

# root_loc: the local timer interrupt count of every root CPU, in CPU
# order (the LOC line of /proc/interrupts has a column per online CPU).
root_loc() {
	awk '$1 == "LOC:" {
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) printf "%s ", $i
	}' /proc/interrupts
}

# root_ticks_grew BEFORE: each root CPU took timer interrupts since
# root_loc printed BEFORE (the same CPUs must be online).
root_ticks_grew() {
	sleep 0.02
	printf '%s|%s\n' "$1" "$(root_loc)" | awk -F'|' '{
		n = split($1, b, " "); m = split($2, a, " ")
		if (n == 0 || n != m) exit 1
		for (i = 1; i <= n; i++) if (a[i] + 0 <= b[i] + 0) exit 1
	}'
}

# root_ipis: the IPI counts of the root's CPU 0 that a stray IPI of a cell
# raises: reschedule (RES, the vector 0xfd the tests send), function
# calls (CAL), NMIs (NMI).  With CPU 1 in the cell, CPU 0 is alone and
# sends itself none of these.
root_ipis() {
	awk '$1 == "RES:" || $1 == "CAL:" || $1 == "NMI:" {
		printf "%s%s ", $1, $2
	}' /proc/interrupts
}

# What Linux logs when an IPI, NMI or stuck CPU it did not expect gets
# to it, or when a CPU of its own spun with interrupts off too long.
ROOT_TROUBLE='No irq handler for vector|NMI received for unknown reason|Spurious (APIC )?interrupt|rcu.*(stall|detected)|soft lockup|hard LOCKUP'

dmesg_mark() { dmesg | wc -l; }

# root_quiet MARK: no line of ROOT_TROUBLE in dmesg after line MARK.
root_quiet() {
	! dmesg | tail -n +$(($1 + 1)) | grep -Eq "$ROOT_TROUBLE"
}

# run_lines: the console lines of the last hostile run, from its
# "hostile: run N" line on.
run_lines() {
	cellctl console | awk -v r="$HOSTILE_RUN" '/hostile: run [0-9]/ {
		s = $0; sub(/.*hostile: run /, "", s); sub(/[^0-9].*/, "", s)
		on = (s == r)
	} on'
}

# run_has PATTERN: a line of the last hostile run matches the extended
# regular expression.
run_has() {
	run_lines | grep -Eq -- "$1"
}

cell_state() {
	cellctl list | awk '$2 == "hello" { print $3 }'
}

# run_settled PATTERN: the last run printed PATTERN, or the cell failed
# (then there is nothing more to wait for: each poll reads the whole
# console, and five seconds of them may keep the guest silent for longer
# than the runner's idle timeout).
run_settled() {
	run_has "$1" || [ "$(cell_state)" = failed ]
}

# hostile_start ARGS: load the hostile inmate with ARGS and start it;
# sets the witnesses' starting points.
hostile_start() {
	HOSTILE_RUN=$((HOSTILE_RUN + 1))
	H_LOC=$(root_loc)
	H_IPIS=$(root_ipis)
	H_DMESG=$(dmesg_mark)
	cellctl load hello $HOSTILE --string "run=$HOSTILE_RUN $1@0x1000" \
		>/dev/null || not_ok "load hostile $1"
	cellctl start hello >/dev/null || not_ok "start hostile $1"
}

# root_pci_config: the first 64 bytes of every PCI function's config
# space as Linux reads it, minus the status register (0x06-0x07: a device
# may set its bits on its own).  Unchanged over a test: no cell wrote it.
root_pci_config() {
	for f in /sys/bus/pci/devices/*/config; do
		# Unquoted: od's lines become one.
		echo "${f%/config}:" $(od -An -v -tx1 -N6 "$f") \
			$(od -An -v -tx1 -j8 -N56 "$f")
	done
}

# root_unharmed WHAT: CPU 0 runs processes, every root CPU still takes
# timer interrupts, and Linux logged no stray interrupt or stall.
root_unharmed() {
	check "$1: root CPU 0 still runs processes" \
		taskset -c 0 sh -c 'i=0; while [ $i -lt 500 ]; do i=$((i+1)); done'
	check "$1: root timer interrupts still count on every root CPU" \
		root_ticks_grew "$H_LOC"
	check "$1: Linux logged no stray interrupt, NMI or stall" \
		root_quiet "$H_DMESG"
}

# hostile_failed ARGS REASON: the cell ends FAILED with REASON (an
# extended regular expression) in 'cellctl list'; the root is unharmed.
hostile_failed() {
	hostile_start "$1"
	wait_until 5 sh -c "cellctl list | grep -Eq 'hello +failed'"
	run cellctl list
	printf '%s\n' "$OUT" | grep -Eq "hello +failed .*$2" ||
		not_ok "hostile $1: cell FAILED with '$2'"
	ok "hostile $1: cell FAILED with '$2'"
	check_fails "hostile $1: it never said SURVIVED" run_has "SURVIVED"
	root_unharmed "$1"
	check "$1: no IPI reached root CPU 0 ($H_IPIS)" \
		test "$(root_ipis)" = "$H_IPIS"
}

# hostile_fails ARGS REASON: hostile_failed, then the cell shuts down.
hostile_fails() {
	hostile_failed "$1" "$2"
	check "the failed cell shuts down after $1" cellctl shutdown hello
}

# hostile_runs ARGS [PATTERN...]: the inmate did what ARGS say and went
# on (SURVIVED), its console lines match each PATTERN, the cell is still
# running, no IPI reached the root's CPU 0 and the root is unharmed.
hostile_runs() {
	local args=$1 p
	shift
	hostile_start "$args"
	# Its last line: with several options it says SURVIVED more than once.
	wait_until 5 run_settled "hostile: done, halting"
	check "hostile $args: the inmate went on (SURVIVED)" \
		run_has "hostile: SURVIVED"
	for p in "$@"; do
		check "hostile $args: it says '$p'" run_has "$p"
	done
	check "hostile $args: the cell still runs" \
		test "$(cell_state)" = running
	check "$args: no IPI reached root CPU 0 ($H_IPIS)" \
		test "$(root_ipis)" = "$H_IPIS"
	root_unharmed "$args"
}

# hostile_survives ARGS [PATTERN...]: hostile_runs, then the cell shuts
# down.
hostile_survives() {
	hostile_runs "$@"
	check "the cell shuts down after $1" cellctl shutdown hello
}

# destroy_bounded WHAT: 'cellctl destroy' of the (failed) cell returns
# within the driver's 10 s of retries, CPU 1 is online again and runs a
# root process; then the cell is created again for the next test.
destroy_bounded() {
	local t0 t1
	t0=$(date +%s)
	check "$1: the cell is destroyed" cellctl destroy hello
	t1=$(date +%s)
	check "$1: destroy took $((t1 - t0)) s (at most 11)" \
		test $((t1 - t0)) -le 11
	check "$1: CPU 1 is online again" \
		grep -qx 1 /sys/devices/system/cpu/cpu1/online
	check "$1: CPU 1 runs a root process" \
		taskset -c 1 sh -c 'i=0; while [ $i -lt 500 ]; do i=$((i+1)); done'
	check "$1: the cell is created again" cellctl create -s $SYS $CELL
}

# hostile_fails_destroy ARGS REASON: hostile_failed, then the cell is
# destroyed (destroy_bounded): for attacks on the very means of stopping
# a CPU (its APIC ID, SMIs).
hostile_fails_destroy() {
	hostile_failed "$1" "$2"
	destroy_bounded "$1"
}

# other_exits: the cell CPU's "other" VM exits in total (cellctl stats).
other_exits() {
	cellctl stats hello 0.1 | awk '$1 == "other" && $2 == 1 { print $3 }'
}

# state_clean WHAT: a fresh start of the cell reads every register the
# rule book lets it read in its reset or init state ("hostile: state
# clean"; the lines it printed go to the log).  STATE_ARGS, when set,
# replaces the inmate's "state" option (e.g. to add state_unchecked=).
state_clean() {
	hostile_start "${STATE_ARGS:-state}"
	wait_until 5 run_settled "hostile: state (clean|DIRTY:)"
	check "$1: the inmate read its registers" \
		run_has "hostile: state (clean|DIRTY:)"
	run_lines | grep 'hostile: state' | sed 's/^/  | /'
	check "$1: every register reads clean" run_has "hostile: state clean"
	check "$1: the cell still runs" test "$(cell_state)" = running
	check "$1: the cell shuts down" cellctl shutdown hello
}

# state_dirty: the cell fills its registers with patterns and halts.
state_dirty() {
	hostile_start dirty
	wait_until 5 run_settled "hostile: state dirtied"
	check "a cell fills its registers with patterns" \
		run_has "hostile: state dirtied"
	run_lines | grep 'hostile: state' | sed 's/^/  | /'
}
