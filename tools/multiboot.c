// SPDX-License-Identifier: GPL-2.0
/* Multiboot 1 images for cellctl load: header, loading, information structure. */
#include <elf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cellvisor/config.h>

#include "multiboot.h"

#define MB_4G			(1ull << 32)
#define MB_LOADER_NAME		"Cellvisor cellctl"

static uint32_t mb_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int mb_probe(const unsigned char *buf, size_t len)
{
	size_t off, end = len < MB_SEARCH ? len : MB_SEARCH;

	for (off = 0; off + 4 <= end; off += 4)
		if (mb_u32(buf + off) == MB_HEADER_MAGIC)
			return 1;
	return 0;
}

/* ---- the header ---- */

/*
 * The first header whose checksum holds; else says what was wrong with
 * the first magic found.
 */
static int mb_header_find(const char *path, const unsigned char *buf,
			  size_t len, struct mb_header *h, size_t *at,
			  FILE *err)
{
	size_t off, end = len < MB_SEARCH ? len : MB_SEARCH;
	int truncated = 0, bad_sum = 0;

	for (off = 0; off + 4 <= end; off += 4) {
		if (mb_u32(buf + off) != MB_HEADER_MAGIC)
			continue;
		if (len - off < 12) {
			truncated = 1;
			continue;
		}
		memset(h, 0, sizeof(*h));
		memcpy(h, buf + off, 12);
		if (h->magic + h->flags + h->checksum) {
			bad_sum = 1;
			continue;
		}
		if (h->flags & MB_FLAG_AOUT_KLUDGE) {
			if (len - off < sizeof(*h)) {
				truncated = 1;
				continue;
			}
			memcpy(h, buf + off, sizeof(*h));
		}
		*at = off;
		return 0;
	}
	if (truncated)
		fprintf(err, "cellctl: %s: truncated Multiboot header (the file "
			"ends inside it); rebuild the image\n", path);
	else if (bad_sum)
		fprintf(err, "cellctl: %s: Multiboot header with a bad checksum "
			"(magic + flags + checksum must be 0); rebuild the "
			"image, or load it raw with IMAGE@ADDR\n", path);
	return -1;
}

static int mb_flags_check(const char *path, uint32_t flags, FILE *err)
{
	uint32_t unknown = flags & MB_FLAGS_REQUIRED &
			   ~(MB_FLAG_PAGE_ALIGN | MB_FLAG_MEMORY_INFO);

	if (flags & MB_FLAG_VIDEO_MODE) {
		fprintf(err, "cellctl: %s: the Multiboot header asks for a "
			"video mode (flag 2); a cell has no graphics: build the "
			"image without it\n", path);
		return -1;
	}
	if (unknown) {
		fprintf(err, "cellctl: %s: the Multiboot header requires "
			"features cellctl does not provide (flags 0x%x); only "
			"flags 0 and 1 are supported\n", path, unknown);
		return -1;
	}
	return 0;
}

/* ---- loading the image ---- */

/* The a.out kludge: the header's own address fields say what goes where. */
static int mb_load_aout(struct image_set *set, const char *path,
			const unsigned char *buf, size_t len, size_t at,
			const struct mb_header *h, FILE *err)
{
	uint64_t file_off, load_len, mem_len;
	unsigned char *data;
	char what[80];

	if (h->load_addr > h->header_addr ||
	    h->header_addr - h->load_addr > at) {
		fprintf(err, "cellctl: %s: Multiboot load_addr 0x%x lies "
			"before the file's start (header_addr 0x%x)\n", path,
			h->load_addr, h->header_addr);
		return -1;
	}
	file_off = at - (h->header_addr - h->load_addr);
	load_len = h->load_end_addr ? (uint64_t)h->load_end_addr - h->load_addr
				    : len - file_off;
	if (h->load_end_addr && (h->load_end_addr <= h->load_addr ||
				 load_len > len - file_off)) {
		fprintf(err, "cellctl: %s: Multiboot load_end_addr 0x%x lies "
			"outside the file\n", path, h->load_end_addr);
		return -1;
	}
	mem_len = load_len;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < h->load_addr + load_len) {
			fprintf(err, "cellctl: %s: Multiboot bss_end_addr 0x%x "
				"lies below load_end_addr\n", path,
				h->bss_end_addr);
			return -1;
		}
		mem_len = h->bss_end_addr - h->load_addr;
	}
	data = calloc(1, mem_len);
	if (!data) {
		fprintf(err, "cellctl: %s: out of memory\n", path);
		return -1;
	}
	memcpy(data, buf + file_off, load_len);
	snprintf(what, sizeof(what), "%.64s (Multiboot)", path);
	if (image_add_data(set, h->load_addr, data, mem_len, what, err)) {
		free(data);
		return -1;
	}
	return 0;
}

