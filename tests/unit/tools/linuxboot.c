// SPDX-License-Identifier: GPL-2.0
/* Unit tests for tools/linuxboot.c: bzImage header, placement, zero page, refusals. */
#include <check.h>

#include <cellvisor/config.h>

#include "linuxboot.h"

#include TEST_HELPERS

#define RAM	(CFG_MEM_READ | CFG_MEM_WRITE | CFG_MEM_EXECUTE | \
		 CFG_MEM_LOADABLE)

static struct image_set set;
static struct cellvisor_start_state start;
static struct mb_options opt;
static char errbuf[4096];
static unsigned char bz[4096];

/* 8 MiB of RAM at 0, a comm page above it. */
static const struct image_region regs[] = {
	{ 0x900000, 0x1000, 0, "comm", CFG_MEM_COMM_PAGE },
	{ 0x0, 0x800000, 1, "ram", RAM },
};

static void put32(unsigned int off, uint32_t v)
{
	memcpy(bz + off, &v, 4);
}

/* Relocatable, 2 MiB aligned, preferring 4 MiB, 1 MiB of init_size. */
static void make_bz(void)
{
	memset(bz, 0, sizeof(bz));
	bz[LB_SETUP_SECTS] = 1;			/* kernel from 1024 */
	bz[LB_BOOT_FLAG] = 0x55;
	bz[LB_BOOT_FLAG + 1] = 0xaa;
	bz[LB_JUMP_END] = 0x6a;			/* header up to 0x26c */
	memcpy(bz + LB_HEADER, "HdrS", 4);
	put32(LB_VERSION, 0x020f);
	bz[LB_LOADFLAGS] = LB_LOADED_HIGH;
	put32(LB_CODE32_START, 0x100000);
	put32(LB_INITRD_ADDR_MAX, 0x7fffffff);
	put32(LB_KERNEL_ALIGNMENT, 0x200000);
	bz[LB_RELOCATABLE] = 1;
	put32(LB_CMDLINE_SIZE, 32);
	put32(LB_PREF_ADDRESS, 0x400000);
	put32(LB_INIT_SIZE, 0x100000);
	memset(bz + 1024, 0xcc, sizeof(bz) - 1024);
}

static int load(void)
{
	char path[64];
	FILE *f, *err;
	int ret;

	snprintf(path, sizeof(path), "/tmp/cellctl-bz-%d", (int)getpid());
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bz, 1, sizeof(bz), f), sizeof(bz));
	fclose(f);
	err = fmemopen(errbuf, sizeof(errbuf), "w");
	ret = lb_load(&set, path, &opt, regs, 2, &start, err);
	fclose(err);
	return ret;
}

static const unsigned char *guest(uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < set.n; i++)
		if (set.segs[i].data && addr >= set.segs[i].addr &&
		    addr - set.segs[i].addr < set.segs[i].size)
			return set.segs[i].data + (addr - set.segs[i].addr);
	ck_abort_msg("nothing loaded at 0x%llx", (unsigned long long)addr);
	return NULL;
}

static uint32_t zp32(unsigned int off)
{
	uint32_t v;

	memcpy(&v, guest(start.esi) + off, 4);
	return v;
}

/* Entry I of an e820 table: address, size, type. */
static void ck_assert_e820(const unsigned char *t, unsigned int i,
			   uint64_t addr, uint64_t size, uint32_t type)
{
	uint64_t a, sz;
	uint32_t ty;

	memcpy(&a, t + i * 20, 8);
	memcpy(&sz, t + i * 20 + 8, 8);
	memcpy(&ty, t + i * 20 + 16, 4);
	ck_assert_uint_eq(a, addr);
	ck_assert_uint_eq(sz, size);
	ck_assert_uint_eq(ty, type);
}

static void setup(void)
{
	image_set_init(&set);
	memset(&opt, 0, sizeof(opt));
	memset(&start, 0, sizeof(start));
	errbuf[0] = 0;
	make_bz();
}

static void teardown(void)
{
	image_set_free(&set);
}

START_TEST(test_probe)
{
	ck_assert_int_eq(lb_probe(bz, sizeof(bz)), 1);
	bz[LB_HEADER] = 'X';
	ck_assert_int_eq(lb_probe(bz, sizeof(bz)), 0);
	ck_assert_int_eq(lb_probe(bz, 0x100), 0);
}
END_TEST

