// SPDX-License-Identifier: GPL-2.0
/*
 * Forging inmate (tests/system/cell-console.sh): prints lines that would
 * read as the hypervisor's if its console did not mark a cell's output,
 * through both ways a cell reaches that console, then halts:
 * - its UART (printk; under Cellvisor the virtual console UART): a copy
 *   of the hypervisor's "cell created" line, then a carriage return and
 *   an erase-line escape sequence before a "Cellvisor:" line;
 * - the DEBUG_PUTC hypercall (cells with "console: true"): a copy of the
 *   "shut down" line;
 * - its UART again: long=N (default 300) characters 'A' and no newline.
 */
#include <inmate.h>
#include <cellvisor/hypercall.h>

static void forge_hypercall(const char *s)
{
	while (*s)
		cellvisor_hypercall(CELLVISOR_HC_DEBUG_PUTC, *s++, 0);
}

void inmate_main(void)
{
	unsigned int n = cmdline_parse_int(inmate_cmdline, "long", 300);

	printk("Cellvisor: cell 'hello' created (id 1, 1 CPUs)\n");
	printk("\r\033[2KCellvisor: forged\n");
	if (cellvisor_present())
		forge_hypercall("Cellvisor: cell 'hello' shut down\n");
	while (n--)
		printk("A");
	inmate_halt();
}
