// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/pci_msix.c, the MSI-X table model: a fake
 * function (capability in a fake config space, table and PBA in a fake
 * BAR page), a fake remapping table, and the cell's check of pci.c.
 */
#include <check.h>
#include <string.h>
#include <hv/pci.h>
#include <hv/pci_msix.h>
#include "fakes/irt.h"

#define BDF		0x0028		/* 00:05.0 */
#define CAP		0xa0
#define BAR_BASE	0xfeb80000ULL
#define BAR_SIZE	0x4000ULL
#define PBA_OFF		0x2000
#define CELL_APIC	1		/* the owner's CPU */
#define ROOT_APIC	0

/* ---- config space ---- */

static u8 space[PCI_CFG_SIZE];

static u32 cfg_read(u16 bdf, u16 reg, unsigned int size)
{
	u32 v = 0;

	ck_assert_uint_eq(bdf, BDF);
	memcpy(&v, &space[reg], size);
	return v;
}

static void cfg_write(u16 bdf, u16 reg, unsigned int size, u32 val)
{
	ck_assert_uint_eq(bdf, BDF);
	memcpy(&space[reg], &val, size);
}

static const struct pci_cfg_hw cfg = { cfg_read, cfg_write };

static void put(u16 reg, u32 val, unsigned int size)
{
	memcpy(&space[reg], &val, size);
}

/* ---- the BAR's pages: table at 0, PBA at PBA_OFF, a register at 0x800 ---- */

static u8 bar[BAR_SIZE];
struct mmio_write {
	u64 off;
	unsigned int size;
	u64 val;
};
static struct mmio_write log_w[64];
static unsigned int n_log;

static u64 off_of(void *p)
{
	ck_assert((u8 *)p >= bar && (u8 *)p < bar + sizeof(bar));
	return (u8 *)p - bar;
}

static u64 mm_read(void *p, unsigned int size)
{
	u64 v = 0;

	off_of(p);
	memcpy(&v, p, size);
	return v;
}

static void mm_write(void *p, unsigned int size, u64 val)
{
	if (n_log < 64)
		log_w[n_log++] = (struct mmio_write){ off_of(p), size, val };
	memcpy(p, &val, size);
}

static const struct pci_msix_mmio mm = { mm_read, mm_write };

static u32 entry_hw(unsigned int i, unsigned int word)
{
	u32 v;

	memcpy(&v, &bar[i * 16 + word * 4], 4);
	return v;
}

static void entry_put(unsigned int i, unsigned int word, u32 v)
{
	memcpy(&bar[i * 16 + word * 4], &v, 4);
}

/* ---- the remapping table ---- */

/* ---- the function ---- */

static struct pci_msix x;
static struct pci_device owner;		/* the cell's check: its CPUs */
/* The owner's rule: the cell's (its CPUs) unless a test sets another. */
static pci_msix_check_fn *check = pci_device_msix_check;


static void setup(void)
{
	memset(space, 0, sizeof(space));
	memset(bar, 0, sizeof(bar));
	fake_irt_reset();
	n_log = 0;
	put(CAP, 0x11, 1);
	put(CAP + 2, 4, 2);			/* 5 entries */
	put(CAP + 4, 0x0 | 3, 4);		/* table: BAR 3 offset 0 */
	put(CAP + 8, PBA_OFF | 3, 4);		/* PBA: BAR 3 offset 0x2000 */
	memset(&owner, 0, sizeof(owner));
	pci_device_msi_dest(&owner, CELL_APIC);
	pci_set_remap(&fake_remap);
	pci_msix_init(&x, &cfg, BDF, CAP);
	ck_assert_int_eq(pci_msix_place(&x, BAR_BASE, BAR_SIZE, BAR_BASE), 0);
	x.regs = bar;		/* the trapped range is the BAR's first page */
}

static void teardown(void)
{
	pci_set_remap(NULL);
	check = pci_device_msix_check;
}

static int access(u64 off, unsigned int size, bool write, u64 *val,
		  struct pci_msix_event *ev)
{
	return pci_msix_access(&x, &mm, BAR_BASE + off, size, write, val,
			       check, &owner, ev);
}

static struct pci_msix_event wr32(u64 off, u32 v)
{
	struct pci_msix_event ev;
	u64 val = v;

	ck_assert_int_eq(access(off, 4, true, &val, &ev), 0);
	return ev;
}

