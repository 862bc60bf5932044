// SPDX-License-Identifier: GPL-2.0
/* What an errno from the driver means to the user: the one table, and opening its devices. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <cellvisor/cell.h>
#include <cellvisor/config.h>
#include <cellvisor/ioctl.h>

#include "cellctl.h"
#include "cfgtool.h"

struct cellctl_hint {
	enum cellctl_op op;	/* CELLCTL_OP_ANY: every operation */
	int err;
	const char *text;
};

/*
 * First match wins: an operation's own entries come before the ANY ones.
 * Each says what was wrong and what to do; Documentation/troubleshooting.md
 * has a row for each (tests/unit/tools/check-doc-messages).
 */
static const struct cellctl_hint cellctl_hints[] = {
	{ CELLCTL_OP_OPEN, ENOENT,
	  "cellvisor.ko is not loaded: modprobe cellvisor, or insmod "
	  "driver/cellvisor.ko in the source tree" },
	{ CELLCTL_OP_OPEN, ENXIO,
	  "cellvisor.ko is not loaded: modprobe cellvisor, or insmod "
	  "driver/cellvisor.ko in the source tree" },
	{ CELLCTL_OP_OPEN, ENODEV,
	  "cellvisor.ko is not loaded: modprobe cellvisor, or insmod "
	  "driver/cellvisor.ko in the source tree" },
	{ CELLCTL_OP_ENABLE, ENOENT,
	  "no hypervisor image: none next to cellctl and none installed as "
	  "/lib/firmware/" CELLVISOR_FIRMWARE " (make install); or give "
	  "--image FILE" },
	{ CELLCTL_OP_ENABLE, ENODEV,
	  "no usable VT-x or AMD-V on this CPU; dmesg says what is missing" },
	{ CELLCTL_OP_ENABLE, EBUSY,
	  "VT-x/AMD-V is held by another hypervisor (KVM), or the region by "
	  "another driver; dmesg says which" },
	{ CELLCTL_OP_ENABLE, ENOEXEC,
	  "the system config is for the other CPU vendor: use one written "
	  "for this machine (see dmesg)" },
	{ CELLCTL_OP_ENABLE, EFBIG,
	  "the hypervisor region is too small: grow hypervisor size and "
	  "memmap= (see dmesg)" },
	{ CELLCTL_OP_ENABLE, E2BIG,
	  "more CPUs online than the hypervisor image supports (see dmesg)" },
	{ CELLCTL_OP_ENABLE, ERANGE,
	  "the root cell's cpus are not the CPUs online: list them all in "
	  "the system config (see cellctl console)" },
	{ CELLCTL_OP_ENABLE, EINVAL,
	  "the driver or the hypervisor refused the config or the machine; "
	  "dmesg and cellctl console say why" },
	{ CELLCTL_OP_DISABLE, EINVAL, "the hypervisor is not enabled" },
	{ CELLCTL_OP_DISABLE, EBUSY,
	  "cells exist: destroy them first (cellctl list)" },
	{ CELLCTL_OP_CELL, ENODEV,
	  "the hypervisor is not enabled: cellctl enable SYSTEM.yaml first" },
	{ CELLCTL_OP_CELL, ESRCH, "no cell of that name (cellctl list)" },
	{ CELLCTL_OP_CELL, EEXIST,
	  "a cell with that name, CPU or memory exists already" },
	{ CELLCTL_OP_CELL, EBUSY,
	  "a CPU could not be taken from Linux (a task pinned to it?), or "
	  "the cell is running; see dmesg" },
	{ CELLCTL_OP_CELL, EAGAIN,
	  "the cell refused to shut down and still runs: ask its inmate to "
	  "agree and try again, or 'cellctl destroy NAME' stops it without "
	  "asking" },
	{ CELLCTL_OP_CELL, EINVAL,
	  "the hypervisor refused it; cellctl console says why" },
	{ CELLCTL_OP_CELL, EADDRINUSE,
	  "a memory region of the cell is System RAM that Linux uses: put it "
	  "in the memmap= reserved region or reserve its range with memmap=; "
	  "dmesg names it" },
	{ CELLCTL_OP_CELL, ENOEXEC,
	  "nothing was loaded into the cell: cellctl load NAME IMAGE first" },
	{ CELLCTL_OP_CELL, ERANGE, "outside the cell's loadable memory" },
	{ CELLCTL_OP_CELL, EIO,
	  "a device did not answer (a PCI device after its reset, or the "
	  "IOMMU); cellctl console says which" },
	{ CELLCTL_OP_CELL, ENOSPC,
	  "no room for another cell; destroy one first (see dmesg and "
	  "cellctl console)" },
	{ CELLCTL_OP_CELL, ENOSYS,
	  "the driver or hypervisor has no cell support" },
	{ CELLCTL_OP_CELL, ENOTTY,
	  "the driver or hypervisor has no cell support" },
	{ CELLCTL_OP_CONSOLE, EINVAL,
	  "the hypervisor refused the read; see dmesg" },
	{ CELLCTL_OP_CONSOLE, EIO,
	  "malformed answer: driver and image from different builds? see "
	  "dmesg" },
	{ CELLCTL_OP_STATS, ENOENT,
	  "cellvisor.ko is not loaded: modprobe cellvisor, or insmod "
	  "driver/cellvisor.ko in the source tree" },
	{ CELLCTL_OP_STATS, ENODEV,
	  "the hypervisor is not enabled: cellctl enable SYSTEM.yaml first" },
	{ CELLCTL_OP_DESTROY, EBUSY,
	  "a root process holds the cell's shared memory, or a CPU of the "
	  "cell does not stop; dmesg says which" },
	{ CELLCTL_OP_SHM, ENOENT,
	  "the cell has no region of that name: use a memory region's name "
	  "from its config" },
	{ CELLCTL_OP_SHM, EACCES,
	  "that region is the cell's alone: mark it 'shared: true' in the "
	  "cell config to use it from Linux" },
	{ CELLCTL_OP_ANY, EACCES, "run as root" },
	{ CELLCTL_OP_ANY, EPERM, "run as root" },
	{ CELLCTL_OP_ANY, EPROTO,
	  "cellctl, driver and image versions do not match: use all three "
	  "from one build (see dmesg)" },
};

