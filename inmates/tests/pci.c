// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance inmate: list PCI functions; drive QEMU's "edu": an MSI it
 * raises, then a DMA round trip (RAM -> edu -> other RAM) that ends with
 * an MSI each way.  In a cell that owns edu (configs/x86/pci-edu-qemu.yaml)
 * this is the pci-dma test; booted bare (tests/inmates) the same code runs
 * without a hypervisor.
 *
 * Command line:
 *   dma_buf=ADDR   where the DMA buffers are (two 4 KiB pages): an address
 *                  that is the same for the CPU and the device, i.e. a
 *                  cell region with guest == phys and `dma` access
 *                  (default: a buffer in .bss, for the bare boot)
 *   hostile=msi    afterwards, aim edu's MSI at APIC ID msi_dest=N
 *                  (default 0, the root's boot CPU): the hypervisor must
 *                  stop the cell; "SURVIVED" says it did not
 *   keep_on=1      end without turning edu's MSI off (bus mastering
 *                  stays on too): what a cell that exits abruptly leaves;
 *                  the next start must find both off (its first line)
 *   master_on=1    only this: print how each function is found at start
 *                  (command, and the register at 8 of its BAR 0 when
 *                  memory decode is on), turn bus mastering and memory
 *                  decode on in each, and end (status 0): the next start
 *                  must find them reset (tests/system/cell-pci-flr.sh)
 *   hostile=dma    afterwards, have edu write dma_len=N bytes (default 64)
 *                  of 0xc3 to dma_to=ADDR and/or read dma_len bytes from
 *                  dma_from=ADDR: addresses outside the cell, which an
 *                  IOMMU must keep the device from
 */
#include <inmate.h>
#include <edu.h>

#define EDU_MSI_VECTOR		0x40
#define EDU_RAISE_BITS		0x5a
#define EDU_DMA_BYTES		256
#define EDU_HOSTILE_FILL	0xc3
#define EDU_WAIT_NS		2000000000ULL	/* a DMA: 100 ms of QEMU time */

static volatile uint8_t *edu;
static volatile unsigned int edu_irqs;
static volatile uint32_t edu_status;
static uint8_t dma_default[2 * EDU_BUF_SIZE] __aligned(4096);

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

static uint32_t edu_read(unsigned int reg)
{
	return *(volatile uint32_t *)(edu + reg);
}

static void edu_write(unsigned int reg, uint32_t val)
{
	*(volatile uint32_t *)(edu + reg) = val;
}

/* The DMA registers take 8-byte writes (a 4-byte one clears the top). */
static void edu_write64(unsigned int reg, uint64_t val)
{
	*(volatile uint64_t *)(edu + reg) = val;
}

static void edu_irq(struct int_frame *frame)
{
	(void)frame;
	edu_status = edu_read(EDU_IRQ_STATUS);
	edu_write(EDU_IRQ_ACK, edu_status);
	edu_irqs++;
	apic_eoi();
}

/* Waits until @irqs interrupts came in all, or the time is up. */
static bool edu_wait_irqs(unsigned int irqs)
{
	uint64_t start = rdtsc();

	while (edu_irqs < irqs && rdtsc() - start < ns_to_tsc(EDU_WAIT_NS))
		cpu_relax();
	return edu_irqs >= irqs;
}

static bool edu_dma_busy(void)
{
	return *(volatile uint64_t *)(edu + EDU_DMA_CMD) & EDU_DMA_START;
}

/*
 * One transfer that raises an MSI when done. Returns 0 after the MSI,
 * -EIO when the transfer ended without one, -EBUSY when it never
 * ended.
 */
static int edu_dma(uint64_t src, uint64_t dst, uint32_t count, uint32_t dir)
{
	unsigned int irqs = edu_irqs + 1;

	edu_write64(EDU_DMA_SRC, src);
	edu_write64(EDU_DMA_DST, dst);
	edu_write64(EDU_DMA_COUNT, count);
	edu_write64(EDU_DMA_CMD, EDU_DMA_START | EDU_DMA_IRQ | dir);
	if (edu_wait_irqs(irqs))
		return 0;
	return edu_dma_busy() ? -EBUSY : -EIO;
}

static const char *edu_dma_error(int err)
{
	return err == -EIO ? "ended without an MSI" : "never ended";
}

