// SPDX-License-Identifier: GPL-2.0
/* Unit tests for tools/hints.c: what each errno tells the user to do, and the commands that print it. */
#include <check.h>
#include <errno.h>
#include <sys/stat.h>

#include <cellvisor/cell.h>
#include <cellvisor/header.h>
#include <cellvisor/ioctl.h>

#include TEST_HELPERS
#include "cfgtool.h"

static struct run_result r;

#define ck_has(text, want) \
	ck_assert_msg(strstr(text, want), "'%s' lacks '%s'", text, want)

static const struct {
	enum cellctl_op op;
	int err;
	const char *want;
} table_cases[] = {
	{ CELLCTL_OP_OPEN, ENOENT,
	  "cellvisor.ko is not loaded: modprobe cellvisor, or insmod "
	  "driver/cellvisor.ko in the source tree" },
	{ CELLCTL_OP_OPEN, EACCES, "run as root" },
	{ CELLCTL_OP_ENABLE, EPERM, "run as root" },
	{ CELLCTL_OP_CELL, EACCES, "run as root" },
	{ CELLCTL_OP_ENABLE, ENODEV, "no usable VT-x or AMD-V" },
	{ CELLCTL_OP_ENABLE, EBUSY, "held by another hypervisor (KVM)" },
	{ CELLCTL_OP_ENABLE, ENOEXEC, "for the other CPU vendor" },
	{ CELLCTL_OP_ENABLE, EPROTO, "use all three from one build" },
	{ CELLCTL_OP_CELL, EPROTO, "use all three from one build" },
	{ CELLCTL_OP_DISABLE, EINVAL, "the hypervisor is not enabled" },
	{ CELLCTL_OP_DISABLE, EBUSY, "cells exist: destroy them first" },
	{ CELLCTL_OP_CELL, ENODEV,
	  "not enabled: cellctl enable SYSTEM.yaml first" },
	{ CELLCTL_OP_CELL, ESRCH, "no cell of that name" },
	{ CELLCTL_OP_CELL, ENOEXEC, "cellctl load NAME IMAGE first" },
	{ CELLCTL_OP_CELL, EAGAIN, "the cell refused to shut down" },
	{ CELLCTL_OP_CELL, EAGAIN, "'cellctl destroy NAME' stops it" },
	{ CELLCTL_OP_CELL, EADDRINUSE, "System RAM that Linux uses" },
	{ CELLCTL_OP_CONSOLE, EINVAL, "the hypervisor refused the read" },
	{ CELLCTL_OP_STATS, ENOENT, "modprobe cellvisor" },
	{ CELLCTL_OP_STATS, ENODEV, "not enabled" },
	/* destroy and shm: their own entries, then the cell commands' */
	{ CELLCTL_OP_DESTROY, EBUSY, "holds the cell's shared memory" },
	{ CELLCTL_OP_DESTROY, ESRCH, "no cell of that name" },
	{ CELLCTL_OP_SHM, EACCES, "mark it 'shared: true'" },
	{ CELLCTL_OP_SHM, ENOENT, "no region of that name" },
	{ CELLCTL_OP_SHM, ESRCH, "no cell of that name" },
	{ CELLCTL_OP_SHM, EPERM, "run as root" },
	/* the same errno means another thing elsewhere */
	{ CELLCTL_OP_CELL, EBUSY, "a task pinned to it?" },
	{ CELLCTL_OP_ENABLE, EXDEV, "see dmesg and cellctl console" },
};

START_TEST(test_table)
{
	const char *hint = cellctl_hint(table_cases[_i].op, table_cases[_i].err);

	ck_has(hint, table_cases[_i].want);
}
END_TEST