static u64 rd(u64 off, unsigned int size)
{
	struct pci_msix_event ev;
	u64 val = 0x5a5a5a5a5a5a5a5aULL;

	ck_assert_int_eq(access(off, size, false, &val, &ev), 0);
	return val;
}

/* As Linux programs an entry: mask, address, upper, data, unmask. */
static struct pci_msix_event program(unsigned int i, u32 addr, u32 data)
{
	wr32(i * 16 + 12, 1);
	wr32(i * 16, addr);
	wr32(i * 16 + 4, 0);
	wr32(i * 16 + 8, data);
	return wr32(i * 16 + 12, 0);
}

START_TEST(place_from_the_capability)
{
	ck_assert_uint_eq(x.n, 5);
	ck_assert_uint_eq(x.bir, 3);
	ck_assert_ptr_null(x.refusal);
	ck_assert_uint_eq(x.table, BAR_BASE);
	ck_assert_uint_eq(x.trap, BAR_BASE);
	ck_assert_uint_eq(x.trap_len, 4096);
	ck_assert_uint_eq(x.pba, BAR_BASE + PBA_OFF);
	ck_assert_uint_eq(x.pba_len, 8);
	ck_assert(pci_msix_traps(&x, BAR_BASE + 0xfff));
	ck_assert(!pci_msix_traps(&x, BAR_BASE + 0x1000));
}
END_TEST

START_TEST(place_refuses_what_it_cannot_serve)
{
	/* a table too big for the model */
	put(CAP + 2, 64, 2);			/* 65 entries */
	pci_msix_init(&x, &cfg, BDF, CAP);
	ck_assert_ptr_nonnull(strstr(x.refusal, "more than 64 entries"));
	ck_assert_int_eq(pci_msix_place(&x, BAR_BASE, BAR_SIZE, 0), -EINVAL);
	ck_assert_uint_eq(x.trap_len, 0);
	/* a BAR the owner does not have */
	put(CAP + 2, 4, 2);
	pci_msix_init(&x, &cfg, BDF, CAP);
	ck_assert_int_eq(pci_msix_place(&x, 0, 0, 0), -EINVAL);
	ck_assert_ptr_nonnull(strstr(x.refusal, "not one of the owner's"));
	/* a table reaching beyond its BAR */
	put(CAP + 4, 0x3fc0 | 3, 4);
	pci_msix_init(&x, &cfg, BDF, CAP);
	ck_assert_int_eq(pci_msix_place(&x, BAR_BASE, BAR_SIZE, 0), -EINVAL);
	ck_assert_ptr_nonnull(strstr(x.refusal, "beyond its BAR"));
	/* an offset past the BAR's end (no wrap-around) */
	put(CAP + 4, 0xfffffff8 | 3, 4);
	pci_msix_init(&x, &cfg, BDF, CAP);
	ck_assert_int_eq(pci_msix_place(&x, BAR_BASE, BAR_SIZE, 0), -EINVAL);
	/* BIR 6 and 7 name no BAR */
	put(CAP + 4, 6, 4);
	pci_msix_init(&x, &cfg, BDF, CAP);
	ck_assert_ptr_nonnull(strstr(x.refusal, "does not exist"));
	/* a table across a page boundary: both pages trapped */
	put(CAP + 4, 0xfe0 | 3, 4);
	pci_msix_init(&x, &cfg, BDF, CAP);
	ck_assert_int_eq(pci_msix_place(&x, BAR_BASE, BAR_SIZE, 0), 0);
	ck_assert_uint_eq(x.trap, BAR_BASE);
	ck_assert_uint_eq(x.trap_len, 8192);
}
END_TEST

START_TEST(take_masks_every_entry)
{
	unsigned int i;

	entry_put(1, 0, 0xfee00000);		/* the root's live entry */
	entry_put(1, 2, 0x41);
	entry_put(1, 3, 0);
	pci_msix_take(&x, &mm, false);
	for (i = 0; i < 5; i++) {
		ck_assert_uint_eq(entry_hw(i, 3) & 1, 1);
		ck_assert_uint_eq(rd(i * 16 + 12, 4), 1);
		ck_assert_uint_eq(rd(i * 16, 8), 0);
	}
	/* the root's take-over keeps what the device holds */
	entry_put(1, 3, 0);
	pci_msix_take(&x, &mm, true);
	ck_assert_uint_eq(rd(16, 4), 0xfee00000);
	ck_assert_uint_eq(rd(16 + 8, 4), 0x41);
	ck_assert_uint_eq(rd(16 + 12, 4), 0);
	ck_assert_uint_eq(entry_hw(1, 3) & 1, 1);
}
END_TEST

