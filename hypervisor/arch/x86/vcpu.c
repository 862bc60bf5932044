// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 rule book: what the root and a cell may do with CPUID, MSRs,
 * ports, the local APIC, cache instructions and hypercalls, and what
 * happens otherwise.  Both vendors call in here with what they decoded.
 */
#include <string.h>
#include <cellvisor/hypercall.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/devmodel.h>
#include <hv/pci.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <asm/cell_x86.h>
#include <asm/mmio_decode.h>
#include <asm/processor.h>
#include <asm/rules.h>
#include <asm/vcpu.h>

#define CPUID_1_ECX_VMX		BIT(5)
#define CPUID_1_ECX_X2APIC	BIT(21)
#define CPUID_1_ECX_TSC_DEADLINE BIT(24)
#define CPUID_1_ECX_XSAVE	BIT(26)
#define CPUID_1_ECX_OSXSAVE	BIT(27)
#define CPUID_1_ECX_HYPERVISOR	BIT(31)
#define CPUID_6_EAX_TURBO	BIT(1)
#define CPUID_6_EAX_ARAT	BIT(2)
#define CPUID_7_ECX_OSPKE	BIT(4)
#define CPUID_EXT1_ECX_SVM	BIT(2)
#define CPUID_EXT1_EDX_RDTSCP	BIT(27)
#define X86_CR4_OSXSAVE		BIT(18)
#define X86_CR4_PKE		BIT(22)
#define EFER_SCE		BIT(0)
#define EFER_LME		BIT(8)
#define EFER_LMA		BIT(10)
#define EFER_NXE		BIT(11)
#define FEATURE_CONTROL_LOCK	BIT(0)
#define FEATURE_CONTROL_VMX_ANY	(BIT(1) | BIT(2))
#define VM_CR_LOCK		BIT(3)
#define VM_CR_DISABLED		BIT(4)

static void count(struct vcpu_ctx *ctx, unsigned int reason)
{
	if (ctx->cell)
		cell_count_exit(ctx->pc, reason);
}

/* A general-purpose register by its x86 number (RSP: rsp_unused). */
static u64 *gpr(struct registers *r, unsigned int n)
{
	u64 *const regs[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp_unused, &r->rbp,
		&r->rsi, &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11, &r->r12,
		&r->r13, &r->r14, &r->r15,
	};

	return regs[n & 15];
}

static u64 edx_eax(const struct registers *r)
{
	return (r->rdx << 32) | (u32)r->rax;
}

static void set_edx_eax(struct registers *r, u64 val)
{
	r->rax = (u32)val;
	r->rdx = val >> 32;
}

/* ---- CPUID ---- */

static void cpuid_signature(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	*a = *b = *c = *d = 0;
	if (leaf != CELLVISOR_CPUID_SIGNATURE)
		return;
	*a = CELLVISOR_CPUID_MAX_LEAF;
	*b = CELLVISOR_CPUID_EBX;
	*c = CELLVISOR_CPUID_ECX;
	*d = CELLVISOR_CPUID_EDX;
}

/*
 * The CPU as guests see it: no VMX, no SVM, a hypervisor bit, and the
 * OS-controlled bits from the guest's CR4 (CPUID runs here with ours).
 * A cell sees x2APIC only where its CPU runs it: it may not switch.
 */
enum vcpu_result vcpu_handle_cpuid(struct vcpu_ctx *ctx)
{
	struct registers *r = ctx->r;
	u32 leaf = r->rax, a, b, c, d;

