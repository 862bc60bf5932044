// SPDX-License-Identifier: GPL-2.0
/* Start the cell's other CPUs with INIT/SIPI into .ap_boot, then a function. */
#include <inmate.h>

#define ICR_INIT		(5U << 8)
#define ICR_STARTUP		(6U << 8)
#define ICR_LEVEL_ASSERT	(1U << 14)
#define ICR_ALL_BUT_SELF	(3U << 18)

#define SMP_INIT_DELAY_US	10000	/* INIT to first SIPI, per the SDM */
#define SMP_SIPI_DELAY_US	200

void smp_ap_entry(unsigned int slot);

extern const char ap_entry[];
extern char inmate_stacks[];

/* Next free CPU slot; APs take theirs with lock xadd in entry.S. */
volatile uint32_t smp_next_slot;
static volatile unsigned int smp_online_aps;
static void (*volatile smp_ap_main)(unsigned int cpu);

/* Each CPU runs on the stack of its slot, so the stack tells the slot. */
unsigned int smp_this_cpu(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

	return (sp - (uintptr_t)inmate_stacks) / INMATE_STACK_SIZE;
}

/* First C code of an AP, on its own stack; returning parks the CPU. */
void smp_ap_entry(unsigned int slot)
{
	int_init();
	apic_init();
	__atomic_fetch_add(&smp_online_aps, 1, __ATOMIC_SEQ_CST);
	if (smp_ap_main)
		smp_ap_main(slot);
}

/*
 * Wake every other CPU of the cell (INIT, SIPI, SIPI to "all but self": the
 * hypervisor limits the broadcast to the cell's own CPUs) and wait until
 * @expected CPUs in all are up, or @timeout_ms passed when the count is not
 * known (@expected 0). Returns the number of CPUs online, this one included.
 * Call once, after apic_init(), from the boot CPU.
 */
unsigned int smp_start_cpus(void (*ap_main)(unsigned int cpu),
			    unsigned int expected, unsigned int timeout_ms)
{
	uint32_t sipi = ICR_ALL_BUT_SELF | ICR_STARTUP |
			((uintptr_t)ap_entry >> 12);
	uint64_t deadline;
	int i;

	smp_ap_main = ap_main;
	smp_next_slot = 1;
	apic_send_ipi(0, ICR_ALL_BUT_SELF | ICR_INIT | ICR_LEVEL_ASSERT);
	udelay(SMP_INIT_DELAY_US);
	/* A CPU that took the first SIPI ignores the second. */
	for (i = 0; i < 2; i++) {
		apic_send_ipi(0, sipi);
		udelay(SMP_SIPI_DELAY_US);
	}

	deadline = rdtsc() + ns_to_tsc((uint64_t)timeout_ms * 1000000);
	while (!expected || smp_online_aps + 1 < expected) {
		if (rdtsc() > deadline)
			break;
		cpu_relax();
	}
	return smp_online_aps + 1;
}
