// SPDX-License-Identifier: GPL-2.0
/* The image header at offset 0; sizes and entry are patched in by mkimage. */
#include <hv/percpu.h>
#include <hv/setup.h>

/*
 * image_size, core_size and entry_offset are only known after linking;
 * scripts/mkimage.c writes them into the flat binary so that this struct
 * holds no relocations.
 */
struct cellvisor_header hv_header __section(".header") __used = {
	.magic = CELLVISOR_MAGIC,
	.abi_version = CELLVISOR_ABI_VERSION,
	.header_size = sizeof(struct cellvisor_header),
	.max_cpus = 64,
	.percpu_size = sizeof(struct per_cpu),
};
