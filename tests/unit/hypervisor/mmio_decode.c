// SPDX-License-Identifier: GPL-2.0
/* Unit tests for hypervisor/arch/x86/mmio_decode.c. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <asm/mmio_decode.h>

#define M16	MMIO_MODE_16
#define M32	MMIO_MODE_32
#define M64	MMIO_MODE_64

/* What a row expects; len is the row's byte count. */
#define LDX(s, rs, r, e) \
	{ .size = s, .reg = r, .reg_size = rs, .ext = MMIO_EXT_##e }
#define LD(s, r)	{ .size = s, .reg = r, .reg_size = s }
#define LDH(r)		{ .size = 1, .reg = r, .reg_size = 1, \
			  .high_byte = true }
#define ST(s, r)	{ .write = true, .size = s, .reg = r, .reg_size = s }
#define STH(r)		{ .write = true, .size = 1, .reg = r, .reg_size = 1, \
			  .high_byte = true }
#define IMM(s, v)	{ .write = true, .imm = true, .size = s, \
			  .reg_size = s, .value = v }
#define XCHG(s, r)	{ .write = true, .xchg = true, .size = s, .reg = r, \
			  .reg_size = s }
#define XCHGH(r)	{ .write = true, .xchg = true, .size = 1, .reg = r, \
			  .reg_size = 1, .high_byte = true }
#define BAD		{ .len = 0xff }

struct row {
	enum mmio_mode mode;
	unsigned int flags;
	const char *text;
	const char *bytes;
	unsigned int n;
	struct mmio_insn want;
};

/*
 * Every encoding below is what GNU as 2.40 emitted for the text beside it
 * (".code64" or the row's mode, then the text; objcopy -O binary -j
 * .text): none is written by hand.  A few rows put a prefix the
 * assembler would not take before the instruction with ".byte".  To add
 * one: printf '.code64\nmov %%eax,(%%rdi)\n' | as --64 -o t.o &&
 * objcopy -O binary -j .text t.o t.bin && od -An -tx1 t.bin
 */
