// SPDX-License-Identifier: GPL-2.0
/* Linux/x86 boot protocol images (bzImage) for cellctl load: 32-bit entry, zero page. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "linuxboot.h"

#define LB_1M			0x100000ull
#define LB_HOLE			0xa0000ull	/* the PC's, up to 1 MiB */
#define LB_4G			(1ull << 32)
#define LB_E820_RAM		1
#define LB_E820_RESERVED	2

static uint16_t lb_u16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t lb_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t lb_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void lb_put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

int lb_probe(const unsigned char *buf, size_t len)
{
	return len > LB_HEADER + 4 && lb_u16(buf + LB_BOOT_FLAG) == 0xaa55 &&
	       !memcmp(buf + LB_HEADER, "HdrS", 4);
}

/* What the setup header says, checked against the file. */
struct lb_kernel {
	uint16_t version;
	uint64_t file_off, file_len;	/* the protected-mode kernel */
	uint64_t mem_len;		/* file_len, or init_size if larger */
	uint64_t align, pref;		/* relocatable kernels only */
	uint32_t cmdline_size, initrd_max;
	size_t header_end;		/* setup header: 0x1f1 up to this */
};

static int lb_header(const char *path, const unsigned char *buf, size_t len,
		     struct lb_kernel *k, FILE *err)
{
	unsigned int sects = buf[LB_SETUP_SECTS] ? buf[LB_SETUP_SECTS] : 4;

	k->version = lb_u16(buf + LB_VERSION);
	k->header_end = LB_HEADER + buf[LB_JUMP_END];
	if (k->version < LB_MIN_VERSION || len < LB_INIT_SIZE + 4 ||
	    k->header_end > len || k->header_end > LB_E820_TABLE) {
		fprintf(err, "cellctl: %s: Linux boot protocol %u.%02u is too "
			"old or the header is truncated (2.06 or later needed: "
			"Linux 2.6.22 on)\n", path, k->version >> 8,
			k->version & 0xff);
		return -1;
	}
	if (!(buf[LB_LOADFLAGS] & LB_LOADED_HIGH)) {
		fprintf(err, "cellctl: %s: not a bzImage (zImage kernels load "
			"below 1 MiB with real-mode setup, which a cell does "
			"not run)\n", path);
		return -1;
	}
	k->file_off = (uint64_t)(sects + 1) * 512;
	if (k->file_off >= len) {
		fprintf(err, "cellctl: %s: the setup code (%u sectors) fills "
			"the whole file: truncated kernel\n", path, sects);
		return -1;
	}
	k->file_len = len - k->file_off;
	k->mem_len = k->file_len;
	if (k->version >= 0x020a && lb_u32(buf + LB_INIT_SIZE) > k->mem_len)
		k->mem_len = lb_u32(buf + LB_INIT_SIZE);
	k->align = buf[LB_RELOCATABLE] ? lb_u32(buf + LB_KERNEL_ALIGNMENT) : 0;
	if (k->align & (k->align - 1))
		k->align = 0;
	k->pref = k->version >= 0x020a ? lb_u64(buf + LB_PREF_ADDRESS) : 0;
	k->cmdline_size = lb_u32(buf + LB_CMDLINE_SIZE);
	k->initrd_max = lb_u32(buf + LB_INITRD_ADDR_MAX);
	return 0;
}

/* Is [addr, addr + len) inside one loadable region? */
static int lb_fits(const struct image_region *regs, unsigned int n,
		   uint64_t addr, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (regs[i].loadable && addr >= regs[i].guest &&
		    addr + len <= regs[i].guest + regs[i].size &&
		    addr + len <= LB_4G)
			return 1;
	return 0;
}

/*
 * Where the kernel goes: a fixed kernel at 1 MiB; a relocatable one at
 * its preferred address, else the lowest aligned address from 1 MiB.
 */
static int lb_place_kernel(const struct lb_kernel *k,
			   const struct image_region *regs, unsigned int n,
			   uint64_t *addr)
{
	uint64_t a, best = UINT64_MAX;
	unsigned int i;

	if (!k->align) {
		*addr = LB_1M;
		return lb_fits(regs, n, LB_1M, k->mem_len) ? 0 : -1;
	}
	if (k->pref && lb_fits(regs, n, k->pref, k->mem_len)) {
		*addr = k->pref;
		return 0;
	}
	for (i = 0; i < n; i++) {
		a = regs[i].guest < LB_1M ? LB_1M : regs[i].guest;
		a = (a + k->align - 1) & ~(k->align - 1);
		if (a < best && lb_fits(regs, n, a, k->mem_len))
			best = a;
	}
	*addr = best;
	return best == UINT64_MAX ? -1 : 0;
}

