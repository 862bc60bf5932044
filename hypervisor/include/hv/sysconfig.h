/* SPDX-License-Identifier: GPL-2.0 */
/* The system config as the hypervisor parsed and checked it at enable. */
#ifndef _HV_SYSCONFIG_H
#define _HV_SYSCONFIG_H

#include <hv/types.h>

struct cfg_system;

/*
 * Set by sysconfig_load() before any CPU leaves the enable rendezvous and
 * never changed afterwards, so every CPU may read it without locking.
 * Cell code checks new cells against it (cfg_check_cell_in_system).
 */
extern const struct cfg_system *sys_config;

/*
 * Parse the blob the driver placed in the region, check every rule and
 * the machine we run on; on failure print why and return a negative errno.
 * Needs the console and the page pool.
 */
int sysconfig_load(void);

/* Pages for a struct of @size bytes, zeroed and contiguous, or NULL. */
void *sysconfig_alloc(u64 size);
void sysconfig_free(void *p, u64 size);

#endif
