/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Config binding: the devicetree layout cellctl writes, the hypervisor reads.
 *
 * A compiled config is a flattened devicetree blob (DTB). Its root node holds
 * "compatible" (CFG_COMPAT_SYSTEM or CFG_COMPAT_CELL) and "binding-version".
 * A reader must reject a blob whose version it does not know: the layout may
 * change between versions, and a misread config would break isolation.
 *
 * System blob:                           Cell blob (root node = the cell):
 *   / { compatible, binding-version,       / { compatible, binding-version,
 *       name,                                  <cell body> };
 *       hypervisor { phys-addr; size; };
 *       debug-console { type; port; };
 *       platform { cpu-vendor; apic-mode; tsc-khz?; apic-khz?;
 *                  dma-isolation?;
 *                  pci { mmconfig; bus-start; bus-end; }?
 *                  iommu-N { type; base; size; optional?; }*
 *                  ioapic-N { id; base; gsi-base; pins; source-id?; }* };
 *       cell-pool { phys-addr; size; }?
 *       root-cell { <cell body> }; };
 *
 * Cell body:
 *   label; cpus (u32 list, ascending); entry (u64); console? (empty = may
 *   write to the debug console);
 *   memory { region-N { label?; phys-addr?; guest-addr; size; flags; }* }
 *   pio { range-N { base; length; }* }
 *   pci { device-N { bdf; bars?; caps?; }* }  bars: u64 (base, size) x 6
 *   ioapic-pins { pins-N { ioapic; pins (u32 list); }* }
 *   virtual-devices { vdev-N { type; label?; bdf?; base?; size?; }* }
 *
 * Child nodes are named "<kind>-<index>" with the index counting from 0 in
 * the order the config lists them. All integers are big-endian cells as in
 * any DTB; 64-bit values take two cells (fdt_property_u64).
 *
 * platform's cpu-vendor (CFG_CPU_INTEL or CFG_CPU_AMD) names the machine a
 * system config was written for: the driver and the hypervisor both refuse
 * it on a CPU of the other vendor, before any vendor code runs.
 */
#ifndef CELLVISOR_CONFIG_H
#define CELLVISOR_CONFIG_H

#define CFG_BINDING_VERSION		1

#define CFG_COMPAT_SYSTEM		"cellvisor,system"
#define CFG_COMPAT_CELL			"cellvisor,cell"

/* Root properties */
#define CFG_PROP_COMPATIBLE		"compatible"
#define CFG_PROP_VERSION		"binding-version"
#define CFG_PROP_NAME			"label"	/* "name" is reserved in DT */

/* System nodes */
#define CFG_NODE_HYPERVISOR		"hypervisor"
#define CFG_NODE_CONSOLE		"debug-console"
#define CFG_NODE_PLATFORM		"platform"
#define CFG_NODE_PCI_HOST		"pci"
#define CFG_NODE_IOMMU			"iommu"		/* iommu-N */
#define CFG_NODE_IOAPIC			"ioapic"	/* ioapic-N */
#define CFG_NODE_POOL			"cell-pool"
#define CFG_NODE_ROOT_CELL		"root-cell"

/* Cell body nodes */
#define CFG_NODE_MEMORY			"memory"
#define CFG_NODE_REGION			"region"	/* region-N */
#define CFG_NODE_PIO			"pio"
#define CFG_NODE_RANGE			"range"		/* range-N */
#define CFG_NODE_PCI_DEVS		"pci"
#define CFG_NODE_DEVICE			"device"	/* device-N */
#define CFG_NODE_IOAPIC_PINS		"ioapic-pins"
#define CFG_NODE_PINS			"pins"		/* pins-N */
#define CFG_NODE_VDEVS			"virtual-devices"
#define CFG_NODE_VDEV			"vdev"		/* vdev-N */

/* Properties */
/* Not "phys": dtc reads that name as a phandle list. */
#define CFG_PROP_PHYS			"phys-addr"	/* u64 */
#define CFG_PROP_SIZE			"size"		/* u64 */
#define CFG_PROP_GUEST			"guest-addr"	/* u64 */
#define CFG_PROP_FLAGS			"flags"		/* u32, CFG_MEM_* */
#define CFG_PROP_TYPE			"type"		/* string */
#define CFG_PROP_PORT			"port"		/* u32 */
#define CFG_PROP_CPU_VENDOR		"cpu-vendor"	/* string */
#define CFG_PROP_APIC_MODE		"apic-mode"	/* string */
#define CFG_PROP_TSC_KHZ		"tsc-khz"	/* u32 */
#define CFG_PROP_APIC_KHZ		"apic-khz"	/* u32 */
#define CFG_PROP_DMA_ISOLATION		"dma-isolation"	/* string */
#define CFG_PROP_MMCONFIG		"mmconfig"	/* u64 */
#define CFG_PROP_BUS_START		"bus-start"	/* u32 */
#define CFG_PROP_BUS_END		"bus-end"	/* u32 */
#define CFG_PROP_BASE			"base"		/* u64 (pio: u32) */
#define CFG_PROP_OPTIONAL		"optional"	/* empty */
#define CFG_PROP_ID			"id"		/* u32 */
#define CFG_PROP_GSI_BASE		"gsi-base"	/* u32 */
#define CFG_PROP_PINS			"pins"		/* u32 or u32 list */
#define CFG_PROP_CPUS			"cpus"		/* u32 list */
#define CFG_PROP_ENTRY			"entry"		/* u64 */
#define CFG_PROP_CONSOLE		"console"	/* empty */
#define CFG_PROP_LENGTH			"length"	/* u32 */
#define CFG_PROP_BDF			"bdf"		/* u32 */
#define CFG_PROP_BARS			"bars"		/* u64 x 12 */
#define CFG_PROP_CAPS			"caps"		/* u32 list */
#define CFG_PROP_IOAPIC			"ioapic"	/* u32, IOAPIC id */
/* u32: bus << 8 | dev << 3 | fn, the requester ID its interrupts carry */
#define CFG_PROP_SOURCE_ID		"source-id"

