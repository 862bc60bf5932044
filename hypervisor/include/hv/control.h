/* SPDX-License-Identifier: GPL-2.0 */
/* Generic hypercall dispatch, called by the vendor exit handlers. */
#ifndef _HV_CONTROL_H
#define _HV_CONTROL_H

#include <hv/percpu.h>

s64 hypercall(struct per_cpu *pc, u64 nr, u64 arg0, u64 arg1);

#endif
