/* SPDX-License-Identifier: GPL-2.0 */
/* x86 part of the per-CPU area: descriptor tables and vendor pages. */
#ifndef _HV_ASM_PERCPU_H
#define _HV_ASM_PERCPU_H

#include <hv/types.h>
#include <asm/processor.h>

#define GDT_ENTRIES		6
#define GDT_SEL_CODE		0x08
#define GDT_SEL_DATA		0x10
#define GDT_SEL_TSS		0x18

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

/* Context the VMRUN loop works on; svm.S knows these offsets. */
struct svm_run_ctx {
	struct registers regs;		/* 0x00 */
	u64 vmcb_pa;			/* 0x80 */
	u64 host_save_pa;		/* 0x88 */
};

struct arch_per_cpu {
	u64 gdt[GDT_ENTRIES];
	struct tss64 tss;
	struct desc_ptr linux_gdtr;
	struct desc_ptr linux_idtr;
	u64 linux_efer;
	u64 linux_hsave_pa;
	bool svme_enabled;		/* we set EFER.SVME: undo clears it */
	bool vmxon;			/* we set CR4.VMXE and did VMXON */
	u64 linux_cr4;
	bool first_run;
	struct svm_run_ctx run;
};

/*
 * Vendor pages and IST stacks.  AMD: VMCB, host save area, VMSAVE area of
 * the host.  Intel: the first page is the VMCS, the second the VMXON
 * region.
 */
struct arch_per_cpu_pages {
	u8 vmcb[PAGE_SIZE] __aligned(PAGE_SIZE);
	u8 hsave[PAGE_SIZE] __aligned(PAGE_SIZE);
	u8 host_save[PAGE_SIZE] __aligned(PAGE_SIZE);
	u8 nmi_stack[PAGE_SIZE] __aligned(PAGE_SIZE);
	u8 fault_stack[PAGE_SIZE] __aligned(PAGE_SIZE);
};

#endif
