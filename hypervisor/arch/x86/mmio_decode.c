// SPDX-License-Identifier: GPL-2.0
/*
 * The instruction behind a trapped MMIO access, decoded: the MOV forms
 * compilers and drivers use to reach device registers, in 16-, 32- and
 * 64-bit mode (asm/mmio_decode.h lists them).  Only the bytes given are
 * read, and nothing is assumed about them: a guest chooses them.
 */
#include <hv/types.h>
#include <asm/mmio_decode.h>

#define REX_R		BIT(2)
#define REX_W		BIT(3)

/* Where the decoder is in the instruction and what the prefixes said. */
struct mmio_dec {
	const u8 *b;
	unsigned int n;		/* bytes given */
	unsigned int i;		/* next byte */
	enum mmio_mode mode;
	bool opsize_prefix;	/* 66 */
	bool addrsize_prefix;	/* 67 */
	u8 rex;			/* 0: none */
};

/* @count more bytes must exist: -EINVAL past 15 (as the CPU), else -EFAULT. */
static int mmio_need(const struct mmio_dec *d, unsigned int count)
{
	if (d->i + count > MMIO_INSN_MAX)
		return -EINVAL;
	if (d->i + count > d->n)
		return -EFAULT;
	return 0;
}

static int mmio_byte(struct mmio_dec *d, u8 *c)
{
	int err = mmio_need(d, 1);

	if (!err)
		*c = d->b[d->i++];
	return err;
}

/* A little-endian immediate of @count bytes. */
static int mmio_imm(struct mmio_dec *d, unsigned int count, u64 *val)
{
	int err = mmio_need(d, count);
	unsigned int k;

	if (err)
		return err;
	*val = 0;
	for (k = 0; k < count; k++)
		*val |= (u64)d->b[d->i + k] << (8 * k);
	d->i += count;
	return 0;
}

static int mmio_skip(struct mmio_dec *d, unsigned int count)
{
	int err = mmio_need(d, count);

	if (!err)
		d->i += count;
	return err;
}

static bool mmio_is_segment_prefix(u8 c)
{
	return c == 0x26 || c == 0x2e || c == 0x36 || c == 0x3e ||
	       c == 0x64 || c == 0x65;
}

/*
 * Legacy prefixes and REX, up to the opcode.  A REX counts only right
 * before the opcode (the CPU ignores one followed by another prefix);
 * in 16- and 32-bit mode 40-4F are INC and DEC, so the opcode.
 */
static int mmio_prefixes(struct mmio_dec *d)
{
	bool rex;
	u8 c;
	int err;

	for (;;) {
		err = mmio_need(d, 1);
		if (err)
			return err;
		c = d->b[d->i];
		rex = d->mode == MMIO_MODE_64 && (c & 0xf0) == 0x40;
		if (c == 0x66)
			d->opsize_prefix = true;
		else if (c == 0x67)
			d->addrsize_prefix = true;
		else if (c == 0xf0 || c == 0xf2 || c == 0xf3)
			return -EINVAL;		/* LOCK, REP, XRELEASE */
		else if (!rex && !mmio_is_segment_prefix(c))
			return 0;
		d->rex = rex ? c : 0;
		d->i++;
	}
}

static unsigned int mmio_opsize(const struct mmio_dec *d)
{
	if (d->mode == MMIO_MODE_64 && (d->rex & REX_W))
		return 8;
	if (d->mode == MMIO_MODE_16)
		return d->opsize_prefix ? 4 : 2;
	return d->opsize_prefix ? 2 : 4;
}

static unsigned int mmio_addrsize(const struct mmio_dec *d)
{
	if (d->mode == MMIO_MODE_64)
		return d->addrsize_prefix ? 4 : 8;
	if (d->mode == MMIO_MODE_32)
		return d->addrsize_prefix ? 2 : 4;
	return d->addrsize_prefix ? 4 : 2;
}

