// SPDX-License-Identifier: GPL-2.0
/* Inmate image loading for cellctl load: raw, ELF and strings, with bounds checks. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cellctl.h"
#include "image.h"

/* No image is larger than the cell RAM a config may give (sanity bound). */
#define IMAGE_MAX_FILE		(1ull << 32)
#define IMAGE_PAGE		0x1000ull
#define IMAGE_4G		(1ull << 32)

static uint64_t image_page_align(uint64_t v)
{
	return (v + IMAGE_PAGE - 1) & ~(IMAGE_PAGE - 1);
}

void image_set_init(struct image_set *set)
{
	memset(set, 0, sizeof(*set));
}

void image_set_free(struct image_set *set)
{
	unsigned int i;

	for (i = 0; i < set->n; i++)
		free(set->segs[i].data);
	set->n = 0;
}

static struct image_seg *image_new_seg(struct image_set *set, FILE *err)
{
	if (set->n >= IMAGE_MAX_SEGS) {
		fprintf(err, "cellctl: more than %d segments to load\n",
			IMAGE_MAX_SEGS);
		return NULL;
	}
	return memset(&set->segs[set->n], 0, sizeof(set->segs[0]));
}

unsigned char *image_read(const char *path, size_t *size, FILE *err)
{
	unsigned char *buf;
	struct stat st;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(err, "cellctl: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fprintf(err, "cellctl: %s: not a regular file\n", path);
		fclose(f);
		return NULL;
	}
	if (st.st_size == 0 || (uint64_t)st.st_size > IMAGE_MAX_FILE) {
		fprintf(err, "cellctl: %s: %s\n", path, st.st_size ?
			"too large to be an inmate image" :
			"empty file, not an ELF or raw image");
		fclose(f);
		return NULL;
	}
	buf = malloc(st.st_size);
	if (!buf || fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		fprintf(err, "cellctl: %s: cannot read\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = st.st_size;
	return buf;
}

/* A program header, whatever the ELF class. */
struct image_phdr {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};

static int image_elf_phdr(const unsigned char *buf, size_t len, int is64,
			  unsigned int i, struct image_phdr *p)
{
	uint64_t off, entsize;

	if (is64) {
		const Elf64_Ehdr *eh = (const void *)buf;
		Elf64_Phdr ph;

		off = eh->e_phoff;
		entsize = eh->e_phentsize;
		if (entsize < sizeof(ph) || off > len ||
		    (len - off) / entsize <= i)
			return -1;
		memcpy(&ph, buf + off + i * entsize, sizeof(ph));
		*p = (struct image_phdr){ ph.p_type, ph.p_offset, ph.p_paddr,
					  ph.p_filesz, ph.p_memsz };
	} else {
		const Elf32_Ehdr *eh = (const void *)buf;
		Elf32_Phdr ph;

		off = eh->e_phoff;
		entsize = eh->e_phentsize;
		if (entsize < sizeof(ph) || off > len ||
		    (len - off) / entsize <= i)
			return -1;
		memcpy(&ph, buf + off + i * entsize, sizeof(ph));
		*p = (struct image_phdr){ ph.p_type, ph.p_offset, ph.p_paddr,
					  ph.p_filesz, ph.p_memsz };
	}
	return 0;
}

static int image_elf_seg(struct image_set *set, const char *path,
			 const unsigned char *buf, size_t len,
			 const struct image_phdr *p, unsigned int i, FILE *err)
{
	struct image_seg *s;

	if (p->filesz > p->memsz || p->offset > len ||
	    p->filesz > len - p->offset || p->paddr + p->memsz < p->paddr) {
		fprintf(err, "cellctl: %s: ELF segment %u lies outside the "
			"file or wraps around\n", path, i);
		return -1;
	}
	s = image_new_seg(set, err);
	if (!s)
		return -1;
	s->data = calloc(1, p->memsz);
	if (!s->data) {
		fprintf(err, "cellctl: %s: out of memory\n", path);
		return -1;
	}
	/* The part beyond the file (.bss) stays zero. */
	memcpy(s->data, buf + p->offset, p->filesz);
	s->addr = p->paddr;
	s->size = p->memsz;
	snprintf(s->what, sizeof(s->what), "%s (ELF segment %u)", path, i);
	set->n++;
	return 0;
}

int image_add_elf(struct image_set *set, const char *path,
		  const unsigned char *buf, size_t len, FILE *err)
{
	int is64 = buf[EI_CLASS] == ELFCLASS64;
	unsigned int i, phnum, loads = 0;
	struct image_phdr p;
	uint16_t machine, type;

	if ((!is64 && buf[EI_CLASS] != ELFCLASS32) ||
	    len < (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)) ||
	    buf[EI_DATA] != ELFDATA2LSB) {
		fprintf(err, "cellctl: %s: truncated or not a little-endian "
			"ELF file\n", path);
		return -1;
	}
	type = is64 ? ((const Elf64_Ehdr *)buf)->e_type :
		      ((const Elf32_Ehdr *)buf)->e_type;
	machine = is64 ? ((const Elf64_Ehdr *)buf)->e_machine :
			 ((const Elf32_Ehdr *)buf)->e_machine;
	phnum = is64 ? ((const Elf64_Ehdr *)buf)->e_phnum :
		       ((const Elf32_Ehdr *)buf)->e_phnum;
	if (type != ET_EXEC || (machine != EM_X86_64 && machine != EM_386)) {
		fprintf(err, "cellctl: %s: not an x86 ELF executable\n", path);
		return -1;
	}
	for (i = 0; i < phnum; i++) {
		if (image_elf_phdr(buf, len, is64, i, &p)) {
			fprintf(err, "cellctl: %s: ELF program header %u lies "
				"outside the file\n", path, i);
			return -1;
		}
		if (p.type != PT_LOAD || !p.memsz)
			continue;
		if (image_elf_seg(set, path, buf, len, &p, i, err))
			return -1;
		loads++;
	}
	if (!loads) {
		fprintf(err, "cellctl: %s: ELF file has nothing to load\n",
			path);
		return -1;
	}
	return 0;
}

int image_add_file(struct image_set *set, const char *arg, FILE *err)
{
	const char *at = strrchr(arg, '@');
	uint64_t addr = 0;
	unsigned char *buf;
	struct image_seg *s;
	char *path;
	size_t len;
	int ret = -1;

	path = at ? strndup(arg, at - arg) : strdup(arg);
	if (!path)
		return -1;
	if (at && cellctl_parse_u64(at + 1, &addr)) {
		fprintf(err, "cellctl: %s: '%s' is not an address\n", path,
			at + 1);
		goto out;
	}
	buf = image_read(path, &len, err);
	if (!buf)
		goto out;
	if (len >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG)) {
		if (at)
			fprintf(err, "cellctl: %s: an ELF image loads at its "
				"own addresses; drop '@%s'\n", path, at + 1);
		else
			ret = image_add_elf(set, path, buf, len, err);
		free(buf);
		goto out;
	}
	s = image_new_seg(set, err);
	if (!s) {
		free(buf);
		goto out;
	}
	s->addr = addr;
	s->size = len;
	s->data = buf;
	snprintf(s->what, sizeof(s->what), "%s", path);
	set->n++;
	ret = 0;
out:
	free(path);
	return ret;
}

