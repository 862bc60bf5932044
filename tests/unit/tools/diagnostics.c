// SPDX-License-Identifier: GPL-2.0
/* Unit tests for cellctl's diagnostics: typos, refusals, positions, limits. */
#include <check.h>
#include <libfdt.h>
#include <time.h>
#include <unistd.h>

#include "cfgtool.h"

#include TEST_HELPERS

static struct run_result r;

static const char sys_path[] = TOP_DIR "/configs/x86/qemu-svm.yaml";
static const char cell_path[] = TOP_DIR "/configs/x86/hello-qemu.yaml";

/* "FILE:TEXT" is in the run's stderr, FILE being the temporary PATH. */
static void assert_err_at(const char *path, const char *text)
{
	char want[512];

	snprintf(want, sizeof(want), "%s:%s", path, text);
	ck_assert_msg(strstr(r.err, want), "no '%s' in:\n%s", want, r.err);
}

static unsigned int count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay++;
	}
	return n;
}

/* ---- near-miss commands ---- */

START_TEST(test_command_typo)
{
	run_cellctl(&r, "hlep", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "'hlep' is not a cellctl command; "
					    "did you mean 'help'?"));
	run_cellctl(&r, "lsit", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "did you mean 'list'?"));
	run_cellctl(&r, "help", "destory", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "did you mean 'destroy'?"));
	run_cellctl(&r, "config", "chekc", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "'chekc' is not a config "
					    "subcommand; did you mean 'check'?"));
}
END_TEST

START_TEST(test_command_far_off)
{
	run_cellctl(&r, "xyzzy", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "'xyzzy' is not a cellctl "
					    "command\n"));
	ck_assert_ptr_null(strstr(r.err, "did you mean"));
	run_cellctl(&r, "config", "frob", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "(check, compile, show, create)"));
}
END_TEST

START_TEST(test_global_option_typo)
{
	run_cellctl(&r, "--verison", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown option '--verison'; did "
					    "you mean '--version'?"));
	run_cellctl(&r, "--frob", NULL);
	ck_assert_ptr_null(strstr(r.err, "did you mean"));
}
END_TEST

/* ---- enum values and keys ---- */

START_TEST(test_kind_and_enum_typos)
{
	const char *p = write_temp(".yaml", "kind: cel\nname: x\ncpus: 1\n");

	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_int_eq(r.status, 2);
	assert_err_at(p, "1:7: error: kind must be one of: system, cell "
		      "(not 'cel'; did you mean 'cell'?)");
	p = write_temp(".yaml", "kind: cell\nname: x\ncpus: 1\nmemory:\n"
		       "  - {guest: 0, size: 4K, access: [raed]}\n");
	run_cellctl(&r, "config", "check", p, NULL);
	assert_err_at(p, "5:35: error: an access flag must be one of: read, "
		      "write, execute, dma, io (not 'raed'; did you mean "
		      "'read'?)");
	p = write_temp(".yaml", "kind: cell\nname: x\ncpu: 1\n");
	run_cellctl(&r, "config", "check", p, NULL);
	assert_err_at(p, "3:1: error: unknown key 'cpu' in a cell config; "
		      "did you mean 'cpus'?");
}
END_TEST

/* ---- duplicate list entries ---- */

START_TEST(test_duplicate_cpus)
{
	const char *p = write_temp(".yaml", "kind: cell\nname: x\n"
				   "cpus: [1, 1]\n");

	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_int_eq(r.status, 2);
	assert_err_at(p, "3:11: error: cpus: 1 is listed twice; give each "
		      "once");
	p = write_temp(".yaml", "kind: cell\nname: x\ncpus: 1-3,2\n");
	run_cellctl(&r, "config", "check", p, NULL);
	assert_err_at(p, "3:7: error: cpus: 2 is listed twice");
	p = write_temp(".yaml", "kind: cell\nname: x\ncpus: [1, 2-3]\n");
	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_ptr_null(strstr(r.err, "twice"));
}
END_TEST

/* ---- consequences of an error are not errors of their own ---- */

