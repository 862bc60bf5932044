// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/pci_bridge.c: the bridges above a cell's
 * device found from config space, ACS turned on and given back, and the
 * root's writes to a held bridge (every kept register, partial widths,
 * a dword spanning a kept and a free field, write-1-to-clear status).
 * A fake hierarchy: root bus 0 with a root port 00:06.0 (ACS off), its
 * bus 1 with a switch upstream port 01:00.0, bus 2 with a downstream
 * port 02:00.0 (ACS), bus 3 with the device 03:00.0; 00:07.0 a
 * PCIe-to-PCI bridge to bus 4 (device 04:01.0); 00:08.0 a root port
 * without ACS to bus 5 (device 05:00.0); 00:04.0 on the root bus.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <hv/cell.h>
#include <hv/pci.h>
#include <hv/pci_bridge.h>

#define RP	0x0030		/* 00:06.0 */
#define UP	0x0100		/* 01:00.0 */
#define DOWN	0x0200		/* 02:00.0 */
#define DEV	0x0300		/* 03:00.0 */
#define P2P	0x0038		/* 00:07.0 */
#define BEHIND	0x0401		/* 04:00.1 */
#define RP2	0x0040		/* 00:08.0 */
#define DEV2	0x0500		/* 05:00.0 */
#define EDU	0x0020		/* 00:04.0 */

#define PM_CAP	0x40
#define EXP_CAP	0x60
#define ACS_CAP	0x148
#define ACS_HAS	0x5f		/* QEMU's: SV TB RR CR UF DT */

#define N_FNS	9
static const u16 fn_bdf[N_FNS] = { RP, UP, DOWN, DEV, P2P, BEHIND, RP2,
				    DEV2, EDU };
static u8 space[N_FNS][PCI_CFG_SIZE];
static unsigned int writes;
static bool acs_stuck;		/* the port ignores ACS control writes */

static u8 *fn_space(u16 bdf)
{
	unsigned int i;

	for (i = 0; i < N_FNS; i++)
		if (fn_bdf[i] == bdf)
			return space[i];
	return NULL;
}

static u32 fake_read(u16 bdf, u16 reg, unsigned int size)
{
	u8 *s = fn_space(bdf);
	u32 v = 0;

	if (!s)
		return size == 4 ? 0xffffffff : (1u << (8 * size)) - 1;
	memcpy(&v, s + reg, size);
	return v;
}

static void fake_write(u16 bdf, u16 reg, unsigned int size, u32 val)
{
	u8 *s = fn_space(bdf);

	ck_assert_ptr_nonnull(s);
	writes++;
	if (acs_stuck && reg == ACS_CAP + 6)
		return;
	memcpy(s + reg, &val, size);
}

static const struct pci_cfg_hw hw = { fake_read, fake_write };
const struct pci_cfg_hw pci_mach = { fake_read, fake_write };

/* ---- what pci_bridge.c calls ---- */

static char said[4096];

void printk(const char *fmt, ...)
{
	size_t n = strlen(said);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(said + n, sizeof(said) - n, fmt, ap);
	va_end(ap);
}

static unsigned int claims;
static bool claims_fail;	/* the root's device table is full */

int cell_root_claim(enum dev_space space, u64 base, u64 len,
		    const struct dev_model *m, void *priv)
{
	(void)space; (void)base; (void)len; (void)m; (void)priv;
	if (claims_fail)
		return -ENOSPC;
	claims++;
	return 0;
}

void cell_root_release(const struct dev_model *m, void *priv)
{
	(void)m; (void)priv;
	claims--;
}

u64 pci_mach_ecam_page(u16 bdf)
{
	return 0xe0000000ull + ((u64)bdf << 12);
}

bool pci_root_traps_ecam(u16 bdf)
{
	return bdf == UP;	/* as if it had MSI under remapping */
}

/* ---- the fake hierarchy ---- */

static void put(u16 bdf, u16 reg, u32 val, unsigned int size)
{
	memcpy(fn_space(bdf) + reg, &val, size);
}

static u32 get(u16 bdf, u16 reg, unsigned int size)
{
	return fake_read(bdf, reg, size);
}

static void function(u16 bdf, u8 hdr)
{
	put(bdf, 0x00, 0x12341b36, 4);
	put(bdf, 0x0e, hdr, 1);
}

