// SPDX-License-Identifier: GPL-2.0
/*
 * PCI devices of cells: the checks at create, the hand-over from the
 * root (config space hidden, BAR and ECAM pages trapped), the cell's
 * config accesses through pci.c's rules, and the way back.  See
 * Documentation/pci.md.
 */
#include <string.h>
#include <hv/cell.h>
#include <hv/iommu.h>
#include <hv/pci.h>
#include <hv/pci_bridge.h>
#include <hv/pci_msix.h>
#include <hv/printk.h>
#include <hv/sysconfig.h>

struct pci_cell {
	struct cell *cell;	/* NULL: slot free */
	unsigned int n;
	u32 moved;		/* BIT(i): dev[i] is the cell's, hidden */
	spinlock_t lock;	/* a device's accesses, one CPU at a time */
	struct pci_device dev[CFG_MAX_PCI_DEVICES];
};

static struct pci_cell pci_cells[CELL_MAX];
/* A scratch device for the checks: used under the caller's cell_lock. */
static struct pci_device check_dev;

static struct pci_cell *slot_of(const struct cell *c)
{
	unsigned int i;

	for (i = 0; c && i < CELL_MAX; i++)
		if (READ_ONCE(pci_cells[i].cell) == c)
			return &pci_cells[i];
	return NULL;
}

bool pci_owned(u16 bdf)
{
	const struct pci_cell *s;
	unsigned int i, j;

	for (i = 0; i < CELL_MAX; i++) {
		s = &pci_cells[i];
		for (j = 0; READ_ONCE(s->cell) && j < s->n; j++)
			if ((READ_ONCE(s->moved) & BIT(j)) &&
			    s->dev[j].bdf == bdf)
				return true;
	}
	return false;
}

/* ---- checks ---- */

static bool cfg_has_ports(const struct cfg_cell *cfg, u64 base, u64 len)
{
	const struct cfg_pio_range *p;
	unsigned int i;

	for (i = 0; i < cfg->n_pio; i++) {
		p = &cfg->pio[i];
		if (base >= p->base && base + len <= (u64)p->base + p->length)
			return true;
	}
	return false;
}

bool pci_cfg_owns_cf8(const struct cfg_cell *cfg)
{
	const struct cfg_pio_range *p;
	unsigned int i;

	for (i = 0; i < cfg->n_pio; i++) {
		p = &cfg->pio[i];
		if (PCI_CF8_PORT < p->base + p->length &&
		    p->base < PCI_CF8_PORT + PCI_CF8_PORTS)
			return true;
	}
	return false;
}

static bool cfg_mem_overlaps(const struct cfg_cell *cfg, u64 base, u64 size)
{
	const struct cfg_mem_region *r;
	unsigned int i;

	for (i = 0; i < cfg->n_mem; i++) {
		r = &cfg->mem[i];
		if (base < r->phys + r->size && r->phys < base + size)
			return true;
	}
	return false;
}

static const char *mem_bar_refusal(const struct cfg_cell *cfg, u64 base,
				   u64 size)
{
	if ((base | size) & (PAGE_SIZE - 1))
		return "a memory BAR smaller than a page or not page-aligned: "
		       "the cell would reach the registers next to it";
	if (cell_range_protected(base, size))
		return "a BAR over hypervisor memory or another cell's memory";
	if (cfg_mem_overlaps(cfg, base, size))
		return "a BAR over a memory region of the cell itself";
	return NULL;
}

/* A listed BAR against what the device has (not its size: see create). */
static const char *bar_refusal(const struct cfg_cell *cfg,
			       const struct cfg_pci_device *p,
			       const struct pci_device *d, unsigned int bar)
{
	u64 base = p->bar_base[bar], size = p->bar_size[bar];

	if (d->bar_high[bar])
		return "a BAR listed where the device has the upper half of "
		       "a 64-bit BAR";
	if (!size || (size & (size - 1)) || base + size < base)
		return "a BAR size that is not a power of two";
	if (pci_bar_hw_addr(&pci_mach, d, bar) != base)
		return "a BAR address that is not where the device decodes "
		       "it (run cellctl config check -p again)";
	if (!(d->bar_flags[bar] & PCI_BAR_IO))
		return mem_bar_refusal(cfg, base, size);
	if (!cfg_has_ports(cfg, base, size))
		return "an I/O BAR outside the cell's pio ranges: give the "
		       "cell its ports";
	return NULL;
}