/* The image's segments, and where it starts. */
static int mb_load_image(struct image_set *set, const char *path,
			 const unsigned char *buf, size_t len, uint64_t *entry,
			 FILE *err)
{
	struct mb_header h;
	size_t at;

	if (mb_header_find(path, buf, len, &h, &at, err) ||
	    mb_flags_check(path, h.flags, err))
		return -1;
	if (h.flags & MB_FLAG_AOUT_KLUDGE) {
		*entry = h.entry_addr;
		return mb_load_aout(set, path, buf, len, at, &h, err);
	}
	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG)) {
		fprintf(err, "cellctl: %s: a Multiboot image that is not ELF "
			"needs the address fields (flag 16) in its header\n",
			path);
		return -1;
	}
	if (image_add_elf(set, path, buf, len, err))
		return -1;
	*entry = image_elf_entry(buf);
	return 0;
}

/* The entry must be below 4 GiB and inside what was loaded. */
static int mb_entry_check(const struct image_set *set, const char *path,
			  uint64_t entry, FILE *err)
{
	unsigned int i;

	for (i = 0; entry < MB_4G && i < set->n; i++)
		if (entry >= set->segs[i].addr &&
		    entry - set->segs[i].addr < set->segs[i].size)
			return 0;
	fprintf(err, "cellctl: %s: the Multiboot entry point 0x%" PRIx64
		" lies outside the loaded image\n", path, entry);
	return -1;
}

/* ---- placing modules and the information structure ---- */

/* Adds @data (now the set's) at a free page; says so if none is left. */
static int mb_add_placed(struct image_set *set,
			 const struct image_region *regs, unsigned int n,
			 unsigned char *data, uint64_t size, const char *what,
			 uint64_t *addr, FILE *err)
{
	if (image_place(set, regs, n, size ? size : 1, addr)) {
		fprintf(err, "cellctl: %s (0x%" PRIx64 " bytes) does not fit "
			"in the cell's loadable memory beside the image; give "
			"the cell more loadable RAM\n", what, size);
		free(data);
		return -1;
	}
	if (image_add_data(set, *addr, data, size ? size : 1, what, err)) {
		free(data);
		return -1;
	}
	return 0;
}

struct mb_loaded_module {
	uint64_t addr, size;
	const char *string;	/* in the command line argument */
	size_t string_len;
};

/* "FILE[,STRING]": the file at a free page; STRING defaults to FILE. */
static int mb_add_module(struct image_set *set, const char *arg,
			 const struct image_region *regs, unsigned int n,
			 struct mb_loaded_module *m, FILE *err)
{
	const char *comma = strchr(arg, ',');
	char *path = comma ? strndup(arg, comma - arg) : strdup(arg);
	char what[64];
	unsigned char *data;
	size_t len;
	int ret = -1;

	if (!path)
		return -1;
	data = image_read(path, &len, err);
	if (data) {
		snprintf(what, sizeof(what), "module %.48s", path);
		m->size = len;
		m->string = comma ? comma + 1 : arg;
		m->string_len = strlen(m->string);
		ret = mb_add_placed(set, regs, n, data, len, what, &m->addr,
				    err);
	}
	free(path);
	return ret;
}

