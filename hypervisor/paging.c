// SPDX-License-Identifier: GPL-2.0
/* Page pool (bitmap over the region's tail) and page-table construction. */
#include <string.h>
#include <hv/paging.h>
#include <hv/setup.h>
#include <hv/spinlock.h>

#define POOL_MAX_PAGES	(1UL << 16)	/* 256 MiB: bounds the bitmap */

static struct {
	u8 *base;
	u64 pages;
	u64 used;
	u64 bitmap[POOL_MAX_PAGES / 64];
	spinlock_t lock;
} pool;

int page_pool_init(void *base, u64 pages)
{
	if (pages > POOL_MAX_PAGES)
		pages = POOL_MAX_PAGES;
	if (!pages || ((u64)base & (PAGE_SIZE - 1)))
		return -EINVAL;
	pool.base = base;
	pool.pages = pages;
	pool.used = 0;
	memset(pool.bitmap, 0, sizeof(pool.bitmap));
	return 0;
}

/* Pages come back zeroed so that fresh page tables start empty. */
void *page_alloc(void)
{
	void *page = NULL;
	u64 i;

	spin_lock(&pool.lock);
	for (i = 0; i < pool.pages; i++) {
		if (pool.bitmap[i / 64] & BIT_ULL(i % 64))
			continue;
		pool.bitmap[i / 64] |= BIT_ULL(i % 64);
		pool.used++;
		page = pool.base + i * PAGE_SIZE;
		break;
	}
	spin_unlock(&pool.lock);
	if (page)
		memset(page, 0, PAGE_SIZE);
	return page;
}

void page_free(void *page)
{
	u64 i = ((u8 *)page - pool.base) / PAGE_SIZE;

	if (!page || i >= pool.pages)
		return;
	spin_lock(&pool.lock);
	if (pool.bitmap[i / 64] & BIT_ULL(i % 64)) {
		pool.bitmap[i / 64] &= ~BIT_ULL(i % 64);
		pool.used--;
	}
	spin_unlock(&pool.lock);
}

u64 page_pool_free_pages(void)
{
	return pool.pages - pool.used;
}

int paging_init(struct paging *pg, unsigned int levels, u64 table_flags,
		bool huge_1g)
{
	if (levels < 3 || levels > 5)
		return -EINVAL;
	pg->root = page_alloc();
	if (!pg->root)
		return -ENOMEM;
	pg->levels = levels;
	pg->table_flags = table_flags;
	pg->huge_1g = huge_1g;
	pg->no_2m = false;
	pg->flush = NULL;
	return 0;
}

static void flush(struct paging *pg, const void *addr, unsigned long size)
{
	if (pg->flush)
		pg->flush(addr, size);
}

static void set_entry(struct paging *pg, u64 *entry, u64 val)
{
	*entry = val;
	flush(pg, entry, sizeof(*entry));
}

static unsigned int level_shift(unsigned int level)
{
	return PAGE_SHIFT + 9 * (level - 1);	/* level 1 = PTE */
}

static u64 *next_table(struct paging *pg, u64 *entry)
{
	u64 *table;

	if (*entry & PTE_P) {
		/* A large leaf in the way means overlapping maps: refuse. */
		if (*entry & PTE_PS)
			return NULL;
		return hv_va(*entry & PTE_ADDR_MASK);
	}
	table = page_alloc();
	if (!table)
		return NULL;
	/* The zeroes reach memory before the link does. */
	flush(pg, table, PAGE_SIZE);
	set_entry(pg, entry, hv_pa(table) | pg->table_flags);
	return table;
}

/* Largest leaf level (1, 2 or 3) usable at this position for this size. */
static unsigned int leaf_level(struct paging *pg, u64 virt, u64 phys,
			       u64 size)
{
	unsigned int level = pg->no_2m ? 1 : pg->huge_1g ? 3 : 2;

	for (; level > 1; level--) {
		u64 span = 1ULL << level_shift(level);

		if (!((virt | phys) & (span - 1)) && size >= span)
			break;
	}
	return level;
}

static int map_one(struct paging *pg, u64 virt, u64 phys, unsigned int leaf,
		   u64 flags)
{
	unsigned int level = pg->levels;
	u64 *table = pg->root;
	u64 *entry;

	for (;;) {
		entry = &table[(virt >> level_shift(level)) & 511];
		if (level == leaf)
			break;
		table = next_table(pg, entry);
		if (!table)
			return -ENOMEM;
		level--;
	}
	if (*entry & PTE_P)
		return -EEXIST;
	set_entry(pg, entry, phys | flags | (leaf > 1 ? PTE_PS : 0));
	return 0;
}

