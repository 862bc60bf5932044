// SPDX-License-Identifier: GPL-2.0
/* Unit tests for hypervisor/pci.c: config space as a cell's device shows it. */
#include <check.h>
#include <string.h>
#include <hv/pci.h>
#include <hv/pci_msix.h>
#include "fakes/irt.h"

#define BDF		0x0018		/* 00:03.0 */
#define MSI_CAP		0x50
#define EXP_CAP		0x60

/* A device's config space, and every write that reached it. */
static u8 space[PCI_CFG_SIZE];
static unsigned int n_writes;
static u16 last_write_reg;
static u32 last_write_val;
static unsigned int last_write_size;

static u32 fake_read(u16 bdf, u16 reg, unsigned int size)
{
	u32 v = 0;

	if (bdf != BDF)
		return 0xffffffff;
	memcpy(&v, &space[reg], size);
	return v;
}

static void fake_write(u16 bdf, u16 reg, unsigned int size, u32 val)
{
	ck_assert_uint_eq(bdf, BDF);
	n_writes++;
	last_write_reg = reg;
	last_write_val = val;
	last_write_size = size;
	memcpy(&space[reg], &val, size);
}

static const struct pci_cfg_hw hw = { fake_read, fake_write };

static void put(u16 reg, u32 val, unsigned int size)
{
	memcpy(&space[reg], &val, size);
}

/*
 * An endpoint like QEMU's edu: BAR0 32-bit memory, BAR2/3 a 64-bit
 * prefetchable memory BAR, BAR4 I/O; MSI at 0x50, PCI Express at 0x60.
 */
static struct cfg_pci_device cfg;
static struct pci_device dev;

static void setup(void)
{
	memset(space, 0, sizeof(space));
	n_writes = 0;
	put(0x00, 0x11e81234, 4);
	put(0x06, 0x0010, 2);			/* status: capabilities */
	put(0x08, 0x00ff0010, 4);
	put(0x10, 0xfea00000, 4);
	put(0x18, 0x0000000c, 4);		/* 64-bit prefetchable */
	put(0x1c, 0x00000008, 4);
	put(0x20, 0x0000c001, 4);		/* I/O */
	put(0x34, MSI_CAP, 1);
	put(MSI_CAP, 0x05 | EXP_CAP << 8, 2);
	put(EXP_CAP, 0x10, 2);
	put(EXP_CAP + 8, 0x2830, 2);		/* max payload 256 */
	memset(&cfg, 0, sizeof(cfg));
	cfg.bdf = BDF;
	cfg.has_bars = BIT(0) | BIT(2);		/* BAR4 not listed */
	cfg.bar_base[0] = 0xfea00000;
	cfg.bar_size[0] = 0x100000;
	cfg.bar_base[2] = 0x800000000ULL;
	cfg.bar_size[2] = 0x4000;
}

static void init_ok(void)
{
	const char *why = NULL;

	ck_assert_int_eq(pci_device_init(&hw, &dev, &cfg, &why), 0);
	n_writes = 0;
}

static u32 rd(u16 reg, unsigned int size)
{
	const char *why = NULL;
	u32 v = 0x5a5a5a5a;

	ck_assert_int_eq(pci_cfg_access(&hw, &dev, reg, size, false, &v,
					&why), 0);
	return v;
}

static int wr(u16 reg, unsigned int size, u32 v, const char **why)
{
	*why = NULL;
	return pci_cfg_access(&hw, &dev, reg, size, true, &v, why);
}

START_TEST(init_reads_the_device)
{
	init_ok();
	ck_assert_uint_eq(dev.n_caps, 2);
	ck_assert_uint_eq(dev.caps[0].id, 0x05);
	ck_assert_uint_eq(dev.caps[0].offset, MSI_CAP);
	ck_assert_uint_eq(dev.caps[1].id, 0x10);
	ck_assert(dev.bar_high[3] && !dev.bar_high[2]);
}
END_TEST

