// SPDX-License-Identifier: GPL-2.0
/* Unit tests for inmates/lib/format.c, the inmates' printf formatter. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inmate.h>

/* The library's printk is cross-checked against the host's snprintf. */
#define FMT_SAME(...) do {						\
	char ours[128], libc[128];					\
	int n1 = fmt_snprintf(ours, sizeof(ours), __VA_ARGS__);	\
	int n2 = snprintf(libc, sizeof(libc), __VA_ARGS__);		\
	ck_assert_str_eq(ours, libc);					\
	ck_assert_int_eq(n1, n2);					\
} while (0)

static void fmt_expect(const char *want, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(n, (int)strlen(want));
}

START_TEST(test_decimal)
{
	FMT_SAME("%d", 0);
	FMT_SAME("%d", -1);
	FMT_SAME("%d", INT_MIN);
	FMT_SAME("%i", INT_MAX);
	FMT_SAME("%u", UINT_MAX);
	FMT_SAME("%ld", LONG_MIN);
	FMT_SAME("%lu", ULONG_MAX);
	FMT_SAME("%lld", LLONG_MIN);
	FMT_SAME("%llu", ULLONG_MAX);
	FMT_SAME("%zu", (size_t)12345);
	FMT_SAME("%+d %+d % d", 5, -5, 7);
	FMT_SAME("%hd %hu %hhd %hhu", 70000, 70000, 200, 300);
	FMT_SAME("%hx %hhx", 0x12345, 0x1ff);
}
END_TEST

START_TEST(test_hex)
{
	FMT_SAME("%x", 0xdeadbeef);
	FMT_SAME("%X", 0xdeadbeef);
	FMT_SAME("%lx", 0xfedcba9876543210UL);
	FMT_SAME("%llx", 0x123ULL);
	FMT_SAME("%#x", 0x1f);
	FMT_SAME("%#X", 0x1f);
	FMT_SAME("%#x", 0);
	FMT_SAME("%x", 0);
}
END_TEST

START_TEST(test_width_and_padding)
{
	FMT_SAME("[%5d]", 42);
	FMT_SAME("[%-5d]", 42);
	FMT_SAME("[%05d]", 42);
	FMT_SAME("[%05d]", -42);
	FMT_SAME("[%08lx]", 0xabcUL);
	FMT_SAME("[%016lx]", 0x1UL);
	FMT_SAME("[%2d]", 12345);
	FMT_SAME("[%*d]", 6, 7);
	FMT_SAME("[%*d]", -6, 7);
	FMT_SAME("[%#08x]", 0x12);
}
END_TEST

START_TEST(test_strings_and_chars)
{
	FMT_SAME("%s", "hello");
	FMT_SAME("[%8s]", "abc");
	FMT_SAME("[%-8s]", "abc");
	FMT_SAME("[%2s]", "abcdef");
	FMT_SAME("%c%c%c", 'a', 'b', 'c');
	FMT_SAME("[%3c][%-3c]", 'x', 'y');
	FMT_SAME("100%%");
	fmt_expect("(null)", "%s", (char *)NULL);
}
END_TEST

START_TEST(test_pointer)
{
	fmt_expect("0x1000", "%p", (void *)0x1000);
	fmt_expect("0x0", "%p", NULL);
	fmt_expect("0xffffffff81000000", "%p", (void *)0xffffffff81000000UL);
	fmt_expect("[    0x10]", "[%8p]", (void *)0x10);
}
END_TEST

START_TEST(test_truncation)
{
	char buf[8];
	int n;

	memset(buf, 'X', sizeof(buf));
	n = fmt_snprintf(buf, sizeof(buf), "%s", "0123456789");
	ck_assert_int_eq(n, 10);
	ck_assert_str_eq(buf, "0123456");

	/* size 0: nothing written, length still reported. */
	memset(buf, 'X', sizeof(buf));
	n = fmt_snprintf(buf, 0, "%d", 1234);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(buf[0], 'X');

	n = fmt_snprintf(buf, 1, "%d", 1234);
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_unknown_conversion)
{
	/* Unsupported conversions are echoed, so a bad format shows. */
	fmt_expect("a%qb", "a%qb");
	fmt_expect("end%", "end%");
	fmt_expect("[%5q]", "[%5q]");
}
END_TEST

static Suite *format_suite(void)
{
	Suite *s = suite_create("inmates-format");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_decimal);
	tcase_add_test(tc, test_hex);
	tcase_add_test(tc, test_width_and_padding);
	tcase_add_test(tc, test_strings_and_chars);
	tcase_add_test(tc, test_pointer);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_unknown_conversion);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(format_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