static const struct row rows[] = {
	{ M64, 0, "mov %eax,0xb0(%rdx)",
	  "\x89\x82\xb0\x00\x00\x00", 6, ST(4, 0) },
	{ M64, 0, "mov 0x20(%rax),%r9d",
	  "\x44\x8b\x48\x20", 4, LD(4, 9) },
	{ M64, 0, "mov %ecx,(%rax)",
	  "\x89\x08", 2, ST(4, 1) },
	{ M64, 0, "mov %esi,0x300(%rax,%rbx,1)",
	  "\x89\xb4\x18\x00\x03\x00\x00", 7, ST(4, 6) },
	{ M64, 0, "mov %eax,0xfee000b0",
	  "\xa3\xb0\x00\xe0\xfe\x00\x00\x00\x00", 9, ST(4, 0) },
	{ M64, 0, "mov 0x1000(%rip),%edx",
	  "\x8b\x15\x00\x10\x00\x00", 6, LD(4, 2) },
	{ M64, 0, "movabs 0xfee00020,%eax",
	  "\xa1\x20\x00\xe0\xfe\x00\x00\x00\x00", 9, LD(4, 0) },
	{ M64, 0, "movabs %rax,0xfee000b0",
	  "\x48\xa3\xb0\x00\xe0\xfe\x00\x00\x00\x00", 10, ST(8, 0) },
	{ M64, 0, "movabs 0xfee00020,%al",
	  "\xa0\x20\x00\xe0\xfe\x00\x00\x00\x00", 9, LD(1, 0) },
	{ M64, 0, "movabs %al,0xfee00020",
	  "\xa2\x20\x00\xe0\xfe\x00\x00\x00\x00", 9, ST(1, 0) },
	{ M64, 0, "addr32 mov 0xfee00020,%eax",
	  "\x67\xa1\x20\x00\xe0\xfe", 6, LD(4, 0) },
	{ M64, 0, "movl $0x1234,0x380(%rdi)",
	  "\xc7\x87\x80\x03\x00\x00\x34\x12\x00\x00", 10, IMM(4, 0x1234) },
	{ M64, 0, "movq $-2,0x8(%rax)",
	  "\x48\xc7\x40\x08\xfe\xff\xff\xff", 8, IMM(8, 0xfffffffffffffffeULL) },
	{ M64, 0, "movq $0x7fffffff,(%r8)",
	  "\x49\xc7\x00\xff\xff\xff\x7f", 7, IMM(8, 0x7fffffff) },
	{ M64, 0, "movb $0x5a,(%rcx)",
	  "\xc6\x01\x5a", 3, IMM(1, 0x5a) },
	{ M64, 0, "movb $0xff,(%r9)",
	  "\x41\xc6\x01\xff", 4, IMM(1, 0xff) },
	{ M64, 0, "movw $0xbeef,0x10(%rsp)",
	  "\x66\xc7\x44\x24\x10\xef\xbe", 7, IMM(2, 0xbeef) },
	{ M64, 0, "movl $1,0x100(%rip)",
	  "\xc7\x05\x00\x01\x00\x00\x01\x00\x00\x00", 10, IMM(4, 1) },
	{ M64, 0, "mov %al,(%rdi)",
	  "\x88\x07", 2, ST(1, 0) },
	{ M64, 0, "mov %ah,(%rdi)",
	  "\x88\x27", 2, STH(0) },
	{ M64, 0, "mov %bh,0x1(%rsi)",
	  "\x88\x7e\x01", 3, STH(3) },
	{ M64, 0, "mov %sil,(%rdi)",
	  "\x40\x88\x37", 3, ST(1, 6) },
	{ M64, 0, "mov %spl,(%rdi)",
	  "\x40\x88\x27", 3, ST(1, 4) },
	{ M64, 0, "mov %r10b,(%r11)",
	  "\x45\x88\x13", 3, ST(1, 10) },
	{ M64, 0, "mov (%rdi),%ch",
	  "\x8a\x2f", 2, LDH(1) },
	{ M64, 0, "mov (%rdi),%dil",
	  "\x40\x8a\x3f", 3, LD(1, 7) },
	{ M64, 0, "mov %ax,(%rdx)",
	  "\x66\x89\x02", 3, ST(2, 0) },
	{ M64, 0, "mov (%r12,%r13,4),%r14w",
	  "\x66\x47\x8b\x34\xac", 5, LD(2, 14) },
	{ M64, 0, "mov %rax,(%rbx)",
	  "\x48\x89\x03", 3, ST(8, 0) },
	{ M64, 0, "mov 0x8(%r15,%rcx,8),%r11",
	  "\x4d\x8b\x5c\xcf\x08", 5, LD(8, 11) },
	{ M64, 0, "mov 0x12345678(%r9,%r10,2),%r8",
	  "\x4f\x8b\x84\x51\x78\x56\x34\x12", 8, LD(8, 8) },
	{ M64, 0, "mov -0x80(%rbp),%rsp",
	  "\x48\x8b\x65\x80", 4, LD(8, 4) },
	{ M64, 0, "mov 0x0(%r13),%eax",
	  "\x41\x8b\x45\x00", 4, LD(4, 0) },
	{ M64, 0, "mov (%r12),%eax",
	  "\x41\x8b\x04\x24", 4, LD(4, 0) },
	{ M64, 0, "mov 0x10(,%rcx,2),%eax",
	  "\x8b\x04\x4d\x10\x00\x00\x00", 7, LD(4, 0) },
	{ M64, 0, "mov (%rsp),%eax",
	  "\x8b\x04\x24", 3, LD(4, 0) },
	{ M64, 0, "mov (%eax),%ecx",
	  "\x67\x8b\x08", 3, LD(4, 1) },
	{ M64, 0, "mov %ecx,%fs:0x10(%rax)",
	  "\x64\x89\x48\x10", 4, ST(4, 1) },
	{ M64, 0, "mov %gs:(%rax),%eax",
	  "\x65\x8b\x00", 3, LD(4, 0) },
	{ M64, 0, "mov %cs:(%rax),%eax",
	  "\x2e\x8b\x00", 3, LD(4, 0) },
	{ M64, 0, "movzbl (%rdi),%eax",
	  "\x0f\xb6\x07", 3, LDX(1, 4, 0, ZERO) },
	{ M64, 0, "movzwl 0x2(%rsi),%r8d",
	  "\x44\x0f\xb7\x46\x02", 5, LDX(2, 4, 8, ZERO) },
	{ M64, 0, "movzbq (%rdi),%rax",
	  "\x48\x0f\xb6\x07", 4, LDX(1, 8, 0, ZERO) },
	{ M64, 0, "movzbw (%rdi),%ax",
	  "\x66\x0f\xb6\x07", 4, LDX(1, 2, 0, ZERO) },
	{ M64, 0, "movzwl 0x100(%rip),%eax",
	  "\x0f\xb7\x05\x00\x01\x00\x00", 7, LDX(2, 4, 0, ZERO) },
	{ M64, 0, "movsbl (%rdi),%edx",
	  "\x0f\xbe\x17", 3, LDX(1, 4, 2, SIGN) },
	{ M64, 0, "movswq 0x4(%rdi),%r15",
	  "\x4c\x0f\xbf\x7f\x04", 5, LDX(2, 8, 15, SIGN) },
	{ M64, 0, "movsbw (%rdi),%cx",
	  "\x66\x0f\xbe\x0f", 4, LDX(1, 2, 1, SIGN) },
	{ M64, 0, "movslq (%rdi),%rax",
	  "\x48\x63\x07", 3, LDX(4, 8, 0, SIGN) },
	{ M64, 0, "movslq 0x8(%r8,%r9,4),%r10",
	  "\x4f\x63\x54\x88\x08", 5, LDX(4, 8, 10, SIGN) },
	{ M64, 0, "mov %eax,0xfffffffffee000b0",
	  "\x89\x04\x25\xb0\x00\xe0\xfe", 7, ST(4, 0) },
	{ M64, 0, "movsxd (%rdi),%eax",
	  "\x63\x07", 2, LD(4, 0) },
	{ M64, 0, "movsxd (%rdi),%ax",
	  "\x66\x63\x07", 3, LD(2, 0) },
	{ M64, MMIO_DECODE_XCHG, "xchg %eax,0x300(%rdx)",
	  "\x87\x82\x00\x03\x00\x00", 6, XCHG(4, 0) },
	{ M64, MMIO_DECODE_XCHG, "xchg %ah,(%rdi)",
	  "\x86\x27", 2, XCHGH(0) },
	{ M64, MMIO_DECODE_XCHG, "xchg %r8,0x10(%rax)",
	  "\x4c\x87\x40\x10", 4, XCHG(8, 8) },
	{ M16, MMIO_DECODE_XCHG, "xchg %ax,(%bx)",
	  "\x87\x07", 2, XCHG(2, 0) },
	{ M64, 0, "mov %rax,%rbx",
	  "\x48\x89\xc3", 3, BAD },
	{ M64, 0, "mov %eax,%ebx",
	  "\x89\xc3", 2, BAD },
	{ M64, 0, "xchg %eax,0x300(%rdx)",
	  "\x87\x82\x00\x03\x00\x00", 6, BAD },
	{ M64, 0, "lock addl $1,(%rax)",
	  "\xf0\x83\x00\x01", 4, BAD },
	{ M64, 0, "lock xchg %eax,(%rdx)",
	  "\xf0\x87\x02", 3, BAD },
	{ M64, 0, "rep movsb",
	  "\xf3\xa4", 2, BAD },
	{ M64, 0, "movsl",
	  "\xa5", 1, BAD },
	{ M64, 0, "stosl",
	  "\xab", 1, BAD },
	{ M64, 0, "add %eax,(%rdx)",
	  "\x01\x02", 2, BAD },
	{ M64, 0, "orl $1,(%rdx)",
	  "\x83\x0a\x01", 3, BAD },
	{ M64, 0, "testl $1,(%rdx)",
	  "\xf7\x02\x01\x00\x00\x00", 6, BAD },
	{ M64, 0, "cmpl $1,(%rdx)",
	  "\x83\x3a\x01", 3, BAD },
	{ M64, 0, "vmovdqu (%rax),%ymm0",
	  "\xc5\xfe\x6f\x00", 4, BAD },
	{ M64, 0, "vmovd %xmm0,(%rax)",
	  "\xc5\xf9\x7e\x00", 4, BAD },
	{ M64, 0, "vmovdqu64 (%rax),%zmm0",
	  "\x62\xf1\xfe\x48\x6f\x00", 6, BAD },
	{ M64, 0, "movdqu (%rax),%xmm0",
	  "\xf3\x0f\x6f\x00", 4, BAD },
	{ M64, 0, "movd %xmm0,(%rax)",
	  "\x66\x0f\x7e\x00", 4, BAD },
	{ M64, 0, "movnti %eax,(%rdi)",
	  "\x0f\xc3\x07", 3, BAD },
	{ M64, 0, "xrelease movl $0,(%rdi)",
	  "\xf3\xc7\x07\x00\x00\x00\x00", 7, BAD },
	{ M64, 0, ".byte 0xf3; mov %eax,(%rdi)",
	  "\xf3\x89\x07", 3, BAD },
	{ M64, 0, ".byte 0x40, 0x66; mov %eax,(%rdi)",
	  "\x40\x66\x89\x07", 4, ST(2, 0) },
	{ M64, 0, ".byte 0x48; addr32 mov %ax,(%edi)",
	  "\x48\x67\x66\x89\x07", 5, ST(2, 0) },
	{ M32, 0, ".byte 0x40; mov %eax,(%edi)",
	  "\x40\x89\x07", 3, BAD },
	{ M64, 0, "cmpxchg %ecx,(%rdi)",
	  "\x0f\xb1\x0f", 3, BAD },
	{ M64, 0, "bt %eax,(%rdi)",
	  "\x0f\xa3\x07", 3, BAD },
	{ M64, 0, "pushq (%rdi)",
	  "\xff\x37", 2, BAD },
	{ M64, 0, "incl (%rdi)",
	  "\xff\x07", 2, BAD },
	{ M32, 0, "mov %eax,0xfee000b0",
	  "\xa3\xb0\x00\xe0\xfe", 5, ST(4, 0) },
	{ M32, 0, "mov 0xfee00020,%eax",
	  "\xa1\x20\x00\xe0\xfe", 5, LD(4, 0) },
	{ M32, 0, "mov 0xfee00020,%al",
	  "\xa0\x20\x00\xe0\xfe", 5, LD(1, 0) },
	{ M32, 0, "mov %ax,0xfee00020",
	  "\x66\xa3\x20\x00\xe0\xfe", 6, ST(2, 0) },
	{ M32, 0, "mov %ecx,0xb0(%edx)",
	  "\x89\x8a\xb0\x00\x00\x00", 6, ST(4, 1) },
	{ M32, 0, "mov 0x300(%eax,%ebx,4),%esi",
	  "\x8b\xb4\x98\x00\x03\x00\x00", 7, LD(4, 6) },
	{ M32, 0, "mov %ebx,0xfee00300(,%eax,1)",
	  "\x89\x1c\x05\x00\x03\xe0\xfe", 7, ST(4, 3) },
	{ M32, 0, "mov %ebx,(%ebp)",
	  "\x89\x5d\x00", 3, ST(4, 3) },
	{ M32, 0, "movw %ax,(%ebx)",
	  "\x66\x89\x03", 3, ST(2, 0) },
	{ M32, 0, "movb %dh,(%ecx)",
	  "\x88\x31", 2, STH(2) },
	{ M32, 0, "movb (%ecx),%bl",
	  "\x8a\x19", 2, LD(1, 3) },
	{ M32, 0, "movl $0x12345678,0x10(%ebp)",
	  "\xc7\x45\x10\x78\x56\x34\x12", 7, IMM(4, 0x12345678) },
	{ M32, 0, "movw $0x1234,(%eax)",
	  "\x66\xc7\x00\x34\x12", 5, IMM(2, 0x1234) },
	{ M32, 0, "movb $0x80,0x12345678(%eax,%ecx,8)",
	  "\xc6\x84\xc8\x78\x56\x34\x12\x80", 8, IMM(1, 0x80) },
	{ M32, 0, "movzbl (%esi),%edi",
	  "\x0f\xb6\x3e", 3, LDX(1, 4, 7, ZERO) },
	{ M32, 0, "movzwl (%esi),%eax",
	  "\x0f\xb7\x06", 3, LDX(2, 4, 0, ZERO) },
	{ M32, 0, "movswl (%esi),%eax",
	  "\x0f\xbf\x06", 3, LDX(2, 4, 0, SIGN) },
	{ M32, 0, "movsbw (%esi),%ax",
	  "\x66\x0f\xbe\x06", 4, LDX(1, 2, 0, SIGN) },
	{ M32, 0, "addr16 mov (%bx,%si),%eax",
	  "\x67\x8b\x00", 3, LD(4, 0) },
	{ M32, 0, "addr16 mov 0x1234,%eax",
	  "\x67\xa1\x34\x12", 4, LD(4, 0) },
	{ M32, 0, "mov %fs:0x10(%eax),%ecx",
	  "\x64\x8b\x48\x10", 4, LD(4, 1) },
	{ M32, 0, "arpl %ax,(%ebx)",
	  "\x63\x03", 2, BAD },
	{ M32, 0, "les (%eax),%eax",
	  "\xc4\x00", 2, BAD },
	{ M32, 0, "lds (%eax),%eax",
	  "\xc5\x00", 2, BAD },
	{ M32, 0, "bound %eax,(%ebx)",
	  "\x62\x03", 2, BAD },
	{ M32, 0, "movsb",
	  "\xa4", 1, BAD },
	{ M16, 0, "mov %ax,(%bx,%si)",
	  "\x89\x00", 2, ST(2, 0) },
	{ M16, 0, "mov 0x10(%bp),%al",
	  "\x8a\x46\x10", 3, LD(1, 0) },
	{ M16, 0, "mov %ah,(%di)",
	  "\x88\x25", 2, STH(0) },
	{ M16, 0, "mov 0x1234,%ax",
	  "\xa1\x34\x12", 3, LD(2, 0) },
	{ M16, 0, "mov %al,0x1234",
	  "\xa2\x34\x12", 3, ST(1, 0) },
	{ M16, 0, "mov %cx,(%bp)",
	  "\x89\x4e\x00", 3, ST(2, 1) },
	{ M16, 0, "mov %cx,0x1234(,%ecx,1)",
	  "\x67\x89\x0c\x0d\x34\x12\x00\x00", 8, ST(2, 1) },
	{ M16, 0, "mov 0x1000(%bx),%dx",
	  "\x8b\x97\x00\x10", 4, LD(2, 2) },
	{ M16, 0, "mov -0x2(%bp,%di),%sp",
	  "\x8b\x63\xfe", 3, LD(2, 4) },
	{ M16, 0, "mov %eax,(%bx)",
	  "\x66\x89\x07", 3, ST(4, 0) },
	{ M16, 0, "mov 0x300,%eax",
	  "\x66\xa1\x00\x03", 4, LD(4, 0) },
	{ M16, 0, "movl $0x12345678,(%bx)",
	  "\x66\xc7\x07\x78\x56\x34\x12", 7, IMM(4, 0x12345678) },
	{ M16, 0, "movw $0x1234,0x2(%si)",
	  "\xc7\x44\x02\x34\x12", 5, IMM(2, 0x1234) },
	{ M16, 0, "movb $0x12,(%bx)",
	  "\xc6\x07\x12", 3, IMM(1, 0x12) },
	{ M16, 0, "movzbw (%bx),%ax",
	  "\x0f\xb6\x07", 3, LDX(1, 2, 0, ZERO) },
	{ M16, 0, "movzbl (%bx),%eax",
	  "\x66\x0f\xb6\x07", 4, LDX(1, 4, 0, ZERO) },
	{ M16, 0, "movsbw 0x8(%bx,%si),%dx",
	  "\x0f\xbe\x50\x08", 4, LDX(1, 2, 2, SIGN) },
	{ M16, 0, "addr32 mov (%eax,%ecx,4),%dx",
	  "\x67\x8b\x14\x88", 4, LD(2, 2) },
	{ M16, 0, "addr32 mov 0xfee00300,%eax",
	  "\x67\x66\xa1\x00\x03\xe0\xfe", 7, LD(4, 0) },
	{ M16, 0, "mov %es:(%di),%ax",
	  "\x26\x8b\x05", 3, LD(2, 0) },
	{ M16, 0, "movsw",
	  "\xa5", 1, BAD },
	{ M16, 0, "stosb",
	  "\xaa", 1, BAD },
	{ M16, 0, "xchg %ax,(%bx)",
	  "\x87\x07", 2, BAD },
};

