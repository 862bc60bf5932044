// SPDX-License-Identifier: GPL-2.0
/*
 * Before a cell takes PCI devices: where each one sits in Linux's
 * hierarchy must let the IOMMU confine its DMA (pci_path.c says why
 * not).  Checked before anything is taken: a refusal changes nothing.
 */
#include <linux/pci.h>
#include "cellvisor.h"
#include "pci_path.h"

struct cv_pci_listed {
	unsigned int n;
	u16 bdf[CFG_MAX_PCI_DEVICES];
};

static int cv_pci_list_one(const struct cv_dtb_pci *dev, void *arg)
{
	struct cv_pci_listed *l = arg;

	if (l->n == ARRAY_SIZE(l->bdf))
		return -E2BIG;
	l->bdf[l->n++] = dev->bdf;
	return 0;
}

static bool cv_pci_is_listed(u16 bdf, void *arg)
{
	const struct cv_pci_listed *l = arg;
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (l->bdf[i] == bdf)
			return true;
	return false;
}

static void cv_bdf_name(u16 bdf, char *buf, size_t size)
{
	snprintf(buf, size, "%02x:%02x.%x", bdf >> 8, PCI_SLOT(bdf & 0xff),
		 PCI_FUNC(bdf & 0xff));
}

/* The reason of @f, in words a user can act on. */
static void cv_pci_path_reason(const struct cv_pci_path_fault *f, char *buf,
			       size_t size)
{
	char at[16], alias[16];

	cv_bdf_name(f->at, at, sizeof(at));
	cv_bdf_name(f->alias, alias, sizeof(alias));
	switch (f->why) {
	case CV_PCI_PATH_ALIAS_QUIRK:
		snprintf(buf, size, "it also DMAs under requester ID %s (a "
			 "quirk Linux knows of this device), which the IOMMU "
			 "translates in the root's domain", alias);
		break;
	case CV_PCI_PATH_ALIAS_BRIDGE:
		snprintf(buf, size, "its DMA reaches the IOMMU under requester "
			 "ID %s of bridge %s above it (a PCIe-to-PCI or "
			 "conventional PCI bridge takes the transactions of "
			 "the devices behind it), which is the root's and "
			 "shared by every device behind that bridge: give the "
			 "cell a device that is not behind such a bridge",
			 alias, at);
		break;
	case CV_PCI_PATH_NO_BUS_BRIDGE:
		snprintf(buf, size, "bus %02x above it has no bridge device "
			 "Linux knows of: its path to the root complex cannot "
			 "be checked", f->at >> 8);
		break;
	case CV_PCI_PATH_ACS_PORT:
		snprintf(buf, size, "port %s above it has no ACS capability "
			 "(source validation, request and completion redirect, "
			 "upstream forwarding), so peer-to-peer DMA would "
			 "bypass the IOMMU: give the cell a device below "
			 "ports with ACS, or one on the root bus", at);
		break;
	case CV_PCI_PATH_ACS_FUNCTION:
		snprintf(buf, size, "function %s of the same device stays "
			 "outside the cell and the functions have no ACS "
			 "between them (capability 0x%x, control 0x%x), so "
			 "peer-to-peer DMA between them would bypass the "
			 "IOMMU: give the cell every function of the device",
			 at, f->acs_cap, f->acs_ctrl);
		break;
	default:
		snprintf(buf, size, "no reason");
	}
}

/* One device: -EPERM if refused; a missing one is cv_pci_take's to say. */
static int cv_pci_check_one(const char *cell, u16 bdf,
			    struct cv_pci_listed *l, bool isolated)
{
	struct pci_dev *pdev = pci_get_domain_bus_and_slot(0, bdf >> 8,
							   bdf & 0xff);
	struct cv_pci_path_fault f;
	char name[16], why[400];
	int err;

	if (!pdev)
		return 0;
	err = cv_pci_path_check(pdev, cv_pci_is_listed, l, &f);
	pci_dev_put(pdev);
	if (!err)
		return 0;
	cv_bdf_name(bdf, name, sizeof(name));
	cv_pci_path_reason(&f, why, sizeof(why));
	if (!isolated) {
		pr_warn("cellvisor: WARNING: cell '%s': PCI %s: %s (allowed: "
			"dma-isolation: none, its DMA is not confined "
			"anyway)\n", cell, name, why);
		return 0;
	}
	pr_err("cellvisor: cell '%s': PCI %s refused, nothing was changed: "
	       "%s\n", cell, name, why);
	return err;
}

int cv_pci_check_paths(const struct cv_dtb *dtb, const char *cell)
{
	struct cv_pci_listed *l = kzalloc(sizeof(*l), GFP_KERNEL);
	bool isolated = cv_sys_dma_isolated();
	unsigned int i;
	int err;

	if (!l)
		return -ENOMEM;
	err = cv_dtb_for_each_pci(dtb, cv_pci_list_one, l);
	for (i = 0; !err && i < l->n; i++)
		err = cv_pci_check_one(cell, l->bdf[i], l, isolated);
	kfree(l);
	return err;
}
