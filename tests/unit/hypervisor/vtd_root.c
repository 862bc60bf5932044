// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/arch/x86/vtd_root.c: the root's emulated
 * VT-d unit over a fake root RAM (Linux's remapping table and queue in
 * it; anything outside is not root RAM), hand-computed entries in the
 * layouts Linux 6.1's intel/irq_remapping.c and dmar.c write.
 */
#include <check.h>
#include <string.h>
#include <hv/setup.h>
#include <asm/vtd_root.h>

/* QEMU's unit (EMULATORS.md) with eim=on: ECAP.EIM set. */
#define QEMU_CAP	0x00d2008c22260206ULL
#define QEMU_ECAP	(0x0000000000f00f4aULL | VTD_ECAP_EIM)

#define RAM_BASE	0x100000ULL
#define RAM_SIZE	0x10000ULL
#define IRT_PA		RAM_BASE			/* 256 entries */
#define IQ_PA		(RAM_BASE + 0x4000)		/* one page */
#define STATUS_PA	(RAM_BASE + 0x8000)

struct hv_info hv;		/* vtd.c's page pool: unused here */
static u8 ram[RAM_SIZE];
static unsigned int writes;

static int ram_read(void *ctx, u64 pa, void *buf, unsigned int len)
{
	(void)ctx;
	if (pa < RAM_BASE || pa + len > RAM_BASE + RAM_SIZE)
		return -EFAULT;
	memcpy(buf, ram + (pa - RAM_BASE), len);
	return 0;
}

static int ram_write(void *ctx, u64 pa, const void *buf, unsigned int len)
{
	(void)ctx;
	if (pa < RAM_BASE || pa + len > RAM_BASE + RAM_SIZE)
		return -EFAULT;
	memcpy(ram + (pa - RAM_BASE), buf, len);
	writes++;
	return 0;
}

static const struct vtd_root_mem mem = { ram_read, ram_write, NULL };
static struct vtd_vunit v;
static const char *say;

static void irte_put(unsigned int index, u64 lo, u64 hi)
{
	memcpy(ram + (IRT_PA - RAM_BASE) + 16 * index, &lo, 8);
	memcpy(ram + (IRT_PA - RAM_BASE) + 16 * index + 8, &hi, 8);
}

static void desc_put(unsigned int slot, u64 lo, u64 hi)
{
	memcpy(ram + (IQ_PA - RAM_BASE) + 16 * slot, &lo, 8);
	memcpy(ram + (IQ_PA - RAM_BASE) + 16 * slot + 8, &hi, 8);
}

static u32 status(void)
{
	u32 s;

	memcpy(&s, ram + (STATUS_PA - RAM_BASE), 4);
	return s;
}

static unsigned int wr(unsigned int off, unsigned int size, u64 val)
{
	return vtd_vu_write(&v, off, size, val, &mem, &say);
}

static u64 rd(unsigned int off, unsigned int size)
{
	return vtd_vu_read(&v, off, size, &say);
}

/* Linux's bring-up (dmar_enable_qi, iommu_set_irq_remapping, ...IRE). */
static void linux_brings_up(bool eime)
{
	ck_assert_uint_eq(wr(VTD_IQT, 4, 0), 0);
	ck_assert_uint_eq(wr(VTD_IQA, 8, IQ_PA), 0);
	ck_assert_uint_eq(wr(VTD_GCMD, 4, VTD_GCMD_QIE), 0);
	ck_assert(rd(VTD_GSTS, 4) & VTD_GSTS_QIES);
	wr(VTD_IRTA, 8, IRT_PA | (eime ? VTD_IRTA_EIME : 0) | 7);
	ck_assert_ptr_null(say);
	ck_assert_uint_eq(wr(VTD_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_SIRTP),
			  VTD_VU_RETRANSLATE);
	ck_assert(rd(VTD_GSTS, 4) & VTD_GSTS_IRTPS);
	wr(VTD_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_IRE);
	ck_assert(rd(VTD_GSTS, 4) & VTD_GSTS_IRES);
}

static void setup(void)
{
	memset(ram, 0x5a, sizeof(ram));
	memset(ram + (IRT_PA - RAM_BASE), 0, 4096);
	writes = 0;
	say = NULL;
	vtd_vu_init(&v, 0x10, QEMU_CAP, QEMU_ECAP);
}

/* ---- registers ---- */

