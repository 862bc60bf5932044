// SPDX-License-Identifier: GPL-2.0
/* Intel VT-x cells: own EPT, I/O and MSR bitmaps, real-mode start, exits. */
#include <string.h>
#include <hv/cell.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <asm/cell_x86.h>
#include <asm/processor.h>
#include <asm/vmx.h>
#include <asm/vmx_cell.h>

#define ROOT_VPID		1	/* vmx.c's; a cell gets ROOT_VPID + id */
#define MSR_APIC_BASE		0x1b
#define X86_GP_VECTOR		13
#define X86_NMI_VECTOR		2
#define X86_CR0_ET		BIT(4)
#define RESET_PAT		0x0007040600070406ULL

/* Exit qualification of I/O instructions, CR accesses, EPT violations */
#define IO_SIZE(q)		(((q) & 7) + 1)
#define IO_IN			BIT(3)
#define IO_STRING		BIT(4)
#define CR_NUM(q)		((q) & 15)
#define CR_TYPE(q)		(((q) >> 4) & 3)	/* 0: MOV to CR */
#define CR_GPR(q)		(((q) >> 8) & 15)
#define EPT_QUAL_WRITE		BIT(1)

struct vmx_cell {
	struct paging ept;
	u8 *io_bitmap;		/* A and B, contiguous */
};

