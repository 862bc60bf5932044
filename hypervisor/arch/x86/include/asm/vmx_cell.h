/* SPDX-License-Identifier: GPL-2.0 */
/* VT-x side of cells: what vmx.c and vmx_cell.c give each other. */
#ifndef _HV_ASM_VMX_CELL_H
#define _HV_ASM_VMX_CELL_H

#include <hv/percpu.h>
#include <asm/cell_x86.h>

/* A cell's VT-x part (cell->arch), the root cell's too. */
struct vmx_cell {
	struct cell_x86 x;	/* EPT, I/O bitmaps A and B, flush state */
	u8 *msr_bitmap;		/* the root's, or the cells' one */
};

static inline struct vmx_cell *vmx_cell_of(const struct cell *c)
{
	return c->arch;
}

/*
 * vmx_cell.c: root_cell's VT-x part, with its bitmaps and an empty EPT
 * (vmx.c maps the root's memory into it).
 */
int vmx_cell_root_init(bool huge_1g);

/* vmx.c gives these to vmx_cell.c; they work on the current VMCS. */
/* The root's controls: required bits, VPID, EPT, MSR and I/O bitmaps. */
void vmx_root_controls(void);
void vmx_skip(void);
void vmx_inject(u8 vector, bool has_error, u32 error);
void vmx_invept_all(void);
void vmx_invvpid_all(void);
void vmx_msr_bitmap_build(u8 *map, bool cell);
/* A general-purpose register by its VMX number (not RSP: it is a field). */
u64 *vmx_gpr(struct registers *r, unsigned int n);

/*
 * vmx_cell.c gives these to vmx.c.  vmx_cell_exit() is called first for
 * every exit: true when the exit was a cell's (or the root's halt, port,
 * ICR or memory access that cells concern) and is fully handled.
 */
/* Management exits (stop NMIs, CR0.NE, root halts): true when handled. */
bool vmx_cell_exit(struct per_cpu *pc, struct registers *r, u32 reason);
/* Parks this CPU until its cell starts it or the root takes it back. */
void vmx_cell_park(struct per_cpu *pc);
/* A stop or INIT pending for this cell CPU parks it now. */
void vmx_cell_check_park(struct per_cpu *pc);
void vmx_cell_entry_failed(struct per_cpu *pc, u32 reason);
/* Called by vmx_root_controls(): the root's I/O bitmaps. */
void vmx_cell_root_controls(void);
void vmx_cell_init(void);

#endif
