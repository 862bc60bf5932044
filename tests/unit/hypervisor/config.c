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
	"platform: {cpu-vendor: intel, apic-mode: x2apic,\n"
	"  pci: {mmconfig: 0xb0000000},\n"
	"  ioapics: [{id: 0, base: 0xfec00000}]}\n"
	"cell-pool: {phys: 0x32000000, size: 16M}\n"
	"root-cell:\n"
	"  cpus: 0-3\n"
	"  memory: [{phys: 0, size: 0x30000000}]\n"
	"  pio: [0x0-0xffff]\n";

#define CELL_YAML \
	"kind: cell\nname: c\ncpus: 1\n" \
	"memory:\n" \
	"  - {phys: 0x32000000, guest: 0, size: 1M}\n" \
	"  - {phys: 0x32100000, guest: 0x100000, size: 64K, shared: true}\n" \
	"pio: [0x2f8-0x2ff]\n"

static const char cell_yaml[] = CELL_YAML;

/*
 * The same cell with every kind of device the binding describes: PCI
 * devices (accepted), and IOAPIC pins and a virtual device other than
 * pc-legacy, which the hypervisor does not implement yet (refused).
 */
static const char devices_yaml[] = CELL_YAML
	"pci-devices: ['00:03.0']\n"
	"ioapic-pins: [{ioapic: 0, pins: 3}]\n"
	"virtual-devices: [{type: uart, base: 0x2f8}]\n";

/* BAR 4 only, as on a PIIX UHCI function: the bars the device lists. */
static const char bar4_yaml[] = CELL_YAML
	"pci-devices:\n"
	"  - bdf: 00:01.2\n"
	"    bars: [none, none, none, none, {base: 0xc020, size: 32}]\n";

/* A root that owns its device windows, so that only the new rule refuses. */
static const char sys_io_yaml[] =
	"kind: system\nname: t\n"
	"hypervisor: {phys: 0x30000000, size: 32M}\n"
	"debug-console: {type: 8250, port: 0x3f8}\n"
	"platform: {cpu-vendor: intel, apic-mode: x2apic,\n"
	"  pci: {mmconfig: 0xb0000000, buses: 0-255},\n"
	"  iommus: [{type: intel-vtd, base: 0xfed90000, size: 4K}],\n"
	"  ioapics: [{id: 0, base: 0xfec00000}]}\n"
	"cell-pool: {phys: 0x32000000, size: 16M}\n"
	"root-cell:\n"
	"  cpus: 0-3\n"
	"  memory: [{phys: 0, size: 0x30000000},\n"
	"    {phys: 0xb0000000, size: 256M, access: [read, write]},\n"
	"    {phys: 0xfe000000, size: 32M, access: [read, write]}]\n"
	"  pio: [0x0-0xffff]\n";

/* A cell with one more region at PHYS (4K) and edu with BAR 0 at 0xfea00000. */
#define WINDOW_CELL(PHYS) \
	"kind: cell\nname: c\ncpus: 1\n" \
	"memory:\n" \
	"  - {phys: 0x32000000, guest: 0, size: 1M}\n" \
	"  - {phys: " PHYS ", guest: 0x200000, size: 4K}\n" \
	"pci-devices:\n" \
	"  - bdf: 00:04.0\n" \
	"    bars: [{base: 0xfea00000, size: 1M}]\n"

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

/* @yaml compiled and parsed as the system (sys): the blob is not kept. */
static void load_sys(const char *yaml)
{
	void *s = compile(yaml);

	ck_assert_int_eq(parse_sys(s), 0);
	free(s);
}

/* @yaml compiled and parsed as cell @c: the blob is not kept. */
static void load_cell(const char *yaml, struct cfg_cell *c)
{
	void *fdt = compile(yaml);

	ck_assert_int_eq(parse_cell(fdt, c), 0);
	free(fdt);
}

#define ck_rejected(expr, reason) do {					\
	ck_assert_int_lt(expr, 0);					\
	ck_assert_msg(why && strstr(why, reason), "why: %s", why);	\
} while (0)

/* source-id goes from YAML to the blob to the parsed system, or nowhere. */
START_TEST(test_ioapic_source_id)
{
	static const char yaml[] =
		"kind: system\nname: t\n"
		"hypervisor: {phys: 0x30000000, size: 32M}\n"
		"debug-console: {type: 8250, port: 0x3f8}\n"
		"platform: {cpu-vendor: intel,\n"
		"  ioapics: [{id: 0, base: 0xfec00000, source-id: f0:1f.0},\n"
		"            {id: 1, base: 0xfec01000, gsi-base: 24}]}\n"
		"root-cell:\n"
		"  cpus: 0-3\n"
		"  memory: [{phys: 0, size: 0x30000000}]\n";
	void *s = compile(yaml);

	ck_assert_int_eq(parse_sys(s), 0);
	ck_assert_uint_eq(sys.n_ioapics, 2);
	ck_assert_uint_eq(sys.ioapics[0].has_source_id, 1);
	ck_assert_uint_eq(sys.ioapics[0].source_id, 0xf0f8);
	ck_assert_uint_eq(sys.ioapics[1].has_source_id, 0);
	ck_assert_uint_eq(sys.ioapics[1].source_id, 0);
	free(s);
}
END_TEST

