// SPDX-License-Identifier: GPL-2.0
/* AMD-V cells: own NPT and I/O bitmap, real-mode start, exits and parking. */
#include <string.h>
#include <cellvisor/hypercall.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/setup.h>
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

/* Regions the root loses while the cell exists. */
static bool taken_from_root(const struct cfg_mem_region *r)
{
	return !(r->flags & (CFG_MEM_COMM_PAGE | CFG_MEM_SHARED));
}

static int cell_map_all(struct cell *c)
{
	struct svm_cell *sc = arch_of(c);
	const struct cfg_mem_region *r;
	unsigned int i;
	int err;

	for (i = 0; i < c->cfg.n_mem; i++) {
		r = &c->cfg.mem[i];
		err = paging_map(&sc->npt, r->guest, r->phys, r->size,
				 npt_flags(r->flags));
		if (err)
			return err;
	}
	return 0;
}

/*
 * What the root sees of a cell's memory: a read-only page of zeros in
 * place of every page, so it reads zeros and a write faults (#GP).
 */
static u8 zero_page[PAGE_SIZE] __aligned(PAGE_SIZE);

static int root_hide(struct paging *root, const struct cfg_mem_region *r)
{
	u64 off;
	int err = paging_unmap(root, r->phys, r->size);

	for (off = 0; !err && off < r->size; off += PAGE_SIZE)
		err = paging_map(root, r->phys + off, hv_pa(zero_page),
				 PAGE_SIZE, PTE_P | PTE_US);
	return err;
}

static int root_show(struct paging *root, const struct cfg_mem_region *r)
{
	int err = paging_unmap(root, r->phys, r->size);

	return err ? err : paging_map(root, r->phys, r->phys, r->size,
				      NPT_TABLE);
}

static int svm_root_map(struct cell *c, bool loadable_only, bool map)
{
	struct paging *root = svm_root_npt();
	const struct cfg_mem_region *r;
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < c->cfg.n_mem; i++) {
		r = &c->cfg.mem[i];
		if (!taken_from_root(r) ||
		    (loadable_only && !(r->flags & CFG_MEM_LOADABLE)))
			continue;
		err = map ? root_show(root, r) : root_hide(root, r);
	}
	return err;
}

static void svm_flush_root(void)
{
	__atomic_add_fetch(&root_gen, 1, __ATOMIC_SEQ_CST);
}

/* ---- ports ---- */

static void iopm_set(u8 *iopm, u32 port, u32 len, bool intercept)
{
	for (; len && port < CFG_PIO_PORTS; port++, len--) {
		if (intercept)
			iopm[port / 8] |= 1 << (port % 8);
		else
			iopm[port / 8] &= ~(1 << (port % 8));
	}
}

/* The debug console stays the root's too: cells may print on it. */
static bool port_is_console(u32 port)
{
	return hv.console_port && port >= hv.console_port &&
	       port < hv.console_port + 8u;
}

static void root_ports(struct cell *c, bool take)
{
	const struct cfg_pio_range *p;
	unsigned int i, port;

	for (i = 0; i < c->cfg.n_pio; i++) {
		p = &c->cfg.pio[i];
		for (port = p->base; port < p->base + p->length; port++)
			if (!port_is_console(port))
				iopm_set(svm_root_iopm(), port, 1, take);
	}
}

static void cell_ports(struct cell *c)
{
	struct svm_cell *sc = arch_of(c);
	unsigned int i;

	memset(sc->iopm, 0xff, 3 * PAGE_SIZE);
	for (i = 0; i < c->cfg.n_pio; i++)
		iopm_set(sc->iopm, c->cfg.pio[i].base, c->cfg.pio[i].length,
			 false);
	/* The debug console stays Linux's UART: cells get a virtual one. */
	if (hv.console_port)
		iopm_set(sc->iopm, hv.console_port, 8, true);
}

static bool cell_has_port(struct cell *c, u32 port)
{
	unsigned int i;

	for (i = 0; i < c->cfg.n_pio; i++)
		if (port >= c->cfg.pio[i].base &&
		    port - c->cfg.pio[i].base < c->cfg.pio[i].length)
			return true;
	return false;
}

/*
 * A cell that owns the debug console's port writes characters to the
 * hypervisor console: reprogramming the real UART under Linux's driver
 * (IER, divisor) would stall Linux's own output.  Transmit is always
 * ready; the line control register is kept so DLAB writes are no text.
 */
