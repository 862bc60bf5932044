// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VT-d: whether a unit is usable, and the builders of everything it
 * reads from memory.  Pure code: memory in, memory out; registers only
 * through the caller's accessors, table flushes through caps->flush, queued
 * invalidations through the caller's submit.  iommu_vtd.c drives it.
 */
#include <string.h>
#include <hv/paging.h>
#include <hv/setup.h>
#include <asm/vtd.h>

#include "../../config.h"

/* paging.c builds our second-level tables with its own names for R and PS. */
BUILD_BUG_ON(VTD_SL_R != PTE_P);
BUILD_BUG_ON(VTD_SL_PS != PTE_PS);
BUILD_BUG_ON(sizeof(struct vtd_entry) != 16);
BUILD_BUG_ON(sizeof(struct vtd_irte) != 16);
BUILD_BUG_ON(sizeof(struct vtd_desc) != 16);
BUILD_BUG_ON(VTD_IRT_ENTRIES * sizeof(struct vtd_irte) != PAGE_SIZE);

#define CACHE_LINE	64

static int refuse(const char **why, const char *reason, int err)
{
	if (why)
		*why = reason;
	return err;
}

static void flush(vtd_flush_fn fn, const void *addr, unsigned long size)
{
	if (fn)
		fn(addr, size);
}

/*
 * CLFLUSH is ordered with older writes to the line and with later fences,
 * so the MFENCE makes the lines reach memory before any later MMIO write
 * (queue tail, GCMD) tells the unit to look.  64-byte steps: no x86-64 CPU
 * has smaller lines.
 */
void vtd_clflush(const void *addr, unsigned long size)
{
	unsigned long p = (unsigned long)addr & ~(CACHE_LINE - 1UL);
	unsigned long end = (unsigned long)addr + size;

	for (; p < end; p += CACHE_LINE)
		asm volatile("clflush %0" : "+m" (*(volatile char *)p));
	asm volatile("mfence" ::: "memory");
}

/* ---- Capabilities ---- */

/* 4-level when offered (covers all RAM a config can name), else 3-level. */
static int pick_levels(u64 cap, struct vtd_caps *caps, const char **why)
{
	unsigned int sagaw = VTD_CAP_SAGAW(cap), mgaw = VTD_CAP_MGAW(cap);

	if (sagaw & VTD_SAGAW_48) {
		caps->levels = 4;
		caps->aw = 48;
	} else if (sagaw & VTD_SAGAW_39) {
		caps->levels = 3;
		caps->aw = 39;
	} else {
		return refuse(why, "VT-d unit offers neither 39- nor 48-bit "
			      "second-level tables (CAP.SAGAW)", -ENODEV);
	}
	/* Addresses above MGAW fault even if the tables could hold them. */
	if (mgaw < caps->aw)
		caps->aw = mgaw;
	return 0;
}

static int check_features(u64 cap, u64 ecap, unsigned int want,
			  const char **why)
{
	if (!(ecap & VTD_ECAP_QI))
		return refuse(why, "VT-d unit has no queued invalidation "
			      "(ECAP.QI)", -ENODEV);
	if ((want & VTD_WANT_IR) && !(ecap & VTD_ECAP_IR))
		return refuse(why, "VT-d unit has no interrupt remapping "
			      "(ECAP.IR)", -ENODEV);
	if ((want & VTD_WANT_X2APIC) && !(ecap & VTD_ECAP_EIM))
		return refuse(why, "VT-d unit cannot remap to x2APIC "
			      "destinations (ECAP.EIM)", -ENODEV);
	/* A virtual IOMMU's mode: every not-present entry may be cached. */
	if (cap & VTD_CAP_CM)
		return refuse(why, "VT-d unit is in caching mode (CAP.CM), "
			      "not supported", -ENODEV);
	if (cap & VTD_CAP_RWBF)
		return refuse(why, "VT-d unit needs write-buffer flushing "
			      "(CAP.RWBF), not supported", -ENODEV);
	if (VTD_CAP_ND(cap) > 6)
		return refuse(why, "VT-d unit reports a reserved domain count "
			      "(CAP.ND=7)", -ENODEV);
	if (VTD_CAP_FRO(cap) + 16 * VTD_CAP_NFR(cap) > VTD_REG_SIZE ||
	    VTD_ECAP_IRO(ecap) + 16 > VTD_REG_SIZE)
		return refuse(why, "VT-d unit's fault or IOTLB registers lie "
			      "outside its register page", -ENODEV);
	return 0;
}

