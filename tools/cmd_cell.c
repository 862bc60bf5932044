// SPDX-License-Identifier: GPL-2.0
/* cellctl create/load/start/shutdown/destroy/list/stats: cells through /dev/cellvisor. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cellvisor/cell.h>
#include <cellvisor/ioctl.h>

#include "cellctl.h"
#include "cfgtool.h"
#include "image.h"
#include "json_out.h"
#include "linuxboot.h"
#include "multiboot.h"
#include "stats_root.h"
#include "sysconfig.h"

#define CELL_LIST_MAX	64

/* One ioctl on a fresh descriptor; prints why on failure. */
static int cell_ioctl(const char *what, unsigned long req, void *arg)
{
	int fd = cellctl_open(CELLVISOR_DEVICE, O_RDWR), ret;
	char failed[48];

	if (fd < 0)
		return -1;
	ret = ioctl(fd, req, arg);
	if (ret < 0) {
		snprintf(failed, sizeof(failed), "%s failed", what);
		cellctl_fail(failed, req == CELLVISOR_CELL_DESTROY ?
			     CELLCTL_OP_DESTROY : CELLCTL_OP_CELL, errno, NULL);
	}
	close(fd);
	return ret;
}

static int cell_name_ok(const char *cmd, const char *name)
{
	if (strlen(name) >= CELLVISOR_CELL_NAME_LEN || !*name) {
		cellctl_usage_error(cmd, "'%s' is not a cell name", name);
		return 0;
	}
	return 1;
}

/* All cells' infos; returns their count or -1. */
static int cell_list(struct cellvisor_cell_info *infos)
{
	struct cellvisor_cell_list arg = {
		.version = CELLVISOR_IOCTL_VERSION, .max = CELL_LIST_MAX,
		.infos = (uintptr_t)infos,
	};

	return cell_ioctl("list", CELLVISOR_CELL_LIST, &arg);
}

/* "no cell named X", with the likely one when X looks like a typo of it. */
static void say_no_cell(const struct cellvisor_cell_info *all, int n,
			const char *name)
{
	char names[CELL_LIST_MAX][CELLVISOR_CELL_NAME_LEN + 1];
	const char *ptrs[CELL_LIST_MAX], *best;
	int i;

	for (i = 0; i < n && i < CELL_LIST_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "%.*s",
			 CELLVISOR_CELL_NAME_LEN, all[i].name);
		ptrs[i] = names[i];
	}
	best = cellctl_nearest(name, ptrs, i);
	if (best)
		fprintf(cellctl_err, "cellctl: no cell named '%s'; did you "
			"mean '%s'?\n", name, best);
	else
		fprintf(cellctl_err, "cellctl: no cell named '%s'\n", name);
}

static struct cellvisor_cell_info *cell_find(struct cellvisor_cell_info *all,
					     const char *name)
{
	int n = cell_list(all), i;

	for (i = 0; i < n; i++)
		if (!strncmp(all[i].name, name, CELLVISOR_CELL_NAME_LEN))
			return &all[i];
	if (n >= 0)
		say_no_cell(all, n, name);
	return NULL;
}

/* ---- create ---- */

/*
 * PATHS: [-s SYSTEM,] CELL. Without -s the cell is checked and placed
 * against the system config the hypervisor runs with; when there is
 * none, *RC says so with CELLCTL_EXIT_FAIL rather than a config error.
 */
static void *cell_compile(char **paths, int n, size_t *size, char *name,
			  int *rc)
{
	struct cfg_file *files[2] = { NULL, NULL }, *cell = NULL;
	void *blob = NULL;
	struct diag d;
	int i, m;

	diag_init(&d, cellctl_err);
	*rc = CELLCTL_EXIT_USAGE;
	/* The user's files go last: files[0] is the system config. */
	for (i = 0, m = 2 - n; i < n; i++, m++) {
		files[m] = cfg_load(paths[i], &d);
		if (!files[m])
			goto out;
	}
	/* The wrong kind of file is the news, not the missing system. */
	if ((n == 2 && cfg_want_system(files[0], "-s", &d)) ||
	    cfg_want_cell(files[1], "create", &d))
		goto out;
	if (n == 1) {
		files[0] = cellctl_running_system("create", &d);
		if (!files[0]) {
			*rc = CELLCTL_EXIT_FAIL;
			goto out;
		}
	}
	cell = files[1];
	if (!d.errors)
		cfg_check(files, 2, 1, &d);
	if (!d.errors && cfg_compile(cell, &blob, size))
		fprintf(cellctl_err, "cellctl: %s: cannot compile\n",
			cell->path);
	if (blob)
		snprintf(name, CELLVISOR_CELL_NAME_LEN, "%s", cell->cell.name);
out:
	for (i = 0; i < 2; i++)
		cfg_free(files[i]);
	if (d.errors) {
		free(blob);
		blob = NULL;
	}
	return blob;
}

