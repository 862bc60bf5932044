// SPDX-License-Identifier: GPL-2.0
/* Intel VT-x back end: Linux captured into a VMCS, EPT, and exit handlers. */
#include <string.h>
#include <cellvisor/hypercall.h>
#include <hv/cell.h>
#include <hv/console.h>
#include <hv/control.h>
#include <hv/iommu.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <asm/exit_stats.h>
#include <asm/vcpu.h>
#include <asm/vmx.h>
#include <asm/vmx_cell.h>

#define GUEST_VPID		1
#define EPT_MAX_1G		(1ULL << 40)
#define EPT_MAX_2M		(64ULL << 30)
#define X86_GP_VECTOR		13
#define X86_UD_VECTOR		6
#define X86_CR4_OSXSAVE		BIT(18)
#define X86_CR0_CD		BIT(30)
#define X86_CR0_NW		BIT(29)

#define CPUID_1_ECX_VMX		BIT(5)
#define CPUID_1_ECX_HYPERVISOR	BIT(31)

void vmx_vmexit(void);
__noreturn void vmx_launch(struct svm_run_ctx *ctx, u64 host_rsp);
void vmx_handle_exit(struct svm_run_ctx *ctx);
void vmx_entry_failed(struct svm_run_ctx *ctx);
__noreturn void vmx_leave_to_linux(struct leave_frame *f, u64 cs, u64 ss,
				   u64 ds_es, u64 efer, u64 leave_entry);

static struct {
	u32 revision;
	u32 pin, proc, proc2, exit, entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
} vmx;

/* Fold wanted bits into what the CPU allows; report missing required ones. */
static int vmx_adjust(u32 msr, u32 required, u32 optional, u32 *ctl)
{
	u64 caps = rdmsr(msr);
	u32 must = caps, may = caps >> 32;

	*ctl = ((required | optional) | must) & may;
	if ((*ctl & required) != required) {
		pr_err("VT-x control MSR 0x%x lacks 0x%x\n", msr,
		       required & ~*ctl);
		return -ENODEV;
	}
	return 0;
}

static int vmx_read_caps(void)
{
	bool tru = rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_TRUE_CTLS;
	int err;

	vmx.revision = rdmsr(MSR_IA32_VMX_BASIC) & 0x7fffffff;
	err = vmx_adjust(tru ? MSR_IA32_VMX_TRUE_PINBASED :
			 MSR_IA32_VMX_PINBASED_CTLS, 0, 0, &vmx.pin);
	err = err ?: vmx_adjust(tru ? MSR_IA32_VMX_TRUE_PROCBASED :
				MSR_IA32_VMX_PROCBASED_CTLS,
				PROC_USE_MSR_BITMAPS | PROC_SECONDARY, 0,
				&vmx.proc);
	err = err ?: vmx_adjust(MSR_IA32_VMX_PROCBASED_CTLS2,
				PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED,
				PROC2_RDTSCP | PROC2_INVPCID | PROC2_XSAVES |
				PROC2_WBINVD_EXITING,
				&vmx.proc2);
	err = err ?: vmx_adjust(tru ? MSR_IA32_VMX_TRUE_EXIT :
				MSR_IA32_VMX_EXIT_CTLS,
				EXIT_HOST_64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER |
				EXIT_SAVE_PAT | EXIT_LOAD_PAT,
				EXIT_SAVE_DEBUG, &vmx.exit);
	err = err ?: vmx_adjust(tru ? MSR_IA32_VMX_TRUE_ENTRY :
				MSR_IA32_VMX_ENTRY_CTLS,
				ENTRY_IA32E | ENTRY_LOAD_EFER | ENTRY_LOAD_PAT,
				ENTRY_LOAD_DEBUG, &vmx.entry);
	vmx.cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	vmx.cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	vmx.cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	vmx.cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	return err;
}

/* The root cell's EPT and bitmaps (root_cell.arch). */
static int ept_build(u64 caps)
{
	bool huge = caps & EPT_CAP_1G;
	/* EPT leaves share the x86 layout: bit 7 is "large page" there too. */
	int err = vmx_cell_root_init(huge);

	return err ? err : cell_x86_root_map(&vmx_cell_of(&root_cell)->x,
					     huge ? EPT_MAX_1G : EPT_MAX_2M);
}

