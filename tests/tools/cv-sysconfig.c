// SPDX-License-Identifier: GPL-2.0
/* Test helper: the CELLVISOR_SYSTEM_CONFIG ioctl with any buffer size, version and flags. */
/*
 *   cv-sysconfig SIZE [VERSION [FLAGS]]
 *
 * Asks the driver for the running system config into a buffer of SIZE
 * bytes and writes what it got to stdout. Prints "size N" (the size the
 * driver reported) on stderr. Exit status: 0 on success, the errno of a
 * failed ioctl (ENOSPC, ENODEV, EPROTO, EINVAL), 1 for other failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cellvisor/ioctl.h>

int main(int argc, char **argv)
{
	struct cellvisor_system_config arg = {
		.version = CELLVISOR_IOCTL_VERSION,
	};
	void *buf;
	int fd, err;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: cv-sysconfig SIZE [VERSION [FLAGS]]\n");
		return 1;
	}
	arg.size = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		arg.version = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		arg.flags = strtoul(argv[3], NULL, 0);
	buf = malloc(arg.size ? arg.size : 1);
	fd = open(CELLVISOR_DEVICE, O_RDWR);
	if (!buf || fd < 0) {
		fprintf(stderr, "cv-sysconfig: %s\n", strerror(errno));
		return 1;
	}
	arg.buf = (uintptr_t)buf;
	err = ioctl(fd, CELLVISOR_SYSTEM_CONFIG, &arg) ? errno : 0;
	close(fd);
	fprintf(stderr, "size %llu\n", (unsigned long long)arg.size);
	if (err) {
		fprintf(stderr, "cv-sysconfig: %s (errno %d)\n", strerror(err),
			err);
		return err;
	}
	if (fwrite(buf, 1, arg.size, stdout) != arg.size)
		return 1;
	return 0;
}