/* ---- the information structure ---- */

int mb_region_ram(const struct image_region *r)
{
	if (r->flags & (CFG_MEM_IO | CFG_MEM_SHARED | CFG_MEM_COMM_PAGE))
		return 0;
	return r->loadable || (r->flags & CFG_MEM_WRITE);
}

/* KiB of RAM without a gap from @from on (mem_lower, mem_upper). */
uint32_t mb_ram_kib(const struct image_region *regs, unsigned int n,
			   uint64_t from, uint64_t limit)
{
	uint64_t pos = from;
	unsigned int i;
	int moved = 1;

	while (moved && pos < limit) {
		moved = 0;
		for (i = 0; i < n; i++) {
			if (!mb_region_ram(&regs[i]) || pos < regs[i].guest ||
			    pos - regs[i].guest >= regs[i].size)
				continue;
			pos = regs[i].guest + regs[i].size;
			moved = 1;
		}
	}
	return ((pos < limit ? pos : limit) - from) >> 10;
}

/* The memory map, regions in ascending guest order. */
static unsigned int mb_mmap(const struct image_region *regs, unsigned int n,
			    struct mb_mmap_entry *map)
{
	unsigned int i, j, m = 0;
	struct mb_mmap_entry e;

	for (i = 0; i < n; i++) {
		if (!regs[i].size)
			continue;
		e = (struct mb_mmap_entry){ 20, regs[i].guest, regs[i].size,
			mb_region_ram(&regs[i]) ? MB_MMAP_RAM : MB_MMAP_RESERVED };
		for (j = m; j > 0 && map[j - 1].base_addr > e.base_addr; j--)
			map[j] = map[j - 1];
		map[j] = e;
		m++;
	}
	return m;
}

/* Everything the image reads through EBX, in one block of its own. */
struct mb_block {
	unsigned char *data;
	uint64_t size, used;
};

/* Appends @len bytes; returns their offset in the block. */
static uint64_t mb_put(struct mb_block *b, const void *p, uint64_t len)
{
	uint64_t at = b->used;

	memcpy(b->data + at, p, len);
	b->used += (len + 7) & ~7ull;
	return at;
}

static uint64_t mb_put_string(struct mb_block *b, const char *s, size_t len)
{
	uint64_t at = b->used;

	memcpy(b->data + at, s, len);
	b->data[at + len] = 0;
	b->used += (len + 1 + 7) & ~7ull;
	return at;
}

static uint64_t mb_block_size(const struct mb_options *opt,
			      const struct mb_loaded_module *mods,
			      unsigned int n_regs)
{
	uint64_t size = sizeof(struct mb_info) + 8;
	unsigned int i;

	size += (uint64_t)opt->n_modules * sizeof(struct mb_module);
	size += (uint64_t)n_regs * (sizeof(struct mb_mmap_entry) + 8);
	size += (opt->cmdline ? strlen(opt->cmdline) : 0) + 16;
	size += sizeof(MB_LOADER_NAME) + 8;
	for (i = 0; i < opt->n_modules; i++)
		size += mods[i].string_len + 16;
	return size;
}

