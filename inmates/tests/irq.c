// SPDX-License-Identifier: GPL-2.0
/*
 * IOAPIC pin test: the cell owns COM2 (ports 0x2f8-0x2ff) and the IOAPIC
 * pin of its IRQ (3 on QEMU's ISA serial).  It programs the pin's
 * redirection entry (fixed, its own CPU, edge, vector 0x33), enables the
 * UART's transmitter-empty interrupt and refills the transmitter from the
 * handler, so that every character sent raises the pin again; it counts
 * the interrupts and prints them.  It also reads the entry of a pin it
 * does not own (the hypervisor shows it masked).  See
 * configs/x86/ioapic-com2-qemu.yaml and tests/system/cell-ioapic.sh.
 *
 * Command line:
 *   ioapic=ADDR     the IOAPIC's registers (default 0xfec00000)
 *   pin=N           the pin of COM2's IRQ (default 3)
 *   other=N         a pin the cell does not own (default 4, COM1's)
 *   count=N         interrupts to take (default 100)
 *   hostile=dest    afterwards, aim the pin at APIC ID 0 (the root's boot
 *                   CPU): the hypervisor must stop the cell
 *   hostile=pin     afterwards, program pin `other`: the hypervisor must
 *                   stop the cell
 *   "SURVIVED" after a hostile step says the hypervisor let it through.
 */
#include <inmate.h>

#define COM2			0x2f8
#define UART_THR		0
#define UART_IER		1
#define UART_IIR		2
#define UART_FCR		2
#define UART_LCR		3
#define UART_MCR		4
#define UART_IER_THRI		0x02
#define UART_IIR_ID		0x0f
#define UART_IIR_THRI		0x02
#define UART_LCR_8N1		0x03
#define UART_MCR_OUT2		0x08	/* gates the IRQ line on PCs */

#define IOAPIC_REGSEL		0x00
#define IOAPIC_IOWIN		0x10
#define IOAPIC_RTE(pin)		(0x10 + 2 * (pin))
#define RTE_MASKED		0x10000u

#define IRQ_VECTOR		0x33
#define IRQ_WAIT_NS		2000000000ULL

static volatile uint32_t *ioapic;
static volatile unsigned int irqs, target;
static volatile unsigned int other_iir;

static uint32_t ioapic_read(uint32_t reg)
{
	ioapic[IOAPIC_REGSEL / 4] = reg;
	return ioapic[IOAPIC_IOWIN / 4];
}

static void ioapic_write(uint32_t reg, uint32_t val)
{
	ioapic[IOAPIC_REGSEL / 4] = reg;
	ioapic[IOAPIC_IOWIN / 4] = val;
}

/* High word first, then the low one that unmasks: as Linux does. */
static void rte_set(unsigned int pin, uint32_t dest, uint32_t lo)
{
	ioapic_write(IOAPIC_RTE(pin), RTE_MASKED);
	ioapic_write(IOAPIC_RTE(pin) + 1, dest << 24);
	ioapic_write(IOAPIC_RTE(pin), lo);
}

/* Reading IIR acks the transmitter interrupt; a new byte re-arms it. */
static void com2_irq(struct int_frame *frame)
{
	uint8_t iir = inb(COM2 + UART_IIR);

	(void)frame;
	if ((iir & UART_IIR_ID) == UART_IIR_THRI) {
		irqs++;
		if (irqs < target)
			outb(COM2 + UART_THR, 'i');
	} else {
		other_iir = iir;
	}
	apic_eoi();
}

static void com2_init(void)
{
	outb(COM2 + UART_IER, 0);
	outb(COM2 + UART_LCR, UART_LCR_8N1);
	outb(COM2 + UART_FCR, 0);
	outb(COM2 + UART_MCR, UART_MCR_OUT2);
	inb(COM2 + UART_IIR);
}

static bool irqs_wait(void)
{
	uint64_t start = rdtsc();

	while (irqs < target && rdtsc() - start < ns_to_tsc(IRQ_WAIT_NS))
		cpu_relax();
	return irqs >= target;
}

static void hostile(unsigned int pin, unsigned int other)
{
	const char *what;
	size_t len;

	if (!cmdline_find(inmate_cmdline, "hostile", &what, &len))
		return;
	if (len == 4 && !strncmp(what, "dest", 4)) {
		printk("irq: hostile: pin %u aimed at APIC ID 0\n", pin);
		rte_set(pin, 0, IRQ_VECTOR);
	} else if (len == 3 && !strncmp(what, "pin", 3)) {
		printk("irq: hostile: programming pin %u\n", other);
		rte_set(other, apic_id(), IRQ_VECTOR);
	} else {
		printk("irq: hostile: unknown step (use hostile=dest or "
		       "hostile=pin)\n");
		return;
	}
	printk("irq: hostile: SURVIVED\n");
}

void inmate_main(void)
{
	unsigned int pin = cmdline_parse_int(inmate_cmdline, "pin", 3);
	unsigned int other = cmdline_parse_int(inmate_cmdline, "other", 4);
	uint32_t me;
	bool ok;

	ioapic = (volatile uint32_t *)(uintptr_t)
		cmdline_parse_int(inmate_cmdline, "ioapic", 0xfec00000);
	target = cmdline_parse_int(inmate_cmdline, "count", 100);
	if (apic_init()) {
		printk("irq: no local APIC\n");
		return;
	}
	me = apic_id();
	printk("irq: IOAPIC version 0x%x, pin %u of %u, APIC ID %u\n",
	       ioapic_read(1) & 0xff, pin, ((ioapic_read(1) >> 16) & 0xff) + 1,
	       me);
	printk("irq: pin %u (not ours) reads 0x%x 0x%x\n", other,
	       ioapic_read(IOAPIC_RTE(other)),
	       ioapic_read(IOAPIC_RTE(other) + 1));
	int_set_handler(IRQ_VECTOR, com2_irq);
	com2_init();
	rte_set(pin, me, IRQ_VECTOR);
	printk("irq: pin %u entry 0x%x 0x%x\n", pin,
	       ioapic_read(IOAPIC_RTE(pin)), ioapic_read(IOAPIC_RTE(pin) + 1));
	irq_enable();
	outb(COM2 + UART_IER, UART_IER_THRI);
	ok = irqs_wait();
	outb(COM2 + UART_IER, 0);
	ioapic_write(IOAPIC_RTE(pin), RTE_MASKED | IRQ_VECTOR);
	irq_disable();
	printk("irq: %u interrupts on vector 0x%x from pin %u\n", irqs,
	       IRQ_VECTOR, pin);
	if (other_iir)
		printk("irq: unexpected IIR 0x%x\n", other_iir);
	printk("irq: %s\n", ok ? "PASS" : "FAILED");
	hostile(pin, other);
}