	count(ctx, CELLVISOR_EXIT_CPUID);
	if ((leaf & 0xffffff00) == CELLVISOR_CPUID_SIGNATURE)
		cpuid_signature(leaf, &a, &b, &c, &d);
	else
		cpuid(leaf, r->rcx, &a, &b, &c, &d);
	if (leaf == 1) {
		c = (c & ~(CPUID_1_ECX_VMX | CPUID_1_ECX_OSXSAVE)) |
		    CPUID_1_ECX_HYPERVISOR;
		if (ctx->cr4 & X86_CR4_OSXSAVE)
			c |= CPUID_1_ECX_OSXSAVE;
		if (ctx->cell && !apic_x2apic_mode())
			c &= ~CPUID_1_ECX_X2APIC;
	} else if (leaf == 6 && ctx->cell) {
		/*
		 * Thermal and power management: each feature has MSRs a
		 * cell may not touch (thermal status, HWP, APERF/MPERF,
		 * energy bias).  Only the facts remain: turbo, and the
		 * APIC timer running in deep C-states.
		 */
		a &= CPUID_6_EAX_TURBO | CPUID_6_EAX_ARAT;
		b = c = d = 0;
	} else if (leaf == 7 && (u32)r->rcx == 0) {
		c &= ~CPUID_7_ECX_OSPKE;
		if (ctx->cr4 & X86_CR4_PKE)
			c |= CPUID_7_ECX_OSPKE;
	} else if (leaf == 0x80000001) {
		c &= ~CPUID_EXT1_ECX_SVM;
	} else if (leaf == 0x8000000a) {
		a = b = c = d = 0;
	}
	r->rax = a;
	r->rbx = b;
	r->rcx = c;
	r->rdx = d;
	return VCPU_NEXT;
}

/* ---- MSRs ---- */

static enum vcpu_result msr_refuse(struct vcpu_ctx *ctx, u32 msr, bool write)
{
	if (!ctx->cell)
		return VCPU_GP;
	cell_fail(ctx->pc, "forbidden MSR %s 0x%x (%s, RIP 0x%lx)",
		  write ? "write" : "read", msr, msr_name(msr), ctx->rip);
	return VCPU_FAILED;
}

/* Only what a CPU that comes out of reset could set itself. */
static enum vcpu_result efer_write(struct vcpu_ctx *ctx, u64 val)
{
	u64 allowed = EFER_SCE | EFER_LME | EFER_NXE;

	if (!ctx->cell) {
		ctx->efer = val;
	} else if (val & ~(allowed | EFER_LMA)) {
		cell_fail(ctx->pc, "EFER write 0x%lx sets bits a cell may not "
			  "use (RIP 0x%lx)", val, ctx->rip);
		return VCPU_FAILED;
	} else if (((val ^ ctx->efer) & EFER_LME) && (ctx->cr0 & X86_CR0_PG)) {
		return VCPU_GP;		/* as the CPU: no LME change with paging */
	} else {
		ctx->efer = (val & allowed) | (ctx->efer & EFER_LMA);
	}
	ctx->efer_written = true;
	return VCPU_NEXT;
}

static bool vendor_is_intel(void)
{
	return x86_cpu_vendor() == X86_VENDOR_INTEL;
}

static enum vcpu_result msr_emulate_read(struct vcpu_ctx *ctx, u32 msr)
{
	u64 val;

	switch (msr) {
	case MSR_EFER_REG:
		val = ctx->efer;
		break;
	case MSR_FEATURE_CONTROL:
		/* Locked, VT-x off: it is the hypervisor's. */
		if (!vendor_is_intel())
			return msr_refuse(ctx, msr, false);
		val = (rdmsr(msr) & ~FEATURE_CONTROL_VMX_ANY) |
		      FEATURE_CONTROL_LOCK;
		break;
	case MSR_VM_CR_REG:
		if (vendor_is_intel())
			return msr_refuse(ctx, msr, false);
		val = VM_CR_DISABLED | VM_CR_LOCK;
		break;
	case MSR_VM_HSAVE_PA_REG:
		val = 0;
		break;
	default:
		return msr_refuse(ctx, msr, false);
	}
	set_edx_eax(ctx->r, val);
	return VCPU_NEXT;
}

