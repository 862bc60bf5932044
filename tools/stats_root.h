// SPDX-License-Identifier: GPL-2.0
/* cellctl stats root: the root cell's VM exits per CPU and reason. */
#ifndef CELLCTL_STATS_ROOT_H
#define CELLCTL_STATS_ROOT_H

#include <stdint.h>

/* Prints the table over @secs seconds; returns a CELLCTL_EXIT_* status. */
int cellctl_stats_root(double secs);
/* The interval of "cellctl stats": a sleep, and a rate over it. */
void cellctl_stats_wait(double secs);
uint64_t cellctl_stats_rate(uint64_t before, uint64_t after, double secs);

#endif