static int create_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "system", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct cellvisor_cell_create arg = {
		.version = CELLVISOR_IOCTL_VERSION,
	};
	char name[CELLVISOR_CELL_NAME_LEN], *paths[2];
	int opt, n = 0, ret;
	size_t size;
	void *blob;

	if (cellctl_wants_help(argc, argv)) {
		cellctl_print_usage(cellctl_out, cellctl_find("create"));
		return CELLCTL_EXIT_OK;
	}
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+s:", longopts, NULL)) != -1) {
		if (opt != 's')
			return cellctl_usage_error("create ", "unknown option "
						   "'%s'", argv[optind - 1]);
		paths[n++ & 1] = optarg;
	}
	if (n > 1 || argc - optind != 1)
		return cellctl_usage_error("create ", "give one cell config "
					   "and at most one -s SYSTEM");
	paths[n++] = argv[optind];
	blob = cell_compile(paths, n, &size, name, &ret);
	if (!blob)
		return ret;
	arg.config = (uintptr_t)blob;
	arg.config_size = size;
	ret = cell_ioctl("create", CELLVISOR_CELL_CREATE, &arg);
	free(blob);
	if (ret < 0)
		return CELLCTL_EXIT_FAIL;
	fprintf(cellctl_out, "cell '%s' created (id %d)\n", name, ret);
	return CELLCTL_EXIT_OK;
}

/* ---- load ---- */

/* What the load command line asks for. */
enum load_kind { LOAD_PLAIN, LOAD_MULTIBOOT, LOAD_LINUX };

struct load_req {
	struct image_set set;		/* raw and ELF images, strings */
	const char *multiboot;		/* a Multiboot or Linux image */
	enum load_kind kind;		/* of that image */
	unsigned int n_images;
	struct mb_options mb;
};

/*
 * A Multiboot image is told by its header, a bzImage by its setup
 * header; IMAGE@ADDR is always raw.  -1: unreadable (said why).
 */
static int load_kind_of(const char *arg)
{
	unsigned char *buf;
	size_t len;
	int kind = LOAD_PLAIN;

	if (strchr(arg, '@'))
		return LOAD_PLAIN;
	buf = image_read(arg, &len, cellctl_err);
	if (!buf)
		return -1;
	if (mb_probe(buf, len))
		kind = LOAD_MULTIBOOT;
	else if (lb_probe(buf, len))
		kind = LOAD_LINUX;
	free(buf);
	return kind;
}

static int load_image_arg(struct load_req *req, const char *arg)
{
	int kind = load_kind_of(arg);

	req->n_images++;
	if (kind < 0)
		return CELLCTL_EXIT_FAIL;
	if (kind != LOAD_PLAIN) {
		req->multiboot = arg;
		req->kind = kind;
		return CELLCTL_EXIT_OK;
	}
	return image_add_file(&req->set, arg, cellctl_err) ?
	       CELLCTL_EXIT_FAIL : CELLCTL_EXIT_OK;
}

static int load_module_arg(struct load_req *req, const char *arg)
{
	if (req->mb.n_modules >= MB_MAX_MODULES)
		return cellctl_usage_error("load ", "more than %d modules",
					   MB_MAX_MODULES);
	req->mb.modules[req->mb.n_modules++] = arg;
	return CELLCTL_EXIT_OK;
}

