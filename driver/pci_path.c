// SPDX-License-Identifier: GPL-2.0
/*
 * Where a PCI function sits decides whether a cell can have it with its
 * DMA confined (the hypervisor's IOMMU knows requester IDs only):
 *
 * - Requester-ID aliases: a conventional PCI bridge, or a PCIe-to-PCI
 *   bridge, takes ownership of the transactions of the devices behind
 *   it, and their DMA reaches the IOMMU under the bridge's ID (or the
 *   secondary bus's, devfn 0).  That ID is in the root's domain, and
 *   every device behind the bridge shares it.  Some devices also DMA
 *   under extra IDs of their own (Linux's quirks mark them).  A cell
 *   gets no function with an ID other than its own.
 * - Peer-to-peer: below a root port or switch port that does not force
 *   requests upstream (ACS source validation, request and completion
 *   redirect, upstream forwarding), a function can reach a neighbour's
 *   BARs without passing the IOMMU; so can functions of one device among
 *   themselves.  Every root or downstream port above a cell's function
 *   must have an ACS capability (the hypervisor turns those controls on
 *   and holds them while the cell exists), and the
 *   functions of a device go to one cell together unless each has
 *   them.  Linux groups devices for VFIO by the same facts; the
 *   device-specific ACS quirks it knows are not applied here (fail
 *   closed: such a device is refused).
 *
 * The hierarchy is Linux's (struct pci_dev): the driver checks it at
 * create, before anything is taken, so a refusal changes nothing.
 */
#include <linux/pci.h>
#include "pci_path.h"

static u16 cv_pci_id(const struct pci_dev *pdev)
{
	return (u16)pdev->bus->number << 8 | pdev->devfn;
}

static int cv_pci_path_fail(struct cv_pci_path_fault *f,
			    enum cv_pci_path_why why, u16 at)
{
	f->why = why;
	f->at = at;
	return -EPERM;
}

/* Linux's quirk table of extra requester IDs (devfns on its bus). */
static bool cv_pci_alias_quirk(const struct pci_dev *pdev, u16 *alias)
{
	unsigned int devfn;

	if (!pdev->dma_alias_mask)
		return false;
	for (devfn = 0; devfn < 256; devfn++)
		if (pdev->dma_alias_mask[devfn / BITS_PER_LONG] &
		    (1UL << (devfn % BITS_PER_LONG))) {
			*alias = (u16)pdev->bus->number << 8 | devfn;
			return true;
		}
	return false;
}

/*
 * The requester ID a bridge gives transactions from below it, when it
 * gives one: a PCIe-to-PCI(-X) bridge the secondary bus's (devfn 0); a
 * conventional PCI or PCI-to-PCIe bridge its own.  Root and switch
 * ports pass the device's own.
 */
static bool cv_pci_bridge_alias(struct pci_dev *br, u16 *alias)
{
	if (pci_is_pcie(br)) {
		switch (pci_pcie_type(br)) {
		case PCI_EXP_TYPE_ROOT_PORT:
		case PCI_EXP_TYPE_UPSTREAM:
		case PCI_EXP_TYPE_DOWNSTREAM:
			return false;
		case PCI_EXP_TYPE_PCI_BRIDGE:
			*alias = br->subordinate ?
				 (u16)br->subordinate->number << 8 :
				 cv_pci_id(br);
			return true;
		}
	}
	*alias = cv_pci_id(br);
	return true;
}

/* The ACS controls @flags asks for are on (those @pdev implements). */
static bool cv_pci_acs_on(struct pci_dev *pdev, u16 flags, u16 *cap,
			  u16 *ctrl)
{
	int pos = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_ACS);

	*cap = *ctrl = 0;
	if (!pos)
		return false;
	pci_read_config_word(pdev, pos + PCI_ACS_CAP, cap);
	pci_read_config_word(pdev, pos + PCI_ACS_CTRL, ctrl);
	flags &= *cap;
	return (*ctrl & flags) == flags;
}

