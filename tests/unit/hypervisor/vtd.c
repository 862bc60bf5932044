// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/arch/x86/vtd.c.  The unit's view of memory is
 * a shadow of the page pool that only flushed lines reach: every check of
 * what the hardware sees reads the shadow, so a write the code forgot to
 * flush shows up as a wrong translation or a failed comparison.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv/paging.h>
#include <hv/setup.h>
#include <asm/vtd.h>

#include "../../../hypervisor/config.h"

#define POOL_PAGES	64
#define POOL_BYTES	(POOL_PAGES * PAGE_SIZE)
/* Above every address the tests map, so links and leaves do not mix. */
#define FAKE_PHYS	0x7f00000000ULL
#define GARBAGE		0xa5

/* QEMU 7.2 intel-iommu (EMULATORS.md): 39-bit, 2M/1G, DRD/DWD, C=0. */
#define QEMU_CAP	0x00d2008c22260206ULL
#define QEMU_ECAP	0x0000000000f00f4aULL
/* The same with aw-bits=48: SAGAW 48-bit only, MGAW 48 (field 47). */
#define QEMU_CAP_48	((QEMU_CAP & ~(0x1fULL << 8) & ~(0x3fULL << 16)) | \
			 (0x4ULL << 8) | (47ULL << 16))

struct hv_info hv;
static u8 *region, *shadow;
static unsigned int flushes, links_early, flushes_outside;

/* ---- The unit's view ---- */

static void *hw_ptr(u64 pa)
{
	ck_assert(pa >= FAKE_PHYS && pa < FAKE_PHYS + POOL_BYTES);
	return shadow + (pa - FAKE_PHYS);
}

static u64 pa_of(const void *va)
{
	return hv_pa(va);
}

/* A present link to a pool page whose lines have not all been flushed. */
static void check_links(const u64 *line)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		u64 pa = line[i] & PTE_ADDR_MASK;

		if (!(line[i] & 1) || pa < FAKE_PHYS ||
		    pa >= FAKE_PHYS + POOL_BYTES)
			continue;
		if (memcmp(shadow + (pa - FAKE_PHYS), region + (pa - FAKE_PHYS),
			   PAGE_SIZE))
			links_early++;
	}
}

static void fake_flush(const void *addr, unsigned long size)
{
	uintptr_t p = (uintptr_t)addr & ~63UL, end = (uintptr_t)addr + size;

	flushes++;
	for (; p < end; p += 64) {
		if (p < (uintptr_t)region ||
		    p >= (uintptr_t)region + POOL_BYTES) {
			flushes_outside++;
			continue;
		}
		check_links((const u64 *)p);
		memcpy(shadow + (p - (uintptr_t)region), (void *)p, 64);
	}
}

static bool hw_sees_all_writes(void)
{
	return !memcmp(shadow, region, POOL_BYTES);
}

/* Second-level walk through the shadow: leaf entry or 0. */
static u64 hw_walk(u64 root_pa, unsigned int levels, u64 iova,
		   unsigned int *leaf_level)
{
	u64 *table = hw_ptr(root_pa), e = 0;
	unsigned int level;

	for (level = levels; level >= 1; level--) {
		e = table[(iova >> (12 + 9 * (level - 1))) & 511];
		if (!(e & (VTD_SL_R | VTD_SL_W)))
			return 0;
		if (level == 1 || (e & VTD_SL_PS)) {
			*leaf_level = level;
			return e;
		}
		table = hw_ptr(e & PTE_ADDR_MASK);
	}
	return 0;
}

/* Physical address a DMA to @iova reaches, or ~0. */
static u64 hw_translate(const struct vtd_domain *dom, u64 iova, u64 *flags)
{
	unsigned int leaf = 0;
	u64 e = hw_walk(pa_of(dom->sl.root), dom->sl.levels, iova, &leaf);
	u64 span = 1ULL << (12 + 9 * (leaf - 1));

	if (!e)
		return ~0ULL;
	if (flags)
		*flags = e & 0xfff;
	return (e & PTE_ADDR_MASK & ~(span - 1)) | (iova & (span - 1));
}

/* ---- A fake register file ---- */

struct fake_regs {
	u32 ver, gsts, pmen;
	u64 cap, ecap;
	unsigned int pmen_reads;
};

static u32 fake_read32(void *ctx, unsigned int off)
{
	struct fake_regs *r = ctx;

	if (off == VTD_VER)
		return r->ver;
	if (off == VTD_PMEN) {
		r->pmen_reads++;
		return r->pmen;
	}
	ck_assert_uint_eq(off, VTD_GSTS);
	return r->gsts;
}

static u64 fake_read64(void *ctx, unsigned int off)
{
	struct fake_regs *r = ctx;

	if (off == VTD_CAP)
		return r->cap;
	ck_assert_uint_eq(off, VTD_ECAP);
	return r->ecap;
}

static struct fake_regs fregs;
static const struct vtd_regs regs = { fake_read32, fake_read64, &fregs };

static int check_unit(u64 cap, u64 ecap, unsigned int want,
		      struct vtd_caps *caps, const char **why)
{
	fregs = (struct fake_regs){ .ver = 0x10, .cap = cap, .ecap = ecap };
	return vtd_unit_check(&regs, want, fake_flush, caps, why);
}

static struct vtd_caps qemu_caps(void)
{
	struct vtd_caps caps;
	const char *why = NULL;

	ck_assert_int_eq(check_unit(QEMU_CAP, QEMU_ECAP, VTD_WANT_IR, &caps,
				    &why), 0);
	return caps;
}

/* ---- A fake invalidation queue ---- */

#define MAX_DESCS	16

static struct vtd_desc submitted[MAX_DESCS];
static unsigned int n_submitted, submits;
static const struct vtd_entry *watched;
static struct vtd_entry watched_at_submit;	/* as the unit saw it */

static int fake_submit(void *ctx, const struct vtd_desc *d, unsigned int n)
{
	(void)ctx;
	ck_assert_uint_le(n_submitted + n, MAX_DESCS);
	memcpy(&submitted[n_submitted], d, n * sizeof(*d));
	n_submitted += n;
	submits++;
	if (watched)
		watched_at_submit = *(struct vtd_entry *)hw_ptr(pa_of(watched));
	return 0;
}

static struct vtd_queue_ops queue = {
	.submit = fake_submit, .status_pa = 0x7e00000040ULL,
};

