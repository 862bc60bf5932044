// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware side of the MSI-X table model (pci_msix.c): the table
 * pages mapped uncached into the hypervisor once per page and kept
 * (mmio_map() never gives back), volatile accesses of the access's own
 * width, and memory decode held on while the model writes the table.
 */
#include <hv/cell.h>
#include <hv/pci.h>
#include <hv/pci_msix.h>
#include <hv/printk.h>

static u64 msix_read(void *p, unsigned int size)
{
	switch (size) {
	case 1:
		return *(volatile u8 *)p;
	case 2:
		return *(volatile u16 *)p;
	case 4:
		return *(volatile u32 *)p;
	default:
		return *(volatile u64 *)p;
	}
}

static void msix_write(void *p, unsigned int size, u64 val)
{
	switch (size) {
	case 1:
		*(volatile u8 *)p = val;
		break;
	case 2:
		*(volatile u16 *)p = val;
		break;
	case 4:
		*(volatile u32 *)p = val;
		break;
	default:
		*(volatile u64 *)p = val;
	}
}

const struct pci_msix_mmio pci_msix_hw = { msix_read, msix_write };

/* Mappings made so far: a device given to cells again and again reuses its. */
#define MSIX_MAPS		32
static struct {
	u64 pa, len;
	u8 *virt;
} msix_maps[MSIX_MAPS];
static spinlock_t msix_maps_lock;

int pci_msix_hw_map(struct pci_msix *x)
{
	unsigned int i;
	u8 *virt = NULL;

	spin_lock(&msix_maps_lock);
	for (i = 0; i < MSIX_MAPS && msix_maps[i].len; i++)
		if (msix_maps[i].pa == x->trap && msix_maps[i].len == x->trap_len)
			virt = msix_maps[i].virt;
	if (!virt && i < MSIX_MAPS) {
		virt = mmio_map(x->trap, x->trap_len);
		if (virt)
			msix_maps[i] = (typeof(msix_maps[i])){
				x->trap, x->trap_len, virt };
	}
	spin_unlock(&msix_maps_lock);
	x->regs = virt;
	if (!virt)
		x->refusal = "no room left to map the MSI-X table into the "
			     "hypervisor";
	return virt ? 0 : -ENOMEM;
}

u16 pci_msix_hw_decode_on(u16 bdf)
{
	u16 cmd = pci_mach.read(bdf, PCI_COMMAND, 2);

	if (!(cmd & PCI_COMMAND_MEMORY))
		pci_mach.write(bdf, PCI_COMMAND, 2, cmd | PCI_COMMAND_MEMORY);
	return cmd;
}

void pci_msix_hw_decode_back(u16 bdf, u16 cmd)
{
	if (!(cmd & PCI_COMMAND_MEMORY))
		pci_mach.write(bdf, PCI_COMMAND, 2, cmd);
}
