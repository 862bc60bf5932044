// SPDX-License-Identifier: GPL-2.0
/*
 * A virtual 8254 PIT and port B (0x61) for pc-legacy cells.  It counts at
 * 1.193182 MHz derived from the TSC, so an image that calibrates its TSC
 * against channel 2 finds the rate the hypervisor knows.  It never
 * raises an interrupt (channel 0 counts, nothing more).  Modes 0, 2, 3
 * and 4 in binary; BCD counting and the gate-triggered modes 1 and 5 stop
 * the cell (fail closed rather than count wrong).
 */
#include <string.h>
#include <hv/cell.h>
#include <hv/setup.h>
#include <asm/pc_legacy.h>
#include <asm/processor.h>

#define PIT_RW_LATCH		0
#define PIT_RW_LO		1
#define PIT_RW_HI		2
#define PIT_RW_BOTH		3
#define PIT_SC_READBACK		3
#define PIT_RB_NO_COUNT		BIT(5)
#define PIT_RB_NO_STATUS	BIT(4)
#define PORTB_GATE2		BIT(0)
#define PORTB_SPEAKER		BIT(1)
#define PORTB_REFRESH		BIT(4)
#define PORTB_OUT2		BIT(5)

static bool pit_gate(const struct pit *p, unsigned int i)
{
	return i != 2 || p->gate2;
}

/* Ticks counted since the count was loaded, gate-low time left out. */
static u64 pit_ticks(const struct pit *p, unsigned int i, u64 now)
{
	const struct pit_channel *ch = &p->ch[i];

	if (!pit_gate(p, i) || now < ch->run_tsc)
		return ch->acc;
	return ch->acc +
	       (u64)(((unsigned __int128)(now - ch->run_tsc) * p->mult) >> 32);
}

static u16 pit_count(const struct pit *p, unsigned int i, u64 now)
{
	const struct pit_channel *ch = &p->ch[i];
	u64 n = ch->reload, t, half, x;

	if (!ch->loaded)
		return 0;
	t = pit_ticks(p, i, now);
	switch (ch->mode) {
	case 2:
		return n - t % n;
	case 3:
		/* By two, through the high half, then the low half. */
		half = (n + 1) / 2;
		x = t % n;
		x = x < half ? x : x - half;
		return (n - 2 * x) & 0xfffe;
	default:			/* 0, 4: on down past zero */
		return (n - t) & 0xffff;
	}
}

static bool pit_out(const struct pit *p, unsigned int i, u64 now)
{
	const struct pit_channel *ch = &p->ch[i];
	u64 n = ch->reload, t;

	if (!ch->loaded)
		return ch->mode != 0;
	if (ch->mode != 0 && ch->mode != 4 && !pit_gate(p, i))
		return true;		/* modes 2, 3: the gate forces it */
	t = pit_ticks(p, i, now);
	switch (ch->mode) {
	case 0:
		return t >= n;		/* high from terminal count on */
	case 2:
		return t % n != n - 1;	/* low for the tick at count 1 */
	case 3:
		return t % n < (n + 1) / 2;
	default:
		return true;		/* 4: its strobe is not seen */
	}
}

static void pit_load(struct pit_channel *ch, u32 count, u64 now)
{
	ch->reload = count ? count : 0x10000;
	ch->loaded = true;
	ch->acc = 0;
	ch->run_tsc = now;
}

static void pit_write_count(struct pit *p, unsigned int i, u8 val, u64 now)
{
	struct pit_channel *ch = &p->ch[i];

	switch (ch->rw) {
	case PIT_RW_LO:
		pit_load(ch, val, now);
		break;
	case PIT_RW_HI:
		pit_load(ch, (u32)val << 8, now);
		break;
	default:
		if (!ch->write_hi) {
			ch->low = val;
			ch->write_hi = true;
			/* Mode 0 stops at the first byte, as the 8254 does. */
			if (ch->mode == 0)
				ch->loaded = false;
			break;
		}
		ch->write_hi = false;
		pit_load(ch, ch->low | (u32)val << 8, now);
	}
}

static void pit_latch(struct pit *p, unsigned int i, u64 now)
{
	struct pit_channel *ch = &p->ch[i];

	/* A second latch before the first was read changes nothing. */
	if (ch->latched)
		return;
	ch->latch = pit_count(p, i, now);
	ch->latched = true;
}

static void pit_latch_status(struct pit *p, unsigned int i, u64 now)
{
	struct pit_channel *ch = &p->ch[i];

	if (ch->status_latched)
		return;
	ch->status = pit_out(p, i, now) << 7 | !ch->loaded << 6 |
		     ch->rw << 4 | ch->mode << 1;
	ch->status_latched = true;
}

static void pit_read_back(struct pit *p, u8 val, u64 now)
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (!(val & BIT(i + 1)))
			continue;
		if (!(val & PIT_RB_NO_STATUS))
			pit_latch_status(p, i, now);
		if (!(val & PIT_RB_NO_COUNT))
			pit_latch(p, i, now);
	}
}

