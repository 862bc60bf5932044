// SPDX-License-Identifier: GPL-2.0
/* Writes the model back as YAML in the documented format (cellctl config show). */
#include <string.h>

#include "cfgtool.h"

#define ULL(x)	((unsigned long long)(x))

static void put_str(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', o);
		fputc(*s, o);
	}
	fputc('"', o);
}

static void put_size(FILE *o, uint64_t v)
{
	char buf[32];

	cfg_format_size(v, buf, sizeof(buf));
	fputs(buf, o);
}

static void put_bdf(FILE *o, uint32_t bdf)
{
	fprintf(o, "%02x:%02x.%x", bdf >> 8, bdf >> 3 & 31, bdf & 7);
}

/* SRC is NULL for a blob's regions: those always have their place. */
static void put_region(FILE *o, const char *ind,
		       const struct cfg_mem_region *r, const struct mem_src *src)
{
	static const char *const access[] = { "read", "write", "execute",
					      "dma", "io" };
	const char *sep = "";
	int i;

	fprintf(o, "%s  - ", ind);
	if (r->name[0]) {
		fputs("name: ", o);
		put_str(o, r->name);
		fprintf(o, "\n%s    ", ind);
	}
	if (r->flags & CFG_MEM_COMM_PAGE)
		fprintf(o, "comm-page: true\n%s    ", ind);
	else if (!src || src->has_phys > 0)
		fprintf(o, "phys: 0x%llx\n%s    ", ULL(r->phys), ind);
	fprintf(o, "guest: 0x%llx\n%s    size: ", ULL(r->guest), ind);
	put_size(o, r->size);
	fprintf(o, "\n%s    access: [", ind);
	for (i = 0; i < 5; i++)
		if (r->flags & (1u << i)) {
			fprintf(o, "%s%s", sep, access[i]);
			sep = ", ";
		}
	fputs("]\n", o);
	if (r->flags & CFG_MEM_LOADABLE)
		fprintf(o, "%s    loadable: true\n", ind);
	if (r->flags & CFG_MEM_SHARED)
		fprintf(o, "%s    shared: true\n", ind);
}

static void put_device(FILE *o, const char *ind,
		       const struct cfg_pci_device *d)
{
	uint32_t i;
	int b;

	fprintf(o, "%s  - bdf: ", ind);
	put_bdf(o, d->bdf);
	fputc('\n', o);
	if (d->n_caps)
		fprintf(o, "%s    caps:\n", ind);
	for (i = 0; i < d->n_caps; i++)
		fprintf(o, "%s      - {id: 0x%x, offset: 0x%x%s}\n", ind,
			CFG_PCI_CAP_ID(d->caps[i]),
			CFG_PCI_CAP_OFFSET(d->caps[i]),
			CFG_PCI_CAP_EXTENDED(d->caps[i]) ?
			", extended: true" : "");
	if (!d->has_bars)
		return;
	fprintf(o, "%s    bars:\n", ind);
	for (b = 0; b < CFG_PCI_BARS; b++) {
		if (!d->bar_base[b] && !d->bar_size[b]) {
			fprintf(o, "%s      - none\n", ind);
			continue;
		}
		fprintf(o, "%s      - {base: 0x%llx, size: ", ind,
			ULL(d->bar_base[b]));
		put_size(o, d->bar_size[b]);
		fputs("}\n", o);
	}
}

static void put_pins(FILE *o, const char *ind, const struct cfg_pin_set *s)
{
	unsigned int pin, lo;
	const char *sep = "";

	fprintf(o, "%s  - ioapic: %u\n%s    pins: ", ind, s->ioapic, ind);
	for (pin = 0; pin < CFG_MAX_IOAPIC_PINS; pin++) {
		if (!cfg_pin_test(s, pin))
			continue;
		lo = pin;
		while (cfg_pin_test(s, pin + 1))
			pin++;
		fprintf(o, lo == pin ? "%s%u" : "%s%u-%u", sep, lo, pin);
		sep = ",";
	}
	fputc('\n', o);
}

static void put_vdev(FILE *o, const char *ind, const struct cfg_vdev *v)
{
	static const char *const types[] = CFG_VDEV_TYPES;

	fprintf(o, "%s  - type: %s\n", ind, types[v->type]);
	if (v->name[0]) {
		fprintf(o, "%s    name: ", ind);
		put_str(o, v->name);
		fputc('\n', o);
	}
	if (v->has & CFG_VDEV_HAS_BDF) {
		fprintf(o, "%s    bdf: ", ind);
		put_bdf(o, v->bdf);
		fputc('\n', o);
	}
	if (v->has & CFG_VDEV_HAS_BASE)
		fprintf(o, "%s    base: 0x%llx\n", ind, ULL(v->base));
	if (v->has & CFG_VDEV_HAS_SIZE) {
		fprintf(o, "%s    size: ", ind);
		put_size(o, v->size);
		fputc('\n', o);
	}
}

