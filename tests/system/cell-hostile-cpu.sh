# What a cell's CPU may read and run (issue 10, classes 3 and 4): a fresh
# cell reads clean registers whatever the root or an earlier cell left on
# its CPU; MSRs outside the rule book's list fail it even to read; INVD
# and WBINVD exit and write back, and the cell goes on.
# emulators: qemu qemu-x2apic bochs
#
# The machines differ in what the state test can see: QEMU's AMD CPU has
# no TSC deadline timer and, in QEMU 7.2, XSAVE with x87, SSE and AVX;
# Bochs's Skylake-X has the deadline timer, AVX-512 and MPX.  The inmate
# asks CPUID and reads what exists ("hostile: state: no ... on this CPU"
# in the log says what was left out); the root's helper does the same.
. /cellvisor/tests/lib/guest.sh
. /cellvisor/tests/lib/hostile.sh

machine_configs
ROOT_DIRTY=/cellvisor/tests/modules/root-dirty
# QEMU 7.2's SVM ignores the VMCB's G_PAT: under nested paging a guest
# reads and writes the CPU's own PAT (Linux's, 0x0407050600070106), so
# the reset PAT the hypervisor puts in the VMCB cannot show there; AMD
# hardware gives the guest G_PAT, and Bochs's VT-x loads GUEST_IA32_PAT
# at entry, where PAT is checked.  On QEMU the inmate prints PAT only.
[ "$EMU" = qemu ] && STATE_ARGS="state state_unchecked=PAT"

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS

# ---- clean state: from the root ----
# A root process fills x87, SSE, MXCSR, AVX(-512) and, through a ptrace
# watchpoint, DR0 on CPU 1; Linux keeps its own syscall MSRs, TSC_AUX
# (the CPU number, 1) and XCR0 there.  The cell then gets that CPU.
$ROOT_DIRTY 1 >/tmp/root-dirty.out 2>&1 &
RD_PID=$!
check "a root process dirties CPU 1's registers" \
	wait_until 5 grep -q "set$" /tmp/root-dirty.out
sed 's/^/  | /' /tmp/root-dirty.out
check "cellctl create hello takes CPU 1 from it" cellctl create -s $SYS $CELL
kill $RD_PID
wait $RD_PID 2>/dev/null
state_clean "fresh cell after a root process"

# ---- MSRs: reads outside the list fail the cell ----
# Machine-check bank 0 (control, status), performance counter 0 and its
# event select (Intel), DEBUGCTL, AMD's performance counter 0, and one
# outside the ranges the MSR bitmaps cover.
for msr in 0x400 0x401 0xc1 0x186 0x1d9 0xc0010004 0x40000000; do
	hostile_fails "msr_read=$msr" "forbidden MSR read $msr "
done
# A listed one (the TSC) is read without ado.
hostile_survives "msr_read=0x10" "MSR 0x10 reads 0x[0-9a-f]+"

# ---- the hypervisor's instructions ----
# The performance counters (RDPMC exits for cells) and virtualisation:
# VMRUN on QEMU's AMD CPU, VMXON on Bochs's Intel CPU (each exits only on
# its own vendor; the other vendor's instruction is a #UD in the cell).
hostile_fails rdpmc "RDPMC: the performance counters are not a cell's"
[ "$EMU" = qemu ] && VIRT=VMRUN || VIRT="VMX instruction"
hostile_fails virt "$VIRT: virtualisation is the hypervisor's"

# ---- CPUID: the leaves the rule book edits (vcpu_handle_cpuid) ----
# No VMX or SVM, the hypervisor bit, OSXSAVE and OSPKE from the cell's
# own CR4, of leaf 6 only turbo and ARAT (memtest read a thermal MSR it
# saw there), no SVM leaf.
hostile_survives cpuid "cpuid 0x6: " "cpuid rules hold"

# ---- INVD and WBINVD: exit, write back, the cell goes on ----
# Its own memory keeps what it wrote, and each run is an exit ("other").
# The cell's exit counts add up over its runs: the difference counts.
for insn in invd wbinvd; do
	INSN=$(echo $insn | tr a-z A-Z)
	OTHER0=$(other_exits)
	hostile_runs "$insn" "$INSN kept memory" "$INSN ran 64 times"
	OTHER=$(other_exits)
	check "$insn: each of the 64 was a VM exit (other: $OTHER0 -> $OTHER)" \
		test $((${OTHER:-0} - ${OTHER0:-0})) -ge 64
	check "the cell shuts down after $insn" cellctl shutdown hello
done

# ---- clean state: from a cell ----
# A cell fills the same registers, and CR2, DR0-3, DR6, DR7, XCR0, the
# syscall and SYSENTER MSRs, KERNEL_GS_BASE, TSC_AUX, TSC_DEADLINE, PAT
# and EFER.
state_dirty
check "the dirty cell shuts down" cellctl shutdown hello
state_clean "the same cell started again"
state_dirty
check "the dirty cell is destroyed" cellctl destroy hello
check "CPU 1 is online again" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "CPU 1 runs root processes (syscalls, FPU)" \
	taskset -c 1 sh -c 'i=0; while [ $i -lt 500 ]; do i=$((i+1)); done'
run taskset -c 1 /cellvisor/tests/modules/cpuid-sig
check_out "CPU 1 is the root's under the hypervisor" "^cpu1 CellvisorVMM"
check "a new cell takes CPU 1 again" cellctl create -s $SYS $CELL
state_clean "a new cell after a dirty cell and the root"

check "the cell is destroyed" cellctl destroy hello
check "CPU 1 is online again" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "disable works" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