static void say_refused(const struct cfg_cell *cfg, u32 bdf, const char *why)
{
	pr_err("cell '%s': PCI device %02x:%02x.%x refused: %s\n", cfg->name,
	       PCI_BDF_BUS(bdf), PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf), why);
}

/*
 * A BAR the config leaves out still decodes at its address, which stays
 * the root's: the root would reach the cell's device there.
 */
static const char *unlisted_bar_refusal(const struct pci_device *d)
{
	static char buf[160];
	int bar = pci_unlisted_bar(&pci_mach, d);

	if (bar < 0)
		return NULL;
	snprintf(buf, sizeof(buf), "BAR %d holds address 0x%llx but is not "
		 "in the cell config: list it under bars (cellctl config "
		 "check -p)", bar,
		 (unsigned long long)pci_bar_hw_addr(&pci_mach, d, bar));
	return buf;
}

static int device_check(const struct cfg_cell *cfg,
			const struct cfg_pci_device *p, const char **why)
{
	unsigned int bar;
	int err;

	if (pci_owned(p->bdf)) {
		*why = "the PCI device belongs to another cell";
		return -EBUSY;
	}
	err = pci_device_init(&pci_mach, &check_dev, p, why);
	for (bar = 0; !err && bar < CFG_PCI_BARS; bar++) {
		if (!(p->has_bars & BIT(bar)))
			continue;
		*why = bar_refusal(cfg, p, &check_dev, bar);
		if (*why)
			err = -EINVAL;
	}
	if (!err) {
		*why = unlisted_bar_refusal(&check_dev);
		if (*why)
			err = -EINVAL;
	}
	if (err)
		say_refused(cfg, p->bdf, *why);
	return err;
}

int pci_cell_check(const struct cfg_system *sys, const struct cfg_cell *cfg,
		   const char **why)
{
	unsigned int i;
	int err = 0;

	if (!cfg->n_pci)
		return 0;
	if (!iommu_isolates_dma() &&
	    sys->dma_isolation != CFG_DMA_ISOL_NONE) {
		*why = "PCI devices need DMA isolation, which no IOMMU gives "
		       "yet: accept the risk with 'dma-isolation: none' in "
		       "the system config, or remove pci-devices";
		return -EPERM;
	}
	/* DMA to 0xfee00000 is an interrupt: only remapping keeps it in. */
	if (iommu_isolates_dma() && !iommu_remaps_irqs() &&
	    sys->dma_isolation != CFG_DMA_ISOL_NONE) {
		*why = "PCI devices need interrupt remapping, which is off "
		       "(enable said why): a device could interrupt any CPU "
		       "by DMA; accept the risk with 'dma-isolation: none' "
		       "in the system config, or remove pci-devices";
		return -EPERM;
	}
	if (pci_cfg_owns_cf8(cfg)) {
		*why = "a cell with PCI devices may not own ports "
		       "0xcf8-0xcff: its config space is moderated there";
		return -EINVAL;
	}
	pci_mach_setup(sys->has_mmconfig, sys->mmconfig, sys->bus_start,
		       sys->bus_end);
	for (i = 0; !err && i < cfg->n_pci; i++)
		err = device_check(cfg, &cfg->pci[i], why);
	return err;
}

/* ---- hand-over ---- */

/* The root's access to a page it lost: reads all ones, writes dropped. */
enum dev_result pci_hidden_access(const struct dev_call *call,
				  struct dev_access *a)
{
	static bool said;

