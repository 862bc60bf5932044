// SPDX-License-Identifier: GPL-2.0
/* PCI config space (ports 0xcf8/0xcfc or ECAM): lookup, BARs, caps, MSI. */
#include <inmate.h>

#define PCI_CFG_ADDR		0xcf8
#define PCI_CFG_DATA		0xcfc
#define PCI_CFG_ENABLE		(1U << 31)

#define PCI_VENDOR_ID		0x00
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_CLASS_REV		0x08
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_CAP_PTR		0x34

#define PCI_STATUS_CAP_LIST	(1U << 4)
#define PCI_HEADER_MULTIFUNC	0x80
#define PCI_BAR_IO		0x1
#define PCI_BAR_MEM64		0x4
#define PCI_BAR_TYPE_MASK	0x6

#define PCI_MSI_CTRL		2
#define PCI_MSI_ADDR_LO		4
#define PCI_MSI_CTRL_ENABLE	(1U << 0)
#define PCI_MSI_CTRL_64BIT	(1U << 7)
#define PCI_MSI_CTRL_MME_MASK	(7U << 4)

#define MSI_ADDR_BASE		0xfee00000U

/* ECAM base from "pci_mmcfg=" (bus 0 at that address); 0: use ports. */
static uint64_t pci_mmcfg;
static bool pci_mmcfg_checked;

static uint32_t pci_cfg_addr(uint16_t bdf, unsigned int reg)
{
	return PCI_CFG_ENABLE | ((uint32_t)bdf << 8) | (reg & 0xfc);
}

/* Not const-folded: the command line is read at the first access. */
static volatile void *pci_ecam(uint16_t bdf, unsigned int reg)
{
	if (!pci_mmcfg_checked) {
		pci_mmcfg = cmdline_parse_int(inmate_cmdline, "pci_mmcfg", 0);
		pci_mmcfg_checked = true;
	}
	if (!pci_mmcfg)
		return NULL;
	return (volatile void *)(uintptr_t)(pci_mmcfg + ((uint64_t)bdf << 12) +
					    (reg & 0xfff));
}

uint64_t pci_mmcfg_base(void)
{
	pci_ecam(0, 0);
	return pci_mmcfg;
}

/*
 * @size is 1, 2 or 4 and @reg aligned to it. Registers from 0x100 up need
 * ECAM; through the ports they read as all ones.
 */
uint32_t pci_read_config(uint16_t bdf, unsigned int reg, unsigned int size)
{
	volatile void *ecam = pci_ecam(bdf, reg);
	uint16_t port = PCI_CFG_DATA + (reg & 3);

	if (ecam) {
		if (size == 1)
			return *(volatile uint8_t *)ecam;
		if (size == 2)
			return *(volatile uint16_t *)ecam;
		return *(volatile uint32_t *)ecam;
	}
	if (reg > 0xff)
		return 0xffffffff >> (32 - 8 * size);
	outl(PCI_CFG_ADDR, pci_cfg_addr(bdf, reg));
	switch (size) {
	case 1:
		return inb(port);
	case 2:
		return inw(port);
	default:
		return inl(PCI_CFG_DATA);
	}
}

void pci_write_config(uint16_t bdf, unsigned int reg, uint32_t val,
		      unsigned int size)
{
	volatile void *ecam = pci_ecam(bdf, reg);
	uint16_t port = PCI_CFG_DATA + (reg & 3);

	if (ecam) {
		if (size == 1)
			*(volatile uint8_t *)ecam = val;
		else if (size == 2)
			*(volatile uint16_t *)ecam = val;
		else
			*(volatile uint32_t *)ecam = val;
		return;
	}
	if (reg > 0xff)
		return;
	outl(PCI_CFG_ADDR, pci_cfg_addr(bdf, reg));
	switch (size) {
	case 1:
		outb(port, val);
		break;
	case 2:
		outw(port, val);
		break;
	default:
		outl(PCI_CFG_DATA, val);
		break;
	}
}

