/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MSI-X table model (pci_msix.c), for cells and the root alike: the
 * page(s) holding a function's table are trapped; the owner reads and
 * writes its own copy of the table, and the device's entries hold only
 * remappable messages of the owner's remapping entries, or are masked.
 * See Documentation/pci.md, "MSI-X".
 */
#ifndef _HV_PCI_MSIX_H
#define _HV_PCI_MSIX_H

#include <hv/types.h>

struct pci_cfg_hw;

#define PCI_MSIX_FUNCS		16	/* functions served at once */
#define PCI_MSIX_MAX		64	/* entries of a table the model serves */
#define PCI_MSIX_ENTRY_SIZE	16
#define PCI_MSIX_CTRL		2	/* control word in the capability */
#define PCI_MSIX_CTRL_SIZE	0x07ff	/* table size - 1 */
#define PCI_MSIX_CTRL_MASKALL	BIT(14)
#define PCI_MSIX_CTRL_ON	BIT(15)
#define PCI_MSIX_TABLE		4	/* table offset | BIR */
#define PCI_MSIX_PBA		8	/* PBA offset | BIR */
#define PCI_MSIX_CAP_LEN	12
#define PCI_MSIX_BIR		7u
#define PCI_MSIX_VEC_MASKED	BIT(0)	/* vector control: masked */

/* The device's MMIO, as the model reaches it (volatile in the hypervisor). */
struct pci_msix_mmio {
	u64 (*read)(void *p, unsigned int size);
	void (*write)(void *p, unsigned int size, u64 val);
};

/* One entry as the owner wrote it: address, upper address, data, control. */
struct pci_msix_entry {
	u32 addr;
	u32 addr_hi;
	u32 data;
	u32 ctrl;
};

/*
 * Why @ctx may not have its function send the message (@addr, @addr_hi,
 * @data); NULL when it may.
 */
typedef const char *pci_msix_check_fn(const void *ctx, u32 addr, u32 addr_hi,
				      u32 data);

struct pci_msix {
	u16 bdf;
	u16 cap;		/* capability offset; 0: none */
	u16 n;			/* table size */
	u8 bir, pba_bir;
	u32 table_off, pba_off;	/* in their BARs */
	/* Why the model cannot serve this table: MSI-X then stays off. */
	const char *refusal;
	u64 table;		/* physical address of entry 0 */
	u64 pba, pba_len;	/* physical, bytes */
	u64 trap, trap_len;	/* the page-aligned range trapped */
	u8 *regs;		/* the hypervisor's mapping of the range */
	struct pci_msix_entry virt[PCI_MSIX_MAX];	/* the owner's */
	int irq[PCI_MSIX_MAX];	/* remapping entry of each; -1: none */
};

/*
 * What an access did to an entry in the device: @entry -1 when none
 * changed; else @err 0 (remapped through @irq, or masked as the owner
 * asked: @unmasked false) or the refusal (-EPERM, @why; the entry stays
 * masked in the device) or a failure (-ENOSPC, -EIO, @why).
 */
struct pci_msix_event {
	int entry;
	int err;
	bool unmasked;
	int irq;
	const char *why;
};

/* A table from the pool (NULL: all PCI_MSIX_FUNCS in use), and back. */
struct pci_msix *pci_msix_get(void);
void pci_msix_put(struct pci_msix *x);

/*
 * @x from @bdf's capability at @cap: table size, BIR and offsets.  A
 * table the model cannot serve (more than PCI_MSIX_MAX entries) sets
 * @x->refusal.
 */
void pci_msix_init(struct pci_msix *x, const struct pci_cfg_hw *hw, u16 bdf,
		   u16 cap);
/*
 * Where the table is: in the owner's memory BAR @bir at @base, @size
 * bytes (@size 0: the owner has no such memory BAR), and the PBA's BAR
 * at @pba_base (0: not the owner's).  Sets the trapped range, or
 * @x->refusal: 0 or -EINVAL.
 */
int pci_msix_place(struct pci_msix *x, u64 base, u64 size, u64 pba_base);
/* Does the trapped range hold @pa? */
bool pci_msix_traps(const struct pci_msix *x, u64 pa);

/*
 * The function becomes the owner's (@x->regs mapped): every entry masked
 * in the device.  @keep: the owner's copy is what the device holds (the
 * root taking over a live table; then pci_msix_sync_all()); else it
 * starts as after reset (masked, zero).
 */
void pci_msix_take(struct pci_msix *x, const struct pci_msix_mmio *mm,
		   bool keep);
/*
 * Entry @i made to match the owner's copy (@ev says how it went); for
 * the root's take-over of a live table.
 */
void pci_msix_sync(struct pci_msix *x, const struct pci_msix_mmio *mm,
		   unsigned int i, pci_msix_check_fn *check, const void *ctx,
		   struct pci_msix_event *ev);
/*
 * The owner's access of @size bytes (1, 2, 4 or 8, naturally aligned) at
 * physical @pa in the trapped range: the table from the owner's copy
 * (a write syncs the entry, @ev), the PBA read from the device (writes
 * dropped), anything else forwarded with the same width.  -EINVAL for an
 * access the model does not serve (size, alignment, outside the range).
 */
int pci_msix_access(struct pci_msix *x, const struct pci_msix_mmio *mm,
		    u64 pa, unsigned int size, bool write, u64 *val,
		    pci_msix_check_fn *check, const void *ctx,
		    struct pci_msix_event *ev);
/* Every entry masked in the device and its remapping entry freed. */
void pci_msix_release(struct pci_msix *x, const struct pci_msix_mmio *mm);
/*
 * The owner's copy written back to the device (remapping going off):
 * each entry masked, address and data, then the owner's mask bit; the
 * remapping entries freed.
 */
void pci_msix_restore(struct pci_msix *x, const struct pci_msix_mmio *mm);

#endif