static void bridge(u16 bdf, u8 sec, u8 sub, int exp_type, bool acs)
{
	function(bdf, 1);
	put(bdf, 0x18, PCI_BDF_BUS(bdf) | sec << 8 | sub << 16, 4);
	put(bdf, 0x04, 0x0007, 2);
	put(bdf, 0x1c, 0x2000f0f0, 4);		/* I/O window + sec. status */
	put(bdf, 0x20, 0xfe80fe00, 4);
	put(bdf, 0x24, 0x0001fff1, 4);
	put(bdf, 0x3e, 0x0003, 2);
	if (exp_type < 0)
		return;
	put(bdf, 0x06, 0x0010, 2);		/* capability list */
	put(bdf, 0x34, PM_CAP, 1);
	put(bdf, PM_CAP, 0x01 | EXP_CAP << 8, 2);
	put(bdf, EXP_CAP, 0x10, 2);
	put(bdf, EXP_CAP + 2, exp_type << 4 | 2, 2);
	put(bdf, EXP_CAP + 8, 0x2810, 2);	/* device control */
	put(bdf, EXP_CAP + 0x10, 0x0040, 2);	/* link control */
	if (!acs)
		return;
	put(bdf, 0x100, 0x00010001 | (u32)ACS_CAP << 20, 4);	/* AER */
	put(bdf, ACS_CAP, 0x000d, 4);
	put(bdf, ACS_CAP + 4, ACS_HAS, 2);
}

static void setup(void)
{
	memset(space, 0, sizeof(space));
	said[0] = 0;
	writes = claims = 0;
	acs_stuck = claims_fail = false;
	bridge(RP, 1, 3, 4, true);
	bridge(UP, 2, 3, 5, false);
	bridge(DOWN, 3, 3, 6, true);
	put(DOWN, ACS_CAP + 6, 0x001d, 2);	/* on already */
	function(DEV, 0);
	bridge(P2P, 4, 4, 7, false);
	function(BEHIND, 0);
	bridge(RP2, 5, 5, 4, false);
	function(DEV2, 0);
	function(EDU, 0);
}

static const char *why;

static int hold(u16 bdf, bool isolate)
{
	why = NULL;
	return pci_bridge_hold(&hw, bdf, 0, isolate, "c", &why);
}

/* ---- finding and holding ---- */

START_TEST(root_bus_device_holds_nothing)
{
	ck_assert_int_eq(hold(EDU, true), 0);
	ck_assert(!pci_bridge_held(RP));
	ck_assert_uint_eq(writes, 0);
	pci_bridge_release(&hw, EDU);
}
END_TEST

START_TEST(path_found_acs_on_and_back)
{
	ck_assert_int_eq(hold(DEV, true), 0);
	ck_assert(pci_bridge_held(RP));
	ck_assert(pci_bridge_held(UP));
	ck_assert(pci_bridge_held(DOWN));
	ck_assert(!pci_bridge_held(P2P));
	/* the root port's implemented controls on, the rest as it was */
	ck_assert_uint_eq(get(RP, ACS_CAP + 6, 2), 0x001d);
	ck_assert_uint_eq(get(DOWN, ACS_CAP + 6, 2), 0x001d);
	ck_assert_ptr_nonnull(strstr(said, "PCI port 00:06.0 above 03:00.0: "
				     "ACS control 0x0 -> 0x1d"));
	/* ECAM pages: RP and DOWN claimed, UP already the root's trap */
	ck_assert_uint_eq(claims, 2);
	pci_bridge_release(&hw, DEV);
	ck_assert_uint_eq(get(RP, ACS_CAP + 6, 2), 0);
	ck_assert_uint_eq(get(DOWN, ACS_CAP + 6, 2), 0x001d);
	ck_assert(!pci_bridge_held(RP));
	ck_assert_uint_eq(claims, 0);
}
END_TEST

START_TEST(only_implemented_controls)
{
	put(RP, ACS_CAP + 4, 0x0005, 2);	/* SV and RR only */
	put(RP, ACS_CAP + 6, 0x0040, 2);	/* the root's DT bit */
	ck_assert_int_eq(hold(DEV, true), 0);
	ck_assert_uint_eq(get(RP, ACS_CAP + 6, 2), 0x0045);
	pci_bridge_release(&hw, DEV);
	ck_assert_uint_eq(get(RP, ACS_CAP + 6, 2), 0x0040);
}
END_TEST

