/* SPDX-License-Identifier: GPL-2.0 */
/* Page pool and x86-style page tables (host paging and NPT share the format). */
#ifndef _HV_PAGING_H
#define _HV_PAGING_H

#include <hv/types.h>

#define PTE_P		BIT_ULL(0)
#define PTE_RW		BIT_ULL(1)
#define PTE_US		BIT_ULL(2)
#define PTE_PWT		BIT_ULL(3)
#define PTE_PCD		BIT_ULL(4)
#define PTE_PS		BIT_ULL(7)
#define PTE_NX		BIT_ULL(63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

#define SIZE_2M		0x200000ULL
#define SIZE_1G		0x40000000ULL

struct paging {
	u64 *root;
	unsigned int levels;	/* 3 (VT-d 39-bit only), 4 or 5 */
	u64 table_flags;	/* flags of non-leaf entries */
	bool huge_1g;		/* 1 GiB leaves allowed */
	bool no_2m;		/* 4 KiB leaves only (VT-d without SLLPS) */
	/*
	 * Tables read by a non-snooping walker (VT-d with ECAP.C=0): called
	 * on every entry written and every new table, so that the walker
	 * never sees a stale line.  NULL for the CPU's own walkers.
	 */
	void (*flush)(const void *addr, unsigned long size);
};

int page_pool_init(void *base, u64 pages);
void *page_alloc(void);
void page_free(void *page);
u64 page_pool_free_pages(void);

int paging_init(struct paging *pg, unsigned int levels, u64 table_flags,
		bool huge_1g);
int paging_map(struct paging *pg, u64 virt, u64 phys, u64 size, u64 flags);
int paging_unmap(struct paging *pg, u64 virt, u64 size);
void paging_destroy(struct paging *pg);

#endif
