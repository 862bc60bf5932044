// SPDX-License-Identifier: GPL-2.0
/* "cellctl config check|compile|show": the config language's command line. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cellctl.h"
#include "cfgtool.h"
#include "json_out.h"
#include "sysconfig.h"

struct config_sub {
	const char *name;
	const char *usage;
	const char *help;
	int (*run)(int argc, char **argv);
};

static int config_files_load(char **paths, int n, struct cfg_file **files,
			     struct diag *d)
{
	int i, ok = 1;

	for (i = 0; i < n; i++) {
		files[i] = cfg_load(paths[i], d);
		if (!files[i])
			ok = 0;
	}
	return ok;
}

static void config_files_free(struct cfg_file **files, int n)
{
	int i;

	for (i = 0; i < n; i++)
		cfg_free(files[i]);
	free(files);
}

static int config_has_system(struct cfg_file **files, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (files[i] && files[i]->kind == CFG_KIND_SYSTEM)
			return 1;
	return 0;
}

/*
 * Cells given without their system config are checked against the one
 * the hypervisor runs with, if it is enabled; else alone, as before.
 */
static struct cfg_file *config_running(const char *cmd,
				       struct cfg_file **files, int n,
				       struct diag *d)
{
	if (config_has_system(files, n) || !cellctl_system_running())
		return NULL;
	return cellctl_running_system(cmd, d);
}

static int config_summary(struct diag *d)
{
	if (!d->errors)
		return CELLCTL_EXIT_OK;
	fprintf(cellctl_err, "cellctl: %u error%s, %u warning%s\n", d->errors,
		d->errors == 1 ? "" : "s", d->warnings,
		d->warnings == 1 ? "" : "s");
	return CELLCTL_EXIT_USAGE;
}

/* Options shared by the config subcommands; getopt state is reset per call. */
struct config_opts {
	const char *output;
	const char *dir;
	const char *system;
	const char *root;	/* of the sysfs tree to resolve PCI from */
	int quiet;
	int resolve;
	int json;
};

static int config_parse_opts(int argc, char **argv, const char *cmd,
			     const char *shortopts, struct config_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "directory", required_argument, NULL, 'd' },
		{ "system", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "resolve-pci", no_argument, NULL, 'p' },
		{ "root", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	memset(o, 0, sizeof(*o));
	o->root = "";
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'o':
			o->output = optarg;
			break;
		case 'd':
			o->dir = optarg;
			break;
		case 's':
			o->system = optarg;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'p':
			o->resolve = 1;
			break;
		case 'r':
			o->root = optarg;
			break;
		case 'j':
			if (!strchr(shortopts, 'j'))
				return cellctl_usage_error(cmd, "unknown "
					"option '--json'");
			o->json = 1;
			break;
		default:
			if (optopt && strchr(shortopts, optopt))
				return cellctl_usage_error(cmd, "option '-%c' "
					"needs an argument", optopt);
			return cellctl_usage_error(cmd, "unknown option '%s'",
						   argv[optind - 1]);
		}
	}
	return 0;
}

/* What only this machine knows: cell regions in its System RAM. */
static void config_warn_ram(struct cfg_file **files, int n, const char *root,
			    struct diag *d)
{
	char *iomem = malloc(strlen(root) + sizeof("/proc/iomem"));

	if (!iomem)
		return;
	sprintf(iomem, "%s/proc/iomem", root);
	cfg_warn_system_ram(files, n, iomem, d);
	free(iomem);
}