/*
 * Reads VER, CAP and ECAP and says whether we can drive the unit for
 * @want (VTD_WANT_*).  @noncoherent_flush is what table writes go through
 * when the unit does not snoop (ECAP.C=0): vtd_clflush in the hypervisor.
 */
int vtd_unit_check(const struct vtd_regs *regs, unsigned int want,
		   vtd_flush_fn noncoherent_flush, struct vtd_caps *caps,
		   const char **why)
{
	u32 ver = regs->read32(regs->ctx, VTD_VER);
	int err;

	/* Nothing decodes the address: reads float to all ones. */
	if (ver == 0 || ver == ~0U)
		return refuse(why, "no VT-d unit answers at the configured "
			      "address", -ENODEV);
	caps->cap = regs->read64(regs->ctx, VTD_CAP);
	caps->ecap = regs->read64(regs->ctx, VTD_ECAP);
	err = pick_levels(caps->cap, caps, why);
	if (err)
		return err;
	err = check_features(caps->cap, caps->ecap, want, why);
	if (err)
		return err;
	caps->domains = 1U << (4 + 2 * VTD_CAP_ND(caps->cap));
	caps->flush = (caps->ecap & VTD_ECAP_C) ? NULL : noncoherent_flush;
	if (!(caps->ecap & VTD_ECAP_C) && !noncoherent_flush)
		return refuse(why, "VT-d unit does not snoop its tables "
			      "(ECAP.C=0) and no flush was given", -EINVAL);
	return 0;
}

/*
 * Linux's own driver owns the unit when it enabled translation or
 * interrupt remapping; taking the unit from under it would break its DMA
 * and interrupts.  The caller refuses enable with *why.
 */
int vtd_linux_owns(const struct vtd_regs *regs, const char **why)
{
	u32 gsts = regs->read32(regs->ctx, VTD_GSTS);

	if (gsts == ~0U)
		return refuse(why, "no VT-d unit answers at the configured "
			      "address", -ENODEV);
	if (gsts & VTD_GSTS_TES)
		return refuse(why, "Linux uses the VT-d unit for DMA "
			      "remapping (GSTS.TES): boot it with "
			      "intel_iommu=off (and intremap=off, or keep "
			      "its interrupt remapping for the hypervisor to "
			      "emulate)", -EBUSY);
	if (gsts & VTD_GSTS_IRES)
		return refuse(why, "Linux uses the VT-d unit for interrupt "
			      "remapping (GSTS.IRES): boot it with "
			      "intremap=off", -EBUSY);
	return 0;
}

/*
 * Protected memory regions firmware left on (PMEN.PRS) block DMA to
 * ranges the config gives; the caller turns them off once translation
 * confines DMA (the order the spec asks: both on at once is undefined,
 * off before translation would open a window).  PMEN is reserved without
 * CAP.PLMR/PHMR: not even read then.
 */
bool vtd_pmr_on(const struct vtd_regs *regs, u64 cap)
{
	if (!(cap & (VTD_CAP_PLMR | VTD_CAP_PHMR)))
		return false;
	return regs->read32(regs->ctx, VTD_PMEN) & VTD_PMEN_PRS;
}

/* ---- Domains ---- */

/*
 * One domain per cell, DID = cell id, the root's 0.  DID 0 is reserved
 * only in caching mode (CAP.CM description, 11.4.2), which
 * vtd_unit_check refuses.
 */
u16 vtd_domain_id(unsigned int cell_id)
{
	return cell_id;
}

int vtd_domain_init(struct vtd_domain *dom, const struct vtd_caps *caps,
		    unsigned int cell_id)
{
	unsigned int sllps = VTD_CAP_SLLPS(caps->cap);
	int err;

	if (cell_id >= caps->domains)
		return -ERANGE;
	err = paging_init(&dom->sl, caps->levels, VTD_SL_TABLE,
			  sllps & VTD_SLLPS_1G);
	if (err)
		return err;
	dom->sl.no_2m = !(sllps & VTD_SLLPS_2M);
	dom->sl.flush = caps->flush;
	flush(caps->flush, dom->sl.root, PAGE_SIZE);
	dom->did = vtd_domain_id(cell_id);
	return 0;
}

