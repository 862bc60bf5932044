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
#include <asm/vcpu.h>
#include <asm/vmx_cell.h>

#define ROOT_VPID		1	/* vmx.c's; a cell gets ROOT_VPID + id */
#define X86_NMI_VECTOR		2
#define RESET_PAT		0x0007040600070406ULL

/* Exit qualification of I/O instructions, CR accesses, EPT violations */
#define CR_NUM(q)		((q) & 15)
#define CR_TYPE(q)		(((q) >> 4) & 3)	/* 0: MOV to CR */
#define CR_GPR(q)		(((q) >> 8) & 15)

#define IO_BITMAPS_SIZE		(2 * PAGE_SIZE)	/* A and B, in a row */
#define ROOT_SLOT		0	/* vmx_cells[0]: the root cell's */

static struct vmx_cell vmx_cells[1 + CELL_MAX];
static u8 cell_io_bitmaps[1 + CELL_MAX][IO_BITMAPS_SIZE]
	__aligned(PAGE_SIZE);
/* The root's intercepts are the rule book's for Linux, a cell's its own. */
static u8 root_msr_bitmap[PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 cell_msr_bitmap[PAGE_SIZE] __aligned(PAGE_SIZE);
static u32 cell_proc_extra;	/* RDPMC exiting where the CPU has it */

static struct vmx_cell *arch_of(struct cell *c)
{
	return vmx_cell_of(c);
}

static struct vmx_cell *root_arch(void)
{
	return vmx_cell_of(&root_cell);
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

static int vmx_root_loadable(struct cell *c, bool root_sees)
{
	return cell_root_loadable(c, root_sees);
}

/*
 * Root CPUs flush their EPT translations at their next exit; the CPU
 * that changed the tables (in a hypercall) does so at once, since it may
 * touch the memory right after (cellctl start, then a read of it).
 */
static void vmx_flush_root(void)
{
	struct cell_x86 *root = &root_arch()->x;
	struct per_cpu *pc = this_cpu();

	__atomic_add_fetch(&root->gen, 1, __ATOMIC_SEQ_CST);
	root->seen_gen[pc->cpu_index] = root->gen;
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
	struct cell_x86 *root = &root_arch()->x;

	if (root->apic_trapped || apic_x2apic_mode())
		return;
	if (!paging_unmap(&root->pg, apic_phys(), PAGE_SIZE)) {
		vmx_flush_root();
		root->apic_trapped = true;
	}
}

/*
 * The part every cell has, the root's as any other: an empty EPT like
 * the root's, I/O bitmaps and an MSR bitmap.
 */
static int vmx_arch_init(struct cell *c, unsigned int slot, bool huge_1g,
			 u8 *msr_bitmap)
{
	struct vmx_cell *vc = &vmx_cells[slot];

	memset(vc, 0, sizeof(*vc));
	vc->x.io_bitmap = cell_io_bitmaps[slot];
	vc->x.leaf = ept_flags;
	vc->msr_bitmap = msr_bitmap;
	c->arch = vc;
	return paging_init(&vc->x.pg, 4, EPT_TABLE, huge_1g);
}

/* The root sees its own memory as it is, a cell's as zeros, read-only. */
int vmx_cell_root_init(bool huge_1g)
{
	int err = vmx_arch_init(&root_cell, ROOT_SLOT, huge_1g,
				root_msr_bitmap);

	if (err)
		return err;
	cell_x86_root_init(&root_arch()->x, IO_BITMAPS_SIZE, EPT_LEAF,
			   EPT_R | EPT_MT_WB);
	vmx_msr_bitmap_build(root_msr_bitmap, false);
	return 0;
}

static int vmx_cell_create(struct cell *c)
{
	unsigned int slot;
	int err;

	for (slot = ROOT_SLOT + 1; slot <= CELL_MAX; slot++)
		if (!vmx_cells[slot].x.pg.root)
			break;
	if (slot > CELL_MAX)
		return -ENOSPC;
	err = vmx_arch_init(c, slot, root_arch()->x.pg.huge_1g,
			    cell_msr_bitmap);
	err = cell_x86_create(c, err, IO_BITMAPS_SIZE);
	if (!err)
		root_apic_trap();
	return err;
}

/* ---- CPU state ---- */

static void seg_write(enum vmx_seg seg, const struct vcpu_seg *v)
{
	vmwrite(GUEST_ES_SELECTOR + 2 * seg, v->sel);
	vmwrite(GUEST_ES_BASE + 2 * seg, v->base);
	vmwrite(GUEST_ES_LIMIT + 2 * seg, v->limit);
	vmwrite(GUEST_ES_AR + 2 * seg, v->ar);
}

static void vcpu_reset_regs(const struct vcpu_start *s)
{
	static const struct vcpu_seg ldtr = { 0, 0x82, 0xffff, 0 };
	static const struct vcpu_seg tr = { 0, 0x8b, 0xffff, 0 };

	seg_write(SEG_CS, &s->cs);
	seg_write(SEG_DS, &s->data);
	seg_write(SEG_ES, &s->data);
	seg_write(SEG_SS, &s->data);
	seg_write(SEG_FS, &s->data);
	seg_write(SEG_GS, &s->data);
	seg_write(SEG_LDTR, &ldtr);
	seg_write(SEG_TR, &tr);
	vmwrite(GUEST_GDTR_BASE, 0);
	vmwrite(GUEST_GDTR_LIMIT, 0xffff);
	vmwrite(GUEST_IDTR_BASE, 0);
	vmwrite(GUEST_IDTR_LIMIT, 0xffff);
	vmwrite(GUEST_RIP, s->rip);
	vmwrite(GUEST_RSP, s->rsp);
	vmwrite(GUEST_RFLAGS, s->rflags);
	vmwrite(GUEST_DR7, 0x400);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
}

/*
 * The state of a CPU after INIT at @st's entry (the cell's entry point,
 * or a SIPI vector's page), or the loader's flat 32-bit state (the rule
 * book's vcpu_start_state() decides), with unrestricted guest.  VMX
 * operation needs CR0.NE and CR4.VMXE set: the guest sees 0 for both
 * through the read shadows where the controls mask them (cell: NE and
 * VMXE; root: VMXE only, Linux's trampoline sets NE itself).
 */
static void vcpu_reset(struct per_cpu *pc,
		       const struct cellvisor_start_state *st)
{
	struct vcpu_start s;

	vcpu_start_state(st, &s, &pc->arch.run.regs);
	vcpu_reset_regs(&s);
	vmwrite(GUEST_CR0, s.cr0 | X86_CR0_NE);		/* caches on */
	vmwrite(CR0_READ_SHADOW, s.cr0);
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
	vmwrite(PROC_BASED_CONTROLS, (vmread(PROC_BASED_CONTROLS) &
		~(PROC_HLT_EXITING | PROC_MWAIT_EXITING)) | cell_proc_extra);
	vmwrite(IO_BITMAP_A, hv_pa(vc->x.io_bitmap));
	vmwrite(IO_BITMAP_B, hv_pa(vc->x.io_bitmap + PAGE_SIZE));
	vmwrite(MSR_BITMAP, hv_pa(vc->msr_bitmap));
	vmwrite(EPT_POINTER, hv_pa(vc->x.pg.root) | EPTP_WB_4LEVEL);
	vmwrite(VMCS_VPID, ROOT_VPID + c->id);
	vmwrite(CR0_GUEST_HOST_MASK, X86_CR0_NE);
}

/*
 * A CPU that belongs to a cell, or waits to go back to the root, spins
 * in cell_cpu_park() in VMX root until the cell starts it or Linux sends
 * its SIPI; then it enters the cell or the root from reset.  NMIs that
 * reach it there run the host's NMI stub, which drops them.
 */
void vmx_cell_park(struct per_cpu *pc)
{
	struct cellvisor_start_state st;
	enum cell_cpu_wake to = cell_cpu_park(pc, &st);

	vcpu_clean_cpu_state();
	if (to == CELL_CPU_TO_CELL) {
		apic_reset_for_cell(cell_cpu(pc));
		cell_controls(cell_cpu(pc)->cell);
	} else {
		vmx_root_controls();
		root_arch()->x.seen_gen[pc->cpu_index] =
			READ_ONCE(root_arch()->x.gen);
		pr_info("CPU %u back in the root cell\n", pc->cpu_index);
	}
	vcpu_reset(pc, &st);
	/* Another cell with the same VPID may have run here before. */
	vmx_invept_all();
	vmx_invvpid_all();
}

/* ---- management exits: stop NMIs, CR0.NE, the root's last halt ---- */

/*
 * After an NMI exit NMIs stay blocked until an IRET: INT 2 runs the
 * host's NMI stub, whose IRETQ unblocks them (and takes one more that
 * is pending), so a later stop NMI is not held.  Bochs 2.7 also saves
 * the guest as NMI-blocked, which with NMI exiting it never is; left
 * so, the next NMI would wait for an IRET of the guest.
 */
static void cell_nmi(struct per_cpu *pc)
{
	u32 info = vmread(EXIT_INTR_INFO);

	cell_count_exit(pc, CELLVISOR_EXIT_MANAGEMENT);
	if (!(info & VMX_INTR_INFO_VALID) ||
	    VMX_INTR_TYPE(info) != VMX_INTR_TYPE_NMI) {
		cell_fail(pc, "exception %u (RIP 0x%lx)", info & 0xff,
			  vmread(GUEST_RIP));
		vmx_cell_park(pc);
		return;
	}
	asm volatile("int %0" : : "i" (X86_NMI_VECTOR) : "memory");
	vmwrite(GUEST_INTERRUPTIBILITY,
		vmread(GUEST_INTERRUPTIBILITY) & ~VMX_BLOCK_NMI);
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

/* A MOV to CR0 (NE masked); other CR exits go to the rule book. */
static bool cell_cr(struct per_cpu *pc, struct registers *r)
{
	u64 q = vmread(EXIT_QUALIFICATION);
	unsigned int reg = CR_GPR(q);

	if (CR_NUM(q) != 0 || CR_TYPE(q) != 0)
		return false;
	cell_count_exit(pc, CELLVISOR_EXIT_OTHER);
	cell_write_cr0(reg == 4 ? vmread(GUEST_RSP) : *vmx_gpr(r, reg));
	vmx_skip();
	return true;
}

static bool cell_exit(struct per_cpu *pc, struct registers *r, u32 reason)
{
	switch (reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		cell_nmi(pc);
		break;
	case EXIT_REASON_CR_ACCESS:
		if (!cell_cr(pc, r))
			return false;
		break;
	default:
		return false;
	}
	vmx_cell_check_park(pc);
	return true;
}

void vmx_cell_entry_failed(struct per_cpu *pc, u32 reason)
{
	cell_count_exit(pc, CELLVISOR_EXIT_OTHER);
	cell_fail(pc, "VM entry refused its state (exit %u, RIP 0x%lx)",
		  reason & 0xffff, vmread(GUEST_RIP));
	vmx_cell_park(pc);
}

/*
 * An NMI that reached this CPU in VMX root is gone (no GIF holds it as
 * on AMD), so a stop or INIT is looked for before every VM entry too.
 */
void vmx_cell_check_park(struct per_cpu *pc)
{
	struct cell_cpu *cc = cell_cpu(pc);

	if (cc->in_cell && cell_cpu_must_park(cc))
		vmx_cell_park(pc);
}

/* HLT or MWAIT of a prepared CPU: its last one in Linux parks it. */
static void root_halt(struct per_cpu *pc)
{
	struct cell_cpu *cc = cell_cpu(pc);

	vmx_skip();
	vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) &
		~(VMX_BLOCK_STI | VMX_BLOCK_MOV_SS));
	if (cell_cpu_root_halt(cc))
		vmx_cell_park(pc);
	else if (!cc->prepared)
		vmwrite(PROC_BASED_CONTROLS, vmread(PROC_BASED_CONTROLS) &
			~(PROC_HLT_EXITING | PROC_MWAIT_EXITING));
}

static bool root_exit(struct per_cpu *pc, u32 reason)
{
	struct cell_x86 *root = &root_arch()->x;

	if (root->seen_gen[pc->cpu_index] != READ_ONCE(root->gen)) {
		root->seen_gen[pc->cpu_index] = root->gen;
		vmx_invept_all();
	}
	if (reason != EXIT_REASON_HLT && reason != EXIT_REASON_MWAIT)
		return false;
	root_halt(pc);
	return true;
}

bool vmx_cell_exit(struct per_cpu *pc, struct registers *r, u32 reason)
{
	if (!cell_arch)
		return false;
	if (cell_cpu(pc)->in_cell)
		return cell_exit(pc, r, reason & 0xffff);
	return root_exit(pc, reason & 0xffff);
}

/* ---- setup ---- */

void vmx_cell_root_controls(void)
{
	if (!cell_arch)
		return;
	/* Config mechanism 1 and the ports cells took exit (pci.md). */
	vmwrite(IO_BITMAP_A, hv_pa(root_arch()->x.io_bitmap));
	vmwrite(IO_BITMAP_B, hv_pa(root_arch()->x.io_bitmap + PAGE_SIZE));
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

/* Can this CPU exit on NMI and HLT, and filter ports? */
static bool vmx_cell_caps(void)
{
	bool tru = rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_TRUE_CTLS;
	u32 pin = rdmsr(tru ? MSR_IA32_VMX_TRUE_PINBASED :
			MSR_IA32_VMX_PINBASED_CTLS) >> 32;
	u32 proc = rdmsr(tru ? MSR_IA32_VMX_TRUE_PROCBASED :
			 MSR_IA32_VMX_PROCBASED_CTLS) >> 32;
	u32 need = PROC_HLT_EXITING | PROC_MWAIT_EXITING | PROC_USE_IO_BITMAPS;

	/* Without RDPMC exiting (none known), RDPMC runs natively. */
	cell_proc_extra = proc & PROC_RDPMC_EXITING;
	return (pin & PIN_NMI_EXITING) && (proc & need) == need;
}

static const struct cell_arch_ops vmx_cell_ops = {
	.cpu_prepare = vmx_cpu_prepare,
	.cell_create = vmx_cell_create,
	.cell_destroy = cell_x86_destroy,
	.root_loadable = vmx_root_loadable,
	.flush_root = vmx_flush_root,
};

void vmx_cell_init(void)
{
	if (!vmx_cell_caps()) {
		pr_err("VT-x without NMI/HLT exiting or I/O bitmaps: no cells\n");
		return;
	}
	vmx_msr_bitmap_build(cell_msr_bitmap, true);
	cell_arch = &vmx_cell_ops;
}
