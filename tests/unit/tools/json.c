// SPDX-License-Identifier: GPL-2.0
/* Unit tests for cellctl's --json output: parsed back with json-c. */
#include <check.h>
#include <errno.h>

#include <cellvisor/cell.h>

#include "json_out.h"
#include "stats_root.h"

#include TEST_HELPERS

static struct run_result r;

/* Renders O the way cellctl prints it and parses that text back. */
static json_object *round_trip(json_object *o)
{
	FILE *f = tmpfile();
	static char text[65536];
	json_object *back;

	ck_assert_int_eq(cellctl_json_print(o, f), 0);
	slurp(f, text, sizeof(text));
	back = json_tokener_parse(text);
	ck_assert_msg(back, "not JSON: %s", text);
	return back;
}

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no '%s'", key);
	return v;
}

static void set_cpu(uint64_t *bitmap, unsigned int cpu)
{
	bitmap[cpu / 64] |= 1ull << (cpu % 64);
}

START_TEST(test_list_root_and_cells)
{
	struct cellvisor_cell_info cells[2] = { 0 };
	uint64_t root[CELLVISOR_CELL_MAX_CPUS / 64] = { 0 };
	json_object *o, *list, *c;

	set_cpu(root, 0);
	set_cpu(root, 3);
	cells[0].id = 1;
	cells[0].state = CELLVISOR_CELL_RUNNING;
	strcpy(cells[0].name, "hello");
	set_cpu(cells[0].cpus, 1);
	set_cpu(cells[0].cpus, 130);
	cells[0].mem_bytes = 1 << 20;
	cells[1].id = 7;
	cells[1].state = CELLVISOR_CELL_FAILED;
	strcpy(cells[1].name, "q\"uo\\te");
	strcpy(cells[1].reason, "triple fault\n\"at\" 0x10");
	o = round_trip(cellctl_json_list(1, root, cells, 2));
	ck_assert(json_object_get_boolean(member(member(o, "hypervisor"),
						 "enabled")));
	list = member(o, "cells");
	ck_assert_int_eq(json_object_array_length(list), 3);
	c = json_object_array_get_idx(list, 0);
	ck_assert_int_eq(json_object_get_int(member(c, "id")), 0);
	ck_assert_str_eq(json_object_get_string(member(c, "name")), "root");
	ck_assert_str_eq(json_object_get_string(member(c, "state")),
			 "running");
	ck_assert_int_eq(json_object_array_length(member(c, "cpus")), 2);
	ck_assert_int_eq(json_object_get_int(json_object_array_get_idx(
		member(c, "cpus"), 1)), 3);
	ck_assert_ptr_null(member(c, "memory_bytes"));
	c = json_object_array_get_idx(list, 1);
	ck_assert_int_eq(json_object_get_int(json_object_array_get_idx(
		member(c, "cpus"), 1)), 130);
	ck_assert_uint_eq(json_object_get_uint64(member(c, "memory_bytes")),
			  1 << 20);
	ck_assert_ptr_null(member(c, "reason"));
	c = json_object_array_get_idx(list, 2);
	ck_assert_int_eq(json_object_get_int(member(c, "id")), 7);
	ck_assert_str_eq(json_object_get_string(member(c, "name")),
			 "q\"uo\\te");
	ck_assert_str_eq(json_object_get_string(member(c, "state")),
			 cellvisor_cell_state_name(CELLVISOR_CELL_FAILED));
	ck_assert_str_eq(json_object_get_string(member(c, "reason")),
			 "triple fault\n\"at\" 0x10");
	json_object_put(o);
}
END_TEST

/* A name that fills its field has no NUL: it must not run over. */
START_TEST(test_list_full_name)
{
	struct cellvisor_cell_info cell = { 0 };
	json_object *o, *c;

	memset(cell.name, 'n', sizeof(cell.name));
	memset(cell.reason, 'r', sizeof(cell.reason));
	o = round_trip(cellctl_json_list(1, cell.cpus, &cell, 1));
	c = json_object_array_get_idx(member(o, "cells"), 1);
	ck_assert_int_eq(json_object_get_string_len(member(c, "name")),
			 CELLVISOR_CELL_NAME_LEN);
	ck_assert_int_eq(json_object_get_string_len(member(c, "reason")),
			 CELLVISOR_CELL_REASON_LEN);
	json_object_put(o);
}
END_TEST

