// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the running machine for "cellctl config create": the memory map
 * (/proc/iomem), the reservation of this boot (memmap= in /proc/cmdline),
 * the CPUs, and the ACPI tables Linux exports under
 * /sys/firmware/acpi/tables (MCFG: ECAM; MADT: IOAPICs; DMAR and IVRS:
 * IOMMUs).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgtool.h"
#include "cfg_machine.h"

#define SZ_16M		(16ULL << 20)
#define SZ_4G		(1ULL << 32)
#define ACPI_HDR_LEN	36
#define ACPI_MAX_LEN	(1u << 20)

/* ---- /proc/iomem ---- */

int iomem_is_ram(const struct iomem_range *r)
{
	return !strcmp(r->name, "System RAM");
}

int iomem_read(const char *path, struct iomem *m)
{
	unsigned long long start, end;
	char line[256];
	int visible = 0, pos, over = 0;
	FILE *f = fopen(path, "r");

	m->n = 0;
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		struct iomem_range *r = &m->r[m->n];

		pos = (int)strspn(line, " ");
		if (sscanf(line + pos, "%llx-%llx : %63[^\n]", &start, &end,
			   r->name) != 3 || end < start)
			continue;
		visible |= end != 0;
		if (m->n == IOMEM_MAX) {
			over = 1;
			continue;
		}
		r->start = start;
		r->end = end;
		r->depth = pos / 2;
		m->n++;
	}
	fclose(f);
	if (!visible && m->n)
		return -EPERM;
	return over ? -E2BIG : 0;
}

/* ---- small file readers ---- */

static FILE *root_open(const char *root, const char *path)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s", root, path);
	return fopen(full, "r");
}