/* --cmdline and --module go with exactly one Multiboot image. */
static int load_args_check(const struct load_req *req)
{
	if (!req->n_images)
		return cellctl_usage_error("load ", "give at least one image");
	if (req->multiboot && req->n_images > 1)
		return cellctl_usage_error("load ", "%s is a %s image: it loads "
					   "alone (give other files as --module "
					   "FILE)", req->multiboot,
					   req->kind == LOAD_LINUX ? "Linux" :
					   "Multiboot");
	if (!req->multiboot && (req->mb.cmdline || req->mb.n_modules))
		return cellctl_usage_error("load ", "--cmdline and --module "
					   "are for Multiboot and Linux images "
					   "only (use --string TEXT@ADDR for "
					   "others)");
	return CELLCTL_EXIT_OK;
}

static int load_images(struct load_req *req, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "string", required_argument, NULL, 's' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "module", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	int opt, ret = CELLCTL_EXIT_OK;

	optind = 0;
	opterr = 0;
	/* Images and options may come in any order after the name. */
	while (!ret &&
	       (opt = getopt_long(argc, argv, "-s:", longopts, NULL)) != -1) {
		switch (opt) {
		case 1:
			if (optind != 2)	/* else the cell name */
				ret = load_image_arg(req, optarg);
			break;
		case 's':
			if (image_add_string(&req->set, optarg, cellctl_err))
				ret = CELLCTL_EXIT_USAGE;
			break;
		case 'c':
			req->mb.cmdline = optarg;
			break;
		case 'm':
			ret = load_module_arg(req, optarg);
			break;
		default:
			return cellctl_usage_error("load ", "unknown option "
						   "'%s'", argv[optind - 1]);
		}
	}
	return ret ? ret : load_args_check(req);
}

/* The cell's regions as CELL_INFO reports them; returns their number. */
static unsigned int load_regions(const struct cellvisor_cell_info *info,
				 struct image_region *regs,
				 char names[][CELLVISOR_CELL_NAME_LEN + 4])
{
	unsigned int i, n = info->n_mem;

	if (n > CELLVISOR_CELL_INFO_MEM)
		n = CELLVISOR_CELL_INFO_MEM;
	for (i = 0; i < n; i++) {
		if (info->mem_names[i][0])
			snprintf(names[i], sizeof(names[i]), "'%.*s'",
				 CELLVISOR_CELL_NAME_LEN - 1,
				 info->mem_names[i]);
		else
			snprintf(names[i], sizeof(names[i]), "%u", i);
		regs[i] = (struct image_region){
			info->mem[i].guest, info->mem[i].size,
			!!(info->mem[i].flags & CFG_MEM_LOADABLE), names[i],
			info->mem[i].flags,
		};
	}
	return n;
}

/*
 * Everything into place and checked against the cell's regions: a
 * Multiboot image with its modules and information structure (and
 * @start set), then the check of every segment.
 */
static int load_check(struct load_req *req,
		      const struct cellvisor_cell_info *info,
		      struct cellvisor_start_state *start)
{
	struct image_region regs[CELLVISOR_CELL_INFO_MEM];
	char names[CELLVISOR_CELL_INFO_MEM][CELLVISOR_CELL_NAME_LEN + 4];
	unsigned int n = load_regions(info, regs, names);

	if (req->kind == LOAD_MULTIBOOT &&
	    mb_load(&req->set, req->multiboot, &req->mb, regs, n, start,
		    cellctl_err))
		return -1;
	if (req->kind == LOAD_LINUX &&
	    lb_load(&req->set, req->multiboot, &req->mb, regs, n, start,
		    cellctl_err))
		return -1;
	return image_check(&req->set, regs, n, cellctl_err);
}

/* Running, failed and exited cells keep their memory until shutdown. */
static int load_state_ok(const struct cellvisor_cell_info *info)
{
	if (info->state != CELLVISOR_CELL_RUNNING &&
	    !cellvisor_cell_stopped(info->state))
		return 0;
	fprintf(cellctl_err, "cellctl: cell '%s' is %s: its memory is its "
		"own until 'cellctl shutdown %s'; then load again\n",
		info->name, cellvisor_cell_state_name(info->state),
		info->name);
	return -1;
}