START_TEST(test_preferred_address)
{
	const unsigned char *zp, *e820;

	opt.cmdline = "console=ttyS0 quiet";
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(start.mode, CELLVISOR_START_FLAT32);
	ck_assert_uint_eq(start.entry, 0x400000);
	ck_assert_uint_eq(start.ebx | start.edi | start.ebp, 0);
	/* The file after the setup sectors, then room up to init_size. */
	ck_assert_uint_eq(set.segs[0].addr, 0x400000);
	ck_assert_uint_eq(set.segs[0].size, sizeof(bz) - 1024);
	ck_assert_int_eq(set.segs[0].data[0], 0xcc);
	ck_assert_int_eq(set.segs[1].reserve, 1);
	ck_assert_uint_eq(set.segs[1].addr + set.segs[1].size, 0x500000);
	/* Nothing of ours inside the kernel's room. */
	ck_assert_uint_ge(start.esi, 0x500000);
	zp = guest(start.esi);
	ck_assert_uint_eq(zp32(LB_VERSION) & 0xffff, 0x020f);
	ck_assert_int_eq(zp[LB_TYPE_OF_LOADER], 0xff);
	ck_assert_uint_eq(zp32(LB_CODE32_START), 0x400000);
	ck_assert_str_eq((const char *)guest(zp32(LB_CMD_LINE_PTR)),
			 "console=ttyS0 quiet");
	ck_assert_uint_eq(zp32(LB_RAMDISK_SIZE), 0);
	ck_assert_uint_eq(zp32(LB_ALT_MEM_K), 7 * 1024);
	/*
	 * e820: sorted; the RAM with the PC's legacy hole 0xa0000-0xfffff
	 * reserved, as a PC's firmware reports it; the comm page reserved.
	 */
	ck_assert_int_eq(zp[LB_E820_ENTRIES], 4);
	e820 = zp + LB_E820_TABLE;
	ck_assert_e820(e820, 0, 0x0, 0xa0000, 1);
	ck_assert_e820(e820, 1, 0xa0000, 0x60000, 2);
	ck_assert_e820(e820, 2, 0x100000, 0x700000, 1);
	ck_assert_e820(e820, 3, 0x900000, 0x1000, 2);
}
END_TEST

START_TEST(test_aligned_when_preferred_does_not_fit)
{
	put32(LB_PREF_ADDRESS, 0x10000000);
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(start.entry, 0x200000);	/* from 1 MiB, aligned */
}
END_TEST

START_TEST(test_fixed_kernel_at_1m)
{
	bz[LB_RELOCATABLE] = 0;
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(start.entry, 0x100000);
}
END_TEST

START_TEST(test_initrd)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/cellctl-bz-initrd-%d",
		 (int)getpid());
	f = fopen(path, "wb");
	fputs("an initrd", f);
	fclose(f);
	opt.modules[0] = path;
	opt.n_modules = 1;
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(zp32(LB_RAMDISK_SIZE), 9);
	ck_assert_mem_eq(guest(zp32(LB_RAMDISK_IMAGE)), "an initrd", 9);
	ck_assert_uint_eq(zp32(LB_RAMDISK_IMAGE) & 0xfff, 0);
}
END_TEST

/* ---- refusals ---- */

static void load_fails(const char *msg)
{
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(errbuf, msg), "'%s' not in '%s'", msg, errbuf);
}

START_TEST(test_old_protocol)
{
	put32(LB_VERSION, 0x0204);
	load_fails("Linux boot protocol 2.04 is too old");
}
END_TEST

START_TEST(test_not_bzimage)
{
	bz[LB_LOADFLAGS] = 0;
	load_fails("not a bzImage");
}
END_TEST

START_TEST(test_truncated)
{
	bz[LB_SETUP_SECTS] = 40;
	load_fails("the setup code (40 sectors) fills the whole file");
}
END_TEST

START_TEST(test_cell_too_small)
{
	put32(LB_INIT_SIZE, 0x1000000);
	load_fails("the kernel needs 0x1000000 bytes (its init_size)");
}
END_TEST

START_TEST(test_cmdline_too_long)
{
	opt.cmdline = "a command line longer than thirty-two characters";
	load_fails("the command line has 48 characters, the kernel takes 32");
}
END_TEST

START_TEST(test_one_initrd)
{
	opt.modules[0] = "/a";
	opt.modules[1] = "/b";
	opt.n_modules = 2;
	load_fails("a Linux kernel takes one initrd");
}
END_TEST

static Suite *linuxboot_suite(void)
{
	Suite *s = suite_create("tools-linuxboot");
	TCase *tc = tcase_create("linuxboot");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_probe);
	tcase_add_test(tc, test_preferred_address);
	tcase_add_test(tc, test_aligned_when_preferred_does_not_fit);
	tcase_add_test(tc, test_fixed_kernel_at_1m);
	tcase_add_test(tc, test_initrd);
	tcase_add_test(tc, test_old_protocol);
	tcase_add_test(tc, test_not_bzimage);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_cell_too_small);
	tcase_add_test(tc, test_cmdline_too_long);
	tcase_add_test(tc, test_one_initrd);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(linuxboot_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
