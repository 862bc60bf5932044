// SPDX-License-Identifier: GPL-2.0
/* AMD-V back end: Linux captured into a VMCB, NPT, and the exit handlers. */
#include <string.h>
#include <cellvisor/hypercall.h>
#include <hv/console.h>
#include <hv/control.h>
#include <hv/iommu.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <asm/exit_stats.h>
#include <asm/svm.h>
#include <asm/svm_cell.h>
#include <asm/vcpu.h>
#include <hv/cell.h>

#define GUEST_ASID		1
#define NPT_MAX_1G		(1ULL << 40)	/* 1 TiB of guest-physical space */
#define NPT_MAX_2M		(64ULL << 30)
#define X86_GP_VECTOR		13
#define X86_UD_VECTOR		6

#define CPUID_EXT1_ECX_SVM	BIT(2)


void svm_vmrun_loop(struct svm_run_ctx *ctx);
__noreturn void svm_leave_to_linux(struct leave_frame *f, u64 cs, u64 ss,
				   u64 ds_es, u64 efer, u64 leave_entry);
void svm_handle_exit(struct svm_run_ctx *ctx);

static inline void vmsave(u64 pa)
{
	asm volatile("vmsave %0" : : "a" (pa) : "memory");
}

static inline void vmload(u64 pa)
{
	asm volatile("vmload %0" : : "a" (pa) : "memory");
}

static struct vmcb *cpu_vmcb(struct per_cpu *pc)
{
	return (struct vmcb *)pc->arch_pages.vmcb;
}

/*
 * One MSR's two bits in a permission map (@map: 8 KiB, three ranges);
 * MSRs outside the ranges always exit.
 */
void svm_msrpm_set(void *map, u32 msr, bool read, bool write)
{
	u8 *pm = map;
	u32 base, bit;

	if (msr < 0x2000)
		base = 0;
	else if (msr - 0xc0000000 < 0x2000)
		base = 0x800;
	else if (msr - 0xc0010000 < 0x2000)
		base = 0x1000;
	else
		return;
	bit = (msr & 0x1fff) * 2;
	pm[base + bit / 8] &= ~(3 << (bit % 8));
	pm[base + bit / 8] |= ((read ? 1 : 0) | (write ? 2 : 0)) << (bit % 8);
}

/* The rule book's intercepts; EFER always exits, SVME must stay set. */
void svm_msrpm_build(u8 *map, bool cell)
{
	memset(map, 0xff, 2 * PAGE_SIZE);
	vcpu_msr_intercepts(cell, svm_msrpm_set, map);
	svm_msrpm_set(map, MSR_EFER, true, true);
}

/* The root cell's NPT and bitmaps (root_cell.arch). */
static int npt_build(void)
{
	u32 a, b, c, d;
	int err;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	/* The nested walk follows the host's paging mode, 4 or 5 levels. */
	err = svm_cell_root_init((read_cr4() & X86_CR4_LA57) ? 5 : 4,
				 d & BIT(26));
	/* Linux keeps everything but the hypervisor's own memory. */
	return err ? err : cell_x86_root_map(&svm_cell_of(&root_cell)->x,
					     (d & BIT(26)) ? NPT_MAX_1G :
							     NPT_MAX_2M);
}

static int svm_global_init(void)
{
	u32 a, b, c, d;
	int err;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	if (!(c & CPUID_EXT1_ECX_SVM)) {
		pr_err("CPU has no AMD-V (SVM)\n");
		return -ENODEV;
	}
	cpuid(0x8000000a, 0, &a, &b, &c, &d);
	if (!(d & BIT(0))) {
		pr_err("CPU has no nested paging (NPT)\n");
		return -ENODEV;
	}
	err = npt_build();
	if (err) {
		pr_err("building NPT failed: %d\n", err);
		return err;
	}
	svm_cell_init();
	return 0;
}

static void capture_segment(struct vmcb_seg *s, u16 sel)
{
	s->selector = sel;
	x86_capture_segment(sel, &s->attrib, &s->limit, &s->base);
}

