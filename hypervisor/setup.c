// SPDX-License-Identifier: GPL-2.0
/* Enable-time entry: rendezvous of all CPUs, global and per-CPU setup. */
#include <libfdt.h>
#include <string.h>
#include <cellvisor/config.h>
#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/iommu.h>
#include <hv/paging.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <hv/spinlock.h>
#include <hv/sysconfig.h>
#include <asm/processor.h>

#include "config.h"

#define DEFAULT_CONSOLE_PORT	0x3f8

struct hv_info hv;

/* Zeroed by the driver with the rest of .bss before every enable. */
static struct {
	volatile u32 global_done;	/* 1 when global setup finished */
	volatile int error;		/* first error of any CPU */
	volatile u32 prepared;		/* CPUs past arch_cpu_init */
	volatile u32 left;		/* CPUs that left after an error */
} entry_sync;

static void record_error(int err)
{
	int zero = 0;

	if (err)
		__atomic_compare_exchange_n(&entry_sync.error, &zero, err,
					    false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
}

static void wait_for_count(volatile u32 *count, u32 target)
{
	while (__atomic_load_n(count, __ATOMIC_ACQUIRE) < target)
		cpu_relax();
}

/* Needs no relocation: uses only the header, reached PC-relatively. */
struct per_cpu *per_cpu(unsigned int cpu)
{
	const struct cellvisor_launch *l = &hv_header.launch;

	return (struct per_cpu *)(l->region_virt + l->percpu_offset +
				  (u64)cpu * hv_header.percpu_size);
}

u64 entry_stack_top(unsigned int cpu);
u64 entry_stack_top(unsigned int cpu)
{
	if (cpu >= hv_header.launch.online_cpus || cpu >= hv_header.max_cpus)
		return 0;
	return (u64)per_cpu(cpu)->stack + HV_STACK_SIZE;
}

/* Port 0 (type "none") keeps messages in the ring only. */
static u16 config_console_port(const struct cfg_system *sys)
{
	if (sys->console_type != CFG_CONSOLE_TYPE_8250)
		return 0;
	return (u16)sys->console_port;
}

static int global_setup(void)
{
	const struct cellvisor_launch *l = &hv_header.launch;
	u64 pool_start;
	int err;

	err = reloc_apply(l->region_virt);
	if (err)
		return err;
	hv.region_phys = l->region_phys;
	hv.region_virt = l->region_virt;
	hv.region_size = l->region_size;
	hv.config = (const void *)(l->region_virt + l->config_offset);
	hv.config_size = l->config_size;
	hv.entry_root = (const u64 *)l->entry_root;
	hv.leave_entry = l->leave_entry;
	hv.cpus = l->online_cpus;
	cell_root_cpus_init();

	/* Until the config is trusted, errors go to the default port. */
	console_init(DEFAULT_CONSOLE_PORT);
	pool_start = l->percpu_offset + (u64)hv_header.percpu_size * hv.cpus;
	if (pool_start >= hv.region_size)
		return -ENOMEM;
	err = page_pool_init((void *)(hv.region_virt + pool_start),
			     (hv.region_size - pool_start) / PAGE_SIZE);
	if (err)
		return err;
	err = sysconfig_load();
	if (err)
		return err;
	hv.console_port = config_console_port(sys_config);
	console_init(hv.console_port);
	/* A rate the config states wins over the one Linux calibrated. */
	hv.tsc_khz = sys_config->tsc_khz ? sys_config->tsc_khz : l->tsc_khz;
	pr_info("enabling on %u CPUs, region 0x%lx+0x%lx at %p\n", hv.cpus,
		hv.region_phys, hv.region_size, (void *)hv.region_virt);
	err = arch_global_init();
	return err ? err : iommu_enable();
}

static void init_per_cpu(struct per_cpu *pc, unsigned int cpu, u64 *frame,
			 u64 linux_cr3)
{
	pc->self = pc;
	pc->cpu_index = cpu;
	pc->linux_frame = frame;
	pc->linux_cr3 = linux_cr3;
	pc->stack_canary = rdtsc() * 0x9e3779b97f4a7c15ULL;
	pc->linux_fs_base = rdmsr(MSR_FS_BASE);
	wrmsr(MSR_FS_BASE, (u64)pc);
}

/*
 * Called by entry.S on every online CPU at once, on the CPU's hypervisor
 * stack.  @frame points at Linux's callee-saved registers and return
 * address, @linux_cr3 is the CR3 Linux had before the driver switched to
 * the entry page tables.  Returns only on failure, with the same error on
 * every CPU; on success Linux resumes as a guest at the return address
 * with 0.
 */
int entry_c(unsigned int cpu, u64 *frame, u64 linux_cr3);
int entry_c(unsigned int cpu, u64 *frame, u64 linux_cr3)
{
	struct per_cpu *pc = per_cpu(cpu);
	int err;

	init_per_cpu(pc, cpu, frame, linux_cr3);
	if (cpu == 0) {
		record_error(global_setup());
		__atomic_store_n(&entry_sync.global_done, 1, __ATOMIC_RELEASE);
	} else {
		wait_for_count(&entry_sync.global_done, 1);
	}

	if (!READ_ONCE(entry_sync.error))
		record_error(arch_cpu_init(pc));
	__atomic_fetch_add(&entry_sync.prepared, 1, __ATOMIC_ACQ_REL);
	wait_for_count(&entry_sync.prepared, hv.cpus ? hv.cpus :
		       hv_header.launch.online_cpus);

	err = READ_ONCE(entry_sync.error);
	if (!err)
		arch_cpu_activate(pc);

	arch_cpu_undo(pc);
	if (cpu == 0) {
		iommu_disable();	/* the units as Linux left them */
		pr_err("enable failed (%d), Linux continues unchanged\n", err);
	}
	wrmsr(MSR_FS_BASE, pc->linux_fs_base);
	return err;
}
