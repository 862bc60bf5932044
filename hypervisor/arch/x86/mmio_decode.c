// SPDX-License-Identifier: GPL-2.0
/*
 * The instruction forms Linux and inmates use on the xAPIC page: MOV r32
 * to and from memory (89, 8B), MOV eAX to and from a 64-bit absolute
 * address (A1, A3), MOV imm32 to memory (C7 /0) and XCHG (87, Linux's
 * X86_BUG_11AP), with an optional REX prefix and any ModRM/SIB form.
 */
#include <hv/types.h>
#include <asm/mmio_decode.h>

#define REX_R		BIT(2)

/* Bytes of ModRM, SIB and displacement after the opcode; -1: register. */
static int modrm_len(const u8 *b)
{
	unsigned int mod = b[0] >> 6, rm = b[0] & 7;
	int len = 1;

	if (mod == 3)
		return -1;
	if (rm == 4) {
		len++;				/* SIB */
		if (mod == 0 && (b[1] & 7) == 5)
			len += 4;		/* no base: disp32 */
	} else if (mod == 0 && rm == 5) {
		len += 4;			/* RIP-relative disp32 */
	}
	return len + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

static int decode_moffs(const u8 *b, unsigned int i, unsigned int n,
			struct apic_insn *in)
{
	if (i + 9 > n)
		return -EFAULT;
	in->write = b[i] == 0xa3;
	in->reg = 0;
	in->len = i + 9;
	return 0;
}

int mmio_decode(const u8 *b, unsigned int n, struct apic_insn *in)
{
	unsigned int i = 0;
	u8 rex = 0;
	int m;

	if (n < 2)
		return -EFAULT;
	if ((b[i] & 0xf0) == 0x40)
		rex = b[i++];
	in->imm = false;
	if (b[i] == 0xa1 || b[i] == 0xa3)
		return decode_moffs(b, i, n, in);
	switch (b[i]) {
	case 0x89:
	case 0x87:
		in->write = true;
		break;
	case 0x8b:
		in->write = false;
		break;
	case 0xc7:
		if ((b[i + 1] >> 3) & 7)
			return -EINVAL;		/* only C7 /0 is MOV */
		in->write = true;
		in->imm = true;
		break;
	default:
		return -EINVAL;
	}
	if (i + 2 > n)
		return -EFAULT;
	in->reg = ((b[i + 1] >> 3) & 7) | ((rex & REX_R) ? 8 : 0);
	m = modrm_len(&b[i + 1]);
	if (m < 0)
		return -EINVAL;
	i += 1 + m;
	if (in->imm) {
		if (i + 4 > n)
			return -EFAULT;
		in->value = b[i] | b[i + 1] << 8 | b[i + 2] << 16 |
			    (u32)b[i + 3] << 24;
		i += 4;
	}
	if (i > n)
		return -EFAULT;
	in->len = i;
	return 0;
}
