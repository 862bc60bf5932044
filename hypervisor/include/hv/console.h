/* SPDX-License-Identifier: GPL-2.0 */
/* Console ring readout and root exit statistics (console.c). */
#ifndef _HV_CONSOLE_H
#define _HV_CONSOLE_H

#include <hv/percpu.h>

/* Counts a root exit of @pc by CELLVISOR_EXIT_* reason (cell.h). */
void console_count_root_exit(struct per_cpu *pc, unsigned int reason);
/* CELLVISOR_HC_CONSOLE_READ: fills the root page at @pa from @pos. */
s64 console_read_hc(u64 pa, u64 pos);
/* CELLVISOR_HC_ROOT_STATS: the root exit counters of @cpu at @pa. */
s64 console_root_stats_hc(u64 pa, u64 cpu);

#endif