START_TEST(test_no_follow_on_errors)
{
	const char *p = write_temp(".yaml", "kind: cell\nname: x\n"
				   "cpus: 1-3,2\nmemry: []\n");

	run_cellctl(&r, "config", "check", sys_path, p, NULL);
	ck_assert_int_eq(r.status, 2);
	/* Two real errors; no "CPU 3 is not a CPU", no "no memory". */
	ck_assert_uint_eq(count(r.err, ": error: "), 2);
	ck_assert_ptr_nonnull(strstr(r.err, "cellctl: 2 errors, 0 warnings"));
	ck_assert_ptr_null(strstr(r.err, "not a CPU of system"));
	ck_assert_ptr_null(strstr(r.err, "no memory region"));
	assert_err_at(p, " note: further checks of this file skipped until "
		      "the errors above are fixed");
}
END_TEST

/* A good file next to a bad one is still checked against the system. */
START_TEST(test_other_files_still_checked)
{
	const char *bad = write_temp(".yaml", "kind: cell\nname: y\ncpus: 1\n"
				     "memry: []\n");
	const char *good = write_temp(".yaml", "kind: cell\nname: x\n"
				      "cpus: 9\n");

	run_cellctl(&r, "config", "check", sys_path, bad, good, NULL);
	ck_assert_int_eq(r.status, 2);
	assert_err_at(good, "3:7: error: CPU 9 is not a CPU of system");
}
END_TEST

/* ---- cell names ---- */

START_TEST(test_cell_named_root)
{
	const char *p = write_temp(".yaml", "kind: cell\nname: root\n"
				   "cpus: 1\n");

	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_int_eq(r.status, 2);
	assert_err_at(p, "2:7: error: 'root' is the root cell's name");
}
END_TEST

static const char *const bad_names[] = {
	"\"he llo\"", "\"a;b\"", "\"$(x)\"", "-x", ".hidden", "\"a/b\"",
	"\"*\"", "\"q'q\"",
};

START_TEST(test_cell_name_chars)
{
	char text[128];
	const char *p;

	snprintf(text, sizeof(text), "kind: cell\nname: %s\ncpus: 1\n",
		 bad_names[_i]);
	p = write_temp(".yaml", text);
	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_int_eq(r.status, 2);
	assert_err_at(p, "2:7: error: cell name '");
	ck_assert_ptr_nonnull(strstr(r.err, "may hold only letters, digits, "
					    "'-', '_' and '.', starting with "
					    "a letter or digit"));
}
END_TEST

START_TEST(test_cell_name_good)
{
	const char *p = write_temp(".yaml", "kind: cell\nname: rt-1_a.b\n"
				   "cpus: 1\n");

	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_ptr_null(strstr(r.err, "name"));
}
END_TEST

/* ---- a config of the other kind ---- */

START_TEST(test_s_given_a_cell)
{
	run_cellctl(&r, "create", "-s", cell_path, cell_path, NULL);
	ck_assert_int_eq(r.status, 2);
	assert_err_at(cell_path, "4:1: error: -s takes a system config "
		      "(kind: system), but this is cell 'hello' (kind: cell)");
	run_cellctl(&r, "config", "compile", "-s", cell_path, "-o",
		    "/dev/null", sys_path, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "-s takes a system config"));
	ck_assert_ptr_null(strstr(r.err, "not both"));
}
END_TEST

START_TEST(test_create_given_a_system)
{
	run_cellctl(&r, "create", sys_path, NULL);
	ck_assert_int_eq(r.status, 2);
	assert_err_at(sys_path, "3:1: error: create takes a cell config (kind: "
		      "cell), but this is system 'qemu-svm' (kind: system)");
	ck_assert_ptr_nonnull(strstr(r.err, "'cellctl enable'"));
	ck_assert_ptr_null(strstr(r.err, "/dev/cellvisor"));
}
END_TEST

/* ---- DTB input ---- */

