// SPDX-License-Identifier: GPL-2.0
/*
 * The exit port (CELLVISOR_EXIT_PORT, 0xf4): a write of 1, 2 or 4 bytes
 * ends the cell with that status (state EXITED).  Every cell that does
 * not own port 0xf4 has it; a read gets the cell's rule (FAILED).  The
 * claim spans 0xf4-0xf7 so that a 4-byte write lies inside it; an access
 * that starts at 0xf5-0xf7 is refused as if unclaimed.
 */
#include <hv/cell.h>
#include <asm/cell_x86.h>
#include <asm/pc_legacy.h>

static enum dev_result exit_port_access(const struct dev_call *call,
					struct dev_access *a)
{
	if (!a->write || a->addr != CELLVISOR_EXIT_PORT)
		return DEV_REFUSED;
	cell_exit_status(call->pc, a->val & (a->size == 4 ? 0xffffffffu :
					     (1u << (8 * a->size)) - 1));
	return DEV_STOPPED;
}

static const struct dev_model exit_port_model;

static int exit_port_cell_init(struct cell *c)
{
	return pio_claim(c, CELLVISOR_EXIT_PORT, 4, false, &exit_port_model,
			 NULL);
}

static const struct dev_model exit_port_model = {
	.name = "exit-port",
	.cell_init = exit_port_cell_init,
	.access = exit_port_access,
};
DEV_MODEL(exit_port_model);
