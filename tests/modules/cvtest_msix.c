// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module: a minimal driver for QEMU's e1000e (8086:10d3, Intel
 * 82574L) that checks the function's MSI-X works for the root cell.  At
 * probe it allocates MSI-X vectors, routes the NIC's "other" cause to
 * vector 2 through IVAR, unmasks it in IMS and raises it with ICS, a few
 * times, counting the interrupts.  It prints one line, "cvtest_msix: ok N
 * interrupts" or "cvtest_msix: FAIL <what>", and refuses to bind on FAIL.
 * Writing anything to /sys/module/cvtest_msix/parameters/raise (0644)
 * raises the cause again; "count" reads the interrupts so far.
 *
 * No network traffic: only the interrupt registers are touched.
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
/* The NIC's registers, shared with the inmate (inmates/lib/include). */
#include <e1000e.h>

#define MSIX_VECTORS		5
#define MSIX_OTHER		2	/* the entry "other" goes to */
#define RAISES			3

struct cvmsix {
	struct pci_dev *pdev;
	void __iomem *regs;
	atomic_t irqs;
};

static struct cvmsix *the_dev;
static int count;	/* read through the parameter, updated on raise */
module_param(count, int, 0444);
MODULE_PARM_DESC(count, "interrupts counted so far (after the last raise)");

static irqreturn_t cvmsix_irq(int irq, void *data)
{
	struct cvmsix *d = data;

	writel(0xffffffff, d->regs + E1000_ICR);
	atomic_inc(&d->irqs);
	return IRQ_HANDLED;
}

/* One raise of "other", waited for (up to a second): true if it came. */
static bool cvmsix_raise(struct cvmsix *d)
{
	int before = atomic_read(&d->irqs), i;

	writel(E1000_ICR_OTHER, d->regs + E1000_ICS);
	for (i = 0; i < 100 && atomic_read(&d->irqs) == before; i++)
		msleep(10);
	count = atomic_read(&d->irqs);
	return count != before;
}

static int raise_set(const char *val, const struct kernel_param *kp)
{
	bool arrived;

	if (!the_dev)
		return -ENODEV;
	arrived = cvmsix_raise(the_dev);
	pr_info("cvtest_msix: raise: %s, %d interrupts\n",
		arrived ? "arrived" : "no interrupt",
		atomic_read(&the_dev->irqs));
	return 0;
}

static const struct kernel_param_ops raise_ops = { .set = raise_set };
module_param_cb(raise, &raise_ops, NULL, 0200);
MODULE_PARM_DESC(raise, "write anything: raise the interrupt once more");

static int cvmsix_setup(struct cvmsix *d)
{
	struct pci_dev *pdev = d->pdev;
	int err, n;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	pci_set_master(pdev);
	err = pcim_iomap_regions(pdev, BIT(0), "cvtest_msix");
	if (err)
		return err;
	d->regs = pcim_iomap_table(pdev)[0];
	n = pci_alloc_irq_vectors(pdev, MSIX_VECTORS, MSIX_VECTORS,
				  PCI_IRQ_MSIX);
	if (n < 0)
		return n;
	err = request_irq(pci_irq_vector(pdev, MSIX_OTHER), cvmsix_irq, 0,
			  "cvtest_msix", d);
	if (err) {
		pci_free_irq_vectors(pdev);
		return err;
	}
	writel(0xffffffff, d->regs + E1000_IMC);
	writel(0xffffffff, d->regs + E1000_ICR);
	writel(E1000_IVAR_OTHER(MSIX_OTHER), d->regs + E1000_IVAR);
	writel(E1000_ICR_OTHER, d->regs + E1000_IMS);
	return 0;
}

static void cvmsix_teardown(struct cvmsix *d)
{
	writel(0xffffffff, d->regs + E1000_IMC);
	free_irq(pci_irq_vector(d->pdev, MSIX_OTHER), d);
	pci_free_irq_vectors(d->pdev);
}

static int cvmsix_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct cvmsix *d;
	int err, i;

	d = devm_kzalloc(&pdev->dev, sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->pdev = pdev;
	err = cvmsix_setup(d);
	if (err) {
		pr_info("cvtest_msix: FAIL setup (%d)\n", err);
		return err;
	}
	for (i = 0; i < RAISES; i++)
		if (!cvmsix_raise(d))
			break;
	if (i < RAISES) {
		pr_info("cvtest_msix: FAIL no interrupt on raise %d (%d "
			"interrupts)\n", i + 1, atomic_read(&d->irqs));
		cvmsix_teardown(d);
		return -EIO;
	}
	pci_set_drvdata(pdev, d);
	the_dev = d;
	pr_info("cvtest_msix: ok %d raises arrived\n", RAISES);
	return 0;
}

static void cvmsix_remove(struct pci_dev *pdev)
{
	struct cvmsix *d = pci_get_drvdata(pdev);

	the_dev = NULL;
	cvmsix_teardown(d);
}

static const struct pci_device_id cvmsix_ids[] = {
	{ PCI_DEVICE(E1000E_VENDOR, E1000E_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, cvmsix_ids);

static struct pci_driver cvmsix_driver = {
	.name = "cvtest_msix",
	.id_table = cvmsix_ids,
	.probe = cvmsix_probe,
	.remove = cvmsix_remove,
};
module_pci_driver(cvmsix_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Cellvisor test: e1000e's MSI-X in the root cell");