/* hello-qemu.yaml compiled, with property NAME added to node NODE. */
static const char *dtb_with_prop(const char *node, const char *name)
{
	static char path[64], blob[65536];
	const char *out = write_temp(".dtb", "");
	FILE *f;
	size_t n;

	run_cellctl(&r, "config", "compile", "-q", "-s", sys_path, "-o", out,
		    cell_path, NULL);
	ck_assert_int_eq(r.status, 0);
	f = fopen(out, "rb");
	n = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(fdt_open_into(blob, blob, sizeof(blob)), 0);
	ck_assert_int_eq(fdt_setprop_u32(blob, fdt_path_offset(blob, node),
					 name, 1), 0);
	fdt_pack(blob);
	snprintf(path, sizeof(path), "%s", out);
	f = fopen(path, "wb");
	fwrite(blob, 1, fdt_totalsize(blob), f);
	fclose(f);
	return path;
}

START_TEST(test_dtb_unknown_property_named)
{
	const char *p = dtb_with_prop("/memory/region-0", "colour");

	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_int_eq(r.status, 2);
	assert_err_at(p, " error: not a valid Cellvisor config blob: unknown "
		      "property 'colour' in node /memory/region-0");
	ck_assert_ptr_null(strstr(r.err, "(-22)"));
	unlink(p);
}
END_TEST

START_TEST(test_dtb_property_in_wrong_node)
{
	const char *p = dtb_with_prop("/", CFG_PROP_PORT);

	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "a property stands in a node that "
					    "does not take it"));
	unlink(p);
}
END_TEST

/* cellctl's list of the binding's properties misses none of the header's. */
START_TEST(test_dtb_props_all_known)
{
	FILE *f = fopen(TOP_DIR "/include/cellvisor/config.h", "r");
	char line[256], name[64];
	int n = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "#define CFG_PROP_%*s \"%63[^\"]\"", name) == 1) {
			ck_assert_msg(cfg_dtb_prop_known(name), "'%s'", name);
			n++;
		}
	fclose(f);
	ck_assert_int_gt(n, 20);
	ck_assert(!cfg_dtb_prop_known("colour"));
}
END_TEST

/* ---- every error about a YAML file has its line ---- */

static const char *copy_of(const char *path)
{
	static char text[65536];
	FILE *f = fopen(path, "r");
	size_t n = fread(text, 1, sizeof(text) - 1, f);

	fclose(f);
	text[n] = 0;
	return write_temp(".yaml", text);
}

START_TEST(test_file_errors_have_lines)
{
	const char *sys2 = copy_of(sys_path);

	run_cellctl(&r, "config", "check", sys_path, sys2, cell_path, NULL);
	ck_assert_int_eq(r.status, 2);
	assert_err_at(sys2, "3:1: error: a second system config");
	run_cellctl(&r, "config", "compile", "-s", sys_path, "-o", "/dev/null",
		    sys2, NULL);
	ck_assert_int_eq(r.status, 2);
	assert_err_at(sys2, "3:1: error: give the system config either with "
		      "-s or as a file to compile, not both");
	unlink(sys2);
}
END_TEST

/* ---- input limits ---- */

/* A temporary file of N copies of UNIT, then TAIL. */
static const char *repeat_file(const char *head, const char *unit, size_t n,
			       const char *tail)
{
	const char *p = write_temp(".yaml", head);
	FILE *f = fopen(p, "a");
	size_t i;

	for (i = 0; i < n; i++)
		fputs(unit, f);
	fputs(tail, f);
	fclose(f);
	return p;
}

START_TEST(test_depth_limit)
{
	const char *p = repeat_file("kind: cell\nname: x\ncpus: ", "[", 40,
				    "\n");

	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_int_eq(r.status, 2);
	/* The root mapping is level 1: the 32nd '[' (column 38) is 33. */
	assert_err_at(p, "3:38: error: lists and mappings nest more than 32 "
		      "levels deep here: not a config");
	ck_assert_uint_eq(count(r.err, ": error: "), 1);
	unlink(p);
	p = repeat_file("kind: cell\nname: x\ncpus: ", "[", 31, "\n");
	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_ptr_null(strstr(r.err, "levels deep"));
	unlink(p);
}
END_TEST

