// SPDX-License-Identifier: GPL-2.0
/*
 * VT-d DMA remapping wired in (hv/iommu.h): units turned on at enable for
 * the root, a domain per cell at create, faults polled and printed, the
 * units back as Linux left them at disable.  The builders are vtd.c's;
 * this file only drives registers and decides what goes where.  Interrupt
 * remapping goes on after DMA remapping when every unit has it; the
 * root's MSIs and IOAPIC entries are rewritten through the table by
 * pci_root_msi.c and dev/ioapic.c (Documentation/iommu.md).
 */
#include <string.h>
#include <hv/cell.h>
#include <hv/iommu.h>
#include <hv/ioapic.h>
#include <hv/paging.h>
#include <hv/pci.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <hv/spinlock.h>
#include <hv/sysconfig.h>
#include <asm/cell_x86.h>
#include <asm/processor.h>
#include <asm/rules.h>
#include <asm/vcpu.h>
#include <asm/vtd.h>
#include <asm/vtd_root.h>

#include "../../config.h"

/* Domain index = cell id; 0 is the root's. */
#define VTD_DOMAINS		(CELL_MAX + 1)
/* GSTS bits that stay set (11.4.5); the others report one-shot commands. */
#define VTD_GSTS_PERSISTENT	(VTD_GSTS_TES | VTD_GSTS_QIES | \
				 VTD_GSTS_IRES | VTD_GSTS_CFIS)
/* A status change or queue wait: far longer than any unit needs. */
#define VTD_WAIT_ROUNDS		10000000UL
/* IA32_APIC_BASE.EXTD: this CPU runs x2APIC. */
#define APIC_BASE_X2APIC_ON	BIT(10)
/* Root exits poll the fault records at most this often. */
#define VTD_POLL_MS		20

/*
 * What vtd_unit_up found: on, or left alone (absent, Linux's).  VTD_EMUL
 * only between probe and up: Linux runs interrupt remapping alone, the
 * hypervisor takes the unit and emulates that part for the root.
 */
enum vtd_state { VTD_OFF, VTD_ON, VTD_ABSENT, VTD_LINUX, VTD_EMUL };
/* Console lines about the root's use of its emulated unit, per unit. */
#define VTD_EMUL_LINES		20

struct vtd_unit {
	const struct cfg_iommu *cfg;
	unsigned int index;
	u8 *regs;
	struct vtd_regs acc;
	struct vtd_caps caps;
	struct vtd_tables tables;
	struct vtd_iq iq;
	struct vtd_queue_ops q;
	volatile u32 *status;
	struct vtd_domain dom[VTD_DOMAINS];
	struct vtd_irte *irt;		/* interrupt remapping table */
	u32 linux_fectl;
	u64 linux_rtaddr;
	u64 linux_irta;
	bool touched;			/* registers written: restore them */
	bool pmr_was_on;		/* firmware's PMRs: we turned them off */
	/* Overflow lines, limited like fault lines: a flood sets PFO often. */
	struct vtd_fault_limit overflows;
	enum vtd_state state;
	/* Linux's interrupt remapping, emulated on this unit (vtd_root.c). */
	bool emul;
	struct vtd_vunit vu;
	unsigned int emul_said;
};

/* Zeroed with .bss before every enable. */
static struct vtd_unit units[CFG_MAX_IOMMUS];
static unsigned int n_units;
/* The cell of each domain, for fault attribution (NULL: none, root). */
static struct cell *dom_cell[VTD_DOMAINS];
static spinlock_t vtd_lock;
static u64 last_poll_tsc;
/* Fault lines per owner (domain index), vtd_fault_limit_take. */
static struct vtd_fault_limit fault_limit[VTD_DOMAINS];
/* Enable's page tables for reaching the registers (vtd_reach_begin). */
static u64 *reach_root;
/* Interrupt remapping: on in every unit, the same entries in each. */
static bool ir_on;
/* The hypervisor's tables are in x2APIC format (IRTA.EIME). */
static bool ir_x2apic;
/* The emulated units' registers (vtd_vunit); no other lock under it. */
static spinlock_t vu_lock;
/* A unit left to Linux runs Linux's interrupt remapping (GSTS.IRES). */
static bool linux_ir;
static bool irt_used[VTD_IRT_ENTRIES];

/* ---- registers ---- */

static u32 mmio_read32(void *ctx, unsigned int off)
{
	return *(volatile u32 *)((u8 *)ctx + off);
}

static u64 mmio_read64(void *ctx, unsigned int off)
{
	return *(volatile u64 *)((u8 *)ctx + off);
}

static u32 reg_read32(struct vtd_unit *u, unsigned int off)
{
	return mmio_read32(u->regs, off);
}

static void reg_write32(struct vtd_unit *u, unsigned int off, u32 val)
{
	*(volatile u32 *)(u->regs + off) = val;
}

static void reg_write64(struct vtd_unit *u, unsigned int off, u64 val)
{
	*(volatile u64 *)(u->regs + off) = val;
}

/* Waits for status register @off to show @bit as @set: 0, or -EIO. */
static int vtd_wait_status(struct vtd_unit *u, unsigned int off, u32 bit,
			   bool set)
{
	unsigned long i;

	for (i = 0; i < VTD_WAIT_ROUNDS; i++) {
		if (!(reg_read32(u, off) & bit) == !set)
			return 0;
		cpu_relax();
	}
	return -EIO;
}

/*
 * One GCMD command (11.4.4): the write carries every persistent bit GSTS
 * reports, with @bit set or cleared, and the wait is for GSTS to show it
 * (SRTP's status RTPS sets when the root table pointer was latched).
 */
static int vtd_gcmd(struct vtd_unit *u, u32 bit, bool set)
{
	u32 sts = reg_read32(u, VTD_GSTS) & VTD_GSTS_PERSISTENT;

	reg_write32(u, VTD_GCMD, set ? sts | bit : sts & ~bit);
	if (!vtd_wait_status(u, VTD_GSTS, bit, set))
		return 0;
	pr_err("VT-d unit at 0x%llx: GSTS did not follow GCMD 0x%x\n",
	       (unsigned long long)u->cfg->base, bit);
	return -EIO;
}

/* Protected memory regions on or off (11.4.13): EPM, then wait PRS. */
static int vtd_pmen(struct vtd_unit *u, bool on)
{
	u32 pmen = reg_read32(u, VTD_PMEN);

	reg_write32(u, VTD_PMEN, on ? pmen | VTD_PMEN_EPM :
				      pmen & ~VTD_PMEN_EPM);
	return vtd_wait_status(u, VTD_PMEN, VTD_PMEN_PRS, on);
}

