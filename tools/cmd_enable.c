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
 * Without -i the image is looked for next to cellctl (an installed or
 * test-image layout), then in the source tree cellctl was built in.
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
static void *enable_compile(const char *path, size_t *size)
{
	struct cfg_file *f;
	void *blob = NULL;
	struct diag d;

	diag_init(&d, cellctl_err);
	f = cfg_load(path, &d);
	if (f && !d.errors)
		cfg_check(&f, 1, 1, &d);
	if (f && !d.errors && f->kind != CFG_KIND_SYSTEM) {
		fprintf(cellctl_err, "cellctl: %s is a cell config; enable "
			"needs the system config\n", path);
		d.errors++;
	}
	if (f && !d.errors && cfg_compile(f, &blob, size)) {
		fprintf(cellctl_err, "cellctl: %s: cannot compile\n", path);
		d.errors++;
	}
	if (f)
		cfg_free(f);
	if (d.errors && blob) {
		free(blob);
		blob = NULL;
	}
	return blob;
}

static const char *enable_explain(int err)
{
	switch (err) {
	case EPERM:
		return "run as root";
	case ENOENT:
	case ENODEV:
		return "is cellvisor.ko loaded and the CPU supported? "
		       "see dmesg";
	case EEXIST:
		return "the hypervisor is already enabled";
	case EBUSY:
		return "virtualization or the region is in use; see dmesg";
	case EPROTO:
		return "cellctl, driver and image versions do not match";
	default:
		return "see dmesg and the hypervisor console";
	}
}

static int enable_open(void)
{
	int fd = open(CELLVISOR_DEVICE, O_RDWR);

	if (fd < 0)
		fprintf(cellctl_err, "cellctl: %s: %s (%s)\n", CELLVISOR_DEVICE,
			strerror(errno), enable_explain(errno));
	return fd;
}

static int enable_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "image", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct cellvisor_enable arg = { .version = CELLVISOR_IOCTL_VERSION };
	char *image_path = NULL, *def = NULL;
	void *image = NULL, *config = NULL;
	size_t image_size, config_size;
	int opt, fd, ret = CELLCTL_EXIT_FAIL;

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
	if (!image_path) {
		fprintf(cellctl_err, "cellctl: cellvisor.bin not found next "
			"to cellctl; give it with --image\n");
		return CELLCTL_EXIT_FAIL;
	}
	image = enable_read_file(image_path, &image_size);
	if (!image) {
		fprintf(cellctl_err, "cellctl: %s: %s\n", image_path,
			strerror(errno));
		goto out;
	}
	if (cellvisor_header_check(image, image_size, 0, 0)) {
		fprintf(cellctl_err, "cellctl: %s is not a cellvisor image of "
			"ABI %u\n", image_path, CELLVISOR_ABI_MAJOR);
		goto out;
	}
	config = enable_compile(argv[optind], &config_size);
	if (!config)
		goto out;

	fd = enable_open();
	if (fd < 0)
		goto out;
	arg.image = (unsigned long)image;
	arg.image_size = image_size;
	arg.config = (unsigned long)config;
	arg.config_size = config_size;
	if (ioctl(fd, CELLVISOR_ENABLE, &arg))
		fprintf(cellctl_err, "cellctl: enable failed: %s (%s)\n",
			strerror(errno), enable_explain(errno));
	else
		ret = CELLCTL_EXIT_OK;
	close(fd);
out:
	free(config);
	free(image);
	free(def);
	return ret;
}

static int disable_run(int argc, char **argv)
{
	int fd, ret = CELLCTL_EXIT_OK;

	if (cellctl_wants_help(argc, argv)) {
		cellctl_print_usage(cellctl_out, cellctl_find("disable"));
		return CELLCTL_EXIT_OK;
	}
	if (argc != 1)
		return cellctl_usage_error("disable ", "takes no arguments");
	fd = enable_open();
	if (fd < 0)
		return CELLCTL_EXIT_FAIL;
	if (ioctl(fd, CELLVISOR_DISABLE)) {
		fprintf(cellctl_err, "cellctl: disable failed: %s (%s)\n",
			strerror(errno), errno == EINVAL ?
			"the hypervisor is not enabled" : enable_explain(errno));
		ret = CELLCTL_EXIT_FAIL;
	}
	close(fd);
	return ret;
}

CELLCTL_COMMAND(enable, "enable", "load the hypervisor; Linux becomes the "
		"root cell",
		"enable [-i|--image IMAGE] SYSTEM.yaml|SYSTEM.dtb", enable_run);
CELLCTL_COMMAND(disable, "disable", "leave the hypervisor; Linux runs "
		"natively again", "disable", disable_run);
