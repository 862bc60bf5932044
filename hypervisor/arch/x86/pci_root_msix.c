// SPDX-License-Identifier: GPL-2.0
/*
 * The root's MSI-X while interrupts are remapped: each root function
 * with MSI-X gets a table model (pci_msix.c) at enable, its table
 * page(s) out of the root's NPT and into its device table, Linux's live
 * entries taken over (remapped through root entries), and Linux's values
 * written back at disable.  See Documentation/pci.md, "MSI-X".
 */
#include <hv/cell.h>
#include <hv/devmodel.h>
#include <hv/paging.h>
#include <hv/pci.h>
#include <hv/pci_msix.h>
#include <hv/printk.h>
#include <asm/cell_x86.h>

struct root_msix {
	struct pci_msix *x;	/* NULL: slot free */
	bool trapped;		/* out of the root's NPT, in its table */
	bool cell;		/* a cell has the function */
};
static struct root_msix root_tbls[PCI_MSIX_FUNCS];
static spinlock_t root_msix_lock;

static struct root_msix *root_msix_of(u16 bdf)
{
	unsigned int i;

	for (i = 0; i < PCI_MSIX_FUNCS; i++)
		if (root_tbls[i].x && root_tbls[i].x->bdf == bdf)
			return &root_tbls[i];
	return NULL;
}

void pci_root_msix_reset(void)
{
	unsigned int i;

	for (i = 0; i < PCI_MSIX_FUNCS; i++) {
		pci_msix_put(root_tbls[i].x);
		root_tbls[i] = (struct root_msix){ 0 };
	}
}

/*
 * Where the device decodes the table's (and the PBA's) BAR.  Not sized:
 * Linux's drivers run meanwhile, and decode off under them would drop
 * their accesses; the root's own device is trusted to hold its table
 * inside its BAR (the bound is the table's end).
 */
static void root_msix_place(struct pci_msix *x)
{
	u64 base = pci_mem_bar(&pci_mach, x->bdf, x->bir, NULL);
	u64 pba = pci_mem_bar(&pci_mach, x->bdf, x->pba_bir, NULL);
	u64 len = x->table_off + (u64)x->n * PCI_MSIX_ENTRY_SIZE;

	if (!pci_msix_place(x, base, base ? len : 0, pba))
		pci_msix_hw_map(x);
}

const char *pci_root_msix_prepare(u16 bdf, u16 cap)
{
	struct root_msix *r = NULL;
	unsigned int i;

	for (i = 0; !r && i < PCI_MSIX_FUNCS; i++)
		if (!root_tbls[i].x)
			r = &root_tbls[i];
	if (!r || !(r->x = pci_msix_get()))
		return "more functions with MSI-X than the hypervisor serves "
		       "at once (16)";
	pci_msix_init(r->x, &pci_mach, bdf, cap);
	if (!r->x->refusal)
		root_msix_place(r->x);
	return r->x->refusal;
}

/* ---- the root's accesses to its table pages ---- */

static void root_msix_say(const struct pci_msix *x,
			  const struct pci_msix_event *ev)
{
	u16 bdf = x->bdf;

	if (ev->entry < 0 || (!ev->err && !ev->unmasked))
		return;
	if (ev->err) {
		pr_err("root cell: PCI %02x:%02x.%x: MSI-X entry %d left "
		       "masked: %s\n", PCI_BDF_BUS(bdf), PCI_BDF_DEV(bdf),
		       PCI_BDF_FN(bdf), ev->entry, ev->why);
		return;
	}
	pr_info("root cell: PCI %02x:%02x.%x: MSI-X entry %d remapped through "
		"entry %d (device holds address 0x%x)\n", PCI_BDF_BUS(bdf),
		PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf), ev->entry, ev->irq,
		*(volatile u32 *)(x->regs + (x->table - x->trap) +
				  ev->entry * PCI_MSIX_ENTRY_SIZE));
}

static enum dev_result root_msix_access(const struct dev_call *call,
					struct dev_access *a)
{
	struct root_msix *r = call->priv;
	struct pci_msix_event ev;
	u16 cmd;
	int err;

	if (READ_ONCE(r->cell))
		return pci_hidden_access(call, a);
	spin_lock(&root_msix_lock);
	cmd = pci_msix_hw_decode_on(r->x->bdf);
	err = pci_msix_access(r->x, &pci_msix_hw, a->addr, a->size,
			      a->write, &a->val, pci_root_msix_check, NULL,
			      &ev);
	pci_msix_hw_decode_back(r->x->bdf, cmd);
	spin_unlock(&root_msix_lock);
	if (err)
		return DEV_REFUSED;
	root_msix_say(r->x, &ev);
	return DEV_DONE;
}