START_TEST(init_refuses)
{
	const char *why = NULL;

	put(0x0e, 0x01, 1);			/* a bridge */
	ck_assert_int_eq(pci_device_init(&hw, &dev, &cfg, &why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "bridge"));
	put(0x0e, 0x00, 1);
	cfg.bdf = 0x0020;			/* nothing there */
	ck_assert_int_eq(pci_device_init(&hw, &dev, &cfg, &why), -EINVAL);
	ck_assert_str_eq(why, "no device at this address");
	cfg.bdf = BDF;
	cfg.n_caps = 1;				/* MSI-X the device lacks */
	cfg.caps[0] = CFG_PCI_CAP(0x11, 0x70, 0);
	ck_assert_int_eq(pci_device_init(&hw, &dev, &cfg, &why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "not on the device"));
	cfg.caps[0] = CFG_PCI_CAP(0x05, MSI_CAP, 0);
	ck_assert_int_eq(pci_device_init(&hw, &dev, &cfg, &why), 0);
}
END_TEST

START_TEST(looping_cap_list_is_bounded)
{
	const char *why = NULL;

	put(EXP_CAP, 0x10 | MSI_CAP << 8, 2);	/* 0x50 -> 0x60 -> 0x50 */
	ck_assert_int_eq(pci_device_init(&hw, &dev, &cfg, &why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "more capabilities"));
}
END_TEST

START_TEST(bars_show_the_config_and_size)
{
	const char *why;

	init_ok();
	ck_assert_uint_eq(rd(0x10, 4), 0xfea00000);
	ck_assert_int_eq(wr(0x10, 4, 0xffffffff, &why), 0);
	ck_assert_uint_eq(rd(0x10, 4), 0xfff00000);
	ck_assert_uint_eq(rd(0x12, 2), 0xfff0);
	ck_assert_int_eq(wr(0x10, 4, 0xfea00000, &why), 0);
	ck_assert_uint_eq(rd(0x10, 4), 0xfea00000);
	/* 64-bit: type bits kept, both halves sized */
	ck_assert_uint_eq(rd(0x18, 4), 0x0000000c);
	ck_assert_uint_eq(rd(0x1c, 4), 0x8);
	ck_assert_int_eq(wr(0x18, 4, 0xffffffff, &why), 0);
	ck_assert_int_eq(wr(0x1c, 4, 0xffffffff, &why), 0);
	ck_assert_uint_eq(rd(0x18, 4), 0xffffc00c);
	ck_assert_uint_eq(rd(0x1c, 4), 0xffffffff);
	ck_assert_int_eq(wr(0x18, 4, 0x0000000c, &why), 0);
	ck_assert_int_eq(wr(0x1c, 4, 0x8, &why), 0);
	/* not listed: absent, whatever the device has */
	ck_assert_uint_eq(rd(0x20, 4), 0);
	ck_assert_int_eq(wr(0x20, 4, 0xffffffff, &why), 0);
	ck_assert_uint_eq(rd(0x20, 4), 0);
	ck_assert_uint_eq(n_writes, 0);		/* nothing reached the BARs */
}
END_TEST

START_TEST(bars_do_not_move)
{
	const char *why;

	init_ok();
	ck_assert_int_eq(wr(0x10, 4, 0xfeb00000, &why), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "may not move a BAR"));
	ck_assert_int_eq(wr(0x1c, 4, 0x9, &why), -EPERM);
	ck_assert_int_eq(wr(0x12, 2, 0xfeb0, &why), -EPERM);
	ck_assert_int_eq(wr(0x0e, 4, 0, &why), -EPERM);	/* misaligned */
	ck_assert_ptr_nonnull(strstr(why, "naturally aligned"));
	ck_assert_uint_eq(rd(0x10, 4), 0xfea00000);
	ck_assert_uint_eq(fake_read(BDF, 0x10, 4), 0xfea00000);
}
END_TEST