/*
 * Firmware's protected memory regions block DMA the config gives (the
 * root's regions, a cell's device): off once translation confines DMA,
 * back on at disable before translation goes (vtd_unit_down).
 */
static int vtd_pmr_off(struct vtd_unit *u)
{
	if (!vtd_pmr_on(&u->acc, u->caps.cap))
		return 0;
	u->pmr_was_on = true;
	if (vtd_pmen(u, false)) {
		pr_err("VT-d unit at 0x%llx: protected memory regions did not "
		       "turn off (PMEN.PRS stays set)\n",
		       (unsigned long long)u->cfg->base);
		return -EIO;
	}
	pr_info("VT-d unit at 0x%llx: protected memory regions the firmware "
		"left on (PMEN) turned off: translation confines DMA\n",
		(unsigned long long)u->cfg->base);
	return 0;
}

/* ---- the invalidation queue (vtd_queue_ops.submit) ---- */

static int vtd_queue_error(struct vtd_unit *u)
{
	u32 fsts = reg_read32(u, VTD_FSTS);

	if (!(fsts & (VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE)))
		return 0;
	pr_err("VT-d unit at 0x%llx: invalidation queue error (FSTS 0x%x)\n",
	       (unsigned long long)u->cfg->base, fsts);
	return -EIO;
}

/* The batch's last descriptor is a wait writing q.seq to the status. */
static int vtd_submit(void *ctx, const struct vtd_desc *d, unsigned int n)
{
	struct vtd_unit *u = ctx;
	s64 tail;
	unsigned long i;

	tail = vtd_iq_push(&u->iq, mmio_read64(u->regs, VTD_IQH), d, n,
			   u->caps.flush);
	if (tail < 0)
		return (int)tail;
	reg_write64(u, VTD_IQT, (u64)tail);
	for (i = 0; i < VTD_WAIT_ROUNDS; i++) {
		if (READ_ONCE(*u->status) == u->q.seq)
			return 0;
		if (vtd_queue_error(u))
			return -EIO;
		cpu_relax();
	}
	pr_err("VT-d unit at 0x%llx: invalidation wait timed out\n",
	       (unsigned long long)u->cfg->base);
	return -EIO;
}

/* Global context-cache and IOTLB invalidation, and a wait. */
static int vtd_flush_all(struct vtd_unit *u)
{
	struct vtd_desc d[3];

	d[0] = vtd_desc_cc_global();
	d[1] = vtd_desc_iotlb_global(&u->caps);
	d[2] = vtd_desc_wait(u->q.status_pa, ++u->q.seq);
	return vtd_submit(u, d, 3);
}

/* ---- the root's domain ---- */

/*
 * Every devfn of every bus the system config names goes to the root, not
 * only the functions a scan would find: a requester ID is not always the
 * function's own (PCIe-to-PCI bridges tag their buses' requests with
 * their own ID, phantom functions and DMA-alias quirks use others), and a
 * device Linux hot-plugs later is the root's too.  A SID without a
 * context entry would fault with "device not assigned".  Cost: one 4 KiB
 * context table per bus.
 */
static int vtd_root_devices(struct vtd_unit *u)
{
	const struct cfg_system *sys = sys_config;
	u32 bdf;
	int err;

	for (bdf = sys->bus_start << 8; bdf < (sys->bus_end + 1) << 8; bdf++) {
		err = vtd_assign(&u->tables, &u->caps, bdf, &u->dom[0], &u->q);
		if (err)
			return err;
	}
	return 0;
}

static int vtd_root_domain(struct vtd_unit *u, const char **why)
{
	const struct cfg_cell *root = &sys_config->root;
	struct vtd_range hv_range = { hv.region_phys, hv.region_size };
	int err;

	err = vtd_domain_init(&u->dom[0], &u->caps, 0);
	if (err) {
		*why = "no memory for the root's domain";
		return err;
	}
	err = vtd_domain_map(&u->dom[0], &u->caps, root->mem, root->n_mem,
			     &hv_range, 1, why);
	if (!err) {
		err = vtd_root_devices(u);
		if (err)
			*why = "out of memory for context tables";
	}
	return err;
}

/* ---- Linux's interrupt remapping, emulated (vtd_root.c) ---- */

static int vtd_iec_global(struct vtd_unit *u);
static bool vtd_emulating(void);
static int vtd_emul_trap(struct vtd_unit *u, const char **why);

/* [pa, pa + len) inside one RAM region of the root, no cell's: its map. */
static void *vtd_root_ram(u64 pa, unsigned int len)
{
	const struct cfg_cell *root = &sys_config->root;
	const struct cfg_mem_region *r;
	unsigned int i;

	if (!len || pa + len < pa || cell_range_protected(pa, len))
		return NULL;
	for (i = 0; i < root->n_mem; i++) {
		r = &root->mem[i];
		if (!(r->flags & CFG_MEM_IO) && pa >= r->phys &&
		    pa + len <= r->phys + r->size)
			return phys_ptr(pa) && phys_ptr(pa + len - 1) ?
			       phys_ptr(pa) : NULL;
	}
	return NULL;
}

