// SPDX-License-Identifier: GPL-2.0
/* Every registered cellctl command has a man page section, completion, --help. */
#include <check.h>
#include <regex.h>

#include TEST_HELPERS

/* The registry cellctl dispatches from (tools/cellctl.c walks the same). */
extern const struct cellctl_cmd *const __start_cellctl_cmds[];
extern const struct cellctl_cmd *const __stop_cellctl_cmds[];

/* "config" has subcommands of its own; each is documented like a command. */
static const char *const config_subcmds[] = { "check", "compile", "show" };

static struct run_result r;

static char *read_text(const char *rel)
{
	char path[512];
	char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", TOP_DIR, rel);
	f = fopen(path, "r");
	ck_assert_msg(f, "%s cannot be read", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, n, f), n);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* Does TEXT hold a line matching the extended regex PATTERN? */
static int has_line(const char *text, const char *pattern)
{
	regex_t re;
	int found;

	ck_assert_int_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE |
				 REG_NOSUB), 0);
	found = !regexec(&re, text, 0, NULL, 0);
	regfree(&re);
	return found;
}

/* The lines between ".SH TITLE" and the next ".SH" of a man page. */
static char *man_section(const char *man, const char *title)
{
	char head[64];
	const char *start, *end;

	snprintf(head, sizeof(head), ".SH %s\n", title);
	start = strstr(man, head);
	ck_assert_msg(start, "man page has no %s section", title);
	start += strlen(head);
	end = strstr(start, "\n.SH ");
	return strndup(start, end ? (size_t)(end - start) : strlen(start));
}

/* SYNOPSIS names the command ("cellctl create"), COMMANDS describes it. */
static int man_documents(const char *man, const char *words)
{
	char *synopsis = man_section(man, "SYNOPSIS");
	char *commands = man_section(man, "COMMANDS");
	char pat[128];
	int ok;

	snprintf(pat, sizeof(pat), "^\\.B cellctl %s( |$)", words);
	ok = has_line(synopsis, pat);
	/* A command's entry is a tagged paragraph: ".TP" then ".B NAME ...". */
	snprintf(pat, sizeof(pat), "^\\.B %s( |$)", words);
	ok = ok && has_line(commands, pat) && strstr(commands, ".TP\n");
	free(synopsis);
	free(commands);
	return ok;
}

/* The completion's case on ${words[1]} has a pattern naming the command. */
static int completion_has(const char *comp, const char *name)
{
	char pat[128];

	snprintf(pat, sizeof(pat), "^\t([a-z-]+\\|)*%s(\\|[a-z-]+)*\\)$", name);
	return has_line(comp, pat);
}

static int command_count(void)
{
	return __stop_cellctl_cmds - __start_cellctl_cmds;
}

START_TEST(test_registry_not_empty)
{
	/* Guards the loops below against a registry the linker dropped. */
	ck_assert_int_ge(command_count(), 11);
}
END_TEST

START_TEST(test_man_page_has_every_command)
{
	char *man = read_text("tools/cellctl.8");
	const char *name = __start_cellctl_cmds[_i]->name;

	ck_assert_msg(man_documents(man, name),
		      "tools/cellctl.8 lacks 'cellctl %s' in SYNOPSIS or "
		      "'.B %s' in COMMANDS", name, name);
	free(man);
}
END_TEST

START_TEST(test_completion_has_every_command)
{
	char *comp = read_text("tools/cellctl.bash-completion");
	const char *name = __start_cellctl_cmds[_i]->name;

	ck_assert_msg(completion_has(comp, name),
		      "tools/cellctl.bash-completion has no '%s)' case", name);
	free(comp);
}
END_TEST

START_TEST(test_every_command_has_help)
{
	const char *name = __start_cellctl_cmds[_i]->name;
	char want[64];

	snprintf(want, sizeof(want), "usage: cellctl %s", name);
	run_cellctl(&r, name, "--help", NULL);
	ck_assert_msg(r.status == 0, "cellctl %s --help exits %d", name,
		      r.status);
	ck_assert_msg(!strncmp(r.out, want, strlen(want)),
		      "cellctl %s --help prints '%.40s'", name, r.out);
	ck_assert_str_eq(r.err, "");
	/* "cellctl help NAME" prints the same usage. */
	run_cellctl(&r, "help", name, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, want), "cellctl help %s: '%.40s'", name,
		      r.out);
}
END_TEST

START_TEST(test_config_subcommands_documented)
{
	char *man = read_text("tools/cellctl.8");
	char *comp = read_text("tools/cellctl.bash-completion");
	const char *sub = config_subcmds[_i];
	char words[32], want[64];

	snprintf(words, sizeof(words), "config %s", sub);
	ck_assert_msg(man_documents(man, words), "cellctl.8 lacks '%s'", words);
	snprintf(want, sizeof(want), "compgen -W \"[^\"]*\\<%s\\>", sub);
	ck_assert_msg(has_line(comp, want), "completion lacks config %s", sub);
	snprintf(want, sizeof(want), "usage: cellctl config %s", sub);
	run_cellctl(&r, "config", sub, "--help", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, want), "config %s --help: '%.40s'", sub,
		      r.out);
	free(man);
	free(comp);
}
END_TEST

/* The checkers themselves must see a missing entry, or the tests above
 * could never fail. */
START_TEST(test_checkers_see_missing_entries)
{
	static const char man[] =
		".SH SYNOPSIS\n.B cellctl start\n.I NAME\n"
		".SH COMMANDS\n.TP\n.B start \\fINAME\\fR\nStarts.\n"
		".TP\n.B stop\nnot in the synopsis\n.SH EXIT STATUS\n";
	static const char comp[] = "\tcase x in\n\tstart|shutdown)\n\t\t;;\n"
		"\t*)\n\t\t;;\n";

	ck_assert(man_documents(man, "start"));
	ck_assert(!man_documents(man, "stop"));
	ck_assert(!man_documents(man, "sta"));
	ck_assert(!man_documents(man, "destroy"));
	ck_assert(completion_has(comp, "start"));
	ck_assert(completion_has(comp, "shutdown"));
	ck_assert(!completion_has(comp, "shut"));
	ck_assert(!completion_has(comp, "destroy"));
	/* An unknown command's --help is not a usage. */
	run_cellctl(&r, "frobnicate", "--help", NULL);
	ck_assert_int_ne(r.status, 0);
}
END_TEST

static Suite *docs_suite(void)
{
	Suite *s = suite_create("tools-docs");
	TCase *tc = tcase_create("commands");
	int n = command_count();

	tcase_add_test(tc, test_registry_not_empty);
	tcase_add_loop_test(tc, test_man_page_has_every_command, 0, n);
	tcase_add_loop_test(tc, test_completion_has_every_command, 0, n);
	tcase_add_loop_test(tc, test_every_command_has_help, 0, n);
	tcase_add_loop_test(tc, test_config_subcommands_documented, 0,
			    sizeof(config_subcmds) / sizeof(config_subcmds[0]));
	tcase_add_test(tc, test_checkers_see_missing_entries);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(docs_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