/* Linux, as it is right now on this CPU, becomes the guest of this VMCB. */
static void capture_linux(struct per_cpu *pc, struct vmcb *vmcb)
{
	u64 *frame = pc->linux_frame;
	struct registers *r = &pc->arch.run.regs;

	/* FS, GS, TR, LDTR and the syscall MSRs in one go. */
	vmsave(hv_pa(vmcb));
	vmcb->fs.base = pc->linux_fs_base;
	capture_segment(&vmcb->es, read_seg(0));
	capture_segment(&vmcb->cs, read_seg(1));
	capture_segment(&vmcb->ss, read_seg(2));
	capture_segment(&vmcb->ds, read_seg(3));
	vmcb->gdtr.base = pc->arch.linux_gdtr.base;
	vmcb->gdtr.limit = pc->arch.linux_gdtr.limit;
	vmcb->idtr.base = pc->arch.linux_idtr.base;
	vmcb->idtr.limit = pc->arch.linux_idtr.limit;
	vmcb->cpl = 0;
	vmcb->efer = pc->arch.linux_efer | EFER_SVME;
	vmcb->cr0 = read_cr0();
	vmcb->cr2 = read_cr2();
	vmcb->cr3 = pc->linux_cr3;
	vmcb->cr4 = read_cr4();
	vmcb->dr7 = read_dr7();
	vmcb->dr6 = read_dr6();
	vmcb->rflags = read_rflags();
	vmcb->g_pat = rdmsr(MSR_IA32_PAT);
	/* entry.S pushed r15, r14, r13, r12, rbx, rbp, then the return. */
	memset(r, 0, sizeof(*r));
	r->r15 = frame[0];
	r->r14 = frame[1];
	r->r13 = frame[2];
	r->r12 = frame[3];
	r->rbx = frame[4];
	r->rbp = frame[5];
	vmcb->rip = frame[6];
	vmcb->rsp = (u64)&frame[7];
	vmcb->rax = 0;		/* cellvisor_entry() returns 0 */
}

static void setup_control(struct vmcb *vmcb)
{
	const struct svm_cell *root = svm_cell_of(&root_cell);

	/*
	 * Ports through the root's IOPM: config mechanism 1 from enable on,
	 * the ports cells took while they exist (pci.md).
	 */
	vmcb->intercept_misc1 = SVM_INTERCEPTS_MISC1 | SVM_INTERCEPT_IOIO;
	vmcb->intercept_misc2 = SVM_INTERCEPTS_MISC2;
	vmcb->iopm_base_pa = hv_pa(root->x.io_bitmap);
	vmcb->msrpm_base_pa = hv_pa(root->msrpm);
	vmcb->guest_asid = GUEST_ASID;
	vmcb->tlb_control = SVM_TLB_FLUSH_ALL;
	vmcb->np_control = SVM_NP_ENABLE;
	vmcb->n_cr3 = hv_pa(root->x.pg.root);
}

static int svm_cpu_init(struct per_cpu *pc)
{
	struct vmcb *vmcb = cpu_vmcb(pc);
	u64 efer = rdmsr(MSR_EFER);

	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		pr_err("CPU %u: SVM disabled by firmware\n", pc->cpu_index);
		return -ENODEV;
	}
	if (efer & EFER_SVME) {
		pr_err("CPU %u: SVM already in use\n", pc->cpu_index);
		return -EBUSY;
	}
	pc->arch.linux_efer = efer;
	pc->arch.linux_hsave_pa = rdmsr(MSR_VM_HSAVE_PA);
	wrmsr(MSR_EFER, efer | EFER_SVME);
	pc->arch.svme_enabled = true;
	wrmsr(MSR_VM_HSAVE_PA, hv_pa(pc->arch_pages.hsave));

	memset(vmcb, 0, sizeof(*vmcb));
	setup_control(vmcb);
	capture_linux(pc, vmcb);
	pc->arch.run.vmcb_pa = hv_pa(vmcb);
	pc->arch.run.host_save_pa = hv_pa(pc->arch_pages.host_save);
	return 0;
}

static void svm_cpu_undo(struct per_cpu *pc)
{
	if (!pc->arch.svme_enabled)
		return;
	wrmsr(MSR_VM_HSAVE_PA, pc->arch.linux_hsave_pa);
	wrmsr(MSR_EFER, pc->arch.linux_efer);
	pc->arch.svme_enabled = false;
}

static __noreturn void svm_activate(struct per_cpu *pc)
{
	/* GIF=0 holds NMIs and SMIs while hypervisor code runs. */
	asm volatile("clgi" ::: "memory");
	x86_switch_to_host(pc);
	vmsave(pc->arch.run.host_save_pa);
	svm_vmrun_loop(&pc->arch.run);
	__builtin_unreachable();
}

static void inject_exception(struct vmcb *vmcb, u8 vector, bool has_error,
			     u32 error)
{
	vmcb->eventinj = vector | (SVM_EVT_TYPE_EXCEPT << SVM_EVT_TYPE_SHIFT) |
			 SVM_EVT_VALID | (has_error ? SVM_EVT_ERR_VALID : 0) |
			 ((u64)error << 32);
}

