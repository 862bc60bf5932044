// SPDX-License-Identifier: GPL-2.0
/*
 * The MSI-X table model: a function's table as its owner (a cell or the
 * root) sees it, served from the owner's copy, and the device's entries
 * made to follow it through remapping entries of the owner's.  The
 * device never holds a message the owner wrote: an entry is masked in
 * the device, or holds the remappable message of an entry that passed
 * the owner's check.  See Documentation/pci.md, "MSI-X".
 */
#include <string.h>
#include <hv/pci.h>
#include <hv/pci_msix.h>

#define ENTRY_ADDR		0
#define ENTRY_ADDR_HI		4
#define ENTRY_DATA		8
#define ENTRY_CTRL		12

/*
 * Taken and given back under the caller's management lock (cell
 * create/destroy, enable/disable), never from an access.
 */
static struct pci_msix pool[PCI_MSIX_FUNCS];
static bool pool_used[PCI_MSIX_FUNCS];

struct pci_msix *pci_msix_get(void)
{
	unsigned int i;

	for (i = 0; i < PCI_MSIX_FUNCS; i++) {
		if (pool_used[i])
			continue;
		pool_used[i] = true;
		memset(&pool[i], 0, sizeof(pool[i]));
		return &pool[i];
	}
	return NULL;
}

void pci_msix_put(struct pci_msix *x)
{
	if (x)
		pool_used[x - pool] = false;
}

/* ---- where the table is ---- */

void pci_msix_init(struct pci_msix *x, const struct pci_cfg_hw *hw, u16 bdf,
		   u16 cap)
{
	u32 table = hw->read(bdf, cap + PCI_MSIX_TABLE, 4);
	u32 pba = hw->read(bdf, cap + PCI_MSIX_PBA, 4);
	unsigned int i;

	memset(x, 0, sizeof(*x));
	x->bdf = bdf;
	x->cap = cap;
	x->n = (hw->read(bdf, cap + PCI_MSIX_CTRL, 2) & PCI_MSIX_CTRL_SIZE) + 1;
	x->bir = table & PCI_MSIX_BIR;
	x->table_off = table & ~PCI_MSIX_BIR;
	x->pba_bir = pba & PCI_MSIX_BIR;
	x->pba_off = pba & ~PCI_MSIX_BIR;
	for (i = 0; i < PCI_MSIX_MAX; i++)
		x->irq[i] = -1;
	if (x->n > PCI_MSIX_MAX)
		x->refusal = "an MSI-X table of more than 64 entries, more "
			     "than the hypervisor serves: use MSI";
	else if (x->bir > 5)
		x->refusal = "an MSI-X table in a BAR that does not exist";
}

int pci_msix_place(struct pci_msix *x, u64 base, u64 size, u64 pba_base)
{
	u64 len = (u64)x->n * PCI_MSIX_ENTRY_SIZE;

	if (x->refusal)
		return -EINVAL;
	if (!size)
		x->refusal = "the MSI-X table is in a BAR that is not one of "
			     "the owner's memory BARs: list that BAR";
	else if (x->table_off >= size || len > size - x->table_off)
		x->refusal = "the MSI-X table reaches beyond its BAR";
	if (x->refusal)
		return -EINVAL;
	x->table = base + x->table_off;
	x->trap = x->table & ~(PAGE_SIZE - 1);
	x->trap_len = PAGE_ALIGN(x->table + len) - x->trap;
	x->pba_len = (x->n + 63) / 64 * 8;
	x->pba = pba_base ? pba_base + x->pba_off : 0;
	return 0;
}

bool pci_msix_traps(const struct pci_msix *x, u64 pa)
{
	return x->trap_len && pa >= x->trap && pa - x->trap < x->trap_len;
}

/* ---- the device's entries ---- */

static void *hw_entry(const struct pci_msix *x, unsigned int i, u16 reg)
{
	return x->regs + (x->table - x->trap) + i * PCI_MSIX_ENTRY_SIZE + reg;
}

static u32 hw_read(const struct pci_msix *x, const struct pci_msix_mmio *mm,
		   unsigned int i, u16 reg)
{
	return mm->read(hw_entry(x, i, reg), 4);
}