static const char *hint_lookup(enum cellctl_op op, int err)
{
	size_t i;

	for (i = 0; i < sizeof(cellctl_hints) / sizeof(cellctl_hints[0]); i++)
		if (cellctl_hints[i].err == err && cellctl_hints[i].op == op)
			return cellctl_hints[i].text;
	return NULL;
}

/* An operation's own entry, then its family's (CELL), then ANY. */
const char *cellctl_hint(enum cellctl_op op, int err)
{
	const char *hint = hint_lookup(op, err);

	if (!hint && (op == CELLCTL_OP_DESTROY || op == CELLCTL_OP_SHM))
		hint = hint_lookup(CELLCTL_OP_CELL, err);
	if (!hint)
		hint = hint_lookup(CELLCTL_OP_ANY, err);
	return hint ? hint : "see dmesg and cellctl console";
}

const char *cellctl_enable_hint(int err, int enabled, const char *path,
				uint32_t vendor, char *buf, size_t size)
{
	static const char *const machines[] = { "an Intel VT-x machine",
						"an AMD-V machine" };
	static const char *const vendors[] = { CFG_CPU_INTEL, CFG_CPU_AMD };

	if (err == EBUSY && enabled == 1)
		return "the hypervisor is already enabled; run 'cellctl "
		       "disable' first";
	if (err == ENOEXEC && vendor <= CFG_CPU_VENDOR_AMD) {
		snprintf(buf, size, "%s is for %s (cpu-vendor: %s), not for "
			 "this CPU: use a system config written for this "
			 "machine; dmesg names it", path, machines[vendor],
			 vendors[vendor]);
		return buf;
	}
	return cellctl_hint(CELLCTL_OP_ENABLE, err);
}

const char *cellctl_disable_hint(int err,
				 const struct cellvisor_cell_info *cells,
				 int n, char *buf, size_t size)
{
	size_t len;
	int i;

	if (err != EBUSY || n <= 0)
		return cellctl_hint(CELLCTL_OP_DISABLE, err);
	len = snprintf(buf, size, "destroy cell(s) ");
	for (i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s'%.*s'",
				i ? ", " : "", CELLVISOR_CELL_NAME_LEN,
				cells[i].name);
	if (len < size)
		snprintf(buf + len, size - len, " first (cellctl list)");
	return buf;
}

void cellctl_fail(const char *what, enum cellctl_op op, int err,
		  const char *hint)
{
	fprintf(cellctl_err, "cellctl: %s: %s (%s)\n", what, strerror(err),
		hint ? hint : cellctl_hint(op, err));
}

int cellctl_open(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		cellctl_fail(path, CELLCTL_OP_OPEN, errno, NULL);
	return fd;
}

int cellctl_hv_enabled(void)
{
	FILE *f = fopen(CELLVISOR_SYSFS_ENABLED, "r");
	int enabled = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &enabled) != 1)
		enabled = -1;
	fclose(f);
	return enabled;
}