static int check_region(const struct cfg_mem_region *r,
			const struct vtd_caps *caps, const char **why)
{
	u64 end = r->guest + r->size;

	if ((r->phys | r->guest | r->size) & (PAGE_SIZE - 1) || !r->size)
		return refuse(why, "a DMA region is not page aligned", -EINVAL);
	/* paging.c knows an entry is there by R: a W-only leaf would hide. */
	if (!(r->flags & CFG_MEM_READ))
		return refuse(why, "a write-only DMA region is not supported",
			      -EINVAL);
	if (end < r->guest || end > (1ULL << caps->aw))
		return refuse(why, "a DMA region lies above the VT-d unit's "
			      "address width", -ERANGE);
	return 0;
}

/*
 * Checked before mapping: paging.c meets an overlap inside a large leaf as
 * a table it cannot allocate, which would read as "out of memory".
 */
static bool dma_overlap(const struct cfg_mem_region *regions, unsigned int i)
{
	const struct cfg_mem_region *a = &regions[i], *b;
	unsigned int j;

	for (j = 0; j < i; j++) {
		b = &regions[j];
		if ((b->flags & CFG_MEM_DMA) && a->guest < b->guest + b->size &&
		    b->guest < a->guest + a->size)
			return true;
	}
	return false;
}

/* Next byte at or after @at that no exclusion covers, and where it ends. */
static u64 next_allowed(u64 at, u64 end, const struct vtd_range *excl,
			unsigned int n_excl, u64 *piece_end)
{
	unsigned int i;
	bool moved = true;

	while (moved) {
		moved = false;
		for (i = 0; i < n_excl; i++) {
			u64 s = excl[i].start & PAGE_MASK;
			u64 e = PAGE_ALIGN(excl[i].start + excl[i].size);

			if (excl[i].size && at >= s && at < e) {
				at = e;
				moved = true;
			}
		}
	}
	*piece_end = end;
	for (i = 0; i < n_excl; i++) {
		u64 s = excl[i].start & PAGE_MASK;

		if (excl[i].size && s > at && s < *piece_end)
			*piece_end = s;
	}
	return at;
}

/*
 * Only the allowed pieces are ever written: mapping all and unmapping the
 * exclusions after would show them, for a while, to a live domain.
 */
static int map_region(struct vtd_domain *dom, const struct cfg_mem_region *r,
		      const struct vtd_range *excl, unsigned int n_excl)
{
	u64 flags = VTD_SL_R | (r->flags & CFG_MEM_WRITE ? VTD_SL_W : 0);
	u64 end = r->phys + r->size, at = r->phys, piece_end;
	int err;

	for (;;) {
		at = next_allowed(at, end, excl, n_excl, &piece_end);
		if (at >= end)
			return 0;
		err = paging_map(&dom->sl, r->guest + (at - r->phys), at,
				 piece_end - at, flags);
		if (err)
			return err;
		at = piece_end;
	}
}

/*
 * Maps the CFG_MEM_DMA regions of @regions (others are skipped) at their
 * guest addresses, leaving out every page @excl touches (physical
 * addresses).  The root passes its RAM and, in @excl, the hypervisor
 * region and the cells' memory; a cell passes its regions and no @excl.
 */
int vtd_domain_map(struct vtd_domain *dom, const struct vtd_caps *caps,
		   const struct cfg_mem_region *regions, unsigned int n,
		   const struct vtd_range *excl, unsigned int n_excl,
		   const char **why)
{
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		if (!(regions[i].flags & CFG_MEM_DMA))
			continue;
		err = check_region(&regions[i], caps, why);
		if (err)
			return err;
		if (dma_overlap(regions, i))
			return refuse(why, "two DMA regions overlap in the "
				      "devices' address space", -EEXIST);
		err = map_region(dom, &regions[i], excl, n_excl);
		if (err == -EEXIST)
			return refuse(why, "two DMA regions overlap in the "
				      "devices' address space", err);
		if (err)
			return refuse(why, "out of page-table memory", err);
	}
	return 0;
}