static enum vcpu_result apic_refused(struct vcpu_ctx *ctx, u32 offset,
				     u64 val, int err, const char *why)
{
	/* The ICR's low half names the IPI alike in xAPIC and x2APIC. */
	if (err == -ESRCH)
		cell_fail(ctx->pc, "IPI 0x%x to a CPU outside the cell (APIC "
			  "ID %u, RIP 0x%lx)", (u32)val,
			  apic_icr_dest(cell_cpu(ctx->pc), val), ctx->rip);
	else if (offset == APIC_REG_ICR_LO)
		cell_fail(ctx->pc, "IPI 0x%x refused: %s (RIP 0x%lx)", (u32)val,
			  why, ctx->rip);
	else
		cell_fail(ctx->pc, "APIC register 0x%x write 0x%lx refused: %s "
			  "(RIP 0x%lx)", offset, val, why, ctx->rip);
	return VCPU_FAILED;
}

/* A cell's write to its own APIC, through the x2APIC MSRs or the page. */
static enum vcpu_result apic_write(struct vcpu_ctx *ctx, u32 offset, u64 val)
{
	const char *why = "not allowed";
	int err;

	count(ctx, CELLVISOR_EXIT_APIC);
	err = apic_cell_write(ctx->cell, cell_cpu(ctx->pc), offset, val, &why);
	return err ? apic_refused(ctx, offset, val, err, why) : VCPU_NEXT;
}

static enum vcpu_result msr_emulate_write(struct vcpu_ctx *ctx, u32 msr,
					  u64 val)
{
	if (msr == MSR_EFER_REG)
		return efer_write(ctx, val);
	if (!ctx->cell) {
		/* The ICR MSR exists only in x2APIC mode (else #GP). */
		if (msr == MSR_X2APIC_ICR_REG && !apic_x2apic_mode())
			return VCPU_GP;
		/* The root's ICR: nothing may reach a cell's CPU. */
		if (msr == MSR_X2APIC_ICR_REG && !apic_root_x2apic_icr(val))
			wrmsr(msr, val);
		/* VM_CR, VM_HSAVE_PA: ignored, AMD-V is taken. */
		return msr == MSR_X2APIC_ICR_REG || msr == MSR_VM_CR_REG ||
		       msr == MSR_VM_HSAVE_PA_REG ? VCPU_NEXT : VCPU_GP;
	}
	/* x2APIC MSRs exist only in x2APIC mode (else #GP). */
	if (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST)
		return apic_x2apic_mode() ?
		       apic_write(ctx, (msr - MSR_X2APIC_FIRST) << 4, val) :
		       VCPU_GP;
	if (msr == MSR_APIC_BASE_REG) {
		count(ctx, CELLVISOR_EXIT_APIC);
		if (!apic_cell_write_base(val))
			return VCPU_NEXT;
		cell_fail(ctx->pc, "APIC base write 0x%lx refused: a cell may "
			  "not move, disable or switch its APIC (RIP 0x%lx)",
			  val, ctx->rip);
		return VCPU_FAILED;
	}
	return msr_refuse(ctx, msr, true);
}

enum vcpu_result vcpu_handle_msr(struct vcpu_ctx *ctx, bool write)
{
	u32 msr = ctx->r->rcx;
	enum msr_action act = msr_action(msr, ctx->cell, write);

	if (!(write && msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST))
		count(ctx, CELLVISOR_EXIT_MSR);
	/* EFER exits on AMD whatever the table says: SVME must stay set. */
	if (msr == MSR_EFER_REG)
		act = MSR_EMULATE;
	if (act != MSR_EMULATE)
		return msr_refuse(ctx, msr, write);
	if (write)
		return msr_emulate_write(ctx, msr, edx_eax(ctx->r));
	return msr_emulate_read(ctx, msr);
}

