// SPDX-License-Identifier: GPL-2.0
/* x86 cell pieces both vendors share: ports, virtual console, root memory. */
#include <string.h>
#include <cellvisor/hypercall.h>
#include <hv/cell.h>
#include <hv/ioapic.h>
#include <hv/paging.h>
#include <hv/pci.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <asm/cell_x86.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define UART_PORTS		8u

/* ---- ports ---- */

void cell_io_bitmap_set(u8 *bitmap, u32 port, u32 len, bool intercept)
{
	for (; len && port < CFG_PIO_PORTS; port++, len--) {
		if (intercept)
			bitmap[port / 8] |= 1 << (port % 8);
		else
			bitmap[port / 8] &= ~(1 << (port % 8));
	}
}

/*
 * The debug console stays the root's: cells get a virtual UART there
 * (arch/x86/dev/console_uart.c).
 */
static bool port_is_console(u32 port)
{
	return hv.console_port && port >= hv.console_port &&
	       port < hv.console_port + UART_PORTS;
}

static bool port_is_pci_cf8(u32 port)
{
	return port >= PCI_CF8_PORT && port < PCI_CF8_PORT + PCI_CF8_PORTS;
}

/*
 * Does @port pass (no exit) in @c, which owns it?  The root's config
 * mechanism 1 exits from enable on (pci.md); a cell's debug-console
 * ports and those a device model claimed exit.
 */
static bool port_passes(const struct cell *c, u32 port)
{
	if (cell_is_root(c))
		return !port_is_pci_cf8(port);
	return !port_is_console(port) && !dev_claims(c, DEV_SPACE_PIO, port);
}

/* Ports the root keeps while a cell lists them: the debug console's. */
static bool port_kept_by_root(const struct cell *from, u32 port)
{
	return cell_is_root(from) && port_is_console(port);
}

void cell_move_ports(struct cell *from, struct cell *to, u32 base, u32 len)
{
	u8 *from_bitmap = cell_x86(from)->io_bitmap;
	u8 *to_bitmap = cell_x86(to)->io_bitmap;
	u32 port;

	for (port = base; port - base < len && port < CFG_PIO_PORTS; port++) {
		if (!port_kept_by_root(from, port))
			cell_io_bitmap_set(from_bitmap, port, 1, true);
		cell_io_bitmap_set(to_bitmap, port, 1, !port_passes(to, port));
	}
}

/* Every port range of @c's config from @from to @to. */
static void move_cell_ports(struct cell *from, struct cell *to,
			    const struct cell *c)
{
	unsigned int i;

	for (i = 0; i < c->cfg.n_pio; i++)
		cell_move_ports(from, to, c->cfg.pio[i].base,
				c->cfg.pio[i].length);
}

bool cell_has_port(const struct cell *c, u32 port)
{
	unsigned int i;

	for (i = 0; i < c->cfg.n_pio; i++)
		if (port >= c->cfg.pio[i].base &&
		    port - c->cfg.pio[i].base < c->cfg.pio[i].length)
			return true;
	return false;
}

void cell_root_pio(const struct vcpu_io *io, u64 *rax)
{
	static u32 warned;

	if (!warned++)
		pr_err("root cell accessed port 0x%x of a cell: ignored\n",
		       io->port);
	if (io->in)
		*rax |= pci_all_ones(io->size);
}

/* ---- memory ---- */

/*
 * What the root sees of a cell's memory: a read-only page of zeros in
 * place of every page, so it reads zeros and a write faults (#GP).
 */
static u8 zero_page[PAGE_SIZE] __aligned(PAGE_SIZE);

static int root_hide(struct cell_x86 *t, const struct cfg_mem_region *r)
{
	int err = paging_unmap(&t->pg, r->phys, r->size);
	u64 off;

	for (off = 0; !err && off < r->size; off += PAGE_SIZE)
		err = paging_map(&t->pg, r->phys + off, hv_pa(zero_page),
				 PAGE_SIZE, t->leaf_hidden);
	return err;
}

/*
 * Region @r (a cell's) into @c's tables: the root's identity map at its
 * physical address, a cell's at its guest address with its flags.
 */
static int region_map(struct cell *c, const struct cfg_mem_region *r)
{
	struct cell_x86 *t = cell_x86(c);
	u64 gpa = cell_is_root(c) ? r->phys : r->guest;
	int err = paging_unmap(&t->pg, gpa, r->size);

	if (err)
		return err;
	return paging_map(&t->pg, gpa, r->phys, r->size,
			  cell_is_root(c) ? t->leaf_shown : t->leaf(r->flags));
}

