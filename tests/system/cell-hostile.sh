# Containment: each hostile inmate leaves its cell FAILED with the right
# reason; the root keeps running, its memory (a canary page) and PCI
# config space unchanged, and the cell can be restarted.
. /cellvisor/tests/lib/guest.sh
. /cellvisor/tests/lib/hostile.sh

machine_configs
HOSTILE=inmates/tests/hostile.bin

root_pci_config >/tmp/pci-before
check "the root's PCI config space is read (62 bytes a function)" \
	sh -c "head -n 1 /tmp/pci-before | tr ' ' '\n' | grep -c '^[0-9a-f][0-9a-f]\$' | grep -qx 62"
check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "cellctl create hello succeeds" cellctl create -s $SYS $CELL

# hostile ARGS REASON: run the hostile inmate with ARGS, expect FAILED with
# REASON (an extended regular expression) in 'cellctl list'.
hostile() {
	cellctl load hello $HOSTILE --string "$1@0x1000" >/dev/null ||
		not_ok "load hostile $1"
	cellctl start hello >/dev/null || not_ok "start hostile $1"
	wait_until 5 sh -c "cellctl list | grep -Eq 'hello +failed'"
	run cellctl list
	printf '%s\n' "$OUT" | grep -Eq "hello +failed .*$2" ||
		not_ok "hostile $1: cell FAILED with '$2'"
	ok "hostile $1: cell FAILED with '$2'"
	check "root still runs processes on CPU 0 after $1" \
		taskset -c 0 sh -c 'i=0; while [ $i -lt 500 ]; do i=$((i+1)); done'
	check "the failed cell shuts down after $1" cellctl shutdown hello
}

hostile "mem=0x200000" "memory access at 0x200000 outside the cell"
hostile "mem=0x30001000" "memory access at 0x30001000 outside the cell"
hostile "mem=0x1000000" "memory access at 0x1000000 outside the cell"

# The root's canary: a page of Linux's RAM that the cell writes over
# without reading it first.  The write must never land.  Last, the root
# writes the page itself, to show that the witness sees a write.
check "cvtest_mem.ko loads (the root's canary page)" \
	insmod /cellvisor/tests/modules/cvtest_mem.ko
P=/sys/module/cvtest_mem/parameters
CANARY=$(printf '0x%x' "$(cat $P/canary)")
hostile "mem_write=$CANARY" "memory access at $CANARY outside the cell"
check "the root's canary page at $CANARY is unchanged" grep -qx 1 $P/canary_intact
check "the root's own write to the canary" sh -c "echo $CANARY >$P/write"
check "is seen by the witness" grep -qx 0 $P/canary_intact
check "cvtest_mem.ko unloads" rmmod cvtest_mem

hostile "pio=0x80" "port 0x80 read outside the cell"
hostile "pio=0xcf9" "port 0xcf9 read outside the cell"
hostile "pio=0x64" "port 0x64 read outside the cell"
hostile "msr=0x1a0" "forbidden MSR write 0x1a0"
hostile "hc=16" "illegal hypercall 16"
hostile "hc=0" "illegal hypercall 0"
hostile "triple" "triple fault"
# An IPI aimed at the root's CPU 0 (APIC ID 0) stops the cell; the root's
# CPU never gets it (it still runs processes, checked by hostile()).
hostile "ipi=init ipi_to=0" "IPI 0x[0-9a-f]+ to a CPU outside the cell .APIC ID 0,"
hostile "ipi=nmi ipi_to=0" "IPI 0x[0-9a-f]+ to a CPU outside the cell .APIC ID 0,"

# The last lines of the hypervisor console hold the inmate's newest ones.
console_tail_has() {
	cellctl console | tail -n 3 | grep -q "$1"
}

# Broadcast IPIs reach only the cell's own CPUs (here: none besides the
# sender), so the cell survives them and the root is untouched.
for ipi in init nmi sipi; do
	check "ipi=$ipi inmate loads" cellctl load hello $HOSTILE \
		--string "ipi=$ipi@0x1000"
	check "ipi=$ipi inmate starts" cellctl start hello
	check "ipi=$ipi: the inmate sent it and went on" \
		wait_until 5 console_tail_has "hostile: SURVIVED ipi"
	check "ipi=$ipi: the cell still runs (IPI kept inside it)" \
		sh -c "cellctl list | grep -Eq 'hello +running'"
	check "ipi=$ipi: APIC exits were counted" \
		sh -c "cellctl stats hello 0.1 | grep -Eq '^apic +1 +[1-9]'"
	check "ipi=$ipi: CPU 0 of the root still runs processes" \
		taskset -c 0 sh -c 'i=0; while [ $i -lt 500 ]; do i=$((i+1)); done'
	check "ipi=$ipi: the cell shuts down" cellctl shutdown hello
done

# A cell that spins with interrupts off still stops on shutdown.
check "spinning inmate loads" cellctl load hello $HOSTILE --string "spin@0x1000"
check "spinning inmate starts" cellctl start hello
check "it spins" wait_until 5 console_tail_has "hostile: spinning"
check "list shows it running" sh -c "cellctl list | grep -Eq 'hello +running'"
check "a spinning cell shuts down" cellctl shutdown hello

check "the hello inmate still runs after all that" \
	cellctl load hello inmates/demos/hello.bin
check "and starts" cellctl start hello
check "it greets" wait_until 5 console_tail_has "hello: halting"
check "list shows it running" sh -c "cellctl list | grep -Eq 'hello +running'"
check "the cell is destroyed" cellctl destroy hello
check "CPU 1 is online again" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "disable works" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
root_pci_config >/tmp/pci-after
check "the root's PCI config space is as before" cmp -s /tmp/pci-before /tmp/pci-after
done_checks
