/* SPDX-License-Identifier: GPL-2.0 */
/* Decoding the instruction behind a trapped MMIO access (host-testable). */
#ifndef _HV_ASM_MMIO_DECODE_H
#define _HV_ASM_MMIO_DECODE_H

#include <hv/types.h>

#define MMIO_INSN_MAX		15	/* an x86 instruction is no longer */

/* What CS says: default operand and address size, REX or not. */
enum mmio_mode {
	MMIO_MODE_16 = 2,	/* real mode, 16-bit protected mode, VM86 */
	MMIO_MODE_32 = 4,	/* 32-bit protected or compatibility mode */
	MMIO_MODE_64 = 8,	/* 64-bit mode (EFER.LMA and CS.L) */
};

/* How a load's @size bytes become the register's @reg_size bytes. */
enum mmio_ext {
	MMIO_EXT_NONE,		/* MOV: same width */
	MMIO_EXT_ZERO,		/* MOVZX */
	MMIO_EXT_SIGN,		/* MOVSX, MOVSXD */
};

/* Flags of mmio_decode(). */
#define MMIO_DECODE_XCHG	BIT(0)	/* accept XCHG with memory */

/*
 * One decoded access.  The address comes from the nested fault, so only
 * the direction, width, register or immediate and the length matter.
 */
struct mmio_insn {
	u8 len;			/* bytes of the instruction */
	u8 size;		/* bytes accessed: 1, 2, 4 or 8 */
	bool write;
	bool imm;		/* a store of @value, not of a register */
	bool xchg;		/* XCHG: a store that also loads (see below) */
	u8 reg;			/* GPR number 0-15 (RAX..R15), unless @imm */
	bool high_byte;		/* AH, CH, DH, BH: bits 8-15 of GPR @reg */
	u8 reg_size;		/* bytes of the register: 1, 2, 4 or 8 */
	enum mmio_ext ext;	/* loads: from @size to @reg_size bytes */
	u64 value;		/* the immediate, @size bytes */
};

/*
 * Decodes the instruction in @b (@n bytes fetched, at most MMIO_INSN_MAX
 * used) as a CPU in @mode runs it.  Understood: MOV between a register
 * and memory of every width (88, 89, 8A, 8B), MOV of AL/eAX to and from
 * an absolute address (A0-A3), MOV of an immediate (C6 /0, C7 /0), MOVZX
 * and MOVSX (0F B6, B7, BE, BF), MOVSXD (63, 64-bit mode), and XCHG (86,
 * 87) if @flags has MMIO_DECODE_XCHG; with prefixes 66, 67, segment
 * overrides and REX.  Anything else (LOCK, REP, string moves, ALU
 * instructions on memory, VEX, a register operand): -EINVAL.  -EFAULT:
 * the instruction goes on beyond @n bytes.  On error @in is zeroed.
 */
int mmio_decode(const u8 *b, unsigned int n, enum mmio_mode mode,
		unsigned int flags, struct mmio_insn *in);

/* The value a store writes, given the full 64-bit register @reg. */
u64 mmio_store_value(const struct mmio_insn *in, u64 reg);

/*
 * The register after a load of @val (@in->size bytes), given its value
 * @reg before: 32-bit results clear bits 32-63, 8- and 16-bit ones keep
 * the rest (AH..BH: bits 8-15).  For XCHG, the load of the old value.
 */
u64 mmio_load_result(const struct mmio_insn *in, u64 reg, u64 val);

#endif