START_TEST(offers_ir_and_qi_only)
{
	u64 ecap = rd(VTD_ECAP, 8);

	ck_assert_uint_eq(rd(VTD_VER, 4), 0x10);
	ck_assert_uint_eq(ecap & (VTD_ECAP_QI | VTD_ECAP_IR | VTD_ECAP_EIM),
			  VTD_ECAP_QI | VTD_ECAP_IR | VTD_ECAP_EIM);
	/* No pass-through, device TLBs, snoop control; coherent. */
	ck_assert_uint_eq(ecap & (VTD_ECAP_PT | VTD_ECAP_DT | VTD_ECAP_SC), 0);
	ck_assert(ecap & VTD_ECAP_C);
	ck_assert_uint_eq(VTD_ECAP_IRO(ecap), VTD_ECAP_IRO(QEMU_ECAP));
	ck_assert_uint_eq(rd(VTD_CAP, 8) & (VTD_CAP_CM | VTD_CAP_RWBF), 0);
	/* 32-bit halves of a 64-bit register (dmar_readq as two readl). */
	ck_assert_uint_eq(rd(VTD_CAP + 4, 4), (u32)(v.cap >> 32));
	ck_assert_uint_eq(rd(VTD_GSTS, 4), 0);
}
END_TEST

START_TEST(whitelist_of_offsets)
{
	/* Unknown offsets read 0 and say so; writes are dropped. */
	ck_assert_uint_eq(rd(VTD_RTADDR, 8), 0);
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(rd(0x220, 4), 0);		/* a fault record */
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(rd(VTD_GCMD, 4), 0);		/* write-only */
	ck_assert_ptr_null(say);
	wr(VTD_RTADDR, 8, 0x1000);
	ck_assert_ptr_nonnull(say);
	wr(VTD_GSTS, 4, ~0u);				/* read-only */
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(rd(VTD_GSTS, 4), 0);
	wr(VTD_CAP, 8, 0);
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(rd(VTD_CAP, 8), v.cap);
	ck_assert_uint_ne(v.cap, 0);
	/* Odd sizes, unaligned, 8 bytes at a 32-bit register: dropped. */
	wr(VTD_FEDATA, 2, 0x1234);
	ck_assert_ptr_nonnull(say);
	wr(VTD_FEDATA, 8, 0x1234);
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(rd(VTD_FEDATA, 4), 0);
	/* Stored values. */
	wr(VTD_FEDATA, 4, 0x4021);
	wr(VTD_FEADDR, 4, 0xfee00000);
	wr(VTD_FEUADDR, 4, 0x1);
	wr(VTD_FECTL, 4, 0);
	ck_assert_ptr_null(say);
	ck_assert_uint_eq(rd(VTD_FEDATA, 4), 0x4021);
	ck_assert_uint_eq(rd(VTD_FEADDR, 4), 0xfee00000);
	ck_assert_uint_eq(rd(VTD_FEUADDR, 4), 1);
	ck_assert_uint_eq(rd(VTD_FECTL, 4), 0);
}
END_TEST

START_TEST(gcmd_refuses_dma_remapping)
{
	linux_brings_up(true);
	wr(VTD_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_IRE | VTD_GCMD_TE);
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(rd(VTD_GSTS, 4) & VTD_GSTS_TES, 0);
	ck_assert(rd(VTD_GSTS, 4) & VTD_GSTS_IRES);
	wr(VTD_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_IRE | VTD_GCMD_SRTP);
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(rd(VTD_GSTS, 4) & VTD_GSTS_RTPS, 0);
}
END_TEST

START_TEST(gcmd_ire_needs_a_table)
{
	ck_assert_uint_eq(wr(VTD_GCMD, 4, VTD_GCMD_IRE), 0);
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(rd(VTD_GSTS, 4) & VTD_GSTS_IRES, 0);
	/* Off again: the sources are translated again (to off). */
	linux_brings_up(false);
	ck_assert_uint_eq(wr(VTD_GCMD, 4, VTD_GCMD_QIE), VTD_VU_RETRANSLATE);
	ck_assert_uint_eq(rd(VTD_GSTS, 4) & VTD_GSTS_IRES, 0);
	/* CFI is stored. */
	wr(VTD_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_CFI);
	ck_assert(rd(VTD_GSTS, 4) & VTD_GSTS_CFIS);
}
END_TEST

