/* SPDX-License-Identifier: GPL-2.0 */
/* x86 cell pieces both vendors share: ports, virtual console, root memory. */
#ifndef _HV_ASM_CELL_X86_H
#define _HV_ASM_CELL_X86_H

#include <hv/cell.h>

struct paging;

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
/* The root's bitmap: the cell's ports exit (@take) or pass again. */
void cell_root_ports(const struct cell *c, u8 *root_bitmap, bool take);
bool cell_has_port(const struct cell *c, u32 port);

struct vcpu_io;

/* A port access of the root to a port a cell owns: reads all ones. */
void cell_root_pio(const struct vcpu_io *io, u64 *rax);

/* ---- the root's second-level tables (NPT or EPT) ---- */

struct cell_root_tables {
	struct paging *pg;
	u64 hidden;		/* leaf flags of the read-only zero page */
	u64 shown;		/* leaf flags of the root's own identity map */
};

/* The cell's regions into its tables; @flags maps CFG_MEM_* to a leaf. */
int cell_map_regions(const struct cell *c, struct paging *pg,
		     u64 (*flags)(u32 cfg_flags));
/* Regions the root loses while the cell exists. */
bool cell_region_taken(const struct cfg_mem_region *r);
int cell_root_hide(const struct cell_root_tables *t,
		   const struct cfg_mem_region *r);
/* Every taken region (or only the loadable ones) hidden or shown again. */
int cell_root_map(const struct cell_root_tables *t, const struct cell *c,
		  bool loadable_only, bool map);
/* Hides the cell's non-loadable regions; on error everything is shown. */
int cell_root_take(const struct cell_root_tables *t, const struct cell *c);

/* A cell's hypercall: false when not allowed (the caller fails the cell). */
bool cell_guest_hypercall(const struct cell *c, u64 nr, u64 arg0, s64 *ret);

/* The root touched a cell's memory: reported, the vendor injects #GP. */
void cell_root_mem_report(struct per_cpu *pc, u64 gpa, u64 rip);

#endif
