// SPDX-License-Identifier: GPL-2.0
/* Inmate image loading for cellctl load: raw, ELF and strings, with bounds checks. */
#ifndef CELLCTL_IMAGE_H
#define CELLCTL_IMAGE_H

#include <stdint.h>
#include <stdio.h>

#define IMAGE_MAX_SEGS		64

/* One piece of memory to copy into a cell, at a guest-physical address. */
struct image_seg {
	uint64_t addr;
	uint64_t size;
	unsigned char *data;	/* malloc'ed, size bytes */
	char what[80];		/* for messages: "hello.bin", "ELF segment 1" */
	int is_string;		/* --string: written after the images */
	int reserve;		/* room the image needs, nothing copied */
};

struct image_set {
	unsigned int n;
	struct image_seg segs[IMAGE_MAX_SEGS];
};

/* A region of the cell as far as loading is concerned. */
struct image_region {
	uint64_t guest;
	uint64_t size;
	int loadable;
	const char *name;
	uint32_t flags;		/* CFG_MEM_*: the Multiboot memory map */
};

void image_set_init(struct image_set *set);
void image_set_free(struct image_set *set);

/*
 * "FILE" or "FILE@ADDR": an ELF file adds its PT_LOAD segments (at their
 * physical addresses; @ADDR is refused), anything else is raw and goes to
 * ADDR (default 0x0).  Returns 0 or -1 after printing why to @err.
 */
int image_add_file(struct image_set *set, const char *arg, FILE *err);
/* The whole file, malloc'ed; NULL after printing why to @err. */
unsigned char *image_read(const char *path, size_t *size, FILE *err);
/* @buf starts with an ELF magic: its PT_LOAD segments, checked. */
int image_add_elf(struct image_set *set, const char *path,
		  const unsigned char *buf, size_t len, FILE *err);
/* The entry point of an ELF file image_add_elf() accepted. */
uint64_t image_elf_entry(const unsigned char *buf);
/* @data (malloc'ed, now the set's) at @addr; frees nothing on error. */
int image_add_data(struct image_set *set, uint64_t addr, unsigned char *data,
		   uint64_t size, const char *what, FILE *err);
/* Room at @addr the image needs beyond its file (not copied, not cleared). */
int image_add_reserve(struct image_set *set, uint64_t addr, uint64_t size,
		      const char *what, FILE *err);
/* "TEXT@ADDR": the text and its NUL. */
int image_add_string(struct image_set *set, const char *arg, FILE *err);
/*
 * Every segment inside loadable regions, no two images overlapping (a
 * string may overwrite part of an image: the inmate convention keeps an
 * empty command line at 0x1000 in the image for the loader to fill).
 * Returns 0 or -1 after printing every problem to @err.
 */
int image_check(const struct image_set *set, const struct image_region *regs,
		unsigned int n_regs, FILE *err);
/*
 * A page-aligned guest address below 4 GiB in loadable @regs where @size
 * bytes overlap nothing in @set: above everything in @set if possible,
 * else the lowest from 4 KiB.  0, or -1 when nothing fits.
 */
int image_place(const struct image_set *set, const struct image_region *regs,
		unsigned int n, uint64_t size, uint64_t *addr);

#endif /* CELLCTL_IMAGE_H */
