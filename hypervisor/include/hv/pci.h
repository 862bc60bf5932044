/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI config space as a cell sees a device it owns: the hypervisor's
 * moderation of every config access (pci.c).  The rules are a whitelist
 * per register: what passes to the device, what only some bits of a write
 * reach, what is answered here (the BARs, the expansion ROM) and what
 * stops the cell.
 */
#ifndef _HV_PCI_H
#define _HV_PCI_H

#include <hv/types.h>
#include <cellvisor/config.h>

#include "../../config.h"

#define PCI_BDF_BUS(bdf)	(((bdf) >> 8) & 0xff)
#define PCI_BDF_DEV(bdf)	(((bdf) >> 3) & 0x1f)
#define PCI_BDF_FN(bdf)		((bdf) & 7)

#define PCI_CFG_SIZE		0x1000	/* extended config space (ECAM) */
#define PCI_MAX_CAPS		24	/* per device, standard and extended */

/* The hardware's config space (CF8/CFC or ECAM), for the rules to use. */
struct pci_cfg_hw {
	u32 (*read)(u16 bdf, u16 reg, unsigned int size);
	void (*write)(u16 bdf, u16 reg, unsigned int size, u32 val);
};

struct pci_cap {
	u16 id;
	u16 offset;
	bool extended;
};

/* A device a cell owns, as the rules need it. */
struct pci_device {
	u16 bdf;
	const struct cfg_pci_device *cfg;
	u8 bar_flags[CFG_PCI_BARS];	/* the BAR's low type bits */
	bool bar_high[CFG_PCI_BARS];	/* upper half of a 64-bit BAR */
	bool bar_sizing[CFG_PCI_BARS];	/* all ones written: reads size */
	unsigned int n_caps;
	struct pci_cap caps[PCI_MAX_CAPS];	/* read from the device */
};

/*
 * Reads what the rules need from the device (header type, BAR types,
 * capability list) and checks it against @cfg: -EINVAL with the reason
 * in @why when the device cannot be given to a cell as configured.
 */
int pci_device_init(const struct pci_cfg_hw *hw, struct pci_device *d,
		    const struct cfg_pci_device *cfg, const char **why);

/*
 * The owner's access of @size bytes (1, 2 or 4, naturally aligned) at
 * @reg: a read fills @val, a write takes it.  0, or -EPERM with the
 * reason in @why (the caller stops the cell).
 */
int pci_cfg_access(const struct pci_cfg_hw *hw, struct pci_device *d,
		   u16 reg, unsigned int size, bool write, u32 *val,
		   const char **why);

#endif
