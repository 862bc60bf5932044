// SPDX-License-Identifier: GPL-2.0
/* cellctl stats root: the root cell's VM exits per CPU and reason. */
#ifndef CELLCTL_STATS_ROOT_H
#define CELLCTL_STATS_ROOT_H

/* Prints the table over @secs seconds; returns a CELLCTL_EXIT_* status. */
int cellctl_stats_root(unsigned int secs);

#endif
