# An IOAPIC pin in a cell: the cell owns COM2 and IOAPIC pin 3 (its IRQ,
# scripts/vm-run gives the QEMU machines a second port) and takes the
# UART's transmitter interrupts itself (inmates/tests/irq.c); the root,
# which had IRQ 3 in use (ttyS1 open), counts none of them and gets its
# own entry back after destroy: its ttyS1 interrupts count again.  A cell
# aiming the pin at the root's CPU, or programming a pin it does not own,
# is stopped with the reason; the root's timer and console interrupts
# keep counting throughout.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

machine_configs
IOCELL=configs/x86/ioapic-com2-qemu.yaml
IRQ=inmates/tests/irq.bin

# The root transmits on ttyS1 (IRQ 3) and on its console (IRQ 4).
ttys1_poke() {
	printf x >&3
	irq_count 3
}

console_poke() {
	echo tick >/dev/console
	irq_count 4
}

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "cellctl config check accepts the cell's ioapic-pins" \
	cellctl config check $SYS $IOCELL
# The root holds IRQ 3 (Linux programs pin 3) before the cell takes it.
exec 3<>/dev/ttyS1
check "the root opens ttyS1 (IRQ 3)" stty raw -echo <&3
grows "the root's IRQ 3 counts before create" ttys1_poke

check "create" cellctl create -s $SYS $IOCELL
# After create: /proc/interrupts counts only online CPUs, and the cell's
# CPU went offline (x2APIC: Linux had IRQ 3 on it).
IRQ3=$(irq_count 3)
check "irq loads" cellctl load ioapic-com2 $IRQ --string "count=100@0x1000"
check "irq starts" cellctl start ioapic-com2
check "the cell's pin 3 interrupts arrive" \
	wait_until 20 sh -c "cellctl console | grep -q 'irq: PASS'"
run cellctl console
check_out "100 interrupts on the cell's vector" \
	"irq: 100 interrupts on vector 0x33 from pin 3"
check_out "the cell's entry reads back as written (its CPU, APIC ID 1)" \
	"irq: pin 3 entry 0x33 0x1000000"
check_out "a pin the cell does not own reads masked" \
	"irq: pin 4 \\(not ours\\) reads 0x10000 0x0"
check "the cell runs" sh -c "cellctl list | grep -Eq 'ioapic-com2 +running'"
check "the root's IRQ 3 did not count the cell's interrupts" \
	test "$(irq_count 3)" -eq "$IRQ3"
grows "the root's timer still interrupts" irq_count LOC
grows "the root's console (IRQ 4) still interrupts" console_poke
check "shutdown" cellctl shutdown ioapic-com2

# hostile ARGS REASON: the inmate's hostile step stops the cell with REASON.
hostile() {
	cellctl load ioapic-com2 $IRQ --string "count=10 $1@0x1000" >/dev/null ||
		not_ok "load hostile $1"
	cellctl start ioapic-com2 >/dev/null || not_ok "start hostile $1"
	wait_until 10 sh -c "cellctl list | grep -Eq 'ioapic-com2 +failed'"
	run cellctl list
	printf '%s\n' "$OUT" | grep -Eq "ioapic-com2 +failed .*$2" ||
		not_ok "hostile $1: cell FAILED with '$2'"
	ok "hostile $1: cell FAILED with '$2'"
	check "hostile $1: the inmate did not survive it" \
		sh -c "! cellctl console | grep -q 'irq: hostile: SURVIVED'"
	check "the root still runs processes on CPU 0 after $1" \
		taskset -c 0 sh -c 'i=0; while [ $i -lt 500 ]; do i=$((i+1)); done'
	check "the failed cell shuts down after $1" cellctl shutdown ioapic-com2
}

hostile "hostile=dest" "IOAPIC 0 reg 0x16: write 0x33 refused: destination is not a CPU of the cell"
hostile "hostile=pin" "IOAPIC 0 reg 0x18: write 0x10000 refused: pin not owned by the cell"
check "the root's IRQ 3 still did not count" test "$(irq_count 3)" -eq "$IRQ3"

check "destroy" cellctl destroy ioapic-com2
# The root's entry of pin 3 is back: its own ttyS1 interrupts count.
grows "the root's IRQ 3 counts again after destroy" ttys1_poke
grows "the root's console (IRQ 4) still interrupts after destroy" console_poke
grows "the root's timer still interrupts after destroy" irq_count LOC
exec 3>&-
check "disable" cellctl disable
done_checks