static void setup(void)
{
	region = aligned_alloc(PAGE_SIZE, POOL_BYTES);
	shadow = malloc(POOL_BYTES);
	ck_assert_ptr_nonnull(region);
	ck_assert_ptr_nonnull(shadow);
	/* Memory holds old data: unflushed zeroes are not zeroes to it. */
	memset(region, GARBAGE, POOL_BYTES);
	memset(shadow, GARBAGE, POOL_BYTES);
	hv.region_virt = (u64)region;
	hv.region_phys = FAKE_PHYS;
	hv.region_size = POOL_BYTES;
	ck_assert_int_eq(page_pool_init(region, POOL_PAGES), 0);
	flushes = links_early = flushes_outside = 0;
	n_submitted = submits = 0;
	watched = NULL;
	queue.seq = 0;
}

static void teardown(void)
{
	free(region);
	free(shadow);
}

/* ---- Capabilities ---- */

START_TEST(caps_qemu_39)
{
	struct vtd_caps caps = qemu_caps();

	ck_assert_uint_eq(caps.levels, 3);
	ck_assert_uint_eq(caps.aw, 39);
	ck_assert_uint_eq(caps.domains, 65536);	/* ND=6: 2^(4+12) */
	ck_assert_ptr_eq(caps.flush, fake_flush);	/* ECAP.C=0 */
	ck_assert_uint_eq(VTD_CAP_FRO(caps.cap), 0x220);
	ck_assert_uint_eq(VTD_CAP_NFR(caps.cap), 1);
	ck_assert_uint_eq(VTD_ECAP_IRO(caps.ecap), 0xf0);
	ck_assert_uint_eq(VTD_CAP_SLLPS(caps.cap), 3);
}
END_TEST

START_TEST(caps_48_preferred)
{
	struct vtd_caps caps;
	const char *why = NULL;

	ck_assert_int_eq(check_unit(QEMU_CAP_48, QEMU_ECAP, 0, &caps, &why), 0);
	ck_assert_uint_eq(caps.levels, 4);
	ck_assert_uint_eq(caps.aw, 48);
	/* Both offered: 4 levels, but MGAW 39 still limits addresses. */
	ck_assert_int_eq(check_unit(QEMU_CAP | (0x4ULL << 8), QEMU_ECAP, 0,
				    &caps, &why), 0);
	ck_assert_uint_eq(caps.levels, 4);
	ck_assert_uint_eq(caps.aw, 39);
}
END_TEST

START_TEST(caps_refused)
{
	struct vtd_caps caps;
	const char *why = NULL;

	/* SAGAW 57-bit only (bit 3). */
	ck_assert_int_eq(check_unit((QEMU_CAP & ~(0x1fULL << 8)) |
				    (0x8ULL << 8), QEMU_ECAP, 0, &caps, &why),
			 -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "SAGAW"));
	ck_assert_int_eq(check_unit(QEMU_CAP, QEMU_ECAP & ~VTD_ECAP_QI, 0,
				    &caps, &why), -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "ECAP.QI"));
	ck_assert_int_eq(check_unit(QEMU_CAP, QEMU_ECAP & ~VTD_ECAP_IR,
				    VTD_WANT_IR, &caps, &why), -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "ECAP.IR"));
	ck_assert_int_eq(check_unit(QEMU_CAP, QEMU_ECAP & ~VTD_ECAP_IR, 0,
				    &caps, &why), 0);
	/* QEMU without eim=on: no x2APIC destinations. */
	ck_assert_int_eq(check_unit(QEMU_CAP, QEMU_ECAP,
				    VTD_WANT_IR | VTD_WANT_X2APIC, &caps, &why),
			 -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "ECAP.EIM"));
	ck_assert_int_eq(check_unit(QEMU_CAP, QEMU_ECAP | VTD_ECAP_EIM,
				    VTD_WANT_IR | VTD_WANT_X2APIC, &caps, &why),
			 0);
	ck_assert_int_eq(check_unit(QEMU_CAP | VTD_CAP_CM, QEMU_ECAP, 0, &caps,
				    &why), -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "CAP.CM"));
	ck_assert_int_eq(check_unit(QEMU_CAP | VTD_CAP_RWBF, QEMU_ECAP, 0,
				    &caps, &why), -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "CAP.RWBF"));
	/* FRO at the very end of the page: the record would not fit. */
	ck_assert_int_eq(check_unit((QEMU_CAP & ~(0x3ffULL << 24)) |
				    (0x100ULL << 24), QEMU_ECAP, 0, &caps,
				    &why), -ENODEV);
}
END_TEST

START_TEST(caps_absent_or_coherent)
{
	struct vtd_caps caps;
	const char *why = NULL;

	fregs = (struct fake_regs){ .ver = ~0U, .cap = ~0ULL, .ecap = ~0ULL };
	ck_assert_int_eq(vtd_unit_check(&regs, 0, fake_flush, &caps, &why),
			 -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "no VT-d unit"));
	/* C=1: nothing to flush. */
	ck_assert_int_eq(check_unit(QEMU_CAP, QEMU_ECAP | VTD_ECAP_C, 0, &caps,
				    &why), 0);
	ck_assert_ptr_null(caps.flush);
	/* C=0 and no flush function: refused rather than silently stale. */
	fregs.ver = 0x10;
	fregs.cap = QEMU_CAP;
	fregs.ecap = QEMU_ECAP;
	ck_assert_int_eq(vtd_unit_check(&regs, 0, NULL, &caps, &why), -EINVAL);
}
END_TEST

START_TEST(linux_detection)
{
	const char *why = NULL;

	fregs = (struct fake_regs){ .ver = 0x10 };
	ck_assert_int_eq(vtd_linux_owns(&regs, &why), 0);
	/* What Linux leaves after booting with intel_iommu=on. */
	fregs.gsts = VTD_GSTS_TES | VTD_GSTS_RTPS | VTD_GSTS_QIES |
		     VTD_GSTS_IRES | VTD_GSTS_IRTPS;
	ck_assert_int_eq(vtd_linux_owns(&regs, &why), -EBUSY);
	ck_assert_ptr_nonnull(strstr(why, "intel_iommu=off"));
	ck_assert_ptr_nonnull(strstr(why, "intremap=off"));
	/* intel_iommu=off alone: interrupt remapping stays on. */
	fregs.gsts = VTD_GSTS_QIES | VTD_GSTS_IRES | VTD_GSTS_IRTPS;
	ck_assert_int_eq(vtd_linux_owns(&regs, &why), -EBUSY);
	ck_assert_ptr_nonnull(strstr(why, "intremap=off"));
	ck_assert_ptr_null(strstr(why, "intel_iommu"));
}
END_TEST

