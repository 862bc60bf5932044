// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile inmate for a cell's PCI function: one forbidden or moderated
 * config-space step per run, through the cell's mechanism 1 (ports
 * 0xcf8/0xcfc), to be stopped, dropped or kept to the cell's view by the
 * hypervisor (Documentation/pci.md).  tests/system/pci-hostile-vtx.sh
 * runs it on Bochs (VT-x, no IOMMU) against the PIIX3 USB function.
 *
 * Command line:
 *   bdf=N         the cell's function, PCI_BDF numbering (default 0xa,
 *                 00:01.2, PIIX3 USB on Bochs)
 *   step=bar      write BAR bar=N (default 4) with its address moved by
 *                 0x100: the hypervisor must stop the cell
 *   step=intx     clear command bit 10 (INTx disable): allowed, the cell
 *                 reads back what it wrote, the device keeps INTx off
 *   step=msi      aim the function's MSI at APIC ID msi_dest=N (default 0,
 *                 the root's CPU): the hypervisor must stop the cell; a
 *                 function without MSI says "SKIPPED" and exits with 3
 *   step=unlisted write 2 bytes of 0 to register reg=N (default 0x40): a
 *                 register no rule lets a cell write stops the cell
 *   step=other    write 0x40 into the latency timer (0x0d) of another
 *                 function, other=N (default 0x0, 00:00.0): it reads all
 *                 ones and the write goes nowhere
 *   step=ecam     read config space through an ECAM window at ecam=ADDR
 *                 (default 0xe0000000): not the cell's memory, so the
 *                 cell is stopped
 *   step=serr     flip SERR enable (command bit 8: a system error goes
 *                 to the root's port): the bit stays the device's (the
 *                 cell goes on)
 *   step=devctl   flip the PCI Express device control's error reporting
 *                 enables (bits 0-3) and phantom functions (bit 9): they
 *                 stay the device's
 *   step=pm       flip the power state bits of the power management
 *                 control (D0 -> D3hot): the function stays in its state
 * A step that should have stopped the cell and did not prints "SURVIVED"
 * and exits with 1; a write that should not have reached the device and
 * did prints "LANDED" and exits with 1; the allowed ones print "done"
 * and exit with 0; a function without the capability a step needs says
 * "SKIPPED" and exits with 3.
 */
#include <inmate.h>

#define PCI_COMMAND		0x04
#define PCI_CMD_INTX_OFF	(1U << 10)
#define PCI_LATENCY_TIMER	0x0d
#define PCI_BAR(n)		(0x10 + 4 * (n))
#define PCI_CMD_SERR		(1U << 8)
#define PCI_CAP_ID_PM		0x01
#define PCI_PM_CTRL		0x04	/* from the capability */
#define PCI_PM_STATE		0x0003
#define PCI_PM_D3HOT		0x0003
#define PCI_CAP_ID_EXP		0x10
#define PCI_EXP_DEVCTL		0x08	/* from the capability */
#define PCI_EXP_DEVCTL_ERRORS	0x000f	/* CERE, NFERE, FERE, URRE */
#define PCI_EXP_DEVCTL_PHANTOM	0x0200
#define HOSTILE_VECTOR		0x40
#define HOSTILE_LATENCY		0x40

static uint16_t bdf;

static void __noreturn survived(const char *step)
{
	printk("pcihostile: %s: SURVIVED\n", step);
	inmate_exit(1);
}

/* The capability @id of the function, or SKIPPED (exit 3) without it. */
static unsigned int need_cap(const char *step, uint8_t id, const char *what)
{
	unsigned int cap = pci_find_cap(bdf, id);

	if (!cap) {
		printk("pcihostile: %s: SKIPPED: %02x:%02x.%x has no %s "
		       "capability\n", step, PCI_BUS(bdf), PCI_DEV(bdf),
		       PCI_FN(bdf), what);
		inmate_exit(3);
	}
	return cap;
}

static void step_bar(void)
{
	unsigned int n = cmdline_parse_int(inmate_cmdline, "bar", 4);
	uint32_t old;

	if (n > 5) {
		printk("pcihostile: bar=%u: use 0-5\n", n);
		inmate_exit(2);
	}
	old = pci_read_config(bdf, PCI_BAR(n), 4);
	printk("pcihostile: bar: BAR%u 0x%x, writing 0x%x\n", n, old,
	       old + 0x100);
	pci_write_config(bdf, PCI_BAR(n), old + 0x100, 4);
	printk("pcihostile: bar: BAR%u reads 0x%x\n", n,
	       pci_read_config(bdf, PCI_BAR(n), 4));
	survived("bar");
}

static void step_intx(void)
{
	uint32_t cmd = pci_read_config(bdf, PCI_COMMAND, 2);
	uint32_t want = cmd & ~PCI_CMD_INTX_OFF, got;

	pci_write_config(bdf, PCI_COMMAND, want, 2);
	got = pci_read_config(bdf, PCI_COMMAND, 2);
	printk("pcihostile: intx: command 0x%x, wrote 0x%x, reads 0x%x (%s)\n",
	       cmd, want, got, got == want ? "as written" : "NOT as written");
	printk("pcihostile: intx: done\n");
}

static void step_msi(void)
{
	uint32_t dest = cmdline_parse_int(inmate_cmdline, "msi_dest", 0);

	need_cap("msi", PCI_CAP_ID_MSI, "MSI");
	printk("pcihostile: msi: to APIC ID %u, vector 0x%x\n", dest,
	       HOSTILE_VECTOR);
	pci_msi_enable(bdf, dest, HOSTILE_VECTOR);
	survived("msi");
}

static void step_unlisted(void)
{
	unsigned int reg = cmdline_parse_int(inmate_cmdline, "reg", 0x40);

	if (reg > 0xfe || reg % 2) {
		printk("pcihostile: reg=0x%x: use an even register below "
		       "0x100\n", reg);
		inmate_exit(2);
	}
	printk("pcihostile: unlisted: register 0x%x reads 0x%x, writing 0\n",
	       reg, pci_read_config(bdf, reg, 2));
	pci_write_config(bdf, reg, 0, 2);
	survived("unlisted");
}

static void step_other(void)
{
	uint16_t other = cmdline_parse_int(inmate_cmdline, "other", 0);

	printk("pcihostile: other: %02x:%02x.%x ID 0x%08x, latency timer "
	       "0x%x\n", PCI_BUS(other), PCI_DEV(other), PCI_FN(other),
	       pci_read_config(other, 0, 4),
	       pci_read_config(other, PCI_LATENCY_TIMER, 1));
	pci_write_config(other, PCI_LATENCY_TIMER, HOSTILE_LATENCY, 1);
	printk("pcihostile: other: wrote 0x%x, reads 0x%x\n", HOSTILE_LATENCY,
	       pci_read_config(other, PCI_LATENCY_TIMER, 1));
	printk("pcihostile: other: done\n");
}

static void step_ecam(void)
{
	uint64_t ecam = cmdline_parse_int(inmate_cmdline, "ecam", 0xe0000000);
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)
		(ecam + ((uint64_t)bdf << 12));

	printk("pcihostile: ecam: reading %p\n", p);
	printk("pcihostile: ecam: reads 0x%x\n", *p);
	survived("ecam");
}

