/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Layout of the header at offset 0 of cellvisor.bin, and its validation. */
#ifndef _CELLVISOR_HEADER_H
#define _CELLVISOR_HEADER_H

#include <cellvisor/types.h>

#define CELLVISOR_MAGIC			"CELLVISR"
#define CELLVISOR_MAGIC_LEN		8

/*
 * The major number changes whenever the header layout or the entry
 * contract changes; the driver refuses any other major.  The minor number
 * counts compatible additions and is only reported.
 */
#define CELLVISOR_ABI_MAJOR		2
#define CELLVISOR_ABI_MINOR		5	/* 2.5: DMA faults in cell info */
#define CELLVISOR_ABI_VERSION \
	((CELLVISOR_ABI_MAJOR << 16) | CELLVISOR_ABI_MINOR)
#define CELLVISOR_ABI_MAJOR_OF(v)	((v) >> 16)
#define CELLVISOR_ABI_MINOR_OF(v)	((v) & 0xffff)

#define CELLVISOR_PAGE_SIZE		0x1000ull
#define CELLVISOR_MAX_CPUS		256

/*
 * Filled in by the driver in the copy of the image it places in the
 * reserved region, before any CPU enters.  The hypervisor reads it once.
 */
struct cellvisor_launch {
	cv_u64 region_phys;	/* start of the hypervisor region */
	cv_u64 region_size;	/* its size in bytes */
	cv_u64 region_virt;	/* where the entry page tables map it */
	cv_u64 config_offset;	/* system DTB, from region start */
	cv_u64 config_size;
	cv_u64 percpu_offset;	/* first per-CPU area, from region start */
	cv_u64 entry_root;	/* Linux address of the entry page-table root */
	cv_u64 leave_entry;	/* Linux address of the driver's leave stub */
	cv_u32 online_cpus;	/* CPUs that will enter */
	cv_u32 tsc_khz;		/* Linux's TSC rate; 0: unknown (ABI 2.2) */
};

struct cellvisor_header {
	char magic[CELLVISOR_MAGIC_LEN];
	cv_u32 abi_version;	/* CELLVISOR_ABI_VERSION */
	cv_u32 header_size;	/* sizeof(struct cellvisor_header) */
	cv_u64 image_size;	/* bytes of the file */
	cv_u64 core_size;	/* bytes in memory incl. bss, page aligned */
	cv_u64 entry_offset;	/* of cellvisor_entry() from image start */
	cv_u32 max_cpus;	/* per-CPU areas the image supports */
	cv_u32 percpu_size;	/* bytes per CPU, page aligned */
	struct cellvisor_launch launch;
	/*
	 * Console ring (struct cellvisor_console_ring, console.h) from image
	 * start.  The hypervisor writes it when its console starts, so the
	 * driver can read the last run's ring from the region after disable
	 * or a failed enable; 0: the console never started.
	 */
	cv_u64 console_offset;
};

/*
 * Entry contract (x86-64 SysV ABI, called on every online CPU at once,
 * interrupts off, from the driver's stop_machine callback):
 *	int cellvisor_entry(unsigned int cpu_index, cv_u64 linux_cr3);
 * cpu_index counts 0..online_cpus-1.  CR3 holds the entry page tables:
 * Linux's kernel half (top-level entries 256..511 copied from Linux) plus
 * the region mapped read/write/execute at region_virt, which lies in the
 * top-level slot Linux leaves to hypervisors (PML4/PML5 index 256).  The
 * caller restores linux_cr3 after the call.  All CPUs return the same
 * value: 0 when Linux now runs as the root cell, a negative errno when
 * nothing changed.
 *
 * Leave contract: on DISABLE the hypervisor jumps to leave_entry with CR3
 * still on page tables that map Linux's kernel half, Linux's descriptor
 * tables, segments and MSRs restored and RDI pointing to 22 words on
 * Linux's stack: CR3, r15..r8, rdi, rsi, rbp, (unused), rbx, rdx, rcx,
 * rax, then an IRETQ frame.  The stub loads CR3, pops and IRETQs.
 */
typedef int (*cellvisor_entry_fn)(unsigned int cpu_index, cv_u64 linux_cr3);

static inline cv_u64 cellvisor_page_align(cv_u64 v)
{
	return (v + CELLVISOR_PAGE_SIZE - 1) & ~(CELLVISOR_PAGE_SIZE - 1);
}

/*
 * Memory the image needs in the reserved region before its page pool:
 * core, then one per-CPU area per CPU that enters.
 */
static inline cv_u64 cellvisor_header_footprint(const struct cellvisor_header *h,
						cv_u32 cpus)
{
	return h->core_size + (cv_u64)h->percpu_size * cpus;
}

/*
 * Check an image before anything trusts it.  @len is the file size,
 * @room the bytes of the reserved region it must fit in and @cpus the CPUs
 * that will enter (0: not checked).  Returns 0, -EINVAL (not a cellvisor
 * image, or inconsistent fields), -EPROTO (built for another ABI major),
 * -E2BIG (more CPUs than the image supports), -EFBIG (core and per-CPU
 * areas do not fit in @room).
 */
static inline int cellvisor_header_check(const void *img, unsigned long len,
					 cv_u64 room, cv_u32 cpus)
{
	const struct cellvisor_header *h = (const struct cellvisor_header *)img;
	const char *magic = CELLVISOR_MAGIC;
	int i;

	if (!img || len < sizeof(*h))
		return -EINVAL;
	for (i = 0; i < CELLVISOR_MAGIC_LEN; i++)
		if (h->magic[i] != magic[i])
			return -EINVAL;
	if (CELLVISOR_ABI_MAJOR_OF(h->abi_version) != CELLVISOR_ABI_MAJOR)
		return -EPROTO;
	if (h->header_size != sizeof(*h) || h->image_size != len)
		return -EINVAL;
	if (h->core_size < h->image_size ||
	    h->core_size != cellvisor_page_align(h->core_size))
		return -EINVAL;
	if (h->entry_offset < h->header_size ||
	    h->entry_offset >= h->image_size)
		return -EINVAL;
	if (h->max_cpus == 0 || h->max_cpus > CELLVISOR_MAX_CPUS ||
	    h->percpu_size == 0 ||
	    h->percpu_size != cellvisor_page_align(h->percpu_size))
		return -EINVAL;
	if (cpus > h->max_cpus)
		return -E2BIG;
	if (room && cellvisor_header_footprint(h, cpus ? cpus : 1) > room)
		return -EFBIG;
	return 0;
}

#endif /* _CELLVISOR_HEADER_H */
