// SPDX-License-Identifier: GPL-2.0
/* Hypercall dispatch for the root cell (DISABLE, INFO, debug console). */
#include <hv/cell.h>
#include <hv/console.h>
#include <hv/control.h>
#include <hv/iommu.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <cellvisor/hypercall.h>

static u64 total_exits(void)
{
	u64 sum = 0;
	unsigned int cpu;

	/* Racy reads of other CPUs' counters are fine for statistics. */
	for (cpu = 0; cpu < hv.cpus; cpu++)
		sum += READ_ONCE(per_cpu(cpu)->exits);
	return sum;
}

static s64 hc_info(struct per_cpu *pc, u64 what)
{
	switch (what) {
	case CELLVISOR_INFO_ABI_VERSION:
		return CELLVISOR_ABI_VERSION;
	case CELLVISOR_INFO_CPUS:
		return hv.cpus;
	case CELLVISOR_INFO_EXITS:
		return total_exits();
	case CELLVISOR_INFO_CPU_EXITS:
		return pc->exits;
	case CELLVISOR_INFO_TSC_KHZ:
		return hv.tsc_khz ? (s64)hv.tsc_khz : -ENOENT;
	}
	return -EINVAL;
}

/*
 * Only the root cell exists for now, so every caller is root.  DISABLE
 * does not leave here: it marks the CPU and the vendor code leaves after
 * writing the result, because leaving needs the guest register state.
 */
s64 hypercall(struct per_cpu *pc, u64 nr, u64 arg0, u64 arg1)
{
	/* Root hypercalls (cell management too) report the units' faults. */
	iommu_poll_faults(false);
	switch (nr) {
	case CELLVISOR_HC_DISABLE:
		/* The first CPU turns the units off; the driver refuses
		 * disable while cells exist. */
		iommu_disable();
		pc->leave = true;
		return 0;
	case CELLVISOR_HC_INFO:
		return hc_info(pc, arg0);
	case CELLVISOR_HC_DEBUG_PUTC:
		console_putc((char)arg0);
		return 0;
	case CELLVISOR_HC_CONSOLE_READ:
		return console_read_hc(arg0, arg1);
	case CELLVISOR_HC_ROOT_STATS:
		return console_root_stats_hc(arg0, arg1);
	}
	return cell_hypercall(pc, nr, arg0, arg1);
}
