/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI config space as a cell sees a device it owns: the hypervisor's
 * moderation of every config access (pci.c).  The rules are a whitelist
 * per register: what passes to the device, what only some bits of a write
 * reach, what is answered here (the BARs, the expansion ROM) and what
 * stops the cell.
 */
#ifndef _HV_PCI_H
#define _HV_PCI_H

#include <hv/types.h>
#include <hv/devmodel.h>
#include <hv/iommu.h>
#include <cellvisor/config.h>

#include "../../config.h"

#define PCI_BDF_BUS(bdf)	(((bdf) >> 8) & 0xff)
#define PCI_BDF_DEV(bdf)	(((bdf) >> 3) & 0x1f)
#define PCI_BDF_FN(bdf)		((bdf) & 7)

#define PCI_CFG_SIZE		0x1000	/* extended config space (ECAM) */
#define PCI_MAX_CAPS		24	/* per device, standard and extended */

/* The hardware's config space (CF8/CFC or ECAM), for the rules to use. */
struct pci_cfg_hw {
	u32 (*read)(u16 bdf, u16 reg, unsigned int size);
	void (*write)(u16 bdf, u16 reg, unsigned int size, u32 val);
};

struct pci_msix;

struct pci_cap {
	u16 id;
	u16 offset;
	bool extended;
	u16 msi_ctrl;		/* MSI: the control word (64-bit, masking) */
};

/*
 * A function's MSI while interrupts are remapped: the owner (root or
 * cell) reads back what it wrote (@img: control, address, data), the
 * device holds the remappable address and data of entry @irq, and MSI
 * is enabled in the device only while the owner's values pass its check.
 */
struct pci_msi {
	u16 bdf;
	u16 cap;		/* offset of the MSI capability; 0: none */
	u16 hw_ctrl;		/* its control word (64-bit, maskable) */
	u8 img[16];		/* bytes 0-15 of the capability, the owner's */
	int irq;		/* the remapping entry; -1: none yet */
};

/*
 * Why @ctx may not have its function send the MSI (@ctrl, @addr,
 * @addr_hi, @data); NULL when it may.
 */
typedef const char *pci_msi_check_fn(const void *ctx, u16 ctrl, u32 addr,
				     u32 addr_hi, u32 data);

/* The IOMMU as pci.c uses it (hv/iommu.h; a fake in the unit tests). */
struct pci_remap {
	int (*alloc)(void);
	int (*set)(int index, const struct iommu_irq *irq);
	void (*free)(int index);
	void (*msi)(int index, u32 *addr, u32 *data);
	/*
	 * The target of a remappable-format MSI (the root's, when its
	 * remapping is emulated); NULL: that format is never taken.
	 */
	int (*remappable)(u32 addr, u32 data, u16 sid, struct iommu_irq *irq,
			  const char **why);
};
/* Remapping on (@r) or off (NULL): the MSI rules follow it. */
void pci_set_remap(const struct pci_remap *r);
const struct pci_remap *pci_get_remap(void);

/* @m from the device's capability at @cap (0: none) as it is now. */
void pci_msi_init(const struct pci_cfg_hw *hw, struct pci_msi *m, u16 bdf,
		  u16 cap);
bool pci_msi_covers(const struct pci_msi *m, u16 reg);
/* The owner's view: its own control bits, address and data. */
u32 pci_msi_read(const struct pci_cfg_hw *hw, const struct pci_msi *m,
		 u16 reg, unsigned int size);
/*
 * The owner's write: kept, then the device follows (pci_msi_sync).
 * -EPERM with @why when the owner's MSI is refused: MSI is then off in
 * the device, the owner's values stay for its reads.
 */
int pci_msi_write(const struct pci_cfg_hw *hw, struct pci_msi *m, u16 reg,
		  unsigned int size, u32 val, pci_msi_check_fn *check,
		  const void *ctx, const char **why);
/*
 * The device made to match the owner's values: remapping entry written,
 * remappable address and data, enable; or MSI off when the owner has it
 * off or @check refuses (-EPERM, @why).
 */
int pci_msi_sync(const struct pci_cfg_hw *hw, struct pci_msi *m,
		 pci_msi_check_fn *check, const void *ctx, const char **why);