START_TEST(command_bits_whitelisted)
{
	const char *why;

	init_ok();
	/* memory write and invalidate (bit 4), SERR (bit 8): kept */
	put(0x04, 0x0010, 2);
	ck_assert_int_eq(wr(0x04, 2, 0xffff, &why), 0);
	ck_assert_uint_eq(fake_read(BDF, 0x04, 2), 0x0457);
	ck_assert_int_eq(wr(0x04, 2, 0, &why), 0);
	/* INTx disable (bit 10) stays set in the device */
	ck_assert_uint_eq(fake_read(BDF, 0x04, 2), 0x0410);
	/* a 4-byte write: command masked, status (write 1 to clear) whole */
	ck_assert_int_eq(wr(0x04, 4, 0x80000006, &why), 0);
	ck_assert_uint_eq(last_write_size, 4);
	ck_assert_uint_eq(last_write_val, 0x80000416);
	/* header type and BIST keep the device's value */
	put(0x0e, 0x80, 1);
	ck_assert_int_eq(wr(0x0c, 4, 0xffff1040, &why), 0);
	ck_assert_uint_eq(fake_read(BDF, 0x0c, 4), 0x00801040);
	put(0x0e, 0x00, 1);
}
END_TEST

START_TEST(rom_reads_zero)
{
	const char *why;

	put(0x30, 0xfeb80000, 4);
	init_ok();
	ck_assert_uint_eq(rd(0x30, 4), 0);
	ck_assert_int_eq(wr(0x30, 4, 0xffffffff, &why), 0);
	ck_assert_uint_eq(rd(0x30, 4), 0);
	ck_assert_uint_eq(n_writes, 0);
}
END_TEST

/* The cell's CPUs: APIC IDs 2 and 3. */
static void msi_init(void)
{
	init_ok();
	pci_device_msi_dest(&dev, 2);
	pci_device_msi_dest(&dev, 3);
}

/* A valid MSI programmed as Linux does: address, data, then enable. */
static void msi_program(u32 addr, u16 data)
{
	const char *why;

	ck_assert_int_eq(wr(MSI_CAP + 4, 4, addr, &why), 0);
	ck_assert_int_eq(wr(MSI_CAP + 8, 2, data, &why), 0);
}

START_TEST(msi_disabled_writes_pass)
{
	const char *why;

	msi_init();
	ck_assert_uint_eq(rd(MSI_CAP, 2), 0x05 | EXP_CAP << 8);
	/* while disabled anything may be written: nothing is sent */
	ck_assert_int_eq(wr(MSI_CAP + 4, 4, 0x12345678, &why), 0);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 4, 4), 0x12345678);
	/* the ID and next pointer are read-only, a write is harmless */
	ck_assert_int_eq(wr(MSI_CAP, 1, 0x11, &why), 0);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP, 1), 0x05);
	/* past the 32-bit structure without masking (12 bytes) */
	ck_assert_int_eq(wr(MSI_CAP + 12, 4, 0, &why), -EPERM);
}
END_TEST

START_TEST(msi_enable_checked)
{
	const char *why;

	msi_init();
	msi_program(0xfee03000, 0x0041);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 1, &why), 0);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2), 1);
	/* enabled: a new vector for the other CPU of the cell is fine */
	ck_assert_int_eq(wr(MSI_CAP + 4, 4, 0xfee02000, &why), 0);
	ck_assert_int_eq(wr(MSI_CAP + 8, 2, 0x4042, &why), 0);
	/* read-only control bits (64-bit, capable counts) stay */
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 0x0181, &why), 0);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2), 1);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 0, &why), 0);
}
END_TEST

