// SPDX-License-Identifier: GPL-2.0
/* Unit tests for hypervisor/paging.c: page pool and page-table building. */
#include <check.h>
#include <stdlib.h>
#include <hv/paging.h>
#include <hv/setup.h>

#define POOL_PAGES	64
#define FAKE_PHYS	0x30000000ULL

struct hv_info hv;
static void *region;

static void setup(void)
{
	region = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	ck_assert_ptr_nonnull(region);
	hv.region_virt = (u64)region;
	hv.region_phys = FAKE_PHYS;
	hv.region_size = POOL_PAGES * PAGE_SIZE;
	ck_assert_int_eq(page_pool_init(region, POOL_PAGES), 0);
}

static void teardown(void)
{
	free(region);
}

/* Software walk: returns the physical address or ~0 if unmapped. */
static u64 walk(struct paging *pg, u64 virt, unsigned int *leaf_level)
{
	u64 *table = pg->root;
	unsigned int level;

	for (level = pg->levels; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		u64 e = table[(virt >> shift) & 511];

		if (!(e & PTE_P))
			return ~0ULL;
		if (level == 1 || (e & PTE_PS)) {
			*leaf_level = level;
			return (e & PTE_ADDR_MASK & ~((1ULL << shift) - 1)) |
			       (virt & ((1ULL << shift) - 1));
		}
		table = hv_va(e & PTE_ADDR_MASK);
	}
	return ~0ULL;
}

START_TEST(pool_alloc_free)
{
	void *a = page_alloc(), *b = page_alloc();

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(a, b);
	ck_assert_uint_eq(page_pool_free_pages(), POOL_PAGES - 2);
	page_free(a);
	ck_assert_uint_eq(page_pool_free_pages(), POOL_PAGES - 1);
	ck_assert_ptr_eq(page_alloc(), a);
}
END_TEST

START_TEST(pool_exhaustion)
{
	int i;

	for (i = 0; i < POOL_PAGES; i++)
		ck_assert_ptr_nonnull(page_alloc());
	ck_assert_ptr_null(page_alloc());
}
END_TEST

START_TEST(map_4k_and_translate)
{
	struct paging pg;
	unsigned int leaf = 0;

	ck_assert_int_eq(paging_init(&pg, 4, PTE_P | PTE_RW, false), 0);
	ck_assert_int_eq(paging_map(&pg, 0xffffc90000001000ULL, 0x5000,
				    0x3000, PTE_P | PTE_RW), 0);
	ck_assert_uint_eq(walk(&pg, 0xffffc90000002123ULL, &leaf), 0x6123);
	ck_assert_uint_eq(leaf, 1);
	ck_assert_uint_eq(walk(&pg, 0xffffc90000004000ULL, &leaf), ~0ULL);
	ck_assert_uint_eq(walk(&pg, 0xffffc90000000000ULL, &leaf), ~0ULL);
}
END_TEST

START_TEST(large_pages_when_aligned)
{
	struct paging pg;
	unsigned int leaf = 0;

	ck_assert_int_eq(paging_init(&pg, 4, PTE_P, true), 0);
	/* 1G + 2M + 4K: one leaf of each size, in that order. */
	ck_assert_int_eq(paging_map(&pg, 0, 0, SIZE_1G + SIZE_2M + PAGE_SIZE,
				    PTE_P), 0);
	ck_assert_uint_eq(walk(&pg, 0x12345678, &leaf), 0x12345678);
	ck_assert_uint_eq(leaf, 3);
	ck_assert_uint_eq(walk(&pg, SIZE_1G + 0x1000, &leaf), SIZE_1G + 0x1000);
	ck_assert_uint_eq(leaf, 2);
	ck_assert_uint_eq(walk(&pg, SIZE_1G + SIZE_2M, &leaf), SIZE_1G + SIZE_2M);
	ck_assert_uint_eq(leaf, 1);
	ck_assert_uint_eq(walk(&pg, SIZE_1G + SIZE_2M + PAGE_SIZE, &leaf),
			  ~0ULL);
}
END_TEST

START_TEST(no_1g_without_support)
{
	struct paging pg;
	unsigned int leaf = 0;

	ck_assert_int_eq(paging_init(&pg, 4, PTE_P, false), 0);
	ck_assert_int_eq(paging_map(&pg, 0, 0, SIZE_1G, PTE_P), 0);
	ck_assert_uint_eq(walk(&pg, SIZE_1G - 1, &leaf), SIZE_1G - 1);
	ck_assert_uint_eq(leaf, 2);
}
END_TEST

