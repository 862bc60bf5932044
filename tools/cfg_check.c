// SPDX-License-Identifier: GPL-2.0
/* Config checks with positions: one file alone, against the system, and across cells. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_machine.h"
#include "cfgtool.h"

#define PAGE		CFG_PAGE_SIZE
#define ULL(x)		((unsigned long long)(x))

struct ctx {
	struct diag *d;
	struct cfg_file *sys;		/* NULL when none was given */
	struct cfg_file **files;
	int n;
};

static int overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static uint64_t last(uint64_t base, uint64_t size)
{
	return base + size - 1;
}

static const char *region_name(const struct cfg_mem_region *r, int index)
{
	static char buf[4][CFG_MAX_NAME + 16];
	static int which;
	char *b = buf[which++ & 3];

	if (r->name[0])
		snprintf(b, sizeof(buf[0]), "'%s'", r->name);
	else
		snprintf(b, sizeof(buf[0]), "#%d", index + 1);
	return b;
}

static int has_phys(const struct cfg_mem_region *r, const struct mem_src *s)
{
	return !(r->flags & CFG_MEM_COMM_PAGE) && s->has_phys > 0;
}

static int region_sane(const struct cfg_mem_region *r)
{
	return r->size && !(r->size & (PAGE - 1)) &&
	       r->guest + r->size > r->guest && r->phys + r->size > r->phys;
}

/* ---- one cell alone ---- */

static void check_region(struct ctx *c, const struct cfg_mem_region *r,
			 const struct mem_src *s, int i)
{
	const char *n = region_name(r, i);

	if (s->bad)
		return;
	if (!r->size) {
		diag_error(c->d, &s->size, "memory region %s has size 0", n);
		return;
	}
	if (r->size & (PAGE - 1))
		diag_error(c->d, &s->size, "size 0x%llx of memory region %s "
			   "is not a multiple of the 4K page size",
			   ULL(r->size), n);
	if (has_phys(r, s) && (r->phys & (PAGE - 1)))
		diag_error(c->d, &s->phys, "phys 0x%llx of memory region %s "
			   "is not 4K-aligned", ULL(r->phys), n);
	if (s->has_guest && (r->guest & (PAGE - 1)))
		diag_error(c->d, &s->guest, "guest 0x%llx of memory region "
			   "%s is not 4K-aligned", ULL(r->guest), n);
	if (r->guest + r->size < r->guest || r->phys + r->size < r->phys)
		diag_error(c->d, &s->size, "memory region %s runs past the "
			   "end of the 64-bit address space", n);
	if ((r->flags & CFG_MEM_COMM_PAGE) && r->size != PAGE)
		diag_error(c->d, &s->size, "the comm page is one page: size "
			   "must be 4K");
}

static void check_mem_pairs(struct ctx *c, const struct cfg_cell *cell,
			    const struct cell_src *src)
{
	const struct cfg_mem_region *a, *b;
	const struct mem_src *sa, *sb;
	uint32_t i, j;

	for (i = 0; i < cell->n_mem; i++) {
		a = &cell->mem[i];
		sa = &src->mem[i];
		for (j = 0; j < i && a->name[0]; j++)
			if (!strcmp(a->name, cell->mem[j].name))
				diag_warn(c->d, &sa->item, "two memory regions "
					  "are named '%s' (the other: %s): "
					  "messages will be ambiguous", a->name,
					  loc_str(&src->mem[j].item));
		for (j = 0; j < i && region_sane(a); j++) {
			b = &cell->mem[j];
			sb = &src->mem[j];
			if (!region_sane(b))
				continue;
			if (overlap(a->guest, a->size, b->guest, b->size))
				diag_error(c->d, &sa->guest, "guest range "
					   "0x%llx-0x%llx of region %s "
					   "overlaps region %s (%s) of the "
					   "same cell", ULL(a->guest),
					   ULL(last(a->guest, a->size)),
					   region_name(a, i),
					   region_name(b, j),
					   loc_str(&sb->guest));
			if (has_phys(a, sa) && has_phys(b, sb) &&
			    overlap(a->phys, a->size, b->phys, b->size))
				diag_error(c->d, &sa->phys, "physical range "
					   "0x%llx-0x%llx of region %s "
					   "overlaps region %s (%s) of the "
					   "same cell", ULL(a->phys),
					   ULL(last(a->phys, a->size)),
					   region_name(a, i),
					   region_name(b, j),
					   loc_str(&sb->phys));
		}
	}
}

static void check_pio_pairs(struct ctx *c, const struct cfg_cell *cell,
			    const struct cell_src *src)
{
	const struct cfg_pio_range *a, *b;
	uint32_t i, j;

	for (i = 0; i < cell->n_pio; i++)
		for (j = 0; j < i; j++) {
			a = &cell->pio[i];
			b = &cell->pio[j];
			if (a->length && b->length &&
			    overlap(a->base, a->length, b->base, b->length))
				diag_error(c->d, &src->pio[i],
					   "ports 0x%x-0x%x overlap ports "
					   "0x%x-0x%x (%s) of the same cell",
					   a->base,
					   a->base + a->length - 1, b->base,
					   b->base + b->length - 1,
					   loc_str(&src->pio[j]));
		}
}