/* The owner's values written back in compatibility format (no IR). */
void pci_msi_restore(const struct pci_cfg_hw *hw, struct pci_msi *m);
/*
 * The owner's copy starts empty (MSI off, address and data 0): for a new
 * owner, who must not read what the device holds for the last one.
 */
void pci_msi_forget(struct pci_msi *m);
/* MSI off in the device and the entry freed (the function changes hands). */
void pci_msi_release(const struct pci_cfg_hw *hw, struct pci_msi *m);
/* The interrupt an MSI (@addr, @data) in compatibility format asks for. */
void pci_msi_target(u32 addr, u32 data, u16 sid, struct iommu_irq *irq);
/*
 * The target of an MSI (or MSI-X entry) the owner's rule let through:
 * compatibility format as written, remappable format (the root's, its
 * remapping emulated) through @r->remappable; -EPERM with @why otherwise.
 */
int pci_msi_resolve(const struct pci_remap *r, u32 addr, u32 data, u16 sid,
		    struct iommu_irq *t, const char **why);

/* How a function resets itself alone (pci_reset.c). */
enum pci_flr { PCI_FLR_NONE, PCI_FLR_EXP, PCI_FLR_AF };

/* A reset at the cell's start, step by step (pci_reset.c). */
struct pci_reset {
	u8 flr;			/* enum pci_flr */
	u8 step;		/* where pci_reset_step() is */
	u16 cap;		/* the capability with the FLR */
	u16 cmd;		/* decode bits the cell starts with */
	u16 exp;		/* the PCI Express capability; 0: none */
	u16 devctl, devctl2;	/* its device controls as at take */
	u32 bars[CFG_PCI_BARS];	/* the BARs as at take */
	u64 since;		/* the step's start, the caller's clock (us) */
	unsigned int polls;	/* calls in this step */
};

/* A device a cell owns, as the rules need it. */
struct pci_device {
	u16 bdf;
	const struct cfg_pci_device *cfg;
	u8 bar_flags[CFG_PCI_BARS];	/* the BAR's low type bits */
	bool bar_high[CFG_PCI_BARS];	/* upper half of a 64-bit BAR */
	bool bar_sizing[CFG_PCI_BARS];	/* all ones written: reads size */
	unsigned int n_caps;
	struct pci_cap caps[PCI_MAX_CAPS];	/* read from the device */
	/* Command bit 10 (INTx disable) as the owner wrote it: see below. */
	bool intx_off;
	/* APIC IDs below 256 an MSI of the device may name: its owner's. */
	u32 msi_dests[256 / 32];
	bool msi_dests_wide;	/* an owner CPU has an APIC ID >= 256 */
	struct pci_msi msi;	/* with remapping: the cell's MSI */
	struct pci_reset reset;	/* at each start of the cell */
	/* With remapping: its MSI-X table, trapped (pci_msix.c); or NULL. */
	struct pci_msix *msix;
};

#define PCI_COMMAND		0x04
#define PCI_COMMAND_IO		BIT(0)
#define PCI_COMMAND_MEMORY	BIT(1)
#define PCI_COMMAND_MASTER	BIT(2)
#define PCI_COMMAND_INTX_OFF	BIT(10)
#define PCI_BAR0		0x10
#define PCI_BAR_IO		BIT(0)
#define PCI_BAR_MEM_TYPE	(3u << 1)
#define PCI_BAR_MEM_64		(2u << 1)
#define PCI_STATUS		0x06
#define PCI_STATUS_CAPS		BIT(4)
#define PCI_HEADER_TYPE		0x0e
#define PCI_HEADER_LAYOUT	0x7f
#define PCI_CAP_PTR		0x34
#define PCI_CAP_PM		0x01	/* capability IDs */
#define PCI_CAP_EXP		0x10
#define PCI_EXP_DEVCTL		8	/* in the PCI Express capability */
#define PCI_EXP_DEVSTA		10

/*
 * Reads what the rules need from the device (header type, BAR types,
 * capability list) and checks it against @cfg: -EINVAL with the reason
 * in @why when the device cannot be given to a cell as configured.
 */
