// SPDX-License-Identifier: GPL-2.0
/* What a running Linux tells about its machine: /proc, sysfs, ACPI tables. */
#ifndef CELLCTL_CFG_MACHINE_H
#define CELLCTL_CFG_MACHINE_H

#include <stdint.h>
#include <stdio.h>

#define IOMEM_MAX		512
#define MACHINE_MAX_IOAPICS	8
#define MACHINE_MAX_IOMMUS	8
#define MACHINE_MAX_RESERVED	8
#define MACHINE_MAX_PCI		64

/* One line of /proc/iomem; DEPTH 0 is a top-level range. */
struct iomem_range {
	uint64_t start, end;	/* inclusive, as the kernel prints them */
	int depth;
	char name[64];
};

struct iomem {
	unsigned int n;
	struct iomem_range r[IOMEM_MAX];
};

/*
 * Reads an iomem listing. 0 on success; -ENOENT unreadable; -EPERM when
 * every address reads 0 (the kernel hides them from users other than
 * root); -E2BIG when it has more than IOMEM_MAX lines (the first are kept).
 */
int iomem_read(const char *path, struct iomem *m);
int iomem_is_ram(const struct iomem_range *r);

struct machine_range {
	uint64_t start, size;
};

struct machine_ioapic {
	uint32_t id, base, gsi_base;
	/* From a DMAR device scope: requester ID (bus << 8 | devfn). */
	int has_sid;
	uint32_t sid;
};

struct machine_iommu {
	int type;		/* CFG_IOMMU_TYPE_* of hypervisor/config.h */
	uint64_t base, size;
};

struct machine_pci {
	uint32_t bdf, vendor, device, class;
	char driver[32];
};

struct machine {
	const char *root;	/* "" is this machine */
	char vendor[8];		/* "intel", "amd" or "" */
	char vendor_id[16];	/* as /proc/cpuinfo says it */
	int has_virt;		/* vmx or svm among the CPU flags */
	char cpus[128];		/* /sys/devices/system/cpu/present */
	char hostname[64];
	/* memmap=SIZE$ADDR reservations of this boot, largest first. */
	unsigned int n_reserved;
	struct machine_range reserved[MACHINE_MAX_RESERVED];
	char memmap_arg[128];	/* the first memmap= argument, for messages */
	int has_mcfg;
	uint64_t mcfg_base;
	unsigned int bus_start, bus_end;
	int mcfg_other_segments;
	unsigned int n_ioapics;
	struct machine_ioapic ioapic[MACHINE_MAX_IOAPICS];
	unsigned int n_iommus;
	struct machine_iommu iommu[MACHINE_MAX_IOMMUS];
	int has_madt, has_dmar, has_ivrs;
	uint32_t console_port;	/* the first 8250 UART Linux found; 0: none */
	char console_tty[16];
	unsigned int n_pci;
	struct machine_pci pci[MACHINE_MAX_PCI];
	struct iomem iomem;
};

/*
 * Reads everything above from ROOT (a prefix: "" for this machine, or a
 * directory holding a copy of proc/ and sys/). Says what it could not
 * read on ERR; fails (-errno) only without /proc/iomem or /proc/cpuinfo.
 */
int machine_probe(const char *root, struct machine *m, FILE *err);

/* memmap=SIZE$ADDR items of a kernel command line, largest first. */
unsigned int machine_parse_memmap(const char *cmdline,
				  struct machine_range *out, unsigned int max,
				  char *first_arg, size_t first_size);

/*
 * Where a reservation of SIZE bytes fits into this machine's System RAM:
 * the highest ALIGN-aligned place below 4 GiB above 16 MiB (above 4 GiB
 * when nothing below fits). 0 and *PHYS, or -ENOSPC.
 */
int machine_suggest_reserve(const struct iomem *m, uint64_t size,
			    uint64_t align, uint64_t *phys);

#endif /* CELLCTL_CFG_MACHINE_H */
