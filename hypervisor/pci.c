// SPDX-License-Identifier: GPL-2.0
/*
 * The config space of a device a cell owns.  Each byte of the space has
 * a rule: read from the device or answered here, and which bits of a
 * write reach the device.  Writes no rule allows stop the cell: a
 * register we do not know may move the device in the address space,
 * reset the link other devices share or aim its interrupts anywhere.
 */
#include <string.h>
#include <hv/pci.h>
#include <hv/pci_msix.h>

#define PCI_CACHE_LINE		0x0c
#define PCI_BAR_END		0x28
#define PCI_ROM			0x30
#define PCI_ROM_ENABLE		BIT(0)
#define PCI_INT_LINE		0x3c
#define PCI_STD_END		0x100


/*
 * I/O and memory decode, bus master, parity response, INTx off.  Not
 * SERR: a system error goes to the root's port and may stop the machine.
 */
#define PCI_COMMAND_CELL	0x0447


/* MSI: control, address, upper address (64-bit), data, mask, pending */
#define PCI_MSI_CTRL		2
#define PCI_MSI_ENABLE		BIT(0)
#define PCI_MSI_MME		(7u << 4)	/* multiple-message enable */
#define PCI_MSI_64		BIT(7)
#define PCI_MSI_MASKABLE	BIT(8)
#define PCI_MSI_ADDR		4
#define MSI_ADDR_BASE		0xfee00000u
#define MSI_ADDR_DEST(a)	(((a) >> 12) & 0xff)
#define MSI_DATA_VECTOR		0xffu
#define MSI_DATA_ASSERT		BIT(14)		/* no meaning for edge */
#define MSI_VECTOR_MIN		0x20

#define PCI_PM_CTRL		4	/* power state, PME enable and status */
#define PCI_EXP_END		0x3c
/*
 * Relaxed ordering, extended tags, aux power, no snoop, max read
 * request.  Max payload size must match the link partner's; error
 * reporting goes to the root's port (a fatal error may stop the
 * machine); phantom functions would send DMA with requester IDs of other
 * functions, which the IOMMU translates in the root's domain;
 * function-level reset is the hypervisor's.
 */
#define PCI_EXP_DEVCTL_CELL	0x7d10

enum pci_byte_kind {
	PCI_HW,		/* read from the device; write_mask bits reach it */
	PCI_BAR,	/* answered here: the configured BAR, or its size */
	PCI_ZERO,	/* answered here: reads 0, writes dropped */
	PCI_REFUSE,	/* read from the device; a write stops the cell */
	PCI_MSI,	/* like PCI_HW, and the MSI it leaves is checked */
};

struct pci_byte_rule {
	enum pci_byte_kind kind;
	u8 write_mask;
	const char *why;	/* PCI_REFUSE */
};

static const char *const why_msix =
	"MSI-X needs interrupt remapping: use MSI";
static const char *const why_unknown =
	"not a register a cell may write";

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

/* Where the data register is, and where the structure ends. */
static u16 msi_data_off(const struct pci_cap *cap)
{
	return cap->msi_ctrl & PCI_MSI_64 ? 12 : 8;
}

static u16 msi_len(const struct pci_cap *cap)
{
	return msi_data_off(cap) + (cap->msi_ctrl & PCI_MSI_MASKABLE ? 12 : 4);
}

/*
 * Enable and multiple-message enable of the control, address, data and
 * mask bits reach the device; what it holds then is checked (msi_check).
 * Pending bits and the upper half of the data word are the device's.
 */
static void msi_rule(const struct pci_cap *cap, u16 off,
		     struct pci_byte_rule *r)
{
	u16 data = msi_data_off(cap);
	u8 mask = 0xff;

	if (off == PCI_MSI_CTRL)
		mask = PCI_MSI_ENABLE | PCI_MSI_MME;
	else if (off == PCI_MSI_CTRL + 1 || in_field(off, data + 2, 2) ||
		 in_field(off, data + 8, 4))
		mask = 0;
	else if (off >= msi_len(cap)) {
		rule_refuse(r, why_unknown);
		return;
	}
	*r = (struct pci_byte_rule){ PCI_MSI, mask, NULL };
}

