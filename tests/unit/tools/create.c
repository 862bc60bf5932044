// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for "cellctl config create": a machine is a directory with
 * the proc/ and sys/ files Linux would show (the QEMU q35 machine's, as
 * the guest printed them), ACPI tables built here byte by byte.
 */
#include <check.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfgtool.h"
#include "cfg_machine.h"
#include TEST_HELPERS

static char root[128];

static const char qemu_iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000c0000-000c05ff : Video ROM\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-2fffffff : System RAM\n"
	"  1ce00000-1dc01d31 : Kernel code\n"
	"30000000-3bffffff : Reserved\n"
	"3c000000-3ffdffff : System RAM\n"
	"3ffe0000-3fffffff : Reserved\n"
	"40000000-afffffff : PCI Bus 0000:00\n"
	"b0000000-bfffffff : PCI MMCONFIG 0000 [bus 00-ff]\n"
	"  b0000000-bfffffff : Reserved\n"
	"c0000000-febfffff : PCI Bus 0000:00\n"
	"  febff000-febfffff : 0000:00:1f.2\n"
	"fec00000-fec003ff : IOAPIC 0\n"
	"fed00000-fed003ff : HPET 0\n"
	"fed1c000-fed1ffff : Reserved\n"
	"fed90000-fed90fff : dmar0\n"
	"fee00000-fee00fff : Local APIC\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-8ffffffff : PCI Bus 0000:00\n";

static const char qemu_cmdline[] =
	"console=ttyS0,115200 quiet memmap=0xc000000$0x30000000\n";

static void put_file(const char *rel, const void *data, size_t len)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = 0;
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void put_text(const char *rel, const char *text)
{
	put_file(rel, text, strlen(text));
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = v >> (8 * i);
}

/* An ACPI table: the 36-byte header with SIG and LEN, then BODY. */
static void put_acpi(const char *sig, const unsigned char *body, size_t len)
{
	unsigned char t[512] = { 0 };
	char rel[64];

	memcpy(t, sig, 4);
	put_le(t + 4, 36 + len, 4);
	memcpy(t + 36, body, len);
	snprintf(rel, sizeof(rel), "sys/firmware/acpi/tables/%s", sig);
	put_file(rel, t, 36 + len);
}

static void put_mcfg(uint64_t base, int start_bus, int end_bus)
{
	unsigned char b[24] = { 0 };

	put_le(b + 8, base, 8);
	b[8 + 10] = start_bus;
	b[8 + 11] = end_bus;
	put_acpi("MCFG", b, sizeof(b));
}

/* MADT: LAPIC address and flags, one local APIC, IOAPICs (id, base, gsi). */
static void put_madt(int n, const uint32_t (*ioapic)[3])
{
	unsigned char b[8 + 8 + 12 * 4] = { 0 };
	unsigned char *e = b + 16;
	int i;

	put_le(b, 0xfee00000, 4);
	b[8] = 0;	/* processor local APIC */
	b[9] = 8;
	for (i = 0; i < n; i++, e += 12) {
		e[0] = 1;
		e[1] = 12;
		e[2] = ioapic[i][0];
		put_le(e + 4, ioapic[i][1], 4);
		put_le(e + 8, ioapic[i][2], 4);
	}
	put_acpi("APIC", b, 16 + 12 * n);
}

/*
 * DMAR with one DRHD (flags, size 0: one page, segment 0, BASE) and the
 * device scopes SCOPE of N bytes, as they are: the DRHD's length covers
 * them, whatever lengths they claim.
 */
static void put_dmar_scopes(uint64_t base, const unsigned char *scope,
			    size_t n)
{
	unsigned char b[12 + 16 + 128] = { 0 };

	ck_assert_uint_le(n, 128);
	b[0] = 47;
	put_le(b + 12 + 2, 16 + n, 2);
	put_le(b + 12 + 8, base, 8);
	memcpy(b + 12 + 16, scope, n);
	put_acpi("DMAR", b, 12 + 16 + n);
}

/* q35's: an IOAPIC scope (type 3, id 0) at bus 0xff, path 00.0. */
static void put_dmar(uint64_t base)
{
	static const unsigned char q35[] = { 3, 8, 0, 0, 0, 0xff, 0, 0 };

	put_dmar_scopes(base, q35, sizeof(q35));
}

