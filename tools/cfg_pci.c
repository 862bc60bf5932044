// SPDX-License-Identifier: GPL-2.0
/* Fills in PCI BARs and capabilities of config devices from the target's sysfs. */
#include <stdlib.h>
#include <string.h>

#include "cfgtool.h"

#define PCI_STATUS_CAPS		0x10	/* status register: has a list */
#define PCI_CAP_PTR		0x34
#define PCI_EXT_CAP_START	0x100

static FILE *pci_open(const char *root, uint32_t bdf, const char *file)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/"
		 "0000:%02x:%02x.%x/%s", root, bdf >> 8, bdf >> 3 & 31,
		 bdf & 7, file);
	return fopen(path, "rb");
}

/* "resource": one "start end flags" line per BAR, then ROM and bridges. */
static int pci_read_bars(const char *root, struct cfg_pci_device *d)
{
	unsigned long long start, end, flags;
	FILE *f = pci_open(root, d->bdf, "resource");
	int bar;

	if (!f)
		return -1;
	for (bar = 0; bar < CFG_PCI_BARS; bar++) {
		if (fscanf(f, "%llx %llx %llx", &start, &end, &flags) != 3) {
			fclose(f);
			return -1;
		}
		d->bar_base[bar] = start;
		d->bar_size[bar] = start || end ? end - start + 1 : 0;
	}
	fclose(f);
	d->has_bars = 1;
	return 0;
}

static uint32_t rd32(const unsigned char *cfg, size_t off)
{
	return cfg[off] | cfg[off + 1] << 8 | cfg[off + 2] << 16 |
	       (uint32_t)cfg[off + 3] << 24;
}

/*
 * Walks both capability lists. Broken hardware may link a list into a
 * loop: each walk stops at the first offset it has seen before.
 */
static void pci_walk_caps(const unsigned char *cfg, size_t len,
			  struct cfg_pci_device *d)
{
	unsigned char seen[4096 / 4] = { 0 };
	uint32_t off, hdr;

	if (len >= 0x40 && (cfg[6] & PCI_STATUS_CAPS)) {
		off = cfg[PCI_CAP_PTR] & 0xfc;
		while (off >= 0x40 && off + 1 < len && !seen[off / 4]++ &&
		       d->n_caps < CFG_MAX_PCI_CAPS) {
			d->caps[d->n_caps++] = CFG_PCI_CAP(cfg[off], off, 0);
			off = cfg[off + 1] & 0xfc;
		}
	}
	off = PCI_EXT_CAP_START;
	while (off + 4 <= len && !seen[off / 4]++ &&
	       d->n_caps < CFG_MAX_PCI_CAPS) {
		hdr = rd32(cfg, off);
		if (!hdr || hdr == 0xffffffff)
			break;
		d->caps[d->n_caps++] = CFG_PCI_CAP(hdr & 0xffff, off, 1);
		off = (hdr >> 20) & 0xffc;
		if (off < PCI_EXT_CAP_START)
			break;
	}
}

static int pci_read_caps(const char *root, struct cfg_pci_device *d)
{
	unsigned char cfg[4096];
	FILE *f = pci_open(root, d->bdf, "config");
	size_t len;

	if (!f)
		return -1;
	len = fread(cfg, 1, sizeof(cfg), f);
	fclose(f);
	if (len < 0x40)
		return -1;
	pci_walk_caps(cfg, len, d);
	return 0;
}

/*
 * BARs the config lists, against the device: one left 'none' that holds an
 * address on this machine makes the hypervisor refuse the device at create
 * (the cell would not own all it decodes).  A device sysfs does not have
 * is not compared: the config may be for another machine.
 */
static void pci_check_unlisted(const char *root,
			       const struct cfg_pci_device *dev,
			       const struct loc *at, struct diag *d)
{
	struct cfg_pci_device hw = { .bdf = dev->bdf };
	int bar;

	if (pci_read_bars(root, &hw))
		return;
	for (bar = 0; bar < CFG_PCI_BARS; bar++)
		if (hw.bar_base[bar] && hw.bar_size[bar] &&
		    !dev->bar_size[bar])
			diag_error(d, at, "PCI device %02x:%02x.%x: BAR %d "
				   "holds 0x%llx (%llu bytes) on this machine "
				   "but is 'none' here: the hypervisor refuses "
				   "the device; list it under bars",
				   dev->bdf >> 8, dev->bdf >> 3 & 31,
				   dev->bdf & 7, bar,
				   (unsigned long long)hw.bar_base[bar],
				   (unsigned long long)hw.bar_size[bar]);
}

static void pci_resolve_cell(struct cfg_cell *cell, struct cell_src *src,
			     const char *root, struct diag *d)
{
	struct cfg_pci_device *dev;
	uint32_t i;

	for (i = 0; i < cell->n_pci; i++) {
		dev = &cell->pci[i];
		if (dev->has_bars)
			pci_check_unlisted(root, dev, &src->pci[i], d);
		if ((!dev->has_bars && pci_read_bars(root, dev)) ||
		    (!dev->n_caps && pci_read_caps(root, dev)))
			diag_error(d, &src->pci[i], "PCI device %02x:%02x.%x "
				   "is not in %s/sys/bus/pci/devices: resolve "
				   "devices on the machine that has them",
				   dev->bdf >> 8, dev->bdf >> 3 & 31,
				   dev->bdf & 7, root);
	}
}

void cfg_resolve_pci(struct cfg_file **files, int n, const char *root,
		     struct diag *d)
{
	int i;

	for (i = 0; i < n; i++) {
		if (files[i]->kind == CFG_KIND_CELL)
			pci_resolve_cell(&files[i]->cell, &files[i]->cell_src,
					 root, d);
		else if (files[i]->kind == CFG_KIND_SYSTEM)
			pci_resolve_cell(&files[i]->sys.root,
					 &files[i]->sys_src.root, root, d);
	}
}