/*
 * Removes [addr, addr + size) (device addresses) from a live domain: the
 * unit may still use its cached translations until the IOTLB
 * invalidation and wait submitted here complete.  Known gap: tables the
 * unmap empties go back to the pool before that, so another CPU taking
 * one from the pool meanwhile could have it walked by the unit.
 */
int vtd_domain_unmap(struct vtd_domain *dom, const struct vtd_caps *caps,
		     u64 addr, u64 size, struct vtd_queue_ops *q)
{
	struct vtd_desc d[2];
	int err;

	err = paging_unmap(&dom->sl, addr, size);
	if (err)
		return err;
	d[0] = vtd_desc_iotlb_domain(dom->did, caps);
	d[1] = vtd_desc_wait(q->status_pa, ++q->seq);
	return q->submit(q->ctx, d, 2);
}

void vtd_domain_destroy(struct vtd_domain *dom)
{
	paging_destroy(&dom->sl);
}

/* ---- Invalidation descriptors (6.5.2) ---- */

struct vtd_desc vtd_desc_cc_device(u16 did, u16 sid)
{
	/* FM (lo 49:48) = 0: the whole SID is compared. */
	return (struct vtd_desc){ VTD_DESC_CC | VTD_DESC_G_DEVICE |
				  VTD_DESC_DID(did) | VTD_DESC_CC_SID(sid), 0 };
}

struct vtd_desc vtd_desc_cc_global(void)
{
	return (struct vtd_desc){ VTD_DESC_CC | VTD_DESC_G_GLOBAL, 0 };
}

/* Drain (DR/DW) where the unit can, so no old translation is in flight. */
static u64 iotlb_drain(const struct vtd_caps *caps)
{
	return (caps->cap & VTD_CAP_DRD ? VTD_DESC_IOTLB_DR : 0) |
	       (caps->cap & VTD_CAP_DWD ? VTD_DESC_IOTLB_DW : 0);
}

struct vtd_desc vtd_desc_iotlb_domain(u16 did, const struct vtd_caps *caps)
{
	return (struct vtd_desc){ VTD_DESC_IOTLB | VTD_DESC_G_DOMAIN |
				  iotlb_drain(caps) | VTD_DESC_DID(did), 0 };
}

struct vtd_desc vtd_desc_iotlb_global(const struct vtd_caps *caps)
{
	return (struct vtd_desc){ VTD_DESC_IOTLB | VTD_DESC_G_GLOBAL |
				  iotlb_drain(caps), 0 };
}

struct vtd_desc vtd_desc_iec_index(u16 index)
{
	/* IM (lo 31:27) = 0: exactly one entry. */
	return (struct vtd_desc){ VTD_DESC_IEC | VTD_DESC_IEC_INDEX |
				  VTD_DESC_IEC_IIDX(index), 0 };
}

struct vtd_desc vtd_desc_iec_global(void)
{
	return (struct vtd_desc){ VTD_DESC_IEC, 0 };
}

/*
 * Status write of @status_data to @status_pa once everything before it
 * completed; FN keeps later descriptors from starting before that.
 */
struct vtd_desc vtd_desc_wait(u64 status_pa, u32 status_data)
{
	return (struct vtd_desc){ VTD_DESC_WAIT | VTD_DESC_WAIT_SW |
				  VTD_DESC_WAIT_FN |
				  VTD_DESC_WAIT_SDATA(status_data),
				  status_pa & ~3ULL };
}

/* ---- Invalidation queue ring (11.4.10) ---- */

u64 vtd_iqa(u64 ring_pa, unsigned int pages_log2)
{
	return (ring_pa & PAGE_MASK) | VTD_IQA_QS(pages_log2);
}

/*
 * Copies @n descriptors at the tail and returns the new IQT value, or
 * -EBUSY when the unit has not consumed enough (IQH = @iqh).
 */
