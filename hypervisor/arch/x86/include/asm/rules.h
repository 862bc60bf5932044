/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 rule book as data: what the root and a cell may do with MSRs,
 * local APIC registers and the ICR.  Pure functions, no hardware access,
 * so the host unit tests check the very tables the hypervisor uses.
 * Documentation/isolation.md is the same rule book in prose.
 */
#ifndef _HV_ASM_RULES_H
#define _HV_ASM_RULES_H

#include <hv/types.h>

/* ---- MSRs ---- */

enum msr_action {
	MSR_REFUSE,	/* cell: FAILED with the reason; root: #GP */
	MSR_PASS,	/* no exit: the CPU's own register (see msr_cell_state) */
	MSR_EMULATE,	/* exits; the rule book answers (vcpu.c) */
};

struct msr_rule {
	u32 first, last;
	u8 cell_read, cell_write;	/* enum msr_action */
	u8 root_read, root_write;
	const char *name;
};

#define MSR_IA32_TSC		0x10
#define MSR_APIC_BASE_REG	0x1b
#define MSR_FEATURE_CONTROL	0x3a
#define MSR_TSC_DEADLINE	0x6e0
#define MSR_X2APIC_FIRST	0x800
#define MSR_X2APIC_LAST		0x8ff
#define MSR_X2APIC_ICR_REG	0x830
#define MSR_EFER_REG		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103
#define MSR_VM_CR_REG		0xc0010114
#define MSR_VM_HSAVE_PA_REG	0xc0010117

/* The rule of @msr; NULL: none listed (cell: refuse, root: pass). */
const struct msr_rule *msr_rule_find(u32 msr);
enum msr_action msr_action(u32 msr, bool cell, bool write);
/* A printable name for console lines, "MSR" when none is listed. */
const char *msr_name(u32 msr);

/*
 * MSRs whose passed-through value would cross a hand-over between Linux
 * and a cell: the hypervisor writes each to 0 when a CPU enters a cell
 * and when it goes back (vcpu_clean_cpu_state).
 */
extern const u32 msr_cell_state[];
extern const unsigned int msr_cell_state_count;

/* ---- local APIC registers (xAPIC page offsets; x2APIC MSR 0x800 + off/16) ---- */

#define APIC_REG_ID		0x20
#define APIC_REG_VERSION	0x30
#define APIC_REG_TPR		0x80
#define APIC_REG_EOI		0xb0
#define APIC_REG_LDR		0xd0
#define APIC_REG_DFR		0xe0
#define APIC_REG_SVR		0xf0
#define APIC_REG_ESR		0x280
#define APIC_REG_LVT_CMCI	0x2f0
#define APIC_REG_ICR_LO		0x300
#define APIC_REG_ICR_HI		0x310
#define APIC_REG_LVT_TIMER	0x320
#define APIC_REG_LVT_ERROR	0x370
#define APIC_REG_TIMER_INIT	0x380
#define APIC_REG_TIMER_DIV	0x3e0
#define APIC_REG_SELF_IPI	0x3f0	/* x2APIC only */

enum apic_write_action {
	APIC_WRITE_PASS,	/* to the CPU's own APIC as written */
	APIC_WRITE_LVT,		/* checked by apic_lvt_check() first */
	APIC_WRITE_ICR,		/* the IPI rules (apic_icr_check) */
	APIC_WRITE_ICR_HI,	/* kept for the next ICR write */
	APIC_WRITE_VIRTUAL,	/* LDR, DFR: the hypervisor's copy only */
	APIC_WRITE_IGNORE,	/* read-only register: dropped, as hardware */
	APIC_WRITE_REFUSE,	/* cell FAILED (ID, unknown offsets) */
};

/* What a cell's write to the APIC register at @offset becomes. */
enum apic_write_action apic_write_rule(u32 offset, bool x2apic);
/* 0 when a cell may write @val to an LVT register, else -EPERM. */
int apic_lvt_check(u32 val);
/* The x2APIC MSR writes a cell makes without an exit. */
bool apic_x2apic_write_passes(u32 msr);

/* ---- the ICR ---- */

#define APIC_ICR_VECTOR(lo)	((lo) & 0xff)
#define APIC_ICR_MODE(lo)	(((lo) >> 8) & 7)
#define APIC_ICR_LOGICAL	BIT(11)
#define APIC_ICR_ASSERT		BIT(14)
#define APIC_ICR_LEVEL		BIT(15)
#define APIC_ICR_SHORTHAND(lo)	(((lo) >> 18) & 3)

enum apic_icr_mode {
	ICR_FIXED = 0, ICR_LOWEST = 1, ICR_SMI = 2, ICR_MODE_3 = 3,
	ICR_NMI = 4, ICR_INIT = 5, ICR_SIPI = 6, ICR_MODE_7 = 7,
};

enum apic_shorthand {
	ICR_DEST_FIELD = 0, ICR_SELF = 1, ICR_ALL = 2, ICR_ALL_BUT_SELF = 3,
};

/*
 * Is a cell's ICR write @lo acceptable at all (before its destination
 * is resolved inside the cell)?  0, or -EPERM with a reason in @why.
 */
int apic_icr_check(u32 lo, const char **why);

/*
 * Does logical destination @dest name a CPU whose logical ID is @ldr?
 * xAPIC: @dfr selects flat or cluster model, @ldr as read from the
 * register (ID in bits 31:24), @dest 8 bits; x2APIC: 32-bit cluster
 * destinations and LDRs, @dfr unused.
 */
bool apic_logical_match(bool x2apic, u32 dest, u32 ldr, u32 dfr);

/* The x2APIC logical ID the hardware derives from an APIC ID. */
u32 apic_x2apic_ldr(u32 apic_id);

#endif
