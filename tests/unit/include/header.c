// SPDX-License-Identifier: GPL-2.0
/* Unit tests for cellvisor_header_check() in include/cellvisor/header.h. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cellvisor/header.h>

#define IMG_SIZE	0x3000
#define ROOM		0x100000

static unsigned char img[IMG_SIZE];
static struct cellvisor_header *h = (struct cellvisor_header *)img;

static void make_good(void)
{
	memset(img, 0, sizeof(img));
	memcpy(h->magic, CELLVISOR_MAGIC, CELLVISOR_MAGIC_LEN);
	h->abi_version = CELLVISOR_ABI_VERSION;
	h->header_size = sizeof(*h);
	h->image_size = IMG_SIZE;
	h->core_size = 0x5000;
	h->entry_offset = 0x100;
	h->max_cpus = 8;
	h->percpu_size = 0x4000;
}

START_TEST(good_image)
{
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 8), 0);
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, 0, 0), 0);
}
END_TEST

START_TEST(bad_magic)
{
	h->magic[3] ^= 1;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 1),
			 -EINVAL);
}
END_TEST

START_TEST(too_short_or_null)
{
	ck_assert_int_eq(cellvisor_header_check(img, sizeof(*h) - 1, ROOM, 1),
			 -EINVAL);
	ck_assert_int_eq(cellvisor_header_check(NULL, IMG_SIZE, ROOM, 1),
			 -EINVAL);
}
END_TEST

START_TEST(other_abi_major)
{
	h->abi_version = (CELLVISOR_ABI_MAJOR + 1) << 16;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 1),
			 -EPROTO);
}
END_TEST

START_TEST(newer_minor_accepted)
{
	h->abi_version = CELLVISOR_ABI_VERSION + 1;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 1), 0);
}
END_TEST

START_TEST(bad_header_size)
{
	h->header_size = sizeof(*h) - 8;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 1),
			 -EINVAL);
}
END_TEST

START_TEST(image_size_mismatch)
{
	/* A truncated file and a file with trailing bytes are both refused. */
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE - 1, ROOM, 1),
			 -EINVAL);
	h->image_size = IMG_SIZE - 16;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 1),
			 -EINVAL);
}
END_TEST

START_TEST(core_smaller_than_image)
{
	h->core_size = 0x2000;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 1),
			 -EINVAL);
}
END_TEST

START_TEST(core_unaligned)
{
	h->core_size = 0x5001;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 1),
			 -EINVAL);
}
END_TEST

START_TEST(entry_outside_image)
{
	h->entry_offset = IMG_SIZE;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 1),
			 -EINVAL);
	h->entry_offset = 8;	/* inside the header itself */
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 1),
			 -EINVAL);
}
END_TEST

START_TEST(bad_cpu_fields)
{
	h->max_cpus = 0;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 0),
			 -EINVAL);
	h->max_cpus = CELLVISOR_MAX_CPUS + 1;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 0),
			 -EINVAL);
	h->max_cpus = 8;
	h->percpu_size = 0x4100;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 0),
			 -EINVAL);
	h->percpu_size = 0;
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 0),
			 -EINVAL);
}
END_TEST

START_TEST(too_many_cpus)
{
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, ROOM, 9),
			 -E2BIG);
}
END_TEST

START_TEST(does_not_fit)
{
	/* core 0x5000 + 8 * 0x4000 = 0x25000 */
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, 0x25000, 8), 0);
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, 0x24fff, 8),
			 -EFBIG);
	ck_assert_int_eq(cellvisor_header_check(img, IMG_SIZE, 0x8000, 0),
			 -EFBIG);
}
END_TEST

static Suite *header_suite(void)
{
	Suite *s = suite_create("header");
	TCase *tc = tcase_create("check");

	tcase_add_checked_fixture(tc, make_good, NULL);
	tcase_add_test(tc, good_image);
	tcase_add_test(tc, bad_magic);
	tcase_add_test(tc, too_short_or_null);
	tcase_add_test(tc, other_abi_major);
	tcase_add_test(tc, newer_minor_accepted);
	tcase_add_test(tc, bad_header_size);
	tcase_add_test(tc, image_size_mismatch);
	tcase_add_test(tc, core_smaller_than_image);
	tcase_add_test(tc, core_unaligned);
	tcase_add_test(tc, entry_outside_image);
	tcase_add_test(tc, bad_cpu_fields);
	tcase_add_test(tc, too_many_cpus);
	tcase_add_test(tc, does_not_fit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(header_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