static void check_devices(struct ctx *c, const struct cfg_cell *cell,
			  const struct cell_src *src)
{
	const struct cfg_vdev *v;
	uint32_t i, j;

	for (i = 0; i < cell->n_pci; i++)
		for (j = 0; j < i; j++)
			if (cell->pci[i].bdf == cell->pci[j].bdf)
				diag_error(c->d, &src->pci[i], "PCI device "
					   "%02x:%02x.%x is listed twice (%s)",
					   cell->pci[i].bdf >> 8,
					   cell->pci[i].bdf >> 3 & 31,
					   cell->pci[i].bdf & 7,
					   loc_str(&src->pci[j]));
	for (i = 0; i < cell->n_pin_sets; i++)
		for (j = 0; j < i; j++)
			if (cell->pin_sets[i].ioapic ==
			    cell->pin_sets[j].ioapic)
				diag_error(c->d, &src->pins[i], "IOAPIC %u "
					   "has two ioapic-pins entries (%s): "
					   "merge their pins",
					   cell->pin_sets[i].ioapic,
					   loc_str(&src->pins[j]));
	for (i = 0; i < cell->n_vdevs; i++) {
		v = &cell->vdevs[i];
		if (v->type == CFG_VDEV_TYPE_IVSHMEM &&
		    !(v->has & CFG_VDEV_HAS_BDF))
			diag_error(c->d, &src->vdev[i], "an ivshmem device "
				   "needs 'bdf', its virtual PCI address");
		if (v->type == CFG_VDEV_TYPE_UART &&
		    !(v->has & CFG_VDEV_HAS_BASE))
			diag_error(c->d, &src->vdev[i], "a uart device needs "
				   "'base', its port (like 0x2f8)");
	}
}

static int cpus_empty(const struct cfg_cell *cell)
{
	int i;

	for (i = 0; i < CFG_MAX_CPUS / 64; i++)
		if (cell->cpus[i])
			return 0;
	return 1;
}

/* The hypervisor keeps room for CFG_MAX_CELL_CPUS CPUs in one cell. */
static void check_cpu_count(struct ctx *c, const struct cfg_cell *cell,
			    const struct cell_src *src)
{
	unsigned int cpu, n = 0;

	if (src->cpus_bad)
		return;
	for (cpu = 0; cpu < CFG_MAX_CPUS; cpu++)
		n += cfg_cpu_test(cell, cpu);
	if (n > CFG_MAX_CELL_CPUS)
		diag_error(c->d, &src->cpus, "cell '%s' has %u CPUs: one cell "
			   "may own at most %d; give it fewer (or split it "
			   "into several cells)", cell->name, n,
			   CFG_MAX_CELL_CPUS);
}

/*
 * A cell's CPUs start in real mode at CS:IP derived from the entry point,
 * so it must be below 1M and inside memory the cell may execute.
 */
static void check_entry(struct ctx *c, const struct cfg_cell *cell,
			const struct cell_src *src)
{
	const struct cfg_mem_region *r;
	uint32_t i;

	if (src->has_entry < 0)
		return;			/* did not parse */
	for (i = 0; i < cell->n_mem; i++)
		if (src->mem[i].bad || !region_sane(&cell->mem[i]))
			return;		/* the broken region may be the one */
	if (cell->entry > 0xfffff) {
		diag_error(c->d, &src->entry, "entry 0x%llx is above 1M: CPUs "
			   "start in real mode and reach only the first "
			   "megabyte", ULL(cell->entry));
		return;
	}
	if (!cell->n_mem) {
		diag_warn(c->d, &src->item, "cell '%s' has no memory region: "
			  "its CPUs have nowhere to run", cell->name);
		return;
	}
	for (i = 0; i < cell->n_mem; i++) {
		r = &cell->mem[i];
		if (src->mem[i].bad || cell->entry < r->guest ||
		    cell->entry - r->guest >= r->size)
			continue;
		if (!(r->flags & CFG_MEM_EXECUTE))
			diag_error(c->d, &src->entry, "entry 0x%llx lies in "
				   "region %s, which is not executable: add "
				   "execute to its access", ULL(cell->entry),
				   region_name(r, i));
		return;
	}
	if (src->has_entry)
		diag_error(c->d, &src->entry, "entry 0x%llx is not inside any "
			   "memory region of cell '%s' (guest addresses)",
			   ULL(cell->entry), cell->name);
	else
		diag_error(c->d, &src->entry, "cell '%s' starts at 0x0 (no "
			   "'entry' given), but no memory region has guest "
			   "address 0: give 'guest: 0x0' to its RAM or set "
			   "'entry'", cell->name);
}

/*
 * A cell's virtual devices: pc-legacy, the ports PC images probe, is the
 * one model the hypervisor has; once per cell, without bdf, base or size,
 * and not in the root cell, which has the real devices. The hypervisor
 * checks the same (cfg_check_vdev in hypervisor/config.c).
 */
static void check_vdev(struct ctx *c, const struct cfg_cell *cell,
		       const struct cell_src *src, uint32_t i, int is_root)
{
	static const char *const types[] = CFG_VDEV_TYPES;
	const struct cfg_vdev *v = &cell->vdevs[i];
	uint32_t j;

	if (v->type != CFG_VDEV_TYPE_PC_LEGACY) {
		diag_error(c->d, &src->vdev[i], "virtual device type '%s' is "
			   "not implemented yet: the hypervisor has no model "
			   "for it, and refuses a config that lists it (only "
			   "'%s' is); remove the entry", types[v->type],
			   CFG_VDEV_PC_LEGACY);
		return;
	}
	if (is_root) {
		diag_error(c->d, &src->vdev[i], "'%s' in the root cell: the "
			   "root has the real devices; remove the entry",
			   CFG_VDEV_PC_LEGACY);
		return;
	}
	if (v->has)
		diag_error(c->d, &src->vdev[i], "'%s' takes no bdf, base or "
			   "size (its ports are fixed): remove them",
			   CFG_VDEV_PC_LEGACY);
	for (j = 0; j < i; j++)
		if (cell->vdevs[j].type == CFG_VDEV_TYPE_PC_LEGACY) {
			diag_error(c->d, &src->vdev[i], "'%s' is listed "
				   "twice (first %s): give it once",
				   CFG_VDEV_PC_LEGACY, loc_str(&src->vdev[j]));
			return;
		}
}