START_TEST(test_valid_blobs)
{
	load_sys(sys_yaml);
	ck_assert_str_eq(sys.name, "t");
	ck_assert_uint_eq(sys.hv_phys, 0x30000000);
	ck_assert_uint_eq(sys.apic_mode, CFG_APIC_MODE_X2APIC);
	ck_assert_uint_eq(sys.dma_isolation, CFG_DMA_ISOL_IOMMU);
	ck_assert_uint_eq(sys.has_mmconfig, 1);
	ck_assert_uint_eq(sys.bus_end, 255);
	ck_assert_uint_eq(sys.root.cpus[0], 0xf);
	load_cell(cell_yaml, &cell);
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &cell, &why), 0);
	ck_assert_uint_eq(cell.n_mem, 2);
}
END_TEST

/*
 * Registers the hypervisor moderates are no cell's memory: the ECAM
 * window (its own device's page included), an IOMMU, an IOAPIC, a BAR
 * of its own device; another cell's BAR neither.
 */
START_TEST(test_region_not_platform)
{
	static const struct { const char *yaml, *why; } cases[] = {
		{ WINDOW_CELL("0xb0020000"), "PCI config space window" },
		{ WINDOW_CELL("0xfed90000"), "an IOMMU's registers" },
		{ WINDOW_CELL("0xfec00000"), "overlaps an IOAPIC" },
		{ WINDOW_CELL("0xfea01000"), "a BAR of a PCI device" },
	};
	unsigned int i;

	load_sys(sys_io_yaml);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		load_cell(cases[i].yaml, &cell);
		why = NULL;
		ck_rejected(cfg_check_cell_in_system(&sys, &cell, &why),
			    cases[i].why);
	}
	/* A window the rules leave alone is a cell's (0xfe800000). */
	load_cell(WINDOW_CELL("0xfe800000"), &cell);
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &cell, &why), 0);
	/* Another cell over this one's BAR: refused, either way round. */
	load_cell(cell_yaml, &other);
	other.cpus[0] = 1ULL << 2;
	other.mem[0].phys = 0xfea00000;
	why = NULL;
	ck_assert_int_eq(cfg_check_cells_disjoint(&cell, &other, &why),
			 -EBUSY);
	ck_assert_msg(why && strstr(why, "another cell's PCI device"),
		      "why: %s", why);
	ck_assert_int_eq(cfg_check_cells_disjoint(&other, &cell, &why),
			 -EBUSY);
}
END_TEST

/* has_bars is a mask of the BARs listed (pci.c asks it per BAR). */
START_TEST(test_pci_bar_mask)
{
	load_sys(sys_yaml);
	load_cell(bar4_yaml, &cell);
	ck_assert_uint_eq(cell.n_pci, 1);
	ck_assert_uint_eq(cell.pci[0].has_bars, 1u << 4);
	ck_assert_uint_eq(cell.pci[0].bar_base[4], 0xc020);
	ck_assert_uint_eq(cell.pci[0].bar_size[4], 32);
}
END_TEST

/*
 * PCI devices, IOAPIC pins and virtual devices parse (the binding has
 * them); a cell may list PCI devices and pins, but virtual devices other
 * than pc-legacy are not implemented: a cell that lists them is refused.
 */
START_TEST(test_unimplemented_features)
{
	load_sys(sys_yaml);
	load_cell(devices_yaml, &cell);
	ck_assert_uint_eq(cell.pci[0].bdf, 0x18);
	ck_assert_int_eq(cfg_pin_test(&cell.pin_sets[0], 3), 1);
	ck_assert_uint_eq(cell.vdevs[0].type, CFG_VDEV_TYPE_UART);
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &cell, &why),
			 -EINVAL);
	ck_assert_str_eq(why, "virtual-devices are not implemented yet, "
			 "except pc-legacy: remove them from the config");
	cell.n_vdevs = 0;
	/* The PCI device and the pin are still listed, and accepted. */
	ck_assert_uint_eq(cell.n_pci, 1);
	ck_assert_uint_eq(cell.n_pin_sets, 1);
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &cell, &why), 0);
}
END_TEST

