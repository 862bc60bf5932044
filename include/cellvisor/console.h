/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Hypervisor console ring and root exit statistics: layouts and copy rule. */
#ifndef _CELLVISOR_CONSOLE_H
#define _CELLVISOR_CONSOLE_H

#include <cellvisor/types.h>

#define CELLVISOR_CONSOLE_RING_SIZE	8192

/* The driver's read-only view of the ring; the file position is the ring's. */
#define CELLVISOR_CONSOLE_DEVICE	"/dev/cellvisor-console"
/* Root exits of hypervisor CPU N, one "REASON COUNT" line per reason. */
#define CELLVISOR_ROOT_STATS_SYSFS	"/sys/class/misc/cellvisor/stats/cpu"

/*
 * The ring in the hypervisor's memory.  head counts every character ever
 * written since enable; character n lives in buf[n % size].  The header
 * field console_offset says where the ring is, so that the driver finds
 * it in the reserved region after disable or after a failed enable.
 */
struct cellvisor_console_ring {
	cv_u64 head;
	char buf[CELLVISOR_CONSOLE_RING_SIZE];
};

/*
 * What CELLVISOR_HC_CONSOLE_READ writes at the start of the root page it
 * is given; data[] fills the rest of the page.
 */
struct cellvisor_console_read {
	cv_u64 pos;	/* ring position of data[0] */
	cv_u64 len;	/* bytes in data[] */
	cv_u64 lost;	/* bytes from the asked position to pos: overwritten */
	cv_u64 head;	/* position after the newest byte */
	char data[];
};

#define CELLVISOR_CONSOLE_READ_MAX \
	(4096 - sizeof(struct cellvisor_console_read))

/*
 * CELLVISOR_HC_ROOT_STATS writes this many counters (CELLVISOR_EXIT_*
 * order, cell.h) for one CPU of the root cell.
 */
#define CELLVISOR_ROOT_STATS_REASONS	9

/* Drops the first @n bytes of a copy as lost. */
static inline void
cellvisor_console_drop(char *dst, cv_u64 n, struct cellvisor_console_read *r)
{
	cv_u64 i;

	for (i = n; i < r->len; i++)
		dst[i - n] = dst[i];
	r->lost += n;
	r->pos += n;
	r->len -= n;
}

/*
 * After a loss the copy starts inside a line whose beginning is gone:
 * that rest is dropped up to the next line, so every line a reader gets
 * starts with its own mark ("Cellvisor: " or a cell's "[NAME] "), and a
 * cell's "[x] ...Cellvisor: ..." never shows cut at the forged part.  A
 * copy without a line end shows nothing yet, unless it filled @max (one
 * line longer than a read, which only the root can write).
 */
static inline void
cellvisor_console_line_start(char *dst, cv_u64 max,
			     struct cellvisor_console_read *r)
{
	cv_u64 i;

	if (!r->lost)
		return;
	for (i = 0; i < r->len && dst[i] != '\n'; i++)
		;
	if (i < r->len)
		cellvisor_console_drop(dst, i + 1, r);
	else if (r->len < max)
		cellvisor_console_drop(dst, r->len, r);
}

/*
 * Copies ring bytes from position @from into @dst (at most @max) and
 * describes the result in @r.  Bytes the ring has already overwritten are
 * skipped and counted as lost, and so is the rest of the line they cut
 * (cellvisor_console_line_start); a position beyond the newest byte
 * belongs to an earlier run and restarts at the oldest byte.  The writer
 * may run at the same time on another CPU (it stores the byte, then
 * head): bytes it overwrote during the copy are dropped afterwards, so
 * what is returned is always what was written at those positions.
 */
static inline void
cellvisor_console_copy(const struct cellvisor_console_ring *ring, cv_u64 from,
		       char *dst, cv_u64 max, struct cellvisor_console_read *r)
{
	const volatile char *buf = ring->buf;
	cv_u64 head = *(const volatile cv_u64 *)&ring->head;
	cv_u64 oldest, n, i, skip;

	if (from > head)
		from = 0;
	/* The writer may be storing at head already: that slot is gone. */
	oldest = head >= CELLVISOR_CONSOLE_RING_SIZE ?
		 head - CELLVISOR_CONSOLE_RING_SIZE + 1 : 0;
	r->lost = from < oldest ? oldest - from : 0;
	from += r->lost;
	n = head - from < max ? head - from : max;
	for (i = 0; i < n; i++)
		dst[i] = buf[(from + i) % CELLVISOR_CONSOLE_RING_SIZE];

	/* Loads stay in order on x86; only the compiler must not move them. */
	__asm__ __volatile__("" ::: "memory");
	head = *(const volatile cv_u64 *)&ring->head;
	oldest = head >= CELLVISOR_CONSOLE_RING_SIZE ?
		 head - CELLVISOR_CONSOLE_RING_SIZE + 1 : 0;
	skip = from < oldest ? oldest - from : 0;
	if (skip > n)
		skip = n;
	r->pos = from;
	r->len = n;
	r->head = head;
	cellvisor_console_drop(dst, skip, r);
	cellvisor_console_line_start(dst, max, r);
}

#endif /* _CELLVISOR_CONSOLE_H */
