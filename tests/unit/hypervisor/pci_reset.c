// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/pci_reset.c (a cell's device reset at each
 * start) and the hand-over checks of hypervisor/pci.c, on a fake function
 * whose FLR clears its config space and keeps it silent for a while.
 */
#include <check.h>
#include <string.h>
#include <hv/pci.h>

#define BDF		0x0020		/* 00:04.0 */
#define MSI_CAP		0x50
#define EXP_CAP		0x60
#define AF_CAP		0x80
#define MSIX_CAP	0x90
#define MS		1000ULL		/* the test's clock counts us */

static u8 space[PCI_CFG_SIZE];
static unsigned int flrs, reads;
static bool silent;		/* after an FLR: reads give all ones */
static bool crs;		/* ... or the retry status vendor ID */
static bool never_back;		/* the FLR never ends */

static void flr(void)
{
	u32 id;

	flrs++;
	memcpy(&id, space, 4);
	memset(space + 4, 0, sizeof(space) - 4);	/* what a reset clears */
	space[0x06] = 0x10;				/* caps stay */
	space[0x34] = MSI_CAP;
	space[MSI_CAP] = 0x05;
	space[MSI_CAP + 1] = EXP_CAP;
	space[EXP_CAP] = 0x10;
	space[EXP_CAP + 1] = AF_CAP;
	space[AF_CAP] = 0x13;
	space[AF_CAP + 1] = MSIX_CAP;
	space[MSIX_CAP] = 0x11;
	silent = true;
}

static u32 fake_read(u16 bdf, u16 reg, unsigned int size)
{
	u32 v = 0;

	ck_assert_uint_eq(bdf, BDF);
	reads++;
	if (silent && (never_back || crs))
		return reg == 0 && crs ? 0xffff0001 : 0xffffffff;
	memcpy(&v, &space[reg], size);
	return v;
}

static void fake_write(u16 bdf, u16 reg, unsigned int size, u32 val)
{
	ck_assert_uint_eq(bdf, BDF);
	ck_assert_msg(!silent || !never_back, "write while in reset");
	memcpy(&space[reg], &val, size);
	if ((reg == EXP_CAP + 8 && size == 2 && (val & BIT(15))) ||
	    (reg == AF_CAP + 4 && size == 1 && (val & BIT(0))))
		flr();
}

static const struct pci_cfg_hw hw = { fake_read, fake_write };

static void put(u16 reg, u32 val, unsigned int size)
{
	memcpy(&space[reg], &val, size);
}

static u32 get(u16 reg, unsigned int size)
{
	u32 v = 0;

	memcpy(&v, &space[reg], size);
	return v;
}

static struct cfg_pci_device cfg;
static struct pci_device dev;

/*
 * edu-like, as a cell's last run left it: BAR0 memory, BAR2 I/O (not
 * listed, 0 unless a test puts an address there), bus master and decode
 * on, MSI and MSI-X enabled, ROM decode on; PCI Express without FLR, an
 * AF capability without FLR: no reset method until a test adds one.
 */
static void setup(void)
{
	memset(space, 0, sizeof(space));
	flrs = reads = 0;
	silent = crs = never_back = false;
	put(0x00, 0x11e81234, 4);
	put(0x04, 0x0007, 2);			/* io, memory, master */
	put(0x06, 0x0010, 2);
	put(0x10, 0xfea00000, 4);
	put(0x18, 0x00000001, 4);		/* I/O BAR, no address */
	put(0x30, 0xfeb00001, 4);		/* ROM, decode on */
	put(0x34, MSI_CAP, 1);
	put(MSI_CAP, 0x05 | EXP_CAP << 8, 2);
	put(EXP_CAP, 0x10 | AF_CAP << 8, 2);
	put(AF_CAP, 0x13 | MSIX_CAP << 8, 2);
	put(MSIX_CAP, 0x11, 2);
	memset(&cfg, 0, sizeof(cfg));
	cfg.bdf = BDF;
	cfg.has_bars = BIT(0);
	cfg.bar_base[0] = 0xfea00000;
	cfg.bar_size[0] = 0x100000;
}

static void take(void)
{
	const char *why = NULL;

	ck_assert_int_eq(pci_device_init(&hw, &dev, &cfg, &why), 0);
	pci_device_take(&hw, &dev);
	pci_reset_prepare(&hw, &dev);
}

/* What the last run leaves: master, MSI, MSI-X on, BAR0 gone (D3). */
static void cell_ran(void)
{
	put(0x04, 0x0007, 2);
	put(MSI_CAP + 2, 0x0001, 2);
	put(MSIX_CAP + 2, 0x8000, 2);
	put(0x10, 0, 4);
}