/* The row's bytes in a buffer of exactly @n bytes: ASan sees over-reads. */
static int decode_exact(const struct row *r, unsigned int n,
			struct mmio_insn *in)
{
	u8 *b = malloc(n ? n : 1);
	int ret;

	ck_assert_ptr_nonnull(b);
	memcpy(b, r->bytes, n);
	ret = mmio_decode(b, n, r->mode, r->flags, in);
	free(b);
	return ret;
}

static void check_insn(const struct row *r, const struct mmio_insn *in)
{
	const struct mmio_insn *w = &r->want;

	ck_assert_msg(in->len == r->n && in->size == w->size &&
		      in->write == w->write && in->imm == w->imm &&
		      in->xchg == w->xchg && in->reg == w->reg &&
		      in->high_byte == w->high_byte &&
		      in->reg_size == w->reg_size && in->ext == w->ext &&
		      in->value == w->value,
		      "%s: len %u size %u write %d imm %d xchg %d reg %u "
		      "high %d reg_size %u ext %d value 0x%llx", r->text,
		      in->len, in->size, in->write, in->imm, in->xchg,
		      in->reg, in->high_byte, in->reg_size, in->ext,
		      (unsigned long long)in->value);
}

static bool is_zero(const struct mmio_insn *in)
{
	static const struct mmio_insn zero;

	return !memcmp(in, &zero, sizeof(zero));
}