/*
 * With remapping and the table trapped (pci_msix.c): enable and function
 * mask reach the device (its entries are masked or the owner's remapped
 * ones); the table size and the table and PBA places are read only.
 */
static void msix_rule(const struct pci_device *d, u16 off,
		      struct pci_byte_rule *r)
{
	if (!pci_get_remap() || !d->msix)
		rule_refuse(r, why_msix);
	else if (d->msix->refusal)
		rule_refuse(r, d->msix->refusal);
	else if (off == PCI_MSIX_CTRL + 1)
		rule_hw(r, (PCI_MSIX_CTRL_ON | PCI_MSIX_CTRL_MASKALL) >> 8);
	else if (off < PCI_MSIX_CAP_LEN)
		rule_hw(r, 0);
	else
		rule_refuse(r, why_unknown);
}

static void cap_rule(const struct pci_device *d, const struct pci_cap *cap,
		     u16 reg, struct pci_byte_rule *r)
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
	case PCI_CAP_ID_MSI:
		msi_rule(cap, off, r);
		break;
	case PCI_CAP_ID_MSIX:
		msix_rule(d, off, r);
		break;
	case PCI_CAP_PM:
		/*
		 * Read as the device has it, no write: D3hot and back may
		 * reset the function (INTx disable cleared, BARs zeroed).
		 */
		rule_hw(r, 0);
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
			cap_rule(d, cap, reg, r);
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
	*why = "a cell may not move a BAR";
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

/* ---- INTx: always off in the device, the owner's bit in its view ---- */

/* Bit 10 of the command register in an access of @size at @reg, or 0. */
static u32 intx_bit(u16 reg, unsigned int size)
{
	u16 byte = PCI_COMMAND + 1;

	if (byte < reg || byte >= reg + size)
		return 0;
	return (PCI_COMMAND_INTX_OFF >> 8) << (8 * (byte - reg));
}

static u32 intx_view(const struct pci_device *d, u16 reg, unsigned int size,
		     u32 val)
{
	u32 bit = intx_bit(reg, size);

	return d->intx_off ? val | bit : val & ~bit;
}

/* The owner's bit is kept; the device's is set whatever it wrote. */
static u32 intx_force(struct pci_device *d, u16 reg, unsigned int size,
		      u32 val)
{
	u32 bit = intx_bit(reg, size);

	if (bit)
		d->intx_off = val & bit;
	return val | bit;
}

/* ---- MSI without interrupt remapping: only what reaches the owner ---- */

static const struct pci_cap *msi_cap_at(const struct pci_device *d, u16 reg)
{
	unsigned int i;

	for (i = 0; i < d->n_caps; i++)
		if (!d->caps[i].extended && d->caps[i].id == PCI_CAP_ID_MSI &&
		    reg >= d->caps[i].offset &&
		    reg < d->caps[i].offset + msi_len(&d->caps[i]))
			return &d->caps[i];
	return NULL;
}

static bool msi_dest_ok(const struct pci_device *d, u32 dest)
{
	return d->msi_dests[dest / 32] & BIT(dest % 32);
}

/*
 * The MSI a device would send with @ctrl, @addr (low, high) and @data:
 * NULL when it may (disabled, or aimed at an owner's CPU as a plain
 * fixed, edge-triggered vector), else why not.
 */
