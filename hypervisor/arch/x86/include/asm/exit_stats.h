/* SPDX-License-Identifier: GPL-2.0 */
/* Vendor exit codes to CELLVISOR_EXIT_* reasons (exit_stats.c). */
#ifndef _HV_ASM_EXIT_STATS_H
#define _HV_ASM_EXIT_STATS_H

#include <hv/types.h>

struct vmcb;

unsigned int svm_exit_stat(const struct vmcb *vmcb);
/* @basic_reason: the low 16 bits of the VM-exit reason. */
unsigned int vmx_exit_stat(u32 basic_reason);

#endif