static void msr_range_intercepts(bool cell, u32 first,
				 void (*set)(void *, u32, bool, bool),
				 void *map)
{
	u32 msr;

	for (msr = first; msr < first + 0x2000; msr++)
		set(map, msr, msr_action(msr, cell, false) != MSR_PASS,
		    msr_action(msr, cell, true) != MSR_PASS);
}

void vcpu_msr_intercepts(bool cell, void (*set)(void *, u32, bool, bool),
			 void *map)
{
	msr_range_intercepts(cell, 0, set, map);
	msr_range_intercepts(cell, 0xc0000000, set, map);
	msr_range_intercepts(cell, 0xc0010000, set, map);
}

/* ---- ports ---- */

static u64 pio_mask(u32 size)
{
	return size == 4 ? 0xffffffffULL : (1ULL << (8 * size)) - 1;
}

/* A cell's access to a port a device model claimed: -ENODEV if none did. */
static int pio_model(struct vcpu_ctx *ctx, const struct vcpu_io *io)
{
	struct dev_access a = {
		.space = DEV_SPACE_PIO, .addr = io->port, .size = io->size,
		.write = !io->in, .val = ctx->r->rax & pio_mask(io->size),
	};
	int res = dev_dispatch(ctx->pc, ctx->cell, ctx->rip, &a);

	if (res == DEV_DONE && io->in) {
		/* As IN does: a 32-bit result clears bits 63:32. */
		if (io->size == 4)
			ctx->r->rax = (u32)a.val;
		else
			ctx->r->rax = (ctx->r->rax & ~pio_mask(io->size)) |
				      (a.val & pio_mask(io->size));
	}
	return res;
}

/*
 * The root's config mechanism 1 (trapped once a cell owns a PCI
 * device); string forms are not replayed (Linux does not use them).
 */
static void pio_root_pci(struct vcpu_ctx *ctx, const struct vcpu_io *io)
{
	static bool said;
	u32 val = ctx->r->rax & pio_mask(io->size);

	if (io->string) {
		if (!said)
			pr_err("root cell: string I/O at port 0x%x (PCI config "
			       "ports) ignored\n", io->port);
		said = true;
		return;
	}
	pci_root_pio(ctx->pc->cpu_index, io->port, io->size, io->in, &val);
	if (io->in && io->size == 4)
		ctx->r->rax = val;
	else if (io->in)
		ctx->r->rax = (ctx->r->rax & ~pio_mask(io->size)) | val;
}

static bool pio_is_pci_cfg(u32 port)
{
	return port >= PCI_CF8_PORT && port < PCI_CF8_PORT + PCI_CF8_PORTS;
}

/*
 * A cell's port access that exits: a device model's (dev_dispatch), or
 * outside the cell.  INS/OUTS would need the guest's memory walked and
 * are refused where a model serves the port.
 */
enum vcpu_result vcpu_handle_pio(struct vcpu_ctx *ctx,
				 const struct vcpu_io *io)
{
	int res;

	if (!ctx->cell && pio_is_pci_cfg(io->port)) {
		pio_root_pci(ctx, io);
		return VCPU_NEXT;
	}
	if (!ctx->cell) {
		cell_root_pio(io, &ctx->r->rax);
		return VCPU_NEXT;
	}
	count(ctx, CELLVISOR_EXIT_PIO);
	if (io->string && dev_claims(ctx->cell, DEV_SPACE_PIO, io->port)) {
		cell_fail(ctx->pc, "port 0x%x string %s (%s) to a virtual "
			  "device: not emulated (RIP 0x%lx)", io->port,
			  io->in ? "read" : "write", io->in ? "INS" : "OUTS",
			  ctx->rip);
		return VCPU_FAILED;
	}
	res = io->string ? -ENODEV : pio_model(ctx, io);
	if (res == DEV_DONE)
		return VCPU_NEXT;
	if (res == DEV_STOPPED)
		return VCPU_FAILED;
	cell_fail(ctx->pc, "port 0x%x %s%s outside the cell (RIP 0x%lx)",
		  io->port, io->in ? "read" : "write",
		  io->string ? " (string)" : "", ctx->rip);
	return VCPU_FAILED;
}

