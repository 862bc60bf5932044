// SPDX-License-Identifier: GPL-2.0
/* printk and panic on the serial console; a lock keeps CPUs' lines apart. */
#include <inmate.h>

static struct spinlock printk_lock;

int vprintk(const char *fmt, va_list ap)
{
	char buf[256];
	int len;

	len = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	spin_lock(&printk_lock);
	console_write(buf, len < (int)sizeof(buf) ? (size_t)len :
		      sizeof(buf) - 1);
	spin_unlock(&printk_lock);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vprintk(fmt, ap);
	va_end(ap);
	return len;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printk("PANIC: ");
	vprintk(fmt, ap);
	va_end(ap);
	inmate_halt();
}