/* Region @r out of @c's tables; the root keeps the page of zeros there. */
static int region_unmap(struct cell *c, const struct cfg_mem_region *r)
{
	struct cell_x86 *t = cell_x86(c);

	if (cell_is_root(c))
		return root_hide(t, r);
	return paging_unmap(&t->pg, r->guest, r->size);
}

int cell_move_memory(struct cell *from, struct cell *to,
		     const struct cfg_mem_region *r)
{
	int err = region_map(to, r);

	if (!err) {
		err = region_unmap(from, r);
		if (!err)
			return 0;
		region_map(from, r);
	}
	region_unmap(to, r);
	return err;
}

bool cell_region_taken(const struct cfg_mem_region *r)
{
	return !(r->flags & (CFG_MEM_COMM_PAGE | CFG_MEM_SHARED));
}

/*
 * Loadable regions stay the root's until the cell starts (cellctl load
 * writes them), shared ones the root's for good, the comm page is the
 * hypervisor's: those the cell's tables get without the root losing them.
 */
static bool region_moves_at_create(const struct cfg_mem_region *r)
{
	return cell_region_taken(r) && !(r->flags & CFG_MEM_LOADABLE);
}

/* Region @i of @c: from the root into @c at create, or undone. */
static int region_take(struct cell *c, unsigned int i, bool undo)
{
	const struct cfg_mem_region *r = &c->cfg.mem[i];

	if (region_moves_at_create(r))
		return undo ? cell_move_memory(c, &root_cell, r) :
			      cell_move_memory(&root_cell, c, r);
	return undo ? region_unmap(c, r) : region_map(c, r);
}

/* The first @n regions of @c as they were before create. */
static void untake_regions(struct cell *c, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		region_take(c, i, true);
}

/*
 * Every region of @c into its tables; on error as before (the failed
 * region too: a map that failed half way has left part of it).
 */
static int take_regions(struct cell *c)
{
	unsigned int i;
	int err;

	for (i = 0; i < c->cfg.n_mem; i++) {
		err = region_take(c, i, false);
		if (err) {
			untake_regions(c, i + 1);
			return err;
		}
	}
	return 0;
}

/* Every region the root lost to @c back to it (loadable ones included). */
static int give_back_regions(struct cell *c)
{
	const struct cfg_mem_region *r;
	unsigned int i;
	int err = 0, e;

	/* All of them, whatever fails: the root gets back what it can. */
	for (i = 0; i < c->cfg.n_mem; i++) {
		r = &c->cfg.mem[i];
		e = cell_region_taken(r) ? cell_move_memory(c, &root_cell, r) :
					   region_unmap(c, r);
		err = err ? err : e;
	}
	return err;
}

int cell_root_loadable(struct cell *c, bool root_sees)
{
	struct cell_x86 *t = cell_x86(&root_cell);
	const struct cfg_mem_region *r;
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < c->cfg.n_mem; i++) {
		r = &c->cfg.mem[i];
		if (cell_region_taken(r) && (r->flags & CFG_MEM_LOADABLE))
			err = root_sees ? region_map(&root_cell, r) :
					  root_hide(t, r);
	}
	return err;
}

/* ---- PCI BARs, ECAM pages, IOAPIC pages ---- */

/* A memory BAR at guest == host address, uncached as an `io` region. */
static int bar_map(void *arg, u64 base, u64 size)
{
	struct cell_x86 *t = arg;

	return paging_map(&t->pg, base, base, size,
			  t->leaf(CFG_MEM_READ | CFG_MEM_WRITE | CFG_MEM_IO));
}

/*
 * A cell's BAR or ECAM page leaves the root's tables: its accesses
 * fault and reach the root's device table (all ones), then come back.
 */
static int dev_unmap(void *arg, u64 base, u64 size)
{
	struct cell_x86 *t = arg;

	return paging_unmap(&t->pg, base, size);
}

static int root_remap_dev(void *arg, u64 base, u64 size)
{
	struct cell_x86 *t = arg;
	int err = paging_unmap(&t->pg, base, size);

	return err ? err : paging_map(&t->pg, base, base, size, t->leaf_shown);
}

/*
 * @c's devices' memory (BARs; ECAM pages leave the root only) and
 * IOAPIC pages (a model traps them for the cell) from the root to @c.
 */
