// SPDX-License-Identifier: GPL-2.0
/* Root-only hypercalls: read the console ring, read root exit statistics. */
#include <string.h>
#include <hv/cell.h>
#include <hv/console.h>
#include <hv/setup.h>
#include <cellvisor/console.h>

extern struct cellvisor_console_ring console_ring;

/* Root exits per CPU and reason; cells count their own (cell.c). */
static u64 root_exits[CELLVISOR_MAX_CPUS][CELLVISOR_EXIT_REASONS];

_Static_assert(CELLVISOR_ROOT_STATS_REASONS == CELLVISOR_EXIT_REASONS,
	       "root statistics use the cell exit reasons");
_Static_assert(sizeof(struct cellvisor_console_read) +
	       CELLVISOR_CONSOLE_READ_MAX == PAGE_SIZE,
	       "a console read fills one page");

void console_count_root_exit(struct per_cpu *pc, unsigned int reason)
{
	if (reason >= CELLVISOR_EXIT_REASONS || cell_cpu(pc)->in_cell)
		return;
	root_exits[pc->cpu_index][reason]++;
}

/*
 * The root's own page at @pa, or NULL.  The root names a physical address,
 * so the page may be neither hypervisor memory nor a cell's: the copy
 * would otherwise let the root write where it cannot.  Cells come and go
 * only through root hypercalls, which the driver serialises with this one.
 */
static void *root_page(u64 pa)
{
	if (pa & (PAGE_SIZE - 1))
		return NULL;
	if (pa < hv.region_phys + hv.region_size &&
	    hv.region_phys < pa + PAGE_SIZE)
		return NULL;
	if (cell_owning(pa))
		return NULL;
	if (phys_window_init())
		return NULL;
	return phys_ptr(pa);
}

s64 console_read_hc(u64 pa, u64 pos)
{
	struct cellvisor_console_read *r = root_page(pa);

	if (!r)
		return -EINVAL;
	cellvisor_console_copy(&console_ring, pos, r->data,
			       CELLVISOR_CONSOLE_READ_MAX, r);
	return r->len;
}

s64 console_root_stats_hc(u64 pa, u64 cpu)
{
	u64 *out = root_page(pa);
	unsigned int i;

	if (!out || cpu >= hv.cpus)
		return -EINVAL;
	/* Racy reads of other CPUs' counters are fine for statistics. */
	for (i = 0; i < CELLVISOR_EXIT_REASONS; i++)
		out[i] = READ_ONCE(root_exits[cpu][i]);
	return CELLVISOR_EXIT_REASONS;
}
