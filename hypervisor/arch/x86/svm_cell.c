// SPDX-License-Identifier: GPL-2.0
/* AMD-V cells: own NPT and I/O bitmap, real-mode start, exits and parking. */
#include <string.h>
#include <cellvisor/hypercall.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <asm/cell_x86.h>
#include <asm/processor.h>
#include <asm/svm_cell.h>
#include <asm/vcpu.h>
#include <asm/exit_stats.h>

#define NPT_TABLE		(PTE_P | PTE_RW | PTE_US)
#define ROOT_ASID		1

#define IOIO_TYPE_IN		BIT(0)
#define IOIO_STR		BIT(2)

#define IOPM_SIZE		(3 * PAGE_SIZE)
#define MSRPM_SIZE		(2 * PAGE_SIZE)
#define ROOT_SLOT		0	/* svm_cells[0]: the root cell's */

static struct svm_cell svm_cells[1 + CELL_MAX];
static u8 cell_iopm[1 + CELL_MAX][IOPM_SIZE] __aligned(PAGE_SIZE);
/* The root's intercepts are the rule book's for Linux, a cell's its own. */
static u8 root_msrpm[MSRPM_SIZE] __aligned(PAGE_SIZE);
static u8 cell_msrpm[MSRPM_SIZE] __aligned(PAGE_SIZE);

static struct svm_cell *arch_of(struct cell *c)
{
	return svm_cell_of(c);
}

static struct svm_cell *root_arch(void)
{
	return svm_cell_of(&root_cell);
}

static struct vmcb *vmcb_of(struct per_cpu *pc)
{
	return (struct vmcb *)pc->arch_pages.vmcb;
}

/* ---- memory ---- */

static u64 npt_flags(u32 flags)
{
	u64 f = PTE_P | PTE_US;

	if (flags & CFG_MEM_WRITE)
		f |= PTE_RW;
	if (!(flags & CFG_MEM_EXECUTE))
		f |= PTE_NX;
	if (flags & CFG_MEM_IO)
		f |= PTE_PCD | PTE_PWT;
	return f;
}

static int svm_root_loadable(struct cell *c, bool root_sees)
{
	return cell_root_loadable(c, root_sees);
}

static void svm_flush_root(void)
{
	__atomic_add_fetch(&root_arch()->x.gen, 1, __ATOMIC_SEQ_CST);
}

/* ---- ports ---- */

void svm_exit_io(const struct vmcb *vmcb, struct vcpu_io *io)
{
	u64 info = vmcb->exitinfo1;

	io->port = info >> 16;
	io->size = (info >> 4) & 7;
	io->in = info & IOIO_TYPE_IN;
	io->string = info & IOIO_STR;
}

/* ---- create / destroy ---- */

/*
 * From the first CPU handed over on, the root's APIC page traps: its ICR
 * may not reach cell CPUs, and its INIT/SIPI to CPUs coming back are
 * emulated.
 */
static void root_apic_trap(void)
{
	struct cell_x86 *root = &root_arch()->x;

	if (!root->apic_trapped && !paging_unmap(&root->pg, apic_phys(),
						 PAGE_SIZE)) {
		root->apic_trapped = true;
		svm_flush_root();
	}
}

/*
 * The part every cell has, the root's as any other: an empty NPT like
 * the root's, an IOPM and an MSR permission map.
 */
static int svm_arch_init(struct cell *c, unsigned int slot,
			 unsigned int levels, bool huge_1g, u8 *msrpm)
{
	struct svm_cell *sc = &svm_cells[slot];

	memset(sc, 0, sizeof(*sc));
	sc->x.io_bitmap = cell_iopm[slot];
	sc->x.leaf = npt_flags;
	sc->msrpm = msrpm;
	c->arch = sc;
	return paging_init(&sc->x.pg, levels, NPT_TABLE, huge_1g);
}

