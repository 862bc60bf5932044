// SPDX-License-Identifier: GPL-2.0
/* cellctl's --json output (list, stats, config check), built with json-c. */
#ifndef CELLCTL_JSON_OUT_H
#define CELLCTL_JSON_OUT_H

#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "cfgtool.h"

struct cellvisor_cell_info;

/* The root cell's id, and its name in list and stats. */
#define CELLCTL_ROOT_ID		0
#define CELLCTL_ROOT_NAME	CFG_ROOT_CELL_NAME

/* [0, 2, 3] from a bitmap of NBITS CPUs. */
json_object *cellctl_json_cpus(const uint64_t *bitmap, unsigned int nbits);
/*
 * The object "cellctl list --json" prints: the hypervisor's state (ENABLED
 * 1, 0, or -1 unknown), then the root cell (CPUs ROOT_CPUS, when enabled)
 * and the N cells of CELLS.
 */
json_object *cellctl_json_list(int enabled, const uint64_t *root_cpus,
			       const struct cellvisor_cell_info *cells, int n);
/* Prints O (pretty, one trailing newline) and drops it; 0 or -EIO. */
int cellctl_json_print(json_object *o, FILE *f);

/* The rows of "cellctl stats", as a table or as one JSON object. */
struct stats_out {
	FILE *f;
	json_object *top;	/* NULL: a text table */
	json_object *cpus;
	json_object *exits;	/* of the CPU of the last row */
	unsigned int cpu;
};

void stats_out_begin(struct stats_out *o, FILE *f, int json,
		     const char *cell, double secs);
void stats_out_row(struct stats_out *o, unsigned int cpu, const char *reason,
		   uint64_t total, uint64_t rate);
/*
 * The cell's DMA faults: "dma_faults" in JSON; in the text table a row
 * "dma-faults" (CPU "-") only when there are any, so that the table of
 * exits stays as it was for the scripts that read it.
 */
void stats_out_faults(struct stats_out *o, uint64_t total, uint64_t rate);
int stats_out_end(struct stats_out *o);

/*
 * "config check --json": D's messages go into a list instead of its
 * stream from now on; cellctl_json_check builds the report of the N
 * files of PATHS, loaded as FILES (NULL for one that did not load), and
 * takes the list.
 */
void cellctl_json_collect(struct diag *d);
json_object *cellctl_json_check(char **paths, struct cfg_file **files,
				int n, struct diag *d);

#endif /* CELLCTL_JSON_OUT_H */
