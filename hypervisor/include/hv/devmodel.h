/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device models.  Every trapped access of a cell (a port, an MMIO address,
 * a PCI config register) is looked up in that cell's table of claimed
 * ranges and handed to the model that claimed it.  A model registers
 * itself with DEV_MODEL(); at cell creation each model's cell_init()
 * decides from the cell's config whether it serves the cell and claims
 * its ranges with dev_claim().  An access no model claimed keeps the
 * caller's rule (a cell: FAILED with the reason).
 */
#ifndef _HV_DEVMODEL_H
#define _HV_DEVMODEL_H

#include <hv/types.h>

struct cell;
struct per_cpu;

enum dev_space {
	DEV_SPACE_PIO,		/* addr: the port */
	DEV_SPACE_MMIO,		/* addr: guest-physical */
	/* addr: ECAM offset, bus << 20 | devfn << 12 | reg */
	DEV_SPACE_PCI_CFG,
};

struct dev_access {
	enum dev_space space;
	u64 addr;
	unsigned int size;	/* 1, 2, 4 or 8 bytes */
	bool write;
	u64 val;		/* the value written; a read's result */
};

/* Where a model is called from: the CPU that trapped and its cell. */
struct dev_call {
	struct per_cpu *pc;
	struct cell *cell;
	void *priv;		/* what the model gave dev_claim() */
	u64 base;		/* start of the claimed range */
	u64 rip;		/* for reasons given to cell_fail() */
};

/* What access() returns. */
enum dev_result {
	DEV_DONE,		/* handled; a read's value is in val */
	DEV_STOPPED,		/* the model stopped the cell (cell_fail()
				 * with the reason, or the cell's exit) */
	DEV_REFUSED,		/* not an access the model serves (a size,
				 * a direction): the caller's rule, as if
				 * nothing claimed it */
};

struct dev_model {
	const char *name;
	/* Claims the cell's ranges, if the model serves it: 0 or -errno. */
	int (*cell_init)(struct cell *c);
	/* Gives back what cell_init() took (ranges are dropped for it). */
	void (*cell_exit)(struct cell *c);
	/* Power-on state, before the cell's first start. */
	void (*reset)(struct cell *c);
	enum dev_result (*access)(const struct dev_call *call,
				  struct dev_access *a);
};

/* A claimed range of a cell (dev_claim()). */
struct dev_range {
	enum dev_space space;
	u64 base;
	u64 len;
	const struct dev_model *model;
	void *priv;
};

#define DEV_MAX_RANGES		32
#define DEV_STATE_BYTES		1024

/*
 * A cell's table, in struct cell.  Models keep their per-cell state in
 * the cell's state area (dev_alloc()): no pool, nothing to free one by
 * one; all of it goes with dev_cell_exit().
 */
struct dev_table {
	unsigned int n;
	struct dev_range range[DEV_MAX_RANGES];
	unsigned int state_used;
	u64 state[DEV_STATE_BYTES / 8];
};

/* Registration: no central list to edit. */
#define DEV_MODEL(m)							\
	static const struct dev_model *const __dev_model_ptr_##m	\
	__attribute__((used, section("dev_models"))) = &(m)

/* Claims [base, base + len) of @space in @c for @m: -EBUSY, -ENOSPC. */
int dev_claim(struct cell *c, enum dev_space space, u64 base, u64 len,
	      const struct dev_model *m, void *priv);
/* Drops every range @m claimed in @c with @priv (the root's table). */
void dev_release(struct cell *c, const struct dev_model *m, void *priv);
/*
 * Per-cell state of @size bytes (zeroed, 8-byte aligned) from @c's
 * state area, for cell_init(): NULL when it is full (-ENOMEM).
 */
void *dev_alloc(struct cell *c, unsigned int size);
/* What @m gave dev_claim() for @c (its first range), or NULL. */
void *dev_priv(const struct cell *c, const struct dev_model *m);
/*
 * Every model's cell_init() for @c; on failure every model's cell_exit()
 * that ran (the failing one's too: cell_exit() copes with a partial or
 * absent attachment) and none stays attached.
 */
int dev_cell_init(struct cell *c);
/* Every model's cell_exit() (served or not), then the table is empty. */
void dev_cell_exit(struct cell *c);
/* Every model's reset(), at each start of @c, before its CPUs run. */
void dev_cell_reset(struct cell *c);
/*
 * Hands @a to the model that claimed it in @c: -ENODEV when none did,
 * or when the access reaches beyond the claimed range (the caller keeps
 * its own rule), else what the model returned (enum dev_result).
 */
int dev_dispatch(struct per_cpu *pc, struct cell *c, u64 rip,
		 struct dev_access *a);
/* Does a model of @c claim @addr in @space (I/O bitmaps, NPT)? */
bool dev_claims(const struct cell *c, enum dev_space space, u64 addr);

/*
 * For devices with 8-bit registers: @a as byte accesses at consecutive
 * addresses, low byte first, as an ISA bridge splits a wider cycle.
 * Stops at the first byte that is not DEV_DONE and returns that.
 */
typedef enum dev_result (*dev_byte_fn)(const struct dev_call *call,
				       u64 addr, bool write, u8 *val);
enum dev_result dev_bytewise(const struct dev_call *call,
			     struct dev_access *a, dev_byte_fn byte);

#endif