static bool edu_msi_test(uint16_t bdf)
{
	edu = (volatile uint8_t *)pci_bar_address(bdf, 0);
	printk("pci: edu at %02x:%02x.%x, BAR0 %p\n", PCI_BUS(bdf),
	       PCI_DEV(bdf), PCI_FN(bdf), edu);
	pci_enable(bdf, PCI_CMD_MEM | PCI_CMD_MASTER);
	if (edu_read(EDU_ID) != EDU_ID_VALUE)
		return false;
	edu_write(EDU_LIVENESS, 0x12345678);
	if (edu_read(EDU_LIVENESS) != ~0x12345678U)
		return false;

	if (apic_init() || pci_msi_enable(bdf, apic_id(), EDU_MSI_VECTOR))
		return false;
	printk("pci: edu MSI to APIC ID %u, vector 0x%x\n", apic_id(),
	       EDU_MSI_VECTOR);
	int_set_handler(EDU_MSI_VECTOR, edu_irq);
	irq_enable();
	edu_write(EDU_IRQ_RAISE, EDU_RAISE_BITS);
	edu_wait_irqs(1);
	printk("pci: edu MSI: %u interrupts, status 0x%x\n", edu_irqs,
	       edu_status);
	return edu_irqs == 1 && edu_status == EDU_RAISE_BITS;
}

/* RAM -> edu's buffer -> other RAM, each way ending with an MSI. */
static bool edu_dma_test(uint8_t *buf)
{
	uint8_t *out = buf, *back = buf + EDU_BUF_SIZE;
	unsigned int i, irqs = edu_irqs;
	int err;

	for (i = 0; i < EDU_DMA_BYTES; i++)
		out[i] = i * 7 + 3;
	memset(back, 0, EDU_DMA_BYTES);
	err = edu_dma((uintptr_t)out, EDU_BUF, EDU_DMA_BYTES, 0);
	if (err) {
		printk("pci: edu DMA to the device %s\n", edu_dma_error(err));
		return false;
	}
	err = edu_dma(EDU_BUF, (uintptr_t)back, EDU_DMA_BYTES,
		      EDU_DMA_TO_RAM);
	if (err) {
		printk("pci: edu DMA from the device %s\n",
		       edu_dma_error(err));
		return false;
	}
	printk("pci: edu DMA: %u bytes RAM 0x%lx -> edu -> RAM 0x%lx, %u "
	       "MSIs\n", EDU_DMA_BYTES, (unsigned long)(uintptr_t)out,
	       (unsigned long)(uintptr_t)back, edu_irqs - irqs);
	for (i = 0; i < EDU_DMA_BYTES; i++)
		if (back[i] != (uint8_t)(i * 7 + 3)) {
			printk("pci: edu DMA: byte %u is 0x%x, not 0x%x\n", i,
			       back[i], (uint8_t)(i * 7 + 3));
			return false;
		}
	return true;
}

/* The device's MSI aimed at a CPU that is not ours. */
static void hostile_msi(uint16_t bdf)
{
	uint32_t dest = cmdline_parse_int(inmate_cmdline, "msi_dest", 0);
	unsigned int irqs = edu_irqs;

	printk("pci: hostile: MSI to APIC ID %u, vector 0x%x\n", dest,
	       EDU_MSI_VECTOR);
	pci_msi_enable(bdf, dest, EDU_MSI_VECTOR);
	edu_write(EDU_IRQ_RAISE, EDU_RAISE_BITS);
	udelay(100000);
	printk("pci: hostile: SURVIVED, %u interrupts here\n",
	       edu_irqs - irqs);
}