static struct vmx_cell vmx_cells[CELL_MAX];
static u8 cell_io_bitmaps[CELL_MAX][2 * PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 root_io_bitmap[2 * PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 cell_msr_bitmap[PAGE_SIZE] __aligned(PAGE_SIZE);
static volatile u32 root_gen;
static u32 root_seen_gen[CELLVISOR_MAX_CPUS];
static bool root_apic_trapped;

static struct vmx_cell *arch_of(struct cell *c)
{
	return c->arch;
}

/* ---- memory ---- */

static u64 ept_flags(u32 flags)
{
	u64 f = EPT_R;

	if (flags & CFG_MEM_WRITE)
		f |= EPT_W;
	if (flags & CFG_MEM_EXECUTE)
		f |= EPT_X;
	return f | ((flags & CFG_MEM_IO) ? EPT_MT_UC : EPT_MT_WB);
}

/* The root's EPT; what it sees of a cell's memory: zeros, read-only. */
static const struct cell_root_tables *root_tables(void)
{
	static struct cell_root_tables t;

	t.pg = vmx_root_ept();
	t.hidden = EPT_R | EPT_MT_WB;
	t.shown = EPT_LEAF;
	return &t;
}

static int vmx_root_map(struct cell *c, bool loadable_only, bool map)
{
	return cell_root_map(root_tables(), c, loadable_only, map);
}

/*
 * Root CPUs flush their EPT translations at their next exit; the CPU
 * that changed the tables (in a hypercall) does so at once, since it may
 * touch the memory right after (cellctl start, then a read of it).
 */
static void vmx_flush_root(void)
{
	struct per_cpu *pc = this_cpu();

	__atomic_add_fetch(&root_gen, 1, __ATOMIC_SEQ_CST);
	root_seen_gen[pc->cpu_index] = root_gen;
	vmx_invept_all();
}

/* ---- create / destroy ---- */

/*
 * From the first CPU handed over on, the root's ICR writes exit: IPIs
 * to cell CPUs are dropped, INIT/SIPI to CPUs coming back emulated.  In
 * x2APIC mode the ICR is an MSR; in xAPIC mode (Linux without interrupt
 * remapping, as under Bochs) the whole APIC page traps, as on AMD.
 */
static void root_apic_trap(void)
{
	if (root_apic_trapped)
		return;
	if (apic_x2apic_mode())
		vmx_msr_intercept(vmx_root_msr_bitmap(), MSR_X2APIC_ICR_REG,
				  false, true);
	else if (!paging_unmap(vmx_root_ept(), apic_phys(), PAGE_SIZE))
		vmx_flush_root();
	else
		return;
	root_apic_trapped = true;
}

static int vmx_cell_create(struct cell *c)
{
	struct vmx_cell *vc;
	unsigned int slot;
	int err;

	for (slot = 0; slot < CELL_MAX && vmx_cells[slot].ept.root; slot++)
		;
	if (slot == CELL_MAX)
		return -ENOSPC;
	vc = &vmx_cells[slot];
	vc->io_bitmap = cell_io_bitmaps[slot];
	c->arch = vc;
	err = paging_init(&vc->ept, 4, EPT_TABLE, vmx_root_ept()->huge_1g);
	if (!err)
		err = cell_map_regions(c, &vc->ept, ept_flags);
	if (!err)
		err = cell_root_take(root_tables(), c);
	if (err) {
		paging_destroy(&vc->ept);
		return err;
	}
	cell_io_bitmap_fill(c, vc->io_bitmap, 2 * PAGE_SIZE);
	cell_root_ports(c, root_io_bitmap, true);
	root_apic_trap();
	return 0;
}

static void vmx_cell_destroy(struct cell *c)
{
	struct vmx_cell *vc = arch_of(c);
	int err;

	err = cell_root_map(root_tables(), c, false, true);
	if (err)
		pr_err("cell '%s': root memory not fully given back (%d)\n",
		       c->cfg.name, err);
	cell_root_ports(c, root_io_bitmap, false);
	paging_destroy(&vc->ept);
	c->arch = NULL;
}

/* ---- CPU state ---- */

static void seg_real(enum vmx_seg seg, u16 sel, u64 base, u32 ar)
{
	vmwrite(GUEST_ES_SELECTOR + 2 * seg, sel);
	vmwrite(GUEST_ES_BASE + 2 * seg, base);
	vmwrite(GUEST_ES_LIMIT + 2 * seg, 0xffff);
	vmwrite(GUEST_ES_AR + 2 * seg, ar);
}

static void vcpu_reset_regs(u64 entry)
{
	seg_real(SEG_CS, (entry >> 4) & 0xf000, entry & 0xf0000, 0x9b);
	seg_real(SEG_DS, 0, 0, 0x93);
	seg_real(SEG_ES, 0, 0, 0x93);
	seg_real(SEG_SS, 0, 0, 0x93);
	seg_real(SEG_FS, 0, 0, 0x93);
	seg_real(SEG_GS, 0, 0, 0x93);
	seg_real(SEG_LDTR, 0, 0, 0x82);
	seg_real(SEG_TR, 0, 0, 0x8b);
	vmwrite(GUEST_GDTR_BASE, 0);
	vmwrite(GUEST_GDTR_LIMIT, 0xffff);
	vmwrite(GUEST_IDTR_BASE, 0);
	vmwrite(GUEST_IDTR_LIMIT, 0xffff);
	vmwrite(GUEST_RIP, entry & 0xffff);
	vmwrite(GUEST_RSP, 0);
	vmwrite(GUEST_RFLAGS, 2);
	vmwrite(GUEST_DR7, 0x400);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
}

/*
 * The state of a CPU after INIT, except that CS:IP point at @entry (the
 * cell's entry point, or a SIPI vector's page), with unrestricted guest.
 * VMX operation needs CR0.NE and CR4.VMXE set: the guest sees 0 for both
 * through the read shadows where the controls mask them (cell: NE and
 * VMXE; root: VMXE only, Linux's trampoline sets NE itself).
 */
static void vcpu_reset(struct per_cpu *pc, u64 entry)
{
	struct registers *r = &pc->arch.run.regs;

	memset(r, 0, sizeof(*r));
	r->rdx = 0x600;			/* family 6, as after reset */
	vcpu_reset_regs(entry);
	vmwrite(GUEST_CR0, X86_CR0_ET | X86_CR0_NE);	/* caches on */
	vmwrite(CR0_READ_SHADOW, X86_CR0_ET);
	vmwrite(GUEST_CR3, 0);
	vmwrite(GUEST_CR4, X86_CR4_VMXE);
	vmwrite(CR4_READ_SHADOW, 0);
	vmwrite(CR4_GUEST_HOST_MASK, X86_CR4_VMXE);
	vmwrite(GUEST_IA32_PAT, RESET_PAT);
	vmwrite(GUEST_IA32_EFER, 0);
	vmwrite(GUEST_ACTIVITY_STATE, 0);
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_PENDING_DBG, 0);
	vmwrite(ENTRY_INTR_INFO, 0);
	vmwrite(ENTRY_CONTROLS, vmread(ENTRY_CONTROLS) & ~ENTRY_IA32E);
}

/*
 * A cell CPU: NMIs exit (the hypervisor's stop and INIT signal), external
 * interrupts and HLT do not (its timer costs no exit), its own bitmaps,
 * EPT and VPID.
 */
static void cell_controls(struct cell *c)
{
	struct vmx_cell *vc = arch_of(c);

	vmx_root_controls();
	vmwrite(PIN_BASED_CONTROLS,
		vmread(PIN_BASED_CONTROLS) | PIN_NMI_EXITING);
	vmwrite(PROC_BASED_CONTROLS, vmread(PROC_BASED_CONTROLS) &
		~(PROC_HLT_EXITING | PROC_MWAIT_EXITING));
	vmwrite(IO_BITMAP_A, hv_pa(vc->io_bitmap));
	vmwrite(IO_BITMAP_B, hv_pa(vc->io_bitmap + PAGE_SIZE));
	vmwrite(MSR_BITMAP, hv_pa(cell_msr_bitmap));
	vmwrite(EPT_POINTER, hv_pa(vc->ept.root) | EPTP_WB_4LEVEL);
	vmwrite(VMCS_VPID, ROOT_VPID + c->id);
	vmwrite(CR0_GUEST_HOST_MASK, X86_CR0_NE);
}

/*
 * A CPU that belongs to a cell, or waits to go back to the root, spins
 * in cell_cpu_park() in VMX root until the cell starts it or Linux sends
 * its SIPI; then it enters the cell or the root from reset.  NMIs that
 * reach it there run the host's NMI stub, which drops them.
 */
static void park(struct per_cpu *pc)
{
	u64 entry;

	if (cell_cpu_park(pc, &entry) == CELL_CPU_TO_CELL) {
		apic_reset_for_cell();
		cell_controls(cell_cpu(pc)->cell);
	} else {
		vmx_root_controls();
		root_seen_gen[pc->cpu_index] = READ_ONCE(root_gen);
		pr_info("CPU %u back in the root cell\n", pc->cpu_index);
	}
	vcpu_reset(pc, entry);
	/* Another cell with the same VPID may have run here before. */
	vmx_invept_all();
	vmx_invvpid_all();
}

/* ---- exits shared by root and cells ---- */

static void exit_pio(struct cell_pio *io)
{
	u64 q = vmread(EXIT_QUALIFICATION);

	io->port = q >> 16;
	io->size = IO_SIZE(q);
	io->in = q & IO_IN;
	io->string = q & IO_STRING;
}

/* A general-purpose register by its x86 number; RSP lives in the VMCS. */
static u64 gpr_get(struct registers *r, unsigned int n)
{
	return n == 4 ? vmread(GUEST_RSP) : *vmx_gpr(r, n);
}

static void gpr_set32(struct registers *r, unsigned int n, u32 val)
{
	if (n == 4)
		vmwrite(GUEST_RSP, val);
	else
		*vmx_gpr(r, n) = val;
}

/* The instruction behind an access to the xAPIC page (EPT violation). */
static int apic_exit_decode(const struct cell *c, struct apic_insn *in)
{
	return apic_decode(c, vmread(GUEST_CR0), vmread(GUEST_CR3),
			   vmread(GUEST_CR4),
			   vmread(GUEST_ES_BASE + 2 * SEG_CS) +
			   vmread(GUEST_RIP), in);
}

/* Skips an instruction the CPU did not execute: no STI shadow after it. */
static void skip_insn(void)
{
	vmx_skip();
	vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) &
		~(VMX_BLOCK_STI | VMX_BLOCK_MOV_SS));
}

