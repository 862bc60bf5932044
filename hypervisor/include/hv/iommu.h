/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOMMU as the rest of the hypervisor sees it: whether device DMA is
 * confined, and the per-cell steps.  The vendor code (VT-d today) lives
 * under arch/; see Documentation/iommu.md.
 */
#ifndef _HV_IOMMU_H
#define _HV_IOMMU_H

#include <hv/types.h>

struct cell;

/*
 * True once the hypervisor runs DMA remapping on every unit of the
 * machine: a device can then reach only its owner's `dma` regions.  Until
 * then a cell's PCI devices need `dma-isolation: none` in the system
 * config.
 */
bool iommu_isolates_dma(void);
/* Set by the vendor code at enable (every configured unit on) and disable. */
void iommu_set_isolating(bool on);

/*
 * Enable (once, on the CPU doing global setup, after the host tables):
 * every configured unit translating for the root, or an error with the
 * reason printed and every unit as Linux left it.
 */
int iommu_enable(void);
/* Every unit as Linux left it; safe to call twice, or with nothing on. */
void iommu_disable(void);
/*
 * Cell create (cell @id, under the cell lock, after the vendor's tables):
 * the cell's domain, its memory out of the root's, its devices moved.
 * On failure nothing changed.
 */
int iommu_cell_create(struct cell *c, unsigned int id);
/* Destroy, before the cell's memory is cleared: its devices blocked. */
void iommu_cell_stop(struct cell *c);
/* Faults recorded for @c's devices since its create (cellctl stats). */
u64 iommu_cell_faults(const struct cell *c);
/* Destroy, after the memory is cleared: memory and devices to the root. */
void iommu_cell_destroy(struct cell *c);
/*
 * Fault records read, printed (attributed to the device's owner) and
 * cleared.  @throttle: at most every few milliseconds (root exits).
 */
void iommu_poll_faults(bool throttle);

/*
 * Interrupt remapping (Documentation/iommu.md): on when every unit the
 * hypervisor runs remaps interrupts, with compatibility format blocked.
 * Then every device interrupt names an entry of the remapping table,
 * which checks its requester (SID) and says where it goes.
 */
bool iommu_remaps_irqs(void);
/*
 * A unit left to Linux has its interrupt remapping on (GSTS.IRES): the
 * root's remappable-format sources go through Linux's own table.
 */
bool iommu_linux_remaps_irqs(void);

struct iommu_irq {
	u32 dest;		/* APIC ID, or a logical mask (@logical) */
	u8 vector;
	u8 dlm;			/* delivery mode, as MSI data bits 10:8 */
	bool logical;
	bool level;
	u16 sid;		/* requester: bus:devfn, or the IOAPIC's */
};

/* A free entry of the table: its index, or -ENOSPC. */
int iommu_irq_alloc(void);
/*
 * Entry @index becomes @irq on every unit; a live entry is cleared and
 * its cached copy invalidated first (never half old, half new).
 */
int iommu_irq_set(int index, const struct iommu_irq *irq);
/* Cleared, invalidated on every unit, and free again; -1 is ignored. */
void iommu_irq_free(int index);
/* What a device sends (MSI address and data) to use entry @index. */
void iommu_irq_msi(int index, u32 *addr, u32 *data);
/* An IOAPIC redirection entry that uses entry @index. */
u64 iommu_irq_rte(int index, u8 vector, bool level, bool active_low,
		  bool masked);
/* The SID the IOAPIC with @id puts on its interrupt requests. */
u16 iommu_ioapic_sid(u32 id);

/*
 * The root's remappable-format sources, where the hypervisor emulates
 * Linux's interrupt remapping (Documentation/iommu.md): entry @index of
 * Linux's table, read from root RAM, into @irq (all but the SID), its
 * destination checked (no cell's CPU).  -errno with @why otherwise.
 */
int iommu_root_irq(u16 index, struct iommu_irq *irq, const char **why);
/* Linux changed its entries (IEC invalidation): every root source again. */
void iommu_root_retranslate(void);

#endif
