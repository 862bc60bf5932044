// SPDX-License-Identifier: GPL-2.0
/* Reads a compiled config (DTB) and re-checks every isolation invariant. */
#include <libfdt.h>

#include "config.h"

/*
 * The blob comes from the root cell, which we do not trust: every length is
 * checked before a value is read, unknown nodes and properties are refused
 * (a newer or corrupt layout must not be half-understood), and all sums are
 * checked for wrap-around.
 */

#define FAIL(msg) do { *why = (msg); return -EINVAL; } while (0)
#define FAIL_BUSY(msg) do { *why = (msg); return -EBUSY; } while (0)
/* A limit's value inside a constant reason string. */
#define CFG_STR_(x)	#x
#define CFG_STR(x)	CFG_STR_(x)

static const char *cfg_dummy_why;

static void cfg_zero(void *p, size_t n)
{
	unsigned char *c = p;

	while (n--)
		*c++ = 0;
}

static int cfg_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* True when NAME is PREFIX "-" followed by one or more decimal digits. */
static int cfg_child_is(const char *name, const char *prefix)
{
	while (*prefix && *name == *prefix) {
		name++;
		prefix++;
	}
	if (*prefix || *name++ != '-' || !*name)
		return 0;
	for (; *name; name++)
		if (*name < '0' || *name > '9')
			return 0;
	return 1;
}

static int cfg_prop_known(const char *name, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (cfg_streq(name, *allowed))
			return 1;
	return 0;
}

static int cfg_only_props(const void *fdt, int node,
			  const char *const *allowed, const char **why)
{
	const char *name;
	int prop, len;

	fdt_for_each_property_offset(prop, fdt, node) {
		if (!fdt_getprop_by_offset(fdt, prop, &name, &len))
			FAIL("unreadable property");
		if (!cfg_prop_known(name, allowed))
			FAIL("unknown property");
	}
	if (prop != -FDT_ERR_NOTFOUND)
		FAIL("corrupt property list");
	return 0;
}

static uint32_t cfg_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static uint64_t cfg_be64(const void *p)
{
	return (uint64_t)cfg_be32(p) << 32 | cfg_be32((const uint8_t *)p + 4);
}

/*
 * Finds property NAME of NODE: 1 with *p and *len set, 0 when it is absent
 * and optional, <0 when it is absent and required.
 */
static int cfg_prop(const void *fdt, int node, const char *name,
		    const void **p, int *len, int required, const char **why)
{
	*p = fdt_getprop(fdt, node, name, len);
	if (*p)
		return 1;
	if (required)
		FAIL("missing required property");
	return 0;
}

/* A 32- or 64-bit integer (SIZE 4 or 8); returns like cfg_prop. */
static int cfg_int(const void *fdt, int node, const char *name, int size,
		   uint64_t *v, int required, const char **why)
{
	const void *p;
	int len, found = cfg_prop(fdt, node, name, &p, &len, required, why);

	if (found <= 0)
		return found;
	if (len != size)
		FAIL(size == 4 ? "32-bit property has wrong length" :
				 "64-bit property has wrong length");
	*v = size == 4 ? cfg_be32(p) : cfg_be64(p);
	return 1;
}

static int cfg_u32(const void *fdt, int node, const char *name, uint32_t *v,
		   int required, const char **why)
{
	uint64_t x;
	int found = cfg_int(fdt, node, name, 4, &x, required, why);

	if (found > 0)
		*v = (uint32_t)x;
	return found;
}

static int cfg_u64(const void *fdt, int node, const char *name, uint64_t *v,
		   int required, const char **why)
{
	return cfg_int(fdt, node, name, 8, v, required, why);
}

static int cfg_flag(const void *fdt, int node, const char *name,
		    uint32_t *v, const char **why)
{
	int len;

	*v = 0;
	if (!fdt_getprop(fdt, node, name, &len))
		return 0;
	if (len != 0)
		FAIL("flag property must be empty");
	*v = 1;
	return 1;
}

/* Copies a string property; it must be one NUL-terminated string. */
static int cfg_str(const void *fdt, int node, const char *name, char *buf,
		   size_t size, int required, const char **why)
{
	const char *p;
	int len, i, found;

	buf[0] = 0;
	found = cfg_prop(fdt, node, name, (const void **)&p, &len, required,
			 why);
	if (found <= 0)
		return found;
	if (len < 1 || (size_t)len > size || p[len - 1] != 0)
		FAIL("string property too long or not terminated");
	for (i = 0; i < len; i++) {
		buf[i] = p[i];
		if (!p[i] && i != len - 1)
			FAIL("string property holds several strings");
	}
	return 1;
}

static int cfg_str_is(const void *fdt, int node, const char *name,
		      const char *const *values, uint32_t *index,
		      const char **why)
{
	char buf[CFG_MAX_NAME];
	uint32_t i;
	int err = cfg_str(fdt, node, name, buf, sizeof(buf), 1, why);

	if (err < 0)
		return err;
	for (i = 0; values[i]; i++)
		if (cfg_streq(buf, values[i])) {
			*index = i;
			return 0;
		}
	FAIL("unknown string value");
}

static int cfg_check_header(const void *blob, size_t size,
			    const char *compat, const char **why)
{
	uint32_t version;
	int len, err;
	const char *p;

	if (size < sizeof(struct fdt_header) || size > CFG_MAX_BLOB_SIZE)
		FAIL("blob size out of range");
	if (fdt_magic(blob) != FDT_MAGIC)
		FAIL("not a devicetree blob");
	if (fdt_totalsize(blob) > size)
		FAIL("blob truncated");
	/*
	 * Our tools write version 17. Older layouts lack header fields, and
	 * Debian's libfdt 1.6.1 fdt_check_full() follows a NULL pointer on
	 * some of them (found by tests/fuzz): never hand it one.
	 */
	if (fdt_version(blob) != 17 || fdt_last_comp_version(blob) > 17)
		FAIL("unsupported devicetree version (cellctl writes 17)");
	if (fdt_check_full(blob, size) != 0)
		FAIL("corrupt devicetree blob");
	p = fdt_getprop(blob, 0, CFG_PROP_COMPATIBLE, &len);
	if (!p || len < 1 || p[len - 1] || !cfg_streq(p, compat))
		FAIL("wrong kind of config (compatible)");
	err = cfg_u32(blob, 0, CFG_PROP_VERSION, &version, 1, why);
	if (err < 0)
		return err;
	if (version != CFG_BINDING_VERSION) {
		*why = "unsupported binding version";
		return -EPROTO;
	}
	return 0;
}

