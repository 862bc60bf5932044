// SPDX-License-Identifier: GPL-2.0
/* Unit tests for hypervisor/config.c: valid blobs load, tampered or corrupt ones are refused. */
#include <check.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include TEST_HELPERS
#include "cfgtool.h"

static const char sys_yaml[] =
	"kind: system\nname: t\n"
	"hypervisor: {phys: 0x30000000, size: 32M}\n"
	"debug-console: {type: 8250, port: 0x3f8}\n"
	"platform: {apic-mode: x2apic, pci: {mmconfig: 0xb0000000},\n"
	"  ioapics: [{id: 0, base: 0xfec00000}]}\n"
	"cell-pool: {phys: 0x32000000, size: 16M}\n"
	"root-cell:\n"
	"  cpus: 0-3\n"
	"  memory: [{phys: 0, size: 0x30000000}]\n"
	"  pio: [0x0-0xffff]\n";

static const char cell_yaml[] =
	"kind: cell\nname: c\ncpus: 1\n"
	"memory:\n"
	"  - {phys: 0x32000000, guest: 0, size: 1M}\n"
	"  - {phys: 0x32100000, guest: 0x100000, size: 64K, shared: true}\n"
	"pio: [0x2f8-0x2ff]\n"
	"pci-devices: ['00:03.0']\n"
	"ioapic-pins: [{ioapic: 0, pins: 3}]\n";

#define BUF_SIZE 65536

/* Compiles YAML with cellctl's front end into a roomy, editable buffer. */
static void *compile(const char *yaml)
{
	struct diag d;
	struct cfg_file *f;
	void *blob, *buf = malloc(BUF_SIZE);
	size_t size;

	diag_init(&d, stderr);
	f = cfg_load_yaml("t.yaml", (const unsigned char *)yaml,
			  strlen(yaml), &d);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(d.errors, 0);
	ck_assert_int_eq(cfg_compile(f, &blob, &size), 0);
	ck_assert_int_eq(fdt_open_into(blob, buf, BUF_SIZE), 0);
	free(blob);
	cfg_free(f);
	return buf;
}

static int node(void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	ck_assert_msg(off >= 0, "no node %s", path);
	return off;
}

static void set_u64(void *fdt, const char *path, const char *prop,
		    uint64_t v)
{
	ck_assert_int_eq(fdt_setprop_u64(fdt, node(fdt, path), prop, v), 0);
}

static void set_u32(void *fdt, const char *path, const char *prop,
		    uint32_t v)
{
	ck_assert_int_eq(fdt_setprop_u32(fdt, node(fdt, path), prop, v), 0);
}

static size_t size_of(void *fdt)
{
	ck_assert_int_eq(fdt_pack(fdt), 0);
	return fdt_totalsize(fdt);
}

static struct cfg_cell cell, other;
static struct cfg_system sys;
static const char *why;

static int parse_cell(void *fdt, struct cfg_cell *c)
{
	why = NULL;
	return cfg_parse_cell(fdt, size_of(fdt), c, &why);
}

static int parse_sys(void *fdt)
{
	why = NULL;
	return cfg_parse_system(fdt, size_of(fdt), &sys, &why);
}

#define ck_rejected(expr, reason) do {					\
	ck_assert_int_lt(expr, 0);					\
	ck_assert_msg(why && strstr(why, reason), "why: %s", why);	\
} while (0)

START_TEST(test_valid_blobs)
{
	void *s = compile(sys_yaml), *c = compile(cell_yaml);

	ck_assert_int_eq(parse_sys(s), 0);
	ck_assert_str_eq(sys.name, "t");
	ck_assert_uint_eq(sys.hv_phys, 0x30000000);
	ck_assert_uint_eq(sys.apic_mode, CFG_APIC_MODE_X2APIC);
	ck_assert_uint_eq(sys.has_mmconfig, 1);
	ck_assert_uint_eq(sys.bus_end, 255);
	ck_assert_uint_eq(sys.root.cpus[0], 0xf);
	ck_assert_int_eq(parse_cell(c, &cell), 0);
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &cell, &why), 0);
	ck_assert_uint_eq(cell.n_mem, 2);
	ck_assert_uint_eq(cell.pci[0].bdf, 0x18);
	ck_assert_int_eq(cfg_pin_test(&cell.pin_sets[0], 3), 1);
	free(s);
	free(c);
}
END_TEST

