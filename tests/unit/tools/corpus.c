// SPDX-License-Identifier: GPL-2.0
/* Runs the config corpora: bad configs give their expected messages, good ones round-trip and pass dtc. */
#include <check.h>
#include <glob.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include TEST_HELPERS

static struct run_result r;

/* Values of "# KEY: value" comment lines in PATH, up to MAX. */
static int comment_values(const char *path, const char *key, char **out,
			  int max)
{
	char line[1024], prefix[32];
	FILE *f = fopen(path, "r");
	int n = 0;
	size_t len;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	snprintf(prefix, sizeof(prefix), "# %s: ", key);
	while (fgets(line, sizeof(line), f) && n < max) {
		if (strncmp(line, prefix, strlen(prefix)))
			continue;
		len = strlen(line);
		if (len && line[len - 1] == '\n')
			line[len - 1] = 0;
		out[n] = strdup(line + strlen(prefix));
		/* "# system: x.yaml  (comment)": keep the path only */
		if (strcmp(key, "expect"))
			strtok(out[n], " ");
		n++;
	}
	fclose(f);
	return n;
}

static void free_values(char **v, int n)
{
	while (n--)
		free(v[n]);
}

START_TEST(test_bad_corpus)
{
	char *with[8], *expect[16], *argv[16];
	glob_t g;
	size_t i;
	int nw, ne, j, argc;

	ck_assert_int_eq(chdir(TOP_DIR "/tests/configs/bad"), 0);
	ck_assert_int_eq(glob("*.yaml", 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 25);
	for (i = 0; i < g.gl_pathc; i++) {
		nw = comment_values(g.gl_pathv[i], "with", with, 8);
		ne = comment_values(g.gl_pathv[i], "expect", expect, 16);
		ck_assert_msg(ne > 0, "%s has no '# expect:' line",
			      g.gl_pathv[i]);
		argc = 0;
		argv[argc++] = "config";
		argv[argc++] = "check";
		for (j = 0; j < nw; j++)
			argv[argc++] = with[j];
		argv[argc++] = g.gl_pathv[i];
		while (argc < 16)
			argv[argc++] = NULL;
		run_cellctl(&r, argv[0], argv[1], argv[2], argv[3], argv[4],
			    argv[5], argv[6], argv[7], NULL);
		ck_assert_msg(r.status == 2, "%s: exit status %d, not 2",
			      g.gl_pathv[i], r.status);
		for (j = 0; j < ne; j++)
			ck_assert_msg(strstr(r.err, expect[j]) != NULL,
				      "%s: expected\n  %s\nbut got\n%s",
				      g.gl_pathv[i], expect[j], r.err);
		free_values(with, nw);
		free_values(expect, ne);
	}
	globfree(&g);
}
END_TEST

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	ck_assert_msg(f != NULL, "cannot open %s", path);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Compiles PATH (with its "# system:"), checks dtc and the round trip. */
static void round_trip(const char *path, const char *tmp)
{
	char sys[512], dtb1[512], dtb2[512], yaml2[512], cmd[1200];
	char *sysname[1], *dir, *b1, *b2;
	size_t l1, l2;
	int ns;

	dir = strdup(path);
	ns = comment_values(path, "system", sysname, 1);
	if (ns)
		snprintf(sys, sizeof(sys), "%s/%s", dirname(dir), sysname[0]);
	snprintf(dtb1, sizeof(dtb1), "%s/one.dtb", tmp);
	snprintf(dtb2, sizeof(dtb2), "%s/two.dtb", tmp);
	snprintf(yaml2, sizeof(yaml2), "%s/shown.yaml", tmp);
	if (ns)
		run_cellctl(&r, "config", "compile", "-q", "-s", sys, "-o",
			    dtb1, path, NULL);
	else
		run_cellctl(&r, "config", "compile", "-q", "-o", dtb1, path,
			    NULL);
	ck_assert_msg(r.status == 0, "%s does not compile:\n%s", path, r.err);

	/* dtc must read it without a single complaint. */
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o /dev/null %s "
		 "2>%s/dtc.err", dtb1, tmp);
	ck_assert_msg(system(cmd) == 0, "dtc rejects %s (is dtc installed? "
		      "scripts/install-deps)", path);
	snprintf(cmd, sizeof(cmd), "%s/dtc.err", tmp);
	b1 = read_file(cmd, &l1);
	ck_assert_msg(l1 == 0, "dtc warns about %s:\n%s", path, b1);
	free(b1);

	run_cellctl(&r, "config", "show", dtb1, NULL);
	ck_assert_msg(r.status == 0, "show %s failed:\n%s", path, r.err);
	write_file(yaml2, r.out);
	run_cellctl(&r, "config", "compile", "-q", "-o", dtb2, yaml2, NULL);
	ck_assert_msg(r.status == 0, "shown %s does not compile:\n%s", path,
		      r.err);
	b1 = read_file(dtb1, &l1);
	b2 = read_file(dtb2, &l2);
	ck_assert_msg(l1 == l2 && !memcmp(b1, b2, l1),
		      "%s: YAML -> DTB -> YAML -> DTB differs", path);
	free(b1);
	free(b2);
	if (ns)
		free(sysname[0]);
	free(dir);
}

START_TEST(test_good_configs_round_trip)
{
	static const char *const patterns[] = {
		TOP_DIR "/configs/x86/*.yaml",
		TOP_DIR "/tests/configs/good/*.yaml",
	};
	char tmp[] = "/tmp/cellctl-corpus-XXXXXX", cmd[64];
	glob_t g;
	size_t i, p, total = 0;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	for (p = 0; p < 2; p++) {
		ck_assert_int_eq(glob(patterns[p], 0, NULL, &g), 0);
		for (i = 0; i < g.gl_pathc; i++)
			round_trip(g.gl_pathv[i], tmp);
		total += g.gl_pathc;
		globfree(&g);
	}
	ck_assert_uint_ge(total, 8);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* Each example cell checks clean, without warnings other than COM1. */
START_TEST(test_examples_check_clean)
{
	char *sysname[1], sys[512], *dir;
	glob_t g;
	size_t i;

	ck_assert_int_eq(glob(TOP_DIR "/configs/x86/*.yaml", 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++) {
		if (!comment_values(g.gl_pathv[i], "system", sysname, 1)) {
			run_cellctl(&r, "config", "check", g.gl_pathv[i],
				    NULL);
		} else {
			dir = strdup(g.gl_pathv[i]);
			snprintf(sys, sizeof(sys), "%s/%s", dirname(dir),
				 sysname[0]);
			run_cellctl(&r, "config", "check", sys,
				    g.gl_pathv[i], NULL);
			free(dir);
			free(sysname[0]);
		}
		ck_assert_msg(r.status == 0, "%s:\n%s", g.gl_pathv[i], r.err);
		ck_assert_msg(!strstr(r.err, "error"), "%s:\n%s",
			      g.gl_pathv[i], r.err);
	}
	globfree(&g);
}
END_TEST

static Suite *corpus_suite(void)
{
	Suite *s = suite_create("tools-corpus");
	TCase *tc = tcase_create("corpus");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_bad_corpus);
	tcase_add_test(tc, test_good_configs_round_trip);
	tcase_add_test(tc, test_examples_check_clean);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(corpus_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