/* Each refused field: enabled with it, or written while enabled. */
START_TEST(msi_refused_fields)
{
	static const struct {
		u32 addr;
		u16 data;
		const char *why;
	} bad[] = {
		/* APIC ID 1: the root's CPU */
		{ 0xfee01000, 0x0041, "not a CPU of the cell" },
		{ 0xfee03004, 0x0041, "0xfee00000" },	/* logical */
		{ 0xfee03008, 0x0041, "0xfee00000" },	/* redirection */
		{ 0xfee03010, 0x0041, "0xfee00000" },	/* remappable */
		{ 0xfed03000, 0x0041, "0xfee00000" },
		{ 0xfee03000, 0x0141, "fixed" },	/* lowest priority */
		{ 0xfee03000, 0x0441, "fixed" },	/* NMI */
		{ 0xfee03000, 0x8041, "edge" },	/* level */
		{ 0xfee03000, 0x001f, "0x20-0xff" },	/* exception vector */
	};
	unsigned int i;
	const char *why;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		setup();
		msi_init();
		msi_program(bad[i].addr, bad[i].data);
		n_writes = 0;
		ck_assert_int_eq(wr(MSI_CAP + 2, 2, 1, &why), -EPERM);
		ck_assert_msg(strstr(why, bad[i].why), "%u: %s", i, why);
		ck_assert_uint_eq(n_writes, 0);
		ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2), 0);
		/* and as a write while enabled */
		msi_program(0xfee03000, 0x0041);
		ck_assert_int_eq(wr(MSI_CAP + 2, 2, 1, &why), 0);
		n_writes = 0;
		ck_assert_int_eq(wr(MSI_CAP + 4, 4, bad[i].addr, &why),
				 bad[i].addr == 0xfee03000 ? 0 : -EPERM);
		ck_assert_int_eq(wr(MSI_CAP + 8, 2, bad[i].data, &why),
				 bad[i].data == 0x0041 &&
				 bad[i].addr != 0xfee03000 ? 0 : -EPERM);
		ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 4, 4), 0xfee03000);
		ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 8, 2), 0x0041);
	}
	/* multiple-message enable */
	setup();
	msi_init();
	msi_program(0xfee03000, 0x0041);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 0x11, &why), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "multiple-message"));
}
END_TEST

START_TEST(msi_64bit_upper_half)
{
	const char *why;

	put(MSI_CAP + 2, 0x0080, 2);		/* 64-bit, data at 0xc */
	msi_init();
	msi_program(0xfee02000, 0);
	ck_assert_int_eq(wr(MSI_CAP + 0xc, 2, 0x0030, &why), 0);
	ck_assert_int_eq(wr(MSI_CAP + 8, 4, 1, &why), 0);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 0x81, &why), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "0xfee00000"));
	ck_assert_int_eq(wr(MSI_CAP + 8, 4, 0, &why), 0);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 0x81, &why), 0);
	ck_assert_int_eq(wr(MSI_CAP + 8, 4, 1, &why), -EPERM);
}
END_TEST

/* No CPU of the cell can be named in this format: the reason says why. */
START_TEST(msi_wide_apic_ids)
{
	const char *why;

	init_ok();
	pci_device_msi_dest(&dev, 300);
	msi_program(0xfee00000 | 300 % 256 << 12, 0x0041);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 1, &why), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "above 255"));
}
END_TEST

START_TEST(msix_refused)
{
	const char *why;

	put(EXP_CAP, 0x10 | 0x70 << 8, 2);
	put(0x70, 0x11, 2);			/* MSI-X at 0x70 */
	init_ok();
	ck_assert_int_eq(wr(0x72, 2, 0x8000, &why), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "MSI-X"));
	ck_assert_uint_eq(n_writes, 0);
}
END_TEST

/* Power management: read from the device, no write reaches it (D3hot
 * and back may reset the function: INTx disable and BARs lost). */
START_TEST(power_state_kept)
{
	const char *why;

	put(EXP_CAP, 0x10 | 0x70 << 8, 2);
	put(0x70, 0x01, 2);			/* PM at 0x70 */
	put(0x74, 0x0000, 2);			/* D0 */
	init_ok();
	ck_assert_int_eq(wr(0x74, 2, 0x0003, &why), 0);
	ck_assert_uint_eq(fake_read(BDF, 0x74, 2), 0);
	ck_assert_uint_eq(rd(0x74, 2), 0);
}
END_TEST