/* platform's dma-isolation as VALUE, or the u32 NUMBER when VALUE is NULL. */
static void set_dma_isolation(void *s, const char *value, uint32_t number)
{
	int off;

	/* parse_sys packed the blob: give it room again. */
	ck_assert_int_eq(fdt_open_into(s, s, BUF_SIZE), 0);
	off = node(s, "/platform");
	if (value)
		ck_assert_int_eq(fdt_setprop_string(s, off,
						    CFG_PROP_DMA_ISOLATION,
						    value), 0);
	else
		ck_assert_int_eq(fdt_setprop_u32(s, off,
						 CFG_PROP_DMA_ISOLATION,
						 number), 0);
}

/*
 * platform's dma-isolation: absent is "iommu" (above, in
 * test_valid_blobs), "none" is read, anything else is refused.
 */
START_TEST(test_dma_isolation)
{
	static const char *const bad[] = { "off", "IOMMU", "", NULL };
	void *s = compile(sys_yaml);
	int i;

	set_dma_isolation(s, CFG_DMA_ISOLATION_NONE, 0);
	ck_assert_int_eq(parse_sys(s), 0);
	ck_assert_uint_eq(sys.dma_isolation, CFG_DMA_ISOL_NONE);
	set_dma_isolation(s, CFG_DMA_ISOLATION_IOMMU, 0);
	ck_assert_int_eq(parse_sys(s), 0);
	ck_assert_uint_eq(sys.dma_isolation, CFG_DMA_ISOL_IOMMU);
	for (i = 0; bad[i]; i++) {
		set_dma_isolation(s, bad[i], 0);
		ck_assert_int_eq(parse_sys(s), -EINVAL);
		ck_assert_str_eq(why, "dma-isolation is neither iommu nor "
				 "none");
	}
	/* Not a string: a number where the name should be. */
	set_dma_isolation(s, NULL, 1);
	ck_assert_int_eq(parse_sys(s), -EINVAL);
	ck_assert_str_eq(why, "dma-isolation is neither iommu nor none");
	free(s);
}
END_TEST

/* A cell owns at most CFG_MAX_CELL_CPUS CPUs; more are refused, not cut. */
START_TEST(test_cell_cpu_limit)
{
	unsigned int cpu;

	load_sys(sys_yaml);
	load_cell(cell_yaml, &cell);
	sys.root.cpus[0] = ~0ull;	/* a machine with 64 CPUs */
	for (cpu = 1; cpu <= CFG_MAX_CELL_CPUS; cpu++)
		cell.cpus[0] |= 1ull << cpu;
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &cell, &why), 0);
	cell.cpus[0] |= 1ull << cpu;
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &cell, &why), -E2BIG);
	ck_assert_str_eq(why, "cell has more CPUs than one cell may own (at "
			 "most 8)");
	ck_assert_int_eq(CFG_MAX_CELL_CPUS, 8);	/* the reason says 8 */
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

/*
 * One edit of a freshly compiled blob. Raw values (SET_RAW) are byte
 * strings that need not be valid: unterminated names, unsorted CPU lists.
 */
enum edit_op { NONE, SET_U32, SET_U64, SET_STR, SET_RAW, DEL_PROP, DEL_NODE,
	       ADD_PROP, ADD_NODE };

struct edit {
	enum edit_op op;
	const char *path, *name;	/* node; property or new node */
	uint64_t v;
	const char *raw;
	int len;
};

/* What a tampered blob is run through, each step after the ones before. */
enum stage {
	PARSE_SYS,		/* cfg_parse_system of an edited sys_yaml */
	PARSE_CELL,		/* cfg_parse_cell of an edited cell_yaml */
	CELL_IN_SYSTEM,		/* ... then cfg_check_cell_in_system */
	CELLS_DISJOINT,		/* ... then against an unedited cell_yaml */
	STAGE = 0xff,
	DEVICES = 0x100,	/* with a cell stage: devices_yaml instead */
	DEV_PARSE = PARSE_CELL | DEVICES,
	DEV_IN_SYSTEM = CELL_IN_SYSTEM | DEVICES,
	DEV_DISJOINT = CELLS_DISJOINT | DEVICES,
};

struct reject_case {
	enum stage stage;
	struct edit edits[6];
	int err;		/* expected errno; 0: accepted */
	const char *why;
};