static int pit_control(struct pit *p, u8 val, u64 now)
{
	unsigned int i = val >> 6, rw = (val >> 4) & 3, mode = (val >> 1) & 7;
	struct pit_channel *ch;

	if (i == PIT_SC_READBACK) {
		pit_read_back(p, val, now);
		return 0;
	}
	if (rw == PIT_RW_LATCH) {
		pit_latch(p, i, now);
		return 0;
	}
	if (mode > 5)
		mode -= 4;		/* 6, 7: modes 2 and 3 */
	if ((val & 1) || mode == 1 || mode == 5)
		return -EINVAL;
	ch = &p->ch[i];
	ch->mode = mode;
	ch->rw = rw;
	ch->loaded = false;
	ch->write_hi = false;
	ch->read_hi = false;
	ch->latched = false;
	ch->status_latched = false;
	return 0;
}

static u8 pit_read_count(struct pit *p, unsigned int i, u64 now)
{
	struct pit_channel *ch = &p->ch[i];
	u16 v;
	bool hi;

	if (ch->status_latched) {
		ch->status_latched = false;
		return ch->status;
	}
	v = ch->latched ? ch->latch : pit_count(p, i, now);
	hi = ch->rw == PIT_RW_HI || (ch->rw == PIT_RW_BOTH && ch->read_hi);
	if (ch->rw == PIT_RW_BOTH)
		ch->read_hi = !ch->read_hi;
	/* A latch is held until read whole (both bytes for rw 3). */
	if (ch->rw != PIT_RW_BOTH || hi)
		ch->latched = false;
	return hi ? v >> 8 : v & 0xff;
}

static void portb_write(struct pit *p, u8 val, u64 now)
{
	struct pit_channel *ch = &p->ch[2];
	bool gate = val & PORTB_GATE2;

	p->speaker = val & PORTB_SPEAKER;
	if (gate == p->gate2)
		return;
	if (!gate) {
		ch->acc = pit_ticks(p, 2, now);	/* frozen while low */
	} else if (ch->mode == 2 || ch->mode == 3) {
		ch->acc = 0;			/* a rising edge reloads */
		ch->run_tsc = now;
	} else {
		ch->run_tsc = now;		/* 0, 4: counting goes on */
	}
	p->gate2 = gate;
}

static u8 portb_read(struct pit *p, u64 now)
{
	p->refresh = !p->refresh;
	return (p->gate2 ? PORTB_GATE2 : 0) |
	       (p->speaker ? PORTB_SPEAKER : 0) |
	       (p->refresh ? PORTB_REFRESH : 0) |
	       (pit_out(p, 2, now) ? PORTB_OUT2 : 0);
}

int pit_reset(struct pit *p, u32 tsc_khz, u64 now)
{
	u64 div;

	if (!tsc_khz)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	/* Rounded up: a whole number of ticks' cycles counts them all. */
	div = (u64)tsc_khz * 1000;
	p->mult = (((u64)PIT_HZ << 32) + div - 1) / div;
	/* Channel 0 as a PC BIOS leaves it: mode 3, 65536 (18.2 Hz). */
	p->ch[0].mode = 3;
	p->ch[0].rw = PIT_RW_BOTH;
	pit_load(&p->ch[0], 0, now);
	p->ch[1].rw = PIT_RW_BOTH;
	p->ch[2].rw = PIT_RW_BOTH;
	return 0;
}

int pit_write(struct pit *p, u32 port, u8 val, u64 now)
{
	if (port == PIT_PORT_B)
		portb_write(p, val, now);
	else if (port == PIT_PORT_CTRL)
		return pit_control(p, val, now);
	else
		pit_write_count(p, port - PIT_PORT_CH0, val, now);
	return 0;
}

u8 pit_read(struct pit *p, u32 port, u64 now)
{
	if (port == PIT_PORT_B)
		return portb_read(p, now);
	if (port == PIT_PORT_CTRL)
		return 0xff;		/* the 8254 leaves the bus */
	return pit_read_count(p, port - PIT_PORT_CH0, now);
}

/* ---- the model ---- */

static enum dev_result pit_byte(const struct dev_call *call, u64 port,
				bool write, u8 *val)
{
	struct pit *p = call->priv;
	int err = 0;

	spin_lock(&p->lock);
	if (write)
		err = pit_write(p, port, *val, rdtsc());
	else
		*val = pit_read(p, port, rdtsc());
	spin_unlock(&p->lock);
	if (!err)
		return DEV_DONE;
	cell_fail(call->pc, "PIT control word 0x%x: BCD counting and modes 1 "
		  "and 5 are not emulated (port 0x43, RIP 0x%lx)", *val,
		  call->rip);
	return DEV_STOPPED;
}

static enum dev_result pit_access(const struct dev_call *call,
				  struct dev_access *a)
{
	return dev_bytewise(call, a, pit_byte);
}

static const struct dev_model pit_model;

static int pit_cell_init(struct cell *c)
{
	struct pit *p;
	int err;

	if (!pc_legacy_wanted(c))
		return 0;
	if (!hv.tsc_khz)
		return -EINVAL;		/* nothing to count with */
	p = dev_alloc(c, sizeof(*p));
	if (!p)
		return -ENOMEM;
	err = pc_legacy_claim(c, PIT_PORT_CH0, 4, &pit_model, p);
	return err ? err : pc_legacy_claim(c, PIT_PORT_B, 1, &pit_model, p);
}

static void pit_model_reset(struct cell *c)
{
	struct pit *p = dev_priv(c, &pit_model);

	if (p)
		pit_reset(p, hv.tsc_khz, rdtsc());
}

static const struct dev_model pit_model = {
	.name = "pc-pit",
	.cell_init = pit_cell_init,
	.reset = pit_model_reset,
	.access = pit_access,
};
DEV_MODEL(pit_model);
