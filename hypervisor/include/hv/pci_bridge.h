/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bridges and ports above a cell's PCI device, held for it while the
 * cell exists (pci_bridge.c): found by the hypervisor from config space,
 * ACS redirect turned on in root and downstream ports, and the root's
 * writes to the registers that route, reset or cut off the device below
 * kept from changing them.  See Documentation/pci.md and isolation.md.
 */
#ifndef _HV_PCI_BRIDGE_H
#define _HV_PCI_BRIDGE_H

#include <hv/types.h>

struct pci_cfg_hw;

#define PCI_BRIDGE_DEPTH	8	/* bridges from a device to bus 0 */
#define PCI_BRIDGES_HELD	16	/* distinct bridges held at once */

/* The ACS controls a port above a cell's device gets (those it has). */
#define PCI_ACS_SV		BIT(0)	/* source validation */
#define PCI_ACS_RR		BIT(2)	/* P2P request redirect */
#define PCI_ACS_CR		BIT(3)	/* P2P completion redirect */
#define PCI_ACS_UF		BIT(4)	/* upstream forwarding */
#define PCI_ACS_NEEDED		(PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | \
				 PCI_ACS_UF)

/*
 * Every bridge from @bdf's bus up to the root bus (@root_bus) held for
 * @cell: with @isolate (the IOMMU confines DMA), a bridge that gives the
 * device's DMA another requester ID, or a root or downstream port
 * without an ACS capability, refuses it; each such port gets the ACS
 * controls it implements of PCI_ACS_NEEDED turned on.  0, or -errno
 * with @why; a refusal or failure leaves every bridge as it was.
 */
int pci_bridge_hold(const struct pci_cfg_hw *hw, u16 bdf, u8 root_bus,
		    bool isolate, const char *cell, const char **why);
/*
 * @bdf's bridges released: one no cell holds any more gets the root's
 * ACS control back and takes the root's writes again.
 */
void pci_bridge_release(const struct pci_cfg_hw *hw, u16 bdf);
/*
 * The root's write of @size bytes (1, 2, 4, aligned) at @reg of @bdf:
 * false when @bdf is not held (the caller writes); true when the rule
 * wrote it, the kept fields with the values the bridge has (a write
 * changing one is said once per register).
 */
bool pci_bridge_root_write(const struct pci_cfg_hw *hw, u16 bdf, u16 reg,
			   unsigned int size, u32 val);
/* Is @bdf a bridge held for a cell? */
bool pci_bridge_held(u16 bdf);
/*
 * Calls @fn once for the ECAM page (@page_of) of each bridge held for
 * devices of cell @cell (its name) and of no other cell: the pages the
 * root loses with that cell and gets back with it (a page this file's
 * model serves).  Stops at the first error and returns it.
 */
int pci_bridge_pages(const char *cell, u64 (*page_of)(u16 bdf),
		     int (*fn)(void *arg, u64 base, u64 size), void *arg);

#endif
