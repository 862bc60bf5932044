# VT-d interrupt remapping: at enable the root's edu MSI (and every IOAPIC pin) is rewritten into remappable form through a root entry; Linux reads back what it wrote; edu's MSI, the timer and the console still interrupt; after disable Linux's values are back. On qemu-x2apic Linux runs its own interrupt remapping, which the hypervisor takes over and emulates: Linux's entries translated, an affinity change followed, Linux's remapping working again after disable.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

# QEMU 7.2 lets compatibility-format MSIs bypass remapping whatever
# GCMD.CFI says (iommu.md), so delivery alone would not notice a root
# MSI left unrewritten.  The witness is what the device holds: the
# hypervisor prints, after each rewrite, the address and data it reads
# back from edu ("device holds address 0x..."); a remappable address
# (bit 4, interrupt format) reaches a CPU on QEMU only through a present
# entry of the table, so cvtest_edu's "msi" passing then shows the
# entry is right.  Linux's own view (sysfs config space, through the
# trapped 0xcf8/0xcfc) must stay its compatibility value.
machine_configs
EDU=/cellvisor/tests/modules/cvtest_edu.ko
DEV=/sys/bus/pci/devices/0000:00:04.0
SELFTEST='cvtest_edu: ok id factorial dma msi'
REMAPPED='^Cellvisor: root cell: PCI 00:04\.0: MSI remapped through entry [0-9]+ \(device holds address 0x[0-9a-f]+ data 0x[0-9a-f]+\)$'

edu_selftest() {
	dmesg -c >/dev/null
	insmod $EDU
	dmesg | grep cvtest_edu
}

# cfg_u8/u32 OFF: edu's config space as Linux reads it (sysfs).
cfg_u8() { od -An -tu1 -j "$1" -N1 $DEV/config | tr -d ' '; }
cfg_u32() { od -An -tx4 -j "$1" -N4 $DEV/config | tr -d ' '; }

# msi_cap: the offset of edu's MSI capability (ID 5), from the list.
msi_cap() {
	local off id n=0
	off=$(cfg_u8 52)
	while [ "$off" -ge 64 ] && [ $n -lt 48 ]; do
		id=$(cfg_u8 "$off")
		[ "$id" -eq 5 ] && { echo "$off"; return 0; }
		off=$(( $(cfg_u8 $((off + 1))) & 0xfc ))
		n=$((n + 1))
	done
	echo 0
}

# is_remappable HEX: bit 4 (interrupt format) set, in the MSI window.
is_remappable() { [ $((0x$1 & 0xfff00010)) -eq $((0xfee00010)) ]; }
is_compat() { [ $((0x$1 & 0xfff00010)) -eq $((0xfee00000)) ]; }

# The last "device holds address" the console shows, in hex without 0x.
held_addr() {
	cellctl console | grep -E "$REMAPPED" | tail -n 1 |
		sed 's/.*device holds address 0x\([0-9a-f]*\).*/\1/'
}
count() { cellctl console | grep -Ec -- "$1"; }

# The console UART (IOAPIC pin 4) transmits: its interrupts count.
console_poke() {
	echo tick >/dev/console
	irq_count 4
}

# irq_on_cpu N CPU: IRQ N's count on CPU (the column of /proc/interrupts).
irq_on_cpu() {
	awk -v irq="$1:" -v col=$(($2 + 2)) '$1 == irq { print $col; f = 1 }
		END { if (!f) print 0 }' /proc/interrupts
}
console_on_cpu1() {
	echo tick >/dev/console
	irq_on_cpu 4 1
}

