// SPDX-License-Identifier: GPL-2.0
/* Unit tests for tools/image.c: raw, ELF and string segments, bounds checks. */
#include <check.h>
#include <elf.h>

#include "image.h"

#include TEST_HELPERS

static struct image_set set;
static char errbuf[4096];

/* Cell layout like hello-qemu.yaml plus a non-loadable page above it. */
static const struct image_region regs[] = {
	{ 0x0, 0x100000, 1, "ram", 0 },
	{ 0x100000, 0x1000, 0, "comm", 0 },
	{ 0x200000, 0x10000, 1, "ram2", 0 },
};

static FILE *err_open(void)
{
	return fmemopen(errbuf, sizeof(errbuf), "w");
}

static const char *write_bytes(const void *buf, size_t len)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/cellctl-image-%d.bin",
		 (int)getpid());
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
	return path;
}

/* An x86-64 executable: 16 bytes at 0x1000, 8 + 24 bss at 0x2000. */
struct test_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	unsigned char text[16];
	unsigned char data[8];
};

static void make_elf(struct test_elf *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
	e->eh.e_ident[EI_CLASS] = ELFCLASS64;
	e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e->eh.e_ident[EI_VERSION] = EV_CURRENT;
	e->eh.e_type = ET_EXEC;
	e->eh.e_machine = EM_X86_64;
	e->eh.e_phoff = offsetof(struct test_elf, ph);
	e->eh.e_phentsize = sizeof(Elf64_Phdr);
	e->eh.e_phnum = 3;
	e->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD,
		.p_offset = offsetof(struct test_elf, text),
		.p_paddr = 0x1000, .p_filesz = 16, .p_memsz = 16 };
	e->ph[1] = (Elf64_Phdr){ .p_type = PT_NOTE };
	e->ph[2] = (Elf64_Phdr){ .p_type = PT_LOAD,
		.p_offset = offsetof(struct test_elf, data),
		.p_paddr = 0x2000, .p_filesz = 8, .p_memsz = 32 };
	memset(e->text, 0x90, sizeof(e->text));
	memset(e->data, 0xab, sizeof(e->data));
}

static int add_file(const char *arg)
{
	FILE *err = err_open();
	int ret = image_add_file(&set, arg, err);

	fclose(err);
	return ret;
}

static int check(void)
{
	FILE *err = err_open();
	int ret = image_check(&set, regs, 3, err);

	fclose(err);
	return ret;
}

static void setup(void)
{
	image_set_init(&set);
	errbuf[0] = 0;
}

static void teardown(void)
{
	image_set_free(&set);
}

START_TEST(test_raw_default_address)
{
	const char *p = write_bytes("\xea\x00\x00\x00\x00", 5);

	ck_assert_int_eq(add_file(p), 0);
	ck_assert_uint_eq(set.n, 1);
	ck_assert_uint_eq(set.segs[0].addr, 0);
	ck_assert_uint_eq(set.segs[0].size, 5);
	ck_assert_int_eq(set.segs[0].data[0], 0xea);
	ck_assert_int_eq(check(), 0);
}
END_TEST

START_TEST(test_raw_at_address)
{
	char arg[128];

	snprintf(arg, sizeof(arg), "%s@0x200010", write_bytes("abc", 3));
	ck_assert_int_eq(add_file(arg), 0);
	ck_assert_uint_eq(set.segs[0].addr, 0x200010);
	ck_assert_int_eq(check(), 0);
}
END_TEST

START_TEST(test_bad_address)
{
	char arg[128];

	snprintf(arg, sizeof(arg), "%s@12zz", write_bytes("abc", 3));
	ck_assert_int_eq(add_file(arg), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "'12zz' is not an address"));
}
END_TEST

