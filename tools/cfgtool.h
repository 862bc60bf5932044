// SPDX-License-Identifier: GPL-2.0
/* cellctl's config front end: YAML parsing, checks, placement, DTB and YAML output. */
#ifndef CELLCTL_CFGTOOL_H
#define CELLCTL_CFGTOOL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"	/* hypervisor/config.h: the in-memory model */

/* A position in a source file; line 0 means "no position" (DTB input). */
struct loc {
	const char *file;
	int line;
	int col;
};

struct diag;

/* Takes each message instead of OUT (config check --json collects them). */
typedef void diag_sink_fn(struct diag *d, const struct loc *at,
			  const char *kind, const char *msg);

struct diag {
	FILE *out;
	unsigned int errors;
	unsigned int warnings;
	diag_sink_fn *sink;
	void *sink_data;
};

void diag_init(struct diag *d, FILE *out);
void diag_error(struct diag *d, const struct loc *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warn(struct diag *d, const struct loc *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_note(struct diag *d, const struct loc *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "(file:line:col)" or "(file)" for a cross-reference; static buffer. */
const char *loc_str(const struct loc *at);

/* Where each part of the model came from, for messages. */
struct mem_src {
	struct loc item, phys, guest, size;
	int has_phys;		/* 0: intent-level, cellctl places it */
	int has_guest;
	int bad;		/* a value did not parse: skip its checks */
};

struct cell_src {
	struct loc item, name, cpus, entry;
	int cpus_bad;		/* missing or unparsable: no follow-ups */
	int has_entry;		/* 0: the default entry 0x0 */
	struct mem_src mem[CFG_MAX_MEM_REGIONS];
	struct loc pio[CFG_MAX_PIO_RANGES];
	struct loc pci[CFG_MAX_PCI_DEVICES];
	struct loc pins[CFG_MAX_PIN_SETS];
	struct loc vdev[CFG_MAX_VDEVS];
	/* Keys of devices and pins, for refusals and warnings. */
	struct loc pci_key, pins_key, vdevs_key;
};

struct sys_src {
	struct loc item, name, hv, hv_phys, console_port, pool, mmconfig;
	struct loc dma_isolation;	/* the key, or the platform mapping */
	int hv_bad;		/* missing or unparsable: no follow-ups */
	struct loc iommu[CFG_MAX_IOMMUS];
	struct loc ioapic[CFG_MAX_IOAPICS];
	struct cell_src root;
};

enum cfg_kind { CFG_KIND_UNKNOWN, CFG_KIND_SYSTEM, CFG_KIND_CELL };

struct cfg_file {
	const char *path;
	enum cfg_kind kind;
	int from_dtb;
	unsigned int errors;	/* errors found while loading it */
	struct cfg_system sys;
	struct sys_src sys_src;
	struct cfg_cell cell;
	struct cell_src cell_src;
};

/* Inputs larger than this are refused unread; YAML nests at most this deep. */
#define CFG_MAX_FILE_SIZE	(1u << 20)
#define CFG_MAX_DEPTH		32
/* The root cell's name: its default in a system config, refused for cells. */
#define CFG_ROOT_CELL_NAME	"root"
/* What cfg_load calls "-", standard input, in messages and cfg_file.path. */
#define CFG_STDIN_PATH		"<stdin>"

/*
 * Loading: YAML or DTB (told apart by content); PATH "-" reads standard
 * input. NULL: nothing usable.
 */
struct cfg_file *cfg_load(const char *path, struct diag *d);
struct cfg_file *cfg_load_yaml(const char *path, const unsigned char *buf,
			       size_t len, struct diag *d);
struct cfg_file *cfg_load_dtb(const char *path, const void *buf, size_t len,
			      struct diag *d);
void cfg_free(struct cfg_file *f);
/* 1 when NAME is a property of the DTB binding (any node), else 0. */
int cfg_dtb_prop_known(const char *name);

/*
 * Places intent-level regions in the pool, then checks every file alone
 * and all of them together. NEED_PLACED: an unplaced region is an error
 * (compile) rather than a note (check).
 */
void cfg_check(struct cfg_file **files, int n, int need_placed,
	       struct diag *d);

/* Where file F starts (its first key; the file alone for a DTB). */
const struct loc *cfg_file_loc(const struct cfg_file *f);

/*
 * A file given where one kind is expected (GIVEN_TO: "-s", "create"):
 * 0, or -EINVAL with an error saying what it is and what goes there
 * (none when the file's kind is unknown: loading said why already).
 */
int cfg_want_system(const struct cfg_file *f, const char *given_to,
		    struct diag *d);
int cfg_want_cell(const struct cfg_file *f, const char *given_to,
		  struct diag *d);

/*
 * Warns about every cell region that IOMEM (this machine's /proc/iomem)
 * lists as System RAM: the driver refuses such a cell at create. Says
 * nothing when IOMEM is unreadable or hides its addresses (not root), or
 * when this is not the machine of the system config among FILES (its
 * hypervisor region is not reserved here, or no system config is given).
 */
void cfg_warn_system_ram(struct cfg_file **files, int n, const char *iomem,
			 struct diag *d);

/*
 * Reads BARs and capabilities of every PCI device that lacks them from
 * ROOT/sys/bus/pci/devices (ROOT "" is this machine).
 */
void cfg_resolve_pci(struct cfg_file **files, int n, const char *root,
		     struct diag *d);

/* Compiles one checked file to a DTB; *blob is malloc'ed. */
int cfg_compile(const struct cfg_file *f, void **blob, size_t *size);

/* Writes a file back as YAML in the documented format. */
void cfg_emit_yaml(const struct cfg_file *f, FILE *out);

/* Helpers shared by the front end and the emitter. */
void cfg_format_cpus(const uint64_t *bitmap, unsigned int nbits, char *buf,
		     size_t size);
void cfg_format_size(uint64_t v, char *buf, size_t size);
/* "4096", "0x1000", "4K", "2M", "1G": as config sizes are written. */
int cfg_parse_size(const char *s, uint64_t *v);
unsigned int cfg_edit_distance(const char *a, const char *b);

/* "cellctl config create" (tools/cmd_config_create.c). */
int config_create_run(int argc, char **argv);

#endif /* CELLCTL_CFGTOOL_H */
