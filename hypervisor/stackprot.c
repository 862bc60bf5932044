// SPDX-License-Identifier: GPL-2.0
/* Stack-protector support for Debian's libfdt.a, which is built with it. */
#include <hv/printk.h>
#include <asm/processor.h>

/*
 * Our own code is built without the stack protector, but libfdt reads the
 * canary at %fs:0x28.  Every CPU points FS at its per-CPU area, whose
 * stack_canary field sits at that offset (checked in percpu.h).
 */
__noreturn void __stack_chk_fail(void);

__noreturn void __stack_chk_fail(void)
{
	pr_err("stack smashing detected in libfdt, CPU halted\n");
	halt_forever();
	__builtin_unreachable();
}