/* ---- cell exits ---- */

/*
 * After an NMI exit NMIs stay blocked until an IRET: INT 2 runs the
 * host's NMI stub, whose IRETQ unblocks them (and takes one more that
 * is pending), so a later stop NMI is not held.  Bochs 2.7 also saves
 * the guest as NMI-blocked, which with NMI exiting it never is; left
 * so, the next NMI would wait for an IRET of the guest.
 */
static bool cell_nmi(struct per_cpu *pc)
{
	u32 info = vmread(EXIT_INTR_INFO);

	if (!(info & VMX_INTR_INFO_VALID) ||
	    VMX_INTR_TYPE(info) != VMX_INTR_TYPE_NMI) {
		cell_fail(pc, "exception %u (RIP 0x%lx)", info & 0xff,
			  vmread(GUEST_RIP));
		return false;
	}
	asm volatile("int %0" : : "i" (X86_NMI_VECTOR) : "memory");
	vmwrite(GUEST_INTERRUPTIBILITY,
		vmread(GUEST_INTERRUPTIBILITY) & ~VMX_BLOCK_NMI);
	return true;
}

static void cell_cpuid(struct registers *r)
{
	u32 leaf = r->rax;

	vmx_handle_cpuid(r);
	r->rcx = cell_cpuid_ecx(leaf, r->rcx);
}

