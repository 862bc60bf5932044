// SPDX-License-Identifier: GPL-2.0
/* cellctl's command registry and the helpers every subcommand shares. */
#ifndef CELLCTL_H
#define CELLCTL_H

#include <stdio.h>

#define CELLCTL_VERSION "0.1.0"

/* Exit statuses: 2 is reserved for usage and config errors. */
#define CELLCTL_EXIT_OK		0
#define CELLCTL_EXIT_FAIL	1
#define CELLCTL_EXIT_USAGE	2

/*
 * A top-level subcommand. Each lives in its own tools/cmd_*.c and registers
 * itself with CELLCTL_COMMAND(); the linker collects the entries, so adding a
 * subcommand touches no central list.
 */
struct cellctl_cmd {
	const char *name;
	const char *summary;
	const char *usage;	/* printed by "cellctl NAME --help" */
	int (*run)(int argc, char **argv);	/* argv[0] is NAME */
};

#define CELLCTL_COMMAND(ident, cmdname, cmdsummary, cmdusage, fn)	\
	static const struct cellctl_cmd cellctl_cmd_##ident = {		\
		.name = cmdname, .summary = cmdsummary,			\
		.usage = cmdusage, .run = fn,				\
	};								\
	static const struct cellctl_cmd *const cellctl_cmdp_##ident	\
	__attribute__((used, section("cellctl_cmds"), aligned(8))) =	\
		&cellctl_cmd_##ident

/* Where output and diagnostics go; unit tests point them at memory. */
extern FILE *cellctl_out;
extern FILE *cellctl_err;

int cellctl_main(int argc, char **argv);
const struct cellctl_cmd *cellctl_find(const char *name);
int cellctl_wants_help(int argc, char **argv);
int cellctl_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cellctl_print_usage(FILE *f, const struct cellctl_cmd *cmd);

#endif /* CELLCTL_H */
