// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/arch/x86/cell_x86.c: what a cell takes from
 * the root cell (cell 0) and gives back, with the move operations both
 * use, on both cells' own data (NPT/EPT, leaf flags and I/O bitmap in
 * cell->arch), as both vendors use it.  The real paging.c builds the
 * tables; PCI and IOAPIC are fakes.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <hv/cell.h>
#include <hv/paging.h>
#include <hv/pci.h>
#include <hv/setup.h>
#include <asm/cell_x86.h>

#define POOL_PAGES	256
#define FAKE_PHYS	0x70000000ULL
#define ROOT_TOP	(1ULL << 30)	/* the root's identity map: 1 GiB */
#define LEAF_SHOWN	(PTE_P | PTE_RW | PTE_US)
#define LEAF_HIDDEN	(PTE_P | PTE_US)
#define CELL_RAM	0x200000ULL	/* non-loadable: taken at create */
#define CELL_LOAD	0x400000ULL	/* loadable: taken at start */
#define CELL_SHM	0x600000ULL	/* shared: stays the root's */
#define CELL_BAR	0x800000ULL	/* a PCI BAR of the cell (fake) */
#define COM1		0x3f8

struct hv_info hv;
struct cell root_cell;
static void *region;
static struct cell_x86 root_x86;
static u8 root_iopm[3 * PAGE_SIZE];
static struct cell_x86 cell_x86_part;
static u8 cell_iopm[3 * PAGE_SIZE];
static struct cell cell;

/* ---- fakes of what cell_x86.c calls outside itself ---- */

