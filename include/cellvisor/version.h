/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* The release version: cellctl --version, MODULE_VERSION, dkms.conf, make install. */
#ifndef _CELLVISOR_VERSION_H
#define _CELLVISOR_VERSION_H

#define CELLVISOR_VERSION	"0.1.0"

#endif /* _CELLVISOR_VERSION_H */