START_TEST(test_corrupt_headers)
{
	void *c = compile(cell_yaml);
	size_t size = size_of(c);
	char junk[64] = "kind: cell\n";

	ck_rejected(cfg_parse_cell(junk, sizeof(junk), &cell, &why),
		    "not a devicetree");
	ck_rejected(cfg_parse_cell(c, 10, &cell, &why), "size out of range");
	ck_rejected(cfg_parse_cell(c, size - 1, &cell, &why), "truncated");
	ck_rejected(cfg_parse_system(c, size, &sys, &why), "wrong kind");
	set_u32(c, "/", CFG_PROP_VERSION, 2);
	ck_assert_int_eq(parse_cell(c, &cell), -EPROTO);
	free(c);
}
END_TEST

/* Old devicetree layouts crashed libfdt's fdt_check_full (fuzz finding). */
START_TEST(test_old_dtb_versions)
{
	void *c = compile(cell_yaml);
	size_t size = size_of(c);
	struct fdt_header *h = c;
	uint32_t v;

	for (v = 1; v <= 16; v++) {
		h->version = cpu_to_fdt32(v);
		h->last_comp_version = cpu_to_fdt32(1);
		ck_rejected(cfg_parse_cell(c, size, &cell, &why),
			    "unsupported devicetree version");
	}
	h->version = cpu_to_fdt32(17);
	h->last_comp_version = cpu_to_fdt32(18);
	ck_rejected(cfg_parse_cell(c, size, &cell, &why),
		    "unsupported devicetree version");
	h->last_comp_version = cpu_to_fdt32(16);
	ck_assert_int_eq(cfg_parse_cell(c, size, &cell, &why), 0);
	free(c);
}
END_TEST

START_TEST(test_unknown_and_malformed)
{
	void *c = compile(cell_yaml);

	ck_assert_int_eq(fdt_setprop_u32(c, 0, "surprise", 1), 0);
	ck_rejected(parse_cell(c, &cell), "unknown property");
	free(c);
	c = compile(cell_yaml);
	ck_assert_int_ge(fdt_add_subnode(c, 0, "extra"), 0);
	ck_rejected(parse_cell(c, &cell), "unknown node");
	free(c);
	c = compile(cell_yaml);
	ck_assert_int_ge(fdt_add_subnode(c, node(c, "/memory"), "bogus-1"),
			 0);
	ck_rejected(parse_cell(c, &cell), "unexpected node in list");
	free(c);
	c = compile(cell_yaml);
	set_u32(c, "/memory/region-0", CFG_PROP_SIZE, 0x1000);
	ck_rejected(parse_cell(c, &cell), "wrong length");
	free(c);
	c = compile(cell_yaml);
	ck_assert_int_eq(fdt_setprop(c, 0, CFG_PROP_NAME, "abc", 3), 0);
	ck_rejected(parse_cell(c, &cell), "not terminated");
	free(c);
	c = compile(cell_yaml);
	ck_assert_int_eq(fdt_setprop(c, 0, CFG_PROP_NAME, "a\0b", 4), 0);
	ck_rejected(parse_cell(c, &cell), "several strings");
	free(c);
	c = compile(cell_yaml);
	ck_assert_int_eq(fdt_delprop(c, node(c, "/memory/region-0"),
				     CFG_PROP_PHYS), 0);
	ck_rejected(parse_cell(c, &cell), "needs phys");
	free(c);
}
END_TEST