static int config_check(int argc, char **argv)
{
	struct config_opts o;
	struct cfg_file **files;
	struct diag d;
	int n, m, i, err;

	err = config_parse_opts(argc, argv, "config check ", "+qpj", &o);
	if (err)
		return err;
	n = argc - optind;
	if (n < 1)
		return cellctl_usage_error("config check ", "give at least "
					   "one config file");
	/* One more for the running system config. */
	files = calloc(n + 1, sizeof(*files));
	if (!files)
		return CELLCTL_EXIT_FAIL;
	diag_init(&d, cellctl_err);
	if (o.json)
		cellctl_json_collect(&d);
	m = n;
	if (config_files_load(argv + optind, n, files, &d)) {
		err = d.errors;
		files[n] = config_running("config check", files, n, &d);
		m += !!files[n];
		if (d.errors == (unsigned int)err) {
			if (o.resolve)
				cfg_resolve_pci(files, n, o.root, &d);
			cfg_check(files, m, 0, &d);
			config_warn_ram(files, m, o.root, &d);
		}
	}
	if (o.json)
		cellctl_json_print(cellctl_json_check(argv + optind, files, n,
						      &d), cellctl_out);
	for (i = 0; !d.errors && !o.quiet && !o.json && i < n; i++)
		fprintf(cellctl_out, "%s: %s '%s' is valid%s\n", files[i]->path,
			files[i]->kind == CFG_KIND_SYSTEM ? "system" : "cell",
			files[i]->kind == CFG_KIND_SYSTEM ?
			files[i]->sys.name : files[i]->cell.name,
			m > n ? " (with the running system config)" : "");
	config_files_free(files, n + 1);
	return config_summary(&d);
}

/* OUT.dtb next to IN (or in DIR): "x.yaml" -> "x.dtb". */
static char *config_out_path(const char *in, const char *dir)
{
	const char *base = dir ? strrchr(in, '/') : NULL;
	size_t len;
	char *out;

	base = base ? base + 1 : in;
	len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	else if (len > 4 && !strcmp(base + len - 4, ".yml"))
		len -= 4;
	out = malloc((dir ? strlen(dir) + 1 : 0) + len + 5);
	if (!out)
		return NULL;
	sprintf(out, "%s%s%.*s.dtb", dir ? dir : "", dir ? "/" : "",
		(int)len, base);
	return out;
}

/* Writes through a temporary file so a failed write leaves no half blob. */
static int config_write(const char *path, const void *blob, size_t size)
{
	char *tmp = malloc(strlen(path) + 8);
	FILE *f;
	int ok;

	if (!tmp)
		return -ENOMEM;
	sprintf(tmp, "%s.tmpXX", path);
	f = fopen(tmp, "wb");
	if (!f) {
		free(tmp);
		return -errno;
	}
	ok = fwrite(blob, 1, size, f) == size;
	ok = !fclose(f) && ok;
	if (!ok || rename(tmp, path)) {
		unlink(tmp);
		free(tmp);
		return -EIO;
	}
	free(tmp);
	return 0;
}

static int config_compile_one(struct cfg_file *f, const char *out)
{
	void *blob;
	size_t size;
	int err;

	err = cfg_compile(f, &blob, &size);
	if (err) {
		fprintf(cellctl_err, "cellctl: %s: cannot compile: %s\n",
			f->path, strerror(-err));
		return CELLCTL_EXIT_FAIL;
	}
	err = config_write(out, blob, size);
	free(blob);
	if (err) {
		fprintf(cellctl_err, "cellctl: cannot write %s: %s\n", out,
			strerror(-err));
		return CELLCTL_EXIT_FAIL;
	}
	return CELLCTL_EXIT_OK;
}

static int config_compile_all(struct config_opts *o, struct cfg_file **files,
			      int first, int n)
{
	char *out;
	int i, ret = CELLCTL_EXIT_OK;

	for (i = first; i < n && ret == CELLCTL_EXIT_OK; i++) {
		out = o->output ? strdup(o->output) :
				  config_out_path(files[i]->path, o->dir);
		if (!out)
			return CELLCTL_EXIT_FAIL;
		if (!o->output && !strcmp(files[i]->path, CFG_STDIN_PATH)) {
			fprintf(cellctl_err, "cellctl: %s: give -o OUT.dtb: "
				"standard input has no name to name the output "
				"after\n", files[i]->path);
			ret = CELLCTL_EXIT_USAGE;
		} else if (!strcmp(out, files[i]->path)) {
			fprintf(cellctl_err, "cellctl: %s: refusing to "
				"overwrite the input; give -o\n", out);
			ret = CELLCTL_EXIT_USAGE;
		} else {
			ret = config_compile_one(files[i], out);
		}
		if (ret == CELLCTL_EXIT_OK && !o->quiet)
			fprintf(cellctl_out, "%s -> %s\n", files[i]->path, out);
		free(out);
	}
	return ret;
}

