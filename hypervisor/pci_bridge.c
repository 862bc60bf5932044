// SPDX-License-Identifier: GPL-2.0
/*
 * The bridges above a cell's PCI device, held while the cell exists.
 *
 * The device's requester ID (its bus number), the windows that route
 * its BARs, the resets and power controls that reach it, and the ACS
 * controls that send its peer-to-peer traffic through the IOMMU are all
 * registers of the bridges and ports above it, which stay the root's.
 * At create the hypervisor finds those bridges itself (bus ranges read
 * from config space, not the driver's word), refuses the device where
 * the path cannot keep its DMA apart, turns on the ACS controls the
 * ports implement, and from then on the root's writes to those
 * registers keep the values the bridge has (the rest passes).  At the
 * last release the root's ACS control is written back.  See
 * Documentation/pci.md and isolation.md.
 */
#include <hv/cell.h>
#include <hv/pci.h>
#include <hv/pci_bridge.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <string.h>

#define PCI_VENDOR		0x00
#define PCI_HEADER_BRIDGE	1
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBORDINATE_BUS	0x1a
#define PCI_EXP_FLAGS		2
#define PCI_EXP_TYPE(f)		(((f) >> 4) & 0xf)
#define PCI_EXP_ROOT_PORT	4
#define PCI_EXP_UPSTREAM	5
#define PCI_EXP_DOWNSTREAM	6
#define PCI_EXT_ACS		0x000d
#define PCI_ACS_CAP		4
#define PCI_ACS_CTRL		6

/* Where a kept field sits: the header or a capability of the bridge. */
enum field_base { AT_HDR, AT_EXP, AT_PM, AT_ACS };

/*
 * The registers the root may not change while a cell's device is
 * below (isolation.md lists them with the why).  @mask: the kept bits
 * of the @size-byte register; the other bits take the root's writes.
 */
struct kept_field {
	u8 base;		/* enum field_base */
	u8 off;
	u8 size;
	u32 mask;
	const char *name;
};

static const struct kept_field kept_fields[] = {
	{ AT_HDR, 0x04, 2, 0x0007, "command (I/O, memory, bus master)" },
	{ AT_HDR, 0x18, 1, 0xff, "primary bus number" },
	{ AT_HDR, 0x19, 1, 0xff, "secondary bus number" },
	{ AT_HDR, 0x1a, 1, 0xff, "subordinate bus number" },
	{ AT_HDR, 0x1c, 2, 0xffff, "I/O window" },
	{ AT_HDR, 0x20, 4, 0xffffffff, "memory window" },
	{ AT_HDR, 0x24, 4, 0xffffffff, "prefetchable memory window" },
	{ AT_HDR, 0x28, 4, 0xffffffff, "prefetchable window, upper base" },
	{ AT_HDR, 0x2c, 4, 0xffffffff, "prefetchable window, upper limit" },
	{ AT_HDR, 0x30, 4, 0xffffffff, "I/O window, upper halves" },
	{ AT_HDR, 0x3e, 2, 0x005c,
	  "bridge control (ISA, VGA, secondary bus reset)" },
	{ AT_EXP, 0x08, 2, 0xffff, "PCI Express device control" },
	{ AT_EXP, 0x10, 2, 0x0030,
	  "PCI Express link control (link disable, retrain)" },
	{ AT_EXP, 0x18, 2, 0x0400,
	  "PCI Express slot control (power controller)" },
	{ AT_PM, 0x04, 2, 0x0003, "power state" },
	{ AT_ACS, PCI_ACS_CTRL, 2, 0xffff, "ACS control" },
};
#define N_KEPT_FIELDS	(sizeof(kept_fields) / sizeof(kept_fields[0]))

struct pci_bridge {
	u16 bdf;
	u16 refs;		/* devices below it in cells; 0: slot free */
	u16 cap[4];		/* enum field_base: offset; 0: none (hdr 0) */
	u16 acs_root;		/* ACS control as the root had it */
	bool acs_set;		/* the hypervisor turned controls on */
	bool ecam;		/* its ECAM page is this file's model's */
	u32 said;		/* kept fields named on the console */
};