/*
 * Keys the hypervisor refuses (cfg_check_implemented in
 * hypervisor/config.c): pci-devices and ioapic-pins in the root cell,
 * which owns every device and pin no cell was given; say so here with
 * their place.
 */
static void check_implemented(struct ctx *c, const struct cfg_cell *cell,
			      const struct cell_src *src, int is_root)
{
	uint32_t i;

	if (cell->n_pci && is_root)
		diag_error(c->d, &src->pci_key, "'pci-devices' in the root "
			   "cell: the root owns every PCI device not given to "
			   "a cell, so it lists none; remove the key (list "
			   "devices in the cell configs that take them)");
	if (cell->n_pin_sets && is_root)
		diag_error(c->d, &src->pins_key, "'ioapic-pins' in the root "
			   "cell: the root owns every IOAPIC pin not given to "
			   "a cell, so it lists none; remove the key (list "
			   "pins in the cell configs that take them)");
	for (i = 0; i < cell->n_vdevs; i++)
		check_vdev(c, cell, src, i, is_root);
}

/*
 * A cell's name is typed on command lines (cellctl start NAME) and
 * completed by the shell: letters, digits, '-', '_' and '.', starting
 * with a letter or digit. "root" names the root cell in list and stats.
 */
static void check_cell_name(struct ctx *c, const struct cfg_cell *cell,
			    const struct cell_src *src)
{
	const char *s = cell->name;
	size_t bad;

	if (!strcmp(s, CFG_ROOT_CELL_NAME)) {
		diag_error(c->d, &src->name, "'%s' is the root cell's name "
			   "(cellctl list, cellctl stats root): give the cell "
			   "another name", s);
		return;
	}
	bad = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		     "0123456789-_.");
	if (s[bad] || !isalnum((unsigned char)s[0]))
		diag_error(c->d, &src->name, "cell name '%s' may hold only "
			   "letters, digits, '-', '_' and '.', starting with "
			   "a letter or digit (it is typed in commands such "
			   "as 'cellctl start NAME')", s);
}

static void check_cell_alone(struct ctx *c, const struct cfg_cell *cell,
			     const struct cell_src *src, int is_root)
{
	uint32_t i;

	if (cpus_empty(cell) && !src->cpus_bad)
		diag_error(c->d, &src->cpus, "cell '%s' has no CPU: give "
			   "'cpus', like 'cpus: 1'", cell->name);
	for (i = 0; i < cell->n_mem; i++)
		check_region(c, &cell->mem[i], &src->mem[i], i);
	check_mem_pairs(c, cell, src);
	check_pio_pairs(c, cell, src);
	check_devices(c, cell, src);
	check_implemented(c, cell, src, is_root);
}

/* ---- the system ---- */

static void check_phys_size(struct ctx *c, const char *what, uint64_t phys,
			    uint64_t size, const struct loc *at)
{
	if (!size)
		diag_error(c->d, at, "%s has size 0", what);
	else if ((phys | size) & (PAGE - 1))
		diag_error(c->d, at, "%s 0x%llx size 0x%llx is not 4K-aligned",
			   what, ULL(phys), ULL(size));
	else if (phys + size < phys)
		diag_error(c->d, at, "%s runs past the end of the address "
			   "space", what);
}

static void check_root_memory(struct ctx *c, const struct cfg_system *sys,
			      const struct sys_src *s)
{
	const struct cfg_mem_region *r;
	uint32_t i;

	for (i = 0; i < sys->root.n_mem; i++) {
		r = &sys->root.mem[i];
		if (!region_sane(r) || (r->flags & CFG_MEM_COMM_PAGE))
			continue;
		if (overlap(r->phys, r->size, sys->hv_phys, sys->hv_size))
			diag_error(c->d, &s->root.mem[i].phys, "root-cell "
				   "region %s (0x%llx-0x%llx) overlaps the "
				   "hypervisor memory 0x%llx-0x%llx (%s)",
				   region_name(r, i), ULL(r->phys),
				   ULL(last(r->phys, r->size)),
				   ULL(sys->hv_phys),
				   ULL(last(sys->hv_phys, sys->hv_size)),
				   loc_str(&s->hv_phys));
		if (sys->has_pool && overlap(r->phys, r->size,
					     sys->pool_phys, sys->pool_size))
			diag_error(c->d, &s->root.mem[i].phys, "root-cell "
				   "region %s (0x%llx-0x%llx) overlaps the "
				   "cell pool (%s): the pool is reserved for "
				   "cells", region_name(r, i), ULL(r->phys),
				   ULL(last(r->phys, r->size)),
				   loc_str(&s->pool));
	}
}

/*
 * VT-d's interrupt remapping checks each IOAPIC message's requester ID;
 * without it the hypervisor leaves remapping off (iommu.md).
 */