/* Displacement bytes of a 16-bit address: no SIB, [BP] is disp16. */
static unsigned int mmio_disp16(unsigned int mod, unsigned int rm)
{
	if (mod == 1)
		return 1;
	if (mod == 2 || (mod == 0 && rm == 6))
		return 2;
	return 0;
}

/*
 * SIB and displacement of a 32- or 64-bit address.  rm 4 is a SIB
 * (whose index 4 is none: nothing to do here); mod 0 with rm 5 is a
 * disp32 alone (RIP-relative in 64-bit mode), as is SIB base 5.
 */
static int mmio_disp32(struct mmio_dec *d, unsigned int mod, unsigned int rm,
		       unsigned int *disp)
{
	u8 sib;
	int err;

	*disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
	if (rm == 4) {
		err = mmio_byte(d, &sib);
		if (err)
			return err;
		if (mod == 0 && (sib & 7) == 5)
			*disp = 4;
	} else if (mod == 0 && rm == 5) {
		*disp = 4;
	}
	return 0;
}

/*
 * ModRM and whatever address bytes follow it; @reg gets the reg field
 * (REX.R included).  A register operand (mod 3) is no memory access.
 */
static int mmio_modrm(struct mmio_dec *d, unsigned int *reg)
{
	unsigned int mod, rm, disp;
	u8 modrm;
	int err;

	err = mmio_byte(d, &modrm);
	if (err)
		return err;
	mod = modrm >> 6;
	rm = modrm & 7;
	*reg = ((modrm >> 3) & 7) | (d->rex & REX_R ? 8 : 0);
	if (mod == 3)
		return -EINVAL;
	if (mmio_addrsize(d) == 2) {
		disp = mmio_disp16(mod, rm);
	} else {
		err = mmio_disp32(d, mod, rm, &disp);
		if (err)
			return err;
	}
	return mmio_skip(d, disp);
}

/* Byte registers: without REX, 4-7 are AH, CH, DH, BH. */
static void mmio_set_reg(const struct mmio_dec *d, struct mmio_insn *in,
			 unsigned int reg)
{
	in->reg = reg;
	if (in->size == 1 && !d->rex && reg >= 4) {
		in->reg = reg - 4;
		in->high_byte = true;
	}
}

/* 88-8B: MOV between a register and memory. */
static int mmio_mov(struct mmio_dec *d, u8 op, struct mmio_insn *in)
{
	unsigned int reg;
	int err;

	in->write = !(op & 2);
	in->size = op & 1 ? mmio_opsize(d) : 1;
	in->reg_size = in->size;
	err = mmio_modrm(d, &reg);
	if (!err)
		mmio_set_reg(d, in, reg);
	return err;
}

/* 86, 87: XCHG, a store of the register and a load into it. */
static int mmio_xchg(struct mmio_dec *d, u8 op, unsigned int flags,
		     struct mmio_insn *in)
{
	int err;

	if (!(flags & MMIO_DECODE_XCHG))
		return -EINVAL;
	err = mmio_mov(d, op, in);
	in->write = true;
	in->xchg = true;
	return err;
}

/* C6 /0, C7 /0: MOV of an immediate (imm32 sign-extended for 64 bits). */
static int mmio_mov_imm(struct mmio_dec *d, u8 op, struct mmio_insn *in)
{
	unsigned int reg, imm_size;
	int err;

	in->write = true;
	in->imm = true;
	in->size = op & 1 ? mmio_opsize(d) : 1;
	in->reg_size = in->size;
	err = mmio_modrm(d, &reg);
	if (err)
		return err;
	if (reg & 7)
		return -EINVAL;			/* other /r: not MOV */
	imm_size = in->size == 8 ? 4 : in->size;
	err = mmio_imm(d, imm_size, &in->value);
	if (!err && in->size == 8)
		in->value = (u64)(s64)(s32)in->value;
	return err;
}

/* A0-A3: MOV of AL or eAX to and from an absolute address (moffs). */
static int mmio_mov_moffs(struct mmio_dec *d, u8 op, struct mmio_insn *in)
{
	in->write = op & 2;
	in->size = op & 1 ? mmio_opsize(d) : 1;
	in->reg_size = in->size;
	in->reg = 0;
	return mmio_skip(d, mmio_addrsize(d));
}