/* The root sees its own memory as it is, a cell's as zeros, read-only. */
int svm_cell_root_init(unsigned int levels, bool huge_1g)
{
	int err = svm_arch_init(&root_cell, ROOT_SLOT, levels, huge_1g,
				root_msrpm);

	if (err)
		return err;
	cell_x86_root_init(&root_arch()->x, IOPM_SIZE, NPT_TABLE,
			   PTE_P | PTE_US);
	svm_msrpm_build(root_msrpm, false);
	return 0;
}

static int svm_cell_create(struct cell *c)
{
	const struct paging *root_npt = &root_arch()->x.pg;
	unsigned int slot;
	int err;

	for (slot = ROOT_SLOT + 1; slot <= CELL_MAX; slot++)
		if (!svm_cells[slot].x.pg.root)
			break;
	if (slot > CELL_MAX)
		return -ENOSPC;
	err = svm_arch_init(c, slot, root_npt->levels, root_npt->huge_1g,
			    cell_msrpm);
	err = cell_x86_create(c, err, IOPM_SIZE);
	if (!err)
		root_apic_trap();
	return err;
}

/* ---- CPU state ---- */

/* VMCB attributes pack the access rights' bits 12-15 into bits 8-11. */
static void seg_write(struct vmcb_seg *s, const struct vcpu_seg *v)
{
	s->selector = v->sel;
	s->base = v->base;
	s->limit = v->limit;
	s->attrib = (v->ar & 0xff) | ((v->ar >> 4) & 0xf00);
}

/*
 * The state of a CPU after INIT at @st's entry (the cell's entry point,
 * or a SIPI vector's page), or the loader's flat 32-bit state: the rule
 * book's vcpu_start_state() decides, this only writes the VMCB.
 */
static void vcpu_reset(struct per_cpu *pc, struct vmcb *vmcb,
		       const struct cellvisor_start_state *st)
{
	static const struct vcpu_seg ldtr = { 0, 0x82, 0xffff, 0 };
	static const struct vcpu_seg tr = { 0, 0x8b, 0xffff, 0 };
	struct vcpu_start s;

	memset(&vmcb->es, 0, sizeof(*vmcb) - offsetof(struct vmcb, es));
	vcpu_start_state(st, &s, &pc->arch.run.regs);
	seg_write(&vmcb->cs, &s.cs);
	seg_write(&vmcb->ds, &s.data);
	seg_write(&vmcb->es, &s.data);
	seg_write(&vmcb->ss, &s.data);
	seg_write(&vmcb->fs, &s.data);
	seg_write(&vmcb->gs, &s.data);
	seg_write(&vmcb->ldtr, &ldtr);
	seg_write(&vmcb->tr, &tr);
	vmcb->gdtr.limit = 0xffff;
	vmcb->idtr.limit = 0xffff;
	vmcb->rip = s.rip;
	vmcb->rsp = s.rsp;
	vmcb->rax = s.rax;
	vmcb->rflags = s.rflags;
	vmcb->cr0 = s.cr0;		/* caches on */
	vmcb->efer = EFER_SVME;		/* VMRUN requires it */
	vmcb->dr6 = 0xffff0ff0;
	vmcb->dr7 = 0x400;
	vmcb->g_pat = 0x0007040600070406ULL;
	vmcb->eventinj = 0;
	vmcb->tlb_control = SVM_TLB_FLUSH_ALL;
}

static void cell_control(struct cell *c, struct vmcb *vmcb)
{
	vmcb->intercept_cr = 0;
	vmcb->intercept_dr = 0;
	vmcb->intercept_exceptions = 0;
	vmcb->intercept_misc1 = SVM_INTERCEPTS_MISC1 | SVM_INTERCEPT_NMI |
				SVM_INTERCEPT_IOIO | SVM_INTERCEPT_RDPMC;
	vmcb->intercept_misc2 = SVM_INTERCEPTS_MISC2;
	vmcb->iopm_base_pa = hv_pa(arch_of(c)->x.io_bitmap);
	vmcb->msrpm_base_pa = hv_pa(arch_of(c)->msrpm);
	vmcb->guest_asid = ROOT_ASID + c->id;
	vmcb->np_control = SVM_NP_ENABLE;
	vmcb->n_cr3 = hv_pa(arch_of(c)->x.pg.root);
	vmcb->v_intr = 0;
	vmcb->interrupt_shadow = 0;
}

