// SPDX-License-Identifier: GPL-2.0
/* Hypervisor-side reader and validator of compiled (DTB) configs. */
#ifndef CELLVISOR_HV_CONFIG_H
#define CELLVISOR_HV_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <cellvisor/config.h>

/*
 * Freestanding code: errno values are defined here when no libc header
 * supplied them, so this file compiles in the hypervisor and on the host.
 */
#ifndef EINVAL
#define EINVAL		22
#endif
#ifndef E2BIG
#define E2BIG		7
#endif
#ifndef EBUSY
#define EBUSY		16
#endif
#ifndef ERANGE
#define ERANGE		34
#endif
#ifndef EPROTO
#define EPROTO		71
#endif
#ifndef ENOEXEC
#define ENOEXEC		8
#endif

/* In the order of their names in CFG_PROP_CPU_VENDOR's values. */
enum cfg_cpu_vendor { CFG_CPU_VENDOR_INTEL, CFG_CPU_VENDOR_AMD,
		      CFG_CPU_VENDOR_OTHER };
enum cfg_console_type { CFG_CONSOLE_TYPE_NONE, CFG_CONSOLE_TYPE_8250 };
enum cfg_apic_mode { CFG_APIC_MODE_AUTO, CFG_APIC_MODE_XAPIC,
		     CFG_APIC_MODE_X2APIC };
enum cfg_dma_isolation { CFG_DMA_ISOL_IOMMU, CFG_DMA_ISOL_NONE };
enum cfg_iommu_type { CFG_IOMMU_TYPE_VTD, CFG_IOMMU_TYPE_AMDVI };
/* In the order of the names in CFG_VDEV_TYPES (include/cellvisor/config.h). */
enum cfg_vdev_type { CFG_VDEV_TYPE_IVSHMEM, CFG_VDEV_TYPE_UART,
		     CFG_VDEV_TYPE_ISA_REDIRECT, CFG_VDEV_TYPE_PC_LEGACY };

/* Which optional properties a virtual device carries. */
#define CFG_VDEV_HAS_BDF	(1u << 0)
#define CFG_VDEV_HAS_BASE	(1u << 1)
#define CFG_VDEV_HAS_SIZE	(1u << 2)

struct cfg_mem_region {
	uint64_t phys;
	uint64_t guest;
	uint64_t size;
	uint32_t flags;			/* CFG_MEM_* */
	char name[CFG_MAX_NAME];	/* "" when unnamed */
};

struct cfg_pio_range {
	uint32_t base;
	uint32_t length;
};

struct cfg_pci_device {
	uint32_t bdf;			/* bus << 8 | dev << 3 | fn */
	/*
	 * The hypervisor's parser: bit n set = BAR n listed (size != 0).
	 * cellctl's front ends: nonzero when the config gives bars at all.
	 */
	uint32_t has_bars;
	uint64_t bar_base[CFG_PCI_BARS];
	uint64_t bar_size[CFG_PCI_BARS];
	uint32_t n_caps;
	uint32_t caps[CFG_MAX_PCI_CAPS];	/* CFG_PCI_CAP() */
};

#define CFG_PIN_WORDS	((CFG_MAX_IOAPIC_PINS + 31) / 32)

struct cfg_pin_set {
	uint32_t ioapic;		/* IOAPIC id */
	uint32_t pins[CFG_PIN_WORDS];	/* bitmap */
};

struct cfg_vdev {
	uint32_t type;			/* enum cfg_vdev_type */
	uint32_t has;			/* CFG_VDEV_HAS_* */
	uint32_t bdf;
	uint64_t base;
	uint64_t size;
	char name[CFG_MAX_NAME];
};

struct cfg_cell {
	char name[CFG_MAX_NAME];
	uint64_t cpus[CFG_MAX_CPUS / 64];	/* bitmap */
	uint64_t entry;
	uint32_t console;		/* may write to the debug console */
	uint32_t n_mem, n_pio, n_pci, n_pin_sets, n_vdevs;
	struct cfg_mem_region mem[CFG_MAX_MEM_REGIONS];
	struct cfg_pio_range pio[CFG_MAX_PIO_RANGES];
	struct cfg_pci_device pci[CFG_MAX_PCI_DEVICES];
	struct cfg_pin_set pin_sets[CFG_MAX_PIN_SETS];
	struct cfg_vdev vdevs[CFG_MAX_VDEVS];
};

struct cfg_iommu {
	uint32_t type;			/* enum cfg_iommu_type */
	uint32_t optional;		/* absent hardware is not an error */
	uint64_t base;
	uint64_t size;
};

#define CFG_IOAPIC_SIZE		0x1000ULL	/* its register page */