/* Does the walk to @virt meet a table at @level (one unmap kept)? */
static bool table_at(struct paging *pg, u64 virt, unsigned int level)
{
	unsigned int l = pg->levels;
	u64 *table = pg->root, entry;

	for (;;) {
		entry = table[(virt >> level_shift(l)) & 511];
		if (!(entry & PTE_P) || (entry & PTE_PS))
			return false;
		if (l == level)
			return true;
		table = hv_va(entry & PTE_ADDR_MASK);
		l--;
	}
}

/*
 * Map [virt, virt + size) to phys with the largest pages alignment allows
 * and tables kept by paging_unmap() leave room for.  All arguments must
 * be page aligned.
 */
int paging_map(struct paging *pg, u64 virt, u64 phys, u64 size, u64 flags)
{
	unsigned int leaf;
	u64 span;
	int err;

	if ((virt | phys | size) & (PAGE_SIZE - 1))
		return -EINVAL;
	while (size) {
		leaf = leaf_level(pg, virt, phys, size);
		while (leaf > 1 && table_at(pg, virt, leaf))
			leaf--;
		span = 1ULL << level_shift(leaf);
		err = map_one(pg, virt, phys, leaf, flags);
		if (err)
			return err;
		virt += span;
		phys += span;
		size -= span;
	}
	return 0;
}

/*
 * Frees the tables below @table (not @table itself); leaves stay.  Only
 * for paging_destroy(), when no walker uses the tables any more: entries
 * cleared here are not flushed.
 */
static void free_subtables(struct paging *pg, u64 *table, unsigned int level)
{
	unsigned int i;

	if (level == 1)
		return;
	for (i = 0; i < 512; i++) {
		if (!(table[i] & PTE_P) || (table[i] & PTE_PS))
			continue;
		free_subtables(pg, hv_va(table[i] & PTE_ADDR_MASK), level - 1);
		page_free(hv_va(table[i] & PTE_ADDR_MASK));
		table[i] = 0;
	}
}

/* A large leaf becomes a table of 512 leaves one level down. */
static u64 *split_leaf(struct paging *pg, u64 *entry, unsigned int level)
{
	u64 *table = page_alloc(), span = 1ULL << level_shift(level - 1);
	u64 flags = *entry & ~PTE_ADDR_MASK & ~PTE_PS;
	u64 phys = *entry & PTE_ADDR_MASK & ~((1ULL << level_shift(level)) - 1);
	unsigned int i;

	if (!table)
		return NULL;
	for (i = 0; i < 512; i++)
		table[i] = (phys + i * span) | flags |
			   (level - 1 > 1 ? PTE_PS : 0);
	flush(pg, table, PAGE_SIZE);
	set_entry(pg, entry, hv_pa(table) | pg->table_flags);
	return table;
}

static int unmap_range(struct paging *pg, u64 *table, unsigned int level,
		       u64 start, u64 end)
{
	u64 span = 1ULL << level_shift(level), base, s, e;
	u64 *entry, *next;
	int err;

	while (start < end) {
		entry = &table[(start >> level_shift(level)) & 511];
		base = start & ~(span - 1);
		s = start;
		e = end - base < span ? end : base + span;
		start = e;
		if (!(*entry & PTE_P))
			continue;
		if (s == base && e == base + span &&
		    (level == 1 || (*entry & PTE_PS))) {
			set_entry(pg, entry, 0);
			continue;
		}
		if (level > 1 && (*entry & PTE_PS))
			next = split_leaf(pg, entry, level);
		else
			next = hv_va(*entry & PTE_ADDR_MASK);
		if (!next)
			return -ENOMEM;
		err = unmap_range(pg, next, level - 1, s, e);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Unmap [virt, virt + size), splitting large pages at the edges.  Tables
 * stay, emptied, until paging_destroy(): a CPU or IOMMU may still hold a
 * cached link to a table until the caller's TLB or IOTLB invalidation
 * completes, and a table freed before that could come back from
 * page_alloc() as another cell's (a walk through it would reach that
 * cell's memory).  Mapping the range again refills the kept tables.
 */
int paging_unmap(struct paging *pg, u64 virt, u64 size)
{
	if ((virt | size) & (PAGE_SIZE - 1))
		return -EINVAL;
	return unmap_range(pg, pg->root, pg->levels, virt, virt + size);
}

/* Every table of @pg back to the pool. */
void paging_destroy(struct paging *pg)
{
	if (!pg->root)
		return;
	free_subtables(pg, pg->root, pg->levels);
	page_free(pg->root);
	pg->root = NULL;
}
