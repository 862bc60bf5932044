/* SPDX-License-Identifier: GPL-2.0 */
/* AMD-V VMCB layout and constants (AMD APM vol. 2, appendix B). */
#ifndef _HV_ASM_SVM_H
#define _HV_ASM_SVM_H

#include <hv/types.h>

struct vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
};

struct vmcb {
	/* control area */
	u32 intercept_cr;		/* 0x000 */
	u32 intercept_dr;		/* 0x004 */
	u32 intercept_exceptions;	/* 0x008 */
	u32 intercept_misc1;		/* 0x00c */
	u32 intercept_misc2;		/* 0x010 */
	u32 intercept_misc3;		/* 0x014 */
	u8 reserved_018[0x03c - 0x018];
	u16 pause_filter_threshold;	/* 0x03c */
	u16 pause_filter_count;		/* 0x03e */
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;		/* 0x048 */
	u64 tsc_offset;			/* 0x050 */
	u32 guest_asid;			/* 0x058 */
	u8 tlb_control;			/* 0x05c */
	u8 reserved_05d[3];
	u64 v_intr;			/* 0x060 */
	u64 interrupt_shadow;		/* 0x068 */
	u64 exitcode;			/* 0x070 */
	u64 exitinfo1;			/* 0x078 */
	u64 exitinfo2;			/* 0x080 */
	u64 exitintinfo;		/* 0x088 */
	u64 np_control;			/* 0x090 */
	u64 avic_apic_bar;		/* 0x098 */
	u64 ghcb_pa;			/* 0x0a0 */
	u64 eventinj;			/* 0x0a8 */
	u64 n_cr3;			/* 0x0b0 */
	u64 virt_ext;			/* 0x0b8 */
	u32 clean_bits;			/* 0x0c0 */
	u32 reserved_0c4;
	u64 next_rip;			/* 0x0c8 */
	u8 insn_len;			/* 0x0d0 */
	u8 insn_bytes[15];		/* 0x0d1 */
	u8 reserved_0e0[0x400 - 0x0e0];
	/* state save area */
	struct vmcb_seg es, cs, ss, ds, fs, gs;	/* 0x400 */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460 */
	u8 reserved_4a0[0x4cb - 0x4a0];
	u8 cpl;				/* 0x4cb */
	u32 reserved_4cc;
	u64 efer;			/* 0x4d0 */
	u8 reserved_4d8[0x548 - 0x4d8];
	u64 cr4;			/* 0x548 */
	u64 cr3;			/* 0x550 */
	u64 cr0;			/* 0x558 */
	u64 dr7;			/* 0x560 */
	u64 dr6;			/* 0x568 */
	u64 rflags;			/* 0x570 */
	u64 rip;			/* 0x578 */
	u8 reserved_580[0x5d8 - 0x580];
	u64 rsp;			/* 0x5d8 */
	u8 reserved_5e0[0x5f8 - 0x5e0];
	u64 rax;			/* 0x5f8 */
	u64 star;			/* 0x600 */
	u64 lstar;			/* 0x608 */
	u64 cstar;			/* 0x610 */
	u64 sfmask;			/* 0x618 */
	u64 kernel_gs_base;		/* 0x620 */
	u64 sysenter_cs;		/* 0x628 */
	u64 sysenter_esp;		/* 0x630 */
	u64 sysenter_eip;		/* 0x638 */
	u64 cr2;			/* 0x640 */
	u8 reserved_648[0x668 - 0x648];
	u64 g_pat;			/* 0x668 */
	u64 dbgctl;			/* 0x670 */
	u8 reserved_678[0x1000 - 0x678];
};

_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "vmcb es");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "vmcb efer");
_Static_assert(__builtin_offsetof(struct vmcb, rsp) == 0x5d8, "vmcb rsp");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "vmcb pat");
_Static_assert(sizeof(struct vmcb) == 0x1000, "vmcb size");

/* intercept_misc1 */
#define SVM_INTERCEPT_NMI		BIT(1)
#define SVM_INTERCEPT_RDPMC		BIT(15)
#define SVM_INTERCEPT_CPUID		BIT(18)
#define SVM_INTERCEPT_INVD		BIT(22)
#define SVM_INTERCEPT_HLT		BIT(24)
#define SVM_INTERCEPT_INVLPGA		BIT(26)
#define SVM_INTERCEPT_IOIO		BIT(27)
#define SVM_INTERCEPT_MSR_PROT		BIT(28)
#define SVM_INTERCEPT_SHUTDOWN		BIT(31)
/* intercept_misc2 */
#define SVM_INTERCEPT_VMRUN		BIT(0)
#define SVM_INTERCEPT_VMMCALL		BIT(1)
#define SVM_INTERCEPT_VMLOAD		BIT(2)
#define SVM_INTERCEPT_VMSAVE		BIT(3)
#define SVM_INTERCEPT_STGI		BIT(4)
#define SVM_INTERCEPT_CLGI		BIT(5)
#define SVM_INTERCEPT_SKINIT		BIT(6)
#define SVM_INTERCEPT_WBINVD		BIT(9)

/* What every guest, root or cell, exits on (the rule book's instructions). */
#define SVM_INTERCEPTS_MISC1	(SVM_INTERCEPT_CPUID | SVM_INTERCEPT_MSR_PROT | \
				 SVM_INTERCEPT_SHUTDOWN | SVM_INTERCEPT_INVD | \
				 SVM_INTERCEPT_INVLPGA)
#define SVM_INTERCEPTS_MISC2	(SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL | \
				 SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE | \
				 SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI | \
				 SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_WBINVD)

#define SVM_NP_ENABLE			BIT(0)
#define SVM_TLB_FLUSH_ALL		1

#define SVM_EXIT_EXCP_BASE		0x040
#define SVM_EXIT_NMI			0x061
#define SVM_EXIT_RDPMC			0x06f
#define SVM_EXIT_CPUID			0x072
#define SVM_EXIT_HLT			0x078
#define SVM_EXIT_INVLPGA		0x07a
#define SVM_EXIT_IOIO			0x07b
#define SVM_EXIT_MSR			0x07c
#define SVM_EXIT_SHUTDOWN		0x07f
#define SVM_EXIT_VMRUN			0x080
#define SVM_EXIT_VMMCALL		0x081
#define SVM_EXIT_VMLOAD			0x082
#define SVM_EXIT_VMSAVE			0x083
#define SVM_EXIT_STGI			0x084
#define SVM_EXIT_CLGI			0x085
#define SVM_EXIT_SKINIT			0x086
#define SVM_EXIT_INVD			0x076
#define SVM_EXIT_WBINVD			0x089
#define SVM_EXIT_NPF			0x400
#define SVM_EXIT_INVALID		0xffffffffU

/* EVENTINJ / EXITINTINFO */
#define SVM_EVT_VALID			BIT(31)
#define SVM_EVT_ERR_VALID		BIT(11)
#define SVM_EVT_TYPE_SHIFT		8
#define SVM_EVT_TYPE_INTR		0
#define SVM_EVT_TYPE_NMI		2
#define SVM_EVT_TYPE_EXCEPT		3

#endif
