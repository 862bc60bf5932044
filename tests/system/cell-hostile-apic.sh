# Containment of IPIs and the local APIC (issue 10, classes 1 and 2): a
# cell's ICR and APIC register writes follow the rule book; what it may
# not do fails it with the reason, what it may do stays inside it, and
# the root's CPU gets nothing either way.
# emulators: qemu qemu-x2apic bochs
#
# A cell's APIC stays in the root's mode: xAPIC on qemu (its AMD CPU has
# no x2APIC) and bochs (Linux keeps xAPIC there), x2APIC on qemu-x2apic.
# The inmate writes the ICR through MMIO or MSR 0x830 accordingly; the
# rules are the same, the addressing differs where the two modes do:
# broadcast is 0xff or 0xffffffff, a logical ID is flat/cluster from the
# LDR the cell writes (xAPIC) or derived from the APIC ID (x2APIC: CPU 0
# is 0x1, CPU 1 is 0x2, cluster 0), and x2APIC has no ICR high, DFR or
# writable LDR.
# Vector 0xfd is Linux's reschedule IPI: one that reached the root's
# CPU 0 would show in its RES count (root_ipis), harmlessly.
. /cellvisor/tests/lib/guest.sh
. /cellvisor/tests/lib/hostile.sh

machine_configs

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "cellctl create hello succeeds" cellctl create -s $SYS $CELL

# ---- IPIs: delivery modes a cell may not use, whatever the destination ----
# Lowest priority, logical, to the root CPU 0's logical ID (flat: bit 0).
hostile_fails "icr=0x49fd icr_dest=0x1" \
	"IPI 0x49fd refused: lowest-priority delivery"
# An SMI to the cell's own CPU once left it unstoppable (QEMU): it fails
# the cell, and destroy still gets the CPU back.
hostile_fails_destroy "icr=0x4200" "IPI 0x4200 refused: SMI delivery"
# An SMI to all with the logical bit went out as a logical SMI to the
# root's CPU 0 (see the shorthands below).
hostile_fails "icr=0x84a00" "IPI 0x84a00 refused: SMI delivery"
hostile_fails "icr=0x4300" "IPI 0x4300 refused: reserved delivery mode"
hostile_fails "icr=0x4700" "IPI 0x4700 refused: reserved delivery mode"

# ---- IPIs: physical destinations outside the cell ----
hostile_fails "icr=0x40fd icr_dest=0x0" \
	"IPI 0x40fd to a CPU outside the cell .APIC ID 0,"
hostile_fails "icr=0x40fd icr_dest=0x5" \
	"IPI 0x40fd to a CPU outside the cell .APIC ID 5,"

# ---- IPIs the hypervisor resolves among the cell's own CPUs ----
# The cell keeps running; a fixed vector reaches its CPU exactly when
# the destination includes it (here the cell's only CPU, whose logical
# ID is 0 until it writes its LDR), and never the root's CPU 0.
if [ "$APIC" = x2apic ]; then
	hostile_survives "icr=0x40fd icr_dest=0xffffffff" \
		"vector 0xfd received 1 times"
	# 0xff is no broadcast in x2APIC: APIC ID 255, not the cell's.
	hostile_fails "icr=0x40fd icr_dest=0xff" \
		"IPI 0x40fd to a CPU outside the cell .APIC ID 255,"
else
	hostile_survives "icr=0x40fd icr_dest=0xff" \
		"vector 0xfd received 1 times"