static const char *msi_refusal(const struct pci_device *d, u16 ctrl,
			       u32 addr, u32 addr_hi, u16 data)
{
	u32 vector = data & MSI_DATA_VECTOR;

	if (!(ctrl & PCI_MSI_ENABLE))
		return NULL;
	if (ctrl & PCI_MSI_MME)
		return "MSI multiple-message enable must be 0";
	if (addr_hi || (addr & ~0xff000u) != MSI_ADDR_BASE)
		return "MSI address is not 0xfee00000 | APIC ID << 12";
	if (!msi_dest_ok(d, MSI_ADDR_DEST(addr)))
		return d->msi_dests_wide ?
		       "MSI can't name APIC IDs above 255 (no remapping)" :
		       "MSI destination is not a CPU of the cell";
	if ((data & ~(MSI_DATA_VECTOR | MSI_DATA_ASSERT)) ||
	    vector < MSI_VECTOR_MIN)
		return "MSI data is not a fixed, edge vector 0x20-0xff";
	return NULL;
}

/*
 * The MSI structure as it will be once the write of @size bytes of @val
 * at @reg (@mask: the bits that reach the device) is done: refused if
 * the device would then send an MSI the owner may not, else written.
 */
static int msi_check(const struct pci_cfg_hw *hw, const struct pci_device *d,
		     u16 reg, unsigned int size, u32 val, u32 mask,
		     const char **why)
{
	const struct pci_cap *cap = msi_cap_at(d, reg);
	u8 img[24];
	u16 data_off, i, off;
	u32 w, hi = 0;

	if (!cap)
		return 0;
	for (off = 0; off < msi_len(cap); off += 4) {
		w = hw->read(d->bdf, cap->offset + off, 4);
		memcpy(&img[off], &w, 4);
	}
	for (i = 0; i < size; i++) {
		off = reg + i - cap->offset;
		img[off] = (img[off] & ~(mask >> (8 * i))) |
			   (val >> (8 * i) & mask >> (8 * i));
	}
	data_off = msi_data_off(cap);
	if (cap->msi_ctrl & PCI_MSI_64)
		memcpy(&hi, &img[PCI_MSI_ADDR + 4], 4);
	memcpy(&w, &img[PCI_MSI_ADDR], 4);
	*why = msi_refusal(d, img[PCI_MSI_CTRL] | img[PCI_MSI_CTRL + 1] << 8,
			   w, hi, img[data_off] | img[data_off + 1] << 8);
	return *why ? -EPERM : 0;
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
	return intx_view(d, reg, size, val);
}

/*
 * Bytes the cell may not change are written back as the device has
 * them; only the registers written as 1-to-clear (status) are never
 * written back, and their rules let the whole byte through.
 */
static int pci_write(const struct pci_cfg_hw *hw, struct pci_device *d,
		     u16 reg, unsigned int size, u32 val, const char **why)
{
	u32 mask = 0, bar_bytes = 0, intx;
	struct pci_byte_rule r;
	bool msi = false;
	unsigned int i;

	for (i = 0; i < size; i++) {
		byte_rule(d, reg + i, &r);
		if (r.kind == PCI_REFUSE) {
			*why = r.why;
			return -EPERM;
		}
		if (r.kind == PCI_BAR)
			bar_bytes++;
		else if (r.kind == PCI_HW || r.kind == PCI_MSI)
			mask |= (u32)r.write_mask << (8 * i);
		msi |= r.kind == PCI_MSI;
	}
	if (bar_bytes)
		return bar_bytes == size ? bars_write(d, reg, size, val, why) :
		       (*why = "an access across a BAR and another register",
			-EPERM);
	if (msi && msi_check(hw, d, reg, size, val, mask, why))
		return -EPERM;
	intx = intx_bit(reg, size);
	if (!mask)
		return 0;
	val = intx_force(d, reg, size, val);
	mask |= intx;
	if (mask != size_mask(size))
		val = (hw->read(d->bdf, reg, size) & ~mask) | (val & mask);
	hw->write(d->bdf, reg, size, val);
	return 0;
}

static pci_msi_check_fn cell_msi_check;

