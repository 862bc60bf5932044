// SPDX-License-Identifier: GPL-2.0
/* DTB side of the config front end: compile the model, read blobs back, load files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "cfgtool.h"

/* ---- writing ---- */

static int sw_u64(void *fdt, const char *name, uint64_t v)
{
	return fdt_property_u64(fdt, name, v);
}

static int sw_child(void *fdt, const char *prefix, uint32_t index)
{
	char name[32];

	snprintf(name, sizeof(name), "%s-%u", prefix, index);
	return fdt_begin_node(fdt, name);
}

static int sw_region(void *fdt, const struct cfg_mem_region *r, uint32_t i)
{
	int err = sw_child(fdt, CFG_NODE_REGION, i);

	if (!err && r->name[0])
		err = fdt_property_string(fdt, CFG_PROP_NAME, r->name);
	if (!err && !(r->flags & CFG_MEM_COMM_PAGE))
		err = sw_u64(fdt, CFG_PROP_PHYS, r->phys);
	if (!err)
		err = sw_u64(fdt, CFG_PROP_GUEST, r->guest);
	if (!err)
		err = sw_u64(fdt, CFG_PROP_SIZE, r->size);
	if (!err)
		err = fdt_property_u32(fdt, CFG_PROP_FLAGS, r->flags);
	return err ? err : fdt_end_node(fdt);
}

static int sw_device(void *fdt, const struct cfg_pci_device *d, uint32_t i)
{
	fdt64_t bars[2 * CFG_PCI_BARS];
	fdt32_t caps[CFG_MAX_PCI_CAPS];
	int err = sw_child(fdt, CFG_NODE_DEVICE, i), b;
	uint32_t c;

	if (!err)
		err = fdt_property_u32(fdt, CFG_PROP_BDF, d->bdf);
	for (c = 0; c < d->n_caps; c++)
		caps[c] = cpu_to_fdt32(d->caps[c]);
	if (!err && d->n_caps)
		err = fdt_property(fdt, CFG_PROP_CAPS, caps, d->n_caps * 4);
	if (!err && d->has_bars) {
		for (b = 0; b < CFG_PCI_BARS; b++) {
			bars[2 * b] = cpu_to_fdt64(d->bar_base[b]);
			bars[2 * b + 1] = cpu_to_fdt64(d->bar_size[b]);
		}
		err = fdt_property(fdt, CFG_PROP_BARS, bars, sizeof(bars));
	}
	return err ? err : fdt_end_node(fdt);
}

static int sw_pins(void *fdt, const struct cfg_pin_set *s, uint32_t i)
{
	fdt32_t pins[CFG_MAX_IOAPIC_PINS];
	int err = sw_child(fdt, CFG_NODE_PINS, i), n = 0, pin;

	for (pin = 0; pin < CFG_MAX_IOAPIC_PINS; pin++)
		if (cfg_pin_test(s, pin))
			pins[n++] = cpu_to_fdt32(pin);
	if (!err)
		err = fdt_property_u32(fdt, CFG_PROP_IOAPIC, s->ioapic);
	if (!err)
		err = fdt_property(fdt, CFG_PROP_PINS, pins, n * 4);
	return err ? err : fdt_end_node(fdt);
}

static int sw_vdev(void *fdt, const struct cfg_vdev *v, uint32_t i)
{
	static const char *const types[] = CFG_VDEV_TYPES;
	int err = sw_child(fdt, CFG_NODE_VDEV, i);

	if (!err)
		err = fdt_property_string(fdt, CFG_PROP_TYPE, types[v->type]);
	if (!err && v->name[0])
		err = fdt_property_string(fdt, CFG_PROP_NAME, v->name);
	if (!err && (v->has & CFG_VDEV_HAS_BDF))
		err = fdt_property_u32(fdt, CFG_PROP_BDF, v->bdf);
	if (!err && (v->has & CFG_VDEV_HAS_BASE))
		err = sw_u64(fdt, CFG_PROP_BASE, v->base);
	if (!err && (v->has & CFG_VDEV_HAS_SIZE))
		err = sw_u64(fdt, CFG_PROP_SIZE, v->size);
	return err ? err : fdt_end_node(fdt);
}

/* Emits "<container> { <child>-N { ... } ... }" when the list is not empty. */
#define SW_LIST(fdt, err, container, count, emit)			\
	do {								\
		uint32_t i_;						\
		if ((err) || !(count))					\
			break;						\
		(err) = fdt_begin_node(fdt, container);			\
		for (i_ = 0; !(err) && i_ < (count); i_++)		\
			(err) = emit;					\
		if (!(err))						\
			(err) = fdt_end_node(fdt);			\
	} while (0)

