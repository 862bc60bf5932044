/* SPDX-License-Identifier: GPL-2.0 */
/* Constants shared by boot assembly and C: selectors, control bits. */
#ifndef INMATE_X86_BOOT_H
#define INMATE_X86_BOOT_H

/* GDT layout built in entry.S. */
#define BOOT_CS32	0x08
#define BOOT_DS		0x10
#define BOOT_CS64	0x18

#define X86_CR0_PE	0x00000001
#define X86_CR0_ET	0x00000010
#define X86_CR0_NE	0x00000020
#define X86_CR0_WP	0x00010000
#define X86_CR0_NW	0x20000000
#define X86_CR0_CD	0x40000000
#define X86_CR0_PG	0x80000000

#define X86_CR4_PAE	0x00000020

#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100

#define PTE_P		0x001
#define PTE_W		0x002
#define PTE_PWT		0x008
#define PTE_PCD		0x010
#define PTE_PS		0x080

/*
 * Identity map the low 4 GiB with 2 MiB pages; the top GiB holds the APIC,
 * IOAPIC and PCI MMIO windows and is mapped uncached.
 */
#define BOOT_MAP_PDS	4
#define BOOT_UC_FIRST_PDE	(3 * 512)

#endif /* INMATE_X86_BOOT_H */
