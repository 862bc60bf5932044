// SPDX-License-Identifier: GPL-2.0
/*
 * Smallest demo: greet, name the CPU vendor and the hypervisor, halt; with
 * a comm page (the hypervisor says where, or "comm_page=ADDR"), agree to
 * the next shutdown request.
 */
#include <inmate.h>

static void hello_cpu_vendor(char vendor[13])
{
	uint32_t eax, ebx, ecx, edx;

	cpuid(0, 0, &eax, &ebx, &ecx, &edx);
	/* The vendor string is spread over EBX, EDX, ECX in that order. */
	memcpy(vendor, &ebx, 4);
	memcpy(vendor + 4, &edx, 4);
	memcpy(vendor + 8, &ecx, 4);
	vendor[12] = '\0';
}

void inmate_main(void)
{
	char vendor[13];

	hello_cpu_vendor(vendor);
	printk("Hello from Cellvisor inmate\n");
	printk("CPU vendor: %s\n", vendor);
	printk("Cellvisor: %s\n", cellvisor_present() ? "present" : "absent");
	if (comm_page()) {
		printk("hello: waiting for shutdown (comm page)\n");
		comm_wait_for_shutdown();
	}
	printk("hello: halting\n");
}