/* Firmware's PMRs: PRS is what counts, and only with PLMR or PHMR. */
START_TEST(pmr_detection)
{
	fregs = (struct fake_regs){ .ver = 0x10, .pmen = VTD_PMEN_PRS };
	/* QEMU: no PMRs, PMEN reserved: not even read. */
	ck_assert(!vtd_pmr_on(&regs, QEMU_CAP));
	ck_assert_uint_eq(fregs.pmen_reads, 0);
	ck_assert(vtd_pmr_on(&regs, QEMU_CAP | VTD_CAP_PLMR));
	ck_assert(vtd_pmr_on(&regs, QEMU_CAP | VTD_CAP_PHMR));
	/* EPM just written, status not yet on; then both off. */
	fregs.pmen = VTD_PMEN_EPM;
	ck_assert(!vtd_pmr_on(&regs, QEMU_CAP | VTD_CAP_PLMR));
	fregs.pmen = 0;
	ck_assert(!vtd_pmr_on(&regs, QEMU_CAP | VTD_CAP_PLMR |
				     VTD_CAP_PHMR));
	ck_assert_uint_eq(fregs.pmen_reads, 4);
}
END_TEST

/* ---- Second-level tables ---- */

static struct cfg_mem_region region_of(u64 phys, u64 guest, u64 size,
				       u32 flags)
{
	return (struct cfg_mem_region){ .phys = phys, .guest = guest,
					.size = size, .flags = flags };
}

#define RW_DMA	(CFG_MEM_READ | CFG_MEM_WRITE | CFG_MEM_DMA)

START_TEST(cell_domain_3_levels)
{
	struct vtd_caps caps = qemu_caps();
	struct cfg_mem_region r[3] = {
		region_of(0x100000000ULL, 0, SIZE_2M + PAGE_SIZE, RW_DMA),
		region_of(0x200000000ULL, SIZE_1G, SIZE_1G,
			  CFG_MEM_READ | CFG_MEM_DMA),
		/* Not DMA: the device never sees it. */
		region_of(0x300000000ULL, 2 * SIZE_1G, PAGE_SIZE,
			  CFG_MEM_READ | CFG_MEM_WRITE),
	};
	struct vtd_domain dom;
	const char *why = NULL;
	unsigned int leaf = 0;
	u64 flags = 0, *root;

	ck_assert_int_eq(vtd_domain_init(&dom, &caps, 2), 0);
	ck_assert_uint_eq(dom.did, 2);
	ck_assert_uint_eq(dom.sl.levels, 3);
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, r, 3, NULL, 0, &why), 0);

	/* 2M leaf at 0: 0x100000000 | PS (bit 7) | W (bit 1) | R (bit 0). */
	ck_assert_uint_eq(hw_walk(pa_of(dom.sl.root), 3, 0x1234, &leaf),
			  0x100000083ULL);
	ck_assert_uint_eq(leaf, 2);
	/* The 4K tail: 0x100200000 | W | R, no PS. */
	ck_assert_uint_eq(hw_walk(pa_of(dom.sl.root), 3, SIZE_2M, &leaf),
			  0x100200003ULL);
	ck_assert_uint_eq(leaf, 1);
	/* 1G read-only leaf in the top table: 0x200000000 | PS | R. */
	root = hw_ptr(pa_of(dom.sl.root));
	ck_assert_uint_eq(root[1], 0x200000081ULL);
	/* Top entry 0 links a table: its address | W | R, nothing else. */
	ck_assert_uint_eq(root[0] & 0xfff, VTD_SL_R | VTD_SL_W);
	ck_assert_uint_eq(hw_translate(&dom, SIZE_1G + 0x5678, &flags),
			  0x200005678ULL);
	ck_assert_uint_eq(flags, VTD_SL_PS | VTD_SL_R);
	ck_assert_uint_eq(hw_translate(&dom, SIZE_2M + PAGE_SIZE, NULL), ~0ULL);
	ck_assert_uint_eq(hw_translate(&dom, 2 * SIZE_1G, NULL), ~0ULL);

	ck_assert(hw_sees_all_writes());
	ck_assert_uint_eq(links_early, 0);
	ck_assert_uint_eq(flushes_outside, 0);
	vtd_domain_destroy(&dom);
	ck_assert_uint_eq(page_pool_free_pages(), POOL_PAGES);
}
END_TEST

START_TEST(cell_domain_4_levels)
{
	struct vtd_caps caps;
	struct cfg_mem_region r = region_of(0x180000000ULL, 0x8000000000ULL,
					    PAGE_SIZE, RW_DMA);
	struct vtd_domain dom;
	const char *why = NULL;

	ck_assert_int_eq(check_unit(QEMU_CAP_48, QEMU_ECAP, 0, &caps, &why), 0);
	ck_assert_int_eq(vtd_domain_init(&dom, &caps, 1), 0);
	ck_assert_uint_eq(dom.sl.levels, 4);
	/* 512 GiB: beyond a 39-bit unit, fine with 48 bits. */
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, &r, 1, NULL, 0, &why), 0);
	ck_assert_uint_eq(hw_translate(&dom, 0x8000000010ULL, NULL),
			  0x180000010ULL);
	ck_assert(hw_sees_all_writes());
	ck_assert_uint_eq(links_early, 0);
}
END_TEST

/* The root: its RAM minus the hypervisor and a cell, pages rounded out. */
START_TEST(root_domain_exclusions)
{
	struct vtd_caps caps = qemu_caps();
	struct cfg_mem_region ram = region_of(0, 0, SIZE_1G, RW_DMA);
	struct vtd_range excl[] = {
		{ 0x3c000000, 0x4000000 },	/* hypervisor, 64M */
		{ 0x20000000, 0x100000 },	/* a cell, 1M */
		{ 0x10000800, 0x100 },		/* unaligned: its page goes */
		{ 0x30000000, 0 },		/* empty: excludes nothing */
	};
	struct vtd_domain dom;
	const char *why = NULL;

	ck_assert_int_eq(vtd_domain_init(&dom, &caps, 0), 0);
	ck_assert_uint_eq(dom.did, 0);
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, &ram, 1, excl, 4, &why),
			 0);
	ck_assert_uint_eq(hw_translate(&dom, 0, NULL), 0);
	ck_assert_uint_eq(hw_translate(&dom, 0x0ffff000, NULL), 0x0ffff000);
	ck_assert_uint_eq(hw_translate(&dom, 0x10000000, NULL), ~0ULL);
	ck_assert_uint_eq(hw_translate(&dom, 0x10000fff, NULL), ~0ULL);
	ck_assert_uint_eq(hw_translate(&dom, 0x10001000, NULL), 0x10001000);
	ck_assert_uint_eq(hw_translate(&dom, 0x1fffffff, NULL), 0x1fffffff);
	ck_assert_uint_eq(hw_translate(&dom, 0x20000000, NULL), ~0ULL);
	ck_assert_uint_eq(hw_translate(&dom, 0x200ff000, NULL), ~0ULL);
	ck_assert_uint_eq(hw_translate(&dom, 0x20100000, NULL), 0x20100000);
	ck_assert_uint_eq(hw_translate(&dom, 0x30000000, NULL), 0x30000000);
	ck_assert_uint_eq(hw_translate(&dom, 0x3bffffff, NULL), 0x3bffffff);
	ck_assert_uint_eq(hw_translate(&dom, 0x3c000000, NULL), ~0ULL);
	ck_assert_uint_eq(hw_translate(&dom, 0x3fffffff, NULL), ~0ULL);
	ck_assert(hw_sees_all_writes());
	ck_assert_uint_eq(links_early, 0);
}
END_TEST

