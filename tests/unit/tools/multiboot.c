// SPDX-License-Identifier: GPL-2.0
/* Unit tests for tools/multiboot.c: headers, loading, placement, the information structure. */
#include <check.h>
#include <elf.h>

#include <cellvisor/config.h>

#include "multiboot.h"

#include TEST_HELPERS

static struct image_set set;
static struct cellvisor_start_state start;
static struct mb_options opt;
static char errbuf[4096];

#define RW	(CFG_MEM_READ | CFG_MEM_WRITE | CFG_MEM_EXECUTE)

/* 1 MiB at 0 and 1 MiB at 1 MiB, loadable; a comm page above. */
static const struct image_region regs[] = {
	{ 0x100000, 0x100000, 1, "ram2", RW | CFG_MEM_LOADABLE },
	{ 0x300000, 0x1000, 0, "comm", CFG_MEM_COMM_PAGE },
	{ 0x0, 0x100000, 1, "ram", RW | CFG_MEM_LOADABLE },
};
#define N_REGS	3

/* An a.out-kludge image: the header at 0x40, loaded at 0x10000. */
struct test_aout {
	unsigned char pad[0x40];
	struct mb_header h;
	unsigned char code[0x100];
};

static void make_aout(struct test_aout *a, uint32_t flags)
{
	memset(a, 0, sizeof(*a));
	a->h.magic = MB_HEADER_MAGIC;
	a->h.flags = flags | MB_FLAG_AOUT_KLUDGE;
	a->h.checksum = -(a->h.magic + a->h.flags);
	a->h.header_addr = 0x10040;
	a->h.load_addr = 0x10000;
	a->h.load_end_addr = 0x10000 + sizeof(*a);
	a->h.bss_end_addr = 0x20000;	/* information goes above */
	a->h.entry_addr = 0x10080;
	memset(a->code, 0x90, sizeof(a->code));
}

static const char *write_file(const char *name, const void *buf, size_t len)
{
	static char paths[4][96];
	static unsigned int next;
	char *path = paths[next++ % 4];
	FILE *f;

	snprintf(path, sizeof(paths[0]), "/tmp/cellctl-mb-%d-%s",
		 (int)getpid(), name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
	return path;
}

static int load(const char *path)
{
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");
	int ret = mb_load(&set, path, &opt, regs, N_REGS, &start, err);

	fclose(err);
	return ret;
}

/* The bytes at guest @addr in whatever segment holds them. */
static const void *guest(uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < set.n; i++)
		if (addr >= set.segs[i].addr &&
		    addr - set.segs[i].addr < set.segs[i].size)
			return set.segs[i].data + (addr - set.segs[i].addr);
	ck_abort_msg("nothing loaded at 0x%llx", (unsigned long long)addr);
	return NULL;
}

static void setup(void)
{
	image_set_init(&set);
	memset(&opt, 0, sizeof(opt));
	memset(&start, 0, sizeof(start));
	errbuf[0] = 0;
}

static void teardown(void)
{
	image_set_free(&set);
}

START_TEST(test_probe)
{
	struct test_aout a;
	unsigned char late[8192 + 16] = { 0 };
	uint32_t magic = MB_HEADER_MAGIC;

	make_aout(&a, 0);
	ck_assert_int_eq(mb_probe((void *)&a, sizeof(a)), 1);
	ck_assert_int_eq(mb_probe((void *)"plain raw image", 15), 0);
	/* Beyond the first 8 KiB, or not 4-byte aligned: no header. */
	memcpy(late + 8192, &magic, 4);
	ck_assert_int_eq(mb_probe(late, sizeof(late)), 0);
	memset(late, 0, sizeof(late));
	memcpy(late + 2, &magic, 4);
	ck_assert_int_eq(mb_probe(late, sizeof(late)), 0);
}
END_TEST

START_TEST(test_aout_kludge)
{
	const struct mb_info *mbi;
	struct test_aout a;

	make_aout(&a, MB_FLAG_PAGE_ALIGN | MB_FLAG_MEMORY_INFO);
	ck_assert_int_eq(load(write_file("aout", &a, sizeof(a))), 0);
	ck_assert_uint_eq(set.segs[0].addr, 0x10000);
	ck_assert_uint_eq(set.segs[0].size, 0x10000);	/* up to bss_end */
	ck_assert_int_eq(set.segs[0].data[0x80], 0x90);
	ck_assert_int_eq(set.segs[0].data[sizeof(a)], 0);	/* bss */
	ck_assert_uint_eq(start.mode, CELLVISOR_START_FLAT32);
	ck_assert_uint_eq(start.entry, 0x10080);
	ck_assert_uint_eq(start.eax, MB_BOOT_MAGIC);
	/* The information lies above the image, page aligned. */
	ck_assert_uint_eq(start.ebx, 0x20000);
	mbi = guest(start.ebx);
	ck_assert_uint_eq(mbi->flags & 0x24d, 0x24d);
	ck_assert_uint_eq(mbi->mem_lower, 640);
	ck_assert_uint_eq(mbi->mem_upper, 1024);
	ck_assert_str_eq(guest(mbi->cmdline), "");
	ck_assert_uint_eq(mbi->mods_count, 0);
}
END_TEST

