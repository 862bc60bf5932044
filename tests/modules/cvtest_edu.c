// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module: a driver for QEMU's edu device (1234:11e8) that checks,
 * when it binds, that the device works for the root cell: its ID register,
 * a factorial, a DMA round trip through the device's buffer into memory of
 * the DMA API, and the MSI that signals the end of each DMA.  It prints one
 * line, "cvtest_edu: ok id factorial dma msi" or "cvtest_edu: FAIL <what>",
 * and refuses to bind on FAIL.
 *
 * dma_to=PHYS (with dma_len, default 64): after the self test, the device
 * writes dma_len bytes of 0x5a to the raw bus address PHYS, bypassing the
 * DMA API as an attacker would, and the module prints "cvtest_edu: dma to
 * PHYS done" (the device finished the command; whether the bytes landed is
 * for the caller to check) or "... timeout".
 *
 * The scenarios bind it before a cell takes the device and again after the
 * cell gives it back, so probe sets the device up from scratch each time
 * and remove undoes all of it.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
/* The device's registers, shared with the inmates (inmates/lib/include). */
#include <edu.h>

#define EDU_ROUND_TRIP		256	/* bytes the self test moves each way */
#define EDU_PATTERN		0x5a	/* what dma_to writes */
#define EDU_WAIT_MS		5000	/* a DMA takes 100 ms of QEMU's clock */

static unsigned long long dma_to;
module_param(dma_to, ullong, 0444);
MODULE_PARM_DESC(dma_to,
		 "bus address edu writes dma_len bytes of 0x5a to (0: none)");

static unsigned int dma_len = 64;
module_param(dma_len, uint, 0444);
MODULE_PARM_DESC(dma_len, "bytes written to dma_to, 1-4096 (default 64)");

struct edu {
	struct pci_dev *pdev;
	void __iomem *regs;
	void *buf;		/* coherent, 2 * EDU_ROUND_TRIP bytes */
	dma_addr_t buf_bus;
	struct completion dma_done;
	unsigned int irqs;
	bool regions_requested;
	bool irq_requested;
};

static irqreturn_t edu_irq(int irq, void *data)
{
	struct edu *edu = data;
	u32 status = readl(edu->regs + EDU_IRQ_STATUS);

	if (!status)
		return IRQ_NONE;
	writel(status, edu->regs + EDU_IRQ_ACK);
	edu->irqs++;
	if (status & EDU_IRQ_DMA)
		complete(&edu->dma_done);
	return IRQ_HANDLED;
}

static bool edu_check_id(struct edu *edu)
{
	u32 id = readl(edu->regs + EDU_ID);

	if ((id & 0xff) != 0xed)
		return false;
	writel(0x12345678, edu->regs + EDU_LIVENESS);
	return readl(edu->regs + EDU_LIVENESS) == ~0x12345678u;
}

static bool edu_check_factorial(struct edu *edu)
{
	unsigned long end = jiffies + msecs_to_jiffies(EDU_WAIT_MS);

	writel(5, edu->regs + EDU_FACTORIAL);
	while (readl(edu->regs + EDU_STATUS) & EDU_STATUS_COMPUTING) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(100, 1000);
	}
	return readl(edu->regs + EDU_FACTORIAL) == 120;
}

/* The command register's start bit stays set until the transfer is done. */
static bool edu_dma_idle(struct edu *edu)
{
	return !(readq(edu->regs + EDU_DMA_CMD) & EDU_DMA_START);
}

/*
 * One transfer with an interrupt on completion.  Returns 0 when the MSI
 * came, -EIO when the transfer ended without it, -ETIMEDOUT when it never
 * ended.
 */
static int edu_dma(struct edu *edu, u64 src, u64 dst, u32 count, u32 dir)
{
	unsigned long end;

	reinit_completion(&edu->dma_done);
	/* 8-byte writes: edu takes a 4-byte write as the whole register. */
	writeq(src, edu->regs + EDU_DMA_SRC);
	writeq(dst, edu->regs + EDU_DMA_DST);
	writeq(count, edu->regs + EDU_DMA_COUNT);
	writeq(EDU_DMA_START | EDU_DMA_IRQ | dir, edu->regs + EDU_DMA_CMD);
	if (wait_for_completion_timeout(&edu->dma_done,
					msecs_to_jiffies(EDU_WAIT_MS)))
		return 0;
	/* No interrupt: did the transfer itself end? */
	end = jiffies + msecs_to_jiffies(EDU_WAIT_MS);
	while (!edu_dma_idle(edu)) {
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		msleep(10);
	}
	return -EIO;
}

static const char *edu_dma_error(int err, const char *step)
{
	static char why[64];

	snprintf(why, sizeof(why), "%s %s", step,
		 err == -EIO ? "ended without an MSI" : "never ended");
	return why;
}

/*
 * RAM -> edu buffer -> other RAM, through the DMA API's addresses.
 * Returns NULL or what failed.
 */