static int load_ioctl(const char *name, const struct image_set *set,
		      const struct cellvisor_start_state *start)
{
	struct cellvisor_load_segment segs[IMAGE_MAX_SEGS];
	struct cellvisor_cell_load arg = {
		.version = CELLVISOR_IOCTL_VERSION,
	};
	unsigned int i, n;
	int pass;

	/* Images first, strings over them (the driver copies in order). */
	for (n = 0, pass = 0; pass < 2; pass++)
		for (i = 0; i < set->n; i++)
			if (set->segs[i].is_string == pass &&
			    !set->segs[i].reserve)
				segs[n++] = (struct cellvisor_load_segment){
					set->segs[i].addr, set->segs[i].size,
					(uintptr_t)set->segs[i].data,
				};
	snprintf(arg.name, sizeof(arg.name), "%s", name);
	arg.n_segments = n;
	arg.segments = (uintptr_t)segs;
	if (start) {
		arg.flags = CELLVISOR_LOAD_START;
		arg.start = (uintptr_t)start;
	}
	return cell_ioctl("load", CELLVISOR_CELL_LOAD, &arg);
}

static int load_run(int argc, char **argv)
{
	struct cellvisor_cell_info *all, *info;
	struct cellvisor_start_state start;
	struct load_req req = { 0 };
	int ret;

	if (cellctl_wants_help(argc, argv)) {
		cellctl_print_usage(cellctl_out, cellctl_find("load"));
		return CELLCTL_EXIT_OK;
	}
	if (argc < 2 || argv[1][0] == '-')
		return cellctl_usage_error("load ", "give the cell name first");
	if (!cell_name_ok("load ", argv[1]))
		return CELLCTL_EXIT_USAGE;
	image_set_init(&req.set);
	ret = load_images(&req, argc, argv);
	all = calloc(CELL_LIST_MAX, sizeof(*all));
	if (ret || !all)
		goto out;
	ret = CELLCTL_EXIT_FAIL;
	info = cell_find(all, argv[1]);
	if (!info || load_state_ok(info) || load_check(&req, info, &start))
		goto out;
	if (!load_ioctl(argv[1], &req.set, req.multiboot ? &start : NULL))
		ret = CELLCTL_EXIT_OK;
	if (!ret && req.kind == LOAD_MULTIBOOT)
		fprintf(cellctl_out, "cell '%s': Multiboot image loaded, entry "
			"0x%" PRIx64 ", information at 0x%x\n", argv[1],
			(uint64_t)start.entry, start.ebx);
	if (!ret && req.kind == LOAD_LINUX)
		fprintf(cellctl_out, "cell '%s': Linux kernel loaded, 32-bit "
			"entry 0x%" PRIx64 ", zero page at 0x%x\n", argv[1],
			(uint64_t)start.entry, start.esi);
out:
	free(all);
	image_set_free(&req.set);
	return ret;
}

/* ---- start, shutdown, destroy ---- */

static int cell_simple(int argc, char **argv, unsigned long req,
		       const char *done)
{
	struct cellvisor_cell_ref arg = { .version = CELLVISOR_IOCTL_VERSION };
	char cmd[32];

	if (cellctl_wants_help(argc, argv)) {
		cellctl_print_usage(cellctl_out, cellctl_find(argv[0]));
		return CELLCTL_EXIT_OK;
	}
	snprintf(cmd, sizeof(cmd), "%s ", argv[0]);
	if (argc != 2 || argv[1][0] == '-')
		return cellctl_usage_error(cmd, "give one cell name");
	if (!cell_name_ok(cmd, argv[1]))
		return CELLCTL_EXIT_USAGE;
	snprintf(arg.name, sizeof(arg.name), "%s", argv[1]);
	if (cell_ioctl(argv[0], req, &arg) < 0)
		return CELLCTL_EXIT_FAIL;
	fprintf(cellctl_out, "cell '%s' %s\n", argv[1], done);
	return CELLCTL_EXIT_OK;
}

static int start_run(int argc, char **argv)
{
	return cell_simple(argc, argv, CELLVISOR_CELL_START, "started");
}

static int shutdown_run(int argc, char **argv)
{
	return cell_simple(argc, argv, CELLVISOR_CELL_SHUTDOWN, "shut down");
}

static int destroy_run(int argc, char **argv)
{
	return cell_simple(argc, argv, CELLVISOR_CELL_DESTROY, "destroyed");
}

/* ---- list, stats ---- */

/* "--json" anywhere among the arguments: removed, and 1 returned. */
static int take_json_flag(int *argc, char **argv)
{
	int i, found = 0;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--json"))
			continue;
		memmove(&argv[i], &argv[i + 1], (*argc - i) * sizeof(*argv));
		(*argc)--;
		i--;
		found = 1;
	}
	return found;
}