/* The state a cell starts with. */
static void ck_start_state(void)
{
	ck_assert_uint_eq(get(0x04, 2), 0x0403);	/* decode, INTx off */
	ck_assert_uint_eq(get(0x10, 4), 0xfea00000);
	ck_assert_uint_eq(get(MSI_CAP + 2, 2) & 1, 0);
	ck_assert_uint_eq(get(MSIX_CAP + 2, 2) & 0x8000, 0);
	ck_assert(!dev.intx_off);
}

/* Steps at @t (ms) each 10 ms apart until done: the result and time. */
static int run_until(u64 *t, const char **why)
{
	int err;

	do {
		err = pci_reset_step(&hw, &dev, *t * MS, why);
		*t += 10;
	} while (err == -EINPROGRESS && *t < 5000);
	return err;
}

START_TEST(flr_method)
{
	u16 cap;

	ck_assert_int_eq(pci_flr_method(&hw, BDF, &cap), PCI_FLR_NONE);
	put(AF_CAP + 3, 0x02, 1);		/* FLR without TP: not enough */
	ck_assert_int_eq(pci_flr_method(&hw, BDF, &cap), PCI_FLR_NONE);
	put(AF_CAP + 3, 0x03, 1);
	ck_assert_int_eq(pci_flr_method(&hw, BDF, &cap), PCI_FLR_AF);
	ck_assert_uint_eq(cap, AF_CAP);
	put(EXP_CAP + 4, BIT(28), 4);		/* PCIe DevCap FLR: first */
	ck_assert_int_eq(pci_flr_method(&hw, BDF, &cap), PCI_FLR_EXP);
	ck_assert_uint_eq(cap, EXP_CAP);
	put(0x06, 0, 2);			/* no capability list at all */
	ck_assert_int_eq(pci_flr_method(&hw, BDF, &cap), PCI_FLR_NONE);
}
END_TEST

START_TEST(take_turns_off_what_the_root_left)
{
	const char *why = NULL;

	put(MSI_CAP + 2, 0x0001, 2);
	put(MSIX_CAP + 2, 0x8000, 2);
	ck_assert_int_eq(pci_device_init(&hw, &dev, &cfg, &why), 0);
	ck_assert(pci_device_take(&hw, &dev));	/* the ROM was on */
	ck_assert_uint_eq(get(0x04, 2), 0x0403);
	ck_assert_uint_eq(get(MSI_CAP + 2, 2), 0);
	ck_assert_uint_eq(get(MSIX_CAP + 2, 2), 0);
	ck_assert_uint_eq(get(0x30, 4), 0xfeb00000);
	ck_assert(!pci_device_take(&hw, &dev));	/* off already */
}
END_TEST

START_TEST(unlisted_bar)
{
	const char *why = NULL;

	ck_assert_int_eq(pci_device_init(&hw, &dev, &cfg, &why), 0);
	ck_assert_int_eq(pci_unlisted_bar(&hw, &dev), -1);
	put(0x18, 0x0000c001, 4);		/* BAR2 holds an I/O address */
	ck_assert_int_eq(pci_unlisted_bar(&hw, &dev), 2);
	cfg.has_bars |= BIT(2);
	ck_assert_int_eq(pci_unlisted_bar(&hw, &dev), -1);
	/* BAR4/5 64-bit, only the upper half non-zero: still an address */
	put(0x20, 0x0000000c, 4);
	put(0x24, 0x00000008, 4);
	ck_assert_int_eq(pci_device_init(&hw, &dev, &cfg, &why), 0);
	ck_assert_int_eq(pci_unlisted_bar(&hw, &dev), 4);
}
END_TEST

/* Without FLR: quiesced and restored at once; said in pci.md. */
START_TEST(no_flr_quiesce_and_restore)
{
	const char *why = NULL;

	take();
	cell_ran();
	ck_assert_int_eq(pci_reset_step(&hw, &dev, 0, &why), 0);
	ck_start_state();
	ck_assert_uint_eq(flrs, 0);
	/* Done until re-armed: the device is not touched again. */
	put(0x04, 0x0007, 2);
	ck_assert_int_eq(pci_reset_step(&hw, &dev, 0, &why), 0);
	ck_assert_uint_eq(get(0x04, 2), 0x0007);
	pci_reset_rearm(&dev);
	ck_assert_int_eq(pci_reset_step(&hw, &dev, 0, &why), 0);
	ck_assert_uint_eq(get(0x04, 2), 0x0403);
}
END_TEST