START_TEST(entry_remapped_masked_first_unmasked_last)
{
	struct pci_msix_event ev;
	unsigned int i;

	pci_msix_take(&x, &mm, false);
	ev = program(2, 0xfee00000 | CELL_APIC << 12, 0x41);
	ck_assert_int_eq(ev.err, 0);
	ck_assert(ev.unmasked);
	ck_assert_int_eq(ev.entry, 2);
	ck_assert_int_eq(ev.irq, 0);
	ck_assert_uint_eq(irt[0].dest, CELL_APIC);
	ck_assert_uint_eq(irt[0].vector, 0x41);
	ck_assert_uint_eq(irt[0].sid, BDF);
	/* the device holds the remappable message, unmasked */
	ck_assert_uint_eq(entry_hw(2, 0), 0xfee00000u | BIT(4));
	ck_assert_uint_eq(entry_hw(2, 1), 0);
	ck_assert_uint_eq(entry_hw(2, 2), 0);
	ck_assert_uint_eq(entry_hw(2, 3) & 1, 0);
	/* the owner reads what it wrote */
	ck_assert_uint_eq(rd(32, 4), 0xfee00000 | CELL_APIC << 12);
	ck_assert_uint_eq(rd(40, 4), 0x41);
	/* order of the device writes for the unmasking write: mask first */
	for (i = 0; i < n_log && log_w[i].off != 32; i++)
		;
	ck_assert(i < n_log);
	ck_assert_uint_eq(log_w[n_log - 1].off, 32 + 12);
	ck_assert_uint_eq(log_w[n_log - 1].val & 1, 0);
	for (i = 0; i < n_log - 1; i++)
		if (log_w[i].off == 32 + 12)
			ck_assert_uint_eq(log_w[i].val & 1, 1);
	/*
	 * A live entry's new message (an IRTE of another index here: the
	 * first is taken by hand): the device's entry is masked before its
	 * address changes and unmasked after.
	 */
	irt_used[1] = true;
	x.irq[2] = -1;
	n_log = 0;
	ev = wr32(40, 0x43);
	ck_assert_int_eq(ev.irq, 2);
	ck_assert_uint_ge(n_log, 3);
	ck_assert_uint_eq(log_w[0].off, 32 + 12);
	ck_assert_uint_eq(log_w[0].val & 1, 1);
	ck_assert_uint_eq(log_w[n_log - 1].off, 32 + 12);
	ck_assert_uint_eq(log_w[n_log - 1].val & 1, 0);
	ck_assert_uint_eq(entry_hw(2, 0), 0xfee00000u | 2 << 5 | BIT(4));
	/* the same message again: nothing written, the same entry */
	n_log = 0;
	ev = wr32(32 + 12, 0);
	ck_assert_uint_eq(n_log, 0);
	ck_assert_int_eq(ev.irq, 2);
	/* the owner masks it: masked in the device */
	ev = wr32(32 + 12, 1);
	ck_assert(!ev.unmasked && !ev.err);
	ck_assert_uint_eq(entry_hw(2, 3) & 1, 1);
}
END_TEST

START_TEST(hostile_destination_stays_masked)
{
	struct pci_msix_event ev;

	pci_msix_take(&x, &mm, false);
	ev = program(3, 0xfee00000 | ROOT_APIC << 12, 0x41);
	ck_assert_int_eq(ev.err, -EPERM);
	ck_assert_ptr_nonnull(strstr(ev.why, "not a CPU of the cell"));
	ck_assert_uint_eq(entry_hw(3, 3) & 1, 1);
	ck_assert_uint_eq(entry_hw(3, 0), 0);	/* never the owner's value */
	ck_assert(!irt_used[0]);
	/* remappable format crafted by the owner: refused as well */
	ev = program(3, 0xfee00018, 0);
	ck_assert_int_eq(ev.err, -EPERM);
	ck_assert_uint_eq(entry_hw(3, 3) & 1, 1);
	/* a live entry turned hostile: masked again */
	ev = program(3, 0xfee00000 | CELL_APIC << 12, 0x42);
	ck_assert_int_eq(ev.err, 0);
	ev = wr32(48, 0xfee00000 | ROOT_APIC << 12);
	ck_assert_int_eq(ev.err, -EPERM);
	ck_assert_uint_eq(entry_hw(3, 3) & 1, 1);
	/* without remapping: refused, masked */
	pci_set_remap(NULL);
	ev = program(4, 0xfee00000 | CELL_APIC << 12, 0x41);
	ck_assert_int_eq(ev.err, -EPERM);
	ck_assert_ptr_nonnull(strstr(ev.why, "interrupt remapping"));
	ck_assert_uint_eq(entry_hw(4, 3) & 1, 1);
}
END_TEST