START_TEST(refusals_change_nothing)
{
	ck_assert_int_eq(hold(DEV2, true), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "no ACS capability"));
	ck_assert_int_eq(hold(BEHIND, true), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "another requester ID"));
	/* a conventional bridge on the path */
	put(RP, 0x06, 0, 2);
	ck_assert_int_eq(hold(DEV, true), -EPERM);
	ck_assert_ptr_nonnull(strstr(why, "conventional PCI bridge"));
	ck_assert_uint_eq(writes, 0);
	ck_assert(!pci_bridge_held(RP));
	ck_assert_uint_eq(claims, 0);
	/* a bus no bridge leads to */
	put(RP, 0x1a, 2, 1);
	put(RP, 0x06, 0x10, 2);
	ck_assert_int_eq(hold(DEV, true), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "no chain of bridges"));
	ck_assert_uint_eq(writes, 0);
}
END_TEST

START_TEST(no_isolation_holds_without_checks)
{
	ck_assert_int_eq(hold(DEV2, false), 0);
	ck_assert(pci_bridge_held(RP2));
	ck_assert_int_eq(hold(BEHIND, false), 0);
	ck_assert(pci_bridge_held(P2P));
	pci_bridge_release(&hw, DEV2);
	pci_bridge_release(&hw, BEHIND);
	ck_assert(!pci_bridge_held(P2P));
}
END_TEST

START_TEST(acs_that_does_not_turn_on_undone)
{
	acs_stuck = true;
	put(DOWN, ACS_CAP + 6, 0, 2);
	ck_assert_int_eq(hold(DEV, true), -EIO);
	ck_assert_ptr_nonnull(strstr(why, "did not turn on"));
	/* the root port turned on first: back to the root's value */
	ck_assert_uint_eq(get(RP, ACS_CAP + 6, 2), 0);
	ck_assert(!pci_bridge_held(RP));
	ck_assert(!pci_bridge_held(UP));
	ck_assert_uint_eq(claims, 0);
}
END_TEST

START_TEST(shared_bridge_held_until_last)
{
	/* a second device below the same downstream port */
	memcpy(fn_space(DEV2), fn_space(DEV), PCI_CFG_SIZE);
	put(RP2, 0x19, 9, 1);
	put(RP2, 0x1a, 9, 1);
	ck_assert_int_eq(hold(DEV, true), 0);
	ck_assert_int_eq(hold(DEV, true), -EBUSY);
	ck_assert_uint_eq(get(RP, ACS_CAP + 6, 2), 0x001d);
	/* pretend 03:00.1: the same path */
	ck_assert_int_eq(pci_bridge_hold(&hw, 0x0301, 0, true, "d", &why), 0);
	pci_bridge_release(&hw, DEV);
	ck_assert(pci_bridge_held(RP));
	ck_assert_uint_eq(get(RP, ACS_CAP + 6, 2), 0x001d);
	ck_assert_uint_eq(claims, 2);
	pci_bridge_release(&hw, 0x0301);
	ck_assert(!pci_bridge_held(RP));
	ck_assert_uint_eq(get(RP, ACS_CAP + 6, 2), 0);
}
END_TEST

START_TEST(upstream_port_acs_left_alone)
{
	/* ACS on the switch's upstream port: not a redirecting port */
	put(UP, 0x100, 0x000d | (u32)0 << 20, 4);
	put(UP, 0x104, ACS_HAS, 2);
	ck_assert_int_eq(hold(DEV, true), 0);
	ck_assert_uint_eq(get(UP, 0x106, 2), 0);
	pci_bridge_release(&hw, DEV);
}
END_TEST

START_TEST(ecam_page_without_room_refused)
{
	claims_fail = true;
	ck_assert_int_eq(hold(DEV, true), -ENOSPC);
	ck_assert_ptr_nonnull(strstr(why, "no room for the ECAM page"));
	/* everything back: ACS, holds */
	ck_assert_uint_eq(get(RP, ACS_CAP + 6, 2), 0);
	ck_assert(!pci_bridge_held(RP));
	ck_assert(!pci_bridge_held(DOWN));
	claims_fail = false;
	ck_assert_int_eq(hold(DEV, true), 0);
	pci_bridge_release(&hw, DEV);
}
END_TEST

static u64 pages[8];
static unsigned int n_pages;

static int page_fn(void *arg, u64 base, u64 size)
{
	ck_assert_ptr_null(arg);
	ck_assert_uint_eq(size, PAGE_SIZE);
	ck_assert_uint_lt(n_pages, 8);
	pages[n_pages++] = base;
	return 0;
}

static unsigned int pages_of(const char *cell)
{
	n_pages = 0;
	ck_assert_int_eq(pci_bridge_pages(cell, pci_mach_ecam_page, page_fn,
					  NULL), 0);
	return n_pages;
}