s64 vtd_iq_push(struct vtd_iq *iq, u64 iqh, const struct vtd_desc *d,
		unsigned int n, vtd_flush_fn flush_fn)
{
	unsigned int head = (iqh >> VTD_IQ_INDEX_SHIFT) % iq->entries;
	unsigned int room = (head + iq->entries - iq->tail - 1) % iq->entries;
	unsigned int i;

	if (n > room)
		return -EBUSY;
	for (i = 0; i < n; i++) {
		iq->ring[iq->tail] = d[i];
		flush(flush_fn, &iq->ring[iq->tail], sizeof(*d));
		iq->tail = (iq->tail + 1) % iq->entries;
	}
	return (s64)iq->tail << VTD_IQ_INDEX_SHIFT;
}

/* ---- Root and context tables (9.1, 9.3) ---- */

int vtd_tables_init(struct vtd_tables *t, const struct vtd_caps *caps)
{
	t->root = page_alloc();
	if (!t->root)
		return -ENOMEM;
	flush(caps->flush, t->root, PAGE_SIZE);
	return 0;
}

/* RTADDR: the root table, legacy mode (TTM=00). */
u64 vtd_rtaddr(const struct vtd_tables *t)
{
	return hv_pa(t->root) | VTD_RTADDR_TTM_LEGACY;
}

/*
 * 128-bit entries whose present bit is in the low half: the high half
 * goes first when setting, the low half first when clearing, so that a
 * walker reading between the two stores never takes a half-written entry
 * for a present one.  Both halves share a line: one flush.
 */
static void entry_set(struct vtd_entry *e, struct vtd_entry v,
		      vtd_flush_fn flush_fn)
{
	WRITE_ONCE(e->hi, v.hi);
	asm volatile("" ::: "memory");
	WRITE_ONCE(e->lo, v.lo);
	flush(flush_fn, e, sizeof(*e));
}

static void entry_clear(struct vtd_entry *e, vtd_flush_fn flush_fn)
{
	WRITE_ONCE(e->lo, 0);
	asm volatile("" ::: "memory");
	WRITE_ONCE(e->hi, 0);
	flush(flush_fn, e, sizeof(*e));
}

static struct vtd_entry *context_table(struct vtd_tables *t,
				       const struct vtd_caps *caps, u8 bus,
				       bool create)
{
	struct vtd_entry *re = &t->root[bus], *ct;

	if (re->lo & VTD_ROOT_P)
		return hv_va(re->lo & VTD_ROOT_CTP_MASK);
	if (!create)
		return NULL;
	ct = page_alloc();
	if (!ct)
		return NULL;
	/* Not-present entries, in memory before the root entry links them. */
	flush(caps->flush, ct, PAGE_SIZE);
	entry_set(re, (struct vtd_entry){ hv_pa(ct) | VTD_ROOT_P, 0 },
		  caps->flush);
	return ct;
}

/* Legacy context entry: second-level translation only (TT=00), faults on. */
struct vtd_entry vtd_context_entry(const struct vtd_domain *dom)
{
	u64 aw = dom->sl.levels == 3 ? VTD_CTX_AW_39 : VTD_CTX_AW_48;

	return (struct vtd_entry){
		(hv_pa(dom->sl.root) & VTD_CTX_SLPTPTR_MASK) | VTD_CTX_TT_SL |
			VTD_CTX_P,
		aw | ((u64)dom->did << VTD_CTX_DID_SHIFT),
	};
}

/*
 * 6.5.3.3 (software guidance for invalidation): a present context entry
 * is cleared, the context cache invalidated for the device with the old
 * DID, and once that completed, the IOTLB for that DID (its entries were
 * tagged through the context entry); the change is complete when the last
 * wait's status is written.  The wait in the middle orders the two; it
 * writes a status too, as QEMU 7.2 rejects a fence-only wait (FN without
 * SW or IF, which 7.10 allows) with an invalidation queue error.
 */
static int clear_context(struct vtd_entry *e, const struct vtd_caps *caps,
			 u16 bdf, struct vtd_queue_ops *q)
{
	u16 old_did = (e->hi >> VTD_CTX_DID_SHIFT) & 0xffff;
	struct vtd_desc d[4];

	entry_clear(e, caps->flush);
	d[0] = vtd_desc_cc_device(old_did, bdf);
	d[1] = vtd_desc_wait(q->status_pa, ++q->seq);
	d[2] = vtd_desc_iotlb_domain(old_did, caps);
	d[3] = vtd_desc_wait(q->status_pa, ++q->seq);
	return q->submit(q->ctx, d, 4);
}

