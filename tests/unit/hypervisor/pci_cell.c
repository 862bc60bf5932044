// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/pci_cell.c: a PCI device changes hands
 * between the root and a cell in one move (pci_device_move()), create is
 * moves from the root undone on failure, destroy the moves back.  Over
 * the real pci.c, pci_reset.c and the registry, on two fake functions
 * (no capabilities, one 4 KiB memory BAR each) and a root device table
 * that can be made to run out.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <hv/cell.h>
#include <hv/devmodel.h>
#include <hv/iommu.h>
#include <hv/pci.h>
#include <hv/pci_msix.h>
#include <hv/sysconfig.h>

#define N_DEV		2
#define BDF(i)		(0x0020 + 8 * (i))	/* 00:04.0, 00:05.0 */
#define BAR_BASE(i)	(0xfe000000u + 0x1000u * (i))
#define BAR_SIZE	0x1000u
#define CMD_ROOT	0x0007u			/* io, memory, bus master */

struct cell_cpu cell_cpus[CELLVISOR_MAX_CPUS];
struct cell root_cell;
static struct cell cell_a;
/* Devices on the root bus: no bridge above them to hold (pci_bridge.c). */
static const struct cfg_system sys_cfg;
const struct cfg_system *sys_config = &sys_cfg;

/* ---- two fake functions ---- */

static u8 space[N_DEV][PCI_CFG_SIZE];
static u32 bar_written[N_DEV];	/* BAR 0 as written (sizing reads the mask) */

static int dev_index(u16 bdf)
{
	unsigned int i;

	for (i = 0; i < N_DEV; i++)
		if (bdf == BDF(i))
			return i;
	return -1;
}

static u32 fake_read(u16 bdf, u16 reg, unsigned int size)
{
	int i = dev_index(bdf);
	u32 v = 0;

	if (i < 0 || reg + size > PCI_CFG_SIZE)
		return 0xffffffff;
	if (reg == PCI_BAR0 && size == 4)
		return bar_written[i] & ~(BAR_SIZE - 1);
	memcpy(&v, &space[i][reg], size);
	return v;
}

static void fake_write(u16 bdf, u16 reg, unsigned int size, u32 val)
{
	int i = dev_index(bdf);

	if (i < 0 || reg + size > PCI_CFG_SIZE)
		return;
	if (reg == PCI_BAR0 && size == 4)
		bar_written[i] = val;
	else
		memcpy(&space[i][reg], &val, size);
}

const struct pci_cfg_hw pci_mach = { fake_read, fake_write };

void pci_mach_setup(bool has, u64 base, u32 bus_start, u32 bus_end)
{
	(void)has;
	(void)base;
	(void)bus_start;
	(void)bus_end;
}

u64 pci_mach_ecam_page(u16 bdf)
{
	(void)bdf;
	return 0;
}

/* ---- the root's side: its table, its MSI entries ---- */

static int root_claims, root_claim_room;
static int msi_given[N_DEV];

int cell_root_claim(enum dev_space space, u64 base, u64 len,
		    const struct dev_model *m, void *priv)
{
	if (root_claims >= root_claim_room)
		return -ENOSPC;
	root_claims++;
	return dev_claim(&root_cell, space, base, len, m, priv);
}

void cell_root_release(const struct dev_model *m, void *priv)
{
	unsigned int before = root_cell.devs.n;

	dev_release(&root_cell, m, priv);
	root_claims -= before - root_cell.devs.n;
}

void pci_root_msi_give(u16 bdf)
{
	msi_given[dev_index(bdf)]++;
}

void pci_root_msi_back(u16 bdf)
{
	msi_given[dev_index(bdf)]--;
}

u64 pci_root_msix_trap(u16 bdf, u64 *len)
{
	(void)bdf;
	*len = 0;
	return 0;
}

bool pci_root_traps_ecam(u16 bdf)
{
	(void)bdf;
	return false;
}

bool cell_range_protected(u64 pa, u64 size)
{
	(void)pa;
	(void)size;
	return false;
}

bool iommu_isolates_dma(void)
{
	return true;
}

bool iommu_remaps_irqs(void)
{
	return true;
}

void printk(const char *fmt, ...)
{
	(void)fmt;
}

/* No function here has MSI-X: the table model is never reached. */
struct pci_msix *pci_msix_get(void)
{
	ck_abort_msg("MSI-X without a capability");
	return NULL;
}

void pci_msix_put(struct pci_msix *x)
{
	(void)x;
}

