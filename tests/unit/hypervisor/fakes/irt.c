// SPDX-License-Identifier: GPL-2.0
/* A fake interrupt-remapping table for unit tests (fakes/irt.h). */
#include <check.h>
#include <string.h>
#include "irt.h"

struct iommu_irq irt[FAKE_IRT];
bool irt_used[FAKE_IRT];
bool irt_present[FAKE_IRT];
int irt_sets;
int irt_frees;
int irt_set_fail;

void fake_irt_reset(void)
{
	memset(irt, 0, sizeof(irt));
	memset(irt_used, 0, sizeof(irt_used));
	memset(irt_present, 0, sizeof(irt_present));
	irt_sets = irt_frees = irt_set_fail = 0;
}

int iommu_irq_alloc(void)
{
	int i;

	for (i = 0; i < FAKE_IRT; i++)
		if (!irt_used[i])
			return irt_used[i] = true, i;
	return -ENOSPC;
}

int iommu_irq_set(int index, const struct iommu_irq *irq)
{
	ck_assert(index >= 0 && index < FAKE_IRT && irt_used[index]);
	if (irt_set_fail)
		return irt_set_fail;
	irt[index] = *irq;
	irt_present[index] = true;
	irt_sets++;
	return 0;
}

void iommu_irq_free(int index)
{
	if (index < 0)
		return;
	ck_assert(index < FAKE_IRT);
	irt_used[index] = irt_present[index] = false;
	memset(&irt[index], 0, sizeof(irt[index]));
	irt_frees++;
}

/* The remappable MSI address of @index (handle in bits 19:5, SHV off). */
void iommu_irq_msi(int index, u32 *addr, u32 *data)
{
	*addr = 0xfee00000u | (u32)index << 5 | BIT(4);
	*data = 0;
}

const struct pci_remap fake_remap = {
	iommu_irq_alloc, iommu_irq_set, iommu_irq_free, iommu_irq_msi, NULL,
};

/*
 * Linux's own remapping table, as iommu_root_irq() would read and check
 * it: entries 0-7; not present, or aimed at a cell's CPU, refused.
 */
struct iommu_irq linux_irt[LINUX_IRT];
bool linux_present[LINUX_IRT];

int iommu_root_irq(u16 index, struct iommu_irq *irq, const char **why)
{
	if (index >= LINUX_IRT || !linux_present[index]) {
		*why = "the root's entry is not present";
		return -ENOENT;
	}
	if (!linux_irt[index].logical && linux_irt[index].dest == 1) {
		*why = "its destination names a CPU of a cell";
		return -EPERM;
	}
	*irq = linux_irt[index];
	return 0;
}