/* A cell's device and the bridges above it (indexes into bridges[]). */
struct bridge_path {
	bool used;
	const char *cell;	/* its name (unique while the cell exists) */
	u16 dev;
	u8 n;
	u8 idx[PCI_BRIDGE_DEPTH];
};

static struct pci_bridge bridges[PCI_BRIDGES_HELD];
static struct bridge_path paths[CFG_MAX_PCI_DEVICES * CELL_MAX];
/* Held by create and destroy, and by every root write to a bridge. */
static spinlock_t bridge_lock;

static void say_bdf(char *buf, size_t len, u16 bdf)
{
	snprintf(buf, len, "%02x:%02x.%x", PCI_BDF_BUS(bdf),
		 PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf));
}

static struct pci_bridge *bridge_of(u16 bdf)
{
	unsigned int i;

	for (i = 0; i < PCI_BRIDGES_HELD; i++)
		if (bridges[i].refs && bridges[i].bdf == bdf)
			return &bridges[i];
	return NULL;
}

/* ---- the path ---- */

/* The bridge on @bus whose bus range holds @target (its bdf), or -1. */
static int bridge_toward(const struct pci_cfg_hw *hw, u8 bus, u8 target)
{
	unsigned int devfn;
	u16 bdf;
	u8 sec, sub;

	for (devfn = 0; devfn < 256; devfn++) {
		bdf = (u16)bus << 8 | devfn;
		if (hw->read(bdf, PCI_VENDOR, 2) == 0xffff ||
		    (hw->read(bdf, PCI_HEADER_TYPE, 1) & PCI_HEADER_LAYOUT) !=
		    PCI_HEADER_BRIDGE)
			continue;
		sec = hw->read(bdf, PCI_SECONDARY_BUS, 1);
		sub = hw->read(bdf, PCI_SUBORDINATE_BUS, 1);
		if (sec > bus && sec <= target && target <= sub)
			return bdf;
	}
	return -1;
}

/*
 * The bridges from @root_bus down to @bdf's bus, nearest the root
 * first: their count, or -1 when no chain of bridges leads there.
 */
static int path_find(const struct pci_cfg_hw *hw, u16 bdf, u8 root_bus,
		     u16 *path)
{
	u8 bus = root_bus, target = PCI_BDF_BUS(bdf);
	int n = 0, br;

	while (bus != target) {
		if (n == PCI_BRIDGE_DEPTH)
			return -1;
		br = bridge_toward(hw, bus, target);
		if (br < 0)
			return -1;
		path[n++] = br;
		bus = hw->read(br, PCI_SECONDARY_BUS, 1);
	}
	return n;
}

static void caps_find(const struct pci_cfg_hw *hw, u16 bdf, u16 *cap)
{
	cap[AT_HDR] = 0;
	cap[AT_EXP] = pci_cap_find(hw, bdf, PCI_CAP_EXP);
	cap[AT_PM] = pci_cap_find(hw, bdf, PCI_CAP_PM);
	cap[AT_ACS] = pci_ext_cap_find(hw, bdf, PCI_EXT_ACS);
}

/* The PCI Express port type of @br (with capabilities @cap), or -1. */
static int port_type(const struct pci_cfg_hw *hw, u16 br, const u16 *cap)
{
	if (!cap[AT_EXP])
		return -1;
	return PCI_EXP_TYPE(hw->read(br, cap[AT_EXP] + PCI_EXP_FLAGS, 2));
}

/* A root or downstream port: its ACS redirects what is below it. */
static bool port_redirects(const struct pci_cfg_hw *hw, u16 br,
			   const u16 *cap)
{
	int type = port_type(hw, br, cap);

	return type == PCI_EXP_ROOT_PORT || type == PCI_EXP_DOWNSTREAM;
}

/*
 * Why bridge @br (with capabilities @cap) cannot be above a cell's
 * device whose DMA the IOMMU confines; NULL when it can.
 */
