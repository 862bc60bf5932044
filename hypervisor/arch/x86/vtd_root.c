// SPDX-License-Identifier: GPL-2.0
/*
 * The root's emulated VT-d unit (asm/vtd_root.h): the registers Linux's
 * interrupt-remapping driver uses, its invalidation queue run at each
 * IQT write, and its remapping entries read and decoded for the
 * hypervisor's own table.  No hardware here: iommu_vtd.c wires it.
 */
#include <string.h>
#include <asm/vtd_root.h>

/* Offered: what the emulation does, nothing of DMA remapping. */
#define VU_CAP_HIDDEN	(VTD_CAP_RWBF | VTD_CAP_PLMR | VTD_CAP_PHMR | \
			 VTD_CAP_CM | VTD_CAP_ESIRTPS)
#define VU_ECAP_KEPT	(VTD_ECAP_QI | VTD_ECAP_IR | VTD_ECAP_EIM | \
			 (0x3ffULL << 8))	/* IRO: inside the page */
#define VU_GSTS_KEPT	(VTD_GSTS_QIES | VTD_GSTS_IRES | VTD_GSTS_CFIS)
#define VU_GCMD_REFUSED	(VTD_GCMD_TE | VTD_GCMD_SRTP | VTD_GCMD_SFL | \
			 VTD_GCMD_EAFL | VTD_GCMD_WBF)
#define VU_FSTS_RW1C	(VTD_FSTS_PFO | VTD_FSTS_IQE | VTD_FSTS_ICE | \
			 VTD_FSTS_ITE)
#define VU_IQ_MASK	0x7fff0ULL		/* IQH/IQT bits 18:4 */
#define VU_DESC_TYPE(lo)	((unsigned int)((lo) & 0xf) | \
				 (unsigned int)(((lo) >> 9) & 7) << 4)
/* Bits an IEC / a wait descriptor may set (6.5.2.7, 6.5.2.8). */
#define VU_IEC_KNOWN	(0xfULL | BIT_ULL(4) | (0x1fULL << 27) | \
			 (0xffffULL << 32))
#define VU_WAIT_KNOWN	(0xfULL | VTD_DESC_WAIT_IF | VTD_DESC_WAIT_SW | \
			 VTD_DESC_WAIT_FN | (0xffffffffULL << 32))
#define APIC_X2_BROADCAST	0xffffffffu
#define APIC_XAPIC_BROADCAST	0xffu

void vtd_vu_init(struct vtd_vunit *v, u32 ver, u64 cap, u64 ecap)
{
	memset(v, 0, sizeof(*v));
	v->ver = ver;
	v->cap = cap & ~VU_CAP_HIDDEN;
	/* C=1: the emulation reads Linux's entries with the CPU's caches. */
	v->ecap = (ecap & VU_ECAP_KEPT) | VTD_ECAP_C;
	v->fectl = VTD_FECTL_IM;
}

void vtd_vu_adopt(struct vtd_vunit *v, const struct vtd_regs *regs)
{
	u32 gsts = regs->read32(regs->ctx, VTD_GSTS);

	v->gsts = gsts & (VU_GSTS_KEPT | VTD_GSTS_IRTPS);
	v->irta = regs->read64(regs->ctx, VTD_IRTA);
	v->irta_on = (gsts & VTD_GSTS_IRTPS) ? v->irta : 0;
	v->iqa = regs->read64(regs->ctx, VTD_IQA);
	v->iqh = regs->read64(regs->ctx, VTD_IQH) & VU_IQ_MASK;
	v->iqt = regs->read64(regs->ctx, VTD_IQT) & VU_IQ_MASK;
	v->fectl = regs->read32(regs->ctx, VTD_FECTL) & VTD_FECTL_IM;
	v->fedata = regs->read32(regs->ctx, VTD_FEDATA);
	v->feaddr = regs->read32(regs->ctx, VTD_FEADDR);
	v->feuaddr = regs->read32(regs->ctx, VTD_FEUADDR);
	v->iectl = regs->read32(regs->ctx, VTD_IECTL) & VTD_FECTL_IM;
	v->iedata = regs->read32(regs->ctx, VTD_IEDATA);
	v->ieaddr = regs->read32(regs->ctx, VTD_IEADDR);
	v->ieuaddr = regs->read32(regs->ctx, VTD_IEUADDR);
}

/* ---- registers ---- */

