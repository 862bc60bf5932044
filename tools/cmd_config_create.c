// SPDX-License-Identifier: GPL-2.0
/*
 * "cellctl config create": a system config written from the running
 * machine (tools/machine.c reads it), with a comment on every value
 * saying where it came from, checked by the same checks as any config
 * before it is written. "--suggest-memmap SIZE" says which memmap= to
 * boot with first.
 */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cellctl.h"
#include "cfgtool.h"
#include "cfg_machine.h"

#define CREATE_PAGE		4096ULL
#define CREATE_HV_SIZE		(32ULL << 20)	/* as configs/x86 use */
#define CREATE_MIN_POOL		(2ULL << 20)
#define CREATE_RESERVE_ALIGN	(2ULL << 20)
#define CREATE_LAPIC		0xfee00000ULL
#define CREATE_MAX_REGIONS	CFG_MAX_MEM_REGIONS
#define CREATE_MAX_RANGES	(IOMEM_MAX + 16)

/* A root-cell region being built: [start, end), RAM or device memory. */
struct gen_range {
	uint64_t start, end;
	int ram;
	char from[120];		/* the /proc/iomem names it stands for */
	char main[64];		/* the largest of them: the region's name */
	uint64_t main_size;
};

struct gen_list {
	unsigned int n;
	struct gen_range r[CREATE_MAX_RANGES];
};

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void from_add(char *from, size_t size, const char *name)
{
	size_t len = strlen(from), add = strlen(name);

	if (strstr(from, name) || len + add + 3 >= size)
		return;
	if (len) {
		memcpy(from + len, ", ", 2);
		len += 2;
	}
	memcpy(from + len, name, add + 1);
}

static void list_add(struct gen_list *l, uint64_t start, uint64_t end,
		     int ram, const char *from)
{
	struct gen_range *g;

	if (start >= end || l->n == CREATE_MAX_RANGES)
		return;
	g = &l->r[l->n++];
	*g = (struct gen_range){ .start = start, .end = end, .ram = ram,
				 .main_size = end - start };
	snprintf(g->from, sizeof(g->from), "%s", from);
	snprintf(g->main, sizeof(g->main), "%s", from);
}

/* C joins P: the names of both, P's name the larger one's. */
static void range_absorb(struct gen_range *p, const struct gen_range *c)
{
	from_add(p->from, sizeof(p->from), c->from);
	if (c->main_size > p->main_size) {
		memcpy(p->main, c->main, sizeof(p->main));
		p->main_size = c->main_size;
	}
}

/* A copy of G, names and all, limited to [start, end). */
static void list_add_copy(struct gen_list *l, const struct gen_range *g,
			  uint64_t start, uint64_t end)
{
	if (start >= end || l->n == CREATE_MAX_RANGES)
		return;
	l->r[l->n] = *g;
	l->r[l->n].start = start;
	l->r[l->n++].end = end;
}

static void list_del(struct gen_list *l, unsigned int i)
{
	memmove(&l->r[i], &l->r[i + 1], (l->n - i - 1) * sizeof(l->r[0]));
	l->n--;
}

