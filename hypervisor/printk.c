// SPDX-License-Identifier: GPL-2.0
/* Console output: polled 16550 UART plus a ring buffer Linux can read later. */
#include <hv/cell.h>
#include <hv/console_line.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <hv/spinlock.h>
#include <cellvisor/console.h>
#include <asm/processor.h>

#define UART_THR	0
#define UART_LSR	5
#define UART_LSR_THRE	0x20

static u16 console_port;
/* Orders whole lines: the ring, the UART, console_mid_line, cell_lines. */
static spinlock_t console_lock;
/* The last character written was not a '\n'. */
static bool console_mid_line;
/* Each cell's unfinished line, by cell id - 1. */
static struct console_line cell_lines[CELL_MAX];
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

/* Called with console_lock. */
static void ring_putc(char c)
{
	console_ring.buf[console_ring.head % HV_CONSOLE_RING_SIZE] = c;
	/* Readers load head, then bytes: the byte must be stored first. */
	asm volatile("" ::: "memory");
	WRITE_ONCE(console_ring.head, console_ring.head + 1);
	console_mid_line = c != '\n';
	if (!console_port)
		return;
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
}

/*
 * A line of the hypervisor's or a cell's starts a line of its own, even
 * after the root's DEBUG_PUTC left one unfinished or a printk was cut at
 * its buffer's end: so a line's first characters are always its marker.
 * Called with console_lock.
 */
static void console_write_line(const char *line)
{
	if (console_mid_line && *line)
		ring_putc('\n');
	while (*line)
		ring_putc(*line++);
}

/* The root's characters (DEBUG_PUTC), as they come. */
void console_putc(char c)
{
	spin_lock(&console_lock);
	ring_putc(c);
	spin_unlock(&console_lock);
}

static struct console_line *cell_line(const struct cell *c)
{
	if (c->id < 1 || c->id > CELL_MAX)
		return NULL;
	return &cell_lines[c->id - 1];
}

/*
 * A cell's characters go out one whole line at a time, marked with its
 * name (hv/console_line.h): a cell cannot print a line that reads as the
 * hypervisor's, and no other output lands inside its line.  The CPUs of
 * an SMP cell share the line; the lock orders their characters.
 */
void console_cell_putc(const struct cell *c, char ch)
{
	struct console_line *l = cell_line(c);
	char line[CONSOLE_LINE_OUT_MAX];

	if (!l)
		return;
	spin_lock(&console_lock);
	if (console_line_putc(l, c->cfg.name, ch, line))
		console_write_line(line);
	spin_unlock(&console_lock);
}

/*
 * The cell stopped: what it left of a line goes out now, marked as cut,
 * rather than at the start of its next run's first line (or of the next
 * cell with this id).
 */
void console_cell_flush(const struct cell *c)
{
	struct console_line *l = cell_line(c);
	char line[CONSOLE_LINE_OUT_MAX];

	if (!l)
		return;
	spin_lock(&console_lock);
	if (console_line_flush(l, c->cfg.name, line))
		console_write_line(line);
	spin_unlock(&console_lock);
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

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	spin_lock(&console_lock);
	console_write_line(line);
	spin_unlock(&console_lock);
}
