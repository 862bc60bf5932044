// SPDX-License-Identifier: GPL-2.0
/* Test-only module: per-CPU VM-exit counts through the INFO hypercall. */
#include <linux/cpu.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/smp.h>
#include <asm/processor.h>
#include <cellvisor/hypercall.h>

struct cvtest_hc_call {
	long exits;
};

/*
 * A hypercall without a hypervisor is #UD, so every CPU first asks CPUID
 * whether Cellvisor is there; the answer is per CPU by design.
 */
static bool cvtest_hc_present(void)
{
	unsigned int a, b, c, d;

	cpuid(CELLVISOR_CPUID_SIGNATURE, &a, &b, &c, &d);
	return b == CELLVISOR_CPUID_EBX && c == CELLVISOR_CPUID_ECX &&
	       d == CELLVISOR_CPUID_EDX;
}

static void cvtest_hc_cpu_exits(void *data)
{
	struct cvtest_hc_call *call = data;
	unsigned long nr = CELLVISOR_HC_INFO;
	unsigned long what = CELLVISOR_INFO_CPU_EXITS;
	long ret;

	if (!cvtest_hc_present()) {
		call->exits = -ENODEV;
		return;
	}
	if (boot_cpu_data.x86_vendor == X86_VENDOR_INTEL)
		asm volatile("vmcall" : "=a" (ret)
			     : "a" (nr), "D" (what), "S" (0UL) : "memory");
	else
		asm volatile("vmmcall" : "=a" (ret)
			     : "a" (nr), "D" (what), "S" (0UL) : "memory");
	call->exits = ret;
}

/* One line per online CPU: "cpuN EXITS", or "cpuN -" without Cellvisor. */
static int cvtest_hc_get_exits(char *buf, const struct kernel_param *kp)
{
	struct cvtest_hc_call call;
	unsigned int cpu;
	int len = 0;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		smp_call_function_single(cpu, cvtest_hc_cpu_exits, &call, 1);
		if (call.exits < 0)
			len += scnprintf(buf + len, PAGE_SIZE - len,
					 "cpu%u -\n", cpu);
		else
			len += scnprintf(buf + len, PAGE_SIZE - len,
					 "cpu%u %ld\n", cpu, call.exits);
	}
	cpus_read_unlock();
	return len;
}

static const struct kernel_param_ops cvtest_hc_exits_ops = {
	.get = cvtest_hc_get_exits,
};

module_param_cb(cpu_exits, &cvtest_hc_exits_ops, NULL, 0444);
MODULE_PARM_DESC(cpu_exits, "VM exits so far on each CPU (each read adds "
		 "one: the hypercall itself)");

MODULE_DESCRIPTION("Cellvisor system tests: per-CPU exit counters");
MODULE_LICENSE("GPL");