START_TEST(test_memory_map)
{
	const struct mb_mmap_entry *e;
	const struct mb_info *mbi;
	struct test_aout a;

	make_aout(&a, 0);
	ck_assert_int_eq(load(write_file("map", &a, sizeof(a))), 0);
	mbi = guest(start.ebx);
	ck_assert_uint_eq(mbi->mmap_length, 3 * 24);
	e = guest(mbi->mmap_addr);
	/* Sorted by address whatever the config's order. */
	ck_assert_uint_eq(e[0].size, 20);
	ck_assert_uint_eq(e[0].base_addr, 0);
	ck_assert_uint_eq(e[0].length, 0x100000);
	ck_assert_uint_eq(e[0].type, MB_MMAP_RAM);
	ck_assert_uint_eq(e[1].base_addr, 0x100000);
	ck_assert_uint_eq(e[1].type, MB_MMAP_RAM);
	ck_assert_uint_eq(e[2].base_addr, 0x300000);
	ck_assert_uint_eq(e[2].length, 0x1000);
	ck_assert_uint_eq(e[2].type, MB_MMAP_RESERVED);
}
END_TEST

START_TEST(test_cmdline_and_modules)
{
	char m1[5000], arg[160];
	const struct mb_module *mods;
	const struct mb_info *mbi;
	struct test_aout a;

	memset(m1, 'x', sizeof(m1));
	make_aout(&a, MB_FLAG_PAGE_ALIGN);
	opt.cmdline = "root=none quiet";
	opt.modules[0] = write_file("m0", "module zero", 11);
	snprintf(arg, sizeof(arg), "%s,initrd with words",
		 write_file("m1", m1, sizeof(m1)));
	opt.modules[1] = arg;
	opt.n_modules = 2;
	ck_assert_int_eq(load(write_file("cmd", &a, sizeof(a))), 0);
	mbi = guest(start.ebx);
	ck_assert_str_eq(guest(mbi->cmdline), "root=none quiet");
	ck_assert_uint_eq(mbi->mods_count, 2);
	mods = guest(mbi->mods_addr);
	/* Page aligned, beside the image and each other. */
	ck_assert_uint_eq(mods[0].mod_start, 0x20000);
	ck_assert_uint_eq(mods[0].mod_end, 0x20000 + 11);
	ck_assert_uint_eq(mods[1].mod_start, 0x21000);
	ck_assert_uint_eq(mods[1].mod_end - mods[1].mod_start, sizeof(m1));
	ck_assert_mem_eq(guest(mods[0].mod_start), "module zero", 11);
	ck_assert_str_eq(guest(mods[0].string), opt.modules[0]);
	ck_assert_str_eq(guest(mods[1].string), "initrd with words");
	ck_assert_uint_eq(start.ebx, 0x23000);
}
END_TEST

START_TEST(test_elf_by_program_headers)
{
	struct {
		Elf32_Ehdr eh;
		Elf32_Phdr ph;
		struct mb_header h;
		unsigned char code[16];
	} e;

	memset(&e, 0, sizeof(e));
	memcpy(e.eh.e_ident, ELFMAG, SELFMAG);
	e.eh.e_ident[EI_CLASS] = ELFCLASS32;
	e.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e.eh.e_type = ET_EXEC;
	e.eh.e_machine = EM_386;
	e.eh.e_entry = 0x100000 + offsetof(typeof(e), code);
	e.eh.e_phoff = offsetof(typeof(e), ph);
	e.eh.e_phentsize = sizeof(Elf32_Phdr);
	e.eh.e_phnum = 1;
	e.ph = (Elf32_Phdr){ .p_type = PT_LOAD, .p_paddr = 0x100000,
			     .p_filesz = sizeof(e), .p_memsz = 0x3000 };
	e.h.magic = MB_HEADER_MAGIC;
	e.h.flags = MB_FLAG_MEMORY_INFO;
	e.h.checksum = -(e.h.magic + e.h.flags);
	ck_assert_int_eq(load(write_file("elf", &e, sizeof(e))), 0);
	ck_assert_uint_eq(set.segs[0].addr, 0x100000);
	ck_assert_uint_eq(set.segs[0].size, 0x3000);
	ck_assert_uint_eq(start.entry, e.eh.e_entry);
	/* Above the image (its .bss too). */
	ck_assert_uint_eq(start.ebx, 0x103000);
}
END_TEST

/* ---- bad images: a clear error and nothing to load ---- */