/* Only FEATURE_CONTROL and the VMX MSRs are read-intercepted. */
static bool cell_rdmsr(struct per_cpu *pc, struct registers *r)
{
	u32 msr = r->rcx;
	u64 val;

	cell_count_exit(pc, CELLVISOR_EXIT_MSR);
	if (msr != MSR_IA32_FEATURE_CONTROL) {
		cell_fail_msr(pc, msr, false, vmread(GUEST_RIP));
		return false;
	}
	val = (rdmsr(msr) & ~(FEATURE_CONTROL_VMX |
			      FEATURE_CONTROL_VMX_INSIDE_SMX)) |
	      FEATURE_CONTROL_LOCKED;
	r->rax = (u32)val;
	r->rdx = val >> 32;
	vmx_skip();
	return true;
}

static bool cell_wrmsr(struct per_cpu *pc, struct registers *r)
{
	struct cell_cpu *cc = cell_cpu(pc);
	u64 val = (r->rdx << 32) | (u32)r->rax;
	u32 msr = r->rcx;

	if (msr == MSR_X2APIC_ICR_REG) {
		cell_count_exit(pc, CELLVISOR_EXIT_APIC);
		if (apic_cell_x2apic_icr(cc->cell, cc, val)) {
			cell_fail_icr(pc, val, val >> 32, vmread(GUEST_RIP));
			return false;
		}
	} else {
		cell_count_exit(pc, CELLVISOR_EXIT_MSR);
		if (msr != MSR_APIC_BASE || apic_cell_write_base(val)) {
			cell_fail_msr(pc, msr, true, vmread(GUEST_RIP));
			return false;
		}
	}
	vmx_skip();
	return true;
}

static bool cell_vmcall(struct per_cpu *pc, struct registers *r)
{
	u64 rip = vmread(GUEST_RIP);
	s64 ret;

	cell_count_exit(pc, CELLVISOR_EXIT_HYPERCALL);
	vmx_skip();
	/* CPL is the DPL of SS. */
	if ((vmread(GUEST_ES_AR + 2 * SEG_SS) >> 5) & 3) {
		r->rax = -EPERM;
		return true;
	}
	if (!cell_guest_hypercall(cell_cpu(pc)->cell, r->rax, r->rdi, &ret)) {
		cell_fail_hypercall(pc, r->rax, rip);
		return false;
	}
	r->rax = ret;
	return true;
}

/* The cell's virtual console, or a port it does not own (fails it). */
static bool cell_io(struct per_cpu *pc, struct registers *r)
{
	struct cell_pio io;

	cell_count_exit(pc, CELLVISOR_EXIT_PIO);
	exit_pio(&io);
	if (!cell_console_io(cell_cpu(pc), &io, &r->rax)) {
		cell_fail_pio(pc, &io, vmread(GUEST_RIP));
		return false;
	}
	vmx_skip();
	return true;
}

/*
 * CR0.NE is masked: a write that changes it exits here (the inmate
 * library sets NE while switching to protected mode).  If the write also
 * turns paging on or off, EFER.LMA and the IA-32e entry control follow,
 * as the CPU would do had it not exited.
 */
