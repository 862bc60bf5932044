// SPDX-License-Identifier: GPL-2.0
/* The x86 rule book's tables: MSRs, APIC registers, ICR (host-testable). */
#include <hv/types.h>
#include <asm/rules.h>

#define R MSR_REFUSE
#define P MSR_PASS
#define E MSR_EMULATE

/*
 * First match wins: single registers come before the ranges that hold
 * them.  Anything a cell may read or write without an exit is state of
 * its own CPU that the hand-over clears (msr_cell_state, the vendors'
 * guest-state areas); everything not listed is refused to a cell and
 * left to the root.
 */
static const struct msr_rule msr_rules[] = {
	/* first       last        cell   root   name */
	{ MSR_IA32_TSC, MSR_IA32_TSC, P, R, P, P, "TSC" },
	{ MSR_APIC_BASE_REG, MSR_APIC_BASE_REG, P, E, P, P, "APIC_BASE" },
	{ MSR_FEATURE_CONTROL, MSR_FEATURE_CONTROL, E, R, E, R,
	  "FEATURE_CONTROL" },
	{ 0xfe, 0xfe, P, R, P, P, "MTRRCAP" },
	{ 0x174, 0x176, P, P, P, P, "SYSENTER" },
	{ 0x1a0, 0x1a0, P, R, P, P, "MISC_ENABLE" },
	{ 0x200, 0x20f, P, R, P, P, "MTRR_PHYS" },
	{ 0x250, 0x250, P, R, P, P, "MTRR_FIX64K" },
	{ 0x258, 0x259, P, R, P, P, "MTRR_FIX16K" },
	{ 0x268, 0x26f, P, R, P, P, "MTRR_FIX4K" },
	{ 0x277, 0x277, P, P, P, P, "PAT" },
	{ 0x2ff, 0x2ff, P, R, P, P, "MTRR_DEF_TYPE" },
	/* VT-x is the hypervisor's: its capability MSRs do not exist. */
	{ 0x480, 0x493, R, R, R, R, "VMX capability" },
	{ MSR_TSC_DEADLINE, MSR_TSC_DEADLINE, P, P, P, P, "TSC_DEADLINE" },
	/*
	 * x2APIC: the CPU's own APIC.  A cell's writes follow the APIC's
	 * own rule book (apic_write_rule(), see msr_action()): the hot
	 * registers pass, every other write is checked like the xAPIC
	 * page's.  The root's ICR is filtered: no IPI may reach a cell.
	 */
	{ MSR_X2APIC_ICR_REG, MSR_X2APIC_ICR_REG, P, E, P, E, "x2APIC ICR" },
	{ MSR_X2APIC_FIRST, MSR_X2APIC_LAST, P, E, P, P, "x2APIC" },
	{ MSR_EFER_REG, MSR_EFER_REG, E, E, P, P, "EFER" },
	{ MSR_STAR, MSR_SFMASK, P, P, P, P, "syscall" },
	{ 0xc0000100, MSR_KERNEL_GS_BASE, P, P, P, P, "FS/GS base" },
	{ MSR_TSC_AUX, MSR_TSC_AUX, P, P, P, P, "TSC_AUX" },
	/* AMD-V is the hypervisor's: SVM disabled and locked. */
	{ MSR_VM_CR_REG, MSR_VM_CR_REG, E, R, E, E, "VM_CR" },
	{ MSR_VM_HSAVE_PA_REG, MSR_VM_HSAVE_PA_REG, R, R, E, E,
	  "VM_HSAVE_PA" },
};

#undef R
#undef P
#undef E

const u32 msr_cell_state[] = {
	MSR_TSC_DEADLINE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
	MSR_KERNEL_GS_BASE, MSR_TSC_AUX,
};
const unsigned int msr_cell_state_count = ARRAY_SIZE(msr_cell_state);

const struct msr_rule *msr_rule_find(u32 msr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msr_rules); i++)
		if (msr >= msr_rules[i].first && msr <= msr_rules[i].last)
			return &msr_rules[i];
	return NULL;
}

enum msr_action msr_action(u32 msr, bool cell, bool write)
{
	const struct msr_rule *r = msr_rule_find(msr);

	if (!r)
		return cell ? MSR_REFUSE : MSR_PASS;
	if (cell && write && msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST)
		return apic_x2apic_write_passes(msr) ? MSR_PASS : MSR_EMULATE;
	if (cell)
		return write ? r->cell_write : r->cell_read;
	return write ? r->root_write : r->root_read;
}