static int cfg_parse_region(const void *fdt, int node, void *item,
		const char **why)
{
	struct cfg_mem_region *r = item;
	static const char *const props[] = { CFG_PROP_NAME, CFG_PROP_PHYS,
		CFG_PROP_GUEST, CFG_PROP_SIZE, CFG_PROP_FLAGS, NULL };
	int err;

	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_str(fdt, node, CFG_PROP_NAME, r->name,
			      sizeof(r->name), 0, why);
	if (err >= 0)
		err = cfg_u64(fdt, node, CFG_PROP_PHYS, &r->phys, 0, why);
	if (err >= 0)
		err = cfg_u64(fdt, node, CFG_PROP_GUEST, &r->guest, 1, why);
	if (err >= 0)
		err = cfg_u64(fdt, node, CFG_PROP_SIZE, &r->size, 1, why);
	if (err >= 0)
		err = cfg_u32(fdt, node, CFG_PROP_FLAGS, &r->flags, 1, why);
	if (err < 0)
		return err;
	/* Only the comm page has no physical address: we provide it. */
	if (!fdt_getprop(fdt, node, CFG_PROP_PHYS, NULL) !=
	    !!(r->flags & CFG_MEM_COMM_PAGE))
		FAIL("region needs phys unless it is the comm page");
	return 0;
}

static int cfg_parse_range(const void *fdt, int node, void *item,
		const char **why)
{
	struct cfg_pio_range *r = item;
	static const char *const props[] = { CFG_PROP_BASE, CFG_PROP_LENGTH,
					     NULL };
	int err;

	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_u32(fdt, node, CFG_PROP_BASE, &r->base, 1, why);
	if (err >= 0)
		err = cfg_u32(fdt, node, CFG_PROP_LENGTH, &r->length, 1, why);
	return err < 0 ? err : 0;
}

static int cfg_parse_device(const void *fdt, int node, void *item,
		const char **why)
{
	struct cfg_pci_device *d = item;
	static const char *const props[] = { CFG_PROP_BDF, CFG_PROP_BARS,
					     CFG_PROP_CAPS, NULL };
	const uint8_t *p;
	int err, len, i;

	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_u32(fdt, node, CFG_PROP_BDF, &d->bdf, 1, why);
	if (err < 0)
		return err;
	p = fdt_getprop(fdt, node, CFG_PROP_CAPS, &len);
	if (p) {
		if (len % 4 || len / 4 > CFG_MAX_PCI_CAPS)
			FAIL("caps must be at most 32 32-bit cells");
		d->n_caps = len / 4;
		for (i = 0; i < len / 4; i++)
			d->caps[i] = cfg_be32(p + 4 * i);
	}
	p = fdt_getprop(fdt, node, CFG_PROP_BARS, &len);
	if (!p)
		return 0;
	if (len != CFG_PCI_BARS * 16)
		FAIL("bars property has wrong length");
	for (i = 0; i < CFG_PCI_BARS; i++) {
		d->bar_base[i] = cfg_be64(p + 16 * i);
		d->bar_size[i] = cfg_be64(p + 16 * i + 8);
		if (d->bar_size[i])
			d->has_bars |= 1u << i;
	}
	return 0;
}

static int cfg_parse_pins(const void *fdt, int node, void *item,
		const char **why)
{
	struct cfg_pin_set *s = item;
	static const char *const props[] = { CFG_PROP_IOAPIC, CFG_PROP_PINS,
					     NULL };
	const uint8_t *p;
	int err, len, i;
	uint32_t pin;

	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_u32(fdt, node, CFG_PROP_IOAPIC, &s->ioapic, 1, why);
	if (err < 0)
		return err;
	p = fdt_getprop(fdt, node, CFG_PROP_PINS, &len);
	if (!p || len <= 0 || len % 4)
		FAIL("pins must be a non-empty list of 32-bit cells");
	for (i = 0; i < len; i += 4) {
		pin = cfg_be32(p + i);
		if (pin >= CFG_MAX_IOAPIC_PINS)
			FAIL("IOAPIC pin number out of range");
		s->pins[pin / 32] |= 1u << (pin % 32);
	}
	return 0;
}

static int cfg_parse_vdev(const void *fdt, int node, void *item,
		const char **why)
{
	struct cfg_vdev *v = item;
	static const char *const props[] = { CFG_PROP_TYPE, CFG_PROP_NAME,
		CFG_PROP_BDF, CFG_PROP_BASE, CFG_PROP_SIZE, NULL };
	static const char *const types[] = CFG_VDEV_TYPES;
	int err;

	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_str_is(fdt, node, CFG_PROP_TYPE, types, &v->type,
				 why);
	if (!err)
		err = cfg_str(fdt, node, CFG_PROP_NAME, v->name,
			      sizeof(v->name), 0, why);
	if (err >= 0 && (err = cfg_u32(fdt, node, CFG_PROP_BDF, &v->bdf, 0,
				       why)) > 0)
		v->has |= CFG_VDEV_HAS_BDF;
	if (err >= 0 && (err = cfg_u64(fdt, node, CFG_PROP_BASE, &v->base, 0,
				       why)) > 0)
		v->has |= CFG_VDEV_HAS_BASE;
	if (err >= 0 && (err = cfg_u64(fdt, node, CFG_PROP_SIZE, &v->size, 0,
				       why)) > 0)
		v->has |= CFG_VDEV_HAS_SIZE;
	return err < 0 ? err : 0;
}

