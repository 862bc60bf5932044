// SPDX-License-Identifier: GPL-2.0
/*
 * A cell's device reset at each start of the cell: Function Level Reset
 * where the function has one (PCI Express device capabilities or the
 * Advanced Features capability), a quiesce where it has none; then the
 * config state a cell starts with.  A step machine: the waits the spec
 * asks for (pending transactions, 100 ms after the FLR) pass between
 * calls, so no CPU waits them with interrupts off.  Documentation/pci.md,
 * "Reset at each start".
 */
#include <hv/pci.h>

#define PCI_CAP_ID_EXP		0x10
#define PCI_EXP_DEVCAP		4
#define PCI_EXP_DEVCAP_FLR	BIT(28)
#define PCI_EXP_DEVCTL_FLR	BIT(15)
#define PCI_EXP_DEVSTA_TP	BIT(5)	/* transactions pending */
#define PCI_EXP_DEVCTL2		0x28

#define PCI_CAP_ID_AF		0x13
#define PCI_AF_CAP		3
#define PCI_AF_CAP_TP		BIT(0)
#define PCI_AF_CAP_FLR		BIT(1)
#define PCI_AF_CTRL		4
#define PCI_AF_CTRL_FLR		BIT(0)
#define PCI_AF_STATUS		5
#define PCI_AF_STATUS_TP	BIT(0)

#define PCI_MSIX_CTRL		2
#define PCI_VENDOR_CRS		0x0001	/* config request retry status */

/*
 * Pending transactions get 100 ms, then the FLR goes ahead anyway (they
 * are dropped by it); after the FLR the function gets 100 ms before any
 * config access (PCIe base spec, FLR) and must answer within 1 s.  Each
 * wait also takes PCI_RESET_MIN_POLLS calls: the driver sleeps 10 ms
 * between them, which keeps the wait where the TSC rate is wrong.
 */
#define PCI_TP_WAIT_US		100000ULL
#define PCI_FLR_WAIT_US		100000ULL
#define PCI_FLR_READY_US	1000000ULL
#define PCI_RESET_MIN_POLLS	10
#define PCI_RESET_MAX_POLLS	200

enum pci_reset_step { PCI_RESET_IDLE, PCI_RESET_TP, PCI_RESET_FLR,
		      PCI_RESET_DONE };

enum pci_flr pci_flr_method(const struct pci_cfg_hw *hw, u16 bdf, u16 *cap)
{
	u16 off = pci_cap_find(hw, bdf, PCI_CAP_ID_EXP);

	if (off && (hw->read(bdf, off + PCI_EXP_DEVCAP, 4) &
		    PCI_EXP_DEVCAP_FLR)) {
		*cap = off;
		return PCI_FLR_EXP;
	}
	off = pci_cap_find(hw, bdf, PCI_CAP_ID_AF);
	if (off && (hw->read(bdf, off + PCI_AF_CAP, 1) &
		    (PCI_AF_CAP_FLR | PCI_AF_CAP_TP)) ==
		   (PCI_AF_CAP_FLR | PCI_AF_CAP_TP)) {
		*cap = off;
		return PCI_FLR_AF;
	}
	*cap = 0;
	return PCI_FLR_NONE;
}