static void put_machine(const char *vendor, const char *iomem,
			const char *cmdline)
{
	char cpuinfo[256];
	static const uint32_t ioapic[1][3] = { { 0, 0xfec00000, 0 } };

	snprintf(cpuinfo, sizeof(cpuinfo), "processor\t: 0\nvendor_id\t: %s\n"
		 "flags\t\t: fpu apic svm npt\n", vendor);
	put_text("proc/cpuinfo", cpuinfo);
	put_text("proc/iomem", iomem);
	put_text("proc/cmdline", cmdline);
	put_text("proc/sys/kernel/hostname", "Test Box_1\n");
	put_text("sys/devices/system/cpu/present", "0-3\n");
	put_text("sys/class/tty/ttyS0/type", "4\n");
	put_text("sys/class/tty/ttyS0/port", "0x3F8\n");
	put_text("sys/bus/pci/devices/0000:00:1f.2/vendor", "0x8086\n");
	put_text("sys/bus/pci/devices/0000:00:1f.2/device", "0x2922\n");
	put_text("sys/bus/pci/devices/0000:00:1f.2/class", "0x010601\n");
	put_mcfg(0xb0000000, 0, 255);
	put_madt(1, ioapic);
	put_dmar(0xfed90000);
}

static void setup(void)
{
	snprintf(root, sizeof(root), "/tmp/cellctl-create-%d", (int)getpid());
	mkdir(root, 0755);
	put_machine("AuthenticAMD", qemu_iomem, qemu_cmdline);
}

static void teardown(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

/* Runs config create into OUT (a file under root); its result. */
static void create(struct run_result *r, const char *out)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, out);
	run_cellctl(r, "config", "create", "--root", root, "-o", path, NULL);
}

static struct cfg_file *load_out(const char *out, struct diag *d)
{
	static char path[256];	/* the cfg_file keeps it for messages */

	snprintf(path, sizeof(path), "%s/%s", root, out);
	diag_init(d, stderr);
	return cfg_load(path, d);
}

/* The written config OUT holds TEXT. */
static int out_has(const char *out, const char *text)
{
	static char buf[65536];
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, out);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	slurp(f, buf, sizeof(buf));	/* closes f */
	return strstr(buf, text) != NULL;
}

static int overlaps(const struct cfg_mem_region *r, uint64_t start,
		    uint64_t size)
{
	return r->phys < start + size && start < r->phys + r->size;
}

/* Is every byte of [start, end] in a RAM region of the root cell? */
static int ram_covered(const struct cfg_cell *c, uint64_t start,
		       uint64_t end)
{
	uint32_t i;

	while (start <= end) {
		for (i = 0; i < c->n_mem; i++)
			if ((c->mem[i].flags & CFG_MEM_DMA) &&
			    c->mem[i].phys <= start &&
			    start < c->mem[i].phys + c->mem[i].size)
				break;
		if (i == c->n_mem)
			return 0;
		start = c->mem[i].phys + c->mem[i].size;
	}
	return 1;
}

START_TEST(qemu_machine_config_checks)
{
	struct run_result r;
	struct cfg_file *f;
	struct diag d;
	uint32_t i;

	create(&r, "sys.yaml");
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "system 'test-box-1' written"));
	f = load_out("sys.yaml", &d);
	ck_assert_ptr_nonnull(f);
	cfg_check(&f, 1, 0, &d);
	ck_assert_uint_eq(d.errors, 0);
	ck_assert_uint_eq(f->sys.hv_phys, 0x30000000);
	ck_assert_uint_eq(f->sys.hv_size, 32 << 20);
	ck_assert_uint_eq(f->sys.pool_phys, 0x32000000);
	ck_assert_uint_eq(f->sys.pool_size, 160 << 20);
	ck_assert_uint_eq(f->sys.cpu_vendor, CFG_CPU_VENDOR_AMD);
	ck_assert_uint_eq(f->sys.mmconfig, 0xb0000000);
	ck_assert_uint_eq(f->sys.bus_end, 255);
	ck_assert_uint_eq(f->sys.n_iommus, 1);
	ck_assert_uint_eq(f->sys.iommus[0].base, 0xfed90000);
	ck_assert_uint_eq(f->sys.dma_isolation, CFG_DMA_ISOL_IOMMU);
	ck_assert(out_has("sys.yaml", "\n  dma-isolation: iommu "));
	ck_assert_uint_eq(f->sys.n_ioapics, 1);
	ck_assert_uint_eq(f->sys.ioapics[0].base, 0xfec00000);
	ck_assert_uint_eq(f->sys.ioapics[0].has_source_id, 1);
	ck_assert_uint_eq(f->sys.ioapics[0].source_id, 0xff00);
	ck_assert(out_has("sys.yaml", "\n      source-id: ff:00.0 "));
	ck_assert_uint_eq(f->sys.console_port, 0x3f8);
	ck_assert(cfg_cpu_test(&f->sys.root, 3));
	/* Nothing of the hypervisor's in the root cell... */
	for (i = 0; i < f->sys.root.n_mem; i++) {
		ck_assert(!overlaps(&f->sys.root.mem[i], 0x30000000,
				    0xc000000));
		ck_assert(!overlaps(&f->sys.root.mem[i], 0xfee00000, 4096));
		ck_assert(!overlaps(&f->sys.root.mem[i], 0xfed90000, 4096));
	}
	/* ...and all of Linux's RAM, whole pages of it, is. */
	ck_assert(ram_covered(&f->sys.root, 0x1000, 0x9efff));
	ck_assert(ram_covered(&f->sys.root, 0x100000, 0x2fffffff));
	ck_assert(ram_covered(&f->sys.root, 0x3c000000, 0x3ffdffff));
	ck_assert(!ram_covered(&f->sys.root, 0x9f000, 0x9ffff));
	cfg_free(f);
}
END_TEST