/* Parses every "<child>-N" subnode of container NAME into an array. */
struct cfg_list {
	const char *container;
	const char *child;
	uint32_t max;
	uint32_t *count;
	void *items;
	size_t item_size;
	int (*parse)(const void *fdt, int node, void *item, const char **why);
};

static int cfg_parse_list(const void *fdt, int parent,
			  const struct cfg_list *l, const char **why)
{
	int node, child, err;
	const char *name;

	node = fdt_subnode_offset(fdt, parent, l->container);
	if (node < 0)
		return 0;
	if (fdt_first_property_offset(fdt, node) >= 0)
		FAIL("unexpected property in list node");
	fdt_for_each_subnode(child, fdt, node) {
		name = fdt_get_name(fdt, child, NULL);
		if (!name || !cfg_child_is(name, l->child))
			FAIL("unexpected node in list");
		if (*l->count >= l->max) {
			*why = "too many entries in a list";
			return -E2BIG;
		}
		err = l->parse(fdt, child,
			       (char *)l->items + *l->count * l->item_size,
			       why);
		if (err)
			return err;
		(*l->count)++;
	}
	return 0;
}

static int cfg_parse_cpus(const void *fdt, int node, struct cfg_cell *cell,
			  const char **why)
{
	const uint8_t *p;
	uint32_t cpu, prev = 0;
	int len, i;

	p = fdt_getprop(fdt, node, CFG_PROP_CPUS, &len);
	if (!p)
		return 0;
	if (len % 4)
		FAIL("cpus must be a list of 32-bit cells");
	for (i = 0; i < len; i += 4) {
		cpu = cfg_be32(p + i);
		if (cpu >= CFG_MAX_CPUS)
			FAIL("CPU number out of range");
		if (i && cpu <= prev)
			FAIL("cpus must be ascending without duplicates");
		cell->cpus[cpu / 64] |= 1ull << (cpu % 64);
		prev = cpu;
	}
	return 0;
}

static int cfg_parse_cell_body(const void *fdt, int node,
			       struct cfg_cell *cell, const char **why)
{
	static const char *const props[] = { CFG_PROP_COMPATIBLE,
		CFG_PROP_VERSION, CFG_PROP_NAME, CFG_PROP_CPUS,
		CFG_PROP_ENTRY, CFG_PROP_CONSOLE, NULL };
	const struct cfg_list lists[] = {
		{ CFG_NODE_MEMORY, CFG_NODE_REGION, CFG_MAX_MEM_REGIONS,
		  &cell->n_mem, cell->mem, sizeof(cell->mem[0]),
		  cfg_parse_region },
		{ CFG_NODE_PIO, CFG_NODE_RANGE, CFG_MAX_PIO_RANGES,
		  &cell->n_pio, cell->pio, sizeof(cell->pio[0]),
		  cfg_parse_range },
		{ CFG_NODE_PCI_DEVS, CFG_NODE_DEVICE, CFG_MAX_PCI_DEVICES,
		  &cell->n_pci, cell->pci, sizeof(cell->pci[0]),
		  cfg_parse_device },
		{ CFG_NODE_IOAPIC_PINS, CFG_NODE_PINS, CFG_MAX_PIN_SETS,
		  &cell->n_pin_sets, cell->pin_sets,
		  sizeof(cell->pin_sets[0]), cfg_parse_pins },
		{ CFG_NODE_VDEVS, CFG_NODE_VDEV, CFG_MAX_VDEVS,
		  &cell->n_vdevs, cell->vdevs, sizeof(cell->vdevs[0]),
		  cfg_parse_vdev },
	};
	const char *name;
	size_t i;
	int err, child;

	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_str(fdt, node, CFG_PROP_NAME, cell->name,
			      sizeof(cell->name), 1, why);
	if (err >= 0)
		err = cfg_parse_cpus(fdt, node, cell, why);
	if (err >= 0)
		err = cfg_u64(fdt, node, CFG_PROP_ENTRY, &cell->entry, 0, why);
	if (err >= 0)
		err = cfg_flag(fdt, node, CFG_PROP_CONSOLE, &cell->console,
			       why);
	if (err < 0)
		return err;
	fdt_for_each_subnode(child, fdt, node) {
		name = fdt_get_name(fdt, child, NULL);
		for (i = 0; name && i < sizeof(lists) / sizeof(lists[0]); i++)
			if (cfg_streq(name, lists[i].container))
				break;
		if (!name || i == sizeof(lists) / sizeof(lists[0]))
			FAIL("unknown node in cell");
	}
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		err = cfg_parse_list(fdt, node, &lists[i], why);
		if (err)
			return err;
	}
	return 0;
}

int cfg_parse_cell(const void *blob, size_t size, struct cfg_cell *cell,
		   const char **why)
{
	int err;

	if (!why)
		why = &cfg_dummy_why;
	cfg_zero(cell, sizeof(*cell));
	err = cfg_check_header(blob, size, CFG_COMPAT_CELL, why);
	if (!err)
		err = cfg_parse_cell_body(blob, 0, cell, why);
	if (!err)
		err = cfg_check_cell(cell, why);
	return err;
}

static int cfg_parse_iommu(const void *fdt, int node, struct cfg_iommu *u,
			   const char **why)
{
	static const char *const props[] = { CFG_PROP_TYPE, CFG_PROP_BASE,
		CFG_PROP_SIZE, CFG_PROP_OPTIONAL, NULL };
	static const char *const types[] = { CFG_IOMMU_VTD, CFG_IOMMU_AMDVI,
					     NULL };
	int err;

	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_str_is(fdt, node, CFG_PROP_TYPE, types, &u->type,
				 why);
	if (!err)
		err = cfg_u64(fdt, node, CFG_PROP_BASE, &u->base, 1, why);
	if (err >= 0)
		err = cfg_u64(fdt, node, CFG_PROP_SIZE, &u->size, 1, why);
	if (err >= 0)
		err = cfg_flag(fdt, node, CFG_PROP_OPTIONAL, &u->optional,
			       why);
	return err < 0 ? err : 0;
}