static void hw_write(const struct pci_msix *x, const struct pci_msix_mmio *mm,
		     unsigned int i, u16 reg, u32 val)
{
	mm->write(hw_entry(x, i, reg), 4, val);
}

static void hw_mask(const struct pci_msix *x, const struct pci_msix_mmio *mm,
		    unsigned int i)
{
	u32 ctrl = hw_read(x, mm, i, ENTRY_CTRL);

	if (!(ctrl & PCI_MSIX_VEC_MASKED))
		hw_write(x, mm, i, ENTRY_CTRL, ctrl | PCI_MSIX_VEC_MASKED);
}

/*
 * The device's entry @i holds @addr/@data and is unmasked: masked first,
 * then the message, unmasked last, so that the device never sends half
 * an old and half a new message.  Nothing written if it holds them.
 */
static void hw_program(const struct pci_msix *x,
		       const struct pci_msix_mmio *mm, unsigned int i,
		       u32 addr, u32 data)
{
	u32 ctrl = hw_read(x, mm, i, ENTRY_CTRL);

	if (!(ctrl & PCI_MSIX_VEC_MASKED) &&
	    hw_read(x, mm, i, ENTRY_ADDR) == addr &&
	    !hw_read(x, mm, i, ENTRY_ADDR_HI) &&
	    hw_read(x, mm, i, ENTRY_DATA) == data)
		return;
	hw_write(x, mm, i, ENTRY_CTRL, ctrl | PCI_MSIX_VEC_MASKED);
	hw_write(x, mm, i, ENTRY_ADDR, addr);
	hw_write(x, mm, i, ENTRY_ADDR_HI, 0);
	hw_write(x, mm, i, ENTRY_DATA, data);
	hw_write(x, mm, i, ENTRY_CTRL, ctrl & ~PCI_MSIX_VEC_MASKED);
}

void pci_msix_take(struct pci_msix *x, const struct pci_msix_mmio *mm,
		   bool keep)
{
	struct pci_msix_entry *v;
	unsigned int i;

	for (i = 0; i < x->n; i++) {
		v = &x->virt[i];
		if (keep)
			*v = (struct pci_msix_entry){
				hw_read(x, mm, i, ENTRY_ADDR),
				hw_read(x, mm, i, ENTRY_ADDR_HI),
				hw_read(x, mm, i, ENTRY_DATA),
				hw_read(x, mm, i, ENTRY_CTRL),
			};
		else
			*v = (struct pci_msix_entry){
				.ctrl = PCI_MSIX_VEC_MASKED,
			};
		hw_mask(x, mm, i);
	}
}

/* The owner's unmasked entry @i through its remapping entry: 0 or -errno. */
static int entry_remap(struct pci_msix *x, const struct pci_msix_mmio *mm,
		       unsigned int i, pci_msix_check_fn *check,
		       const void *ctx, const char **why)
{
	const struct pci_remap *r = pci_get_remap();
	const struct pci_msix_entry *v = &x->virt[i];
	struct iommu_irq t;
	u32 addr, data;

	if (!r) {
		*why = "MSI-X needs interrupt remapping, which is off";
		return -EPERM;
	}
	*why = check(ctx, v->addr, v->addr_hi, v->data);
	if (*why)
		return -EPERM;
	if (pci_msi_resolve(r, v->addr, v->data, x->bdf, &t, why))
		return -EPERM;
	if (x->irq[i] < 0)
		x->irq[i] = r->alloc();
	if (x->irq[i] < 0) {
		*why = "no free interrupt remapping entry";
		return -ENOSPC;
	}
	if (r->set(x->irq[i], &t)) {
		*why = "the interrupt remapping entry could not be written";
		return -EIO;
	}
	r->msi(x->irq[i], &addr, &data);
	hw_program(x, mm, i, addr, data);
	return 0;
}