static int range_cmp(const void *a, const void *b)
{
	const struct gen_range *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* Sorted; ranges of one kind that touch or overlap become one. */
static void list_merge(struct gen_list *l)
{
	struct gen_range *p, *c;
	unsigned int i;

	qsort(l->r, l->n, sizeof(l->r[0]), range_cmp);
	for (i = 1; i < l->n;) {
		p = &l->r[i - 1];
		c = &l->r[i];
		if (c->start > p->end) {
			i++;
			continue;
		}
		if (c->end > p->end)
			p->end = c->end;
		range_absorb(p, c);
		list_del(l, i);
	}
}

/* Takes [xs, xe) out of every range of L. */
static void list_cut(struct gen_list *l, uint64_t xs, uint64_t xe)
{
	struct gen_range *g;
	unsigned int i;

	for (i = 0; i < l->n; i++) {
		g = &l->r[i];
		if (xe <= g->start || xs >= g->end)
			continue;
		if (xs > g->start && xe < g->end) {
			list_add_copy(l, g, xe, g->end);
			g = &l->r[i];
			g->end = xs;
		} else if (xs > g->start) {
			g->end = xs;
		} else if (xe < g->end) {
			g->start = xe;
		} else {
			list_del(l, i--);
		}
	}
}

/*
 * The root cell's memory: every top-level range of /proc/iomem. RAM is
 * shrunk to whole pages, device memory grown to them (where the two then
 * meet, the device keeps the page). Taken out: the memmap= reservations
 * (the hypervisor's and the cells'), the local APIC page and the IOMMUs'
 * registers, which are the hypervisor's.
 */
static void root_ranges(const struct machine *m, struct gen_list *out)
{
	static struct gen_list dev;
	const struct iomem_range *r;
	unsigned int i;

	out->n = 0;
	dev.n = 0;
	for (i = 0; i < m->iomem.n; i++) {
		r = &m->iomem.r[i];
		if (r->depth)
			continue;
		if (iomem_is_ram(r))
			list_add(out, align_up(r->start, CREATE_PAGE),
				 align_down(r->end + 1, CREATE_PAGE), 1,
				 r->name);
		else
			list_add(&dev, align_down(r->start, CREATE_PAGE),
				 align_up(r->end + 1, CREATE_PAGE), 0,
				 r->name);
	}
	list_merge(&dev);
	list_merge(out);
	for (i = 0; i < dev.n; i++)
		list_cut(out, dev.r[i].start, dev.r[i].end);
	for (i = 0; i < dev.n; i++)
		list_add_copy(out, &dev.r[i], dev.r[i].start, dev.r[i].end);
	for (i = 0; i < m->n_reserved; i++)
		list_cut(out, m->reserved[i].start,
			 m->reserved[i].start + m->reserved[i].size);
	list_cut(out, CREATE_LAPIC, CREATE_LAPIC + CREATE_PAGE);
	for (i = 0; i < m->n_iommus; i++)
		list_cut(out, m->iommu[i].base,
			 m->iommu[i].base + m->iommu[i].size);
	qsort(out->r, out->n, sizeof(out->r[0]), range_cmp);
}

/* Is any of the hypervisor's own ranges inside [start, end)? */
static int gap_holds_excluded(const struct machine *m, uint64_t start,
			      uint64_t end)
{
	unsigned int i;

	for (i = 0; i < m->n_reserved; i++)
		if (m->reserved[i].start < end &&
		    m->reserved[i].start + m->reserved[i].size > start)
			return 1;
	for (i = 0; i < m->n_iommus; i++)
		if (m->iommu[i].base < end &&
		    m->iommu[i].base + m->iommu[i].size > start)
			return 1;
	return CREATE_LAPIC < end && CREATE_LAPIC + CREATE_PAGE > start;
}

/*
 * Too many ranges for a cell: neighbouring device ranges become one
 * across the smallest gap first (the gap holds nothing of Linux's RAM,
 * nor anything of the hypervisor's). -E2BIG if that is not enough.
 */
static int root_ranges_fit(const struct machine *m, struct gen_list *l)
{
	uint64_t gap, best_gap;
	unsigned int i, best;

	while (l->n > CREATE_MAX_REGIONS) {
		best = 0;
		best_gap = UINT64_MAX;
		for (i = 1; i < l->n; i++) {
			if (l->r[i - 1].ram || l->r[i].ram ||
			    gap_holds_excluded(m, l->r[i - 1].end,
					       l->r[i].start))
				continue;
			gap = l->r[i].start - l->r[i - 1].end;
			if (gap < best_gap) {
				best_gap = gap;
				best = i;
			}
		}
		if (!best)
			return -E2BIG;
		l->r[best - 1].end = l->r[best].end;
		range_absorb(&l->r[best - 1], &l->r[best]);
		list_del(l, best);
	}
	return 0;
}

/*
 * A config name from the largest iomem range a region stands for:
 * "PCI Bus 0000:00" -> "pci-bus-0000-00", "-2" and on for repeats.
 */
static void region_name(const struct gen_range *g, unsigned int ram_index,
			char names[][CFG_MAX_NAME], unsigned int i)
{
	char base[CFG_MAX_NAME - 4];
	size_t o = 0, k;
	unsigned int j, dup = 1;
	const char *s;

	if (g->ram) {
		snprintf(names[i], CFG_MAX_NAME, "ram-%u", ram_index);
		return;
	}
	for (s = g->main; *s && o < sizeof(base) - 1; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			base[o++] = *s;
		else if (*s >= 'A' && *s <= 'Z')
			base[o++] = *s - 'A' + 'a';
		else if (o && base[o - 1] != '-')
			base[o++] = '-';
	}
	while (o && base[o - 1] == '-')
		o--;
	base[o] = 0;
	if (!o)
		strcpy(base, "mmio");
	snprintf(names[i], CFG_MAX_NAME, "%s", base);
	for (j = 0; j < i; j++) {
		if (strcmp(names[j], names[i]))
			continue;
		k = strlen(base);
		snprintf(names[i], CFG_MAX_NAME, "%.*s-%u", (int)k, base,
			 ++dup);
		j = (unsigned int)-1;	/* look again with the new name */
	}
}

/* ---- the YAML ---- */

#define COMMENT_COLUMN	37

/* One line: the formatted text, then "# COMMENT" in the comment column. */
static void put_line(FILE *o, const char *comment, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put_line(FILE *o, const char *comment, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(o, fmt, ap);
	va_end(ap);
	if (comment && *comment)
		fprintf(o, "%*s# %s", n < COMMENT_COLUMN ?
			COMMENT_COLUMN - n : 1, "", comment);
	fputc('\n', o);
}

/* Sizes of whole megabytes as "32M", others in hex. */
static const char *size_text(uint64_t v, char *buf, size_t size)
{
	if (v && !(v & ((1ULL << 20) - 1)))
		cfg_format_size(v, buf, size);
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)v);
	return buf;
}

