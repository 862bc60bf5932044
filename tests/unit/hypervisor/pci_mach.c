// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/arch/x86/pci_mach.c: the machine's config
 * space and the root's mechanism 1 while a cell owns a device.  The file
 * is #included with its port instructions turned into calls of a fake
 * chipset: one CF8 register and the config space of two functions.
 */
#include <check.h>
#include <string.h>
#include <hv/cell.h>
#include <hv/pci.h>
#include <asm/processor.h>

#define OWNED		0x0020		/* 00:04.0, a cell's */
#define OTHER		0x0018		/* 00:03.0, the root's */

static u32 hw_cf8;
static u8 space[2][256];		/* OTHER, OWNED */
static unsigned int cf8_writes;
static u8 port_b_cf9;
static u8 ecam[1 << 20];		/* bus 0 */
static u64 mapped_at;

static u8 *fake_reg(void)
{
	u16 bdf = (hw_cf8 >> 8) & 0xffff;

	if (!(hw_cf8 & BIT(31)))
		return NULL;
	if (bdf == OTHER)
		return &space[0][hw_cf8 & 0xfc];
	return bdf == OWNED ? &space[1][hw_cf8 & 0xfc] : NULL;
}

/*
 * One byte of the chipset's ports: the data port answers for the function
 * the chipset's CF8 names, whatever the access was (a CPU splits an
 * unaligned access at 0xcfb into bytes on the bus).
 */
static u8 *fake_byte(u16 port)
{
	u8 *r = fake_reg();

	if (port == 0xcf9)
		return &port_b_cf9;
	return port >= 0xcfc && port <= 0xcff && r ? r + (port & 3) : NULL;
}

static u32 fake_in(u16 port, unsigned int size)
{
	u32 v = 0;
	unsigned int i;
	u8 *b;

	if (port == 0xcf8 && size == 4)
		return hw_cf8;
	for (i = 0; i < size; i++) {
		b = fake_byte(port + i);
		v |= (u32)(b ? *b : 0xff) << (8 * i);
	}
	return v;
}

static void fake_out(u16 port, unsigned int size, u32 v)
{
	unsigned int i;
	u8 *b;

	if (port == 0xcf8 && size == 4) {
		hw_cf8 = v;
		cf8_writes++;
		return;
	}
	for (i = 0; i < size; i++) {
		b = fake_byte(port + i);
		if (b)
			*b = v >> (8 * i);
	}
}

static u8 fake_inb(u16 p) { return fake_in(p, 1); }
static u16 fake_inw(u16 p) { return fake_in(p, 2); }
static u32 fake_inl(u16 p) { return fake_in(p, 4); }
static void fake_outb(u16 p, u8 v) { fake_out(p, 1, v); }
static void fake_outw(u16 p, u16 v) { fake_out(p, 2, v); }
static void fake_outl(u16 p, u32 v) { fake_out(p, 4, v); }

#define inb fake_inb
#define inw fake_inw
#define inl fake_inl
#define outb fake_outb
#define outw fake_outw
#define outl fake_outl
#include "../../../hypervisor/arch/x86/pci_mach.c"

/* The root's MSI (pci_root_msi.c) is tested elsewhere: never here. */
bool pci_root_msi_access(u16 bdf, u16 reg, unsigned int size, bool write,
			 u32 *val)
{
	(void)bdf; (void)reg; (void)size; (void)write; (void)val;
	return false;
}

bool pci_owned(u16 bdf)
{
	return bdf == OWNED;
}

/* pci_bridge.c's rule: OTHER is a held bridge in bridge_held tests. */
static bool bridge_held;
static unsigned int bridge_writes;
static u32 bridge_val;

bool pci_bridge_root_write(const struct pci_cfg_hw *hw, u16 bdf, u16 reg,
			   unsigned int size, u32 val)
{
	(void)hw; (void)reg; (void)size;
	if (!bridge_held || bdf != OTHER)
		return false;
	bridge_writes++;
	bridge_val = val;
	return true;
}

void *mmio_map(u64 pa, u64 size)
{
	ck_assert_uint_eq(size, 1 << 20);
	mapped_at = pa;
	return ecam;
}