static void put_cell(FILE *o, const char *ind, const struct cfg_cell *c,
		     const struct cell_src *src, int is_root)
{
	char cpus[1024];
	const struct cfg_pio_range *p;
	uint32_t i;

	cfg_format_cpus(c->cpus, CFG_MAX_CPUS, cpus, sizeof(cpus));
	fprintf(o, "%sname: ", ind);
	put_str(o, c->name);
	fprintf(o, "\n%scpus: %s\n", ind, cpus);
	if (!is_root)
		fprintf(o, "%sentry: 0x%llx\n%sconsole: %s\n", ind,
			ULL(c->entry), ind, c->console ? "true" : "false");
	if (c->n_mem)
		fprintf(o, "%smemory:\n", ind);
	for (i = 0; i < c->n_mem; i++)
		put_region(o, ind, &c->mem[i], src ? &src->mem[i] : NULL);
	if (c->n_pio)
		fprintf(o, "%spio:\n", ind);
	for (i = 0; i < c->n_pio; i++) {
		p = &c->pio[i];
		if (p->length == 1)
			fprintf(o, "%s  - 0x%x\n", ind, p->base);
		else
			fprintf(o, "%s  - 0x%x-0x%x\n", ind, p->base,
				p->base + p->length - 1);
	}
	if (c->n_pci)
		fprintf(o, "%spci-devices:\n", ind);
	for (i = 0; i < c->n_pci; i++)
		put_device(o, ind, &c->pci[i]);
	if (c->n_pin_sets)
		fprintf(o, "%sioapic-pins:\n", ind);
	for (i = 0; i < c->n_pin_sets; i++)
		put_pins(o, ind, &c->pin_sets[i]);
	if (c->n_vdevs)
		fprintf(o, "%svirtual-devices:\n", ind);
	for (i = 0; i < c->n_vdevs; i++)
		put_vdev(o, ind, &c->vdevs[i]);
}

static void put_platform(FILE *o, const struct cfg_system *s)
{
	static const char *const vendors[] = { CFG_CPU_INTEL, CFG_CPU_AMD };
	static const char *const modes[] = { CFG_APIC_AUTO, CFG_APIC_XAPIC,
					     CFG_APIC_X2APIC };
	static const char *const iommus[] = { CFG_IOMMU_VTD,
					      CFG_IOMMU_AMDVI };
	static const char *const dma[] = { CFG_DMA_ISOLATION_IOMMU,
					   CFG_DMA_ISOLATION_NONE };
	uint32_t i;

	fprintf(o, "platform:\n  cpu-vendor: %s\n  apic-mode: %s\n"
		"  dma-isolation: %s\n", vendors[s->cpu_vendor],
		modes[s->apic_mode], dma[s->dma_isolation]);
	if (s->tsc_khz)
		fprintf(o, "  tsc-khz: %u\n", s->tsc_khz);
	if (s->apic_khz)
		fprintf(o, "  apic-khz: %u\n", s->apic_khz);
	if (s->has_mmconfig)
		fprintf(o, "  pci:\n    mmconfig: 0x%llx\n    buses: %u-%u\n",
			ULL(s->mmconfig), s->bus_start, s->bus_end);
	if (s->n_iommus)
		fputs("  iommus:\n", o);
	for (i = 0; i < s->n_iommus; i++) {
		fprintf(o, "    - type: %s\n      base: 0x%llx\n      size: ",
			iommus[s->iommus[i].type], ULL(s->iommus[i].base));
		put_size(o, s->iommus[i].size);
		fprintf(o, "\n      optional: %s\n",
			s->iommus[i].optional ? "true" : "false");
	}
	if (s->n_ioapics)
		fputs("  ioapics:\n", o);
	for (i = 0; i < s->n_ioapics; i++) {
		fprintf(o, "    - id: %u\n      base: 0x%llx\n"
			"      gsi-base: %u\n      pins: %u\n",
			s->ioapics[i].id, ULL(s->ioapics[i].base),
			s->ioapics[i].gsi_base, s->ioapics[i].pins);
		if (!s->ioapics[i].has_source_id)
			continue;
		fputs("      source-id: ", o);
		put_bdf(o, s->ioapics[i].source_id);
		fputc('\n', o);
	}
}

static void put_system(FILE *o, const struct cfg_system *s,
		       const struct cell_src *root_src)
{
	fputs("kind: system\nname: ", o);
	put_str(o, s->name);
	fprintf(o, "\nhypervisor:\n  phys: 0x%llx\n  size: ",
		ULL(s->hv_phys));
	put_size(o, s->hv_size);
	if (s->console_type == CFG_CONSOLE_TYPE_8250)
		fprintf(o, "\ndebug-console:\n  type: 8250\n  port: 0x%x\n",
			s->console_port);
	else
		fputs("\ndebug-console:\n  type: none\n", o);
	put_platform(o, s);
	if (s->has_pool) {
		fprintf(o, "cell-pool:\n  phys: 0x%llx\n  size: ",
			ULL(s->pool_phys));
		put_size(o, s->pool_size);
		fputc('\n', o);
	}
	fputs("root-cell:\n", o);
	put_cell(o, "  ", &s->root, root_src, 1);
}

void cfg_emit_yaml(const struct cfg_file *f, FILE *out)
{
	fprintf(out, "# Cellvisor %s config, shown by cellctl from %s\n",
		f->kind == CFG_KIND_SYSTEM ? "system" : "cell", f->path);
	if (f->kind == CFG_KIND_SYSTEM) {
		put_system(out, &f->sys, f->from_dtb ? NULL : &f->sys_src.root);
		return;
	}
	fputs("kind: cell\n", out);
	put_cell(out, "", &f->cell, f->from_dtb ? NULL : &f->cell_src, 0);
}
