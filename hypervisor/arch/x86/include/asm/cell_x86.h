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
/*
 * A cell's bitmap: only its ports pass, the debug console's and those a
 * device model claimed never (call after dev_cell_init()).
 */
void cell_io_bitmap_fill(const struct cell *c, u8 *bitmap, u64 size);
/* @root's bitmap: the ports of @c exit (@take) or pass again. */
void cell_root_ports(struct cell *root, const struct cell *c, bool take);
bool cell_has_port(const struct cell *c, u32 port);

struct vcpu_io;

/* A port access of the root to a port a cell owns: reads all ones. */
void cell_root_pio(const struct vcpu_io *io, u64 *rax);

/* ---- the root's second-level tables (NPT or EPT) ---- */

/* The cell's regions into its tables; @flags maps CFG_MEM_* to a leaf. */
int cell_map_regions(const struct cell *c, struct paging *pg,
		     u64 (*flags)(u32 cfg_flags));
/* Regions the root loses while the cell exists. */
bool cell_region_taken(const struct cfg_mem_region *r);
/*
 * Every region of @c taken from @root (or only the loadable ones)
 * hidden from it or shown again.
 */
int cell_root_map(struct cell *root, const struct cell *c,
		  bool loadable_only, bool map);
/* Hides the non-loadable regions of @c; on error everything is shown. */
int cell_root_take(struct cell *root, const struct cell *c);

/* A cell's hypercall: false when not allowed (the caller fails the cell). */
bool cell_guest_hypercall(const struct cell *c, u64 nr, u64 arg0, s64 *ret);

/* The root touched a cell's memory: reported, the vendor injects #GP. */
void cell_root_mem_report(struct per_cpu *pc, u64 gpa, u64 rip);

#endif
