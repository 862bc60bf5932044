/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cell's console output, assembled into whole lines that carry the
 * cell's name (console_line.c).  Pure logic: the caller holds the lock
 * and writes the finished line; the unit test runs it on the host.
 *
 * Every line on the hypervisor console starts either with "Cellvisor: "
 * (the hypervisor: pr_info, pr_err) or with "[" (a cell: "[NAME] text").
 * The hypervisor never prints a line starting with "[", and a cell never
 * gets a line that does not: so no cell can print a line that reads as
 * the hypervisor's.  Within its own line a cell's control characters are
 * shown in caret notation (ESC as "^["), bytes from 0x80 up as "?", so
 * it cannot move a terminal's cursor back over its prefix either.
 */
#ifndef _HV_CONSOLE_LINE_H
#define _HV_CONSOLE_LINE_H

#include <hv/types.h>
#include <cellvisor/config.h>

/* Characters of a cell's line; a longer one goes out in pieces. */
#define CONSOLE_LINE_MAX	120
/* Appended to a partial line that console_line_flush() puts out. */
#define CONSOLE_LINE_CUT	" [stopped mid-line]"
/*
 * A formatted line: "[" NAME "]+ ", each character at most two (caret
 * notation; names are checked printable at create, but the buffer does
 * not rely on it), the cut marker, "\n" and the NUL.
 */
#define CONSOLE_LINE_OUT_MAX	(1 + 2 * (CFG_MAX_NAME - 1) + 3 + \
				 2 * CONSOLE_LINE_MAX + \
				 sizeof(CONSOLE_LINE_CUT) - 1 + 2)

struct console_line {
	unsigned int len;
	bool cont;		/* continues a piece cut at CONSOLE_LINE_MAX */
	char buf[CONSOLE_LINE_MAX];
};

/*
 * Adds @ch of the cell @name to @l.  When that finishes a line (a '\n',
 * or a character that does not fit any more) the whole line is written
 * to @out (CONSOLE_LINE_OUT_MAX bytes), NUL-terminated, ending in '\n',
 * and its length returned; otherwise 0.
 */
size_t console_line_putc(struct console_line *l, const char *name, char ch,
			 char *out);
/* Like console_line_putc() for what is left of a line, marked as cut. */
size_t console_line_flush(struct console_line *l, const char *name,
			  char *out);

#endif