#define U32(p, n, val)	{ SET_U32, p, n, val, NULL, 0 }
#define U64(p, n, val)	{ SET_U64, p, n, val, NULL, 0 }
#define STR(p, n, s)	{ SET_STR, p, n, 0, s, 0 }
#define RAW(p, n, s, l)	{ SET_RAW, p, n, 0, s, l }
#define DELP(p, n)	{ DEL_PROP, p, n, 0, NULL, 0 }
#define DELN(p)		{ DEL_NODE, p, NULL, 0, NULL, 0 }
#define ADDP(p, n)	{ ADD_PROP, p, n, 1, NULL, 0 }
#define ADDN(p, n)	{ ADD_NODE, p, n, 0, NULL, 0 }
#define R0		"/memory/region-0"
#define R1		"/memory/region-1"

/* Two CPUs, 2 then 1: "cpus must be ascending". */
static const char cpus_2_1[] = { 0, 0, 0, 2, 0, 0, 0, 1 };

static const struct reject_case reject_cases[] = {
	/* unknown or malformed structure */
	{ PARSE_CELL, { ADDP("/", "surprise") }, EINVAL, "unknown property" },
	{ PARSE_CELL, { ADDN("/", "extra") }, EINVAL, "unknown node" },
	{ PARSE_CELL, { ADDN("/memory", "bogus-1") }, EINVAL,
	  "unexpected node in list" },
	{ PARSE_CELL, { U32(R0, CFG_PROP_SIZE, 0x1000) }, EINVAL,
	  "wrong length" },
	{ PARSE_CELL, { RAW("/", CFG_PROP_NAME, "abc", 3) }, EINVAL,
	  "not terminated" },
	{ PARSE_CELL, { RAW("/", CFG_PROP_NAME, "a\0b", 4) }, EINVAL,
	  "several strings" },
	{ PARSE_CELL, { DELP(R0, CFG_PROP_PHYS) }, EINVAL, "needs phys" },
	{ PARSE_CELL, { U32("/", CFG_PROP_VERSION, 2) }, EPROTO,
	  "unsupported binding version" },
	/* memory regions */
	{ PARSE_CELL, { U64(R0, CFG_PROP_SIZE, 0) }, EINVAL, "empty" },
	{ PARSE_CELL, { U64(R0, CFG_PROP_SIZE, 0x1800) }, EINVAL,
	  "not page aligned" },
	{ PARSE_CELL, { U64(R0, CFG_PROP_PHYS, 0xfffffffffffff000),
			U64(R0, CFG_PROP_SIZE, 0x2000) }, EINVAL, "wraps" },
	{ PARSE_CELL, { U64(R0, CFG_PROP_GUEST, 0xff000) }, EINVAL,
	  "guest-physical overlap" },
	{ PARSE_CELL, { U64(R1, CFG_PROP_PHYS, 0x320ff000) }, EINVAL,
	  "physical overlap" },
	{ PARSE_CELL, { U32(R1, CFG_PROP_FLAGS, 0x100) }, EINVAL,
	  "unknown memory region flag" },
	{ PARSE_CELL, { U32(R1, CFG_PROP_FLAGS, CFG_MEM_READ) }, 0, NULL },
	/* lists */
	{ PARSE_CELL, { RAW("/", CFG_PROP_CPUS, cpus_2_1, 8) }, EINVAL,
	  "ascending" },
	{ PARSE_CELL, { U32("/", CFG_PROP_CPUS, CFG_MAX_CPUS) }, EINVAL,
	  "CPU number out of range" },
	{ PARSE_CELL, { U32("/pio/range-0", CFG_PROP_LENGTH, 0x10000) },
	  EINVAL, "beyond 0xffff" },
	{ DEV_PARSE, { U32("/pci/device-0", CFG_PROP_BDF, 0x10000) }, EINVAL,
	  "BDF out of range" },
	{ DEV_PARSE, { U32("/ioapic-pins/pins-0", CFG_PROP_PINS,
			   CFG_MAX_IOAPIC_PINS) }, EINVAL,
	  "pin number out of range" },
	/* a cell against the system */
	{ CELL_IN_SYSTEM, { U32("/", CFG_PROP_CPUS, 0) }, EINVAL, "CPU 0" },
	{ CELL_IN_SYSTEM, { U32("/", CFG_PROP_CPUS, 9) }, EINVAL,
	  "not a CPU of the root" },
	{ CELL_IN_SYSTEM, { U64(R0, CFG_PROP_PHYS, 0x31f00000) }, EINVAL,
	  "overlaps the hypervisor" },
	{ CELL_IN_SYSTEM, { U64(R0, CFG_PROP_PHYS, 0x40000000) }, EINVAL,
	  "neither root memory nor pool" },
	{ DEV_IN_SYSTEM, { U32("/ioapic-pins/pins-0", CFG_PROP_PINS, 24) },
	  EINVAL, "IOAPIC pin does not exist" },
	{ DEV_IN_SYSTEM, { U32("/ioapic-pins/pins-0", CFG_PROP_IOAPIC, 1) },
	  EINVAL, "IOAPIC pin does not exist" },
	/* a pin that exists: accepted (whether it is free: at create) */
	{ DEV_IN_SYSTEM, { U32("/ioapic-pins/pins-0", CFG_PROP_PINS, 23),
			   DELN("/pci"), DELN("/virtual-devices") }, 0, NULL },
	/* a cell's PCI devices pass; features not implemented yet, each
	 * alone, are refused; empty lists pass */
	{ DEV_IN_SYSTEM, { DELN("/ioapic-pins"), DELN("/virtual-devices") },
	  0, NULL },
	{ DEV_IN_SYSTEM, { DELN("/pci"), DELN("/ioapic-pins") }, EINVAL,
	  "virtual-devices are not implemented yet" },
	{ DEV_IN_SYSTEM, { DELN("/pci"), DELN("/ioapic-pins"),
			   DELN("/virtual-devices") }, 0, NULL },
	{ DEV_IN_SYSTEM, { DELN("/pci/device-0"), DELN("/ioapic-pins/pins-0"),
			   DELN("/virtual-devices/vdev-0") }, 0, NULL },
	/* pc-legacy, the one device model: once, without bdf/base/size */
#define NO_PCI_PINS	DELN("/pci"), DELN("/ioapic-pins")
#define VDEV0		"/virtual-devices/vdev-0"
#define VDEV1		"/virtual-devices/vdev-1"
	{ DEV_IN_SYSTEM, { NO_PCI_PINS, STR(VDEV0, CFG_PROP_TYPE,
					    CFG_VDEV_PC_LEGACY),
			   DELP(VDEV0, CFG_PROP_BASE) }, 0, NULL },
	{ DEV_IN_SYSTEM, { NO_PCI_PINS, STR(VDEV0, CFG_PROP_TYPE,
					    CFG_VDEV_PC_LEGACY) }, EINVAL,
	  "pc-legacy takes no bdf, base or size: its ports are fixed; "
	  "remove them" },
	{ DEV_IN_SYSTEM, { NO_PCI_PINS, STR(VDEV0, CFG_PROP_TYPE,
					    CFG_VDEV_PC_LEGACY),
			   DELP(VDEV0, CFG_PROP_BASE),
			   U32(VDEV0, CFG_PROP_BDF, 0x18) }, EINVAL,
	  "pc-legacy takes no bdf, base or size" },
	{ DEV_IN_SYSTEM, { NO_PCI_PINS, STR(VDEV0, CFG_PROP_TYPE,
					    CFG_VDEV_PC_LEGACY),
			   DELP(VDEV0, CFG_PROP_BASE),
			   ADDN("/virtual-devices", "vdev-1"),
			   STR(VDEV1, CFG_PROP_TYPE, CFG_VDEV_PC_LEGACY) },
	  EINVAL, "pc-legacy listed twice: give it once" },
	/* next to pc-legacy, the other types are still refused */
	{ DEV_IN_SYSTEM, { NO_PCI_PINS, ADDN("/virtual-devices", "vdev-1"),
			   STR(VDEV1, CFG_PROP_TYPE, CFG_VDEV_PC_LEGACY) },
	  EINVAL, "virtual-devices are not implemented yet, except "
	  "pc-legacy" },
	{ DEV_IN_SYSTEM, { NO_PCI_PINS, STR(VDEV0, CFG_PROP_TYPE,
					    CFG_VDEV_PC_LEGACY),
			   DELP(VDEV0, CFG_PROP_BASE),
			   ADDN("/virtual-devices", "vdev-1"),
			   STR(VDEV1, CFG_PROP_TYPE, CFG_VDEV_IVSHMEM) },
	  EINVAL, "virtual-devices are not implemented yet, except "
	  "pc-legacy" },
	{ DEV_IN_SYSTEM, { NO_PCI_PINS, STR(VDEV0, CFG_PROP_TYPE,
					    CFG_VDEV_PCI_REDIRECT) },
	  EINVAL, "virtual-devices are not implemented yet" },
	{ DEV_IN_SYSTEM, { NO_PCI_PINS, STR(VDEV0, CFG_PROP_TYPE, "pc") },
	  EINVAL, "unknown string value" },
#undef NO_PCI_PINS
#undef VDEV0
#undef VDEV1
	/* the system alone */
	{ PARSE_SYS, { U64("/root-cell/memory/region-0", CFG_PROP_SIZE,
			   0x30001000) }, EINVAL,
	  "root cell memory overlaps the hypervisor" },
	{ PARSE_SYS, { U64("/cell-pool", CFG_PROP_PHYS, 0x31000000) }, EINVAL,
	  "cell pool overlaps the hypervisor" },
	{ PARSE_SYS, { U32("/root-cell", CFG_PROP_CPUS, 1) }, EINVAL,
	  "root cell must own CPU 0" },
	{ PARSE_SYS, { DELN("/hypervisor") }, EINVAL, "lacks hypervisor" },
	{ PARSE_SYS, { U32("/platform/pci", CFG_PROP_BUS_END, 256) }, EINVAL,
	  "bus range" },
	{ PARSE_SYS, { DELP("/platform", CFG_PROP_CPU_VENDOR) }, EINVAL,
	  "platform lacks cpu-vendor (intel or amd)" },
	{ PARSE_SYS, { STR("/platform", CFG_PROP_CPU_VENDOR, "via") }, EINVAL,
	  "cpu-vendor is neither intel nor amd" },
	{ PARSE_SYS, { RAW("/platform", CFG_PROP_CPU_VENDOR, "amd", 3) },
	  EINVAL, "cpu-vendor is neither intel nor amd" },
	{ PARSE_SYS, { STR("/platform", CFG_PROP_CPU_VENDOR, "amd") }, 0,
	  NULL },
	/* an IOAPIC's requester ID: optional, 16 bits, one 32-bit cell */
	{ PARSE_SYS, { U32("/platform/ioapic-0", CFG_PROP_SOURCE_ID,
			   0xff00) }, 0, NULL },
	{ PARSE_SYS, { U32("/platform/ioapic-0", CFG_PROP_SOURCE_ID,
			   0x10000) }, EINVAL,
	  "IOAPIC source-id is not a PCI requester ID (above 0xffff)" },
	{ PARSE_SYS, { U64("/platform/ioapic-0", CFG_PROP_SOURCE_ID,
			   0xff00) }, EINVAL, "wrong length" },
	/* the root cell: listing them would promise what is not there */
	{ PARSE_SYS, { ADDN("/root-cell", CFG_NODE_PCI_DEVS),
		       ADDN("/root-cell/pci", "device-0"),
		       U32("/root-cell/pci/device-0", CFG_PROP_BDF, 0x18) },
	  EINVAL, "pci-devices in the root cell: the root owns every device "
	  "not given to a cell; remove them from the config" },
	{ PARSE_SYS, { ADDN("/root-cell", CFG_NODE_IOAPIC_PINS),
		       ADDN("/root-cell/ioapic-pins", "pins-0"),
		       U32("/root-cell/ioapic-pins/pins-0", CFG_PROP_IOAPIC,
			   0),
		       U32("/root-cell/ioapic-pins/pins-0", CFG_PROP_PINS,
			   3) },
	  EINVAL, "ioapic-pins in the root cell: the root owns every pin "
	  "not given to a cell; remove them from the config" },
	{ PARSE_SYS, { ADDN("/root-cell", CFG_NODE_VDEVS),
		       ADDN("/root-cell/virtual-devices", "vdev-0"),
		       STR("/root-cell/virtual-devices/vdev-0", CFG_PROP_TYPE,
			   CFG_VDEV_UART) },
	  EINVAL, "virtual-devices are not implemented yet" },
	{ PARSE_SYS, { ADDN("/root-cell", CFG_NODE_VDEVS),
		       ADDN("/root-cell/virtual-devices", "vdev-0"),
		       STR("/root-cell/virtual-devices/vdev-0", CFG_PROP_TYPE,
			   CFG_VDEV_PC_LEGACY) },
	  EINVAL, "pc-legacy in the root cell: the root has the real "
	  "devices; remove it from the config" },
	{ PARSE_SYS, { ADDN("/root-cell", CFG_NODE_PCI_DEVS) }, 0, NULL },
	/* a tampered second cell takes what the first already owns */
	{ CELLS_DISJOINT, { { NONE } }, EBUSY,
	  "CPU already owned by another cell" },
	{ CELLS_DISJOINT, { U32("/", CFG_PROP_CPUS, 2) }, EBUSY,
	  "memory already owned" },
	{ CELLS_DISJOINT, { U32("/", CFG_PROP_CPUS, 2),
			    U64(R0, CFG_PROP_PHYS, 0x32200000) }, EBUSY,
	  "port range already owned" },
	{ DEV_DISJOINT, { U32("/", CFG_PROP_CPUS, 2),
			  U64(R0, CFG_PROP_PHYS, 0x32200000),
			  U32("/pio/range-0", CFG_PROP_BASE, 0x3f8) }, EBUSY,
	  "PCI device already owned" },
	{ DEV_DISJOINT, { U32("/", CFG_PROP_CPUS, 2),
			  U64(R0, CFG_PROP_PHYS, 0x32200000),
			  U32("/pio/range-0", CFG_PROP_BASE, 0x3f8),
			  U32("/pci/device-0", CFG_PROP_BDF, 0x20) }, EBUSY,
	  "IOAPIC pin already owned" },
	/* the shared region is identical on both sides: allowed */
	{ DEV_DISJOINT, { U32("/", CFG_PROP_CPUS, 2),
			  U64(R0, CFG_PROP_PHYS, 0x32200000),
			  U32("/pio/range-0", CFG_PROP_BASE, 0x3f8),
			  U32("/pci/device-0", CFG_PROP_BDF, 0x20),
			  U32("/ioapic-pins/pins-0", CFG_PROP_PINS, 4) },
	  0, NULL },
	{ DEV_DISJOINT, { U32("/", CFG_PROP_CPUS, 2),
			  U64(R0, CFG_PROP_PHYS, 0x32200000),
			  U32("/pio/range-0", CFG_PROP_BASE, 0x3f8),
			  U32("/pci/device-0", CFG_PROP_BDF, 0x20),
			  U32("/ioapic-pins/pins-0", CFG_PROP_PINS, 4),
			  U32(R1, CFG_PROP_FLAGS, CFG_MEM_READ) }, EBUSY,
	  "memory already owned" },
};