static int sw_cell_body(void *fdt, const struct cfg_cell *cell, int is_root)
{
	fdt32_t cpus[CFG_MAX_CPUS];
	int err, n = 0, cpu;

	for (cpu = 0; cpu < CFG_MAX_CPUS; cpu++)
		if (cfg_cpu_test(cell, cpu))
			cpus[n++] = cpu_to_fdt32(cpu);
	err = fdt_property_string(fdt, CFG_PROP_NAME, cell->name);
	if (!err)
		err = fdt_property(fdt, CFG_PROP_CPUS, cpus, n * 4);
	if (!err && !is_root)
		err = sw_u64(fdt, CFG_PROP_ENTRY, cell->entry);
	if (!err && cell->console)
		err = fdt_property(fdt, CFG_PROP_CONSOLE, NULL, 0);
	SW_LIST(fdt, err, CFG_NODE_MEMORY, cell->n_mem,
		sw_region(fdt, &cell->mem[i_], i_));
	SW_LIST(fdt, err, CFG_NODE_PIO, cell->n_pio,
		sw_child(fdt, CFG_NODE_RANGE, i_) ?:
		fdt_property_u32(fdt, CFG_PROP_BASE, cell->pio[i_].base) ?:
		fdt_property_u32(fdt, CFG_PROP_LENGTH,
				 cell->pio[i_].length) ?:
		fdt_end_node(fdt));
	SW_LIST(fdt, err, CFG_NODE_PCI_DEVS, cell->n_pci,
		sw_device(fdt, &cell->pci[i_], i_));
	SW_LIST(fdt, err, CFG_NODE_IOAPIC_PINS, cell->n_pin_sets,
		sw_pins(fdt, &cell->pin_sets[i_], i_));
	SW_LIST(fdt, err, CFG_NODE_VDEVS, cell->n_vdevs,
		sw_vdev(fdt, &cell->vdevs[i_], i_));
	return err;
}

static int sw_phys_size(void *fdt, const char *node, uint64_t phys,
			uint64_t size)
{
	return fdt_begin_node(fdt, node) ?:
	       sw_u64(fdt, CFG_PROP_PHYS, phys) ?:
	       sw_u64(fdt, CFG_PROP_SIZE, size) ?:
	       fdt_end_node(fdt);
}

static int sw_platform(void *fdt, const struct cfg_system *sys)
{
	static const char *const vendors[] = { CFG_CPU_INTEL, CFG_CPU_AMD };
	static const char *const modes[] = { CFG_APIC_AUTO, CFG_APIC_XAPIC,
					     CFG_APIC_X2APIC };
	static const char *const iommus[] = { CFG_IOMMU_VTD,
					      CFG_IOMMU_AMDVI };
	static const char *const dma[] = { CFG_DMA_ISOLATION_IOMMU,
					   CFG_DMA_ISOLATION_NONE };
	const struct cfg_iommu *u;
	const struct cfg_ioapic *a;
	uint32_t i;
	int err;

	err = fdt_begin_node(fdt, CFG_NODE_PLATFORM) ?:
	      fdt_property_string(fdt, CFG_PROP_CPU_VENDOR,
				  vendors[sys->cpu_vendor]) ?:
	      fdt_property_string(fdt, CFG_PROP_APIC_MODE,
				  modes[sys->apic_mode]) ?:
	      fdt_property_string(fdt, CFG_PROP_DMA_ISOLATION,
				  dma[sys->dma_isolation]);
	if (!err && sys->tsc_khz)
		err = fdt_property_u32(fdt, CFG_PROP_TSC_KHZ, sys->tsc_khz);
	if (!err && sys->apic_khz)
		err = fdt_property_u32(fdt, CFG_PROP_APIC_KHZ, sys->apic_khz);
	if (!err && sys->has_mmconfig)
		err = fdt_begin_node(fdt, CFG_NODE_PCI_HOST) ?:
		      sw_u64(fdt, CFG_PROP_MMCONFIG, sys->mmconfig) ?:
		      fdt_property_u32(fdt, CFG_PROP_BUS_START,
				       sys->bus_start) ?:
		      fdt_property_u32(fdt, CFG_PROP_BUS_END, sys->bus_end) ?:
		      fdt_end_node(fdt);
	for (i = 0; !err && i < sys->n_iommus; i++) {
		u = &sys->iommus[i];
		err = sw_child(fdt, CFG_NODE_IOMMU, i) ?:
		      fdt_property_string(fdt, CFG_PROP_TYPE,
					  iommus[u->type]) ?:
		      sw_u64(fdt, CFG_PROP_BASE, u->base) ?:
		      sw_u64(fdt, CFG_PROP_SIZE, u->size) ?:
		      (u->optional ? fdt_property(fdt, CFG_PROP_OPTIONAL,
						  NULL, 0) : 0) ?:
		      fdt_end_node(fdt);
	}
	for (i = 0; !err && i < sys->n_ioapics; i++) {
		a = &sys->ioapics[i];
		err = sw_child(fdt, CFG_NODE_IOAPIC, i) ?:
		      fdt_property_u32(fdt, CFG_PROP_ID, a->id) ?:
		      sw_u64(fdt, CFG_PROP_BASE, a->base) ?:
		      fdt_property_u32(fdt, CFG_PROP_GSI_BASE, a->gsi_base) ?:
		      fdt_property_u32(fdt, CFG_PROP_PINS, a->pins) ?:
		      (a->has_source_id ? fdt_property_u32(fdt,
				CFG_PROP_SOURCE_ID, a->source_id) : 0) ?:
		      fdt_end_node(fdt);
	}
	return err ?: fdt_end_node(fdt);
}