/* Nesting used to cost the square of its depth: minutes for 1 MiB. */
START_TEST(test_deep_input_is_fast)
{
	const char *p = repeat_file("", "- ", 500000, "\n");
	clock_t t0 = clock();

	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "levels deep"));
	ck_assert_msg(clock() - t0 < 2 * CLOCKS_PER_SEC, "took %.1f s",
		      (double)(clock() - t0) / CLOCKS_PER_SEC);
	unlink(p);
}
END_TEST

START_TEST(test_size_limit)
{
	const char *p = repeat_file("# ", "x", CFG_MAX_FILE_SIZE - 3, "\n");

	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_ptr_null(strstr(r.err, "1 MiB"));	/* exactly 1 MiB */
	unlink(p);
	p = repeat_file("# ", "x", CFG_MAX_FILE_SIZE - 2, "\n");
	run_cellctl(&r, "config", "check", p, NULL);
	ck_assert_int_eq(r.status, 2);
	assert_err_at(p, " error: larger than 1048576 bytes (1 MiB): not a "
		      "config");
	unlink(p);
}
END_TEST

/* ---- standard input ---- */

START_TEST(test_stdin)
{
	ck_assert_ptr_nonnull(freopen(cell_path, "r", stdin));
	run_cellctl(&r, "config", "check", sys_path, "-", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "<stdin>: cell 'hello' is valid"));
	ck_assert_ptr_nonnull(freopen(cell_path, "r", stdin));
	run_cellctl(&r, "config", "check", "-", "-", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "<stdin>: error: standard input "
					    "was read already: give '-' "
					    "once"));
}
END_TEST

START_TEST(test_stdin_errors_have_positions)
{
	const char *p = write_temp(".yaml", "kind: cell\nname: x\ncpus: 1\n"
				   "memry: []\n");

	ck_assert_ptr_nonnull(freopen(p, "r", stdin));
	run_cellctl(&r, "config", "check", "-", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "<stdin>:4:1: error: unknown key "
					    "'memry'"));
	unlink(p);
}
END_TEST

START_TEST(test_stdin_compile_needs_output)
{
	const char *out = write_temp(".dtb", "");

	ck_assert_ptr_nonnull(freopen(cell_path, "r", stdin));
	run_cellctl(&r, "config", "compile", "-s", sys_path, "-", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "<stdin>: give -o OUT.dtb"));
	ck_assert_int_ne(access("<stdin>.dtb", F_OK), 0);
	ck_assert_ptr_nonnull(freopen(cell_path, "r", stdin));
	run_cellctl(&r, "config", "compile", "-q", "-s", sys_path, "-o", out,
		    "-", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(freopen(out, "r", stdin));
	run_cellctl(&r, "config", "check", "-q", "-", NULL);
	ck_assert_int_eq(r.status, 0);	/* a DTB on stdin works too */
	unlink(out);
}
END_TEST

static Suite *diag_suite(void)
{
	Suite *s = suite_create("tools-diagnostics");
	TCase *tc = tcase_create("diagnostics");

	tcase_add_test(tc, test_command_typo);
	tcase_add_test(tc, test_command_far_off);
	tcase_add_test(tc, test_global_option_typo);
	tcase_add_test(tc, test_kind_and_enum_typos);
	tcase_add_test(tc, test_duplicate_cpus);
	tcase_add_test(tc, test_no_follow_on_errors);
	tcase_add_test(tc, test_other_files_still_checked);
	tcase_add_test(tc, test_cell_named_root);
	tcase_add_loop_test(tc, test_cell_name_chars, 0,
			    sizeof(bad_names) / sizeof(bad_names[0]));
	tcase_add_test(tc, test_cell_name_good);
	tcase_add_test(tc, test_s_given_a_cell);
	tcase_add_test(tc, test_create_given_a_system);
	tcase_add_test(tc, test_dtb_unknown_property_named);
	tcase_add_test(tc, test_dtb_property_in_wrong_node);
	tcase_add_test(tc, test_dtb_props_all_known);
	tcase_add_test(tc, test_file_errors_have_lines);
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_deep_input_is_fast);
	tcase_add_test(tc, test_size_limit);
	tcase_add_test(tc, test_stdin);
	tcase_add_test(tc, test_stdin_errors_have_positions);
	tcase_add_test(tc, test_stdin_compile_needs_output);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(diag_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
