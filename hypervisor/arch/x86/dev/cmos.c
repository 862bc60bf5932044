// SPDX-License-Identifier: GPL-2.0
/*
 * A virtual CMOS RTC for pc-legacy cells: the root owns the real one
 * (its clock and NVRAM), so a cell reads a clock that stands still at a
 * fixed valid date, in BCD and 24-hour mode, never updating (status A's
 * update-in-progress bit stays clear), with valid RAM and time (status
 * D).  Writes, the NMI mask bit included, change nothing.
 */
#include <hv/cell.h>
#include <asm/pc_legacy.h>

#define CMOS_PORT_INDEX		0x70
#define CMOS_INDEX_MASK		0x7f	/* bit 7: NMI mask, dropped */

/* Thursday 2026-01-01 12:00:00. */
static const u8 cmos_regs[] = {
	[0x00] = 0x00,		/* seconds */
	[0x02] = 0x00,		/* minutes */
	[0x04] = 0x12,		/* hours */
	[0x06] = 0x05,		/* day of week, Sunday = 1 */
	[0x07] = 0x01,		/* day of month */
	[0x08] = 0x01,		/* month */
	[0x09] = 0x26,		/* year */
	[0x0a] = 0x26,		/* A: 32.768 kHz, 1024 Hz, no update */
	[0x0b] = 0x02,		/* B: 24-hour, BCD, no interrupts */
	[0x0c] = 0x00,		/* C: no interrupt flags */
	[0x0d] = 0x80,		/* D: valid RAM and time */
	[0x32] = 0x20,		/* century */
};

void cmos_write(struct cmos *s, u32 port, u8 val)
{
	if (port == CMOS_PORT_INDEX)
		s->index = val & CMOS_INDEX_MASK;
}

u8 cmos_read(const struct cmos *s, u32 port)
{
	if (port == CMOS_PORT_INDEX)
		return s->index;
	return s->index < ARRAY_SIZE(cmos_regs) ? cmos_regs[s->index] : 0;
}

/* ---- the model ---- */

static enum dev_result cmos_byte(const struct dev_call *call, u64 port,
				 bool write, u8 *val)
{
	if (write)
		cmos_write(call->priv, port, *val);
	else
		*val = cmos_read(call->priv, port);
	return DEV_DONE;
}

static enum dev_result cmos_access(const struct dev_call *call,
				   struct dev_access *a)
{
	return dev_bytewise(call, a, cmos_byte);
}

static const struct dev_model cmos_model;

static int cmos_cell_init(struct cell *c)
{
	struct cmos *s;

	if (!pc_legacy_wanted(c))
		return 0;
	s = dev_alloc(c, sizeof(*s));
	return s ? pc_legacy_claim(c, CMOS_PORT_INDEX, 2, &cmos_model, s) :
		   -ENOMEM;
}

static void cmos_model_reset(struct cell *c)
{
	struct cmos *s = dev_priv(c, &cmos_model);

	if (s)
		s->index = 0;
}

static const struct dev_model cmos_model = {
	.name = "pc-cmos",
	.cell_init = cmos_cell_init,
	.reset = cmos_model_reset,
	.access = cmos_access,
};
DEV_MODEL(cmos_model);