static const char *bridge_refusal(const struct pci_cfg_hw *hw, u16 br,
				  const u16 *cap)
{
	int type = port_type(hw, br, cap);

	if (type < 0)
		return "a conventional PCI bridge above it gives its DMA the "
		       "bridge's requester ID";
	if (type == PCI_EXP_UPSTREAM)
		return NULL;
	if (!port_redirects(hw, br, cap))
		return "a PCI Express-to-PCI bridge above it gives its DMA "
		       "another requester ID";
	if (!cap[AT_ACS])
		return "a port above it has no ACS capability: peer-to-peer "
		       "DMA would go around the IOMMU";
	return NULL;
}

/* ---- holding ---- */

/* The ACS controls of @b's port turned on; false if they did not. */
static bool acs_on(const struct pci_cfg_hw *hw, struct pci_bridge *b,
		   const char *cell, u16 dev)
{
	u16 reg = b->cap[AT_ACS] + PCI_ACS_CTRL;
	u16 want = PCI_ACS_NEEDED & hw->read(b->bdf, b->cap[AT_ACS] +
					     PCI_ACS_CAP, 2);
	char br_s[12], dev_s[12];
	u16 now;

	b->acs_root = hw->read(b->bdf, reg, 2);
	if ((b->acs_root & want) == want)
		return true;
	hw->write(b->bdf, reg, 2, b->acs_root | want);
	now = hw->read(b->bdf, reg, 2);
	b->acs_set = true;
	say_bdf(br_s, sizeof(br_s), b->bdf);
	say_bdf(dev_s, sizeof(dev_s), dev);
	if ((now & want) != want)
		return false;
	pr_info("cell '%s': PCI port %s above %s: ACS control 0x%x -> 0x%x "
		"(redirect on; the root's value back at destroy)\n", cell,
		br_s, dev_s, b->acs_root, now);
	return true;
}

static void acs_back(const struct pci_cfg_hw *hw, struct pci_bridge *b)
{
	char br_s[12];

	if (!b->acs_set)
		return;
	hw->write(b->bdf, b->cap[AT_ACS] + PCI_ACS_CTRL, 2, b->acs_root);
	b->acs_set = false;
	say_bdf(br_s, sizeof(br_s), b->bdf);
	pr_info("PCI port %s: ACS control back to 0x%x (the root's)\n", br_s,
		b->acs_root);
}

static enum dev_result bridge_ecam_access(const struct dev_call *call,
					  struct dev_access *a);

static const struct dev_model bridge_ecam_model = {
	.name = "pci-bridge-held",
	.access = bridge_ecam_access,
};

/*
 * The root's accesses to @b's ECAM page to this file's model; a page
 * the root traps for good already goes through the rule.  -ENOSPC when
 * the root's device table has no room (the page would bypass the rule).
 */
static int ecam_claim(struct pci_bridge *b)
{
	u64 page = pci_mach_ecam_page(b->bdf);

	if (b->ecam || !page || pci_root_traps_ecam(b->bdf))
		return 0;
	if (cell_root_claim(DEV_SPACE_MMIO, page, PAGE_SIZE,
			    &bridge_ecam_model, b))
		return -ENOSPC;
	b->ecam = true;
	return 0;
}

/* The ECAM page's claim goes after the lock is dropped (ecam_unclaim). */
static void bridge_put(const struct pci_cfg_hw *hw, struct pci_bridge *b)
{
	if (!--b->refs)
		acs_back(hw, b);
}

/*
 * Claims outside bridge_lock: the root's device table is dispatched
 * under its own lock, and its models take bridge_lock inside it.
 * Create and destroy run one at a time (cell_lock), so the slots do
 * not change meanwhile.
 */
static void ecam_unclaim(void)
{
	unsigned int i;

	for (i = 0; i < PCI_BRIDGES_HELD; i++) {
		if (bridges[i].refs || !bridges[i].ecam)
			continue;
		cell_root_release(&bridge_ecam_model, &bridges[i]);
		bridges[i].ecam = false;
	}
}