/* The block's contents, for a block that will sit at guest @base. */
static void mb_block_fill(struct mb_block *b, uint64_t base,
			  const struct mb_options *opt,
			  const struct mb_loaded_module *mods,
			  const struct image_region *regs, unsigned int n)
{
	struct mb_mmap_entry map[CELLVISOR_CELL_INFO_MEM];
	struct mb_info info = { 0 };
	struct mb_module mod;
	const char *cmd = opt->cmdline ? opt->cmdline : "";
	unsigned int i, m;

	b->used = (sizeof(info) + 7) & ~7ull;	/* info goes first */
	info.flags = MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MODS |
		     MB_INFO_MMAP | MB_INFO_LOADER_NAME;
	info.mem_lower = mb_ram_kib(regs, n, 0, 640 << 10);
	info.mem_upper = mb_ram_kib(regs, n, 1 << 20, MB_4G);
	info.cmdline = base + mb_put_string(b, cmd, strlen(cmd));
	info.boot_loader_name = base + mb_put_string(b, MB_LOADER_NAME,
						     strlen(MB_LOADER_NAME));
	info.mods_count = opt->n_modules;
	info.mods_addr = base + b->used;
	b->used += (uint64_t)opt->n_modules * sizeof(mod);
	for (i = 0; i < opt->n_modules; i++) {
		mod = (struct mb_module){ mods[i].addr,
			mods[i].addr + mods[i].size, 0, 0 };
		mod.string = base + mb_put_string(b, mods[i].string,
						  mods[i].string_len);
		memcpy(b->data + (info.mods_addr - base) + i * sizeof(mod),
		       &mod, sizeof(mod));
	}
	m = mb_mmap(regs, n < CELLVISOR_CELL_INFO_MEM ? n :
		    CELLVISOR_CELL_INFO_MEM, map);
	info.mmap_length = m * sizeof(map[0]);
	info.mmap_addr = base + mb_put(b, map, info.mmap_length);
	memcpy(b->data, &info, sizeof(info));
}

static int mb_add_info(struct image_set *set, const struct mb_options *opt,
		       const struct mb_loaded_module *mods,
		       const struct image_region *regs, unsigned int n,
		       uint64_t *addr, FILE *err)
{
	struct mb_block b = { 0 };

	b.size = mb_block_size(opt, mods, n);
	b.data = calloc(1, b.size);
	if (!b.data)
		return -1;
	if (image_place(set, regs, n, b.size, addr)) {
		fprintf(err, "cellctl: the Multiboot information (0x%" PRIx64
			" bytes) does not fit in the cell's loadable memory "
			"beside the image and modules\n", b.size);
		free(b.data);
		return -1;
	}
	mb_block_fill(&b, *addr, opt, mods, regs, n);
	if (image_add_data(set, *addr, b.data, b.size,
			   "the Multiboot information", err)) {
		free(b.data);
		return -1;
	}
	return 0;
}

/* ---- all of it ---- */

static int mb_load_modules(struct image_set *set,
			   const struct mb_options *opt,
			   const struct image_region *regs, unsigned int n,
			   struct mb_loaded_module *mods, FILE *err)
{
	unsigned int i;

	if (opt->n_modules > MB_MAX_MODULES) {
		fprintf(err, "cellctl: more than %d modules\n", MB_MAX_MODULES);
		return -1;
	}
	for (i = 0; i < opt->n_modules; i++)
		if (mb_add_module(set, opt->modules[i], regs, n, &mods[i], err))
			return -1;
	return 0;
}

int mb_load(struct image_set *set, const char *path,
	    const struct mb_options *opt, const struct image_region *regs,
	    unsigned int n_regs, struct cellvisor_start_state *start,
	    FILE *err)
{
	struct mb_loaded_module mods[MB_MAX_MODULES] = { { 0 } };
	uint64_t entry = 0, info;
	unsigned char *buf;
	size_t len;
	int ret;

	buf = image_read(path, &len, err);
	if (!buf)
		return -1;
	ret = mb_load_image(set, path, buf, len, &entry, err);
	free(buf);
	/* The image alone first: its errors name the image, not a module. */
	if (ret || mb_entry_check(set, path, entry, err) ||
	    image_check(set, regs, n_regs, err) ||
	    mb_load_modules(set, opt, regs, n_regs, mods, err) ||
	    mb_add_info(set, opt, mods, regs, n_regs, &info, err))
		return -1;
	memset(start, 0, sizeof(*start));
	start->mode = CELLVISOR_START_FLAT32;
	start->entry = entry;
	start->eax = MB_BOOT_MAGIC;
	start->ebx = info;
	return 0;
}