static int cfg_parse_ioapic(const void *fdt, int node, struct cfg_ioapic *a,
			    const char **why)
{
	static const char *const props[] = { CFG_PROP_ID, CFG_PROP_BASE,
		CFG_PROP_GSI_BASE, CFG_PROP_PINS, CFG_PROP_SOURCE_ID, NULL };
	int err;

	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_u32(fdt, node, CFG_PROP_ID, &a->id, 1, why);
	if (err >= 0)
		err = cfg_u64(fdt, node, CFG_PROP_BASE, &a->base, 1, why);
	if (err >= 0)
		err = cfg_u32(fdt, node, CFG_PROP_GSI_BASE, &a->gsi_base, 1,
			      why);
	if (err >= 0)
		err = cfg_u32(fdt, node, CFG_PROP_PINS, &a->pins, 1, why);
	if (err >= 0)
		err = cfg_u32(fdt, node, CFG_PROP_SOURCE_ID, &a->source_id, 0,
			      why);
	if (err > 0) {
		a->has_source_id = 1;
		if (a->source_id > 0xffff)
			FAIL("IOAPIC source-id is not a PCI requester ID "
			     "(above 0xffff)");
	}
	return err < 0 ? err : 0;
}

static int cfg_parse_pci_host(const void *fdt, int node,
			      struct cfg_system *sys, const char **why)
{
	static const char *const props[] = { CFG_PROP_MMCONFIG,
		CFG_PROP_BUS_START, CFG_PROP_BUS_END, NULL };
	int err;

	sys->has_mmconfig = 1;
	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_u64(fdt, node, CFG_PROP_MMCONFIG, &sys->mmconfig, 1,
			      why);
	if (err >= 0)
		err = cfg_u32(fdt, node, CFG_PROP_BUS_START, &sys->bus_start,
			      1, why);
	if (err >= 0)
		err = cfg_u32(fdt, node, CFG_PROP_BUS_END, &sys->bus_end, 1,
			      why);
	if (err < 0)
		return err;
	if (fdt_first_subnode(fdt, node) >= 0)
		FAIL("unexpected node under pci");
	return 0;
}

/* Which CPU vendor the config is for: a config of another machine. */
static int cfg_parse_vendor(const void *fdt, int node,
			    struct cfg_system *sys, const char **why)
{
	static const char *const vendors[] = { CFG_CPU_INTEL, CFG_CPU_AMD,
					       NULL };

	if (!fdt_getprop(fdt, node, CFG_PROP_CPU_VENDOR, NULL))
		FAIL("platform lacks cpu-vendor (intel or amd)");
	if (cfg_str_is(fdt, node, CFG_PROP_CPU_VENDOR, vendors,
		       &sys->cpu_vendor, why))
		FAIL("cpu-vendor is neither intel nor amd");
	return 0;
}

/*
 * Whether cell devices need an IOMMU to confine their DMA: absent means
 * "iommu", the safe side; "none" is the machine owner's explicit choice.
 */
static int cfg_parse_dma_isolation(const void *fdt, int node,
				   struct cfg_system *sys, const char **why)
{
	static const char *const values[] = { CFG_DMA_ISOLATION_IOMMU,
					      CFG_DMA_ISOLATION_NONE, NULL };

	sys->dma_isolation = CFG_DMA_ISOL_IOMMU;
	if (!fdt_getprop(fdt, node, CFG_PROP_DMA_ISOLATION, NULL))
		return 0;
	if (cfg_str_is(fdt, node, CFG_PROP_DMA_ISOLATION, values,
		       &sys->dma_isolation, why))
		FAIL("dma-isolation is neither iommu nor none");
	return 0;
}

static int cfg_parse_platform(const void *fdt, int node,
			      struct cfg_system *sys, const char **why)
{
	static const char *const props[] = { CFG_PROP_CPU_VENDOR,
		CFG_PROP_APIC_MODE, CFG_PROP_TSC_KHZ, CFG_PROP_APIC_KHZ,
		CFG_PROP_DMA_ISOLATION, NULL };
	static const char *const modes[] = { CFG_APIC_AUTO, CFG_APIC_XAPIC,
					     CFG_APIC_X2APIC, NULL };
	const char *name;
	int err, child;

	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_parse_vendor(fdt, node, sys, why);
	if (!err)
		err = cfg_str_is(fdt, node, CFG_PROP_APIC_MODE, modes,
				 &sys->apic_mode, why);
	if (!err)
		err = cfg_parse_dma_isolation(fdt, node, sys, why);
	if (!err)
		err = cfg_u32(fdt, node, CFG_PROP_TSC_KHZ, &sys->tsc_khz, 0,
			      why);
	if (err >= 0)
		err = cfg_u32(fdt, node, CFG_PROP_APIC_KHZ, &sys->apic_khz, 0,
			      why);
	if (err < 0)
		return err;
	fdt_for_each_subnode(child, fdt, node) {
		name = fdt_get_name(fdt, child, NULL);
		if (!name)
			FAIL("unreadable node name");
		if (cfg_streq(name, CFG_NODE_PCI_HOST)) {
			err = cfg_parse_pci_host(fdt, child, sys, why);
		} else if (cfg_child_is(name, CFG_NODE_IOMMU)) {
			if (sys->n_iommus >= CFG_MAX_IOMMUS) {
				*why = "too many IOMMUs";
				return -E2BIG;
			}
			err = cfg_parse_iommu(fdt, child,
					      &sys->iommus[sys->n_iommus++],
					      why);
		} else if (cfg_child_is(name, CFG_NODE_IOAPIC)) {
			if (sys->n_ioapics >= CFG_MAX_IOAPICS) {
				*why = "too many IOAPICs";
				return -E2BIG;
			}
			err = cfg_parse_ioapic(fdt, child,
					       &sys->ioapics[sys->n_ioapics++],
					       why);
		} else {
			FAIL("unknown node under platform");
		}
		if (err)
			return err;
	}
	return 0;
}

