// SPDX-License-Identifier: GPL-2.0
/* IDT and interrupt dispatch; an unhandled vector is reported, then halt. */
#include <inmate.h>
#include "boot.h"

#define INT_STUB_SIZE	16
#define IDT_TYPE_INTR	0x8e	/* present, DPL 0, 64-bit interrupt gate */
#define X86_PF_VECTOR	14

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __packed;

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

extern const char int_stubs[];
void int_dispatch(struct int_frame *frame);

static struct idt_entry idt[256] __aligned(16);
static int_handler_t int_handlers[256];

static const char *const exception_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "RSV",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "RSV", "RSV",
	"RSV", "RSV", "RSV", "RSV", "#HV", "#VC", "#SX", "RSV",
};

static void idt_set_gate(unsigned int vector, uint64_t addr)
{
	struct idt_entry *e = &idt[vector];

	e->offset_lo = addr & 0xffff;
	e->selector = BOOT_CS64;
	e->ist = 0;
	e->type = IDT_TYPE_INTR;
	e->offset_mid = (addr >> 16) & 0xffff;
	e->offset_hi = addr >> 32;
	e->reserved = 0;
}

/* Called on every CPU: the table is shared, the load is per CPU. */
void int_init(void)
{
	struct idt_ptr ptr = {
		.limit = sizeof(idt) - 1,
		.base = (uintptr_t)idt,
	};
	unsigned int v;

	if (!idt[0].type)
		for (v = 0; v < ARRAY_SIZE(idt); v++)
			idt_set_gate(v, (uintptr_t)int_stubs +
				     v * INT_STUB_SIZE);
	asm volatile("lidt %0" : : "m"(ptr));
}

void int_set_handler(unsigned int vector, int_handler_t handler)
{
	if (vector < ARRAY_SIZE(int_handlers))
		int_handlers[vector] = handler;
}

/* Append to a report buffer; never past its end, whatever was cut. */
static size_t __printf(4, 5) int_append(char *buf, size_t size, size_t len,
					const char *fmt, ...)
{
	va_list ap;
	int n;

	if (len >= size - 1)
		return len;
	va_start(ap, fmt);
	n = fmt_vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	len += n;
	return len < size - 1 ? len : size - 1;
}

/*
 * Format the whole report first and write it without printk's lock: the
 * fault may have hit inside printk on this very CPU, holding the lock.
 */
static void int_report(const struct int_frame *f)
{
	char buf[256];
	size_t n;

	if (f->vector < 32)
		n = int_append(buf, sizeof(buf), 0,
			       "EXCEPTION %lu (%s) at RIP 0x%lx, error code 0x%lx",
			       f->vector, exception_names[f->vector], f->rip,
			       f->error);
	else
		n = int_append(buf, sizeof(buf), 0,
			       "UNEXPECTED INTERRUPT %lu at RIP 0x%lx",
			       f->vector, f->rip);
	if (f->vector == X86_PF_VECTOR)
		n = int_append(buf, sizeof(buf), n, ", CR2 0x%lx", read_cr(2));
	n = int_append(buf, sizeof(buf), n,
		       "\nRSP 0x%lx RFLAGS 0x%lx RAX 0x%lx RBX 0x%lx RCX 0x%lx\n",
		       f->rsp, f->rflags, f->rax, f->rbx, f->rcx);
	console_write(buf, n);
}

void int_dispatch(struct int_frame *frame)
{
	int_handler_t handler = int_handlers[frame->vector & 0xff];

	if (handler) {
		handler(frame);
		return;
	}
	/* An inmate that did not expect this cannot sensibly continue. */
	int_report(frame);
	inmate_halt();
}
