// SPDX-License-Identifier: GPL-2.0
/* The running system config: create, config check, compile without -s. */
#ifndef CELLCTL_SYSCONFIG_H
#define CELLCTL_SYSCONFIG_H

#include "cfgtool.h"

/* The path its diagnostics name. */
extern const char cellctl_running_path[];

/*
 * The system config the hypervisor was enabled with, read back from the
 * driver. NULL, with the reason and what to do printed and counted in D,
 * when the driver is not loaded, the hypervisor is not enabled or the
 * blob cannot be read. CMD names the command in messages.
 */
struct cfg_file *cellctl_running_system(const char *cmd, struct diag *d);

/* 1 when the hypervisor is enabled, so a running system config exists. */
int cellctl_system_running(void);

#endif /* CELLCTL_SYSCONFIG_H */