START_TEST(test_elf_segments)
{
	struct test_elf e;
	unsigned int i;

	make_elf(&e);
	ck_assert_int_eq(add_file(write_bytes(&e, sizeof(e))), 0);
	ck_assert_uint_eq(set.n, 2);
	ck_assert_uint_eq(set.segs[0].addr, 0x1000);
	ck_assert_uint_eq(set.segs[0].size, 16);
	ck_assert_int_eq(set.segs[0].data[15], 0x90);
	ck_assert_uint_eq(set.segs[1].addr, 0x2000);
	ck_assert_uint_eq(set.segs[1].size, 32);
	ck_assert_int_eq(set.segs[1].data[7], 0xab);
	for (i = 8; i < 32; i++)	/* .bss is zero */
		ck_assert_int_eq(set.segs[1].data[i], 0);
	ck_assert_int_eq(check(), 0);
}
END_TEST

START_TEST(test_elf_with_address_refused)
{
	struct test_elf e;
	char arg[128];

	make_elf(&e);
	snprintf(arg, sizeof(arg), "%s@0x1000", write_bytes(&e, sizeof(e)));
	ck_assert_int_eq(add_file(arg), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "loads at its own addresses"));
}
END_TEST

START_TEST(test_elf_wrong_machine)
{
	struct test_elf e;

	make_elf(&e);
	e.eh.e_machine = EM_AARCH64;
	ck_assert_int_eq(add_file(write_bytes(&e, sizeof(e))), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "not an x86 ELF executable"));
}
END_TEST

START_TEST(test_elf_truncated)
{
	struct test_elf e;

	make_elf(&e);
	ck_assert_int_eq(add_file(write_bytes(&e, 20)), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "truncated"));
}
END_TEST

START_TEST(test_elf_segment_outside_file)
{
	struct test_elf e;

	make_elf(&e);
	e.ph[2].p_filesz = 4096;
	e.ph[2].p_memsz = 4096;
	ck_assert_int_eq(add_file(write_bytes(&e, sizeof(e))), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "outside the file"));
}
END_TEST

START_TEST(test_missing_file)
{
	ck_assert_int_eq(add_file("/nonexistent/inmate.bin"), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "No such file"));
}
END_TEST

START_TEST(test_empty_file_is_no_image)
{
	ck_assert_int_eq(add_file(write_bytes("", 0)), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "not an ELF or raw image"));
}
END_TEST

START_TEST(test_too_big)
{
	static unsigned char big[0x100001];

	ck_assert_int_eq(add_file(write_bytes(big, sizeof(big))), 0);
	ck_assert_int_eq(check(), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "overlaps region comm, which is "
				      "not loadable"));
}
END_TEST

START_TEST(test_outside_all_regions)
{
	char arg[128];

	snprintf(arg, sizeof(arg), "%s@0x300000", write_bytes("abc", 3));
	ck_assert_int_eq(add_file(arg), 0);
	ck_assert_int_eq(check(), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "does not fit in the cell's "
				      "loadable memory"));
	ck_assert_ptr_nonnull(strstr(errbuf, "loadable: ram2 at "
				      "0x200000-0x20ffff"));
}
END_TEST

START_TEST(test_overlapping_segments)
{
	char arg[128];

	snprintf(arg, sizeof(arg), "%s@0x10", write_bytes("abcdef", 6));
	ck_assert_int_eq(add_file(arg), 0);
	snprintf(arg, sizeof(arg), "%s@0x14", write_bytes("xy", 2));
	ck_assert_int_eq(add_file(arg), 0);
	ck_assert_int_eq(check(), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "overlap"));
}
END_TEST

START_TEST(test_string_may_overwrite_image)
{
	char arg[128];

	snprintf(arg, sizeof(arg), "%s@0x10", write_bytes("abcdef", 6));
	ck_assert_int_eq(add_file(arg), 0);
	ck_assert_int_eq(image_add_string(&set, "hi@0x14", stderr), 0);
	ck_assert_int_eq(image_add_string(&set, "ho@0x15", stderr), 0);
	ck_assert_int_eq(check(), -1);	/* but two strings may not */
	ck_assert_ptr_nonnull(strstr(errbuf, "string 'hi' and string 'ho' "
				      "overlap"));
	set.n--;
	free(set.segs[set.n].data);
	ck_assert_int_eq(check(), 0);
}
END_TEST