/* @br held once more (the first time: set up); NULL when no slot. */
static struct pci_bridge *bridge_get(const struct pci_cfg_hw *hw, u16 br,
				     const u16 *cap, bool isolate,
				     const char *cell, u16 dev,
				     const char **why)
{
	struct pci_bridge *b = bridge_of(br);
	unsigned int i;

	if (b) {
		b->refs++;
		return b;
	}
	for (i = 0; !b && i < PCI_BRIDGES_HELD; i++)
		if (!bridges[i].refs)
			b = &bridges[i];
	if (!b) {
		*why = "more bridges above cells' devices than the hypervisor "
		       "holds (16)";
		return NULL;
	}
	*b = (struct pci_bridge){ .bdf = br, .refs = 1 };
	memcpy(b->cap, cap, sizeof(b->cap));
	if (isolate && b->cap[AT_ACS] && port_redirects(hw, br, cap) &&
	    !acs_on(hw, b, cell, dev)) {
		bridge_put(hw, b);
		*why = "the ACS controls of a port above it did not turn on";
		return NULL;
	}
	return b;
}

static struct bridge_path *path_slot(u16 dev)
{
	struct bridge_path *p = NULL;
	unsigned int i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (paths[i].used && paths[i].dev == dev)
			return NULL;
		if (!p && !paths[i].used)
			p = &paths[i];
	}
	return p;
}

/* Every check first, on config space only: a refusal changes nothing. */
static int path_check(const struct pci_cfg_hw *hw, u16 bdf, u8 root_bus,
		      bool isolate, u16 *path, u16 (*caps)[4], int *n,
		      const char **why)
{
	const char *r;
	int i;

	*n = path_find(hw, bdf, root_bus, path);
	if (*n < 0) {
		*why = "no chain of bridges from the root bus leads to it "
		       "(a second root bus is not supported)";
		return -EINVAL;
	}
	for (i = 0; i < *n; i++) {
		caps_find(hw, path[i], caps[i]);
		r = isolate ? bridge_refusal(hw, path[i], caps[i]) : NULL;
		if (r) {
			*why = r;
			return -EPERM;
		}
	}
	return 0;
}

int pci_bridge_hold(const struct pci_cfg_hw *hw, u16 bdf, u8 root_bus,
		    bool isolate, const char *cell, const char **why)
{
	u16 path[PCI_BRIDGE_DEPTH], caps[PCI_BRIDGE_DEPTH][4];
	u8 idx[PCI_BRIDGE_DEPTH];
	struct bridge_path *p;
	struct pci_bridge *b;
	int n = 0, i, err;

	spin_lock(&bridge_lock);
	err = path_check(hw, bdf, root_bus, isolate, path, caps, &n, why);
	p = err ? NULL : path_slot(bdf);
	if (!err && !p) {
		*why = "the device is held already, or too many devices";
		err = -EBUSY;
	}
	for (i = 0; !err && i < n; i++) {
		b = bridge_get(hw, path[i], caps[i], isolate, cell, bdf, why);
		if (!b) {
			/* Half way: what this device holds goes back. */
			while (i--)
				bridge_put(hw, &bridges[idx[i]]);
			err = -EIO;
			break;
		}
		idx[i] = b - bridges;
	}
	if (!err) {
		*p = (struct bridge_path){ .used = true, .cell = cell,
					   .dev = bdf, .n = n };
		memcpy(p->idx, idx, n);
	}
	spin_unlock(&bridge_lock);
	if (err)
		return err;
	for (i = 0; !err && i < n; i++)
		err = ecam_claim(&bridges[idx[i]]);
	if (err) {
		pci_bridge_release(hw, bdf);
		*why = "the root's device table has no room for the ECAM page "
		       "of a bridge above it";
	}
	return err;
}

void pci_bridge_release(const struct pci_cfg_hw *hw, u16 bdf)
{
	struct bridge_path *p = NULL;
	unsigned int i;

	spin_lock(&bridge_lock);
	for (i = 0; !p && i < sizeof(paths) / sizeof(paths[0]); i++)
		if (paths[i].used && paths[i].dev == bdf)
			p = &paths[i];
	/* The device nearest first: its port's ACS goes back last. */
	for (i = p ? p->n : 0; i--; )
		bridge_put(hw, &bridges[p->idx[i]]);
	if (p)
		p->used = false;
	spin_unlock(&bridge_lock);
	ecam_unclaim();
}

bool pci_bridge_held(u16 bdf)
{
	return bridge_of(bdf) != NULL;
}

