#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a test disk in QEMU or Bochs; wait for expected lines on the console.
# usage: run-boot.sh qemu|bochs DISK EXPECTED...
# Exits 0 when every EXPECTED string was seen, 1 otherwise.
# TIMEOUT (seconds, default 20) bounds the wait; CPUS (default 1) CPUs;
# QEMU_ARGS adds QEMU options (split at spaces); BOCHS_IPS (default
# 20000000) sets Bochs' instructions per emulated second;
# KEEP_LOG=1 always prints the console.
set -u

emu=$1 disk=$(realpath "$2")
shift 2
timeout=${TIMEOUT:-20}
cpus=${CPUS:-1}
ips=${BOCHS_IPS:-20000000}
work=$(mktemp -d)
log=$work/serial.log
: > "$log"

# A fatal line fails the run unless the test expects exactly that.
unexpected=("EXCEPTION" "UNEXPECTED INTERRUPT" "PANIC" "BOOT:" "FAIL")

start_qemu()
{
	qemu-system-x86_64 -M q35 -cpu max -smp "$cpus" -m 64 \
		-display none -monitor none \
		-serial "file:$log" -no-reboot \
		-drive "format=raw,file=$disk" ${QEMU_ARGS:-} \
		>"$work/emu.out" 2>&1 &
	emu_pid=$!
}

# Bochs needs a terminal for its "term" display: run it under script(1).
# With clock sync=none, emulated time follows executed instructions: a low
# ips makes the BIOS's timed waits (SMP start-up above all) short.
start_bochs()
{
	cat >"$work/bochsrc" <<EOC
megs: 32
cpu: model=corei7_skylake_x, count=$cpus, ips=$ips, reset_on_triple_fault=0
clock: sync=none, time0=local
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=disk, path=$disk, mode=flat, cylinders=1, heads=16, spt=63
boot: disk
display_library: term
com1: enabled=1, mode=file, dev=$log
log: $work/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
pci: enabled=1, chipset=i440fx
EOC
	echo c >"$work/rc"
	script -qfc "bochs -q -f $work/bochsrc -rc $work/rc" /dev/null \
		</dev/null >"$work/emu.out" 2>&1 &
	emu_pid=$!
}

# Stop what we started, by PID: Bochs ignores SIGTERM under script(1).
stop_emu()
{
	local child

	for child in $(pgrep -P "$emu_pid"); do
		kill -KILL "$child" 2>/dev/null
	done
	kill -KILL "$emu_pid" 2>/dev/null
	wait "$emu_pid" 2>/dev/null
}

all_seen()
{
	local s

	for s in "$@"; do
		grep -qF -- "$s" "$log" || return 1
	done
}

bad_line()
{
	local u s

	for u in "${unexpected[@]}"; do
		for s in "${expected[@]}"; do
			[[ "$s" == *"$u"* ]] && continue 2
		done
		grep -F -- "$u" "$log" && return 0
	done
	return 1
}

emu_pid=
# Never leave an emulator behind, also when interrupted.
trap '[ -n "$emu_pid" ] && stop_emu; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

case "$emu" in
qemu) start_qemu ;;
bochs) start_bochs ;;
*) echo "run-boot: unknown emulator $emu" >&2; exit 2 ;;
esac

expected=("$@")
result=timeout
deadline=$((SECONDS + timeout))
while [ $SECONDS -lt $deadline ]; do
	if all_seen "${expected[@]}"; then
		result=pass
		break
	fi
	kill -0 "$emu_pid" 2>/dev/null || { result=exited; break; }
	sleep 0.2
done
# Give a failing inmate a moment to print what went wrong after the match.
sleep 0.3
stop_emu
emu_pid=
if [ $result = pass ] && bad_line >/dev/null; then
	result=unexpected
fi

if [ $result != pass ] || [ "${KEEP_LOG:-0}" = 1 ]; then
	echo "--- $emu console ($result):"
	sed 's/^/    /' "$log"
	[ $result = pass ] || tail -5 "$work/emu.out" | sed 's/^/    emu: /'
fi
[ $result = pass ]