/*
 * Gives device @bdf to @dom.  A device another domain held is blocked
 * first (entry cleared, caches invalidated, wait completed) and only then
 * pointed at @dom: it never translates with a mix of both.  Writing a
 * not-present entry present needs no invalidation outside caching mode.
 */
int vtd_assign(struct vtd_tables *t, const struct vtd_caps *caps, u16 bdf,
	       const struct vtd_domain *dom, struct vtd_queue_ops *q)
{
	struct vtd_entry *ct = context_table(t, caps, bdf >> 8, true);
	struct vtd_entry v = vtd_context_entry(dom), *e;
	int err;

	if (!ct)
		return -ENOMEM;
	e = &ct[bdf & 0xff];
	if (e->lo & VTD_CTX_P) {
		if (e->lo == v.lo && e->hi == v.hi)
			return 0;
		err = clear_context(e, caps, bdf, q);
		if (err)
			return err;
	}
	entry_set(e, v, caps->flush);
	return 0;
}

/* Device @bdf translates nothing: its DMA faults (reason 2). */
int vtd_unassign(struct vtd_tables *t, const struct vtd_caps *caps, u16 bdf,
		 struct vtd_queue_ops *q)
{
	struct vtd_entry *ct = context_table(t, caps, bdf >> 8, false);

	if (!ct || !(ct[bdf & 0xff].lo & VTD_CTX_P))
		return 0;
	return clear_context(&ct[bdf & 0xff], caps, bdf, q);
}

/* After translation is off: context tables back to the pool. */
void vtd_tables_destroy(struct vtd_tables *t)
{
	unsigned int bus;

	if (!t->root)
		return;
	for (bus = 0; bus < 256; bus++)
		if (t->root[bus].lo & VTD_ROOT_P)
			page_free(hv_va(t->root[bus].lo & VTD_ROOT_CTP_MASK));
	page_free(t->root);
	t->root = NULL;
}

/* ---- Interrupt remapping (9.10, 5.1.5) ---- */

static bool apic_in_set(const struct vtd_apic_set *set, u32 apic_id)
{
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if (set->ids[i] == apic_id)
			return true;
	return false;
}

/*
 * A remapped IRTE for a cell's interrupt: fixed delivery to one CPU in
 * physical destination mode, nothing else.  Lowest-priority and logical
 * modes let the platform pick among several CPUs, which may not all be
 * the owner's; the source-ID check (SVT=01, SQ=00) makes the entry
 * usable only by the device (or IOAPIC) whose SID it names.
 */
int vtd_irte_build(struct vtd_irte *irte, const struct vtd_irq_target *t,
		   const struct vtd_apic_set *owner, bool x2apic,
		   const char **why)
{
	if (!apic_in_set(owner, t->apic_id))
		return refuse(why, "interrupt aimed at a CPU its device's "
			      "owner does not have", -EPERM);
	if (t->vector < 16)
		return refuse(why, "interrupt vector below 16", -EINVAL);
	if (!x2apic && t->apic_id > 0xff)
		return refuse(why, "APIC ID above 255 in xAPIC mode", -ERANGE);
	vtd_irte_make(irte, t, 0, false, x2apic);
	return 0;
}

/*
 * The entry as asked, unchecked: the root's interrupts keep the delivery
 * mode (@dlm, MSI data / RTE bits 10:8) and destination mode Linux chose;
 * their destination is checked by the caller (never a cell's CPU).
 */
void vtd_irte_make(struct vtd_irte *irte, const struct vtd_irq_target *t,
		   u8 dlm, bool logical, bool x2apic)
{
	/* xAPIC: the 8-bit ID sits in bits 15:8 of the destination field. */
	u64 dst = x2apic ? t->apic_id : (u64)(t->apic_id & 0xff) << 8;

	irte->lo = VTD_IRTE_P | (u64)(dlm & 7) << 5 |
		   (logical ? VTD_IRTE_DM_LOGICAL : 0) |
		   (t->level ? VTD_IRTE_TM_LEVEL : 0) |
		   VTD_IRTE_VECTOR(t->vector) | VTD_IRTE_DST(dst);
	irte->hi = VTD_IRTE_SID(t->sid) | VTD_IRTE_SQ_ALL | VTD_IRTE_SVT_SID;
}

