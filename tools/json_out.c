// SPDX-License-Identifier: GPL-2.0
/* cellctl's --json output: every string and number goes through json-c. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <cellvisor/cell.h>

#include "json_out.h"

json_object *cellctl_json_cpus(const uint64_t *bitmap, unsigned int nbits)
{
	json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; a && i < nbits; i++)
		if (bitmap[i / 64] >> (i % 64) & 1)
			json_object_array_add(a, json_object_new_int(i));
	return a;
}

static json_object *json_cell(uint32_t id, const char *name,
			      const char *state, json_object *cpus,
			      json_object *mem, const char *reason)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "state", json_object_new_string(state));
	json_object_object_add(o, "cpus", cpus);
	json_object_object_add(o, "memory_bytes", mem);
	json_object_object_add(o, "reason", reason && *reason ?
			       json_object_new_string(reason) : NULL);
	return o;
}

/* The name and reason from the driver: bounded, maybe without a NUL. */
static json_object *json_one_cell(const struct cellvisor_cell_info *c)
{
	char name[CELLVISOR_CELL_NAME_LEN + 1] = "";
	char reason[CELLVISOR_CELL_REASON_LEN + 1] = "";

	memcpy(name, c->name, sizeof(c->name));
	memcpy(reason, c->reason, sizeof(c->reason));
	return json_cell(c->id, name, cellvisor_cell_state_name(c->state),
			 cellctl_json_cpus(c->cpus, CELLVISOR_CELL_MAX_CPUS),
			 json_object_new_uint64(c->mem_bytes), reason);
}

json_object *cellctl_json_list(int enabled, const uint64_t *root_cpus,
			       const struct cellvisor_cell_info *cells, int n)
{
	json_object *top = json_object_new_object();
	json_object *hv = json_object_new_object();
	json_object *list = json_object_new_array();
	int i;

	json_object_object_add(hv, "enabled", enabled < 0 ? NULL :
			       json_object_new_boolean(enabled));
	json_object_object_add(top, "hypervisor", hv);
	if (enabled == 1)
		json_object_array_add(list, json_cell(CELLCTL_ROOT_ID,
			CELLCTL_ROOT_NAME, "running",
			cellctl_json_cpus(root_cpus, CELLVISOR_CELL_MAX_CPUS),
			NULL, NULL));
	for (i = 0; i < n; i++)
		json_object_array_add(list, json_one_cell(&cells[i]));
	json_object_object_add(top, "cells", list);
	return top;
}

int cellctl_json_print(json_object *o, FILE *f)
{
	const char *text = json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	int err = text && fprintf(f, "%s\n", text) >= 0 ? 0 : -EIO;

	json_object_put(o);
	return err;
}

/* ---- stats ---- */

void stats_out_begin(struct stats_out *o, FILE *f, int json,
		     const char *cell, double secs)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	if (!json) {
		fprintf(f, "%-10s %4s %14s %12s\n", "EXIT", "CPU", "TOTAL",
			"PER-SECOND");
		return;
	}
	o->top = json_object_new_object();
	o->cpus = json_object_new_array();
	json_object_object_add(o->top, "cell", json_object_new_string(cell));
	json_object_object_add(o->top, "interval_seconds",
			       json_object_new_double(secs));
	json_object_object_add(o->top, "cpus", o->cpus);
}

/* The "exits" object of CPU: a new entry when the CPU changes. */
static json_object *stats_cpu_exits(struct stats_out *o, unsigned int cpu)
{
	json_object *entry;

	if (o->exits && o->cpu == cpu)
		return o->exits;
	entry = json_object_new_object();
	o->exits = json_object_new_object();
	o->cpu = cpu;
	json_object_object_add(entry, "cpu", json_object_new_int64(cpu));
	json_object_object_add(entry, "exits", o->exits);
	json_object_array_add(o->cpus, entry);
	return o->exits;
}

void stats_out_row(struct stats_out *o, unsigned int cpu, const char *reason,
		   uint64_t total, uint64_t rate)
{
	json_object *r;

	if (!o->top) {
		fprintf(o->f, "%-10s %4u %14" PRIu64 " %12" PRIu64 "\n",
			reason, cpu, total, rate);
		return;
	}
	r = json_object_new_object();
	json_object_object_add(r, "total", json_object_new_uint64(total));
	json_object_object_add(r, "per_second", json_object_new_uint64(rate));
	json_object_object_add(stats_cpu_exits(o, cpu), reason, r);
}

void stats_out_faults(struct stats_out *o, uint64_t total, uint64_t rate)
{
	json_object *r;

	if (!o->top) {
		if (total)
			fprintf(o->f, "%-10s %4s %14" PRIu64 " %12" PRIu64
				"\n", "dma-faults", "-", total, rate);
		return;
	}
	r = json_object_new_object();
	json_object_object_add(r, "total", json_object_new_uint64(total));
	json_object_object_add(r, "per_second", json_object_new_uint64(rate));
	json_object_object_add(o->top, "dma_faults", r);
}

int stats_out_end(struct stats_out *o)
{
	if (!o->top)
		return 0;
	return cellctl_json_print(o->top, o->f);
}

/* ---- config check ---- */

static void json_diag_sink(struct diag *d, const struct loc *at,
			   const char *kind, const char *msg)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "severity", json_object_new_string(kind));
	json_object_object_add(o, "file", at && at->file ?
			       json_object_new_string(at->file) : NULL);
	json_object_object_add(o, "line", at && at->line ?
			       json_object_new_int(at->line) : NULL);
	json_object_object_add(o, "column", at && at->line ?
			       json_object_new_int(at->col) : NULL);
	json_object_object_add(o, "message", json_object_new_string(msg));
	json_object_array_add(d->sink_data, o);
}

void cellctl_json_collect(struct diag *d)
{
	d->sink = json_diag_sink;
	d->sink_data = json_object_new_array();
}

static json_object *json_check_file(const char *path,
				    const struct cfg_file *f)
{
	json_object *o = json_object_new_object();
	const char *kind = NULL, *name = NULL;

	if (f && f->kind == CFG_KIND_SYSTEM) {
		kind = "system";
		name = f->sys.name;
	} else if (f && f->kind == CFG_KIND_CELL) {
		kind = "cell";
		name = f->cell.name;
	}
	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "kind", kind ?
			       json_object_new_string(kind) : NULL);
	json_object_object_add(o, "name", name && *name ?
			       json_object_new_string(name) : NULL);
	return o;
}

json_object *cellctl_json_check(char **paths, struct cfg_file **files,
				int n, struct diag *d)
{
	json_object *top = json_object_new_object();
	json_object *list = json_object_new_array();
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(list, json_check_file(paths[i],
							     files[i]));
	json_object_object_add(top, "valid",
			       json_object_new_boolean(!d->errors));
	json_object_object_add(top, "errors",
			       json_object_new_int64(d->errors));
	json_object_object_add(top, "warnings",
			       json_object_new_int64(d->warnings));
	json_object_object_add(top, "files", list);
	json_object_object_add(top, "diagnostics", d->sink_data ?
			       d->sink_data : json_object_new_array());
	d->sink = NULL;
	d->sink_data = NULL;
	return top;
}
