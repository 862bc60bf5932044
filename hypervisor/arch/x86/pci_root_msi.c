// SPDX-License-Identifier: GPL-2.0
/*
 * The root's MSI while interrupts are remapped: its functions with MSI
 * or MSI-X found at enable, config ports trapped from then on, each
 * MSI kept as Linux writes it (pci.c's copy) and programmed into the
 * device through a remapping entry of the root's.  MSI-X tables are
 * pci_root_msix.c's.  See Documentation/pci.md and iommu.md.
 */
#include <string.h>
#include <hv/cell.h>
#include <hv/devmodel.h>
#include <hv/iommu.h>
#include <hv/paging.h>
#include <hv/pci.h>
#include <hv/pci_bridge.h>
#include <hv/printk.h>
#include <hv/sysconfig.h>
#include <asm/cell_x86.h>
#include <asm/vcpu.h>
#include <asm/vtd_root.h>

/*
 * The root's functions with MSI or MSI-X, found at enable when
 * interrupts are remapped: their MSI as Linux wrote it (pci.c's copy).
 */
#define ROOT_FNS		64
struct root_fn {
	struct pci_msi msi;
	u16 msix;		/* MSI-X capability offset; 0: none */
	bool cell;		/* a cell has it: the entry is not the root's */
	bool msix_said;		/* the MSI-X refusal is on the console */
	bool ecam;		/* its ECAM page is trapped for the root */
};
static struct root_fn root_fns[ROOT_FNS];
static unsigned int n_root_fns;
static spinlock_t root_msi_lock;

/* ---- the root's MSI while interrupts are remapped ---- */

#define MSI_ADDR_DEST_OF(a)	(((a) >> 12) & 0xff)
#define MSI_ADDR_LOGICAL_BIT	BIT(2)
#define MSI_ADDR_WINDOW_MASK	0xfff00000u
#define APIC_BROADCAST_ID	0xffu

static struct root_fn *root_fn_of(u16 bdf)
{
	unsigned int i;

	for (i = 0; i < n_root_fns; i++)
		if (root_fns[i].msi.bdf == bdf)
			return &root_fns[i];
	return NULL;
}

/*
 * The root's MSI may go anywhere but to a cell's CPU: physical
 * destinations are checked (broadcast too); logical xAPIC ones never
 * match a cell CPU, whose LDR is not the root's to set (the IOAPIC's
 * rule, dev/ioapic.c).  Remappable format names an entry of Linux's own
 * table (its remapping emulated): checked there, root_msi_remappable().
 */
static const char *root_msi_check(const void *ctx, u16 ctrl, u32 addr,
				  u32 addr_hi, u32 data)
{
	u32 dest = MSI_ADDR_DEST_OF(addr), cpu;

	(void)ctx;
	(void)data;
	if (ctrl & (7u << 4))
		return "multiple-message MSI (not remapped for the root)";
	if (addr_hi || (addr & MSI_ADDR_WINDOW_MASK) != 0xfee00000u)
		return "an MSI address outside 0xfee00000-0xfeefffff";
	if (addr & (MSI_ADDR_LOGICAL_BIT | VTD_MSI_ADDR_IF))
		return NULL;
	for (cpu = 0; cpu < CELLVISOR_MAX_CPUS; cpu++)
		if (cell_cpu_given(&cell_cpus[cpu]) &&
		    cell_cpus[cpu].apic_id_valid &&
		    (dest == APIC_BROADCAST_ID ||
		     cell_cpus[cpu].apic_id == dest))
			return "an MSI aimed at a cell's CPU";
	return NULL;
}

const char *pci_root_msix_check(const void *ctx, u32 addr, u32 addr_hi,
				u32 data)
{
	return root_msi_check(ctx, 0, addr, addr_hi, data);
}

/* The device's MSI after a sync, on the console: the witness of tests. */
static void root_msi_say(const struct root_fn *f, int err, const char *why)
{
	const struct pci_msi *m = &f->msi;
	u16 bdf = m->bdf;

	u32 addr;

	memcpy(&addr, &m->img[4], 4);
	/* Linux parks a freed vector with an all-zero message: nothing to say. */
	if (err == -EPERM && !addr)
		return;
	if (err) {
		pr_err("root cell: PCI %02x:%02x.%x: MSI left off: %s\n",
		       PCI_BDF_BUS(bdf), PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf),
		       why);
		return;
	}
	if (!(pci_mach.read(bdf, m->cap + 2, 2) & 1))
		return;
	pr_info("root cell: PCI %02x:%02x.%x: MSI remapped through entry %d "
		"(device holds address 0x%x data 0x%x)\n", PCI_BDF_BUS(bdf),
		PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf), m->irq,
		pci_mach.read(bdf, m->cap + 4, 4),
		pci_mach.read(bdf, m->cap + ((m->hw_ctrl & BIT(7)) ? 12 : 8), 2));
}

/*
 * The MSI-X enable bit: the root's once its table is served
 * (pci_root_msix.c), else refused, said once per function.
 */