START_TEST(flr_waits_100ms_untouched)
{
	const char *why = NULL;
	unsigned int i, n;
	u64 t;

	put(EXP_CAP + 4, BIT(28), 4);
	take();
	cell_ran();
	ck_assert_int_eq(pci_reset_step(&hw, &dev, 0, &why), -EINPROGRESS);
	ck_assert_uint_eq(flrs, 1);
	/* No config access in the 100 ms, however often it is called. */
	n = reads;
	for (i = 1; i < 50; i++)
		ck_assert_int_eq(pci_reset_step(&hw, &dev, i * MS, &why),
				 -EINPROGRESS);
	ck_assert_uint_eq(reads, n);
	/* 100 ms passed but in too few calls (a wrong TSC rate): wait. */
	pci_reset_rearm(&dev);
	setup();
	put(EXP_CAP + 4, BIT(28), 4);
	take();
	ck_assert_int_eq(pci_reset_step(&hw, &dev, 0, &why), -EINPROGRESS);
	ck_assert_int_eq(pci_reset_step(&hw, &dev, 500 * MS, &why),
			 -EINPROGRESS);
	t = 510;
	silent = false;
	ck_assert_int_eq(run_until(&t, &why), 0);
	ck_assert_uint_eq(flrs, 1);
	ck_start_state();
}
END_TEST

START_TEST(flr_then_restore)
{
	const char *why = NULL;
	u64 t = 0;

	put(EXP_CAP + 4, BIT(28), 4);
	put(EXP_CAP + 8, 0x2830, 2);		/* max payload 256 */
	put(EXP_CAP + 0x28, 0x0005, 2);		/* completion timeout */
	take();
	cell_ran();
	ck_assert_int_eq(run_until(&t, &why), 0);
	ck_assert_uint_eq(flrs, 1);
	ck_assert_uint_ge(t, 100);
	ck_start_state();
	/* the FLR cleared them; the root's values are back, no FLR bit */
	ck_assert_uint_eq(get(EXP_CAP + 8, 2), 0x2830);
	ck_assert_uint_eq(get(EXP_CAP + 0x28, 2), 0x0005);
}
END_TEST

START_TEST(af_flr)
{
	const char *why = NULL;
	u64 t = 0;

	put(AF_CAP + 3, 0x03, 1);
	take();
	cell_ran();
	ck_assert_int_eq(run_until(&t, &why), 0);
	ck_assert_uint_eq(flrs, 1);
	ck_start_state();
}
END_TEST

/* Transactions pending: up to 100 ms for them, then the FLR anyway. */
START_TEST(pending_transactions_waited_for)
{
	const char *why = NULL;
	unsigned int i;

	put(EXP_CAP + 4, BIT(28), 4);
	take();
	put(EXP_CAP + 10, BIT(5), 2);
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(pci_reset_step(&hw, &dev, i * 5 * MS, &why),
				 -EINPROGRESS);
	ck_assert_uint_eq(flrs, 0);
	ck_assert_int_eq(pci_reset_step(&hw, &dev, 100 * MS, &why),
			 -EINPROGRESS);
	ck_assert_uint_eq(flrs, 1);
	/* Cleared early: the FLR follows at once. */
	setup();
	put(EXP_CAP + 4, BIT(28), 4);
	take();
	put(EXP_CAP + 10, BIT(5), 2);
	ck_assert_int_eq(pci_reset_step(&hw, &dev, 0, &why), -EINPROGRESS);
	put(EXP_CAP + 10, 0, 2);
	ck_assert_int_eq(pci_reset_step(&hw, &dev, MS, &why), -EINPROGRESS);
	ck_assert_uint_eq(flrs, 1);
}
END_TEST

START_TEST(never_back_fails)
{
	const char *why = NULL;
	u64 t = 0;

	put(EXP_CAP + 4, BIT(28), 4);
	take();
	never_back = true;
	ck_assert_int_eq(run_until(&t, &why), -EIO);
	ck_assert_ptr_nonnull(why);
	ck_assert_ptr_nonnull(strstr(why, "does not answer 1 s after its "
				     "function level reset"));
	ck_assert_uint_ge(t, 1000);
	ck_assert_uint_lt(t, 2500);
	/* A later start begins again, with a new FLR. */
	never_back = false;
	silent = false;
	t = 3000;
	ck_assert_int_eq(run_until(&t, &why), 0);
	ck_assert_uint_eq(flrs, 2);
}
END_TEST

START_TEST(crs_is_not_ready)
{
	const char *why = NULL;
	u64 t = 0;
	int err;

	put(EXP_CAP + 4, BIT(28), 4);
	take();
	crs = true;
	do {
		err = pci_reset_step(&hw, &dev, t * MS, &why);
		t += 10;
	} while (err == -EINPROGRESS && t < 400);
	ck_assert_int_eq(err, -EINPROGRESS);
	crs = false;
	silent = false;
	ck_assert_int_eq(run_until(&t, &why), 0);
	ck_start_state();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pci-reset");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, flr_method);
	tcase_add_test(tc, take_turns_off_what_the_root_left);
	tcase_add_test(tc, unlisted_bar);
	tcase_add_test(tc, no_flr_quiesce_and_restore);
	tcase_add_test(tc, flr_waits_100ms_untouched);
	tcase_add_test(tc, flr_then_restore);
	tcase_add_test(tc, af_flr);
	tcase_add_test(tc, pending_transactions_waited_for);
	tcase_add_test(tc, never_back_fails);
	tcase_add_test(tc, crs_is_not_ready);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
