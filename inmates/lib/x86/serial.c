// SPDX-License-Identifier: GPL-2.0
/* Polled 16550 UART console: 115200 8N1, no interrupts, no FIFO tricks. */
#include <inmate.h>

#define UART_THR	0	/* transmit holding (DLAB = 0) */
#define UART_DLL	0	/* divisor low (DLAB = 1) */
#define UART_IER	1
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5

#define UART_LCR_8N1	0x03
#define UART_LCR_DLAB	0x80
#define UART_FCR_INIT	0x07	/* enable and clear both FIFOs */
#define UART_MCR_DTR_RTS 0x03
#define UART_LSR_THRE	0x20

/* Bound the wait so a missing UART slows output down instead of hanging. */
#define UART_TX_SPINS	100000

static uint16_t serial_port;

void serial_init(uint16_t port)
{
	serial_port = port;
	if (!port)
		return;
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, UART_LCR_DLAB);
	outb(port + UART_DLL, 1);	/* 115200 baud */
	outb(port + UART_DLM, 0);
	outb(port + UART_LCR, UART_LCR_8N1);
	outb(port + UART_FCR, UART_FCR_INIT);
	outb(port + UART_MCR, UART_MCR_DTR_RTS);
}

void serial_putc(char c)
{
	unsigned int spins = UART_TX_SPINS;

	if (!serial_port)
		return;
	while (!(inb(serial_port + UART_LSR) & UART_LSR_THRE) && --spins)
		cpu_relax();
	outb(serial_port + UART_THR, c);
}

void console_write(const char *s, size_t len)
{
	while (len--) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s++);
	}
}