START_TEST(intx_forced_off)
{
	const char *why;

	put(0x04, 0x0006, 2);
	init_ok();
	pci_device_take(&hw, &dev);
	/* INTx forced off; bus mastering off whatever the root left */
	ck_assert_uint_eq(fake_read(BDF, 0x04, 2), 0x0402);
	/* the cell reads the bit it had, and what it writes */
	ck_assert_uint_eq(rd(0x04, 2), 0x0002);
	ck_assert_uint_eq(rd(0x05, 1), 0x00);
	ck_assert_int_eq(wr(0x05, 1, 0x04, &why), 0);
	ck_assert_uint_eq(rd(0x04, 4) & 0x0400, 0x0400);
	ck_assert_int_eq(wr(0x04, 2, 0x0002, &why), 0);
	ck_assert_uint_eq(rd(0x04, 2), 0x0002);
	ck_assert_uint_eq(fake_read(BDF, 0x04, 2), 0x0402);
}
END_TEST

START_TEST(quiesce_and_sizing)
{
	put(0x04, 0x0407, 2);
	put(MSI_CAP + 2, 0x0001, 2);
	init_ok();
	pci_device_quiesce(&hw, &dev);
	ck_assert_uint_eq(fake_read(BDF, 0x04, 2), 0x0400);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2), 0);
	ck_assert_uint_eq(pci_bar_hw_addr(&hw, &dev, 0), 0xfea00000);
	ck_assert_uint_eq(pci_bar_hw_addr(&hw, &dev, 2), 0x800000000ULL);
}
END_TEST

START_TEST(express_device_control_masked)
{
	const char *why;

	init_ok();
	/* max payload (bits 5-7) and FLR (bit 15) stay the device's */
	ck_assert_int_eq(wr(EXP_CAP + 8, 2, 0x80f0, &why), 0);
	ck_assert_uint_eq(fake_read(BDF, EXP_CAP + 8, 2), 0x0030);
	/* error reporting (0-3) and phantom functions (9) neither */
	ck_assert_int_eq(wr(EXP_CAP + 8, 2, 0x7f1f, &why), 0);
	ck_assert_uint_eq(fake_read(BDF, EXP_CAP + 8, 2), 0x7d30);
	/* link control: the root's */
	put(EXP_CAP + 0x10, 0x0040, 2);
	ck_assert_int_eq(wr(EXP_CAP + 0x10, 2, 0x0003, &why), 0);
	ck_assert_uint_eq(fake_read(BDF, EXP_CAP + 0x10, 2), 0x0040);
	/* past the capability's end */
	ck_assert_int_eq(wr(EXP_CAP + 0x3c, 4, 0, &why), -EPERM);
}
END_TEST

START_TEST(unknown_registers_refused)
{
	const char *why;

	init_ok();
	put(0xf0, 0x12345678, 4);
	ck_assert_uint_eq(rd(0xf0, 4), 0x12345678);
	ck_assert_int_eq(wr(0xf0, 4, 0, &why), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "a cell may write"));
	ck_assert_int_eq(wr(0x100, 4, 0, &why), -EPERM);
	ck_assert_int_eq(wr(0x1000, 1, 0, &why), -EPERM);
	ck_assert_int_eq(wr(0x10, 3, 0, &why), -EPERM);
	ck_assert_uint_eq(n_writes, 0);
	ck_assert_uint_eq(fake_read(BDF, 0xf0, 4), 0x12345678);
}
END_TEST

START_TEST(extended_capabilities)
{
	const char *why;

	put(0x100, 0x0001 | 1 << 16 | 0x140 << 20, 4);	/* AER */
	put(0x140, 0x000b | 1 << 16, 4);			/* vendor */
	init_ok();
	ck_assert_uint_eq(dev.n_caps, 4);
	ck_assert(dev.caps[2].extended && dev.caps[2].offset == 0x100);
	ck_assert_uint_eq(dev.caps[3].offset, 0x140);
	ck_assert_uint_eq(rd(0x100, 2), 0x0001);
	ck_assert_int_eq(wr(0x100, 4, 0, &why), 0);	/* header: read-only */
	ck_assert_int_eq(wr(0x104, 4, 0, &why), -EPERM);
	ck_assert_uint_eq(n_writes, 0);
}
END_TEST