uint64_t image_elf_entry(const unsigned char *buf)
{
	if (buf[EI_CLASS] == ELFCLASS64)
		return ((const Elf64_Ehdr *)buf)->e_entry;
	return ((const Elf32_Ehdr *)buf)->e_entry;
}

int image_add_data(struct image_set *set, uint64_t addr, unsigned char *data,
		   uint64_t size, const char *what, FILE *err)
{
	struct image_seg *s = image_new_seg(set, err);

	if (!s)
		return -1;
	s->addr = addr;
	s->size = size;
	s->data = data;
	snprintf(s->what, sizeof(s->what), "%s", what);
	set->n++;
	return 0;
}

int image_add_reserve(struct image_set *set, uint64_t addr, uint64_t size,
		      const char *what, FILE *err)
{
	if (image_add_data(set, addr, NULL, size, what, err))
		return -1;
	set->segs[set->n - 1].reserve = 1;
	return 0;
}

int image_add_string(struct image_set *set, const char *arg, FILE *err)
{
	const char *at = strrchr(arg, '@');
	struct image_seg *s;
	uint64_t addr;
	size_t len;

	if (!at || cellctl_parse_u64(at + 1, &addr)) {
		fprintf(err, "cellctl: --string needs TEXT@ADDR, got '%s'\n",
			arg);
		return -1;
	}
	s = image_new_seg(set, err);
	if (!s)
		return -1;
	len = at - arg;
	s->data = calloc(1, len + 1);
	if (!s->data)
		return -1;
	memcpy(s->data, arg, len);
	s->addr = addr;
	s->size = len + 1;
	s->is_string = 1;
	snprintf(s->what, sizeof(s->what), "string '%.40s'", s->data);
	set->n++;
	return 0;
}

/* Bytes of [addr, end) from addr on that loadable regions cover. */
static uint64_t image_covered(const struct image_region *regs,
			      unsigned int n, uint64_t addr, uint64_t end)
{
	uint64_t pos = addr;
	unsigned int i;
	int moved = 1;

	/* Regions may be listed in any order: sweep until no progress. */
	while (moved && pos < end) {
		moved = 0;
		for (i = 0; i < n; i++) {
			if (!regs[i].loadable || pos < regs[i].guest ||
			    pos - regs[i].guest >= regs[i].size)
				continue;
			pos = regs[i].guest + regs[i].size;
			moved = 1;
		}
	}
	return pos - addr;
}

