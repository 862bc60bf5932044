// SPDX-License-Identifier: GPL-2.0
/* Test helper: print the hypervisor CPUID signature seen by this CPU. */
#define _GNU_SOURCE
#include <cpuid.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

/*
 * Linux reads CPUID once at boot, so /proc/cpuinfo cannot show a
 * hypervisor launched later; asking the CPU now is what tells.  Prints
 * "cpuN SIGNATURE MAXLEAF HVBIT" with SIGNATURE the 12 bytes of leaf
 * 0x40000000 (EBX, ECX, EDX) and HVBIT the CPUID.1:ECX[31] bit.
 */
int main(void)
{
	unsigned int a, b, c, d, hv_bit;
	char sig[13];
	int i;

	__cpuid(1, a, b, c, d);
	hv_bit = c >> 31;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = 0;
	for (i = 0; i < 12; i++)
		if (sig[i] < 0x20 || sig[i] > 0x7e)
			sig[i] = '.';
	printf("cpu%d %s 0x%x %u\n", sched_getcpu(), sig, a, hv_bit);
	return 0;
}