START_TEST(ecam_pages_of_one_cell_only)
{
	ck_assert_int_eq(hold(DEV, true), 0);
	/* RP and DOWN, once each; UP's page the root traps already */
	ck_assert_uint_eq(pages_of("c"), 2);
	ck_assert_uint_eq(pages[0], pci_mach_ecam_page(RP));
	ck_assert_uint_eq(pages[1], pci_mach_ecam_page(DOWN));
	ck_assert_uint_eq(pages_of("d"), 0);
	/* a second device of the same cell below them: still once each */
	ck_assert_int_eq(pci_bridge_hold(&hw, 0x0301, 0, true, "c", &why), 0);
	ck_assert_uint_eq(pages_of("c"), 2);
	/* one of another cell: the pages stay out while either holds */
	ck_assert_int_eq(pci_bridge_hold(&hw, 0x0302, 0, true, "d", &why), 0);
	ck_assert_uint_eq(pages_of("c"), 0);
	ck_assert_uint_eq(pages_of("d"), 0);
	pci_bridge_release(&hw, DEV);
	pci_bridge_release(&hw, 0x0301);
	ck_assert_uint_eq(pages_of("d"), 2);
	pci_bridge_release(&hw, 0x0302);
	ck_assert_uint_eq(pages_of("d"), 0);
	ck_assert_uint_eq(claims, 0);
}
END_TEST

/* ---- the root's writes ---- */

static bool root_wr(u16 bdf, u16 reg, unsigned int size, u32 val)
{
	return pci_bridge_root_write(&hw, bdf, reg, size, val);
}

START_TEST(unheld_bridge_not_handled)
{
	ck_assert(!root_wr(RP, 0x19, 1, 7));
	ck_assert(!root_wr(EDU, 0x04, 2, 0));
	ck_assert_uint_eq(writes, 0);
}
END_TEST

/* Each kept register, at its own width: the bridge keeps its value. */
static const struct {
	u16 reg;
	unsigned int size;
	u32 val;	/* what the root writes */
	u32 kept;	/* the bits that keep the bridge's value */
} kept[] = {
	{ 0x04, 2, 0x0000, 0x0007 },		/* command */
	{ 0x18, 1, 0x05, 0xff },		/* primary bus */
	{ 0x19, 1, 0x05, 0xff },		/* secondary bus */
	{ 0x1a, 1, 0x05, 0xff },		/* subordinate bus */
	{ 0x1c, 2, 0x0000, 0xffff },		/* I/O window */
	{ 0x20, 4, 0xfff0fee0, 0xffffffff },	/* memory window */
	{ 0x24, 4, 0, 0xffffffff },		/* prefetchable window */
	{ 0x28, 4, 1, 0xffffffff },
	{ 0x2c, 4, 1, 0xffffffff },
	{ 0x30, 4, 1, 0xffffffff },
	{ 0x3e, 2, 0x0040, 0x005c },		/* bridge control: SBR */
	{ 0x3e, 2, 0x000c, 0x005c },		/* VGA, ISA */
	{ EXP_CAP + 0x08, 2, 0x0000, 0xffff },	/* device control */
	{ EXP_CAP + 0x10, 2, 0x0010, 0x0030 },	/* link disable */
	{ EXP_CAP + 0x18, 2, 0x0400, 0x0400 },	/* slot power off */
	{ PM_CAP + 4, 2, 0x0003, 0x0003 },	/* D3hot */
	{ ACS_CAP + 6, 2, 0x0000, 0xffff },	/* ACS control */
};

START_TEST(every_kept_register)
{
	u32 before, after;

	ck_assert_int_eq(hold(DEV, true), 0);
	before = get(RP, kept[_i].reg, kept[_i].size);
	said[0] = 0;
	ck_assert(root_wr(RP, kept[_i].reg, kept[_i].size, kept[_i].val));
	after = get(RP, kept[_i].reg, kept[_i].size);
	ck_assert_uint_eq(after & kept[_i].kept, before & kept[_i].kept);
	ck_assert_uint_eq(after & ~kept[_i].kept,
			  kept[_i].val & ~kept[_i].kept);
	ck_assert_msg(strstr(said, "root cell: PCI 00:06.0") &&
		      strstr(said, "destroy the cell first"),
		      "not said: %s", said);
	/* said once per register */
	said[0] = 0;
	root_wr(RP, kept[_i].reg, kept[_i].size, kept[_i].val);
	ck_assert_str_eq(said, "");
	pci_bridge_release(&hw, DEV);
	/* released: the root's write reaches it */
	ck_assert(!root_wr(RP, kept[_i].reg, kept[_i].size, kept[_i].val));
}
END_TEST