START_TEST(domain_refusals)
{
	struct vtd_caps caps = qemu_caps();
	struct cfg_mem_region r;
	struct vtd_domain dom;
	const char *why = NULL;

	ck_assert_int_eq(vtd_domain_init(&dom, &caps, 1), 0);
	r = region_of(0x100000800ULL, 0, PAGE_SIZE, RW_DMA);
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, &r, 1, NULL, 0, &why),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "aligned"));
	r = region_of(0x100000000ULL, 0x1000, 0x1800, RW_DMA);
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, &r, 1, NULL, 0, &why),
			 -EINVAL);
	/* 512 GiB does not fit 39 bits. */
	r = region_of(0x100000000ULL, 0x8000000000ULL, PAGE_SIZE, RW_DMA);
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, &r, 1, NULL, 0, &why),
			 -ERANGE);
	ck_assert_ptr_nonnull(strstr(why, "width"));
	/* Ends exactly at 2^39 - 1: the last page is fine. */
	r = region_of(0x100000000ULL, 0x7ffffff000ULL, PAGE_SIZE, RW_DMA);
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, &r, 1, NULL, 0, &why), 0);
	r = region_of(0x100000000ULL, 0, PAGE_SIZE,
		      CFG_MEM_WRITE | CFG_MEM_DMA);
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, &r, 1, NULL, 0, &why),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "write-only"));
	r = region_of(0x100000000ULL, 0, PAGE_SIZE, RW_DMA);
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, &r, 1, NULL, 0, &why), 0);
	r.phys += PAGE_SIZE;
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, &r, 1, NULL, 0, &why),
			 -EEXIST);
	ck_assert_ptr_nonnull(strstr(why, "overlap"));
	/* Inside an earlier region's 2M leaf, in one list: an overlap too. */
	{
		struct cfg_mem_region two[2] = {
			region_of(0x40000000ULL, 0x200000, SIZE_2M, RW_DMA),
			region_of(0x50000000ULL, 0x201000, PAGE_SIZE, RW_DMA),
		};

		ck_assert_int_eq(vtd_domain_map(&dom, &caps, two, 2, NULL, 0,
						&why), -EEXIST);
		ck_assert_ptr_nonnull(strstr(why, "overlap"));
	}
	/* A DID the unit does not have. */
	caps.domains = 16;
	ck_assert_int_eq(vtd_domain_init(&dom, &caps, 16), -ERANGE);
}
END_TEST

START_TEST(no_superpages_without_sllps)
{
	struct vtd_caps caps;
	struct cfg_mem_region r = region_of(0x40000000ULL, 0, SIZE_2M, RW_DMA);
	struct vtd_domain dom;
	const char *why = NULL;
	unsigned int leaf = 0;

	ck_assert_int_eq(check_unit(QEMU_CAP & ~(0xfULL << 34), QEMU_ECAP, 0,
				    &caps, &why), 0);
	ck_assert_int_eq(vtd_domain_init(&dom, &caps, 1), 0);
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, &r, 1, NULL, 0, &why), 0);
	ck_assert_uint_eq(hw_walk(pa_of(dom.sl.root), 3, 0, &leaf),
			  0x40000003ULL);
	ck_assert_uint_eq(leaf, 1);
}
END_TEST

/* Unmapping from a live domain: gone from memory before the IOTLB flush. */
START_TEST(live_unmap_invalidates)
{
	struct vtd_caps caps = qemu_caps();
	struct cfg_mem_region r = region_of(0x40000000ULL, 0, SIZE_2M, RW_DMA);
	struct vtd_domain dom;
	const char *why = NULL;

	ck_assert_int_eq(vtd_domain_init(&dom, &caps, 3), 0);
	ck_assert_int_eq(vtd_domain_map(&dom, &caps, &r, 1, NULL, 0, &why), 0);
	ck_assert_int_eq(vtd_domain_unmap(&dom, &caps, 0x1000, 0x1000, &queue),
			 0);
	ck_assert_uint_eq(hw_translate(&dom, 0x1000, NULL), ~0ULL);
	ck_assert_uint_eq(hw_translate(&dom, 0x2000, NULL), 0x40002000);
	ck_assert_uint_eq(hw_translate(&dom, 0, NULL), 0x40000000);
	ck_assert(hw_sees_all_writes());
	ck_assert_uint_eq(links_early, 0);
	ck_assert_uint_eq(n_submitted, 2);
	/* IOTLB (2), domain (G=10 at 5:4), DR|DW (QEMU has both), DID 3. */
	ck_assert_uint_eq(submitted[0].lo, 0x2 | 0x20 | 0x80 | 0x40 |
			  (3ULL << 16));
	ck_assert_uint_eq(submitted[0].hi, 0);
	/* Wait (5), SW (bit 5), FN (bit 6), status 1 in 63:32. */
	ck_assert_uint_eq(submitted[1].lo, 0x0000000100000065ULL);
	ck_assert_uint_eq(submitted[1].hi, 0x7e00000040ULL);
}
END_TEST

/* ---- Root and context tables ---- */