static void apply(void *fdt, const struct edit *e)
{
	int n;

	if (e->op == NONE)
		return;
	n = node(fdt, e->path);
	switch (e->op) {
	case SET_U32:
	case ADD_PROP:
		ck_assert_int_eq(fdt_setprop_u32(fdt, n, e->name, e->v), 0);
		break;
	case SET_U64:
		ck_assert_int_eq(fdt_setprop_u64(fdt, n, e->name, e->v), 0);
		break;
	case SET_STR:
		ck_assert_int_eq(fdt_setprop_string(fdt, n, e->name, e->raw),
				 0);
		break;
	case SET_RAW:
		ck_assert_int_eq(fdt_setprop(fdt, n, e->name, e->raw, e->len),
				 0);
		break;
	case DEL_PROP:
		ck_assert_int_eq(fdt_delprop(fdt, n, e->name), 0);
		break;
	case DEL_NODE:
		ck_assert_int_eq(fdt_del_node(fdt, n), 0);
		break;
	case ADD_NODE:
		ck_assert_int_ge(fdt_add_subnode(fdt, n, e->name), 0);
		break;
	case NONE:
		break;
	}
}

/* The result of running an edited blob through its case's stages. */
static int run_case(const struct reject_case *k)
{
	const char *cells = k->stage & DEVICES ? devices_yaml : cell_yaml;
	enum stage stage = k->stage & STAGE;
	void *fdt = compile(stage == PARSE_SYS ? sys_yaml : cells);
	void *base = NULL;
	size_t i;
	int err;

	for (i = 0; i < sizeof(k->edits) / sizeof(k->edits[0]); i++)
		apply(fdt, &k->edits[i]);
	if (stage == PARSE_SYS) {
		err = parse_sys(fdt);
		free(fdt);
		return err;
	}
	err = parse_cell(fdt, &cell);
	if (!err && stage == CELL_IN_SYSTEM) {
		base = compile(sys_yaml);
		ck_assert_int_eq(parse_sys(base), 0);
		err = cfg_check_cell_in_system(&sys, &cell, &why);
	} else if (!err && stage == CELLS_DISJOINT) {
		base = compile(cells);
		ck_assert_int_eq(parse_cell(base, &other), 0);
		err = cfg_check_cells_disjoint(&other, &cell, &why);
	}
	free(base);
	free(fdt);
	return err;
}

