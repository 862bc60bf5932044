// SPDX-License-Identifier: GPL-2.0
/* Just enough DTB reading: hypervisor region, CPU vendor, a cell's memory
 * and PCI devices. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/byteorder.h>
#include "cellvisor.h"

/*
 * The kernel's libfdt is not exported to modules, and the driver needs
 * only the hypervisor region and the CPU vendor from the system config and
 * the memory regions of a cell config (to keep Linux's RAM out of cells);
 * the hypervisor parses (and checks) the whole blob with libfdt itself.
 */
#define FDT_MAGIC		0xd00dfeed
#define FDT_BEGIN_NODE		1
#define FDT_END_NODE		2
#define FDT_PROP		3
#define FDT_NOP			4
#define FDT_END			9

struct fdt_hdr {
	__be32 magic, totalsize, off_dt_struct, off_dt_strings;
	__be32 off_mem_rsvmap, version, last_comp_version;
	__be32 boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

static u32 be32_at(const struct cv_dtb *dtb, size_t off)
{
	__be32 v;

	memcpy(&v, (const u8 *)dtb->blob + off, sizeof(v));
	return be32_to_cpu(v);
}

int cv_dtb_check(const struct cv_dtb *dtb)
{
	const struct fdt_hdr *h = dtb->blob;
	u32 total, st, ss, strs, strs_size;

	if (dtb->size < sizeof(*h) || be32_to_cpu(h->magic) != FDT_MAGIC)
		return -EINVAL;
	total = be32_to_cpu(h->totalsize);
	st = be32_to_cpu(h->off_dt_struct);
	ss = be32_to_cpu(h->size_dt_struct);
	strs = be32_to_cpu(h->off_dt_strings);
	strs_size = be32_to_cpu(h->size_dt_strings);
	if (total > dtb->size || be32_to_cpu(h->version) < 17 ||
	    st > total || ss > total - st || strs > total ||
	    strs_size > total - strs || (st & 3) || (ss & 3))
		return -EINVAL;
	return 0;
}

/* Property name at @nameoff, if it lies in the strings block. */
static const char *prop_name(const struct cv_dtb *dtb, u32 nameoff)
{
	const struct fdt_hdr *h = dtb->blob;
	u32 strs = be32_to_cpu(h->off_dt_strings);
	u32 size = be32_to_cpu(h->size_dt_strings);
	const char *s = (const char *)dtb->blob + strs + nameoff;

	if (nameoff >= size || !memchr(s, 0, size - nameoff))
		return NULL;
	return s;
}

/*
 * Finds property @prop of root child @node: looks only at children of the
 * root, all the driver needs.  0 with the value's offset in @at and its
 * length in @len, -ENOENT when absent, -EINVAL for a corrupt blob.
 */
static int cv_dtb_find(const struct cv_dtb *dtb, const char *node,
		       const char *prop, size_t *at, u32 *len)
{
	const struct fdt_hdr *h = dtb->blob;
	size_t off = be32_to_cpu(h->off_dt_struct);
	size_t end = off + be32_to_cpu(h->size_dt_struct);
	int depth = 0;
	bool in_node = false;

	while (off + 4 <= end) {
		u32 tag = be32_at(dtb, off);
		const char *name;
		u32 nameoff;

		off += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			name = (const char *)dtb->blob + off;
			*len = strnlen(name, end - off);
			if (*len == end - off)
				return -EINVAL;
			depth++;
			in_node = depth == 2 && !strcmp(name, node);
			off += ALIGN(*len + 1, 4);
			break;
		case FDT_END_NODE:
			if (in_node)
				return -ENOENT;
			depth--;
			break;
		case FDT_PROP:
			if (off + 8 > end)
				return -EINVAL;
			*len = be32_at(dtb, off);
			nameoff = be32_at(dtb, off + 4);
			off += 8;
			if (*len > end - off)
				return -EINVAL;
			name = prop_name(dtb, nameoff);
			if (in_node && name && !strcmp(name, prop)) {
				*at = off;
				return 0;
			}
			off += ALIGN(*len, 4);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return -ENOENT;
		default:
			return -EINVAL;
		}
	}
	return -EINVAL;
}

int cv_dtb_read_u64(const struct cv_dtb *dtb, const char *node,
		    const char *prop, u64 *val)
{
	size_t at;
	u32 len;
	int err = cv_dtb_find(dtb, node, prop, &at, &len);

	if (err)
		return err;
	if (len == 8)
		*val = (u64)be32_at(dtb, at) << 32 | be32_at(dtb, at + 4);
	else if (len == 4)
		*val = be32_at(dtb, at);
	else
		return -EINVAL;
	return 0;
}

/* One NUL-terminated string that fits in @size bytes. */
int cv_dtb_read_str(const struct cv_dtb *dtb, const char *node,
		    const char *prop, char *buf, size_t size)
{
	const char *p;
	size_t at;
	u32 len;
	int err = cv_dtb_find(dtb, node, prop, &at, &len);

	if (err)
		return err;
	p = (const char *)dtb->blob + at;
	if (!len || len > size || p[len - 1] || strlen(p) != len - 1)
		return -EINVAL;
	memcpy(buf, p, len);
	return 0;
}