static int sw_system(void *fdt, const struct cfg_system *sys)
{
	static const char *const consoles[] = { CFG_CONSOLE_NONE,
						CFG_CONSOLE_8250 };
	int err;

	err = fdt_property_string(fdt, CFG_PROP_NAME, sys->name) ?:
	      sw_phys_size(fdt, CFG_NODE_HYPERVISOR, sys->hv_phys,
			   sys->hv_size) ?:
	      fdt_begin_node(fdt, CFG_NODE_CONSOLE) ?:
	      fdt_property_string(fdt, CFG_PROP_TYPE,
				  consoles[sys->console_type]);
	if (!err && sys->console_type == CFG_CONSOLE_TYPE_8250)
		err = fdt_property_u32(fdt, CFG_PROP_PORT, sys->console_port);
	err = err ?: fdt_end_node(fdt) ?: sw_platform(fdt, sys);
	if (!err && sys->has_pool)
		err = sw_phys_size(fdt, CFG_NODE_POOL, sys->pool_phys,
				   sys->pool_size);
	return err ?: fdt_begin_node(fdt, CFG_NODE_ROOT_CELL) ?:
	       sw_cell_body(fdt, &sys->root, 1) ?: fdt_end_node(fdt);
}

static int sw_all(void *fdt, int size, const struct cfg_file *f)
{
	int sys = f->kind == CFG_KIND_SYSTEM;
	int err;

	err = fdt_create(fdt, size) ?: fdt_finish_reservemap(fdt) ?:
	      fdt_begin_node(fdt, "") ?:
	      fdt_property_string(fdt, CFG_PROP_COMPATIBLE,
				  sys ? CFG_COMPAT_SYSTEM : CFG_COMPAT_CELL) ?:
	      fdt_property_u32(fdt, CFG_PROP_VERSION, CFG_BINDING_VERSION);
	if (!err)
		err = sys ? sw_system(fdt, &f->sys) :
			    sw_cell_body(fdt, &f->cell, 0);
	return err ?: fdt_end_node(fdt) ?: fdt_finish(fdt);
}

int cfg_compile(const struct cfg_file *f, void **blob, size_t *size)
{
	int bufsize = 16384, err;
	uint32_t i;
	void *buf;

	if (f->kind == CFG_KIND_UNKNOWN)
		return -EINVAL;
	for (i = 0; f->kind == CFG_KIND_CELL && i < f->cell.n_mem; i++)
		if (!(f->cell.mem[i].flags & CFG_MEM_COMM_PAGE) &&
		    f->cell_src.mem[i].has_phys <= 0)
			return -EINVAL;	/* not placed: would be phys 0 */
	for (;;) {
		buf = calloc(1, bufsize);
		if (!buf)
			return -ENOMEM;
		err = sw_all(buf, bufsize, f);
		if (err != -FDT_ERR_NOSPACE ||
		    bufsize >= (int)CFG_MAX_BLOB_SIZE)
			break;
		free(buf);
		bufsize *= 2;
	}
	if (err) {
		free(buf);
		return -EIO;
	}
	*size = fdt_totalsize(buf);
	*blob = buf;
	return 0;
}