static void setup(void)
{
	memset(space, 0, sizeof(space));
	memset(root_cf8_latched, 0, sizeof(root_cf8_latched));
	memset(ecam_bus, 0, sizeof(ecam_bus));
	memset(ecam, 0, sizeof(ecam));
	space[0][0] = 0x86;
	space[1][0] = 0x34;
	hw_cf8 = 0x12345678;
	cf8_writes = 0;
	mapped_at = 0;
	bridge_held = false;
	bridge_writes = 0;
	pci_mach_setup(false, 0, 0, 0);
}

static u32 root(unsigned int cpu, u32 port, unsigned int size, bool in,
		u32 val)
{
	pci_root_pio(cpu, port, size, in, &val);
	return val;
}

START_TEST(machine_access_keeps_cf8)
{
	ck_assert_uint_eq(pci_mach.read(OTHER, 0, 4), 0x86);
	pci_mach.write(OTHER, 0x42, 2, 0xbeef);
	ck_assert_uint_eq(space[0][0x42] | space[0][0x43] << 8, 0xbeef);
	ck_assert_uint_eq(pci_mach.read(OTHER, 0x43, 1), 0xbe);
	/* put back as it was, for a root CPU between its two steps */
	ck_assert_uint_eq(hw_cf8, 0x12345678);
}
END_TEST

START_TEST(extended_space_needs_ecam)
{
	ck_assert_uint_eq(pci_mach.read(OTHER, 0x100, 4), 0xffffffff);
	ck_assert_uint_eq(pci_mach.read(OTHER, 0x100, 2), 0xffff);
	pci_mach.write(OTHER, 0x100, 4, 0);
	ck_assert_uint_eq(mapped_at, 0);
	pci_mach_setup(true, 0xb0000000, 0, 0);
	ecam[(OTHER & 0xff) << 12 | 0x104] = 0x5a;
	ck_assert_uint_eq(pci_mach.read(OTHER, 0x104, 1), 0x5a);
	ck_assert_uint_eq(mapped_at, 0xb0000000);
	ck_assert_uint_eq(pci_mach_ecam_page(OTHER), 0xb0018000);
	/* bus 1 is outside the ECAM's buses */
	ck_assert_uint_eq(pci_mach_ecam_page(0x0100), 0);
	ck_assert_uint_eq(pci_mach.read(0x0100, 0x100, 4), 0xffffffff);
}
END_TEST

START_TEST(root_latch_per_cpu)
{
	root(0, 0xcf8, 4, false, 0x80000000 | OTHER << 8);
	root(1, 0xcf8, 4, false, 0x80000000 | OWNED << 8);
	/* latched, not written to the chipset */
	ck_assert_uint_eq(hw_cf8, 0x12345678);
	ck_assert_uint_eq(cf8_writes, 0);
	ck_assert_uint_eq(root(0, 0xcf8, 4, true, 0), 0x80000000 | OTHER << 8);
	ck_assert_uint_eq(root(0, 0xcfc, 4, true, 0), 0x86);
	ck_assert_uint_eq(root(0, 0xcfc, 1, true, 0), 0x86);
	ck_assert_uint_eq(hw_cf8, 0x12345678);
}
END_TEST

START_TEST(root_cannot_see_or_write_a_cells_device)
{
	root(1, 0xcf8, 4, false, 0x80000000 | OWNED << 8 | 0x10);
	ck_assert_uint_eq(root(1, 0xcfc, 4, true, 0), 0xffffffff);
	ck_assert_uint_eq(root(1, 0xcfe, 2, true, 0), 0xffff);
	root(1, 0xcfc, 4, false, 0xfe000000);
	ck_assert_uint_eq(space[1][0x13], 0);
	/* the root's own device next to it is untouched by the rule */
	root(1, 0xcf8, 4, false, 0x80000000 | OTHER << 8 | 0x10);
	root(1, 0xcfc, 4, false, 0xfe000000);
	ck_assert_uint_eq(space[0][0x13], 0xfe);
}
END_TEST