const char *msr_name(u32 msr)
{
	const struct msr_rule *r = msr_rule_find(msr);

	return r ? r->name : "MSR";
}

/* ---- local APIC registers ---- */

static bool apic_reg_read_only(u32 offset)
{
	return offset == APIC_REG_VERSION || offset == 0x90 ||	/* APR */
	       offset == 0xa0 || offset == 0xc0 ||		/* PPR, RRD */
	       (offset >= 0x100 && offset <= 0x270) ||	/* ISR TMR IRR */
	       offset == 0x390;				/* current count */
}

static bool apic_reg_is_lvt(u32 offset)
{
	return offset == APIC_REG_LVT_CMCI ||
	       (offset >= APIC_REG_LVT_TIMER && offset <= APIC_REG_LVT_ERROR);
}

enum apic_write_action apic_write_rule(u32 offset, bool x2apic)
{
	if (offset & 0xf)
		return APIC_WRITE_REFUSE;
	switch (offset) {
	case APIC_REG_TPR:
	case APIC_REG_EOI:
	case APIC_REG_SVR:
	case APIC_REG_ESR:
	case APIC_REG_TIMER_INIT:
	case APIC_REG_TIMER_DIV:
		return APIC_WRITE_PASS;
	case APIC_REG_ICR_LO:
		return APIC_WRITE_ICR;
	case APIC_REG_SELF_IPI:
		/* A fixed vector to the CPU itself, nothing else. */
		return x2apic ? APIC_WRITE_PASS : APIC_WRITE_REFUSE;
	case APIC_REG_ICR_HI:
	case APIC_REG_LDR:
	case APIC_REG_DFR:
		/* x2APIC: no ICR high, no DFR, a read-only LDR (#GP). */
		if (x2apic)
			return APIC_WRITE_REFUSE;
		return offset == APIC_REG_ICR_HI ? APIC_WRITE_ICR_HI :
						   APIC_WRITE_VIRTUAL;
	}
	if (apic_reg_is_lvt(offset))
		return APIC_WRITE_LVT;
	/* x2APIC writes to read-only registers fault on hardware too. */
	if (apic_reg_read_only(offset) && !x2apic)
		return APIC_WRITE_IGNORE;
	return APIC_WRITE_REFUSE;	/* ID and everything unknown */
}

#define APIC_LVT_MASKED		BIT(16)
#define APIC_LVT_MODE(v)	(((v) >> 8) & 7)

/* NMI, SMI, INIT and ExtINT deliveries belong to the hypervisor. */
int apic_lvt_check(u32 val)
{
	if ((val & APIC_LVT_MASKED) || APIC_LVT_MODE(val) == 0)
		return 0;
	return -EPERM;
}

bool apic_x2apic_write_passes(u32 msr)
{
	if (msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST)
		return false;
	return apic_write_rule((msr - MSR_X2APIC_FIRST) << 4, true) ==
	       APIC_WRITE_PASS;
}

/* ---- the ICR ---- */

int apic_icr_check(u32 lo, const char **why)
{
	switch (APIC_ICR_MODE(lo)) {
	case ICR_FIXED:
	case ICR_NMI:		/* kept inside the cell and dropped there */
	case ICR_INIT:
	case ICR_SIPI:
		return 0;
	case ICR_LOWEST:
		*why = "lowest-priority delivery";
		break;
	case ICR_SMI:
		*why = "SMI delivery";
		break;
	default:
		*why = "reserved delivery mode";
		break;
	}
	return -EPERM;
}

#define XAPIC_DFR_MODEL(dfr)	((dfr) >> 28)
#define XAPIC_DFR_FLAT_MODEL	0xf

bool apic_logical_match(bool x2apic, u32 dest, u32 ldr, u32 dfr)
{
	u32 id;

	if (x2apic) {
		if (dest == 0xffffffffu)
			return true;
		return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
	}
	dest &= 0xff;
	id = ldr >> 24;
	if (dest == 0xff)
		return true;
	if (XAPIC_DFR_MODEL(dfr) == XAPIC_DFR_FLAT_MODEL)
		return dest & id;
	return (dest >> 4) == (id >> 4) && (dest & id & 0xf);
}

u32 apic_x2apic_ldr(u32 apic_id)
{
	return ((apic_id >> 4) << 16) | (1u << (apic_id & 0xf));
}