static bool cell_console_io(struct per_cpu *pc, struct vmcb *vmcb)
{
	struct cell_cpu *cc = cell_cpu(pc);
	u64 info = vmcb->exitinfo1;
	u32 reg = (info >> 16) - hv.console_port;
	u8 val = vmcb->rax;

	if (!hv.console_port || (info >> 16) < hv.console_port || reg >= 8 ||
	    (info & IOIO_STR) || !(info & BIT(4)) ||
	    !cell_has_port(cc->cell, info >> 16))
		return false;
	if (!(info & IOIO_TYPE_IN)) {
		if (reg == 3)
			cc->uart_lcr = val;
		else if (reg == 0 && !(cc->uart_lcr & 0x80))
			console_putc(val);
	} else {
		val = reg == 5 ? 0x60 : reg == 3 ? cc->uart_lcr : 0;
		vmcb->rax = (vmcb->rax & ~0xffULL) | val;
	}
	vmcb->rip = vmcb->exitinfo2;
	return true;
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
	const struct cfg_mem_region *r;
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
		err = cell_map_all(c);
	if (err) {
		paging_destroy(&sc->npt);
		return err;
	}
	for (i = 0; !err && i < c->cfg.n_mem; i++) {
		r = &c->cfg.mem[i];
		if (taken_from_root(r) && !(r->flags & CFG_MEM_LOADABLE))
			err = root_hide(svm_root_npt(), r);
	}
	if (err) {
		svm_root_map(c, false, true);
		paging_destroy(&sc->npt);
		return err;
	}
	cell_ports(c);
	root_ports(c, true);
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
	root_ports(c, false);
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
	} else if (msr != MSR_APIC_BASE || val != rdmsr(MSR_APIC_BASE)) {
		return false;
	}
	vmcb->rip += 2;
	return true;
}

static bool cell_hypercall_ok(struct per_cpu *pc, struct vmcb *vmcb,
			      struct registers *r)
{
	struct cell *c = cell_cpu(pc)->cell;
	u64 nr = vmcb->rax;

	vmcb->rip += 3;
	if (vmcb->cpl) {
		vmcb->rax = -EPERM;
		return true;
	}
	if (nr == CELLVISOR_HC_DEBUG_PUTC && c->cfg.console) {
		console_putc((char)r->rdi);
		vmcb->rax = 0;
		return true;
	}
	if (nr == CELLVISOR_HC_INFO && r->rdi == CELLVISOR_INFO_ABI_VERSION) {
		vmcb->rax = CELLVISOR_ABI_VERSION;
		return true;
	}
	return false;
}

static void cell_ioio_fail(struct per_cpu *pc, struct vmcb *vmcb)
{
	u64 info = vmcb->exitinfo1;

	cell_fail(pc, "port 0x%lx %s%s outside the cell (RIP 0x%lx)",
		  info >> 16, info & IOIO_TYPE_IN ? "read" : "write",
		  info & IOIO_STR ? " (string)" : "", vmcb->rip);
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
		cell_fail(pc, "IPI 0x%lx to a CPU outside the cell (APIC ID "
			  "%u, RIP 0x%lx)", val, cc->icr_hi >> 24, vmcb->rip);
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
		cell_fail(pc, "forbidden MSR %s 0x%lx (RIP 0x%lx)",
			  vmcb->exitinfo1 ? "write" : "read", r->rcx,
			  vmcb->rip);
		break;
	case SVM_EXIT_VMMCALL:
		cell_count_exit(pc, CELLVISOR_EXIT_HYPERCALL);
		if (cell_hypercall_ok(pc, vmcb, r))
			return;
		cell_fail(pc, "illegal hypercall %lu (RIP 0x%lx)", vmcb->rax,
			  vmcb->rip - 3);
		break;
	case SVM_EXIT_IOIO:
		cell_count_exit(pc, CELLVISOR_EXIT_PIO);
		if (cell_console_io(pc, vmcb))
			return;
		cell_ioio_fail(pc, vmcb);
		break;
	case SVM_EXIT_NPF:
		if ((vmcb->exitinfo2 & ~0xfffULL) == apic_phys()) {
			cell_count_exit(pc, CELLVISOR_EXIT_APIC);
			if (cell_apic(pc, vmcb, r))
				return;
			break;
		}
		cell_count_exit(pc, CELLVISOR_EXIT_MMIO);
		cell_fail(pc, "memory access at 0x%lx outside the cell "
			  "(%s, RIP 0x%lx)", vmcb->exitinfo2,
			  vmcb->exitinfo1 & BIT(1) ? "write" : "read",
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
	u64 info = vmcb->exitinfo1;
	u32 size = (info >> 4) & 7;
	static u32 warned;

	if (!warned++)
		pr_err("root cell accessed port 0x%lx of a cell: ignored\n",
		       info >> 16);
	if (info & IOIO_TYPE_IN)
		vmcb->rax |= size == 4 ? 0xffffffffULL :
			     size == 2 ? 0xffff : 0xff;
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
	pr_err("CPU %u: root cell wrote to memory of cell '%s' at 0x%lx "
	       "(RIP 0x%lx), #GP injected\n", pc->cpu_index,
	       cell_owning(vmcb->exitinfo2)->cfg.name, vmcb->exitinfo2,
	       vmcb->rip);
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
	static const u32 allowed[] = {
		0x174, 0x175, 0x176,		/* SYSENTER */
		0x277,				/* PAT: own memory types */
		0x6e0,				/* TSC deadline */
		0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,	/* STAR.. */
		0xc0000100, 0xc0000101, 0xc0000102, 0xc0000103,	/* FS.. */
	};
	unsigned int i;

	/* Every write intercepted, reads only for EFER and SVM's MSRs. */
	for (i = 0; i < 0x1800; i++)
		cell_msrpm[i] = 0xaa;
	for (i = 0; i < ARRAY_SIZE(allowed); i++)
		msrpm_allow_write(allowed[i]);
	/* x2APIC registers but ICR: the cell's own APIC. */
	for (i = 0x800; i < 0x900; i++)
		if (i != 0x830)
			msrpm_allow_write(i);
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