START_TEST(comments_say_where_values_come_from)
{
	struct run_result r;

	run_cellctl(&r, "config", "create", "--root", root, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "memmap=0xc000000$0x30000000 in "
				     "/proc/cmdline"));
	ck_assert_ptr_nonnull(strstr(r.out, "# ACPI MCFG"));
	ck_assert_ptr_nonnull(strstr(r.out, "# ACPI DMAR"));
	ck_assert_ptr_nonnull(strstr(r.out, "# /proc/cpuinfo: AuthenticAMD"));
	ck_assert_ptr_nonnull(strstr(r.out, "# ttyS0"));
	ck_assert_ptr_nonnull(strstr(r.out, "#   00:1f.2  8086:2922  class "
				     "0x010601"));
}
END_TEST

/*
 * IOAPIC scopes of a DRHD: through a bridge (two hops: the bridge's
 * secondary bus from its config space), one whose path has an odd length,
 * one behind a bridge Linux does not show, one running past the DRHD.
 */
START_TEST(dmar_ioapic_scopes)
{
	static const uint32_t ioapic[4][3] = { { 2, 0xfec00000, 0 },
		{ 3, 0xfec01000, 24 }, { 4, 0xfec02000, 48 },
		{ 5, 0xfec03000, 72 } };
	static const unsigned char scopes[] = {
		3, 10, 0, 0, 2, 0x00, 0x1c, 0, 0x1f, 0,	/* 00:1c.0 -> 1f.0 */
		3, 9, 0, 0, 3, 0x00, 0x1e, 0, 7,	/* odd path */
		3, 10, 0, 0, 4, 0x00, 0x1d, 0, 0x1f, 0,	/* no 00:1d.0 */
		3, 40, 0, 0, 5, 0xf0, 0x1f, 0,		/* past the end */
	};
	unsigned char bridge[64] = { 0 };
	struct run_result r;
	struct cfg_file *f;
	struct diag d;

	bridge[0x19] = 0x05;	/* secondary bus */
	put_file("sys/bus/pci/devices/0000:00:1c.0/config", bridge,
		 sizeof(bridge));
	put_madt(4, ioapic);
	put_dmar_scopes(0xfed90000, scopes, sizeof(scopes));
	create(&r, "sids.yaml");
	ck_assert_msg(r.status == 0, "%s", r.err);
	f = load_out("sids.yaml", &d);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->sys.n_ioapics, 4);
	ck_assert_uint_eq(f->sys.ioapics[0].id, 2);
	ck_assert_uint_eq(f->sys.ioapics[0].has_source_id, 1);
	ck_assert_uint_eq(f->sys.ioapics[0].source_id, 0x05f8);
	ck_assert(out_has("sids.yaml", "source-id: 05:1f.0 "));
	ck_assert_uint_eq(f->sys.ioapics[1].has_source_id, 0);
	ck_assert_uint_eq(f->sys.ioapics[2].has_source_id, 0);
	ck_assert_uint_eq(f->sys.ioapics[3].has_source_id, 0);
	ck_assert(out_has("sids.yaml", "# no source-id: the ACPI DMAR "
			  "table has no device scope"));
	/* It checks clean, with a warning per IOAPIC without one. */
	cfg_check(&f, 1, 0, &d);
	ck_assert_uint_eq(d.errors, 0);
	ck_assert_uint_eq(d.warnings, 3);
	cfg_free(f);
}
END_TEST