/* EBUSY from enable is "already enabled" only when sysfs says so. */
START_TEST(test_enable_busy)
{
	char buf[256];

	ck_assert_str_eq(cellctl_enable_hint(EBUSY, 1, "s.yaml", 0, buf,
					     sizeof(buf)),
			 "the hypervisor is already enabled; run 'cellctl "
			 "disable' first");
	ck_has(cellctl_enable_hint(EBUSY, 0, "s.yaml", 0, buf, sizeof(buf)),
	       "held by another hypervisor");
	ck_has(cellctl_enable_hint(EBUSY, -1, "s.yaml", 0, buf, sizeof(buf)),
	       "held by another hypervisor");
	ck_has(cellctl_enable_hint(EINVAL, 1, "s.yaml", 0, buf, sizeof(buf)),
	       "refused the config or the machine");
}
END_TEST

/* ENOEXEC: the config is for the other vendor's machine, which it names. */
START_TEST(test_enable_vendor)
{
	char buf[256];

	ck_assert_str_eq(cellctl_enable_hint(ENOEXEC, 0, "b.yaml",
					     CFG_CPU_VENDOR_INTEL, buf,
					     sizeof(buf)),
			 "b.yaml is for an Intel VT-x machine (cpu-vendor: "
			 "intel), not for this CPU: use a system config "
			 "written for this machine; dmesg names it");
	ck_has(cellctl_enable_hint(ENOEXEC, 0, "q.yaml", CFG_CPU_VENDOR_AMD,
				   buf, sizeof(buf)),
	       "q.yaml is for an AMD-V machine (cpu-vendor: amd)");
	/* no vendor known (a config that did not load): the table's */
	ck_has(cellctl_enable_hint(ENOEXEC, 0, "q.yaml", CFG_CPU_VENDOR_OTHER,
				   buf, sizeof(buf)),
	       "for the other CPU vendor");
	/* a short buffer truncates, never overruns */
	buf[8] = 'X';
	cellctl_enable_hint(ENOEXEC, 0, "q.yaml", CFG_CPU_VENDOR_AMD, buf, 8);
	ck_assert_int_eq(strlen(buf), 7);
	ck_assert_int_eq(buf[8], 'X');
}
END_TEST

/* Disable refused for cells: they are named, so the user knows what to do. */
START_TEST(test_disable_names_cells)
{
	struct cellvisor_cell_info cells[2];
	char buf[256];

	memset(cells, 0, sizeof(cells));
	strcpy(cells[0].name, "rt");
	strcpy(cells[1].name, "hello");
	ck_assert_str_eq(cellctl_disable_hint(EBUSY, cells, 2, buf,
					      sizeof(buf)),
			 "destroy cell(s) 'rt', 'hello' first (cellctl list)");
	ck_assert_str_eq(cellctl_disable_hint(EBUSY, cells, 1, buf,
					      sizeof(buf)),
			 "destroy cell(s) 'rt' first (cellctl list)");
	ck_has(cellctl_disable_hint(EBUSY, cells, -1, buf, sizeof(buf)),
	       "cells exist: destroy them first (cellctl list)");
	ck_has(cellctl_disable_hint(EINVAL, cells, 0, buf, sizeof(buf)),
	       "the hypervisor is not enabled");
	buf[12] = 'X';
	cellctl_disable_hint(EBUSY, cells, 2, buf, 12);
	ck_assert_int_eq(strlen(buf), 11);
	ck_assert_int_eq(buf[12], 'X');
}
END_TEST

/*
 * Never with the module loaded (it is never loaded on a development
 * machine): every command that needs the driver says to load it.
 */
