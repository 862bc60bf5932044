/* SPDX-License-Identifier: GPL-2.0 */
/* Decoding the instruction behind a trapped MMIO access (host-testable). */
#ifndef _HV_ASM_MMIO_DECODE_H
#define _HV_ASM_MMIO_DECODE_H

#include <hv/types.h>

/* A decoded 32-bit access of a guest to a trapped page (the xAPIC page). */
struct apic_insn {
	unsigned int len;
	unsigned int reg;	/* GPR number, unless imm */
	bool imm;
	bool write;
	u32 value;		/* the immediate */
};

/*
 * Decodes the instruction in @b (@n bytes fetched, at least 8).  The
 * access's address comes from the nested fault, so only the direction,
 * the register or immediate and the length matter.  -EINVAL for any
 * form not listed in mmio_decode.c, -EFAULT when @n bytes are too few.
 */
int mmio_decode(const u8 *b, unsigned int n, struct apic_insn *in);

#endif