/* String values */
#define CFG_CPU_INTEL			"intel"		/* VT-x */
#define CFG_CPU_AMD			"amd"		/* AMD-V */
#define CFG_CONSOLE_NONE		"none"
#define CFG_CONSOLE_8250		"8250"
#define CFG_APIC_XAPIC			"xapic"
#define CFG_APIC_X2APIC			"x2apic"
#define CFG_APIC_AUTO			"auto"
/*
 * dma-isolation: "iommu" (the default when absent): a cell gets PCI
 * devices only while an IOMMU the hypervisor runs confines their DMA;
 * "none": the machine's owner accepts that cell devices can DMA anywhere
 * (no usable IOMMU), and every create says so.
 */
#define CFG_DMA_ISOLATION_IOMMU		"iommu"
#define CFG_DMA_ISOLATION_NONE		"none"
#define CFG_IOMMU_VTD			"intel-vtd"
#define CFG_IOMMU_AMDVI			"amd-vi"
#define CFG_VDEV_IVSHMEM		"ivshmem"
#define CFG_VDEV_UART			"uart"
#define CFG_VDEV_PCI_REDIRECT		"isa-redirect"
#define CFG_VDEV_PC_LEGACY		"pc-legacy"	/* probes of PC images */
/*
 * The virtual device types, in the order of enum cfg_vdev_type
 * (hypervisor/config.h), NULL-terminated: the one list the hypervisor,
 * cellctl's YAML reader, its DTB writer and its YAML writer share.
 * Use: static const char *const types[] = CFG_VDEV_TYPES;
 */
#define CFG_VDEV_TYPES		{ CFG_VDEV_IVSHMEM, CFG_VDEV_UART,	\
				  CFG_VDEV_PCI_REDIRECT, CFG_VDEV_PC_LEGACY, \
				  NULL }

/* Memory region flags ("flags" property) */
#define CFG_MEM_READ			(1u << 0)
#define CFG_MEM_WRITE			(1u << 1)
#define CFG_MEM_EXECUTE			(1u << 2)
#define CFG_MEM_DMA			(1u << 3)
#define CFG_MEM_IO			(1u << 4)	/* MMIO: uncached */
#define CFG_MEM_LOADABLE		(1u << 5)	/* root may load it */
#define CFG_MEM_SHARED			(1u << 6)	/* stays in root */
#define CFG_MEM_COMM_PAGE		(1u << 7)	/* hypervisor's page */
#define CFG_MEM_FLAGS_ALL		0xffu

/*
 * Limits the hypervisor accepts. cellctl refuses configs beyond them so
 * that a config which checks clean is never rejected later for size.
 */
#define CFG_MAX_CPUS			256	/* CPU numbers 0..255 */
/*
 * CPUs one non-root cell may own. The hypervisor keeps per-CPU slots of a
 * cell (hv/cell.h) and the exit statistics of CELL_INFO (cell.h) for this
 * many, and refuses a cell config with more; raising it changes the layout
 * of struct cellvisor_cell_info, so it goes with a new ABI version.
 */
#define CFG_MAX_CELL_CPUS		8
#define CFG_MAX_MEM_REGIONS		64
#define CFG_MAX_PIO_RANGES		64
#define CFG_MAX_PCI_DEVICES		32
#define CFG_MAX_IOMMUS			8
#define CFG_MAX_IOAPICS			8
#define CFG_MAX_IOAPIC_PINS		240
#define CFG_MAX_PIN_SETS		8
#define CFG_MAX_VDEVS			16
#define CFG_MAX_NAME			32	/* including the NUL */
#define CFG_PCI_BARS			6
#define CFG_MAX_PCI_CAPS		32

/*
 * One PCI capability in "caps": id, config-space offset, and whether it is
 * an extended (PCIe, offset >= 0x100) capability.
 */
#define CFG_PCI_CAP(id, off, ext)	((uint32_t)(id) & 0xffff) |	\
					(((uint32_t)(off) & 0xfff) << 16) | \
					((ext) ? 1u << 31 : 0)
#define CFG_PCI_CAP_ID(c)		((c) & 0xffff)
#define CFG_PCI_CAP_OFFSET(c)		(((c) >> 16) & 0xfff)
#define CFG_PCI_CAP_EXTENDED(c)		((c) >> 31)
#define CFG_PAGE_SIZE			0x1000ull
#define CFG_PIO_PORTS			0x10000u

/* A DTB larger than this is refused without being parsed. */
#define CFG_MAX_BLOB_SIZE		(256u * 1024u)

#endif /* CELLVISOR_CONFIG_H */