START_TEST(test_string)
{
	ck_assert_int_eq(image_add_string(&set, "a@b@0x1000", stderr), 0);
	ck_assert_uint_eq(set.segs[0].addr, 0x1000);
	ck_assert_uint_eq(set.segs[0].size, 4);
	ck_assert_str_eq((char *)set.segs[0].data, "a@b");
	ck_assert_int_eq(check(), 0);
}
END_TEST

START_TEST(test_string_needs_address)
{
	FILE *err = err_open();

	ck_assert_int_eq(image_add_string(&set, "console=1", err), -1);
	fclose(err);
	ck_assert_ptr_nonnull(strstr(errbuf, "needs TEXT@ADDR"));
}
END_TEST

START_TEST(test_load_command_errors)
{
	struct run_result r;

	run_cellctl(&r, "load", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "give the cell name first"));
	run_cellctl(&r, "load", "hello", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "give at least one image"));
	run_cellctl(&r, "load", "hello", "/nonexistent.bin", NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent.bin: No such"));
	run_cellctl(&r, "load", "hello", "--string", "x", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "needs TEXT@ADDR"));
}
END_TEST

START_TEST(test_cell_commands_help_and_usage)
{
	static const char *const cmds[] = {
		"create", "load", "start", "shutdown", "destroy", "list",
		"stats",
	};
	struct run_result r;
	unsigned int i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		run_cellctl(&r, cmds[i], "--help", NULL);
		ck_assert_int_eq(r.status, 0);
		ck_assert_ptr_nonnull(strstr(r.out, "usage: cellctl"));
		ck_assert_ptr_nonnull(strstr(r.out, cmds[i]));
	}
	run_cellctl(&r, "start", NULL);
	ck_assert_int_eq(r.status, 2);
	run_cellctl(&r, "destroy", "a", "b", NULL);
	ck_assert_int_eq(r.status, 2);
	run_cellctl(&r, "stats", "hello", "0", NULL);
	ck_assert_int_eq(r.status, 2);
	run_cellctl(&r, "list", "x", NULL);
	ck_assert_int_eq(r.status, 2);
	run_cellctl(&r, "start",
		    "a-name-that-is-far-too-long-for-a-cell", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "is not a cell name"));
}
END_TEST

START_TEST(test_create_checks_config_first)
{
	struct run_result r;
	const char *cell = TOP_DIR "/configs/x86/hello-qemu.yaml";

	/*
	 * Without -s the running system config is needed: this host runs
	 * no hypervisor, and create says so before it reads the cell.
	 */
	run_cellctl(&r, "create", cell, NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "no -s SYSTEM given"));
	/* A system config where the cell belongs: refused before the driver. */
	run_cellctl(&r, "create", "-s", TOP_DIR "/configs/x86/qemu-svm.yaml",
		    TOP_DIR "/configs/x86/qemu-svm.yaml", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "create takes a cell config"));
	run_cellctl(&r, "create", "-s", TOP_DIR "/configs/x86/qemu-svm.yaml",
		    "-s", TOP_DIR "/configs/x86/qemu-svm.yaml", cell, NULL);
	ck_assert_int_eq(r.status, 2);
}
END_TEST

static Suite *image_suite(void)
{
	Suite *s = suite_create("tools-image");
	TCase *tc = tcase_create("image");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_raw_default_address);
	tcase_add_test(tc, test_raw_at_address);
	tcase_add_test(tc, test_bad_address);
	tcase_add_test(tc, test_elf_segments);
	tcase_add_test(tc, test_elf_with_address_refused);
	tcase_add_test(tc, test_elf_wrong_machine);
	tcase_add_test(tc, test_elf_truncated);
	tcase_add_test(tc, test_elf_segment_outside_file);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_empty_file_is_no_image);
	tcase_add_test(tc, test_too_big);
	tcase_add_test(tc, test_outside_all_regions);
	tcase_add_test(tc, test_overlapping_segments);
	tcase_add_test(tc, test_string_may_overwrite_image);
	tcase_add_test(tc, test_string);
	tcase_add_test(tc, test_string_needs_address);
	tcase_add_test(tc, test_load_command_errors);
	tcase_add_test(tc, test_cell_commands_help_and_usage);
	tcase_add_test(tc, test_create_checks_config_first);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(image_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