START_TEST(assign_and_move_device)
{
	struct vtd_caps caps = qemu_caps();
	struct vtd_domain root_dom, cell_dom;
	struct vtd_tables t;
	struct vtd_entry *root, *ctx;
	const u16 bdf = 0x0018;		/* 00:03.0 */

	ck_assert_int_eq(vtd_domain_init(&root_dom, &caps, 0), 0);
	ck_assert_int_eq(vtd_domain_init(&cell_dom, &caps, 1), 0);
	ck_assert_int_eq(vtd_tables_init(&t, &caps), 0);
	ck_assert_uint_eq(vtd_rtaddr(&t), pa_of(t.root));	/* TTM=00 */

	/* Not present before: written without any invalidation. */
	ck_assert_int_eq(vtd_assign(&t, &caps, bdf, &root_dom, &queue), 0);
	ck_assert_uint_eq(submits, 0);
	root = hw_ptr(pa_of(t.root));
	/* Root entry 0: context-table address | P; high half 0. */
	ck_assert_uint_eq(root[0].lo & 0xfff, 1);
	ck_assert_uint_eq(root[0].hi, 0);
	ctx = hw_ptr(root[0].lo & ~0xfffULL);
	/* SL root | TT=00 (bits 3:2) | P; AW=001 (39-bit), DID 0 at 23:8. */
	ck_assert_uint_eq(ctx[0x18].lo, pa_of(root_dom.sl.root) | 1);
	ck_assert_uint_eq(ctx[0x18].hi, 0x1);
	ck_assert(hw_sees_all_writes());
	ck_assert_uint_eq(links_early, 0);

	/* Moving to the cell: cleared and flushed before the invalidation. */
	watched = &((struct vtd_entry *)hv_va(root[0].lo & ~0xfffULL))[0x18];
	ck_assert_int_eq(vtd_assign(&t, &caps, bdf, &cell_dom, &queue), 0);
	ck_assert_uint_eq(submits, 1);
	ck_assert_uint_eq(watched_at_submit.lo, 0);
	ck_assert_uint_eq(watched_at_submit.hi, 0);
	ck_assert_uint_eq(n_submitted, 4);
	/* Context cache (1), device (G=11), old DID 0, SID 0x18 at 47:32. */
	ck_assert_uint_eq(submitted[0].lo, 0x0000001800000031ULL);
	/* Wait with status 1 in between: the IOTLB goes after the CC. */
	ck_assert_uint_eq(submitted[1].lo, 0x0000000100000065ULL);
	ck_assert_uint_eq(submitted[1].hi, queue.status_pa);
	/* IOTLB (2), domain (G=10), DW (bit 6), DR (bit 7), old DID 0. */
	ck_assert_uint_eq(submitted[2].lo, 0xe2);
	ck_assert_uint_eq(submitted[3].lo, 0x0000000200000065ULL);
	ck_assert_uint_eq(submitted[3].hi, queue.status_pa);
	ck_assert_uint_eq(ctx[0x18].lo, pa_of(cell_dom.sl.root) | 1);
	ck_assert_uint_eq(ctx[0x18].hi, 0x101);		/* DID 1, AW 39 */

	/* The same again: nothing to do. */
	ck_assert_int_eq(vtd_assign(&t, &caps, bdf, &cell_dom, &queue), 0);
	ck_assert_uint_eq(submits, 1);

	/* Unassigned: blocked, invalidated with DID 1, statuses 3 and 4. */
	ck_assert_int_eq(vtd_unassign(&t, &caps, bdf, &queue), 0);
	ck_assert_uint_eq(submits, 2);
	ck_assert_uint_eq(submitted[4].lo, 0x0000001800010031ULL);
	ck_assert_uint_eq(submitted[6].lo, 0xe2 | (1ULL << 16));
	ck_assert_uint_eq(submitted[5].lo, 0x0000000300000065ULL);
	ck_assert_uint_eq(submitted[7].lo, 0x0000000400000065ULL);
	ck_assert_uint_eq(ctx[0x18].lo, 0);
	ck_assert_uint_eq(ctx[0x18].hi, 0);
	ck_assert_int_eq(vtd_unassign(&t, &caps, bdf, &queue), 0);
	ck_assert_uint_eq(submits, 2);
	ck_assert(hw_sees_all_writes());
}
END_TEST

START_TEST(context_tables_per_bus)
{
	struct vtd_caps caps;
	struct vtd_domain dom;
	struct vtd_tables t;
	struct vtd_entry *root, *ctx;
	const char *why = NULL;

	ck_assert_int_eq(check_unit(QEMU_CAP_48, QEMU_ECAP, 0, &caps, &why), 0);
	ck_assert_int_eq(vtd_domain_init(&dom, &caps, 5), 0);
	ck_assert_int_eq(vtd_tables_init(&t, &caps), 0);
	ck_assert_int_eq(vtd_assign(&t, &caps, 0x0512, &dom, &queue), 0);
	ck_assert_int_eq(vtd_assign(&t, &caps, 0xff00, &dom, &queue), 0);
	root = hw_ptr(pa_of(t.root));
	ck_assert_uint_eq(root[0].lo, 0);
	ck_assert_uint_eq(root[5].lo & 1, 1);
	ck_assert_uint_eq(root[0xff].lo & 1, 1);
	ctx = hw_ptr(root[5].lo & ~0xfffULL);
	/* 05:02.2 -> devfn 0x12; AW=010 (48-bit), DID 5. */
	ck_assert_uint_eq(ctx[0x12].hi, 0x502);
	ck_assert_uint_eq(ctx[0x11].lo, 0);
	ck_assert(hw_sees_all_writes());
	ck_assert_uint_eq(links_early, 0);
	vtd_tables_destroy(&t);
	vtd_domain_destroy(&dom);
	ck_assert_uint_eq(page_pool_free_pages(), POOL_PAGES);
}
END_TEST

/* ---- Invalidation descriptors and queue ---- */

START_TEST(descriptors)
{
	struct vtd_caps caps = { .cap = 0 };

	ck_assert_uint_eq(vtd_desc_cc_global().lo, 0x11);
	/* IOTLB global without drain capabilities. */
	ck_assert_uint_eq(vtd_desc_iotlb_global(&caps).lo, 0x12);
	ck_assert_uint_eq(vtd_desc_iotlb_domain(7, &caps).lo, 0x70022);
	/* IEC (4), index-selective (bit 4), IM 0, index 0x1234 at 47:32. */
	ck_assert_uint_eq(vtd_desc_iec_index(0x1234).lo, 0x0000123400000014ULL);
	ck_assert_uint_eq(vtd_desc_iec_global().lo, 0x4);
	ck_assert_uint_eq(vtd_desc_wait(0x1003, 0xdeadbeef).hi, 0x1000);
	ck_assert_uint_eq(vtd_desc_wait(0x1004, 0xdeadbeef).lo,
			  0xdeadbeef00000065ULL);
}
END_TEST

/*
 * QEMU stops its queue (FSTS.IQE) on a reserved bit: its masks
 * (hw/i386/intel_iommu_internal.h, VTD_INV_DESC_*_RSVD*) as numbers.
 */
