// SPDX-License-Identifier: GPL-2.0
/*
 * The config space of a device a cell owns.  Each byte of the space has
 * a rule: read from the device or answered here, and which bits of a
 * write reach the device.  Writes no rule allows stop the cell: a
 * register we do not know may move the device in the address space,
 * reset the link other devices share or aim its interrupts anywhere.
 */
#include <hv/pci.h>

#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_CACHE_LINE		0x0c
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_BAR_END		0x28
#define PCI_ROM			0x30
#define PCI_CAP_PTR		0x34
#define PCI_INT_LINE		0x3c
#define PCI_STD_END		0x100

#define PCI_STATUS_CAPS		BIT(4)
#define PCI_HEADER_LAYOUT	0x7f
#define PCI_BAR_IO		BIT(0)
#define PCI_BAR_MEM_64		(2u << 1)
#define PCI_BAR_MEM_TYPE	(3u << 1)

/* I/O and memory decode, bus master, parity and SERR reporting, INTx off. */
#define PCI_COMMAND_CELL	0x0547

#define PCI_CAP_PM		0x01
#define PCI_CAP_MSI		0x05
#define PCI_CAP_EXP		0x10
#define PCI_CAP_MSIX		0x11

#define PCI_PM_CTRL		4	/* power state, PME enable and status */
#define PCI_EXP_DEVCTL		8
#define PCI_EXP_DEVSTA		10
#define PCI_EXP_END		0x3c
/*
 * Error reporting, relaxed ordering, extended tags, phantom functions,
 * aux power, no snoop, max read request.  Max payload size must match
 * the link partner's; function-level reset is the hypervisor's.
 */
#define PCI_EXP_DEVCTL_CELL	0x7f1f

enum pci_byte_kind {
	PCI_HW,		/* read from the device; write_mask bits reach it */
	PCI_BAR,	/* answered here: the configured BAR, or its size */
	PCI_ZERO,	/* answered here: reads 0, writes dropped */
	PCI_REFUSE,	/* read from the device; a write stops the cell */
};

struct pci_byte_rule {
	enum pci_byte_kind kind;
	u8 write_mask;
	const char *why;	/* PCI_REFUSE */
};

static const char *const why_msi =
	"MSI and MSI-X need interrupt remapping, which Cellvisor does not "
	"program yet";
static const char *const why_unknown =
	"the register is not on the list a cell may write";

/* ---- the rules ---- */

static u32 size_mask(unsigned int size)
{
	return size == 4 ? 0xffffffff : (1u << (8 * size)) - 1;
}

static u8 mask_byte(u32 mask, u16 reg, u16 field)
{
	return mask >> (8 * (reg - field));
}

static bool in_field(u16 reg, u16 field, u16 len)
{
	return reg >= field && reg < field + len;
}

static void rule_hw(struct pci_byte_rule *r, u8 mask)
{
	*r = (struct pci_byte_rule){ PCI_HW, mask, NULL };
}

static void rule_refuse(struct pci_byte_rule *r, const char *why)
{
	*r = (struct pci_byte_rule){ PCI_REFUSE, 0, why };
}

static void header_rule(u16 reg, struct pci_byte_rule *r)
{
	if (in_field(reg, PCI_COMMAND, 2))
		rule_hw(r, mask_byte(PCI_COMMAND_CELL, reg, PCI_COMMAND));
	else if (in_field(reg, PCI_STATUS, 2) ||
		 in_field(reg, PCI_CACHE_LINE, 2) || reg == PCI_INT_LINE)
		rule_hw(r, 0xff);	/* status: write 1 to clear */
	else if (in_field(reg, PCI_BAR0, PCI_BAR_END - PCI_BAR0))
		*r = (struct pci_byte_rule){ PCI_BAR, 0, NULL };
	else if (in_field(reg, PCI_ROM, 4))
		*r = (struct pci_byte_rule){ PCI_ZERO, 0, NULL };
	else
		rule_hw(r, 0);		/* IDs, class, header type, BIST... */
}

static void cap_rule(const struct pci_cap *cap, u16 reg,
		     struct pci_byte_rule *r)
{
	u16 off = reg - cap->offset;

	if (off < (cap->extended ? 4 : 2)) {
		rule_hw(r, 0);		/* ID and next pointer */
		return;
	}
	if (cap->extended) {
		rule_refuse(r, why_unknown);
		return;
	}
	switch (cap->id) {
	case PCI_CAP_MSI:
	case PCI_CAP_MSIX:
		rule_refuse(r, why_msi);
		break;
	case PCI_CAP_PM:
		rule_hw(r, in_field(off, PCI_PM_CTRL, 2) ? 0xff : 0);
		break;
	case PCI_CAP_EXP:
		if (in_field(off, PCI_EXP_DEVCTL, 2))
			rule_hw(r, mask_byte(PCI_EXP_DEVCTL_CELL, off,
					     PCI_EXP_DEVCTL));
		else if (in_field(off, PCI_EXP_DEVSTA, 2))
			rule_hw(r, 0xff);
		else
			rule_hw(r, 0);	/* link and slot are the root's */
		break;
	default:
		rule_refuse(r, why_unknown);
	}
}