/* The 64-bit registers the root sees; NULL for any other offset. */
static u64 *reg64(struct vtd_vunit *v, unsigned int off)
{
	switch (off & ~7u) {
	case VTD_CAP:	return &v->cap;
	case VTD_ECAP:	return &v->ecap;
	case VTD_IQH:	return &v->iqh;
	case VTD_IQT:	return &v->iqt;
	case VTD_IQA:	return &v->iqa;
	case VTD_IRTA:	return &v->irta;
	}
	return NULL;
}

static u32 *reg32(struct vtd_vunit *v, unsigned int off)
{
	switch (off) {
	case VTD_VER:		return &v->ver;
	case VTD_GSTS:		return &v->gsts;
	case VTD_FSTS:		return &v->fsts;
	case VTD_FECTL:		return &v->fectl;
	case VTD_FEDATA:	return &v->fedata;
	case VTD_FEADDR:	return &v->feaddr;
	case VTD_FEUADDR:	return &v->feuaddr;
	case VTD_ICS:		return &v->ics;
	case VTD_IECTL:		return &v->iectl;
	case VTD_IEDATA:	return &v->iedata;
	case VTD_IEADDR:	return &v->ieaddr;
	case VTD_IEUADDR:	return &v->ieuaddr;
	}
	return NULL;
}

u64 vtd_vu_read(const struct vtd_vunit *v, unsigned int off,
		unsigned int size, const char **say)
{
	struct vtd_vunit *w = (struct vtd_vunit *)v;	/* lookup only */
	u64 *r64 = reg64(w, off);
	u32 *r32 = reg32(w, off);

	*say = NULL;
	if (size == 8 && r64 && !(off & 7))
		return *r64;
	if (size == 4 && r64)
		return (u32)(*r64 >> (8 * (off & 4)));
	if (size == 4 && r32)
		return *r32;
	/* GCMD is write-only; fault records and the rest: nothing here. */
	if (!(size == 4 && off == VTD_GCMD))
		*say = "read of a register the emulated unit does not have "
		       "(reads 0)";
	return 0;
}

/* A 4-byte write into half of a 64-bit register, or all of it. */
static u64 merge64(u64 old, unsigned int off, unsigned int size, u64 val)
{
	unsigned int shift = 8 * (off & 4);

	if (size == 8)
		return val;
	return (old & ~(0xffffffffULL << shift)) | (val & 0xffffffff) << shift;
}

static unsigned int vu_gcmd(struct vtd_vunit *v, u32 val, const char **say)
{
	u32 old = v->gsts;
	unsigned int act = 0;

	if (val & VU_GCMD_REFUSED)
		*say = "GCMD: DMA remapping, fault logging and write-buffer "
		       "flush are not emulated (bits ignored; the unit "
		       "offers interrupt remapping only)";
	if ((val & VTD_GCMD_QIE) && !(old & VTD_GSTS_QIES))
		v->iqh = 0;		/* 11.4.4: QIE on resets IQH */
	v->gsts = (v->gsts & ~(VTD_GSTS_QIES | VTD_GSTS_CFIS)) |
		  (val & (VTD_GCMD_QIE | VTD_GCMD_CFI));
	if (val & VTD_GCMD_SIRTP) {
		v->irta_on = v->irta;
		v->gsts |= VTD_GSTS_IRTPS;
		act |= VTD_VU_RETRANSLATE;
	}
	if ((val & VTD_GCMD_IRE) && !(v->gsts & VTD_GSTS_IRTPS)) {
		*say = "GCMD.IRE without a table pointer (SIRTP): ignored";
		val &= ~VTD_GCMD_IRE;
	}
	if (!(val & VTD_GCMD_IRE) != !(old & VTD_GSTS_IRES))
		act |= VTD_VU_RETRANSLATE;
	v->gsts = (v->gsts & ~VTD_GSTS_IRES) | (val & VTD_GCMD_IRE);
	return act;
}

static void vu_irta(struct vtd_vunit *v, u64 val, const char **say)
{
	if ((val & VTD_IRTA_EIME) && !(v->ecap & VTD_ECAP_EIM)) {
		*say = "IRTA.EIME without ECAP.EIM: cleared";
		val &= ~VTD_IRTA_EIME;
	}
	v->irta = val & ~VTD_IRTA_RSVD;
}