static int vtd_root_read(void *ctx, u64 pa, void *buf, unsigned int len)
{
	void *p = vtd_root_ram(pa, len);

	(void)ctx;
	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

static int vtd_root_write(void *ctx, u64 pa, const void *buf,
			  unsigned int len)
{
	void *p = vtd_root_ram(pa, len);

	(void)ctx;
	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

static const struct vtd_root_mem vtd_root_mem = {
	vtd_root_read, vtd_root_write, NULL,
};

/*
 * Linux uses the unit for interrupt remapping only (IRES and QIES, no
 * TES): the hypervisor may take it and emulate that part.  Why not, or
 * NULL.
 */
static const char *vtd_emul_refusal(struct vtd_unit *u)
{
	u64 ecap = mmio_read64(u->regs, VTD_ECAP);

	if (sys_config->n_iommus != 1)
		return "the interrupt-remapping emulation takes one unit only";
	if (!(ecap & VTD_ECAP_IR) || !(ecap & VTD_ECAP_QI))
		return "the unit lacks ECAP.IR or ECAP.QI";
	return pci_root_ir_refusal();
}

static bool vtd_linux_ir_only(struct vtd_unit *u)
{
	u32 gsts = reg_read32(u, VTD_GSTS);

	return (gsts & (VTD_GSTS_TES | VTD_GSTS_IRES | VTD_GSTS_QIES)) ==
	       (VTD_GSTS_IRES | VTD_GSTS_QIES);
}

/*
 * Linux's registers become the root's virtual unit; its queue drained
 * (every CPU is in enable, none inside a submission), then off: IQA can
 * change only with QIE off.  Remapping stays on, through Linux's table,
 * until the hypervisor's table replaces it (vtd_ir_enable).
 */
static int vtd_emul_take(struct vtd_unit *u, const char **why)
{
	unsigned long i;

	vtd_vu_init(&u->vu, reg_read32(u, VTD_VER),
		    mmio_read64(u->regs, VTD_CAP),
		    mmio_read64(u->regs, VTD_ECAP));
	for (i = 0; i < VTD_WAIT_ROUNDS; i++) {
		if (mmio_read64(u->regs, VTD_IQH) ==
		    mmio_read64(u->regs, VTD_IQT))
			break;
		cpu_relax();
	}
	vtd_vu_adopt(&u->vu, &u->acc);
	u->emul = true;
	if (i == VTD_WAIT_ROUNDS || u->vu.iqh != u->vu.iqt ||
	    (reg_read32(u, VTD_FSTS) & VTD_FSTS_IQE)) {
		*why = "Linux's invalidation queue did not drain";
		return -EBUSY;
	}
	u->touched = true;
	if (vtd_gcmd(u, VTD_GCMD_QIE, false)) {
		*why = "Linux's invalidation queue did not stop";
		return -EIO;
	}
	return 0;
}

/*
 * Linux's queue back where its driver expects it (free_head == IQT):
 * QIE on resets IQH to 0, so the slots before IQT are filled with
 * global interrupt-entry-cache invalidations (harmless; Linux never
 * reads a completed slot again) and run.  The last is a wait writing
 * the hypervisor's status page: a unit may refuse to turn the queue
 * off later unless the last descriptor it ran was a wait (QEMU does).
 */
static void vtd_emul_queue_back(struct vtd_unit *u)
{
	unsigned int n = u->vu.iqt >> 4, i;
	u64 ring = u->vu.iqa & PAGE_MASK;
	struct vtd_desc d, *slot;

	reg_write64(u, VTD_IQT, 0);
	reg_write64(u, VTD_IQA, u->vu.iqa);
	if (!(u->vu.gsts & VTD_GSTS_QIES) || vtd_gcmd(u, VTD_GCMD_QIE, true))
		return;
	for (i = 0; i < n; i++) {
		d = i + 1 < n ? vtd_desc_iec_global() :
		    vtd_desc_wait(u->q.status_pa, ++u->q.seq);
		slot = vtd_root_ram(ring + 16ULL * i, sizeof(d));
		if (!slot)
			return;
		*slot = d;
		if (u->caps.flush)
			u->caps.flush(slot, sizeof(d));
	}
	reg_write64(u, VTD_IQT, u->vu.iqt);
	for (i = 0; i < VTD_WAIT_ROUNDS; i++) {
		if (mmio_read64(u->regs, VTD_IQH) == u->vu.iqt)
			return;
		if (reg_read32(u, VTD_FSTS) & VTD_FSTS_IQE)
			break;
		cpu_relax();
	}
	pr_err("VT-d unit at 0x%llx: Linux's invalidation queue did not "
	       "reach its tail when given back\n",
	       (unsigned long long)u->cfg->base);
}

/* Linux's table, CFI and remapping state back, through our queue. */
static void vtd_emul_ir_back(struct vtd_unit *u)
{
	reg_write64(u, VTD_IRTA, u->vu.irta_on);
	if (u->vu.gsts & VTD_GSTS_IRTPS)
		vtd_gcmd(u, VTD_GCMD_SIRTP, true);
	if (reg_read32(u, VTD_GSTS) & VTD_GSTS_QIES)
		vtd_iec_global(u);
	vtd_gcmd(u, VTD_GCMD_CFI, u->vu.gsts & VTD_GSTS_CFIS);
	vtd_gcmd(u, VTD_GCMD_IRE, u->vu.gsts & VTD_GSTS_IRES);
}

/*
 * DMA remapping as the unit had it before enable, for both ways down:
 * the firmware's PMRs on again before translation goes (no window), our
 * queue off, Linux's root-table pointer back.
 */
static void vtd_dma_back(struct vtd_unit *u)
{
	if (u->pmr_was_on)
		vtd_pmen(u, true);
	u->pmr_was_on = false;
	vtd_gcmd(u, VTD_GCMD_TE, false);
	vtd_gcmd(u, VTD_GCMD_QIE, false);
	reg_write64(u, VTD_RTADDR, u->linux_rtaddr);
}

/* Everything of the root's unit as its virtual state says, then off. */
static void vtd_emul_give_back(struct vtd_unit *u)
{
	vtd_emul_ir_back(u);
	vtd_dma_back(u);
	vtd_emul_queue_back(u);
	reg_write32(u, VTD_FEDATA, u->vu.fedata);
	reg_write32(u, VTD_FEADDR, u->vu.feaddr);
	reg_write32(u, VTD_FEUADDR, u->vu.feuaddr);
	reg_write32(u, VTD_FECTL, u->vu.fectl);
	u->emul = false;
	u->touched = false;
}

/* ---- one unit up and down ---- */

static void vtd_free(struct vtd_unit *u)
{
	unsigned int i;

	vtd_tables_destroy(&u->tables);
	for (i = 0; i < VTD_DOMAINS; i++)
		vtd_domain_destroy(&u->dom[i]);
	page_free(u->iq.ring);
	page_free((void *)u->status);
	page_free(u->irt);
	u->iq.ring = NULL;
	u->status = NULL;
	u->irt = NULL;
}

/*
 * Translation and queue off, the registers Linux had back.  Nothing of
 * ours stays that the unit could read: it is off before the tables go.
 */
static void vtd_unit_down(struct vtd_unit *u)
{
	if (u->touched && u->emul)
		vtd_emul_give_back(u);
	if (u->touched) {
		/* Interrupts first: nothing may name our table once it goes. */
		if (reg_read32(u, VTD_GSTS) & VTD_GSTS_IRES)
			vtd_gcmd(u, VTD_GCMD_IRE, false);
		reg_write64(u, VTD_IRTA, u->linux_irta);
		vtd_dma_back(u);
		reg_write32(u, VTD_FECTL, u->linux_fectl);
		u->touched = false;
	}
	vtd_free(u);
	u->state = VTD_OFF;
}

static int vtd_alloc(struct vtd_unit *u)
{
	u->iq.ring = page_alloc();
	u->status = page_alloc();
	if (!u->iq.ring || !u->status || vtd_tables_init(&u->tables, &u->caps))
		return -ENOMEM;
	u->iq.entries = PAGE_SIZE / sizeof(struct vtd_desc);
	u->iq.tail = 0;
	u->q.submit = vtd_submit;
	u->q.ctx = u;
	u->q.status_pa = hv_pa((void *)u->status);
	u->q.seq = 0;
	return 0;
}

/*
 * Iommu.md step 3: queue, root table and caches, translation, each GCMD
 * write carrying what GSTS already has.  Fault events stay masked: the
 * hypervisor polls the records, Linux never sees an interrupt from a unit
 * it does not use.
 */
static int vtd_turn_on(struct vtd_unit *u)
{
	u->linux_fectl = reg_read32(u, VTD_FECTL);
	u->linux_rtaddr = mmio_read64(u->regs, VTD_RTADDR);
	u->linux_irta = mmio_read64(u->regs, VTD_IRTA);
	u->touched = true;
	reg_write32(u, VTD_FECTL, VTD_FECTL_IM);
	reg_write64(u, VTD_IQT, 0);
	reg_write64(u, VTD_IQA, vtd_iqa(hv_pa(u->iq.ring), 0));
	return vtd_gcmd(u, VTD_GCMD_QIE, true) ?:
	       (reg_write64(u, VTD_RTADDR, vtd_rtaddr(&u->tables)), 0) ?:
	       vtd_gcmd(u, VTD_GCMD_SRTP, true) ?:
	       vtd_flush_all(u) ?:
	       vtd_gcmd(u, VTD_GCMD_TE, true) ?:
	       vtd_pmr_off(u);
}

/* Is the unit there, and is it free for us?  VTD_ON: go on. */
static enum vtd_state vtd_probe(struct vtd_unit *u, const char **why)
{
	u32 ver = reg_read32(u, VTD_VER);
	int err;

	if (ver == 0 || ver == ~0U) {
		*why = "no VT-d unit answers at the configured address";
		return VTD_ABSENT;
	}
	if (vtd_linux_ir_only(u)) {
		static char buf[240];
		const char *no = vtd_emul_refusal(u);

		if (!no)
			return VTD_EMUL;
		snprintf(buf, sizeof(buf), "Linux uses the VT-d unit for "
			 "interrupt remapping (GSTS.IRES), which the "
			 "hypervisor cannot take over here (%s): boot it with "
			 "intremap=off", no);
		*why = buf;
		return VTD_LINUX;
	}
	err = vtd_linux_owns(&u->acc, why);
	if (err == -EBUSY)
		return VTD_LINUX;
	if (err)
		return VTD_ABSENT;
	/* Queue on without TES/IRES: someone's, and IQA cannot change now. */
	if (reg_read32(u, VTD_GSTS) & VTD_GSTS_QIES) {
		*why = "its invalidation queue is on (GSTS.QIES) though Linux "
		       "uses no remapping: boot Linux with intel_iommu=off "
		       "intremap=off";
		return VTD_LINUX;
	}
	return VTD_ON;
}

static int vtd_unit_up(struct vtd_unit *u)
{
	const char *why = "out of memory";
	enum vtd_state st;
	int err;

	st = vtd_probe(u, &why);
	if (st == VTD_ABSENT && u->cfg->optional) {
		pr_info("VT-d unit at 0x%llx: absent (optional), skipped\n",
			(unsigned long long)u->cfg->base);
		u->state = st;
		return 0;
	}
	if (st == VTD_LINUX) {
		if (reg_read32(u, VTD_GSTS) & VTD_GSTS_IRES)
			WRITE_ONCE(linux_ir, true);
		pr_info("VT-d unit at 0x%llx: left to Linux: %s\n",
			(unsigned long long)u->cfg->base, why);
		u->state = st;
		return 0;
	}
	err = st == VTD_ABSENT ? -ENODEV :
	      st == VTD_EMUL ? vtd_emul_take(u, &why) : 0;
	if (!err)
		err = vtd_unit_check(&u->acc, 0, vtd_clflush, &u->caps, &why);
	if (!err) {
		err = vtd_alloc(u);
		why = "out of memory";
	}
	if (!err)
		err = vtd_root_domain(u, &why);
	if (!err) {
		err = vtd_turn_on(u);
		why = "the unit did not take the tables (see above)";
	}
	if (err) {
		vtd_unit_down(u);
		pr_err("VT-d unit at 0x%llx: %s (%d)\n",
		       (unsigned long long)u->cfg->base, why, err);
		return err;
	}
	u->state = VTD_ON;
	pr_info("VT-d unit at 0x%llx: DMA remapping on (%u-level tables, "
		"buses %u-%u in the root's domain)\n",
		(unsigned long long)u->cfg->base, u->caps.levels,
		sys_config->bus_start, sys_config->bus_end);
	if (u->emul)
		pr_info("VT-d unit at 0x%llx: taken from Linux, which used it "
			"for interrupt remapping (table 0x%llx, %u entries%s): "
			"emulated for the root\n",
			(unsigned long long)u->cfg->base,
			(unsigned long long)(u->vu.irta_on & PAGE_MASK),
			2u << (u->vu.irta_on & 0xf),
			(u->vu.irta_on & VTD_IRTA_EIME) ? ", x2APIC" : "");
	return 0;
}

/* ---- interrupt remapping ---- */

static int vtd_iec_global(struct vtd_unit *u)
{
	struct vtd_desc d[2];

	d[0] = vtd_desc_iec_global();
	d[1] = vtd_desc_wait(u->q.status_pa, ++u->q.seq);
	return vtd_submit(u, d, 2);
}

/* Table in, pointer latched, caches empty; IRE is the caller's. */
static int vtd_ir_table(struct vtd_unit *u)
{
	u->irt = page_alloc();
	if (!u->irt)
		return -ENOMEM;
	memset(u->irt, 0, PAGE_SIZE);
	if (u->caps.flush)
		u->caps.flush(u->irt, PAGE_SIZE);
	reg_write64(u, VTD_IRTA, vtd_irta(hv_pa(u->irt), ir_x2apic));
	if (vtd_gcmd(u, VTD_GCMD_SIRTP, true))
		return -EIO;
	return vtd_iec_global(u);
}

static const struct cfg_ioapic *vtd_ioapic_cfg(u32 id)
{
	unsigned int i;

	for (i = 0; i < sys_config->n_ioapics; i++)
		if (sys_config->ioapics[i].id == id)
			return &sys_config->ioapics[i];
	return NULL;
}

/* An IOAPIC whose requester ID the config does not give, or NULL. */
static const char *vtd_ioapic_sid_refusal(void)
{
	static char buf[120];
	unsigned int i;

	for (i = 0; i < sys_config->n_ioapics; i++) {
		if (sys_config->ioapics[i].has_source_id)
			continue;
		snprintf(buf, sizeof(buf), "IOAPIC %u has no source-id in "
			 "the system config (platform.ioapics)",
			 sys_config->ioapics[i].id);
		return buf;
	}
	return NULL;
}

/* Why interrupt remapping stays off on this machine, or NULL. */
static const char *vtd_ir_refusal(void)
{
	const char *why;
	unsigned int i;

	if (!iommu_isolates_dma())
		return "not every unit is the hypervisor's";
	for (i = 0; i < n_units; i++) {
		if (!(units[i].caps.ecap & VTD_ECAP_IR))
			return "a unit has no interrupt remapping (ECAP.IR)";
		if (ir_x2apic && !(units[i].caps.ecap & VTD_ECAP_EIM))
			return "the root runs x2APIC and a unit has no 32-bit "
			       "destinations (ECAP.EIM)";
	}
	why = vtd_ioapic_sid_refusal();
	return why ? why : pci_root_ir_refusal();
}

/*
 * After DMA remapping: the tables, then IRE with compatibility format
 * blocked (GCMD.CFI stays clear), then the root's sources rewritten.  An
 * interrupt a root source sends between a unit's IRE and its rewrite
 * (microseconds, every CPU with interrupts off) is blocked and lost;
 * rewriting first would send remappable messages to a unit that takes
 * them as compatibility ones, to a wrong CPU.
 */
static int vtd_ir_enable(void)
{
	const char *why;
	unsigned int i;
	int err = 0;

	ir_x2apic = rdmsr(MSR_APIC_BASE_REG) & APIC_BASE_X2APIC_ON;
	why = vtd_ir_refusal();
	if (why && vtd_emulating()) {
		/* Linux's remapping is gone from the unit: no way back now. */
		pr_err("interrupt remapping: %s, but Linux's needs emulating\n",
		       why);
		return -EINVAL;
	}
	if (why) {
		pr_info("interrupt remapping stays off: %s\n", why);
		return 0;
	}
	why = "no memory for a remapping table, or a unit did not take it";
	for (i = 0; !err && i < n_units; i++)
		err = vtd_ir_table(&units[i]);
	WRITE_ONCE(ir_on, true);
	if (!err)
		why = "a unit did not turn remapping on (GCMD.IRE)";
	for (i = 0; !err && i < n_units; i++)
		err = vtd_gcmd(&units[i], VTD_GCMD_IRE, true) ?:
		      vtd_gcmd(&units[i], VTD_GCMD_CFI, false);
	for (i = 0; !err && i < n_units; i++)
		err = vtd_emul_trap(&units[i], &why);
	if (!err)
		err = ioapic_root_ir_on(sys_config, &why);
	if (!err)
		err = pci_root_ir_on(&why);
	if (err) {
		pr_err("interrupt remapping: %s (%d)\n", why, err);
		return err;
	}
	pr_info("interrupt remapping on (compatibility format blocked%s)\n",
		ir_x2apic ? ", x2APIC destinations" : "");
	if (vtd_emulating())
		pr_info("interrupt remapping emulated for the root: Linux's "
			"entries are checked and translated into the "
			"hypervisor's table\n");
	return 0;
}

/* The root's sources as Linux wrote them, before the units go down. */
static void vtd_ir_disable(void)
{
	if (!READ_ONCE(ir_on))
		return;
	pci_root_ir_off();
	ioapic_root_ir_off();
	WRITE_ONCE(ir_on, false);
}

bool iommu_remaps_irqs(void)
{
	return READ_ONCE(ir_on);
}

bool iommu_linux_remaps_irqs(void)
{
	return READ_ONCE(linux_ir);
}

/* ---- the root's emulated unit: its register page, its entries ---- */

static bool vtd_emulating(void)
{
	unsigned int i;

	for (i = 0; i < n_units; i++)
		if (units[i].emul)
			return true;
	return false;
}

static struct vtd_unit *vtd_emul_unit(void)
{
	unsigned int i;

	for (i = 0; i < n_units; i++)
		if (units[i].emul && units[i].state == VTD_ON)
			return &units[i];
	return NULL;
}

static void vtd_emul_say(struct vtd_unit *u, unsigned int off, bool write,
			 u64 val, const char *say)
{
	if (u->emul_said >= VTD_EMUL_LINES)
		return;
	if (++u->emul_said == VTD_EMUL_LINES)
		pr_err("VT-d unit at 0x%llx: root cell: further lines about "
		       "its emulated unit suppressed\n",
		       (unsigned long long)u->cfg->base);
	else
		pr_err("VT-d unit at 0x%llx: root cell %s at 0x%x (0x%llx): "
		       "%s\n", (unsigned long long)u->cfg->base,
		       write ? "write" : "read", off, (unsigned long long)val,
		       say);
}

/*
 * The root's access to its unit's register page.  Under the root's
 * device-table lock (one access at a time); the re-translation a queue
 * run or GCMD asks for comes after vu_lock is dropped.
 */
static enum dev_result vtd_emul_access(const struct dev_call *call,
				       struct dev_access *a)
{
	struct vtd_unit *u = call->priv;
	unsigned int off = a->addr - call->base, act = 0;
	const char *say;

	spin_lock(&vu_lock);
	if (a->write)
		act = vtd_vu_write(&u->vu, off, a->size, a->val,
				   &vtd_root_mem, &say);
	else
		a->val = vtd_vu_read(&u->vu, off, a->size, &say);
	spin_unlock(&vu_lock);
	if (say)
		vtd_emul_say(u, off, a->write, a->write ? a->val : 0, say);
	if (act & VTD_VU_RETRANSLATE)
		iommu_root_retranslate();
	return DEV_DONE;
}

static const struct dev_model vtd_emul_model = {
	.name = "vtd-root",
	.access = vtd_emul_access,
};

/* The unit's page out of the root's NPT, into its device table. */
static int vtd_emul_trap(struct vtd_unit *u, const char **why)
{
	u64 base = u->cfg->base;

	if (!u->emul)
		return 0;
	*why = "the emulated unit's register page could not be trapped for "
	       "the root";
	if (cell_root_claim(DEV_SPACE_MMIO, base, PAGE_SIZE, &vtd_emul_model,
			    u))
		return -ENOSPC;
	/* Enable fails on an error: the root's tables go with it. */
	return paging_unmap(&cell_x86(&root_cell)->pg, base, PAGE_SIZE);
}

void iommu_root_retranslate(void)
{
	pci_root_msi_retranslate();
	ioapic_root_retranslate();
}

/* Does @irq (format of the root's table: @x2) name a cell's CPU? */
static bool vtd_irq_hits_cell(const struct iommu_irq *irq, bool x2)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CELLVISOR_MAX_CPUS; cpu++)
		if (cell_cpu_given(&cell_cpus[cpu]) &&
		    cell_cpus[cpu].apic_id_valid &&
		    vtd_dest_names(irq->dest, irq->logical, x2,
				   cell_cpus[cpu].apic_id))
			return true;
	return false;
}

