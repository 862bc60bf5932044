# `make demo` (scripts/demo): what Cellvisor does, step by step, on the
# emulated AMD-V machine.  Runs in the guest; the story goes to COM2
# (/dev/ttyS1) when the machine has one, so that the hypervisor's and
# Linux's console on COM1 cannot cut into it.  Every console line of
# the hypervisor and the cell is shown once, where it happened, from
# 'cellctl console'.
set -e
CV=/sys/class/misc/cellvisor
SYS=configs/x86/qemu-svm.yaml
CELL=configs/x86/hello-qemu.yaml

if [ -c /dev/ttyS1 ] && stty -F /dev/ttyS1 raw -echo 2>/dev/null; then
	exec 3>/dev/ttyS1
else
	exec 3>&1
fi
# Anything a command says on stderr belongs in the story too.
exec 2>&3

say() { echo "$*" >&3; }
step() { say; say "### $*"; }

# console_news: the console lines that came since the last call, once each.
SEEN=0
console_news() {
	local lines
	lines=$(cellctl console | wc -l)
	[ "$lines" -gt "$SEEN" ] || return 0
	say "  console:"
	cellctl console | tail -n +$((SEEN + 1)) | head -n $((lines - SEEN)) |
		sed 's/^/  | /' >&3
	SEEN=$lines
}

# run CMD...: show the command, what it printed, then what it made the
# hypervisor or the cell say.
run() {
	say "\$ $*"
	"$@" >&3
	[ ! -c /dev/cellvisor ] || console_news
}

step "Load the driver"
run insmod cellvisor.ko
run ls -l /dev/cellvisor

step "Check the system config: the machine as Linux runs it"
run cellctl config check $SYS

step "Enable: the hypervisor takes every CPU, Linux becomes the root cell"
run cellctl enable $SYS
say "enabled: $(cat $CV/enabled), VM exits so far: $(cat $CV/exits)"

step "Linux keeps working under the hypervisor"
for cpu in $(seq 0 $(($(nproc) - 1))); do
	sum=$(taskset -c "$cpu" awk 'BEGIN { s = 0; for (i = 1; i <= 100000; i++) s += i; print s }')
	say "CPU $cpu: sum 1..100000 = $sum"
done

step "Create a cell: CPU 1, 1M of RAM and COM1 leave Linux"
run cellctl create -s $SYS $CELL
run cellctl list
say "CPU 1 online in Linux: $(cat /sys/devices/system/cpu/cpu1/online)"

step "Load the hello inmate and start it"
run cellctl load hello inmates/demos/hello.bin
run cellctl start hello
sleep 1
console_news

step "A real-time loop: the latency demo, its APIC timer at 1 kHz"
run cellctl shutdown hello
run cellctl load hello inmates/demos/latency.bin --string "report_ms=500@0x1000"
run cellctl start hello
sleep 2
console_news
say "(under QEMU's TCG these latencies are host scheduling noise; see"
say " scripts/bench-cell and Documentation/performance.md for Bochs)"
say "\$ cellctl stats hello 0.5"
cellctl stats hello 0.5 | awk 'NR == 1 || $3 > 0' >&3

step "A hostile inmate reads the hypervisor's memory: its cell stops, Linux carries on"
run cellctl shutdown hello
run cellctl load hello inmates/tests/hostile.bin --string "mem=0x30000000@0x1000"
run cellctl start hello
sleep 1
console_news
run cellctl list
say "Linux still computes: $(awk 'BEGIN { s = 0; for (i = 1; i <= 1000; i++) s += i; print s }')"

step "Destroy the cell: everything goes back to Linux"
run cellctl destroy hello
run cellctl list
say "CPU 1 online in Linux: $(cat /sys/devices/system/cpu/cpu1/online)"

step "Disable: every CPU leaves the hypervisor"
run cellctl disable
say "enabled: $(cat $CV/enabled)"

step "Unload the driver"
run rmmod cellvisor
say
say "demo: done"