static void root_msix_write(struct root_fn *f, u16 reg, unsigned int size,
			    u32 *val)
{
	unsigned int hi = f->msix + 3;	/* control bits 15:8 */
	const char *why = pci_root_msix_refusal(f->msi.bdf);
	u32 bit;

	if (reg > hi || reg + size <= hi || !why)
		return;
	bit = BIT(8 * (hi - reg) + 7);		/* enable: bit 15 */
	if (!(*val & bit))
		return;
	*val &= ~bit;
	if (f->msix_said)
		return;
	f->msix_said = true;
	pr_err("root cell: PCI %02x:%02x.%x: MSI-X enable refused: %s; the "
	       "device's interrupts will not arrive (use MSI)\n",
	       PCI_BDF_BUS(f->msi.bdf), PCI_BDF_DEV(f->msi.bdf),
	       PCI_BDF_FN(f->msi.bdf), why);
}

bool pci_root_msi_access(u16 bdf, u16 reg, unsigned int size, bool write,
			 u32 *val)
{
	struct root_fn *f;
	const char *why = NULL;
	int err;

	if (!pci_get_remap())
		return false;
	f = root_fn_of(bdf);
	if (!f || f->cell)
		return false;
	if (f->msix && write)
		root_msix_write(f, reg, size, val);
	if (!pci_msi_covers(&f->msi, reg))
		return false;
	spin_lock(&root_msi_lock);
	if (!write) {
		*val = pci_msi_read(&pci_mach, &f->msi, reg, size);
	} else {
		err = pci_msi_write(&pci_mach, &f->msi, reg, size, *val,
				    root_msi_check, NULL, &why);
		if (err || reg <= f->msi.cap + 2)
			root_msi_say(f, err, why);
	}
	spin_unlock(&root_msi_lock);
	return true;
}

/* Every function on the configured buses: its MSI and MSI-X found. */
static void root_scan(void)
{
	u32 bus, devfn;
	u16 bdf, msi, msix;

	n_root_fns = 0;
	pci_root_msix_reset();
	for (bus = sys_config->bus_start; bus <= sys_config->bus_end; bus++) {
		for (devfn = 0; devfn < 256; devfn++) {
			bdf = bus << 8 | devfn;
			if (pci_mach.read(bdf, 0, 2) == 0xffff)
				continue;
			msi = pci_cap_find(&pci_mach, bdf, PCI_CAP_ID_MSI);
			msix = pci_cap_find(&pci_mach, bdf, PCI_CAP_ID_MSIX);
			if ((!msi && !msix) || n_root_fns == ROOT_FNS) {
				n_root_fns += msi || msix;
				continue;
			}
			pci_msi_init(&pci_mach, &root_fns[n_root_fns].msi, bdf,
				     msi);
			root_fns[n_root_fns].msix = msix;
			n_root_fns++;
		}
	}
}

const char *pci_root_ir_refusal(void)
{
	static char buf[200];
	struct root_fn *f;
	const char *why;
	unsigned int i;

	if (x86_cpu_vendor() != X86_VENDOR_AMD)
		return "interrupt remapping is run on AMD-V hosts only so "
		       "far (no VT-x machine here has a VT-d unit to test it)";
	root_scan();
	if (n_root_fns > ROOT_FNS)
		return "more PCI functions with MSI than the hypervisor keeps";
	/* A live table the model cannot serve would bypass remapping. */
	for (i = 0; i < n_root_fns; i++) {
		f = &root_fns[i];
		why = f->msix ? pci_root_msix_prepare(f->msi.bdf, f->msix) :
				NULL;
		if (!why || !(pci_mach.read(f->msi.bdf, f->msix + 2, 2) &
			      PCI_MSIX_CTRL_ENABLE))
			continue;
		snprintf(buf, sizeof(buf), "PCI %02x:%02x.%x has MSI-X "
			 "enabled, which the hypervisor cannot remap: %s",
			 PCI_BDF_BUS(f->msi.bdf), PCI_BDF_DEV(f->msi.bdf),
			 PCI_BDF_FN(f->msi.bdf), why);
		return buf;
	}
	return NULL;
}

/* ---- the root's ECAM pages of these functions ---- */

/*
 * The root's access to the ECAM page of a function with MSI or MSI-X:
 * the same as through 0xcf8/0xcfc (its copy); a function a cell has is
 * the pci-hidden model's (all ones, no writes, said once).
 */
static enum dev_result root_ecam_access(const struct dev_call *call,
					struct dev_access *a)
{
	struct root_fn *f = call->priv;
	u16 reg = a->addr - call->base;
	u32 val = a->val;

	if (f->cell || pci_owned(f->msi.bdf))
		return pci_hidden_access(call, a);
	if (a->size > 4 || (reg & (a->size - 1))) {
		if (!a->write)
			a->val = pci_all_ones(a->size);
		return DEV_DONE;
	}
	if (pci_root_msi_access(f->msi.bdf, reg, a->size, a->write, &val)) {
		if (!a->write)
			a->val = val;
		return DEV_DONE;
	}
	if (a->write && !pci_bridge_root_write(&pci_mach, f->msi.bdf, reg,
					       a->size, val))
		pci_mach.write(f->msi.bdf, reg, a->size, val);
	else if (!a->write)
		a->val = pci_mach.read(f->msi.bdf, reg, a->size);
	return DEV_DONE;
}