	if (!said) {
		said = true;
		pr_err("root cell accessed a cell's PCI device at 0x%lx (RIP "
		       "0x%lx): ignored\n", a->addr, call->rip);
	}
	if (!a->write)
		a->val = pci_all_ones(a->size);
	return DEV_DONE;
}

static const struct dev_model pci_hidden_model = {
	.name = "pci-hidden",
	.access = pci_hidden_access,
};

static int root_claim(void *arg, u64 base, u64 size)
{
	return cell_root_claim(DEV_SPACE_MMIO, base, size, &pci_hidden_model,
			       arg);
}

/* Sized with decode off: only now, with the device the cell's. */
static int bar_sizes_check(const struct pci_device *d, const char **why)
{
	unsigned int bar;

	for (bar = 0; bar < CFG_PCI_BARS; bar++) {
		if (!(d->cfg->has_bars & BIT(bar)) ||
		    pci_bar_hw_size(&pci_mach, d, bar) == d->cfg->bar_size[bar])
			continue;
		*why = "a BAR size that is not what the device decodes (run "
		       "cellctl config check -p again)";
		return -EINVAL;
	}
	return 0;
}

/* ---- MSI-X: the table pages trapped in the cell (pci_msix.c) ---- */

static struct pci_cell *slot_of_dev(const struct pci_device *d)
{
	unsigned int i;

	for (i = 0; i < CELL_MAX; i++)
		if (d >= pci_cells[i].dev &&
		    d < pci_cells[i].dev + CFG_MAX_PCI_DEVICES)
			return &pci_cells[i];
	return NULL;
}

static void msix_say(const struct cell *c, const struct pci_msix *x,
		     const struct pci_msix_event *ev)
{
	u16 bdf = x->bdf;

	if (ev->entry < 0 || (!ev->err && !ev->unmasked))
		return;
	if (ev->err) {
		pr_err("cell '%s': PCI %02x:%02x.%x: MSI-X entry %d left "
		       "masked: %s\n", c->cfg.name, PCI_BDF_BUS(bdf),
		       PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf), ev->entry, ev->why);
		return;
	}
	pr_info("cell '%s': PCI %02x:%02x.%x: MSI-X entry %d remapped "
		"through entry %d (device holds address 0x%x)\n",
		c->cfg.name, PCI_BDF_BUS(bdf), PCI_BDF_DEV(bdf),
		PCI_BDF_FN(bdf), ev->entry, ev->irq,
		*(volatile u32 *)(x->regs + (x->table - x->trap) +
				  ev->entry * PCI_MSIX_ENTRY_SIZE));
}

/* The cell's access to its device's MSI-X table page. */
static enum dev_result msix_access(const struct dev_call *call,
				   struct dev_access *a)
{
	struct pci_device *d = call->priv;
	struct pci_cell *s = slot_of_dev(d);
	struct pci_msix_event ev;
	u16 cmd;
	int err;

	spin_lock(&s->lock);
	cmd = pci_msix_hw_decode_on(d->bdf);
	err = pci_msix_access(d->msix, &pci_msix_hw, a->addr, a->size,
			      a->write, &a->val, pci_device_msix_check, d,
			      &ev);
	pci_msix_hw_decode_back(d->bdf, cmd);
	spin_unlock(&s->lock);
	if (err)
		return DEV_REFUSED;
	msix_say(call->cell, d->msix, &ev);
	return DEV_DONE;
}

static const struct dev_model pci_msix_model = {
	.name = "pci-msix",
	.access = msix_access,
};

/* The memory BAR @bar of @d the cell has: its size, 0 if none. */
static u64 cell_mem_bar(const struct pci_device *d, unsigned int bar)
{
	if (bar >= CFG_PCI_BARS || !(d->cfg->has_bars & BIT(bar)) ||
	    (d->bar_flags[bar] & PCI_BAR_IO) || d->bar_high[bar])
		return 0;
	return d->cfg->bar_size[bar];
}

/*
 * With remapping, a device with MSI-X gets a table model: served, or
 * with the reason it cannot be (then MSI-X enable stays refused).
 */