/* ---- hypercalls ---- */

enum vcpu_result vcpu_handle_hypercall(struct vcpu_ctx *ctx)
{
	struct registers *r = ctx->r;
	u64 nr = r->rax;
	s64 ret;

	count(ctx, CELLVISOR_EXIT_HYPERCALL);
	if (ctx->cpl) {
		r->rax = -EPERM;
		return VCPU_NEXT;
	}
	if (!ctx->cell) {
		r->rax = hypercall(ctx->pc, nr, r->rdi, r->rsi);
		return VCPU_NEXT;
	}
	if (!cell_guest_hypercall(ctx->cell, nr, r->rdi, &ret)) {
		cell_fail(ctx->pc, "illegal hypercall %lu (RIP 0x%lx)", nr,
			  ctx->rip);
		return VCPU_FAILED;
	}
	r->rax = ret;
	return VCPU_NEXT;
}

/* ---- cache and XCR0 ---- */

/*
 * INVD would drop dirty lines of memory other cells and the root share
 * the caches with: it is written back instead, as WBINVD is.  Both exit
 * (a real-time cost the cell chooses by using them).
 */
enum vcpu_result vcpu_handle_cache(struct vcpu_ctx *ctx)
{
	count(ctx, CELLVISOR_EXIT_OTHER);
	asm volatile("wbinvd" ::: "memory");
	return VCPU_NEXT;
}

static void xsetbv(u32 index, u64 val)
{
	asm volatile("xsetbv" : : "c" (index), "a" ((u32)val),
		     "d" ((u32)(val >> 32)) : "memory");
}

/* Checked here: a bad XSETBV would #GP in the hypervisor itself. */
enum vcpu_result vcpu_handle_xsetbv(struct vcpu_ctx *ctx)
{
	struct registers *r = ctx->r;
	u64 val = edx_eax(r);
	u32 a, b, c, d;

	count(ctx, CELLVISOR_EXIT_OTHER);
	cpuid(0xd, 0, &a, &b, &c, &d);
	if ((u32)r->rcx != 0 || !(val & 1) ||
	    (val & ~(((u64)d << 32) | a)) || ((val & 4) && !(val & 2)) ||
	    !(ctx->cr4 & X86_CR4_OSXSAVE))
		return VCPU_GP;
	xsetbv(0, val);
	return VCPU_NEXT;
}

/* ---- memory and the xAPIC page ---- */

static enum vcpu_result apic_page_cell(struct vcpu_ctx *ctx, u32 offset,
				       const struct mmio_insn *in)
{
	u64 *reg = gpr(ctx->r, in->reg);

	if (in->write)
		return apic_write(ctx, offset, mmio_store_value(in, *reg));
	count(ctx, CELLVISOR_EXIT_APIC);
	*reg = mmio_load_result(in, *reg,
				apic_cell_read(cell_cpu(ctx->pc), offset));
	return VCPU_NEXT;
}

/*
 * Not replayed: an instruction the decoder does not know (@size 0), or
 * an access of other than 32 bits, which the xAPIC leaves undefined.
 */
static enum vcpu_result apic_page_refused(struct vcpu_ctx *ctx, u32 offset,
					  unsigned int size)
{
	if (!ctx->cell) {
		if (size)
			pr_err("CPU %u: root %u-byte APIC access at offset "
			       "0x%x (RIP 0x%lx), #GP injected\n",
			       ctx->pc->cpu_index, size, offset, ctx->rip);
		else
			pr_err("CPU %u: root APIC access at RIP 0x%lx not "
			       "decoded, #GP injected\n", ctx->pc->cpu_index,
			       ctx->rip);
		return VCPU_GP;
	}
	count(ctx, CELLVISOR_EXIT_APIC);
	if (size)
		cell_fail(ctx->pc, "%u-byte APIC access at offset 0x%x "
			  "refused: the xAPIC page takes 32-bit accesses (RIP "
			  "0x%lx)", size, offset, ctx->rip);
	else
		cell_fail(ctx->pc, "APIC access not understood (RIP 0x%lx)",
			  ctx->rip);
	return VCPU_FAILED;
}