START_TEST(test_bad_regions)
{
	void *c = compile(cell_yaml);

	set_u64(c, "/memory/region-0", CFG_PROP_SIZE, 0);
	ck_rejected(parse_cell(c, &cell), "empty");
	set_u64(c, "/memory/region-0", CFG_PROP_SIZE, 0x1800);
	ck_rejected(parse_cell(c, &cell), "not page aligned");
	set_u64(c, "/memory/region-0", CFG_PROP_SIZE, 0x1000);
	set_u64(c, "/memory/region-0", CFG_PROP_PHYS, 0xfffffffffffff000);
	set_u64(c, "/memory/region-0", CFG_PROP_SIZE, 0x2000);
	ck_rejected(parse_cell(c, &cell), "wraps");
	set_u64(c, "/memory/region-0", CFG_PROP_PHYS, 0x32000000);
	set_u64(c, "/memory/region-0", CFG_PROP_SIZE, 0x100000);
	set_u64(c, "/memory/region-0", CFG_PROP_GUEST, 0xff000);
	ck_rejected(parse_cell(c, &cell), "guest-physical overlap");
	set_u64(c, "/memory/region-0", CFG_PROP_GUEST, 0);
	set_u64(c, "/memory/region-1", CFG_PROP_PHYS, 0x320ff000);
	ck_rejected(parse_cell(c, &cell), "physical overlap");
	set_u64(c, "/memory/region-1", CFG_PROP_PHYS, 0x32100000);
	set_u32(c, "/memory/region-1", CFG_PROP_FLAGS, 0x100);
	ck_rejected(parse_cell(c, &cell), "unknown memory region flag");
	set_u32(c, "/memory/region-1", CFG_PROP_FLAGS, CFG_MEM_READ);
	ck_assert_int_eq(parse_cell(c, &cell), 0);
	free(c);
}
END_TEST

START_TEST(test_bad_lists)
{
	void *c = compile(cell_yaml);
	fdt32_t cpus[2] = { cpu_to_fdt32(2), cpu_to_fdt32(1) };
	char name[16];
	int mem, i, r;

	ck_assert_int_eq(fdt_setprop(c, 0, CFG_PROP_CPUS, cpus, 8), 0);
	ck_rejected(parse_cell(c, &cell), "ascending");
	cpus[0] = cpu_to_fdt32(CFG_MAX_CPUS);
	ck_assert_int_eq(fdt_setprop(c, 0, CFG_PROP_CPUS, cpus, 4), 0);
	ck_rejected(parse_cell(c, &cell), "CPU number out of range");
	set_u32(c, "/", CFG_PROP_CPUS, 1);
	set_u32(c, "/pio/range-0", CFG_PROP_LENGTH, 0x10000);
	ck_rejected(parse_cell(c, &cell), "beyond 0xffff");
	set_u32(c, "/pio/range-0", CFG_PROP_LENGTH, 8);
	set_u32(c, "/pci/device-0", CFG_PROP_BDF, 0x10000);
	ck_rejected(parse_cell(c, &cell), "BDF out of range");
	set_u32(c, "/pci/device-0", CFG_PROP_BDF, 0x18);
	set_u32(c, "/ioapic-pins/pins-0", CFG_PROP_PINS, CFG_MAX_IOAPIC_PINS);
	ck_rejected(parse_cell(c, &cell), "pin number out of range");
	free(c);

	c = compile(cell_yaml);
	mem = node(c, "/memory");
	for (i = 2; i <= CFG_MAX_MEM_REGIONS; i++) {
		snprintf(name, sizeof(name), "region-%d", i);
		r = fdt_add_subnode(c, mem, name);
		ck_assert_int_ge(r, 0);
		ck_assert_int_eq(fdt_setprop_u64(c, r, CFG_PROP_PHYS,
						 0x33000000 + i * 0x1000), 0);
		ck_assert_int_eq(fdt_setprop_u64(c, r, CFG_PROP_GUEST,
						 0x1000000 + i * 0x1000), 0);
		ck_assert_int_eq(fdt_setprop_u64(c, r, CFG_PROP_SIZE, 0x1000),
				 0);
		ck_assert_int_eq(fdt_setprop_u32(c, r, CFG_PROP_FLAGS, 1), 0);
		mem = node(c, "/memory");	/* offsets move on insert */
	}
	ck_assert_int_eq(parse_cell(c, &cell), -E2BIG);
	free(c);
}
END_TEST