void pci_reset_prepare(const struct pci_cfg_hw *hw, struct pci_device *d)
{
	struct pci_reset *r = &d->reset;
	unsigned int bar;

	r->flr = pci_flr_method(hw, d->bdf, &r->cap);
	r->step = PCI_RESET_IDLE;
	r->cmd = hw->read(d->bdf, PCI_COMMAND, 2) &
		 (PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	for (bar = 0; bar < CFG_PCI_BARS; bar++)
		r->bars[bar] = hw->read(d->bdf, PCI_BAR0 + 4 * bar, 4);
	r->exp = pci_cap_find(hw, d->bdf, PCI_CAP_ID_EXP);
	if (!r->exp)
		return;
	r->devctl = hw->read(d->bdf, r->exp + PCI_EXP_DEVCTL, 2) &
		    ~PCI_EXP_DEVCTL_FLR;
	r->devctl2 = hw->read(d->bdf, r->exp + PCI_EXP_DEVCTL2, 2);
}

static bool tp_pending(const struct pci_cfg_hw *hw, const struct pci_device *d)
{
	const struct pci_reset *r = &d->reset;

	if (r->flr == PCI_FLR_EXP)
		return hw->read(d->bdf, r->cap + PCI_EXP_DEVSTA, 2) &
		       PCI_EXP_DEVSTA_TP;
	return hw->read(d->bdf, r->cap + PCI_AF_STATUS, 1) & PCI_AF_STATUS_TP;
}

static void flr_start(const struct pci_cfg_hw *hw, const struct pci_device *d)
{
	const struct pci_reset *r = &d->reset;
	u16 ctl;

	if (r->flr == PCI_FLR_EXP) {
		ctl = hw->read(d->bdf, r->cap + PCI_EXP_DEVCTL, 2);
		hw->write(d->bdf, r->cap + PCI_EXP_DEVCTL, 2,
			  ctl | PCI_EXP_DEVCTL_FLR);
	} else {
		hw->write(d->bdf, r->cap + PCI_AF_CTRL, 1, PCI_AF_CTRL_FLR);
	}
}

/* Nothing the last run left may send: DMA, MSI, MSI-X, INTx. */
static void reset_quiesce(const struct pci_cfg_hw *hw,
			  const struct pci_device *d)
{
	u16 msix = pci_cap_find(hw, d->bdf, PCI_CAP_ID_MSIX), cmd;

	pci_device_quiesce(hw, d);
	if (msix)
		hw->write(d->bdf, msix + PCI_MSIX_CTRL, 2,
			  hw->read(d->bdf, msix + PCI_MSIX_CTRL, 2) &
			  ~PCI_MSIX_CTRL_ENABLE);
	cmd = hw->read(d->bdf, PCI_COMMAND, 2);
	hw->write(d->bdf, PCI_COMMAND, 2, cmd | PCI_COMMAND_INTX_OFF);
}

/*
 * The state a cell starts with: BARs as at take, decode as at take, bus
 * master off, INTx off (the cell reads 0, the reset value), MSI and
 * MSI-X off (the cell's MSI copy empty).  The PCI Express device controls
 * as at take: an FLR may set max payload size back to 128 bytes, below
 * what the link partner sends.
 */
static void reset_restore(const struct pci_cfg_hw *hw, struct pci_device *d)
{
	const struct pci_reset *r = &d->reset;
	unsigned int bar;

	reset_quiesce(hw, d);
	for (bar = 0; bar < CFG_PCI_BARS; bar++)
		hw->write(d->bdf, PCI_BAR0 + 4 * bar, 4, r->bars[bar]);
	if (r->exp) {
		hw->write(d->bdf, r->exp + PCI_EXP_DEVCTL, 2, r->devctl);
		hw->write(d->bdf, r->exp + PCI_EXP_DEVCTL2, 2, r->devctl2);
	}
	hw->write(d->bdf, PCI_COMMAND, 2, r->cmd | PCI_COMMAND_INTX_OFF);
	d->intx_off = false;
	pci_msi_forget(&d->msi);
}

static bool waited(const struct pci_reset *r, u64 now, u64 us)
{
	return now - r->since >= us && r->polls >= PCI_RESET_MIN_POLLS;
}

static void next_step(struct pci_reset *r, u8 step, u64 now)
{
	r->step = step;
	r->since = now;
	r->polls = 0;
}

/* After the FLR's 100 ms: the function answers, or time is up. */
static int flr_finish(const struct pci_cfg_hw *hw, struct pci_device *d,
		      u64 now, const char **why)
{
	struct pci_reset *r = &d->reset;
	u32 id = hw->read(d->bdf, 0, 4);

	if (id != 0xffffffff && (id & 0xffff) != PCI_VENDOR_CRS) {
		reset_restore(hw, d);
		r->step = PCI_RESET_DONE;
		return 0;
	}
	if (now - r->since < PCI_FLR_READY_US &&
	    r->polls < PCI_RESET_MAX_POLLS)
		return -EINPROGRESS;
	r->step = PCI_RESET_IDLE;
	*why = "it does not answer 1 s after its function level reset";
	return -EIO;
}

int pci_reset_step(const struct pci_cfg_hw *hw, struct pci_device *d,
		   u64 now, const char **why)
{
	struct pci_reset *r = &d->reset;

	r->polls++;
	switch (r->step) {
	case PCI_RESET_IDLE:
		reset_quiesce(hw, d);
		if (r->flr == PCI_FLR_NONE) {
			reset_restore(hw, d);
			r->step = PCI_RESET_DONE;
			return 0;
		}
		next_step(r, PCI_RESET_TP, now);
		/* fall through */
	case PCI_RESET_TP:
		if (tp_pending(hw, d) && !waited(r, now, PCI_TP_WAIT_US))
			return -EINPROGRESS;
		flr_start(hw, d);
		next_step(r, PCI_RESET_FLR, now);
		return -EINPROGRESS;
	case PCI_RESET_FLR:
		if (!waited(r, now, PCI_FLR_WAIT_US))
			return -EINPROGRESS;
		return flr_finish(hw, d, now, why);
	default:
		return 0;
	}
}

void pci_reset_rearm(struct pci_device *d)
{
	d->reset.step = PCI_RESET_IDLE;
}
