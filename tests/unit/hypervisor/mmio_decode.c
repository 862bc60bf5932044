// SPDX-License-Identifier: GPL-2.0
/* Unit tests for hypervisor/arch/x86/mmio_decode.c. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <asm/mmio_decode.h>

/* Decodes @len bytes given, padded with NOPs to 15. */
static int decode(const char *bytes, unsigned int len, struct apic_insn *in)
{
	u8 b[15];

	memset(b, 0x90, sizeof(b));
	memcpy(b, bytes, len);
	return mmio_decode(b, sizeof(b), in);
}

START_TEST(mov_store_and_load)
{
	struct apic_insn in;

	/* mov %eax, 0xb0(%rdx) */
	ck_assert_int_eq(decode("\x89\x82\xb0\x00\x00\x00", 6, &in), 0);
	ck_assert(in.write && !in.imm);
	ck_assert_uint_eq(in.reg, 0);
	ck_assert_uint_eq(in.len, 6);
	/* mov 0x20(%rax), %r9d (REX.R) */
	ck_assert_int_eq(decode("\x44\x8b\x48\x20", 4, &in), 0);
	ck_assert(!in.write);
	ck_assert_uint_eq(in.reg, 9);
	ck_assert_uint_eq(in.len, 4);
	/* mov %ecx, (%rax) */
	ck_assert_int_eq(decode("\x89\x08", 2, &in), 0);
	ck_assert_uint_eq(in.reg, 1);
	ck_assert_uint_eq(in.len, 2);
}
END_TEST

START_TEST(sib_rip_relative_and_absolute)
{
	struct apic_insn in;

	/* mov %esi, 0x300(%rax,%rbx,1): SIB + disp32 */
	ck_assert_int_eq(decode("\x89\xb4\x18\x00\x03\x00\x00", 7, &in), 0);
	ck_assert_uint_eq(in.reg, 6);
	ck_assert_uint_eq(in.len, 7);
	/* mov %eax, 0xfee000b0 (SIB without base: disp32) */
	ck_assert_int_eq(decode("\x89\x04\x25\xb0\x00\xe0\xfe", 7, &in), 0);
	ck_assert_uint_eq(in.len, 7);
	/* mov 0x0(%rip), %edx */
	ck_assert_int_eq(decode("\x8b\x15\x00\x10\x00\x00", 6, &in), 0);
	ck_assert_uint_eq(in.reg, 2);
	ck_assert_uint_eq(in.len, 6);
	/* movabs 0xfee00020, %eax */
	ck_assert_int_eq(decode("\xa1\x20\x00\xe0\xfe\x00\x00\x00\x00", 9,
				&in), 0);
	ck_assert(!in.write);
	ck_assert_uint_eq(in.len, 9);
	/* movabs %eax, 0xfee000b0 with REX.W */
	ck_assert_int_eq(decode("\x48\xa3\xb0\x00\xe0\xfe\x00\x00\x00\x00",
				10, &in), 0);
	ck_assert(in.write);
	ck_assert_uint_eq(in.len, 10);
}
END_TEST

START_TEST(immediate_and_xchg)
{
	struct apic_insn in;

	/* movl $0x1234, 0x380(%rdi) */
	ck_assert_int_eq(decode("\xc7\x87\x80\x03\x00\x00\x34\x12\x00\x00",
				10, &in), 0);
	ck_assert(in.write && in.imm);
	ck_assert_uint_eq(in.value, 0x1234);
	ck_assert_uint_eq(in.len, 10);
	/* xchg %eax, 0x300(%rdx) */
	ck_assert_int_eq(decode("\x87\x82\x00\x03\x00\x00", 6, &in), 0);
	ck_assert(in.write);
	ck_assert_uint_eq(in.len, 6);
	/* movl $1, 8(%rax) with an 8-bit displacement */
	ck_assert_int_eq(decode("\xc7\x40\x08\x01\x00\x00\x00", 7, &in), 0);
	ck_assert_uint_eq(in.value, 1);
	ck_assert_uint_eq(in.len, 7);
}
END_TEST

START_TEST(unknown_forms_refused)
{
	struct apic_insn in;
	u8 short_buf[4] = { 0xc7, 0x80, 0x00, 0x03 };

	ck_assert_int_eq(decode("\x89\xc0", 2, &in), -EINVAL); /* reg-reg */
	ck_assert_int_eq(decode("\x0f\xb7\x00", 3, &in), -EINVAL); /* movzx */
	ck_assert_int_eq(decode("\xc7\x48\x08", 3, &in), -EINVAL); /* C7 /1 */
	ck_assert_int_eq(decode("\x66\x89\x00", 3, &in), -EINVAL);
	ck_assert_int_eq(mmio_decode(short_buf, 4, &in), -EFAULT);
}
END_TEST

static Suite *decode_suite(void)
{
	Suite *s = suite_create("mmio_decode");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, mov_store_and_load);
	tcase_add_test(tc, sib_rip_relative_and_absolute);
	tcase_add_test(tc, immediate_and_xchg);
	tcase_add_test(tc, unknown_forms_refused);
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