# qemu-x2apic: Linux's own remapping (x2APIC needs it), emulated.  With
# --append nox2apic Linux keeps remapping in xAPIC mode: the same checks.
x2apic_case() {
	# APIC comes from the boot's dmesg, which an earlier scenario of
	# the same boot may have cleared: the suffixes are checked only
	# when it says x2APIC.
	X2='(, x2APIC)?' X2D='(, x2APIC destinations)?'
	[ "$APIC" = x2apic ] && X2=', x2APIC' X2D=', x2APIC destinations'
	check "Linux runs its own interrupt remapping" \
		is_remappable "$NATIVE"
	check "cellctl enable succeeds" cellctl enable $SYS
	run cellctl console
	check_out "the unit is taken from Linux, its remapping emulated" \
		"^Cellvisor: VT-d unit at 0xfed90000: taken from Linux, which used it for interrupt remapping \(table 0x[0-9a-f]+, [0-9]+ entries$X2\): emulated for the root$"
	check_out "interrupt remapping is on (x2APIC destinations in x2APIC mode)" \
		"^Cellvisor: interrupt remapping on \(compatibility format blocked$X2D\)$"
	check_out "every IOAPIC pin goes through an entry" \
		"^Cellvisor: IOAPIC 0: 24 pins remapped$"
	check "edu's MSI was translated at enable" \
		test "$(count "$REMAPPED")" -ge 1
	HELD=$(held_addr)
	check "the device holds the hypervisor's entry ($HELD)" \
		is_remappable "$HELD"
	check "Linux reads back its own address ($NATIVE)" \
		test "$(cfg_u32 $((CAP + 4)))" = "$NATIVE"
	grows "the console UART (IOAPIC pin 4) interrupts" console_poke
	grows "the local APIC timer still interrupts" irq_count LOC
	check "no line about an entry left off or masked, or the unit" \
		test "$(count 'left off|left masked|root cell (read|write) at')" -eq 0
	# Linux's driver, with its vectors and entries, under the emulation.
	rmmod cvtest_edu
	run edu_selftest
	check_out "under emulation: edu's MSI arrives (self test passes)" \
		"$SELFTEST"
	# Linux moves IRQ 4 to CPU 1: its entry rewritten, an IEC
	# invalidation; the hypervisor's entry follows.  On CPU 0 first:
	# CPU 1 then counts none of the UART's interrupts.
	echo 1 >/proc/irq/4/smp_affinity
	ON1=$(irq_on_cpu 4 1)
	grows "with smp_affinity 1 the UART interrupts" console_poke
	check "and CPU 1 counts none of them" test "$(irq_on_cpu 4 1)" -eq "$ON1"
	echo 2 >/proc/irq/4/smp_affinity
	grows "after smp_affinity 2, the UART interrupts CPU 1" console_on_cpu1
	echo 1 >/proc/irq/4/smp_affinity
	AGAIN=$(cfg_u32 $((CAP + 4)))
	check "cellctl disable succeeds" cellctl disable
	run cellctl console
	check_out "the unit goes down" "DMA remapping off"
	check "after disable edu holds Linux's address again ($AGAIN)" \
		test "$(cfg_u32 $((CAP + 4)))" = "$AGAIN"
	grows "Linux's own remapping: the UART interrupts" console_poke
	echo 2 >/proc/irq/4/smp_affinity
	grows "Linux's own remapping: moved to CPU 1" console_on_cpu1
	echo 1 >/proc/irq/4/smp_affinity
	rmmod cvtest_edu
	run edu_selftest
	check_out "natively again: edu's self test passes" "$SELFTEST"
	rmmod cvtest_edu
	rmmod cellvisor
	done_checks
}

check "cvtest_edu.ko is in the guest" test -f $EDU
check "cellvisor.ko loads" insmod cellvisor.ko
run edu_selftest
check_out "natively: edu's self test passes" "$SELFTEST"
CAP=$(msi_cap)
check "edu has an MSI capability" test "$CAP" -ge 64
NATIVE=$(cfg_u32 $((CAP + 4)))
[ "$MACHINE" = qemu-x2apic ] && x2apic_case
check "natively Linux programmed a compatibility address ($NATIVE)" \
	is_compat "$NATIVE"

# Enable with edu's MSI on: the rewrite happens at enable.
check "cellctl enable succeeds" cellctl enable $SYS
run cellctl console
check_out "interrupt remapping is on, compatibility format blocked" \
	"^Cellvisor: interrupt remapping on \(compatibility format blocked\)$"
check_out "every IOAPIC pin goes through an entry" \
	"^Cellvisor: IOAPIC 0: 24 pins remapped$"
check "edu's MSI was rewritten at enable" test "$(count "$REMAPPED")" -ge 1
HELD=$(held_addr)
check "the device holds a remappable address ($HELD)" is_remappable "$HELD"
check "Linux reads back its own address ($NATIVE)" \
	test "$(cfg_u32 $((CAP + 4)))" = "$NATIVE"
grows "the root's console UART (IOAPIC pin 4, through its entry) interrupts" \
	console_poke
grows "the root's local APIC timer still interrupts" irq_count LOC

# Linux programs edu's MSI afresh, under remapping.
before=$(count "$REMAPPED")
rmmod cvtest_edu
run edu_selftest
check_out "under remapping: edu's MSI arrives (self test passes)" "$SELFTEST"
check "the new MSI was rewritten too" test "$(count "$REMAPPED")" -gt "$before"
HELD=$(held_addr)
check "again a remappable address in the device ($HELD)" is_remappable "$HELD"
AGAIN=$(cfg_u32 $((CAP + 4)))
check "Linux reads its compatibility address ($AGAIN)" is_compat "$AGAIN"

# Disable: Linux's values back in the device.
check "cellctl disable succeeds" cellctl disable
run cellctl console
check_out "the unit goes down" "DMA remapping off"
RAW=$(cfg_u32 $((CAP + 4)))
check "after disable edu holds Linux's address again ($RAW)" \
	test "$RAW" = "$AGAIN"
rmmod cvtest_edu
run edu_selftest
check_out "natively again: edu's self test passes" "$SELFTEST"
rmmod cvtest_edu

# Fail closed: without the IOAPIC's source-id (its requester ID, from the
# DMAR table) remapping stays off, with the reason, and enable works.
grep -v 'source-id:' $SYS >/tmp/no-sid.yaml
dmesg -c >/dev/null
check "cellctl enable without the IOAPIC's source-id succeeds" \
	cellctl enable /tmp/no-sid.yaml
run cellctl console
check_out "interrupt remapping stays off, naming the key" \
	'interrupt remapping stays off: IOAPIC 0 has no source-id in the system config \(platform\.ioapics\)$'
check "cellctl disable succeeds" cellctl disable
rmmod cellvisor
done_checks
