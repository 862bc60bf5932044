// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration mechanism 1 (0xcf8 address, 0xcfc-0xcff data) of a
 * pc-legacy cell that has no PCI device: the address latch reads back,
 * every configuration read finds no device (all ones), writes are lost.
 * Assigned devices will be answered here later (issue 13).
 *
 * Only a 32-bit access to 0xcf8 is the latch, as on a PC chipset.  The
 * narrower ones to 0xcf8-0xcfb reach ISA space there: they read 0xff
 * and writes are ignored (Linux's and memtest86+'s probe writes a byte
 * to 0xcfb first), except 0xcf9, the reset control register: it reads 0
 * and a write asking for a reset stops the cell.
 */
#include <hv/cell.h>
#include <asm/pc_legacy.h>

#define PCI_CF8			0xcf8
#define PCI_CF9			0xcf9
#define PCI_CFC			0xcfc
/* Enable, bus, devfn, register. */
#define PCI_CF8_MASK		0x80fffffcu
#define PCI_CF9_RESET		BIT(2)

struct pci_cf8 {
	u32 latch;
};

static enum dev_result cf8_byte(const struct dev_call *call, u64 port,
				bool write, u8 *val)
{
	if (port != PCI_CF9) {
		if (!write)
			*val = 0xff;
		return DEV_DONE;
	}
	if (!write) {
		*val = 0;
	} else if (*val & PCI_CF9_RESET) {
		cell_fail(call->pc, "reset control: port 0xcf9 write 0x%x "
			  "resets the machine, not emulated (RIP 0x%lx)", *val,
			  call->rip);
		return DEV_STOPPED;
	}
	return DEV_DONE;
}

static enum dev_result cf8_access(const struct dev_call *call,
				  struct dev_access *a)
{
	struct pci_cf8 *s = call->priv;

	if (a->addr >= PCI_CFC) {
		if (!a->write)
			a->val = a->size == 4 ? 0xffffffffu :
				 (1u << (8 * a->size)) - 1;
		return DEV_DONE;
	}
	if (a->addr != PCI_CF8 || a->size != 4)
		return dev_bytewise(call, a, cf8_byte);
	if (a->write)
		s->latch = a->val & PCI_CF8_MASK;
	else
		a->val = s->latch;
	return DEV_DONE;
}

static const struct dev_model cf8_model;

static int cf8_cell_init(struct cell *c)
{
	struct pci_cf8 *s;

	if (!pc_legacy_wanted(c))
		return 0;
	s = dev_alloc(c, sizeof(*s));
	return s ? pc_legacy_claim(c, PCI_CF8, 8, &cf8_model, s) : -ENOMEM;
}

static void cf8_reset(struct cell *c)
{
	struct pci_cf8 *s = dev_priv(c, &cf8_model);

	if (s)
		s->latch = 0;
}

static const struct dev_model cf8_model = {
	.name = "pc-pci-cf8",
	.cell_init = cf8_cell_init,
	.reset = cf8_reset,
	.access = cf8_access,
};
DEV_MODEL(cf8_model);
