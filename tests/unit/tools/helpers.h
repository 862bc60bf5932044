// SPDX-License-Identifier: GPL-2.0
/* Test helpers: run cellctl in-process and capture what it prints. */
#ifndef TESTS_TOOLS_HELPERS_H
#define TESTS_TOOLS_HELPERS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cellctl.h"

struct run_result {
	int status;
	char out[65536];
	char err[65536];
};

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = 0;
	fclose(f);
}

/* Runs "cellctl ARGS..." (NULL-terminated) and captures its output. */
static inline void run_cellctl(struct run_result *r, ...)
{
	char *argv[64];
	int argc = 0;
	va_list ap;

	argv[argc++] = "cellctl";
	va_start(ap, r);
	while (argc < 63 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	cellctl_out = tmpfile();
	cellctl_err = tmpfile();
	r->status = cellctl_main(argc, argv);
	slurp(cellctl_out, r->out, sizeof(r->out));
	slurp(cellctl_err, r->err, sizeof(r->err));
	cellctl_out = cellctl_err = NULL;
}

/* Writes TEXT to a fresh temporary file and returns its path (static). */
static inline const char *write_temp(const char *suffix, const char *text)
{
	static char paths[8][64];
	static int which;
	char *p = paths[which++ & 7];
	FILE *f;

	snprintf(p, sizeof(paths[0]), "/tmp/cellctl-test-%d-%d%s",
		 (int)getpid(), which, suffix);
	f = fopen(p, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
	return p;
}

#endif /* TESTS_TOOLS_HELPERS_H */