/*
 * An event interrupted by the exit is delivered again.  QEMU reports
 * external interrupts and NMIs as exceptions, which VMRUN then refuses,
 * so the type is rebuilt from the vector.
 */
static void reinject_pending(struct vmcb *vmcb)
{
	u64 info = vmcb->exitintinfo;
	u32 vector = info & 0xff, type = (info >> 8) & 7;

	if (!(info & SVM_EVT_VALID))
		return;
	if (type == SVM_EVT_TYPE_EXCEPT && vector == 2)
		type = SVM_EVT_TYPE_NMI;
	else if (type == SVM_EVT_TYPE_EXCEPT && vector >= 32)
		type = SVM_EVT_TYPE_INTR;
	vmcb->eventinj = (info & ~(7ULL << 8)) | ((u64)type << 8);
}

/*
 * Give this CPU back to Linux for good.  The last steps run on the leave
 * page tables (Linux's kernel half plus us): the register frame goes onto
 * Linux's own stack, below its stack pointer (the kernel has no red
 * zone), because the driver's stub switches to Linux's CR3 before popping
 * it and our memory is not mapped there.
 */
static __noreturn void svm_leave(struct per_cpu *pc, struct vmcb *vmcb)
{
	struct desc_ptr gdtr = { vmcb->gdtr.limit, vmcb->gdtr.base };
	struct desc_ptr idtr = { vmcb->idtr.limit, vmcb->idtr.base };
	struct leave_frame *f = (struct leave_frame *)vmcb->rsp - 1;
	struct registers regs = pc->arch.run.regs;

	pr_info("CPU %u leaves, %lu exits\n", pc->cpu_index, pc->exits);
	regs.rax = vmcb->rax;
	write_cr3(x86_leave_cr3());
	*f = (struct leave_frame) {
		.cr3 = vmcb->cr3, .regs = regs,
		.rip = vmcb->rip, .cs = vmcb->cs.selector,
		.rflags = vmcb->rflags, .rsp = vmcb->rsp,
		.ss = vmcb->ss.selector,
	};
	/* From here on FS is Linux's again: no more this_cpu(). */
	vmload(hv_pa(vmcb));
	asm volatile("mov %0, %%dr7" : : "r" (vmcb->dr7));
	wrmsr(MSR_VM_HSAVE_PA, pc->arch.linux_hsave_pa);
	write_cr4(vmcb->cr4);
	asm volatile("lgdt %0" : : "m" (gdtr));
	asm volatile("lidt %0" : : "m" (idtr));
	svm_leave_to_linux(f, vmcb->cs.selector, vmcb->ss.selector,
			   vmcb->ds.selector | (u32)vmcb->es.selector << 16,
			   vmcb->efer & ~EFER_SVME, hv.leave_entry);
}

static __noreturn void root_failed(struct per_cpu *pc, struct vmcb *vmcb,
				   const char *what)
{
	pr_err("CPU %u: %s: exit 0x%lx info1 0x%lx info2 0x%lx RIP 0x%lx "
	       "RSP 0x%lx CR0 0x%lx CR3 0x%lx EFER 0x%lx\n", pc->cpu_index,
	       what, vmcb->exitcode, vmcb->exitinfo1, vmcb->exitinfo2,
	       vmcb->rip, vmcb->rsp, vmcb->cr0, vmcb->cr3, vmcb->efer);
	pr_err("CPU %u parked\n", pc->cpu_index);
	halt_forever();
}

/* The guest state the rule book reads; RAX and RSP live in the VMCB. */
static void vcpu_ctx_fill(struct vcpu_ctx *v, struct per_cpu *pc,
			  struct vmcb *vmcb, struct registers *r)
{
	struct cell_cpu *cc = cell_cpu(pc);

	r->rax = vmcb->rax;
	r->rsp_unused = vmcb->rsp;
	*v = (struct vcpu_ctx) {
		.pc = pc, .cell = cc->in_cell ? cc->cell : NULL, .r = r,
		.rip = vmcb->rip, .cs_base = vmcb->cs.base,
		/* The VMCB packs AVL, L, D/B and G into bits 8-11. */
		.cs_ar = (vmcb->cs.attrib & 0xff) |
			 (vmcb->cs.attrib & 0xf00) << 4,
		.cr0 = vmcb->cr0, .cr3 = vmcb->cr3, .cr4 = vmcb->cr4,
		.efer = vmcb->efer & ~EFER_SVME, .cpl = vmcb->cpl,
	};
}