static const struct dev_model root_ecam_model = {
	.name = "pci-root-msi",
	.access = root_ecam_access,
};

bool pci_root_traps_ecam(u16 bdf)
{
	const struct root_fn *f = root_fn_of(bdf);

	return f && f->ecam;
}

/*
 * Out of the root's NPT and into its device table (the tables are not
 * in use yet at enable).  A full table is said and skipped: a root
 * access there then bypasses the copy, which can hurt only the root
 * (its compatibility MSI is blocked).
 */
static void root_ecam_trap(struct root_fn *f)
{
	u64 page = pci_mach_ecam_page(f->msi.bdf);

	if (!page)
		return;
	if (cell_root_claim(DEV_SPACE_MMIO, page, PAGE_SIZE,
			    &root_ecam_model, f) ||
	    paging_unmap(&cell_x86(&root_cell)->pg, page, PAGE_SIZE)) {
		cell_root_release(&root_ecam_model, f);
		pr_err("root cell: PCI %02x:%02x.%x: ECAM page not trapped "
		       "(root device table full): its MSI is remapped "
		       "through 0xcf8/0xcfc only\n", PCI_BDF_BUS(f->msi.bdf),
		       PCI_BDF_DEV(f->msi.bdf), PCI_BDF_FN(f->msi.bdf));
		return;
	}
	f->ecam = true;
}

/*
 * A remappable MSI of a root function: the entry of Linux's table it
 * names, read and checked (iommu_root_irq).  Never a cell's device: its
 * whitelist refuses the format, and this refuses its functions too.
 */
static int root_msi_remappable(u32 addr, u32 data, u16 sid,
			       struct iommu_irq *irq, const char **why)
{
	const struct root_fn *f = root_fn_of(sid);
	u16 index;

	if (!f || f->cell) {
		*why = "a remappable MSI of a function that is not the root's";
		return -EPERM;
	}
	if (vtd_msi_index(addr, data, &index)) {
		*why = "a remappable MSI whose index is out of range";
		return -ERANGE;
	}
	return iommu_root_irq(index, irq, why);
}

static const struct pci_remap iommu_remap = {
	iommu_irq_alloc, iommu_irq_set, iommu_irq_free, iommu_irq_msi,
	root_msi_remappable,
};

int pci_root_ir_on(const char **why)
{
	unsigned int i;
	int err;

	pci_mach_setup(sys_config->has_mmconfig, sys_config->mmconfig,
		       sys_config->bus_start, sys_config->bus_end);
	pci_set_remap(&iommu_remap);
	for (i = 0; i < n_root_fns; i++)
		root_ecam_trap(&root_fns[i]);
	for (i = 0; i < n_root_fns; i++) {
		if (!root_fns[i].msi.cap)
			continue;
		err = pci_msi_sync(&pci_mach, &root_fns[i].msi,
				   root_msi_check, NULL, why);
		root_msi_say(&root_fns[i], err, *why);
		if (err == -ENOSPC || err == -EIO)
			return err;
	}
	return pci_root_msix_on(why);
}

void pci_root_msi_retranslate(void)
{
	const char *why = NULL;
	struct root_fn *f;
	unsigned int i;
	int err;

	if (!pci_get_remap())
		return;
	spin_lock(&root_msi_lock);
	for (i = 0; i < n_root_fns; i++) {
		f = &root_fns[i];
		if (f->cell || !f->msi.cap)
			continue;
		err = pci_msi_sync(&pci_mach, &f->msi, root_msi_check, NULL,
				   &why);
		if (err)
			root_msi_say(f, err, why);
	}
	spin_unlock(&root_msi_lock);
}

void pci_root_ir_off(void)
{
	unsigned int i;

	for (i = 0; i < n_root_fns; i++) {
		if (root_fns[i].cell)
			continue;
		pci_msi_restore(&pci_mach, &root_fns[i].msi);
		root_fns[i].msi.irq = -1;
	}
	pci_root_msix_off();
	pci_set_remap(NULL);
}

/*
 * A cell takes @bdf: the root's entry goes (the device's SID would pass
 * its check, so a cell's device could name it), MSI off.
 */
void pci_root_msi_give(u16 bdf)
{
	struct root_fn *f = root_fn_of(bdf);

	if (!f || !pci_get_remap())
		return;
	spin_lock(&root_msi_lock);
	pci_msi_release(&pci_mach, &f->msi);
	f->cell = true;
	spin_unlock(&root_msi_lock);
	pci_root_msix_give(bdf);
}

/* Back from a cell, quiesced: the root starts from MSI off. */
void pci_root_msi_back(u16 bdf)
{
	struct root_fn *f = root_fn_of(bdf);

	if (!f || !pci_get_remap())
		return;
	spin_lock(&root_msi_lock);
	pci_msi_init(&pci_mach, &f->msi, bdf, f->msi.cap);
	pci_msi_forget(&f->msi);
	f->cell = false;
	spin_unlock(&root_msi_lock);
	pci_root_msix_back(bdf);
}
