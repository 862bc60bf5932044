// SPDX-License-Identifier: GPL-2.0
/* Unit tests for cellvisor_console_copy() in include/cellvisor/console.h. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cellvisor/console.h>

#define SIZE	CELLVISOR_CONSOLE_RING_SIZE

static struct cellvisor_console_ring ring;
static char out[CELLVISOR_CONSOLE_READ_MAX];
static struct cellvisor_console_read r;

/* The byte a writer puts at ring position @pos: position-dependent. */
static char byte_at(unsigned long long pos)
{
	return 'a' + (char)(pos * 7 % 26);
}

/* Writes @n bytes the way the hypervisor's console_putc does. */
static void put(unsigned long long n)
{
	while (n--) {
		ring.buf[ring.head % SIZE] = byte_at(ring.head);
		ring.head++;
	}
}

static void setup(void)
{
	memset(&ring, 0, sizeof(ring));
	memset(out, 0, sizeof(out));
	memset(&r, 0xa5, sizeof(r));
}

/* Every returned byte is the one written at its position. */
static void assert_bytes(void)
{
	unsigned long long i;

	for (i = 0; i < r.len; i++)
		if (out[i] != byte_at(r.pos + i))
			ck_abort_msg("byte %llu of %llu at position %llu: "
				     "'%c', written was '%c'", i,
				     (unsigned long long)r.len,
				     (unsigned long long)r.pos + i, out[i],
				     byte_at(r.pos + i));
}

START_TEST(empty)
{
	cellvisor_console_copy(&ring, 0, out, sizeof(out), &r);
	ck_assert_uint_eq(r.len, 0);
	ck_assert_uint_eq(r.lost, 0);
	ck_assert_uint_eq(r.pos, 0);
	ck_assert_uint_eq(r.head, 0);
}
END_TEST

START_TEST(from_start_and_follow)
{
	put(100);
	cellvisor_console_copy(&ring, 0, out, sizeof(out), &r);
	ck_assert_uint_eq(r.len, 100);
	ck_assert_uint_eq(r.pos, 0);
	ck_assert_uint_eq(r.head, 100);
	assert_bytes();
	put(30);
	cellvisor_console_copy(&ring, r.pos + r.len, out, sizeof(out), &r);
	ck_assert_uint_eq(r.pos, 100);
	ck_assert_uint_eq(r.len, 30);
	ck_assert_uint_eq(r.lost, 0);
	assert_bytes();
	cellvisor_console_copy(&ring, 130, out, sizeof(out), &r);
	ck_assert_uint_eq(r.len, 0);
}
END_TEST

START_TEST(limited_by_max)
{
	put(SIZE / 2);
	cellvisor_console_copy(&ring, 10, out, 7, &r);
	ck_assert_uint_eq(r.len, 7);
	ck_assert_uint_eq(r.pos, 10);
	ck_assert_int_eq(out[7], 0);	/* nothing past max */
	assert_bytes();
}
END_TEST

START_TEST(wrapped_counts_lost)
{
	put(3 * SIZE + 123);
	cellvisor_console_copy(&ring, 50, out, sizeof(out), &r);
	/* The oldest slot may be the one a writer is storing into. */
	ck_assert_uint_eq(r.pos, 2 * SIZE + 124);
	ck_assert_uint_eq(r.lost, 2 * SIZE + 124 - 50);
	ck_assert_uint_eq(r.len, sizeof(out));
	assert_bytes();
}
END_TEST

START_TEST(wrapped_read_across_end)
{
	put(SIZE + 100);
	/* Positions SIZE-10 .. SIZE+10 sit at both ends of buf[]. */
	cellvisor_console_copy(&ring, SIZE - 10, out, 20, &r);
	ck_assert_uint_eq(r.lost, 0);
	ck_assert_uint_eq(r.pos, SIZE - 10);
	ck_assert_uint_eq(r.len, 20);
	assert_bytes();
}
END_TEST

START_TEST(position_of_earlier_run)
{
	put(40);
	cellvisor_console_copy(&ring, 5000, out, sizeof(out), &r);
	ck_assert_uint_eq(r.pos, 0);
	ck_assert_uint_eq(r.len, 40);
	assert_bytes();
}
END_TEST

START_TEST(reread_after_writer_moved)
{
	put(SIZE);		/* full: the oldest slot counts as lost */
	cellvisor_console_copy(&ring, 1, out, 100, &r);
	ck_assert_uint_eq(r.pos, 1);
	ck_assert_uint_eq(r.len, 100);
	put(50);
	cellvisor_console_copy(&ring, 1, out, 100, &r);
	ck_assert_uint_eq(r.pos, 51);
	ck_assert_uint_eq(r.lost, 50);
	ck_assert_uint_eq(r.len, 100);
	assert_bytes();
}
END_TEST