static int cfg_parse_phys_size(const void *fdt, int node, uint64_t *phys,
			       uint64_t *size, const char **why)
{
	static const char *const props[] = { CFG_PROP_PHYS, CFG_PROP_SIZE,
					     NULL };
	int err;

	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_u64(fdt, node, CFG_PROP_PHYS, phys, 1, why);
	if (err >= 0)
		err = cfg_u64(fdt, node, CFG_PROP_SIZE, size, 1, why);
	return err < 0 ? err : 0;
}

static int cfg_parse_console(const void *fdt, int node,
			     struct cfg_system *sys, const char **why)
{
	static const char *const props[] = { CFG_PROP_TYPE, CFG_PROP_PORT,
					     NULL };
	static const char *const types[] = { CFG_CONSOLE_NONE,
					     CFG_CONSOLE_8250, NULL };
	int err;

	err = cfg_only_props(fdt, node, props, why);
	if (!err)
		err = cfg_str_is(fdt, node, CFG_PROP_TYPE, types,
				 &sys->console_type, why);
	if (!err)
		err = cfg_u32(fdt, node, CFG_PROP_PORT, &sys->console_port,
			      sys->console_type == CFG_CONSOLE_TYPE_8250, why);
	return err < 0 ? err : 0;
}

static int cfg_parse_system_nodes(const void *fdt, struct cfg_system *sys,
				  const char **why)
{
	const char *name;
	int child, err, seen = 0;

	fdt_for_each_subnode(child, fdt, 0) {
		name = fdt_get_name(fdt, child, NULL);
		if (!name)
			FAIL("unreadable node name");
		if (cfg_streq(name, CFG_NODE_HYPERVISOR)) {
			seen |= 1;
			err = cfg_parse_phys_size(fdt, child, &sys->hv_phys,
						  &sys->hv_size, why);
		} else if (cfg_streq(name, CFG_NODE_CONSOLE)) {
			err = cfg_parse_console(fdt, child, sys, why);
		} else if (cfg_streq(name, CFG_NODE_PLATFORM)) {
			seen |= 2;
			err = cfg_parse_platform(fdt, child, sys, why);
		} else if (cfg_streq(name, CFG_NODE_POOL)) {
			sys->has_pool = 1;
			err = cfg_parse_phys_size(fdt, child, &sys->pool_phys,
						  &sys->pool_size, why);
		} else if (cfg_streq(name, CFG_NODE_ROOT_CELL)) {
			seen |= 4;
			err = cfg_parse_cell_body(fdt, child, &sys->root, why);
		} else {
			FAIL("unknown node in system config");
		}
		if (err)
			return err;
	}
	if (seen != 7)
		FAIL("system config lacks hypervisor, platform or root-cell");
	return 0;
}

int cfg_parse_system(const void *blob, size_t size, struct cfg_system *sys,
		     const char **why)
{
	static const char *const props[] = { CFG_PROP_COMPATIBLE,
		CFG_PROP_VERSION, CFG_PROP_NAME, NULL };
	int err;

	if (!why)
		why = &cfg_dummy_why;
	cfg_zero(sys, sizeof(*sys));
	err = cfg_check_header(blob, size, CFG_COMPAT_SYSTEM, why);
	if (!err)
		err = cfg_only_props(blob, 0, props, why);
	if (!err)
		err = cfg_str(blob, 0, CFG_PROP_NAME, sys->name,
			      sizeof(sys->name), 1, why);
	if (err >= 0)
		err = cfg_parse_system_nodes(blob, sys, why);
	if (!err)
		err = cfg_check_system(sys, why);
	return err;
}

/* ---- invariants ---- */

/* [a, a+as) and [b, b+bs) intersect; sizes are known not to wrap. */
static int cfg_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static int cfg_range_ok(uint64_t base, uint64_t size)
{
	return size && base + size > base;	/* non-empty, no wrap */
}

static int cfg_aligned(uint64_t v)
{
	return !(v & (CFG_PAGE_SIZE - 1));
}

static int cfg_check_region(const struct cfg_mem_region *r,
			    const char **why)
{
	if (r->flags & ~CFG_MEM_FLAGS_ALL)
		FAIL("unknown memory region flag");
	if (!cfg_range_ok(r->guest, r->size) ||
	    !cfg_range_ok(r->phys, r->size))
		FAIL("memory region is empty or wraps around");
	if (!cfg_aligned(r->phys) || !cfg_aligned(r->guest) ||
	    !cfg_aligned(r->size))
		FAIL("memory region is not page aligned");
	if ((r->flags & CFG_MEM_COMM_PAGE) && r->size != CFG_PAGE_SIZE)
		FAIL("comm page region must be one page");
	return 0;
}

static int cfg_has_phys(const struct cfg_mem_region *r)
{
	return !(r->flags & CFG_MEM_COMM_PAGE);
}

static int cfg_check_mem(const struct cfg_cell *cell, const char **why)
{
	const struct cfg_mem_region *a, *b;
	uint32_t i, j;
	int err;

	for (i = 0; i < cell->n_mem; i++) {
		a = &cell->mem[i];
		err = cfg_check_region(a, why);
		if (err)
			return err;
		for (j = 0; j < i; j++) {
			b = &cell->mem[j];
			if (cfg_overlap(a->guest, a->size, b->guest, b->size))
				FAIL("guest-physical overlap in one cell");
			if (cfg_has_phys(a) && cfg_has_phys(b) &&
			    cfg_overlap(a->phys, a->size, b->phys, b->size))
				FAIL("physical overlap in one cell");
		}
	}
	return 0;
}

static int cfg_check_pio(const struct cfg_cell *cell, const char **why)
{
	const struct cfg_pio_range *a, *b;
	uint32_t i, j;

	for (i = 0; i < cell->n_pio; i++) {
		a = &cell->pio[i];
		if (!a->length || a->base >= CFG_PIO_PORTS ||
		    a->length > CFG_PIO_PORTS - a->base)
			FAIL("port range empty or beyond 0xffff");
		for (j = 0; j < i; j++) {
			b = &cell->pio[j];
			if (cfg_overlap(a->base, a->length, b->base, b->length))
				FAIL("port ranges overlap in one cell");
		}
	}
	return 0;
}