static void vu_iqa(struct vtd_vunit *v, u64 val, const char **say)
{
	if (v->gsts & VTD_GSTS_QIES) {
		*say = "IQA written while the queue is on: ignored";
		return;
	}
	if (val & VTD_IQA_DW)
		*say = "IQA.DW (256-bit descriptors) is not offered: cleared";
	v->iqa = val & ~(VTD_IQA_DW | 0x7f8ULL);
}

unsigned int vtd_vu_write(struct vtd_vunit *v, unsigned int off,
			  unsigned int size, u64 val,
			  const struct vtd_root_mem *mem, const char **say)
{
	u64 *r64 = reg64(v, off);

	*say = NULL;
	if ((size != 4 && size != 8) || (off & (size - 1)) ||
	    (size == 8 && !r64)) {
		*say = "write of a size or at an offset the emulated unit "
		       "does not take: dropped";
		return 0;
	}
	switch (off & ~7u) {
	case VTD_IQT:
		v->iqt = merge64(v->iqt, off, size, val) & VU_IQ_MASK;
		return vtd_vu_iq_run(v, mem, say);
	case VTD_IQA:
		vu_iqa(v, merge64(v->iqa, off, size, val), say);
		return 0;
	case VTD_IRTA:
		vu_irta(v, merge64(v->irta, off, size, val), say);
		return 0;
	}
	switch (off) {
	case VTD_GCMD:
		return vu_gcmd(v, (u32)val, say);
	case VTD_FSTS:
		v->fsts &= ~((u32)val & VU_FSTS_RW1C);
		/* The queue halts while IQE is set (6.5.2.10): on again. */
		return vtd_vu_iq_run(v, mem, say);
	case VTD_ICS:
		v->ics &= ~((u32)val & VTD_ICS_IWC);
		return 0;
	case VTD_FECTL:
		v->fectl = (u32)val & VTD_FECTL_IM;
		return 0;
	case VTD_IECTL:
		v->iectl = (u32)val & VTD_FECTL_IM;
		return 0;
	case VTD_FEDATA: case VTD_FEADDR: case VTD_FEUADDR:
	case VTD_IEDATA: case VTD_IEADDR: case VTD_IEUADDR:
		*reg32(v, off) = (u32)val;
		return 0;
	}
	*say = "write of a register the emulated unit does not have or "
	       "that is read-only: dropped";
	return 0;
}

/* ---- the invalidation queue ---- */

static unsigned int vu_iq_entries(const struct vtd_vunit *v)
{
	return 256u << (v->iqa & 7);
}

/* A wait descriptor: the status write, to root RAM only. */
static int vu_wait(struct vtd_vunit *v, const struct vtd_desc *d,
		   const struct vtd_root_mem *mem, const char **say)
{
	u32 data = (u32)(d->lo >> 32);

	if ((d->lo & VTD_DESC_WAIT_SW) &&
	    mem->write(mem->ctx, d->hi & ~3ULL, &data, sizeof(data))) {
		*say = "invalidation wait: its status address is not root "
		       "RAM (queue stopped, FSTS.IQE)";
		return -EFAULT;
	}
	/* No completion interrupt is sent: ICS.IWC only (iommu.md). */
	if (d->lo & VTD_DESC_WAIT_IF)
		v->ics |= VTD_ICS_IWC;
	return 0;
}

/* One descriptor: what it asks of the caller, or -errno (IQE). */
static int vu_desc(struct vtd_vunit *v, const struct vtd_desc *d,
		   const struct vtd_root_mem *mem, const char **say)
{
	switch (VU_DESC_TYPE(d->lo)) {
	case VTD_DESC_IEC:
		if ((d->lo & ~VU_IEC_KNOWN) || d->hi)
			break;
		return VTD_VU_RETRANSLATE;
	case VTD_DESC_WAIT:
		if (d->lo & ~VU_WAIT_KNOWN)
			break;
		return vu_wait(v, d, mem, say);
	default:
		*say = "invalidation descriptor of a type the emulated unit "
		       "does not take (interrupt entry cache and wait only): "
		       "queue stopped, FSTS.IQE";
		return -EINVAL;
	}
	*say = "invalidation descriptor with reserved bits set: queue "
	       "stopped, FSTS.IQE";
	return -EINVAL;
}

