// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile inmate for containment tests: does one thing a cell must not get
 * away with, chosen on the command line, then says whether it survived:
 *   mem=ADDR   read and write back 8 bytes at guest-physical ADDR (< 4 GiB)
 *   pio=PORT   read and write back one byte at PORT
 *   msr=N      read and write back MSR N
 *   ipi=init|nmi|sipi   broadcast that IPI to all other CPUs, or with
 *              ipi_to=ID send it to the CPU with physical APIC ID ID
 *   hc=N       hypercall N (no arguments), print its result
 *   triple     triple fault (empty IDT, then int3)
 *   spin       busy loop forever with interrupts off (else it halts)
 * Under Cellvisor, "SURVIVED" must not appear for mem, pio, msr outside the
 * cell's resources or an IPI to a CPU of another cell or the root; without
 * a hypervisor everything "survives".
 */
#include <inmate.h>

#define ICR_NMI			(4U << 8)
#define ICR_INIT		(5U << 8)
#define ICR_STARTUP		(6U << 8)
#define ICR_LEVEL_ASSERT	(1U << 14)
#define ICR_ALL_BUT_SELF	(3U << 18)
#define HOSTILE_4G		0x100000000ULL

static bool hostile_arg(const char *name, long long *val)
{
	*val = cmdline_parse_int(inmate_cmdline, name, -1);
	return *val >= 0;
}

static void hostile_mem(uint64_t addr)
{
	volatile uint64_t *p = (volatile uint64_t *)addr;
	uint64_t v;

	if (addr > HOSTILE_4G - 8)
		panic("hostile: mem=0x%lx is not mapped by the library\n",
		      addr);
	printk("hostile: reading 0x%lx\n", addr);
	v = *p;
	printk("hostile: read 0x%lx, writing it back\n", v);
	*p = v;
	printk("hostile: SURVIVED mem=0x%lx\n", addr);
}

static void hostile_pio(uint16_t port)
{
	uint8_t v;

	printk("hostile: reading port 0x%x\n", port);
	v = inb(port);
	printk("hostile: read 0x%x, writing it back\n", v);
	outb(port, v);
	printk("hostile: SURVIVED pio=0x%x\n", port);
}

static void hostile_msr(uint32_t msr)
{
	uint64_t v;

	printk("hostile: reading MSR 0x%x\n", msr);
	v = rdmsr(msr);
	printk("hostile: read 0x%lx, writing it back\n", v);
	wrmsr(msr, v);
	printk("hostile: SURVIVED msr=0x%x\n", msr);
}

static void hostile_ipi(void)
{
	const char *kind;
	size_t len;
	uint32_t icr;
	long long to;

	if (!cmdline_find(inmate_cmdline, "ipi", &kind, &len))
		return;
	if (len == 4 && !strncmp(kind, "init", 4))
		icr = ICR_INIT | ICR_LEVEL_ASSERT;
	else if (len == 3 && !strncmp(kind, "nmi", 3))
		icr = ICR_NMI;
	else if (len == 4 && !strncmp(kind, "sipi", 4))
		icr = ICR_STARTUP;
	else
		panic("hostile: ipi= wants init, nmi or sipi\n");
	if (apic_init())
		panic("hostile: no local APIC\n");
	if (hostile_arg("ipi_to", &to)) {
		printk("hostile: sending IPI 0x%x to APIC ID %lld\n", icr, to);
		apic_send_ipi(to, icr);
	} else {
		printk("hostile: broadcasting IPI 0x%x\n", icr);
		apic_send_ipi(0, ICR_ALL_BUT_SELF | icr);
	}
	udelay(10000);
	printk("hostile: SURVIVED ipi\n");
}

static void __noreturn hostile_triple(void)
{
	struct __packed {
		uint16_t limit;
		uint64_t base;
	} empty = { 0, 0 };

	printk("hostile: triple fault\n");
	asm volatile("lidt %0; int3" : : "m"(empty));
	printk("hostile: SURVIVED triple\n");
	inmate_halt();
}

void inmate_main(void)
{
	long long v;

	if (hostile_arg("mem", &v))
		hostile_mem(v);
	if (hostile_arg("pio", &v))
		hostile_pio(v);
	if (hostile_arg("msr", &v))
		hostile_msr(v);
	hostile_ipi();
	if (hostile_arg("hc", &v)) {
		printk("hostile: hypercall %lld\n", v);
		printk("hostile: hypercall %lld returned %lld\n", v,
		       cellvisor_hypercall(v, 0, 0));
	}
	if (cmdline_parse_bool(inmate_cmdline, "triple"))
		hostile_triple();
	if (cmdline_parse_bool(inmate_cmdline, "spin")) {
		printk("hostile: spinning\n");
		irq_disable();
		for (;;)
			cpu_relax();
	}
	printk("hostile: done, halting\n");
}