static const char *edu_check_dma(struct edu *edu)
{
	u8 *out = edu->buf, *back = out + EDU_ROUND_TRIP;
	int i, err;

	for (i = 0; i < EDU_ROUND_TRIP; i++)
		out[i] = i ^ 0xa5;
	memset(back, 0, EDU_ROUND_TRIP);
	err = edu_dma(edu, edu->buf_bus, EDU_BUF, EDU_ROUND_TRIP, 0);
	if (err)
		return edu_dma_error(err, "dma to the device");
	err = edu_dma(edu, EDU_BUF, edu->buf_bus + EDU_ROUND_TRIP,
		      EDU_ROUND_TRIP, EDU_DMA_TO_RAM);
	if (err)
		return edu_dma_error(err, "dma from the device");
	if (memcmp(out, back, EDU_ROUND_TRIP))
		return "dma data differs after the round trip";
	return NULL;
}

static const char *edu_self_test(struct edu *edu)
{
	const char *why;

	if (!edu_check_id(edu))
		return "id";
	if (!edu_check_factorial(edu))
		return "factorial (5! not 120)";
	why = edu_check_dma(edu);
	if (why)
		return why;
	if (edu->irqs < 2)
		return "msi";
	return NULL;
}

/* The attacker's DMA: the device's buffer, all 0x5a, to a raw address. */
static void edu_dma_to(struct edu *edu)
{
	u8 *out = edu->buf;
	unsigned int done = 0;
	int err = 0;

	/* edu's buffer filled through the DMA API, 256 bytes at a time. */
	memset(out, EDU_PATTERN, EDU_ROUND_TRIP);
	while (!err && done < dma_len) {
		err = edu_dma(edu, edu->buf_bus, EDU_BUF + done,
			      min_t(unsigned int, EDU_ROUND_TRIP,
				    dma_len - done), 0);
		done += EDU_ROUND_TRIP;
	}
	if (!err)
		err = edu_dma(edu, EDU_BUF, dma_to, dma_len, EDU_DMA_TO_RAM);
	pr_info("cvtest_edu: dma to 0x%llx %s\n", dma_to,
		err == -ETIMEDOUT ? "timeout" : "done");
}

static void edu_teardown(struct edu *edu)
{
	if (edu->irq_requested)
		free_irq(pci_irq_vector(edu->pdev, 0), edu);
	pci_free_irq_vectors(edu->pdev);
	if (edu->buf)
		dma_free_coherent(&edu->pdev->dev, 2 * EDU_ROUND_TRIP,
				  edu->buf, edu->buf_bus);
	if (edu->regs)
		pci_iounmap(edu->pdev, edu->regs);
	if (edu->regions_requested)
		pci_release_regions(edu->pdev);
	pci_clear_master(edu->pdev);
	pci_disable_device(edu->pdev);
}

/* Device set-up; returns NULL or what failed. */
static const char *edu_setup(struct edu *edu)
{
	struct pci_dev *pdev = edu->pdev;

	if (pci_request_regions(pdev, "cvtest_edu"))
		return "setup (BAR 0 busy)";
	edu->regions_requested = true;
	edu->regs = pci_iomap(pdev, 0, 0);
	if (!edu->regs)
		return "setup (BAR 0 not mapped)";
	pci_set_master(pdev);
	if (dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64)))
		return "setup (64-bit DMA mask)";
	edu->buf = dma_alloc_coherent(&pdev->dev, 2 * EDU_ROUND_TRIP,
				      &edu->buf_bus, GFP_KERNEL);
	if (!edu->buf)
		return "setup (no DMA buffer)";
	if (pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI) != 1)
		return "msi (no MSI vector)";
	if (request_irq(pci_irq_vector(pdev, 0), edu_irq, 0, "cvtest_edu", edu))
		return "msi (request_irq)";
	edu->irq_requested = true;
	return NULL;
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu *edu;
	const char *why;
	int err;

	if (!dma_len || dma_len > EDU_BUF_SIZE) {
		pr_err("cvtest_edu: FAIL dma_len %u (use 1-%u)\n", dma_len,
		       EDU_BUF_SIZE);
		return -EINVAL;
	}
	edu = kzalloc(sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	init_completion(&edu->dma_done);
	err = pci_enable_device(pdev);
	if (err) {
		pr_err("cvtest_edu: FAIL setup (enable: %d)\n", err);
		kfree(edu);
		return err;
	}
	why = edu_setup(edu);
	if (!why)
		why = edu_self_test(edu);
	if (why) {
		pr_err("cvtest_edu: FAIL %s\n", why);
		edu_teardown(edu);
		kfree(edu);
		return -EIO;
	}
	pr_info("cvtest_edu: ok id factorial dma msi\n");
	if (dma_to)
		edu_dma_to(edu);
	pci_set_drvdata(pdev, edu);
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct edu *edu = pci_get_drvdata(pdev);

	edu_teardown(edu);
	kfree(edu);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = "cvtest_edu",
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};
module_pci_driver(edu_driver);

MODULE_DESCRIPTION("Cellvisor system tests: QEMU edu self test and raw DMA");
MODULE_LICENSE("GPL");