START_TEST(real_encodings)
{
	const struct row *r = &rows[_i];
	struct mmio_insn in;
	u8 padded[32];
	int ret;

	ret = decode_exact(r, r->n, &in);
	if (r->want.len == 0xff) {
		ck_assert_msg(ret == -EINVAL, "%s: %d", r->text, ret);
		ck_assert(is_zero(&in));
		return;
	}
	ck_assert_msg(ret == 0, "%s: %d", r->text, ret);
	check_insn(r, &in);
	/* What follows the instruction does not matter. */
	memset(padded, 0x90, sizeof(padded));
	memcpy(padded, r->bytes, r->n);
	ck_assert_int_eq(mmio_decode(padded, sizeof(padded), r->mode,
				     r->flags, &in), 0);
	check_insn(r, &in);
	/* One byte short: never a guess. */
	ck_assert_msg(decode_exact(r, r->n - 1, &in) == -EFAULT, "%s",
		      r->text);
	ck_assert(is_zero(&in));
}
END_TEST

/* A row decoded without its flags or in another mode. */
START_TEST(xchg_only_when_asked)
{
	/* xchg %eax,0x300(%rdx) */
	const u8 b[] = { 0x87, 0x82, 0x00, 0x03, 0x00, 0x00 };
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(b, sizeof(b), M64, 0, &in), -EINVAL);
	ck_assert(is_zero(&in));
	ck_assert_int_eq(mmio_decode(b, sizeof(b), M64, MMIO_DECODE_XCHG,
				     &in), 0);
	ck_assert(in.xchg && in.write && in.size == 4 && in.len == 6);
}
END_TEST

