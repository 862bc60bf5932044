// SPDX-License-Identifier: GPL-2.0
/* A cell's console characters, assembled into lines marked with its name. */
#include <hv/console_line.h>

/*
 * Tab and printable ASCII pass.  Other C0 characters and DEL are shown in
 * caret notation (CR "^M", ESC "^[", DEL "^?"): a terminal would act on
 * them, e.g. CR and an erase sequence would write over the "[NAME] "
 * prefix.  Bytes from 0x80 up become "?": some are C1 controls (0x9b is
 * CSI), and UTF-8 encodes those too.
 */
static size_t put_safe(char *out, size_t n, char ch)
{
	unsigned char c = ch;

	if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
		out[n++] = ch;
	} else if (c < 0x20 || c == 0x7f) {
		out[n++] = '^';
		out[n++] = c ^ 0x40;
	} else {
		out[n++] = '?';
	}
	return n;
}

/* "[NAME] text" or, continuing a cut piece, "[NAME]+ text"; then @end. */
static size_t format_line(struct console_line *l, const char *name,
			  const char *end, char *out)
{
	size_t n = 0;
	unsigned int i;

	out[n++] = '[';
	for (i = 0; i < CFG_MAX_NAME - 1 && name[i]; i++)
		n = put_safe(out, n, name[i]);
	out[n++] = ']';
	if (l->cont)
		out[n++] = '+';
	if (l->len)
		out[n++] = ' ';
	for (i = 0; i < l->len; i++)
		n = put_safe(out, n, l->buf[i]);
	while (*end)
		out[n++] = *end++;
	out[n++] = '\n';
	out[n] = 0;
	l->len = 0;
	return n;
}

size_t console_line_putc(struct console_line *l, const char *name, char ch,
			 char *out)
{
	size_t n = 0;

	if (ch == '\n') {
		/* The inmate library and most serial code end lines "\r\n". */
		while (l->len && l->buf[l->len - 1] == '\r')
			l->len--;
		if (l->len || !l->cont)
			n = format_line(l, name, "", out);
		l->cont = false;
		return n;
	}
	/* Cut only when more comes, so a full line and '\n' stay one. */
	if (l->len == CONSOLE_LINE_MAX) {
		n = format_line(l, name, "", out);
		l->cont = true;
	}
	l->buf[l->len++] = ch;
	return n;
}

size_t console_line_flush(struct console_line *l, const char *name,
			  char *out)
{
	size_t n = 0;

	if (l->len)
		n = format_line(l, name, CONSOLE_LINE_CUT, out);
	l->cont = false;
	return n;
}
