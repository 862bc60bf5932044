/* SPDX-License-Identifier: GPL-2.0 */
/* Hooks the generic core calls into the architecture layer. */
#ifndef _HV_ARCH_H
#define _HV_ARCH_H

#include <hv/percpu.h>

/* Once, on the first CPU, after the page pool exists. */
int arch_global_init(void);
/* Every CPU: check and prepare; nothing visible to Linux changes for good. */
int arch_cpu_init(struct per_cpu *pc);
/* Every CPU, when any CPU failed arch_cpu_init: back to Linux's state. */
void arch_cpu_undo(struct per_cpu *pc);
/* Every CPU: switch to hypervisor state and resume Linux as a guest. */
__noreturn void arch_cpu_activate(struct per_cpu *pc);

#endif
