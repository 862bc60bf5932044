// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration mechanism 1 (0xcf8 address, 0xcfc-0xcff data) of a
 * cell that has PCI devices or pc-legacy: the address latch reads back;
 * a function the cell owns is answered by pci.c's rules on the real
 * device (a write they refuse stops the cell); every other function
 * reads as absent (all ones) and takes no writes.  Cells have no ECAM:
 * mechanism 1 reaches the standard space (registers below 0x100).
 *
 * Only a 32-bit access to 0xcf8 is the latch, as on a PC chipset.  The
 * narrower ones to 0xcf8-0xcfb reach ISA space there: they read 0xff
 * and writes are ignored (Linux's and memtest86+'s probe writes a byte
 * to 0xcfb first), except 0xcf9, the reset control register: it reads 0
 * and a write asking for a reset stops the cell.
 */
#include <hv/cell.h>
#include <hv/pci.h>
#include <asm/pc_legacy.h>

#define PCI_CF8			PCI_CF8_PORT
#define PCI_CF9			0xcf9
#define PCI_CFC			PCI_CFC_PORT
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

/* A data access: the cell's own function, or nothing there. */
static enum dev_result cf8_data(const struct dev_call *call, u32 latch,
				struct dev_access *a)
{
	u16 bdf = PCI_CF8_BDF(latch), reg = PCI_CF8_REG(latch) + a->addr -
					    PCI_CFC;
	const char *why = "refused";
	u32 val = a->val;
	int err = -ENODEV;

	if (latch & PCI_CF8_ENABLE)
		err = pci_cell_cfg(call->cell, bdf, reg, a->size, a->write,
				   &val, &why);
	if (err == -ENODEV) {
		if (!a->write)
			a->val = a->size == 4 ? 0xffffffffu :
				 (1u << (8 * a->size)) - 1;
		return DEV_DONE;
	}
	if (err) {
		/* The reason fits the cell's (short) reason line. */
		cell_fail(call->pc, "PCI %02x:%02x.%x 0x%x %s (RIP 0x%lx): %s",
			  PCI_BDF_BUS(bdf), PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf),
			  reg, a->write ? "write" : "read", call->rip, why);
		return DEV_STOPPED;
	}
	if (!a->write)
		a->val = val;
	return DEV_DONE;
}

static enum dev_result cf8_access(const struct dev_call *call,
				  struct dev_access *a)
{
	struct pci_cf8 *s = call->priv;

	if (a->addr >= PCI_CFC)
		return cf8_data(call, READ_ONCE(s->latch), a);
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

	if (!pc_legacy_wanted(c) && !c->cfg.n_pci)
		return 0;
	s = dev_alloc(c, sizeof(*s));
	return s ? pio_claim(c, PCI_CF8, 8, false, &cf8_model, s) : -ENOMEM;
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