/* Standard capabilities live in 0x40-0xff, extended ones in 0x100-0xfff. */
static int cfg_cap_ok(uint32_t cap)
{
	uint32_t off = CFG_PCI_CAP_OFFSET(cap);

	if (cap & 0x70000000 || off & 3)
		return 0;
	if (CFG_PCI_CAP_EXTENDED(cap))
		return off >= 0x100;
	return off >= 0x40 && off < 0x100 && CFG_PCI_CAP_ID(cap) <= 0xff;
}

static int cfg_check_pci(const struct cfg_cell *cell, const char **why)
{
	const struct cfg_pci_device *d;
	uint32_t i, j, bar;

	for (i = 0; i < cell->n_pci; i++) {
		d = &cell->pci[i];
		if (d->bdf > 0xffff)
			FAIL("PCI BDF out of range");
		for (j = 0; j < i; j++)
			if (cell->pci[j].bdf == d->bdf)
				FAIL("PCI device listed twice");
		for (j = 0; j < d->n_caps; j++)
			if (!cfg_cap_ok(d->caps[j]))
				FAIL("PCI capability offset invalid");
		for (bar = 0; d->has_bars && bar < CFG_PCI_BARS; bar++)
			if (d->bar_size[bar] && !cfg_range_ok(d->bar_base[bar],
							      d->bar_size[bar]))
				FAIL("PCI BAR wraps around");
	}
	return 0;
}

static int cfg_pins_overlap(const struct cfg_pin_set *a,
			    const struct cfg_pin_set *b)
{
	uint32_t w;

	if (a->ioapic != b->ioapic)
		return 0;
	for (w = 0; w < CFG_PIN_WORDS; w++)
		if (a->pins[w] & b->pins[w])
			return 1;
	return 0;
}

static int cfg_check_pins(const struct cfg_cell *cell, const char **why)
{
	uint32_t i, j;

	for (i = 0; i < cell->n_pin_sets; i++)
		for (j = 0; j < i; j++)
			if (cell->pin_sets[i].ioapic ==
			    cell->pin_sets[j].ioapic)
				FAIL("IOAPIC listed twice in one cell");
	return 0;
}

static int cfg_name_ok(const char *name)
{
	int i;

	for (i = 0; i < CFG_MAX_NAME && name[i]; i++)
		if (name[i] < 0x20 || name[i] > 0x7e)
			return 0;
	return i > 0 && i < CFG_MAX_NAME;
}

int cfg_check_cell(const struct cfg_cell *cell, const char **why)
{
	int err;

	if (!why)
		why = &cfg_dummy_why;
	if (!cfg_name_ok(cell->name))
		FAIL("cell name empty or not printable");
	err = cfg_check_mem(cell, why);
	if (!err)
		err = cfg_check_pio(cell, why);
	if (!err)
		err = cfg_check_pci(cell, why);
	if (!err)
		err = cfg_check_pins(cell, why);
	return err;
}

static int cfg_cell_has_cpus(const struct cfg_cell *cell)
{
	uint32_t w;

	for (w = 0; w < CFG_MAX_CPUS / 64; w++)
		if (cell->cpus[w])
			return 1;
	return 0;
}

static unsigned int cfg_cpu_count(const struct cfg_cell *cell)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < CFG_MAX_CPUS; cpu++)
		n += cfg_cpu_test(cell, cpu);
	return n;
}

/*
 * A cell's virtual devices: pc-legacy (the ports PC images probe) is the
 * one model there is, once per cell and without bdf, base or size (its
 * ports are fixed). The root cell has the real devices, so none there.
 * The other types are refused until their models exist.
 */
static int cfg_check_vdev(const struct cfg_cell *cell, uint32_t i,
			  int is_root, const char **why)
{
	const struct cfg_vdev *v = &cell->vdevs[i];
	uint32_t j;

	if (v->type != CFG_VDEV_TYPE_PC_LEGACY)
		FAIL("virtual-devices are not implemented yet, except "
		     "pc-legacy: remove them from the config");
	if (is_root)
		FAIL("pc-legacy in the root cell: the root has the real "
		     "devices; remove it from the config");
	if (v->has)
		FAIL("pc-legacy takes no bdf, base or size: its ports are "
		     "fixed; remove them");
	for (j = 0; j < i; j++)
		if (cell->vdevs[j].type == CFG_VDEV_TYPE_PC_LEGACY)
			FAIL("pc-legacy listed twice: give it once");
	return 0;
}

/*
 * The binding describes PCI devices, IOAPIC pins and virtual devices;
 * pc-legacy is the only virtual device model. A config that lists others
 * expects what it would not get: fail closed; an empty list asks for
 * nothing and passes.
 * A cell may list PCI devices (whether DMA isolation allows them is the
 * create path's rule) and IOAPIC pins; the root may list neither: it owns
 * every device and pin no cell was given, so a list there could only say
 * less than what it has.
 */
static int cfg_check_implemented(const struct cfg_cell *cell, int is_root,
				 const char **why)
{
	uint32_t i;
	int err;

	if (cell->n_pci && is_root)
		FAIL("pci-devices in the root cell: the root owns every "
		     "device not given to a cell; remove them from the "
		     "config");
	if (cell->n_pin_sets && is_root)
		FAIL("ioapic-pins in the root cell: the root owns every pin "
		     "not given to a cell; remove them from the config");
	for (i = 0; i < cell->n_vdevs; i++) {
		err = cfg_check_vdev(cell, i, is_root, why);
		if (err)
			return err;
	}
	return 0;
}

