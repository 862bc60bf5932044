/* SPDX-License-Identifier: GPL-2.0 */
/* Ticket-free test-and-set spinlock: the hypervisor never sleeps. */
#ifndef _HV_SPINLOCK_H
#define _HV_SPINLOCK_H

#include <hv/types.h>

typedef struct {
	volatile u32 locked;
} spinlock_t;

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(l->locked))
			cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
