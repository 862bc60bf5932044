// SPDX-License-Identifier: GPL-2.0
/* The device-model registry: per-cell tables of claimed ranges, dispatch. */
#include <string.h>
#include <hv/cell.h>
#include <hv/devmodel.h>

/* The linker script (or, in host tests, the linker) bounds the section. */
extern const struct dev_model *const __start_dev_models[];
extern const struct dev_model *const __stop_dev_models[];

static bool range_overlaps(const struct dev_range *r, enum dev_space space,
			   u64 base, u64 len)
{
	return r->space == space && base < r->base + r->len &&
	       r->base < base + len;
}

int dev_claim(struct cell *c, enum dev_space space, u64 base, u64 len,
	      const struct dev_model *m, void *priv)
{
	struct dev_table *t = &c->devs;
	unsigned int i;

	if (!len || base + len < base)
		return -EINVAL;
	for (i = 0; i < t->n; i++)
		if (range_overlaps(&t->range[i], space, base, len))
			return -EBUSY;
	if (t->n >= DEV_MAX_RANGES)
		return -ENOSPC;
	t->range[t->n++] = (struct dev_range){ space, base, len, m, priv };
	return 0;
}

void dev_release(struct cell *c, const struct dev_model *m, void *priv)
{
	struct dev_table *t = &c->devs;
	unsigned int i = 0;

	while (i < t->n) {
		if (t->range[i].model == m && t->range[i].priv == priv)
			t->range[i] = t->range[--t->n];
		else
			i++;
	}
}

void *dev_alloc(struct cell *c, unsigned int size)
{
	struct dev_table *t = &c->devs;
	unsigned int words = (size + 7) / 8;
	void *p;

	if (words > ARRAY_SIZE(t->state) - t->state_used)
		return NULL;
	p = &t->state[t->state_used];
	t->state_used += words;
	memset(p, 0, words * 8);
	return p;
}

void *dev_priv(const struct cell *c, const struct dev_model *m)
{
	unsigned int i;

	for (i = 0; i < c->devs.n; i++)
		if (c->devs.range[i].model == m)
			return c->devs.range[i].priv;
	return NULL;
}

/* Models [__start_dev_models, @end) give back what they took, last first. */
static void dev_exit_models(struct cell *c,
			    const struct dev_model *const *end)
{
	const struct dev_model *const *m;

	for (m = end; m-- > __start_dev_models;)
		if ((*m)->cell_exit)
			(*m)->cell_exit(c);
	memset(&c->devs, 0, sizeof(c->devs));
}

int dev_cell_init(struct cell *c)
{
	const struct dev_model *const *m;
	int err;

	memset(&c->devs, 0, sizeof(c->devs));
	for (m = __start_dev_models; m < __stop_dev_models; m++) {
		err = (*m)->cell_init ? (*m)->cell_init(c) : 0;
		if (err) {
			dev_exit_models(c, m + 1);
			return err;
		}
	}
	return 0;
}

void dev_cell_exit(struct cell *c)
{
	dev_exit_models(c, __stop_dev_models);
}

void dev_cell_reset(struct cell *c)
{
	const struct dev_model *const *m;

	for (m = __start_dev_models; m < __stop_dev_models; m++)
		if ((*m)->reset)
			(*m)->reset(c);
}

static const struct dev_range *dev_find(const struct cell *c,
					enum dev_space space, u64 addr)
{
	const struct dev_range *r;
	unsigned int i;

	for (i = 0; i < c->devs.n; i++) {
		r = &c->devs.range[i];
		if (r->space == space && addr >= r->base &&
		    addr - r->base < r->len)
			return r;
	}
	return NULL;
}

bool dev_claims(const struct cell *c, enum dev_space space, u64 addr)
{
	return dev_find(c, space, addr) != NULL;
}

int dev_dispatch(struct per_cpu *pc, struct cell *c, u64 rip,
		 struct dev_access *a)
{
	const struct dev_range *r = dev_find(c, a->space, a->addr);
	struct dev_call call;

	/* Half a register of a model and half of something else: neither's. */
	if (!r || a->size > r->len - (a->addr - r->base))
		return -ENODEV;
	call = (struct dev_call){ pc, c, r->priv, r->base, rip };
	return r->model->access(&call, a);
}

enum dev_result dev_bytewise(const struct dev_call *call,
			     struct dev_access *a, dev_byte_fn byte)
{
	enum dev_result res;
	u64 val = 0;
	unsigned int i;
	u8 b;

	for (i = 0; i < a->size; i++) {
		b = a->write ? (u8)(a->val >> (8 * i)) : 0;
		res = byte(call, a->addr + i, a->write, &b);
		if (res != DEV_DONE)
			return res;
		val |= (u64)b << (8 * i);
	}
	if (!a->write)
		a->val = val;
	return DEV_DONE;
}