START_TEST(irta_eime_only_if_offered)
{
	vtd_vu_init(&v, 0x10, QEMU_CAP, QEMU_ECAP & ~VTD_ECAP_EIM);
	wr(VTD_IRTA, 8, IRT_PA | VTD_IRTA_EIME | 7);
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(rd(VTD_IRTA, 8), IRT_PA | 7);
	/* Reserved bits 10:4 dropped; halves merge. */
	vtd_vu_init(&v, 0x10, QEMU_CAP, QEMU_ECAP);
	wr(VTD_IRTA, 4, 0x12345ff7);
	wr(VTD_IRTA + 4, 4, 0x1);
	ck_assert_uint_eq(rd(VTD_IRTA, 8), 0x112345807ULL);
}
END_TEST

/* ---- the queue ---- */

/* dmar.c's wait: status data QI_DONE (1) written to the status slot. */
#define LINUX_WAIT_LO	(VTD_DESC_WAIT | VTD_DESC_WAIT_SW | 1ULL << 32)
#define LINUX_IEC(i, m)	(VTD_DESC_IEC | VTD_DESC_IEC_INDEX | \
			 (u64)(m) << 27 | (u64)(i) << 32)

START_TEST(queue_iec_and_wait)
{
	linux_brings_up(true);
	desc_put(0, LINUX_IEC(5, 0), 0);
	desc_put(1, LINUX_WAIT_LO, STATUS_PA);
	ck_assert_uint_eq(wr(VTD_IQT, 4, 2 << 4), VTD_VU_RETRANSLATE);
	ck_assert_ptr_null(say);
	ck_assert_uint_eq(rd(VTD_IQH, 8), 2 << 4);
	ck_assert_uint_eq(status(), 1);
	/* A wait alone: no retranslation; the global IEC: one. */
	desc_put(2, LINUX_WAIT_LO | 2ULL << 32, STATUS_PA);
	ck_assert_uint_eq(wr(VTD_IQT, 4, 3 << 4), 0);
	ck_assert_uint_eq(status(), 3);
	desc_put(3, VTD_DESC_IEC, 0);
	ck_assert_uint_eq(wr(VTD_IQT, 8, 4 << 4), VTD_VU_RETRANSLATE);
	ck_assert_uint_eq(rd(VTD_IQH, 4), 4 << 4);
	ck_assert_uint_eq(rd(VTD_FSTS, 4), 0);
	/* IF: ICS.IWC, cleared by writing 1. */
	desc_put(4, VTD_DESC_WAIT | VTD_DESC_WAIT_IF, 0);
	wr(VTD_IQT, 4, 5 << 4);
	ck_assert_uint_eq(rd(VTD_ICS, 4), VTD_ICS_IWC);
	wr(VTD_ICS, 4, VTD_ICS_IWC);
	ck_assert_uint_eq(rd(VTD_ICS, 4), 0);
}
END_TEST

START_TEST(queue_wraps)
{
	linux_brings_up(false);
	v.iqh = v.iqt = 255 << 4;
	desc_put(255, LINUX_WAIT_LO | 7ULL << 32, STATUS_PA);
	desc_put(0, LINUX_IEC(1, 0), 0);
	ck_assert_uint_eq(wr(VTD_IQT, 4, 1 << 4), VTD_VU_RETRANSLATE);
	ck_assert_uint_eq(rd(VTD_IQH, 4), 1 << 4);
	ck_assert_uint_eq(status(), 7);
}
END_TEST

START_TEST(queue_wait_outside_root_ram)
{
	linux_brings_up(true);
	desc_put(0, LINUX_WAIT_LO, 0x30000000);	/* the hypervisor's, say */
	desc_put(1, LINUX_WAIT_LO, STATUS_PA);
	ck_assert_uint_eq(wr(VTD_IQT, 4, 2 << 4), 0);
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(writes, 0);
	/* Stopped at the bad one, IQE set; later tails wait for its clear. */
	ck_assert_uint_eq(rd(VTD_IQH, 4), 0);
	ck_assert_uint_eq(rd(VTD_FSTS, 4) & VTD_FSTS_IQE, VTD_FSTS_IQE);
	ck_assert_uint_eq(wr(VTD_IQT, 4, 2 << 4), 0);
	ck_assert_uint_eq(writes, 0);
	/* Linux's recovery (qi_check_fault): the bad one replaced, IQE off. */
	desc_put(0, LINUX_WAIT_LO, STATUS_PA);
	wr(VTD_FSTS, 4, VTD_FSTS_IQE);
	ck_assert_uint_eq(rd(VTD_FSTS, 4), 0);
	ck_assert_uint_eq(rd(VTD_IQH, 4), 2 << 4);
	ck_assert_uint_eq(writes, 2);
}
END_TEST