static void load_fails(const void *buf, size_t len, const char *msg)
{
	ck_assert_int_eq(load(write_file("bad", buf, len)), -1);
	ck_assert_msg(strstr(errbuf, msg), "'%s' not in '%s'", msg, errbuf);
}

START_TEST(test_truncated_header)
{
	struct test_aout a;

	make_aout(&a, 0);
	load_fails(&a, offsetof(struct test_aout, h) + 8, "truncated Multiboot "
		   "header");
	load_fails(&a, offsetof(struct test_aout, h) + 20, "truncated "
		   "Multiboot header");
}
END_TEST

START_TEST(test_bad_checksum)
{
	struct test_aout a;

	make_aout(&a, 0);
	a.h.checksum++;
	load_fails(&a, sizeof(a), "bad checksum");
}
END_TEST

START_TEST(test_unsupported_flags)
{
	struct test_aout a;

	make_aout(&a, MB_FLAG_VIDEO_MODE);
	load_fails(&a, sizeof(a), "video mode (flag 2)");
	make_aout(&a, 1u << 7);
	load_fails(&a, sizeof(a), "(flags 0x80)");
	/* Unknown optional bits (16-31) are no reason to refuse. */
	make_aout(&a, 1u << 20);
	ck_assert_int_eq(load(write_file("opt", &a, sizeof(a))), 0);
}
END_TEST

START_TEST(test_not_elf_without_addresses)
{
	struct test_aout a;

	make_aout(&a, 0);
	a.h.flags = 0;
	a.h.checksum = -a.h.magic;
	load_fails(&a, sizeof(a), "needs the address fields (flag 16)");
}
END_TEST

START_TEST(test_segment_outside_loadable_memory)
{
	struct test_aout a;

	make_aout(&a, 0);
	a.h.header_addr = 0x300040;	/* the comm page */
	a.h.load_addr = 0x300000;
	a.h.load_end_addr = 0x300000 + sizeof(a);
	a.h.bss_end_addr = 0;
	a.h.entry_addr = 0x300080;
	load_fails(&a, sizeof(a), "overlaps region comm, which is not "
		   "loadable");
}
END_TEST

START_TEST(test_image_larger_than_cell)
{
	struct test_aout a;

	make_aout(&a, 0);
	a.h.bss_end_addr = 0x10000 + (3u << 20);
	load_fails(&a, sizeof(a), "is larger than all the cell's loadable "
		   "memory (0x200000 bytes)");
}
END_TEST

START_TEST(test_entry_outside_image)
{
	struct test_aout a;

	make_aout(&a, 0);
	a.h.entry_addr = 0x90000;
	load_fails(&a, sizeof(a), "entry point 0x90000 lies outside the "
		   "loaded image");
}
END_TEST

START_TEST(test_module_does_not_fit)
{
	static char big[0x180000];
	struct test_aout a;

	make_aout(&a, 0);
	opt.modules[0] = write_file("big", big, sizeof(big));
	opt.n_modules = 1;
	load_fails(&a, sizeof(a), "(0x180000 bytes) does not fit in the "
		   "cell's loadable memory beside the image");
	teardown();
	setup();
	opt.modules[0] = "/nonexistent-module";
	opt.n_modules = 1;
	load_fails(&a, sizeof(a), "/nonexistent-module: No such file");
}
END_TEST

START_TEST(test_load_command_line)
{
	struct test_aout a;
	struct run_result r;
	const char *mb;

	make_aout(&a, 0);
	mb = write_file("cmdline", &a, sizeof(a));
	run_cellctl(&r, "load", "hello", TOP_DIR "/LICENSE", "--cmdline", "x",
		    NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "for Multiboot and Linux images"));
	run_cellctl(&r, "load", "hello", mb, TOP_DIR "/LICENSE", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "it loads alone"));
	run_cellctl(&r, "load", "--help", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "--module FILE[,STRING]"));
}
END_TEST

static Suite *multiboot_suite(void)
{
	Suite *s = suite_create("tools-multiboot");
	TCase *tc = tcase_create("multiboot");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_probe);
	tcase_add_test(tc, test_aout_kludge);
	tcase_add_test(tc, test_memory_map);
	tcase_add_test(tc, test_cmdline_and_modules);
	tcase_add_test(tc, test_elf_by_program_headers);
	tcase_add_test(tc, test_truncated_header);
	tcase_add_test(tc, test_bad_checksum);
	tcase_add_test(tc, test_unsupported_flags);
	tcase_add_test(tc, test_not_elf_without_addresses);
	tcase_add_test(tc, test_segment_outside_loadable_memory);
	tcase_add_test(tc, test_image_larger_than_cell);
	tcase_add_test(tc, test_entry_outside_image);
	tcase_add_test(tc, test_module_does_not_fit);
	tcase_add_test(tc, test_load_command_line);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(multiboot_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
