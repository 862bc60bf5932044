/* SPDX-License-Identifier: GPL-2.0 */
/* AMD-V side of cells: exit routing and the root's resources svm.c shares. */
#ifndef _HV_ASM_SVM_CELL_H
#define _HV_ASM_SVM_CELL_H

#include <hv/percpu.h>
#include <asm/cell_x86.h>
#include <asm/svm.h>

/* A cell's AMD-V part (cell->arch), the root cell's too. */
struct svm_cell {
	struct cell_x86 x;	/* NPT, IOPM (3 pages), flush generation */
	u8 *msrpm;		/* 2 pages: the root's, or the cells' one */
};

static inline struct svm_cell *svm_cell_of(const struct cell *c)
{
	return c->arch;
}

/*
 * svm_cell.c: root_cell's AMD-V part, with its bitmaps and an empty
 * NPT of @levels levels (svm.c maps the root's memory into it).
 */
int svm_cell_root_init(unsigned int levels, bool huge_1g);

/* svm.c gives this to svm_cell.c: the root's intercepts and tables. */
void svm_root_control(struct vmcb *vmcb);

/*
 * Called first for every exit: true when the exit was a cell's (or the
 * root's cell-related halt, port or APIC access) and is fully handled.
 */
struct vcpu_io;

/* Management exits (stop NMIs, the root's last halt): true when handled. */
bool svm_cell_exit(struct per_cpu *pc, struct vmcb *vmcb);
/* Parks this CPU until its cell starts it or the root takes it back. */
void svm_cell_park(struct per_cpu *pc, struct vmcb *vmcb);
void svm_exit_io(const struct vmcb *vmcb, struct vcpu_io *io);
void svm_entry_refused(struct per_cpu *pc, struct vmcb *vmcb);
void svm_msrpm_set(void *map, u32 msr, bool read, bool write);
void svm_msrpm_build(u8 *map, bool cell);
void svm_cell_init(void);

#endif