START_TEST(queue_refuses_other_types)
{
	static const u64 other[] = {
		VTD_DESC_CC | VTD_DESC_G_GLOBAL,	/* context cache */
		VTD_DESC_IOTLB | VTD_DESC_G_GLOBAL,	/* IOTLB */
		0x3,					/* device TLB */
		0x6,					/* PASID IOTLB */
		VTD_DESC_IEC | BIT_ULL(9),		/* type 0x14 */
		VTD_DESC_IEC | BIT_ULL(8),		/* reserved bit */
		VTD_DESC_WAIT | BIT_ULL(7),		/* page-drain */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(other); i++) {
		setup();
		linux_brings_up(true);
		desc_put(0, other[i], 0);
		desc_put(1, LINUX_WAIT_LO, STATUS_PA);
		ck_assert_uint_eq(wr(VTD_IQT, 4, 2 << 4), 0);
		ck_assert_msg(say != NULL, "descriptor %u taken", i);
		ck_assert_uint_eq(rd(VTD_FSTS, 4), VTD_FSTS_IQE);
		ck_assert_uint_eq(rd(VTD_IQH, 4), 0);
		ck_assert_uint_eq(writes, 0);
	}
	/* The IEC with a non-zero high half is refused too. */
	setup();
	linux_brings_up(true);
	desc_put(0, VTD_DESC_IEC, 1);
	wr(VTD_IQT, 4, 1 << 4);
	ck_assert_uint_eq(rd(VTD_FSTS, 4), VTD_FSTS_IQE);
}
END_TEST

START_TEST(queue_off_or_out_of_range)
{
	/* Queue off: IQT is stored, nothing runs. */
	wr(VTD_IQA, 8, IQ_PA);
	desc_put(0, LINUX_WAIT_LO, STATUS_PA);
	ck_assert_uint_eq(wr(VTD_IQT, 4, 1 << 4), 0);
	ck_assert_uint_eq(writes, 0);
	/* QIE on resets IQH; IQA cannot change under it. */
	v.iqh = 5 << 4;
	wr(VTD_GCMD, 4, VTD_GCMD_QIE);
	ck_assert_uint_eq(rd(VTD_IQH, 4), 0);
	wr(VTD_IQA, 8, IQ_PA + 0x1000);
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(rd(VTD_IQA, 8), IQ_PA);
	/* A tail past QS (256 entries): IQE. */
	wr(VTD_IQT, 4, 300 << 4);
	ck_assert_uint_eq(rd(VTD_FSTS, 4), VTD_FSTS_IQE);
	/* A queue outside root RAM: IQE, nothing written. */
	setup();
	wr(VTD_IQA, 8, 0x30000000);
	wr(VTD_GCMD, 4, VTD_GCMD_QIE);
	wr(VTD_IQT, 4, 1 << 4);
	ck_assert_ptr_nonnull(say);
	ck_assert_uint_eq(rd(VTD_FSTS, 4), VTD_FSTS_IQE);
}
END_TEST

/* ---- translation ---- */

/* Linux's entry (irq_remapping.c prepare_irte): present, fixed, ... */
static u64 irte_lo(u8 vector, u32 dest, bool logical, bool level, bool eime)
{
	return VTD_IRTE_P | (logical ? VTD_IRTE_DM_LOGICAL : 0) |
	       (level ? VTD_IRTE_TM_LEVEL : 0) | (u64)vector << 16 |
	       (u64)(eime ? dest : dest << 8) << 32;
}

START_TEST(irte_translated)
{
	struct iommu_irq irq;
	const char *why = NULL;

	linux_brings_up(true);
	/* x2APIC cluster logical: cluster 0, CPU 1. */
	irte_put(3, irte_lo(0x41, 0x00000002, true, false, true), 0x4ff00);
	ck_assert_int_eq(vtd_vu_irte(&v, 3, &mem, &irq, &why), 0);
	ck_assert_uint_eq(irq.vector, 0x41);
	ck_assert_uint_eq(irq.dest, 2);
	ck_assert(irq.logical);
	ck_assert(!irq.level);
	ck_assert_uint_eq(irq.dlm, 0);
	/* x2APIC physical, level, lowest priority. */
	irte_put(4, irte_lo(0x52, 0x101, false, true, true) | 1 << 5, 0);
	ck_assert_int_eq(vtd_vu_irte(&v, 4, &mem, &irq, &why), 0);
	ck_assert_uint_eq(irq.dest, 0x101);
	ck_assert(irq.level && !irq.logical);
	ck_assert_uint_eq(irq.dlm, 1);
	/* xAPIC format (no EIME): the ID in bits 15:8 of the field. */
	setup();
	linux_brings_up(false);
	irte_put(4, irte_lo(0x52, 0x01, false, false, false), 0);
	ck_assert_int_eq(vtd_vu_irte(&v, 4, &mem, &irq, &why), 0);
	ck_assert_uint_eq(irq.dest, 1);
}
END_TEST