static int config_compile(int argc, char **argv)
{
	struct config_opts o;
	struct cfg_file **files;
	struct diag d;
	int n, first, err, i;

	err = config_parse_opts(argc, argv, "config compile ", "o:d:s:qp",
				&o);
	if (err)
		return err;
	n = argc - optind;
	if (n < 1)
		return cellctl_usage_error("config compile ", "give a config "
					   "file to compile");
	if (o.output && n > 1)
		return cellctl_usage_error("config compile ", "-o names one "
					   "output: with several files use -d "
					   "DIR");
	/*
	 * files[0] is the system config, only for context: -s, or without
	 * it the running one when no file to compile is a system config.
	 */
	files = calloc(n + 1, sizeof(*files));
	if (!files)
		return CELLCTL_EXIT_FAIL;
	diag_init(&d, cellctl_err);
	if (o.system)
		files[0] = cfg_load(o.system, &d);
	if (config_files_load(argv + optind, n, files + 1, &d) &&
	    (!o.system || files[0]) &&
	    (!o.system || !cfg_want_system(files[0], "-s", &d))) {
		for (i = 1; o.system && i <= n; i++)
			if (files[i]->kind == CFG_KIND_SYSTEM)
				diag_error(&d, cfg_file_loc(files[i]),
					   "give the system config "
					   "either with -s or as a file to "
					   "compile, not both");
		if (!o.system)
			files[0] = config_running("config compile", files + 1,
						  n, &d);
		first = files[0] ? 0 : 1;
		if (!d.errors && o.resolve)
			cfg_resolve_pci(files + 1, n, o.root, &d);
		if (!d.errors)
			cfg_check(files + first, n + 1 - first, 1, &d);
	}
	err = config_summary(&d);
	if (!err)
		err = config_compile_all(&o, files, 1, n + 1);
	config_files_free(files, n + 1);
	return err;
}

static int config_show(int argc, char **argv)
{
	struct config_opts o;
	struct cfg_file *f;
	struct diag d;
	int err;

	err = config_parse_opts(argc, argv, "config show ", "", &o);
	if (err)
		return err;
	if (argc - optind != 1)
		return cellctl_usage_error("config show ", "give one config "
					   "file (.dtb or .yaml)");
	diag_init(&d, cellctl_err);
	f = cfg_load(argv[optind], &d);
	if (f && !d.errors)
		cfg_check(&f, 1, 0, &d);
	if (f && !d.errors)
		cfg_emit_yaml(f, cellctl_out);
	cfg_free(f);
	if (!f && !d.errors)
		d.errors++;
	return config_summary(&d);
}