int cfg_check_system(const struct cfg_system *sys, const char **why)
{
	const struct cfg_mem_region *r;
	uint32_t i;
	int err;

	if (!why)
		why = &cfg_dummy_why;
	if (!cfg_name_ok(sys->name))
		FAIL("system name empty or not printable");
	if (!cfg_range_ok(sys->hv_phys, sys->hv_size) ||
	    !cfg_aligned(sys->hv_phys) || !cfg_aligned(sys->hv_size))
		FAIL("hypervisor region empty or not page aligned");
	if (sys->has_pool &&
	    (!cfg_range_ok(sys->pool_phys, sys->pool_size) ||
	     !cfg_aligned(sys->pool_phys) || !cfg_aligned(sys->pool_size)))
		FAIL("cell pool empty or not page aligned");
	if (sys->has_pool && cfg_overlap(sys->hv_phys, sys->hv_size,
					 sys->pool_phys, sys->pool_size))
		FAIL("cell pool overlaps the hypervisor");
	if (sys->console_type == CFG_CONSOLE_TYPE_8250 &&
	    sys->console_port > CFG_PIO_PORTS - 8)
		FAIL("debug console port out of range");
	if (sys->has_mmconfig &&
	    (sys->bus_start > sys->bus_end || sys->bus_end > 255 ||
	     sys->mmconfig & ((1ull << 20) - 1)))
		FAIL("PCI MMCONFIG base or bus range invalid");
	if (!cfg_cpu_test(&sys->root, 0))
		FAIL("root cell must own CPU 0");
	err = cfg_check_cell(&sys->root, why);
	if (!err)
		err = cfg_check_implemented(&sys->root, 1, why);
	if (err)
		return err;
	for (i = 0; i < sys->root.n_mem; i++) {
		r = &sys->root.mem[i];
		if (cfg_has_phys(r) && cfg_overlap(r->phys, r->size,
						   sys->hv_phys, sys->hv_size))
			FAIL("root cell memory overlaps the hypervisor");
		if (sys->has_pool && cfg_has_phys(r) &&
		    cfg_overlap(r->phys, r->size, sys->pool_phys,
				sys->pool_size))
			FAIL("root cell memory overlaps the cell pool");
	}
	return 0;
}

/* A config written for the other vendor's machine: VT-x vs AMD-V. */
static int cfg_check_vendor(const struct cfg_system *sys, uint32_t vendor,
			    const char **why)
{
	if (sys->cpu_vendor == vendor)
		return 0;
	*why = sys->cpu_vendor == CFG_CPU_VENDOR_INTEL ?
		"config is for an Intel VT-x machine (cpu-vendor: intel), "
		"this CPU is not Intel" :
		"config is for an AMD-V machine (cpu-vendor: amd), this CPU "
		"is not AMD";
	return -ENOEXEC;
}

int cfg_check_system_machine(const struct cfg_system *sys,
			     const struct cfg_machine *m, const char **why)
{
	unsigned int cpu;
	int err;

	if (!why)
		why = &cfg_dummy_why;
	err = cfg_check_vendor(sys, m->cpu_vendor, why);
	if (err)
		return err;
	/* The driver read the region from this blob; a mismatch is a bug. */
	if (sys->hv_phys != m->region_phys || sys->hv_size != m->region_size)
		FAIL("hypervisor region is not where the driver put us");
	/*
	 * Every CPU that entered keeps running Linux, so the root cell must
	 * own it; a listed CPU that did not enter is not under our control
	 * and must never be handed to a cell.
	 */
	for (cpu = 0; cpu < CFG_MAX_CPUS; cpu++) {
		if (cfg_cpu_test(&sys->root, cpu) == (cpu < m->cpus))
			continue;
		*why = cpu < m->cpus ? "root cell lacks a CPU that is online" :
				    "root cell names a CPU that is not online";
		return -ERANGE;
	}
	if (m->cpus > CFG_MAX_CPUS) {
		*why = "more CPUs online than a config can name";
		return -ERANGE;
	}
	return 0;
}

int cfg_region_available(const struct cfg_system *sys,
			 const struct cfg_mem_region *r)
{
	const struct cfg_mem_region *q;
	uint32_t i;

	if (sys->has_pool && r->phys >= sys->pool_phys &&
	    r->phys + r->size <= sys->pool_phys + sys->pool_size)
		return 1;
	for (i = 0; i < sys->root.n_mem; i++) {
		q = &sys->root.mem[i];
		if (cfg_has_phys(q) && r->phys >= q->phys &&
		    r->phys + r->size <= q->phys + q->size)
			return 1;
	}
	return 0;
}

int cfg_pio_available(const struct cfg_system *sys,
		      const struct cfg_pio_range *p)
{
	const struct cfg_pio_range *q;
	uint32_t i;

	for (i = 0; i < sys->root.n_pio; i++) {
		q = &sys->root.pio[i];
		if (p->base >= q->base &&
		    p->base + p->length <= q->base + q->length)
			return 1;
	}
	return 0;
}

/* Every pin the cell names exists on an IOAPIC of the platform. */
static int cfg_pins_available(const struct cfg_system *sys,
			      const struct cfg_pin_set *set)
{
	uint32_t i, pin;

	for (i = 0; i < sys->n_ioapics; i++) {
		if (sys->ioapics[i].id != set->ioapic)
			continue;
		for (pin = sys->ioapics[i].pins; pin < CFG_MAX_IOAPIC_PINS;
		     pin++)
			if (cfg_pin_test(set, pin))
				return 0;
		return 1;
	}
	return 0;
}
/*
 * Registers the hypervisor moderates are never a cell's memory: the PCI
 * config space window (a cell reaches config space only through its
 * pci-devices), the IOMMUs and the IOAPICs (a cell owns pins, not the
 * chip).
 */
static int cfg_region_not_platform(const struct cfg_system *sys,
				   const struct cfg_mem_region *r,
				   const char **why)
{
	uint32_t i;

	if (sys->has_mmconfig &&
	    cfg_overlap(r->phys, r->size, sys->mmconfig,
			(uint64_t)(sys->bus_end + 1) << 20))
		FAIL("cell memory overlaps the PCI config space window "
		     "(mmconfig): list the device under pci-devices instead");
	for (i = 0; i < sys->n_iommus; i++)
		if (cfg_overlap(r->phys, r->size, sys->iommus[i].base,
				sys->iommus[i].size))
			FAIL("cell memory overlaps an IOMMU's registers");
	for (i = 0; i < sys->n_ioapics; i++)
		if (cfg_overlap(r->phys, r->size, sys->ioapics[i].base,
				CFG_IOAPIC_SIZE))
			FAIL("cell memory overlaps an IOAPIC: list its pins "
			     "under ioapic-pins instead");
	return 0;
}

