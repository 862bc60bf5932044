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

#endif