START_TEST(mode_changes_meaning)
{
	/* 64-bit "mov 0x20(%rax),%r9d" is INC %esp + MOV in 32-bit mode. */
	const u8 rex[] = { 0x44, 0x8b, 0x48, 0x20 };
	/* 32-bit "mov %eax,0xfee000b0": moffs32 (a 64-bit mode moffs64). */
	const u8 moffs[] = { 0xa3, 0xb0, 0x00, 0xe0, 0xfe };
	/* "mov %ax,(%bx,%si)" in 16-bit mode is "mov %eax,(%rax)" in 64. */
	const u8 mov[] = { 0x89, 0x00 };
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(rex, 4, M32, 0, &in), -EINVAL);
	ck_assert_int_eq(mmio_decode(moffs, 5, M64, 0, &in), -EFAULT);
	ck_assert_int_eq(mmio_decode(moffs, 5, M32, 0, &in), 0);
	ck_assert_int_eq(mmio_decode(mov, 2, M16, 0, &in), 0);
	ck_assert_uint_eq(in.size, 2);
	ck_assert_int_eq(mmio_decode(mov, 2, M64, 0, &in), 0);
	ck_assert_uint_eq(in.size, 4);
	ck_assert_int_eq(mmio_decode(mov, 2, 3, 0, &in), -EINVAL);
}
END_TEST

