// SPDX-License-Identifier: GPL-2.0
/* Unit tests for hypervisor/string.c (also the inmates'), against libc. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

/*
 * The file defines the libc names itself; renamed here so both sets can
 * live in one host program and be compared.
 */
#define memset lib_memset
#define memcpy lib_memcpy
#define memmove lib_memmove
#define memcmp lib_memcmp
#define memchr lib_memchr
#define strlen lib_strlen
#define strnlen lib_strnlen
#define strchr lib_strchr
#define strrchr lib_strrchr
#define strcmp lib_strcmp
#define strncmp lib_strncmp
#define strtoul lib_strtoul
#include "../../../hypervisor/string.c"
#undef memset
#undef memcpy
#undef memmove
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strchr
#undef strrchr
#undef strcmp
#undef strncmp
#undef strtoul

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

START_TEST(test_memset_memcpy)
{
	unsigned char a[32], b[32];
	unsigned int i;

	for (i = 0; i < sizeof(a); i++)
		a[i] = i;
	memset(b, 0x11, sizeof(b));
	ck_assert_ptr_eq(lib_memset(a + 4, 0xab, 8), a + 4);
	ck_assert_int_eq(a[3], 3);
	ck_assert_int_eq(a[4], 0xab);
	ck_assert_int_eq(a[11], 0xab);
	ck_assert_int_eq(a[12], 12);
	ck_assert_ptr_eq(lib_memcpy(b + 1, a, 16), b + 1);
	ck_assert_int_eq(b[0], 0x11);
	ck_assert_mem_eq(b + 1, a, 16);
	ck_assert_int_eq(b[17], 0x11);
}
END_TEST

START_TEST(test_memmove_overlap)
{
	char want[] = "0123456789abcdef", got[] = "0123456789abcdef";

	/* Forward overlap (dst after src) needs the backward copy. */
	memmove(want + 3, want, 10);
	lib_memmove(got + 3, got, 10);
	ck_assert_str_eq(got, want);
	memmove(want, want + 5, 10);
	lib_memmove(got, got + 5, 10);
	ck_assert_str_eq(got, want);
	lib_memmove(got, got, 5);
	ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(test_compare)
{
	static const char *const s[] = { "", "a", "ab", "abc", "abd", "b",
					 "\xff", "ab\xff" };
	unsigned int i, j;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		ck_assert_uint_eq(lib_strlen(s[i]), strlen(s[i]));
		for (j = 0; j < sizeof(s) / sizeof(s[0]); j++) {
			ck_assert_int_eq(sign(lib_strncmp(s[i], s[j], 8)),
					 sign(strncmp(s[i], s[j], 8)));
			ck_assert_int_eq(sign(lib_strncmp(s[i], s[j], 2)),
					 sign(strncmp(s[i], s[j], 2)));
		}
	}
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		for (j = 0; j < sizeof(s) / sizeof(s[0]); j++)
			ck_assert_int_eq(sign(lib_strcmp(s[i], s[j])),
					 sign(strcmp(s[i], s[j])));
	ck_assert_int_eq(lib_memcmp("abc", "abd", 2), 0);
	ck_assert_int_lt(lib_memcmp("abc", "abd", 3), 0);
	ck_assert_int_gt(lib_memcmp("\xff", "\x01", 1), 0);
}
END_TEST

START_TEST(test_search)
{
	const char s[] = "a/b/c", high[] = "a\xff";

	ck_assert_ptr_eq(lib_strchr(s, '/'), s + 1);
	ck_assert_ptr_eq(lib_strrchr(s, '/'), s + 3);
	ck_assert_ptr_eq(lib_strchr(s, 'x'), NULL);
	ck_assert_ptr_eq(lib_strrchr(s, 'x'), NULL);
	/* The terminating NUL is part of the string. */
	ck_assert_ptr_eq(lib_strchr(s, 0), s + 5);
	ck_assert_ptr_eq(lib_strrchr(s, 0), s + 5);
	ck_assert_ptr_eq(lib_memchr(s, 'c', 5), s + 4);
	ck_assert_ptr_eq(lib_memchr(s, 'c', 4), NULL);
	ck_assert_ptr_eq(lib_memchr(high, 0xff, 2), high + 1);
	ck_assert_uint_eq(lib_strnlen(s, 3), 3);
	ck_assert_uint_eq(lib_strnlen(s, 99), 5);
	ck_assert_uint_eq(lib_strnlen("", 4), 0);
}
END_TEST

/* Only what libfdt needs: unsigned numbers in base 0, 8, 10 and 16. */
START_TEST(test_strtoul)
{
	static const struct {
		const char *s;
		int base;
	} cases[] = {
		{ "0", 0 }, { "42", 10 }, { "  42abc", 10 }, { "0x1f", 0 },
		{ "0X1F", 16 }, { "1f", 16 }, { "017", 0 }, { "019", 0 },
		{ "777", 8 }, { "zz", 36 }, { "", 10 }, { "x", 16 },
		{ "4294967295", 10 },
	};
	char *end, *want_end;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long want = strtoul(cases[i].s, &want_end,
					     cases[i].base);

		ck_assert_msg(lib_strtoul(cases[i].s, &end, cases[i].base) ==
			      want, "'%s' base %d", cases[i].s, cases[i].base);
		ck_assert_msg(end == want_end, "'%s' base %d: end", cases[i].s,
			      cases[i].base);
	}
	ck_assert_uint_eq(lib_strtoul("12", NULL, 10), 12);
}
END_TEST

static Suite *string_suite(void)
{
	Suite *s = suite_create("hypervisor-string");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_memset_memcpy);
	tcase_add_test(tc, test_memmove_overlap);
	tcase_add_test(tc, test_compare);
	tcase_add_test(tc, test_search);
	tcase_add_test(tc, test_strtoul);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(string_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