/*
 * A CPU that belongs to a cell, or waits to go back to the root, spins
 * in cell_cpu_park() with GIF clear until the cell starts it or Linux
 * sends its SIPI; then it enters the cell or the root from reset.
 */
void svm_cell_park(struct per_cpu *pc, struct vmcb *vmcb)
{
	struct cellvisor_start_state st;
	enum cell_cpu_wake to = cell_cpu_park(pc, &st);

	vcpu_clean_cpu_state();
	if (to == CELL_CPU_TO_CELL) {
		apic_reset_for_cell(cell_cpu(pc));
		vcpu_reset(pc, vmcb, &st);
		cell_control(cell_cpu(pc)->cell, vmcb);
	} else {
		vcpu_reset(pc, vmcb, &st);
		svm_root_control(vmcb);
		root_arch()->x.seen_gen[pc->cpu_index] = root_arch()->x.gen;
		pr_info("CPU %u back in the root cell\n", pc->cpu_index);
	}
	/*
	 * A stop NMI sent while the CPU was parking is still pending: take
	 * it here (nmi_entry drops it), not in a guest that starts from
	 * reset, where Linux's trampoline runs with no IDT.
	 */
	asm volatile("stgi; nop; nop; clgi" ::: "memory");
}

/* ---- management exits: stop NMIs of cells, the root's last halt ---- */

static bool cell_nmi(struct per_cpu *pc, struct vmcb *vmcb)
{
	struct cell_cpu *cc = cell_cpu(pc);

	if ((u32)vmcb->exitcode != SVM_EXIT_NMI)
		return false;
	cell_count_exit(pc, CELLVISOR_EXIT_MANAGEMENT);
	/* Take the NMI that is still pending (nmi_entry drops it). */
	asm volatile("stgi; nop; nop; clgi" ::: "memory");
	if (cell_cpu_must_park(cc))
		svm_cell_park(pc, vmcb);
	return true;
}

static bool root_halt(struct per_cpu *pc, struct vmcb *vmcb)
{
	struct cell_x86 *root = &root_arch()->x;
	struct cell_cpu *cc = cell_cpu(pc);

	if (root->seen_gen[pc->cpu_index] != READ_ONCE(root->gen)) {
		root->seen_gen[pc->cpu_index] = root->gen;
		vmcb->tlb_control = SVM_TLB_FLUSH_ALL;
	}
	if ((u32)vmcb->exitcode != SVM_EXIT_HLT)
		return false;
	vmcb->rip += 1;
	if (cell_cpu_root_halt(cc))
		svm_cell_park(pc, vmcb);
	else if (!cc->prepared)
		vmcb->intercept_misc1 &= ~SVM_INTERCEPT_HLT;
	return true;
}

bool svm_cell_exit(struct per_cpu *pc, struct vmcb *vmcb)
{
	if (cell_cpu(pc)->in_cell)
		return cell_nmi(pc, vmcb);
	return root_halt(pc, vmcb);
}

/* ---- setup ---- */

/* The root is about to offline this CPU: catch its last halt. */
static void svm_cpu_prepare(struct per_cpu *pc, bool prepare)
{
	if (phys_window_init())
		return;
	root_apic_trap();
	cell_cpu(pc)->apic_id = apic_this_id();
	cell_cpu(pc)->apic_id_valid = true;
	if (prepare)
		vmcb_of(pc)->intercept_misc1 |= SVM_INTERCEPT_HLT;
	else
		vmcb_of(pc)->intercept_misc1 &= ~SVM_INTERCEPT_HLT;
}

static const struct cell_arch_ops svm_cell_ops = {
	.cpu_prepare = svm_cpu_prepare,
	.cell_create = svm_cell_create,
	.cell_destroy = cell_x86_destroy,
	.root_loadable = svm_root_loadable,
	.flush_root = svm_flush_root,
};

void svm_cell_init(void)
{
	svm_msrpm_build(cell_msrpm, true);
	cell_arch = &svm_cell_ops;
}