START_TEST(test_cell_against_system)
{
	void *s = compile(sys_yaml), *c = compile(cell_yaml);

	ck_assert_int_eq(parse_sys(s), 0);
	set_u32(c, "/", CFG_PROP_CPUS, 0);
	ck_assert_int_eq(parse_cell(c, &cell), 0);
	ck_rejected(cfg_check_cell_in_system(&sys, &cell, &why), "CPU 0");
	set_u32(c, "/", CFG_PROP_CPUS, 9);
	ck_assert_int_eq(parse_cell(c, &cell), 0);
	ck_rejected(cfg_check_cell_in_system(&sys, &cell, &why),
		    "not a CPU of the root");
	set_u32(c, "/", CFG_PROP_CPUS, 1);
	set_u64(c, "/memory/region-0", CFG_PROP_PHYS, 0x31f00000);
	ck_assert_int_eq(parse_cell(c, &cell), 0);
	ck_rejected(cfg_check_cell_in_system(&sys, &cell, &why),
		    "overlaps the hypervisor");
	set_u64(c, "/memory/region-0", CFG_PROP_PHYS, 0x40000000);
	ck_assert_int_eq(parse_cell(c, &cell), 0);
	ck_rejected(cfg_check_cell_in_system(&sys, &cell, &why),
		    "neither root memory nor pool");
	set_u64(c, "/memory/region-0", CFG_PROP_PHYS, 0x32000000);
	set_u32(c, "/ioapic-pins/pins-0", CFG_PROP_PINS, 24);
	ck_assert_int_eq(parse_cell(c, &cell), 0);
	ck_rejected(cfg_check_cell_in_system(&sys, &cell, &why),
		    "IOAPIC pin does not exist");
	set_u32(c, "/ioapic-pins/pins-0", CFG_PROP_PINS, 23);
	set_u32(c, "/ioapic-pins/pins-0", CFG_PROP_IOAPIC, 1);
	ck_assert_int_eq(parse_cell(c, &cell), 0);
	ck_rejected(cfg_check_cell_in_system(&sys, &cell, &why),
		    "IOAPIC pin does not exist");
	set_u32(c, "/ioapic-pins/pins-0", CFG_PROP_IOAPIC, 0);
	ck_assert_int_eq(parse_cell(c, &cell), 0);
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &cell, &why), 0);
	free(s);
	free(c);
}
END_TEST

START_TEST(test_system_invariants)
{
	void *s = compile(sys_yaml);

	set_u64(s, "/root-cell/memory/region-0", CFG_PROP_SIZE, 0x30001000);
	ck_rejected(parse_sys(s), "root cell memory overlaps the hypervisor");
	free(s);
	s = compile(sys_yaml);
	set_u64(s, "/cell-pool", CFG_PROP_PHYS, 0x31000000);
	ck_rejected(parse_sys(s), "cell pool overlaps the hypervisor");
	free(s);
	s = compile(sys_yaml);
	set_u32(s, "/root-cell", CFG_PROP_CPUS, 1);
	ck_rejected(parse_sys(s), "root cell must own CPU 0");
	free(s);
	s = compile(sys_yaml);
	ck_assert_int_eq(fdt_del_node(s, node(s, "/hypervisor")), 0);
	ck_rejected(parse_sys(s), "lacks hypervisor");
	free(s);
	s = compile(sys_yaml);
	set_u32(s, "/platform/pci", CFG_PROP_BUS_END, 256);
	ck_rejected(parse_sys(s), "bus range");
	free(s);
}
END_TEST

/* The config must describe the machine the hypervisor was started on. */
START_TEST(test_system_machine)
{
	void *s = compile(sys_yaml);

	ck_assert_int_eq(parse_sys(s), 0);
	ck_assert_int_eq(cfg_check_system_machine(&sys, 0x30000000,
						  0x2000000, 4, &why), 0);
	ck_assert_int_eq(cfg_check_system_machine(&sys, 0x30000000,
						  0x2000000, 3, &why), -ERANGE);
	ck_assert_str_eq(why, "root cell names a CPU that is not online");
	ck_assert_int_eq(cfg_check_system_machine(&sys, 0x30000000,
						  0x2000000, 5, &why), -ERANGE);
	ck_assert_str_eq(why, "root cell lacks a CPU that is online");
	ck_assert_int_eq(cfg_check_system_machine(&sys, 0x30000000,
						  0x2000000, 300, &why),
			 -ERANGE);
	ck_rejected(cfg_check_system_machine(&sys, 0x31000000, 0x2000000, 4,
					     &why), "not where the driver");
	ck_rejected(cfg_check_system_machine(&sys, 0x30000000, 0x1000000, 4,
					     &why), "not where the driver");
	free(s);
}
END_TEST