int iommu_root_irq(u16 index, struct iommu_irq *irq, const char **why)
{
	struct vtd_unit *u = vtd_emul_unit();
	bool x2;
	int err;

	if (!u) {
		*why = "remappable format, and the hypervisor emulates no "
		       "unit for the root";
		return -ENODEV;
	}
	spin_lock(&vu_lock);
	err = vtd_vu_irte(&u->vu, index, &vtd_root_mem, irq, why);
	x2 = u->vu.irta_on & VTD_IRTA_EIME;
	spin_unlock(&vu_lock);
	if (err)
		return err;
	if (vtd_irq_hits_cell(irq, x2)) {
		*why = "its destination names a CPU of a cell";
		return -EPERM;
	}
	if (!ir_x2apic && irq->dest > 0xff) {
		*why = "an x2APIC destination while the root runs xAPIC";
		return -ERANGE;
	}
	return 0;
}

int iommu_irq_alloc(void)
{
	int i, index = -ENOSPC;

	spin_lock(&vtd_lock);
	for (i = 0; index < 0 && i < VTD_IRT_ENTRIES; i++) {
		if (!irt_used[i]) {
			irt_used[i] = true;
			index = i;
		}
	}
	spin_unlock(&vtd_lock);
	return index;
}

int iommu_irq_set(int index, const struct iommu_irq *irq)
{
	struct vtd_irq_target t = { irq->dest, irq->vector, irq->level,
				    irq->sid };
	struct vtd_irte e;
	unsigned int i;
	int err = 0;

	if (index < 0 || index >= VTD_IRT_ENTRIES)
		return -ERANGE;
	vtd_irte_make(&e, &t, irq->dlm, irq->logical, ir_x2apic);
	spin_lock(&vtd_lock);
	for (i = 0; !err && i < n_units; i++) {
		struct vtd_unit *u = &units[i];

		if (u->state != VTD_ON || !u->irt ||
		    (u->irt[index].lo == e.lo && u->irt[index].hi == e.hi))
			continue;
		err = vtd_irte_replace(u->irt, index, &e, &u->caps, &u->q);
	}
	spin_unlock(&vtd_lock);
	return err;
}

