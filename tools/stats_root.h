// SPDX-License-Identifier: GPL-2.0
/* cellctl stats root: the root cell's VM exits per CPU and reason. */
#ifndef CELLCTL_STATS_ROOT_H
#define CELLCTL_STATS_ROOT_H

#include <stdint.h>

/*
 * Prints the table (JSON: one object) over @secs seconds; returns a
 * CELLCTL_EXIT_* status.
 */
int cellctl_stats_root(double secs, int json);
/* "0,2-3" (sysfs's CPU list) into a bitmap of NBITS; 0 or -EINVAL. */
int cellctl_parse_cpulist(const char *s, uint64_t *bitmap,
			  unsigned int nbits);
/* The root cell's CPUs: those Linux has online; 0 or -errno. */
int cellctl_root_cpus(uint64_t *bitmap, unsigned int nbits);
/* The interval of "cellctl stats": a sleep, and a rate over it. */
void cellctl_stats_wait(double secs);
uint64_t cellctl_stats_rate(uint64_t before, uint64_t after, double secs);

#endif
