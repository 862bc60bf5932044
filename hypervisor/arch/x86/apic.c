// SPDX-License-Identifier: GPL-2.0
/* Physical memory window and local APIC access for cell management (x86). */
#include <string.h>
#include <hv/cell.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <hv/spinlock.h>
#include <asm/processor.h>
#include <asm/mmio_decode.h>
#include <asm/rules.h>
#include <asm/vcpu.h>

#define PHYS_WINDOW_SIZE	(64ULL << 30)
#define MSR_APIC_BASE		0x1b
#define APIC_BASE_X2APIC	BIT(10)
#define APIC_BASE_ADDR_MASK	0xffffff000ULL
#define MSR_X2APIC_ICR		0x830
#define XAPIC_LDR		0xd0
#define XAPIC_DFR		0xe0
#define XAPIC_DFR_FLAT		0xffffffffu
#define XAPIC_ICR_LO		0x300
#define XAPIC_ICR_HI		0x310
#define APIC_DM_NMI		(4 << 8)
#define APIC_ICR_BUSY		BIT(12)

static u64 window_base;
static volatile u32 *xapic;
static spinlock_t window_lock;
/* Uncached device mappings (mmio_map), after the APIC page. */
#define MMIO_AREA_SIZE		(1ULL << 30)
static u64 mmio_used;

/*
 * Physical memory, mapped once into the host page tables in the top-level
 * slot after ours: the hypervisor reads configs and guest instructions and
 * clears cell memory through it.  Linux never sees these tables.
 */
int phys_window_init(void)
{
	unsigned int top = host_paging.levels == 5 ? 48 : 39;
	u64 base = ((hv.region_virt >> top) + 1) << top;
	u64 apic_pa = rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK;
	int err = 0;

	if (READ_ONCE(window_base))
		return 0;
	spin_lock(&window_lock);
	if (!window_base) {
		err = paging_map(&host_paging, base, 0, PHYS_WINDOW_SIZE,
				 PTE_P | PTE_RW | PTE_NX);
		/* The APIC page uncached, right after the window. */
		if (!err)
			err = paging_map(&host_paging, base + PHYS_WINDOW_SIZE,
					 apic_pa, PAGE_SIZE, PTE_P | PTE_RW |
					 PTE_NX | PTE_PCD | PTE_PWT);
		if (!err) {
			xapic = (volatile u32 *)(base + PHYS_WINDOW_SIZE);
			WRITE_ONCE(window_base, base);
		}
	}
	spin_unlock(&window_lock);
	return err;
}

void *phys_ptr(u64 pa)
{
	if (!window_base || pa >= PHYS_WINDOW_SIZE)
		return NULL;
	return (void *)(window_base + pa);
}

/*
 * Device registers (an IOMMU unit, ECAM) uncached in the host tables, at
 * an address of their own after the APIC page.  Mappings stay until the
 * hypervisor is disabled: there are few, made at enable or first use.
 */
void *mmio_map(u64 pa, u64 size)
{
	u64 off = pa & ~PAGE_MASK, len = PAGE_ALIGN(off + size);
	u64 virt;
	int err;

	if (!READ_ONCE(window_base) || !size)
		return NULL;
	spin_lock(&window_lock);
	virt = window_base + PHYS_WINDOW_SIZE + PAGE_SIZE + mmio_used;
	err = len > MMIO_AREA_SIZE - mmio_used ? -ENOSPC :
	      paging_map(&host_paging, virt, pa - off, len, PTE_P | PTE_RW |
			 PTE_NX | PTE_PCD | PTE_PWT);
	if (!err)
		mmio_used += len;
	spin_unlock(&window_lock);
	return err ? NULL : (void *)(virt + off);
}

static bool x2apic_on(void)
{
	return rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC;
}

