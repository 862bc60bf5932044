// SPDX-License-Identifier: GPL-2.0
/* Console output: polled 16550 UART plus a ring buffer Linux can read later. */
#include <hv/printk.h>
#include <hv/setup.h>
#include <hv/spinlock.h>
#include <cellvisor/console.h>
#include <asm/processor.h>

#define UART_THR	0
#define UART_LSR	5
#define UART_LSR_THRE	0x20

static u16 console_port;
static spinlock_t console_lock;
/* Read by the CONSOLE_READ hypercall (console.c) and, later, the driver. */
struct cellvisor_console_ring console_ring;
_Static_assert(HV_CONSOLE_RING_SIZE == CELLVISOR_CONSOLE_RING_SIZE,
	       "one ring size for hypervisor and driver");

/*
 * Linux has already programmed the UART (baud rate, line control) when the
 * hypervisor starts, so it is used as found: reprogramming it would break
 * the root cell's own console on the same port.
 */
void console_init(u16 uart_port)
{
	console_port = uart_port;
	hv_header.console_offset = (u64)&console_ring - (u64)&hv_header;
}

static void uart_putc(char c)
{
	unsigned int spins = 100000;

	while (!(inb(console_port + UART_LSR) & UART_LSR_THRE) && --spins)
		cpu_relax();
	outb(console_port + UART_THR, c);
}

void console_putc(char c)
{
	console_ring.buf[console_ring.head % HV_CONSOLE_RING_SIZE] = c;
	/* Readers load head, then bytes: the byte must be stored first. */
	asm volatile("" ::: "memory");
	WRITE_ONCE(console_ring.head, console_ring.head + 1);
	if (!console_port)
		return;
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
}

struct outbuf {
	char *buf;
	size_t size, len;
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_number(struct outbuf *o, u64 v, unsigned int base,
		       bool neg, int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	for (; width > n; width--)
		out_char(o, pad);
	while (n)
		out_char(o, tmp[--n]);
}

static u64 fetch_arg(va_list *ap, int longs, bool is_signed, bool *neg)
{
	s64 s;

	*neg = false;
	if (!is_signed)
		return longs ? va_arg(*ap, u64) : va_arg(*ap, unsigned int);
	s = longs ? va_arg(*ap, s64) : va_arg(*ap, int);
	if (s < 0) {
		*neg = true;
		return -(u64)s;
	}
	return s;
}

static const char *format_one(struct outbuf *o, const char *f, va_list *ap)
{
	int width = 0, longs = 0;
	char pad = ' ';
	const char *s;
	bool neg;
	u64 v;

	if (*f == '0')
		pad = '0';
	while (*f >= '0' && *f <= '9')
		width = width * 10 + *f++ - '0';
	while (*f == 'l') {
		longs++;
		f++;
	}
	switch (*f) {
	case 'd':
		v = fetch_arg(ap, longs, true, &neg);
		out_number(o, v, 10, neg, width, pad);
		break;
	case 'u':
	case 'x':
		v = fetch_arg(ap, longs, false, &neg);
		out_number(o, v, *f == 'x' ? 16 : 10, false, width, pad);
		break;
	case 'p':
		out_char(o, '0');
		out_char(o, 'x');
		out_number(o, (u64)va_arg(*ap, void *), 16, false, 16, '0');
		break;
	case 'c':
		out_char(o, (char)va_arg(*ap, int));
		break;
	case 's':
		for (s = va_arg(*ap, const char *); s && *s; s++)
			out_char(o, *s);
		break;
	case '%':
		out_char(o, '%');
		break;
	default:
		return f;	/* unknown conversion: drop it */
	}
	return f + 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { .buf = buf, .size = size };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = format_one(&o, fmt + 1, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void printk(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	spin_lock(&console_lock);
	for (i = 0; line[i]; i++)
		console_putc(line[i]);
	spin_unlock(&console_lock);
}
