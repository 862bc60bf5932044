// SPDX-License-Identifier: GPL-2.0
/* Conformance inmate: list PCI functions; take an MSI from QEMU's "edu". */
#include <inmate.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_ID			0x00	/* reads 0x010000ed */
#define EDU_LIVENESS		0x04	/* reads back the inverse of a write */
#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_RAISE		0x60
#define EDU_IRQ_ACK		0x64
#define EDU_ID_VALUE		0x010000ed
#define EDU_MSI_VECTOR		0x40
#define EDU_RAISE_BITS		0x5a

static volatile uint32_t *edu;
static volatile unsigned int edu_irqs;
static volatile uint32_t edu_status;

static void pci_list(void)
{
	unsigned int n = 0;
	uint32_t ext;
	int bdf = -1;

	while ((bdf = pci_next_device(bdf)) >= 0) {
		printk("pci: %02x:%02x.%x %04x:%04x class 0x%06x\n",
		       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf),
		       pci_read_config(bdf, 0, 2), pci_read_config(bdf, 2, 2),
		       pci_class_rev(bdf) >> 8);
		/* Only ECAM reaches 0x100+: PCIe extended capabilities. */
		ext = pci_read_config(bdf, 0x100, 4);
		if (ext && ext != 0xffffffff)
			printk("pci: %02x:%02x.%x extended capability 0x%04x\n",
			       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf),
			       ext & 0xffff);
		n++;
	}
	printk("pci: %u functions\n", n);
}

static void edu_irq(struct int_frame *frame)
{
	(void)frame;
	edu_status = edu[EDU_IRQ_STATUS / 4];
	edu[EDU_IRQ_ACK / 4] = edu_status;
	edu_irqs++;
	apic_eoi();
}

static bool edu_test(uint16_t bdf)
{
	uint64_t start;

	edu = (volatile uint32_t *)pci_bar_address(bdf, 0);
	printk("pci: edu at %02x:%02x.%x, BAR0 %p\n", PCI_BUS(bdf),
	       PCI_DEV(bdf), PCI_FN(bdf), edu);
	pci_enable(bdf, PCI_CMD_MEM | PCI_CMD_MASTER);
	if (edu[EDU_ID / 4] != EDU_ID_VALUE)
		return false;
	edu[EDU_LIVENESS / 4] = 0x12345678;
	if (edu[EDU_LIVENESS / 4] != ~0x12345678U)
		return false;

	if (apic_init() || pci_msi_enable(bdf, apic_id(), EDU_MSI_VECTOR))
		return false;
	int_set_handler(EDU_MSI_VECTOR, edu_irq);
	irq_enable();
	edu[EDU_IRQ_RAISE / 4] = EDU_RAISE_BITS;
	start = rdtsc();
	while (!edu_irqs && rdtsc() - start < ns_to_tsc(1000000000ULL))
		cpu_relax();
	irq_disable();
	printk("pci: edu MSI: %u interrupts, status 0x%x\n", edu_irqs,
	       edu_status);
	return edu_irqs == 1 && edu_status == EDU_RAISE_BITS;
}

void inmate_main(void)
{
	int bdf;

	if (pci_mmcfg_base())
		printk("pci: ECAM at 0x%lx\n", pci_mmcfg_base());
	else
		printk("pci: ports 0xcf8/0xcfc\n");
	pci_list();
	bdf = pci_find_device(EDU_VENDOR, EDU_DEVICE, -1);
	if (bdf < 0) {
		printk("pci: no edu device\n");
		return;
	}
	printk("pci: edu %s\n", edu_test(bdf) ? "PASS" : "FAILED");
}
