// SPDX-License-Identifier: GPL-2.0
/*
 * SMP demo: start every CPU of the cell (INIT/SIPI, which the hypervisor
 * keeps inside the cell), then pass a token around them as fixed IPIs:
 * each CPU that takes it sends it on to the next. Options: cpus=N (wait
 * for N CPUs; default: those that answer within a second), rounds=N (100).
 * Prints "smp: IPI ring: ... PASS" when every CPU took the token once per
 * round; with a comm page it then agrees to the next shutdown request.
 */
#include <inmate.h>

#define RING_VECTOR		0x40
#define RING_WAIT_MS		1000

static volatile uint32_t ring_apic_id[INMATE_MAX_CPUS];
static volatile unsigned int ring_taken[INMATE_MAX_CPUS];
static volatile unsigned int ring_ready, ring_hops, ring_cpus, ring_total;

static void ring_pass(unsigned int from)
{
	apic_send_ipi(ring_apic_id[(from + 1) % ring_cpus], RING_VECTOR);
}

/* The k-th hop lands on CPU k mod n: the last one on the boot CPU. */
static void ring_ipi(struct int_frame *frame)
{
	unsigned int cpu = smp_this_cpu();

	(void)frame;
	ring_taken[cpu]++;
	apic_eoi();
	if (__atomic_add_fetch(&ring_hops, 1, __ATOMIC_SEQ_CST) < ring_total)
		ring_pass(cpu);
}

static void __noreturn ring_ap(unsigned int cpu)
{
	ring_apic_id[cpu] = apic_id();
	__atomic_fetch_add(&ring_ready, 1, __ATOMIC_SEQ_CST);
	for (;;)
		irq_enable_and_halt();
}

static bool ring_run(unsigned int n, unsigned int rounds)
{
	unsigned int i;
	bool ok = true;

	ring_cpus = n;
	ring_total = n * rounds;
	irq_disable();
	ring_pass(0);
	while (ring_hops < ring_total) {
		irq_enable_and_halt();
		irq_disable();
	}
	printk("smp: IPI ring: %u rounds on %u CPUs, taken", rounds, n);
	for (i = 0; i < n; i++) {
		printk(" %u", ring_taken[i]);
		ok = ok && ring_taken[i] == rounds;
	}
	printk(" times\n");
	return ok;
}

void inmate_main(void)
{
	unsigned int expected = cmdline_parse_int(inmate_cmdline, "cpus", 0);
	unsigned int rounds = cmdline_parse_int(inmate_cmdline, "rounds", 100);
	unsigned int n, i;
	bool ok;

	if (apic_init())
		panic("smp: no local APIC\n");
	int_set_handler(RING_VECTOR, ring_ipi);
	ring_apic_id[0] = apic_id();
	n = smp_start_cpus(ring_ap, expected, RING_WAIT_MS);
	while (ring_ready + 1 < n)
		cpu_relax();
	printk("smp: %u CPUs online, APIC IDs", n);
	for (i = 0; i < n; i++)
		printk(" %u", ring_apic_id[i]);
	printk("\n");
	ok = (!expected || n == expected) && rounds && ring_run(n, rounds);
	printk("smp: IPI ring: %s\n", ok ? "PASS" : "FAILED");
	if (comm_page())
		comm_wait_for_shutdown();
}