static int msix_setup(struct cell *c, struct pci_device *d, const char **why)
{
	u16 cap = pci_cap_find(&pci_mach, d->bdf, PCI_CAP_ID_MSIX);
	struct pci_msix *x;
	u64 pba;

	if (!cap || !pci_get_remap())
		return 0;
	x = pci_msix_get();
	if (!x) {
		*why = "more functions with MSI-X than the hypervisor serves "
		       "at once (16)";
		return -ENOSPC;
	}
	d->msix = x;
	pci_msix_init(x, &pci_mach, d->bdf, cap);
	pba = cell_mem_bar(d, x->pba_bir) ? d->cfg->bar_base[x->pba_bir] : 0;
	if (!x->refusal &&
	    !pci_msix_place(x, d->cfg->bar_base[x->bir & 7],
			    cell_mem_bar(d, x->bir), pba))
		pci_msix_hw_map(x);
	if (x->refusal) {
		pr_warn("cell '%s': PCI %02x:%02x.%x: MSI-X stays off: %s\n",
			c->cfg.name, PCI_BDF_BUS(d->bdf), PCI_BDF_DEV(d->bdf),
			PCI_BDF_FN(d->bdf), x->refusal);
		return 0;
	}
	if (dev_claim(c, DEV_SPACE_MMIO, x->trap, x->trap_len,
		      &pci_msix_model, d)) {
		*why = "the MSI-X table page could not be trapped (the cell's "
		       "device table is full)";
		return -ENOSPC;
	}
	return 0;
}

/* Every entry masked in the device, before the cell can enable MSI-X. */
static void msix_take(struct pci_device *d)
{
	u16 cmd;

	if (!d->msix || d->msix->refusal)
		return;
	cmd = pci_msix_hw_decode_on(d->bdf);
	pci_msix_take(d->msix, &pci_msix_hw, false);
	pci_msix_hw_decode_back(d->bdf, cmd);
}

/*
 * Masked in the device, entries freed, the table back in the pool, its
 * trap out of @c's table.
 */
static void msix_release(struct cell *c, struct pci_device *d)
{
	u16 cmd;

	dev_release(c, &pci_msix_model, d);
	if (!d->msix)
		return;
	if (!d->msix->refusal) {
		cmd = pci_msix_hw_decode_on(d->bdf);
		pci_msix_release(d->msix, &pci_msix_hw);
		pci_msix_hw_decode_back(d->bdf, cmd);
	}
	pci_msix_put(d->msix);
	d->msix = NULL;
}

static void msi_dests_set(const struct cell *c, struct pci_device *d)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CELLVISOR_MAX_CPUS; cpu++)
		if (cfg_cpu_test(&c->cfg, cpu))
			pci_device_msi_dest(d, cell_cpus[cpu].apic_id);
}

static int dev_ranges(const struct pci_device *d, bool ecam,
		      int (*fn)(void *arg, u64 base, u64 size), void *arg);

/* @d hidden from the root's config accesses (or shown again). */
static void dev_hide(struct pci_cell *s, const struct pci_device *d,
		     bool hide)
{
	u32 bit = BIT(d - s->dev);

	WRITE_ONCE(s->moved, hide ? s->moved | bit : s->moved & ~bit);
}

/* Quiesced, the root's traps gone, every entry of the cell's freed. */
static void device_to_root(struct pci_cell *s, struct pci_device *d,
			   struct cell *c)
{
	spin_lock(&s->lock);
	pci_device_quiesce(&pci_mach, d);
	spin_unlock(&s->lock);
	cell_root_release(&pci_hidden_model, d);
	/* The cell's remapping entries go before the root has the device. */
	pci_msi_release(&pci_mach, &d->msi);
	msix_release(c, d);
	pci_root_msi_back(d->bdf);
	dev_hide(s, d, false);
	/* The device is quiet: the root may reprogram its path again. */
	pci_bridge_release(&pci_mach, d->bdf);
}