/* The first line of ROOT/PATH without its newline; -1 when unreadable. */
static int read_line(const char *root, const char *path, char *buf,
		     size_t size)
{
	FILE *f = root_open(root, path);
	int ok;

	if (!f)
		return -1;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* ACPI table SIG, whole; NULL when absent or malformed. *LEN its length. */
static unsigned char *acpi_table(const char *root, const char *sig,
				 uint32_t *len)
{
	char path[64];
	unsigned char *buf;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/firmware/acpi/tables/%s", sig);
	f = root_open(root, path);
	if (!f)
		return NULL;
	buf = malloc(ACPI_MAX_LEN);
	n = buf ? fread(buf, 1, ACPI_MAX_LEN, f) : 0;
	fclose(f);
	if (n < ACPI_HDR_LEN || memcmp(buf, sig, 4)) {
		free(buf);
		return NULL;
	}
	*len = buf[4] | buf[5] << 8 | buf[6] << 16 | (uint32_t)buf[7] << 24;
	if (*len > n || *len < ACPI_HDR_LEN) {
		free(buf);
		return NULL;
	}
	return buf;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* ---- ACPI: MCFG, MADT, DMAR, IVRS ---- */

/* MCFG: 8 reserved bytes, then 16-byte entries (base, segment, buses). */
static void probe_mcfg(struct machine *m)
{
	unsigned char *t;
	uint32_t len, off;

	t = acpi_table(m->root, "MCFG", &len);
	if (!t)
		return;
	for (off = ACPI_HDR_LEN + 8; off + 16 <= len; off += 16) {
		if (t[off + 8] | t[off + 9]) {
			m->mcfg_other_segments = 1;
			continue;
		}
		if (m->has_mcfg)
			continue;
		m->has_mcfg = 1;
		m->mcfg_base = le64(t + off);
		m->bus_start = t[off + 10];
		m->bus_end = t[off + 11];
	}
	free(t);
}

/* MADT: local APIC address and flags, then typed entries; 1 = IOAPIC. */
static void probe_madt(struct machine *m)
{
	struct machine_ioapic *io;
	unsigned char *t;
	uint32_t len, off;

	t = acpi_table(m->root, "APIC", &len);
	if (!t)
		return;
	m->has_madt = 1;
	for (off = ACPI_HDR_LEN + 8; off + 2 <= len && t[off + 1] >= 2;
	     off += t[off + 1]) {
		if (t[off] != 1 || t[off + 1] < 12 || off + 12 > len ||
		    m->n_ioapics == MACHINE_MAX_IOAPICS)
			continue;
		io = &m->ioapic[m->n_ioapics++];
		io->id = t[off + 2];
		io->base = le32(t + off + 4);
		io->gsi_base = le32(t + off + 8);
	}
	free(t);
}

static void add_iommu(struct machine *m, int type, uint64_t base,
		      uint64_t size)
{
	unsigned int i;

	for (i = 0; i < m->n_iommus; i++)
		if (m->iommu[i].base == base)
			return;	/* IVRS lists one IOMMU in several blocks */
	if (m->n_iommus == MACHINE_MAX_IOMMUS)
		return;
	m->iommu[m->n_iommus++] = (struct machine_iommu){ type, base, size };
}

/*
 * The secondary bus of the bridge at BUS:DEV.FN (config byte 0x19), from
 * its sysfs config file; -1 when unreadable.
 */
static int pci_secondary_bus(const char *root, unsigned int bus,
			     unsigned int dev, unsigned int fn)
{
	unsigned char cfg[0x1a];
	char path[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/0000:%02x:%02x.%x"
		 "/config", bus, dev, fn);
	f = root_open(root, path);
	if (!f)
		return -1;
	n = fread(cfg, 1, sizeof(cfg), f);
	fclose(f);
	return n == sizeof(cfg) ? cfg[0x19] : -1;
}

/*
 * One device scope of type 3 (IOAPIC): enumeration ID (the MADT's IOAPIC
 * id) at 4, start bus at 5, then (device, function) pairs.  Every pair but
 * the last is a bridge whose secondary bus the next one sits on; the last
 * is the IOAPIC, whose requester ID its interrupt messages carry.
 */
static void dmar_ioapic_scope(struct machine *m, const unsigned char *s,
			      unsigned int slen)
{
	unsigned int hops = (slen - 6) / 2, i, bus = s[5];
	const unsigned char *path = s + 6;
	int next;

	if (slen < 8 || (slen - 6) % 2)
		return;
	for (; hops > 1; hops--, path += 2) {
		next = pci_secondary_bus(m->root, bus, path[0], path[1]);
		if (next < 0)
			return;	/* the bridge is not visible: no SID */
		bus = (unsigned int)next;
	}
	if (path[0] > 31 || path[1] > 7)
		return;
	for (i = 0; i < m->n_ioapics; i++) {
		if (m->ioapic[i].id != s[4])
			continue;
		m->ioapic[i].has_sid = 1;
		m->ioapic[i].sid = bus << 8 | path[0] << 3 | path[1];
	}
}

/*
 * A DRHD's device scopes from offset 16: type and length (bytes 0, 1);
 * a scope that does not fit ends the walk.
 */
static void dmar_drhd_scopes(struct machine *m, const unsigned char *d,
			     unsigned int dlen)
{
	unsigned int off, slen;

	for (off = 16; off + 6 <= dlen; off += slen) {
		slen = d[off + 1];
		if (slen < 6 || off + slen > dlen)
			return;
		if (d[off] == 3)
			dmar_ioapic_scope(m, d + off, slen);
	}
}

/*
 * DMAR: 12 bytes after the header, then remapping structures (type and
 * length, 16 bits each); type 0 is a DRHD: its register base at 8,
 * since VT-d 2.x the register set's size (2^N pages) at 5, and its
 * device scopes (which give the IOAPICs' requester IDs) from 16.
 */
static void probe_dmar(struct machine *m)
{
	unsigned char *t;
	uint32_t len, off, slen;

	t = acpi_table(m->root, "DMAR", &len);
	if (!t)
		return;
	m->has_dmar = 1;
	for (off = ACPI_HDR_LEN + 12; off + 4 <= len; off += slen) {
		slen = t[off + 2] | t[off + 3] << 8;
		if (slen < 4 || off + slen > len)
			break;
		if ((t[off] | t[off + 1] << 8) != 0 || slen < 16)
			continue;
		add_iommu(m, CFG_IOMMU_TYPE_VTD, le64(t + off + 8),
			  4096ULL << (t[off + 5] & 0xf));
		dmar_drhd_scopes(m, t + off, slen);
	}
	free(t);
}

/*
 * IVRS: 12 bytes after the header, then IVHD blocks (types 0x10, 0x11,
 * 0x40), each with the IOMMU's register base at 8. The register set is
 * 16K, or 512K with the extended features most IOMMUs have.
 */
static void probe_ivrs(struct machine *m)
{
	unsigned char *t;
	uint32_t len, off, blen;

	t = acpi_table(m->root, "IVRS", &len);
	if (!t)
		return;
	m->has_ivrs = 1;
	for (off = ACPI_HDR_LEN + 12; off + 16 <= len; off += blen) {
		blen = t[off + 2] | t[off + 3] << 8;
		if (blen < 4 || off + blen > len)
			break;
		if (t[off] == 0x10 || t[off] == 0x11 || t[off] == 0x40)
			add_iommu(m, CFG_IOMMU_TYPE_AMDVI, le64(t + off + 8),
				  512u << 10);
	}
	free(t);
}

/* ---- the kernel command line: memmap=SIZE$ADDR ---- */

static void reserved_insert(struct machine_range *out, unsigned int *n,
			    unsigned int max, uint64_t start, uint64_t size)
{
	unsigned int i;

	if (*n == max)
		return;
	for (i = *n; i > 0 && out[i - 1].size < size; i--)
		out[i] = out[i - 1];
	out[i] = (struct machine_range){ start, size };
	(*n)++;
}

/* One memmap= value: "SIZE$ADDR[,SIZE$ADDR...]"; other kinds ignored. */
static void parse_memmap_value(char *v, struct machine_range *out,
			       unsigned int *n, unsigned int max)
{
	uint64_t size, start;
	char *item, *save = NULL, *dollar;

	for (item = strtok_r(v, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		dollar = strchr(item, '$');
		if (!dollar)
			continue;
		*dollar = 0;
		if (cfg_parse_size(item, &size) ||
		    cfg_parse_size(dollar + 1, &start) || !size)
			continue;
		reserved_insert(out, n, max, start, size);
	}
}

unsigned int machine_parse_memmap(const char *cmdline,
				  struct machine_range *out, unsigned int max,
				  char *first_arg, size_t first_size)
{
	char *copy = strdup(cmdline), *tok, *save = NULL;
	unsigned int n = 0;

	if (first_size)
		first_arg[0] = 0;
	if (!copy)
		return 0;
	for (tok = strtok_r(copy, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (strncmp(tok, "memmap=", 7) || !strchr(tok, '$'))
			continue;
		if (first_size && !first_arg[0])
			snprintf(first_arg, first_size, "%s", tok);
		parse_memmap_value(tok + 7, out, &n, max);
	}
	free(copy);
	return n;
}

/* ---- CPUs, console, PCI ---- */

static void probe_cpuinfo(struct machine *m, FILE *f)
{
	char line[4096];

	while (fgets(line, sizeof(line), f)) {
		if (!m->vendor_id[0] &&
		    sscanf(line, "vendor_id : %15s", m->vendor_id) == 1) {
			if (!strcmp(m->vendor_id, "GenuineIntel"))
				strcpy(m->vendor, CFG_CPU_INTEL);
			else if (!strcmp(m->vendor_id, "AuthenticAMD"))
				strcpy(m->vendor, CFG_CPU_AMD);
		}
		if (!strncmp(line, "flags", 5) && !m->has_virt)
			m->has_virt = strstr(line, " vmx") || strstr(line, " svm");
	}
}

static int cpu_list_sane(const char *s)
{
	return *s && strspn(s, "0123456789,-") == strlen(s);
}

/* The first 8250 UART Linux drives (type 0 is "no UART here"). */
static void probe_console(struct machine *m)
{
	char path[64], buf[32];
	unsigned int i, port;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/sys/class/tty/ttyS%u/type", i);
		if (read_line(m->root, path, buf, sizeof(buf)) || !atoi(buf))
			continue;
		snprintf(path, sizeof(path), "/sys/class/tty/ttyS%u/port", i);
		if (read_line(m->root, path, buf, sizeof(buf)) ||
		    sscanf(buf, "%x", &port) != 1 || !port || port > 0xfff8)
			continue;
		m->console_port = port;
		snprintf(m->console_tty, sizeof(m->console_tty), "ttyS%u", i);
		return;
	}
}

static uint32_t read_hex(const char *root, const char *path)
{
	char buf[32];

	return read_line(root, path, buf, sizeof(buf)) ? 0 :
		(uint32_t)strtoul(buf, NULL, 16);
}

static void probe_pci_one(struct machine *m, const char *name)
{
	struct machine_pci *p = &m->pci[m->n_pci];
	unsigned int seg, bus, dev, fn;
	char path[320], link[256];
	const char *base;
	ssize_t n;

	if (sscanf(name, "%x:%x:%x.%x", &seg, &bus, &dev, &fn) != 4 || seg ||
	    m->n_pci == MACHINE_MAX_PCI)
		return;
	p->bdf = bus << 8 | dev << 3 | fn;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", name);
	p->vendor = read_hex(m->root, path);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", name);
	p->device = read_hex(m->root, path);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class", name);
	p->class = read_hex(m->root, path);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/driver",
		 m->root, name);
	n = readlink(path, link, sizeof(link) - 1);
	p->driver[0] = 0;
	if (n > 0) {
		link[n] = 0;
		base = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
		snprintf(p->driver, sizeof(p->driver), "%.*s",
			 (int)sizeof(p->driver) - 1, base);
	}
	m->n_pci++;
}

static int pci_cmp(const void *a, const void *b)
{
	const struct machine_pci *x = a, *y = b;

	return (x->bdf > y->bdf) - (x->bdf < y->bdf);
}

static void probe_pci(struct machine *m)
{
	char path[320];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices", m->root);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			probe_pci_one(m, e->d_name);
	closedir(d);
	qsort(m->pci, m->n_pci, sizeof(m->pci[0]), pci_cmp);
}

static void probe_hostname(struct machine *m)
{
	char buf[64];
	size_t i, o = 0;

	if (read_line(m->root, "/proc/sys/kernel/hostname", buf, sizeof(buf)))
		buf[0] = 0;
	/* A config name: lower case, digits and '-', at most 31 bytes. */
	for (i = 0; buf[i] && o < 31; i++) {
		if (isalnum((unsigned char)buf[i]))
			m->hostname[o++] = tolower((unsigned char)buf[i]);
		else if (o && m->hostname[o - 1] != '-')
			m->hostname[o++] = '-';
	}
	while (o && m->hostname[o - 1] == '-')
		o--;
	m->hostname[o] = 0;
	if (!o || !strcmp(buf, "(none)"))
		strcpy(m->hostname, "this-machine");
}

int machine_probe(const char *root, struct machine *m, FILE *err)
{
	char path[512], cmdline[4096];
	int ret;
	FILE *f;

	memset(m, 0, sizeof(*m));
	m->root = root;
	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	ret = iomem_read(path, &m->iomem);
	if (ret == -ENOENT || ret == -EPERM) {
		fprintf(err, "cellctl: %s %s: config create needs the machine's "
			"memory map; run it as root on the machine itself\n",
			path, ret == -EPERM ? "shows every address as 0" :
					      "is not readable");
		return ret;
	}
	if (ret == -E2BIG)
		fprintf(err, "cellctl: warning: %s has more than %u lines; "
			"only the first are used\n", path, IOMEM_MAX);
	f = root_open(root, "/proc/cpuinfo");
	if (!f) {
		fprintf(err, "cellctl: %s/proc/cpuinfo is not readable\n",
			root);
		return -ENOENT;
	}
	probe_cpuinfo(m, f);
	fclose(f);
	if (read_line(root, "/sys/devices/system/cpu/present", m->cpus,
		      sizeof(m->cpus)) || !cpu_list_sane(m->cpus))
		strcpy(m->cpus, "0");
	if (!read_line(root, "/proc/cmdline", cmdline, sizeof(cmdline)))
		m->n_reserved = machine_parse_memmap(cmdline, m->reserved,
						     MACHINE_MAX_RESERVED,
						     m->memmap_arg,
						     sizeof(m->memmap_arg));
	probe_mcfg(m);
	probe_madt(m);
	probe_dmar(m);
	probe_ivrs(m);
	probe_console(m);
	probe_pci(m);
	probe_hostname(m);
	return 0;
}

/* ---- where a reservation fits ---- */

static int fit_in(const struct iomem_range *r, uint64_t size, uint64_t align,
		  uint64_t floor, uint64_t ceil, uint64_t *phys)
{
	uint64_t lo = r->start > floor ? r->start : floor;
	uint64_t hi = r->end + 1 < ceil ? r->end + 1 : ceil;
	uint64_t at;

	lo = (lo + align - 1) & ~(align - 1);
	if (hi < size || hi - size < lo)
		return 0;
	at = (hi - size) & ~(align - 1);
	if (at < lo)
		return 0;
	*phys = at;
	return 1;
}

int machine_suggest_reserve(const struct iomem *m, uint64_t size,
			    uint64_t align, uint64_t *phys)
{
	uint64_t best = 0, at;
	int found = 0, pass;
	unsigned int i;

	/* Below 4 GiB first: 32-bit DMA reaches it, as old cards need. */
	for (pass = 0; pass < 2 && !found; pass++) {
		for (i = 0; i < m->n; i++) {
			if (m->r[i].depth || !iomem_is_ram(&m->r[i]))
				continue;
			if (fit_in(&m->r[i], size, align, SZ_16M,
				   pass ? UINT64_MAX : SZ_4G, &at) &&
			    (!found || at > best)) {
				best = at;
				found = 1;
			}
		}
	}
	if (!found)
		return -ENOSPC;
	*phys = best;
	return 0;
}