static bool pci_present(uint16_t bdf)
{
	return pci_read_config(bdf, PCI_VENDOR_ID, 2) != 0xffff;
}

static bool pci_multifunction(uint16_t bdf)
{
	return pci_read_config(bdf & ~7, PCI_HEADER_TYPE, 1) &
	       PCI_HEADER_MULTIFUNC;
}

/*
 * Next present function after @from (-1 starts the walk), or -ENODEV.
 * One read per empty slot: under a hypervisor each may be a VM exit.
 */
int pci_next_device(int from)
{
	unsigned int bdf = from < 0 ? 0 : from + 1;

	for (; bdf <= 0xffff; bdf++) {
		if (!PCI_FN(bdf) && !pci_present(bdf)) {
			bdf |= 7;	/* no function 0: empty slot */
			continue;
		}
		if (PCI_FN(bdf) && !pci_multifunction(bdf)) {
			bdf |= 7;
			continue;
		}
		if (pci_present(bdf))
			return bdf;
	}
	return -ENODEV;
}

int pci_find_device(uint16_t vendor, uint16_t device, int from)
{
	int bdf = from;

	while ((bdf = pci_next_device(bdf)) >= 0)
		if (pci_read_config(bdf, PCI_VENDOR_ID, 4) ==
		    ((uint32_t)device << 16 | vendor))
			return bdf;
	return -ENODEV;
}

uint32_t pci_class_rev(uint16_t bdf)
{
	return pci_read_config(bdf, PCI_CLASS_REV, 4);
}