void iommu_irq_free(int index)
{
	struct vtd_desc d[2];
	unsigned int i;
	int err = 0;

	if (index < 0 || index >= VTD_IRT_ENTRIES)
		return;
	spin_lock(&vtd_lock);
	for (i = 0; i < n_units; i++) {
		struct vtd_unit *u = &units[i];

		if (u->state != VTD_ON || !u->irt)
			continue;
		vtd_irte_clear(u->irt, index, u->caps.flush);
		d[0] = vtd_desc_iec_index(index);
		d[1] = vtd_desc_wait(u->q.status_pa, ++u->q.seq);
		err |= vtd_submit(u, d, 2);
	}
	/*
	 * A unit that may still cache the old entry keeps the index: handed
	 * out again, it would carry the old owner's interrupts meanwhile.
	 */
	if (err)
		pr_err("interrupt remapping entry %d not invalidated (%d): "
		       "kept out of use\n", index, err);
	else
		irt_used[index] = false;
	spin_unlock(&vtd_lock);
}

void iommu_irq_msi(int index, u32 *addr, u32 *data)
{
	vtd_msi_remappable(index, false, 0, addr, data);
}

u64 iommu_irq_rte(int index, u8 vector, bool level, bool active_low,
		  bool masked)
{
	return vtd_ioapic_rte_remappable(index, vector, level, active_low,
					 masked);
}

