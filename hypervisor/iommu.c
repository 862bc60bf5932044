// SPDX-License-Identifier: GPL-2.0
/* The IOMMU state the rest of the hypervisor asks about (hv/iommu.h). */
#include <hv/iommu.h>

/* Set by the vendor code once remapping is on for every unit. */
static bool dma_remapping_on;

bool iommu_isolates_dma(void)
{
	return READ_ONCE(dma_remapping_on);
}

void iommu_set_isolating(bool on)
{
	WRITE_ONCE(dma_remapping_on, on);
}
