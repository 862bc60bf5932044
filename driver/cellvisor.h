/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces of the cellvisor driver. */
#ifndef _CELLVISOR_DRIVER_H
#define _CELLVISOR_DRIVER_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <cellvisor/config.h>

struct device;

/* Serialises enable, disable, cell management and hypercalls of sysfs. */
extern struct mutex cv_lock;

struct cv_dtb {
	const void *blob;
	size_t size;
};

int cv_dtb_check(const struct cv_dtb *dtb);
int cv_dtb_read_u64(const struct cv_dtb *dtb, const char *node,
		    const char *prop, u64 *val);
int cv_dtb_read_str(const struct cv_dtb *dtb, const char *node,
		    const char *prop, char *buf, size_t size);

/* One memory region of a cell config, as far as the driver reads it. */
struct cv_dtb_region {
	unsigned int index;		/* in the cell's list, from 0 */
	char name[CFG_MAX_NAME];	/* "" when unnamed */
	bool has_phys;			/* the comm page has none */
	u64 phys;
	u64 size;
	u32 flags;			/* CFG_MEM_* */
};

int cv_dtb_for_each_region(const struct cv_dtb *dtb,
			   int (*fn)(const struct cv_dtb_region *r,
				     void *arg), void *arg);

/* One PCI device of a cell config: "pci/device-N" (its bdf). */
struct cv_dtb_pci {
	unsigned int index;
	bool has_bdf;
	u32 bdf;			/* bus << 8 | devfn */
};

/* -EINVAL for a device node without a bdf (a corrupt blob). */
int cv_dtb_for_each_pci(const struct cv_dtb *dtb,
			int (*fn)(const struct cv_dtb_pci *dev, void *arg),
			void *arg);

/* PCI devices of a cell (pci.c), taken from Linux and given back. */
struct pci_dev;
struct cv_pci_dev {
	struct pci_dev *pdev;		/* referenced */
	bool had_driver;		/* probe again when given back */
	const char *old_override;	/* driver_override before, or NULL */
	struct pci_saved_state *saved;	/* config space before the cell */
};

struct cv_pci_set {
	char cell[CFG_MAX_NAME];
	unsigned int n;
	struct cv_pci_dev dev[CFG_MAX_PCI_DEVICES];
};

/*
 * Unbinds the devices of cell blob @dtb from their drivers, keeps Linux
 * from binding them again and resets them; on failure gives back those
 * taken.  cv_lock held.
 */
int cv_pci_take(const struct cv_dtb *dtb, const char *cell,
		struct cv_pci_set *set);
/* Resets the devices and lets Linux's drivers take them again. */
void cv_pci_give_back(struct cv_pci_set *set);
/*
 * Refuses (-EPERM, the reason in dmesg) a device of cell blob @dtb whose
 * place in the hierarchy defeats the IOMMU: requester-ID aliases,
 * peer-to-peer without ACS (pci_path.c).  Only warns under dma-isolation:
 * none.  Changes nothing.  cv_lock held.
 */
int cv_pci_check_paths(const struct cv_dtb *dtb, const char *cell);
/* False when the running system config says dma-isolation: none. */
bool cv_sys_dma_isolated(void);

int cv_enable(const void *image, size_t image_size,
	      const void *config, size_t config_size);
int cv_disable(void);
bool cv_is_enabled(void);
long cv_hypercall(unsigned long nr, unsigned long arg0, unsigned long arg1);
int cv_hotplug_init(void);
/* Cells (cell.c) */
struct cellvisor_cell_info;
struct cellvisor_cell_shm;
/*
 * Copies an ioctl's argument in and checks its version (the first __u32
 * of every ioctl struct): -EFAULT or -EPROTO.
 */
long cv_ioctl_arg(void *arg, const void __user *uarg, size_t size);
long cv_cell_ioctl(unsigned int cmd, unsigned long arg);
int cv_cell_info(u32 id, struct cellvisor_cell_info *info);
/* Shared regions mapped by root processes (shm.c), cv_lock held. */
long cv_shm_open(u32 id, struct cellvisor_cell_shm __user *uarg,
		 struct cellvisor_cell_shm *arg);
int cv_shm_block_destroy(u32 id, const char *cell);
bool cv_cell_hotplug_allowed(unsigned int cpu);
int cv_cells_block_disable(void);
long cv_cell_pool_free(void);
void cv_hotplug_exit(void);
/* Per-cell sysfs directories (sysfs.c); add and del with cv_lock held. */
struct cv_cell_kobj;
struct cv_cell_kobj *cv_sysfs_cell_add(u32 id, const char *name);
void cv_sysfs_cell_del(struct cv_cell_kobj *c);
int cv_sysfs_init(struct device *cv_dev);
void cv_sysfs_exit(void);
/* Console ring and root statistics (console.c) */
int cv_console_init(struct device *cv_dev);
void cv_console_exit(void);
void cv_console_region(phys_addr_t phys, u64 size);
void cv_console_dump_errors(const void *region, u64 size);

#endif