/* A property of the region node being read: the fields the driver needs. */
static void cv_dtb_region_prop(const struct cv_dtb *dtb, const char *name,
			       size_t at, u32 len, struct cv_dtb_region *r)
{
	const char *p = (const char *)dtb->blob + at;

	if (!strcmp(name, CFG_PROP_PHYS) && len == 8) {
		r->phys = (u64)be32_at(dtb, at) << 32 | be32_at(dtb, at + 4);
		r->has_phys = true;
	} else if (!strcmp(name, CFG_PROP_SIZE) && len == 8) {
		r->size = (u64)be32_at(dtb, at) << 32 | be32_at(dtb, at + 4);
	} else if (!strcmp(name, CFG_PROP_FLAGS) && len == 4) {
		r->flags = be32_at(dtb, at);
	} else if (!strcmp(name, CFG_PROP_NAME) && len) {
		strscpy(r->name, p, min_t(size_t, len, sizeof(r->name)));
	}
}

/* How to read the children of one top-level node into an item each. */
struct cv_dtb_walk {
	const char *parent;
	void (*begin)(void *item, unsigned int index);
	void (*prop)(const struct cv_dtb *dtb, const char *name, size_t at,
		     u32 len, void *item);
	int (*done)(void *item, void *arg);
	void *item;
	void *arg;
};

/*
 * Calls w->done for each child of top-level node w->parent of a cell
 * blob (the cell is the root node), in blob order, after w->prop for
 * each of its properties; stops at the first non-zero return.
 */
static int cv_dtb_walk_children(const struct cv_dtb *dtb,
				const struct cv_dtb_walk *w)
{
	const struct fdt_hdr *h = dtb->blob;
	size_t off = be32_to_cpu(h->off_dt_struct);
	size_t end = off + be32_to_cpu(h->size_dt_struct);
	bool in_parent = false;
	unsigned int index = 0;
	const char *name;
	int depth = 0, err;
	u32 tag, len;

	while (off + 4 <= end) {
		tag = be32_at(dtb, off);
		off += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			name = (const char *)dtb->blob + off;
			len = strnlen(name, end - off);
			if (len == end - off)
				return -EINVAL;
			depth++;
			if (depth == 2)
				in_parent = !strcmp(name, w->parent);
			if (depth == 3 && in_parent)
				w->begin(w->item, index++);
			off += ALIGN(len + 1, 4);
			break;
		case FDT_END_NODE:
			if (depth == 3 && in_parent) {
				err = w->done(w->item, w->arg);
				if (err)
					return err;
			}
			if (depth == 2)
				in_parent = false;
			if (--depth < 0)
				return -EINVAL;
			break;
		case FDT_PROP:
			if (off + 8 > end)
				return -EINVAL;
			len = be32_at(dtb, off);
			name = prop_name(dtb, be32_at(dtb, off + 4));
			off += 8;
			if (len > end - off)
				return -EINVAL;
			if (depth == 3 && in_parent && name)
				w->prop(dtb, name, off, len, w->item);
			off += ALIGN(len, 4);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return 0;
		default:
			return -EINVAL;
		}
	}
	return -EINVAL;
}

struct cv_region_walk {
	struct cv_dtb_region r;
	int (*fn)(const struct cv_dtb_region *r, void *arg);
};

static void cv_region_begin(void *item, unsigned int index)
{
	struct cv_region_walk *rw = item;

	rw->r = (struct cv_dtb_region){ .index = index };
}

static void cv_region_prop(const struct cv_dtb *dtb, const char *name,
			   size_t at, u32 len, void *item)
{
	cv_dtb_region_prop(dtb, name, at, len,
			   &((struct cv_region_walk *)item)->r);
}

static int cv_region_done(void *item, void *arg)
{
	struct cv_region_walk *rw = item;

	return rw->fn(&rw->r, arg);
}

/* Calls @fn for each "memory/region-N" node of a cell blob, in order. */
int cv_dtb_for_each_region(const struct cv_dtb *dtb,
			   int (*fn)(const struct cv_dtb_region *r,
				     void *arg), void *arg)
{
	struct cv_region_walk rw = { .fn = fn };
	const struct cv_dtb_walk w = {
		CFG_NODE_MEMORY, cv_region_begin, cv_region_prop,
		cv_region_done, &rw, arg,
	};

	return cv_dtb_walk_children(dtb, &w);
}

struct cv_pci_walk {
	struct cv_dtb_pci dev;
	int (*fn)(const struct cv_dtb_pci *dev, void *arg);
};

static void cv_pci_begin(void *item, unsigned int index)
{
	((struct cv_pci_walk *)item)->dev = (struct cv_dtb_pci){
		.index = index };
}

static void cv_pci_prop(const struct cv_dtb *dtb, const char *name,
			size_t at, u32 len, void *item)
{
	struct cv_pci_walk *pw = item;

	if (!strcmp(name, CFG_PROP_BDF) && len == 4) {
		pw->dev.bdf = be32_at(dtb, at);
		pw->dev.has_bdf = true;
	}
}

static int cv_pci_done(void *item, void *arg)
{
	struct cv_pci_walk *pw = item;

	return pw->dev.has_bdf ? pw->fn(&pw->dev, arg) : -EINVAL;
}

int cv_dtb_for_each_pci(const struct cv_dtb *dtb,
			int (*fn)(const struct cv_dtb_pci *dev, void *arg),
			void *arg)
{
	struct cv_pci_walk pw = { .fn = fn };
	const struct cv_dtb_walk w = {
		CFG_NODE_PCI_DEVS, cv_pci_begin, cv_pci_prop, cv_pci_done,
		&pw, arg,
	};

	return cv_dtb_walk_children(dtb, &w);
}
