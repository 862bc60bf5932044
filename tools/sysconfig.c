// SPDX-License-Identifier: GPL-2.0
/* The running system config, for the commands given no -s. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cellvisor/ioctl.h>

#include "cellctl.h"
#include "cfgtool.h"
#include "sysconfig.h"

/* How messages name it, where a file name would stand. */
const char cellctl_running_path[] = "running system config";

/* The driver's copy, in a malloc'ed buffer; negative errno on failure. */
static int sysconfig_fetch(void **blob, size_t *size)
{
	struct cellvisor_system_config arg = {
		.version = CELLVISOR_IOCTL_VERSION,
		.size = CELLVISOR_MAX_CONFIG_SIZE,
	};
	int fd, err = 0;
	void *buf;

	buf = malloc(CELLVISOR_MAX_CONFIG_SIZE);
	if (!buf)
		return -ENOMEM;
	arg.buf = (uintptr_t)buf;
	fd = cellctl_open(CELLVISOR_DEVICE, O_RDWR);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	if (ioctl(fd, CELLVISOR_SYSTEM_CONFIG, &arg))
		err = -errno;
	else if (!arg.size || arg.size > CELLVISOR_MAX_CONFIG_SIZE)
		err = -EPROTO;
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*blob = buf;
	*size = arg.size;
	return 0;
}

/* Why there is no running config to use, and what to do instead. */
static void sysconfig_none(const char *cmd, int enabled)
{
	if (enabled < 0)
		fprintf(cellctl_err, "cellctl: %s: no -s SYSTEM given and "
			"cellvisor.ko is not loaded, so there is no running "
			"system config; load it (modprobe cellvisor), run "
			"'cellctl enable SYSTEM.yaml', or give -s SYSTEM.yaml\n",
			cmd);
	else
		fprintf(cellctl_err, "cellctl: %s: no -s SYSTEM given and the "
			"hypervisor is not enabled, so there is no running "
			"system config; run 'cellctl enable SYSTEM.yaml' first, "
			"or give -s SYSTEM.yaml\n", cmd);
}

struct cfg_file *cellctl_running_system(const char *cmd, struct diag *d)
{
	int enabled = cellctl_hv_enabled(), err;
	struct cfg_file *f;
	void *blob = NULL;
	size_t size = 0;

	if (enabled != 1) {
		sysconfig_none(cmd, enabled);
		d->errors++;
		return NULL;
	}
	err = sysconfig_fetch(&blob, &size);
	if (err) {
		fprintf(cellctl_err, "cellctl: %s: cannot read the running "
			"system config from the driver: %s (%s)\n", cmd,
			strerror(-err), err == -ENOTTY ? "cellvisor.ko is older "
			"than cellctl: give -s SYSTEM.yaml, or install a "
			"matching driver" : "give -s SYSTEM.yaml");
		d->errors++;
		return NULL;
	}
	f = cfg_load_dtb(cellctl_running_path, blob, size, d);
	free(blob);
	if (f && f->kind != CFG_KIND_SYSTEM) {
		diag_error(d, &(struct loc){ cellctl_running_path, 0, 0 },
			   "the driver handed back no system config");
		cfg_free(f);
		f = NULL;
	}
	return f;
}

int cellctl_system_running(void)
{
	return cellctl_hv_enabled() == 1;
}
