// SPDX-License-Identifier: GPL-2.0
/* Unit tests for hypervisor/console_line.c: a cell's lines, marked, safe. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv/console_line.h>

static struct console_line l;
static char out[CONSOLE_LINE_OUT_MAX];
/* Every line the cell "hello" got out so far, one after the other. */
static char seen[16 * CONSOLE_LINE_OUT_MAX];

static void setup(void)
{
	memset(&l, 0, sizeof(l));
	memset(out, 0x5a, sizeof(out));
	seen[0] = 0;
}

/* Feeds @n bytes of @s as the cell @name; collects its lines in seen. */
static void feed_name(const char *name, const char *s, size_t n)
{
	size_t len;

	while (n--) {
		len = console_line_putc(&l, name, *s++, out);
		if (!len)
			continue;
		ck_assert_uint_lt(len, sizeof(out));
		ck_assert_uint_eq(strlen(out), len);
		ck_assert_uint_lt(strlen(seen) + len, sizeof(seen));
		strcat(seen, out);
	}
}

static void feed(const char *s)
{
	feed_name("hello", s, strlen(s));
}

static void flush(void)
{
	if (console_line_flush(&l, "hello", out))
		strcat(seen, out);
}

START_TEST(line_is_marked)
{
	feed("hello: halting");
	ck_assert_str_eq(seen, "");	/* nothing before the line ends */
	feed("\n");
	ck_assert_str_eq(seen, "[hello] hello: halting\n");
}
END_TEST

START_TEST(crlf_is_one_end)
{
	feed("one\r\ntwo\r\r\n\r\n");
	ck_assert_str_eq(seen, "[hello] one\n[hello] two\n[hello]\n");
}
END_TEST

START_TEST(forged_hypervisor_line)
{
	feed("Cellvisor: cell 'hello' created (id 1, 1 CPUs)\n");
	ck_assert_str_eq(seen, "[hello] Cellvisor: cell 'hello' created "
			 "(id 1, 1 CPUs)\n");
}
END_TEST

START_TEST(escape_cannot_overwrite_prefix)
{
	feed("\r\033[2KCellvisor: forged\b\b\x7f\n");
	ck_assert_str_eq(seen, "[hello] ^M^[[2KCellvisor: forged^H^H^?\n");
}
END_TEST

START_TEST(other_bytes)
{
	static const char s[] = "a\tb\0c\x0b\x0c\x9b" "2J\xc2\x9b\xff\n";

	feed_name("hello", s, sizeof(s) - 1);
	ck_assert_str_eq(seen, "[hello] a\tb^@c^K^L?2J???\n");
}
END_TEST

START_TEST(long_line_in_pieces)
{
	char text[2 * CONSOLE_LINE_MAX + 31], want[sizeof(seen)];

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = 0;
	feed(text);
	snprintf(want, sizeof(want), "[hello] %.*s\n[hello]+ %.*s\n",
		 CONSOLE_LINE_MAX, text, CONSOLE_LINE_MAX, text);
	ck_assert_str_eq(seen, want);
	flush();
	snprintf(want + strlen(want), sizeof(want) - strlen(want),
		 "[hello]+ %.30s [stopped mid-line]\n", text);
	ck_assert_str_eq(seen, want);
	/* The next line starts afresh. */
	seen[0] = 0;
	feed("next\n");
	ck_assert_str_eq(seen, "[hello] next\n");
}
END_TEST

START_TEST(full_line_stays_whole)
{
	char text[CONSOLE_LINE_MAX + 1], want[sizeof(seen)];

	memset(text, 'y', CONSOLE_LINE_MAX);
	text[CONSOLE_LINE_MAX] = 0;
	snprintf(want, sizeof(want), "[hello] %s\n", text);
	feed(text);
	feed("\n");
	ck_assert_str_eq(seen, want);
	/* Its "\r\n" cut it after the '\r', which the '\n' then drops. */
	seen[0] = 0;
	feed(text);
	feed("\r\n");
	ck_assert_str_eq(seen, want);
	seen[0] = 0;
	feed("z\n");
	ck_assert_str_eq(seen, "[hello] z\n");
}
END_TEST

START_TEST(flush_partial)
{
	flush();
	ck_assert_str_eq(seen, "");	/* nothing left: nothing printed */
	feed("counting: 1 2 3");
	flush();
	ck_assert_str_eq(seen, "[hello] counting: 1 2 3 [stopped mid-line]\n");
	flush();
	ck_assert_str_eq(seen, "[hello] counting: 1 2 3 [stopped mid-line]\n");
}
END_TEST

START_TEST(longest_output_fits)
{
	char name[CFG_MAX_NAME];
	size_t len;
	int i;

	memset(name, 0x1b, sizeof(name) - 1);	/* cannot pass create */
	name[sizeof(name) - 1] = 0;
	for (i = 0; i < 3 * CONSOLE_LINE_MAX; i++)
		console_line_putc(&l, name, 0x1b, out);
	len = console_line_flush(&l, name, out);
	ck_assert_uint_eq(len, CONSOLE_LINE_OUT_MAX - 1);
	ck_assert_uint_eq(strlen(out), len);
	ck_assert_int_eq(strncmp(out, "[^[^[", 5), 0);
}
END_TEST

/*
 * Whatever bytes a cell sends, each line it gets starts with its marker,
 * holds no byte a terminal acts on but the tab, and ends in one '\n'.
 */
START_TEST(random_bytes)
{
	unsigned int seed = 1, i, lines = 0;
	size_t len, j;

	for (i = 0; i < 200000; i++) {
		char ch = rand_r(&seed) % 5 ? rand_r(&seed) : '\n';

		len = console_line_putc(&l, "r", ch, out);
		if (!len)
			continue;
		lines++;
		ck_assert(!strncmp(out, "[r] ", 4) || !strncmp(out, "[r]+ ", 5) ||
			  !strcmp(out, "[r]\n"));
		ck_assert_int_eq(out[len - 1], '\n');
		for (j = 0; j + 1 < len; j++)
			ck_assert(out[j] == '\t' ||
				  (out[j] >= 0x20 && out[j] < 0x7f));
	}
	ck_assert_uint_gt(lines, 1000);
}
END_TEST

static Suite *console_line_suite(void)
{
	Suite *s = suite_create("console_line");
	TCase *tc = tcase_create("lines");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, line_is_marked);
	tcase_add_test(tc, crlf_is_one_end);
	tcase_add_test(tc, forged_hypervisor_line);
	tcase_add_test(tc, escape_cannot_overwrite_prefix);
	tcase_add_test(tc, other_bytes);
	tcase_add_test(tc, long_line_in_pieces);
	tcase_add_test(tc, full_line_stays_whole);
	tcase_add_test(tc, flush_partial);
	tcase_add_test(tc, longest_output_fits);
	tcase_add_test(tc, random_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(console_line_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
