/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IOAPIC pins of cells (arch/x86/dev/ioapic.c): a cell's ioapic-pins are
 * its own, the root keeps every other pin.  Once a cell owns a pin of an
 * IOAPIC, that IOAPIC's register page is trapped for the root and for
 * every cell with pins on it, and the select/window pair is emulated per
 * CPU with the hardware behind one lock.  See Documentation/device-models.md.
 */
#ifndef _HV_IOAPIC_H
#define _HV_IOAPIC_H

#include <hv/iommu.h>
#include <hv/spinlock.h>
#include <cellvisor/config.h>
#include <cellvisor/header.h>

struct cell;
struct cfg_cell;
struct cfg_system;

/* Register page: select, window, EOI (version 0x20 and later). */
#define IOAPIC_REGSEL		0x00
#define IOAPIC_IOWIN		0x10
#define IOAPIC_EOI		0x40
/* Indirect registers. */
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_RTE		0x10	/* pin n: 0x10 + 2n (low), + 1 (high) */

/* Redirection entry, low word. */
#define IOAPIC_RTE_VECTOR	0x000000ffu
#define IOAPIC_RTE_DELMODE	0x00000700u	/* 000: fixed */
#define IOAPIC_RTE_LOGICAL	0x00000800u
#define IOAPIC_RTE_STATUS	0x00001000u	/* read-only */
#define IOAPIC_RTE_POLARITY	0x00002000u
#define IOAPIC_RTE_REMOTE_IRR	0x00004000u	/* read-only */
#define IOAPIC_RTE_LEVEL	0x00008000u
#define IOAPIC_RTE_MASKED	0x00010000u
/* High word: destination APIC ID in 31:24, nothing else without IR. */
#define IOAPIC_RTE_DEST_SHIFT	24
#define IOAPIC_RTE_HI_RESERVED	0x00ffffffu

#define IOAPIC_VECTOR_MIN	0x20

/*
 * Why @c may not have the entry (@lo, @hi) unmasked in hardware, or NULL:
 * fixed delivery, physical destination that is the APIC ID of one of the
 * cell's CPUs, vector 0x20-0xff, no extended-destination bits.
 */
const char *ioapic_rte_refusal(const struct cell *c, u32 lo, u32 hi);

/*
 * At create (config check and dry run too): a cell's memory does not
 * cover an IOAPIC page it has pins on, and its CPUs' APIC IDs fit the
 * 8-bit destination field (no interrupt remapping).
 */
int ioapic_cell_check(const struct cfg_system *sys, const struct cfg_cell *cfg,
		      const char **why);
/*
 * The pins become @c's, one ioapic_pin_move() from the root each, in
 * order; on failure the ones moved go back and the root has them all.
 */
int ioapic_cell_create(struct cell *c, const char **why);
/* Masks every pin of @c in hardware (shutdown, failure, destroy). */
void ioapic_cell_quiesce(struct cell *c);
/*
 * Every pin of @c moves back to the root (ioapic_pin_move()), with the
 * entry it had or wrote since; then the root's entries the level rule
 * held masked are tried again.
 */
void ioapic_cell_destroy(struct cell *c);
/*
 * Calls @fn for each IOAPIC register page @c has pins on; with @alone,
 * only those no other cell has pins on (what the root gets back).
 */
int ioapic_cell_pages(const struct cell *c, bool alone,
		      int (*fn)(void *arg, u64 base, u64 size), void *arg);

/*
 * Interrupt remapping on (hv/iommu.h): every IOAPIC of @sys trapped for
 * the root from now on, every entry rewritten into remappable form with
 * an entry of its own; the root reads back what it wrote.  0 or -errno
 * with @why.  Off: Linux's entries back in compatibility format.
 */
int ioapic_root_ir_on(const struct cfg_system *sys, const char **why);
void ioapic_root_ir_off(void);
/* Linux changed its remapping entries: every root pin translated again. */
void ioapic_root_retranslate(void);

struct ioapic_chip;
/* The IOAPIC of the system config with that ID, or NULL. */
struct ioapic_chip *ioapic_chip_by_id(u32 id);
/*
 * @pin of @chip changes owner, from @from to @to (the root, root_cell,
 * is an owner like any cell): the register page trapped for @to (and for
 * the root while any cell has a pin), the pin masked, the old owner's
 * entry kept if it is the root's, the new owner's entry put in: a cell
 * starts masked, edge, vector 0; the root gets its kept entry through
 * its rules (ioapic.c, root_pin_apply()), with its remapping entry.  The
 * page released for @from once it has no pin left.  0, or -errno with
 * @why and nothing changed (-EBUSY: @from does not own the pin).  The
 * move back is the undo.  Management calls only (cell_lock).
 */
int ioapic_pin_move(struct ioapic_chip *chip, unsigned int pin,
		    struct cell *from, struct cell *to, const char **why);

/* One IOAPIC of the system config, once a cell asked for a pin of it. */
struct ioapic_chip {
	u64 base;
	u32 id;
	u32 pins;
	volatile u32 *regs;		/* the hypervisor's mapping */
	spinlock_t lock;		/* select + window, owners */
	bool root_trapped;		/* in the root's device table */
	bool ir;			/* entries in remappable format */
	int irq[CFG_MAX_IOAPIC_PINS];	/* each pin's remapping entry (ir) */
	/* A cell's entry as it wrote it (ir: the hardware's is remappable). */
	u32 cell_lo[CFG_MAX_IOAPIC_PINS], cell_hi[CFG_MAX_IOAPIC_PINS];
	const struct cell *owner[CFG_MAX_IOAPIC_PINS];	/* NULL: root */
	/* The root's entry of a cell's pin: what it gets back at destroy. */
	u32 root_lo[CFG_MAX_IOAPIC_PINS], root_hi[CFG_MAX_IOAPIC_PINS];
	/*
	 * The root's entry (root_lo/hi) is refused unmasked and held masked
	 * (a level vector a cell's level pin has, ...): said once.
	 */
	bool root_held[CFG_MAX_IOAPIC_PINS];
	u8 sel[CELLVISOR_MAX_CPUS];	/* each CPU's IOREGSEL */
};

/*
 * The hardware, one indirect register at a time (ioapic_hw.c; the unit
 * test has a fake).  Called with the IOAPIC's lock held.
 */
u32 ioapic_hw_read(struct ioapic_chip *chip, u32 reg);
void ioapic_hw_write(struct ioapic_chip *chip, u32 reg, u32 val);
void ioapic_hw_eoi(struct ioapic_chip *chip, u32 vector);
/* Maps the chip's registers for the hypervisor: 0 or -ENOMEM. */
int ioapic_hw_map(struct ioapic_chip *chip);
/* Takes the chip's page out of the root's tables (remapping, enable). */
int ioapic_hw_root_trap(struct ioapic_chip *chip);

#endif