/* ---- reading ---- */

static void src_from_dtb(struct cell_src *s, const struct cfg_cell *cell,
			 const char *path)
{
	struct loc at = { path, 0, 0 };
	uint32_t i;

	s->item = s->name = s->cpus = s->entry = at;
	s->has_entry = 1;
	for (i = 0; i < cell->n_mem; i++) {
		s->mem[i].item = s->mem[i].phys = at;
		s->mem[i].guest = s->mem[i].size = at;
		s->mem[i].has_phys = s->mem[i].has_guest = 1;
	}
	for (i = 0; i < CFG_MAX_PIO_RANGES; i++)
		s->pio[i] = at;
	for (i = 0; i < CFG_MAX_PCI_DEVICES; i++)
		s->pci[i] = at;
	for (i = 0; i < CFG_MAX_PIN_SETS; i++)
		s->pins[i] = at;
	for (i = 0; i < CFG_MAX_VDEVS; i++)
		s->vdev[i] = at;
	s->pci_key = s->pins_key = s->vdevs_key = at;
}

/* Every property the binding defines (include/cellvisor/config.h). */
static const char *const dtb_props[] = {
	CFG_PROP_COMPATIBLE, CFG_PROP_VERSION, CFG_PROP_NAME, CFG_PROP_PHYS,
	CFG_PROP_SIZE, CFG_PROP_GUEST, CFG_PROP_FLAGS, CFG_PROP_TYPE,
	CFG_PROP_PORT, CFG_PROP_CPU_VENDOR, CFG_PROP_APIC_MODE,
	CFG_PROP_TSC_KHZ, CFG_PROP_APIC_KHZ, CFG_PROP_DMA_ISOLATION,
	CFG_PROP_MMCONFIG,
	CFG_PROP_BUS_START, CFG_PROP_BUS_END, CFG_PROP_BASE,
	CFG_PROP_OPTIONAL, CFG_PROP_ID, CFG_PROP_GSI_BASE, CFG_PROP_PINS,
	CFG_PROP_CPUS, CFG_PROP_ENTRY, CFG_PROP_CONSOLE, CFG_PROP_LENGTH,
	CFG_PROP_BDF, CFG_PROP_BARS, CFG_PROP_CAPS, CFG_PROP_IOAPIC,
	CFG_PROP_SOURCE_ID,
};

int cfg_dtb_prop_known(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(dtb_props) / sizeof(dtb_props[0]); i++)
		if (!strcmp(name, dtb_props[i]))
			return 1;
	return 0;
}

/*
 * The first property of FDT the binding does not define, with the path of
 * its node in NODE; NULL when every name is known (then one stands in a
 * node that does not take it).
 */
static const char *dtb_unknown_prop(const void *fdt, char *node, int size)
{
	int off, prop, len, depth = 0;
	const char *name;

	for (off = 0; off >= 0; off = fdt_next_node(fdt, off, &depth)) {
		fdt_for_each_property_offset(prop, fdt, off) {
			if (!fdt_getprop_by_offset(fdt, prop, &name, &len) ||
			    cfg_dtb_prop_known(name))
				continue;
			if (fdt_get_path(fdt, off, node, size))
				snprintf(node, size, "?");
			return name;
		}
	}
	return NULL;
}

/* The reader's reason, naming the property when it is an unknown one. */
static void dtb_say_why(const void *fdt, const char *why, int err,
			const struct loc *at, struct diag *d)
{
	const char *name;
	char node[256];

	if (!why || strcmp(why, "unknown property")) {
		diag_error(d, at, "not a valid Cellvisor config blob: %s (%s)",
			   why, strerror(-err));
		return;
	}
	name = dtb_unknown_prop(fdt, node, sizeof(node));
	if (name)
		diag_error(d, at, "not a valid Cellvisor config blob: unknown "
			   "property '%s' in node %s (the binding has no such "
			   "property: compile the YAML with this cellctl)", name,
			   node);
	else
		diag_error(d, at, "not a valid Cellvisor config blob: a "
			   "property stands in a node that does not take it "
			   "(compare 'dtc -I dtb -O dts FILE' with a DTB that "
			   "this cellctl compiled)");
}

struct cfg_file *cfg_load_dtb(const char *path, const void *buf, size_t len,
			      struct diag *d)
{
	struct loc at = { path, 0, 0 };
	struct cfg_file *f = calloc(1, sizeof(*f));
	const char *why = "?";
	int i, err;