/*
 * The IOAPIC's requester ID from the system config (DMAR device scope).
 * vtd_ir_refusal() keeps remapping off unless every IOAPIC of the config
 * has one; an IOAPIC the config does not list gets 0xffff, which no
 * IOAPIC's messages are known to carry: they would be blocked, not let
 * through unchecked.
 */
u16 iommu_ioapic_sid(u32 id)
{
	const struct cfg_ioapic *a = vtd_ioapic_cfg(id);

	return a && a->has_source_id ? (u16)a->source_id : 0xffff;
}

/* ---- enable, disable ---- */

/*
 * Enable runs on the driver's entry page tables, which map the hypervisor
 * but not mmio_map()'s area: that is in the host tables, which a CPU
 * loads only when it is activated.  Meanwhile this CPU runs on a copy of
 * the entry tables' top level (Linux's kernel half: its GDT, IDT and
 * stack stay reachable) with the host's top-level entries added, which
 * lie in the guard hole Linux leaves unused.  *@old_cr3: the CR3 to go
 * back to, 0 when already on the host tables (a hypercall).
 */
static int vtd_reach_begin(u64 *old_cr3)
{
	u64 cr3 = read_cr3();
	unsigned int i;

	*old_cr3 = 0;
	if ((cr3 & PAGE_MASK) == hv_pa(host_paging.root))
		return 0;
	if (!reach_root) {
		reach_root = page_alloc();
		if (!reach_root)
			return -ENOMEM;
	}
	for (i = 0; i < 512; i++)
		reach_root[i] = (host_paging.root[i] & PTE_P) ?
				host_paging.root[i] : hv.entry_root[i];
	write_cr3(hv_pa(reach_root));
	*old_cr3 = cr3;
	return 0;
}

static void vtd_reach_end(u64 cr3)
{
	if (cr3)
		write_cr3(cr3);
}

/* Every unit's registers mapped, before the tables are copied. */
static int vtd_map_units(const struct cfg_system *sys)
{
	unsigned int i;

	for (i = 0; i < sys->n_iommus; i++) {
		units[i].cfg = &sys->iommus[i];
		units[i].index = i;
		units[i].regs = mmio_map(sys->iommus[i].base, VTD_REG_SIZE);
		if (!units[i].regs) {
			pr_err("VT-d unit at 0x%llx: no room to map its "
			       "registers\n",
			       (unsigned long long)sys->iommus[i].base);
			return -ENOMEM;
		}
		units[i].acc = (struct vtd_regs){ mmio_read32, mmio_read64,
						  units[i].regs };
	}
	return 0;
}

/* ---- fault owners and their line limit ---- */