/* Offset of capability @id in config space, or 0. */
unsigned int pci_find_cap(uint16_t bdf, uint8_t id)
{
	unsigned int pos, guard = 48;	/* a looped list must not hang us */

	if (!(pci_read_config(bdf, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = pci_read_config(bdf, PCI_CAP_PTR, 1) & 0xfc;
	while (pos && guard--) {
		if (pci_read_config(bdf, pos, 1) == id)
			return pos;
		pos = pci_read_config(bdf, pos + 1, 1) & 0xfc;
	}
	return 0;
}

/* Address the firmware or loader assigned to memory BAR @n; 0 for I/O. */
uint64_t pci_bar_address(uint16_t bdf, unsigned int n)
{
	unsigned int reg = PCI_BAR0 + 4 * n;
	uint32_t lo = pci_read_config(bdf, reg, 4);
	uint64_t addr = lo & ~0xfU;

	if (lo & PCI_BAR_IO)
		return 0;
	if ((lo & PCI_BAR_TYPE_MASK) == PCI_BAR_MEM64 && n < 5)
		addr |= (uint64_t)pci_read_config(bdf, reg + 4, 4) << 32;
	return addr;
}

void pci_enable(uint16_t bdf, uint16_t command_bits)
{
	pci_write_config(bdf, PCI_COMMAND,
			 pci_read_config(bdf, PCI_COMMAND, 2) | command_bits,
			 2);
}

/*
 * Route the function's MSI (one vector) to @vector on the CPU with APIC ID
 * @apic_id: fixed delivery, edge, physical destination.
 */
int pci_msi_enable(uint16_t bdf, uint32_t apic_id, unsigned int vector)
{
	unsigned int cap = pci_find_cap(bdf, PCI_CAP_ID_MSI);
	uint16_t ctrl;
	unsigned int data;

	if (!cap)
		return -ENODEV;
	if (apic_id > 0xff)
		return -EINVAL;	/* needs interrupt remapping */
	ctrl = pci_read_config(bdf, cap + PCI_MSI_CTRL, 2);
	data = cap + ((ctrl & PCI_MSI_CTRL_64BIT) ? 12 : 8);
	pci_write_config(bdf, cap + PCI_MSI_ADDR_LO,
			 MSI_ADDR_BASE | apic_id << 12, 4);
	if (ctrl & PCI_MSI_CTRL_64BIT)
		pci_write_config(bdf, cap + PCI_MSI_ADDR_LO + 4, 0, 4);
	pci_write_config(bdf, data, vector & 0xff, 2);
	ctrl &= ~PCI_MSI_CTRL_MME_MASK;
	pci_write_config(bdf, cap + PCI_MSI_CTRL, ctrl | PCI_MSI_CTRL_ENABLE,
			 2);
	return 0;
}

/* Stop the function's MSI (enable bit off); nothing else changes. */
void pci_msi_disable(uint16_t bdf)
{
	unsigned int cap = pci_find_cap(bdf, PCI_CAP_ID_MSI);
	uint16_t ctrl;

	if (!cap)
		return;
	ctrl = pci_read_config(bdf, cap + PCI_MSI_CTRL, 2);
	pci_write_config(bdf, cap + PCI_MSI_CTRL, ctrl & ~PCI_MSI_CTRL_ENABLE,
			 2);
}

/* ---- MSI-X ---- */

#define PCI_MSIX_CTRL		2
#define PCI_MSIX_TABLE		4
#define PCI_MSIX_CTRL_SIZE	0x7ffU
#define PCI_MSIX_CTRL_MASKALL	(1U << 14)
#define PCI_MSIX_CTRL_ENABLE	(1U << 15)
#define PCI_MSIX_BIR		7U
#define MSIX_ENTRY_WORDS	4	/* address, upper address, data, ctrl */
#define MSIX_VEC_MASKED		1U

volatile uint32_t *pci_msix_table(uint16_t bdf, unsigned int *entries)
{
	unsigned int cap = pci_find_cap(bdf, PCI_CAP_ID_MSIX);
	uint32_t table;
	uint64_t bar;

	if (!cap)
		return NULL;
	table = pci_read_config(bdf, cap + PCI_MSIX_TABLE, 4);
	bar = pci_bar_address(bdf, table & PCI_MSIX_BIR);
	if (!bar)
		return NULL;
	if (entries)
		*entries = (pci_read_config(bdf, cap + PCI_MSIX_CTRL, 2) &
			    PCI_MSIX_CTRL_SIZE) + 1;
	return (volatile uint32_t *)(uintptr_t)(bar +
						(table & ~PCI_MSIX_BIR));
}

int pci_msix_set(uint16_t bdf, unsigned int entry, uint64_t addr,
		 uint32_t data)
{
	unsigned int n;
	volatile uint32_t *e = pci_msix_table(bdf, &n);

	if (!e)
		return -ENODEV;
	if (entry >= n)
		return -EINVAL;
	e += entry * MSIX_ENTRY_WORDS;
	e[3] |= MSIX_VEC_MASKED;
	e[0] = (uint32_t)addr;
	e[1] = addr >> 32;
	e[2] = data;
	e[3] &= ~MSIX_VEC_MASKED;
	return 0;
}

int pci_msix_route(uint16_t bdf, unsigned int entry, uint32_t apic_id,
		   unsigned int vector)
{
	if (apic_id > 0xff)
		return -EINVAL;	/* compatibility format: 8-bit destination */
	return pci_msix_set(bdf, entry, MSI_ADDR_BASE | apic_id << 12,
			    vector & 0xff);
}

int pci_msix_enable(uint16_t bdf)
{
	unsigned int cap = pci_find_cap(bdf, PCI_CAP_ID_MSIX);
	uint16_t ctrl;

	if (!cap)
		return -ENODEV;
	ctrl = pci_read_config(bdf, cap + PCI_MSIX_CTRL, 2);
	ctrl = (ctrl & ~PCI_MSIX_CTRL_MASKALL) | PCI_MSIX_CTRL_ENABLE;
	pci_write_config(bdf, cap + PCI_MSIX_CTRL, ctrl, 2);
	return 0;
}

void pci_msix_disable(uint16_t bdf)
{
	unsigned int cap = pci_find_cap(bdf, PCI_CAP_ID_MSIX);

	if (cap)
		pci_write_config(bdf, cap + PCI_MSIX_CTRL,
				 pci_read_config(bdf, cap + PCI_MSIX_CTRL, 2) &
				 ~PCI_MSIX_CTRL_ENABLE, 2);
}