int pci_device_init(const struct pci_cfg_hw *hw, struct pci_device *d,
		    const struct cfg_pci_device *cfg, const char **why);

/*
 * The owner's access of @size bytes (1, 2 or 4, naturally aligned) at
 * @reg: a read fills @val, a write takes it.  0, or -EPERM with the
 * reason in @why (the caller stops the cell).
 */
int pci_cfg_access(const struct pci_cfg_hw *hw, struct pci_device *d,
		   u16 reg, unsigned int size, bool write, u32 *val,
		   const char **why);

/*
 * The cell's check of an MSI-X entry's message (pci_msix_check_fn, @ctx
 * its struct pci_device): the MSI whitelist.
 */
const char *pci_device_msix_check(const void *ctx, u32 addr, u32 addr_hi,
				  u32 data);

/* The standard capability @id of @bdf: its offset, 0 when absent. */
u16 pci_cap_find(const struct pci_cfg_hw *hw, u16 bdf, u8 id);
/* The extended capability @id of @bdf: its offset, 0 when absent. */
u16 pci_ext_cap_find(const struct pci_cfg_hw *hw, u16 bdf, u16 id);
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_MSIX		0x11
#define PCI_MSIX_CTRL_ENABLE	BIT(15)

/* The address in the device's BAR @bar, and the size it decodes there. */
u64 pci_bar_hw_addr(const struct pci_cfg_hw *hw, const struct pci_device *d,
		    unsigned int bar);
u64 pci_bar_hw_size(const struct pci_cfg_hw *hw, const struct pci_device *d,
		    unsigned int bar);

/*
 * @bdf's memory BAR @bar as the device decodes it: its address, and its
 * size in @size unless NULL (sized with decode off: not while a driver
 * may use the device); 0 and size 0 when @bar is an I/O BAR, the upper
 * half of a 64-bit one or not implemented.
 */
u64 pci_mem_bar(const struct pci_cfg_hw *hw, u16 bdf, unsigned int bar,
		u64 *size);

/*
 * The device becomes the owner's: INTx is forced off in the device (its
 * line is an IOAPIC pin of the root; the owner reads back the bit it
 * wrote), bus mastering, MSI and MSI-X are off whatever the root left,
 * and the expansion ROM's decode is turned off (true: it was on); and
 * @apic_id's CPU may be named by its MSIs (called once per CPU of the
 * owner).
 */
bool pci_device_take(const struct pci_cfg_hw *hw, struct pci_device *d);
void pci_device_msi_dest(struct pci_device *d, u32 apic_id);
/*
 * The device stops reaching memory and CPUs: bus mastering, MSI and
 * decode off.  For before the owner's memory goes back, and on failure.
 */
void pci_device_quiesce(const struct pci_cfg_hw *hw,
			const struct pci_device *d);
/*
 * A BAR the cell's config does not list but the device holds an address
 * in (the root would still reach the device there): its number, or -1.
 */
int pci_unlisted_bar(const struct pci_cfg_hw *hw, const struct pci_device *d);

/*
 * Reset at each start (pci_reset.c).  pci_flr_method(): the function's
 * FLR (and the capability offset in @cap) or PCI_FLR_NONE.
 * pci_reset_prepare(), at take: what a start restores.
 * pci_reset_step(): one step at time @now (microseconds, any origin):
 * 0 once the device is reset and restored (and again until
 * pci_reset_rearm()), -EINPROGRESS to be called again after a sleep,
 * -EIO with @why when the function did not come back from its FLR.
 */
enum pci_flr pci_flr_method(const struct pci_cfg_hw *hw, u16 bdf, u16 *cap);
void pci_reset_prepare(const struct pci_cfg_hw *hw, struct pci_device *d);
int pci_reset_step(const struct pci_cfg_hw *hw, struct pci_device *d,
		   u64 now, const char **why);
void pci_reset_rearm(struct pci_device *d);

/*
 * What a read of @size bytes (1, 2, 4 or 8) finds where nothing answers,
 * an absent function's config space or a device the reader lost: all ones.
 */