/* The domain of the cell whose pci-devices list @sid; 0 (root) if none. */
static unsigned int vtd_owner(u16 sid)
{
	const struct cell *c;
	unsigned int id, i;

	for (id = 1; id < VTD_DOMAINS; id++) {
		c = dom_cell[id];
		for (i = 0; c && i < c->cfg.n_pci; i++)
			if (c->cfg.pci[i].bdf == sid)
				return id;
	}
	return 0;
}

/* "cell 'NAME'" for a cell's domain, "root cell" for the root's. */
static const char *vtd_owner_name(unsigned int id)
{
	static char buf[CFG_MAX_NAME + 8];

	if (!id || !dom_cell[id])
		return "root cell";
	snprintf(buf, sizeof(buf), "cell '%s'", dom_cell[id]->cfg.name);
	return buf;
}

/* The summary of @id's closed window, if it suppressed anything. */
static void vtd_say_suppressed(unsigned int id, u32 n)
{
	if (n)
		pr_err(VTD_FAULT_SUPPRESSED_FMT, vtd_owner_name(id), n,
		       (unsigned long long)fault_limit[id].total);
}

static void vtd_say_overflows(const struct vtd_unit *u, u32 n)
{
	if (n)
		pr_err("VT-d unit at 0x%llx: fault records overflowed %u more "
		       "times\n", (unsigned long long)u->cfg->base, n);
}

/* Every window that has ended: its summary now, not at the next fault. */
static void vtd_close_windows(u64 now, bool force)
{
	unsigned int id, i;

	for (id = 0; id < VTD_DOMAINS; id++)
		vtd_say_suppressed(id, vtd_fault_limit_close(&fault_limit[id],
							     now, force));
	for (i = 0; i < n_units; i++)
		vtd_say_overflows(&units[i],
				  vtd_fault_limit_close(&units[i].overflows,
							now, force));
}

/* ---- enable, disable ---- */

static void vtd_say_not_isolated(void)
{
	pr_info("device DMA is NOT isolated: a unit is absent or left to "
		"Linux; boot Linux with intel_iommu=off to give the "
		"hypervisor its units (Linux's interrupt remapping, which "
		"x2APIC needs, is then emulated; intremap=off without "
		"x2APIC); cells get PCI devices only with dma-isolation: "
		"none\n");
}

int iommu_enable(void)
{
	const struct cfg_system *sys = sys_config;
	unsigned int i, on = 0;
	u64 cr3;
	int err;

	for (i = 0; i < sys->n_iommus; i++) {
		if (sys->iommus[i].type == CFG_IOMMU_TYPE_AMDVI) {
			pr_err("IOMMU %u is AMD-Vi, which Cellvisor does not "
			       "drive yet: take it out of platform.iommus and "
			       "set dma-isolation: none\n", i);
			return -ENODEV;
		}
	}
	if (!sys->n_iommus)
		return 0;
	err = phys_window_init() ?: vtd_map_units(sys);
	if (err)
		return err;
	err = vtd_reach_begin(&cr3);
	if (err)
		return err;
	for (i = 0; !err && i < sys->n_iommus; i++) {
		n_units = i + 1;
		err = vtd_unit_up(&units[i]);
		on += units[i].state == VTD_ON;
	}
	if (!err) {
		iommu_set_isolating(on && on == sys->n_iommus);
		err = vtd_ir_enable();
	}
	vtd_reach_end(cr3);
	if (err) {
		iommu_disable();
		return err;
	}
	if (sys->n_iommus && !iommu_isolates_dma())
		vtd_say_not_isolated();
	return 0;
}

void iommu_disable(void)
{
	unsigned int i;
	u64 cr3;

	/* Cannot fail with units on: enable made the copy it needs. */
	if (!READ_ONCE(n_units) || vtd_reach_begin(&cr3))
		return;
	vtd_ir_disable();
	spin_lock(&vtd_lock);
	vtd_close_windows(0, true);
	iommu_set_isolating(false);
	for (i = 0; i < n_units; i++) {
		if (units[i].state != VTD_ON)
			continue;
		vtd_unit_down(&units[i]);
		pr_info("VT-d unit at 0x%llx: DMA remapping off\n",
			(unsigned long long)units[i].cfg->base);
	}
	n_units = 0;
	WRITE_ONCE(linux_ir, false);
	spin_unlock(&vtd_lock);
	vtd_reach_end(cr3);
}

/* ---- cells ---- */

/* Takes (@take) or gives back the root's pieces of the cell's memory. */
static int vtd_root_pieces(struct vtd_unit *u, const struct cell *c,
			   bool take)
{
	const struct cfg_cell *root = &sys_config->root;
	struct cfg_mem_region piece;
	const char *why;
	unsigned int i, j;
	int err = 0;

	for (i = 0; i < c->cfg.n_mem; i++) {
		if (!cell_region_taken(&c->cfg.mem[i]))
			continue;
		for (j = 0; j < root->n_mem; j++) {
			if (!vtd_root_piece(&root->mem[j], &c->cfg.mem[i],
					    &piece))
				continue;
			/*
			 * Give-back unmaps first: after a create that failed
			 * half way the piece may still be mapped (the same
			 * translation again, nothing to invalidate).
			 */
			if (take)
				err = vtd_domain_unmap(&u->dom[0], &u->caps,
						       piece.guest, piece.size,
						       &u->q);
			else
				err = paging_unmap(&u->dom[0].sl, piece.guest,
						   piece.size) ?:
				      vtd_domain_map(&u->dom[0], &u->caps,
						     &piece, 1, NULL, 0, &why);
			if (err)
				return err;
		}
	}
	return 0;
}

static int vtd_cell_up(struct vtd_unit *u, const struct cell *c,
		       unsigned int id, const char **why)
{
	unsigned int i;
	int err;

	err = vtd_domain_init(&u->dom[id], &u->caps, id);
	if (err) {
		*why = "no memory for the cell's DMA domain";
		return err;
	}
	err = vtd_domain_map(&u->dom[id], &u->caps, c->cfg.mem, c->cfg.n_mem,
			     NULL, 0, why);
	if (err)
		return err;
	err = vtd_root_pieces(u, c, true);
	if (err) {
		*why = "could not take its memory from the root's DMA domain";
		return err;
	}
	for (i = 0; i < c->cfg.n_pci; i++) {
		err = vtd_assign(&u->tables, &u->caps, c->cfg.pci[i].bdf,
				 &u->dom[id], &u->q);
		if (err) {
			*why = "could not move a PCI device to its domain";
			return err;
		}
	}
	return 0;
}

/*
 * Also the undo of a vtd_cell_up that stopped anywhere: devices still
 * in the root's domain stay (vtd_assign of the same entry does nothing).
 */
