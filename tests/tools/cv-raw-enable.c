// SPDX-License-Identifier: GPL-2.0
/* Test helper: CELLVISOR_ENABLE with any image and config bytes, unchecked. */
/*
 * cellctl checks a config before it reaches the driver; the hypervisor must
 * re-check it anyway because the root cell is not trusted.  This helper is
 * the untrusted root cell: it passes the files as they are, so system tests
 * can show that the hypervisor itself refuses a tampered DTB.  It is never
 * installed; cellctl has no unchecked mode.
 *
 *   cv-raw-enable IMAGE CONFIG
 *
 * Exit status: 0 when enabled, the errno of the failed ioctl otherwise
 * (so a scenario can tell EINVAL from EPROTO), 1 for other failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cellvisor/ioctl.h>

static void *read_file(const char *path, size_t *size)
{
	struct stat st;
	void *buf = NULL;
	ssize_t n = -1;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st)) {
		/* An empty file still gets a buffer: size 0 goes through. */
		buf = malloc(st.st_size ? st.st_size : 1);
		if (buf)
			n = read(fd, buf, st.st_size);
	}
	close(fd);
	if (n != st.st_size) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	*size = st.st_size;
	return buf;
}

int main(int argc, char **argv)
{
	struct cellvisor_enable arg = { .version = CELLVISOR_IOCTL_VERSION };
	size_t image_size, config_size;
	void *image, *config;
	int fd, err;

	if (argc != 3) {
		fprintf(stderr, "usage: cv-raw-enable IMAGE CONFIG\n");
		return 1;
	}
	image = read_file(argv[1], &image_size);
	config = read_file(argv[2], &config_size);
	if (!image || !config) {
		fprintf(stderr, "cv-raw-enable: %s: %s\n",
			image ? argv[2] : argv[1], strerror(errno));
		return 1;
	}
	fd = open(CELLVISOR_DEVICE, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "cv-raw-enable: %s: %s\n", CELLVISOR_DEVICE,
			strerror(errno));
		return 1;
	}
	arg.image = (unsigned long)image;
	arg.image_size = image_size;
	arg.config = (unsigned long)config;
	arg.config_size = config_size;
	err = ioctl(fd, CELLVISOR_ENABLE, &arg) ? errno : 0;
	close(fd);
	if (err) {
		printf("cv-raw-enable: enable failed: %s (errno %d)\n",
		       strerror(err), err);
		return err;
	}
	printf("cv-raw-enable: enabled\n");
	return 0;
}