/* Each case changes one rule's worth of a valid blob: refused for it. */
START_TEST(test_reject_cases)
{
	const struct reject_case *k = &reject_cases[_i];
	int err = run_case(k);

	if (!k->why) {
		ck_assert_msg(err == 0, "case %d: err %d why %s", _i, err, why);
		return;
	}
	ck_assert_msg(err == -k->err && why && strstr(why, k->why),
		      "case %d: err %d why '%s', expected %d '%s'", _i, err,
		      why, -k->err, k->why);
}
END_TEST

/* A list beyond its CFG_MAX_* limit is E2BIG, not a buffer overrun. */
START_TEST(test_list_too_long)
{
	void *c = compile(cell_yaml);
	char name[16];
	int mem, i, r;

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

/* The machine sys_yaml describes (QEMU-like, Intel per its cpu-vendor). */
static const struct cfg_machine machine = {
	CFG_CPU_VENDOR_INTEL, 4, 0x30000000, 0x2000000,
};

static int check_machine(struct cfg_machine m)
{
	why = NULL;
	return cfg_check_system_machine(&sys, &m, &why);
}

/* The config must describe the machine the hypervisor was started on. */
START_TEST(test_system_machine)
{
	struct cfg_machine m = machine;

	load_sys(sys_yaml);
	ck_assert_int_eq(check_machine(m), 0);
	m.cpus = 3;
	ck_assert_int_eq(check_machine(m), -ERANGE);
	ck_assert_str_eq(why, "root cell names a CPU that is not online");
	m.cpus = 5;
	ck_assert_int_eq(check_machine(m), -ERANGE);
	ck_assert_str_eq(why, "root cell lacks a CPU that is online");
	m.cpus = 300;
	ck_assert_int_eq(check_machine(m), -ERANGE);
	m = machine;
	m.region_phys = 0x31000000;
	ck_rejected(check_machine(m), "not where the driver");
	m = machine;
	m.region_size = 0x1000000;
	ck_rejected(check_machine(m), "not where the driver");
}
END_TEST

/* A config for the other vendor's machine is refused before the rest. */
START_TEST(test_system_machine_vendor)
{
	struct cfg_machine m = machine;

	load_sys(sys_yaml);
	ck_assert_uint_eq(sys.cpu_vendor, CFG_CPU_VENDOR_INTEL);
	m.cpu_vendor = CFG_CPU_VENDOR_AMD;
	m.cpus = 3;	/* also wrong: the vendor is reported first */
	ck_assert_int_eq(check_machine(m), -ENOEXEC);
	ck_assert_str_eq(why, "config is for an Intel VT-x machine "
		"(cpu-vendor: intel), this CPU is not Intel");
	m.cpu_vendor = CFG_CPU_VENDOR_OTHER;
	ck_assert_int_eq(check_machine(m), -ENOEXEC);
	sys.cpu_vendor = CFG_CPU_VENDOR_AMD;
	ck_assert_int_eq(check_machine(m), -ENOEXEC);
	ck_assert_str_eq(why, "config is for an AMD-V machine (cpu-vendor: "
		"amd), this CPU is not AMD");
	m = machine;
	m.cpu_vendor = CFG_CPU_VENDOR_AMD;
	ck_assert_int_eq(check_machine(m), 0);
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

/* The QEMU test machine make-tampered.sh's system cases are made for. */
static const struct cfg_machine qemu = {
	CFG_CPU_VENDOR_AMD, 2, 0x30000000, 0x2000000,
};

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
			err = cfg_check_system_machine(&sys, &qemu, &why);
		ck_assert_msg(err == -expect && why && strstr(why, reason),
			      "%s: err %d why %s, expected %d %s", file, err,
			      why, -expect, reason);
		free(blob);
		n++;
	}
	fclose(f);
	ck_assert_int_ge(n, 10);
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
		{ "cell-vdev.dtb", "virtual-devices are not implemented yet",
		  1 },
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
	ck_assert_int_eq(cfg_check_system_machine(&sys, &qemu, &why), 0);
	free(blob);
	blob = load_blob(dir, "hello.dtb", &size);
	ck_assert_int_eq(cfg_parse_cell(blob, size, &other, &why), 0);
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &other, &why), 0);
	free(blob);
	/* hello with a PCI device: the config rules accept it now. */
	blob = load_blob(dir, "cell-pci.dtb", &size);
	ck_assert_int_eq(cfg_parse_cell(blob, size, &cell, &why), 0);
	ck_assert_uint_eq(cell.n_pci, 1);
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &cell, &why), 0);
	free(blob);
	/* hello with IOAPIC pin 3: accepted too (free or not: at create). */
	blob = load_blob(dir, "cell-ioapic-pins.dtb", &size);
	ck_assert_int_eq(cfg_parse_cell(blob, size, &cell, &why), 0);
	ck_assert_int_eq(cfg_pin_test(&cell.pin_sets[0], 3), 1);
	ck_assert_int_eq(cfg_check_cell_in_system(&sys, &cell, &why), 0);
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
	tcase_add_test(tc, test_ioapic_source_id);
	tcase_add_test(tc, test_pci_bar_mask);
	tcase_add_test(tc, test_region_not_platform);
	tcase_add_test(tc, test_unimplemented_features);
	tcase_add_test(tc, test_dma_isolation);
	tcase_add_test(tc, test_cell_cpu_limit);
	tcase_add_test(tc, test_corrupt_headers);
	tcase_add_test(tc, test_old_dtb_versions);
	tcase_add_loop_test(tc, test_reject_cases, 0,
			    sizeof(reject_cases) / sizeof(reject_cases[0]));
	tcase_add_test(tc, test_list_too_long);
	tcase_add_test(tc, test_system_machine);
	tcase_add_test(tc, test_system_machine_vendor);
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
