/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel VT-d: register interface and the builders of the in-memory
 * structures (second-level tables, root/context tables, IRTEs, queued
 * invalidation descriptors, fault records).
 *
 * Bit positions follow the "Intel Virtualization Technology for Directed
 * I/O Architecture Specification", rev. 3.x.  Section numbers below are
 * that revision's as best known; the titles are what to search for, as
 * numbers move between revisions (chapter 9 "Translation Structure
 * Formats", 11 "Register Descriptions", 6.5 "Invalidation of Translation
 * Caches", 5.1 "Interrupt Remapping", appendix A for fault reasons).
 */
#ifndef _ASM_VTD_H
#define _ASM_VTD_H

#include <hv/types.h>
#include <hv/paging.h>

struct cfg_mem_region;

/* ---- Registers: offsets (11.4 "Register Descriptions") ---- */
#define VTD_VER			0x00	/* 32 */
#define VTD_CAP			0x08	/* 64 */
#define VTD_ECAP		0x10	/* 64 */
#define VTD_GCMD		0x18	/* 32 */
#define VTD_GSTS		0x1c	/* 32 */
#define VTD_RTADDR		0x20	/* 64 */
#define VTD_CCMD		0x28	/* 64 */
#define VTD_FSTS		0x34	/* 32 */
#define VTD_FECTL		0x38	/* 32 */
#define VTD_FEDATA		0x3c	/* 32 */
#define VTD_FEADDR		0x40	/* 32 */
#define VTD_FEUADDR		0x44	/* 32 */
#define VTD_PMEN		0x64	/* 32 */
#define VTD_IQH			0x80	/* 64 */
#define VTD_IQT			0x88	/* 64 */
#define VTD_IQA			0x90	/* 64 */
#define VTD_ICS			0x9c	/* 32 */
#define VTD_IRTA		0xb8	/* 64 */
/* The register page is 4 KiB; CAP.FRO and ECAP.IRO point inside it. */
#define VTD_REG_SIZE		0x1000

/* 11.4.2 Capability Register */
#define VTD_CAP_ND(c)		((unsigned int)(c) & 7)	/* 2^(4+2*ND) DIDs */
#define VTD_CAP_RWBF		BIT_ULL(4)	/* write-buffer flush needed */
#define VTD_CAP_PLMR		BIT_ULL(5)	/* protected low memory region */
#define VTD_CAP_PHMR		BIT_ULL(6)	/* protected high memory region */
#define VTD_CAP_CM		BIT_ULL(7)	/* caching mode */
#define VTD_CAP_SAGAW(c)	((unsigned int)((c) >> 8) & 0x1f)
#define VTD_SAGAW_39		BIT(1)		/* 3-level tables */
#define VTD_SAGAW_48		BIT(2)		/* 4-level tables */
#define VTD_CAP_MGAW(c)		(((unsigned int)((c) >> 16) & 0x3f) + 1)
#define VTD_CAP_FRO(c)		((unsigned int)(((c) >> 24) & 0x3ff) * 16)
#define VTD_CAP_SLLPS(c)	((unsigned int)((c) >> 34) & 0xf)
#define VTD_SLLPS_2M		BIT(0)
#define VTD_SLLPS_1G		BIT(1)
#define VTD_CAP_PSI		BIT_ULL(39)
#define VTD_CAP_NFR(c)		(((unsigned int)((c) >> 40) & 0xff) + 1)
#define VTD_CAP_DWD		BIT_ULL(54)	/* drain writes on IOTLB inv. */
#define VTD_CAP_DRD		BIT_ULL(55)	/* drain reads on IOTLB inv. */

/* 11.4.3 Extended Capability Register */
#define VTD_ECAP_C		BIT_ULL(0)	/* table walks snoop caches */
#define VTD_ECAP_QI		BIT_ULL(1)	/* queued invalidation */
#define VTD_ECAP_DT		BIT_ULL(2)	/* device TLBs */
#define VTD_ECAP_IR		BIT_ULL(3)	/* interrupt remapping */
#define VTD_ECAP_EIM		BIT_ULL(4)	/* x2APIC (32-bit) dest IDs */
#define VTD_ECAP_PT		BIT_ULL(6)	/* pass-through */
#define VTD_ECAP_SC		BIT_ULL(7)	/* snoop control (SNP) */
#define VTD_ECAP_IRO(e)		((unsigned int)(((e) >> 8) & 0x3ff) * 16)

/* 11.4.4 Global Command / 11.4.5 Global Status: same positions */
#define VTD_GCMD_TE		BIT(31)		/* GSTS.TES */
#define VTD_GCMD_SRTP		BIT(30)		/* GSTS.RTPS */
#define VTD_GCMD_WBF		BIT(27)		/* GSTS.WBFS */
#define VTD_GCMD_QIE		BIT(26)		/* GSTS.QIES */
#define VTD_GCMD_IRE		BIT(25)		/* GSTS.IRES */
#define VTD_GCMD_SIRTP		BIT(24)		/* GSTS.IRTPS */
#define VTD_GCMD_CFI		BIT(23)		/* GSTS.CFIS */
#define VTD_GSTS_TES		VTD_GCMD_TE
#define VTD_GSTS_RTPS		VTD_GCMD_SRTP
#define VTD_GSTS_QIES		VTD_GCMD_QIE
#define VTD_GSTS_IRES		VTD_GCMD_IRE
#define VTD_GSTS_IRTPS		VTD_GCMD_SIRTP
#define VTD_GSTS_CFIS		VTD_GCMD_CFI

/* 11.4.6 Root Table Address: RTA 63:12, TTM 11:10 (00: legacy mode) */
#define VTD_RTADDR_TTM_LEGACY	(0ULL << 10)

/* 11.4.7 Context Command (register-based; we use the queue instead) */
#define VTD_CCMD_ICC		BIT_ULL(63)

/* 11.4.9.1 Fault Status */
#define VTD_FSTS_PFO		BIT(0)		/* primary fault overflow */
#define VTD_FSTS_PPF		BIT(1)		/* primary pending fault */
#define VTD_FSTS_IQE		BIT(4)		/* invalidation queue error */
#define VTD_FSTS_ICE		BIT(5)		/* inv. completion error */
#define VTD_FSTS_ITE		BIT(6)		/* inv. time-out error */
#define VTD_FSTS_FRI(s)		(((s) >> 8) & 0xff)	/* first record */
/* 11.4.9.2 Fault Event Control */
#define VTD_FECTL_IM		BIT(31)		/* interrupt mask */
#define VTD_FECTL_IP		BIT(30)		/* interrupt pending */

/*
 * 11.4.13 Protected Memory Enable: EPM (RW) turns the protected memory
 * regions on, PRS (RO) reports them on.  Read-only, reserved, when CAP
 * has neither PLMR nor PHMR.
 */
#define VTD_PMEN_EPM		BIT(31)
#define VTD_PMEN_PRS		BIT(0)

/* 11.4.10 Invalidation Queue: QH/QT in bits 18:4 (128-bit descriptors) */
#define VTD_IQ_INDEX_SHIFT	4
#define VTD_IQA_QS(pages_log2)	((u64)(pages_log2) & 7)	/* 2^QS pages */
#define VTD_ICS_IWC		BIT(0)		/* wait descriptor completed */

/* 11.4.11 Interrupt Remapping Table Address: IRTA 63:12, EIME 11, S 3:0 */
#define VTD_IRTA_EIME		BIT_ULL(11)	/* x2APIC-mode IRTEs */
#define VTD_IRTA_S(entries_log2) ((u64)((entries_log2) - 1) & 0xf)

/* 11.4.8.1 IOTLB Invalidate register, at ECAP.IRO + 8 */
#define VTD_IOTLB_REG(ecap)	(VTD_ECAP_IRO(ecap) + 8)

/* ---- Root and context entries (9.1 "Root Entry", 9.3 "Context Entry") ---- */
struct vtd_entry {
	u64 lo, hi;
};

#define VTD_ROOT_P		BIT_ULL(0)		/* lo: present */
#define VTD_ROOT_CTP_MASK	0xfffffffffffff000ULL	/* lo 63:12 */
#define VTD_CTX_P		BIT_ULL(0)		/* lo: present */
#define VTD_CTX_FPD		BIT_ULL(1)	/* lo: faults unrecorded */
#define VTD_CTX_TT_SL		(0ULL << 2)	/* lo 3:2: untranslated only */
#define VTD_CTX_SLPTPTR_MASK	0xfffffffffffff000ULL	/* lo 63:12 */
#define VTD_CTX_AW_39		1ULL		/* hi 2:0: 3-level */
#define VTD_CTX_AW_48		2ULL		/* hi 2:0: 4-level */
#define VTD_CTX_DID_SHIFT	8		/* hi 23:8 */

/* ---- Second-level paging entries (9.8 "Second-Level Paging Entries") ---- */
#define VTD_SL_R		BIT_ULL(0)
#define VTD_SL_W		BIT_ULL(1)
#define VTD_SL_PS		BIT_ULL(7)	/* leaf above 4 KiB */
#define VTD_SL_SNP		BIT_ULL(11)	/* force snoop (ECAP.SC) */
/* paging.c tests presence and size with its own names: they must match. */
#define VTD_SL_TABLE		(VTD_SL_R | VTD_SL_W)

/* ---- Queued invalidation descriptors (6.5.2) ---- */
struct vtd_desc {
	u64 lo, hi;
};

#define VTD_DESC_CC		0x1ULL	/* 6.5.2.1 context-cache invalidate */
#define VTD_DESC_IOTLB		0x2ULL	/* 6.5.2.3 IOTLB invalidate */
#define VTD_DESC_IEC		0x4ULL	/* 6.5.2.7 interrupt entry cache */
#define VTD_DESC_WAIT		0x5ULL	/* 6.5.2.8 invalidation wait */
/* Context-cache and IOTLB granularity, lo 5:4 */
#define VTD_DESC_G_GLOBAL	(1ULL << 4)
#define VTD_DESC_G_DOMAIN	(2ULL << 4)
#define VTD_DESC_G_DEVICE	(3ULL << 4)	/* context cache only */
#define VTD_DESC_DID(d)		((u64)(d) << 16)	/* lo 31:16 */
#define VTD_DESC_CC_SID(s)	((u64)(s) << 32)	/* lo 47:32 */
#define VTD_DESC_IOTLB_DW	BIT_ULL(6)
#define VTD_DESC_IOTLB_DR	BIT_ULL(7)
#define VTD_DESC_IEC_INDEX	BIT_ULL(4)	/* G=1: index-selective */
#define VTD_DESC_IEC_IIDX(i)	((u64)(i) << 32)	/* lo 47:32 */
#define VTD_DESC_WAIT_SW	BIT_ULL(5)	/* write status data */
#define VTD_DESC_WAIT_FN	BIT_ULL(6)	/* fence */
#define VTD_DESC_WAIT_SDATA(d)	((u64)(d) << 32)	/* lo 63:32 */

/* ---- Interrupt remapping (9.10 "Interrupt Remapping Table Entry") ---- */
struct vtd_irte {
	u64 lo, hi;
};

#define VTD_IRTE_P		BIT_ULL(0)
#define VTD_IRTE_FPD		BIT_ULL(1)
#define VTD_IRTE_DM_LOGICAL	BIT_ULL(2)	/* never set: physical only */
#define VTD_IRTE_TM_LEVEL	BIT_ULL(4)
#define VTD_IRTE_DLM_FIXED	(0ULL << 5)	/* lo 7:5 */
#define VTD_IRTE_VECTOR(v)	((u64)(v) << 16)	/* lo 23:16 */
#define VTD_IRTE_DST(d)		((u64)(d) << 32)	/* lo 63:32 */
#define VTD_IRTE_SID(s)		((u64)(s))		/* hi 15:0 */
#define VTD_IRTE_SQ_ALL		(0ULL << 16)	/* hi 17:16: all 16 bits */
#define VTD_IRTE_SVT_SID	(1ULL << 18)	/* hi 19:18: check SID+SQ */

/* Entries in a unit's IRT: one page (4096 / 16); IRTA.S = 7. */
#define VTD_IRT_ENTRIES		256
#define VTD_IRT_ENTRIES_LOG2	8

/*
 * 5.1.2.2 "Interrupt Requests in Remappable Format" (programming: 5.1.5.2
 * for MSI/MSI-X): the MSI address the device is programmed with (data
 * carries the subhandle when SHV=1).
 */
#define VTD_MSI_ADDR_BASE	0xfee00000U
#define VTD_MSI_ADDR_IF		BIT(4)	/* remappable format */
#define VTD_MSI_ADDR_SHV	BIT(3)	/* data holds a subhandle */
/* 5.1.5.1 "I/OxAPIC Programming": redirection entry, remappable format */
#define VTD_RTE_INDEX15		BIT_ULL(11)
#define VTD_RTE_POLARITY_LOW	BIT_ULL(13)
#define VTD_RTE_TRIGGER_LEVEL	BIT_ULL(15)
#define VTD_RTE_MASK		BIT_ULL(16)
#define VTD_RTE_IF		BIT_ULL(48)

/* ---- Fault records (9.9 "Fault Record"; 11.4.9.x FRCD registers) ---- */
#define VTD_FRCD_OFF(cap, i)	(VTD_CAP_FRO(cap) + 16 * (i))	/* lo; hi +8 */
#define VTD_FRCD_FI_MASK	0xfffffffffffff000ULL	/* lo 63:12 */
#define VTD_FRCD_IR_INDEX(lo)	((u16)((lo) >> 48))	/* IR faults */
#define VTD_FRCD_SID(hi)	((u16)(hi))		/* hi 15:0 */
#define VTD_FRCD_FR(hi)		((u8)((hi) >> 32))	/* hi 39:32 */
#define VTD_FRCD_T_READ		BIT_ULL(62)	/* hi: 1 read, 0 write */
#define VTD_FRCD_F		BIT_ULL(63)	/* hi: record valid */
/* A source ID is a PCI bus:device.function: 8, 5 and 3 bits. */
#define VTD_SID_BUS(s)		(((s) >> 8) & 0xff)
#define VTD_SID_DEV(s)		(((s) >> 3) & 0x1f)
#define VTD_SID_FN(s)		((s) & 7)
/* Appendix A: reasons 0x20.. are interrupt-remapping faults. */
#define VTD_FR_IR_FIRST		0x20

/* ---- What the builders need from the hardware ---- */

/* Table writes reach memory through this when ECAP.C=0 (CLFLUSH). */
typedef void (*vtd_flush_fn)(const void *addr, unsigned long size);

/* The register file, read through the caller (MMIO, or a test's array). */
struct vtd_regs {
	u32 (*read32)(void *ctx, unsigned int off);
	u64 (*read64)(void *ctx, unsigned int off);
	void *ctx;
};

struct vtd_caps {
	u64 cap, ecap;
	unsigned int levels;		/* 3 or 4: the tables we build */
	unsigned int aw;		/* 39 or 48: their input width */
	unsigned int domains;		/* DIDs 0 .. domains-1 */
	vtd_flush_fn flush;		/* NULL when ECAP.C=1 */
};

/* What the caller wants the unit for. */
#define VTD_WANT_IR		BIT(0)	/* interrupt remapping */
#define VTD_WANT_X2APIC		BIT(1)	/* x2APIC-mode IRTEs (EIM) */

int vtd_unit_check(const struct vtd_regs *regs, unsigned int want,
		   vtd_flush_fn noncoherent_flush, struct vtd_caps *caps,
		   const char **why);
int vtd_linux_owns(const struct vtd_regs *regs, const char **why);
bool vtd_pmr_on(const struct vtd_regs *regs, u64 cap);

/* CLFLUSH of every line of [addr, addr + size), then a fence. */
void vtd_clflush(const void *addr, unsigned long size);

/* ---- Domains: second-level tables ---- */
struct vtd_domain {
	struct paging sl;
	u16 did;
};

/* An address range a domain never maps (hypervisor, other cells). */
struct vtd_range {
	u64 start, size;
};

u16 vtd_domain_id(unsigned int cell_id);
int vtd_domain_init(struct vtd_domain *dom, const struct vtd_caps *caps,
		    unsigned int cell_id);
int vtd_domain_map(struct vtd_domain *dom, const struct vtd_caps *caps,
		   const struct cfg_mem_region *regions, unsigned int n,
		   const struct vtd_range *excl, unsigned int n_excl,
		   const char **why);
struct vtd_queue_ops;
int vtd_domain_unmap(struct vtd_domain *dom, const struct vtd_caps *caps,
		     u64 addr, u64 size, struct vtd_queue_ops *q);
void vtd_domain_destroy(struct vtd_domain *dom);

/* ---- Root and context tables, device assignment ---- */
struct vtd_tables {
	struct vtd_entry *root;		/* 256 root entries, one page */
};

/*
 * Runs descriptors on the unit's queue and waits until the last one (a
 * wait descriptor writing @seq to @status_pa) has written its status.
 */
struct vtd_queue_ops {
	int (*submit)(void *ctx, const struct vtd_desc *d, unsigned int n);
	void *ctx;
	u64 status_pa;			/* 4-byte aligned status word */
	u32 seq;			/* last status value asked for */
};

/* The invalidation queue: a ring of 128-bit descriptors. */
struct vtd_iq {
	struct vtd_desc *ring;
	unsigned int entries;		/* 256 per 4 KiB page */
	unsigned int tail;		/* next free slot */
};

u64 vtd_iqa(u64 ring_pa, unsigned int pages_log2);
s64 vtd_iq_push(struct vtd_iq *iq, u64 iqh, const struct vtd_desc *d,
		unsigned int n, vtd_flush_fn flush_fn);

int vtd_tables_init(struct vtd_tables *t, const struct vtd_caps *caps);
u64 vtd_rtaddr(const struct vtd_tables *t);
struct vtd_entry vtd_context_entry(const struct vtd_domain *dom);
int vtd_assign(struct vtd_tables *t, const struct vtd_caps *caps, u16 bdf,
	       const struct vtd_domain *dom, struct vtd_queue_ops *q);
int vtd_unassign(struct vtd_tables *t, const struct vtd_caps *caps, u16 bdf,
		 struct vtd_queue_ops *q);
void vtd_tables_destroy(struct vtd_tables *t);

/* Queued-invalidation descriptors (the flows above build their own). */
struct vtd_desc vtd_desc_cc_device(u16 did, u16 sid);
struct vtd_desc vtd_desc_cc_global(void);
struct vtd_desc vtd_desc_iotlb_domain(u16 did, const struct vtd_caps *caps);
struct vtd_desc vtd_desc_iotlb_global(const struct vtd_caps *caps);
struct vtd_desc vtd_desc_iec_index(u16 index);
struct vtd_desc vtd_desc_iec_global(void);
struct vtd_desc vtd_desc_wait(u64 status_pa, u32 status_data);

/* ---- Interrupt remapping ---- */

/* APIC IDs of the owner's CPUs: the only destinations it may have. */
struct vtd_apic_set {
	const u32 *ids;
	unsigned int n;
};

struct vtd_irq_target {
	u32 apic_id;
	u8 vector;
	bool level;			/* level-triggered (IOAPIC pins) */
	u16 sid;			/* bus:devfn, or the IOAPIC's SID */
};

int vtd_irte_build(struct vtd_irte *irte, const struct vtd_irq_target *t,
		   const struct vtd_apic_set *owner, bool x2apic,
		   const char **why);
void vtd_irte_make(struct vtd_irte *irte, const struct vtd_irq_target *t,
		   u8 dlm, bool logical, bool x2apic);
int vtd_irte_set(struct vtd_irte *irt, unsigned int index,
		 const struct vtd_irte *irte, vtd_flush_fn flush);
void vtd_irte_clear(struct vtd_irte *irt, unsigned int index,
		    vtd_flush_fn flush);
int vtd_irte_replace(struct vtd_irte *irt, unsigned int index,
		     const struct vtd_irte *irte, const struct vtd_caps *caps,
		     struct vtd_queue_ops *q);
void vtd_msi_remappable(u16 handle, bool shv, u16 subhandle, u32 *addr,
			u32 *data);
u64 vtd_ioapic_rte_remappable(u16 index, u8 vector, bool level,
			      bool active_low, bool masked);
u64 vtd_irta(u64 irt_pa, bool x2apic);

/* ---- Faults ---- */
struct vtd_fault {
	bool irq;			/* an interrupt request, not a DMA */
	bool write;			/* DMA write (for DMA faults) */
	u8 reason;			/* VT-d fault reason number */
	u16 sid;			/* bus:devfn of the requester */
	u64 addr;			/* page of the DMA address */
	u16 irte_index;			/* for interrupt faults */
	const char *what;		/* short name of the reason */
};

/*
 * The console line a caller prints for a DMA fault; the first %s is the
 * SID's owner, "cell 'NAME'" (vtd_owner_name) or "root cell".
 */
#define VTD_FAULT_FMT \
	"%s: %s 0x%llx blocked (device %02x:%02x.%x, reason %u: %s)\n"
#define VTD_FAULT_IRQ_FMT \
	"%s: interrupt %u blocked (device %02x:%02x.%x, reason %u: %s)\n"

int vtd_fault_decode(u64 lo, u64 hi, struct vtd_fault *f);

/*
 * Fault lines per owner (the root, or one cell): at most VTD_FAULT_LINES
 * in a window of VTD_FAULT_WINDOW_MS on the TSC, the rest only counted;
 * the console is shared and slow (a line is ~1 ms at 115200 baud, with
 * its lock held), so a device faulting in a loop must not own it.
 */
#define VTD_FAULT_LINES		10
#define VTD_FAULT_WINDOW_MS	1000

struct vtd_fault_limit {
	u64 start;			/* TSC of the window's first fault */
	u64 total;			/* every fault of the owner */
	u32 printed;			/* lines in this window */
	u32 suppressed;			/* faults not printed in it */
	bool open;			/* a window runs */
};

/* The summary a caller prints for vtd_fault_limit_*'s count; %s as above. */
#define VTD_FAULT_SUPPRESSED_FMT \
	"%s: %u more faults suppressed (%llu in all)\n"

u64 vtd_tsc_ms(unsigned int ms);
bool vtd_fault_limit_take(struct vtd_fault_limit *l, u64 now, u32 *ended);
u32 vtd_fault_limit_close(struct vtd_fault_limit *l, u64 now, bool force);

/* The "%s 0x%llx" of VTD_FAULT_FMT. */
static inline const char *vtd_fault_access(const struct vtd_fault *f)
{
	return f->write ? "DMA write to" : "DMA read from";
}

const char *vtd_fault_reason_name(u8 reason);

/*
 * The piece of @taken (a region a cell takes) that the root's `dma`
 * region @root maps, at the root's device address: false when none.
 */
bool vtd_root_piece(const struct cfg_mem_region *root,
		    const struct cfg_mem_region *taken,
		    struct cfg_mem_region *piece);

#endif