START_TEST(no_memmap_suggests_one_and_writes_nothing)
{
	char path[256];
	struct run_result r;

	put_text("proc/cmdline", "console=ttyS0 quiet\n");
	put_text("proc/iomem", "00001000-0009fbff : System RAM\n"
		 "00100000-3ffdffff : System RAM\n");
	create(&r, "none.yaml");
	ck_assert_int_eq(r.status, CELLCTL_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(r.err, "no memmap=SIZE$ADDR"));
	/* 192M at the top of the RAM below 4G, 2M-aligned. */
	ck_assert_ptr_nonnull(strstr(r.err, "memmap=0xc000000$0x33e00000"));
	ck_assert_ptr_nonnull(strstr(r.err, "memmap=0xc000000\\\\\\$0x33e00000"));
	snprintf(path, sizeof(path), "%s/none.yaml", root);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(memmap_the_kernel_ignored_is_refused)
{
	struct run_result r;

	put_text("proc/iomem", "00001000-0009fbff : System RAM\n"
		 "00100000-3ffdffff : System RAM\n");
	create(&r, "bad.yaml");
	ck_assert_int_eq(r.status, CELLCTL_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(r.err, "memmap=0xc000000$0x30000000: the "
				     "kernel did not reserve it"));
}
END_TEST

START_TEST(suggest_memmap)
{
	struct run_result r;

	run_cellctl(&r, "config", "create", "--root", root,
		    "--suggest-memmap", "256M", NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "already reserves 0xc000000 bytes"));
	ck_assert_ptr_nonnull(strstr(r.out, "memmap=0x10000000$0x20000000"));
	run_cellctl(&r, "config", "create", "--root", root,
		    "--suggest-memmap", "8M", NULL);
	ck_assert_int_eq(r.status, CELLCTL_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "at least 34M"));
	run_cellctl(&r, "config", "create", "--root", root,
		    "--suggest-memmap", "64G", NULL);
	ck_assert_int_eq(r.status, CELLCTL_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(r.err, "ask for less"));
}
END_TEST

START_TEST(hidden_or_missing_memory_map)
{
	struct run_result r;

	put_text("proc/iomem", "00000000-00000000 : System RAM\n"
		 "00000000-00000000 : Reserved\n");
	create(&r, "x.yaml");
	ck_assert_int_eq(r.status, CELLCTL_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(r.err, "shows every address as 0"));
	ck_assert_ptr_nonnull(strstr(r.err, "run it as root"));
	run_cellctl(&r, "config", "create", "--root", "/nonexistent", NULL);
	ck_assert_int_eq(r.status, CELLCTL_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(r.err, "is not readable"));
}
END_TEST

START_TEST(other_vendor_refused)
{
	struct run_result r;

	put_machine("CentaurHauls", qemu_iomem, qemu_cmdline);
	create(&r, "x.yaml");
	ck_assert_int_eq(r.status, CELLCTL_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(r.err, "CPU vendor 'CentaurHauls'"));
}
END_TEST

/* A firmware that scatters 200 small device ranges: merged to fit. */
START_TEST(many_ranges_merged)
{
	static char iomem[200 * 64 + 256];
	struct run_result r;
	struct cfg_file *f;
	struct diag d;
	size_t n = 0;
	int i;

	n += sprintf(iomem + n, "00001000-0009ffff : System RAM\n"
		     "00100000-2fffffff : System RAM\n"
		     "30000000-3bffffff : Reserved\n");
	for (i = 0; i < 200; i++)
		n += sprintf(iomem + n, "%08x-%08x : pnp 00:%02x\n",
			     0xe0000000 + i * 0x10000,
			     0xe0000000 + i * 0x10000 + 0xfff, i);
	put_text("proc/iomem", iomem);
	create(&r, "many.yaml");
	ck_assert_msg(r.status == 0, "%s", r.err);
	f = load_out("many.yaml", &d);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_le(f->sys.root.n_mem, CFG_MAX_MEM_REGIONS);
	ck_assert_uint_ge(f->sys.root.n_mem, CFG_MAX_MEM_REGIONS - 1);
	cfg_free(f);
}
END_TEST

START_TEST(memmap_parsing)
{
	struct machine_range r[4];
	char first[64];

	ck_assert_uint_eq(machine_parse_memmap("ro memmap=64M$0x40000000,"
					       "128M$2G memmap=1G@0 "
					       "memmap=16K$0x1000", r, 4,
					       first, sizeof(first)), 3);
	ck_assert_str_eq(first, "memmap=64M$0x40000000,128M$2G");
	ck_assert_uint_eq(r[0].start, 0x80000000);
	ck_assert_uint_eq(r[0].size, 128 << 20);
	ck_assert_uint_eq(r[1].start, 0x40000000);
	ck_assert_uint_eq(r[2].size, 16 << 10);
	ck_assert_uint_eq(machine_parse_memmap("memmap=exactmap quiet", r, 4,
					       first, sizeof(first)), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config create");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, qemu_machine_config_checks);
	tcase_add_test(tc, comments_say_where_values_come_from);
	tcase_add_test(tc, dmar_ioapic_scopes);
	tcase_add_test(tc, no_memmap_suggests_one_and_writes_nothing);
	tcase_add_test(tc, memmap_the_kernel_ignored_is_refused);
	tcase_add_test(tc, suggest_memmap);
	tcase_add_test(tc, hidden_or_missing_memory_map);
	tcase_add_test(tc, other_vendor_refused);
	tcase_add_test(tc, many_ranges_merged);
	tcase_add_test(tc, memmap_parsing);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