START_TEST(too_long_or_too_short)
{
	u8 b[32];
	struct mmio_insn in;

	/* 14 segment prefixes + mov %eax,(%rax): 16 bytes, #GP on a CPU. */
	memset(b, 0x3e, 14);
	b[14] = 0x89;
	b[15] = 0x00;
	ck_assert_int_eq(mmio_decode(b, 16, M64, 0, &in), -EINVAL);
	ck_assert(is_zero(&in));
	/* 13 of them: 15 bytes, fine. */
	ck_assert_int_eq(mmio_decode(b + 1, 15, M64, 0, &in), 0);
	ck_assert_uint_eq(in.len, 15);
	ck_assert_int_eq(mmio_decode(b, 0, M64, 0, &in), -EFAULT);
	ck_assert_int_eq(mmio_decode(NULL, 0, M64, 0, &in), -EFAULT);
}
END_TEST

/* Loads: the register's other bits as the CPU leaves them. */
START_TEST(load_widths)
{
	const u64 ones = ~0ULL, pat = 0x1111111111111111ULL;
	struct mmio_insn in = { .size = 4, .reg_size = 4 };

	ck_assert_uint_eq(mmio_load_result(&in, ones, 0x12345678),
			  0x12345678);
	in.size = in.reg_size = 2;
	ck_assert_uint_eq(mmio_load_result(&in, ones, 0xabcd1234),
			  0xffffffffffff1234ULL);
	in.size = in.reg_size = 1;
	ck_assert_uint_eq(mmio_load_result(&in, ones, 0x12),
			  0xffffffffffffff12ULL);
	in.high_byte = true;
	ck_assert_uint_eq(mmio_load_result(&in, pat, 0xab),
			  0x111111111111ab11ULL);
	in.high_byte = false;
	in.size = in.reg_size = 8;
	ck_assert_uint_eq(mmio_load_result(&in, 0, ones), ones);
}
END_TEST