static void put_platform_pci(FILE *o, const struct machine *m)
{
	if (!m->has_mcfg) {
		fprintf(o, "  # no ACPI MCFG table: PCI config space only "
			"through ports 0xcf8/0xcfc\n");
		return;
	}
	put_line(o, "ACPI MCFG", "  pci:");
	put_line(o, NULL, "    mmconfig: 0x%llx",
		 (unsigned long long)m->mcfg_base);
	put_line(o, NULL, "    buses: %u-%u", m->bus_start, m->bus_end);
	if (m->mcfg_other_segments)
		fprintf(o, "    # MCFG lists further PCI segments: Cellvisor "
			"uses segment 0 only\n");
}

static void put_platform_iommus(FILE *o, const struct machine *m)
{
	unsigned int i;
	char buf[32];

	if (!m->n_iommus) {
		fprintf(o, "  # no IOMMU in the ACPI tables (DMAR, IVRS)\n");
		return;
	}
	put_line(o, m->has_dmar ? "ACPI DMAR" : "ACPI IVRS", "  iommus:");
	for (i = 0; i < m->n_iommus; i++) {
		put_line(o, NULL, "    - type: %s",
			 m->iommu[i].type == CFG_IOMMU_TYPE_VTD ?
			 CFG_IOMMU_VTD : CFG_IOMMU_AMDVI);
		put_line(o, NULL, "      base: 0x%llx",
			 (unsigned long long)m->iommu[i].base);
		put_line(o, NULL, "      size: %s",
			 size_text(m->iommu[i].size, buf, sizeof(buf)));
	}
}