/* The device reads or writes memory that is not the cell's. */
static void hostile_dma(uint8_t *buf)
{
	uint64_t to = cmdline_parse_int(inmate_cmdline, "dma_to", 0);
	uint64_t from = cmdline_parse_int(inmate_cmdline, "dma_from", 0);
	uint32_t len = cmdline_parse_int(inmate_cmdline, "dma_len", 64);
	int err;

	if (!len || len > EDU_BUF_SIZE) {
		printk("pci: hostile: dma_len %u (use 1-%u)\n", len,
		       EDU_BUF_SIZE);
		return;
	}
	if (to) {
		memset(buf, EDU_HOSTILE_FILL, len);
		err = edu_dma((uintptr_t)buf, EDU_BUF, len, 0);
		if (!err)
			err = edu_dma(EDU_BUF, to, len, EDU_DMA_TO_RAM);
		printk("pci: hostile: DMA of %u bytes 0x%x to 0x%llx %s\n",
		       len, EDU_HOSTILE_FILL, (unsigned long long)to,
		       err == -EBUSY ? "timeout" : "done");
	}
	/*
	 * A unit may hold one fault record per requester at a time (QEMU 10
	 * drops a second while the first is pending): give the hypervisor's
	 * fault poll (every 20 ms) time to read and clear the first.
	 */
	if (to && from)
		udelay(200000);
	if (from) {
		memset(buf, 0, len);
		err = edu_dma(from, EDU_BUF, len, 0);
		if (!err)
			err = edu_dma(EDU_BUF, (uintptr_t)buf, len,
				      EDU_DMA_TO_RAM);
		printk("pci: hostile: DMA of %u bytes from 0x%llx %s, first "
		       "bytes 0x%02x 0x%02x 0x%02x 0x%02x\n", len,
		       (unsigned long long)from,
		       err == -EBUSY ? "timeout" : "done", buf[0],
		       len > 1 ? buf[1] : 0, len > 2 ? buf[2] : 0,
		       len > 3 ? buf[3] : 0);
	}
}

static void hostile(uint16_t bdf, uint8_t *buf)
{
	const char *what;
	size_t len;

	if (!cmdline_find(inmate_cmdline, "hostile", &what, &len))
		return;
	if (len == 3 && !strncmp(what, "msi", 3))
		hostile_msi(bdf);
	else if (len == 3 && !strncmp(what, "dma", 3))
		hostile_dma(buf);
	else
		printk("pci: hostile: unknown step (use hostile=msi or "
		       "hostile=dma)\n");
}

/* edu as this start finds it: the hypervisor resets it at each start. */
static void edu_start_state(uint16_t bdf)
{
	uint16_t cmd = pci_read_config(bdf, 0x04, 2);
	unsigned int msi = pci_find_cap(bdf, PCI_CAP_ID_MSI);
	bool msi_on = msi && (pci_read_config(bdf, msi + 2, 2) & 1);

	printk("pci: edu at start: command 0x%04x, bus master %s, MSI %s\n",
	       cmd, cmd & PCI_CMD_MASTER ? "on" : "off", msi_on ? "on" : "off");
}

static void functions_master_on(void)
{
	volatile uint32_t *bar;
	uint16_t cmd;
	int bdf = -1;

	while ((bdf = pci_next_device(bdf)) >= 0) {
		cmd = pci_read_config(bdf, 0x04, 2);
		bar = (volatile uint32_t *)(uintptr_t)pci_bar_address(bdf, 0);
		printk("pci: %02x:%02x.%x at start: command 0x%04x, bus master "
		       "%s, BAR0 register 8: 0x%08x\n", PCI_BUS(bdf),
		       PCI_DEV(bdf), PCI_FN(bdf), cmd,
		       cmd & PCI_CMD_MASTER ? "on" : "off",
		       bar && (cmd & PCI_CMD_MEM) ? bar[2] : 0xffffffff);
		pci_enable(bdf, PCI_CMD_MEM | PCI_CMD_MASTER);
	}
	inmate_exit(0);
}

void inmate_main(void)
{
	uint8_t *buf = (uint8_t *)(uintptr_t)cmdline_parse_int(inmate_cmdline,
							       "dma_buf", 0);
	bool ok;
	int bdf;

	if (pci_mmcfg_base())
		printk("pci: ECAM at 0x%lx\n", pci_mmcfg_base());
	else
		printk("pci: ports 0xcf8/0xcfc\n");
	pci_list();
	if (cmdline_parse_int(inmate_cmdline, "master_on", 0))
		functions_master_on();
	bdf = pci_find_device(EDU_VENDOR, EDU_DEVICE, -1);
	if (bdf < 0) {
		printk("pci: no edu device\n");
		return;
	}
	edu_start_state(bdf);
	ok = edu_msi_test(bdf);
	printk("pci: edu %s\n", ok ? "PASS" : "FAILED");
	if (!ok)
		inmate_exit(1);
	if (!buf)
		buf = dma_default;
	ok = edu_dma_test(buf);
	printk("pci: edu DMA %s\n", ok ? "PASS" : "FAILED");
	if (ok)
		hostile(bdf, buf);
	irq_disable();
	if (!cmdline_parse_int(inmate_cmdline, "keep_on", 0))
		pci_msi_disable(bdf);
	/* In a cell: exited with status 0 (PASS) or 1; bare: halted. */
	inmate_exit(ok ? 0 : 1);
}