/* paging_unmap: split at the edges, keep every table. */
START_TEST(unmap_splits_large_page)
{
	struct paging pg;
	unsigned int leaf = 0;
	u64 before;

	ck_assert_int_eq(paging_init(&pg, 4, PTE_P, true), 0);
	ck_assert_int_eq(paging_map(&pg, 0, 0, SIZE_1G, PTE_P), 0);
	before = page_pool_free_pages();
	/* 1 MiB inside the 1G page: a PD and a PT appear. */
	ck_assert_int_eq(paging_unmap(&pg, 0x200000, 0x100000), 0);
	ck_assert_uint_eq(page_pool_free_pages(), before - 2);
	ck_assert_uint_eq(walk(&pg, 0x200000, &leaf), ~0ULL);
	ck_assert_uint_eq(walk(&pg, 0x2fffff, &leaf), ~0ULL);
	ck_assert_uint_eq(walk(&pg, 0x300000, &leaf), 0x300000);
	ck_assert_uint_eq(leaf, 1);
	ck_assert_uint_eq(walk(&pg, 0x1fffff, &leaf), 0x1fffff);
	ck_assert_uint_eq(walk(&pg, 0x400000, &leaf), 0x400000);
	ck_assert_uint_eq(leaf, 2);
	/* Mapping it back fills the same PT: no new pages. */
	ck_assert_int_eq(paging_map(&pg, 0x200000, 0x200000, 0x100000,
				    PTE_P), 0);
	ck_assert_uint_eq(page_pool_free_pages(), before - 2);
	ck_assert_uint_eq(walk(&pg, 0x2ff000, &leaf), 0x2ff000);
}
END_TEST

/*
 * A table stays while a walker may still cache a link to it (until the
 * caller's TLB/IOTLB invalidation): an unmap never returns pages.
 */
START_TEST(unmap_whole_span_keeps_tables)
{
	struct paging pg;
	unsigned int leaf = 0;
	u64 before;

	ck_assert_int_eq(paging_init(&pg, 4, PTE_P, false), 0);
	ck_assert_int_eq(paging_map(&pg, 0, 0, SIZE_2M, PTE_P), 0);
	ck_assert_int_eq(paging_unmap(&pg, 0x1000, PAGE_SIZE), 0);
	before = page_pool_free_pages();
	/* The whole 2M span: its PT is emptied, not freed. */
	ck_assert_int_eq(paging_unmap(&pg, 0, SIZE_2M), 0);
	ck_assert_uint_eq(page_pool_free_pages(), before);
	ck_assert_uint_eq(walk(&pg, 0x3000, &leaf), ~0ULL);
	ck_assert_uint_eq(walk(&pg, 0x1ff000, &leaf), ~0ULL);
	/* Mapped again: 4K leaves in the kept PT, no new page. */
	ck_assert_int_eq(paging_map(&pg, 0, 0, SIZE_2M, PTE_P), 0);
	ck_assert_uint_eq(page_pool_free_pages(), before);
	ck_assert_uint_eq(walk(&pg, 0x3000, &leaf), 0x3000);
	ck_assert_uint_eq(leaf, 1);
	ck_assert_uint_eq(walk(&pg, 0x1ff000, &leaf), 0x1ff000);
	ck_assert_int_eq(paging_unmap(&pg, 0x1000, 3), -EINVAL);
	paging_destroy(&pg);
}
END_TEST

/* Kept tables at two levels: a 1G span emptied and mapped again. */
START_TEST(unmap_keeps_nested_tables)
{
	struct paging pg;
	unsigned int leaf = 0;
	u64 before;

	ck_assert_int_eq(paging_init(&pg, 4, PTE_P, true), 0);
	ck_assert_int_eq(paging_map(&pg, 0, 0, SIZE_1G, PTE_P), 0);
	ck_assert_int_eq(paging_unmap(&pg, 0x200000, PAGE_SIZE), 0);
	before = page_pool_free_pages();
	ck_assert_int_eq(paging_unmap(&pg, 0, SIZE_1G), 0);
	ck_assert_uint_eq(page_pool_free_pages(), before);
	ck_assert_uint_eq(walk(&pg, 0x40000000 - PAGE_SIZE, &leaf), ~0ULL);
	ck_assert_int_eq(paging_map(&pg, 0, 0x80000000, SIZE_1G, PTE_P), 0);
	ck_assert_uint_eq(page_pool_free_pages(), before);
	ck_assert_uint_eq(walk(&pg, 0x201000, &leaf), 0x80201000);
	ck_assert_uint_eq(leaf, 1);
	ck_assert_uint_eq(walk(&pg, 0x600000, &leaf), 0x80600000);
	ck_assert_uint_eq(leaf, 2);
	paging_destroy(&pg);
}
END_TEST

START_TEST(destroy_returns_every_page)
{
	u64 before = page_pool_free_pages();
	struct paging pg;

	ck_assert_int_eq(paging_init(&pg, 4, PTE_P, false), 0);
	ck_assert_int_eq(paging_map(&pg, 0x10000000, 0, 0x1000000, PTE_P), 0);
	ck_assert_int_eq(paging_map(&pg, 0x7000000000, 0, PAGE_SIZE, PTE_P),
			 0);
	ck_assert_uint_lt(page_pool_free_pages(), before);
	paging_destroy(&pg);
	ck_assert_uint_eq(page_pool_free_pages(), before);
	ck_assert_ptr_null(pg.root);
}
END_TEST