START_TEST(descriptors_clear_of_qemu_reserved_bits)
{
	struct vtd_caps caps = qemu_caps();
	const u64 cc = 0xfffc00000000f1c0ULL, iotlb_lo = 0xffffffff0000f100ULL;
	const u64 iotlb_hi = 0xf80, iec = 0xffff000007fff1e0ULL;
	const u64 wait_lo = 0xfffff180ULL, wait_hi = 0x3;
	struct vtd_desc d;

	d = vtd_desc_cc_device(0xffff, 0xffff);
	ck_assert_uint_eq(d.lo & cc, 0);
	ck_assert_uint_eq(vtd_desc_cc_global().lo & cc, 0);
	d = vtd_desc_iotlb_domain(0xffff, &caps);
	ck_assert_uint_eq(d.lo & iotlb_lo, 0);
	ck_assert_uint_eq(d.hi & iotlb_hi, 0);
	ck_assert_uint_eq(vtd_desc_iotlb_global(&caps).lo & iotlb_lo, 0);
	ck_assert_uint_eq(vtd_desc_iec_index(0xffff).lo & iec, 0);
	d = vtd_desc_wait(0x7e00000041ULL, 0xffffffff);
	ck_assert_uint_eq(d.lo & wait_lo, 0);
	ck_assert_uint_eq(d.hi & wait_hi, 0);
	/* And QEMU 7.2 needs SW or IF in every wait. */
	ck_assert_uint_ne(d.lo & (VTD_DESC_WAIT_SW | BIT_ULL(4)), 0);
}
END_TEST

START_TEST(queue_ring)
{
	struct vtd_desc ring[4] = { { 0, 0 } };
	struct vtd_iq iq = { ring, 4, 0 };
	struct vtd_desc d[3] = { { 1, 0 }, { 2, 0 }, { 3, 0 } };

	ck_assert_uint_eq(vtd_iqa(0x7f00003000ULL, 0), 0x7f00003000ULL);
	ck_assert_uint_eq(vtd_iqa(0x7f00003000ULL, 1), 0x7f00003001ULL);
	/* One slot always stays free: head == tail means empty. */
	ck_assert_int_eq(vtd_iq_push(&iq, 0, d, 3, fake_flush), 3 << 4);
	ck_assert_int_eq(vtd_iq_push(&iq, 0, d, 1, fake_flush), -EBUSY);
	ck_assert_int_eq(vtd_iq_push(&iq, 2 << 4, d, 2, fake_flush), 1 << 4);
	ck_assert_uint_eq(ring[3].lo, 1);
	ck_assert_uint_eq(ring[0].lo, 2);
	ck_assert_uint_eq(flushes, 5);
}
END_TEST

/* ---- Interrupt remapping ---- */

static const u32 owner_ids[] = { 1, 3, 0x101 };
static const struct vtd_apic_set owner = { owner_ids, 3 };

START_TEST(irte_xapic)
{
	struct vtd_irq_target t = { .apic_id = 3, .vector = 0x41,
				    .sid = 0x0018 };
	struct vtd_irte e;
	const char *why = NULL;

	ck_assert_int_eq(vtd_irte_build(&e, &t, &owner, false, &why), 0);
	/* P | fixed, physical, edge | vector at 23:16 | APIC ID at 47:40. */
	ck_assert_uint_eq(e.lo, 0x0000030000410001ULL);
	/* SID 0x18 | SQ=00 | SVT=01 at 83:82 (hi bits 19:18). */
	ck_assert_uint_eq(e.hi, 0x40018);
	t.level = true;
	t.sid = 0xf000;			/* an IOAPIC: F0:00.0 */
	ck_assert_int_eq(vtd_irte_build(&e, &t, &owner, false, &why), 0);
	ck_assert_uint_eq(e.lo, 0x0000030000410011ULL);	/* TM (bit 4) */
	ck_assert_uint_eq(e.hi, 0x4f000);
}
END_TEST

START_TEST(irte_x2apic)
{
	struct vtd_irq_target t = { .apic_id = 0x101, .vector = 0xef,
				    .sid = 0x0100 };
	struct vtd_irte e;
	const char *why = NULL;

	ck_assert_int_eq(vtd_irte_build(&e, &t, &owner, true, &why), 0);
	/* 32-bit destination in 63:32. */
	ck_assert_uint_eq(e.lo, 0x0000010100ef0001ULL);
	ck_assert_uint_eq(e.hi, 0x40100);
}
END_TEST

/* The root's entries: the delivery and destination mode Linux chose. */
START_TEST(irte_make_root)
{
	struct vtd_irq_target t = { .apic_id = 0x03, .vector = 0x51,
				    .level = true, .sid = 0xff00 };
	struct vtd_irte e;

	/* logical mask 0x03, lowest priority (DLM 001 at 7:5), level */
	vtd_irte_make(&e, &t, 1, true, false);
	ck_assert_uint_eq(e.lo, 0x0000030000510035ULL);
	ck_assert_uint_eq(e.hi, 0x4ff00);
	/* ExtINT (111), physical, edge; xAPIC keeps only 8 bits of ID */
	t.level = false;
	t.apic_id = 0x1ff;
	vtd_irte_make(&e, &t, 7, false, false);
	ck_assert_uint_eq(e.lo, 0x0000ff00005100e1ULL);
}
END_TEST

START_TEST(irte_refusals)
{
	struct vtd_irq_target t = { .apic_id = 2, .vector = 0x41 };
	struct vtd_irte e = { 0, 0 };
	const char *why = NULL;

	/* A root CPU, not the owner's. */
	ck_assert_int_eq(vtd_irte_build(&e, &t, &owner, false, &why), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "owner"));
	ck_assert_uint_eq(e.lo, 0);
	t.apic_id = 1;
	t.vector = 15;
	ck_assert_int_eq(vtd_irte_build(&e, &t, &owner, false, &why), -EINVAL);
	t.vector = 0x41;
	t.apic_id = 0x101;		/* the owner's, but xAPIC has 8 bits */
	ck_assert_int_eq(vtd_irte_build(&e, &t, &owner, false, &why), -ERANGE);
	ck_assert_uint_eq(e.lo, 0);
}
END_TEST

START_TEST(irt_set_clear)
{
	struct vtd_irte *irt = page_alloc(), e = { 0x0000030000410001ULL,
						    0x40018 };
	struct vtd_irte *hw;

	fake_flush(irt, PAGE_SIZE);
	ck_assert_int_eq(vtd_irte_set(irt, 5, &e, fake_flush), 0);
	hw = hw_ptr(pa_of(irt));
	ck_assert_uint_eq(hw[5].lo, e.lo);
	ck_assert_uint_eq(hw[5].hi, e.hi);
	ck_assert_int_eq(vtd_irte_set(irt, 5, &e, fake_flush), -EBUSY);
	ck_assert_int_eq(vtd_irte_set(irt, 256, &e, fake_flush), -ERANGE);
	vtd_irte_clear(irt, 5, fake_flush);
	ck_assert_uint_eq(hw[5].lo, 0);
	ck_assert_uint_eq(hw[5].hi, 0);
	ck_assert(hw_sees_all_writes());
	/* IRTA: address | EIME (bit 11) | S=7 (256 entries). */
	ck_assert_uint_eq(vtd_irta(0x7f00005000ULL, true), 0x7f00005807ULL);
	ck_assert_uint_eq(vtd_irta(0x7f00005000ULL, false), 0x7f00005007ULL);
}
END_TEST