void pci_msix_init(struct pci_msix *x, const struct pci_cfg_hw *hw, u16 bdf,
		   u16 cap)
{
	(void)x;
	(void)hw;
	(void)bdf;
	(void)cap;
}

int pci_msix_place(struct pci_msix *x, u64 base, u64 size, u64 pba_base)
{
	(void)x;
	(void)base;
	(void)size;
	(void)pba_base;
	return -EINVAL;
}

int pci_msix_hw_map(struct pci_msix *x)
{
	(void)x;
	return 0;
}

void pci_msix_take(struct pci_msix *x, const struct pci_msix_mmio *mm,
		   bool keep)
{
	(void)x;
	(void)mm;
	(void)keep;
}

void pci_msix_release(struct pci_msix *x, const struct pci_msix_mmio *mm)
{
	(void)x;
	(void)mm;
}

u16 pci_msix_hw_decode_on(u16 bdf)
{
	(void)bdf;
	return 0;
}

void pci_msix_hw_decode_back(u16 bdf, u16 cmd)
{
	(void)bdf;
	(void)cmd;
}

int pci_msix_access(struct pci_msix *x, const struct pci_msix_mmio *mm,
		    u64 pa, unsigned int size, bool write, u64 *val,
		    pci_msix_check_fn *check, const void *ctx,
		    struct pci_msix_event *ev)
{
	(void)x;
	(void)mm;
	(void)pa;
	(void)size;
	(void)write;
	(void)val;
	(void)check;
	(void)ctx;
	(void)ev;
	return -EINVAL;
}

const struct pci_msix_mmio pci_msix_hw;

/* The registry's section needs a model in it. */
static const struct dev_model none_model = { .name = "none" };
DEV_MODEL(none_model);

/* ---- helpers ---- */

static void fn_setup(unsigned int i)
{
	memset(space[i], 0, sizeof(space[i]));
	space[i][0] = 0x34;	/* vendor 0x1234, device 0x11e8 */
	space[i][1] = 0x12;
	space[i][2] = 0xe8;
	space[i][3] = 0x11;
	space[i][PCI_COMMAND] = CMD_ROOT;
	bar_written[i] = BAR_BASE(i);
}

static void setup(void)
{
	struct cfg_pci_device *p;
	unsigned int i;

	memset(&root_cell, 0, sizeof(root_cell));
	memset(&cell_a, 0, sizeof(cell_a));
	strcpy(cell_a.cfg.name, "a");
	cell_a.cfg.cpus[0] = 1ULL << 1;
	cell_cpus[1].apic_id = 1;
	cell_cpus[1].apic_id_valid = true;
	cell_a.cfg.n_pci = N_DEV;
	for (i = 0; i < N_DEV; i++) {
		fn_setup(i);
		msi_given[i] = 0;
		p = &cell_a.cfg.pci[i];
		p->bdf = BDF(i);
		p->has_bars = BIT(0);
		p->bar_base[0] = BAR_BASE(i);
		p->bar_size[0] = BAR_SIZE;
	}
	root_claims = 0;
	root_claim_room = 64;
}

static void teardown(void)
{
	pci_cell_destroy(&cell_a);
}

/* What the root sees of the devices, to compare before and after. */
struct root_view {
	bool owned[N_DEV], trapped[N_DEV];
	int given[N_DEV], claims;
	unsigned int cell_claims;
};

static void root_view_get(struct root_view *v)
{
	unsigned int i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < N_DEV; i++) {
		v->owned[i] = pci_owned(BDF(i));
		v->trapped[i] = dev_claims(&root_cell, DEV_SPACE_MMIO,
					   BAR_BASE(i));
		v->given[i] = msi_given[i];
	}
	v->claims = root_claims;
	v->cell_claims = cell_a.devs.n;
}

static void root_view_same(const struct root_view *x,
			   const struct root_view *y)
{
	unsigned int i;

	for (i = 0; i < N_DEV; i++) {
		ck_assert_int_eq(x->owned[i], y->owned[i]);
		ck_assert_int_eq(x->trapped[i], y->trapped[i]);
		ck_assert_int_eq(x->given[i], y->given[i]);
	}
	ck_assert_int_eq(x->claims, y->claims);
	ck_assert_uint_eq(x->cell_claims, y->cell_claims);
}

static u16 cmd(unsigned int i)
{
	return fake_read(BDF(i), PCI_COMMAND, 2);
}

/* ---- tests ---- */

