// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module: the root's raw config-space accesses to one PCI
 * function, bypassing Linux's PCI core as an attacker in the root would.
 * At load it reads the function's IDs, command, BAR bar=N (default 0)
 * and MSI capability through mechanism 1 (ports 0xcf8/0xcfc) and, with
 * ecam=ADDR, through the ECAM window at ADDR, and prints one line per
 * path:
 *   cvtest_cfg: cf8 BB:DD.F id 0x... cmd 0x... barN 0x... msi 0x... ...
 * With attack=1 it then writes, through each path, bar_val=VALUE into
 * that BAR, 0 into the command register (decode and bus mastering off)
 * and an MSI address and data aimed at APIC ID msi_dest (default 0, the
 * root's boot CPU) into the MSI capability at msi=OFFSET, and reads
 * everything again
 * ("... after attack ...").  Whether the writes reached the device is for
 * the scenario to judge (tests/system/pci-root-hidden.sh: the cell that
 * owns the function keeps working).  Unloading does nothing.
 */
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/spinlock.h>

#define CFG_ADDR_PORT		0xcf8
#define CFG_DATA_PORT		0xcfc
#define CFG_ENABLE		0x80000000U
#define CFG_ID			0x00
#define CFG_COMMAND		0x04
#define CFG_BAR(n)		(0x10 + 4 * (n))
#define MSI_ADDR_BASE		0xfee00000U
#define MSI_ATTACK_VECTOR	0xef	/* Linux's local APIC timer vector */

/* A read-only module parameter of type unsigned int. */
#define CFG_UINT_PARAM(name, init, desc)			\
	static unsigned int name = init;			\
	module_param(name, uint, 0444);				\
	MODULE_PARM_DESC(name, desc)

CFG_UINT_PARAM(bus, 0, "bus of the function (default 0)");
CFG_UINT_PARAM(dev, 4, "device of the function (default 4, QEMU's edu)");
CFG_UINT_PARAM(fn, 0, "function number (default 0)");
static unsigned long long ecam;
module_param(ecam, ullong, 0444);
MODULE_PARM_DESC(ecam, "physical base of the ECAM window (0: mechanism 1 only)");
static bool attack;
module_param(attack, bool, 0444);
MODULE_PARM_DESC(attack, "write BAR 0, command and MSI through each path");
CFG_UINT_PARAM(bar, 0, "the BAR shown and attacked, 0-5 (default 0)");
CFG_UINT_PARAM(bar_val, 0xfeb00000, "what attack writes into that BAR");
CFG_UINT_PARAM(msi, 0x40, "offset of the MSI capability (default 0x40, edu's)");
CFG_UINT_PARAM(msi_dest, 0, "APIC ID the attack's MSI names (default 0)");

/* Mechanism 1's two steps must not interleave with another of ours. */
static DEFINE_RAW_SPINLOCK(cfg_lock);
static void __iomem *cfg_ecam;

struct cfg_path {
	const char *name;
	u32 (*read)(unsigned int reg);
	void (*write)(unsigned int reg, u32 val);
};

static u32 cf8_addr(unsigned int reg)
{
	return CFG_ENABLE | bus << 16 | dev << 11 | fn << 8 | (reg & 0xfc);
}

/* One access through mechanism 1: address, then data, under cfg_lock. */
static u32 cf8_access(unsigned int reg, bool write, u32 val)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&cfg_lock, flags);
	outl(cf8_addr(reg), CFG_ADDR_PORT);
	if (write)
		outl(val, CFG_DATA_PORT);
	else
		val = inl(CFG_DATA_PORT);
	raw_spin_unlock_irqrestore(&cfg_lock, flags);
	return val;
}

static u32 cf8_read(unsigned int reg)
{
	return cf8_access(reg, false, 0);
}

static void cf8_write(unsigned int reg, u32 val)
{
	cf8_access(reg, true, val);
}

static u32 ecam_read(unsigned int reg)
{
	return readl(cfg_ecam + reg);
}

static void ecam_write(unsigned int reg, u32 val)
{
	writel(val, cfg_ecam + reg);
}

static const struct cfg_path cfg_paths[] = {
	{ "cf8", cf8_read, cf8_write },
	{ "ecam", ecam_read, ecam_write },
};

static void cfg_show(const struct cfg_path *p, const char *when)
{
	pr_info("cvtest_cfg: %s %02x:%02x.%x%s id 0x%08x cmd 0x%08x bar%u 0x%08x msi 0x%08x 0x%08x 0x%08x 0x%08x\n",
		p->name, bus, dev, fn, when, p->read(CFG_ID),
		p->read(CFG_COMMAND), bar, p->read(CFG_BAR(bar)), p->read(msi),
		p->read(msi + 4), p->read(msi + 8), p->read(msi + 12));
}

/* What a root that wants the device would write (64-bit MSI layout). */
static void cfg_attack(const struct cfg_path *p)
{
	p->write(CFG_BAR(bar), bar_val);
	p->write(CFG_COMMAND, 0);
	p->write(msi + 4, MSI_ADDR_BASE | (msi_dest & 0xff) << 12);
	p->write(msi + 8, 0);
	p->write(msi + 12, MSI_ATTACK_VECTOR);
	/* Control word: MSI enable, in the capability's first dword. */
	p->write(msi, (p->read(msi) & 0xffff) | 1 << 16);
	pr_info("cvtest_cfg: %s %02x:%02x.%x wrote bar%u 0x%08x cmd 0 msi to APIC ID %u vector 0x%x\n",
		p->name, bus, dev, fn, bar, bar_val, msi_dest & 0xff,
		MSI_ATTACK_VECTOR);
}

static int __init cvtest_cfg_init(void)
{
	unsigned int i, n = 1;

	if (bus > 255 || dev > 31 || fn > 7 || bar > 5 || msi < 0x40 ||
	    msi > 0xf0 || msi % 4) {
		pr_err("cvtest_cfg: bus 0-255, dev 0-31, fn 0-7, bar 0-5, msi 0x40-0xf0 aligned to 4\n");
		return -EINVAL;
	}
	if (ecam) {
		cfg_ecam = ioremap(ecam + (bus << 20 | dev << 15 | fn << 12),
				   PAGE_SIZE);
		if (!cfg_ecam)
			return -ENOMEM;
		n = 2;
	}
	for (i = 0; i < n; i++)
		cfg_show(&cfg_paths[i], "");
	for (i = 0; attack && i < n; i++) {
		cfg_attack(&cfg_paths[i]);
		cfg_show(&cfg_paths[i], " after attack");
	}
	if (cfg_ecam)
		iounmap(cfg_ecam);
	return 0;
}

static void __exit cvtest_cfg_exit(void)
{
}

module_init(cvtest_cfg_init);
module_exit(cvtest_cfg_exit);
MODULE_DESCRIPTION("Cellvisor system tests: the root's raw PCI config accesses");
MODULE_LICENSE("GPL");
