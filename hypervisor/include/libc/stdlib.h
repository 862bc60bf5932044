/* SPDX-License-Identifier: GPL-2.0 */
/* Just what libfdt_env.h expects from <stdlib.h> in a freestanding image. */
#ifndef _HV_LIBC_STDLIB_H
#define _HV_LIBC_STDLIB_H

unsigned long strtoul(const char *s, char **end, int base);

#endif