int pci_cfg_access(const struct pci_cfg_hw *hw, struct pci_device *d,
		   u16 reg, unsigned int size, bool write, u32 *val,
		   const char **why)
{
	if (!access_valid(reg, size)) {
		*why = "not 1, 2 or 4 bytes naturally aligned";
		return -EPERM;
	}
	if (pci_get_remap() && pci_msi_covers(&d->msi, reg)) {
		if (write)
			return pci_msi_write(hw, &d->msi, reg, size, *val,
					     cell_msi_check, d, why);
		*val = pci_msi_read(hw, &d->msi, reg, size);
		return 0;
	}
	if (write)
		return pci_write(hw, d, reg, size, *val, why);
	*val = pci_read(hw, d, reg, size);
	return 0;
}

/* ---- MSI with interrupt remapping: the owner's copy, the device's ---- */

#define MSI_ADDR_LOGICAL	BIT(2)
#define MSI_ADDR_REMAPPABLE	BIT(4)	/* interrupt format: an entry index */
#define MSI_DATA_DLM(d)		(((d) >> 8) & 7)
#define MSI_DATA_LEVEL		BIT(15)

static const struct pci_remap *pci_remap;

void pci_set_remap(const struct pci_remap *r)
{
	WRITE_ONCE(pci_remap, r);
}

const struct pci_remap *pci_get_remap(void)
{
	return READ_ONCE(pci_remap);
}

static u16 msi_m_data_off(const struct pci_msi *m)
{
	return m->hw_ctrl & PCI_MSI_64 ? 12 : 8;
}

static u16 msi_m_len(const struct pci_msi *m)
{
	return msi_m_data_off(m) + (m->hw_ctrl & PCI_MSI_MASKABLE ? 12 : 4);
}

/* Bytes of the capability the owner has a copy of (not the device). */
static bool msi_owner_byte(const struct pci_msi *m, u16 off)
{
	u16 data = msi_m_data_off(m);

	return off == PCI_MSI_CTRL || in_field(off, PCI_MSI_ADDR, 4) ||
	       ((m->hw_ctrl & PCI_MSI_64) && in_field(off, 8, 4)) ||
	       in_field(off, data, 2);
}

static u32 img32(const struct pci_msi *m, u16 off)
{
	u32 v;

	memcpy(&v, &m->img[off], 4);
	return v;
}

static u16 msi_m_ctrl(const struct pci_msi *m)
{
	return m->img[PCI_MSI_CTRL] | m->img[PCI_MSI_CTRL + 1] << 8;
}

static u32 msi_m_data(const struct pci_msi *m)
{
	u16 data = msi_m_data_off(m);

	return m->img[data] | m->img[data + 1] << 8;
}

void pci_msi_init(const struct pci_cfg_hw *hw, struct pci_msi *m, u16 bdf,
		  u16 cap)
{
	u16 off;
	u32 w;

	memset(m, 0, sizeof(*m));
	m->bdf = bdf;
	m->irq = -1;
	if (!cap)
		return;
	m->cap = cap;
	m->hw_ctrl = hw->read(bdf, cap + PCI_MSI_CTRL, 2);
	for (off = 0; off < sizeof(m->img); off += 4) {
		w = hw->read(bdf, cap + off, 4);
		memcpy(&m->img[off], &w, 4);
	}
}

bool pci_msi_covers(const struct pci_msi *m, u16 reg)
{
	return m->cap && reg >= m->cap && reg < m->cap + msi_m_len(m);
}

u32 pci_msi_read(const struct pci_cfg_hw *hw, const struct pci_msi *m,
		 u16 reg, unsigned int size)
{
	u32 hw_val = hw->read(m->bdf, reg, size), val = 0, byte;
	u8 own = PCI_MSI_ENABLE | PCI_MSI_MME;
	unsigned int i;
	u16 off;

	for (i = 0; i < size; i++) {
		off = reg + i - m->cap;
		byte = (hw_val >> (8 * i)) & 0xff;
		if (off == PCI_MSI_CTRL)
			byte = (byte & ~own) | (m->img[off] & own);
		else if (msi_owner_byte(m, off))
			byte = m->img[off];
		val |= byte << (8 * i);
	}
	return val;
}