START_TEST(load_extensions)
{
	const u64 pat = 0xaaaaaaaaaaaaaaaaULL;
	struct mmio_insn in = { .size = 1, .reg_size = 4,
				.ext = MMIO_EXT_SIGN };

	ck_assert_uint_eq(mmio_load_result(&in, pat, 0x80), 0xffffff80);
	ck_assert_uint_eq(mmio_load_result(&in, pat, 0x7f), 0x7f);
	in.reg_size = 2;
	ck_assert_uint_eq(mmio_load_result(&in, pat, 0x80),
			  0xaaaaaaaaaaaaff80ULL);
	in.size = 2;
	in.reg_size = 8;
	ck_assert_uint_eq(mmio_load_result(&in, pat, 0x8000),
			  0xffffffffffff8000ULL);
	in.size = 4;
	ck_assert_uint_eq(mmio_load_result(&in, pat, 0x80000000),
			  0xffffffff80000000ULL);
	in.ext = MMIO_EXT_ZERO;
	in.size = 1;
	ck_assert_uint_eq(mmio_load_result(&in, pat, 0xff), 0xff);
	in.reg_size = 2;
	ck_assert_uint_eq(mmio_load_result(&in, pat, 0x1ff),
			  0xaaaaaaaaaaaa00ffULL);
}
END_TEST

START_TEST(store_values)
{
	const u64 reg = 0x8877665544332211ULL;
	struct mmio_insn in = { .write = true, .size = 4, .reg_size = 4 };

	ck_assert_uint_eq(mmio_store_value(&in, reg), 0x44332211);
	in.size = in.reg_size = 2;
	ck_assert_uint_eq(mmio_store_value(&in, reg), 0x2211);
	in.size = in.reg_size = 1;
	ck_assert_uint_eq(mmio_store_value(&in, reg), 0x11);
	in.high_byte = true;
	ck_assert_uint_eq(mmio_store_value(&in, reg), 0x22);
	in.high_byte = false;
	in.size = in.reg_size = 8;
	ck_assert_uint_eq(mmio_store_value(&in, reg), reg);
	in.imm = true;
	in.value = 0xfffffffffffffffeULL;
	ck_assert_uint_eq(mmio_store_value(&in, reg), in.value);
}
END_TEST