static int lb_add_kernel(struct image_set *set, const char *path,
			 const unsigned char *buf, const struct lb_kernel *k,
			 const struct image_region *regs, unsigned int n,
			 uint64_t *addr, FILE *err)
{
	unsigned char *data;
	char what[80];

	if (lb_place_kernel(k, regs, n, addr)) {
		fprintf(err, "cellctl: %s: the kernel needs 0x%" PRIx64 " bytes "
			"(its init_size) of loadable memory at %s; give the "
			"cell more RAM there\n", path, k->mem_len, k->align ?
			"an aligned address from 1 MiB" : "1 MiB");
		return -1;
	}
	data = malloc(k->file_len);
	if (!data) {
		fprintf(err, "cellctl: %s: out of memory\n", path);
		return -1;
	}
	memcpy(data, buf + k->file_off, k->file_len);
	snprintf(what, sizeof(what), "%.56s (Linux kernel)", path);
	if (image_add_data(set, *addr, data, k->file_len, what, err)) {
		free(data);
		return -1;
	}
	if (k->mem_len == k->file_len)
		return 0;
	snprintf(what, sizeof(what), "%.56s (init_size)", path);
	return image_add_reserve(set, *addr + k->file_len,
				 k->mem_len - k->file_len, what, err);
}

/* ---- command line, initrd, zero page ---- */

static int lb_add_placed(struct image_set *set,
			 const struct image_region *regs, unsigned int n,
			 unsigned char *data, uint64_t size, const char *what,
			 uint64_t *addr, FILE *err)
{
	if (image_place(set, regs, n, size, addr)) {
		fprintf(err, "cellctl: %s (0x%" PRIx64 " bytes) does not fit "
			"in the cell's loadable memory beside the kernel; give "
			"the cell more loadable RAM\n", what, size);
		free(data);
		return -1;
	}
	if (image_add_data(set, *addr, data, size, what, err)) {
		free(data);
		return -1;
	}
	return 0;
}

static int lb_add_cmdline(struct image_set *set, const struct lb_kernel *k,
			  const char *cmdline, const struct image_region *regs,
			  unsigned int n, uint64_t *addr, FILE *err)
{
	size_t len = cmdline ? strlen(cmdline) : 0;
	char *s;

	if (len > k->cmdline_size) {
		fprintf(err, "cellctl: the command line has %zu characters, "
			"the kernel takes %u\n", len, k->cmdline_size);
		return -1;
	}
	s = calloc(1, len + 1);
	if (!s)
		return -1;
	memcpy(s, cmdline ? cmdline : "", len);
	return lb_add_placed(set, regs, n, (unsigned char *)s, len + 1,
			     "the command line", addr, err);
}

static int lb_add_initrd(struct image_set *set, const struct lb_kernel *k,
			 const struct mb_options *opt,
			 const struct image_region *regs, unsigned int n,
			 uint64_t *addr, uint64_t *size, FILE *err)
{
	unsigned char *data;
	size_t len;

	*addr = *size = 0;
	if (!opt->n_modules)
		return 0;
	if (opt->n_modules > 1 || strchr(opt->modules[0], ',')) {
		fprintf(err, "cellctl: a Linux kernel takes one initrd: give "
			"one --module FILE (no ,STRING)\n");
		return -1;
	}
	data = image_read(opt->modules[0], &len, err);
	if (!data || lb_add_placed(set, regs, n, data, len, "the initrd",
				   addr, err))
		return -1;
	*size = len;
	if (*addr + len - 1 > k->initrd_max) {
		fprintf(err, "cellctl: the initrd would lie at 0x%" PRIx64
			", above the kernel's initrd_addr_max 0x%x\n", *addr,
			k->initrd_max);
		return -1;
	}
	return 0;
}

/* Inserts one e820 entry into the table of *M entries, kept sorted. */
static void lb_e820_add(unsigned char *t, unsigned int *m, uint64_t addr,
			uint64_t size, uint32_t type)
{
	unsigned char e[20];
	unsigned int j;

	if (!size || *m >= LB_E820_MAX)
		return;
	memcpy(e, &addr, 8);
	memcpy(e + 8, &size, 8);
	memcpy(e + 16, &type, 4);
	for (j = *m; j > 0 && lb_u64(t + (j - 1) * 20) > addr; j--)
		memcpy(t + j * 20, t + (j - 1) * 20, 20);
	memcpy(t + j * 20, e, 20);
	(*m)++;
}