static void msi_hw_off(const struct pci_cfg_hw *hw, const struct pci_msi *m)
{
	u16 ctrl = hw->read(m->bdf, m->cap + PCI_MSI_CTRL, 2);

	if (ctrl & (PCI_MSI_ENABLE | PCI_MSI_MME))
		hw->write(m->bdf, m->cap + PCI_MSI_CTRL, 2,
			  ctrl & ~(PCI_MSI_ENABLE | PCI_MSI_MME));
}

void pci_msi_target(u32 addr, u32 data, u16 sid, struct iommu_irq *irq)
{
	*irq = (struct iommu_irq){
		.dest = MSI_ADDR_DEST(addr),
		.vector = data & MSI_DATA_VECTOR,
		.dlm = MSI_DATA_DLM(data),
		.logical = addr & MSI_ADDR_LOGICAL,
		.level = data & MSI_DATA_LEVEL,
		.sid = sid,
	};
}

/*
 * Compatibility format names its target; remappable format (only the
 * root's, its check let it through) an entry of the root's own table,
 * which the remapping's callback reads and checks.
 */
int pci_msi_resolve(const struct pci_remap *r, u32 addr, u32 data, u16 sid,
		    struct iommu_irq *t, const char **why)
{
	if (!(addr & MSI_ADDR_REMAPPABLE)) {
		pci_msi_target(addr, data, sid, t);
		return 0;
	}
	if (!r->remappable) {
		*why = "an MSI in remappable format";
		return -EPERM;
	}
	if (r->remappable(addr, data, sid, t, why))
		return -EPERM;
	t->sid = sid;
	return 0;
}

/* Entry written, then address and data, then enable: never early. */
static int msi_hw_remap(const struct pci_cfg_hw *hw, struct pci_msi *m,
			const struct pci_remap *r, const char **why)
{
	u16 data_off = msi_m_data_off(m), ctrl;
	struct iommu_irq t;
	u32 addr, data;

	if (m->irq < 0)
		m->irq = r->alloc();
	if (m->irq < 0) {
		*why = "no free interrupt remapping entry";
		return -ENOSPC;
	}
	if (pci_msi_resolve(r, img32(m, PCI_MSI_ADDR), msi_m_data(m), m->bdf,
			    &t, why))
		return -EPERM;
	if (r->set(m->irq, &t)) {
		*why = "the interrupt remapping entry could not be written";
		return -EIO;
	}
	r->msi(m->irq, &addr, &data);
	if (hw->read(m->bdf, m->cap + PCI_MSI_ADDR, 4) != addr)
		hw->write(m->bdf, m->cap + PCI_MSI_ADDR, 4, addr);
	if ((m->hw_ctrl & PCI_MSI_64) &&
	    hw->read(m->bdf, m->cap + PCI_MSI_ADDR + 4, 4))
		hw->write(m->bdf, m->cap + PCI_MSI_ADDR + 4, 4, 0);
	if (hw->read(m->bdf, m->cap + data_off, 2) != data)
		hw->write(m->bdf, m->cap + data_off, 2, data);
	ctrl = hw->read(m->bdf, m->cap + PCI_MSI_CTRL, 2);
	if ((ctrl & (PCI_MSI_ENABLE | PCI_MSI_MME)) != PCI_MSI_ENABLE)
		hw->write(m->bdf, m->cap + PCI_MSI_CTRL, 2,
			  (ctrl & ~PCI_MSI_MME) | PCI_MSI_ENABLE);
	return 0;
}

int pci_msi_sync(const struct pci_cfg_hw *hw, struct pci_msi *m,
		 pci_msi_check_fn *check, const void *ctx, const char **why)
{
	const struct pci_remap *r = pci_get_remap();
	u16 ctrl = msi_m_ctrl(m);
	int err;

	if (!m->cap)
		return 0;
	if (!(ctrl & PCI_MSI_ENABLE) || !r) {
		msi_hw_off(hw, m);
		return 0;
	}
	*why = check(ctx, ctrl, img32(m, PCI_MSI_ADDR),
		     m->hw_ctrl & PCI_MSI_64 ? img32(m, 8) : 0, msi_m_data(m));
	err = *why ? -EPERM : msi_hw_remap(hw, m, r, why);
	if (err)
		msi_hw_off(hw, m);
	return err;
}