static const struct config_sub config_subs[] = {
	{ "check",
	  "config check [-q] [-p] [--root DIR] [--json] SYS.yaml "
	  "[CELL.yaml...]",
	  "Check configs alone and together; report every problem as\n"
	  "file:line:column: error: ... and exit with 2 if there is one.\n"
	  "Files may be YAML or compiled DTB; '-' is standard input.\n"
	  "Regions without 'phys' are placed in the cell pool and the\n"
	  "placement is reported. Run as root on the machine of the system\n"
	  "config, it warns about cell regions in this machine's System\n"
	  "RAM (/proc/iomem). Cells given without a system config are\n"
	  "checked against the running one when the hypervisor is enabled,\n"
	  "else alone.\n"
	  "  -q, --quiet        print nothing on success\n"
	  "  -p, --resolve-pci  read BARs and capabilities of PCI devices\n"
	  "                     that do not list them from sysfs\n"
	  "      --root DIR     files of another machine: DIR/sys/bus/pci,\n"
	  "                     DIR/proc/iomem\n"
	  "      --json         print one JSON object: the files, and every\n"
	  "                     error, warning and note with its position\n"
	  "                     (Documentation/cellctl.md); exit status as\n"
	  "                     without\n",
	  config_check },
	{ "compile",
	  "config compile [-s SYS.yaml] [-o OUT.dtb | -d DIR]\n"
	  "               [-p [--root DIR]] FILE.yaml...",
	  "Check and compile configs to DTB (FILE.dtb next to FILE.yaml by\n"
	  "default). Compile cells together with their system config so that\n"
	  "regions without 'phys' get disjoint places in the cell pool.\n"
	  "  -s, --system SYS   system config used for checks and placement;\n"
	  "                     default: the running one, if enabled\n"
	  "  -o, --output OUT   output file (one input only)\n"
	  "  -d, --directory D  write outputs into directory D\n"
	  "  -q, --quiet        do not list what was written\n"
	  "  -p, --resolve-pci  read BARs and capabilities of PCI devices\n"
	  "                     that do not list them from sysfs\n"
	  "      --root DIR     sysfs of another machine: DIR/sys/bus/pci\n",
	  config_compile },
	{ "show", "config show FILE.dtb|FILE.yaml",
	  "Print a compiled (or YAML) config as YAML.\n", config_show },
	{ "create", "config create [-o FILE] [--root DIR]\n"
	  "       cellctl config create --suggest-memmap SIZE [--root DIR]",
	  "Write a system config for this machine, made from what the running\n"
	  "Linux reports: CPUs and vendor (/proc/cpuinfo, sysfs), the memory map\n"
	  "(/proc/iomem), the memmap= reservation of this boot (/proc/cmdline),\n"
	  "ECAM, IOAPICs and IOMMUs (ACPI MCFG, MADT, DMAR, IVRS under\n"
	  "/sys/firmware/acpi/tables), the first 8250 UART and the PCI devices.\n"
	  "Each value carries a comment saying where it came from. The config\n"
	  "is checked before it is written; nothing is written otherwise. Run\n"
	  "as root (the kernel hides addresses from other users).\n"
	  "  -o, --output FILE         write FILE (default: standard output)\n"
	  "      --suggest-memmap SIZE say which memmap= reserves SIZE bytes\n"
	  "                            for Cellvisor on this machine (boot\n"
	  "                            with it before config create)\n"
	  "      --root DIR            read DIR/proc and DIR/sys instead (a\n"
	  "                            copy taken on another machine)\n",
	  config_create_run },
};

#define N_SUBS (sizeof(config_subs) / sizeof(config_subs[0]))

static void config_help(FILE *f)
{
	size_t i;

	fprintf(f, "usage: cellctl config SUBCOMMAND [ARGS...]\n\n"
		"Check, compile and show system and cell configs.\n\n"
		"Subcommands:\n");
	for (i = 0; i < N_SUBS; i++)
		fprintf(f, "  cellctl %s\n", config_subs[i].usage);
	fprintf(f, "\nRun 'cellctl config SUBCOMMAND --help' for details.\n");
}

static int config_not_a_sub(const char *name)
{
	const char *names[N_SUBS], *best;
	size_t i;

	for (i = 0; i < N_SUBS; i++)
		names[i] = config_subs[i].name;
	best = cellctl_nearest(name, names, N_SUBS);
	if (best)
		return cellctl_usage_error("config ", "'%s' is not a config "
					   "subcommand; did you mean '%s'?",
					   name, best);
	return cellctl_usage_error("config ", "'%s' is not a config "
				   "subcommand (check, compile, show, create)",
				   name);
}

static int config_run(int argc, char **argv)
{
	const struct config_sub *sub = NULL;
	size_t i;

	if (argc < 2) {
		config_help(cellctl_err);
		return CELLCTL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		config_help(cellctl_out);
		return CELLCTL_EXIT_OK;
	}
	for (i = 0; i < N_SUBS; i++)
		if (!strcmp(argv[1], config_subs[i].name))
			sub = &config_subs[i];
	if (!sub)
		return config_not_a_sub(argv[1]);
	if (cellctl_wants_help(argc - 1, argv + 1)) {
		fprintf(cellctl_out, "usage: cellctl %s\n\n%s", sub->usage,
			sub->help);
		return CELLCTL_EXIT_OK;
	}
	return sub->run(argc - 1, argv + 1);
}

CELLCTL_COMMAND(config, "config", "check, compile and show configs",
		"config check|compile|show|create ARGS...", config_run);