void pci_msix_sync(struct pci_msix *x, const struct pci_msix_mmio *mm,
		   unsigned int i, pci_msix_check_fn *check, const void *ctx,
		   struct pci_msix_event *ev)
{
	*ev = (struct pci_msix_event){ .entry = i, .irq = -1 };
	if (x->virt[i].ctrl & PCI_MSIX_VEC_MASKED) {
		hw_mask(x, mm, i);
		return;
	}
	/*
	 * Until the new message passed, the device may keep the old one: it
	 * passed too.  A refused one must not leave any: masked.
	 */
	ev->err = entry_remap(x, mm, i, check, ctx, &ev->why);
	if (ev->err)
		hw_mask(x, mm, i);
	ev->unmasked = !ev->err;
	ev->irq = x->irq[i];
}

/* ---- the owner's accesses ---- */

static bool in_range(u64 pa, u64 base, u64 len)
{
	return base && pa >= base && pa - base < len;
}

/* The owner's bytes of entry @i from byte @off: read, or merged in. */
static void table_bytes(struct pci_msix *x, unsigned int i, unsigned int off,
			unsigned int size, bool write, u64 *val)
{
	u8 *p = (u8 *)&x->virt[i] + off;
	u64 v = 0;

	if (write) {
		v = *val;
		memcpy(p, &v, size);
		/* Vector control: only the mask bit is the owner's. */
		x->virt[i].ctrl &= PCI_MSIX_VEC_MASKED;
		return;
	}
	memcpy(&v, p, size);
	*val = v;
}

int pci_msix_access(struct pci_msix *x, const struct pci_msix_mmio *mm,
		    u64 pa, unsigned int size, bool write, u64 *val,
		    pci_msix_check_fn *check, const void *ctx,
		    struct pci_msix_event *ev)
{
	u64 len = (u64)x->n * PCI_MSIX_ENTRY_SIZE, off;
	unsigned int i;

	ev->entry = -1;
	if ((size != 1 && size != 2 && size != 4 && size != 8) ||
	    (pa & (size - 1)) || !pci_msix_traps(x, pa) ||
	    !pci_msix_traps(x, pa + size - 1))
		return -EINVAL;
	if (in_range(pa, x->table, len)) {
		off = pa - x->table;
		i = off / PCI_MSIX_ENTRY_SIZE;
		table_bytes(x, i, off % PCI_MSIX_ENTRY_SIZE, size, write, val);
		if (write)
			pci_msix_sync(x, mm, i, check, ctx, ev);
		return 0;
	}
	if (write && in_range(pa, x->pba, x->pba_len))
		return 0;
	if (write)
		mm->write(x->regs + (pa - x->trap), size, *val);
	else
		*val = mm->read(x->regs + (pa - x->trap), size) &
		       pci_all_ones(size);
	return 0;
}

/* ---- the function changes hands ---- */

static void irqs_free(struct pci_msix *x)
{
	const struct pci_remap *r = pci_get_remap();
	unsigned int i;

	for (i = 0; i < PCI_MSIX_MAX; i++) {
		if (x->irq[i] >= 0 && r)
			r->free(x->irq[i]);
		x->irq[i] = -1;
	}
}

void pci_msix_release(struct pci_msix *x, const struct pci_msix_mmio *mm)
{
	unsigned int i;

	if (!x->regs)
		return;
	for (i = 0; i < x->n; i++)
		hw_mask(x, mm, i);
	irqs_free(x);
}

void pci_msix_restore(struct pci_msix *x, const struct pci_msix_mmio *mm)
{
	const struct pci_msix_entry *v;
	unsigned int i;

	if (!x->regs)
		return;
	for (i = 0; i < x->n; i++) {
		v = &x->virt[i];
		hw_mask(x, mm, i);
		hw_write(x, mm, i, ENTRY_ADDR, v->addr);
		hw_write(x, mm, i, ENTRY_ADDR_HI, v->addr_hi);
		hw_write(x, mm, i, ENTRY_DATA, v->data);
		if (!(v->ctrl & PCI_MSIX_VEC_MASKED))
			hw_write(x, mm, i, ENTRY_CTRL,
				 hw_read(x, mm, i, ENTRY_CTRL) &
				 ~PCI_MSIX_VEC_MASKED);
	}
	irqs_free(x);
}