/* How far a capability's rules reach: to the next one or the end. */
static u16 cap_end(const struct pci_device *d, const struct pci_cap *cap)
{
	u16 end = cap->extended ? PCI_CFG_SIZE : PCI_STD_END;
	unsigned int i;

	if (!cap->extended && cap->id == PCI_CAP_EXP)
		end = cap->offset + PCI_EXP_END;
	for (i = 0; i < d->n_caps; i++)
		if (d->caps[i].extended == cap->extended &&
		    d->caps[i].offset > cap->offset && d->caps[i].offset < end)
			end = d->caps[i].offset;
	return end;
}

static void byte_rule(const struct pci_device *d, u16 reg,
		      struct pci_byte_rule *r)
{
	const struct pci_cap *cap;
	unsigned int i;

	if (reg < 0x40) {
		header_rule(reg, r);
		return;
	}
	for (i = 0; i < d->n_caps; i++) {
		cap = &d->caps[i];
		if (reg >= cap->offset && reg < cap_end(d, cap)) {
			cap_rule(cap, reg, r);
			return;
		}
	}
	rule_refuse(r, why_unknown);
}

/* ---- the BARs: what the config lists, never what the cell writes ---- */

static bool bar_listed(const struct pci_device *d, unsigned int bar)
{
	return d->cfg->has_bars & BIT(bar);
}

/* The BAR whose value (for the upper half: whose 64-bit value) @bar holds. */
static unsigned int bar_owner(const struct pci_device *d, unsigned int bar)
{
	return d->bar_high[bar] ? bar - 1 : bar;
}

/* The bits of @bar that hold an address (not the type bits). */
static u32 bar_addr_mask(const struct pci_device *d, unsigned int bar)
{
	if (d->bar_high[bar])
		return 0xffffffff;
	return d->bar_flags[bar] & PCI_BAR_IO ? ~3u : ~0xfu;
}

static u32 bar_read(const struct pci_device *d, unsigned int bar)
{
	unsigned int b = bar_owner(d, bar);
	u64 val;

	if (!bar_listed(d, b))
		return 0;
	if (d->bar_sizing[bar])
		val = ~(d->cfg->bar_size[b] - 1);
	else
		val = d->cfg->bar_base[b];
	if (d->bar_high[bar])
		return val >> 32;
	return ((u32)val & bar_addr_mask(d, bar)) | d->bar_flags[b];
}

/* Sizing (all ones) and writing back the address are all a cell may do. */
static int bar_write(struct pci_device *d, unsigned int bar, u32 val,
		     const char **why)
{
	u32 mask = bar_addr_mask(d, bar);

	d->bar_sizing[bar] = val == 0xffffffff;
	if (d->bar_sizing[bar] || !bar_listed(d, bar_owner(d, bar)) ||
	    !((val ^ bar_read(d, bar)) & mask))
		return 0;
	*why = "a cell may not move a BAR: it stays where the config puts it";
	return -EPERM;
}

/* A write into the BARs: whole BARs, or bytes of one merged into it. */
static int bars_write(struct pci_device *d, u16 reg, unsigned int size,
		      u32 val, const char **why)
{
	unsigned int bar = (reg - PCI_BAR0) / 4, shift = 8 * (reg & 3);
	u32 mask = size_mask(size) << shift;
	u32 old;

	if (d->bar_sizing[bar])
		old = 0xffffffff;
	else
		old = bar_read(d, bar);
	return bar_write(d, bar, (old & ~mask) | ((val << shift) & mask), why);
}

/* ---- accesses ---- */

static bool access_valid(u16 reg, unsigned int size)
{
	return (size == 1 || size == 2 || size == 4) && !(reg & (size - 1)) &&
	       reg < PCI_CFG_SIZE;
}

static u32 pci_read(const struct pci_cfg_hw *hw, struct pci_device *d,
		    u16 reg, unsigned int size)
{
	struct pci_byte_rule r;
	u32 val = 0, hw_val = 0, byte;
	bool hw_read = false;
	unsigned int i;

	for (i = 0; i < size; i++) {
		byte_rule(d, reg + i, &r);
		if (r.kind == PCI_BAR)
			byte = bar_read(d, (reg + i - PCI_BAR0) / 4) >>
			       (8 * ((reg + i) & 3));
		else if (r.kind == PCI_ZERO)
			byte = 0;
		else {
			if (!hw_read)
				hw_val = hw->read(d->bdf, reg, size);
			hw_read = true;
			byte = hw_val >> (8 * i);
		}
		val |= (byte & 0xff) << (8 * i);
	}
	return val;
}

/*
 * Bytes the cell may not change are written back as the device has
 * them; only the registers written as 1-to-clear (status) are never
 * written back, and their rules let the whole byte through.
 */