/*
 * The MADT gives each IOAPIC's first GSI, not its pin count: the next
 * IOAPIC's first GSI bounds it; the last gets 24, what nearly all have.
 */
static unsigned int ioapic_pins(const struct machine *m, unsigned int i)
{
	uint32_t next = UINT32_MAX;
	unsigned int j;

	for (j = 0; j < m->n_ioapics; j++)
		if (m->ioapic[j].gsi_base > m->ioapic[i].gsi_base &&
		    m->ioapic[j].gsi_base < next)
			next = m->ioapic[j].gsi_base;
	if (next == UINT32_MAX || next - m->ioapic[i].gsi_base > 120)
		return 24;
	return next - m->ioapic[i].gsi_base;
}

/* The requester ID interrupt remapping checks (VT-d machines only). */
static void put_ioapic_sid(FILE *o, const struct machine *m,
			   const struct machine_ioapic *a)
{
	if (!m->has_dmar)
		return;
	if (!a->has_sid) {
		fprintf(o, "      # no source-id: the ACPI DMAR table has no "
			"device scope for this IOAPIC\n      # (interrupt "
			"remapping stays off without it)\n");
		return;
	}
	put_line(o, "ACPI DMAR device scope", "      source-id: %02x:%02x.%x",
		 a->sid >> 8, a->sid >> 3 & 31, a->sid & 7);
}

static void put_platform_ioapics(FILE *o, const struct machine *m)
{
	unsigned int i;

	if (!m->n_ioapics) {
		fprintf(o, "  # no IOAPIC in the ACPI MADT\n");
		return;
	}
	put_line(o, "ACPI MADT", "  ioapics:");
	for (i = 0; i < m->n_ioapics; i++) {
		put_line(o, NULL, "    - id: %u", m->ioapic[i].id);
		put_line(o, NULL, "      base: 0x%x", m->ioapic[i].base);
		put_line(o, NULL, "      gsi-base: %u", m->ioapic[i].gsi_base);
		put_line(o, "check it: dmesg | grep 'IOAPIC\\['",
			 "      pins: %u", ioapic_pins(m, i));
		put_ioapic_sid(o, m, &m->ioapic[i]);
	}
}

static void put_platform(FILE *o, const struct machine *m)
{
	char why[96];

	snprintf(why, sizeof(why), "/proc/cpuinfo: %s%s", m->vendor_id,
		 m->has_virt ? "" : "; no vmx/svm flag: enable it in the "
		 "firmware");
	fprintf(o, "\nplatform:\n");
	put_line(o, why, "  cpu-vendor: %s", m->vendor);
	put_line(o, "Linux's mode at enable", "  apic-mode: auto");
	put_line(o, "0: measured at enable", "  tsc-khz: 0");
	put_line(o, NULL, "  apic-khz: 0");
	put_platform_pci(o, m);
	put_platform_iommus(o, m);
	/* The safe default; none is the owner's choice, never guessed. */
	put_line(o, m->n_iommus ? "cells' PCI devices: DMA confined by the "
		 "IOMMU" : "no IOMMU: cells get no PCI device (none: they "
		 "may, and DMA anywhere)", "  dma-isolation: iommu");
	put_platform_ioapics(o, m);
}

static void put_region(FILE *o, const struct gen_range *g, const char *name)
{
	char buf[32];

	put_line(o, g->from, "    - name: %s", name);
	put_line(o, NULL, "      phys: 0x%llx", (unsigned long long)g->start);
	put_line(o, NULL, "      size: %s",
		 size_text(g->end - g->start, buf, sizeof(buf)));
	put_line(o, NULL, "      access: %s", g->ram ?
		 "[read, write, execute, dma]" : "[read, write, io]");
}