START_TEST(test_module_not_loaded)
{
	static const char *const want =
		"No such file or directory (cellvisor.ko is not loaded: "
		"modprobe cellvisor, or insmod driver/cellvisor.ko in the "
		"source tree)";
	struct stat st;

	if (!stat(CELLVISOR_DEVICE, &st))
		return;		/* not this machine's test */
	run_cellctl(&r, "enable", "-i", TOP_DIR "/hypervisor/cellvisor.bin",
		    TOP_DIR "/configs/x86/qemu-svm.yaml", NULL);
	ck_assert_int_eq(r.status, 1);
	ck_has(r.err, "cellctl: /dev/cellvisor: ");
	ck_has(r.err, want);
	run_cellctl(&r, "disable", NULL);
	ck_assert_int_eq(r.status, 1);
	ck_has(r.err, want);
	run_cellctl(&r, "list", NULL);
	ck_assert_int_eq(r.status, 1);
	ck_has(r.err, want);
	run_cellctl(&r, "console", NULL);
	ck_assert_int_eq(r.status, 1);
	ck_has(r.err, "cellctl: /dev/cellvisor-console: ");
	ck_has(r.err, want);
	run_cellctl(&r, "stats", "root", NULL);
	ck_assert_int_eq(r.status, 1);
	ck_has(r.err, "cellctl: stats root: ");
	ck_has(r.err, want);
}
END_TEST

/* A copy of the built image with its ABI major set to 99. */
static const char *image_of_abi_99(void)
{
	static char path[64];
	FILE *in = fopen(TOP_DIR "/hypervisor/cellvisor.bin", "rb");
	FILE *out;
	char *buf = malloc(CELLVISOR_MAX_IMAGE_SIZE);
	size_t n;

	ck_assert_msg(in, "no hypervisor/cellvisor.bin: run make first");
	n = fread(buf, 1, CELLVISOR_MAX_IMAGE_SIZE, in);
	fclose(in);
	((struct cellvisor_header *)buf)->abi_version = 99u << 16;
	snprintf(path, sizeof(path), "/tmp/cellctl-abi-%d.bin", (int)getpid());
	out = fopen(path, "wb");
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	fclose(out);
	free(buf);
	return path;
}

/* Images and configs are checked before the driver is asked anything. */
START_TEST(test_enable_checks_its_input)
{
	const char *abi = image_of_abi_99();
	const char *junk = write_temp(".bin", "not a hypervisor");
	char want[256];

	run_cellctl(&r, "enable", "-i", abi,
		    TOP_DIR "/configs/x86/qemu-svm.yaml", NULL);
	ck_assert_int_eq(r.status, 1);
	snprintf(want, sizeof(want), "cellctl: %s is a cellvisor image of ABI "
		 "99.0, this cellctl needs ABI %u.x: use "
		 "hypervisor/cellvisor.bin of the same build", abi,
		 CELLVISOR_ABI_MAJOR);
	ck_has(r.err, want);
	run_cellctl(&r, "enable", "-i", junk,
		    TOP_DIR "/configs/x86/qemu-svm.yaml", NULL);
	ck_assert_int_eq(r.status, 1);
	ck_has(r.err, "is not a cellvisor image (no valid header): give "
	       "hypervisor/cellvisor.bin with --image");
	run_cellctl(&r, "enable", "-i", TOP_DIR "/hypervisor/cellvisor.bin",
		    TOP_DIR "/configs/x86/hello-qemu.yaml", NULL);
	/* A config error: exit 2, as the man page says. */
	ck_assert_int_eq(r.status, 2);
	ck_has(r.err, "hello-qemu.yaml:4:1: error: enable takes a system "
	       "config (kind: system), but this is cell 'hello' (kind: cell): "
	       "a cell config goes to 'cellctl create'");
	/* none of these got as far as the device */
	ck_assert_ptr_null(strstr(r.err, "/dev/cellvisor"));
	unlink(abi);
	unlink(junk);
}
END_TEST

static Suite *hints_suite(void)
{
	Suite *s = suite_create("tools-hints");
	TCase *tc = tcase_create("hints");

	tcase_add_loop_test(tc, test_table, 0,
			    sizeof(table_cases) / sizeof(table_cases[0]));
	tcase_add_test(tc, test_enable_busy);
	tcase_add_test(tc, test_enable_vendor);
	tcase_add_test(tc, test_disable_names_cells);
	tcase_add_test(tc, test_module_not_loaded);
	tcase_add_test(tc, test_enable_checks_its_input);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hints_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
