// SPDX-License-Identifier: GPL-2.0
/*
 * Two virtual 8259 PICs for pc-legacy cells: images program and mask
 * them before they use the local APIC.  Nothing is ever raised: the
 * initialisation words and OCWs are taken, the mask reads back, IRR and
 * ISR (and a poll) read 0.
 */
#include <hv/cell.h>
#include <asm/pc_legacy.h>

#define PIC_MASTER		0x20
#define PIC_SLAVE		0xa0
#define PIC_ICW1		BIT(4)
#define PIC_ICW1_ICW4		BIT(0)
#define PIC_ICW1_SINGLE		BIT(1)

static struct pic_chip *pic_chip(struct pic *p, u32 port)
{
	return &p->chip[port >= PIC_SLAVE];
}

void pic_reset(struct pic *p)
{
	unsigned int i;

	for (i = 0; i < 2; i++)
		p->chip[i] = (struct pic_chip){ .imr = 0xff };
}

/* The next initialisation word after @done (2 or 3), 0: initialised. */
static u8 pic_next_icw(const struct pic_chip *chip, u8 done)
{
	if (done == 2 && !chip->single)
		return 3;
	return done < 4 && chip->icw4 ? 4 : 0;
}

void pic_write(struct pic *p, u32 port, u8 val)
{
	struct pic_chip *chip = pic_chip(p, port);

	if (!(port & 1)) {
		/* ICW1 starts over, with everything masked; OCW2/3: taken. */
		if (val & PIC_ICW1)
			*chip = (struct pic_chip){
				.next_icw = 2,
				.icw4 = val & PIC_ICW1_ICW4,
				.single = val & PIC_ICW1_SINGLE,
			};
		return;
	}
	if (chip->next_icw)
		chip->next_icw = pic_next_icw(chip, chip->next_icw);
	else
		chip->imr = val;	/* OCW1 */
}

u8 pic_read(const struct pic *p, u32 port)
{
	return port & 1 ? p->chip[port >= PIC_SLAVE].imr : 0;
}

/* ---- the model ---- */

static enum dev_result pic_byte(const struct dev_call *call, u64 port,
				bool write, u8 *val)
{
	if (write)
		pic_write(call->priv, port, *val);
	else
		*val = pic_read(call->priv, port);
	return DEV_DONE;
}

static enum dev_result pic_access(const struct dev_call *call,
				  struct dev_access *a)
{
	return dev_bytewise(call, a, pic_byte);
}

static const struct dev_model pic_model;

static int pic_cell_init(struct cell *c)
{
	struct pic *p;
	int err;

	if (!pc_legacy_wanted(c))
		return 0;
	p = dev_alloc(c, sizeof(*p));
	if (!p)
		return -ENOMEM;
	err = pc_legacy_claim(c, PIC_MASTER, 2, &pic_model, p);
	return err ? err : pc_legacy_claim(c, PIC_SLAVE, 2, &pic_model, p);
}

static void pic_model_reset(struct cell *c)
{
	struct pic *p = dev_priv(c, &pic_model);

	if (p)
		pic_reset(p);
}

static const struct dev_model pic_model = {
	.name = "pc-pic",
	.cell_init = pic_cell_init,
	.reset = pic_model_reset,
	.access = pic_access,
};
DEV_MODEL(pic_model);