START_TEST(test_list_disabled)
{
	uint64_t root[CELLVISOR_CELL_MAX_CPUS / 64] = { 1 };
	json_object *o;

	o = round_trip(cellctl_json_list(0, root, NULL, 0));
	ck_assert(!json_object_get_boolean(member(member(o, "hypervisor"),
						  "enabled")));
	ck_assert_int_eq(json_object_array_length(member(o, "cells")), 0);
	json_object_put(o);
	o = round_trip(cellctl_json_list(-1, root, NULL, 0));
	ck_assert_ptr_null(member(member(o, "hypervisor"), "enabled"));
	json_object_put(o);
}
END_TEST

START_TEST(test_stats_json)
{
	struct stats_out so;
	FILE *f = tmpfile();
	static char text[65536];
	json_object *o, *cpus, *e;

	stats_out_begin(&so, f, 1, "hello", 0.5);
	stats_out_row(&so, 1, "pio", 10, 20);
	stats_out_row(&so, 1, "hlt", 3, 6);
	stats_out_row(&so, 4, "pio", 18446744073709551615ull, 0);
	stats_out_faults(&so, 7, 2);
	ck_assert_int_eq(stats_out_end(&so), 0);
	slurp(f, text, sizeof(text));
	o = json_tokener_parse(text);
	ck_assert_msg(o, "not JSON: %s", text);
	ck_assert_str_eq(json_object_get_string(member(o, "cell")), "hello");
	ck_assert(json_object_get_double(member(o, "interval_seconds")) ==
		  0.5);
	cpus = member(o, "cpus");
	ck_assert_int_eq(json_object_array_length(cpus), 2);
	e = json_object_array_get_idx(cpus, 0);
	ck_assert_int_eq(json_object_get_int(member(e, "cpu")), 1);
	e = member(e, "exits");
	ck_assert_uint_eq(json_object_get_uint64(member(member(e, "hlt"),
							"total")), 3);
	ck_assert_uint_eq(json_object_get_uint64(member(member(e, "pio"),
							"per_second")), 20);
	e = json_object_array_get_idx(cpus, 1);
	ck_assert_int_eq(json_object_get_int(member(e, "cpu")), 4);
	ck_assert_uint_eq(json_object_get_uint64(member(member(member(e,
		"exits"), "pio"), "total")), 18446744073709551615ull);
	e = member(o, "dma_faults");
	ck_assert_uint_eq(json_object_get_uint64(member(e, "total")), 7);
	ck_assert_uint_eq(json_object_get_uint64(member(e, "per_second")), 2);
	json_object_put(o);
}
END_TEST

/* The text table of one msr row and @faults DMA faults (1 a second). */
static void stats_text(uint64_t faults, char *text, size_t size)
{
	struct stats_out so;
	FILE *f = tmpfile();

	stats_out_begin(&so, f, 0, "hello", 1);
	stats_out_row(&so, 2, "msr", 5, 1);
	stats_out_faults(&so, faults, 1);
	ck_assert_int_eq(stats_out_end(&so), 0);
	slurp(f, text, size);
}

/* DMA faults get a row of their own, only when there are any. */
START_TEST(test_stats_text_unchanged)
{
	char text[256];

	stats_text(0, text, sizeof(text));
	ck_assert_str_eq(text, "EXIT        CPU          TOTAL   PER-SECOND\n"
			 "msr           2              5            1\n");
	stats_text(3, text, sizeof(text));
	ck_assert_str_eq(text, "EXIT        CPU          TOTAL   PER-SECOND\n"
			 "msr           2              5            1\n"
			 "dma-faults    -              3            1\n");
}
END_TEST

START_TEST(test_cpulist)
{
	uint64_t b[4];

	ck_assert_int_eq(cellctl_parse_cpulist("0,2-3,130\n", b, 256), 0);
	ck_assert_uint_eq(b[0], 0xd);
	ck_assert_uint_eq(b[2], 4);
	ck_assert_int_eq(cellctl_parse_cpulist("0\n", b, 256), 0);
	ck_assert_uint_eq(b[0], 1);
	ck_assert_int_eq(cellctl_parse_cpulist("3-1", b, 256), -EINVAL);
	ck_assert_int_eq(cellctl_parse_cpulist("0-", b, 256), -EINVAL);
	ck_assert_int_eq(cellctl_parse_cpulist("256", b, 256), -EINVAL);
	ck_assert_int_eq(cellctl_parse_cpulist("1;2", b, 256), -EINVAL);
}
END_TEST

static int count_severity(json_object *list, const char *severity)
{
	size_t i;
	int n = 0;

	for (i = 0; i < json_object_array_length(list); i++)
		n += !strcmp(json_object_get_string(member(
			json_object_array_get_idx(list, i), "severity")),
			severity);
	return n;
}

static const char sys_yaml[] = TOP_DIR "/configs/x86/qemu-svm.yaml";
static const char cell_yaml[] = TOP_DIR "/configs/x86/hello-qemu.yaml";