/* Decoded, then applied: what the CPU would have left in the register. */
START_TEST(decoded_then_applied)
{
	/* movsbl (%rdi),%edx; mov (%rdi),%ch; movq $-2,0x8(%rax) */
	const u8 movsbl[] = { 0x0f, 0xbe, 0x17 };
	const u8 mov_ch[] = { 0x8a, 0x2f };
	const u8 movq[] = { 0x48, 0xc7, 0x40, 0x08, 0xfe, 0xff, 0xff, 0xff };
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(movsbl, 3, M64, 0, &in), 0);
	ck_assert_uint_eq(mmio_load_result(&in, ~0ULL, 0xf0), 0xfffffff0);
	ck_assert_int_eq(mmio_decode(mov_ch, 2, M64, 0, &in), 0);
	ck_assert_uint_eq(in.reg, 1);
	ck_assert_uint_eq(mmio_load_result(&in, 0x1234, 0x56), 0x5634);
	ck_assert_int_eq(mmio_decode(movq, 8, M64, 0, &in), 0);
	ck_assert_uint_eq(mmio_store_value(&in, 0), 0xfffffffffffffffeULL);
}
END_TEST

/* What any decoded instruction must satisfy, whatever the bytes. */
static void check_sane(const struct mmio_insn *in, unsigned int n)
{
	ck_assert(in->len >= 1 && in->len <= n && in->len <= MMIO_INSN_MAX);
	ck_assert(in->size == 1 || in->size == 2 || in->size == 4 ||
		  in->size == 8);
	ck_assert(in->reg_size >= in->size && in->reg_size <= 8);
	ck_assert(in->reg < 16);
	ck_assert(!in->high_byte || (in->reg < 4 && in->size == 1));
	ck_assert(!in->imm || (in->write && !in->xchg));
}

/*
 * Random bytes, biased towards prefixes and the opcodes decoded, in
 * buffers of their exact size (run under ASan or valgrind to see any
 * read past them): the result is sane, the same twice, and the same
 * when only the instruction's own bytes are given.
 */
START_TEST(random_bytes)
{
	static const u8 hot[] = { 0x66, 0x67, 0x2e, 0x3e, 0x64, 0x40, 0x44,
				  0x48, 0x4f, 0x88, 0x89, 0x8a, 0x8b, 0xc6,
				  0xc7, 0xa0, 0xa3, 0x0f, 0xb6, 0xbf, 0x63,
				  0x87, 0x04, 0x05, 0x25, 0x44, 0x84 };
	const enum mmio_mode modes[] = { M16, M32, M64 };
	struct mmio_insn a, b2;
	unsigned int iter, n, k;
	int ra, rb;
	u8 *buf;

	srand(13);
	for (iter = 0; iter < 200000; iter++) {
		n = rand() % 18;
		buf = malloc(n ? n : 1);
		for (k = 0; k < n; k++)
			buf[k] = rand() & 1 ? hot[rand() % sizeof(hot)] :
					      (u8)rand();
		k = iter % 6;
		ra = mmio_decode(buf, n, modes[k % 3], k / 3, &a);
		rb = mmio_decode(buf, n, modes[k % 3], k / 3, &b2);
		ck_assert(ra == 0 || ra == -EINVAL || ra == -EFAULT);
		ck_assert(ra == rb && !memcmp(&a, &b2, sizeof(a)));
		if (ra) {
			ck_assert(is_zero(&a));
		} else {
			check_sane(&a, n);
			rb = mmio_decode(buf, a.len, modes[k % 3], k / 3,
					 &b2);
			ck_assert(!rb && !memcmp(&a, &b2, sizeof(a)));
		}
		free(buf);
	}
}
END_TEST

static Suite *decode_suite(void)
{
	Suite *s = suite_create("mmio_decode");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, real_encodings, 0, ARRAY_SIZE(rows));
	tcase_add_test(tc, xchg_only_when_asked);
	tcase_add_test(tc, mode_changes_meaning);
	tcase_add_test(tc, too_long_or_too_short);
	tcase_add_test(tc, load_widths);
	tcase_add_test(tc, load_extensions);
	tcase_add_test(tc, store_values);
	tcase_add_test(tc, decoded_then_applied);
	tcase_add_test(tc, random_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(decode_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
