// SPDX-License-Identifier: GPL-2.0
/* Multiboot 1 images for cellctl load: header, loading, information structure. */
#ifndef CELLCTL_MULTIBOOT_H
#define CELLCTL_MULTIBOOT_H

#include <stdint.h>
#include <stdio.h>

#include <cellvisor/cell.h>

#include "image.h"

#define MB_HEADER_MAGIC		0x1BADB002u
#define MB_BOOT_MAGIC		0x2BADB002u	/* EAX at the entry */
#define MB_SEARCH		8192	/* the header lies in these bytes */
#define MB_MAX_MODULES		16

/* Header flags: bits 0-15 are requirements a loader must meet or refuse. */
#define MB_FLAG_PAGE_ALIGN	(1u << 0)	/* modules page aligned */
#define MB_FLAG_MEMORY_INFO	(1u << 1)	/* mem_* and mmap_* */
#define MB_FLAG_VIDEO_MODE	(1u << 2)	/* a graphics mode: refused */
#define MB_FLAG_AOUT_KLUDGE	(1u << 16)	/* load by the address fields */
#define MB_FLAGS_REQUIRED	0xffffu

/* Information structure flags (which fields are valid). */
#define MB_INFO_MEMORY		(1u << 0)
#define MB_INFO_CMDLINE		(1u << 2)
#define MB_INFO_MODS		(1u << 3)
#define MB_INFO_MMAP		(1u << 6)
#define MB_INFO_LOADER_NAME	(1u << 9)

#define MB_MMAP_RAM		1
#define MB_MMAP_RESERVED	2

/* The header an image carries, 4-byte aligned in its first 8 KiB. */
struct mb_header {
	uint32_t magic, flags, checksum;
	/* valid with MB_FLAG_AOUT_KLUDGE */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	uint32_t entry_addr;
};

/* The information structure the image finds at EBX (fields up to VBE). */
struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name;
	uint32_t apm_table, vbe[4];
};

struct mb_module {
	uint32_t mod_start, mod_end, string, reserved;
};

struct mb_mmap_entry {
	uint32_t size;		/* of the rest: 20 */
	uint64_t base_addr, length;
	uint32_t type;
} __attribute__((packed));

/* What the command line asks beside the image. */
struct mb_options {
	const char *cmdline;	/* NULL: empty */
	unsigned int n_modules;
	const char *modules[MB_MAX_MODULES];	/* "FILE[,STRING]" */
};

/* Is region @r RAM for the image (else reserved: comm page, shared, MMIO)? */
int mb_region_ram(const struct image_region *r);
/* KiB of RAM without a gap from @from up to @limit. */
uint32_t mb_ram_kib(const struct image_region *regs, unsigned int n,
		   uint64_t from, uint64_t limit);

/* Does @buf carry the Multiboot magic, 4-byte aligned, in its first 8 KiB? */
int mb_probe(const unsigned char *buf, size_t len);

/*
 * Loads Multiboot image @path into @set with its modules and information
 * structure, all inside the loadable regions @regs, and describes the
 * CPU state the specification promises in @start.  Returns 0, or -1 after
 * printing why to @err (@set may then hold part of it: free it).
 */
int mb_load(struct image_set *set, const char *path,
	    const struct mb_options *opt, const struct image_region *regs,
	    unsigned int n_regs, struct cellvisor_start_state *start,
	    FILE *err);

#endif /* CELLCTL_MULTIBOOT_H */