static void vtd_cell_down(struct vtd_unit *u, const struct cell *c,
			  unsigned int id)
{
	struct vtd_desc d[2];
	unsigned int i;

	for (i = 0; i < c->cfg.n_pci; i++)
		vtd_assign(&u->tables, &u->caps, c->cfg.pci[i].bdf,
			   &u->dom[0], &u->q);
	/* No device left on the domain: nothing of it may stay cached. */
	d[0] = vtd_desc_iotlb_domain(vtd_domain_id(id), &u->caps);
	d[1] = vtd_desc_wait(u->q.status_pa, ++u->q.seq);
	vtd_submit(u, d, 2);
	vtd_domain_destroy(&u->dom[id]);
	if (vtd_root_pieces(u, c, false))
		pr_err("VT-d unit at 0x%llx: cell '%s''s memory not back in "
		       "the root's DMA domain (out of memory)\n",
		       (unsigned long long)u->cfg->base, c->cfg.name);
}

int iommu_cell_create(struct cell *c, unsigned int id)
{
	const char *why = "";
	unsigned int i, j;
	int err = 0;

	if (id >= VTD_DOMAINS)
		return -ERANGE;
	spin_lock(&vtd_lock);
	for (i = 0; !err && i < n_units; i++)
		if (units[i].state == VTD_ON)
			err = vtd_cell_up(&units[i], c, id, &why);
	if (err) {
		for (j = 0; j < i; j++)
			if (units[j].state == VTD_ON)
				vtd_cell_down(&units[j], c, id);
		pr_err("cell '%s': VT-d unit at 0x%llx: %s (%d)\n",
		       c->cfg.name, (unsigned long long)units[i - 1].cfg->base,
		       why, err);
	} else {
		dom_cell[id] = c;
	}
	spin_unlock(&vtd_lock);
	return err;
}

void iommu_cell_stop(struct cell *c)
{
	unsigned int i, j;

	spin_lock(&vtd_lock);
	for (i = 0; i < n_units; i++)
		for (j = 0; units[i].state == VTD_ON && j < c->cfg.n_pci; j++)
			vtd_unassign(&units[i].tables, &units[i].caps,
				     c->cfg.pci[j].bdf, &units[i].q);
	spin_unlock(&vtd_lock);
}

void iommu_cell_destroy(struct cell *c)
{
	unsigned int i;

	if (!c->id || c->id >= VTD_DOMAINS)
		return;
	spin_lock(&vtd_lock);
	for (i = 0; i < n_units; i++)
		if (units[i].state == VTD_ON)
			vtd_cell_down(&units[i], c, c->id);
	/* The cell's last summary, under its name; the next starts at 0. */
	vtd_say_suppressed(c->id, vtd_fault_limit_close(&fault_limit[c->id],
							0, true));
	memset(&fault_limit[c->id], 0, sizeof(fault_limit[c->id]));
	dom_cell[c->id] = NULL;
	spin_unlock(&vtd_lock);
}

/* ---- faults ---- */

u64 iommu_cell_faults(const struct cell *c)
{
	return c->id < VTD_DOMAINS ? READ_ONCE(fault_limit[c->id].total) : 0;
}

static void vtd_print_fault(const struct vtd_fault *f)
{
	unsigned int id = vtd_owner(f->sid);
	const char *who = vtd_owner_name(id);
	bool print;
	u32 ended;

	print = vtd_fault_limit_take(&fault_limit[id], rdtsc(), &ended);
	vtd_say_suppressed(id, ended);
	if (!print)
		return;
	if (f->irq)
		pr_err(VTD_FAULT_IRQ_FMT, who, f->irte_index,
		       VTD_SID_BUS(f->sid), VTD_SID_DEV(f->sid),
		       VTD_SID_FN(f->sid), f->reason, f->what);
	else
		pr_err(VTD_FAULT_FMT, who, vtd_fault_access(f),
		       (unsigned long long)f->addr, VTD_SID_BUS(f->sid),
		       VTD_SID_DEV(f->sid), VTD_SID_FN(f->sid), f->reason,
		       f->what);
}

/* The overflow line, at most VTD_FAULT_LINES a window, like faults. */
static void vtd_unit_overflowed(struct vtd_unit *u)
{
	bool print;
	u32 ended;

	print = vtd_fault_limit_take(&u->overflows, rdtsc(), &ended);
	vtd_say_overflows(u, ended);
	if (print)
		pr_err("VT-d unit at 0x%llx: fault records overflowed, some "
		       "faults were not recorded\n",
		       (unsigned long long)u->cfg->base);
}

/*
 * Every record with F set, from FSTS.FRI on (the unit fills them as a
 * ring), printed and cleared by writing F back (RW1C, 11.4.9.3); then
 * the overflow flag, which stops recording until cleared.
 */
static void vtd_unit_faults(struct vtd_unit *u)
{
	unsigned int nfr = VTD_CAP_NFR(u->caps.cap), i, off;
	u32 fsts = reg_read32(u, VTD_FSTS);
	struct vtd_fault f;
	u64 hi;

	if (!(fsts & (VTD_FSTS_PPF | VTD_FSTS_PFO)))
		return;
	for (i = 0; i < nfr; i++) {
		off = VTD_FRCD_OFF(u->caps.cap, (VTD_FSTS_FRI(fsts) + i) % nfr);
		hi = mmio_read64(u->regs, off + 8);
		if (vtd_fault_decode(mmio_read64(u->regs, off), hi, &f))
			continue;
		reg_write32(u, off + 12, (u32)(VTD_FRCD_F >> 32));
		vtd_print_fault(&f);
	}
	if (fsts & VTD_FSTS_PFO) {
		reg_write32(u, VTD_FSTS, VTD_FSTS_PFO);
		vtd_unit_overflowed(u);
	}
}

/* Root exits throttle by TSC time: one CPU per period polls. */
static bool vtd_poll_due(void)
{
	u64 now = rdtsc(), last = READ_ONCE(last_poll_tsc);
	u64 period = vtd_tsc_ms(VTD_POLL_MS);

	if (now - last < period)
		return false;
	return __atomic_compare_exchange_n(&last_poll_tsc, &last, now, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

void iommu_poll_faults(bool throttle)
{
	unsigned int i;

	if (!READ_ONCE(n_units) || (throttle && !vtd_poll_due()))
		return;
	spin_lock(&vtd_lock);
	for (i = 0; i < n_units; i++)
		if (units[i].state == VTD_ON)
			vtd_unit_faults(&units[i]);
	vtd_close_windows(rdtsc(), false);
	spin_unlock(&vtd_lock);
}