static void cell_write_cr0(u64 val)
{
	u64 old = vmread(GUEST_CR0), efer = vmread(GUEST_IA32_EFER);
	u64 entry = vmread(ENTRY_CONTROLS);

	vmwrite(CR0_READ_SHADOW, val);
	vmwrite(GUEST_CR0, val | X86_CR0_NE);
	if ((val & X86_CR0_PG) && !(old & X86_CR0_PG) && (efer & EFER_LME)) {
		efer |= EFER_LMA;
		entry |= ENTRY_IA32E;
	} else if (!(val & X86_CR0_PG) && (old & X86_CR0_PG)) {
		efer &= ~EFER_LMA;
		entry &= ~ENTRY_IA32E;
	}
	vmwrite(GUEST_IA32_EFER, efer);
	vmwrite(ENTRY_CONTROLS, entry);
}

/* CR0 writes that change NE; CR4.VMXE (no VT-x in cells) fails it. */
static bool cell_cr(struct per_cpu *pc, struct registers *r)
{
	u64 q = vmread(EXIT_QUALIFICATION);
	unsigned int reg = CR_GPR(q);

	cell_count_exit(pc, CELLVISOR_EXIT_OTHER);
	if (CR_NUM(q) != 0 || CR_TYPE(q) != 0) {
		cell_fail(pc, "CR%lu access not allowed (qualification 0x%lx, "
			  "RIP 0x%lx)", CR_NUM(q), q, vmread(GUEST_RIP));
		return false;
	}
	cell_write_cr0(reg == 4 ? vmread(GUEST_RSP) : *vmx_gpr(r, reg));
	vmx_skip();
	return true;
}

/* The cell's own xAPIC page (inmates started with "xapic"). */
static bool cell_apic(struct per_cpu *pc, struct registers *r)
{
	struct cell_cpu *cc = cell_cpu(pc);
	u64 rip = vmread(GUEST_RIP), val;
	struct apic_insn in;

	cell_count_exit(pc, CELLVISOR_EXIT_APIC);
	if (apic_exit_decode(cc->cell, &in)) {
		cell_fail(pc, "APIC access not understood (RIP 0x%lx)", rip);
		return false;
	}
	val = in.imm ? in.value : (u32)gpr_get(r, in.reg);
	if (apic_cell_access(cc->cell, cc,
			     vmread(GUEST_PHYSICAL_ADDRESS) & 0xfff, in.write,
			     &val)) {
		cell_fail_icr(pc, val, cc->icr_hi >> 24, rip);
		return false;
	}
	if (!in.write)
		gpr_set32(r, in.reg, val);
	vmwrite(GUEST_RIP, rip + in.len);
	return true;
}

static bool cell_ept_violation(struct per_cpu *pc, struct registers *r)
{
	u64 gpa = vmread(GUEST_PHYSICAL_ADDRESS);

	if ((gpa & PAGE_MASK) == apic_phys() && !apic_x2apic_mode())
		return cell_apic(pc, r);
	cell_count_exit(pc, CELLVISOR_EXIT_MMIO);
	cell_fail_mem(pc, vmread(GUEST_PHYSICAL_ADDRESS),
		      vmread(EXIT_QUALIFICATION) & EPT_QUAL_WRITE,
		      vmread(GUEST_RIP));
	return false;
}

/* False after cell_fail(): the CPU parks. */
static bool cell_handle(struct per_cpu *pc, struct registers *r, u32 reason)
{
	switch (reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		cell_count_exit(pc, CELLVISOR_EXIT_MANAGEMENT);
		return cell_nmi(pc);
	case EXIT_REASON_CPUID:
		cell_count_exit(pc, CELLVISOR_EXIT_CPUID);
		cell_cpuid(r);
		return true;
	case EXIT_REASON_MSR_READ:
		return cell_rdmsr(pc, r);
	case EXIT_REASON_MSR_WRITE:
		return cell_wrmsr(pc, r);
	case EXIT_REASON_VMCALL:
		return cell_vmcall(pc, r);
	case EXIT_REASON_IO:
		return cell_io(pc, r);
	case EXIT_REASON_EPT_VIOLATION:
		return cell_ept_violation(pc, r);
	case EXIT_REASON_CR_ACCESS:
		return cell_cr(pc, r);
	case EXIT_REASON_XSETBV:
		cell_count_exit(pc, CELLVISOR_EXIT_OTHER);
		vmx_handle_xsetbv(r);
		return true;
	case EXIT_REASON_TRIPLE_FAULT:
		cell_count_exit(pc, CELLVISOR_EXIT_OTHER);
		cell_fail(pc, "triple fault (RIP 0x%lx)", vmread(GUEST_RIP));
		return false;
	}
	cell_count_exit(pc, CELLVISOR_EXIT_OTHER);
	cell_fail(pc, "unhandled exit %u (qualification 0x%lx, RIP 0x%lx)",
		  reason, vmread(EXIT_QUALIFICATION), vmread(GUEST_RIP));
	return false;
}