/*
 * Flips @bits of the 16-bit register @reg (sets those clear, clears
 * those set: the device may have some on already) and reads it back:
 * the hypervisor must keep them the device's (the cell reads the device).
 */
static void flip_bits(const char *step, unsigned int reg, uint32_t bits)
{
	uint32_t old = pci_read_config(bdf, reg, 2), got;

	pci_write_config(bdf, reg, old ^ bits, 2);
	got = pci_read_config(bdf, reg, 2);
	printk("pcihostile: %s: register 0x%x was 0x%x, wrote 0x%x, reads "
	       "0x%x: bits 0x%x %s\n", step, reg, old, old ^ bits, got, bits,
	       (got & bits) == (old & bits) ? "kept" : "changed");
	if ((got & bits) != (old & bits)) {
		printk("pcihostile: %s: LANDED\n", step);
		inmate_exit(1);
	}
	printk("pcihostile: %s: done\n", step);
}

static void step_serr(void)
{
	flip_bits("serr", PCI_COMMAND, PCI_CMD_SERR);
}

static void step_devctl(void)
{
	unsigned int cap = need_cap("devctl", PCI_CAP_ID_EXP, "PCI Express");

	flip_bits("devctl", cap + PCI_EXP_DEVCTL,
		 PCI_EXP_DEVCTL_ERRORS | PCI_EXP_DEVCTL_PHANTOM);
}

static void step_pm(void)
{
	unsigned int cap = need_cap("pm", PCI_CAP_ID_PM, "power management");

	flip_bits("pm", cap + PCI_PM_CTRL, PCI_PM_D3HOT);
}

static const struct {
	const char *name;
	void (*run)(void);
} steps[] = {
	{ "bar", step_bar },
	{ "intx", step_intx },
	{ "msi", step_msi },
	{ "unlisted", step_unlisted },
	{ "other", step_other },
	{ "ecam", step_ecam },
	{ "serr", step_serr },
	{ "devctl", step_devctl },
	{ "pm", step_pm },
};

void inmate_main(void)
{
	const char *what;
	unsigned int i;
	size_t len;

	bdf = cmdline_parse_int(inmate_cmdline, "bdf", PCI_BDF(0, 1, 2));
	printk("pcihostile: %02x:%02x.%x ID 0x%08x\n", PCI_BUS(bdf),
	       PCI_DEV(bdf), PCI_FN(bdf), pci_read_config(bdf, 0, 4));
	if (!cmdline_find(inmate_cmdline, "step", &what, &len)) {
		printk("pcihostile: no step= (bar, intx, msi, unlisted, other, "
		       "ecam, serr, devctl, pm)\n");
		inmate_exit(2);
	}
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		if (strlen(steps[i].name) == len &&
		    !strncmp(what, steps[i].name, len)) {
			steps[i].run();
			inmate_exit(0);
		}
	}
	printk("pcihostile: unknown step (bar, intx, msi, unlisted, other, "
	       "ecam, serr, devctl, pm)\n");
	inmate_exit(2);
}
