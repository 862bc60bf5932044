// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/printk.c: what reaches the console ring when
 * cells, the root and the hypervisor write at once.  No UART: the port
 * stays 0, so only the ring is written.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file defines libc's names itself. */
#define vsnprintf hv_vsnprintf
#define snprintf hv_snprintf
#include "../../../hypervisor/printk.c"
#undef vsnprintf
#undef snprintf

struct cellvisor_header hv_header;

static struct cell cells[2];
static char text[HV_CONSOLE_RING_SIZE + 1];

static void setup(void)
{
	memset(&console_ring, 0, sizeof(console_ring));
	memset(cell_lines, 0, sizeof(cell_lines));
	console_mid_line = false;
	memset(cells, 0, sizeof(cells));
	cells[0].id = 1;
	strcpy(cells[0].cfg.name, "one");
	cells[1].id = CELL_MAX;
	strcpy(cells[1].cfg.name, "two");
}

/* The ring's text so far (it must not have wrapped). */
static const char *ring_text(void)
{
	ck_assert_uint_lt(console_ring.head, sizeof(text));
	memcpy(text, console_ring.buf, console_ring.head);
	text[console_ring.head] = 0;
	return text;
}

static void cell_puts(struct cell *c, const char *s)
{
	while (*s)
		console_cell_putc(c, *s++);
}

static void root_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

START_TEST(printk_inside_a_cell_line)
{
	cell_puts(&cells[0], "Cellvisor: cell 'x' cre");
	pr_info("cell 'two' created\n");
	cell_puts(&cells[1], "half");
	cell_puts(&cells[0], "ated\r\n");
	pr_err("cell 'two' FAILED: because\n");
	cell_puts(&cells[1], " and half\n");
	ck_assert_str_eq(ring_text(),
			 "Cellvisor: cell 'two' created\n"
			 "[one] Cellvisor: cell 'x' created\n"
			 "Cellvisor: ERROR: cell 'two' FAILED: because\n"
			 "[two] half and half\n");
}
END_TEST

START_TEST(lines_start_on_a_line_of_their_own)
{
	root_puts("root without newline");
	cell_puts(&cells[0], "cell\n");
	root_puts("more root");
	pr_info("hypervisor\n");
	ck_assert_str_eq(ring_text(),
			 "root without newline\n"
			 "[one] cell\n"
			 "more root\n"
			 "Cellvisor: hypervisor\n");
}
END_TEST

START_TEST(flush_on_stop)
{
	cell_puts(&cells[1], "\033[2Jpartial");
	console_cell_flush(&cells[1]);
	console_cell_flush(&cells[1]);
	console_cell_flush(&cells[0]);
	cell_puts(&cells[1], "again\n");
	ck_assert_str_eq(ring_text(),
			 "[two] ^[[2Jpartial [stopped mid-line]\n"
			 "[two] again\n");
}
END_TEST

START_TEST(unknown_cell_ignored)
{
	struct cell bad = { .id = CELL_MAX + 1 };

	cell_puts(&bad, "nothing\n");
	bad.id = 0;
	cell_puts(&bad, "nothing\n");
	console_cell_flush(&bad);
	ck_assert_str_eq(ring_text(), "");
}
END_TEST

/*
 * CPUs of different cells and the hypervisor write at the same time: every
 * line in the ring is still one of theirs, whole.
 */
#define LINES	30

static void *cell_writer(void *arg)
{
	struct cell *c = arg;
	char line[64];
	int i;

	for (i = 0; i < LINES; i++) {
		hv_snprintf(line, sizeof(line), "line %d of %s\r\n", i,
			    c->cfg.name);
		cell_puts(c, line);
	}
	return NULL;
}

static void *hv_writer(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < LINES; i++)
		pr_info("message %d\n", i);
	return NULL;
}

START_TEST(concurrent_writers)
{
	int seen[3] = { 0 }, n;
	pthread_t t[3];
	char *line, *save, name[8];
	const char *s;

	pthread_create(&t[0], NULL, cell_writer, &cells[0]);
	pthread_create(&t[1], NULL, cell_writer, &cells[1]);
	pthread_create(&t[2], NULL, hv_writer, NULL);
	for (n = 0; n < 3; n++)
		pthread_join(t[n], NULL);
	s = ring_text();
	ck_assert_int_eq(s[strlen(s) - 1], '\n');
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "Cellvisor: message %d", &n) == 1) {
			ck_assert_int_eq(n, seen[2]++);
			continue;
		}
		ck_assert_msg(sscanf(line, "[%3[a-z]] line %d of", name, &n) == 2,
			      "line '%s'", line);
		ck_assert_msg(!strcmp(line + strlen(line) - 3, name),
			      "line '%s'", line);
		ck_assert_int_eq(n, seen[!strcmp(name, "two")]++);
	}
	ck_assert_int_eq(seen[0], LINES);
	ck_assert_int_eq(seen[1], LINES);
	ck_assert_int_eq(seen[2], LINES);
}
END_TEST

static Suite *printk_suite(void)
{
	Suite *s = suite_create("printk");
	TCase *tc = tcase_create("ring");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, printk_inside_a_cell_line);
	tcase_add_test(tc, lines_start_on_a_line_of_their_own);
	tcase_add_test(tc, flush_on_stop);
	tcase_add_test(tc, unknown_cell_ignored);
	tcase_add_test(tc, concurrent_writers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(printk_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
