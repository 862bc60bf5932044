// SPDX-License-Identifier: GPL-2.0
/*
 * Demo: drive a PCI device from a cell.  Finds QEMU's edu device by its
 * IDs, maps its BAR 0, routes its MSI to this CPU, has it copy a message
 * by DMA from the cell's RAM into the device and back into another page
 * of the cell's RAM, waits for the MSI that ends each transfer and prints
 * what came back.  configs/x86/pci-dma-demo-qemu.yaml is its cell.
 *
 * Command line:
 *   dma_buf=ADDR  two 4 KiB pages the device may reach: a cell region
 *                 with guest == phys and `dma` access (default: a buffer
 *                 in the image, for a boot without a hypervisor)
 */
#include <inmate.h>
#include <edu.h>

#define DEMO_VECTOR		0x40
#define DEMO_WAIT_NS		2000000000ULL	/* a DMA: 100 ms of QEMU time */

static const char demo_message[] = "Hello from a cell, by DMA";

static volatile uint8_t *edu;		/* BAR 0, identity-mapped */
static volatile unsigned int demo_msis;
static uint8_t demo_default_buf[2 * EDU_BUF_SIZE] __aligned(4096);

static void edu_write(unsigned int reg, uint32_t val)
{
	*(volatile uint32_t *)(edu + reg) = val;
}

static void edu_write64(unsigned int reg, uint64_t val)
{
	*(volatile uint64_t *)(edu + reg) = val;
}

/* The MSI: acknowledge what the device raised, count it. */
static void demo_msi(struct int_frame *frame)
{
	(void)frame;
	edu_write(EDU_IRQ_ACK, *(volatile uint32_t *)(edu + EDU_IRQ_STATUS));
	demo_msis++;
	apic_eoi();
}

/* One transfer of @len bytes; true once its MSI came in. */
static bool demo_dma(uint64_t src, uint64_t dst, uint32_t len, uint32_t dir)
{
	unsigned int msis = demo_msis + 1;
	uint64_t start = rdtsc();

	edu_write64(EDU_DMA_SRC, src);
	edu_write64(EDU_DMA_DST, dst);
	edu_write64(EDU_DMA_COUNT, len);
	edu_write64(EDU_DMA_CMD, EDU_DMA_START | EDU_DMA_IRQ | dir);
	while (demo_msis < msis) {
		if (rdtsc() - start > ns_to_tsc(DEMO_WAIT_NS))
			return false;
		cpu_relax();
	}
	return true;
}

void inmate_main(void)
{
	uint8_t *buf = (uint8_t *)(uintptr_t)cmdline_parse_int(inmate_cmdline,
							       "dma_buf", 0);
	uint8_t *back;
	int bdf;

	if (!buf)
		buf = demo_default_buf;
	back = buf + EDU_BUF_SIZE;

	bdf = pci_find_device(EDU_VENDOR, EDU_DEVICE, -1);
	if (bdf < 0) {
		printk("pci-dma: no edu device (%04x:%04x)\n", EDU_VENDOR,
		       EDU_DEVICE);
		inmate_exit(1);
	}
	edu = (volatile uint8_t *)pci_bar_address(bdf, 0);
	pci_enable(bdf, PCI_CMD_MEM | PCI_CMD_MASTER);
	printk("pci-dma: edu at %02x:%02x.%x, BAR0 %p, ID 0x%08x\n",
	       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), edu,
	       *(volatile uint32_t *)(edu + EDU_ID));

	if (apic_init() || pci_msi_enable(bdf, apic_id(), DEMO_VECTOR)) {
		printk("pci-dma: cannot enable edu's MSI\n");
		inmate_exit(1);
	}
	int_set_handler(DEMO_VECTOR, demo_msi);
	irq_enable();
	printk("pci-dma: MSI vector 0x%x to APIC ID %u\n", DEMO_VECTOR,
	       apic_id());

	/* RAM -> the device's buffer -> another page of RAM. */
	memcpy(buf, demo_message, sizeof(demo_message));
	memset(back, 0, sizeof(demo_message));
	if (!demo_dma((uintptr_t)buf, EDU_BUF, sizeof(demo_message), 0) ||
	    !demo_dma(EDU_BUF, (uintptr_t)back, sizeof(demo_message),
		      EDU_DMA_TO_RAM)) {
		printk("pci-dma: a DMA ended without its MSI\n");
		inmate_exit(1);
	}
	back[sizeof(demo_message) - 1] = '\0';
	printk("pci-dma: DMA 0x%lx -> edu -> 0x%lx, %u MSIs: \"%s\"\n",
	       (unsigned long)(uintptr_t)buf, (unsigned long)(uintptr_t)back,
	       demo_msis, (const char *)back);

	irq_disable();
	pci_msi_disable(bdf);
	inmate_exit(memcmp(back, demo_message, sizeof(demo_message)) ? 1 : 0);
}
