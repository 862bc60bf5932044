/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Hypercall ABI: numbers, registers, and inline callers for x86-64. */
#ifndef _CELLVISOR_HYPERCALL_H
#define _CELLVISOR_HYPERCALL_H

#include <cellvisor/types.h>

/*
 * A hypercall is VMCALL (Intel) or VMMCALL (AMD) at CPL 0 with the number
 * in RAX and up to two arguments in RDI and RSI.  The result comes back in
 * RAX: >= 0 on success, a negative errno on failure.  Other registers are
 * preserved.  An unknown number returns -ENOSYS; a call from CPL > 0 gets
 * -EPERM.
 */
#define CELLVISOR_HC_DISABLE		0	/* root only; no other cells */
#define CELLVISOR_HC_INFO		1	/* arg0: CELLVISOR_INFO_* */
#define CELLVISOR_HC_DEBUG_PUTC		8	/* arg0: character */
/* Root only; arg0: phys of a root page, arg1: ring position (console.h) */
#define CELLVISOR_HC_CONSOLE_READ	9
/* Root only; arg0: phys of a root page, arg1: CPU index (console.h) */
#define CELLVISOR_HC_ROOT_STATS		10

/* CELLVISOR_HC_INFO arguments */
#define CELLVISOR_INFO_ABI_VERSION	0	/* CELLVISOR_ABI_VERSION */
#define CELLVISOR_INFO_CPUS		1	/* CPUs under the hypervisor */
#define CELLVISOR_INFO_EXITS		2	/* VM exits, all CPUs together */
#define CELLVISOR_INFO_CPU_EXITS	3	/* VM exits on the calling CPU */
/* A cell's own comm page, guest address; -ENOENT: it has none (ABI 2.2) */
#define CELLVISOR_INFO_COMM_PAGE	4
/* TSC rate in kHz (config's, else Linux's); -ENOENT: unknown (ABI 2.2) */
#define CELLVISOR_INFO_TSC_KHZ		5

/* CPUID leaf that reports the hypervisor while it runs */
#define CELLVISOR_CPUID_SIGNATURE	0x40000000
#define CELLVISOR_CPUID_MAX_LEAF	0x40000000
/* "CellvisorVMM" in EBX, ECX, EDX */
#define CELLVISOR_CPUID_EBX		0x6c6c6543	/* "Cell" */
#define CELLVISOR_CPUID_ECX		0x6f736976	/* "viso" */
#define CELLVISOR_CPUID_EDX		0x4d4d5672	/* "rVMM" */

static inline cv_s64 cellvisor_hc_vmcall(cv_u64 nr, cv_u64 a0, cv_u64 a1)
{
	cv_s64 ret;

	asm volatile("vmcall"
		     : "=a" (ret) : "a" (nr), "D" (a0), "S" (a1) : "memory");
	return ret;
}

static inline cv_s64 cellvisor_hc_vmmcall(cv_u64 nr, cv_u64 a0, cv_u64 a1)
{
	cv_s64 ret;

	asm volatile("vmmcall"
		     : "=a" (ret) : "a" (nr), "D" (a0), "S" (a1) : "memory");
	return ret;
}

#endif /* _CELLVISOR_HYPERCALL_H */