/*
 * An access to the xAPIC page: decoded, then checked or replayed.  XCHG
 * (Linux's X86_BUG_11AP write) is replayed as the write alone: Linux
 * discards the old value.
 */
static enum vcpu_result apic_page(struct vcpu_ctx *ctx, u64 gpa)
{
	u32 offset = gpa & 0xfff;
	struct mmio_insn in;
	u64 *reg, val;

	if (apic_decode(ctx, MMIO_DECODE_XCHG, &in))
		return apic_page_refused(ctx, offset, 0);
	if (in.size != 4)
		return apic_page_refused(ctx, offset, in.size);
	ctx->insn_len = in.len;
	if (ctx->cell)
		return apic_page_cell(ctx, offset, &in);
	reg = gpr(ctx->r, in.reg);
	val = mmio_store_value(&in, *reg);
	apic_root_access(offset, in.write, &val);
	if (!in.write)
		*reg = mmio_load_result(&in, *reg, val);
	return VCPU_NEXT;
}

static bool in_hypervisor(u64 gpa)
{
	return gpa >= hv.region_phys && gpa - hv.region_phys < hv.region_size;
}

/*
 * An access to a page a device model claimed (ctx->cell's table, or
 * the root's): decoded and replayed through dev_dispatch().  -ENODEV:
 * nothing claimed it; -EINVAL: the instruction was not understood.
 */
static int mmio_model(struct vcpu_ctx *ctx, u64 gpa, bool write, int *res)
{
	struct dev_access a = { .space = DEV_SPACE_MMIO, .addr = gpa };
	struct mmio_insn in;
	u64 *reg;

	if (ctx->cell ? !dev_claims(ctx->cell, DEV_SPACE_MMIO, gpa) :
			!cell_root_claims(DEV_SPACE_MMIO, gpa))
		return -ENODEV;
	if (apic_decode(ctx, 0, &in) || in.write != write)
		return -EINVAL;
	reg = gpr(ctx->r, in.reg);
	a.size = in.size;
	a.write = in.write;
	a.val = mmio_store_value(&in, *reg);
	*res = ctx->cell ? dev_dispatch(ctx->pc, ctx->cell, ctx->rip, &a) :
			   cell_root_dispatch(ctx->pc, ctx->rip, &a);
	if (*res == DEV_DONE && !in.write)
		*reg = mmio_load_result(&in, *reg, a.val);
	ctx->insn_len = in.len;
	return 0;
}

/* Not fatal for the root: Linux gets a #GP it can fix up or oops on. */
static enum vcpu_result root_npf(struct vcpu_ctx *ctx, u64 gpa, bool write)
{
	int res, err = mmio_model(ctx, gpa, write, &res);

	if (!err && res == DEV_DONE)
		return VCPU_NEXT;
	if (err == -EINVAL || (!err && res != -ENODEV)) {
		pr_err("CPU %u: root access to a cell's device at 0x%lx (RIP "
		       "0x%lx) not replayed, #GP injected\n",
		       ctx->pc->cpu_index, gpa, ctx->rip);
		return VCPU_GP;
	}
	if (in_hypervisor(gpa)) {
		pr_err("CPU %u: root cell accessed hypervisor memory at 0x%lx "
		       "(%s, RIP 0x%lx), #GP injected\n", ctx->pc->cpu_index,
		       gpa, write ? "write" : "read", ctx->rip);
		return VCPU_GP;
	}
	if (cell_owning(gpa)) {
		cell_root_mem_report(ctx->pc, gpa, ctx->rip);
		return VCPU_GP;
	}
	return VCPU_UNHANDLED;
}