START_TEST(root_write_to_a_held_bridge_goes_through_its_rule)
{
	bridge_held = true;
	root(0, 0xcf8, 4, false, 0x80000000 | OTHER << 8 | 0x18);
	root(0, 0xcfd, 1, false, 0x07);
	/* the rule got it (and writes what it lets through itself) */
	ck_assert_uint_eq(bridge_writes, 1);
	ck_assert_uint_eq(bridge_val, 0x07);
	ck_assert_uint_eq(space[0][0x19], 0);
	/* reads pass */
	space[0][0x19] = 0x01;
	ck_assert_uint_eq(root(0, 0xcfd, 1, true, 0), 0x01);
	ck_assert_uint_eq(bridge_writes, 1);
}
END_TEST

START_TEST(root_before_the_trap_and_isa_ports)
{
	/* CPU 2 wrote CF8 before trapping began: the chipset's is used */
	hw_cf8 = 0x80000000 | OTHER << 8;
	ck_assert_uint_eq(root(2, 0xcfc, 4, true, 0), 0x86);
	ck_assert_uint_eq(root(2, 0xcf8, 4, true, 0), 0x80000000 | OTHER << 8);
	/* byte and word accesses to 0xcf8-0xcfb reach the chipset */
	root(0, 0xcf9, 1, false, 0x02);
	ck_assert_uint_eq(port_b_cf9, 0x02);
	ck_assert_uint_eq(root(0, 0xcf9, 1, true, 0), 0x02);
	/* no enable bit: nothing answers */
	root(0, 0xcf8, 4, false, OTHER << 8);
	ck_assert_uint_eq(root(0, 0xcfc, 4, true, 0), 0xffffffff);
}
END_TEST

/*
 * A word at 0xcfb or a dword at 0xcf9/0xcfe reaches the data port with
 * its high bytes: they go through the root's latch and the ownership
 * rule, not through whatever the chipset's CF8 still holds (here: the
 * cell's function, as the root last set it before trapping began).
 */
START_TEST(root_unaligned_data_access)
{
	hw_cf8 = 0x80000000 | OWNED << 8;
	root(0, 0xcf8, 4, false, 0x80000000 | OTHER << 8);
	root(0, 0xcfb, 2, false, 0xaa55);
	ck_assert_uint_eq(space[1][0], 0x34);
	ck_assert_uint_eq(space[0][0], 0xaa);
	ck_assert_uint_eq(root(0, 0xcfb, 2, true, 0), 0xaaff);
	root(0, 0xcf9, 4, false, 0x11223302);
	ck_assert_uint_eq(port_b_cf9, 0x02);
	ck_assert_uint_eq(space[1][0], 0x34);
	ck_assert_uint_eq(space[0][0], 0x11);
	/* past 0xcff is not the data port's: nothing written, all ones */
	root(0, 0xcfe, 4, false, 0x99887766);
	ck_assert_uint_eq(space[0][2] | space[0][3] << 8, 0x7766);
	ck_assert_uint_eq(root(0, 0xcfe, 4, true, 0), 0xffff7766);
	/* the cell's function, latched: all ones, no write */
	root(1, 0xcf8, 4, false, 0x80000000 | OWNED << 8);
	root(1, 0xcfb, 2, false, 0xbb00);
	ck_assert_uint_eq(space[1][0], 0x34);
	ck_assert_uint_eq(root(1, 0xcfb, 2, true, 0), 0xffff);
	ck_assert_uint_eq(root(1, 0xcfd, 2, true, 0), 0xffff);
	/* not latched on CPU 2: the chipset's CF8, the cell's: refused */
	root(2, 0xcfb, 2, false, 0xcc00);
	ck_assert_uint_eq(space[1][0], 0x34);
	ck_assert_uint_eq(hw_cf8, 0x80000000 | OWNED << 8);
}
END_TEST

static Suite *pci_mach_suite(void)
{
	Suite *s = suite_create("hypervisor-pci-mach");
	TCase *tc = tcase_create("mach");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, machine_access_keeps_cf8);
	tcase_add_test(tc, extended_space_needs_ecam);
	tcase_add_test(tc, root_latch_per_cpu);
	tcase_add_test(tc, root_cannot_see_or_write_a_cells_device);
	tcase_add_test(tc, root_before_the_trap_and_isa_ports);
	tcase_add_test(tc, root_unaligned_data_access);
	tcase_add_test(tc, root_write_to_a_held_bridge_goes_through_its_rule);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pci_mach_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
