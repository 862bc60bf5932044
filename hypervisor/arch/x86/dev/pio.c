// SPDX-License-Identifier: GPL-2.0
/*
 * Port claims of x86 cells, and the pc-legacy devices without state:
 * the POST port, a keyboard controller that is not there, system control
 * port A, and a floppy controller and a VGA that are not there.
 */
#include <hv/cell.h>
#include <asm/cell_x86.h>
#include <asm/pc_legacy.h>

#define PIO_PORTS		0x10000u

int pio_claim(struct cell *c, u32 base, u32 len, bool owned,
	      const struct dev_model *m, void *priv)
{
	u32 port, end = base + len, start;
	int err;

	if (end > PIO_PORTS || end < base)
		return -EINVAL;
	for (port = base; port < end;) {
		if (cell_has_port(c, port) != owned) {
			port++;
			continue;
		}
		start = port;
		while (port < end && cell_has_port(c, port) == owned)
			port++;
		err = dev_claim(c, DEV_SPACE_PIO, start, port - start, m,
				priv);
		if (err)
			return err;
	}
	return 0;
}

bool pc_legacy_wanted(const struct cell *c)
{
	unsigned int i;

	for (i = 0; i < c->cfg.n_vdevs; i++)
		if (c->cfg.vdevs[i].type == CFG_VDEV_TYPE_PC_LEGACY)
			return true;
	return false;
}

int pc_legacy_claim(struct cell *c, u32 base, u32 len,
		    const struct dev_model *m, void *priv)
{
	return pc_legacy_wanted(c) ? pio_claim(c, base, len, false, m, priv) :
				     0;
}

/* A reset request of the cell: it stops, saying which port asked. */
static enum dev_result pio_reset_request(const struct dev_call *call,
					 const char *what, u64 port, u8 val)
{
	cell_fail(call->pc, "%s: port 0x%lx write 0x%x resets the machine, "
		  "not emulated (RIP 0x%lx)", what, port, val, call->rip);
	return DEV_STOPPED;
}

/* A device that is not there: reads all ones, writes go nowhere. */
static enum dev_result absent_byte(const struct dev_call *call, u64 port,
				   bool write, u8 *val)
{
	(void)call;
	(void)port;
	if (!write)
		*val = 0xff;
	return DEV_DONE;
}

static enum dev_result absent_access(const struct dev_call *call,
				     struct dev_access *a)
{
	return dev_bytewise(call, a, absent_byte);
}

/* ---- 0x80: POST codes, and the delay of an I/O cycle ---- */

static const struct dev_model post_model;

static int post_cell_init(struct cell *c)
{
	return pc_legacy_claim(c, 0x80, 1, &post_model, NULL);
}

static const struct dev_model post_model = {
	.name = "pc-post",
	.cell_init = post_cell_init,
	.access = absent_access,
};
DEV_MODEL(post_model);

/* ---- 0x60, 0x64: no keyboard controller (status 0: nothing, ready) ---- */

#define I8042_PORT_CMD		0x64
#define I8042_CMD_RESET		0xfe

static enum dev_result i8042_byte(const struct dev_call *call, u64 port,
				  bool write, u8 *val)
{
	if (!write)
		*val = 0;
	else if (port == I8042_PORT_CMD && *val == I8042_CMD_RESET)
		return pio_reset_request(call, "i8042 reset pulse", port,
					 *val);
	return DEV_DONE;
}

static enum dev_result i8042_access(const struct dev_call *call,
				    struct dev_access *a)
{
	return dev_bytewise(call, a, i8042_byte);
}

static const struct dev_model i8042_model;

static int i8042_cell_init(struct cell *c)
{
	int err = pc_legacy_claim(c, 0x60, 1, &i8042_model, NULL);

	return err ? err : pc_legacy_claim(c, I8042_PORT_CMD, 1, &i8042_model,
					   NULL);
}

static const struct dev_model i8042_model = {
	.name = "pc-i8042-absent",
	.cell_init = i8042_cell_init,
	.access = i8042_access,
};
DEV_MODEL(i8042_model);

/* ---- 0x92: system control port A (A20 on, fast reset refused) ---- */

#define SYSCTL_A_PORT		0x92
#define SYSCTL_A_RESET		BIT(0)
#define SYSCTL_A_A20		BIT(1)

static enum dev_result sysctl_a_byte(const struct dev_call *call, u64 port,
				     bool write, u8 *val)
{
	if (!write)
		*val = SYSCTL_A_A20;
	else if (*val & SYSCTL_A_RESET)
		return pio_reset_request(call, "fast reset (system control "
					 "port A)", port, *val);
	return DEV_DONE;
}

static enum dev_result sysctl_a_access(const struct dev_call *call,
				       struct dev_access *a)
{
	return dev_bytewise(call, a, sysctl_a_byte);
}

static const struct dev_model sysctl_a_model;

static int sysctl_a_cell_init(struct cell *c)
{
	return pc_legacy_claim(c, SYSCTL_A_PORT, 1, &sysctl_a_model, NULL);
}

static const struct dev_model sysctl_a_model = {
	.name = "pc-sysctl-a",
	.cell_init = sysctl_a_cell_init,
	.access = sysctl_a_access,
};
DEV_MODEL(sysctl_a_model);

/* ---- 0x3f0-0x3f5, 0x3f7: no floppy controller (0x3f6 is IDE's) ---- */


static const struct dev_model floppy_model;

static int floppy_cell_init(struct cell *c)
{
	int err = pc_legacy_claim(c, 0x3f0, 6, &floppy_model, NULL);

	return err ? err : pc_legacy_claim(c, 0x3f7, 1, &floppy_model, NULL);
}

static const struct dev_model floppy_model = {
	.name = "pc-floppy-absent",
	.cell_init = floppy_cell_init,
	.access = absent_access,
};
DEV_MODEL(floppy_model);

/*
 * ---- 0x3b0-0x3df: no VGA ----
 * PC images program the CRTC (0x3d4/0x3d5: the cursor) even when they
 * print on a serial port; the root's VGA, if any, stays the root's.
 */

static const struct dev_model vga_model;

static int vga_cell_init(struct cell *c)
{
	return pc_legacy_claim(c, 0x3b0, 0x30, &vga_model, NULL);
}

static const struct dev_model vga_model = {
	.name = "pc-vga-absent",
	.cell_init = vga_cell_init,
	.access = absent_access,
};
DEV_MODEL(vga_model);