/*
 * An NMI that reached this CPU in VMX root is gone (no GIF holds it as
 * on AMD), so a stop or INIT is looked for before every VM entry too.
 */
static void cell_exit(struct per_cpu *pc, struct registers *r, u32 reason)
{
	if (reason & EXIT_REASON_ENTRY_FAILED) {
		cell_count_exit(pc, CELLVISOR_EXIT_OTHER);
		cell_fail(pc, "VM entry refused its state (exit %u, RIP 0x%lx)",
			  reason & 0xffff, vmread(GUEST_RIP));
		park(pc);
		return;
	}
	if (!cell_handle(pc, r, reason & 0xffff) ||
	    cell_cpu_must_park(cell_cpu(pc)))
		park(pc);
}

/* ---- root exits related to cells ---- */

/* HLT or MWAIT of a prepared CPU: its last one in Linux parks it. */
static void root_halt(struct per_cpu *pc)
{
	struct cell_cpu *cc = cell_cpu(pc);

	skip_insn();
	if (cell_cpu_root_halt(cc))
		park(pc);
	else if (!cc->prepared)
		vmwrite(PROC_BASED_CONTROLS, vmread(PROC_BASED_CONTROLS) &
			~(PROC_HLT_EXITING | PROC_MWAIT_EXITING));
}

/* A port a cell owns: the root reads all ones, its writes go nowhere. */
static void root_io(struct registers *r)
{
	struct cell_pio io;

	exit_pio(&io);
	cell_root_pio(&io, &r->rax);
	vmx_skip();
}

static void root_icr(struct registers *r)
{
	u64 val = (r->rdx << 32) | (u32)r->rax;

	if (!apic_root_x2apic_icr(val))
		wrmsr(MSR_X2APIC_ICR_REG, val);
	vmx_skip();
}

/* The root's xAPIC page: replayed on the real APIC, its ICR filtered. */
static void root_apic(struct per_cpu *pc, struct registers *r, u64 gpa)
{
	u64 rip = vmread(GUEST_RIP), val;
	struct apic_insn in;

	if (apic_exit_decode(NULL, &in)) {
		pr_err("CPU %u: root APIC access at RIP 0x%lx not decoded, "
		       "#GP injected\n", pc->cpu_index, rip);
		vmx_inject(X86_GP_VECTOR, true, 0);
		return;
	}
	val = in.imm ? in.value : (u32)gpr_get(r, in.reg);
	apic_root_access(gpa & 0xfff, in.write, &val);
	if (!in.write)
		gpr_set32(r, in.reg, val);
	vmwrite(GUEST_RIP, rip + in.len);
}

/* Not fatal, like the hypervisor's own memory: Linux gets a #GP. */
static bool root_ept_violation(struct per_cpu *pc, struct registers *r)
{
	u64 gpa = vmread(GUEST_PHYSICAL_ADDRESS);

	if (root_apic_trapped && (gpa & PAGE_MASK) == apic_phys()) {
		root_apic(pc, r, gpa);
		return true;
	}
	if (!cell_owning(gpa))
		return false;
	cell_root_mem_report(pc, gpa, vmread(GUEST_RIP));
	vmx_inject(X86_GP_VECTOR, true, 0);
	return true;
}

static bool root_exit(struct per_cpu *pc, struct registers *r, u32 reason)
{
	if (root_seen_gen[pc->cpu_index] != READ_ONCE(root_gen)) {
		root_seen_gen[pc->cpu_index] = root_gen;
		vmx_invept_all();
	}
	switch (reason) {
	case EXIT_REASON_HLT:
	case EXIT_REASON_MWAIT:
		root_halt(pc);
		return true;
	case EXIT_REASON_IO:
		root_io(r);
		return true;
	case EXIT_REASON_MSR_WRITE:
		if (!root_apic_trapped || (u32)r->rcx != MSR_X2APIC_ICR_REG)
			return false;
		root_icr(r);
		return true;
	case EXIT_REASON_EPT_VIOLATION:
		return root_ept_violation(pc, r);
	}
	return false;
}

