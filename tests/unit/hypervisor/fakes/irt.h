/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake interrupt-remapping table for unit tests: iommu_irq_alloc(),
 * _set(), _free() and _msi() over an array the tests read, entries as
 * iommu_irq_set() left them (vtd.c's builders are tested in vtd.c).
 * fake_remap hands the same four to pci.c's MSI rules (pci_set_remap).
 */
#ifndef _TESTS_FAKES_IRT_H
#define _TESTS_FAKES_IRT_H

#include <hv/iommu.h>
#include <hv/pci.h>

#define FAKE_IRT	64

extern struct iommu_irq irt[FAKE_IRT];
extern bool irt_used[FAKE_IRT];
extern bool irt_present[FAKE_IRT];	/* set since allocated */
extern int irt_sets;		/* iommu_irq_set() calls since the reset */
extern int irt_frees;		/* iommu_irq_free() of an entry, likewise */
extern int irt_set_fail;	/* not 0: iommu_irq_set() returns it */

/* Every entry free and zero, the counts at zero, no failure. */
void fake_irt_reset(void);

/* Remapping through the fake table; remappable format never taken. */
extern const struct pci_remap fake_remap;

/*
 * Linux's own remapping table, as iommu_root_irq() would read and check
 * it: entries 0-7; not present, or a physical destination 1 (a cell's
 * CPU in the tests), refused.
 */
#define LINUX_IRT	8
extern struct iommu_irq linux_irt[LINUX_IRT];
extern bool linux_present[LINUX_IRT];

#endif
