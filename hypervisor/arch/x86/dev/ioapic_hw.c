// SPDX-License-Identifier: GPL-2.0
/* The IOAPIC hardware behind arch/x86/dev/ioapic.c: select, window, EOI. */
#include <hv/cell.h>
#include <hv/ioapic.h>
#include <hv/paging.h>
#include <asm/cell_x86.h>

u32 ioapic_hw_read(struct ioapic_chip *chip, u32 reg)
{
	chip->regs[IOAPIC_REGSEL / 4] = reg;
	return chip->regs[IOAPIC_IOWIN / 4];
}

void ioapic_hw_write(struct ioapic_chip *chip, u32 reg, u32 val)
{
	chip->regs[IOAPIC_REGSEL / 4] = reg;
	chip->regs[IOAPIC_IOWIN / 4] = val;
}

/* Version 0x20 and later; older IOAPICs have no register there. */
void ioapic_hw_eoi(struct ioapic_chip *chip, u32 vector)
{
	if ((ioapic_hw_read(chip, IOAPIC_REG_VER) & 0xff) >= 0x20)
		chip->regs[IOAPIC_EOI / 4] = vector;
}

int ioapic_hw_map(struct ioapic_chip *chip)
{
	chip->regs = mmio_map(chip->base, PAGE_SIZE);
	return chip->regs ? 0 : -ENOMEM;
}

/*
 * The page out of the root's NPT from enable on (remapping: AMD-V only
 * so far, iommu_vtd.c); the tables are not in use yet, nothing to flush.
 */
int ioapic_hw_root_trap(struct ioapic_chip *chip)
{
	return paging_unmap(&cell_x86(&root_cell)->pg, chip->base, PAGE_SIZE);
}