static void check_ioapic_sids(struct ctx *c, const struct cfg_system *sys,
			      const struct sys_src *s)
{
	uint32_t i, vtd = 0;

	for (i = 0; i < sys->n_iommus; i++)
		vtd |= sys->iommus[i].type == CFG_IOMMU_TYPE_VTD;
	for (i = 0; vtd && i < sys->n_ioapics; i++)
		if (!sys->ioapics[i].has_source_id)
			diag_warn(c->d, &s->ioapic[i], "IOAPIC %u has no "
				  "source-id: interrupt remapping stays off; "
				  "add its requester ID from the ACPI DMAR "
				  "table (cellctl config create writes it)",
				  sys->ioapics[i].id);
}

static void check_platform(struct ctx *c, const struct cfg_system *sys,
			   const struct sys_src *s)
{
	uint32_t i, j;

	if (sys->has_mmconfig && (sys->mmconfig & 0xfffff))
		diag_error(c->d, &s->mmconfig, "mmconfig 0x%llx must be "
			   "1M-aligned", ULL(sys->mmconfig));
	for (i = 0; i < sys->n_ioapics; i++)
		for (j = 0; j < i; j++)
			if (sys->ioapics[i].id == sys->ioapics[j].id)
				diag_error(c->d, &s->ioapic[i], "IOAPIC id %u "
					   "is already used (%s)",
					   sys->ioapics[i].id,
					   loc_str(&s->ioapic[j]));
	for (i = 0; i < sys->n_iommus; i++)
		if (!sys->iommus[i].size ||
		    ((sys->iommus[i].base | sys->iommus[i].size) & (PAGE - 1)))
			diag_error(c->d, &s->iommu[i], "IOMMU registers must "
				   "be a non-empty 4K-aligned range");
	check_ioapic_sids(c, sys, s);
}

static void check_system(struct ctx *c, struct cfg_file *f)
{
	const struct cfg_system *sys = &f->sys;
	const struct sys_src *s = &f->sys_src;

	if (!s->hv_bad)
		check_phys_size(c, "hypervisor memory", sys->hv_phys,
				sys->hv_size, &s->hv);
	if (sys->has_pool) {
		check_phys_size(c, "cell-pool", sys->pool_phys,
				sys->pool_size, &s->pool);
		if (overlap(sys->pool_phys, sys->pool_size, sys->hv_phys,
			    sys->hv_size))
			diag_error(c->d, &s->pool, "cell-pool overlaps the "
				   "hypervisor memory (%s)",
				   loc_str(&s->hv_phys));
	}
	if (!cfg_cpu_test(&sys->root, 0) && !s->root.cpus_bad)
		diag_error(c->d, &s->root.cpus, "the root cell must keep CPU "
			   "0: Linux cannot give it away");
	check_cell_alone(c, &sys->root, &s->root, 1);
	check_root_memory(c, sys, s);
	check_platform(c, sys, s);
}

/* ---- placement of intent-level regions ---- */

/* Does [base, base+size) collide with any region that has a place? */
static const struct cfg_mem_region *placed_conflict(struct ctx *c,
						    uint64_t base,
						    uint64_t size)
{
	const struct cfg_mem_region *r;
	int f;
	uint32_t i;

	for (f = 0; f < c->n; f++) {
		if (c->files[f]->kind != CFG_KIND_CELL)
			continue;
		for (i = 0; i < c->files[f]->cell.n_mem; i++) {
			r = &c->files[f]->cell.mem[i];
			if (has_phys(r, &c->files[f]->cell_src.mem[i]) &&
			    region_sane(r) &&
			    overlap(base, size, r->phys, r->size))
				return r;
		}
	}
	return NULL;
}

static int place_one(struct ctx *c, struct cfg_mem_region *r)
{
	const struct cfg_system *sys = &c->sys->sys;
	const struct cfg_mem_region *hit;
	uint64_t align = r->size >= (2u << 20) ? (2u << 20) : PAGE;
	uint64_t end = sys->pool_phys + sys->pool_size, cand;

retry:
	cand = (sys->pool_phys + align - 1) & ~(align - 1);
	while (cand + r->size <= end && cand + r->size > cand) {
		hit = placed_conflict(c, cand, r->size);
		if (!hit) {
			r->phys = cand;
			return 0;
		}
		cand = (hit->phys + hit->size + align - 1) & ~(align - 1);
	}
	if (align > PAGE) {	/* large alignment is a wish, not a need */
		align = PAGE;
		goto retry;
	}
	return -1;
}

static void place_cell(struct ctx *c, struct cfg_file *f, int need_placed)
{
	struct cfg_mem_region *r;
	struct mem_src *s;
	char size[32];
	uint32_t i;

	for (i = 0; i < f->cell.n_mem; i++) {
		r = &f->cell.mem[i];
		s = &f->cell_src.mem[i];
		if (s->has_phys || (r->flags & CFG_MEM_COMM_PAGE) ||
		    !region_sane(r))
			continue;
		cfg_format_size(r->size, size, sizeof(size));
		if (!c->sys || !c->sys->sys.has_pool) {
			if (need_placed)
				diag_error(c->d, &s->item, "region %s gives "
					   "no 'phys' and there is no cell "
					   "pool to place it in: pass the "
					   "system config with a cell-pool "
					   "(-s SYS.yaml) or give 'phys'",
					   region_name(r, i));
			continue;
		}
		if (place_one(c, r)) {
			diag_error(c->d, &s->item, "no room for region %s "
				   "(%s) in the cell pool (%s): enlarge the "
				   "pool or shrink the cells",
				   region_name(r, i), size,
				   loc_str(&c->sys->sys_src.pool));
			continue;
		}
		s->has_phys = 2;
		diag_note(c->d, &s->item, "placed region %s (%s) at phys "
			  "0x%llx", region_name(r, i), size, ULL(r->phys));
	}
}