/*
 * Port numbers lie below 64 KiB, memory BARs of PCs far above: a listed
 * BAR from there on is memory (the binding does not say which it is).
 */
#define CFG_BAR_MEM_MIN		0x10000ULL

static bool cfg_bar_is_mem(const struct cfg_pci_device *d, unsigned int bar)
{
	return d->bar_size[bar] && d->bar_base[bar] >= CFG_BAR_MEM_MIN;
}

/* @r (phys) meets a memory BAR of a device of @c: refused. */
static int cfg_region_not_bars(const struct cfg_mem_region *r,
			       const struct cfg_cell *c, const char **why)
{
	const struct cfg_pci_device *d;
	uint32_t i, bar;

	for (i = 0; i < c->n_pci; i++) {
		d = &c->pci[i];
		for (bar = 0; bar < CFG_PCI_BARS; bar++)
			if (cfg_bar_is_mem(d, bar) &&
			    cfg_overlap(r->phys, r->size, d->bar_base[bar],
					d->bar_size[bar]))
				FAIL("cell memory overlaps a BAR of a PCI "
				     "device (a device's BARs come with it "
				     "through pci-devices)");
	}
	return 0;
}


int cfg_check_cell_in_system(const struct cfg_system *sys,
			     const struct cfg_cell *cell, const char **why)
{
	const struct cfg_mem_region *r;
	uint32_t i;
	int err;

	if (!why)
		why = &cfg_dummy_why;
	if (!cfg_cell_has_cpus(cell))
		FAIL("cell has no CPU");
	if (cfg_cpu_test(cell, 0))
		FAIL("CPU 0 belongs to the root cell");
	for (i = 0; i < CFG_MAX_CPUS; i++)
		if (cfg_cpu_test(cell, i) && !cfg_cpu_test(&sys->root, i))
			FAIL("cell CPU is not a CPU of the root cell");
	/* The hypervisor has room for this many CPUs per cell, no more. */
	if (cfg_cpu_count(cell) > CFG_MAX_CELL_CPUS) {
		*why = "cell has more CPUs than one cell may own (at most "
		       CFG_STR(CFG_MAX_CELL_CPUS) ")";
		return -E2BIG;
	}
	for (i = 0; i < cell->n_mem; i++) {
		r = &cell->mem[i];
		if (!cfg_has_phys(r))
			continue;
		if (cfg_overlap(r->phys, r->size, sys->hv_phys, sys->hv_size))
			FAIL("cell memory overlaps the hypervisor");
		if (!cfg_region_available(sys, r))
			FAIL("cell memory is neither root memory nor pool");
		err = cfg_region_not_platform(sys, r, why);
		if (!err)
			err = cfg_region_not_bars(r, cell, why);
		if (err)
			return err;
	}
	for (i = 0; i < cell->n_pio; i++)
		if (!cfg_pio_available(sys, &cell->pio[i]))
			FAIL("cell port range is not owned by the root cell");
	for (i = 0; i < cell->n_pin_sets; i++)
		if (!cfg_pins_available(sys, &cell->pin_sets[i]))
			FAIL("cell IOAPIC pin does not exist");
	return cfg_check_implemented(cell, 0, why);
}

static int cfg_mem_disjoint(const struct cfg_cell *a,
			    const struct cfg_cell *b, const char **why)
{
	const struct cfg_mem_region *x, *y;
	uint32_t i, j;

	for (i = 0; i < a->n_mem; i++) {
		x = &a->mem[i];
		for (j = 0; j < b->n_mem; j++) {
			y = &b->mem[j];
			if (!cfg_has_phys(x) || !cfg_has_phys(y))
				continue;
			/* Only regions both sides declare shared may meet. */
			if ((x->flags & y->flags & CFG_MEM_SHARED) &&
			    x->phys == y->phys && x->size == y->size)
				continue;
			if (cfg_overlap(x->phys, x->size, y->phys, y->size))
				FAIL_BUSY("memory already owned by another "
					  "cell");
		}
	}
	return 0;
}

int cfg_check_cells_disjoint(const struct cfg_cell *a,
			     const struct cfg_cell *b, const char **why)
{
	uint32_t i, j;
	int err;

	if (!why)
		why = &cfg_dummy_why;
	for (i = 0; i < CFG_MAX_CPUS / 64; i++)
		if (a->cpus[i] & b->cpus[i])
			FAIL_BUSY("CPU already owned by another cell");
	err = cfg_mem_disjoint(a, b, why);
	if (err)
		return err;
	for (i = 0; i < a->n_mem; i++)
		if (cfg_has_phys(&a->mem[i]) &&
		    cfg_region_not_bars(&a->mem[i], b, why))
			FAIL_BUSY("memory overlaps a BAR of another cell's "
				  "PCI device");
	for (i = 0; i < b->n_mem; i++)
		if (cfg_has_phys(&b->mem[i]) &&
		    cfg_region_not_bars(&b->mem[i], a, why))
			FAIL_BUSY("memory overlaps a BAR of another cell's "
				  "PCI device");
	for (i = 0; i < a->n_pio; i++)
		for (j = 0; j < b->n_pio; j++)
			if (cfg_overlap(a->pio[i].base, a->pio[i].length,
					b->pio[j].base, b->pio[j].length))
				FAIL_BUSY("port range "
					  "already owned by another cell");
	for (i = 0; i < a->n_pci; i++)
		for (j = 0; j < b->n_pci; j++)
			if (a->pci[i].bdf == b->pci[j].bdf)
				FAIL_BUSY("PCI device "
					  "already owned by another cell");
	for (i = 0; i < a->n_pin_sets; i++)
		for (j = 0; j < b->n_pin_sets; j++)
			if (cfg_pins_overlap(&a->pin_sets[i], &b->pin_sets[j]))
				FAIL_BUSY("IOAPIC pin "
					  "already owned by another cell");
	return 0;
}
