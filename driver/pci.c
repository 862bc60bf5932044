// SPDX-License-Identifier: GPL-2.0
/*
 * PCI devices a cell owns: taken from Linux before the hypervisor gives
 * them to the cell (driver unbound, kept from binding again, reset), and
 * given back after destroy (reset, probed again).
 */
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include "cellvisor.h"

#define CV_NO_DRIVER		"cellvisor"	/* a driver name none has */

static void cv_pci_name(u32 bdf, char *buf, size_t size)
{
	snprintf(buf, size, "%02x:%02x.%x", bdf >> 8, PCI_SLOT(bdf & 0xff),
		 PCI_FUNC(bdf & 0xff));
}

/*
 * A reset clears what Linux (or the cell) left in the device: DMA and
 * interrupt setup above all.  A device without a reset method keeps its
 * state; bus mastering is switched off at least.  Isolation does not rest
 * on it: the hypervisor turns bus mastering, MSI and MSI-X off itself when
 * it takes the device, and resets it at every start of the cell
 * (Documentation/pci.md, "Reset at each start").
 */
static void cv_pci_reset(struct cv_pci_dev *d, const char *cell,
			 const char *to)
{
	int err = pci_reset_function(d->pdev);

	if (err)
		pr_warn("cellvisor: cell '%s': PCI %s has no reset method (%d): "
			"it goes to %s as it is, bus mastering off\n", cell,
			pci_name(d->pdev), err, to);
	pci_clear_master(d->pdev);
}

static int cv_pci_take_one(const struct cv_dtb_pci *dev, void *arg)
{
	struct cv_pci_set *set = arg;
	struct cv_pci_dev *d = &set->dev[set->n];
	struct pci_dev *pdev;
	char name[16];
	int err;

	cv_pci_name(dev->bdf, name, sizeof(name));
	if (set->n == ARRAY_SIZE(set->dev))
		return -E2BIG;
	pdev = pci_get_domain_bus_and_slot(0, dev->bdf >> 8, dev->bdf & 0xff);
	if (!pdev) {
		pr_err("cellvisor: cell '%s': no PCI device %s on this "
		       "machine (lspci lists those there are)\n", set->cell,
		       name);
		return -ENODEV;
	}
	*d = (struct cv_pci_dev){ .pdev = pdev, .had_driver = !!pdev->dev.driver };
	if (pdev->driver_override) {
		d->old_override = kstrdup(pdev->driver_override, GFP_KERNEL);
		if (!d->old_override) {
			pci_dev_put(pdev);
			return -ENOMEM;
		}
	}
	err = driver_set_override(&pdev->dev, &pdev->driver_override,
				  CV_NO_DRIVER, strlen(CV_NO_DRIVER));
	if (err) {
		kfree(d->old_override);
		pci_dev_put(pdev);
		return err;
	}
	set->n++;
	if (d->had_driver)
		pr_info("cellvisor: cell '%s': PCI %s leaves its driver %s\n",
			set->cell, name, pdev->dev.driver->name);
	device_release_driver(&pdev->dev);
	/* In D0 while the cell has it: Linux must not power it down. */
	pm_runtime_get_sync(&pdev->dev);
	/*
	 * Its config space as Linux leaves it (BARs, command), put back
	 * after destroy: the hypervisor turns decode off when the cell
	 * stops, and a function no driver enables would stay so.
	 */
	pci_save_state(pdev);
	d->saved = pci_store_saved_state(pdev);
	cv_pci_reset(d, set->cell, "the cell");
	return 0;
}

int cv_pci_take(const struct cv_dtb *dtb, const char *cell,
		struct cv_pci_set *set)
{
	int err;

	set->n = 0;
	strscpy(set->cell, cell, sizeof(set->cell));
	err = cv_dtb_for_each_pci(dtb, cv_pci_take_one, set);
	if (err)
		cv_pci_give_back(set);
	return err;
}

static void cv_pci_give_back_one(struct cv_pci_dev *d, const char *cell)
{
	struct pci_dev *pdev = d->pdev;
	const char *old = d->old_override;

	cv_pci_reset(d, cell, "Linux");
	if (d->saved) {
		pci_load_and_free_saved_state(pdev, &d->saved);
		pci_restore_state(pdev);
	}
	pm_runtime_put(&pdev->dev);
	driver_set_override(&pdev->dev, &pdev->driver_override, old ? old : "",
			    old ? strlen(old) : 0);
	kfree(old);
	if (d->had_driver && device_attach(&pdev->dev) <= 0)
		pr_warn("cellvisor: cell '%s': PCI %s is Linux's again but its "
			"driver did not take it back (echo 1 > "
			"/sys/bus/pci/devices/%s/remove, then echo 1 > "
			"/sys/bus/pci/rescan)\n", cell, pci_name(pdev),
			pci_name(pdev));
	pci_dev_put(pdev);
}

void cv_pci_give_back(struct cv_pci_set *set)
{
	while (set->n)
		cv_pci_give_back_one(&set->dev[--set->n], set->cell);
}
