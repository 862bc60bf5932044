// SPDX-License-Identifier: GPL-2.0
/* Parse "name=value flag" options from the loader-provided command line. */
#include <inmate.h>

static bool cmdline_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * Find option @name; on success *value and *len describe what follows '='
 * (empty for a bare flag). The last occurrence wins, as on Linux.
 */
bool cmdline_find(const char *cmdline, const char *name, const char **value,
		  size_t *len)
{
	size_t nlen = strlen(name);
	const char *p = cmdline, *word;
	bool found = false;

	while (p && *p) {
		while (cmdline_is_space(*p))
			p++;
		word = p;
		while (*p && !cmdline_is_space(*p))
			p++;
		if (strncmp(word, name, nlen) != 0)
			continue;
		if (word + nlen == p) {
			*value = p;
			*len = 0;
			found = true;
		} else if (word[nlen] == '=') {
			*value = word + nlen + 1;
			*len = p - *value;
			found = true;
		}
	}
	return found;
}

static int cmdline_digit(char c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

/* Decimal or 0x-prefixed hex, optional '-'; anything malformed gives @def. */
long long cmdline_parse_int(const char *cmdline, const char *name,
			    long long def)
{
	unsigned long long val = 0;
	unsigned int base = 10;
	const char *v, *end;
	bool neg = false;
	size_t len;
	int d;

	if (!cmdline_find(cmdline, name, &v, &len) || !len)
		return def;
	end = v + len;
	if (*v == '-') {
		neg = true;
		v++;
	}
	if (end - v > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		base = 16;
		v += 2;
	}
	if (v == end)
		return def;
	for (; v < end; v++) {
		d = cmdline_digit(*v, base);
		if (d < 0)
			return def;
		val = val * base + d;
	}
	return neg ? -(long long)val : (long long)val;
}

/* A bare flag or "name=1/y/yes/on" is true; absent or anything else false. */
bool cmdline_parse_bool(const char *cmdline, const char *name)
{
	const char *v;
	size_t len;

	if (!cmdline_find(cmdline, name, &v, &len))
		return false;
	if (!len)
		return true;
	return (len == 1 && (*v == '1' || *v == 'y')) ||
	       (len == 3 && !strncmp(v, "yes", 3)) ||
	       (len == 2 && !strncmp(v, "on", 2));
}
