// SPDX-License-Identifier: GPL-2.0
/* cellctl's entry point: global options and git-like subcommand dispatch. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cellvisor/config.h>

#include "cellctl.h"
#include "cfgtool.h"	/* cfg_edit_distance */

FILE *cellctl_out;
FILE *cellctl_err;

/* Bounds of the "cellctl_cmds" section, provided by the GNU linker. */
extern const struct cellctl_cmd *const __start_cellctl_cmds[];
extern const struct cellctl_cmd *const __stop_cellctl_cmds[];

const struct cellctl_cmd *cellctl_find(const char *name)
{
	const struct cellctl_cmd *const *c;

	for (c = __start_cellctl_cmds; c < __stop_cellctl_cmds; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

const char *cellctl_nearest(const char *word, const char *const *names,
			    size_t n)
{
	unsigned int dist, best_dist = 3;
	const char *best = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		dist = cfg_edit_distance(word, names[i]);
		if (dist < best_dist && dist <= strlen(names[i]) / 2) {
			best = names[i];
			best_dist = dist;
		}
	}
	return best;
}

/* The command NAME was probably meant to be, or NULL. */
static const char *command_nearest(const char *name)
{
	size_t n = __stop_cellctl_cmds - __start_cellctl_cmds, i;
	const char **names = calloc(n + 1, sizeof(*names));
	const char *best;

	if (!names)
		return NULL;
	for (i = 0; i < n; i++)
		names[i] = __start_cellctl_cmds[i]->name;
	names[n] = "help";
	best = cellctl_nearest(name, names, n + 1);
	free(names);
	return best;
}

static int not_a_command(const char *name)
{
	const char *best = command_nearest(name);

	if (best)
		return cellctl_usage_error(NULL, "'%s' is not a cellctl "
					   "command; did you mean '%s'?", name,
					   best);
	return cellctl_usage_error(NULL, "'%s' is not a cellctl command",
				   name);
}

static int unknown_global_option(const char *opt)
{
	static const char *const opts[] = { "--help", "--version" };
	const char *best = cellctl_nearest(opt, opts, 2);

	if (best)
		return cellctl_usage_error(NULL, "unknown option '%s'; did you "
					   "mean '%s'?", opt, best);
	return cellctl_usage_error(NULL, "unknown option '%s'", opt);
}

static int cmd_cmp(const void *a, const void *b)
{
	const struct cellctl_cmd *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* Link order decides section order; --help lists commands sorted by name. */
static void print_commands(FILE *f)
{
	size_t n = __stop_cellctl_cmds - __start_cellctl_cmds, i;
	const struct cellctl_cmd **v = calloc(n ? n : 1, sizeof(*v));

	if (!v)
		return;
	memcpy(v, __start_cellctl_cmds, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmd_cmp);
	for (i = 0; i < n; i++)
		fprintf(f, "  %-10s %s\n", v[i]->name, v[i]->summary);
	free(v);
}

static void print_help(FILE *f)
{
	fprintf(f,
		"usage: cellctl [--help] [--version] COMMAND [ARGS...]\n"
		"\n"
		"Control the Cellvisor partitioning hypervisor.\n"
		"\n"
		"Commands:\n");
	print_commands(f);
	fprintf(f, "\nA config file given as '-' is read from standard input.\n"
		"Run 'cellctl COMMAND --help' for a command's usage.\n");
}

void cellctl_print_usage(FILE *f, const struct cellctl_cmd *cmd)
{
	fprintf(f, "usage: cellctl %s\n\n%s\n", cmd->usage, cmd->summary);
}

int cellctl_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

int cellctl_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

int cellctl_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(cellctl_err, "cellctl: ");
	va_start(ap, fmt);
	vfprintf(cellctl_err, fmt, ap);
	va_end(ap);
	fprintf(cellctl_err, "\nTry 'cellctl %s--help'.\n", cmd ? cmd : "");
	return CELLCTL_EXIT_USAGE;
}

int cellctl_main(int argc, char **argv)
{
	const struct cellctl_cmd *cmd;

	if (!cellctl_out)
		cellctl_out = stdout;
	if (!cellctl_err)
		cellctl_err = stderr;

	if (argc < 2) {
		print_help(cellctl_err);
		return CELLCTL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			cmd = cellctl_find(argv[2]);
			if (!cmd)
				return not_a_command(argv[2]);
			cellctl_print_usage(cellctl_out, cmd);
			return CELLCTL_EXIT_OK;
		}
		print_help(cellctl_out);
		return CELLCTL_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		fprintf(cellctl_out, "cellctl %s (config binding %d)\n",
			CELLCTL_VERSION, CFG_BINDING_VERSION);
		return CELLCTL_EXIT_OK;
	}
	if (argv[1][0] == '-')
		return unknown_global_option(argv[1]);

	cmd = cellctl_find(argv[1]);
	if (!cmd)
		return not_a_command(argv[1]);
	return cmd->run(argc - 1, argv + 1);
}