/* Retargeting a live entry: gone and invalidated before the new one. */
START_TEST(irte_replace_in_use)
{
	struct vtd_caps caps = qemu_caps();
	struct vtd_irte *irt = page_alloc();
	struct vtd_irte a = { 0x0000010000410001ULL, 0x40018 };
	struct vtd_irte b = { 0x0000030000420001ULL, 0x40018 };

	caps.flush(irt, PAGE_SIZE);
	ck_assert_int_eq(vtd_irte_replace(irt, 9, &a, &caps, &queue), 0);
	ck_assert_uint_eq(submits, 0);		/* was free: nothing cached */
	watched = (const struct vtd_entry *)&irt[9];
	ck_assert_int_eq(vtd_irte_replace(irt, 9, &b, &caps, &queue), 0);
	ck_assert_uint_eq(submits, 1);
	ck_assert_uint_eq(watched_at_submit.lo, 0);
	ck_assert_uint_eq(watched_at_submit.hi, 0);
	/* IEC (4), index-selective (bit 4), index 9 at 47:32; then a wait. */
	ck_assert_uint_eq(submitted[0].lo, 0x0000000900000014ULL);
	ck_assert_uint_eq(submitted[1].lo, 0x0000000100000065ULL);
	ck_assert_uint_eq(((struct vtd_irte *)hw_ptr(pa_of(irt)))[9].lo, b.lo);
	ck_assert_int_eq(vtd_irte_replace(irt, 256, &b, &caps, &queue),
			 -ERANGE);
	ck_assert(hw_sees_all_writes());
}
END_TEST

START_TEST(msi_and_rte_formats)
{
	u32 addr, data;

	/* handle 5: 5 << 5 | IF (bit 4). */
	vtd_msi_remappable(5, false, 0, &addr, &data);
	ck_assert_uint_eq(addr, 0xfee000b0);
	ck_assert_uint_eq(data, 0);
	/* handle 0x8001: bit 15 -> address bit 2; SHV (bit 3), subhandle 2. */
	vtd_msi_remappable(0x8001, true, 2, &addr, &data);
	ck_assert_uint_eq(addr, 0xfee0003c);
	ck_assert_uint_eq(data, 2);
	/*
	 * Index 0x23, vector 0x51, active low (13), level (15), unmasked:
	 * IF (48) | 0x23 << 49 = 0x0047000000000000.
	 */
	ck_assert_uint_eq(vtd_ioapic_rte_remappable(0x23, 0x51, true, true,
						    false),
			  0x004700000000a051ULL);
	/* Index 0x8000: only bit 11 and IF; masked (16). */
	ck_assert_uint_eq(vtd_ioapic_rte_remappable(0x8000, 0x30, false, false,
						    true),
			  0x0001000000010830ULL);
}
END_TEST

/* ---- Faults ---- */

START_TEST(fault_dma_write)
{
	struct vtd_fault f;
	char line[160];
	/* F (127) | T=0: write | reason 5 at 103:96 | SID 00:03.0. */
	u64 hi = (1ULL << 63) | (5ULL << 32) | 0x0018, lo = 0x3c000000;

	ck_assert_int_eq(vtd_fault_decode(lo, hi, &f), 0);
	ck_assert(!f.irq);
	ck_assert(f.write);
	ck_assert_uint_eq(f.reason, 5);
	ck_assert_uint_eq(f.sid, 0x18);
	ck_assert_uint_eq(f.addr, 0x3c000000);
	snprintf(line, sizeof(line), VTD_FAULT_FMT, "cell 'rt'",
		 vtd_fault_access(&f),
		 (unsigned long long)f.addr, VTD_SID_BUS(f.sid),
		 VTD_SID_DEV(f.sid), VTD_SID_FN(f.sid), f.reason, f.what);
	ck_assert_str_eq(line, "cell 'rt': DMA write to 0x3c000000 blocked "
			 "(device 00:03.0, reason 5: write not allowed (page "
			 "unmapped or read-only))\n");
}
END_TEST

/* What a cell takes out of the root's domain: the overlap, at root addresses. */
START_TEST(root_piece)
{
	struct cfg_mem_region root = region_of(0x100000, 0x100000, 0x400000,
					       CFG_MEM_READ | CFG_MEM_WRITE |
					       CFG_MEM_DMA);
	struct cfg_mem_region cell, p;

	/* Inside: the whole region, the root's flags. */
	cell = region_of(0x200000, 0x0, 0x10000, CFG_MEM_READ);
	ck_assert(vtd_root_piece(&root, &cell, &p));
	ck_assert_uint_eq(p.phys, 0x200000);
	ck_assert_uint_eq(p.guest, 0x200000);
	ck_assert_uint_eq(p.size, 0x10000);
	ck_assert_uint_eq(p.flags, root.flags);
	/* Across the root region's start: only the part inside. */
	cell = region_of(0x0, 0x0, 0x180000, CFG_MEM_READ);
	ck_assert(vtd_root_piece(&root, &cell, &p));
	ck_assert_uint_eq(p.phys, 0x100000);
	ck_assert_uint_eq(p.size, 0x80000);
	/* Across its end, with a root guest address that differs. */
	root.guest = 0x40000000;
	cell = region_of(0x480000, 0x0, 0x100000, CFG_MEM_READ);
	ck_assert(vtd_root_piece(&root, &cell, &p));
	ck_assert_uint_eq(p.phys, 0x480000);
	ck_assert_uint_eq(p.guest, 0x40380000);
	ck_assert_uint_eq(p.size, 0x80000);
	/* Touching, not overlapping; and a root region without dma. */
	cell = region_of(0x500000, 0x0, 0x1000, CFG_MEM_READ);
	ck_assert(!vtd_root_piece(&root, &cell, &p));
	cell = region_of(0x200000, 0x0, 0x1000, CFG_MEM_READ);
	root.flags &= ~CFG_MEM_DMA;
	ck_assert(!vtd_root_piece(&root, &cell, &p));
}
END_TEST