static void put_root(FILE *o, const struct machine *m,
		     const struct gen_list *l)
{
	static char names[CREATE_MAX_RANGES][CFG_MAX_NAME];
	unsigned int i, ram = 0;

	fprintf(o, "\n# Linux as it runs now: every CPU, every top-level "
		"range of /proc/iomem but\n# the memmap= region, the local "
		"APIC and the IOMMUs' registers.\nroot-cell:\n"
		"  name: linux\n");
	put_line(o, "/sys/devices/system/cpu/present", "  cpus: %s",
		 m->cpus);
	fprintf(o, "  memory:\n");
	for (i = 0; i < l->n; i++) {
		region_name(&l->r[i], l->r[i].ram ? ram++ : 0, names, i);
		put_region(o, &l->r[i], names[i]);
	}
	fprintf(o, "  pio:\n    - 0x0-0xffff\n");
}

static void put_pci_devices(FILE *o, const struct machine *m)
{
	const struct machine_pci *p;
	unsigned int i;

	if (!m->n_pci)
		return;
	fprintf(o, "\n# PCI devices of this machine (/sys/bus/pci/devices), "
		"for cells once device\n# assignment exists (cell "
		"'pci-devices' is refused until then):\n");
	for (i = 0; i < m->n_pci; i++) {
		p = &m->pci[i];
		fprintf(o, "#   %02x:%02x.%x  %04x:%04x  class 0x%06x%s%s\n",
			p->bdf >> 8, p->bdf >> 3 & 31, p->bdf & 7, p->vendor,
			p->device, p->class, p->driver[0] ? "  driver " : "",
			p->driver);
	}
}

static void put_reserved(FILE *o, const struct machine *m)
{
	const struct machine_range *r = &m->reserved[0];
	uint64_t pool = r->size - CREATE_HV_SIZE;
	char buf[32];

	fprintf(o, "\n# The memmap= region of this boot (%s in "
		"/proc/cmdline):\n# the hypervisor in its first 32M, the cell "
		"pool in the rest.\nhypervisor:\n", m->memmap_arg);
	put_line(o, NULL, "  phys: 0x%llx", (unsigned long long)r->start);
	put_line(o, NULL, "  size: %s",
		 size_text(CREATE_HV_SIZE, buf, sizeof(buf)));
	if (pool < CREATE_MIN_POOL) {
		fprintf(o, "# no cell pool: the region has no room after the "
			"hypervisor; reserve more\n# for cells (cellctl config "
			"create --suggest-memmap SIZE)\n");
		return;
	}
	fprintf(o, "\n");
	put_line(o, "RAM cells get without naming 'phys'", "cell-pool:");
	put_line(o, NULL, "  phys: 0x%llx",
		 (unsigned long long)(r->start + CREATE_HV_SIZE));
	put_line(o, NULL, "  size: %s", size_text(pool, buf, sizeof(buf)));
}

static void put_console(FILE *o, const struct machine *m)
{
	fprintf(o, "\n");
	if (!m->console_port) {
		put_line(o, "Linux found no 8250 UART", "debug-console:");
		put_line(o, NULL, "  type: none");
		return;
	}
	put_line(o, m->console_tty, "debug-console:");
	put_line(o, "the first UART Linux drives; 'none'", "  type: 8250");
	put_line(o, "leaves it to Linux", "  port: 0x%x", m->console_port);
}

static void config_emit_machine(FILE *o, const struct machine *m,
				const struct gen_list *l)
{
	fprintf(o, "# System config of '%s', written by 'cellctl config "
		"create' (Cellvisor %s)\n# from what the running Linux "
		"reports. Every value says where it came from;\n# check it "
		"with 'cellctl config check FILE' after any change.\n"
		"kind: system\nname: %s\n", m->hostname, CELLCTL_VERSION,
		m->hostname);
	put_reserved(o, m);
	put_console(o, m);
	put_platform(o, m);
	put_root(o, m, l);
	put_pci_devices(o, m);
}

/* ---- checks before anything is written ---- */

