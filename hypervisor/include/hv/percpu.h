/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU area: one per CPU, carved from the region after the config. */
#ifndef _HV_PERCPU_H
#define _HV_PERCPU_H

#include <hv/types.h>
#include <asm/percpu.h>

#define HV_STACK_SIZE		(6 * PAGE_SIZE)

struct per_cpu {
	union {
		struct {
			struct per_cpu *self;
			u64 linux_fs_base;	/* restored when we give up */
			u64 *linux_frame;	/* Linux regs pushed at entry */
			u64 linux_cr3;
			u64 reserved;
			u64 stack_canary;	/* %fs:0x28, for libfdt */
			unsigned int cpu_index;
			bool leave;		/* DISABLE accepted */
			u64 exits;
			struct arch_per_cpu arch;
		};
		u8 page0[PAGE_SIZE];
	};
	struct arch_per_cpu_pages arch_pages;
	u8 stack[HV_STACK_SIZE] __aligned(PAGE_SIZE);
} __aligned(PAGE_SIZE);

_Static_assert(__builtin_offsetof(struct per_cpu, stack_canary) == 0x28,
	       "libfdt reads the canary at %fs:0x28");

struct per_cpu *per_cpu(unsigned int cpu);

static inline struct per_cpu *this_cpu(void)
{
	struct per_cpu *pc;

	/* FS points at our own per-CPU area whenever hypervisor code runs. */
	asm volatile("mov %%fs:0, %0" : "=r" (pc));
	return pc;
}

#endif