/* A tampered second cell that takes what the first already owns. */
START_TEST(test_cells_disjoint)
{
	void *a = compile(cell_yaml), *b = compile(cell_yaml);

	ck_assert_int_eq(parse_cell(a, &cell), 0);
	ck_assert_int_eq(parse_cell(b, &other), 0);
	ck_assert_int_eq(cfg_check_cells_disjoint(&cell, &other, &why),
			 -EBUSY);
	ck_assert_str_eq(why, "CPU already owned by another cell");
	set_u32(b, "/", CFG_PROP_CPUS, 2);
	ck_assert_int_eq(parse_cell(b, &other), 0);
	ck_rejected(cfg_check_cells_disjoint(&cell, &other, &why),
		    "memory already owned");
	set_u64(b, "/memory/region-0", CFG_PROP_PHYS, 0x32200000);
	ck_assert_int_eq(parse_cell(b, &other), 0);
	ck_rejected(cfg_check_cells_disjoint(&cell, &other, &why),
		    "port range already owned");
	set_u32(b, "/pio/range-0", CFG_PROP_BASE, 0x3f8);
	ck_assert_int_eq(parse_cell(b, &other), 0);
	ck_rejected(cfg_check_cells_disjoint(&cell, &other, &why),
		    "PCI device already owned");
	set_u32(b, "/pci/device-0", CFG_PROP_BDF, 0x20);
	ck_assert_int_eq(parse_cell(b, &other), 0);
	ck_rejected(cfg_check_cells_disjoint(&cell, &other, &why),
		    "IOAPIC pin already owned");
	set_u32(b, "/ioapic-pins/pins-0", CFG_PROP_PINS, 4);
	ck_assert_int_eq(parse_cell(b, &other), 0);
	/* The shared region is identical on both sides: allowed. */
	ck_assert_int_eq(cfg_check_cells_disjoint(&cell, &other, &why), 0);
	set_u32(b, "/memory/region-1", CFG_PROP_FLAGS, CFG_MEM_READ);
	ck_assert_int_eq(parse_cell(b, &other), 0);
	ck_rejected(cfg_check_cells_disjoint(&cell, &other, &why),
		    "memory already owned");
	free(a);
	free(b);
}
END_TEST

/* Every truncation and every single-byte change is handled, not crashed. */
START_TEST(test_mutations_do_not_crash)
{
	void *c = compile(cell_yaml);
	size_t size = size_of(c), i;
	unsigned char *m = malloc(size);
	int accepted = 0;

	for (i = 0; i < size; i++)
		ck_assert_int_lt(cfg_parse_cell(c, i, &cell, &why), 0);
	for (i = 0; i < size; i++) {
		memcpy(m, c, size);
		m[i] ^= 0xff;
		if (cfg_parse_cell(m, size, &cell, &why) == 0)
			accepted++;
	}
	/* Only flips inside values can leave a valid config. */
	ck_assert_int_lt(accepted, (int)size / 2);
	free(m);
	free(c);
}
END_TEST

static void *load_blob(const char *dir, const char *name, size_t *size)
{
	char path[512];
	FILE *f;
	void *buf = malloc(CFG_MAX_BLOB_SIZE);

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "no %s", path);
	*size = fread(buf, 1, CFG_MAX_BLOB_SIZE, f);
	fclose(f);
	return buf;
}

/*
 * system-cases.txt lists each tampered system config with the errno and
 * reason the system test expects from the hypervisor on a 2-CPU QEMU
 * guest: hold the reader (and the machine check) to the same list.
 */
static void check_system_cases(const char *dir)
{
	char path[512], file[128], layer[16], reason[128];
	int expect, err, n = 0;
	size_t size;
	void *blob;
	FILE *f;

	snprintf(path, sizeof(path), "%s/system-cases.txt", dir);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "no %s", path);
	while (fscanf(f, "%127s %d %15s %127[^\n]", file, &expect, layer,
		      reason) == 4) {
		blob = load_blob(dir, file, &size);
		why = NULL;
		err = cfg_parse_system(blob, size, &sys, &why);
		if (!err)
			err = cfg_check_system_machine(&sys, 0x30000000,
						       0x2000000, 2, &why);
		ck_assert_msg(err == -expect && why && strstr(why, reason),
			      "%s: err %d why %s, expected %d %s", file, err,
			      why, -expect, reason);
		free(blob);
		n++;
	}
	fclose(f);
	ck_assert_int_ge(n, 9);
}