START_TEST(free_registers_and_partial_widths)
{
	ck_assert_int_eq(hold(DEV, true), 0);
	/* secondary latency timer (0x1b) is free, the bus bytes kept */
	ck_assert(root_wr(RP, 0x18, 4, 0x40090909));
	ck_assert_uint_eq(get(RP, 0x18, 4), 0x40030100);
	/* a byte of the memory window, a word of the ACS control */
	ck_assert(root_wr(RP, 0x21, 1, 0x00));
	ck_assert_uint_eq(get(RP, 0x20, 4), 0xfe80fe00);
	ck_assert(root_wr(RP, ACS_CAP + 6, 1, 0x00));
	ck_assert_uint_eq(get(RP, ACS_CAP + 6, 2), 0x001d);
	/* command: parity, SERR and INTx disable pass */
	ck_assert(root_wr(RP, 0x04, 2, 0x0540));
	ck_assert_uint_eq(get(RP, 0x04, 2), 0x0547);
	/* bridge control: SERR enable passes, SBR does not */
	ck_assert(root_wr(RP, 0x3e, 2, 0x0042));
	ck_assert_uint_eq(get(RP, 0x3e, 2), 0x0002);
	/* link control: ASPM passes, link disable does not */
	ck_assert(root_wr(RP, EXP_CAP + 0x10, 2, 0x0013));
	ck_assert_uint_eq(get(RP, EXP_CAP + 0x10, 2), 0x0003);
	/* interrupt line, a free register: written as is */
	ck_assert(root_wr(RP, 0x3c, 1, 0x0b));
	ck_assert_uint_eq(get(RP, 0x3c, 1), 0x0b);
	pci_bridge_release(&hw, DEV);
}
END_TEST

START_TEST(dword_spans_kept_and_rw1c)
{
	unsigned int w;

	ck_assert_int_eq(hold(DEV, true), 0);
	/* I/O window kept, secondary status written (write 1 to clear) */
	w = writes;
	ck_assert(root_wr(RP, 0x1c, 4, 0x20000000));
	ck_assert_uint_eq(writes, w + 1);
	ck_assert_uint_eq(get(RP, 0x1c, 4), 0x2000f0f0);
	/* command kept, status written as the root asked */
	ck_assert(root_wr(RP, 0x04, 4, 0xf9000000));
	ck_assert_uint_eq(get(RP, 0x04, 4), 0xf9000007);
	/* device control kept, device status passes */
	ck_assert(root_wr(RP, EXP_CAP + 8, 4, 0x000f0000));
	ck_assert_uint_eq(get(RP, EXP_CAP + 8, 4), 0x000f2810);
	/* all of it kept: nothing written at all */
	w = writes;
	ck_assert(root_wr(RP, 0x20, 4, 0));
	ck_assert(root_wr(RP, 0x19, 1, 0));
	ck_assert_uint_eq(writes, w);
	pci_bridge_release(&hw, DEV);
}
END_TEST

START_TEST(same_value_not_said)
{
	ck_assert_int_eq(hold(DEV, true), 0);
	said[0] = 0;
	/* Linux writes the command back with the same decode bits */
	ck_assert(root_wr(RP, 0x04, 2, 0x0407));
	ck_assert_str_eq(said, "");
	ck_assert_uint_eq(get(RP, 0x04, 2), 0x0407);
	pci_bridge_release(&hw, DEV);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pci_bridge");
	TCase *tc = tcase_create("hold");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, root_bus_device_holds_nothing);
	tcase_add_test(tc, path_found_acs_on_and_back);
	tcase_add_test(tc, only_implemented_controls);
	tcase_add_test(tc, refusals_change_nothing);
	tcase_add_test(tc, no_isolation_holds_without_checks);
	tcase_add_test(tc, acs_that_does_not_turn_on_undone);
	tcase_add_test(tc, shared_bridge_held_until_last);
	tcase_add_test(tc, ecam_pages_of_one_cell_only);
	tcase_add_test(tc, upstream_port_acs_left_alone);
	tcase_add_test(tc, ecam_page_without_room_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("root writes");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, unheld_bridge_not_handled);
	tcase_add_loop_test(tc, every_kept_register, 0,
			    sizeof(kept) / sizeof(kept[0]));
	tcase_add_test(tc, free_registers_and_partial_widths);
	tcase_add_test(tc, dword_spans_kept_and_rw1c);
	tcase_add_test(tc, same_value_not_said);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
