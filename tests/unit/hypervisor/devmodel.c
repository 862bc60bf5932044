// SPDX-License-Identifier: GPL-2.0
/* Unit tests for hypervisor/devmodel.c: claims, dispatch, init rollback. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <hv/cell.h>
#include <hv/devmodel.h>

/* Two test models: "a" claims ports 0x10-0x1f, "b" 0x20-0x23 (or fails). */
static int b_init_err;
static unsigned int a_inits, a_exits, b_exits, a_resets;
static struct cell cell;

static enum dev_result a_access(const struct dev_call *call,
				struct dev_access *a)
{
	if (a->write)
		*(u64 *)call->priv = a->val;
	else
		a->val = *(u64 *)call->priv + (a->addr - call->base);
	return DEV_DONE;
}

static const struct dev_model a_model;
static const struct dev_model b_model;

static int a_init(struct cell *c)
{
	u64 *st = dev_alloc(c, sizeof(*st));

	a_inits++;
	if (!st)
		return -ENOMEM;
	*st = 0x100;
	return dev_claim(c, DEV_SPACE_PIO, 0x10, 0x10, &a_model, st);
}

static void a_exit(struct cell *c)
{
	(void)c;
	a_exits++;
}

static void a_reset(struct cell *c)
{
	*(u64 *)dev_priv(c, &a_model) = 0x100;
	a_resets++;
}

static const struct dev_model a_model = {
	.name = "test-a", .cell_init = a_init, .cell_exit = a_exit,
	.reset = a_reset, .access = a_access,
};
DEV_MODEL(a_model);

static enum dev_result b_access(const struct dev_call *call,
				struct dev_access *a)
{
	(void)call;
	return a->write ? DEV_REFUSED : DEV_STOPPED;
}

static int b_init(struct cell *c)
{
	int err = dev_claim(c, DEV_SPACE_PIO, 0x20, 4, &b_model, NULL);

	return err ? err : b_init_err;
}

static void b_exit(struct cell *c)
{
	(void)c;
	b_exits++;
}

static const struct dev_model b_model = {
	.name = "test-b", .cell_init = b_init, .cell_exit = b_exit,
	.access = b_access,
};
DEV_MODEL(b_model);

static void setup(void)
{
	memset(&cell, 0, sizeof(cell));
	b_init_err = 0;
	a_inits = a_exits = b_exits = a_resets = 0;
}

static int dispatch(enum dev_space space, u64 addr, unsigned int size,
		    bool write, u64 *val)
{
	struct dev_access a = { space, addr, size, write, *val };
	int res = dev_dispatch(NULL, &cell, 0x1234, &a);

	*val = a.val;
	return res;
}

START_TEST(claim_overlap_is_busy)
{
	ck_assert_int_eq(dev_claim(&cell, DEV_SPACE_PIO, 0x40, 4, &a_model,
				   NULL), 0);
	ck_assert_int_eq(dev_claim(&cell, DEV_SPACE_PIO, 0x43, 2, &a_model,
				   NULL), -EBUSY);
	ck_assert_int_eq(dev_claim(&cell, DEV_SPACE_PIO, 0x3c, 5, &a_model,
				   NULL), -EBUSY);
	/* Next to it, or the same numbers in another space: free. */
	ck_assert_int_eq(dev_claim(&cell, DEV_SPACE_PIO, 0x44, 1, &a_model,
				   NULL), 0);
	ck_assert_int_eq(dev_claim(&cell, DEV_SPACE_MMIO, 0x40, 4, &a_model,
				   NULL), 0);
	ck_assert_int_eq(dev_claim(&cell, DEV_SPACE_PIO, 0x50, 0, &a_model,
				   NULL), -EINVAL);
	ck_assert(dev_claims(&cell, DEV_SPACE_PIO, 0x43));
	ck_assert(dev_claims(&cell, DEV_SPACE_PIO, 0x44));
	ck_assert(!dev_claims(&cell, DEV_SPACE_PIO, 0x45));
}
END_TEST

START_TEST(claim_table_full_is_nospc)
{
	unsigned int i;

	for (i = 0; i < DEV_MAX_RANGES; i++)
		ck_assert_int_eq(dev_claim(&cell, DEV_SPACE_PIO, 2 * i, 1,
					   &a_model, NULL), 0);
	ck_assert_int_eq(dev_claim(&cell, DEV_SPACE_PIO, 0x1000, 1, &a_model,
				   NULL), -ENOSPC);
}
END_TEST

