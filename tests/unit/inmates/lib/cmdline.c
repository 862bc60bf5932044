// SPDX-License-Identifier: GPL-2.0
/* Unit tests for inmates/lib/cmdline.c, the inmates' command-line parser. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <inmate.h>

START_TEST(test_find)
{
	const char *v;
	size_t len;

	ck_assert(cmdline_find("a=1 console=0x2f8 b", "console", &v, &len));
	ck_assert_int_eq(len, 5);
	ck_assert(!strncmp(v, "0x2f8", len));

	ck_assert(cmdline_find("a=1 flag b", "flag", &v, &len));
	ck_assert_int_eq(len, 0);

	/* Prefixes of other names do not match. */
	ck_assert(!cmdline_find("consoles=1 xconsole=2", "console", &v, &len));
	ck_assert(!cmdline_find("", "console", &v, &len));
	ck_assert(!cmdline_find(NULL, "console", &v, &len));
}
END_TEST

START_TEST(test_last_wins)
{
	ck_assert_int_eq(cmdline_parse_int("n=1 n=2\tn=3", "n", 0), 3);
}
END_TEST

START_TEST(test_parse_int)
{
	ck_assert_int_eq(cmdline_parse_int("n=42", "n", -1), 42);
	ck_assert_int_eq(cmdline_parse_int("n=-42", "n", 0), -42);
	ck_assert_int_eq(cmdline_parse_int("n=0x3F8", "n", 0), 0x3f8);
	ck_assert_int_eq(cmdline_parse_int("  n=7  ", "n", 0), 7);
	ck_assert_int_eq(cmdline_parse_int("n=0", "n", 5), 0);
}
END_TEST

START_TEST(test_parse_int_malformed)
{
	/* Anything odd falls back to the default instead of half-parsing. */
	ck_assert_int_eq(cmdline_parse_int("n=12ab", "n", 9), 9);
	ck_assert_int_eq(cmdline_parse_int("n=", "n", 9), 9);
	ck_assert_int_eq(cmdline_parse_int("n", "n", 9), 9);
	ck_assert_int_eq(cmdline_parse_int("n=0x", "n", 9), 9);
	ck_assert_int_eq(cmdline_parse_int("n=-", "n", 9), 9);
	ck_assert_int_eq(cmdline_parse_int("m=1", "n", 9), 9);
}
END_TEST

START_TEST(test_parse_bool)
{
	ck_assert(cmdline_parse_bool("x flag y", "flag"));
	ck_assert(cmdline_parse_bool("flag=1", "flag"));
	ck_assert(cmdline_parse_bool("flag=yes", "flag"));
	ck_assert(cmdline_parse_bool("flag=on", "flag"));
	ck_assert(!cmdline_parse_bool("flag=0", "flag"));
	ck_assert(!cmdline_parse_bool("flag=no", "flag"));
	ck_assert(!cmdline_parse_bool("flags", "flag"));
	ck_assert(!cmdline_parse_bool("", "flag"));
}
END_TEST

static Suite *cmdline_suite(void)
{
	Suite *s = suite_create("inmates-cmdline");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_last_wins);
	tcase_add_test(tc, test_parse_int);
	tcase_add_test(tc, test_parse_int_malformed);
	tcase_add_test(tc, test_parse_bool);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cmdline_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
