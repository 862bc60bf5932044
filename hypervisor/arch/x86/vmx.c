// SPDX-License-Identifier: GPL-2.0
/* Intel VT-x back end (not implemented yet: enable fails cleanly). */
#include <hv/printk.h>
#include <asm/vcpu.h>

static int vmx_global_init(void)
{
	pr_err("Intel VT-x support is not implemented yet\n");
	return -ENOSYS;
}

static int vmx_cpu_init(struct per_cpu *pc)
{
	(void)pc;
	return -ENOSYS;
}

static void vmx_cpu_undo(struct per_cpu *pc)
{
	(void)pc;
}

static __noreturn void vmx_activate(struct per_cpu *pc)
{
	(void)pc;
	halt_forever();
	__builtin_unreachable();
}

const struct vcpu_ops vcpu_vmx_ops = {
	.name = "Intel VT-x",
	.global_init = vmx_global_init,
	.cpu_init = vmx_cpu_init,
	.cpu_undo = vmx_cpu_undo,
	.activate = vmx_activate,
};
