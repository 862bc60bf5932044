/* SPDX-License-Identifier: GPL-2.0 */
/* Hypervisor console: 16550 UART plus an in-memory ring (printk.c). */
#ifndef _HV_PRINTK_H
#define _HV_PRINTK_H

#include <stdarg.h>
#include <hv/types.h>

#define HV_CONSOLE_RING_SIZE	8192

struct cell;

void console_init(u16 uart_port);
/* The root's characters (DEBUG_PUTC hypercall), unmarked. */
void console_putc(char c);
/*
 * A cell's characters (DEBUG_PUTC, its virtual console UART): each line
 * goes out whole as "[NAME] text", sanitised (hv/console_line.h).
 */
void console_cell_putc(const struct cell *c, char ch);
/* The cell stopped: its unfinished line goes out, marked as cut. */
void console_cell_flush(const struct cell *c);
/*
 * Every line the hypervisor prints starts with "Cellvisor: " (pr_info,
 * pr_err), never with "[": that is how cells' lines are told apart.
 */
__printf(1, 2) void printk(const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);

#define pr_info(fmt, ...)	printk("Cellvisor: " fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk("Cellvisor: ERROR: " fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk("Cellvisor: WARNING: " fmt, ##__VA_ARGS__)

#endif