fi
hostile_survives "icr=0x48fd icr_dest=0xff" "vector 0xfd received 1 times"
hostile_survives "icr=0x48fd icr_dest=0x1" "vector 0xfd received 0 times"
# A shorthand with the logical bit went out with the shorthand cleared
# and the logical bit kept, "to" the cell's own APIC ID 1: as a logical
# destination that is the root CPU 0's flat logical ID (bit 0).
hostile_survives "icr=0x448fd" "vector 0xfd received 1 times"
hostile_survives "icr=0x848fd" "vector 0xfd received 1 times"
hostile_survives "icr=0xc48fd icr_dest=0xff" "vector 0xfd received 0 times"
hostile_survives "icr=0x840fd" "vector 0xfd received 1 times"
hostile_survives "icr=0x440fd" "vector 0xfd received 1 times"
# NMIs are the hypervisor's signal: dropped, to itself or to the root's
# logical ID; an INIT to the root's logical ID reaches no one.
hostile_survives "icr=0x4400"
hostile_survives "icr=0x4c00 icr_dest=0x1"
hostile_survives "icr=0x4d00 icr_dest=0x1"

# ---- local APIC registers ----
# The APIC ID is how the hypervisor stops a CPU: a write once made the
# cell's CPU unstoppable (destroy EBUSY for good, RCU stalls in Linux).
hostile_fails_destroy "apic_reg=0x20 apic_val=0x5000000" \
	"APIC register 0x20 write 0x5000000 refused: the APIC ID is the hypervisor's"
# LVT entries other than fixed or masked: LINT1 and the performance
# counter as NMI, LINT0 as SMI and as ExtINT, the timer as INIT.
for lvt in 0x360=0x400 0x340=0x400 0x350=0x200 0x350=0x700 0x320=0x500; do
	hostile_fails "apic_reg=${lvt%=*} apic_val=${lvt#*=}" \
		"APIC register ${lvt%=*} write ${lvt#*=} refused: only fixed or masked LVT"
done
# Masked, any mode may be written: the mode is dropped.
hostile_survives "apic_reg=0x360 apic_val=0x10400" \
	"APIC register 0x360 reads 0x10000"
if [ "$APIC" = x2apic ]; then
	# No ICR high, no DFR, and the LDR is read-only (derived from the
	# APIC ID): writes fault on hardware and fail the cell here.
	for reg in 0x310 0xd0 0xe0; do
		hostile_fails "apic_reg=$reg apic_val=0x2" \
			"APIC register $reg write 0x2 refused: not a register a cell may write"
	done
	# Logical destinations resolve against the derived LDR: the cell's
	# CPU 1 is bit 1 of cluster 0, never in cluster 1.
	hostile_survives "icr=0x48fd icr_dest=0x2" "vector 0xfd received 1 times"
	hostile_survives "icr=0x48fd icr_dest=0x10002" \
		"vector 0xfd received 0 times"
	hostile_survives "icr=0x48fd icr_dest=0xffffffff" \
		"vector 0xfd received 1 times"
else
	# LDR and DFR are the hypervisor's copies: they read back what the
	# cell wrote, and its logical IPIs are resolved by them.
	hostile_survives "apic_reg=0xd0 apic_val=0x2000000" \
		"APIC register 0xd0 reads 0x2000000"
	hostile_survives "apic_reg=0xe0 apic_val=0xfffffff" \
		"APIC register 0xe0 reads 0xfffffff"
	hostile_survives \
		"apic_reg=0xd0 apic_val=0x2000000 icr=0x48fd icr_dest=0x2" \
		"vector 0xfd received 1 times"
	# The MMIO decoder: 32-bit forms with REX registers, SIB, MOVSXD, a
	# 64-bit absolute address and an immediate are replayed; other
	# widths fail the cell.
	hostile_survives "apic_forms" "APIC forms agree"
	for width in 1 2 8; do
		hostile_fails "apic_width=$width" \
			"$width-byte APIC access at offset 0x30 refused: the xAPIC page takes 32-bit"
	done
fi
# The APIC base: no x2APIC switch, no disable, no move.
for flip in 0x400 0x800 0x100000; do
	hostile_fails "apic_base_xor=$flip" \
		"APIC base write 0x[0-9a-f]+ refused: a cell may not move, disable or switch"
done

check "the hello inmate still runs after all that" \
	cellctl load hello inmates/demos/hello.bin
check "and starts" cellctl start hello
check "the cell is destroyed" cellctl destroy hello
check "CPU 1 is online again" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "disable works" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
