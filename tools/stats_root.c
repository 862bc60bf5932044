// SPDX-License-Identifier: GPL-2.0
/* cellctl stats root: reads the driver's per-CPU root exit counters. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cellvisor/cell.h>
#include <cellvisor/console.h>

#include "cellctl.h"
#include "json_out.h"
#include "stats_root.h"

#define ROOT_MAX_CPUS	256

static const char *const root_reason_names[] = CELLVISOR_EXIT_NAMES;

/* Counters of one CPU from its sysfs file; -errno, -ENOENT past the last. */
static int root_read_cpu(unsigned int cpu, uint64_t *counts)
{
	char path[96], name[32];
	unsigned long long v;
	unsigned int r, seen = 0;
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), CELLVISOR_ROOT_STATS_SYSFS "%u", cpu);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fscanf(f, "%31s %llu", name, &v) == 2) {
		for (r = 0; r < CELLVISOR_EXIT_REASONS; r++)
			if (!strcmp(name, root_reason_names[r]))
				break;
		if (r < CELLVISOR_EXIT_REASONS) {
			counts[r] = v;
			seen++;
		}
	}
	if (ferror(f))
		err = -errno;
	fclose(f);
	if (!err && seen != CELLVISOR_EXIT_REASONS)
		err = -EIO;
	return err;
}

/* Every CPU under the hypervisor; its count, or -errno. */
static int root_read_all(uint64_t (*counts)[CELLVISOR_EXIT_REASONS])
{
	unsigned int cpu;
	int err;

	for (cpu = 0; cpu < ROOT_MAX_CPUS; cpu++) {
		err = root_read_cpu(cpu, counts[cpu]);
		/* Files go past the hypervisor's CPUs, which are EINVAL. */
		if (err == -ENOENT || (err == -EINVAL && cpu))
			break;
		if (err)
			return err;
	}
	return cpu ? (int)cpu : -ENOENT;
}

/* A fraction of a second is fine: under Bochs a guest second is long. */
void cellctl_stats_wait(double secs)
{
	struct timespec ts = {
		.tv_sec = (time_t)secs,
		.tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

uint64_t cellctl_stats_rate(uint64_t before, uint64_t after, double secs)
{
	return (uint64_t)((double)(after - before) / secs + 0.5);
}

int cellctl_stats_root(double secs, int json)
{
	struct stats_out o;
	uint64_t (*a)[CELLVISOR_EXIT_REASONS], (*b)[CELLVISOR_EXIT_REASONS];
	int n, m, ret = CELLCTL_EXIT_FAIL;
	unsigned int cpu, r;

	a = calloc(ROOT_MAX_CPUS, sizeof(*a));
	b = calloc(ROOT_MAX_CPUS, sizeof(*b));
	if (!a || !b)
		goto out;
	n = root_read_all(a);
	if (n > 0) {
		cellctl_stats_wait(secs);
		m = root_read_all(b);
		n = m < 0 ? m : (m < n ? m : n);
	}
	if (n < 0) {
		cellctl_fail("stats root", CELLCTL_OP_STATS, -n, NULL);
		goto out;
	}
	stats_out_begin(&o, cellctl_out, json, CELLCTL_ROOT_NAME, secs);
	for (cpu = 0; cpu < (unsigned int)n; cpu++)
		for (r = 0; r < CELLVISOR_EXIT_REASONS; r++)
			stats_out_row(&o, cpu, root_reason_names[r], b[cpu][r],
				      cellctl_stats_rate(a[cpu][r], b[cpu][r],
							 secs));
	ret = stats_out_end(&o) ? CELLCTL_EXIT_FAIL : CELLCTL_EXIT_OK;
out:
	free(a);
	free(b);
	return ret;
}

/* One "N" or "N-M" at *S; moves *S past it. */
static int cpulist_range(const char **s, unsigned long *lo, unsigned long *hi)
{
	char *end;

	if (**s < '0' || **s > '9')
		return -EINVAL;
	*lo = *hi = strtoul(*s, &end, 10);
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			return -EINVAL;
		*hi = strtoul(end + 1, &end, 10);
	}
	*s = end;
	return *hi < *lo ? -EINVAL : 0;
}

int cellctl_parse_cpulist(const char *s, uint64_t *bitmap,
			  unsigned int nbits)
{
	unsigned long lo, hi, i;

	memset(bitmap, 0, (nbits + 63) / 64 * sizeof(*bitmap));
	while (*s && *s != '\n') {
		if (cpulist_range(&s, &lo, &hi) || hi >= nbits)
			return -EINVAL;
		for (i = lo; i <= hi; i++)
			bitmap[i / 64] |= 1ull << (i % 64);
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -EINVAL;
	}
	return 0;
}

int cellctl_root_cpus(uint64_t *bitmap, unsigned int nbits)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	char line[1024];
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f))
		err = -EIO;
	fclose(f);
	return err ? err : cellctl_parse_cpulist(line, bitmap, nbits);
}