/* The bridges above @d held for @c while it has @d (pci_bridge.c). */
static int device_bridges_hold(struct cell *c, struct pci_device *d,
			       const char **why)
{
	bool isolate = sys_config->dma_isolation != CFG_DMA_ISOL_NONE;
	int err = pci_bridge_hold(&pci_mach, d->bdf, sys_config->bus_start,
				  isolate, c->cfg.name, why);

	if (err)
		say_refused(&c->cfg, d->bdf, *why);
	return err;
}

static int device_to_cell(struct pci_cell *s, struct pci_device *d,
			  struct cell *c, const char **why)
{
	int err = device_bridges_hold(c, d, why);

	if (err)
		return err;
	err = msix_setup(c, d, why);
	if (err) {
		msix_release(c, d);
		pci_bridge_release(&pci_mach, d->bdf);
		return err;
	}
	/* From here the root's config accesses find the device absent. */
	dev_hide(s, d, true);
	pci_root_msi_give(d->bdf);
	if (pci_get_remap())
		pci_msi_forget(&d->msi);
	if (pci_device_take(&pci_mach, d))
		pr_info("cell '%s': PCI %02x:%02x.%x: expansion ROM decode "
			"turned off (a cell does not get the ROM)\n",
			c->cfg.name, PCI_BDF_BUS(d->bdf), PCI_BDF_DEV(d->bdf),
			PCI_BDF_FN(d->bdf));
	pci_reset_prepare(&pci_mach, d);
	msix_take(d);
	msi_dests_set(c, d);
	err = dev_ranges(d, true, root_claim, d);
	if (err) {
		*why = "more BARs and ECAM pages than the root's device table "
		       "holds";
		device_to_root(s, d, c);
	}
	return err;
}

int pci_device_move(struct pci_device *d, struct cell *from, struct cell *to,
		    const char **why)
{
	struct pci_cell *s = slot_of_dev(d);
	struct cell *c = cell_is_root(to) ? from : to;

	if (!s || from == to || (!cell_is_root(from) && !cell_is_root(to)) ||
	    READ_ONCE(s->cell) != c || d >= s->dev + s->n) {
		*why = "a PCI device moves between the root and the cell "
		       "whose config lists it";
		return -EINVAL;
	}
	if (!!(s->moved & BIT(d - s->dev)) != cell_is_root(to)) {
		*why = "the PCI device is not the mover's to give";
		return -EBUSY;
	}
	if (!cell_is_root(to))
		return device_to_cell(s, d, c, why);
	device_to_root(s, d, c);
	return 0;
}

struct pci_device *pci_cell_device(const struct cell *c, unsigned int i)
{
	struct pci_cell *s = slot_of(c);

	return s && i < s->n ? &s->dev[i] : NULL;
}

/*
 * Sized with decode off, so each device hidden from the root while its
 * BARs are: every size checked before the first move, a refusal changes
 * nothing.
 */
static int sizes_check(struct cell *c, struct pci_cell *s, const char **why)
{
	struct pci_device *d;
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < s->n; i++) {
		d = &s->dev[i];
		dev_hide(s, d, true);
		err = bar_sizes_check(d, why);
		dev_hide(s, d, false);
		if (err)
			say_refused(&c->cfg, d->bdf, *why);
	}
	return err;
}

static void dma_warn(const struct cell *c)
{
	const struct cfg_pci_device *p;
	unsigned int i;

	if (iommu_isolates_dma() && iommu_remaps_irqs())
		return;
	for (i = 0; i < c->cfg.n_pci; i++) {
		p = &c->cfg.pci[i];
		if (!iommu_isolates_dma())
			pr_warn("cell '%s': PCI device %02x:%02x.%x can DMA "
				"anywhere in memory: no IOMMU confines it "
				"(dma-isolation: none)\n", c->cfg.name,
				PCI_BDF_BUS(p->bdf), PCI_BDF_DEV(p->bdf),
				PCI_BDF_FN(p->bdf));
		else
			pr_warn("cell '%s': PCI device %02x:%02x.%x can "
				"interrupt any CPU by DMA: interrupt remapping "
				"is off (dma-isolation: none)\n", c->cfg.name,
				PCI_BDF_BUS(p->bdf), PCI_BDF_DEV(p->bdf),
				PCI_BDF_FN(p->bdf));
	}
}