/*
 * source_id: the requester ID (bus << 8 | devfn) the IOAPIC's interrupt
 * messages carry, from the ACPI DMAR table's device scope; interrupt
 * remapping checks it.  has_source_id 0: the config does not say, and
 * interrupt remapping stays off (Documentation/iommu.md).
 */
struct cfg_ioapic {
	uint32_t id;
	uint32_t gsi_base;
	uint32_t pins;
	uint32_t source_id;
	uint32_t has_source_id;
	uint64_t base;
};

struct cfg_system {
	char name[CFG_MAX_NAME];
	uint64_t hv_phys;
	uint64_t hv_size;
	uint32_t console_type;		/* enum cfg_console_type */
	uint32_t console_port;
	uint32_t cpu_vendor;		/* enum cfg_cpu_vendor */
	uint32_t apic_mode;		/* enum cfg_apic_mode */
	uint32_t tsc_khz;		/* 0: unknown, measure */
	uint32_t apic_khz;		/* 0: unknown, measure */
	uint32_t dma_isolation;		/* enum cfg_dma_isolation */
	uint32_t has_mmconfig;
	uint64_t mmconfig;
	uint32_t bus_start;
	uint32_t bus_end;
	uint32_t n_iommus;
	uint32_t n_ioapics;
	struct cfg_iommu iommus[CFG_MAX_IOMMUS];
	struct cfg_ioapic ioapics[CFG_MAX_IOAPICS];
	uint32_t has_pool;
	uint64_t pool_phys;
	uint64_t pool_size;
	struct cfg_cell root;
};

/*
 * Every function returns 0 or a negative errno value; on failure *why (when
 * not NULL) points to a constant string naming the broken rule, so the
 * caller can report it without trusting anything inside the blob.
 */
int cfg_parse_system(const void *blob, size_t size, struct cfg_system *sys,
		     const char **why);
int cfg_parse_cell(const void *blob, size_t size, struct cfg_cell *cell,
		   const char **why);

/* Rules of one cell alone (alignment, overlaps inside it, ranges). */
int cfg_check_cell(const struct cfg_cell *cell, const char **why);
/*
 * Rules of the system (hypervisor region, pool, root cell); a root cell
 * listing PCI devices (it owns every device not given to a cell), IOAPIC
 * pins or virtual devices is refused (-EINVAL).
 */
int cfg_check_system(const struct cfg_system *sys, const char **why);

/* What the hypervisor finds at enable, to hold the system config to. */
struct cfg_machine {
	uint32_t cpu_vendor;		/* enum cfg_cpu_vendor */
	unsigned int cpus;		/* CPUs that entered: 0 .. cpus-1 */
	uint64_t region_phys;		/* where the driver loaded us */
	uint64_t region_size;
};

/*
 * The system config against the machine the hypervisor was started on:
 * it is written for this CPU vendor (-ENOEXEC if not), its hypervisor
 * region is the one the driver loaded us into (-EINVAL), and the root cell
 * owns exactly the CPUs that entered (-ERANGE).
 */
int cfg_check_system_machine(const struct cfg_system *sys,
			     const struct cfg_machine *m, const char **why);

/*
 * A non-root cell against the system and what this hypervisor can give:
 * CPU 0, hypervisor memory, ...; more than CFG_MAX_CELL_CPUS CPUs
 * (-E2BIG); virtual devices other than pc-legacy, which are not
 * implemented yet (-EINVAL). PCI devices and IOAPIC pins pass here:
 * whether DMA isolation allows the devices and the pins are free is
 * decided at create.
 */
int cfg_check_cell_in_system(const struct cfg_system *sys,
			     const struct cfg_cell *cell, const char **why);
/*
 * A cell's region lies inside one root region or inside the pool; its port
 * range inside one root range. cellctl's checker asks the same questions.
 */
int cfg_region_available(const struct cfg_system *sys,
			 const struct cfg_mem_region *r);
int cfg_pio_available(const struct cfg_system *sys,
		      const struct cfg_pio_range *p);

/* Two non-root cells own nothing in common (CPUs, memory, ports, ...). */
int cfg_check_cells_disjoint(const struct cfg_cell *a,
			     const struct cfg_cell *b, const char **why);

static inline int cfg_cpu_test(const struct cfg_cell *cell, unsigned int cpu)
{
	return cpu < CFG_MAX_CPUS && (cell->cpus[cpu / 64] >> (cpu % 64)) & 1;
}

static inline int cfg_pin_test(const struct cfg_pin_set *set, unsigned int pin)
{
	return pin < CFG_MAX_IOAPIC_PINS &&
	       (set->pins[pin / 32] >> (pin % 32)) & 1;
}

#endif /* CELLVISOR_HV_CONFIG_H */
