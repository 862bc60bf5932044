// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual console UART: a cell that owns the debug console's ports
 * writes characters to the hypervisor console.  Reprogramming the real
 * UART under Linux's driver (IER, divisor) would stall Linux's own
 * output.  Transmit is always ready; the line control register is kept
 * so DLAB writes are no text.  Byte accesses only; anything else gets
 * the cell's rule (FAILED).
 */
#include <hv/cell.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <asm/pc_legacy.h>

#define UART_THR		0
#define UART_LCR		3
#define UART_LSR		5
#define UART_LCR_DLAB		0x80
#define UART_LSR_IDLE		0x60	/* THR empty, sender idle */
#define UART_PORTS		8u

struct console_uart {
	u8 lcr;
};

static enum dev_result console_uart_access(const struct dev_call *call,
					   struct dev_access *a)
{
	struct console_uart *u = call->priv;
	u32 reg = a->addr - hv.console_port;
	u8 val = a->val;

	if (a->size != 1)
		return DEV_REFUSED;
	if (a->write) {
		if (reg == UART_LCR)
			u->lcr = val;
		else if (reg == UART_THR && !(u->lcr & UART_LCR_DLAB))
			console_cell_putc(call->cell, val);
		return DEV_DONE;
	}
	a->val = reg == UART_LSR ? UART_LSR_IDLE :
		 reg == UART_LCR ? u->lcr : 0;
	return DEV_DONE;
}

static const struct dev_model console_uart_model;

static int console_uart_cell_init(struct cell *c)
{
	struct console_uart *u;

	if (!hv.console_port)
		return 0;
	u = dev_alloc(c, sizeof(*u));
	if (!u)
		return -ENOMEM;
	return pio_claim(c, hv.console_port, UART_PORTS, true,
			 &console_uart_model, u);
}

static void console_uart_reset(struct cell *c)
{
	struct console_uart *u = dev_priv(c, &console_uart_model);

	if (u)
		u->lcr = 0;
}

static const struct dev_model console_uart_model = {
	.name = "console-uart",
	.cell_init = console_uart_cell_init,
	.reset = console_uart_reset,
	.access = console_uart_access,
};
DEV_MODEL(console_uart_model);