/* ---- with interrupt remapping: a fake table, the cell's copy ---- */

static void remap_init(void)
{
	fake_irt_reset();
	irt_used[0] = true;		/* someone else's: the cell gets 1 */
	pci_set_remap(&fake_remap);
	msi_init();
}

START_TEST(remap_cell_msi_through_an_entry)
{
	const char *why;

	remap_init();
	msi_program(0xfee03000, 0x0041);
	/* disabled: the cell's values kept, nothing in the device yet */
	ck_assert_uint_eq(rd(MSI_CAP + 4, 4), 0xfee03000);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 4, 4), 0);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 1, &why), 0);
	/* the device: remappable, entry 1, enabled; the cell reads its own */
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 4, 4),
			  0xfee00000u | 1 << 5 | BIT(4));
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 8, 2), 0);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2), 1);
	ck_assert_uint_eq(rd(MSI_CAP + 4, 4), 0xfee03000);
	ck_assert_uint_eq(rd(MSI_CAP + 8, 2), 0x0041);
	ck_assert_uint_eq(rd(MSI_CAP + 2, 2), 1);
	/* the entry: APIC ID 3, vector 0x41, fixed, physical, the SID */
	ck_assert(irt_present[1]);
	ck_assert_uint_eq(irt[1].dest, 3);
	ck_assert_uint_eq(irt[1].vector, 0x41);
	ck_assert(!irt[1].logical && !irt[1].level && irt[1].dlm == 0);
	ck_assert_uint_eq(irt[1].sid, BDF);
	/* retargeted while enabled: the same entry follows */
	ck_assert_int_eq(wr(MSI_CAP + 4, 4, 0xfee02000, &why), 0);
	ck_assert_int_eq(wr(MSI_CAP + 8, 2, 0x0042, &why), 0);
	ck_assert_uint_eq(irt[1].dest, 2);
	ck_assert_uint_eq(irt[1].vector, 0x42);
	ck_assert(!irt_used[2]);
	/* destroy: MSI off, the entry freed */
	pci_msi_release(&hw, &dev.msi);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2) & 1, 0);
	ck_assert(!irt_used[1]);
	pci_set_remap(NULL);
}
END_TEST

START_TEST(remap_cell_msi_refused)
{
	const char *why;

	remap_init();
	/* the root's CPU: refused, nothing enabled, no entry written */
	msi_program(0xfee01000, 0x0041);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 1, &why), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "not a CPU of the cell"));
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2) & 1, 0);
	ck_assert(!irt_present[1]);
	/* its copy keeps the enable it wrote: off again first */
	ck_assert_uint_eq(rd(MSI_CAP + 2, 2) & 1, 1);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 0, &why), 0);
	/* a remappable address of its own making: refused as well */
	msi_program(0xfee00010, 0x0041);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 1, &why), -EPERM);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 4, 4), 0);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 0, &why), 0);
	/* valid, then made invalid while enabled: MSI off in the device */
	msi_program(0xfee03000, 0x0041);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 1, &why), 0);
	ck_assert_int_eq(wr(MSI_CAP + 8, 2, 0x0441, &why), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "fixed"));
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2) & 1, 0);
	/* multiple messages: never in the device */
	setup();
	remap_init();
	msi_program(0xfee03000, 0x0041);
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 0x11, &why), -EPERM);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2), 0);
	pci_set_remap(NULL);
}
END_TEST

START_TEST(remap_entry_failures_leave_msi_off)
{
	const char *why;

	remap_init();
	msi_program(0xfee03000, 0x0041);
	irt_set_fail = -EIO;
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 1, &why), -EIO);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2) & 1, 0);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 4, 4), 0);
	irt_set_fail = 0;
	memset(irt_used, 1, sizeof(irt_used));
	pci_msi_release(&hw, &dev.msi);
	memset(irt_used, 1, sizeof(irt_used));
	ck_assert_int_eq(wr(MSI_CAP + 2, 2, 1, &why), -ENOSPC);
	ck_assert_ptr_nonnull(strstr(why, "no free"));
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2) & 1, 0);
	pci_set_remap(NULL);
}
END_TEST