START_TEST(irte_refused)
{
	struct iommu_irq irq;
	const char *why = NULL;

	/* Remapping off in the root's unit. */
	irte_put(3, irte_lo(0x41, 0, false, false, true), 0);
	ck_assert_int_eq(vtd_vu_irte(&v, 3, &mem, &irq, &why), -ENODEV);
	linux_brings_up(true);
	ck_assert_int_eq(vtd_vu_irte(&v, 3, &mem, &irq, &why), 0);
	/* Not present; posted; NMI and SMI delivery. */
	irte_put(5, 0, 0);
	ck_assert_int_eq(vtd_vu_irte(&v, 5, &mem, &irq, &why), -ENOENT);
	irte_put(5, irte_lo(0x41, 0, false, false, true) | VTD_IRTE_IM, 0);
	ck_assert_int_eq(vtd_vu_irte(&v, 5, &mem, &irq, &why), -EINVAL);
	irte_put(5, irte_lo(0x41, 0, false, false, true) | 4 << 5, 0);
	ck_assert_int_eq(vtd_vu_irte(&v, 5, &mem, &irq, &why), -EINVAL);
	irte_put(5, irte_lo(0x41, 0, false, false, true) | 2 << 5, 0);
	ck_assert_int_eq(vtd_vu_irte(&v, 5, &mem, &irq, &why), -EINVAL);
	/* Beyond IRTA.S (2^(7+1) = 256 entries). */
	ck_assert_int_eq(vtd_vu_irte(&v, 256, &mem, &irq, &why), -ERANGE);
	ck_assert_int_eq(vtd_vu_irte(&v, 255, &mem, &irq, &why), -ENOENT);
	/* A table outside root RAM (the latched one counts, not IRTA). */
	wr(VTD_IRTA, 8, 0x30000000 | VTD_IRTA_EIME | 7);
	ck_assert_int_eq(vtd_vu_irte(&v, 3, &mem, &irq, &why), 0);
	wr(VTD_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_IRE | VTD_GCMD_SIRTP);
	ck_assert_int_eq(vtd_vu_irte(&v, 3, &mem, &irq, &why), -EFAULT);
	ck_assert_ptr_nonnull(why);
	/* Its last entry crossing the end of root RAM. */
	wr(VTD_IRTA, 8, (RAM_BASE + RAM_SIZE - 0x1000) | 0xf);
	wr(VTD_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_IRE | VTD_GCMD_SIRTP);
	ck_assert_int_eq(vtd_vu_irte(&v, 256, &mem, &irq, &why), -EFAULT);
}
END_TEST

START_TEST(destinations)
{
	/* Physical x2APIC and xAPIC, broadcast. */
	ck_assert(vtd_dest_names(5, false, true, 5));
	ck_assert(!vtd_dest_names(5, false, true, 4));
	ck_assert(vtd_dest_names(0xffffffff, false, true, 4));
	ck_assert(vtd_dest_names(0xff, false, false, 4));
	ck_assert(!vtd_dest_names(0x105 & 0xff, false, false, 0x105));
	/* x2APIC cluster: cluster 0 bits 0-1 are IDs 0 and 1. */
	ck_assert(vtd_dest_names(0x00000002, true, true, 1));
	ck_assert(!vtd_dest_names(0x00000002, true, true, 0));
	ck_assert(vtd_dest_names(0x00000003, true, true, 0));
	/* Cluster 1 bit 1 is ID 17, not 1. */
	ck_assert(vtd_dest_names(0x00010002, true, true, 17));
	ck_assert(!vtd_dest_names(0x00010002, true, true, 1));
	ck_assert(vtd_dest_names(0xffffffff, true, true, 9));
	/* xAPIC logical: a cell CPU's LDR is 0, it matches nothing. */
	ck_assert(!vtd_dest_names(0xff, true, false, 1));
}
END_TEST