/*
 * The e820 table: one entry per region, sorted by address. Where RAM
 * covers the PC's legacy hole (0xa0000-0xfffff: VGA memory, option ROMs,
 * the BIOS), the hole is reserved, as a PC's firmware reports it: images
 * for the Linux boot protocol use it as such (memtest86+ writes its screen
 * to 0xb8000) and must not take it for RAM to use or test.
 */
static void lb_e820(unsigned char *zp, const struct image_region *regs,
		    unsigned int n)
{
	unsigned char *t = zp + LB_E820_TABLE;
	uint64_t a, end, lo, hi;
	unsigned int i, m = 0;

	for (i = 0; i < n; i++) {
		a = regs[i].guest;
		end = a + regs[i].size;
		if (!mb_region_ram(&regs[i])) {
			lb_e820_add(t, &m, a, regs[i].size, LB_E820_RESERVED);
			continue;
		}
		lo = a > LB_HOLE ? a : LB_HOLE;
		hi = end < LB_1M ? end : LB_1M;
		if (lo >= hi) {
			lb_e820_add(t, &m, a, regs[i].size, LB_E820_RAM);
			continue;
		}
		lb_e820_add(t, &m, a, lo - a, LB_E820_RAM);
		lb_e820_add(t, &m, lo, hi - lo, LB_E820_RESERVED);
		lb_e820_add(t, &m, hi, end - hi, LB_E820_RAM);
	}
	zp[LB_E820_ENTRIES] = m;
}

static unsigned char *lb_zero_page(const unsigned char *buf,
				   const struct lb_kernel *k, uint64_t kernel,
				   uint64_t cmdline, uint64_t initrd,
				   uint64_t initrd_size,
				   const struct image_region *regs, unsigned int n)
{
	unsigned char *zp = calloc(1, LB_ZERO_PAGE);

	if (!zp)
		return NULL;
	memcpy(zp + LB_SETUP_SECTS, buf + LB_SETUP_SECTS,
	       k->header_end - LB_SETUP_SECTS);
	zp[LB_TYPE_OF_LOADER] = 0xff;		/* "undefined" loader */
	lb_put32(zp + LB_CODE32_START, kernel);
	lb_put32(zp + LB_CMD_LINE_PTR, cmdline);
	lb_put32(zp + LB_RAMDISK_IMAGE, initrd);
	lb_put32(zp + LB_RAMDISK_SIZE, initrd_size);
	lb_put32(zp + LB_ALT_MEM_K, mb_ram_kib(regs, n, LB_1M, LB_4G));
	lb_e820(zp, regs, n);
	return zp;
}

/* ---- all of it ---- */

static int lb_load_buf(struct image_set *set, const char *path,
		       const unsigned char *buf, size_t len,
		       const struct mb_options *opt,
		       const struct image_region *regs, unsigned int n,
		       struct cellvisor_start_state *start, FILE *err)
{
	uint64_t kernel, cmdline, initrd, initrd_size, zp_addr;
	unsigned char *zp;
	struct lb_kernel k;

	if (lb_header(path, buf, len, &k, err) ||
	    lb_add_kernel(set, path, buf, &k, regs, n, &kernel, err) ||
	    image_check(set, regs, n, err) ||
	    lb_add_initrd(set, &k, opt, regs, n, &initrd, &initrd_size, err) ||
	    lb_add_cmdline(set, &k, opt->cmdline, regs, n, &cmdline, err))
		return -1;
	zp = lb_zero_page(buf, &k, kernel, cmdline, initrd, initrd_size,
			  regs, n);
	if (!zp || lb_add_placed(set, regs, n, zp, LB_ZERO_PAGE,
				 "the zero page", &zp_addr, err))
		return -1;
	memset(start, 0, sizeof(*start));
	start->mode = CELLVISOR_START_FLAT32;
	start->entry = kernel;		/* startup_32 */
	start->esi = zp_addr;
	return 0;
}

int lb_load(struct image_set *set, const char *path,
	    const struct mb_options *opt, const struct image_region *regs,
	    unsigned int n_regs, struct cellvisor_start_state *start,
	    FILE *err)
{
	unsigned char *buf;
	size_t len;
	int ret;

	buf = image_read(path, &len, err);
	if (!buf)
		return -1;
	ret = lb_load_buf(set, path, buf, len, opt, regs, n_regs, start, err);
	free(buf);
	return ret;
}