/* Create moves each device: hidden, its MSI entry given, BAR trapped. */
START_TEST(create_moves_every_device)
{
	const char *why = NULL;
	unsigned int i;

	ck_assert_int_eq(pci_cell_create(&cell_a, &why), 0);
	for (i = 0; i < N_DEV; i++) {
		ck_assert(pci_owned(BDF(i)));
		ck_assert_int_eq(msi_given[i], 1);
		ck_assert(dev_claims(&root_cell, DEV_SPACE_MMIO, BAR_BASE(i)));
		/* taken: bus mastering off, INTx off */
		ck_assert(!(cmd(i) & PCI_COMMAND_MASTER));
		ck_assert(cmd(i) & PCI_COMMAND_INTX_OFF);
	}
	ck_assert_int_eq(root_claims, N_DEV);
	pci_cell_destroy(&cell_a);
	for (i = 0; i < N_DEV; i++) {
		ck_assert(!pci_owned(BDF(i)));
		ck_assert_int_eq(msi_given[i], 0);
	}
	ck_assert_int_eq(root_claims, 0);
}
END_TEST

/* One device there and back: the root's view as before. */
START_TEST(move_and_back)
{
	struct root_view before, moved, after;
	const char *why = NULL;

	ck_assert_int_eq(pci_cell_create(&cell_a, &why), 0);
	ck_assert_int_eq(pci_device_move(pci_cell_device(&cell_a, 1), &cell_a,
					 &root_cell, &why), 0);
	root_view_get(&before);
	ck_assert(!before.owned[1] && before.owned[0]);
	ck_assert_int_eq(pci_device_move(pci_cell_device(&cell_a, 1),
					 &root_cell, &cell_a, &why), 0);
	root_view_get(&moved);
	ck_assert(moved.owned[1] && moved.trapped[1]);
	ck_assert_int_eq(moved.given[1], 1);
	/* Twice the same way, or between two cells: refused, no change. */
	ck_assert_int_eq(pci_device_move(pci_cell_device(&cell_a, 1),
					 &root_cell, &cell_a, &why), -EBUSY);
	ck_assert_int_eq(pci_device_move(pci_cell_device(&cell_a, 1),
					 &cell_a, &cell_a, &why), -EINVAL);
	root_view_get(&after);
	root_view_same(&moved, &after);
	ck_assert_int_eq(pci_device_move(pci_cell_device(&cell_a, 1), &cell_a,
					 &root_cell, &why), 0);
	root_view_get(&after);
	root_view_same(&before, &after);
	/* Given back quiesced (as after destroy): no decode, no mastering. */
	ck_assert(!(cmd(1) & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)));
}
END_TEST

/*
 * The second device's move fails (no room left in the root's table):
 * the first goes back, the root owns everything, and the slot is free.
 */
START_TEST(create_fails_midway_root_keeps_all)
{
	struct root_view before, after;
	const char *why = NULL;

	root_view_get(&before);
	root_claim_room = 1;
	ck_assert_int_eq(pci_cell_create(&cell_a, &why), -ENOSPC);
	ck_assert_ptr_nonnull(strstr(why, "root's device table"));
	root_view_get(&after);
	root_view_same(&before, &after);
	ck_assert_ptr_null(pci_cell_device(&cell_a, 0));
	root_claim_room = 64;
	ck_assert_int_eq(pci_cell_create(&cell_a, &why), 0);
	ck_assert(pci_owned(BDF(0)) && pci_owned(BDF(1)));
}
END_TEST

/* A BAR size that is not the device's: refused before the first move. */
START_TEST(size_refusal_changes_nothing)
{
	struct root_view before, after;
	const char *why = NULL;

	cell_a.cfg.pci[1].bar_size[0] = 2 * BAR_SIZE;
	root_view_get(&before);
	ck_assert_int_eq(pci_cell_create(&cell_a, &why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "BAR size"));
	root_view_get(&after);
	root_view_same(&before, &after);
	ck_assert_uint_eq(cmd(0), CMD_ROOT);
	ck_assert_uint_eq(cmd(1), CMD_ROOT);
}
END_TEST

static Suite *pci_cell_suite(void)
{
	Suite *s = suite_create("pci_cell");
	TCase *tc = tcase_create("move");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, create_moves_every_device);
	tcase_add_test(tc, move_and_back);
	tcase_add_test(tc, create_fails_midway_root_keeps_all);
	tcase_add_test(tc, size_refusal_changes_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pci_cell_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