/*
 * Fills a free slot (a present one is cleared and invalidated first, by
 * vtd_irte_clear and an IEC descriptor): high half first, present bit
 * last, as for context entries.
 */
int vtd_irte_set(struct vtd_irte *irt, unsigned int index,
		 const struct vtd_irte *irte, vtd_flush_fn flush_fn)
{
	if (index >= VTD_IRT_ENTRIES)
		return -ERANGE;
	if (irt[index].lo & VTD_IRTE_P)
		return -EBUSY;
	entry_set((struct vtd_entry *)&irt[index],
		  (struct vtd_entry){ irte->lo, irte->hi }, flush_fn);
	return 0;
}

void vtd_irte_clear(struct vtd_irte *irt, unsigned int index,
		    vtd_flush_fn flush_fn)
{
	if (index < VTD_IRT_ENTRIES)
		entry_clear((struct vtd_entry *)&irt[index], flush_fn);
}

/*
 * Points slot @index at a new target.  An entry in use is cleared and its
 * cached copy invalidated (IEC, index-selective) before the new one is
 * written, so an interrupt in flight meets the old entry or none, never a
 * mix; a free slot is written directly (not-present entries are not
 * cached outside caching mode).
 */
int vtd_irte_replace(struct vtd_irte *irt, unsigned int index,
		     const struct vtd_irte *irte, const struct vtd_caps *caps,
		     struct vtd_queue_ops *q)
{
	struct vtd_desc d[2];
	int err;

	if (index >= VTD_IRT_ENTRIES)
		return -ERANGE;
	if (irt[index].lo & VTD_IRTE_P) {
		vtd_irte_clear(irt, index, caps->flush);
		d[0] = vtd_desc_iec_index(index);
		d[1] = vtd_desc_wait(q->status_pa, ++q->seq);
		err = q->submit(q->ctx, d, 2);
		if (err)
			return err;
	}
	return vtd_irte_set(irt, index, irte, caps->flush);
}

/* IRTA: one page of entries (S = 7: 2^(7+1)), EIME for x2APIC IDs. */
u64 vtd_irta(u64 irt_pa, bool x2apic)
{
	return (irt_pa & PAGE_MASK) | (x2apic ? VTD_IRTA_EIME : 0) |
	       VTD_IRTA_S(VTD_IRT_ENTRIES_LOG2);
}

/*
 * 5.1.2.2 (interrupt requests in remappable format), programmed as 5.1.5.2
 * says for MSI/MSI-X: handle[14:0] in address bits 19:5, handle[15] in
 * bit 2, IF in bit 4; with SHV the device's data (its subhandle) is added
 * to the handle.
 */
void vtd_msi_remappable(u16 handle, bool shv, u16 subhandle, u32 *addr,
			u32 *data)
{
	*addr = VTD_MSI_ADDR_BASE | (u32)(handle & 0x7fff) << 5 |
		VTD_MSI_ADDR_IF | (shv ? VTD_MSI_ADDR_SHV : 0) |
		(u32)(handle >> 15) << 2;
	*data = shv ? subhandle : 0;
}

/*
 * 5.1.5.1 (I/OxAPIC programming): index[15] in bit 11, IF in bit 48,
 * index[14:0] in bits 63:49; the vector stays for the IOAPIC's EOI
 * matching and must equal the IRTE's.
 */
u64 vtd_ioapic_rte_remappable(u16 index, u8 vector, bool level,
			      bool active_low, bool masked)
{
	return vector | (index >> 15 ? VTD_RTE_INDEX15 : 0) |
	       (active_low ? VTD_RTE_POLARITY_LOW : 0) |
	       (level ? VTD_RTE_TRIGGER_LEVEL : 0) |
	       (masked ? VTD_RTE_MASK : 0) | VTD_RTE_IF |
	       ((u64)(index & 0x7fff) << 49);
}

/* ---- Faults (9.9, Appendix A "Non-Recoverable Fault Reason Encodings") */

