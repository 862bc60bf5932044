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

#define NPT_TABLE		(PTE_P | PTE_RW | PTE_US)
#define ROOT_ASID		1

#define SVM_INTERCEPT_NMI	BIT(1)
#define SVM_INTERCEPT_HLT	BIT(24)
#define SVM_INTERCEPT_IOIO	BIT(27)
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_IOIO		0x07b
#define IOIO_TYPE_IN		BIT(0)
#define IOIO_STR		BIT(2)
#define MSR_APIC_BASE		0x1b

struct svm_cell {
	struct paging npt;
	u8 *iopm;
};

static struct svm_cell svm_cells[CELL_MAX];
static u8 cell_iopm[CELL_MAX][3 * PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 cell_msrpm[2 * PAGE_SIZE] __aligned(PAGE_SIZE);
static volatile u32 root_gen;
static bool root_apic_trapped;
static u32 root_seen_gen[CELLVISOR_MAX_CPUS];

static struct svm_cell *arch_of(struct cell *c)
{
	return c->arch;
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

/* The root's NPT; what it sees of a cell's memory: zeros, read-only. */
static const struct cell_root_tables *root_tables(void)
{
	static struct cell_root_tables t;

	t.pg = svm_root_npt();
	t.hidden = PTE_P | PTE_US;
	t.shown = NPT_TABLE;
	return &t;
}

static int svm_root_map(struct cell *c, bool loadable_only, bool map)
{
	return cell_root_map(root_tables(), c, loadable_only, map);
}

static void svm_flush_root(void)
{
	__atomic_add_fetch(&root_gen, 1, __ATOMIC_SEQ_CST);
}

/* ---- ports ---- */

static void svm_exit_pio(const struct vmcb *vmcb, struct cell_pio *io)
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
	if (!root_apic_trapped && !paging_unmap(svm_root_npt(), apic_phys(),
						PAGE_SIZE)) {
		root_apic_trapped = true;
		svm_flush_root();
	}
}

static int svm_cell_create(struct cell *c)
{
	struct svm_cell *sc;
	unsigned int i, slot;
	int err;

	for (slot = 0; slot < CELL_MAX && svm_cells[slot].npt.root; slot++)
		;
	if (slot == CELL_MAX)
		return -ENOSPC;
	sc = &svm_cells[slot];
	sc->iopm = cell_iopm[slot];
	c->arch = sc;
	err = paging_init(&sc->npt, svm_root_npt()->levels, NPT_TABLE,
			  svm_root_npt()->huge_1g);
	if (!err)
		err = cell_map_regions(c, &sc->npt, npt_flags);
	if (!err)
		err = cell_root_take(root_tables(), c);
	if (err) {
		paging_destroy(&sc->npt);
		return err;
	}
	cell_io_bitmap_fill(c, sc->iopm, 3 * PAGE_SIZE);
	cell_root_ports(c, svm_root_iopm(), true);
	root_apic_trap();
	/* Root CPUs now trap the ports they lost. */
	for (i = 0; i < hv.cpus; i++)
		vmcb_of(per_cpu(i))->intercept_misc1 |= SVM_INTERCEPT_IOIO;
	return 0;
}

static void svm_cell_destroy(struct cell *c)
{
	struct svm_cell *sc = arch_of(c);
	int err;

	err = svm_root_map(c, false, true);
	if (err)
		pr_err("cell '%s': root memory not fully given back (%d)\n",
		       c->cfg.name, err);
	cell_root_ports(c, svm_root_iopm(), false);
	paging_destroy(&sc->npt);
	c->arch = NULL;
}

/* ---- CPU state ---- */

static void seg_real(struct vmcb_seg *s, u16 sel, u64 base, u16 attrib)
{
	s->selector = sel;
	s->base = base;
	s->limit = 0xffff;
	s->attrib = attrib;
}

/*
 * The state of a CPU after INIT, except that CS:IP point at @entry (the
 * cell's entry point, or a SIPI vector's page).
 */
static void vcpu_reset(struct per_cpu *pc, struct vmcb *vmcb, u64 entry)
{
	struct registers *r = &pc->arch.run.regs;

	memset(&vmcb->es, 0, sizeof(*vmcb) - offsetof(struct vmcb, es));
	memset(r, 0, sizeof(*r));
	seg_real(&vmcb->cs, (entry >> 4) & 0xf000, entry & 0xf0000, 0x9b);
	seg_real(&vmcb->ds, 0, 0, 0x93);
	seg_real(&vmcb->es, 0, 0, 0x93);
	seg_real(&vmcb->ss, 0, 0, 0x93);
	seg_real(&vmcb->fs, 0, 0, 0x93);
	seg_real(&vmcb->gs, 0, 0, 0x93);
	seg_real(&vmcb->ldtr, 0, 0, 0x82);
	seg_real(&vmcb->tr, 0, 0, 0x8b);
	vmcb->gdtr.limit = 0xffff;
	vmcb->idtr.limit = 0xffff;
	vmcb->rip = entry & 0xffff;
	vmcb->rflags = 2;
	vmcb->cr0 = 0x10;		/* ET; caches on */
	vmcb->efer = EFER_SVME;		/* VMRUN requires it */
	vmcb->dr6 = 0xffff0ff0;
	vmcb->dr7 = 0x400;
	vmcb->g_pat = 0x0007040600070406ULL;
	r->rdx = 0x600;			/* family 6, as after reset */
	vmcb->eventinj = 0;
	vmcb->tlb_control = SVM_TLB_FLUSH_ALL;
}

static void cell_control(struct cell *c, struct vmcb *vmcb)
{
	vmcb->intercept_cr = 0;
	vmcb->intercept_dr = 0;
	vmcb->intercept_exceptions = 0;
	vmcb->intercept_misc1 = SVM_INTERCEPT_CPUID | SVM_INTERCEPT_MSR_PROT |
				SVM_INTERCEPT_SHUTDOWN | SVM_INTERCEPT_NMI |
				SVM_INTERCEPT_IOIO;
	vmcb->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
				SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
				SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
				SVM_INTERCEPT_SKINIT;
	vmcb->iopm_base_pa = hv_pa(arch_of(c)->iopm);
	vmcb->msrpm_base_pa = hv_pa(cell_msrpm);
	vmcb->guest_asid = ROOT_ASID + c->id;
	vmcb->np_control = SVM_NP_ENABLE;
	vmcb->n_cr3 = hv_pa(arch_of(c)->npt.root);
	vmcb->v_intr = 0;
	vmcb->interrupt_shadow = 0;
}

/*
 * A CPU that belongs to a cell, or waits to go back to the root, spins
 * in cell_cpu_park() with GIF clear until the cell starts it or Linux
 * sends its SIPI; then it enters the cell or the root from reset.
 */
static void park(struct per_cpu *pc, struct vmcb *vmcb)
{
	u64 entry;

	if (cell_cpu_park(pc, &entry) == CELL_CPU_TO_CELL) {
		apic_reset_for_cell();
		vcpu_reset(pc, vmcb, entry);
		cell_control(cell_cpu(pc)->cell, vmcb);
	} else {
		vcpu_reset(pc, vmcb, entry);
		svm_root_control(vmcb);
		vmcb->intercept_misc1 |= SVM_INTERCEPT_IOIO;
		root_seen_gen[pc->cpu_index] = root_gen;
		pr_info("CPU %u back in the root cell\n", pc->cpu_index);
	}
	/*
	 * A stop NMI sent while the CPU was parking is still pending: take
	 * it here (nmi_entry drops it), not in a guest that starts from
	 * reset, where Linux's trampoline runs with no IDT.
	 */
	asm volatile("stgi; nop; nop; clgi" ::: "memory");
}

/* ---- cell exits ---- */

static void cell_cpuid(struct vmcb *vmcb, struct registers *r)
{
	u32 leaf = vmcb->rax, a, b, c, d;

	cpuid(leaf, r->rcx, &a, &b, &c, &d);
	if ((leaf & 0xffffff00) == CELLVISOR_CPUID_SIGNATURE) {
		a = leaf == CELLVISOR_CPUID_SIGNATURE ?
		    CELLVISOR_CPUID_MAX_LEAF : 0;
		b = leaf == CELLVISOR_CPUID_SIGNATURE ? CELLVISOR_CPUID_EBX : 0;
		c = leaf == CELLVISOR_CPUID_SIGNATURE ? CELLVISOR_CPUID_ECX : 0;
		d = leaf == CELLVISOR_CPUID_SIGNATURE ? CELLVISOR_CPUID_EDX : 0;
	} else if (leaf == 1) {
		c = (c & ~BIT(5)) | BIT(31);	/* no VMX, hypervisor */
		c = cell_cpuid_ecx(leaf, c);
	} else if (leaf == 0x80000001) {
		c &= ~BIT(2);			/* no SVM */
	} else if (leaf == 0x8000000a) {
		a = b = c = d = 0;
	}
	vmcb->rax = a;
	r->rbx = b;
	r->rcx = c;
	r->rdx = d;
	vmcb->rip += 2;
}

/* False: the cell may not do this. */
static bool cell_msr(struct vmcb *vmcb, struct registers *r)
{
	u32 msr = r->rcx;
	u64 val = (r->rdx << 32) | (u32)vmcb->rax;

	if (!vmcb->exitinfo1) {		/* reads */
		if (msr == MSR_EFER)
			val = vmcb->efer & ~EFER_SVME;
		else if (msr == MSR_VM_CR)
			val = VM_CR_SVMDIS | BIT(3);
		else
			val = 0;
		vmcb->rax = (u32)val;
		r->rdx = val >> 32;
	} else if (msr == MSR_EFER) {
		vmcb->efer = val | EFER_SVME;
	} else if (msr != MSR_APIC_BASE || apic_cell_write_base(val)) {
		return false;
	}
	vmcb->rip += 2;
	return true;
}

static bool cell_hypercall_ok(struct per_cpu *pc, struct vmcb *vmcb,
			      struct registers *r)
{
	s64 ret;

	vmcb->rip += 3;
	if (vmcb->cpl) {
		vmcb->rax = -EPERM;
		return true;
	}
	if (!cell_guest_hypercall(cell_cpu(pc)->cell, vmcb->rax, r->rdi,
				  &ret))
		return false;
	vmcb->rax = ret;
	return true;
}

/* The cell's virtual console, or a port it does not own (fails it). */
static bool cell_pio(struct per_cpu *pc, struct vmcb *vmcb)
{
	struct cell_pio io;

	svm_exit_pio(vmcb, &io);
	if (!cell_console_io(cell_cpu(pc), &io, &vmcb->rax)) {
		cell_fail_pio(pc, &io, vmcb->rip);
		return false;
	}
	vmcb->rip = vmcb->exitinfo2;
	return true;
}

static u64 *gpr(struct vmcb *vmcb, struct registers *r, unsigned int i)
{
	u64 *const regs[16] = {
		&vmcb->rax, &r->rcx, &r->rdx, &r->rbx, &vmcb->rsp, &r->rbp,
		&r->rsi, &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11, &r->r12,
		&r->r13, &r->r14, &r->r15,
	};

	return regs[i & 15];
}

/* The cell's own xAPIC page: true when handled, false after cell_fail. */
static bool cell_apic(struct per_cpu *pc, struct vmcb *vmcb,
		      struct registers *r)
{
	struct cell_cpu *cc = cell_cpu(pc);
	struct apic_insn in;
	u64 val;

	if (apic_decode(cc->cell, vmcb->cr0, vmcb->cr3, vmcb->cr4,
			vmcb->cs.base + vmcb->rip, &in)) {
		cell_fail(pc, "APIC access not understood (RIP 0x%lx)",
			  vmcb->rip);
		return false;
	}
	val = in.imm ? in.value : (u32)*gpr(vmcb, r, in.reg);
	if (apic_cell_access(cc->cell, cc, vmcb->exitinfo2 & 0xfff, in.write,
			     &val)) {
		cell_fail_icr(pc, val, cc->icr_hi >> 24, vmcb->rip);
		return false;
	}
	if (!in.write)
		*gpr(vmcb, r, in.reg) = (u32)val;
	vmcb->rip += in.len;
	return true;
}

static void cell_exit(struct per_cpu *pc, struct vmcb *vmcb,
		      struct registers *r)
{
	struct cell_cpu *cc = cell_cpu(pc);
	u32 code = vmcb->exitcode;

	switch (code) {
	case SVM_EXIT_NMI:
		cell_count_exit(pc, CELLVISOR_EXIT_MANAGEMENT);
		/* Take the NMI that is still pending (nmi_entry drops it). */
		asm volatile("stgi; nop; nop; clgi" ::: "memory");
		if (cell_cpu_must_park(cc))
			park(pc, vmcb);
		return;
	case SVM_EXIT_CPUID:
		cell_count_exit(pc, CELLVISOR_EXIT_CPUID);
		cell_cpuid(vmcb, r);
		return;
	case SVM_EXIT_MSR:
		cell_count_exit(pc, CELLVISOR_EXIT_MSR);
		if (cell_msr(vmcb, r))
			return;
		cell_fail_msr(pc, r->rcx, vmcb->exitinfo1, vmcb->rip);
		break;
	case SVM_EXIT_VMMCALL:
		cell_count_exit(pc, CELLVISOR_EXIT_HYPERCALL);
		if (cell_hypercall_ok(pc, vmcb, r))
			return;
		cell_fail_hypercall(pc, vmcb->rax, vmcb->rip - 3);
		break;
	case SVM_EXIT_IOIO:
		cell_count_exit(pc, CELLVISOR_EXIT_PIO);
		if (cell_pio(pc, vmcb))
			return;
		break;
	case SVM_EXIT_NPF:
		if ((vmcb->exitinfo2 & ~0xfffULL) == apic_phys()) {
			cell_count_exit(pc, CELLVISOR_EXIT_APIC);
			if (cell_apic(pc, vmcb, r))
				return;
			break;
		}
		cell_count_exit(pc, CELLVISOR_EXIT_MMIO);
		cell_fail_mem(pc, vmcb->exitinfo2, vmcb->exitinfo1 & BIT(1),
			      vmcb->rip);
		break;
	case SVM_EXIT_SHUTDOWN:
		cell_count_exit(pc, CELLVISOR_EXIT_OTHER);
		cell_fail(pc, "triple fault (RIP 0x%lx)", vmcb->rip);
		break;
	default:
		cell_count_exit(pc, CELLVISOR_EXIT_OTHER);
		cell_fail(pc, "unhandled exit 0x%x (info 0x%lx 0x%lx, RIP "
			  "0x%lx)", code, vmcb->exitinfo1, vmcb->exitinfo2,
			  vmcb->rip);
		break;
	}
	park(pc, vmcb);
}

/* ---- root exits related to cells ---- */

/* A port a cell owns: the root reads all ones, its writes go nowhere. */
static void root_ioio(struct vmcb *vmcb)
{
	struct cell_pio io;

	svm_exit_pio(vmcb, &io);
	cell_root_pio(&io, &vmcb->rax);
	vmcb->rip = vmcb->exitinfo2;
}

static void root_apic(struct per_cpu *pc, struct vmcb *vmcb,
		      struct registers *r)
{
	struct apic_insn in;
	u64 val;

	if (apic_decode(NULL, vmcb->cr0, vmcb->cr3, vmcb->cr4,
			vmcb->cs.base + vmcb->rip, &in)) {
		pr_err("CPU %u: root APIC access at RIP 0x%lx not decoded, "
		       "#GP injected\n", pc->cpu_index, vmcb->rip);
		vmcb->eventinj = 13 | (SVM_EVT_TYPE_EXCEPT <<
				       SVM_EVT_TYPE_SHIFT) | SVM_EVT_VALID |
				 SVM_EVT_ERR_VALID;
		return;
	}
	val = in.imm ? in.value : (u32)*gpr(vmcb, r, in.reg);
	apic_root_access(vmcb->exitinfo2 & 0xfff, in.write, &val);
	if (!in.write)
		*gpr(vmcb, r, in.reg) = (u32)val;
	vmcb->rip += in.len;
}

/* Not fatal, like the hypervisor's own memory: Linux gets a #GP. */
static void root_cell_write(struct per_cpu *pc, struct vmcb *vmcb)
{
	cell_root_mem_report(pc, vmcb->exitinfo2, vmcb->rip);
	vmcb->eventinj = 13 | (SVM_EVT_TYPE_EXCEPT << SVM_EVT_TYPE_SHIFT) |
			 SVM_EVT_VALID | SVM_EVT_ERR_VALID;
}

static bool root_exit(struct per_cpu *pc, struct vmcb *vmcb,
		      struct registers *r)
{
	struct cell_cpu *cc = cell_cpu(pc);

	if (root_seen_gen[pc->cpu_index] != READ_ONCE(root_gen)) {
		root_seen_gen[pc->cpu_index] = root_gen;
		vmcb->tlb_control = SVM_TLB_FLUSH_ALL;
	}
	switch ((u32)vmcb->exitcode) {
	case SVM_EXIT_HLT:
		vmcb->rip += 1;
		if (cell_cpu_root_halt(cc))
			park(pc, vmcb);
		else if (!cc->prepared)
			vmcb->intercept_misc1 &= ~SVM_INTERCEPT_HLT;
		return true;
	case SVM_EXIT_IOIO:
		root_ioio(vmcb);
		return true;
	case SVM_EXIT_NPF:
		if (cell_owning(vmcb->exitinfo2)) {
			root_cell_write(pc, vmcb);
			return true;
		}
		if (!root_apic_trapped ||
		    (vmcb->exitinfo2 & ~0xfffULL) != apic_phys())
			return false;
		root_apic(pc, vmcb, r);
		return true;
	}
	return false;
}

bool svm_cell_exit(struct per_cpu *pc, struct vmcb *vmcb,
		   struct registers *r)
{
	struct cell_cpu *cc = cell_cpu(pc);

	if (cc->in_cell) {
		cell_exit(pc, vmcb, r);
		return true;
	}
	return root_exit(pc, vmcb, r);
}

/* ---- setup ---- */

static void msrpm_allow_write(u32 msr)
{
	u32 base, bit;

	if (msr < 0x2000)
		base = 0;
	else if (msr - 0xc0000000 < 0x2000)
		base = 0x800;
	else
		return;
	bit = (msr & 0x1fff) * 2 + 1;
	cell_msrpm[base + bit / 8] &= ~(1 << (bit % 8));
}

static void cell_msrpm_init(void)
{
	u32 msr;

	/* Every write intercepted, reads only for EFER and SVM's MSRs. */
	memset(cell_msrpm, 0xaa, 0x1800);
	for (msr = 0; msr < 0x2000; msr++) {
		if (cell_msr_write_passes(msr))
			msrpm_allow_write(msr);
		if (cell_msr_write_passes(0xc0000000 + msr))
			msrpm_allow_write(0xc0000000 + msr);
	}
	cell_msrpm[0x800 + (0x80 * 2) / 8] |= 1 << ((0x80 * 2) % 8);
	cell_msrpm[0x1000 + (0x114 * 2) / 8] |= 1 << ((0x114 * 2) % 8);
	cell_msrpm[0x1000 + (0x117 * 2) / 8] |= 1 << ((0x117 * 2) % 8);
}

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
	.cell_destroy = svm_cell_destroy,
	.root_map = svm_root_map,
	.flush_root = svm_flush_root,
};

void svm_cell_init(void)
{
	cell_msrpm_init();
	cell_arch = &svm_cell_ops;
}