	if (!f)
		return NULL;
	f->path = path;
	f->from_dtb = 1;
	err = cfg_parse_system(buf, len, &f->sys, &why);
	if (!err) {
		f->kind = CFG_KIND_SYSTEM;
		src_from_dtb(&f->sys_src.root, &f->sys.root, path);
		f->sys_src.item = f->sys_src.name = f->sys_src.hv = at;
		f->sys_src.hv_phys = f->sys_src.console_port = at;
		f->sys_src.pool = f->sys_src.mmconfig = at;
		f->sys_src.dma_isolation = at;
		for (i = 0; i < CFG_MAX_IOMMUS; i++)
			f->sys_src.iommu[i] = at;
		for (i = 0; i < CFG_MAX_IOAPICS; i++)
			f->sys_src.ioapic[i] = at;
		return f;
	}
	if (why && !strcmp(why, "wrong kind of config (compatible)")) {
		err = cfg_parse_cell(buf, len, &f->cell, &why);
		if (!err) {
			f->kind = CFG_KIND_CELL;
			src_from_dtb(&f->cell_src, &f->cell, path);
			return f;
		}
	}
	dtb_say_why(buf, why, err, &at, d);
	free(f);
	return NULL;
}

/*
 * All of FP, up to CFG_MAX_FILE_SIZE bytes: NULL with errno EFBIG when
 * there is more (never reading more than one byte past the limit).
 */
static unsigned char *read_bounded(FILE *fp, size_t *len)
{
	size_t cap = CFG_MAX_FILE_SIZE + 1, n = 0, got;
	unsigned char *buf = malloc(cap + 1);

	if (!buf)
		return NULL;
	do {
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
	} while (got && n < cap);
	if (ferror(fp) || n > CFG_MAX_FILE_SIZE) {
		errno = ferror(fp) ? EIO : EFBIG;
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

static unsigned char *read_path(const char *path, size_t *len)
{
	unsigned char *buf;
	FILE *fp;
	int err;

	if (!strcmp(path, CFG_STDIN_PATH))
		return read_bounded(stdin, len);
	fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	buf = read_bounded(fp, len);
	err = errno;
	fclose(fp);
	errno = err;
	return buf;
}

static void say_unreadable(const struct loc *at, struct diag *d)
{
	if (errno == EFBIG)
		diag_error(d, at, "larger than %u bytes (1 MiB): not a config; "
			   "give the YAML or DTB file", CFG_MAX_FILE_SIZE);
	else
		diag_error(d, at, "cannot read: %s", strerror(errno));
}

struct cfg_file *cfg_load(const char *path, struct diag *d)
{
	struct loc at = { path, 0, 0 };
	struct cfg_file *f;
	unsigned char *buf;
	size_t len;

	if (!strcmp(path, "-")) {
		path = at.file = CFG_STDIN_PATH;
		if (feof(stdin)) {
			diag_error(d, &at, "standard input was read already: "
				   "give '-' once");
			return NULL;
		}
	}
	buf = read_path(path, &len);
	if (!buf) {
		say_unreadable(&at, d);
		return NULL;
	}
	/* A DTB starts with its magic; YAML text never does. */
	if (len >= 4 && fdt_magic(buf) == FDT_MAGIC)
		f = cfg_load_dtb(path, buf, len, d);
	else
		f = cfg_load_yaml(path, buf, len, d);
	free(buf);
	return f;
}

void cfg_free(struct cfg_file *f)
{
	free(f);
}

/* ---- formatting helpers ---- */

void cfg_format_cpus(const uint64_t *bitmap, unsigned int nbits, char *buf,
		     size_t size)
{
	unsigned int i = 0, lo;
	size_t used = 0;

	buf[0] = 0;
	while (i < nbits) {
		if (!(bitmap[i / 64] >> (i % 64) & 1)) {
			i++;
			continue;
		}
		lo = i;
		while (i + 1 < nbits &&
		       (bitmap[(i + 1) / 64] >> ((i + 1) % 64) & 1))
			i++;
		if (used < size)
			used += snprintf(buf + used, size - used,
					 lo == i ? "%s%u" : "%s%u-%u",
					 used ? "," : "", lo, i);
		i++;
	}
}

void cfg_format_size(uint64_t v, char *buf, size_t size)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (v && !(v & 1023) && u < 3) {
		v >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, size, "0x%llx", (unsigned long long)v);
	else
		snprintf(buf, size, "%llu%c", (unsigned long long)v, units[u]);
}