int pci_msi_write(const struct pci_cfg_hw *hw, struct pci_msi *m, u16 reg,
		  unsigned int size, u32 val, pci_msi_check_fn *check,
		  const void *ctx, const char **why)
{
	u8 own = PCI_MSI_ENABLE | PCI_MSI_MME, byte;
	u32 hw_mask = 0;
	unsigned int i;
	u16 off;

	for (i = 0; i < size; i++) {
		off = reg + i - m->cap;
		byte = val >> (8 * i);
		if (off == PCI_MSI_CTRL)
			m->img[off] = (m->img[off] & ~own) | (byte & own);
		else if (msi_owner_byte(m, off))
			m->img[off] = byte;
		else if (off >= msi_m_data_off(m) + 4 &&
			 off < msi_m_data_off(m) + 8)
			hw_mask |= 0xffu << (8 * i);	/* mask bits */
	}
	if (hw_mask)
		hw->write(m->bdf, reg, size,
			  (hw->read(m->bdf, reg, size) & ~hw_mask) |
			  (val & hw_mask));
	return pci_msi_sync(hw, m, check, ctx, why);
}

void pci_msi_restore(const struct pci_cfg_hw *hw, struct pci_msi *m)
{
	u16 data_off = msi_m_data_off(m), ctrl;

	if (!m->cap)
		return;
	msi_hw_off(hw, m);
	hw->write(m->bdf, m->cap + PCI_MSI_ADDR, 4, img32(m, PCI_MSI_ADDR));
	if (m->hw_ctrl & PCI_MSI_64)
		hw->write(m->bdf, m->cap + 8, 4, img32(m, 8));
	hw->write(m->bdf, m->cap + data_off, 2, msi_m_data(m));
	ctrl = hw->read(m->bdf, m->cap + PCI_MSI_CTRL, 2);
	hw->write(m->bdf, m->cap + PCI_MSI_CTRL, 2,
		  (ctrl & ~(PCI_MSI_ENABLE | PCI_MSI_MME)) |
		  (msi_m_ctrl(m) & (PCI_MSI_ENABLE | PCI_MSI_MME)));
}

void pci_msi_forget(struct pci_msi *m)
{
	m->img[PCI_MSI_CTRL] &= ~(PCI_MSI_ENABLE | PCI_MSI_MME);
	memset(&m->img[PCI_MSI_ADDR], 0, sizeof(m->img) - PCI_MSI_ADDR);
}

void pci_msi_release(const struct pci_cfg_hw *hw, struct pci_msi *m)
{
	const struct pci_remap *r = pci_get_remap();

	if (m->cap)
		msi_hw_off(hw, m);
	if (m->irq >= 0 && r)
		r->free(m->irq);
	m->irq = -1;
}

/* The cell's check: msi_refusal's whitelist, with @ctx its device. */
static const char *cell_msi_check(const void *ctx, u16 ctrl, u32 addr,
				  u32 addr_hi, u32 data)
{
	return msi_refusal(ctx, ctrl, addr, addr_hi, data);
}

const char *pci_device_msix_check(const void *ctx, u32 addr, u32 addr_hi,
				  u32 data)
{
	return msi_refusal(ctx, PCI_MSI_ENABLE, addr, addr_hi, data);
}

/* ---- hand-over ---- */

static int caps_add(struct pci_device *d, u16 id, u16 off, bool ext,
		    const char **why)
{
	if (d->n_caps == PCI_MAX_CAPS) {
		*why = "more capabilities than a cell's device may have";
		return -EINVAL;
	}
	d->caps[d->n_caps++] = (struct pci_cap){ id, off, ext, 0 };
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
		hdr = hw->read(d->bdf, off, 4);
		err = caps_add(d, hdr & 0xff, off, false, why);
		if (!err)
			d->caps[d->n_caps - 1].msi_ctrl = hdr >> 16;
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
	if (!err)
		pci_msi_init(hw, &d->msi, d->bdf,
			     pci_cap_find(hw, d->bdf, PCI_CAP_ID_MSI));
	return err ? err : caps_match(d, why);
}