unsigned int vtd_vu_iq_run(struct vtd_vunit *v, const struct vtd_root_mem *mem,
			   const char **say)
{
	unsigned int n = vu_iq_entries(v), head = v->iqh >> 4;
	unsigned int tail = v->iqt >> 4, act = 0;
	struct vtd_desc d;
	int r;

	if (!(v->gsts & VTD_GSTS_QIES) || (v->fsts & VTD_FSTS_IQE))
		return 0;
	if (tail >= n) {
		*say = "IQT beyond the queue (IQA.QS): queue stopped, "
		       "FSTS.IQE";
		v->fsts |= VTD_FSTS_IQE;
		return 0;
	}
	while (head != tail) {
		r = mem->read(mem->ctx, (v->iqa & PAGE_MASK) + 16ULL * head,
			      &d, sizeof(d));
		if (r)
			*say = "the invalidation queue is not in root RAM: "
			       "queue stopped, FSTS.IQE";
		else
			r = vu_desc(v, &d, mem, say);
		if (r < 0) {
			v->fsts |= VTD_FSTS_IQE;
			break;
		}
		act |= (unsigned int)r;
		head = (head + 1) % n;
	}
	v->iqh = (u64)head << 4;
	return act;
}

/* ---- Linux's remapping entries ---- */

int vtd_vu_irte(const struct vtd_vunit *v, u16 index,
		const struct vtd_root_mem *mem, struct iommu_irq *irq,
		const char **why)
{
	unsigned int entries = 2u << (v->irta_on & 0xf);
	bool eime = v->irta_on & VTD_IRTA_EIME;
	struct vtd_irte e;

	if (!(v->gsts & VTD_GSTS_IRES)) {
		*why = "the root's unit has interrupt remapping off";
		return -ENODEV;
	}
	if (index >= entries) {
		*why = "index beyond the root's remapping table (IRTA.S)";
		return -ERANGE;
	}
	if (mem->read(mem->ctx, (v->irta_on & PAGE_MASK) + 16ULL * index, &e,
		      sizeof(e))) {
		*why = "the root's remapping table is not in root RAM";
		return -EFAULT;
	}
	if (!(e.lo & VTD_IRTE_P)) {
		*why = "the root's entry is not present";
		return -ENOENT;
	}
	if ((e.lo & VTD_IRTE_IM) || VTD_IRTE_DLM(e.lo) > 1) {
		*why = "the root's entry is posted or not fixed or "
		       "lowest-priority delivery";
		return -EINVAL;
	}
	irq->vector = (u8)(e.lo >> 16);
	irq->dlm = VTD_IRTE_DLM(e.lo);
	irq->logical = e.lo & VTD_IRTE_DM_LOGICAL;
	irq->level = e.lo & VTD_IRTE_TM_LEVEL;
	irq->dest = eime ? (u32)(e.lo >> 32) : (u32)(e.lo >> 40) & 0xff;
	return 0;
}

/*
 * Physical: the ID or broadcast.  x2APIC logical (cluster): cluster
 * dest[31:16] = id >> 4, bit id & 15 of dest[15:0].  xAPIC logical
 * names no cell CPU: their LDR stays 0 (apic_reset_for_cell()).
 */
bool vtd_dest_names(u32 dest, bool logical, bool x2apic, u32 id)
{
	if (!logical && x2apic)
		return dest == APIC_X2_BROADCAST || dest == id;
	if (!logical)
		return dest == APIC_XAPIC_BROADCAST || (id <= 0xff && dest == id);
	if (!x2apic)
		return false;
	if (dest == APIC_X2_BROADCAST)
		return true;
	return (dest >> 16) == (id >> 4) && (dest & BIT(id & 15));
}

int vtd_msi_index(u32 addr, u32 data, u16 *index)
{
	u32 handle = ((addr >> 5) & 0x7fff) | ((addr >> 2) & 1) << 15;

	if ((addr & 0xfff00000u) != VTD_MSI_ADDR_BASE ||
	    !(addr & VTD_MSI_ADDR_IF))
		return -EINVAL;
	if (addr & VTD_MSI_ADDR_SHV)
		handle += data & 0xffff;
	if (handle > 0xffff)
		return -ERANGE;
	*index = (u16)handle;
	return 0;
}

int vtd_rte_index(u64 rte, u16 *index)
{
	if (!(rte & VTD_RTE_IF))
		return -EINVAL;
	*index = (u16)(((rte >> 49) & 0x7fff) |
		       ((rte & VTD_RTE_INDEX15) ? 0x8000 : 0));
	return 0;
}