static uint64_t image_loadable_bytes(const struct image_region *regs,
				     unsigned int n)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (regs[i].loadable)
			sum += regs[i].size;
	return sum;
}

static void image_explain(const struct image_seg *s,
			  const struct image_region *regs, unsigned int n,
			  FILE *err)
{
	uint64_t end = s->addr + s->size;
	unsigned int i;
	int named = 0;

	for (i = 0; i < n; i++) {
		if (regs[i].loadable || s->addr >= regs[i].guest + regs[i].size
		    || end <= regs[i].guest)
			continue;
		fprintf(err, "cellctl: %s (0x%" PRIx64 "-0x%" PRIx64 ") "
			"overlaps region %s, which is not loadable\n", s->what,
			s->addr, end - 1, regs[i].name);
		named = 1;
	}
	if (!named)
		fprintf(err, "cellctl: %s (0x%" PRIx64 " bytes at 0x%" PRIx64
			") does not fit in the cell's loadable memory\n",
			s->what, s->size, s->addr);
	if (s->size > image_loadable_bytes(regs, n))
		fprintf(err, "cellctl: %s is larger than all the cell's "
			"loadable memory (0x%" PRIx64 " bytes): give the cell "
			"more RAM\n", s->what, image_loadable_bytes(regs, n));
	for (i = 0; !named && i < n; i++)
		if (regs[i].loadable)
			fprintf(err, "cellctl:   loadable: %s at 0x%" PRIx64
				"-0x%" PRIx64 "\n", regs[i].name,
				regs[i].guest,
				regs[i].guest + regs[i].size - 1);
}

int image_check(const struct image_set *set, const struct image_region *regs,
		unsigned int n_regs, FILE *err)
{
	const struct image_seg *s, *t;
	unsigned int i, j;
	int bad = 0;

	for (i = 0; i < set->n; i++) {
		s = &set->segs[i];
		if (s->addr + s->size < s->addr ||
		    image_covered(regs, n_regs, s->addr, s->addr + s->size) <
		    s->size) {
			image_explain(s, regs, n_regs, err);
			bad = 1;
		}
		for (j = 0; j < i; j++) {
			t = &set->segs[j];
			if (s->is_string != t->is_string)
				continue;
			if (s->addr < t->addr + t->size &&
			    t->addr < s->addr + s->size) {
				fprintf(err, "cellctl: %s and %s overlap\n",
					t->what, s->what);
				bad = 1;
			}
		}
	}
	return bad ? -1 : 0;
}

/* ---- free space for loader data (Multiboot, Linux boot) ---- */

/* The first segment of @set that overlaps [addr, addr + size), or NULL. */
static const struct image_seg *image_overlap(const struct image_set *set,
					  uint64_t addr, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if (addr < set->segs[i].addr + set->segs[i].size &&
		    set->segs[i].addr < addr + size)
			return &set->segs[i];
	return NULL;
}

/* Lowest page from @min in region @r (below 4 GiB) where @size fits. */
static int image_place_in(const struct image_set *set,
		       const struct image_region *r, uint64_t min,
		       uint64_t size, uint64_t *addr)
{
	uint64_t a = image_page_align(r->guest < min ? min : r->guest);
	uint64_t end = r->guest + r->size;
	const struct image_seg *s;

	if (end > IMAGE_4G)
		end = IMAGE_4G;
	while (a < end && size <= end - a) {
		s = image_overlap(set, a, size);
		if (!s) {
			*addr = a;
			return 0;
		}
		a = image_page_align(s->addr + s->size);
	}
	return -1;
}

static int image_place_from(const struct image_set *set,
			 const struct image_region *regs, unsigned int n,
			 uint64_t min, uint64_t size, uint64_t *addr)
{
	uint64_t best = UINT64_MAX, a;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (regs[i].loadable &&
		    !image_place_in(set, &regs[i], min, size, &a) && a < best)
			best = a;
	*addr = best;
	return best == UINT64_MAX ? -1 : 0;
}

/*
 * Above everything loaded so far, as loaders usually place modules; else
 * the lowest free page from 4 KiB (page 0 stays free: no null pointers).
 */
int image_place(const struct image_set *set,
		    const struct image_region *regs, unsigned int n,
		    uint64_t size, uint64_t *addr)
{
	uint64_t top = IMAGE_PAGE;
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if (set->segs[i].addr + set->segs[i].size > top)
			top = set->segs[i].addr + set->segs[i].size;
	return image_place_from(set, regs, n, top, size, addr) &&
	       image_place_from(set, regs, n, IMAGE_PAGE, size, addr) ? -1 : 0;
}
