/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* /dev/cellvisor ioctl interface between cellctl and the driver. */
#ifndef _CELLVISOR_IOCTL_H
#define _CELLVISOR_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define CELLVISOR_DEVICE		"/dev/cellvisor"
/* "1" while the hypervisor is enabled (the module is then held), else "0". */
#define CELLVISOR_SYSFS_ENABLED		"/sys/class/misc/cellvisor/enabled"

/*
 * Version of this ioctl interface.  Every argument struct starts with a
 * version field the caller sets to CELLVISOR_IOCTL_VERSION; the driver
 * refuses others with -EPROTO so an old tool never passes a misread struct.
 */
#define CELLVISOR_IOCTL_VERSION		1

/* Largest image / config the driver copies in (sanity bound only). */
#define CELLVISOR_MAX_IMAGE_SIZE	(16u << 20)
#define CELLVISOR_MAX_CONFIG_SIZE	(256u << 10)

/*
 * The hypervisor image installed for the kernel's firmware loader, under
 * /lib/firmware: what CELLVISOR_ENABLE_FIRMWARE loads.
 */
#define CELLVISOR_FIRMWARE		"cellvisor/cellvisor.bin"
/* Enable flag: the driver loads CELLVISOR_FIRMWARE; image must be 0. */
#define CELLVISOR_ENABLE_FIRMWARE	(1u << 0)

struct cellvisor_enable {
	__u32 version;		/* CELLVISOR_IOCTL_VERSION */
	__u32 flags;		/* 0 or CELLVISOR_ENABLE_FIRMWARE */
	__u64 image;		/* user pointer to cellvisor.bin, or 0 */
	__u64 image_size;	/* 0 with CELLVISOR_ENABLE_FIRMWARE */
	__u64 config;		/* user pointer to the system DTB */
	__u64 config_size;
};

/*
 * The system config (DTB) the running hypervisor was enabled with, as
 * cellctl gave it: cellctl checks and places cells against it when no
 * system config is named.  The caller sets size to buf's bytes; the
 * driver sets it to the blob's.  Errors: -ENODEV, not enabled; -ENOSPC,
 * buf too small (size says how much is needed, nothing is copied).
 */
struct cellvisor_system_config {
	__u32 version;		/* CELLVISOR_IOCTL_VERSION */
	__u32 flags;		/* must be 0 */
	__u64 buf;		/* user pointer */
	__u64 size;		/* in: buf's bytes; out: the blob's */
};

#define CELLVISOR_IOCTL_MAGIC		0xCE

/* Load the hypervisor and move Linux into the root cell. */
#define CELLVISOR_ENABLE	_IOW(CELLVISOR_IOCTL_MAGIC, 0x00, \
				     struct cellvisor_enable)
/* Leave the hypervisor; Linux runs natively again.  No argument. */
#define CELLVISOR_DISABLE	_IO(CELLVISOR_IOCTL_MAGIC, 0x01)
/* A copy of the running system config; at most CELLVISOR_MAX_CONFIG_SIZE. */
#define CELLVISOR_SYSTEM_CONFIG	_IOWR(CELLVISOR_IOCTL_MAGIC, 0x02, \
				      struct cellvisor_system_config)

#endif /* _CELLVISOR_IOCTL_H */
