// SPDX-License-Identifier: GPL-2.0
/* printf-style formatting; freestanding, so host unit tests link it too. */
#include <inmate.h>

/* Output cursor: counts every character, stores only what fits. */
struct fmt_out {
	char *buf;
	size_t size;
	size_t pos;
};

struct fmt_spec {
	bool left;		/* '-' */
	bool zero;		/* '0' */
	bool plus;		/* '+' */
	bool space;		/* ' ' */
	bool alt;		/* '#' */
	unsigned int width;
	/* -2 char, -1 short, 0 int, 1 long, 2 long long, 3 size_t */
	int lmod;
};

static void fmt_putc(struct fmt_out *out, char c)
{
	/* Keep one byte for the terminating NUL. */
	if (out->pos + 1 < out->size)
		out->buf[out->pos] = c;
	out->pos++;
}

static void fmt_pad(struct fmt_out *out, char c, unsigned int n)
{
	while (n--)
		fmt_putc(out, c);
}

static void fmt_str(struct fmt_out *out, const struct fmt_spec *spec,
		    const char *s)
{
	unsigned int len = 0, pad;

	if (!s)
		s = "(null)";
	while (s[len])
		len++;
	pad = spec->width > len ? spec->width - len : 0;
	if (!spec->left)
		fmt_pad(out, ' ', pad);
	while (*s)
		fmt_putc(out, *s++);
	if (spec->left)
		fmt_pad(out, ' ', pad);
}

/*
 * Emit one number: sign/prefix, then either zero padding (between prefix and
 * digits) or space padding (before prefix or after digits).
 */
static void fmt_num(struct fmt_out *out, const struct fmt_spec *spec,
		    unsigned long long val, bool neg, unsigned int base,
		    bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	unsigned int n = 0, plen = 0, len, pad;
	char sign = 0;

	do {
		tmp[n++] = digits[val % base];
		val /= base;
	} while (val);

	if (neg)
		sign = '-';
	else if (spec->plus)
		sign = '+';
	else if (spec->space)
		sign = ' ';
	while (prefix && prefix[plen])
		plen++;

	len = n + plen + (sign ? 1 : 0);
	pad = spec->width > len ? spec->width - len : 0;

	if (!spec->left && !spec->zero)
		fmt_pad(out, ' ', pad);
	if (sign)
		fmt_putc(out, sign);
	while (prefix && *prefix)
		fmt_putc(out, *prefix++);
	if (!spec->left && spec->zero)
		fmt_pad(out, '0', pad);
	while (n)
		fmt_putc(out, tmp[--n]);
	if (spec->left)
		fmt_pad(out, ' ', pad);
}

static unsigned long long fmt_get_unsigned(const struct fmt_spec *spec,
					   va_list *ap)
{
	switch (spec->lmod) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	case -1:
		return (unsigned short)va_arg(*ap, unsigned int);
	case -2:
		return (unsigned char)va_arg(*ap, unsigned int);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static long long fmt_get_signed(const struct fmt_spec *spec, va_list *ap)
{
	switch (spec->lmod) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	case 3:
		return (long long)va_arg(*ap, size_t);
	case -1:
		return (short)va_arg(*ap, int);
	case -2:
		return (signed char)va_arg(*ap, int);
	default:
		return va_arg(*ap, int);
	}
}

static const char *fmt_parse_spec(const char *fmt, struct fmt_spec *spec,
				  va_list *ap)
{
	*spec = (struct fmt_spec){ 0 };

	for (;; fmt++) {
		if (*fmt == '-')
			spec->left = true;
		else if (*fmt == '0')
			spec->zero = true;
		else if (*fmt == '+')
			spec->plus = true;
		else if (*fmt == ' ')
			spec->space = true;
		else if (*fmt == '#')
			spec->alt = true;
		else
			break;
	}
	if (*fmt == '*') {
		int w = va_arg(*ap, int);

		if (w < 0) {
			spec->left = true;
			w = -w;
		}
		spec->width = w;
		fmt++;
	}
	while (*fmt >= '0' && *fmt <= '9')
		spec->width = spec->width * 10 + (*fmt++ - '0');
	if (*fmt == 'z') {
		spec->lmod = 3;
		fmt++;
	}
	while (*fmt == 'h' && spec->lmod > -2) {
		spec->lmod--;
		fmt++;
	}
	while (*fmt == 'l' && spec->lmod < 2) {
		spec->lmod++;
		fmt++;
	}
	return fmt;
}

static void fmt_signed(struct fmt_out *out, const struct fmt_spec *spec,
		       va_list *ap)
{
	long long v = fmt_get_signed(spec, ap);
	/* Negate in unsigned arithmetic so LLONG_MIN does not overflow. */
	unsigned long long mag = v < 0 ? -(unsigned long long)v :
				 (unsigned long long)v;

	fmt_num(out, spec, mag, v < 0, 10, false, NULL);
}

/* Like C's printf, '#' gives "0x" (or "0X") except for zero. */
static void fmt_hex(struct fmt_out *out, const struct fmt_spec *spec,
		    unsigned long long val, bool upper)
{
	const char *prefix = NULL;

	if (spec->alt && val)
		prefix = upper ? "0X" : "0x";
	fmt_num(out, spec, val, false, 16, upper, prefix);
}

/* Handle one conversion character; returns false for an unknown one. */
static bool fmt_convert(struct fmt_out *out, struct fmt_spec *spec, char conv,
			va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i':
		fmt_signed(out, spec, ap);
		return true;
	case 'u':
		fmt_num(out, spec, fmt_get_unsigned(spec, ap), false, 10,
			false, NULL);
		return true;
	case 'x':
	case 'X':
		fmt_hex(out, spec, fmt_get_unsigned(spec, ap), conv == 'X');
		return true;
	case 'p':
		fmt_num(out, spec, (uintptr_t)va_arg(*ap, void *), false, 16,
			false, "0x");
		return true;
	case 'c':
		spec->zero = false;
		fmt_pad(out, ' ', !spec->left && spec->width > 1 ?
			spec->width - 1 : 0);
		fmt_putc(out, (char)va_arg(*ap, int));
		fmt_pad(out, ' ', spec->left && spec->width > 1 ?
			spec->width - 1 : 0);
		return true;
	case 's':
		fmt_str(out, spec, va_arg(*ap, const char *));
		return true;
	case '%':
		fmt_putc(out, '%');
		return true;
	default:
		return false;
	}
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out out = { .buf = buf, .size = size };
	struct fmt_spec spec;
	const char *start;
	va_list args;

	/* va_copy lets helpers take a pointer to the list portably. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			fmt_putc(&out, *fmt++);
			continue;
		}
		start = fmt++;
		fmt = fmt_parse_spec(fmt, &spec, &args);
		if (*fmt && fmt_convert(&out, &spec, *fmt, &args)) {
			fmt++;
			continue;
		}
		/* Unknown conversion: print it as is, so the bug shows. */
		while (start < fmt)
			fmt_putc(&out, *start++);
		if (*fmt)
			fmt_putc(&out, *fmt++);
	}
	va_end(args);

	if (size)
		buf[out.pos < size ? out.pos : size - 1] = '\0';
	return out.pos;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