enum vcpu_result vcpu_handle_npf(struct vcpu_ctx *ctx, u64 gpa, bool write)
{
	int res;

	/* The xAPIC page faults only where it is trapped (unmapped). */
	if ((gpa & PAGE_MASK) == apic_phys() &&
	    !(ctx->cell && apic_x2apic_mode()))
		return apic_page(ctx, gpa);
	if (!ctx->cell)
		return root_npf(ctx, gpa, write);
	count(ctx, CELLVISOR_EXIT_MMIO);
	if (!mmio_model(ctx, gpa, write, &res)) {
		if (res == DEV_DONE)
			return VCPU_NEXT;
		if (res == DEV_STOPPED)
			return VCPU_FAILED;
	}
	cell_fail(ctx->pc, "memory access at 0x%lx outside the cell (%s, RIP "
		  "0x%lx)", gpa, write ? "write" : "read", ctx->rip);
	return VCPU_FAILED;
}

/* ---- what no guest may do ---- */

enum vcpu_result vcpu_handle_virt_insn(struct vcpu_ctx *ctx,
				       const char *insn)
{
	if (!ctx->cell)
		return VCPU_UD;
	count(ctx, CELLVISOR_EXIT_OTHER);
	cell_fail(ctx->pc, "%s: virtualisation is the hypervisor's (RIP "
		  "0x%lx)", insn, ctx->rip);
	return VCPU_FAILED;
}

/* The counters hold what the root counted on this CPU: not for a cell. */
enum vcpu_result vcpu_handle_rdpmc(struct vcpu_ctx *ctx)
{
	if (!ctx->cell)
		return VCPU_UNHANDLED;
	count(ctx, CELLVISOR_EXIT_OTHER);
	cell_fail(ctx->pc, "RDPMC: the performance counters are not a "
		  "cell's (RIP 0x%lx)", ctx->rip);
	return VCPU_FAILED;
}

enum vcpu_result vcpu_handle_triple_fault(struct vcpu_ctx *ctx)
{
	if (!ctx->cell)
		return VCPU_UNHANDLED;
	count(ctx, CELLVISOR_EXIT_OTHER);
	cell_fail(ctx->pc, "triple fault (RIP 0x%lx)", ctx->rip);
	return VCPU_FAILED;
}

enum vcpu_result vcpu_handle_unknown(struct vcpu_ctx *ctx, u64 code,
				     u64 info1, u64 info2)
{
	if (!ctx->cell)
		return VCPU_UNHANDLED;
	count(ctx, CELLVISOR_EXIT_OTHER);
	cell_fail(ctx->pc, "unhandled exit 0x%lx (info 0x%lx 0x%lx, RIP "
		  "0x%lx)", code, info1, info2, ctx->rip);
	return VCPU_FAILED;
}

/* ---- hand-over of a CPU ---- */

/* XRSTOR of a header with XSTATE_BV 0: every component to its init state. */
static u8 xstate_init_area[4096] __aligned(64);

static bool cpu_has(u32 leaf, unsigned int reg, u32 bit)
{
	u32 r[4];

	cpuid(leaf, 0, &r[0], &r[1], &r[2], &r[3]);
	return r[reg] & bit;
}