static int pci_write(const struct pci_cfg_hw *hw, struct pci_device *d,
		     u16 reg, unsigned int size, u32 val, const char **why)
{
	u32 mask = 0, bar_bytes = 0;
	struct pci_byte_rule r;
	unsigned int i;

	for (i = 0; i < size; i++) {
		byte_rule(d, reg + i, &r);
		if (r.kind == PCI_REFUSE) {
			*why = r.why;
			return -EPERM;
		}
		if (r.kind == PCI_BAR)
			bar_bytes++;
		else if (r.kind == PCI_HW)
			mask |= (u32)r.write_mask << (8 * i);
	}
	if (bar_bytes)
		return bar_bytes == size ? bars_write(d, reg, size, val, why) :
		       (*why = "an access across a BAR and another register",
			-EPERM);
	if (!mask)
		return 0;
	if (mask != size_mask(size))
		val = (hw->read(d->bdf, reg, size) & ~mask) | (val & mask);
	hw->write(d->bdf, reg, size, val);
	return 0;
}

int pci_cfg_access(const struct pci_cfg_hw *hw, struct pci_device *d,
		   u16 reg, unsigned int size, bool write, u32 *val,
		   const char **why)
{
	if (!access_valid(reg, size)) {
		*why = "config access not naturally aligned, or not 1, 2 or 4 "
		       "bytes";
		return -EPERM;
	}
	if (write)
		return pci_write(hw, d, reg, size, *val, why);
	*val = pci_read(hw, d, reg, size);
	return 0;
}

/* ---- hand-over ---- */

static int caps_add(struct pci_device *d, u16 id, u16 off, bool ext,
		    const char **why)
{
	if (d->n_caps == PCI_MAX_CAPS) {
		*why = "more capabilities than a cell's device may have";
		return -EINVAL;
	}
	d->caps[d->n_caps++] = (struct pci_cap){ id, off, ext };
	return 0;
}

/* Bounded walks: a device's list may loop or point anywhere. */
static int caps_read(const struct pci_cfg_hw *hw, struct pci_device *d,
		     const char **why)
{
	unsigned int n;
	u32 hdr;
	u16 off;
	int err = 0;

	d->n_caps = 0;
	if (!(hw->read(d->bdf, PCI_STATUS, 2) & PCI_STATUS_CAPS))
		return 0;
	off = hw->read(d->bdf, PCI_CAP_PTR, 1) & 0xfc;
	for (n = 0; !err && off >= 0x40 && n < 48; n++) {
		hdr = hw->read(d->bdf, off, 2);
		err = caps_add(d, hdr & 0xff, off, false, why);
		off = (hdr >> 8) & 0xfc;
	}
	off = PCI_STD_END;
	for (n = 0; !err && off >= PCI_STD_END && n < 960; n++) {
		hdr = hw->read(d->bdf, off, 4);
		if (hdr == 0 || hdr == 0xffffffff)
			break;
		err = caps_add(d, hdr & 0xffff, off, true, why);
		off = (hdr >> 20) & 0xffc;
	}
	return err;
}

/* The config's caps, where it lists them, must be what the device has. */
static int caps_match(const struct pci_device *d, const char **why)
{
	const struct cfg_pci_device *cfg = d->cfg;
	unsigned int i, j;
	u32 c;

	for (i = 0; i < cfg->n_caps; i++) {
		c = cfg->caps[i];
		for (j = 0; j < d->n_caps; j++)
			if (d->caps[j].id == CFG_PCI_CAP_ID(c) &&
			    d->caps[j].offset == CFG_PCI_CAP_OFFSET(c) &&
			    d->caps[j].extended == CFG_PCI_CAP_EXTENDED(c))
				break;
		if (j == d->n_caps) {
			*why = "a capability the config lists is not on the "
			       "device (run cellctl config check -p again)";
			return -EINVAL;
		}
	}
	return 0;
}

static void bars_read(const struct pci_cfg_hw *hw, struct pci_device *d)
{
	unsigned int i;
	u32 val;

	for (i = 0; i < CFG_PCI_BARS; i++) {
		d->bar_sizing[i] = false;
		if (d->bar_high[i])
			continue;
		val = hw->read(d->bdf, PCI_BAR0 + 4 * i, 4);
		d->bar_flags[i] = val & (val & PCI_BAR_IO ? 3 : 0xf);
		if (!(val & PCI_BAR_IO) &&
		    (val & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM_64 &&
		    i + 1 < CFG_PCI_BARS)
			d->bar_high[i + 1] = true;
	}
}

int pci_device_init(const struct pci_cfg_hw *hw, struct pci_device *d,
		    const struct cfg_pci_device *cfg, const char **why)
{
	u32 id = hw->read(cfg->bdf, 0, 4);
	int err;

	*d = (struct pci_device){ .bdf = cfg->bdf, .cfg = cfg };
	if (id == 0xffffffff) {
		*why = "no device at this address";
		return -EINVAL;
	}
	if (hw->read(d->bdf, PCI_HEADER_TYPE, 1) & PCI_HEADER_LAYOUT) {
		*why = "a bridge or a CardBus device: only endpoints can be a "
		       "cell's";
		return -EINVAL;
	}
	bars_read(hw, d);
	err = caps_read(hw, d, why);
	return err ? err : caps_match(d, why);
}
