// SPDX-License-Identifier: GPL-2.0
/* Sorts AMD-V and VT-x exit codes into the CELLVISOR_EXIT_* statistics. */
#include <hv/cell.h>
#include <asm/exit_stats.h>
#include <asm/svm.h>
#include <asm/vmx.h>

/* Codes neither vendor header names (the cell code keeps its own). */
#define SVM_STAT_NMI		0x061
#define SVM_STAT_HLT		0x078
#define SVM_STAT_IOIO		0x07b

unsigned int svm_exit_stat(const struct vmcb *vmcb)
{
	switch ((u32)vmcb->exitcode) {
	case SVM_EXIT_VMMCALL:
		return CELLVISOR_EXIT_HYPERCALL;
	case SVM_STAT_IOIO:
		return CELLVISOR_EXIT_PIO;
	case SVM_EXIT_NPF:
		/* The root's xAPIC page traps while cells exist. */
		if ((vmcb->exitinfo2 & ~0xfffULL) == apic_phys())
			return CELLVISOR_EXIT_APIC;
		return CELLVISOR_EXIT_MMIO;
	case SVM_EXIT_MSR:
		return CELLVISOR_EXIT_MSR;
	case SVM_EXIT_CPUID:
		return CELLVISOR_EXIT_CPUID;
	case SVM_STAT_NMI:
		return CELLVISOR_EXIT_MANAGEMENT;
	case SVM_STAT_HLT:
		return CELLVISOR_EXIT_HLT;
	}
	return CELLVISOR_EXIT_OTHER;
}

unsigned int vmx_exit_stat(u32 basic_reason)
{
	switch (basic_reason) {
	case EXIT_REASON_VMCALL:
		return CELLVISOR_EXIT_HYPERCALL;
	case EXIT_REASON_IO:
		return CELLVISOR_EXIT_PIO;
	case EXIT_REASON_EPT_VIOLATION:
		return CELLVISOR_EXIT_MMIO;
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE:
		return CELLVISOR_EXIT_MSR;
	case EXIT_REASON_CPUID:
		return CELLVISOR_EXIT_CPUID;
	case EXIT_REASON_EXCEPTION_NMI:
		return CELLVISOR_EXIT_MANAGEMENT;
	case EXIT_REASON_HLT:
		return CELLVISOR_EXIT_HLT;
	}
	return CELLVISOR_EXIT_OTHER;
}
