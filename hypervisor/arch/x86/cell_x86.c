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

/*
 * Everything exits but the cell's own ports; of those, the debug
 * console's and any a device model claimed exit too.
 */
void cell_io_bitmap_fill(const struct cell *c, u8 *bitmap, u64 size)
{
	const struct cfg_pio_range *p;
	unsigned int i, port;

	memset(bitmap, 0xff, size);
	for (i = 0; i < c->cfg.n_pio; i++) {
		p = &c->cfg.pio[i];
		for (port = p->base; port < p->base + p->length; port++)
			cell_io_bitmap_set(bitmap, port, 1,
					   port_is_console(port) ||
					   dev_claims(c, DEV_SPACE_PIO, port));
	}
}

/*
 * The root's config mechanism 1 traps from the first cell with a PCI
 * device on, for good: a per-CPU latch the hypervisor keeps cannot be
 * handed back mid-sequence.
 */
void cell_root_ports(struct cell *root, const struct cell *c, bool take)
{
	u8 *root_bitmap = cell_x86(root)->io_bitmap;
	const struct cfg_pio_range *p;
	unsigned int i, port;

	if (take && c->cfg.n_pci)
		cell_io_bitmap_set(root_bitmap, PCI_CF8_PORT, PCI_CF8_PORTS,
				   true);
	for (i = 0; i < c->cfg.n_pio; i++) {
		p = &c->cfg.pio[i];
		for (port = p->base; port < p->base + p->length; port++)
			if (!port_is_console(port))
				cell_io_bitmap_set(root_bitmap, port, 1, take);
	}
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
		*rax |= io->size == 4 ? 0xffffffffULL :
			io->size == 2 ? 0xffff : 0xff;
}

/* ---- memory ---- */

struct bar_map {
	struct paging *pg;
	u64 flags;
};

/* A memory BAR at guest == host address, uncached as an `io` region. */
static int bar_map(void *arg, u64 base, u64 size)
{
	struct bar_map *m = arg;

	return paging_map(m->pg, base, base, size, m->flags);
}

int cell_map_regions(const struct cell *c, struct paging *pg,
		     u64 (*flags)(u32 cfg_flags))
{
	struct bar_map m = {
		pg, flags(CFG_MEM_READ | CFG_MEM_WRITE | CFG_MEM_IO),
	};
	const struct cfg_mem_region *r;
	unsigned int i;
	int err;

	for (i = 0; i < c->cfg.n_mem; i++) {
		r = &c->cfg.mem[i];
		err = paging_map(pg, r->guest, r->phys, r->size,
				 flags(r->flags));
		if (err)
			return err;
	}
	return pci_cell_ranges(c, false, bar_map, &m);
}

bool cell_region_taken(const struct cfg_mem_region *r)
{
	return !(r->flags & (CFG_MEM_COMM_PAGE | CFG_MEM_SHARED));
}

/*
 * What the root sees of a cell's memory: a read-only page of zeros in
 * place of every page, so it reads zeros and a write faults (#GP).
 */
static u8 zero_page[PAGE_SIZE] __aligned(PAGE_SIZE);

static int cell_root_hide(struct cell_x86 *t, const struct cfg_mem_region *r)
{
	int err = paging_unmap(&t->pg, r->phys, r->size);
	u64 off;

	for (off = 0; !err && off < r->size; off += PAGE_SIZE)
		err = paging_map(&t->pg, r->phys + off, hv_pa(zero_page),
				 PAGE_SIZE, t->leaf_hidden);
	return err;
}

static int cell_root_show(struct cell_x86 *t, const struct cfg_mem_region *r)
{
	int err = paging_unmap(&t->pg, r->phys, r->size);

	return err ? err : paging_map(&t->pg, r->phys, r->phys, r->size,
				      t->leaf_shown);
}

/*
 * A cell's BAR or ECAM page leaves the root's tables: its accesses
 * fault and reach the root's device table (all ones), then come back.
 */
static int root_unmap_dev(void *arg, u64 base, u64 size)
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

int cell_root_map(struct cell *root, const struct cell *c,
		  bool loadable_only, bool map)
{
	struct cell_x86 *t = cell_x86(root);
	const struct cfg_mem_region *r;
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < c->cfg.n_mem; i++) {
		r = &c->cfg.mem[i];
		if (!cell_region_taken(r) ||
		    (loadable_only && !(r->flags & CFG_MEM_LOADABLE)))
			continue;
		err = map ? cell_root_show(t, r) : cell_root_hide(t, r);
	}
	if (!err && !loadable_only && map)
		err = pci_cell_ranges(c, true, root_remap_dev, t);
	/* An IOAPIC page only when no other cell has pins on it. */
	if (!err && !loadable_only && map)
		err = ioapic_cell_pages(c, true, root_remap_dev, t);
	return err;
}

int cell_root_take(struct cell *root, const struct cell *c)
{
	struct cell_x86 *t = cell_x86(root);
	const struct cfg_mem_region *r;
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < c->cfg.n_mem; i++) {
		r = &c->cfg.mem[i];
		if (cell_region_taken(r) && !(r->flags & CFG_MEM_LOADABLE))
			err = cell_root_hide(t, r);
	}
	if (!err)
		err = pci_cell_ranges(c, true, root_unmap_dev, t);
	if (!err)
		err = ioapic_cell_pages(c, false, root_unmap_dev, t);
	if (err)
		cell_root_map(root, c, false, true);
	return err;
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