START_TEST(indexes)
{
	u16 index = 0;

	/* vtd.c's own builder and this decoder agree. */
	u32 addr, data;

	vtd_msi_remappable(0x8123, false, 0, &addr, &data);
	ck_assert_int_eq(vtd_msi_index(addr, data, &index), 0);
	ck_assert_uint_eq(index, 0x8123);
	/* SHV: handle + subhandle. */
	ck_assert_int_eq(vtd_msi_index(0xfee00000 | 4 << 5 | VTD_MSI_ADDR_IF |
				       VTD_MSI_ADDR_SHV, 2, &index), 0);
	ck_assert_uint_eq(index, 6);
	ck_assert_int_eq(vtd_msi_index(0xfee0001c | 0xfffe0, 2, &index),
			 -ERANGE);
	/* Compatibility format, or outside the window: no index. */
	ck_assert_int_eq(vtd_msi_index(0xfee01000, 0x41, &index), -EINVAL);
	ck_assert_int_eq(vtd_msi_index(0xfed00010, 0, &index), -EINVAL);
	ck_assert_int_eq(vtd_rte_index(vtd_ioapic_rte_remappable(0x8007, 0x41,
					true, true, false), &index), 0);
	ck_assert_uint_eq(index, 0x8007);
	ck_assert_int_eq(vtd_rte_index(0x0100000000000041ULL, &index),
			 -EINVAL);
}
END_TEST

/* The unit as Linux left it, adopted; the queue continues from there. */
static u64 fake[VTD_REG_SIZE / 8];

static u32 fake_read32(void *ctx, unsigned int off)
{
	(void)ctx;
	return (u32)(fake[off / 8] >> (8 * (off & 4)));
}

static u64 fake_read64(void *ctx, unsigned int off)
{
	(void)ctx;
	return fake[off / 8];
}

START_TEST(adopts_linux_state)
{
	struct vtd_regs regs = { fake_read32, fake_read64, NULL };

	memset(fake, 0, sizeof(fake));
	fake[VTD_GSTS / 8] = (u64)(VTD_GSTS_IRES | VTD_GSTS_QIES |
				   VTD_GSTS_IRTPS) << 32;
	fake[VTD_IRTA / 8] = IRT_PA | VTD_IRTA_EIME | 0xf;
	fake[VTD_IQA / 8] = IQ_PA;
	fake[VTD_IQH / 8] = 9 << 4;
	fake[VTD_IQT / 8] = 9 << 4;
	fake[VTD_FECTL / 8] = 0x12345678ULL << 32 | 0;
	vtd_vu_adopt(&v, &regs);
	ck_assert_uint_eq(rd(VTD_GSTS, 4), VTD_GSTS_IRES | VTD_GSTS_QIES |
			  VTD_GSTS_IRTPS);
	ck_assert_uint_eq(v.irta_on, IRT_PA | VTD_IRTA_EIME | 0xf);
	ck_assert_uint_eq(rd(VTD_FEDATA, 4), 0x12345678);
	desc_put(9, LINUX_WAIT_LO, STATUS_PA);
	ck_assert_uint_eq(wr(VTD_IQT, 4, 10 << 4), 0);
	ck_assert_uint_eq(status(), 1);
	ck_assert_uint_eq(rd(VTD_IQH, 4), 10 << 4);
}
END_TEST

static Suite *vtd_root_suite(void)
{
	Suite *s = suite_create("vtd_root");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, offers_ir_and_qi_only);
	tcase_add_test(tc, whitelist_of_offsets);
	tcase_add_test(tc, gcmd_refuses_dma_remapping);
	tcase_add_test(tc, gcmd_ire_needs_a_table);
	tcase_add_test(tc, irta_eime_only_if_offered);
	tcase_add_test(tc, queue_iec_and_wait);
	tcase_add_test(tc, queue_wraps);
	tcase_add_test(tc, queue_wait_outside_root_ram);
	tcase_add_test(tc, queue_refuses_other_types);
	tcase_add_test(tc, queue_off_or_out_of_range);
	tcase_add_test(tc, irte_translated);
	tcase_add_test(tc, irte_refused);
	tcase_add_test(tc, destinations);
	tcase_add_test(tc, indexes);
	tcase_add_test(tc, adopts_linux_state);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vtd_root_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