static void fpu_init_state(void)
{
	u64 cr0 = read_cr0(), mask;
	u32 a, b, c, d;

	if (cr0 & X86_CR0_TS)
		write_cr0(cr0 & ~X86_CR0_TS);
	*(u32 *)&xstate_init_area[24] = 0x1f80;		/* MXCSR */
	if (cpu_has(1, 2, CPUID_1_ECX_XSAVE) &&
	    (read_cr4() & X86_CR4_OSXSAVE)) {
		cpuid(0xd, 0, &a, &b, &c, &d);
		mask = ((u64)d << 32) | a;
		xsetbv(0, mask);
		asm volatile("xrstor %0" : : "m" (xstate_init_area),
			     "a" ((u32)mask), "d" ((u32)(mask >> 32))
			     : "memory");
		xsetbv(0, 1);	/* XCR0 after reset */
	} else {
		*(u16 *)&xstate_init_area[0] = 0x37f;	/* FCW after FNINIT */
		asm volatile("fxrstor %0" : : "m" (xstate_init_area)
			     : "memory");
	}
	asm volatile("fninit");
	if (cr0 & X86_CR0_TS)
		write_cr0(cr0);
}

/* DR6 too: VT-x switches only DR7 (AMD-V: DR6 and DR7 in the VMCB). */
static void debug_regs_clear(void)
{
	u64 zero = 0, dr6 = 0xffff0ff0;

	asm volatile("mov %0, %%dr0\n\t"
		     "mov %0, %%dr1\n\t"
		     "mov %0, %%dr2\n\t"
		     "mov %0, %%dr3\n\t"
		     "mov %1, %%dr6" : : "r" (zero), "r" (dr6));
}

static bool msr_exists(u32 msr)
{
	if (msr == MSR_TSC_DEADLINE)
		return cpu_has(1, 2, CPUID_1_ECX_TSC_DEADLINE);
	if (msr == MSR_TSC_AUX)
		return cpu_has(0x80000001, 3, CPUID_EXT1_EDX_RDTSCP);
	return true;
}

void vcpu_clean_cpu_state(void)
{
	unsigned int i;

	for (i = 0; i < msr_cell_state_count; i++)
		if (msr_exists(msr_cell_state[i]))
			wrmsr(msr_cell_state[i], 0);
	debug_regs_clear();
	write_cr2(0);
	fpu_init_state();
}

/* ---- start state ---- */

#define SEG_AR_CODE16		0x009b	/* present, execute/read, accessed */
#define SEG_AR_DATA16		0x0093	/* present, read/write, accessed */
#define SEG_AR_CODE32		0xc09b	/* the same, 4 KiB granular, 32-bit */
#define SEG_AR_DATA32		0xc093

/*
 * Real mode as after INIT, at CS:IP from @entry; or flat 32-bit
 * protected mode with paging off and the registers the loader chose.
 * Either way interrupts are off and caches on (CR0.CD/NW clear).
 */
void vcpu_start_state(const struct cellvisor_start_state *st,
		      struct vcpu_start *s, struct registers *r)
{
	u64 entry = st->entry;

	memset(r, 0, sizeof(*r));
	memset(s, 0, sizeof(*s));
	s->rflags = 2;
	if (st->mode != CELLVISOR_START_FLAT32) {
		s->cs = (struct vcpu_seg){ (entry >> 4) & 0xf000,
					   SEG_AR_CODE16, 0xffff,
					   entry & 0xf0000 };
		s->data = (struct vcpu_seg){ 0, SEG_AR_DATA16, 0xffff, 0 };
		s->rip = entry & 0xffff;
		s->cr0 = X86_CR0_ET;
		r->rdx = 0x600;		/* family 6, as after reset */
		return;
	}
	s->cs = (struct vcpu_seg){ 0x10, SEG_AR_CODE32, 0xffffffff, 0 };
	s->data = (struct vcpu_seg){ 0x18, SEG_AR_DATA32, 0xffffffff, 0 };
	s->rip = (u32)entry;
	s->cr0 = X86_CR0_ET | X86_CR0_PE;
	s->rax = st->eax;
	s->rsp = st->esp;
	r->rax = st->eax;
	r->rbx = st->ebx;
	r->rcx = st->ecx;
	r->rdx = st->edx;
	r->rsi = st->esi;
	r->rdi = st->edi;
	r->rbp = st->ebp;
}