static int take_device_pages(struct cell *c)
{
	struct cell_x86 *root = cell_x86(&root_cell);
	int err = pci_cell_ranges(c, false, bar_map, cell_x86(c));

	if (!err)
		err = pci_cell_ranges(c, true, dev_unmap, root);
	if (!err)
		err = pci_cell_bridge_pages(c, dev_unmap, root);
	if (!err)
		err = ioapic_cell_pages(c, false, dev_unmap, root);
	return err;
}

/* And back: an IOAPIC page only when no other cell has pins on it. */
static int give_back_device_pages(struct cell *c)
{
	struct cell_x86 *root = cell_x86(&root_cell);
	int err = pci_cell_ranges(c, true, root_remap_dev, root);
	int err2 = ioapic_cell_pages(c, true, root_remap_dev, root);
	int err3 = pci_cell_bridge_pages(c, root_remap_dev, root);

	pci_cell_ranges(c, false, dev_unmap, cell_x86(c));
	return err ? err : err2 ? err2 : err3;
}

/* ---- a cell's vendor part, the root's included ---- */

void cell_x86_root_init(struct cell_x86 *x, u64 io_bitmap_size,
			u64 leaf_shown, u64 leaf_hidden)
{
	x->leaf_shown = leaf_shown;
	x->leaf_hidden = leaf_hidden;
	/* Its ports pass but config mechanism 1 (pci.md): few exits. */
	memset(x->io_bitmap, 0, io_bitmap_size);
	cell_io_bitmap_set(x->io_bitmap, PCI_CF8_PORT, PCI_CF8_PORTS, true);
}

int cell_x86_root_map(struct cell_x86 *x, u64 top)
{
	u64 hv_end = hv.region_phys + hv.region_size;
	int err = paging_map(&x->pg, 0, 0, hv.region_phys, x->leaf_shown);

	return err ? err : paging_map(&x->pg, hv_end, hv_end, top - hv_end,
				      x->leaf_shown);
}

int cell_x86_take(struct cell *c, u64 io_bitmap_size)
{
	int err;

	/* Nothing is the cell's yet: every port exits. */
	memset(cell_x86(c)->io_bitmap, 0xff, io_bitmap_size);
	err = take_regions(c);
	if (err)
		return err;
	err = take_device_pages(c);
	if (err) {
		give_back_device_pages(c);
		untake_regions(c, c->cfg.n_mem);
		return err;
	}
	move_cell_ports(&root_cell, c, c);
	return 0;
}

int cell_x86_give_back(struct cell *c)
{
	int err, err2;

	move_cell_ports(c, &root_cell, c);
	err = give_back_device_pages(c);
	err2 = give_back_regions(c);
	return err ? err : err2;
}

int cell_x86_create(struct cell *c, int arch_err, u64 io_bitmap_size)
{
	int err = arch_err ? arch_err : cell_x86_take(c, io_bitmap_size);

	if (err) {
		paging_destroy(&cell_x86(c)->pg);
		c->arch = NULL;
	}
	return err;
}

void cell_x86_destroy(struct cell *c)
{
	int err = cell_x86_give_back(c);

	if (err)
		pr_err("cell '%s': root memory not fully given back (%d)\n",
		       c->cfg.name, err);
	paging_destroy(&cell_x86(c)->pg);
	c->arch = NULL;
}

/* ---- hypercalls ---- */

/*
 * What a cell may ask of the hypervisor (at CPL 0): a console character
 * when its config says `console: true`, the ABI version, where its comm
 * page is and the TSC rate.
 */
bool cell_guest_hypercall(const struct cell *c, u64 nr, u64 arg0, s64 *ret)
{
	if (nr == CELLVISOR_HC_DEBUG_PUTC && c->cfg.console) {
		console_cell_putc(c, (char)arg0);
		*ret = 0;
		return true;
	}
	if (nr != CELLVISOR_HC_INFO)
		return false;
	switch (arg0) {
	case CELLVISOR_INFO_ABI_VERSION:
		*ret = CELLVISOR_ABI_VERSION;
		return true;
	case CELLVISOR_INFO_COMM_PAGE:
		*ret = c->comm ? (s64)c->comm_guest : -ENOENT;
		return true;
	case CELLVISOR_INFO_TSC_KHZ:
		*ret = hv.tsc_khz ? (s64)hv.tsc_khz : -ENOENT;
		return true;
	}
	return false;
}

void cell_root_mem_report(struct per_cpu *pc, u64 gpa, u64 rip)
{
	pr_err("CPU %u: root cell wrote to memory of cell '%s' at 0x%lx "
	       "(RIP 0x%lx), #GP injected\n", pc->cpu_index,
	       cell_owning(gpa)->cfg.name, gpa, rip);
}