static const struct dev_model root_msix_model = {
	.name = "pci-root-msix",
	.access = root_msix_access,
};

/* ---- enable, disable ---- */

/* Out of the root's NPT and into its device table (not in use yet). */
static int root_msix_trap(struct root_msix *r)
{
	struct pci_msix *x = r->x;

	if (cell_root_claim(DEV_SPACE_MMIO, x->trap, x->trap_len,
			    &root_msix_model, r) ||
	    paging_unmap(&cell_x86(&root_cell)->pg, x->trap, x->trap_len)) {
		cell_root_release(&root_msix_model, r);
		return -ENOSPC;
	}
	r->trapped = true;
	return 0;
}

/* Linux's entries as they are, the live ones remapped, said. */
static void root_msix_take(struct root_msix *r)
{
	struct pci_msix *x = r->x;
	struct pci_msix_event ev;
	unsigned int i, live = 0;
	u16 cmd = pci_msix_hw_decode_on(x->bdf);

	pci_msix_take(x, &pci_msix_hw, true);
	for (i = 0; i < x->n; i++) {
		pci_msix_sync(x, &pci_msix_hw, i, pci_root_msix_check, NULL,
			      &ev);
		root_msix_say(x, &ev);
		live += ev.unmasked;
	}
	pci_msix_hw_decode_back(x->bdf, cmd);
	pr_info("root cell: PCI %02x:%02x.%x: MSI-X table trapped, %u of %u "
		"entries live and remapped\n", PCI_BDF_BUS(x->bdf),
		PCI_BDF_DEV(x->bdf), PCI_BDF_FN(x->bdf), live, x->n);
}

int pci_root_msix_on(const char **why)
{
	struct root_msix *r;
	unsigned int i;

	for (i = 0; i < PCI_MSIX_FUNCS; i++) {
		r = &root_tbls[i];
		if (!r->x || r->x->refusal)
			continue;
		if (root_msix_trap(r)) {
			*why = "an MSI-X table could not be trapped (root "
			       "device table full)";
			return -ENOSPC;
		}
		root_msix_take(r);
	}
	return 0;
}

void pci_root_msix_off(void)
{
	struct root_msix *r;
	unsigned int i;
	u16 cmd;

	for (i = 0; i < PCI_MSIX_FUNCS; i++) {
		r = &root_tbls[i];
		if (!r->x || r->x->refusal || !r->trapped || r->cell)
			continue;
		cmd = pci_msix_hw_decode_on(r->x->bdf);
		pci_msix_restore(r->x, &pci_msix_hw);
		pci_msix_hw_decode_back(r->x->bdf, cmd);
	}
}

const char *pci_root_msix_refusal(u16 bdf)
{
	const struct root_msix *r = root_msix_of(bdf);

	if (!r)
		return "the hypervisor found no MSI-X table for it at enable";
	if (r->x->refusal)
		return r->x->refusal;
	return r->trapped ? NULL : "its MSI-X table is not trapped";
}

/* ---- a cell takes the function, and gives it back ---- */

void pci_root_msix_give(u16 bdf)
{
	struct root_msix *r = root_msix_of(bdf);
	u16 cmd;

	if (!r || !r->trapped)
		return;
	spin_lock(&root_msix_lock);
	WRITE_ONCE(r->cell, true);
	cmd = pci_msix_hw_decode_on(bdf);
	pci_msix_release(r->x, &pci_msix_hw);
	pci_msix_hw_decode_back(bdf, cmd);
	spin_unlock(&root_msix_lock);
}

/* Back, every entry masked: the root starts from a table after reset. */
void pci_root_msix_back(u16 bdf)
{
	struct root_msix *r = root_msix_of(bdf);
	u16 cmd;

	if (!r || !r->trapped)
		return;
	spin_lock(&root_msix_lock);
	cmd = pci_msix_hw_decode_on(bdf);
	pci_msix_take(r->x, &pci_msix_hw, false);
	pci_msix_hw_decode_back(bdf, cmd);
	WRITE_ONCE(r->cell, false);
	spin_unlock(&root_msix_lock);
}

u64 pci_root_msix_trap(u16 bdf, u64 *len)
{
	const struct root_msix *r = root_msix_of(bdf);

	*len = r && r->trapped ? r->x->trap_len : 0;
	return *len ? r->x->trap : 0;
}
