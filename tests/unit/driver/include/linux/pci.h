/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of the kernel's PCI interface driver/pci_path.c uses, over a
 * fake hierarchy the unit test builds (tests/unit/driver/pci_path.c).
 */
#ifndef _FAKE_LINUX_PCI_H
#define _FAKE_LINUX_PCI_H
#include <errno.h>
#include <stddef.h>
#include <linux/types.h>
#include <linux/pci_regs.h>

#define BITS_PER_LONG		(8 * (int)sizeof(long))
#define PCI_DEVFN(slot, fn)	((((slot) & 0x1f) << 3) | ((fn) & 0x07))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 0x07)

struct pci_dev;

struct pci_bus {
	struct pci_bus *parent;		/* NULL: a root bus */
	struct pci_dev *self;		/* the bridge above it */
	unsigned char number;
};

struct pci_dev {
	struct pci_bus *bus;
	struct pci_bus *subordinate;
	unsigned int devfn;
	unsigned long *dma_alias_mask;
	unsigned int multifunction:1;
	/* the fake's config space */
	bool pcie;
	int type;			/* PCI_EXP_TYPE_* */
	bool acs;
	u16 acs_cap, acs_ctrl;
};

static inline bool pci_is_root_bus(struct pci_bus *bus)
{
	return !bus->parent;
}

static inline bool pci_is_pcie(struct pci_dev *dev)
{
	return dev->pcie;
}

static inline int pci_pcie_type(const struct pci_dev *dev)
{
	return dev->type;
}

int pci_find_ext_capability(struct pci_dev *dev, int cap);
int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val);
struct pci_dev *pci_get_slot(struct pci_bus *bus, unsigned int devfn);
void pci_dev_put(struct pci_dev *dev);

#endif
