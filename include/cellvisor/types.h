/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Fixed-width types and errno values shared by driver, hypervisor, tools, inmates. */
#ifndef _CELLVISOR_TYPES_H
#define _CELLVISOR_TYPES_H

/*
 * The ABI headers are compiled in four worlds: the Linux kernel, hosted
 * user space (tools, unit tests), the freestanding hypervisor and the
 * inmates.  Only the compiler's predefined type macros exist in all of
 * them, so the ABI types are built from those and nothing is included.
 */
typedef __UINT8_TYPE__ cv_u8;
typedef __UINT16_TYPE__ cv_u16;
typedef __UINT32_TYPE__ cv_u32;
typedef __UINT64_TYPE__ cv_u64;
typedef __INT32_TYPE__ cv_s32;
typedef __INT64_TYPE__ cv_s64;

/*
 * Error numbers: the kernel and hosted code bring their own; the
 * freestanding builds (hypervisor, inmates) get the Linux values here so a
 * negative errno means the same thing on both sides of a hypercall.
 */
#if defined(__KERNEL__)
#include <linux/errno.h>
#elif defined(__STDC_HOSTED__) && __STDC_HOSTED__
#include <errno.h>
#else
#ifndef EPERM
#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EIO		5
#define E2BIG		7
#define ENOEXEC		8
#define EAGAIN		11
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define EFBIG		27
#define ERANGE		34
#define ENOSYS		38
#define EPROTO		71
#define EOVERFLOW	75
#define EINPROGRESS	115
#endif
#endif

#endif /* _CELLVISOR_TYPES_H */
