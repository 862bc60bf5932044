/* SPDX-License-Identifier: GPL-2.0 */
/* The vcpu interface: what x86 common code asks of svm.c or vmx.c. */
#ifndef _HV_ASM_VCPU_H
#define _HV_ASM_VCPU_H

#include <hv/percpu.h>

enum x86_vendor { X86_VENDOR_UNKNOWN, X86_VENDOR_AMD, X86_VENDOR_INTEL };

struct vcpu_ops {
	const char *name;
	int (*global_init)(void);
	int (*cpu_init)(struct per_cpu *pc);
	void (*cpu_undo)(struct per_cpu *pc);
	__noreturn void (*activate)(struct per_cpu *pc);
};

/*
 * What the driver's leave stub pops from Linux's stack (header.h): the
 * last thing the vendor code writes before giving a CPU back.
 */
struct leave_frame {
	u64 cr3;
	struct registers regs;
	u64 rip, cs, rflags, rsp, ss;
};

extern const struct vcpu_ops vcpu_svm_ops;
extern const struct vcpu_ops vcpu_vmx_ops;

/* Host state shared by both vendors (cpu.c). */
struct paging;
extern struct paging host_paging;
enum x86_vendor x86_cpu_vendor(void);
int x86_host_paging_init(void);
int x86_leave_paging_init(void);
u64 x86_leave_cr3(void);
u64 x86_host_idt(void);
void x86_switch_to_host(struct per_cpu *pc);
void x86_capture_segment(u16 sel, u16 *attrib, u32 *limit, u64 *base);

/*
 * The rule book (vcpu.c): one set of rules for the root and every cell,
 * on both vendors.  vmx.c and svm.c translate an exit into a call below
 * with the guest state they hold, and apply the result; they decide
 * nothing themselves.
 */
struct cell;

struct vcpu_ctx {
	struct per_cpu *pc;
	struct cell *cell;		/* NULL: the root cell */
	struct registers *r;		/* RAX too; rsp_unused holds RSP */
	u64 rip, cs_base, cr0, cr3, cr4;
	u64 efer;			/* as the guest sees it */
	u16 cs_ar;			/* CS access rights (struct vcpu_seg) */
	unsigned int cpl;
	unsigned int insn_len;		/* of the exiting instruction */
	bool efer_written;		/* out: write efer back */
};

enum vcpu_result {
	VCPU_NEXT,		/* done: RIP moves past insn_len bytes */
	VCPU_GP,		/* #GP(0) to the guest, RIP unchanged */
	VCPU_UD,		/* #UD to the guest */
	VCPU_FAILED,		/* the cell was stopped (cell_fail): park */
	VCPU_UNHANDLED,		/* root only: not expected, the vendor dies */
};

/* One port access as the vendor decoded it. */
struct vcpu_io {
	u32 port;
	u32 size;		/* 1, 2 or 4 */
	bool in;
	bool string;
};

enum vcpu_result vcpu_handle_cpuid(struct vcpu_ctx *ctx);
enum vcpu_result vcpu_handle_msr(struct vcpu_ctx *ctx, bool write);
enum vcpu_result vcpu_handle_pio(struct vcpu_ctx *ctx,
				 const struct vcpu_io *io);
/* Hypercalls of the root go on to control.c; pc->leave says when done. */
enum vcpu_result vcpu_handle_hypercall(struct vcpu_ctx *ctx);
/* INVD and WBINVD: both write back (INVD never runs for a guest). */
enum vcpu_result vcpu_handle_cache(struct vcpu_ctx *ctx);
enum vcpu_result vcpu_handle_xsetbv(struct vcpu_ctx *ctx);
/* A second-level page fault at @gpa: APIC page, or a forbidden access. */
enum vcpu_result vcpu_handle_npf(struct vcpu_ctx *ctx, u64 gpa, bool write);
/* VMX or SVM instructions: the hypervisor's, #UD or a failed cell. */
enum vcpu_result vcpu_handle_virt_insn(struct vcpu_ctx *ctx,
				       const char *insn);
/* RDPMC: the performance counters are the root's (cells only exit). */
enum vcpu_result vcpu_handle_rdpmc(struct vcpu_ctx *ctx);
enum vcpu_result vcpu_handle_triple_fault(struct vcpu_ctx *ctx);
/* An exit the rule book has no rule for. */
enum vcpu_result vcpu_handle_unknown(struct vcpu_ctx *ctx, u64 code,
				     u64 info1, u64 info2);

/*
 * MSR intercepts from the rule book: @set(msr, read, write) is called
 * for every MSR of the bitmap ranges (0-0x1fff, 0xc0000000-0xc0001fff,
 * 0xc0010000-0xc0011fff) with whether it must exit.
 */
void vcpu_msr_intercepts(bool cell, void (*set)(void *map, u32 msr,
						 bool read, bool write),
			 void *map);

/*
 * How a CPU starts (reset-like real mode, or the flat 32-bit state of
 * Multiboot-style loaders): one description both vendors only copy into
 * their VMCS or VMCB.  Segment access rights in the VMCS layout (type,
 * S, DPL, P in bits 0-7; AVL, L, D/B, G in bits 12-15).
 */
struct vcpu_seg {
	u16 sel;
	u16 ar;
	u32 limit;
	u64 base;
};

struct vcpu_start {
	struct vcpu_seg cs, data;	/* data: DS, ES, FS, GS and SS */
	u64 rip, rsp, rax, rflags, cr0;	/* CR0 as the guest sees it */
};

struct cellvisor_start_state;
/* Fills @s and the general registers @r (RAX in @s, not @r). */
void vcpu_start_state(const struct cellvisor_start_state *st,
		      struct vcpu_start *s, struct registers *r);

/*
 * A CPU changes hands (root to cell, cell to root): nothing of the old
 * owner may stay in registers the vendors do not switch (FPU/SSE/AVX,
 * XCR0, DR0-DR3, CR2, the passed-through MSRs).
 */
void vcpu_clean_cpu_state(void);

#endif
