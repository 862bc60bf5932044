// SPDX-License-Identifier: GPL-2.0
/* Conformance inmate: "fault=ud|pf|de|gp" raises that exception, unhandled. */
#include <inmate.h>

static volatile int fault_zero;

static void fault_raise(long long which)
{
	switch (which) {
	case 0:
		asm volatile("ud2");
		break;
	case 1:
		/* Only the low 4 GiB are mapped: this must page-fault. */
		*(volatile uint64_t *)0x100000000UL = 1;
		break;
	case 2:
		fault_zero = 10 / fault_zero;
		break;
	case 3:
		/* Non-canonical address: #GP(0) on every x86-64 CPU. */
		*(volatile uint64_t *)0x8000000000000000UL = 1;
		break;
	}
}

void inmate_main(void)
{
	const char *names[] = { "ud", "pf", "de", "gp" };
	const char *v;
	size_t len;
	long long which = 0;
	unsigned int i;

	if (cmdline_find(inmate_cmdline, "fault", &v, &len))
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (len == 2 && !strncmp(v, names[i], 2))
				which = i;
	printk("fault: raising %s\n", names[which]);
	fault_raise(which);
	printk("fault: FAIL, still running\n");
}
