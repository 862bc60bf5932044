// SPDX-License-Identifier: GPL-2.0
/* cellctl enable / disable: load the hypervisor and hand Linux to it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cellvisor/cell.h>
#include <cellvisor/header.h>
#include <cellvisor/ioctl.h>

#include "cellctl.h"
#include "cfgtool.h"

static void *enable_read_file(const char *path, size_t *size)
{
	struct stat st;
	void *buf = NULL;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && st.st_size > 0) {
		buf = malloc(st.st_size);
		if (buf && read(fd, buf, st.st_size) != st.st_size) {
			free(buf);
			buf = NULL;
			errno = EIO;
		}
	}
	close(fd);
	*size = buf ? (size_t)st.st_size : 0;
	return buf;
}

/*
 * Without -i the image is looked for next to cellctl (the test image's
 * layout), then in the source tree cellctl was built in; an installed
 * cellctl finds neither and lets the driver load the installed one
 * (CELLVISOR_ENABLE_FIRMWARE).
 */
static char *enable_default_image(void)
{
	static const char *const rel[] = {
		"cellvisor.bin", "../hypervisor/cellvisor.bin",
	};
	char exe[PATH_MAX], *path, *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	unsigned int i;

	if (n <= 0)
		return NULL;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = 0;
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		if (asprintf(&path, "%s/%s", exe, rel[i]) < 0)
			return NULL;
		if (!access(path, R_OK))
			return path;
		free(path);
	}
	return NULL;
}

/* YAML or DTB in, checked DTB out (the hypervisor re-checks it anyway). */
static void *enable_compile(const char *path, size_t *size, uint32_t *vendor)
{
	struct cfg_file *f;
	void *blob = NULL;
	struct diag d;

	diag_init(&d, cellctl_err);
	f = cfg_load(path, &d);
	/* A cell's own check errors would hide that it is the wrong file. */
	if (f)
		cfg_want_system(f, "enable", &d);
	if (f && !d.errors)
		cfg_check(&f, 1, 1, &d);
	if (f && !d.errors && cfg_compile(f, &blob, size)) {
		fprintf(cellctl_err, "cellctl: %s: cannot compile\n", path);
		d.errors++;
	}
	if (f) {
		*vendor = f->sys.cpu_vendor;
		cfg_free(f);
	}
	if (d.errors && blob) {
		free(blob);
		blob = NULL;
	}
	return blob;
}

/* The image's own ABI check, before the driver sees it. */
static int enable_check_image(const char *path, const void *image,
			      size_t size)
{
	const struct cellvisor_header *h = image;
	int err = cellvisor_header_check(image, size, 0, 0);

	if (err == -EPROTO)
		fprintf(cellctl_err, "cellctl: %s is a cellvisor image of ABI "
			"%u.%u, this cellctl needs ABI %u.x: use "
			"hypervisor/cellvisor.bin of the same build as cellctl "
			"and cellvisor.ko\n", path, h->abi_version >> 16,
			h->abi_version & 0xffff, CELLVISOR_ABI_MAJOR);
	else if (err)
		fprintf(cellctl_err, "cellctl: %s is not a cellvisor image (no "
			"valid header): give hypervisor/cellvisor.bin with "
			"--image\n", path);
	return err;
}

static int enable_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "image", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct cellvisor_enable arg = { .version = CELLVISOR_IOCTL_VERSION };
	char *image_path = NULL, *def = NULL, hint[512];
	void *image = NULL, *config = NULL;
	size_t image_size, config_size;
	int opt, fd, ret = CELLCTL_EXIT_FAIL;
	uint32_t vendor = CFG_CPU_VENDOR_OTHER;

	if (cellctl_wants_help(argc, argv)) {
		cellctl_print_usage(cellctl_out, cellctl_find("enable"));
		return CELLCTL_EXIT_OK;
	}
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+i:", longopts, NULL)) != -1) {
		if (opt != 'i')
			return cellctl_usage_error("enable ", "unknown option "
						   "'%s'", argv[optind - 1]);
		image_path = optarg;
	}
	if (argc - optind != 1)
		return cellctl_usage_error("enable ", "give one system config");
	if (!image_path)
		image_path = def = enable_default_image();
	if (image_path) {
		image = enable_read_file(image_path, &image_size);
		if (!image) {
			fprintf(cellctl_err, "cellctl: %s: %s\n", image_path,
				strerror(errno));
			goto out;
		}
		if (enable_check_image(image_path, image, image_size))
			goto out;
		arg.image = (unsigned long)image;
		arg.image_size = image_size;
	} else {
		arg.flags = CELLVISOR_ENABLE_FIRMWARE;
	}
	config = enable_compile(argv[optind], &config_size, &vendor);
	if (!config) {
		ret = CELLCTL_EXIT_USAGE;	/* a config error, as for check */
		goto out;
	}

	fd = cellctl_open(CELLVISOR_DEVICE, O_RDWR);
	if (fd < 0)
		goto out;
	arg.config = (unsigned long)config;
	arg.config_size = config_size;
	if (ioctl(fd, CELLVISOR_ENABLE, &arg))
		cellctl_fail("enable failed", CELLCTL_OP_ENABLE, errno,
			     cellctl_enable_hint(errno, cellctl_hv_enabled(),
						 argv[optind], vendor, hint,
						 sizeof(hint)));
	else
		ret = CELLCTL_EXIT_OK;
	close(fd);
out:
	free(config);
	free(image);
	free(def);
	return ret;
}

/* Which cells keep disable from working, for its hint; -1 if unknown. */
static int disable_cells(int fd, struct cellvisor_cell_info *infos, int max)
{
	struct cellvisor_cell_list arg = {
		.version = CELLVISOR_IOCTL_VERSION, .max = max,
		.infos = (uintptr_t)infos,
	};
	int n = ioctl(fd, CELLVISOR_CELL_LIST, &arg);

	return n < max ? n : max;
}

static int disable_run(int argc, char **argv)
{
	struct cellvisor_cell_info cells[8];
	char hint[512];
	int fd, err, n, ret = CELLCTL_EXIT_OK;

	if (cellctl_wants_help(argc, argv)) {
		cellctl_print_usage(cellctl_out, cellctl_find("disable"));
		return CELLCTL_EXIT_OK;
	}
	if (argc != 1)
		return cellctl_usage_error("disable ", "takes no arguments");
	fd = cellctl_open(CELLVISOR_DEVICE, O_RDWR);
	if (fd < 0)
		return CELLCTL_EXIT_FAIL;
	if (ioctl(fd, CELLVISOR_DISABLE)) {
		err = errno;
		n = err == EBUSY ? disable_cells(fd, cells, 8) : 0;
		cellctl_fail("disable failed", CELLCTL_OP_DISABLE, err,
			     cellctl_disable_hint(err, cells, n, hint,
						  sizeof(hint)));
		ret = CELLCTL_EXIT_FAIL;
	}
	close(fd);
	return ret;
}

CELLCTL_COMMAND(enable, "enable", "load the hypervisor; Linux becomes the "
		"root cell",
		"enable [-i|--image IMAGE] SYSTEM.yaml|SYSTEM.dtb\n"
		"  IMAGE: the hypervisor image; default: cellvisor.bin next to "
		"cellctl or\n  in ../hypervisor/, else the installed "
		"/lib/firmware/" CELLVISOR_FIRMWARE, enable_run);
CELLCTL_COMMAND(disable, "disable", "leave the hypervisor; Linux runs "
		"natively again", "disable", disable_run);
