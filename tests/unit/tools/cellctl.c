// SPDX-License-Identifier: GPL-2.0
/* Unit tests for cellctl's command line: dispatch, --help, --version, errors. */
#include <check.h>
#include <unistd.h>

#include <cellvisor/config.h>

#include TEST_HELPERS

static struct run_result r;

START_TEST(test_no_args_is_usage_error)
{
	run_cellctl(&r, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "usage: cellctl"));
	ck_assert_str_eq(r.out, "");
}
END_TEST

START_TEST(test_help_lists_commands)
{
	run_cellctl(&r, "--help", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "usage: cellctl"));
	ck_assert_ptr_nonnull(strstr(r.out, "  config "));
	ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(test_version)
{
	char want[64];

	snprintf(want, sizeof(want), "cellctl %s (config binding %d)\n",
		 CELLCTL_VERSION, CFG_BINDING_VERSION);
	run_cellctl(&r, "--version", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, want);
}
END_TEST

START_TEST(test_unknown_command)
{
	run_cellctl(&r, "frobnicate", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "'frobnicate' is not a cellctl "
					    "command"));
	ck_assert_str_eq(r.out, "");
}
END_TEST

START_TEST(test_unknown_global_option)
{
	run_cellctl(&r, "--frob", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown option '--frob'"));
}
END_TEST

/* Commands that do not exist yet must not pretend to. */
START_TEST(test_future_commands_absent)
{
	static const char *const names[] = { "create", "load", "start",
		"shutdown", "destroy", "list", "stats", "console" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (cellctl_find(names[i]))
			continue;	/* implemented by now: fine */
		run_cellctl(&r, names[i], NULL);
		ck_assert_int_eq(r.status, 2);
		ck_assert_ptr_nonnull(strstr(r.err, "is not a cellctl"));
	}
}
END_TEST

START_TEST(test_help_subcommand)
{
	run_cellctl(&r, "help", "config", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "usage: cellctl config"));
	run_cellctl(&r, "help", "nope", NULL);
	ck_assert_int_eq(r.status, 2);
}
END_TEST

START_TEST(test_config_help)
{
	static const char *const subs[] = { "check", "compile", "show" };
	size_t i;

	run_cellctl(&r, "config", "--help", NULL);
	ck_assert_int_eq(r.status, 0);
	for (i = 0; i < 3; i++)
		ck_assert_ptr_nonnull(strstr(r.out, subs[i]));
	for (i = 0; i < 3; i++) {
		run_cellctl(&r, "config", subs[i], "--help", NULL);
		ck_assert_int_eq(r.status, 0);
		ck_assert_ptr_nonnull(strstr(r.out, "usage: cellctl config "));
		ck_assert_ptr_nonnull(strstr(r.out, subs[i]));
	}
}
END_TEST

START_TEST(test_config_errors)
{
	run_cellctl(&r, "config", NULL);
	ck_assert_int_eq(r.status, 2);
	run_cellctl(&r, "config", "chek", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "'chek' is not a config "
					    "subcommand"));
	run_cellctl(&r, "config", "check", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "at least one config file"));
	run_cellctl(&r, "config", "check", "--bogus", "x.yaml", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown option '--bogus'"));
	run_cellctl(&r, "config", "compile", "-o", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "needs an argument"));
	run_cellctl(&r, "config", "compile", "-o", "x.dtb", "a.yaml",
		    "b.yaml", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "-o names one output"));
	run_cellctl(&r, "config", "show", NULL);
	ck_assert_int_eq(r.status, 2);
	run_cellctl(&r, "config", "show", "a", "b", NULL);
	ck_assert_int_eq(r.status, 2);
}
END_TEST

START_TEST(test_missing_file)
{
	run_cellctl(&r, "config", "check", "/nonexistent/x.yaml", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/x.yaml: error: "
					    "cannot read"));
}
END_TEST

/* A second run in the same process must parse options afresh. */
START_TEST(test_getopt_reset)
{
	const char *p = write_temp(".yaml", "kind: cell\nname: a\n"
				   "cpus: 1\n");

	run_cellctl(&r, "config", "check", "-q", p, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "");
	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "cell 'a' is valid"));
	unlink(p);
}
END_TEST

/* The stats interval: seconds, fractions allowed, 0.01 to 3600. */
START_TEST(test_stats_interval)
{
	static const char *const bad[] = { "0", "0.001", "3601", "1x", "",
					   "-1", "nan" };
	char want[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run_cellctl(&r, "stats", "rt", bad[i], NULL);
		ck_assert_int_eq(r.status, 2);
		snprintf(want, sizeof(want), "'%s' is not a number of seconds "
			 "(0.01-3600)", bad[i]);
		ck_assert_msg(strstr(r.err, want), "%s: %s", bad[i], r.err);
	}
	/* Good ones get past the arguments (to the missing device here). */
	run_cellctl(&r, "stats", "rt", "0.5", NULL);
	ck_assert_ptr_null(strstr(r.err, "number of seconds"));
	ck_assert_int_ne(r.status, 2);
}
END_TEST

static Suite *cellctl_suite(void)
{
	Suite *s = suite_create("cellctl");
	TCase *tc = tcase_create("cli");

	tcase_add_test(tc, test_no_args_is_usage_error);
	tcase_add_test(tc, test_help_lists_commands);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_unknown_command);
	tcase_add_test(tc, test_unknown_global_option);
	tcase_add_test(tc, test_future_commands_absent);
	tcase_add_test(tc, test_help_subcommand);
	tcase_add_test(tc, test_config_help);
	tcase_add_test(tc, test_config_errors);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_getopt_reset);
	tcase_add_test(tc, test_stats_interval);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cellctl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