/*
 * The blobs tests/configs/tampered/make-tampered.sh builds for the system
 * tests (dtc edits, no cellctl checks) are each refused for their reason.
 */
START_TEST(test_tampered_fixtures)
{
	static const struct { const char *file, *why; int cell; } cases[] = {
		{ "system-root-over-hv.dtb", "overlaps the hypervisor", 0 },
		{ "cell-over-hv.dtb", "overlaps the hypervisor", 1 },
		{ "cell-cpu0.dtb", "CPU 0", 1 },
		{ "cell-cpu-taken.dtb", "CPU already owned", 1 },
		{ "cell-guest-overlap.dtb", "guest-physical overlap", 1 },
		{ "cell-bad-version.dtb", "binding version", 1 },
	};
	char dir[] = "/tmp/cellvisor-tampered-XXXXXX", cmd[1024], out[600];
	struct run_result *r = malloc(sizeof(*r));
	void *blob;
	size_t i, size;
	int err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/qemu-svm.dtb", dir);
	run_cellctl(r, "config", "compile", "-q", "-o", out,
		    TOP_DIR "/configs/x86/qemu-svm.yaml", NULL);
	ck_assert_int_eq(r->status, 0);
	snprintf(out, sizeof(out), "%s/hello.dtb", dir);
	run_cellctl(r, "config", "compile", "-q", "-s",
		    TOP_DIR "/configs/x86/qemu-svm.yaml", "-o", out,
		    TOP_DIR "/configs/x86/hello-qemu.yaml", NULL);
	ck_assert_int_eq(r->status, 0);
	snprintf(cmd, sizeof(cmd), "%s/tests/configs/tampered/make-tampered.sh"
		 " %s -", TOP_DIR, dir);
	ck_assert_msg(system(cmd) == 0, "make-tampered.sh failed (dtc?)");

	blob = load_blob(dir, "qemu-svm.dtb", &size);
	ck_assert_int_eq(cfg_parse_system(blob, size, &sys, &why), 0);
	ck_assert_int_eq(cfg_check_system_machine(&sys, 0x30000000, 0x2000000,
						  2, &why), 0);
	free(blob);
	blob = load_blob(dir, "hello.dtb", &size);
	ck_assert_int_eq(cfg_parse_cell(blob, size, &other, &why), 0);
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &other, &why), 0);
	free(blob);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		blob = load_blob(dir, cases[i].file, &size);
		why = NULL;
		if (!cases[i].cell) {
			err = cfg_parse_system(blob, size, &sys, &why);
		} else {
			err = cfg_parse_cell(blob, size, &cell, &why);
			if (!err)
				err = cfg_check_cell_in_system(&sys, &cell,
							       &why);
			if (!err)
				err = cfg_check_cells_disjoint(&other, &cell,
							       &why);
		}
		ck_assert_msg(err < 0 && why && strstr(why, cases[i].why),
			      "%s: err %d why %s", cases[i].file, err, why);
		free(blob);
	}
	check_system_cases(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(r);
}
END_TEST

static Suite *hv_config_suite(void)
{
	Suite *s = suite_create("hypervisor-config");
	TCase *tc = tcase_create("reader");

	tcase_add_test(tc, test_valid_blobs);
	tcase_add_test(tc, test_corrupt_headers);
	tcase_add_test(tc, test_old_dtb_versions);
	tcase_add_test(tc, test_unknown_and_malformed);
	tcase_add_test(tc, test_bad_regions);
	tcase_add_test(tc, test_bad_lists);
	tcase_add_test(tc, test_cell_against_system);
	tcase_add_test(tc, test_system_invariants);
	tcase_add_test(tc, test_system_machine);
	tcase_add_test(tc, test_cells_disjoint);
	tcase_add_test(tc, test_mutations_do_not_crash);
	tcase_add_test(tc, test_tampered_fixtures);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hv_config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