int pci_cell_create(struct cell *c, const char **why)
{
	struct pci_cell *s = NULL;
	unsigned int i;
	int err = 0;

	if (!c->cfg.n_pci)
		return 0;
	for (i = 0; !s && i < CELL_MAX; i++)
		if (!pci_cells[i].cell)
			s = &pci_cells[i];
	if (!s) {
		*why = "no free PCI slot";
		return -ENOSPC;
	}
	memset(s, 0, sizeof(*s));
	for (i = 0; !err && i < c->cfg.n_pci; i++)
		err = pci_device_init(&pci_mach, &s->dev[i], &c->cfg.pci[i],
				      why);
	if (err)
		return err;
	s->n = c->cfg.n_pci;
	/* The slot is @c's; each device hidden from the root as it moves. */
	WRITE_ONCE(s->cell, c);
	err = sizes_check(c, s, why);
	for (i = 0; !err && i < s->n; i++)
		err = pci_device_move(&s->dev[i], &root_cell, c, why);
	if (err) {
		/* The devices moved so far go back: the root owns them all. */
		pci_cell_destroy(c);
		return err;
	}
	dma_warn(c);
	return 0;
}

void pci_cell_quiesce(struct cell *c)
{
	struct pci_cell *s = slot_of(c);
	unsigned int i;

	if (!s)
		return;
	spin_lock(&s->lock);
	for (i = 0; i < s->n; i++)
		pci_device_quiesce(&pci_mach, &s->dev[i]);
	spin_unlock(&s->lock);
}

int pci_cell_reset(struct cell *c, u64 now, const char **why)
{
	struct pci_cell *s = slot_of(c);
	int err, ret = 0;
	unsigned int i;

	if (!s)
		return 0;
	spin_lock(&s->lock);
	for (i = 0; ret != -EIO && i < s->n; i++) {
		err = pci_reset_step(&pci_mach, &s->dev[i], now, why);
		if (err == -EIO)
			pr_err("cell '%s': PCI %02x:%02x.%x: %s: start "
			       "refused\n", c->cfg.name,
			       PCI_BDF_BUS(s->dev[i].bdf),
			       PCI_BDF_DEV(s->dev[i].bdf),
			       PCI_BDF_FN(s->dev[i].bdf), *why);
		if (err)
			ret = err;
	}
	/* Done or failed: the next start resets every device again. */
	for (i = 0; ret != -EINPROGRESS && i < s->n; i++) {
		if (!ret && s->dev[i].reset.flr != PCI_FLR_NONE)
			pr_info("cell '%s': PCI %02x:%02x.%x: function level "
				"reset\n", c->cfg.name,
				PCI_BDF_BUS(s->dev[i].bdf),
				PCI_BDF_DEV(s->dev[i].bdf),
				PCI_BDF_FN(s->dev[i].bdf));
		pci_reset_rearm(&s->dev[i]);
		/* The cell starts with its MSI-X table masked, as after reset. */
		if (!ret)
			msix_take(&s->dev[i]);
	}
	spin_unlock(&s->lock);
	return ret;
}

void pci_cell_destroy(struct cell *c)
{
	struct pci_cell *s = slot_of(c);
	const char *why;
	unsigned int i;

	if (!s)
		return;
	for (i = s->n; i-- > 0;)
		if (s->moved & BIT(i))
			pci_device_move(&s->dev[i], c, &root_cell, &why);
	WRITE_ONCE(s->cell, NULL);
}

/* ---- the cell's accesses ---- */

/*
 * The write that enabled the cell's MSI under remapping: the entry and
 * what the device holds, read back (what the system tests look for).
 */