/* The root's kind of check: anything but APIC ID 3, logical allowed. */
static const char *root_like_check(const void *ctx, u16 ctrl, u32 addr,
				   u32 addr_hi, u32 data)
{
	(void)ctx; (void)ctrl; (void)addr_hi; (void)data;
	if (!(addr & BIT(2)) && ((addr >> 12) & 0xff) == 3)
		return "an MSI aimed at a cell's CPU";
	return NULL;
}

/* pci_msi_* alone, as pci_root_msi.c uses them: copy, sync, restore. */
START_TEST(remap_copy_sync_restore)
{
	struct pci_msi m;
	const char *why;

	remap_init();
	/* Linux's compatibility MSI, enabled before remapping: kept */
	put(MSI_CAP + 4, 0xfee0100c, 4);	/* logical, RH, mask 0x01 */
	put(MSI_CAP + 8, 0x8125, 2);		/* level, lowest prio */
	put(MSI_CAP + 2, 1, 2);
	pci_msi_init(&hw, &m, BDF, MSI_CAP);
	ck_assert(pci_msi_covers(&m, MSI_CAP + 8));
	ck_assert(!pci_msi_covers(&m, MSI_CAP + 12));
	ck_assert_int_eq(pci_msi_sync(&hw, &m, root_like_check, NULL, &why),
			 0);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 4, 4),
			  0xfee00000u | 1 << 5 | BIT(4));
	ck_assert(irt[1].logical && irt[1].level && irt[1].dlm == 1);
	ck_assert_uint_eq(irt[1].dest, 1);
	ck_assert_uint_eq(pci_msi_read(&hw, &m, MSI_CAP + 4, 4), 0xfee0100c);
	ck_assert_uint_eq(pci_msi_read(&hw, &m, MSI_CAP + 8, 2), 0x8125);
	/* a byte write of the data's low half: copy and entry follow */
	ck_assert_int_eq(pci_msi_write(&hw, &m, MSI_CAP + 8, 1, 0x33,
				       root_like_check, NULL, &why), 0);
	ck_assert_uint_eq(irt[1].vector, 0x33);
	ck_assert_uint_eq(pci_msi_read(&hw, &m, MSI_CAP + 8, 2), 0x8133);
	/* aimed at the cell's CPU: refused, MSI off, the copy kept */
	ck_assert_int_eq(pci_msi_write(&hw, &m, MSI_CAP + 4, 4, 0xfee03000,
				       root_like_check, NULL, &why), -EPERM);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2) & 1, 0);
	ck_assert_uint_eq(pci_msi_read(&hw, &m, MSI_CAP + 2, 2) & 1, 1);
	ck_assert_uint_eq(pci_msi_read(&hw, &m, MSI_CAP + 4, 4), 0xfee03000);
	/* disable: Linux's values back in compatibility format */
	ck_assert_int_eq(pci_msi_write(&hw, &m, MSI_CAP + 4, 4, 0xfee02000,
				       root_like_check, NULL, &why), 0);
	pci_msi_restore(&hw, &m);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 4, 4), 0xfee02000);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 8, 2), 0x8133);
	ck_assert_uint_eq(fake_read(BDF, MSI_CAP + 2, 2), 1);
	/* a new owner reads an empty copy, not the device's values */
	pci_msi_forget(&m);
	ck_assert_uint_eq(pci_msi_read(&hw, &m, MSI_CAP + 4, 4), 0);
	ck_assert_uint_eq(pci_msi_read(&hw, &m, MSI_CAP + 8, 2), 0);
	ck_assert_uint_eq(pci_msi_read(&hw, &m, MSI_CAP + 2, 2) & 1, 0);
	pci_set_remap(NULL);
}
END_TEST

