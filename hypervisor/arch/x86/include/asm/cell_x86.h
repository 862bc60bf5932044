/* SPDX-License-Identifier: GPL-2.0 */
/* x86 cell pieces both vendors share: ports, virtual console, root memory. */
#ifndef _HV_ASM_CELL_X86_H
#define _HV_ASM_CELL_X86_H

#include <hv/cell.h>
#include <hv/paging.h>

/*
 * What every cell's vendor part (struct svm_cell, struct vmx_cell, in
 * cell->arch) starts with, the root cell's included: its second-level
 * tables and port bitmap, and how the root's tables are kept in step
 * with its CPUs.  The root's and a cell's differ only in this data.
 */
struct cell_x86 {
	struct paging pg;	/* NPT or EPT: guest-physical to host */
	u8 *io_bitmap;		/* AMD's IOPM; Intel's bitmaps A and B */
	/* The root's leaf flags: its own identity map, a cell's page. */
	u64 leaf_shown;
	u64 leaf_hidden;	/* the read-only page of zeros */
	/* A cell's: the leaf flags (NPT or EPT) of a region's CFG_MEM_*. */
	u64 (*leaf)(u32 cfg_flags);
	/*
	 * Bumped when pg loses or regains pages under running CPUs, which
	 * flush their TLB at their next exit when seen_gen lags (the root;
	 * a cell's CPUs flush at every start).
	 */
	volatile u32 gen;
	u32 seen_gen[CELLVISOR_MAX_CPUS];
	bool apic_trapped;	/* root: its xAPIC page is out of pg */
};

static inline struct cell_x86 *cell_x86(const struct cell *c)
{
	return c->arch;
}

/* ---- ports ---- */

/*
 * An I/O permission bitmap: one bit per port, set = the access exits.
 * AMD's IOPM and Intel's bitmaps A and B (kept contiguous) look alike.
 */
void cell_io_bitmap_set(u8 *bitmap, u32 port, u32 len, bool intercept);
bool cell_has_port(const struct cell *c, u32 port);

struct vcpu_io;

/* A port access of the root to a port a cell owns: reads all ones. */
void cell_root_pio(const struct vcpu_io *io, u64 *rax);

/*
 * ---- moving resources between cells, the root (cell 0) included ----
 *
 * Create moves what a cell's config lists from the root to the cell,
 * destroy moves it back, with the same operations: what a cell owns
 * passes (or is mapped) in its vendor part, and exits (or faults) in
 * the one it came from.
 */

/*
 * Ports [@base, @base + @len): they exit in @from from now on and pass
 * in @to, but for these: the root keeps the debug console's; the root's
 * 0xcf8-0xcff exit in it from enable on; a cell's debug-console ports
 * and those its device models claimed exit (call after dev_cell_init()).
 */
void cell_move_ports(struct cell *from, struct cell *to, u32 base, u32 len);
/*
 * A cell's region @r out of @from's tables (the root keeps a read-only
 * page of zeros there) into @to's (the root's at its physical address,
 * a cell's at its guest address).  On error both are as before.
 */
int cell_move_memory(struct cell *from, struct cell *to,
		     const struct cfg_mem_region *r);
/* Regions the root loses while the cell exists. */
bool cell_region_taken(const struct cfg_mem_region *r);

/*
 * The root cell's part at enable, once its tables exist: leaf flags,
 * and a port bitmap where only config mechanism 1 exits.
 */
void cell_x86_root_init(struct cell_x86 *x, u64 io_bitmap_size,
			u64 leaf_shown, u64 leaf_hidden);
/*
 * Then its memory, identity-mapped with its leaf flags: every address
 * below @top but the hypervisor's region.  0 or -errno.
 */
int cell_x86_root_map(struct cell_x86 *x, u64 top);
/*
 * Create: everything @c's config lists from the root into @c's empty
 * tables and bitmap (its BARs too; its IOAPIC and ECAM pages out of the
 * root's).  Loadable regions stay the root's too until start, shared
 * ones for good.  On error both cells are as before.
 */
int cell_x86_take(struct cell *c, u64 io_bitmap_size);
/* Destroy: everything back to the root; the first error (all is tried). */
int cell_x86_give_back(struct cell *c);
/*
 * The vendors' create after their part of @c is set up (@arch_err: how
 * that went): cell_x86_take(), or on error @c's tables freed.
 */
int cell_x86_create(struct cell *c, int arch_err, u64 io_bitmap_size);
/* The vendors' destroy: cell_x86_give_back(), errors said, tables freed. */
void cell_x86_destroy(struct cell *c);
/* @c's loadable regions: the root's (@root_sees, until start) or not. */
int cell_root_loadable(struct cell *c, bool root_sees);

/* A cell's hypercall: false when not allowed (the caller fails the cell). */
bool cell_guest_hypercall(const struct cell *c, u64 nr, u64 arg0, s64 *ret);

/* The root touched a cell's memory: reported, the vendor injects #GP. */
void cell_root_mem_report(struct per_cpu *pc, u64 gpa, u64 rip);

#endif
