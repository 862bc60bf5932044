/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether a PCI function can be a cell's where it sits in the hierarchy
 * (pci_path.c): its DMA must carry only its own requester ID, and no
 * peer-to-peer path may reach around the IOMMU.  Pure rules on struct
 * pci_dev, host unit-tested (tests/unit/driver/pci_path.c).
 */
#ifndef _CELLVISOR_PCI_PATH_H
#define _CELLVISOR_PCI_PATH_H

#include <linux/types.h>

struct pci_dev;

/* The ACS controls Linux's IOMMU grouping asks of every port above. */
#define CV_PCI_ACS_NEEDED	(PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | \
				 PCI_ACS_UF)

enum cv_pci_path_why {
	CV_PCI_PATH_OK,
	CV_PCI_PATH_ALIAS_QUIRK,	/* the device's own extra IDs */
	CV_PCI_PATH_ALIAS_BRIDGE,	/* a bridge takes its transactions */
	CV_PCI_PATH_NO_BUS_BRIDGE,	/* a bus with no bridge device */
	CV_PCI_PATH_ACS_PORT,		/* a port above lacks ACS */
	CV_PCI_PATH_ACS_FUNCTION,	/* a sibling function stays outside */
};

struct cv_pci_path_fault {
	enum cv_pci_path_why why;
	u16 at;			/* bus << 8 | devfn of the bridge, port or function */
	u16 alias;		/* the requester ID (ALIAS_*) */
	u16 acs_cap, acs_ctrl;	/* the port's or function's (ACS_*; 0: none) */
};

/*
 * 0 when @pdev may be a cell's; -EPERM with @f saying why.  @in_cell
 * tells whether the cell config lists a bus << 8 | devfn.
 */
int cv_pci_path_check(struct pci_dev *pdev,
		      bool (*in_cell)(u16 bdf, void *arg), void *arg,
		      struct cv_pci_path_fault *f);

#endif
