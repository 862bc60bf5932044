// SPDX-License-Identifier: GPL-2.0
/* cellctl shm NAME REGION [-w] [-o OFFSET] [-n LENGTH]: a cell's shared memory from the root. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cellvisor/cell.h>
#include <cellvisor/ioctl.h>

#include "cellctl.h"

struct shm_args {
	const char *cell;
	const char *region;
	int write;
	uint64_t offset;
	uint64_t length;	/* 0: to the end of the region */
};

/* The region mapped whole; NULL after saying why. */
static void *shm_map(const struct shm_args *a, uint64_t *size)
{
	struct cellvisor_cell_shm arg = { .version = CELLVISOR_IOCTL_VERSION };
	int dev, fd;
	void *p;

	snprintf(arg.name, sizeof(arg.name), "%s", a->cell);
	snprintf(arg.region, sizeof(arg.region), "%s", a->region);
	dev = cellctl_open(CELLVISOR_DEVICE, O_RDWR);
	if (dev < 0)
		return NULL;
	fd = ioctl(dev, CELLVISOR_CELL_SHM, &arg);
	if (fd < 0)
		cellctl_fail("shm", CELLCTL_OP_SHM, errno, NULL);
	close(dev);
	if (fd < 0)
		return NULL;
	p = mmap(NULL, arg.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	/* The mapping keeps the region (and the cell) held on its own. */
	close(fd);
	if (p == MAP_FAILED) {
		cellctl_fail("shm: mmap", CELLCTL_OP_SHM, errno, NULL);
		return NULL;
	}
	*size = arg.size;
	return p;
}

/* All of stdin; NULL after saying why. */
static char *shm_read_input(size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *bigger;
	ssize_t r;

	while (buf) {
		r = read(STDIN_FILENO, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0) {
				*len = n;
				return buf;
			}
			fprintf(cellctl_err, "cellctl: shm: reading stdin: "
				"%s\n", strerror(errno));
			break;
		}
		n += r;
		if (n == cap) {
			bigger = realloc(buf, cap *= 2);
			if (!bigger)
				break;
			buf = bigger;
		}
	}
	free(buf);
	return NULL;
}

/*
 * Writes stdin into the region at the offset.  The region is mapped
 * first, so the cell stays while the input comes; input that does not
 * fit is refused before anything is written.
 */
static int shm_write(const struct shm_args *a, char *p, uint64_t room)
{
	size_t len;
	char *in = shm_read_input(&len);

	if (!in)
		return CELLCTL_EXIT_FAIL;
	if (len > room) {
		fprintf(cellctl_err, "cellctl: shm: %zu bytes of input, room "
			"for %" PRIu64 " at offset 0x%" PRIx64 " of '%s': "
			"nothing written; shorten the input or use -n/-o\n",
			len, room, a->offset, a->region);
		free(in);
		return CELLCTL_EXIT_FAIL;
	}
	memcpy(p + a->offset, in, len);
	free(in);
	return CELLCTL_EXIT_OK;
}

static int shm_parse(int argc, char **argv, struct shm_args *a)
{
	static const struct option opts[] = {
		{ "write", no_argument, NULL, 'w' },
		{ "offset", required_argument, NULL, 'o' },
		{ "length", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* No '+': options may follow NAME REGION, as the usage shows. */
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "wo:n:", opts, NULL)) != -1) {
		if (c == 'w') {
			a->write = 1;
		} else if ((c == 'o' || c == 'n') &&
			   !cellctl_parse_u64(optarg, c == 'o' ? &a->offset :
							     &a->length)) {
			continue;
		} else {
			return cellctl_usage_error("shm ", c == '?' ?
				"unknown option '%s'" : "'%s' is not a number",
				c == '?' ? argv[optind - 1] : optarg);
		}
	}
	if (argc - optind != 2)
		return cellctl_usage_error("shm ", "give a cell and a region "
					   "name");
	a->cell = argv[optind];
	a->region = argv[optind + 1];
	return 0;
}

static int shm_run(int argc, char **argv)
{
	struct shm_args a = { 0 };
	uint64_t size, len;
	int ret;
	char *p;

	if (cellctl_wants_help(argc, argv)) {
		cellctl_print_usage(cellctl_out, cellctl_find("shm"));
		return CELLCTL_EXIT_OK;
	}
	ret = shm_parse(argc, argv, &a);
	if (ret)
		return ret;
	p = shm_map(&a, &size);
	if (!p)
		return CELLCTL_EXIT_FAIL;
	len = a.offset < size ? size - a.offset : 0;
	if (a.length && a.length <= len)
		len = a.length;
	if (a.offset >= size || (a.length && a.length > size - a.offset)) {
		fprintf(cellctl_err, "cellctl: shm: offset 0x%" PRIx64
			" length %" PRIu64 " is outside '%s' (%" PRIu64
			" bytes)\n", a.offset, a.length, a.region, size);
		ret = CELLCTL_EXIT_USAGE;
	} else if (a.write) {
		ret = shm_write(&a, p, len);
	} else {
		ret = fwrite(p + a.offset, 1, len, cellctl_out) == len ?
		      CELLCTL_EXIT_OK : CELLCTL_EXIT_FAIL;
	}
	munmap(p, size);
	return ret;
}

CELLCTL_COMMAND(shm, "shm", "read or write a cell's shared memory region "
		"from Linux",
		"shm NAME REGION [-w|--write] [-o|--offset N] [-n|--length N]\n"
		"  REGION: the name of a region with 'shared: true' in the "
		"cell config\n"
		"  without -w: copy the region (from the offset, length "
		"bytes) to stdout\n"
		"  -w, --write   copy stdin into the region at the offset; "
		"the cell is not\n"
		"                destroyed while cellctl holds the region",
		shm_run);