static void say_memmap(FILE *f, uint64_t size, uint64_t phys)
{
	fprintf(f, "  kernel command line:  memmap=0x%llx$0x%llx\n"
		"  /etc/default/grub:    GRUB_CMDLINE_LINUX=\"... "
		"memmap=0x%llx\\\\\\$0x%llx\"\n"
		"                        (then update-grub and reboot)\n",
		(unsigned long long)size, (unsigned long long)phys,
		(unsigned long long)size, (unsigned long long)phys);
}

/* The reservation of this boot, as the kernel took it. */
static int machine_reserved_ok(const struct machine *m)
{
	const struct machine_range *r = &m->reserved[0];
	uint64_t suggest;
	unsigned int i;

	if (!m->n_reserved) {
		fprintf(cellctl_err, "cellctl: this boot reserves no memory "
			"for the hypervisor (no memmap=SIZE$ADDR in "
			"/proc/cmdline)");
		if (!machine_suggest_reserve(&m->iomem, 192ULL << 20,
					     CREATE_RESERVE_ALIGN, &suggest)) {
			fprintf(cellctl_err, "; 192M of this machine's RAM "
				"would do:\n");
			say_memmap(cellctl_err, 192ULL << 20, suggest);
		} else {
			fprintf(cellctl_err, "\n");
		}
		fprintf(cellctl_err, "cellctl: boot with it, then run config "
			"create again ('cellctl config create "
			"--suggest-memmap SIZE' for another size)\n");
		return -ENOENT;
	}
	for (i = 0; i < m->iomem.n; i++) {
		const struct iomem_range *x = &m->iomem.r[i];

		if (!iomem_is_ram(x) || x->start >= r->start + r->size ||
		    x->end < r->start)
			continue;
		fprintf(cellctl_err, "cellctl: %s: the kernel did not reserve "
			"it, /proc/iomem shows System RAM at 0x%llx-0x%llx; is "
			"the $ escaped for your boot loader? (see "
			"Documentation/troubleshooting.md)\n", m->memmap_arg,
			(unsigned long long)x->start,
			(unsigned long long)x->end);
		return -EINVAL;
	}
	if (r->size < CREATE_HV_SIZE || (r->start & (CREATE_PAGE - 1))) {
		fprintf(cellctl_err, "cellctl: %s: the hypervisor needs a "
			"page-aligned region of at least 32M; reserve more\n",
			m->memmap_arg);
		return -EINVAL;
	}
	return 0;
}

static int machine_usable(const struct machine *m)
{
	if (!m->vendor[0]) {
		fprintf(cellctl_err, "cellctl: CPU vendor '%s' "
			"(/proc/cpuinfo): Cellvisor runs on Intel (VT-x) and "
			"AMD (AMD-V) CPUs only\n", m->vendor_id);
		return -ENODEV;
	}
	return machine_reserved_ok(m);
}

/* The output passes the checks every config passes, or nothing is written. */
static int config_self_check(const char *buf, size_t len)
{
	struct cfg_file *f;
	struct diag d;

	diag_init(&d, cellctl_err);
	f = cfg_load_yaml("(generated)", (const unsigned char *)buf, len, &d);
	if (f)
		cfg_check(&f, 1, 0, &d);
	cfg_free(f);
	if (f && !d.errors)
		return 0;
	fprintf(cellctl_err, "cellctl: the config made from this machine "
		"does not pass its own check (above); nothing was written. "
		"This is a bug: please report it with /proc/iomem and the "
		"output of 'cellctl config create' to stdout\n");
	return -EINVAL;
}

/* FILE written whole or not at all: a temporary file, then rename. */
static int config_write_text(const char *path, const char *buf, size_t len)
{
	char tmp[4096];
	FILE *f;

	if (!path || !strcmp(path, "-"))
		return fwrite(buf, 1, len, cellctl_out) == len ? 0 : -EIO;
	snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(cellctl_err, "cellctl: cannot write %s: %s\n", path,
			strerror(errno));
		if (f)
			unlink(tmp);
		return -EIO;
	}
	if (rename(tmp, path)) {
		fprintf(cellctl_err, "cellctl: cannot write %s: %s\n", path,
			strerror(errno));
		unlink(tmp);
		return -EIO;
	}
	return 0;
}