static void list_row(uint32_t id, const char *name, const char *state,
		     const uint64_t *cpus, const char *mem, const char *reason)
{
	char cpu_list[256];

	cfg_format_cpus(cpus, CELLVISOR_CELL_MAX_CPUS, cpu_list,
			sizeof(cpu_list));
	fprintf(cellctl_out, "%-4u %-16s %-10s %-8s %-8s %s\n", id, name,
		state, cpu_list, mem, reason);
}

static void list_text(int enabled, const uint64_t *root_cpus,
		      const struct cellvisor_cell_info *all, int n)
{
	char name[CELLVISOR_CELL_NAME_LEN + 1], mem[32];
	char reason[CELLVISOR_CELL_REASON_LEN + 1];
	int i;

	fprintf(cellctl_out, "hypervisor: %s\n", enabled < 0 ? "unknown" :
		enabled ? "enabled" : "disabled");
	fprintf(cellctl_out, "%-4s %-16s %-10s %-8s %-8s %s\n", "ID", "NAME",
		"STATE", "CPUS", "MEMORY", "REASON");
	if (enabled == 1)
		list_row(CELLCTL_ROOT_ID, CELLCTL_ROOT_NAME, "running",
			 root_cpus, "-", "");
	for (i = 0; i < n; i++) {
		/* The driver's fields may fill their arrays without a NUL. */
		snprintf(name, sizeof(name), "%.*s", CELLVISOR_CELL_NAME_LEN,
			 all[i].name);
		snprintf(reason, sizeof(reason), "%.*s",
			 CELLVISOR_CELL_REASON_LEN, all[i].reason);
		cfg_format_size(all[i].mem_bytes, mem, sizeof(mem));
		list_row(all[i].id, name,
			 cellvisor_cell_state_name(all[i].state), all[i].cpus,
			 mem, reason);
	}
}

static int list_run(int argc, char **argv)
{
	uint64_t root_cpus[CELLVISOR_CELL_MAX_CPUS / 64] = { 0 };
	struct cellvisor_cell_info *all;
	int json = take_json_flag(&argc, argv), enabled, n = 0;

	if (cellctl_wants_help(argc, argv)) {
		cellctl_print_usage(cellctl_out, cellctl_find("list"));
		return CELLCTL_EXIT_OK;
	}
	if (argc > 1)
		return cellctl_usage_error("list ", "unexpected argument '%s'",
					   argv[1]);
	all = calloc(CELL_LIST_MAX, sizeof(*all));
	if (!all)
		return CELLCTL_EXIT_FAIL;
	/* Disabled: no cell, not even the root; sysfs unreadable: ask. */
	enabled = cellctl_hv_enabled();
	if (enabled)
		n = cell_list(all);
	if (n > CELL_LIST_MAX)
		n = CELL_LIST_MAX;	/* the driver counts those it left out */
	if (enabled == 1)
		cellctl_root_cpus(root_cpus, CELLVISOR_CELL_MAX_CPUS);
	if (n >= 0 && json)
		n = cellctl_json_print(cellctl_json_list(enabled, root_cpus,
							 all, n),
				       cellctl_out);
	else if (n >= 0)
		list_text(enabled, root_cpus, all, n);
	free(all);
	return n < 0 ? CELLCTL_EXIT_FAIL : CELLCTL_EXIT_OK;
}

static void stats_print(const struct cellvisor_cell_info *a,
			const struct cellvisor_cell_info *b, double secs,
			struct stats_out *o)
{
	static const char *const names[] = CELLVISOR_EXIT_NAMES;
	unsigned int cpu = 0, c, r;

	for (c = 0; c < b->n_cpus && c < CFG_MAX_CELL_CPUS; c++, cpu++) {
		while (cpu < CELLVISOR_CELL_MAX_CPUS &&
		       !(b->cpus[cpu / 64] >> (cpu % 64) & 1))
			cpu++;
		for (r = 0; r < CELLVISOR_EXIT_REASONS; r++)
			stats_out_row(o, cpu, names[r], b->exits[c][r],
				      cellctl_stats_rate(a->exits[c][r],
							 b->exits[c][r], secs));
	}
	stats_out_faults(o, b->dma_faults,
			 cellctl_stats_rate(a->dma_faults, b->dma_faults,
					    secs));
}