static inline u64 pci_all_ones(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* ---- the machine's config space (arch/x86/pci_mach.c) ---- */

/*
 * Standard space (reg < 0x100) through CF8/CFC under one lock, extended
 * space through ECAM when the system config has one, else all ones.
 */
extern const struct pci_cfg_hw pci_mach;
/* The system config's ECAM (@has false: none), before any access. */
void pci_mach_setup(bool has, u64 base, u32 bus_start, u32 bus_end);
/* The physical page of @bdf's ECAM space, 0 without ECAM. */
u64 pci_mach_ecam_page(u16 bdf);

#define PCI_CF8_PORT		0xcf8
#define PCI_CFC_PORT		0xcfc
#define PCI_CF8_PORTS		8
/* Enable, bus, devfn, register: what a 32-bit CF8 write holds. */
#define PCI_CF8_MASK		0x80fffffcu
#define PCI_CF8_ENABLE		BIT(31)
#define PCI_CF8_BDF(a)		(((a) >> 8) & 0xffff)
#define PCI_CF8_REG(a)		((a) & 0xfc)

/*
 * The root's access to 0xcf8-0xcff, trapped from enable on (pci.md):
 * its CF8 latched per CPU, its data accesses done here, and functions a
 * cell owns read all ones and take no writes.
 */
void pci_root_pio(unsigned int cpu, u32 port, unsigned int size, bool in,
		  u32 *val);

/*
 * With interrupt remapping (arch/x86/pci_mach.c): the root's functions
 * with MSI, found at enable; their MSI kept as Linux writes it and
 * programmed through the remapping table.
 */
/* Why remapping cannot cover the root's functions (NULL: it can). */
const char *pci_root_ir_refusal(void);
/*
 * Every root MSI rewritten, 0 or -errno with @why; config mechanism 1
 * already traps for the root from enable (cell_x86_root_init).
 */
int pci_root_ir_on(const char **why);
/* Linux's own MSI values back in every root function. */
void pci_root_ir_off(void);
/* Linux changed its remapping entries: every root MSI translated again. */
void pci_root_msi_retranslate(void);
/* A root access of the MSI (or MSI-X control) of @bdf: true if done. */
bool pci_root_msi_access(u16 bdf, u16 reg, unsigned int size, bool write,
			 u32 *val);
/*
 * Is @bdf's ECAM page trapped for the root for good (remapping: a
 * function with MSI or MSI-X)?  Then a cell taking it leaves the page
 * alone (pci_cell_ranges).
 */
bool pci_root_traps_ecam(u16 bdf);
/* @bdf goes to a cell (the root's entry freed) or comes back. */
void pci_root_msi_give(u16 bdf);
void pci_root_msi_back(u16 bdf);
/* The root's check of an MSI-X entry (pci_msix_check_fn): as for MSI. */
const char *pci_root_msix_check(const void *ctx, u32 addr, u32 addr_hi,
				u32 data);

/*
 * The root's MSI-X tables while interrupts are remapped
 * (arch/x86/pci_root_msix.c), each a pci_msix.c model in the root.
 */
/* None kept (each enable's scan starts from here). */
void pci_root_msix_reset(void);
/*
 * @bdf's MSI-X capability at @cap: its table placed and mapped; why the
 * model cannot serve it, or NULL.
 */
const char *pci_root_msix_prepare(u16 bdf, u16 cap);
/*
 * Every prepared table trapped in the root and taken over (Linux's live
 * entries remapped): 0, or -errno with @why.
 */
int pci_root_msix_on(const char **why);
/* Linux's entries back in every table (remapping goes off). */
void pci_root_msix_off(void);
/* Is @bdf's table served (the root may enable MSI-X)?  Else why not. */
const char *pci_root_msix_refusal(u16 bdf);
/* @bdf goes to a cell (entries masked, freed) or comes back. */
void pci_root_msix_give(u16 bdf);
void pci_root_msix_back(u16 bdf);
/* The range the root traps for @bdf's table, if any (0: none). */
u64 pci_root_msix_trap(u16 bdf, u64 *len);

/* ---- MSI-X tables on this machine (arch/x86/pci_msix_hw.c) ---- */

struct pci_msix_mmio;
extern const struct pci_msix_mmio pci_msix_hw;
/* @x's trapped range mapped into the hypervisor: 0, or -ENOMEM (refusal). */
int pci_msix_hw_map(struct pci_msix *x);
/*
 * Memory decode on in @bdf while the model writes its table (an owner
 * may have it off; the writes would be lost): the command word before,
 * for pci_msix_hw_decode_back().
 */
u16 pci_msix_hw_decode_on(u16 bdf);
void pci_msix_hw_decode_back(u16 bdf, u16 cmd);

/* ---- devices of cells (pci_cell.c) ---- */

struct cell;
struct cfg_system;

/*
 * Can @cfg's devices be given to a cell on this machine?  Reads config
 * space only (CELL_CHECK too): DMA isolation, a device answering, not a
 * bridge, not another cell's, BARs where the device has them, not over
 * hypervisor or cell memory, I/O BARs inside the cell's ports.
 */
int pci_cell_check(const struct cfg_system *sys, const struct cfg_cell *cfg,
		   const char **why);
/* Does @cfg own any of the ports 0xcf8-0xcff (real mechanism 1)? */
bool pci_cfg_owns_cf8(const struct cfg_cell *cfg);
/*
 * At create, after pci_cell_check() and before the vendor builds the
 * cell's tables: every BAR size checked (nothing changed on a refusal),
 * then one pci_device_move() from the root per device, in order; on
 * failure the moved ones go back and the root owns them all again.
 */
int pci_cell_create(struct cell *c, const char **why);
/*
 * @d, a device of a cell's config (in its slot), changes owner between
 * the root and that cell, everything that goes with it in one place:
 * hidden from the root's config accesses or shown again, the root's
 * MSI entry given up or back, the cell's MSI copy forgotten, INTx, bus
 * mastering, MSI and MSI-X off and the reset state kept (take), the
 * MSI-X table model and its entries, the root's traps on its BAR and
 * ECAM pages; back to the root: quiesced, every cell entry freed.  The
 * move back is the undo.  0, or -errno with @why (a failed move to the
 * cell is undone).  The BARs in the cell's and root's tables are the
 * vendor's (pci_cell_ranges()).  Management calls only.
 */
int pci_device_move(struct pci_device *d, struct cell *from, struct cell *to,
		    const char **why);
/* Device @i of @c's config as @c's slot holds it, or NULL. */
struct pci_device *pci_cell_device(const struct cell *c, unsigned int i);
/* Every device of @c stops DMA and MSI (shutdown, failure, destroy). */
void pci_cell_quiesce(struct cell *c);
/*
 * Every device of @c reset for a start, its CPUs parked: 0 when done,
 * -EINPROGRESS to be called again after a sleep (an FLR's wait), -EIO
 * with @why (said on the console) when a device did not come back.
 */
int pci_cell_reset(struct cell *c, u64 now, const char **why);
/*
 * Every device back to the root, last moved first (pci_device_move()),
 * after the vendor gave the BARs back; the slot freed.
 */
void pci_cell_destroy(struct cell *c);
/* Is @bdf a cell's device (the root does not see it)? */
bool pci_owned(u16 bdf);
/*
 * The root's access to a page of a cell's device (BAR or ECAM): reads
 * all ones, writes dropped, the first one said on the console.
 */
enum dev_result pci_hidden_access(const struct dev_call *call,
				  struct dev_access *a);
/*
 * @c's config access to @bdf: -ENODEV when @c does not own it (the
 * caller answers "absent"), -EPERM with the reason (the caller stops
 * the cell), or 0.
 */
int pci_cell_cfg(struct cell *c, u16 bdf, u16 reg, unsigned int size,
		 bool write, u32 *val, const char **why);
/*
 * Calls @fn for each memory BAR of @c's devices and, with @ecam, each
 * device's ECAM page: what the root loses (@ecam) and the cell maps.
 * Stops at the first error and returns it.
 */
int pci_cell_ranges(const struct cell *c, bool ecam,
		    int (*fn)(void *arg, u64 base, u64 size), void *arg);
/*
 * Calls @fn for the ECAM page of each bridge above @c's devices that the
 * root loses with @c alone (hypervisor/pci_bridge.c traps it while held).
 */
int pci_cell_bridge_pages(const struct cell *c,
			  int (*fn)(void *arg, u64 base, u64 size), void *arg);

#endif