START_TEST(fault_other_records)
{
	struct vtd_fault f;

	/* T=1: a read; the low 12 bits of FI are not address. */
	ck_assert_int_eq(vtd_fault_decode(0x12345fff, (1ULL << 63) |
					  (1ULL << 62) | (6ULL << 32) | 0x100,
					  &f), 0);
	ck_assert(!f.write);
	ck_assert_uint_eq(f.addr, 0x12345000);
	ck_assert_str_eq(vtd_fault_access(&f), "DMA read from");
	ck_assert_str_eq(f.what, "read not allowed (page unmapped)");
	/* Source-ID check failed (0x26), interrupt index 7 in FI 63:48. */
	ck_assert_int_eq(vtd_fault_decode(7ULL << 48, (1ULL << 63) |
					  (0x26ULL << 32) | 0x0018, &f), 0);
	ck_assert(f.irq);
	ck_assert_uint_eq(f.irte_index, 7);
	ck_assert_str_eq(f.what, "interrupt source-id check failed");
	ck_assert_str_eq(vtd_fault_reason_name(2),
			 "device not assigned (context entry not present)");
	ck_assert_str_eq(vtd_fault_reason_name(0x1f), "unknown reason");
	ck_assert_str_eq(vtd_fault_reason_name(0x27), "unknown reason");
	ck_assert_str_eq(vtd_fault_reason_name(0), "unknown reason");
	/* F clear: no record. */
	ck_assert_int_eq(vtd_fault_decode(0, 5ULL << 32, &f), -ENOENT);
}
END_TEST

/* ---- Fault-line rate limit, on a fake TSC ---- */

#define FAKE_TSC_KHZ	2000000ULL	/* 2 GHz: a second is 2e9 ticks */
#define TSC_MS(ms)	(FAKE_TSC_KHZ * (ms))

/* A device faulting every millisecond for 2.5 s: lines per window. */
START_TEST(fault_limit_per_window)
{
	struct vtd_fault_limit l = { 0 };
	u64 t0 = 123456789, now;
	unsigned int i, lines = 0, summaries = 0;
	u32 ended, said = 0;

	hv.tsc_khz = FAKE_TSC_KHZ;
	ck_assert_uint_eq(vtd_tsc_ms(VTD_FAULT_WINDOW_MS), TSC_MS(1000));
	for (i = 0; i < 2500; i++) {
		now = t0 + TSC_MS(i);
		lines += vtd_fault_limit_take(&l, now, &ended);
		if (ended) {
			summaries++;
			said += ended;
		}
		/* The poller between faults: nothing ended yet. */
		ck_assert_uint_eq(vtd_fault_limit_close(&l, now, false), 0);
		if (i == 999)
			ck_assert_uint_eq(lines, VTD_FAULT_LINES);
	}
	/* Three windows opened (0 s, 1 s, 2 s): 10 lines each. */
	ck_assert_uint_eq(lines, 3 * VTD_FAULT_LINES);
	ck_assert_uint_eq(summaries, 2);
	ck_assert_uint_eq(said, 2 * (1000 - VTD_FAULT_LINES));
	ck_assert_uint_eq(l.total, 2500);
	/* The poll after the third window ends says its count. */
	ck_assert_uint_eq(vtd_fault_limit_close(&l, t0 + TSC_MS(2999), false),
			  0);
	ck_assert_uint_eq(vtd_fault_limit_close(&l, t0 + TSC_MS(3000), false),
			  500 - VTD_FAULT_LINES);
	ck_assert_uint_eq(vtd_fault_limit_close(&l, t0 + TSC_MS(3001), false),
			  0);
	/* Every fault is counted, printed or not. */
	ck_assert_uint_eq(lines + said + 500 - VTD_FAULT_LINES, l.total);
}
END_TEST

/* Destroy closes the window early; a quiet owner prints every fault. */
START_TEST(fault_limit_forced_and_quiet)
{
	struct vtd_fault_limit l = { 0 };
	unsigned int i;
	u32 ended;

	hv.tsc_khz = FAKE_TSC_KHZ;
	for (i = 0; i < VTD_FAULT_LINES + 3; i++)
		vtd_fault_limit_take(&l, 1000 + i, &ended);
	ck_assert_uint_eq(vtd_fault_limit_close(&l, 2000, true), 3);
	ck_assert_uint_eq(vtd_fault_limit_close(&l, 3000, true), 0);
	/* One fault every 200 ms never hits the limit. */
	memset(&l, 0, sizeof(l));
	for (i = 0; i < 50; i++) {
		ck_assert(vtd_fault_limit_take(&l, TSC_MS(200 * i), &ended));
		ck_assert_uint_eq(ended, 0);
	}
	/* TSC wrap: the window is a difference, not a comparison. */
	memset(&l, 0, sizeof(l));
	for (i = 0; i < VTD_FAULT_LINES + 1; i++)
		vtd_fault_limit_take(&l, ~0ULL - TSC_MS(1), &ended);
	ck_assert(!vtd_fault_limit_take(&l, TSC_MS(1), &ended));
	ck_assert_uint_eq(ended, 0);
	ck_assert(vtd_fault_limit_take(&l, TSC_MS(1000), &ended));
	ck_assert_uint_eq(ended, 2);
	/* The summary a caller prints (iommu.md's example line). */
	{
		char line[128];

		snprintf(line, sizeof(line), VTD_FAULT_SUPPRESSED_FMT,
			 "cell 'pci-edu'", 4990U, 5000ULL);
		ck_assert_str_eq(line, "cell 'pci-edu': 4990 more faults "
				 "suppressed (5000 in all)\n");
	}
	/* Unknown TSC rate: 1 GHz. */
	hv.tsc_khz = 0;
	ck_assert_uint_eq(vtd_tsc_ms(1000), 1000000000ULL);
}
END_TEST

static Suite *vtd_suite(void)
{
	Suite *s = suite_create("vtd");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, caps_qemu_39);
	tcase_add_test(tc, caps_48_preferred);
	tcase_add_test(tc, caps_refused);
	tcase_add_test(tc, caps_absent_or_coherent);
	tcase_add_test(tc, linux_detection);
	tcase_add_test(tc, pmr_detection);
	tcase_add_test(tc, cell_domain_3_levels);
	tcase_add_test(tc, cell_domain_4_levels);
	tcase_add_test(tc, root_domain_exclusions);
	tcase_add_test(tc, domain_refusals);
	tcase_add_test(tc, no_superpages_without_sllps);
	tcase_add_test(tc, live_unmap_invalidates);
	tcase_add_test(tc, assign_and_move_device);
	tcase_add_test(tc, context_tables_per_bus);
	tcase_add_test(tc, descriptors);
	tcase_add_test(tc, descriptors_clear_of_qemu_reserved_bits);
	tcase_add_test(tc, queue_ring);
	tcase_add_test(tc, irte_xapic);
	tcase_add_test(tc, irte_x2apic);
	tcase_add_test(tc, irte_make_root);
	tcase_add_test(tc, irte_refusals);
	tcase_add_test(tc, irt_set_clear);
	tcase_add_test(tc, irte_replace_in_use);
	tcase_add_test(tc, msi_and_rte_formats);
	tcase_add_test(tc, fault_dma_write);
	tcase_add_test(tc, fault_other_records);
	tcase_add_test(tc, fault_limit_per_window);
	tcase_add_test(tc, fault_limit_forced_and_quiet);
	tcase_add_test(tc, root_piece);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vtd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
