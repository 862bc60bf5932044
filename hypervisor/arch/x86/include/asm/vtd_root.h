/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The root's emulated VT-d unit: interrupt remapping and queued
 * invalidation only, over Linux's own remapping table and invalidation
 * queue in root RAM.  Pure (registers and descriptors in, actions out):
 * iommu_vtd.c wires it to the root's trapped register page,
 * tests/unit/hypervisor/vtd_root.c tests it.  See Documentation/iommu.md,
 * "Interrupt-remapping emulation for the root".
 */
#ifndef _ASM_VTD_ROOT_H
#define _ASM_VTD_ROOT_H

#include <hv/iommu.h>
#include <asm/vtd.h>

/* Registers the emulation adds to vtd.h's (11.4 "Register Descriptions"). */
#define VTD_IECTL		0xa0	/* 32: invalidation event control */
#define VTD_IEDATA		0xa4
#define VTD_IEADDR		0xa8
#define VTD_IEUADDR		0xac
#define VTD_GCMD_SFL		BIT(29)		/* set fault log */
#define VTD_GCMD_EAFL		BIT(28)		/* advanced fault logging */
#define VTD_CAP_ESIRTPS		BIT_ULL(62)	/* SIRTP invalidates the IEC */
#define VTD_IRTA_RSVD		0x7f0ULL	/* bits 10:4 */
#define VTD_IQA_DW		BIT_ULL(11)	/* 256-bit descriptors */
#define VTD_IRTE_IM		BIT_ULL(15)	/* posted-interrupt entry */
#define VTD_IRTE_DLM(lo)	((u8)(((lo) >> 5) & 7))
#define VTD_DESC_WAIT_IF	BIT_ULL(4)	/* interrupt on completion */

/* Root RAM as the hypervisor may touch it for the root: 0 or -EFAULT. */
struct vtd_root_mem {
	int (*read)(void *ctx, u64 pa, void *buf, unsigned int len);
	int (*write)(void *ctx, u64 pa, const void *buf, unsigned int len);
	void *ctx;
};

/* The root's view of its unit: what Linux wrote, what it reads. */
struct vtd_vunit {
	u32 ver;
	u64 cap, ecap;			/* offered: vtd_vu_init's masks */
	u32 gsts;			/* QIES, IRES, IRTPS, CFIS */
	u64 irta;			/* as written */
	u64 irta_on;			/* latched by SIRTP: the one in use */
	u64 iqa, iqh, iqt;
	u32 fsts, fectl, fedata, feaddr, feuaddr;
	u32 ics, iectl, iedata, ieaddr, ieuaddr;
};

/* What the caller does after an access or a queue run. */
#define VTD_VU_RETRANSLATE	BIT(0)	/* every root source again */

void vtd_vu_init(struct vtd_vunit *v, u32 ver, u64 cap, u64 ecap);
/* Linux's registers as the unit had them when the hypervisor took it. */
void vtd_vu_adopt(struct vtd_vunit *v, const struct vtd_regs *regs);

/* One access of the root (4 or 8 bytes); *@say: a console line, or NULL. */
u64 vtd_vu_read(const struct vtd_vunit *v, unsigned int off,
		unsigned int size, const char **say);
unsigned int vtd_vu_write(struct vtd_vunit *v, unsigned int off,
			  unsigned int size, u64 val,
			  const struct vtd_root_mem *mem, const char **say);
/* The descriptors from IQH to IQT, as the unit would (IQE on error). */
unsigned int vtd_vu_iq_run(struct vtd_vunit *v, const struct vtd_root_mem *mem,
			   const char **say);

/*
 * Linux's entry @index, read from root RAM through the latched table:
 * vector, delivery and destination mode, trigger and destination into
 * @irq (the SID is the caller's).  -ENODEV: remapping off; -ERANGE:
 * beyond the table; -EFAULT: table outside root RAM; -ENOENT: not
 * present; -EINVAL: a mode not offered.
 */
int vtd_vu_irte(const struct vtd_vunit *v, u16 index,
		const struct vtd_root_mem *mem, struct iommu_irq *irq,
		const char **why);
/* Does destination @dest (mode @logical, x2APIC format @x2apic) name @id? */
bool vtd_dest_names(u32 dest, bool logical, bool x2apic, u32 id);

/* The entry index a remappable MSI or IOAPIC entry names; -EINVAL: none. */
int vtd_msi_index(u32 addr, u32 data, u16 *index);
int vtd_rte_index(u64 rte, u16 *index);

#endif