/* ---- a cell against the system ---- */

static void check_cell_cpus(struct ctx *c, const struct cfg_cell *cell,
			    const struct cell_src *src)
{
	const struct cfg_system *sys = &c->sys->sys;
	char have[256];
	unsigned int cpu;

	if (cfg_cpu_test(cell, 0))
		diag_error(c->d, &src->cpus, "CPU 0 belongs to the root cell "
			   "and cannot be given to cell '%s'", cell->name);
	cfg_format_cpus(sys->root.cpus, CFG_MAX_CPUS, have, sizeof(have));
	for (cpu = 1; cpu < CFG_MAX_CPUS; cpu++)
		if (cfg_cpu_test(cell, cpu) && !cfg_cpu_test(&sys->root, cpu))
			diag_error(c->d, &src->cpus, "CPU %u is not a CPU of "
				   "system '%s' (its root cell has CPUs %s)",
				   cpu, sys->name, have);
}

static void check_cell_memory(struct ctx *c, const struct cfg_cell *cell,
			      const struct cell_src *src)
{
	const struct cfg_system *sys = &c->sys->sys;
	const struct sys_src *ss = &c->sys->sys_src;
	const struct cfg_mem_region *r;
	uint32_t i;

	for (i = 0; i < cell->n_mem; i++) {
		r = &cell->mem[i];
		if (!has_phys(r, &src->mem[i]) || !region_sane(r))
			continue;
		if (overlap(r->phys, r->size, sys->hv_phys, sys->hv_size))
			diag_error(c->d, &src->mem[i].phys, "region %s "
				   "(0x%llx-0x%llx) overlaps the hypervisor "
				   "memory 0x%llx-0x%llx (%s)",
				   region_name(r, i), ULL(r->phys),
				   ULL(last(r->phys, r->size)),
				   ULL(sys->hv_phys),
				   ULL(last(sys->hv_phys, sys->hv_size)),
				   loc_str(&ss->hv_phys));
		else if (!cfg_region_available(sys, r))
			diag_error(c->d, &src->mem[i].phys, "region %s "
				   "(0x%llx-0x%llx) lies neither inside one "
				   "root-cell region nor inside the cell "
				   "pool, so no one can give it to this cell",
				   region_name(r, i), ULL(r->phys),
				   ULL(last(r->phys, r->size)));
	}
}

static void check_cell_io(struct ctx *c, const struct cfg_cell *cell,
			  const struct cell_src *src)
{
	const struct cfg_system *sys = &c->sys->sys;
	const struct cfg_ioapic *a;
	const struct cfg_pio_range *p;
	uint32_t i, j, pin;

	for (i = 0; i < cell->n_pio; i++) {
		p = &cell->pio[i];
		if (!p->length)
			continue;
		if (!cfg_pio_available(sys, p))
			diag_error(c->d, &src->pio[i], "ports 0x%x-0x%x are "
				   "not all in one port range of the root "
				   "cell, so no one can give them to this cell",
				   p->base, p->base + p->length - 1);
		if (sys->console_type == CFG_CONSOLE_TYPE_8250 &&
		    overlap(p->base, p->length, sys->console_port, 8))
			diag_warn(c->d, &src->pio[i], "cell '%s' takes the "
				  "debug console port 0x%x: the hypervisor's "
				  "messages and the cell's output will mix",
				  cell->name, sys->console_port);
	}
	for (i = 0; i < cell->n_pin_sets; i++) {
		for (j = 0, a = NULL; j < sys->n_ioapics; j++)
			if (sys->ioapics[j].id == cell->pin_sets[i].ioapic)
				a = &sys->ioapics[j];
		if (!a) {
			diag_error(c->d, &src->pins[i], "IOAPIC %u is not "
				   "in the system's platform ioapics",
				   cell->pin_sets[i].ioapic);
			continue;
		}
		for (pin = a->pins; pin < CFG_MAX_IOAPIC_PINS; pin++)
			if (cfg_pin_test(&cell->pin_sets[i], pin)) {
				diag_error(c->d, &src->pins[i], "IOAPIC %u "
					   "has only %u pins (0-%u), not pin "
					   "%u", a->id, a->pins, a->pins - 1,
					   pin);
				break;
			}
	}
}

/* ---- two cells ---- */

static void check_pair_mem(struct ctx *c, struct cfg_file *fa,
			   struct cfg_file *fb)
{
	const struct cfg_mem_region *a, *b;
	uint32_t i, j;

	for (i = 0; i < fb->cell.n_mem; i++) {
		b = &fb->cell.mem[i];
		if (!has_phys(b, &fb->cell_src.mem[i]) || !region_sane(b))
			continue;
		for (j = 0; j < fa->cell.n_mem; j++) {
			a = &fa->cell.mem[j];
			if (!has_phys(a, &fa->cell_src.mem[j]) ||
			    !region_sane(a))
				continue;
			if ((a->flags & b->flags & CFG_MEM_SHARED) &&
			    a->phys == b->phys && a->size == b->size)
				continue;
			if (overlap(a->phys, a->size, b->phys, b->size))
				diag_error(c->d, &fb->cell_src.mem[i].phys,
					   "region %s (0x%llx-0x%llx) is "
					   "already owned by cell '%s': its "
					   "region %s (%s) overlaps it%s",
					   region_name(b, i), ULL(b->phys),
					   ULL(last(b->phys, b->size)),
					   fa->cell.name, region_name(a, j),
					   loc_str(&fa->cell_src.mem[j].phys),
					   (a->flags | b->flags) &
					   CFG_MEM_SHARED ? " (shared regions "
					   "must match exactly)" : "");
		}
	}
}

