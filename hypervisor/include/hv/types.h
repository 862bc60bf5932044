/* SPDX-License-Identifier: GPL-2.0 */
/* Short type names and helpers used throughout the hypervisor. */
#ifndef _HV_TYPES_H
#define _HV_TYPES_H

#include <stddef.h>
#include <stdbool.h>
#include <cellvisor/types.h>

typedef cv_u8 u8;
typedef cv_u16 u16;
typedef cv_u32 u32;
typedef cv_u64 u64;
typedef cv_s32 s32;
typedef cv_s64 s64;

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)		(((x) + PAGE_SIZE - 1) & PAGE_MASK)

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))

#define __aligned(n)		__attribute__((aligned(n)))
#define __packed		__attribute__((packed))
#define __noreturn		__attribute__((noreturn))
#define __section(s)		__attribute__((section(s)))
#define __used			__attribute__((used))
#define __printf(a, b)		__attribute__((format(printf, a, b)))

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)

#endif
