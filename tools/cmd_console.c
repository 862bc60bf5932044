// SPDX-License-Identifier: GPL-2.0
/* cellctl console [-f]: print the hypervisor's console ring, or follow it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cellvisor/console.h>

#include "cellctl.h"

/* How often -f looks for new output: quick enough to feel live. */
#define CONSOLE_POLL_NS		200000000L

/* Copies everything new to cellctl_out; 0 at the end, -errno on failure. */
static int console_drain(int fd)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		if (fwrite(buf, 1, n, cellctl_out) != (size_t)n)
			return -EIO;
	}
}

static int console_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const struct timespec pause = { 0, CONSOLE_POLL_NS };
	int follow = 0, c, fd, err;

	if (cellctl_wants_help(argc, argv)) {
		cellctl_print_usage(cellctl_out, cellctl_find("console"));
		return CELLCTL_EXIT_OK;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+f", opts, NULL)) != -1) {
		if (c != 'f')
			return cellctl_usage_error("console ", "unknown option "
						   "'%s'", argv[optind - 1]);
		follow = 1;
	}
	if (optind < argc)
		return cellctl_usage_error("console ", "unexpected argument "
					   "'%s'", argv[optind]);

	fd = cellctl_open(CELLVISOR_CONSOLE_DEVICE, O_RDONLY);
	if (fd < 0)
		return CELLCTL_EXIT_FAIL;
	do {
		err = console_drain(fd);
		fflush(cellctl_out);
		if (err || !follow)
			break;
		nanosleep(&pause, NULL);
	} while (1);
	close(fd);
	if (err) {
		cellctl_fail("console", CELLCTL_OP_CONSOLE, -err, NULL);
		return CELLCTL_EXIT_FAIL;
	}
	return CELLCTL_EXIT_OK;
}

CELLCTL_COMMAND(console, "console", "print the hypervisor's console "
		"messages (also without a serial port)",
		"console [-f|--follow]\n"
		"  -f, --follow  keep printing new messages until interrupted",
		console_run);