static void vcpu_ctx_apply(struct per_cpu *pc, struct vmcb *vmcb,
			   const struct vcpu_ctx *v, enum vcpu_result res)
{
	vmcb->rax = v->r->rax;
	vmcb->rsp = v->r->rsp_unused;
	if (v->efer_written)
		vmcb->efer = v->efer | EFER_SVME;	/* VMMCALL needs it */
	switch (res) {
	case VCPU_NEXT:
		vmcb->rip = v->rip + v->insn_len;
		break;
	case VCPU_GP:
		inject_exception(vmcb, X86_GP_VECTOR, true, 0);
		break;
	case VCPU_UD:
		inject_exception(vmcb, X86_UD_VECTOR, false, 0);
		break;
	case VCPU_FAILED:
		svm_cell_park(pc, vmcb);
		break;
	case VCPU_UNHANDLED:
		root_failed(pc, vmcb, "unexpected exit");
	}
}

static const char *svm_insn_name(u32 code)
{
	static const char *const names[] = {
		"VMRUN", "VMMCALL", "VMLOAD", "VMSAVE", "STGI", "CLGI",
		"SKINIT",
	};

	return names[code - SVM_EXIT_VMRUN];
}

/* What the exit asks, in the rule book's terms. */
static enum vcpu_result svm_dispatch(struct vcpu_ctx *v, struct vmcb *vmcb)
{
	u32 code = vmcb->exitcode;
	struct vcpu_io io;

	switch (code) {
	case SVM_EXIT_CPUID:
		v->insn_len = 2;
		return vcpu_handle_cpuid(v);
	case SVM_EXIT_MSR:
		v->insn_len = 2;
		return vcpu_handle_msr(v, vmcb->exitinfo1);
	case SVM_EXIT_VMMCALL:
		v->insn_len = 3;
		return vcpu_handle_hypercall(v);
	case SVM_EXIT_IOIO:
		svm_exit_io(vmcb, &io);
		v->insn_len = vmcb->exitinfo2 - vmcb->rip;
		return vcpu_handle_pio(v, &io);
	case SVM_EXIT_NPF:
		return vcpu_handle_npf(v, vmcb->exitinfo2,
				       vmcb->exitinfo1 & BIT(1));
	case SVM_EXIT_INVD:
	case SVM_EXIT_WBINVD:
		v->insn_len = 2;
		return vcpu_handle_cache(v);
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD ... SVM_EXIT_SKINIT:
		return vcpu_handle_virt_insn(v, svm_insn_name(code));
	case SVM_EXIT_INVLPGA:
		return vcpu_handle_virt_insn(v, "INVLPGA");
	case SVM_EXIT_RDPMC:
		return vcpu_handle_rdpmc(v);
	case SVM_EXIT_SHUTDOWN:
		return vcpu_handle_triple_fault(v);
	}
	return vcpu_handle_unknown(v, vmcb->exitcode, vmcb->exitinfo1,
				   vmcb->exitinfo2);
}

void svm_handle_exit(struct svm_run_ctx *ctx)
{
	struct per_cpu *pc = this_cpu();
	struct vmcb *vmcb = cpu_vmcb(pc);
	struct registers *r = &ctx->regs;
	struct vcpu_ctx v;

	pc->exits++;
	console_count_root_exit(pc, svm_exit_stat(vmcb));
	if (!cell_cpu(pc)->in_cell)
		iommu_poll_faults(true);
	vmcb->tlb_control = 0;
	vmcb->eventinj = 0;
	reinject_pending(vmcb);
	if ((u32)vmcb->exitcode == SVM_EXIT_INVALID)
		svm_entry_refused(pc, vmcb);
	if (svm_cell_exit(pc, vmcb))
		return;
	vcpu_ctx_fill(&v, pc, vmcb, r);
	vcpu_ctx_apply(pc, vmcb, &v, svm_dispatch(&v, vmcb));
	if (pc->leave)
		svm_leave(pc, vmcb);
}

/* VMRUN refused the state: a cell's is its own fault, the root's ours. */
void svm_entry_refused(struct per_cpu *pc, struct vmcb *vmcb)
{
	if (!cell_cpu(pc)->in_cell)
		root_failed(pc, vmcb, "VMRUN refused the guest state");
	cell_fail(pc, "VM entry refused its state (RIP 0x%lx)", vmcb->rip);
	svm_cell_park(pc, vmcb);
}

/* For svm_cell.c: the root cell's intercepts and tables. */
void svm_root_control(struct vmcb *vmcb)
{
	setup_control(vmcb);
}

const struct vcpu_ops vcpu_svm_ops = {
	.name = "AMD-V",
	.global_init = svm_global_init,
	.cpu_init = svm_cpu_init,
	.cpu_undo = svm_cpu_undo,
	.activate = svm_activate,
};