static void check_pair_io(struct ctx *c, struct cfg_file *fa,
			  struct cfg_file *fb)
{
	const struct cfg_cell *a = &fa->cell, *b = &fb->cell;
	uint32_t i, j;

	for (i = 0; i < b->n_pio; i++)
		for (j = 0; j < a->n_pio; j++)
			if (b->pio[i].length && a->pio[j].length &&
			    overlap(b->pio[i].base, b->pio[i].length,
				    a->pio[j].base, a->pio[j].length))
				diag_error(c->d, &fb->cell_src.pio[i], "ports "
					   "0x%x-0x%x are already owned by "
					   "cell '%s' (%s)", b->pio[i].base,
					   b->pio[i].base +
					   b->pio[i].length - 1,
					   a->name,
					   loc_str(&fa->cell_src.pio[j]));
	for (i = 0; i < b->n_pci; i++)
		for (j = 0; j < a->n_pci; j++)
			if (b->pci[i].bdf == a->pci[j].bdf)
				diag_error(c->d, &fb->cell_src.pci[i], "PCI "
					   "device %02x:%02x.%x is already "
					   "owned by cell '%s' (%s)",
					   b->pci[i].bdf >> 8,
					   b->pci[i].bdf >> 3 & 31,
					   b->pci[i].bdf & 7, a->name,
					   loc_str(&fa->cell_src.pci[j]));
}

static void check_pair_pins(struct ctx *c, struct cfg_file *fa,
			    struct cfg_file *fb)
{
	const struct cfg_pin_set *x, *y;
	uint32_t i, j, pin;

	for (i = 0; i < fb->cell.n_pin_sets; i++)
		for (j = 0; j < fa->cell.n_pin_sets; j++) {
			x = &fb->cell.pin_sets[i];
			y = &fa->cell.pin_sets[j];
			if (x->ioapic != y->ioapic)
				continue;
			for (pin = 0; pin < CFG_MAX_IOAPIC_PINS; pin++)
				if (cfg_pin_test(x, pin) &&
				    cfg_pin_test(y, pin)) {
					diag_error(c->d, &fb->cell_src.pins[i],
						   "IOAPIC %u pin %u is "
						   "already owned by cell "
						   "'%s' (%s)", x->ioapic, pin,
						   fa->cell.name,
						   loc_str(&fa->cell_src
							   .pins[j]));
					break;
				}
		}
}

static void check_pair(struct ctx *c, struct cfg_file *fa,
		       struct cfg_file *fb)
{
	unsigned int cpu;

	if (!strcmp(fa->cell.name, fb->cell.name))
		diag_error(c->d, &fb->cell_src.name, "cell name '%s' is "
			   "already used (%s)", fb->cell.name,
			   loc_str(&fa->cell_src.name));
	for (cpu = 0; cpu < CFG_MAX_CPUS; cpu++)
		if (cfg_cpu_test(&fa->cell, cpu) &&
		    cfg_cpu_test(&fb->cell, cpu))
			diag_error(c->d, &fb->cell_src.cpus, "CPU %u is "
				   "already owned by cell '%s' (%s)", cpu,
				   fa->cell.name,
				   loc_str(&fa->cell_src.cpus));
	check_pair_mem(c, fa, fb);
	check_pair_io(c, fa, fb);
	check_pair_pins(c, fa, fb);
}

/* ---- the hypervisor's own checks, as a backstop ---- */

static int all_placed(const struct cfg_file *f)
{
	uint32_t i;

	if (f->kind != CFG_KIND_CELL)
		return 1;
	for (i = 0; i < f->cell.n_mem; i++)
		if (!(f->cell.mem[i].flags & CFG_MEM_COMM_PAGE) &&
		    f->cell_src.mem[i].has_phys <= 0)
			return 0;
	return 1;
}

/*
 * Compiles each file and runs the hypervisor's reader on the result. A
 * rejection here means cellctl's own checks missed a rule: say so plainly
 * instead of letting the hypervisor refuse it later.
 */