static void msi_say(const struct cell *c, const struct pci_msi *m, u16 reg)
{
	u16 bdf = m->bdf;

	if (!pci_get_remap() || !pci_msi_covers(m, reg) ||
	    reg > m->cap + 2 || m->irq < 0 ||
	    !(pci_mach.read(bdf, m->cap + 2, 2) & 1))
		return;
	pr_info("cell '%s': PCI %02x:%02x.%x: MSI remapped through entry %d "
		"(device holds address 0x%x)\n", c->cfg.name,
		PCI_BDF_BUS(bdf), PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf), m->irq,
		pci_mach.read(bdf, m->cap + 4, 4));
}

int pci_cell_cfg(struct cell *c, u16 bdf, u16 reg, unsigned int size,
		 bool write, u32 *val, const char **why)
{
	struct pci_cell *s = slot_of(c);
	unsigned int i;
	int err;

	for (i = 0; s && i < s->n; i++) {
		if (s->dev[i].bdf != bdf)
			continue;
		spin_lock(&s->lock);
		err = pci_cfg_access(&pci_mach, &s->dev[i], reg, size, write,
				     val, why);
		if (!err && write)
			msi_say(c, &s->dev[i].msi, reg);
		spin_unlock(&s->lock);
		return err;
	}
	return -ENODEV;
}

/*
 * Memory BAR @bar of @d without the MSI-X table pages: for the cell
 * (@cell) those of its table model; for the root's side (what it loses
 * and gets back) those the root traps for good (pci_root_msix.c), whose
 * model hides them while a cell has the function.
 */
static int bar_pieces(const struct pci_device *d, unsigned int bar,
		      bool cell, int (*fn)(void *arg, u64 base, u64 size),
		      void *arg)
{
	u64 base = d->cfg->bar_base[bar], end = base + d->cfg->bar_size[bar];
	const struct pci_msix *x = d->msix;
	u64 trap = 0, len = 0;
	int err = 0;

	if (cell && x && !x->refusal) {
		trap = x->trap;
		len = x->trap_len;
	} else if (!cell) {
		trap = pci_root_msix_trap(d->bdf, &len);
	}
	if (!len || trap < base || trap >= end)
		return fn(arg, base, end - base);
	if (trap > base)
		err = fn(arg, base, trap - base);
	if (!err && trap + len < end)
		err = fn(arg, trap + len, end - trap - len);
	return err;
}

/* @d's memory BARs (without MSI-X pieces) and, with @ecam, its ECAM page. */
static int dev_ranges(const struct pci_device *d, bool ecam,
		      int (*fn)(void *arg, u64 base, u64 size), void *arg)
{
	unsigned int bar;
	int err = 0;

	for (bar = 0; !err && bar < CFG_PCI_BARS; bar++)
		if ((d->cfg->has_bars & BIT(bar)) &&
		    !(d->bar_flags[bar] & PCI_BAR_IO))
			err = bar_pieces(d, bar, !ecam, fn, arg);
	/* A page the root traps for good already reads all ones. */
	if (!err && ecam && pci_mach_ecam_page(d->bdf) &&
	    !pci_root_traps_ecam(d->bdf))
		err = fn(arg, pci_mach_ecam_page(d->bdf), PAGE_SIZE);
	return err;
}

int pci_cell_ranges(const struct cell *c, bool ecam,
		    int (*fn)(void *arg, u64 base, u64 size), void *arg)
{
	const struct pci_cell *s = slot_of(c);
	unsigned int i;
	int err = 0;

	for (i = 0; s && !err && i < s->n; i++)
		if (s->moved & BIT(i))
			err = dev_ranges(&s->dev[i], ecam, fn, arg);
	return err;
}

int pci_cell_bridge_pages(const struct cell *c,
			  int (*fn)(void *arg, u64 base, u64 size), void *arg)
{
	if (!slot_of(c))
		return 0;
	return pci_bridge_pages(c->cfg.name, pci_mach_ecam_page, fn, arg);
}