START_TEST(hole_is_left_out)
{
	struct paging pg;
	unsigned int leaf = 0;

	/* The NPT pattern: everything but a region in the middle. */
	ck_assert_int_eq(paging_init(&pg, 4, PTE_P, true), 0);
	ck_assert_int_eq(paging_map(&pg, 0, 0, 0x30000000, PTE_P), 0);
	ck_assert_int_eq(paging_map(&pg, 0x32000000, 0x32000000,
				    SIZE_1G * 2 - 0x32000000, PTE_P), 0);
	ck_assert_uint_eq(walk(&pg, 0x2fffffff, &leaf), 0x2fffffff);
	ck_assert_uint_eq(walk(&pg, 0x30000000, &leaf), ~0ULL);
	ck_assert_uint_eq(walk(&pg, 0x31ffffff, &leaf), ~0ULL);
	ck_assert_uint_eq(walk(&pg, 0x32000000, &leaf), 0x32000000);
	ck_assert_uint_eq(walk(&pg, SIZE_1G + 5, &leaf), SIZE_1G + 5);
	ck_assert_uint_eq(leaf, 3);
}
END_TEST

START_TEST(overlap_and_misalignment_refused)
{
	struct paging pg;

	ck_assert_int_eq(paging_init(&pg, 4, PTE_P, false), 0);
	ck_assert_int_eq(paging_map(&pg, 0, 0, SIZE_2M, PTE_P), 0);
	ck_assert_int_ne(paging_map(&pg, 0x1000, 0x1000, 0x1000, PTE_P), 0);
	ck_assert_int_eq(paging_map(&pg, 0x1001, 0, 0x1000, PTE_P), -EINVAL);
	ck_assert_int_eq(paging_init(&pg, 2, PTE_P, false), -EINVAL);
	ck_assert_int_eq(paging_init(&pg, 6, PTE_P, false), -EINVAL);
}
END_TEST

/* VT-d's 39-bit format: three levels, the top one may hold 1 GiB leaves. */
START_TEST(three_levels)
{
	struct paging pg;
	unsigned int leaf = 0;

	ck_assert_int_eq(paging_init(&pg, 3, PTE_P, true), 0);
	ck_assert_int_eq(paging_map(&pg, 0x7f80000000ULL, 0x40000000ULL,
				    SIZE_1G + PAGE_SIZE, PTE_P), 0);
	ck_assert_uint_eq(walk(&pg, 0x7f80000123ULL, &leaf), 0x40000123ULL);
	ck_assert_uint_eq(leaf, 3);
	ck_assert_uint_eq(walk(&pg, 0x7fc0000456ULL, &leaf), 0x80000456ULL);
	ck_assert_uint_eq(leaf, 1);
}
END_TEST

/* no_2m: every leaf is 4 KiB even when alignment would allow more. */
START_TEST(small_leaves_only)
{
	struct paging pg;
	unsigned int leaf = 0;

	ck_assert_int_eq(paging_init(&pg, 3, PTE_P, true), 0);
	pg.no_2m = true;
	ck_assert_int_eq(paging_map(&pg, 0, 0, SIZE_2M, PTE_P), 0);
	ck_assert_uint_eq(walk(&pg, SIZE_2M - 1, &leaf), SIZE_2M - 1);
	ck_assert_uint_eq(leaf, 1);
}
END_TEST

START_TEST(five_levels)
{
	struct paging pg;
	unsigned int leaf = 0;

	ck_assert_int_eq(paging_init(&pg, 5, PTE_P, false), 0);
	ck_assert_int_eq(paging_map(&pg, 0xff11000000000000ULL, 0x7000,
				    PAGE_SIZE, PTE_P), 0);
	ck_assert_uint_eq(walk(&pg, 0xff11000000000010ULL, &leaf), 0x7010);
}
END_TEST

static Suite *paging_suite(void)
{
	Suite *s = suite_create("paging");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pool_alloc_free);
	tcase_add_test(tc, pool_exhaustion);
	tcase_add_test(tc, map_4k_and_translate);
	tcase_add_test(tc, large_pages_when_aligned);
	tcase_add_test(tc, no_1g_without_support);
	tcase_add_test(tc, hole_is_left_out);
	tcase_add_test(tc, overlap_and_misalignment_refused);
	tcase_add_test(tc, five_levels);
	tcase_add_test(tc, three_levels);
	tcase_add_test(tc, small_leaves_only);
	tcase_add_test(tc, unmap_splits_large_page);
	tcase_add_test(tc, unmap_whole_span_keeps_tables);
	tcase_add_test(tc, unmap_keeps_nested_tables);
	tcase_add_test(tc, destroy_returns_every_page);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(paging_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