/* The root's rule lets remappable format through (its remapping emulated). */
static const char *pass_all(const void *ctx, u32 addr, u32 addr_hi, u32 data)
{
	(void)ctx; (void)addr; (void)addr_hi; (void)data;
	return NULL;
}

/* Linux's entry 5 (the emulated table): vector 0x55 at APIC ID 7. */
static int fake_remappable(u32 addr, u32 data, u16 sid, struct iommu_irq *t,
			   const char **why)
{
	(void)data; (void)sid;
	if (((addr >> 5) & 0x7fff) != 5) {
		*why = "not present";
		return -ENOENT;
	}
	*t = (struct iommu_irq){ .dest = 7, .vector = 0x55 };
	return 0;
}

static const struct pci_remap remap_emulated = {
	.alloc = iommu_irq_alloc, .set = iommu_irq_set, .free = iommu_irq_free,
	.msi = iommu_irq_msi, .remappable = fake_remappable,
};

/*
 * A remappable-format entry names an entry of the owner's own table, never
 * a destination in its address bits: without a table to read it is
 * refused, with one (the root's, emulated) it resolves through it.
 */
START_TEST(remappable_entry_through_the_owners_table)
{
	const u32 remappable = 0xfee00000u | 5u << 5 | BIT(4) | BIT(3);
	struct pci_msix_event ev;

	check = pass_all;
	pci_msix_take(&x, &mm, false);
	ev = program(1, remappable, 0);
	ck_assert_int_eq(ev.err, -EPERM);
	ck_assert_ptr_nonnull(strstr(ev.why, "remappable format"));
	ck_assert_uint_eq(entry_hw(1, 3) & 1, 1);
	ck_assert(!irt_used[0]);

	pci_set_remap(&remap_emulated);
	ev = program(1, remappable, 0);
	ck_assert_int_eq(ev.err, 0);
	ck_assert_uint_eq(irt[ev.irq].dest, 7);
	ck_assert_uint_eq(irt[ev.irq].vector, 0x55);
	ck_assert_uint_eq(irt[ev.irq].sid, BDF);
	ck_assert_uint_eq(entry_hw(1, 3) & 1, 0);
	/* an index Linux's table does not have: masked again */
	ev = program(1, 0xfee00000u | 6u << 5 | BIT(4) | BIT(3), 0);
	ck_assert_int_eq(ev.err, -EPERM);
	ck_assert_uint_eq(entry_hw(1, 3) & 1, 1);
}
END_TEST

START_TEST(out_of_table_forwarded_pba_writes_dropped)
{
	struct pci_msix_event ev;
	u64 v = 0x1122334455667788ULL;

	memcpy(&bar[0x800], &v, 8);
	ck_assert_uint_eq(rd(0x800, 8), v);
	ck_assert_uint_eq(rd(0x804, 4), 0x11223344);
	ck_assert_uint_eq(rd(0x801, 1), 0x77);
	v = 0xaabbccddeeff0011ULL;
	ck_assert_int_eq(access(0x800, 8, true, &v, &ev), 0);
	ck_assert_int_eq(ev.entry, -1);
	ck_assert_uint_eq(n_log, 1);
	ck_assert_uint_eq(log_w[0].size, 8);
	ck_assert_uint_eq(log_w[0].val, v);
	/* a PBA inside the trapped page (a device may place it there) */
	x.pba = BAR_BASE + 0x900;
	bar[0x900] = 0x04;
	ck_assert_uint_eq(rd(0x900, 8), 0x04);
	n_log = 0;
	v = 0;
	ck_assert_int_eq(access(0x900, 8, true, &v, &ev), 0);
	ck_assert_uint_eq(n_log, 0);
	ck_assert_uint_eq(bar[0x900], 0x04);
}
END_TEST