bool vmx_cell_exit(struct per_cpu *pc, struct registers *r, u32 reason)
{
	if (!cell_arch)
		return false;
	if (cell_cpu(pc)->in_cell) {
		cell_exit(pc, r, reason);
		return true;
	}
	return root_exit(pc, r, reason);
}

/* ---- setup ---- */

void vmx_cell_root_controls(void)
{
	if (!cell_arch)
		return;
	/* All clear until a cell takes ports: no exits, no cost. */
	vmwrite(IO_BITMAP_A, hv_pa(root_io_bitmap));
	vmwrite(IO_BITMAP_B, hv_pa(root_io_bitmap + PAGE_SIZE));
	vmwrite(PROC_BASED_CONTROLS,
		vmread(PROC_BASED_CONTROLS) | PROC_USE_IO_BITMAPS);
}

/* The root is about to offline this CPU: catch its last halt. */
static void vmx_cpu_prepare(struct per_cpu *pc, bool prepare)
{
	u64 proc = vmread(PROC_BASED_CONTROLS);

	if (phys_window_init())
		return;
	root_apic_trap();
	cell_cpu(pc)->apic_id = apic_this_id();
	cell_cpu(pc)->apic_id_valid = true;
	/* Linux's play_dead() uses MWAIT where it can, HLT otherwise. */
	if (prepare)
		proc |= PROC_HLT_EXITING | PROC_MWAIT_EXITING;
	else
		proc &= ~(PROC_HLT_EXITING | PROC_MWAIT_EXITING);
	vmwrite(PROC_BASED_CONTROLS, proc);
}

/*
 * Writes exit except those of cell_msr_write_passes() and EFER, which
 * the VMCS switches; reads exit only for FEATURE_CONTROL and the VMX
 * capability MSRs: a cell sees no VT-x.
 */
static void cell_msr_bitmap_init(void)
{
	u32 msr;

	for (msr = 0; msr < 0x2000; msr++) {
		vmx_msr_intercept(cell_msr_bitmap, msr, false,
				  !cell_msr_write_passes(msr));
		vmx_msr_intercept(cell_msr_bitmap, 0xc0000000 + msr, false,
				  !cell_msr_write_passes(0xc0000000 + msr) &&
				  0xc0000000 + msr != MSR_EFER);
	}
	vmx_msr_intercept(cell_msr_bitmap, MSR_IA32_FEATURE_CONTROL, true,
			  true);
	for (msr = MSR_IA32_VMX_BASIC; msr <= MSR_IA32_VMX_VMFUNC; msr++)
		vmx_msr_intercept(cell_msr_bitmap, msr, true, true);
}

/* Can this CPU exit on NMI and HLT, and filter ports? */
static bool vmx_cell_caps(void)
{
	bool tru = rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_TRUE_CTLS;
	u32 pin = rdmsr(tru ? MSR_IA32_VMX_TRUE_PINBASED :
			MSR_IA32_VMX_PINBASED_CTLS) >> 32;
	u32 proc = rdmsr(tru ? MSR_IA32_VMX_TRUE_PROCBASED :
			 MSR_IA32_VMX_PROCBASED_CTLS) >> 32;
	u32 need = PROC_HLT_EXITING | PROC_MWAIT_EXITING | PROC_USE_IO_BITMAPS;

	return (pin & PIN_NMI_EXITING) && (proc & need) == need;
}

static const struct cell_arch_ops vmx_cell_ops = {
	.cpu_prepare = vmx_cpu_prepare,
	.cell_create = vmx_cell_create,
	.cell_destroy = vmx_cell_destroy,
	.root_map = vmx_root_map,
	.flush_root = vmx_flush_root,
};

void vmx_cell_init(void)
{
	if (!vmx_cell_caps()) {
		pr_err("VT-x without NMI/HLT exiting or I/O bitmaps: no cells\n");
		return;
	}
	cell_msr_bitmap_init();
	cell_arch = &vmx_cell_ops;
}