/* MSI-X at 0x70 after PCI Express: control, table and PBA words. */
#define MSIX_CAP	0x70

static void msix_cap_add(void)
{
	put(EXP_CAP + 1, MSIX_CAP, 1);
	put(MSIX_CAP, 0x11, 2);
	put(MSIX_CAP + 2, 4, 2);		/* 5 entries */
	put(MSIX_CAP + 4, 2, 4);		/* table in BAR 2 */
	put(MSIX_CAP + 8, 0x2000 | 2, 4);
}

START_TEST(msix_needs_remapping_and_a_served_table)
{
	struct pci_msix table = { .refusal = NULL };
	const char *why;

	msix_cap_add();
	init_ok();
	/* no remapping: refused as before, whatever the table */
	ck_assert_int_eq(wr(MSIX_CAP + 2, 2, 0x8000, &why), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "interrupt remapping"));
	/* remapping, no table model for the device: refused */
	pci_set_remap(&fake_remap);
	ck_assert_int_eq(wr(MSIX_CAP + 2, 2, 0x8000, &why), -EPERM);
	/* a table the model cannot serve: its reason */
	table.refusal = "the MSI-X table reaches beyond its BAR";
	dev.msix = &table;
	ck_assert_int_eq(wr(MSIX_CAP + 2, 2, 0x8000, &why), -EPERM);
	ck_assert_str_eq(why, table.refusal);
	ck_assert_uint_eq(space[MSIX_CAP + 3], 0);
	/* served: enable and function mask reach it, nothing else */
	table.refusal = NULL;
	ck_assert_int_eq(wr(MSIX_CAP + 2, 2, 0xc7ff, &why), 0);
	ck_assert_uint_eq(rd(MSIX_CAP + 2, 2), 0xc004);
	ck_assert_int_eq(wr(MSIX_CAP + 4, 4, 0x1000 | 2, &why), 0);
	ck_assert_uint_eq(rd(MSIX_CAP + 4, 4), 2);
	ck_assert_int_eq(wr(MSIX_CAP + 3, 1, 0x00, &why), 0);
	ck_assert_uint_eq(space[MSIX_CAP + 3], 0);
	/* quiesce turns MSI-X off */
	put(MSIX_CAP + 2, 0x8004, 2);
	pci_device_quiesce(&hw, &dev);
	ck_assert_uint_eq(space[MSIX_CAP + 3] & 0x80, 0);
	pci_set_remap(NULL);
}
END_TEST

static Suite *pci_suite(void)
{
	Suite *s = suite_create("hypervisor-pci");
	TCase *tc = tcase_create("cfg");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, init_reads_the_device);
	tcase_add_test(tc, init_refuses);
	tcase_add_test(tc, looping_cap_list_is_bounded);
	tcase_add_test(tc, bars_show_the_config_and_size);
	tcase_add_test(tc, bars_do_not_move);
	tcase_add_test(tc, command_bits_whitelisted);
	tcase_add_test(tc, rom_reads_zero);
	tcase_add_test(tc, msi_disabled_writes_pass);
	tcase_add_test(tc, msi_enable_checked);
	tcase_add_test(tc, msi_refused_fields);
	tcase_add_test(tc, msi_64bit_upper_half);
	tcase_add_test(tc, msi_wide_apic_ids);
	tcase_add_test(tc, msix_refused);
	tcase_add_test(tc, power_state_kept);
	tcase_add_test(tc, intx_forced_off);
	tcase_add_test(tc, quiesce_and_sizing);
	tcase_add_test(tc, express_device_control_masked);
	tcase_add_test(tc, unknown_registers_refused);
	tcase_add_test(tc, extended_capabilities);
	tcase_add_test(tc, remap_cell_msi_through_an_entry);
	tcase_add_test(tc, remap_cell_msi_refused);
	tcase_add_test(tc, remap_entry_failures_leave_msi_off);
	tcase_add_test(tc, remap_copy_sync_restore);
	tcase_add_test(tc, msix_needs_remapping_and_a_served_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pci_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
