// SPDX-License-Identifier: GPL-2.0
/* Compiler-style diagnostics: "file:line:column: error: message". */
#define _GNU_SOURCE	/* vasprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgtool.h"

void diag_init(struct diag *d, FILE *out)
{
	memset(d, 0, sizeof(*d));
	d->out = out;
}

static void diag_vsink(struct diag *d, const struct loc *at,
		       const char *kind, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0) {
		d->sink(d, at, kind, fmt);
		return;
	}
	d->sink(d, at, kind, msg);
	free(msg);
}

static void diag_vprint(struct diag *d, const struct loc *at,
			const char *kind, const char *fmt, va_list ap)
{
	if (d->sink) {
		diag_vsink(d, at, kind, fmt, ap);
		return;
	}
	if (at && at->file && at->line)
		fprintf(d->out, "%s:%d:%d: ", at->file, at->line, at->col);
	else if (at && at->file)
		fprintf(d->out, "%s: ", at->file);
	fprintf(d->out, "%s: ", kind);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
}

void diag_error(struct diag *d, const struct loc *at, const char *fmt, ...)
{
	va_list ap;

	d->errors++;
	va_start(ap, fmt);
	diag_vprint(d, at, "error", fmt, ap);
	va_end(ap);
}

void diag_warn(struct diag *d, const struct loc *at, const char *fmt, ...)
{
	va_list ap;

	d->warnings++;
	va_start(ap, fmt);
	diag_vprint(d, at, "warning", fmt, ap);
	va_end(ap);
}

void diag_note(struct diag *d, const struct loc *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vprint(d, at, "note", fmt, ap);
	va_end(ap);
}

const char *loc_str(const struct loc *at)
{
	static char buf[2][512];
	static int which;
	char *b = buf[which ^= 1];

	if (at->line)
		snprintf(b, sizeof(buf[0]), "%s:%d:%d", at->file, at->line,
			 at->col);
	else
		snprintf(b, sizeof(buf[0]), "%s", at->file ? at->file : "?");
	return b;
}
