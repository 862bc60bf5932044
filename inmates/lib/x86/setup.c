// SPDX-License-Identifier: GPL-2.0
/* C side of boot: command line, console, IDT, inmate_main(); halt loop. */
#include <inmate.h>

void inmate_setup(void);

#ifndef INMATE_CMDLINE_DEFAULT
#define INMATE_CMDLINE_DEFAULT	""
#endif

/*
 * Lives at INMATE_CMDLINE_ADDR (linker script) so a loader can overwrite it
 * after loading the image; not const, so the compiler never folds it.
 */
char inmate_cmdline[INMATE_CMDLINE_SIZE] __attribute__((section(".cmdline")))
	= INMATE_CMDLINE_DEFAULT;

void inmate_halt(void)
{
	for (;;)
		asm volatile("cli; hlt" : : : "memory");
}

void inmate_setup(void)
{
	/* A loader need not NUL-terminate: never read past the buffer. */
	inmate_cmdline[INMATE_CMDLINE_SIZE - 1] = '\0';
	serial_init(cmdline_parse_int(inmate_cmdline, "console",
				      INMATE_CONSOLE_PORT));
	int_init();
	inmate_main();
}