/* Writes @s the way the hypervisor's console does. */
static void put_str(const char *s)
{
	while (*s) {
		ring.buf[ring.head % SIZE] = *s++;
		ring.head++;
	}
}

/*
 * Once the ring wrapped, a read starts at a line of its own: never in
 * the middle of a cell's line where it copies a hypervisor line.
 */
START_TEST(wrapped_starts_at_a_line)
{
	static const char line[] = "[x] AAAAAAAA Cellvisor: forged\n";
	unsigned int k;

	/* The oldest byte falls at every place of a line in turn. */
	for (k = 0; k < sizeof(line) - 1; k++) {
		setup();
		put(k);
		while (ring.head < 2 * SIZE)
			put_str(line);
		cellvisor_console_copy(&ring, 5, out, sizeof(out), &r);
		ck_assert_uint_gt(r.len, 0);
		ck_assert_uint_eq(r.pos, 5 + r.lost);
		ck_assert_int_eq(ring.buf[(r.pos - 1) % SIZE], '\n');
		ck_assert_int_eq(memcmp(out, line, sizeof(line) - 1), 0);
		/* Not more than the cut line is dropped. */
		ck_assert_uint_le(r.pos, ring.head - SIZE + sizeof(line));
	}
}
END_TEST

/*
 * A line's end that is not written yet: nothing to show yet, unless the
 * copy is full (one line longer than a read).
 */
START_TEST(wrapped_no_line_end_yet)
{
	static char big[2 * SIZE];

	put(SIZE + 100);	/* letters only */
	cellvisor_console_copy(&ring, 0, big, sizeof(big), &r);
	ck_assert_uint_eq(r.len, 0);
	ck_assert_uint_eq(r.pos, r.lost);
	cellvisor_console_copy(&ring, 0, out, sizeof(out), &r);
	ck_assert_uint_eq(r.len, sizeof(out));
	assert_bytes();
	put_str("\nnext\n");
	cellvisor_console_copy(&ring, 0, big, sizeof(big), &r);
	ck_assert_uint_eq(r.len, 5);
	ck_assert_int_eq(memcmp(big, "next\n", 5), 0);
	ck_assert_uint_eq(r.pos, SIZE + 101);
}
END_TEST

/* Without a loss a read starts where it was asked, inside a line or not. */
START_TEST(no_loss_no_drop)
{
	put_str("abc\ndef\n");
	cellvisor_console_copy(&ring, 1, out, sizeof(out), &r);
	ck_assert_uint_eq(r.len, 7);
	ck_assert_uint_eq(r.lost, 0);
	ck_assert_int_eq(memcmp(out, "bc\ndef\n", 7), 0);
}
END_TEST

/*
 * A writer on another CPU overtakes the reader: every byte the copy
 * returns must still be the one written at its position.  Without the
 * second look at head, bytes of a later lap would come back.
 */
static volatile int writer_stop;

static void *writer(void *arg)
{
	(void)arg;
	while (!writer_stop) {
		ring.buf[ring.head % SIZE] = byte_at(ring.head);
		__asm__ __volatile__("" ::: "memory");
		*(volatile cv_u64 *)&ring.head = ring.head + 1;
	}
	return NULL;
}

START_TEST(concurrent_writer)
{
	unsigned long long pos = 0, reads = 0, bytes = 0;
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, writer, NULL), 0);
	while (reads < 20000 && bytes < (1ULL << 24)) {
		cellvisor_console_copy(&ring, pos, out, sizeof(out), &r);
		ck_assert_uint_ge(r.pos, pos);
		ck_assert_uint_eq(r.pos, pos + r.lost);
		assert_bytes();
		pos = r.pos + r.len;
		bytes += r.len;
		reads++;
	}
	writer_stop = 1;
	pthread_join(t, NULL);
	ck_assert_uint_gt(bytes, 0);
}
END_TEST

static Suite *console_suite(void)
{
	Suite *s = suite_create("console");
	TCase *tc = tcase_create("copy");

	tcase_set_timeout(tc, 30);

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, empty);
	tcase_add_test(tc, from_start_and_follow);
	tcase_add_test(tc, limited_by_max);
	tcase_add_test(tc, wrapped_counts_lost);
	tcase_add_test(tc, wrapped_read_across_end);
	tcase_add_test(tc, position_of_earlier_run);
	tcase_add_test(tc, reread_after_writer_moved);
	tcase_add_test(tc, wrapped_starts_at_a_line);
	tcase_add_test(tc, wrapped_no_line_end_yet);
	tcase_add_test(tc, no_loss_no_drop);
	tcase_add_test(tc, concurrent_writer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(console_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
