/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOMMU as the rest of the hypervisor sees it: whether device DMA is
 * confined, and the per-cell steps.  The vendor code (VT-d today) lives
 * under arch/; see Documentation/iommu.md.
 */
#ifndef _HV_IOMMU_H
#define _HV_IOMMU_H

#include <hv/types.h>

/*
 * True once the hypervisor runs DMA remapping on every unit of the
 * machine: a device can then reach only its owner's `dma` regions.  Until
 * then a cell's PCI devices need `dma-isolation: none` in the system
 * config.
 */
bool iommu_isolates_dma(void);

#endif