static int stats_run(int argc, char **argv)
{
	struct cellvisor_cell_info *all, *info, first;
	int json = take_json_flag(&argc, argv);
	int ret = CELLCTL_EXIT_FAIL;
	struct stats_out o;
	double secs = 1;
	char *end;

	if (cellctl_wants_help(argc, argv)) {
		cellctl_print_usage(cellctl_out, cellctl_find("stats"));
		return CELLCTL_EXIT_OK;
	}
	if (argc == 3) {
		secs = strtod(argv[2], &end);
		if (end == argv[2] || *end || !(secs >= 0.01 && secs <= 3600))
			return cellctl_usage_error("stats ", "'%s' is not a "
						   "number of seconds "
						   "(0.01-3600)", argv[2]);
	}
	if ((argc != 2 && argc != 3) || argv[1][0] == '-')
		return cellctl_usage_error("stats ", "give one cell name");
	if (!strcmp(argv[1], CELLCTL_ROOT_NAME))
		return cellctl_stats_root(secs, json);
	if (!cell_name_ok("stats ", argv[1]))
		return CELLCTL_EXIT_USAGE;
	all = calloc(CELL_LIST_MAX, sizeof(*all));
	if (!all)
		return CELLCTL_EXIT_FAIL;
	info = cell_find(all, argv[1]);
	if (!info)
		goto out;
	first = *info;
	cellctl_stats_wait(secs);
	info = cell_find(all, argv[1]);
	if (!info)
		goto out;
	stats_out_begin(&o, cellctl_out, json, argv[1], secs);
	stats_print(&first, info, secs, &o);
	if (!stats_out_end(&o))
		ret = CELLCTL_EXIT_OK;
out:
	free(all);
	return ret;
}

CELLCTL_COMMAND(create, "create", "create a cell: take its CPUs, memory and "
		"ports from Linux", "create [-s|--system SYSTEM.yaml] "
		"CELL.yaml|CELL.dtb\n"
		"  SYSTEM: checks and places the cell; default: the system "
		"config the\n  hypervisor was enabled with", create_run);
CELLCTL_COMMAND(load, "load", "copy images into a cell's loadable memory",
		"load NAME IMAGE[@ADDR]... [--string TEXT@ADDR]...\n"
		"       load NAME MULTIBOOT-IMAGE|BZIMAGE [--cmdline TEXT] "
		"[--module FILE[,STRING]]...\n"
		"  IMAGE: ELF (loads at its segments' addresses) or raw "
		"binary (at ADDR, default 0x0)\n"
		"  MULTIBOOT-IMAGE: an image with a Multiboot header in its "
		"first 8 KiB;\n"
		"    it starts in 32-bit protected mode with a Multiboot "
		"information\n"
		"    structure (memory map, TEXT, modules); IMAGE@ADDR loads "
		"it raw\n"
		"  a Linux bzImage likewise: 32-bit entry, zero page with an "
		"e820 map,\n"
		"    TEXT as its command line, one --module FILE as its initrd",
		load_run);
CELLCTL_COMMAND(start, "start", "start a loaded cell at its entry point",
		"start NAME", start_run);
CELLCTL_COMMAND(shutdown, "shutdown", "stop a cell; it becomes loadable "
		"again", "shutdown NAME", shutdown_run);
CELLCTL_COMMAND(destroy, "destroy", "destroy a cell; its CPUs, memory and "
		"ports go back to Linux", "destroy NAME", destroy_run);
CELLCTL_COMMAND(list, "list", "show the hypervisor's state and the cells: "
		"id, state, CPUs, memory, failure reason", "list [--json]\n"
		"  the root cell (Linux, id 0) is listed while the hypervisor "
		"is enabled\n"
		"  --json: one JSON object (Documentation/cellctl.md)", list_run);
CELLCTL_COMMAND(stats, "stats", "VM exits of a cell per reason and CPU, "
		"total and per second", "stats [--json] NAME|root [SECONDS]\n"
		"  --json: one JSON object (Documentation/cellctl.md)\n"
		"  SECONDS: the interval of the rates, 0.01 to 3600 (default 1)\n"
		"  root: the root cell (Linux), every CPU under the hypervisor",
		stats_run);