static void backstop(struct ctx *c)
{
	struct cfg_system *sys = NULL;
	struct cfg_cell **cells = calloc(c->n > 0 ? (size_t)c->n : 1,
					  sizeof(*cells));
	struct cfg_file **owner = calloc(c->n > 0 ? (size_t)c->n : 1,
					 sizeof(*owner));
	struct loc at;
	const char *why;
	size_t size;
	void *blob;
	int i, j, n = 0, err;

	for (i = 0; cells && owner && i < c->n; i++) {
		struct cfg_file *f = c->files[i];

		at = *cfg_file_loc(f);
		if (!all_placed(f) || cfg_compile(f, &blob, &size))
			continue;
		if (f->kind == CFG_KIND_SYSTEM) {
			sys = malloc(sizeof(*sys));
			err = sys ? cfg_parse_system(blob, size, sys, &why) : 0;
		} else {
			cells[n] = malloc(sizeof(**cells));
			err = cells[n] ? cfg_parse_cell(blob, size, cells[n],
							&why) : 0;
			if (cells[n] && !err)
				owner[n++] = f;
			else
				free(cells[n]);
		}
		free(blob);
		if (err)
			diag_error(c->d, &at, "the hypervisor would reject "
				   "this config (%s); cellctl should have said "
				   "why, please report this", why);
	}
	for (i = 0; sys && i < n; i++) {
		err = cfg_check_cell_in_system(sys, cells[i], &why);
		for (j = 0; !err && j < i; j++)
			err = cfg_check_cells_disjoint(cells[j], cells[i],
						       &why);
		at = *cfg_file_loc(owner[i]);
		if (err)
			diag_error(c->d, &at, "the hypervisor would reject "
				   "cell '%s' (%s); cellctl should have said "
				   "why, please report this", cells[i]->name,
				   why);
	}
	for (i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
	free(owner);
	free(sys);
}

/*
 * Several system configs may be checked (or compiled) side by side, each
 * alone; cells are checked against a system, so with cells there must be
 * exactly one.
 */
static void find_system(struct ctx *c)
{
	struct cfg_file *f;
	struct loc at;
	int i, systems = 0, cells = 0;

	for (i = 0; i < c->n; i++) {
		cells += c->files[i]->kind == CFG_KIND_CELL;
		if (c->files[i]->kind == CFG_KIND_SYSTEM && !systems++)
			c->sys = c->files[i];
	}
	if (systems < 2)
		return;
	for (i = 0; i < c->n && cells; i++) {
		f = c->files[i];
		if (f->kind != CFG_KIND_SYSTEM || f == c->sys)
			continue;
		at = *cfg_file_loc(f);
		diag_error(c->d, &at, "a second system config: cells are "
			   "checked against one system (first: %s)",
			   c->sys->path);
	}
	if (!cells)
		c->sys = NULL;
}

/*
 * A file with errors from loading is an incomplete model: checking it
 * further would report consequences of those errors, not new ones.
 */
static int usable(const struct cfg_file *f)
{
	return !f->errors;
}

/* One note per file left out, so silence is not taken for a pass. */
static void note_skipped(struct ctx *c)
{
	struct loc at;
	int i;

	for (i = 0; i < c->n; i++) {
		if (usable(c->files[i]))
			continue;
		at = (struct loc){ c->files[i]->path, 0, 0 };
		diag_note(c->d, &at, "further checks of this file skipped "
			  "until the errors above are fixed");
	}
}

static void check_cells_alone(struct ctx *c)
{
	struct cfg_file *f;
	int i;

	for (i = 0; i < c->n; i++) {
		f = c->files[i];
		if (f->kind != CFG_KIND_CELL || !usable(f))
			continue;
		check_cell_name(c, &f->cell, &f->cell_src);
		check_cell_alone(c, &f->cell, &f->cell_src, 0);
		check_cpu_count(c, &f->cell, &f->cell_src);
		check_entry(c, &f->cell, &f->cell_src);
	}
}

/*
 * A system that accepts DMA without an IOMMU (dma-isolation: none) lets a
 * cell's devices write anywhere where the hypervisor finds no IOMMU to
 * run (cellctl cannot tell): allowed, as the machine's owner chose it,
 * but said on every check and create of such a cell.
 */
static void warn_dma_isolation(struct ctx *c, const struct cfg_cell *cell,
			       const struct cell_src *src)
{
	if (!cell->n_pci || c->sys->sys.dma_isolation != CFG_DMA_ISOL_NONE)
		return;
	diag_warn(c->d, &src->pci_key, "cell '%s' gets PCI devices, but the "
		  "system config says dma-isolation: none (%s): unless the "
		  "hypervisor runs an IOMMU, nothing confines their DMA, "
		  "they can read and write any memory, the root's, the "
		  "hypervisor's and other cells'; on a machine with an "
		  "IOMMU, drop dma-isolation: none",
		  cell->name, loc_str(&c->sys->sys_src.dma_isolation));
}

static void check_cell_in_system(struct ctx *c, struct cfg_file *f)
{
	if (!c->sys && cfg_cpu_test(&f->cell, 0))
		diag_error(c->d, &f->cell_src.cpus, "CPU 0 belongs to the "
			   "root cell and cannot be given to cell '%s'",
			   f->cell.name);
	if (!c->sys || c->sys->kind != CFG_KIND_SYSTEM || !usable(c->sys))
		return;
	check_cell_cpus(c, &f->cell, &f->cell_src);
	check_cell_memory(c, &f->cell, &f->cell_src);
	check_cell_io(c, &f->cell, &f->cell_src);
	warn_dma_isolation(c, &f->cell, &f->cell_src);
}

void cfg_check(struct cfg_file **files, int n, int need_placed,
	       struct diag *d)
{
	struct ctx c = { .d = d, .files = files, .n = n };
	unsigned int errors = d->errors;
	int i, j;

	find_system(&c);
	for (i = 0; i < n; i++)
		if (files[i]->kind == CFG_KIND_SYSTEM && usable(files[i]))
			check_system(&c, files[i]);
	check_cells_alone(&c);
	for (i = 0; i < n; i++)
		if (files[i]->kind == CFG_KIND_CELL && usable(files[i]) &&
		    (!c.sys || usable(c.sys)))
			place_cell(&c, files[i], need_placed);
	for (i = 0; i < n; i++) {
		if (files[i]->kind != CFG_KIND_CELL || !usable(files[i]))
			continue;
		check_cell_in_system(&c, files[i]);
		for (j = 0; j < i; j++)
			if (files[j]->kind == CFG_KIND_CELL &&
			    usable(files[j]))
				check_pair(&c, files[j], files[i]);
	}
	note_skipped(&c);
	for (i = 0; i < n; i++)
		if (files[i]->errors)
			return;	/* the model is incomplete: no backstop */
	if (d->errors == errors)
		backstop(&c);
}

/* ---- the kind a command expects ---- */

const struct loc *cfg_file_loc(const struct cfg_file *f)
{
	return f->kind == CFG_KIND_SYSTEM ? &f->sys_src.item :
					    &f->cell_src.item;
}


int cfg_want_system(const struct cfg_file *f, const char *given_to,
		    struct diag *d)
{
	if (f->kind == CFG_KIND_SYSTEM || f->kind == CFG_KIND_UNKNOWN)
		return f->kind == CFG_KIND_SYSTEM ? 0 : -EINVAL;
	diag_error(d, cfg_file_loc(f), "%s takes a system config (kind: system), "
		   "but this is cell '%s' (kind: cell): %s", given_to,
		   f->cell.name, strcmp(given_to, "-s") ?
		   "a cell config goes to 'cellctl create'" :
		   "give the system config of the machine with -s and the "
		   "cell config after it");
	return -EINVAL;
}

int cfg_want_cell(const struct cfg_file *f, const char *given_to,
		  struct diag *d)
{
	if (f->kind == CFG_KIND_CELL || f->kind == CFG_KIND_UNKNOWN)
		return f->kind == CFG_KIND_CELL ? 0 : -EINVAL;
	diag_error(d, cfg_file_loc(f), "%s takes a cell config (kind: cell), but "
		   "this is system '%s' (kind: system): a system config is "
		   "given to 'cellctl enable', or to %s with -s", given_to,
		   f->sys.name, given_to);
	return -EINVAL;
}

/* ---- this machine's System RAM (/proc/iomem) ---- */

#define RAM_RANGES_MAX	256

struct ram_ranges {
	unsigned int n;
	uint64_t start[RAM_RANGES_MAX];
	uint64_t end[RAM_RANGES_MAX];	/* inclusive */
};

/*
 * The "System RAM" lines of an iomem listing. 0 when there is none to go
 * by: unreadable, or every address shown as 0 (the kernel hides them from
 * users other than root).
 */
static int read_system_ram(const char *path, struct ram_ranges *ram)
{
	struct iomem *m = malloc(sizeof(*m));
	unsigned int i;
	int err;

	ram->n = 0;
	if (!m)
		return 0;
	err = iomem_read(path, m);
	for (i = 0; (!err || err == -E2BIG) && i < m->n &&
	     ram->n < RAM_RANGES_MAX; i++) {
		if (!iomem_is_ram(&m->r[i]))
			continue;
		ram->start[ram->n] = m->r[i].start;
		ram->end[ram->n++] = m->r[i].end;
	}
	free(m);
	return ram->n > 0;
}

/* The first System RAM range that [phys, phys + size) meets, or -1. */
static int ram_hit(const struct ram_ranges *ram, uint64_t phys,
		   uint64_t size)
{
	unsigned int k;

	for (k = 0; k < ram->n; k++)
		if (phys <= ram->end[k] && last(phys, size) >= ram->start[k])
			return k;
	return -1;
}

static void warn_region_ram(struct diag *d, const struct cfg_mem_region *r,
			    const struct mem_src *s, int i,
			    const struct ram_ranges *ram, const char *path)
{
	int k = ram_hit(ram, r->phys, r->size);

	if (k < 0)
		return;
	diag_warn(d, &s->phys, "region %s (0x%llx-0x%llx) is System RAM "
		  "that Linux uses on this machine (0x%llx-0x%llx in %s): the "
		  "driver will refuse the cell; give it a phys inside the "
		  "memmap= reserved region, or reserve the range with "
		  "memmap=0x%llx$0x%llx", region_name(r, i), ULL(r->phys),
		  ULL(last(r->phys, r->size)), ULL(ram->start[k]),
		  ULL(ram->end[k]), path, ULL(r->size), ULL(r->phys));
}

/*
 * This machine runs the system when its hypervisor region is reserved
 * here. Elsewhere (the workstation that writes the configs, or this
 * machine before memmap= is set, which enable reports itself) a cell's
 * phys says nothing about this machine's RAM.
 */
static const struct cfg_system *system_here(struct cfg_file **files, int n,
					    const struct ram_ranges *ram)
{
	const struct cfg_system *sys;
	int f;

	for (f = 0; f < n; f++) {
		if (files[f]->kind != CFG_KIND_SYSTEM)
			continue;
		sys = &files[f]->sys;
		if (!sys->hv_size || sys->hv_phys + sys->hv_size < sys->hv_phys)
			return NULL;
		return ram_hit(ram, sys->hv_phys, sys->hv_size) < 0 ? sys :
								      NULL;
	}
	return NULL;
}

void cfg_warn_system_ram(struct cfg_file **files, int n, const char *iomem,
			 struct diag *d)
{
	struct ram_ranges *ram = malloc(sizeof(*ram));
	const struct cfg_cell *cell;
	int f;
	uint32_t i;

	if (!ram || !read_system_ram(iomem, ram) ||
	    !system_here(files, n, ram)) {
		free(ram);
		return;
	}
	for (f = 0; f < n; f++) {
		if (files[f]->kind != CFG_KIND_CELL)
			continue;
		cell = &files[f]->cell;
		for (i = 0; i < cell->n_mem; i++)
			if (has_phys(&cell->mem[i],
				     &files[f]->cell_src.mem[i]) &&
			    region_sane(&cell->mem[i]))
				warn_region_ram(d, &cell->mem[i],
						&files[f]->cell_src.mem[i], i,
						ram, iomem);
	}
	free(ram);
}