u32 apic_this_id(void)
{
	u32 a, b, c, d;

	if (x2apic_on()) {
		cpuid(0xb, 0, &a, &b, &c, &d);
		return d;
	}
	cpuid(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

/* NMIs reach a CPU whatever it runs; cell CPUs intercept them. */
void apic_send_nmi(u32 apic_id)
{
	if (x2apic_on()) {
		wrmsr(MSR_X2APIC_ICR, ((u64)apic_id << 32) | APIC_DM_NMI);
		return;
	}
	if (!xapic)
		return;
	while (xapic[XAPIC_ICR_LO / 4] & APIC_ICR_BUSY)
		cpu_relax();
	xapic[XAPIC_ICR_HI / 4] = apic_id << 24;
	xapic[XAPIC_ICR_LO / 4] = APIC_DM_NMI;
}

/* ---- the root's xAPIC page: decode, filter the ICR, emulate INIT/SIPI ---- */

#define X86_CR4_PSE		BIT(4)
/* CS.L and CS.D/B in the VMCS layout of vcpu_ctx.cs_ar. */
#define SEG_AR_L		BIT(13)
#define SEG_AR_DB		BIT(14)
#define PT_P			BIT_ULL(0)
#define PT_PS			BIT_ULL(7)
#define APIC_DM_MASK		(7 << 8)
#define APIC_LVT_MASKED		BIT(16)
#define APIC_DM_INIT		(5 << 8)
#define APIC_DM_SIPI		(6 << 8)
#define APIC_DEST_LOGICAL	BIT(11)
#define APIC_SHORTHAND(lo)	(((lo) >> 18) & 3)

/* Host-physical address of a cell's guest-physical one (root: the same). */
static u64 guest_to_host(const struct cell *c, u64 gpa)
{
	const struct cfg_mem_region *r;
	unsigned int i;

	if (!c)
		return gpa;
	for (i = 0; i < c->cfg.n_mem; i++) {
		r = &c->cfg.mem[i];
		if (gpa >= r->guest && gpa - r->guest < r->size &&
		    !(r->flags & CFG_MEM_IO))
			return r->phys + (gpa - r->guest);
	}
	return ~0ULL;
}

static void *guest_ptr(const struct cell *c, u64 gpa)
{
	u64 pa = guest_to_host(c, gpa);

	return pa == ~0ULL ? NULL : phys_ptr(pa);
}

/* A guest's paging mode: table levels, index bits and entry bytes. */
struct guest_walk {
	unsigned int levels, bits, entry;
	u64 table;
};

static void guest_walk_init(const struct vcpu_ctx *ctx, struct guest_walk *w)
{
	if (ctx->efer & EFER_LMA)
		*w = (struct guest_walk){ (ctx->cr4 & X86_CR4_LA57) ? 5 : 4,
					  9, 8, ctx->cr3 & PTE_ADDR_MASK };
	else if (ctx->cr4 & X86_CR4_PAE)
		*w = (struct guest_walk){ 3, 9, 8, ctx->cr3 & 0xffffffe0 };
	else
		*w = (struct guest_walk){ 2, 10, 4, ctx->cr3 & 0xfffff000 };
}

/* A large page: 2 MiB or 1 GiB (PAE, 4 and 5 levels), 4 MiB (CR4.PSE). */
static bool guest_large(const struct vcpu_ctx *ctx,
			const struct guest_walk *w, unsigned int level, u64 e)
{
	if (!(e & PT_PS))
		return false;
	if (level == 2)
		return w->entry == 8 || (ctx->cr4 & X86_CR4_PSE);
	return level == 3 && w->levels >= 4;
}

/* The 4 MiB frame of a 32-bit entry holds address bits 32-39 (PSE-36). */
static u64 guest_frame(const struct guest_walk *w, u64 e, unsigned int shift)
{
	u64 frame = e & PTE_ADDR_MASK & ~((1ULL << shift) - 1);

	if (w->entry == 4 && shift > 12)
		frame |= ((e >> 13) & 0xff) << 32;
	return frame;
}

/*
 * Guest-physical address of a linear one, walking the guest's tables in
 * whichever of the four paging modes it uses (none, 32-bit, PAE, 4/5
 * levels).  ~0: not mapped.
 */
static u64 guest_translate(const struct vcpu_ctx *ctx, u64 va)
{
	unsigned int level, shift;
	struct guest_walk w;
	u64 e = 0;
	void *p;

	if (!(ctx->efer & EFER_LMA))
		va = (u32)va;
	if (!(ctx->cr0 & X86_CR0_PG))
		return va;
	guest_walk_init(ctx, &w);
	for (level = w.levels;; level--) {
		shift = 12 + w.bits * (level - 1);
		p = guest_ptr(ctx->cell, w.table + w.entry *
			      ((va >> shift) & ((1U << w.bits) - 1)));
		if (!p)
			return ~0ULL;
		e = w.entry == 8 ? *(u64 *)p : *(u32 *)p;
		if (!(e & PT_P))
			return ~0ULL;
		if (level == 1 || guest_large(ctx, &w, level, e))
			return guest_frame(&w, e, shift) |
			       (va & ((1ULL << shift) - 1));
		w.table = e & PTE_ADDR_MASK;
	}
}

/* Bytes at @va up to the first one not mapped: how many were read. */
static unsigned int guest_fetch(const struct vcpu_ctx *ctx, u64 va, u8 *buf,
				unsigned int n)
{
	unsigned int i;
	u64 pa;
	u8 *p;

	for (i = 0; i < n; i++) {
		pa = guest_translate(ctx, va + i);
		p = pa == ~0ULL ? NULL : guest_ptr(ctx->cell, pa);
		if (!p)
			break;
		buf[i] = *p;
	}
	return i;
}

/* What CS says: 64-bit (EFER.LMA and CS.L), else CS.D (real mode: 16). */
static enum mmio_mode guest_mode(const struct vcpu_ctx *ctx)
{
	if (!(ctx->cr0 & X86_CR0_PE))
		return MMIO_MODE_16;
	if ((ctx->efer & EFER_LMA) && (ctx->cs_ar & SEG_AR_L))
		return MMIO_MODE_64;
	return (ctx->cs_ar & SEG_AR_DB) ? MMIO_MODE_32 : MMIO_MODE_16;
}

/*
 * The instruction at the guest's CS:RIP, decoded (mmio_decode.c).  Near
 * the end of a mapping fewer than 15 bytes may be readable: the decoder
 * says -EFAULT if the instruction needs more.
 */
int apic_decode(const struct vcpu_ctx *ctx, unsigned int flags,
		struct mmio_insn *in)
{
	enum mmio_mode mode = guest_mode(ctx);
	u8 b[MMIO_INSN_MAX];
	u64 va;

	/* In 64-bit mode the CS base is 0 whatever it holds. */
	va = mode == MMIO_MODE_64 ? ctx->rip : (u32)(ctx->cs_base + ctx->rip);
	return mmio_decode(b, guest_fetch(ctx, va, b, sizeof(b)), mode, flags,
			   in);
}

static struct cell_cpu *cpu_by_apic_id(u32 id)
{
	unsigned int i;

	for (i = 0; i < hv.cpus; i++)
		if (cell_cpus[i].apic_id_valid && cell_cpus[i].apic_id == id)
			return &cell_cpus[i];
	return NULL;
}

/*
 * A broadcast of the root ("all", "all but self") would reach cells.
 * INIT, SIPI and NMI broadcasts are dropped (Linux stops using shorthands
 * once a CPU is offline).  Other vectors go out as a flat logical
 * broadcast instead, which a cell's CPUs, with logical ID 0, never match;
 * "all but self" leaves out this CPU's own logical ID.  True: handled.
 */
static bool root_broadcast(u32 lo, u32 mode)
{
	u32 dest = 0xff;
	static u32 warned;

	if (mode == APIC_DM_INIT || mode == APIC_DM_SIPI ||
	    mode == APIC_DM_NMI)
		return true;
	if (xapic[XAPIC_DFR / 4] != XAPIC_DFR_FLAT) {
		if (!warned++)
			pr_err("root cell broadcast IPI 0x%x in cluster mode: "
			       "dropped\n", lo);
		return true;
	}
	if (APIC_SHORTHAND(lo) == 3)
		dest &= ~(xapic[XAPIC_LDR / 4] >> 24);
	if (dest) {
		while (xapic[XAPIC_ICR_LO / 4] & APIC_ICR_BUSY)
			cpu_relax();
		xapic[XAPIC_ICR_HI / 4] = dest << 24;
		xapic[XAPIC_ICR_LO / 4] = (lo & ~(3 << 18)) | APIC_DEST_LOGICAL;
	}
	return true;
}

/*
 * An IPI of the root to the physical APIC ID @dest.  INIT and SIPI to a
 * CPU that waits to come back are emulated (the real ones would reset
 * it); anything aimed at a cell's CPU is dropped.  True: handled, do not
 * send.
 */
static bool root_icr_physical(u32 lo, u32 dest)
{
	u32 mode = lo & APIC_DM_MASK;
	struct cell_cpu *cc;
	static u32 warned;

	cc = cpu_by_apic_id(dest);
	if (!cc)
		return false;
	if ((mode == APIC_DM_INIT || mode == APIC_DM_SIPI) &&
	    cell_cpu_root_start(cc, mode == APIC_DM_SIPI ? (lo & 0xff) + 1 : 0))
		return true;
	if (cell_cpu_given(cc) && !warned++)
		pr_err("root cell sent IPI 0x%x to a cell's CPU: dropped\n",
		       lo);
	return cell_cpu_given(cc);
}

/* An ICR write of the root on its xAPIC page. */
static bool root_icr(u32 lo, u32 hi)
{
	if (APIC_SHORTHAND(lo) >= 2)
		return root_broadcast(lo, lo & APIC_DM_MASK);
	/* Cell CPUs have logical ID 0 (apic_reset_for_cell): no match. */
	if (APIC_SHORTHAND(lo) || (lo & APIC_DEST_LOGICAL))
		return false;
	return root_icr_physical(lo, hi >> 24);
}

/* ---- the root's x2APIC ICR (MSR 0x830) ---- */

#define X2APIC_BROADCAST	0xffffffffu

static bool any_cell_cpu(void)
{
	unsigned int i;

	for (i = 0; i < hv.cpus; i++)
		if (cell_cpu_given(&cell_cpus[i]))
			return true;
	return false;
}

static void x2apic_send(u32 lo, u32 dest)
{
	wrmsr(MSR_X2APIC_ICR, ((u64)dest << 32) | lo);
}

/*
 * x2APIC logical IDs follow from the APIC ID (cluster ID << 16 | one bit
 * per CPU), so a cell's CPUs cannot be given ID 0 as in xAPIC mode:
 * their bits are taken out of the destination instead.
 */
static bool x2apic_root_logical(u32 lo, u32 dest)
{
	u32 mask = dest, id;
	unsigned int i;

	for (i = 0; i < hv.cpus; i++) {
		id = cell_cpus[i].apic_id;
		if (cell_cpu_given(&cell_cpus[i]) &&
		    cell_cpus[i].apic_id_valid && id >> 4 == dest >> 16)
			mask &= ~BIT(id & 15);
	}
	if (mask == dest)
		return false;
	if (mask & 0xffff)
		x2apic_send(lo, mask);
	return true;
}

/*
 * Broadcasts: INIT, SIPI and NMI never go out (a CPU parked in the
 * hypervisor must not get them).  Others pass while no CPU is a cell's,
 * as when Linux has every CPU online again and uses shorthands; while
 * one is, Linux sends none, and one written by hand is dropped: the
 * root's CPUs have no logical ID that would leave the cell's out.
 */
static bool x2apic_root_broadcast(u32 lo, u32 mode)
{
	static u32 warned;

	if (mode == APIC_DM_INIT || mode == APIC_DM_SIPI ||
	    mode == APIC_DM_NMI)
		return true;
	if (!any_cell_cpu())
		return false;
	if (!warned++)
		pr_err("root cell broadcast IPI 0x%x while a cell exists: "
		       "dropped\n", lo);
	return true;
}

bool apic_root_x2apic_icr(u64 icr)
{
	u32 lo = icr, dest = icr >> 32;

	if (APIC_SHORTHAND(lo) >= 2 || dest == X2APIC_BROADCAST)
		return x2apic_root_broadcast(lo, lo & APIC_DM_MASK);
	if (APIC_SHORTHAND(lo))
		return false;
	if (lo & APIC_DEST_LOGICAL)
		return x2apic_root_logical(lo, dest);
	return root_icr_physical(lo, dest);
}

/* One access of the root to its APIC page, register value in/out. */
void apic_root_access(u32 offset, bool write, u64 *val)
{
	if (!xapic || offset & 3)
		return;
	if (!write) {
		*val = xapic[offset / 4];
		return;
	}
	if (offset == XAPIC_ICR_LO && root_icr(*val, xapic[XAPIC_ICR_HI / 4]))
		return;
	xapic[offset / 4] = *val;
}

u64 apic_phys(void)
{
	return rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK;
}

/*
 * A cell's APIC stays as the root left it.  Not disabled: it would not
 * receive the hypervisor's NMIs; not moved: it would escape its traps;
 * not switched to x2APIC: the CPU goes back to Linux one day, and leaving
 * x2APIC mode goes through a disabled APIC, which Bochs 2.7 never
 * enables again (it ignores APIC base writes while disabled).  Cells see
 * x2APIC in CPUID only where the root runs it (cell_cpuid_fixup).
 * -EPERM: the write fails the cell.
 */
int apic_cell_write_base(u64 val)
{
	return val == rdmsr(MSR_APIC_BASE) ? 0 : -EPERM;
}

bool apic_x2apic_mode(void)
{
	return x2apic_on();
}

/* ---- a cell's own APIC: its registers, IPIs only inside the cell ---- */

/* An IPI the hypervisor builds itself: fixed vector, physical, edge. */
static void send_fixed(u8 vector, u32 apic_id)
{
	u32 lo = vector | APIC_ICR_ASSERT;

	if (x2apic_on()) {
		x2apic_send(lo, apic_id);
		return;
	}
	while (xapic[XAPIC_ICR_LO / 4] & APIC_ICR_BUSY)
		cpu_relax();
	xapic[XAPIC_ICR_HI / 4] = apic_id << 24;
	xapic[XAPIC_ICR_LO / 4] = lo;
}

/*
 * INIT parks a CPU of the cell, SIPI starts a parked one at the vector;
 * NMIs are the hypervisor's signal and are dropped; a fixed IPI goes out
 * rebuilt from its vector alone, never as the cell wrote it.
 */
static void cell_ipi_one(struct cell_cpu *target, u32 lo)
{
	switch (APIC_ICR_MODE(lo)) {
	case ICR_INIT:
		if (lo & APIC_ICR_ASSERT)	/* de-assert: nothing to do */
			cell_cpu_init(target);
		break;
	case ICR_SIPI:
		cell_cpu_sipi(target, APIC_ICR_VECTOR(lo));
		break;
	case ICR_FIXED:
		send_fixed(APIC_ICR_VECTOR(lo), target->apic_id);
		break;
	}
}

/* The logical ID a cell CPU answers to: the hypervisor's copy in xAPIC. */
static bool cell_cpu_logical_match(const struct cell_cpu *t, u32 dest)
{
	if (x2apic_on())
		return apic_logical_match(true, dest,
					  apic_x2apic_ldr(t->apic_id), 0);
	return apic_logical_match(false, dest, t->vldr, t->vdfr);
}

static bool icr_broadcast_dest(u32 dest)
{
	return dest == (x2apic_on() ? X2APIC_BROADCAST : 0xff);
}

/* Does the IPI @lo with destination @dest go to @t (a CPU of the cell)? */
static bool icr_targets(const struct cell_cpu *self, const struct cell_cpu *t,
			u32 lo, u32 dest)
{
	switch (APIC_ICR_SHORTHAND(lo)) {
	case ICR_SELF:
		return t == self;
	case ICR_ALL:
		return true;
	case ICR_ALL_BUT_SELF:
		return t != self;
	}
	if (lo & APIC_ICR_LOGICAL)
		return cell_cpu_logical_match(t, dest);
	return icr_broadcast_dest(dest) || t->apic_id == dest;
}

u32 apic_icr_dest(const struct cell_cpu *self, u64 icr)
{
	return x2apic_on() ? icr >> 32 : self->icr_hi >> 24;
}

/*
 * A cell's ICR write: only delivery modes on the whitelist, only to CPUs
 * of the cell.  Shorthands, broadcasts and logical destinations are
 * resolved here against the cell's own CPUs; a physical destination
 * outside the cell is -ESRCH.
 */
static int cell_icr(struct cell *c, struct cell_cpu *self, u64 icr,
		    const char **why)
{
	u32 lo = icr, dest = apic_icr_dest(self, icr);
	struct cell_cpu *t;
	unsigned int i;

	if (apic_icr_check(lo, why))
		return -EPERM;
	if (!APIC_ICR_SHORTHAND(lo) && !(lo & APIC_ICR_LOGICAL) &&
	    !icr_broadcast_dest(dest)) {
		t = cpu_by_apic_id(dest);
		if (!t || t->cell != c)
			return -ESRCH;
	}
	for (i = 0; i < c->n_cpus; i++) {
		t = &cell_cpus[c->cpu[i]];
		if (t->apic_id_valid && icr_targets(self, t, lo, dest))
			cell_ipi_one(t, lo);
	}
	return 0;
}

static u32 apic_read(u32 reg);
static void apic_write(u32 reg, u32 val);

int apic_cell_write(struct cell *c, struct cell_cpu *self, u32 offset,
		    u64 val, const char **why)
{
	switch (apic_write_rule(offset, x2apic_on())) {
	case APIC_WRITE_PASS:
		apic_write(offset, val);
		return 0;
	case APIC_WRITE_LVT:
		if (apic_lvt_check(val)) {
			*why = "only fixed or masked LVT entries";
			return -EPERM;
		}
		/* Masked: the mode goes too, unmasking comes through here. */
		apic_write(offset, (val & APIC_LVT_MASKED) ?
			   val & ~APIC_DM_MASK : val);
		return 0;
	case APIC_WRITE_ICR:
		return cell_icr(c, self, val, why);
	case APIC_WRITE_ICR_HI:
		self->icr_hi = val;	/* used with the next ICR write */
		return 0;
	case APIC_WRITE_VIRTUAL:
		/* The real LDR stays 0: the root's logical IPIs miss it. */
		if (offset == APIC_REG_LDR)
			self->vldr = val & 0xff000000u;
		else
			self->vdfr = val | 0x0fffffffu;
		return 0;
	case APIC_WRITE_IGNORE:
		return 0;
	case APIC_WRITE_REFUSE:
		break;
	}
	*why = offset == APIC_REG_ID ? "the APIC ID is the hypervisor's" :
				       "not a register a cell may write";
	return -EPERM;
}

u32 apic_cell_read(const struct cell_cpu *self, u32 offset)
{
	if (!xapic || (offset & 0xf))
		return 0;
	if (offset == APIC_REG_LDR)
		return self->vldr;
	if (offset == APIC_REG_DFR)
		return self->vdfr;
	return xapic[offset / 4];
}

/* ---- a clean local APIC for a cell, as INIT would leave it ---- */

#define XAPIC_TPR		0x80
#define XAPIC_EOI		0xb0
#define XAPIC_SVR		0xf0
#define XAPIC_ISR		0x100
#define XAPIC_LVT_FIRST		0x320
#define XAPIC_LVT_LAST		0x370
#define XAPIC_TIMER_INIT	0x380
#define MSR_X2APIC_BASE		0x800

struct idt_gate {
	u16 off_lo, sel;
	u8 ist, type;
	u16 off_mid;
	u32 off_hi, reserved;
} __packed;

/* EOI address for the stub; 0: x2APIC (EOI MSR). */
u64 apic_drain_eoi;
void apic_drain_stub(void);

/* Accept one interrupt left pending by Linux, EOI it, return. */
asm(".pushsection .text\n"
    ".globl apic_drain_stub\n"
    "apic_drain_stub:\n\t"
    "push %rax\n\tpush %rcx\n\tpush %rdx\n\t"
    "mov apic_drain_eoi(%rip), %rax\n\t"
    "test %rax, %rax\n\t"
    "jz 1f\n\t"
    "movl $0, (%rax)\n\t"
    "jmp 2f\n"
    "1:\tmov $0x80b, %ecx\n\t"
    "xor %eax, %eax\n\t"
    "xor %edx, %edx\n\t"
    "wrmsr\n"
    "2:\tpop %rdx\n\tpop %rcx\n\tpop %rax\n\t"
    "iretq\n"
    ".popsection");

static struct idt_gate drain_idt[256] __aligned(16);

static u32 apic_read(u32 reg)
{
	return x2apic_on() ? rdmsr(MSR_X2APIC_BASE + reg / 16) :
			     xapic[reg / 4];
}

static void apic_write(u32 reg, u32 val)
{
	if (x2apic_on())
		wrmsr(MSR_X2APIC_BASE + reg / 16, val);
	else
		xapic[reg / 4] = val;
}

/* Interrupts that reached this CPU for Linux are taken and dropped here. */
static void apic_drain_pending(void)
{
	struct desc_ptr old, idtr = { sizeof(drain_idt) - 1,
				      (u64)drain_idt };
	u64 stub = (u64)apic_drain_stub;
	bool svm = rdmsr(MSR_EFER) & EFER_SVME;	/* GIF exists */
	unsigned int v;

	asm volatile("sidt %0" : "=m" (old));
	/* Exceptions and NMI as usual (a management NMI may be pending). */
	memcpy(drain_idt, (void *)old.base, 32 * sizeof(drain_idt[0]));
	for (v = 32; v < 256; v++)
		drain_idt[v] = (struct idt_gate){
			.off_lo = stub, .sel = GDT_SEL_CODE, .type = 0x8e,
			.off_mid = stub >> 16, .off_hi = stub >> 32,
		};
	apic_drain_eoi = x2apic_on() ? 0 : (u64)&xapic[XAPIC_EOI / 4];
	asm volatile("lidt %0" : : "m" (idtr));
	/* IF (and on AMD GIF) open for a moment: pending vectors arrive. */
	if (svm)
		asm volatile("stgi" ::: "memory");
	asm volatile("sti\n\t"
		     "mov $1000, %%ecx\n"
		     "1:\tpause\n\t"
		     "dec %%ecx\n\t"
		     "jnz 1b\n\t"
		     "cli" ::: "rcx", "memory");
	if (svm)
		asm volatile("clgi" ::: "memory");
	asm volatile("lidt %0" : : "m" (old));
}

void apic_reset_for_cell(struct cell_cpu *cc)
{
	unsigned int reg, i;

	cc->vldr = 0;
	cc->vdfr = XAPIC_DFR_FLAT;
	cc->icr_hi = 0;

	if (!x2apic_on() && !xapic)
		return;
	for (reg = XAPIC_LVT_FIRST; reg <= XAPIC_LVT_LAST; reg += 0x10)
		apic_write(reg, APIC_LVT_MASKED);
	apic_write(XAPIC_TIMER_INIT, 0);
	apic_write(XAPIC_TPR, 0);
	/* Only an enabled APIC delivers what it holds: enable it briefly. */
	apic_write(XAPIC_SVR, 0x1ff);
	apic_drain_pending();
	/* Anything still in service would block the cell's vectors. */
	for (i = 0; i < 256; i++) {
		for (reg = 0; reg < 8; reg++)
			if (apic_read(XAPIC_ISR + reg * 0x10))
				break;
		if (reg == 8)
			break;
		apic_write(XAPIC_EOI, 0);
	}
	apic_write(XAPIC_SVR, 0xff);	/* as after INIT: disabled */
	/*
	 * As after INIT too: logical ID 0 matches no logical destination,
	 * so the root's logical IPIs cannot reach this CPU (x2APIC derives
	 * the ID from the APIC ID; its ICR is filtered instead).
	 */
	if (!x2apic_on()) {
		apic_write(XAPIC_LDR, 0);
		apic_write(XAPIC_DFR, XAPIC_DFR_FLAT);
	}
}