START_TEST(test_check_json_valid)
{
	json_object *o, *f;

	run_cellctl(&r, "config", "check", "--json", sys_yaml, cell_yaml,
		    NULL);
	ck_assert_int_eq(r.status, 0);
	o = json_tokener_parse(r.out);
	ck_assert_msg(o, "not JSON: %s", r.out);
	ck_assert(json_object_get_boolean(member(o, "valid")));
	ck_assert_int_eq(json_object_get_int(member(o, "errors")), 0);
	f = json_object_array_get_idx(member(o, "files"), 1);
	ck_assert_str_eq(json_object_get_string(member(f, "path")), cell_yaml);
	ck_assert_str_eq(json_object_get_string(member(f, "kind")), "cell");
	ck_assert_str_eq(json_object_get_string(member(f, "name")), "hello");
	/* The placement note and the console warning are in the list. */
	ck_assert_int_eq(json_object_get_int(member(o, "warnings")),
			 count_severity(member(o, "diagnostics"), "warning"));
	ck_assert_int_ge(count_severity(member(o, "diagnostics"), "note"), 1);
	json_object_put(o);
}
END_TEST

START_TEST(test_check_json_errors)
{
	const char *bad = write_temp(".yaml", "kind: cell\nname: \"x\\\"y\"\n"
				     "cpus: 1\nmemry: []\n");
	json_object *o, *dg, *f;

	run_cellctl(&r, "config", "check", "--json", bad, NULL);
	ck_assert_int_eq(r.status, 2);
	o = json_tokener_parse(r.out);
	ck_assert_msg(o, "not JSON: %s", r.out);
	ck_assert(!json_object_get_boolean(member(o, "valid")));
	ck_assert_int_ge(json_object_get_int(member(o, "errors")), 1);
	f = json_object_array_get_idx(member(o, "files"), 0);
	ck_assert_str_eq(json_object_get_string(member(f, "name")), "x\"y");
	dg = json_object_array_get_idx(member(o, "diagnostics"), 0);
	ck_assert_str_eq(json_object_get_string(member(dg, "severity")),
			 "error");
	ck_assert_str_eq(json_object_get_string(member(dg, "file")), bad);
	ck_assert_int_eq(json_object_get_int(member(dg, "line")), 4);
	ck_assert_int_eq(json_object_get_int(member(dg, "column")), 1);
	ck_assert_ptr_nonnull(strstr(json_object_get_string(member(dg,
		"message")), "did you mean 'memory'?"));
	/* Nothing but the summary on stderr: the messages are in the JSON. */
	ck_assert_ptr_null(strstr(r.err, "memry"));
	json_object_put(o);
	unlink(bad);
}
END_TEST

START_TEST(test_check_json_unreadable)
{
	json_object *o, *f, *dg;

	run_cellctl(&r, "config", "check", "--json", "/nonexistent.yaml",
		    NULL);
	ck_assert_int_eq(r.status, 2);
	o = json_tokener_parse(r.out);
	ck_assert_msg(o, "not JSON: %s", r.out);
	f = json_object_array_get_idx(member(o, "files"), 0);
	ck_assert_ptr_null(member(f, "kind"));
	dg = json_object_array_get_idx(member(o, "diagnostics"), 0);
	ck_assert_ptr_null(member(dg, "line"));
	json_object_put(o);
}
END_TEST

START_TEST(test_json_only_where_offered)
{
	run_cellctl(&r, "config", "show", "--json", cell_yaml, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown option '--json'"));
}
END_TEST

/* --json is taken anywhere; what is left is checked as without it. */
START_TEST(test_json_flag_arguments)
{
	run_cellctl(&r, "list", "--json", "x", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "unexpected argument 'x'"));
	ck_assert_str_eq(r.out, "");
	run_cellctl(&r, "stats", "--json", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "give one cell name"));
	run_cellctl(&r, "stats", "hello", "--json", "0", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "'0' is not a number of seconds"));
	run_cellctl(&r, "list", "--help", "--json", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "list [--json]"));
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("tools-json");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, test_list_root_and_cells);
	tcase_add_test(tc, test_list_full_name);
	tcase_add_test(tc, test_list_disabled);
	tcase_add_test(tc, test_stats_json);
	tcase_add_test(tc, test_stats_text_unchanged);
	tcase_add_test(tc, test_cpulist);
	tcase_add_test(tc, test_check_json_valid);
	tcase_add_test(tc, test_check_json_errors);
	tcase_add_test(tc, test_check_json_unreadable);
	tcase_add_test(tc, test_json_only_where_offered);
	tcase_add_test(tc, test_json_flag_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(json_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