static const char *const dma_reasons[] = {
	[0x1] = "root entry not present",
	[0x2] = "device not assigned (context entry not present)",
	[0x3] = "invalid context entry",
	[0x4] = "address above the domain's width",
	[0x5] = "write not allowed (page unmapped or read-only)",
	[0x6] = "read not allowed (page unmapped)",
	[0x7] = "bad next-table address",
	[0x8] = "bad root table address",
	[0x9] = "bad context table address",
	[0xa] = "reserved bits set in root entry",
	[0xb] = "reserved bits set in context entry",
	[0xc] = "reserved bits set in page-table entry",
	[0xd] = "request type blocked by context entry",
};

static const char *const irq_reasons[] = {
	[0x0] = "reserved bits set in interrupt request",
	[0x1] = "interrupt index beyond the table",
	[0x2] = "interrupt entry not present",
	[0x3] = "interrupt table not readable",
	[0x4] = "reserved bits set in interrupt entry",
	[0x5] = "compatibility-format interrupt blocked",
	[0x6] = "interrupt source-id check failed",
};

const char *vtd_fault_reason_name(u8 reason)
{
	const char *name = NULL;

	if (reason < ARRAY_SIZE(dma_reasons))
		name = dma_reasons[reason];
	else if (reason >= VTD_FR_IR_FIRST &&
		 reason - VTD_FR_IR_FIRST < (int)ARRAY_SIZE(irq_reasons))
		name = irq_reasons[reason - VTD_FR_IR_FIRST];
	return name ? name : "unknown reason";
}

/* -ENOENT when the record holds no fault (F clear). */
int vtd_fault_decode(u64 lo, u64 hi, struct vtd_fault *f)
{
	if (!(hi & VTD_FRCD_F))
		return -ENOENT;
	f->reason = VTD_FRCD_FR(hi);
	f->sid = VTD_FRCD_SID(hi);
	f->irq = f->reason >= VTD_FR_IR_FIRST && f->reason < 0x30;
	f->write = !f->irq && !(hi & VTD_FRCD_T_READ);
	f->addr = f->irq ? 0 : lo & VTD_FRCD_FI_MASK;
	f->irte_index = f->irq ? VTD_FRCD_IR_INDEX(lo) : 0;
	f->what = vtd_fault_reason_name(f->reason);
	return 0;
}

/* ---- What a cell takes from the root's domain ---- */

bool vtd_root_piece(const struct cfg_mem_region *root,
		    const struct cfg_mem_region *taken,
		    struct cfg_mem_region *piece)
{
	u64 s, e;

	if (!(root->flags & CFG_MEM_DMA))
		return false;
	s = taken->phys > root->phys ? taken->phys : root->phys;
	e = taken->phys + taken->size < root->phys + root->size ?
	    taken->phys + taken->size : root->phys + root->size;
	if (s >= e)
		return false;
	*piece = *root;
	piece->phys = s;
	piece->guest = root->guest + (s - root->phys);
	piece->size = e - s;
	return true;
}

/* ---- Fault-line rate limit ---- */

/* TSC ticks in @ms; an unknown TSC rate counts as 1 GHz. */
u64 vtd_tsc_ms(unsigned int ms)
{
	return (u64)(hv.tsc_khz ? hv.tsc_khz : 1000000) * ms;
}

/*
 * The suppressed count of @l's window when it has ended at @now, or
 * whatever it ended at when @force (the owner goes away); 0: nothing to
 * say.  The window closes either way once it has ended.
 */
u32 vtd_fault_limit_close(struct vtd_fault_limit *l, u64 now, bool force)
{
	u32 n = l->suppressed;

	if (!l->open ||
	    (!force && now - l->start < vtd_tsc_ms(VTD_FAULT_WINDOW_MS)))
		return 0;
	l->open = false;
	l->printed = 0;
	l->suppressed = 0;
	return n;
}

/*
 * Counts one fault of the owner at @now; true when its line may be
 * printed.  *@ended is the count of the previous window, if this fault
 * closed it: its summary goes before this fault's line.
 */
bool vtd_fault_limit_take(struct vtd_fault_limit *l, u64 now, u32 *ended)
{
	*ended = vtd_fault_limit_close(l, now, false);
	if (!l->open) {
		l->open = true;
		l->start = now;
	}
	l->total++;
	if (l->printed < VTD_FAULT_LINES) {
		l->printed++;
		return true;
	}
	l->suppressed++;
	return false;
}
