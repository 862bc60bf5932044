/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port models of x86 cells: claim helpers, and the pc-legacy devices'
 * register logic (arch/x86/dev/), free of the TSC and of cell_fail() so
 * that host unit tests drive it with a fake clock.
 */
#ifndef _HV_ASM_PC_LEGACY_H
#define _HV_ASM_PC_LEGACY_H

#include <hv/devmodel.h>
#include <hv/spinlock.h>

struct cell;

/*
 * Claims for @m the ports of [@base, @base + @len) that @c owns through
 * its config's pio (@owned) or does not own (!@owned), as few ranges.
 */
int pio_claim(struct cell *c, u32 base, u32 len, bool owned,
	      const struct dev_model *m, void *priv);
/* Does @c's config list a virtual device of type pc-legacy? */
bool pc_legacy_wanted(const struct cell *c);
/* pio_claim() of the ports @c does not own, when it wants pc-legacy. */
int pc_legacy_claim(struct cell *c, u32 base, u32 len,
		    const struct dev_model *m, void *priv);

/* ---- 8254 PIT and port B (0x40-0x43, 0x61) ---- */

#define PIT_HZ			1193182
#define PIT_PORT_CH0		0x40
#define PIT_PORT_CTRL		0x43
#define PIT_PORT_B		0x61

struct pit_channel {
	u8 mode;		/* 0, 2, 3 or 4 */
	u8 rw;			/* 1: low byte, 2: high byte, 3: both */
	bool loaded;		/* a whole count was written: it counts */
	bool write_hi;		/* rw 3: next write is the high byte */
	bool read_hi;		/* rw 3: the next read is the high byte */
	bool latched;		/* a latched count waits to be read */
	bool status_latched;	/* a read-back status waits to be read */
	u8 status;
	u8 low;			/* rw 3: the low byte written */
	u16 latch;
	u32 reload;		/* 1..65536 */
	u64 acc;		/* ticks counted before the current run */
	u64 run_tsc;		/* TSC since when it counts (gate high) */
};

struct pit {
	spinlock_t lock;
	u64 mult;		/* PIT ticks per TSC cycle, 32.32 fixed */
	bool gate2;		/* port B bit 0 */
	bool speaker;		/* port B bit 1: no sound */
	bool refresh;		/* port B bit 4, toggles on each read */
	struct pit_channel ch[3];
};

/* Power-on state at TSC @now: -EINVAL when the TSC rate is unknown. */
int pit_reset(struct pit *p, u32 tsc_khz, u64 now);
/* Port @port (0x40-0x43, 0x61): -EINVAL for a mode not emulated. */
int pit_write(struct pit *p, u32 port, u8 val, u64 now);
u8 pit_read(struct pit *p, u32 port, u64 now);

/* ---- two 8259 PICs (0x20-0x21, 0xa0-0xa1) ---- */

struct pic_chip {
	u8 imr;
	u8 next_icw;		/* ICW 2, 3 or 4 awaited, else 0 */
	bool icw4;		/* ICW1 asked for an ICW4 */
	bool single;		/* ICW1: no ICW3 */
};

struct pic {
	struct pic_chip chip[2];
};

void pic_reset(struct pic *p);
void pic_write(struct pic *p, u32 port, u8 val);
u8 pic_read(const struct pic *p, u32 port);

/* ---- CMOS RTC (0x70-0x71) ---- */

struct cmos {
	u8 index;
};

void cmos_write(struct cmos *s, u32 port, u8 val);
u8 cmos_read(const struct cmos *s, u32 port);

#endif