/*
 * Whether port @br can keep peer-to-peer traffic from going around the
 * IOMMU below it: root and downstream ports must redirect; an upstream
 * port has one function below it on its link (its own peers are the
 * downstream ports, each checked on its own path).  A port with an ACS
 * capability passes with its controls off: the hypervisor turns on
 * those it implements for the cell and holds them (hypervisor/
 * pci_bridge.c); without the capability nothing can.
 */
static bool cv_pci_port_acs(struct pci_dev *br, u16 *cap, u16 *ctrl)
{
	*cap = *ctrl = 0;
	if (pci_pcie_type(br) != PCI_EXP_TYPE_ROOT_PORT &&
	    pci_pcie_type(br) != PCI_EXP_TYPE_DOWNSTREAM)
		return true;
	cv_pci_acs_on(br, CV_PCI_ACS_NEEDED, cap, ctrl);
	return pci_find_ext_capability(br, PCI_EXT_CAP_ID_ACS) != 0;
}

/* Every bridge from @pdev's bus up to the root bus. */
static int cv_pci_path_up(struct pci_dev *pdev, struct cv_pci_path_fault *f)
{
	struct pci_bus *bus;
	struct pci_dev *br;

	for (bus = pdev->bus; !pci_is_root_bus(bus); bus = bus->parent) {
		br = bus->self;
		if (!br)
			return cv_pci_path_fail(f, CV_PCI_PATH_NO_BUS_BRIDGE,
						(u16)bus->number << 8);
		if (cv_pci_bridge_alias(br, &f->alias))
			return cv_pci_path_fail(f, CV_PCI_PATH_ALIAS_BRIDGE,
						cv_pci_id(br));
		if (!cv_pci_port_acs(br, &f->acs_cap, &f->acs_ctrl))
			return cv_pci_path_fail(f, CV_PCI_PATH_ACS_PORT,
						cv_pci_id(br));
	}
	return 0;
}

/* A function that keeps its peers in the same device from reaching it. */
static bool cv_pci_function_acs(struct pci_dev *pdev, u16 *cap, u16 *ctrl)
{
	*cap = *ctrl = 0;
	return pci_is_pcie(pdev) &&
	       cv_pci_acs_on(pdev, CV_PCI_ACS_NEEDED, cap, ctrl);
}

/*
 * The other functions of the device: a function there is a peer (by
 * its presence, not by the header type's multi-function bit, which a
 * function may lack), and without ACS on both it goes to the cell too.
 */
static int cv_pci_path_functions(struct pci_dev *pdev,
				 bool (*in_cell)(u16 bdf, void *arg),
				 void *arg, struct cv_pci_path_fault *f)
{
	unsigned int fn, slot = PCI_SLOT(pdev->devfn);
	u16 cap, ctrl, sib_cap, sib_ctrl;
	struct pci_dev *sib;
	bool isolated;
	int err = 0;

	isolated = cv_pci_function_acs(pdev, &cap, &ctrl);
	for (fn = 0; fn < 8 && !err; fn++) {
		if (PCI_DEVFN(slot, fn) == pdev->devfn)
			continue;
		sib = pci_get_slot(pdev->bus, PCI_DEVFN(slot, fn));
		if (!sib)
			continue;
		if (!in_cell(cv_pci_id(sib), arg) &&
		    (!isolated ||
		     !cv_pci_function_acs(sib, &sib_cap, &sib_ctrl))) {
			f->acs_cap = isolated ? sib_cap : cap;
			f->acs_ctrl = isolated ? sib_ctrl : ctrl;
			err = cv_pci_path_fail(f, CV_PCI_PATH_ACS_FUNCTION,
					       cv_pci_id(sib));
		}
		pci_dev_put(sib);
	}
	return err;
}

int cv_pci_path_check(struct pci_dev *pdev,
		      bool (*in_cell)(u16 bdf, void *arg), void *arg,
		      struct cv_pci_path_fault *f)
{
	*f = (struct cv_pci_path_fault){ .why = CV_PCI_PATH_OK };
	if (cv_pci_alias_quirk(pdev, &f->alias))
		return cv_pci_path_fail(f, CV_PCI_PATH_ALIAS_QUIRK,
					cv_pci_id(pdev));
	return cv_pci_path_up(pdev, f) ?:
	       cv_pci_path_functions(pdev, in_cell, arg, f);
}