START_TEST(state_area_runs_out)
{
	ck_assert_ptr_nonnull(dev_alloc(&cell, DEV_STATE_BYTES - 8));
	ck_assert_ptr_nonnull(dev_alloc(&cell, 1));
	ck_assert_ptr_null(dev_alloc(&cell, 1));
}
END_TEST

START_TEST(init_dispatch_reset_exit)
{
	u64 val = 0;

	ck_assert_int_eq(dev_cell_init(&cell), 0);
	ck_assert_int_eq(cell.devs.n, 2);
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x12, 1, false, &val),
			 DEV_DONE);
	ck_assert_uint_eq(val, 0x102);
	val = 0x55;
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x1e, 2, true, &val),
			 DEV_DONE);
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x10, 4, false, &val),
			 DEV_DONE);
	ck_assert_uint_eq(val, 0x55);
	dev_cell_reset(&cell);
	ck_assert_uint_eq(a_resets, 1);
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x10, 1, false, &val),
			 DEV_DONE);
	ck_assert_uint_eq(val, 0x100);
	/* What the model returns goes back unchanged. */
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x21, 1, false, &val),
			 DEV_STOPPED);
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x21, 1, true, &val),
			 DEV_REFUSED);
	dev_cell_exit(&cell);
	ck_assert_uint_eq(a_exits, 1);
	ck_assert_uint_eq(b_exits, 1);
	ck_assert_int_eq(cell.devs.n, 0);
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x12, 1, false, &val),
			 -ENODEV);
}
END_TEST

START_TEST(unclaimed_and_straddling_are_nodev)
{
	u64 val = 0;

	ck_assert_int_eq(dev_cell_init(&cell), 0);
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x30, 1, false, &val),
			 -ENODEV);
	ck_assert_int_eq(dispatch(DEV_SPACE_MMIO, 0x12, 1, false, &val),
			 -ENODEV);
	/* Half in 0x10-0x1f, half in 0x20-0x23: neither model's. */
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x1e, 4, false, &val),
			 -ENODEV);
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x1f, 2, true, &val),
			 -ENODEV);
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x22, 4, false, &val),
			 -ENODEV);
}
END_TEST

START_TEST(failed_init_leaves_nothing)
{
	u64 val = 0;

	b_init_err = -EIO;
	ck_assert_int_eq(dev_cell_init(&cell), -EIO);
	ck_assert_int_eq(cell.devs.n, 0);
	ck_assert_int_eq(cell.devs.state_used, 0);
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x10, 1, false, &val),
			 -ENODEV);
	ck_assert_int_eq(dispatch(DEV_SPACE_PIO, 0x20, 1, false, &val),
			 -ENODEV);
	/*
	 * Every model whose cell_init() ran gave back what it took, the
	 * failing one too; "a" runs before or after "b" (link order).
	 */
	ck_assert_uint_eq(b_exits, 1);
	ck_assert_uint_eq(a_exits, a_inits);
	b_init_err = 0;
	ck_assert_int_eq(dev_cell_init(&cell), 0);
	ck_assert_int_eq(cell.devs.n, 2);
}
END_TEST

static enum dev_result echo_byte(const struct dev_call *call, u64 addr,
				 bool write, u8 *val)
{
	(void)call;
	if (addr == 0x99)
		return DEV_STOPPED;
	if (!write)
		*val = addr;
	return DEV_DONE;
}

START_TEST(bytewise_splits_low_byte_first)
{
	struct dev_access a = { DEV_SPACE_PIO, 0x40, 4, false, 0 };
	struct dev_call call = { 0 };

	ck_assert_int_eq(dev_bytewise(&call, &a, echo_byte), DEV_DONE);
	ck_assert_uint_eq(a.val, 0x43424140);
	a = (struct dev_access){ DEV_SPACE_PIO, 0x98, 2, false, 7 };
	ck_assert_int_eq(dev_bytewise(&call, &a, echo_byte), DEV_STOPPED);
}
END_TEST

static Suite *devmodel_suite(void)
{
	Suite *s = suite_create("devmodel");
	TCase *tc = tcase_create("registry");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, claim_overlap_is_busy);
	tcase_add_test(tc, claim_table_full_is_nospc);
	tcase_add_test(tc, state_area_runs_out);
	tcase_add_test(tc, init_dispatch_reset_exit);
	tcase_add_test(tc, unclaimed_and_straddling_are_nodev);
	tcase_add_test(tc, failed_init_leaves_nothing);
	tcase_add_test(tc, bytewise_splits_low_byte_first);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(devmodel_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