/* Is @b above devices of cell @cell only (and of it at all)? */
static bool bridge_only_of(const struct pci_bridge *b, const char *cell)
{
	unsigned int i, j;
	bool any = false;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		for (j = 0; paths[i].used && j < paths[i].n; j++) {
			if (&bridges[paths[i].idx[j]] != b)
				continue;
			if (strcmp(paths[i].cell, cell))
				return false;
			any = true;
		}
	}
	return any;
}

int pci_bridge_pages(const char *cell, u64 (*page_of)(u16 bdf),
		     int (*fn)(void *arg, u64 base, u64 size), void *arg)
{
	const struct pci_bridge *b;
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < PCI_BRIDGES_HELD; i++) {
		b = &bridges[i];
		if (b->refs && b->ecam && page_of(b->bdf) &&
		    bridge_only_of(b, cell))
			err = fn(arg, page_of(b->bdf), PAGE_SIZE);
	}
	return err;
}

/* ---- the root's writes ---- */

/*
 * The bits of the access (@reg, @size) that field @f of @b keeps, in
 * the access's bit positions; 0 when they do not meet.
 */
static u32 field_keeps(const struct pci_bridge *b, const struct kept_field *f,
		       u16 reg, unsigned int size)
{
	u16 at;
	int shift;

	if (f->base != AT_HDR && !b->cap[f->base])
		return 0;
	at = b->cap[f->base] + f->off;
	if (at >= reg + size || reg >= at + f->size)
		return 0;
	shift = 8 * (at - reg);
	return (u32)(shift >= 0 ? (u64)f->mask << shift : f->mask >> -shift);
}

static void say_kept(struct pci_bridge *b, unsigned int field, u16 reg)
{
	char br_s[12];

	if (b->said & BIT(field))
		return;
	b->said |= BIT(field);
	say_bdf(br_s, sizeof(br_s), b->bdf);
	pr_err("root cell: PCI %s 0x%02x write kept from the %s: a cell's "
	       "device is below this bridge (destroy the cell first)\n", br_s,
	       reg, kept_fields[field].name);
}

static void bridge_write(const struct pci_cfg_hw *hw, struct pci_bridge *b,
			 u16 reg, unsigned int size, u32 val)
{
	u32 all = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	u32 keep = 0, cur = 0, k;
	unsigned int i;

	for (i = 0; i < N_KEPT_FIELDS; i++)
		keep |= field_keeps(b, &kept_fields[i], reg, size);
	keep &= all;
	if (keep)
		cur = hw->read(b->bdf, reg, size);
	for (i = 0; keep && i < N_KEPT_FIELDS; i++) {
		k = field_keeps(b, &kept_fields[i], reg, size) & all;
		if ((val ^ cur) & k)
			say_kept(b, i, reg);
	}
	/* Nothing the root may change: no write (no side effects). */
	if (keep == all)
		return;
	hw->write(b->bdf, reg, size, (val & ~keep) | (cur & keep));
}

bool pci_bridge_root_write(const struct pci_cfg_hw *hw, u16 bdf, u16 reg,
			   unsigned int size, u32 val)
{
	struct pci_bridge *b;

	spin_lock(&bridge_lock);
	b = bridge_of(bdf);
	if (b)
		bridge_write(hw, b, reg, size, val);
	spin_unlock(&bridge_lock);
	return b != NULL;
}

/*
 * The root's access to the ECAM page of a held bridge: reads pass,
 * writes go through the rule; what is not one naturally aligned
 * access of 1, 2 or 4 bytes reads all ones and is not written.
 */
static enum dev_result bridge_ecam_access(const struct dev_call *call,
					  struct dev_access *a)
{
	const struct pci_bridge *b = call->priv;
	u16 reg = a->addr - call->base, bdf = b->bdf;

	if (a->size > 4 || (reg & (a->size - 1))) {
		if (!a->write)
			a->val = pci_all_ones(a->size);
		return DEV_DONE;
	}
	if (!a->write)
		a->val = pci_mach.read(bdf, reg, a->size);
	else if (!pci_bridge_root_write(&pci_mach, bdf, reg, a->size, a->val))
		pci_mach.write(bdf, reg, a->size, a->val);
	return DEV_DONE;
}
