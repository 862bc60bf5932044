// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the hypervisor's DTB reader (hypervisor/config.c) on hostile blobs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static struct cfg_system sys;
static struct cfg_cell cell;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_machine m;
	const char *why;
	void *blob;

	/* The hypervisor gets the blob 8-byte aligned in its own memory. */
	blob = malloc(size ? size : 1);
	if (!blob)
		return 0;
	memcpy(blob, data, size);
	if (!cfg_parse_system(blob, size, &sys, &why)) {
		cfg_check_system(&sys, &why);
		cfg_check_cell_in_system(&sys, &sys.root, &why);
		/* Any vendor and CPU count; the region the blob names. */
		m = (struct cfg_machine){ size % 3, size % 300, sys.hv_phys,
					  sys.hv_size };
		cfg_check_system_machine(&sys, &m, &why);
	}
	if (!cfg_parse_cell(blob, size, &cell, &why)) {
		cfg_check_cells_disjoint(&cell, &cell, &why);
		cfg_check_cell_in_system(&sys, &cell, &why);
	}
	free(blob);
	return 0;
}