int printk(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

bool dev_claims(const struct cell *c, enum dev_space space, u64 addr)
{
	(void)c;
	(void)space;
	(void)addr;
	return false;
}

void console_cell_putc(const struct cell *c, char ch)
{
	(void)c;
	(void)ch;
}

struct cell *cell_owning(u64 pa)
{
	(void)pa;
	return &cell;
}

int pci_cell_ranges(const struct cell *c, bool ecam,
		    int (*fn)(void *arg, u64 base, u64 size), void *arg)
{
	(void)ecam;
	return c->cfg.n_pci ? fn(arg, CELL_BAR, PAGE_SIZE) : 0;
}

/* No bridge above the fake cell's device (tests/unit/hypervisor/pci_bridge.c). */
int pci_cell_bridge_pages(const struct cell *c,
			  int (*fn)(void *arg, u64 base, u64 size), void *arg)
{
	(void)c; (void)fn; (void)arg;
	return 0;
}

int ioapic_cell_pages(const struct cell *c, bool alone,
		      int (*fn)(void *arg, u64 base, u64 size), void *arg)
{
	(void)c;
	(void)alone;
	(void)fn;
	(void)arg;
	return 0;
}

/* ---- the root cell and a cell ---- */

/* A cell's leaves: read-only unless the region is writable. */
static u64 cell_leaf(u32 flags)
{
	return PTE_P | PTE_US | ((flags & CFG_MEM_WRITE) ? PTE_RW : 0);
}

static void add_region(u64 phys, u64 size, u32 flags)
{
	struct cfg_mem_region *r = &cell.cfg.mem[cell.cfg.n_mem++];

	r->phys = phys;
	r->guest = phys;
	r->size = size;
	r->flags = CFG_MEM_READ | CFG_MEM_WRITE | flags;
}

static void setup(void)
{
	region = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	ck_assert_ptr_nonnull(region);
	hv.region_virt = (u64)region;
	hv.region_phys = FAKE_PHYS;
	hv.region_size = POOL_PAGES * PAGE_SIZE;
	hv.console_port = COM1;
	ck_assert_int_eq(page_pool_init(region, POOL_PAGES), 0);

	memset(&root_x86, 0, sizeof(root_x86));
	memset(root_iopm, 0xaa, sizeof(root_iopm));
	root_x86.io_bitmap = root_iopm;
	ck_assert_int_eq(paging_init(&root_x86.pg, 4, LEAF_SHOWN, false), 0);
	ck_assert_int_eq(paging_map(&root_x86.pg, 0, 0, ROOT_TOP, LEAF_SHOWN),
			 0);
	cell_x86_root_init(&root_x86, sizeof(root_iopm), LEAF_SHOWN,
			   LEAF_HIDDEN);
	memset(&root_cell, 0, sizeof(root_cell));
	root_cell.arch = &root_x86;

	memset(&cell_x86_part, 0, sizeof(cell_x86_part));
	cell_x86_part.io_bitmap = cell_iopm;
	cell_x86_part.leaf = cell_leaf;
	ck_assert_int_eq(paging_init(&cell_x86_part.pg, 4, LEAF_SHOWN, false),
			 0);
	memset(&cell, 0, sizeof(cell));
	cell.id = 1;
	cell.arch = &cell_x86_part;
	add_region(CELL_RAM, 2 * PAGE_SIZE, 0);
	add_region(CELL_LOAD, PAGE_SIZE, CFG_MEM_LOADABLE);
	add_region(CELL_SHM, PAGE_SIZE, CFG_MEM_SHARED);
}

static void teardown(void)
{
	free(region);
}

/* @pg's leaf for @gpa: its physical address and flags, or false. */
static bool leaf_of(const struct paging *pg, u64 gpa, u64 *phys,
		    u64 *flags)
{
	u64 *table = pg->root;
	unsigned int level;

	for (level = pg->levels; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		u64 e = table[(gpa >> shift) & 511];

		if (!(e & PTE_P))
			return false;
		if (level == 1 || (e & PTE_PS)) {
			*phys = (e & PTE_ADDR_MASK & ~((1ULL << shift) - 1)) |
				(gpa & ((1ULL << shift) - 1) & ~0xfffULL);
			*flags = e & (PTE_P | PTE_RW | PTE_US);
			return true;
		}
		table = hv_va(e & PTE_ADDR_MASK);
	}
	return false;
}

static bool root_leaf(u64 gpa, u64 *phys, u64 *flags)
{
	return leaf_of(&root_x86.pg, gpa, phys, flags);
}

/* Does the cell's table map @gpa to @phys? */
static bool cell_maps(u64 gpa, u64 phys)
{
	u64 p, flags;

	return leaf_of(&cell_x86_part.pg, gpa, &p, &flags) && p == phys;
}

static void assert_shown(u64 gpa)
{
	u64 phys, flags;

	ck_assert(root_leaf(gpa, &phys, &flags));
	ck_assert_uint_eq(phys, gpa);
	ck_assert_uint_eq(flags, LEAF_SHOWN);
}

/* A page of zeros, read-only: the same page for every hidden address. */
static void assert_hidden(u64 gpa, u64 *zero)
{
	u64 phys, flags;

	ck_assert(root_leaf(gpa, &phys, &flags));
	ck_assert_uint_ne(phys, gpa);
	ck_assert_uint_eq(flags, LEAF_HIDDEN);
	if (*zero)
		ck_assert_uint_eq(phys, *zero);
	*zero = phys;
}

static bool port_exits(u32 port)
{
	return root_iopm[port / 8] & (1 << (port % 8));
}

static bool cell_port_exits(u32 port)
{
	return cell_iopm[port / 8] & (1 << (port % 8));
}

static void take(void)
{
	ck_assert_int_eq(cell_x86_take(&cell, sizeof(cell_iopm)), 0);
}

START_TEST(take_hides_non_loadable_only)
{
	u64 zero = 0;

	take();
	assert_hidden(CELL_RAM, &zero);
	assert_hidden(CELL_RAM + PAGE_SIZE, &zero);
	/* Loadable memory stays the root's until the start. */
	assert_shown(CELL_LOAD);
	/* Shared memory is never taken. */
	assert_shown(CELL_SHM);
	assert_shown(CELL_RAM - PAGE_SIZE);
	assert_shown(CELL_RAM + 2 * PAGE_SIZE);
	/* The cell's tables have all three. */
	ck_assert(cell_maps(CELL_RAM + PAGE_SIZE, CELL_RAM + PAGE_SIZE));
	ck_assert(cell_maps(CELL_LOAD, CELL_LOAD));
	ck_assert(cell_maps(CELL_SHM, CELL_SHM));
}
END_TEST

START_TEST(start_and_shutdown_move_loadable)
{
	u64 zero = 0;

	take();
	ck_assert_int_eq(cell_root_loadable(&cell, false), 0);
	assert_hidden(CELL_LOAD, &zero);
	assert_hidden(CELL_RAM, &zero);
	ck_assert_int_eq(cell_root_loadable(&cell, true), 0);
	assert_shown(CELL_LOAD);
	/* Shutdown gives back loadable memory only. */
	assert_hidden(CELL_RAM, &zero);
}
END_TEST

START_TEST(destroy_gives_everything_back)
{
	take();
	ck_assert_int_eq(cell_root_loadable(&cell, false), 0);
	ck_assert_int_eq(cell_x86_give_back(&cell), 0);
	assert_shown(CELL_RAM);
	assert_shown(CELL_RAM + PAGE_SIZE);
	assert_shown(CELL_LOAD);
	assert_shown(CELL_SHM);
	ck_assert(!cell_maps(CELL_RAM, CELL_RAM));
}
END_TEST

/* One region each way with the same call, at a guest address of its own. */
START_TEST(move_memory_both_ways)
{
	struct cfg_mem_region r = {
		.phys = CELL_RAM, .guest = 0x1000, .size = PAGE_SIZE,
		.flags = CFG_MEM_READ,
	};
	u64 zero = 0, phys, flags;

	ck_assert_int_eq(cell_move_memory(&root_cell, &cell, &r), 0);
	assert_hidden(CELL_RAM, &zero);
	ck_assert(leaf_of(&cell_x86_part.pg, 0x1000, &phys, &flags));
	ck_assert_uint_eq(phys, CELL_RAM);
	ck_assert_uint_eq(flags, PTE_P | PTE_US);
	ck_assert(!cell_maps(CELL_RAM, CELL_RAM));
	ck_assert_int_eq(cell_move_memory(&cell, &root_cell, &r), 0);
	assert_shown(CELL_RAM);
	ck_assert(!leaf_of(&cell_x86_part.pg, 0x1000, &phys, &flags));
}
END_TEST

/*
 * Create fails wherever the page pool runs out (the root's 2 MiB page
 * split, the cell's tables): then both cells are as before.  With
 * @spare pages left, from none up to enough for all of it.
 */
START_TEST(take_undone_when_pool_runs_out)
{
	static void *held[POOL_PAGES];
	unsigned int n = 0, spare;
	u64 phys, flags;
	int err = -ENOMEM;

	cell.cfg.n_pio = 1;
	cell.cfg.pio[0] = (struct cfg_pio_range){ 0x60, 2 };
	cell.cfg.n_pci = 1;
	while ((held[n] = page_alloc()))
		n++;
	for (spare = 0; err && spare < 16; spare++) {
		if (spare)
			page_free(held[--n]);
		err = cell_x86_take(&cell, sizeof(cell_iopm));
		if (!err)
			break;
		ck_assert_int_eq(err, -ENOMEM);
		assert_shown(CELL_RAM);
		assert_shown(CELL_RAM + PAGE_SIZE);
		assert_shown(CELL_BAR);
		ck_assert(!cell_maps(CELL_RAM, CELL_RAM));
		ck_assert(!cell_maps(CELL_LOAD, CELL_LOAD));
		ck_assert(!leaf_of(&cell_x86_part.pg, CELL_BAR, &phys, &flags));
		ck_assert(!port_exits(0x60));
	}
	/* It did fail at least once, and then succeeded. */
	ck_assert_uint_gt(spare, 0);
	ck_assert_int_eq(err, 0);
	ck_assert(port_exits(0x60));
}
END_TEST

START_TEST(pci_bar_leaves_root_and_comes_back)
{
	u64 phys, flags;

	cell.cfg.n_pci = 1;
	take();
	ck_assert(!root_leaf(CELL_BAR, &phys, &flags));
	ck_assert(cell_maps(CELL_BAR, CELL_BAR));
	ck_assert_int_eq(cell_x86_give_back(&cell), 0);
	assert_shown(CELL_BAR);
	ck_assert(!cell_maps(CELL_BAR, CELL_BAR));
}
END_TEST

START_TEST(ports_move_between_root_and_cell)
{
	cell.cfg.n_pio = 2;
	cell.cfg.pio[0] = (struct cfg_pio_range){ 0x60, 2 };
	cell.cfg.pio[1] = (struct cfg_pio_range){ COM1, 8 };
	ck_assert(!port_exits(0x60));
	take();
	ck_assert(port_exits(0x60));
	ck_assert(port_exits(0x61));
	ck_assert(!port_exits(0x62));
	ck_assert(!cell_port_exits(0x60));
	ck_assert(!cell_port_exits(0x61));
	ck_assert(cell_port_exits(0x62));
	/* The debug console stays the root's: the cell's UART is virtual. */
	ck_assert(!port_exits(COM1));
	ck_assert(cell_port_exits(COM1));
	ck_assert_int_eq(cell_x86_give_back(&cell), 0);
	ck_assert(!port_exits(0x60));
	ck_assert(!port_exits(0x61));
	ck_assert(cell_port_exits(0x60));
}
END_TEST

/* Config mechanism 1 exits for the root from enable, whoever had it. */
START_TEST(root_traps_cf8_from_enable)
{
	ck_assert(port_exits(PCI_CF8_PORT));
	ck_assert(port_exits(PCI_CF8_PORT + PCI_CF8_PORTS - 1));
	ck_assert(!port_exits(PCI_CF8_PORT - 1));
	ck_assert(!port_exits(PCI_CF8_PORT + PCI_CF8_PORTS));
	cell.cfg.n_pio = 1;
	cell.cfg.pio[0] = (struct cfg_pio_range){ PCI_CF8_PORT, 8 };
	take();
	ck_assert(!cell_port_exits(PCI_CF8_PORT));
	ck_assert_int_eq(cell_x86_give_back(&cell), 0);
	ck_assert(port_exits(PCI_CF8_PORT));
	ck_assert(port_exits(PCI_CF8_PORT + PCI_CF8_PORTS - 1));
}
END_TEST

/* The root's memory at enable: all below the top but the hypervisor's. */
START_TEST(root_map_leaves_out_the_hypervisor)
{
	const u64 top = 2ULL << 30, hv_end = FAKE_PHYS + hv.region_size;
	const u64 mapped[] = { 0, FAKE_PHYS - PAGE_SIZE, hv_end,
			       top - PAGE_SIZE };
	const u64 hidden[] = { FAKE_PHYS, hv_end - PAGE_SIZE, top };
	struct cell_x86 x = { .leaf_shown = LEAF_SHOWN };
	u64 phys, flags;
	unsigned int i;

	ck_assert_int_eq(paging_init(&x.pg, 4, LEAF_SHOWN, false), 0);
	ck_assert_int_eq(cell_x86_root_map(&x, top), 0);
	for (i = 0; i < sizeof(mapped) / sizeof(mapped[0]); i++) {
		ck_assert(leaf_of(&x.pg, mapped[i], &phys, &flags));
		ck_assert_uint_eq(phys, mapped[i]);
		ck_assert_uint_eq(flags, LEAF_SHOWN);
	}
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		ck_assert(!leaf_of(&x.pg, hidden[i], &phys, &flags));
}
END_TEST

static Suite *cell_x86_suite(void)
{
	Suite *s = suite_create("cell_x86");
	TCase *tc = tcase_create("root");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, take_hides_non_loadable_only);
	tcase_add_test(tc, start_and_shutdown_move_loadable);
	tcase_add_test(tc, destroy_gives_everything_back);
	tcase_add_test(tc, pci_bar_leaves_root_and_comes_back);
	tcase_add_test(tc, ports_move_between_root_and_cell);
	tcase_add_test(tc, root_traps_cf8_from_enable);
	tcase_add_test(tc, root_map_leaves_out_the_hypervisor);
	tcase_add_test(tc, move_memory_both_ways);
	tcase_add_test(tc, take_undone_when_pool_runs_out);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cell_x86_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