static int config_create_write(const struct machine *m, const char *output)
{
	static struct gen_list l;
	char *buf = NULL;
	size_t len = 0;
	FILE *o;
	int err;

	root_ranges(m, &l);
	if (root_ranges_fit(m, &l)) {
		fprintf(cellctl_err, "cellctl: /proc/iomem lists more separate "
			"ranges than a cell may have (%u); nothing was "
			"written\n", CREATE_MAX_REGIONS);
		return CELLCTL_EXIT_FAIL;
	}
	o = open_memstream(&buf, &len);
	if (!o)
		return CELLCTL_EXIT_FAIL;
	config_emit_machine(o, m, &l);
	fclose(o);
	err = config_self_check(buf, len) ?: config_write_text(output, buf,
							       len);
	if (!err && output && strcmp(output, "-"))
		fprintf(cellctl_out, "%s: system '%s' written; check it with "
			"'cellctl config check %s'\n", output, m->hostname,
			output);
	free(buf);
	return err ? CELLCTL_EXIT_FAIL : CELLCTL_EXIT_OK;
}

static int config_suggest(const struct machine *m, const char *size_text)
{
	uint64_t size, phys;

	if (cfg_parse_size(size_text, &size) || size < CREATE_HV_SIZE +
	    CREATE_MIN_POOL)
		return cellctl_usage_error("config create ", "--suggest-memmap "
			"wants a size of at least 34M (the hypervisor's 32M "
			"and some cell pool), like 192M, not '%s'", size_text);
	size = align_up(size, CREATE_RESERVE_ALIGN);
	if (m->n_reserved)
		fprintf(cellctl_out, "This boot already reserves 0x%llx bytes "
			"at 0x%llx (%s); to change it:\n",
			(unsigned long long)m->reserved[0].size,
			(unsigned long long)m->reserved[0].start,
			m->memmap_arg);
	if (machine_suggest_reserve(&m->iomem, size, CREATE_RESERVE_ALIGN,
				    &phys)) {
		fprintf(cellctl_err, "cellctl: no System RAM range of this "
			"machine above 16M holds 0x%llx bytes; ask for less\n",
			(unsigned long long)size);
		return CELLCTL_EXIT_FAIL;
	}
	fprintf(cellctl_out, "Reserve 0x%llx bytes at 0x%llx for Cellvisor "
		"(the top of System RAM %s 4G):\n", (unsigned long long)size,
		(unsigned long long)phys, phys < (1ULL << 32) ? "below" :
		"above");
	say_memmap(cellctl_out, size, phys);
	fprintf(cellctl_out, "then run 'cellctl config create -o FILE'.\n");
	return CELLCTL_EXIT_OK;
}

int config_create_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "root", required_argument, NULL, 'r' },
		{ "suggest-memmap", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	const char *output = NULL, *root = "", *suggest = NULL;
	static struct machine m;
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 'm':
			suggest = optarg;
			break;
		case ':':
			return cellctl_usage_error("config create ", "option "
				"'%s' needs an argument", argv[optind - 1]);
		default:
			return cellctl_usage_error("config create ", "unknown "
				"option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cellctl_usage_error("config create ", "takes no file "
			"argument ('%s'); write the config with -o FILE",
			argv[optind]);
	if (machine_probe(root, &m, cellctl_err))
		return CELLCTL_EXIT_FAIL;
	if (suggest)
		return config_suggest(&m, suggest);
	if (machine_usable(&m))
		return CELLCTL_EXIT_FAIL;
	return config_create_write(&m, output);
}