/* 63 in 64-bit mode: MOVSXD (without REX.W, a plain 16/32-bit MOV). */
static int mmio_movsxd(struct mmio_dec *d, struct mmio_insn *in)
{
	unsigned int reg;
	int err;

	if (d->mode != MMIO_MODE_64)
		return -EINVAL;			/* ARPL */
	in->reg_size = mmio_opsize(d);
	in->size = in->reg_size == 8 ? 4 : in->reg_size;
	in->ext = in->reg_size == 8 ? MMIO_EXT_SIGN : MMIO_EXT_NONE;
	err = mmio_modrm(d, &reg);
	in->reg = reg;
	return err;
}

/* 0F B6, B7, BE, BF: MOVZX and MOVSX of a byte or a word. */
static int mmio_movx(struct mmio_dec *d, struct mmio_insn *in)
{
	unsigned int reg;
	u8 op;
	int err;

	err = mmio_byte(d, &op);
	if (err)
		return err;
	if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
		return -EINVAL;
	in->size = op & 1 ? 2 : 1;
	in->reg_size = mmio_opsize(d);
	in->ext = op & 8 ? MMIO_EXT_SIGN : MMIO_EXT_ZERO;
	err = mmio_modrm(d, &reg);
	in->reg = reg;
	return err;
}

static int mmio_opcode(struct mmio_dec *d, unsigned int flags,
		       struct mmio_insn *in)
{
	u8 op;
	int err;

	err = mmio_byte(d, &op);
	if (err)
		return err;
	switch (op) {
	case 0x88 ... 0x8b:
		return mmio_mov(d, op, in);
	case 0x86:
	case 0x87:
		return mmio_xchg(d, op, flags, in);
	case 0xc6:
	case 0xc7:
		return mmio_mov_imm(d, op, in);
	case 0xa0 ... 0xa3:
		return mmio_mov_moffs(d, op, in);
	case 0x63:
		return mmio_movsxd(d, in);
	case 0x0f:
		return mmio_movx(d, in);
	default:
		return -EINVAL;
	}
}

int mmio_decode(const u8 *b, unsigned int n, enum mmio_mode mode,
		unsigned int flags, struct mmio_insn *in)
{
	struct mmio_dec d = { .b = b, .n = n, .mode = mode };
	struct mmio_insn out = { .len = 0 };
	int err;

	*in = out;
	if (mode != MMIO_MODE_16 && mode != MMIO_MODE_32 &&
	    mode != MMIO_MODE_64)
		return -EINVAL;
	err = mmio_prefixes(&d);
	if (!err)
		err = mmio_opcode(&d, flags, &out);
	if (err)
		return err;
	out.len = d.i;
	*in = out;
	return 0;
}

static u64 mmio_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

u64 mmio_store_value(const struct mmio_insn *in, u64 reg)
{
	if (in->imm)
		return in->value & mmio_mask(in->size);
	if (in->high_byte)
		return (reg >> 8) & 0xff;
	return reg & mmio_mask(in->size);
}

/* @val (@in->size bytes) widened to @in->reg_size bytes. */
static u64 mmio_extend(const struct mmio_insn *in, u64 val)
{
	unsigned int shift = 64 - 8 * in->size;

	val &= mmio_mask(in->size);
	if (in->ext == MMIO_EXT_SIGN && shift)
		val = (u64)((s64)(val << shift) >> shift);
	return val & mmio_mask(in->reg_size);
}

u64 mmio_load_result(const struct mmio_insn *in, u64 reg, u64 val)
{
	val = mmio_extend(in, val);
	if (in->high_byte)
		return (reg & ~0xff00ULL) | (val & 0xff) << 8;
	if (in->reg_size >= 4)
		return val;	/* 32-bit results clear bits 32-63 */
	return (reg & ~mmio_mask(in->reg_size)) | val;
}