/* Bounded: a list may loop or point anywhere.  0: not there. */
u16 pci_cap_find(const struct pci_cfg_hw *hw, u16 bdf, u8 id)
{
	unsigned int n;
	u32 hdr;
	u16 off;

	if (!(hw->read(bdf, PCI_STATUS, 2) & PCI_STATUS_CAPS))
		return 0;
	off = hw->read(bdf, PCI_CAP_PTR, 1) & 0xfc;
	for (n = 0; off >= 0x40 && n < 48; n++) {
		hdr = hw->read(bdf, off, 4);
		if ((hdr & 0xff) == id)
			return off;
		off = (hdr >> 8) & 0xfc;
	}
	return 0;
}

/* Bounded: a list may loop or point anywhere. */
u16 pci_ext_cap_find(const struct pci_cfg_hw *hw, u16 bdf, u16 id)
{
	unsigned int n;
	u32 hdr;
	u16 off;

	for (off = PCI_STD_END, n = 0; off >= PCI_STD_END && n < 960; n++) {
		hdr = hw->read(bdf, off, 4);
		if (hdr == 0 || hdr == 0xffffffff)
			return 0;
		if ((hdr & 0xffff) == id)
			return off;
		off = (hdr >> 20) & 0xffc;
	}
	return 0;
}

void pci_device_msi_dest(struct pci_device *d, u32 apic_id)
{
	if (apic_id < 256)
		d->msi_dests[apic_id / 32] |= BIT(apic_id % 32);
	else
		d->msi_dests_wide = true;
}

static void pci_device_quiesce_msi(const struct pci_cfg_hw *hw,
				   const struct pci_device *d)
{
	unsigned int i;
	u16 ctrl;

	for (i = 0; i < d->n_caps; i++) {
		if (d->caps[i].extended)
			continue;
		ctrl = hw->read(d->bdf, d->caps[i].offset + PCI_MSI_CTRL, 2);
		if (d->caps[i].id == PCI_CAP_ID_MSI)
			hw->write(d->bdf, d->caps[i].offset + PCI_MSI_CTRL, 2,
				  ctrl & ~(PCI_MSI_ENABLE | PCI_MSI_MME));
		else if (d->caps[i].id == PCI_CAP_ID_MSIX)
			hw->write(d->bdf, d->caps[i].offset + PCI_MSIX_CTRL, 2,
				  ctrl & ~PCI_MSIX_CTRL_ON);
	}
}

void pci_device_quiesce(const struct pci_cfg_hw *hw,
			const struct pci_device *d)
{
	u16 cmd = hw->read(d->bdf, PCI_COMMAND, 2);

	hw->write(d->bdf, PCI_COMMAND, 2, cmd & ~(PCI_COMMAND_MASTER |
		  PCI_COMMAND_MEMORY | PCI_COMMAND_IO));
	pci_device_quiesce_msi(hw, d);
}

/*
 * Not left to the driver's reset: bus mastering, MSI and MSI-X off,
 * INTx off, and the expansion ROM's decode off (a cell never gets it).
 */
bool pci_device_take(const struct pci_cfg_hw *hw, struct pci_device *d)
{
	u16 cmd = hw->read(d->bdf, PCI_COMMAND, 2);
	u32 rom = hw->read(d->bdf, PCI_ROM, 4);
	u16 msix = pci_cap_find(hw, d->bdf, PCI_CAP_ID_MSIX);

	d->intx_off = cmd & PCI_COMMAND_INTX_OFF;
	hw->write(d->bdf, PCI_COMMAND, 2,
		  (cmd | PCI_COMMAND_INTX_OFF) & ~PCI_COMMAND_MASTER);
	pci_device_quiesce_msi(hw, d);
	if (msix)
		hw->write(d->bdf, msix + PCI_MSI_CTRL, 2,
			  hw->read(d->bdf, msix + PCI_MSI_CTRL, 2) &
			  ~PCI_MSIX_CTRL_ENABLE);
	if (!(rom & PCI_ROM_ENABLE))
		return false;
	hw->write(d->bdf, PCI_ROM, 4, rom & ~PCI_ROM_ENABLE);
	return true;
}

