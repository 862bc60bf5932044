// SPDX-License-Identifier: GPL-2.0
/* cellctl's command registry and the helpers every subcommand shares. */
#ifndef CELLCTL_H
#define CELLCTL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cellvisor_cell_info;

#include <cellvisor/version.h>

#define CELLCTL_VERSION CELLVISOR_VERSION

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
/* A C-style number (0x.., 0.., decimal), the whole string; 0 or -1. */
int cellctl_parse_u64(const char *s, uint64_t *v);
/* The one of N NAMES that WORD is a likely typo of, or NULL. */
const char *cellctl_nearest(const char *word, const char *const *names,
			    size_t n);
int cellctl_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cellctl_print_usage(FILE *f, const struct cellctl_cmd *cmd);

/* What the user was doing when an errno came back: it picks the hint. */
enum cellctl_op {
	CELLCTL_OP_ANY,
	CELLCTL_OP_OPEN,	/* opening /dev/cellvisor or its console */
	CELLCTL_OP_ENABLE,
	CELLCTL_OP_DISABLE,
	CELLCTL_OP_CELL,	/* create, load, start, ... list */
	CELLCTL_OP_CONSOLE,	/* reading the console ring */
	CELLCTL_OP_STATS,	/* reading sysfs root statistics */
	CELLCTL_OP_DESTROY,	/* destroy: CELL's entries apply too */
	CELLCTL_OP_SHM,		/* shm: CELL's entries apply too */
};

/* What ERR means during OP and what to do (tools/hints.c, one table). */
const char *cellctl_hint(enum cellctl_op op, int err);
/*
 * Hints where the errno alone is ambiguous. Enable: EBUSY with ENABLED
 * (sysfs, cellctl_hv_enabled) 1 is "already enabled"; ENOEXEC names the
 * machine PATH's VENDOR is for. Disable: EBUSY names the N CELLS left.
 * Both return the table's hint otherwise; BUF holds formatted ones.
 */
const char *cellctl_enable_hint(int err, int enabled, const char *path,
				uint32_t vendor, char *buf, size_t size);
const char *cellctl_disable_hint(int err,
				 const struct cellvisor_cell_info *cells,
				 int n, char *buf, size_t size);
/* "cellctl: WHAT: strerror(ERR) (HINT)"; HINT NULL: cellctl_hint's. */
void cellctl_fail(const char *what, enum cellctl_op op, int err,
		  const char *hint);
/* open(2) that says why it failed and what to do; -1 then. */
int cellctl_open(const char *path, int flags);
/* sysfs "enabled" of the driver: 1, 0, or -1 when unreadable. */
int cellctl_hv_enabled(void);

#endif /* CELLCTL_H */
