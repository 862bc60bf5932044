// SPDX-License-Identifier: GPL-2.0
/* Conformance inmate: INIT/SIPI start of the other CPUs; "cpus=N" expected. */
#include <inmate.h>

static volatile uint32_t smp_apic_ids[INMATE_MAX_CPUS];
static volatile unsigned int smp_reported;

static void smp_test_ap(unsigned int cpu)
{
	/* Prove the AP runs on its own stack slot and can take interrupts. */
	smp_apic_ids[cpu] = apic_id();
	printk("smp: CPU %u (APIC ID %u, slot by stack %u) online\n", cpu,
	       apic_id(), smp_this_cpu());
	asm volatile("int3");
	__atomic_fetch_add(&smp_reported, 1, __ATOMIC_SEQ_CST);
}

static volatile unsigned int smp_breakpoints;

static void smp_bp(struct int_frame *frame)
{
	(void)frame;
	__atomic_fetch_add(&smp_breakpoints, 1, __ATOMIC_SEQ_CST);
}

void inmate_main(void)
{
	unsigned int expected = cmdline_parse_int(inmate_cmdline, "cpus", 0);
	unsigned int n, i, j;
	bool ok;

	if (apic_init())
		panic("smp: no local APIC\n");
	int_set_handler(3, smp_bp);
	smp_apic_ids[0] = apic_id();
	printk("smp: boot CPU APIC ID %u, %s mode, TSC %lu kHz (%s)\n",
	       apic_id(), apic_is_x2apic() ? "x2APIC" : "xAPIC", tsc_khz(),
	       tsc_source_name(tsc_khz_source()));

	n = smp_start_cpus(smp_test_ap, expected, 1000);
	while (smp_reported + 1 < n)
		cpu_relax();
	printk("smp: %u CPUs online, %u breakpoints handled\n", n,
	       smp_breakpoints);

	ok = (!expected || n == expected) && smp_breakpoints == n - 1 &&
	     smp_this_cpu() == 0;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			ok = ok && smp_apic_ids[i] != smp_apic_ids[j];
	printk("smp: %s\n", ok ? "PASS" : "FAILED");
}