/* The rule book's MSR intercepts, for the root or for cells. */
void vmx_msr_bitmap_build(u8 *map, bool cell)
{
	memset(map, 0xff, PAGE_SIZE);
	vcpu_msr_intercepts(cell, vmx_msr_set, map);
}

static int vmx_global_init(void)
{
	u32 a, b, c, d;
	u64 caps, fc;
	int err;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & CPUID_1_ECX_VMX)) {
		pr_err("CPU has no VT-x (VMX)\n");
		return -ENODEV;
	}
	fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (!(fc & FEATURE_CONTROL_LOCKED) || !(fc & FEATURE_CONTROL_VMX)) {
		pr_err("VT-x disabled by firmware (FEATURE_CONTROL 0x%lx)\n",
		       fc);
		return -ENODEV;
	}
	err = vmx_read_caps();
	if (err)
		return err;
	caps = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (!(caps & EPT_CAP_WALK_4) || !(caps & EPT_CAP_WB) ||
	    !(caps & EPT_CAP_INVEPT_ALL) || !(caps & VPID_CAP_INVVPID_ALL)) {
		pr_err("EPT/VPID capabilities missing (0x%lx)\n", caps);
		return -ENODEV;
	}
	err = ept_build(caps);
	if (err) {
		pr_err("building EPT failed: %d\n", err);
		return err;
	}
	vmx_cell_init();
	return 0;
}

static u32 vmx_ar(u16 sel, u16 attrib)
{
	if (!(sel & ~3) && !(attrib & 0x80))
		return VMX_AR_UNUSABLE;
	return (attrib & 0xff) | ((u32)(attrib & 0xf00) << 4);
}

static void capture_seg(enum vmx_seg seg, u16 sel, bool fs_gs_base, u64 base_msr)
{
	u16 attrib;
	u32 limit;
	u64 base;

	x86_capture_segment(sel, &attrib, &limit, &base);
	if (fs_gs_base)
		base = base_msr;
	vmwrite(GUEST_ES_SELECTOR + 2 * seg, sel);
	vmwrite(GUEST_ES_LIMIT + 2 * seg, limit);
	vmwrite(GUEST_ES_AR + 2 * seg, vmx_ar(sel, attrib));
	vmwrite(GUEST_ES_BASE + 2 * seg, base);
}

static u16 read_tr(void)
{
	u16 v;

	asm volatile("str %0" : "=r" (v));
	return v;
}

static u16 read_ldtr(void)
{
	u16 v;

	asm volatile("sldt %0" : "=r" (v));
	return v;
}