int pci_unlisted_bar(const struct pci_cfg_hw *hw, const struct pci_device *d)
{
	unsigned int bar;

	for (bar = 0; bar < CFG_PCI_BARS; bar++)
		if (!(d->cfg->has_bars & BIT(bar)) && !d->bar_high[bar] &&
		    pci_bar_hw_addr(hw, d, bar))
			return bar;
	return -1;
}

/* The address the device's BAR @bar holds (both halves of a 64-bit one). */
u64 pci_bar_hw_addr(const struct pci_cfg_hw *hw, const struct pci_device *d,
		    unsigned int bar)
{
	u64 val = hw->read(d->bdf, PCI_BAR0 + 4 * bar, 4) &
		  bar_addr_mask(d, bar);

	if (bar + 1 < CFG_PCI_BARS && d->bar_high[bar + 1])
		val |= (u64)hw->read(d->bdf, PCI_BAR0 + 4 * (bar + 1), 4) << 32;
	return val;
}

u64 pci_mem_bar(const struct pci_cfg_hw *hw, u16 bdf, unsigned int bar,
		u64 *size)
{
	/* Big for a stack: one caller at a time (enable, under its lock). */
	static struct pci_device d;

	if (size)
		*size = 0;
	if (bar >= CFG_PCI_BARS)
		return 0;
	d = (struct pci_device){ .bdf = bdf };
	bars_read(hw, &d);
	if (d.bar_high[bar] || (d.bar_flags[bar] & PCI_BAR_IO))
		return 0;
	if (size)
		*size = pci_bar_hw_size(hw, &d, bar);
	return pci_bar_hw_addr(hw, &d, bar);
}

static void bar_put(const struct pci_cfg_hw *hw, const struct pci_device *d,
		    unsigned int bar, u64 val)
{
	hw->write(d->bdf, PCI_BAR0 + 4 * bar, 4, (u32)val);
	if (bar + 1 < CFG_PCI_BARS && d->bar_high[bar + 1])
		hw->write(d->bdf, PCI_BAR0 + 4 * (bar + 1), 4, val >> 32);
}

/*
 * The size the device decodes at @bar: all ones written with decode
 * off (nothing answers at a half-written address meanwhile), then the
 * BAR and the command register as they were.  0: not implemented.
 */
u64 pci_bar_hw_size(const struct pci_cfg_hw *hw, const struct pci_device *d,
		    unsigned int bar)
{
	u16 cmd = hw->read(d->bdf, PCI_COMMAND, 2);
	bool high = bar + 1 < CFG_PCI_BARS && d->bar_high[bar + 1];
	u64 old = pci_bar_hw_addr(hw, d, bar) | d->bar_flags[bar], ones;
	u32 lo;

	hw->write(d->bdf, PCI_COMMAND, 2,
		  cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	bar_put(hw, d, bar, ~0ULL);
	lo = hw->read(d->bdf, PCI_BAR0 + 4 * bar, 4) & bar_addr_mask(d, bar);
	ones = high ? (u64)hw->read(d->bdf, PCI_BAR0 + 4 * (bar + 1), 4) << 32 :
		      0xffffffff00000000ULL;
	bar_put(hw, d, bar, old);
	hw->write(d->bdf, PCI_COMMAND, 2, cmd);
	/* An I/O BAR may decode 16 bits only: its upper half reads 0. */
	if ((d->bar_flags[bar] & PCI_BAR_IO) && lo && !(lo >> 16))
		lo |= 0xffff0000;
	ones |= lo;
	return lo ? ~ones + 1 : 0;
}
