// SPDX-License-Identifier: GPL-2.0
/* Test helper: enable/disable through /dev/cellvisor without cellctl. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cellvisor/ioctl.h>

static void *slurp(const char *path, size_t *size)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		exit(1);
	}
	buf = malloc(st.st_size);
	if (!buf || read(fd, buf, st.st_size) != st.st_size) {
		perror(path);
		exit(1);
	}
	close(fd);
	*size = st.st_size;
	return buf;
}

int main(int argc, char **argv)
{
	struct cellvisor_enable arg = { .version = CELLVISOR_IOCTL_VERSION };
	size_t isize, csize;
	void *img, *cfg;
	int fd, ret;

	if (argc < 2) {
		fprintf(stderr, "usage: enable-ioctl enable IMAGE DTB | disable\n");
		return 2;
	}
	fd = open(CELLVISOR_DEVICE, O_RDWR);
	if (fd < 0) {
		perror(CELLVISOR_DEVICE);
		return 1;
	}
	if (!strcmp(argv[1], "enable") && argc == 4) {
		img = slurp(argv[2], &isize);
		cfg = slurp(argv[3], &csize);
		arg.image = (unsigned long)img;
		arg.image_size = isize;
		arg.config = (unsigned long)cfg;
		arg.config_size = csize;
		ret = ioctl(fd, CELLVISOR_ENABLE, &arg);
	} else if (!strcmp(argv[1], "disable")) {
		ret = ioctl(fd, CELLVISOR_DISABLE);
	} else {
		fprintf(stderr, "usage: enable-ioctl enable IMAGE DTB | disable\n");
		return 2;
	}
	if (ret) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return 0;
}