static void capture_linux(struct per_cpu *pc)
{
	u64 *frame = pc->linux_frame;
	struct registers *r = &pc->arch.run.regs;
	u16 tr = read_tr();

	capture_seg(SEG_ES, read_seg(0), false, 0);
	capture_seg(SEG_CS, read_seg(1), false, 0);
	capture_seg(SEG_SS, read_seg(2), false, 0);
	capture_seg(SEG_DS, read_seg(3), false, 0);
	capture_seg(SEG_FS, read_seg(4), true, pc->linux_fs_base);
	capture_seg(SEG_GS, read_seg(5), true, rdmsr(MSR_GS_BASE));
	capture_seg(SEG_LDTR, read_ldtr(), false, 0);
	capture_seg(SEG_TR, tr, false, 0);
	vmwrite(GUEST_GDTR_BASE, pc->arch.linux_gdtr.base);
	vmwrite(GUEST_GDTR_LIMIT, pc->arch.linux_gdtr.limit);
	vmwrite(GUEST_IDTR_BASE, pc->arch.linux_idtr.base);
	vmwrite(GUEST_IDTR_LIMIT, pc->arch.linux_idtr.limit);
	vmwrite(GUEST_CR0, read_cr0());
	vmwrite(GUEST_CR3, pc->linux_cr3);
	vmwrite(GUEST_CR4, pc->arch.linux_cr4 | X86_CR4_VMXE);
	vmwrite(CR4_GUEST_HOST_MASK, X86_CR4_VMXE);
	vmwrite(CR4_READ_SHADOW, pc->arch.linux_cr4);
	vmwrite(GUEST_DR7, read_dr7());
	vmwrite(GUEST_RFLAGS, read_rflags());
	vmwrite(GUEST_IA32_DEBUGCTL, rdmsr(MSR_IA32_DEBUGCTL));
	vmwrite(GUEST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmwrite(GUEST_IA32_EFER, rdmsr(MSR_EFER));
	vmwrite(GUEST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmwrite(GUEST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmwrite(GUEST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	vmwrite(GUEST_ACTIVITY_STATE, 0);
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_PENDING_DBG, 0);
	vmwrite(VMCS_LINK_POINTER, ~0ULL);
	memset(r, 0, sizeof(*r));
	r->r15 = frame[0];
	r->r14 = frame[1];
	r->r13 = frame[2];
	r->r12 = frame[3];
	r->rbx = frame[4];
	r->rbp = frame[5];
	vmwrite(GUEST_RIP, frame[6]);
	vmwrite(GUEST_RSP, (u64)&frame[7]);
}

/* Host state: what every VM exit loads.  Matches x86_switch_to_host(). */
static void setup_host(struct per_cpu *pc)
{
	u64 rsp = (u64)pc->stack + HV_STACK_SIZE - 16;

	vmwrite(HOST_CR0, read_cr0());
	vmwrite(HOST_CR3, hv_pa(host_paging.root));
	vmwrite(HOST_CR4, pc->arch.linux_cr4 | X86_CR4_VMXE);
	vmwrite(HOST_CS_SELECTOR, GDT_SEL_CODE);
	vmwrite(HOST_SS_SELECTOR, GDT_SEL_DATA);
	vmwrite(HOST_DS_SELECTOR, GDT_SEL_DATA);
	vmwrite(HOST_ES_SELECTOR, GDT_SEL_DATA);
	vmwrite(HOST_FS_SELECTOR, 0);
	vmwrite(HOST_GS_SELECTOR, 0);
	vmwrite(HOST_TR_SELECTOR, GDT_SEL_TSS);
	vmwrite(HOST_FS_BASE, (u64)pc);
	vmwrite(HOST_GS_BASE, 0);
	vmwrite(HOST_TR_BASE, (u64)&pc->arch.tss);
	vmwrite(HOST_GDTR_BASE, (u64)pc->arch.gdt);
	vmwrite(HOST_IDTR_BASE, x86_host_idt());
	/* Same as Linux's, so SYSENTER state needs no switching. */
	vmwrite(HOST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmwrite(HOST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmwrite(HOST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	vmwrite(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmwrite(HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmwrite(HOST_RSP, rsp);
	vmwrite(HOST_RIP, (u64)vmx_vmexit);
}

void vmx_root_controls(void)
{
	const struct vmx_cell *root = vmx_cell_of(&root_cell);

	vmwrite(PIN_BASED_CONTROLS, vmx.pin);
	vmwrite(PROC_BASED_CONTROLS, vmx.proc);
	vmwrite(SECONDARY_CONTROLS, vmx.proc2);
	vmwrite(EXIT_CONTROLS, vmx.exit);
	vmwrite(ENTRY_CONTROLS, vmx.entry);
	vmwrite(EXCEPTION_BITMAP, 0);
	vmwrite(CR3_TARGET_COUNT, 0);
	vmwrite(EXIT_MSR_STORE_COUNT, 0);
	vmwrite(EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(ENTRY_INTR_INFO, 0);
	vmwrite(CR0_GUEST_HOST_MASK, 0);
	vmwrite(MSR_BITMAP, hv_pa(root->msr_bitmap));
	vmwrite(EPT_POINTER, hv_pa(root->x.pg.root) | EPTP_WB_4LEVEL);
	vmwrite(VMCS_VPID, GUEST_VPID);
	vmx_cell_root_controls();
}

struct inv_desc {
	u64 a, b;
};

void vmx_invept_all(void)
{
	struct inv_desc d = { 0, 0 };

	asm volatile("invept %0, %1" : : "m" (d), "r" (2UL) : "cc", "memory");
}

void vmx_invvpid_all(void)
{
	struct inv_desc d = { 0, 0 };

	asm volatile("invvpid %0, %1" : : "m" (d), "r" (2UL) : "cc", "memory");
}

static int vmx_on(struct per_cpu *pc)
{
	u32 *vmxon = (u32 *)pc->arch_pages.hsave;
	u32 *vmcs = (u32 *)pc->arch_pages.vmcb;
	u64 cr0 = read_cr0(), cr4 = read_cr4() | X86_CR4_VMXE;
	u64 pa;
	u8 fail;

	if ((cr0 & vmx.cr0_fixed0) != vmx.cr0_fixed0 ||
	    (cr0 & ~vmx.cr0_fixed1) || (cr4 & ~vmx.cr4_fixed1)) {
		pr_err("CPU %u: CR0/CR4 not allowed in VMX operation\n",
		       pc->cpu_index);
		return -EIO;
	}
	memset(vmxon, 0, PAGE_SIZE);
	memset(vmcs, 0, PAGE_SIZE);
	*vmxon = vmx.revision;
	*vmcs = vmx.revision;
	write_cr4(cr4);
	pc->arch.vmxon = true;
	pa = hv_pa(vmxon);
	asm volatile("vmxon %1; setna %0" : "=q" (fail) : "m" (pa)
		     : "cc", "memory");
	if (fail) {
		write_cr4(pc->arch.linux_cr4);
		pc->arch.vmxon = false;
		pr_err("CPU %u: VMXON failed\n", pc->cpu_index);
		return -EIO;
	}
	pa = hv_pa(vmcs);
	asm volatile("vmclear %1; setna %0" : "=q" (fail) : "m" (pa)
		     : "cc", "memory");
	if (!fail)
		asm volatile("vmptrld %1; setna %0" : "=q" (fail) : "m" (pa)
			     : "cc", "memory");
	if (fail) {
		pr_err("CPU %u: VMCLEAR/VMPTRLD failed\n", pc->cpu_index);
		return -EIO;
	}
	return 0;
}

static int vmx_cpu_init(struct per_cpu *pc)
{
	int err;

	pc->arch.linux_cr4 = read_cr4();
	if (pc->arch.linux_cr4 & X86_CR4_VMXE) {
		pr_err("CPU %u: VT-x already in use\n", pc->cpu_index);
		return -EBUSY;
	}
	err = vmx_on(pc);
	if (err)
		return err;
	vmx_root_controls();
	setup_host(pc);
	capture_linux(pc);
	return 0;
}

static void vmx_cpu_undo(struct per_cpu *pc)
{
	if (!pc->arch.vmxon)
		return;
	asm volatile("vmxoff" ::: "cc", "memory");
	write_cr4(pc->arch.linux_cr4);
	pc->arch.vmxon = false;
}

static __noreturn void vmx_activate(struct per_cpu *pc)
{
	u64 rsp = (u64)pc->stack + HV_STACK_SIZE - 16;

	x86_switch_to_host(pc);
	/* Flush stale guest-physical and combined mappings of our tags. */
	vmx_invept_all();
	vmx_invvpid_all();
	vmx_launch(&pc->arch.run, rsp);
}

void vmx_skip(void)
{
	vmwrite(GUEST_RIP, vmread(GUEST_RIP) + vmread(EXIT_INSTRUCTION_LEN));
}

void vmx_inject(u8 vector, bool has_error, u32 error)
{
	/* type 3 = hardware exception, bit 11 = deliver error code */
	vmwrite(ENTRY_INTR_INFO, vector | (3 << 8) | BIT(31) |
		(has_error ? BIT(11) : 0));
	if (has_error)
		vmwrite(ENTRY_EXCEPTION_ERROR, error);
}

/* An event cut short by the exit is delivered again on the next entry. */
static void vmx_reinject_pending(void)
{
	u32 info = vmread(IDT_VECTORING_INFO);

	if (!(info & BIT(31)))
		return;
	vmwrite(ENTRY_INTR_INFO, info & ~BIT(12));
	if (info & BIT(11))
		vmwrite(ENTRY_EXCEPTION_ERROR, vmread(IDT_VECTORING_ERROR));
	if (((info >> 8) & 7) >= 4)	/* software events need the length */
		vmwrite(ENTRY_INSTRUCTION_LEN, vmread(EXIT_INSTRUCTION_LEN));
}

/* VMX numbers GPRs rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15. */
u64 *vmx_gpr(struct registers *r, unsigned int n)
{
	switch (n) {
	case 0: return &r->rax;
	case 1: return &r->rcx;
	case 2: return &r->rdx;
	case 3: return &r->rbx;
	case 5: return &r->rbp;
	case 6: return &r->rsi;
	case 7: return &r->rdi;
	}
	return &((u64 *)r)[15 - n];	/* r8 at index 7 .. r15 at 0 */
}

static int handle_cr_access(struct registers *r)
{
	u64 q = vmread(EXIT_QUALIFICATION), val;
	unsigned int cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;

	/* Only CR4 writes that touch VMXE (our mask) exit. */
	if (cr != 4 || type != 0 || reg == 4)
		return -EINVAL;
	val = *vmx_gpr(r, reg);
	vmwrite(CR4_READ_SHADOW, val & ~X86_CR4_VMXE);
	vmwrite(GUEST_CR4, val | X86_CR4_VMXE);
	vmx_skip();
	return 0;
}

static __noreturn void root_failed(struct per_cpu *pc, const char *what)
{
	pr_err("CPU %u: %s: reason 0x%lx qual 0x%lx RIP 0x%lx RSP 0x%lx "
	       "CR0 0x%lx CR3 0x%lx CR4 0x%lx GPA 0x%lx\n", pc->cpu_index,
	       what, vmread(EXIT_REASON), vmread(EXIT_QUALIFICATION),
	       vmread(GUEST_RIP), vmread(GUEST_RSP), vmread(GUEST_CR0),
	       vmread(GUEST_CR3), vmread(GUEST_CR4),
	       vmread(GUEST_PHYSICAL_ADDRESS));
	pr_err("CPU %u parked\n", pc->cpu_index);
	halt_forever();
}

void vmx_entry_failed(struct svm_run_ctx *ctx)
{
	struct per_cpu *pc = this_cpu();

	(void)ctx;
	pr_err("CPU %u: VM entry failed, VM-instruction error %lu\n",
	       pc->cpu_index, vmread(VM_INSTRUCTION_ERROR));
	root_failed(pc, "VM entry failed");
}

static __noreturn void vmx_leave(struct per_cpu *pc, struct registers *r);

/* The guest state the rule book reads; RSP lives in the VMCS. */
static void vcpu_ctx_fill(struct vcpu_ctx *v, struct per_cpu *pc,
			  struct registers *r)
{
	struct cell_cpu *cc = cell_cpu(pc);

	r->rsp_unused = vmread(GUEST_RSP);
	*v = (struct vcpu_ctx) {
		.pc = pc, .cell = cc->in_cell ? cc->cell : NULL, .r = r,
		.rip = vmread(GUEST_RIP),
		.cs_base = vmread(GUEST_ES_BASE + 2 * SEG_CS),
		.cs_ar = vmread(GUEST_ES_AR + 2 * SEG_CS),
		.cr0 = vmread(GUEST_CR0), .cr3 = vmread(GUEST_CR3),
		.cr4 = vmread(GUEST_CR4), .efer = vmread(GUEST_IA32_EFER),
		/* CPL is the DPL of SS. */
		.cpl = (vmread(GUEST_ES_AR + 2 * SEG_SS) >> 5) & 3,
		.insn_len = vmread(EXIT_INSTRUCTION_LEN),
	};
}

static void vcpu_ctx_apply(struct per_cpu *pc, const struct vcpu_ctx *v,
			   enum vcpu_result res)
{
	if (v->r->rsp_unused != vmread(GUEST_RSP))
		vmwrite(GUEST_RSP, v->r->rsp_unused);
	if (v->efer_written)
		vmwrite(GUEST_IA32_EFER, v->efer);
	switch (res) {
	case VCPU_NEXT:
		/* Emulated, not executed: no STI or MOV SS shadow after it. */
		vmwrite(GUEST_RIP, v->rip + v->insn_len);
		vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) &
			~(VMX_BLOCK_STI | VMX_BLOCK_MOV_SS));
		break;
	case VCPU_GP:
		vmx_inject(X86_GP_VECTOR, true, 0);
		break;
	case VCPU_UD:
		vmx_inject(X86_UD_VECTOR, false, 0);
		break;
	case VCPU_FAILED:
		vmx_cell_park(pc);
		break;
	case VCPU_UNHANDLED:
		root_failed(pc, "unexpected exit");
	}
}

static enum vcpu_result vmx_io(struct vcpu_ctx *v)
{
	u64 q = vmread(EXIT_QUALIFICATION);
	struct vcpu_io io = {
		.port = q >> 16, .size = (q & 7) + 1, .in = q & BIT(3),
		.string = q & BIT(4),
	};

	return vcpu_handle_pio(v, &io);
}

/* What the exit asks, in the rule book's terms. */
static enum vcpu_result vmx_dispatch(struct vcpu_ctx *v, u32 reason)
{
	switch (reason) {
	case EXIT_REASON_CPUID:
		return vcpu_handle_cpuid(v);
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE:
		return vcpu_handle_msr(v, reason == EXIT_REASON_MSR_WRITE);
	case EXIT_REASON_VMCALL:
		return vcpu_handle_hypercall(v);
	case EXIT_REASON_IO:
		return vmx_io(v);
	case EXIT_REASON_EPT_VIOLATION:
		return vcpu_handle_npf(v, vmread(GUEST_PHYSICAL_ADDRESS),
				       vmread(EXIT_QUALIFICATION) & BIT(1));
	case EXIT_REASON_INVD:
	case EXIT_REASON_WBINVD:
		return vcpu_handle_cache(v);
	case EXIT_REASON_XSETBV:
		return vcpu_handle_xsetbv(v);
	case EXIT_REASON_VMCLEAR ... EXIT_REASON_VMXON:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
		return vcpu_handle_virt_insn(v, "VMX instruction");
	case EXIT_REASON_GETSEC:
		return vcpu_handle_virt_insn(v, "GETSEC");
	case EXIT_REASON_RDPMC:
		return vcpu_handle_rdpmc(v);
	case EXIT_REASON_TRIPLE_FAULT:
		return vcpu_handle_triple_fault(v);
	}
	return vcpu_handle_unknown(v, reason, vmread(EXIT_QUALIFICATION),
				   vmread(GUEST_PHYSICAL_ADDRESS));
}

/* VM exits the hypervisor handles itself: not guest requests. */
static bool vmx_management_exit(struct per_cpu *pc, struct registers *r,
				u32 reason)
{
	if (reason & EXIT_REASON_ENTRY_FAILED) {
		if (!cell_cpu(pc)->in_cell)
			root_failed(pc, "VM entry refused the guest state");
		vmx_cell_entry_failed(pc, reason);
		return true;
	}
	if (vmx_cell_exit(pc, r, reason))
		return true;
	if (reason == EXIT_REASON_CR_ACCESS && !cell_cpu(pc)->in_cell) {
		if (handle_cr_access(r))
			root_failed(pc, "unexpected control-register access");
		return true;
	}
	if (reason == EXIT_REASON_INIT && !cell_cpu(pc)->in_cell) {
		/* CPU hotplug is fenced while we run: nothing to restart. */
		pr_err("CPU %u: INIT ignored\n", pc->cpu_index);
		return true;
	}
	return false;
}

void vmx_handle_exit(struct svm_run_ctx *ctx)
{
	struct per_cpu *pc = this_cpu();
	struct registers *r = &ctx->regs;
	u32 reason = vmread(EXIT_REASON);
	struct vcpu_ctx v;

	pc->exits++;
	console_count_root_exit(pc, vmx_exit_stat(reason & 0xffff));
	if (!cell_cpu(pc)->in_cell)
		iommu_poll_faults(true);
	vmwrite(ENTRY_INTR_INFO, 0);
	vmx_reinject_pending();
	if (vmx_management_exit(pc, r, reason))
		return;
	vcpu_ctx_fill(&v, pc, r);
	vcpu_ctx_apply(pc, &v, vmx_dispatch(&v, reason & 0xffff));
	if (pc->leave)
		vmx_leave(pc, r);
	vmx_cell_check_park(pc);
}

/*
 * Reload Linux's TR.  Its TSS descriptor is marked busy, which LTR refuses,
 * and LTR marks it busy again: both are writes to Linux's GDT, which Linux
 * maps read-only.  LTR's write is an implicit supervisor access and faults
 * there just like ours unless CR0.WP stays clear until LTR is done.
 */
static void load_linux_tr(u64 gdt_base, u16 tr)
{
	u64 *desc = (u64 *)(gdt_base + (tr & ~7));
	u64 cr0 = read_cr0();

	write_cr0(cr0 & ~X86_CR0_WP);
	*desc &= ~BIT_ULL(41);
	asm volatile("ltr %w0" : : "r" (tr) : "memory");
	write_cr0(cr0);
}

/*
 * Give this CPU back to Linux for good (see svm_leave for the frame).  VMX
 * restores nothing on its own, so segments, TR, LDTR, FS/GS bases, GDT,
 * IDT and control registers are loaded from the VMCS's guest fields.
 */
static __noreturn void vmx_leave(struct per_cpu *pc, struct registers *r)
{
	u64 gdt = vmread(GUEST_GDTR_BASE), rsp = vmread(GUEST_RSP);
	struct desc_ptr gdtr = { vmread(GUEST_GDTR_LIMIT), gdt };
	struct desc_ptr idtr = { vmread(GUEST_IDTR_LIMIT),
				 vmread(GUEST_IDTR_BASE) };
	struct leave_frame *f = (struct leave_frame *)rsp - 1;
	u16 tr = vmread(GUEST_TR_SELECTOR);
	u16 ldtr = vmread(GUEST_LDTR_SELECTOR);
	u16 cs = vmread(GUEST_ES_SELECTOR + 2 * SEG_CS);
	u16 ss = vmread(GUEST_ES_SELECTOR + 2 * SEG_SS);
	u16 ds = vmread(GUEST_ES_SELECTOR + 2 * SEG_DS);
	u16 es = vmread(GUEST_ES_SELECTOR + 2 * SEG_ES);
	u16 fs = vmread(GUEST_ES_SELECTOR + 2 * SEG_FS);
	u16 gs = vmread(GUEST_ES_SELECTOR + 2 * SEG_GS);
	u64 fs_base = vmread(GUEST_ES_BASE + 2 * SEG_FS);
	u64 gs_base = vmread(GUEST_ES_BASE + 2 * SEG_GS);
	/* Unmasked CR4 bits live only in the guest field, not the shadow. */
	u64 cr4 = vmread(GUEST_CR4) & ~X86_CR4_VMXE, dr7 = vmread(GUEST_DR7);
	u64 efer = vmread(GUEST_IA32_EFER);

	pr_info("CPU %u leaves, %lu exits\n", pc->cpu_index, pc->exits);
	write_cr3(x86_leave_cr3());
	*f = (struct leave_frame) {
		.cr3 = vmread(GUEST_CR3), .regs = *r,
		.rip = vmread(GUEST_RIP), .cs = cs,
		.rflags = vmread(GUEST_RFLAGS), .rsp = rsp, .ss = ss,
	};
	wrmsr(MSR_IA32_PAT, vmread(GUEST_IA32_PAT));
	asm volatile("vmclear %0" : : "m" (*(u64[]){ hv_pa(pc->arch_pages.vmcb) })
		     : "cc", "memory");
	asm volatile("vmxoff" ::: "cc", "memory");
	write_cr4(cr4);
	asm volatile("mov %0, %%dr7" : : "r" (dr7));
	asm volatile("lgdt %0" : : "m" (gdtr));
	asm volatile("lidt %0" : : "m" (idtr));
	load_linux_tr(gdt, tr);
	asm volatile("lldt %w0" : : "r" (ldtr));
	/* Selector loads reset the bases: bases last.  No this_cpu() after. */
	asm volatile("mov %w0, %%fs" : : "r" (fs));
	asm volatile("mov %w0, %%gs" : : "r" (gs));
	wrmsr(MSR_FS_BASE, fs_base);
	wrmsr(MSR_GS_BASE, gs_base);
	/* Shares the AMD tail: far return to CS, SS/DS/ES, EFER, jump. */
	vmx_leave_to_linux(f, cs, ss, ds | (u32)es << 16, efer,
			   hv.leave_entry);
}

const struct vcpu_ops vcpu_vmx_ops = {
	.name = "Intel VT-x",
	.global_init = vmx_global_init,
	.cpu_init = vmx_cpu_init,
	.cpu_undo = vmx_cpu_undo,
	.activate = vmx_activate,
};
