// SPDX-License-Identifier: GPL-2.0
/* Linux/x86 boot protocol images (bzImage) for cellctl load: 32-bit entry, zero page. */
#ifndef CELLCTL_LINUXBOOT_H
#define CELLCTL_LINUXBOOT_H

#include <stdint.h>
#include <stdio.h>

#include <cellvisor/cell.h>

#include "image.h"
#include "multiboot.h"		/* struct mb_options: --cmdline, --module */

/* Offsets in the image and in the zero page (struct boot_params). */
#define LB_ALT_MEM_K		0x1e0
#define LB_E820_ENTRIES		0x1e8
#define LB_SETUP_SECTS		0x1f1
#define LB_BOOT_FLAG		0x1fe	/* 0xaa55 */
#define LB_JUMP_END		0x201	/* header ends at 0x202 + this byte */
#define LB_HEADER		0x202	/* "HdrS" */
#define LB_VERSION		0x206
#define LB_TYPE_OF_LOADER	0x210
#define LB_LOADFLAGS		0x211
#define LB_CODE32_START		0x214
#define LB_RAMDISK_IMAGE	0x218
#define LB_RAMDISK_SIZE		0x21c
#define LB_CMD_LINE_PTR		0x228
#define LB_INITRD_ADDR_MAX	0x22c
#define LB_KERNEL_ALIGNMENT	0x230
#define LB_RELOCATABLE		0x234
#define LB_CMDLINE_SIZE		0x238
#define LB_PREF_ADDRESS		0x258
#define LB_INIT_SIZE		0x260
#define LB_E820_TABLE		0x2d0
#define LB_E820_MAX		128

#define LB_LOADED_HIGH		(1u << 0)	/* loadflags: a bzImage */
#define LB_MIN_VERSION		0x0206		/* cmdline_size exists */
#define LB_ZERO_PAGE		4096

/* A bzImage: boot flag and "HdrS" where the boot protocol puts them. */
int lb_probe(const unsigned char *buf, size_t len);

/*
 * Loads bzImage @path into @set: the protected-mode kernel at its
 * preferred (or an aligned) address with room for init_size, the zero
 * page with the setup header, an e820 map of @regs and the command line,
 * one module as the initrd; @start gets the 32-bit entry (ESI = zero
 * page).  Returns 0, or -1 after printing why to @err.
 */
int lb_load(struct image_set *set, const char *path,
	    const struct mb_options *opt, const struct image_region *regs,
	    unsigned int n_regs, struct cellvisor_start_state *start,
	    FILE *err);

#endif /* CELLCTL_LINUXBOOT_H */