START_TEST(bad_accesses_refused)
{
	struct pci_msix_event ev;
	u64 v = 0;

	ck_assert_int_eq(access(0, 3, false, &v, &ev), -EINVAL);
	ck_assert_int_eq(access(2, 4, false, &v, &ev), -EINVAL);
	ck_assert_int_eq(access(4, 8, true, &v, &ev), -EINVAL);
	ck_assert_int_eq(access(0x1000, 4, false, &v, &ev), -EINVAL);
	ck_assert_int_eq(pci_msix_access(&x, &mm, BAR_BASE - 4, 4, false, &v,
					 pci_device_msix_check, &owner, &ev),
			 -EINVAL);
	ck_assert_uint_eq(n_log, 0);
}
END_TEST

START_TEST(qword_and_byte_writes_of_an_entry)
{
	struct pci_msix_event ev;
	u64 v;

	pci_msix_take(&x, &mm, false);
	v = 0xfee00000 | CELL_APIC << 12;	/* address and upper 0 */
	ck_assert_int_eq(access(16, 8, true, &v, &ev), 0);
	v = 0x41;				/* data, control unmasked */
	ck_assert_int_eq(access(24, 8, true, &v, &ev), 0);
	ck_assert_int_eq(ev.err, 0);
	ck_assert(ev.unmasked);
	ck_assert_uint_eq(entry_hw(1, 0), 0xfee00000u | BIT(4));
	/* a byte of the data: the vector changes, the entry follows */
	v = 0x42;
	ck_assert_int_eq(access(24, 1, true, &v, &ev), 0);
	ck_assert_uint_eq(irt[ev.irq].vector, 0x42);
	/* reserved control bits read 0 */
	v = 0xfffffffe;
	ck_assert_int_eq(access(28, 4, true, &v, &ev), 0);
	ck_assert_uint_eq(rd(28, 4), 0);
}
END_TEST

START_TEST(release_and_restore)
{
	unsigned int i;

	for (i = 0; i < 5; i++)
		entry_put(i, 3, 1);		/* masked, as after reset */
	pci_msix_take(&x, &mm, true);
	program(0, 0xfee00000 | CELL_APIC << 12, 0x41);
	program(1, 0xfee00000 | CELL_APIC << 12, 0x42);
	ck_assert(irt_used[0] && irt_used[1]);
	pci_msix_restore(&x, &mm);
	ck_assert_uint_eq(irt_frees, 2);
	ck_assert_uint_eq(entry_hw(0, 0), 0xfee00000 | CELL_APIC << 12);
	ck_assert_uint_eq(entry_hw(1, 2), 0x42);
	ck_assert_uint_eq(entry_hw(1, 3) & 1, 0);
	ck_assert_uint_eq(entry_hw(2, 3) & 1, 1);
	/* release: every entry masked, entries freed */
	program(0, 0xfee00000 | CELL_APIC << 12, 0x41);
	pci_msix_release(&x, &mm);
	ck_assert_uint_eq(irt_frees, 3);
	ck_assert_uint_eq(entry_hw(0, 3) & 1, 1);
	ck_assert_uint_eq(entry_hw(1, 3) & 1, 1);
	ck_assert_int_eq(x.irq[0], -1);
}
END_TEST

START_TEST(pool_of_tables)
{
	struct pci_msix *t[PCI_MSIX_FUNCS];
	unsigned int i;

	for (i = 0; i < PCI_MSIX_FUNCS; i++)
		ck_assert_ptr_nonnull(t[i] = pci_msix_get());
	ck_assert_ptr_null(pci_msix_get());
	pci_msix_put(t[3]);
	ck_assert_ptr_eq(pci_msix_get(), t[3]);
	for (i = 0; i < PCI_MSIX_FUNCS; i++)
		pci_msix_put(t[i]);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hypervisor-pci-msix");
	TCase *tc = tcase_create("model");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, place_from_the_capability);
	tcase_add_test(tc, place_refuses_what_it_cannot_serve);
	tcase_add_test(tc, take_masks_every_entry);
	tcase_add_test(tc, entry_remapped_masked_first_unmasked_last);
	tcase_add_test(tc, hostile_destination_stays_masked);
	tcase_add_test(tc, remappable_entry_through_the_owners_table);
	tcase_add_test(tc, out_of_table_forwarded_pba_writes_dropped);
	tcase_add_test(tc, bad_accesses_refused);
	tcase_add_test(tc, qword_and_byte_writes_of_an_entry);
	tcase_add_test(tc, release_and_restore);
	tcase_add_test(tc, pool_of_tables);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
