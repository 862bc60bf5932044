// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/arch/x86/pci_root_msi.c: the root's MSI
 * while interrupts are remapped.  pci.c's copy code runs for real; the
 * machine's config space is two fake functions (edu-like with MSI at
 * 0x40, one with MSI-X at 0x50), the remapping table a fake (fakes/irt.c).
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <hv/cell.h>
#include <hv/devmodel.h>
#include <hv/paging.h>
#include <hv/iommu.h>
#include <hv/pci.h>
#include <hv/sysconfig.h>
#include <asm/cell_x86.h>
#include <asm/vcpu.h>
#include "fakes/irt.h"

#define EDU		0x0020		/* 00:04.0: MSI at 0x40 */
#define MSIX_FN		0x0028		/* 00:05.0: MSI-X at 0x50 */
#define MSI		0x40
#define MSIX		0x50

struct cell_cpu cell_cpus[CELLVISOR_MAX_CPUS];
static struct cfg_system sys_cfg;
const struct cfg_system *sys_config = &sys_cfg;
static struct cell a_cell;

/* ---- the machine ---- */

static u8 space[2][256];
static char console[512];

static u8 *fn_space(u16 bdf)
{
	return bdf == EDU ? space[0] : bdf == MSIX_FN ? space[1] : NULL;
}

static u32 fake_read(u16 bdf, u16 reg, unsigned int size)
{
	u8 *p = fn_space(bdf);
	u32 v = 0;

	if (!p || reg >= 256)
		return size == 4 ? 0xffffffff : (1u << (8 * size)) - 1;
	memcpy(&v, p + reg, size);
	return v;
}

static void fake_write(u16 bdf, u16 reg, unsigned int size, u32 val)
{
	u8 *p = fn_space(bdf);

	ck_assert_ptr_nonnull(p);
	memcpy(p + reg, &val, size);
}

const struct pci_cfg_hw pci_mach = { fake_read, fake_write };

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(console, sizeof(console), fmt, ap);
	va_end(ap);
}

/* The root cell's vendor part: its NPT (0xcf8 traps from enable on). */
static struct cell_x86 root_x86;
struct cell root_cell = { .arch = &root_x86 };

static enum x86_vendor vendor = X86_VENDOR_AMD;

enum x86_vendor x86_cpu_vendor(void)
{
	return vendor;
}

/* ---- ECAM, the root's device table and NPT ---- */

#define ECAM_BASE	0xb0000000ULL
static bool edu_owned;
static const struct dev_model *claimed_model;
static void *claimed_priv;
static u64 claimed_base, unmapped;
static int claims;

bool pci_owned(u16 bdf)
{
	return edu_owned && bdf == EDU;
}

/* No bridge is held for a cell here (tests/unit/hypervisor/pci_bridge.c). */
bool pci_bridge_root_write(const struct pci_cfg_hw *hw, u16 bdf, u16 reg,
			   unsigned int size, u32 val)
{
	(void)hw; (void)bdf; (void)reg; (void)size; (void)val;
	return false;
}

/* pci_cell.c's model for a cell's device: all ones, writes dropped. */
static unsigned int hidden_calls;

enum dev_result pci_hidden_access(const struct dev_call *call,
				  struct dev_access *a)
{
	(void)call;
	hidden_calls++;
	if (!a->write)
		a->val = pci_all_ones(a->size);
	return DEV_DONE;
}

void pci_mach_setup(bool has, u64 base, u32 bus_start, u32 bus_end)
{
	(void)has; (void)base; (void)bus_start; (void)bus_end;
}

u64 pci_mach_ecam_page(u16 bdf)
{
	return ECAM_BASE + ((u64)bdf << 12);
}

int cell_root_claim(enum dev_space space, u64 base, u64 len,
		    const struct dev_model *m, void *priv)
{
	ck_assert_int_eq(space, DEV_SPACE_MMIO);
	ck_assert_uint_eq(len, 4096);
	claims++;
	if (base == pci_mach_ecam_page(EDU)) {
		claimed_model = m;
		claimed_priv = priv;
		claimed_base = base;
	}
	return 0;
}

void cell_root_release(const struct dev_model *m, void *priv)
{
	(void)m; (void)priv;
	claims--;
}

int paging_unmap(struct paging *pg, u64 addr, u64 size)
{
	ck_assert_ptr_eq(pg, &root_x86.pg);
	ck_assert_uint_eq(size, 4096);
	if (addr == pci_mach_ecam_page(EDU))
		unmapped = addr;
	return 0;
}

/*
 * pci_root_msix.c (its own test is tests/unit/hypervisor/pci_msix.c):
 * here no table is served, as for a function whose table the model
 * cannot reach, so the MSI-X rules of this file show.
 */
static const char *const no_table = "no table (fake)";
static const char *msix_why;		/* what the fake says; setup: no_table */
static unsigned int msix_prepared;


void pci_root_msix_reset(void)
{
	msix_prepared = 0;
}

const char *pci_root_msix_prepare(u16 bdf, u16 cap)
{
	(void)bdf; (void)cap;
	msix_prepared++;
	return msix_why;
}

int pci_root_msix_on(const char **why)
{
	(void)why;
	return 0;
}

void pci_root_msix_off(void)
{
}

const char *pci_root_msix_refusal(u16 bdf)
{
	(void)bdf;
	return msix_why;
}

void pci_root_msix_give(u16 bdf)
{
	(void)bdf;
}

void pci_root_msix_back(u16 bdf)
{
	(void)bdf;
}

/* ---- helpers ---- */

static void put(u16 bdf, u16 reg, u32 val, unsigned int size)
{
	memcpy(fn_space(bdf) + reg, &val, size);
}

static u32 hw32(u16 bdf, u16 reg)
{
	return fake_read(bdf, reg, 4);
}

/* The root's access through its trapped 0xcf8/0xcfc. */
static u32 root_rd(u16 bdf, u16 reg, unsigned int size)
{
	u32 v = 0x5a5a5a5a;

	if (!pci_root_msi_access(bdf, reg, size, false, &v))
		v = fake_read(bdf, reg, size);
	return v;
}

static void root_wr(u16 bdf, u16 reg, unsigned int size, u32 v)
{
	if (!pci_root_msi_access(bdf, reg, size, true, &v))
		fake_write(bdf, reg, size, v);
}

static void setup(void)
{
	msix_why = no_table;
	memset(space, 0, sizeof(space));
	fake_irt_reset();
	memset(cell_cpus, 0, sizeof(cell_cpus));
	console[0] = 0;
	vendor = X86_VENDOR_AMD;
	sys_cfg.bus_start = 0;
	sys_cfg.bus_end = 0;
	/* edu: MSI, 32-bit; Linux's logical MSI on, before enable */
	put(EDU, 0x00, 0x11e81234, 4);
	put(EDU, 0x06, 0x0010, 2);
	put(EDU, 0x34, MSI, 1);
	put(EDU, MSI, 0x05, 2);
	put(EDU, MSI + 4, 0xfee01004, 4);
	put(EDU, MSI + 8, 0x0025, 2);
	put(EDU, MSI + 2, 0x0001, 2);
	/* a function with MSI-X only, off */
	put(MSIX_FN, 0x00, 0x10001af4, 4);
	put(MSIX_FN, 0x06, 0x0010, 2);
	put(MSIX_FN, 0x34, MSIX, 1);
	put(MSIX_FN, MSIX, 0x0011, 2);
	/* CPUs 0 and 1 the root's; CPU 1 (APIC ID 1) a cell's when told */
	cell_cpus[0].apic_id_valid = cell_cpus[1].apic_id_valid = true;
	cell_cpus[0].cell = cell_cpus[1].cell = &root_cell;
	cell_cpus[1].apic_id = 1;
	edu_owned = false;
	claimed_model = NULL;
	claims = 0;
	unmapped = 0;
}

static void teardown(void)
{
	pci_set_remap(NULL);
}

static void ir_on(void)
{
	const char *why = NULL;

	ck_assert_ptr_null(pci_root_ir_refusal());
	ck_assert_int_eq(pci_root_ir_on(&why), 0);
}

/* ---- tests ---- */

START_TEST(enable_rewrites_and_keeps_linux_values)
{
	ir_on();
	ck_assert_uint_eq(hw32(EDU, MSI + 4), 0xfee00000u | BIT(4));
	ck_assert_uint_eq(fake_read(EDU, MSI + 8, 2), 0);
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 1);
	ck_assert(irt[0].logical && irt[0].dest == 1 && irt[0].vector == 0x25);
	ck_assert_uint_eq(irt[0].sid, EDU);
	ck_assert_ptr_nonnull(strstr(console, "MSI remapped through entry 0"));
	/* Linux reads its own values */
	ck_assert_uint_eq(root_rd(EDU, MSI + 4, 4), 0xfee01004);
	ck_assert_uint_eq(root_rd(EDU, MSI + 8, 2), 0x0025);
	ck_assert_uint_eq(root_rd(EDU, MSI, 4) >> 16, 1);
	/* off: its values back in compatibility format */
	pci_root_ir_off();
	ck_assert_uint_eq(hw32(EDU, MSI + 4), 0xfee01004);
	ck_assert_uint_eq(fake_read(EDU, MSI + 8, 2), 0x0025);
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 1);
	ck_assert_ptr_null(pci_get_remap());
}
END_TEST

START_TEST(root_writes_follow_and_never_a_cell_cpu)
{
	ir_on();
	/* Linux reprograms: physical, APIC ID 0, vector 0x31 */
	root_wr(EDU, MSI + 4, 4, 0xfee00000);
	root_wr(EDU, MSI + 8, 2, 0x0031);
	ck_assert(!irt[0].logical && irt[0].dest == 0 && irt[0].vector == 0x31);
	ck_assert_uint_eq(hw32(EDU, MSI + 4), 0xfee00000u | BIT(4));
	/* at the cell's CPU: MSI off in the device, the copy kept */
	cell_cpus[1].cell = &a_cell;
	root_wr(EDU, MSI + 4, 4, 0xfee01000);
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 0);
	ck_assert_ptr_nonnull(strstr(console, "a cell's CPU"));
	ck_assert_uint_eq(root_rd(EDU, MSI + 4, 4), 0xfee01000);
	ck_assert_uint_eq(root_rd(EDU, MSI + 2, 2) & 1, 1);
	/* broadcast; remappable naming no entry of Linux's: refused too */
	root_wr(EDU, MSI + 4, 4, 0xfeeff000);
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 0);
	root_wr(EDU, MSI + 4, 4, 0xfee00010);
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 0);
	ck_assert_ptr_nonnull(strstr(console, "not present"));
	/* back at its own CPU: on again, same entry */
	root_wr(EDU, MSI + 4, 4, 0xfee00000);
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 1);
	ck_assert_uint_eq(hw32(EDU, MSI + 4), 0xfee00000u | BIT(4));
	/* Linux's all-zero message when it frees the vector: quiet */
	console[0] = 0;
	root_wr(EDU, MSI + 4, 4, 0);
	ck_assert_str_eq(console, "");
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 0);
}
END_TEST

/*
 * Linux's own remapping emulated: its MSI names entry 2 of its table
 * (handle 2 in bits 19:5, SHV, subhandle 0 in data, as intel/
 * irq_remapping.c writes it); the hypervisor's entry takes that entry's
 * target, the device the hypervisor's index; Linux reads its values.
 */
START_TEST(root_remappable_msi_translated)
{
	u32 linux_addr = 0xfee00000u | 2 << 5 | BIT(4) | BIT(3);

	ir_on();
	linux_irt[2] = (struct iommu_irq){ .dest = 0x3, .vector = 0x45,
					   .logical = true };
	linux_present[2] = true;
	root_wr(EDU, MSI + 4, 4, linux_addr);
	root_wr(EDU, MSI + 8, 2, 0);
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 1);
	ck_assert(irt[0].logical && irt[0].dest == 3 && irt[0].vector == 0x45);
	ck_assert_uint_eq(irt[0].sid, EDU);
	ck_assert_uint_eq(hw32(EDU, MSI + 4), 0xfee00000u | BIT(4));
	ck_assert_uint_eq(root_rd(EDU, MSI + 4, 4), linux_addr);
	/* Linux retargets its entry (and invalidates): followed. */
	linux_irt[2].dest = 0x2;
	linux_irt[2].vector = 0x46;
	pci_root_msi_retranslate();
	ck_assert(irt[0].dest == 2 && irt[0].vector == 0x46);
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 1);
	/* Its entry at a cell's CPU (the check's -EPERM): MSI off. */
	linux_irt[2] = (struct iommu_irq){ .dest = 1, .vector = 0x46 };
	pci_root_msi_retranslate();
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 0);
	ck_assert_ptr_nonnull(strstr(console, "a CPU of a cell"));
	ck_assert_uint_eq(root_rd(EDU, MSI + 2, 2) & 1, 1);
	/* Not present any more: off; back: on again. */
	linux_present[2] = false;
	pci_root_msi_retranslate();
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 0);
	linux_present[2] = true;
	linux_irt[2].dest = 0;
	pci_root_msi_retranslate();
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 1);
	ck_assert(irt[0].dest == 0 && irt[0].vector == 0x46);
	/* Off: Linux's remappable values back in the device. */
	pci_root_ir_off();
	ck_assert_uint_eq(hw32(EDU, MSI + 4), linux_addr);
	linux_present[2] = false;
}
END_TEST

START_TEST(msix_enable_refused_for_the_root)
{
	ir_on();
	/* a 4-byte write of the header with enable (bit 31) */
	root_wr(MSIX_FN, MSIX, 4, 0x80000011);
	ck_assert_uint_eq(hw32(MSIX_FN, MSIX) & BIT(31), 0);
	ck_assert_ptr_nonnull(strstr(console, "MSI-X enable refused"));
	ck_assert_ptr_nonnull(strstr(console, no_table));
	/* a byte write of the control's high half: refused, said once */
	console[0] = 0;
	root_wr(MSIX_FN, MSIX + 3, 1, 0xc0);
	ck_assert_uint_eq(fake_read(MSIX_FN, MSIX + 3, 1), 0x40);
	ck_assert_str_eq(console, "");
	/* other bits pass (function mask, bit 14) */
	ck_assert_uint_eq(hw32(MSIX_FN, MSIX) >> 16, 0x4000);
}
END_TEST

START_TEST(msix_enable_allowed_once_served)
{
	msix_why = NULL;
	ir_on();
	root_wr(MSIX_FN, MSIX, 4, 0x80000011);
	ck_assert_uint_eq(hw32(MSIX_FN, MSIX) & BIT(31), BIT(31));
	ck_assert_ptr_null(strstr(console, "MSI-X enable refused"));
}
END_TEST

/* The root's MSI-X entries get the root's MSI rule (pci_msix.c calls it). */
START_TEST(msix_check_is_the_root_msi_rule)
{
	ck_assert_ptr_null(pci_root_msix_check(NULL, 0xfee01000, 0, 0x41));
	cell_cpus[1].cell = &a_cell;
	ck_assert_ptr_nonnull(strstr(pci_root_msix_check(NULL, 0xfee01000, 0,
							 0x41),
				     "a cell's CPU"));
	ck_assert_ptr_nonnull(pci_root_msix_check(NULL, 0xfeeff000, 0, 0x41));
	/*
	 * Remappable format passes the rule: pci_msi_resolve() reads the
	 * entry it names from Linux's table (emulated) or refuses it.
	 */
	ck_assert_ptr_null(pci_root_msix_check(NULL, 0xfee00010, 0, 0));
	ck_assert_ptr_nonnull(pci_root_msix_check(NULL, 0xfee00000, 1, 0x41));
	ck_assert_ptr_null(pci_root_msix_check(NULL, 0xfee00000, 0, 0x41));
	cell_cpus[1].cell = &root_cell;
}
END_TEST

START_TEST(refusals_at_enable)
{
	/* MSI-X already on: remapping stays off, with the function named */
	put(MSIX_FN, MSIX + 2, 0x8000, 2);
	ck_assert_ptr_nonnull(strstr(pci_root_ir_refusal(), "05.0 has MSI-X"));
	ck_assert_ptr_nonnull(strstr(pci_root_ir_refusal(), no_table));
	ck_assert_uint_eq(msix_prepared, 1);
	/* a table the model serves: taken over, remapping goes on */
	msix_why = NULL;
	ck_assert_ptr_null(pci_root_ir_refusal());
	msix_why = no_table;
	put(MSIX_FN, MSIX + 2, 0, 2);
	vendor = X86_VENDOR_INTEL;
	ck_assert_ptr_nonnull(strstr(pci_root_ir_refusal(), "AMD-V hosts only"));
}
END_TEST

START_TEST(cell_takes_and_gives_back)
{
	ir_on();
	ck_assert(irt_used[0]);
	/* to a cell: the root's entry freed, MSI off, root path not used */
	pci_root_msi_give(EDU);
	ck_assert(!irt_used[0]);
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 0);
	{
		u32 v = 0;

		ck_assert(!pci_root_msi_access(EDU, MSI + 4, 4, false, &v));
	}
	/* back: the root's copy starts empty, Linux programs it afresh */
	put(EDU, MSI + 4, 0xfee00330, 4);	/* what the cell left */
	pci_root_msi_back(EDU);
	ck_assert_uint_eq(root_rd(EDU, MSI + 4, 4), 0);
	root_wr(EDU, MSI + 4, 4, 0xfee00000);
	root_wr(EDU, MSI + 8, 2, 0x0041);
	root_wr(EDU, MSI + 2, 2, 1);
	ck_assert_uint_eq(fake_read(EDU, MSI + 2, 2) & 1, 1);
	ck_assert_uint_eq(irt[0].vector, 0x41);
}
END_TEST

/* The root's access to edu's ECAM page, through the model it claimed. */
static u64 ecam(bool write, u16 reg, unsigned int size, u64 val)
{
	struct dev_call call = { NULL, NULL, claimed_priv, claimed_base, 0 };
	struct dev_access a = { DEV_SPACE_MMIO, claimed_base + reg, size,
				write, val };

	ck_assert_int_eq(claimed_model->access(&call, &a), DEV_DONE);
	return a.val;
}

START_TEST(ecam_pages_trapped_like_cf8)
{
	ir_on();
	/* both functions' pages: in the device table, out of the NPT */
	ck_assert_int_eq(claims, 2);
	ck_assert_ptr_nonnull(claimed_model);
	ck_assert_uint_eq(unmapped, pci_mach_ecam_page(EDU));
	ck_assert(pci_root_traps_ecam(EDU));
	ck_assert(!pci_root_traps_ecam(0x0030));
	/* the copy, as through 0xcf8/0xcfc */
	ck_assert_uint_eq(ecam(false, MSI + 4, 4, 0), 0xfee01004);
	ecam(true, MSI + 4, 4, 0xfee00000);
	ck_assert(!irt[0].logical && irt[0].dest == 0);
	ck_assert_uint_eq(hw32(EDU, MSI + 4), 0xfee00000u | BIT(4));
	/* other registers: the device */
	ck_assert_uint_eq(ecam(false, 0, 4, 0), 0x11e81234);
	/* misaligned or 8 bytes: all ones, nothing written */
	ck_assert_uint_eq(ecam(false, MSI + 5, 2, 0), 0xffff);
	ck_assert_uint_eq(ecam(false, MSI, 8, 0), ~0ULL);
	ecam(true, MSI + 6, 4, 0x12345678);
	ck_assert_uint_eq(hw32(EDU, MSI + 4), 0xfee00000u | BIT(4));
	/* a cell's: all ones, writes dropped */
	pci_root_msi_give(EDU);
	edu_owned = true;
	hidden_calls = 0;
	ck_assert_uint_eq(ecam(false, 0, 4, 0), 0xffffffff);
	ecam(true, MSI + 4, 4, 0xfee01000);
	ck_assert_uint_eq(hw32(EDU, MSI + 4), 0xfee00000u | BIT(4));
	/* Both through the pci-hidden model, which reports the root. */
	ck_assert_uint_eq(hidden_calls, 2);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pci-root-msi");
	TCase *tc = tcase_create("root");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, enable_rewrites_and_keeps_linux_values);
	tcase_add_test(tc, root_writes_follow_and_never_a_cell_cpu);
	tcase_add_test(tc, root_remappable_msi_translated);
	tcase_add_test(tc, msix_enable_refused_for_the_root);
	tcase_add_test(tc, msix_enable_allowed_once_served);
	tcase_add_test(tc, msix_check_is_the_root_msi_rule);
	tcase_add_test(tc, refusals_at_enable);
	tcase_add_test(tc, cell_takes_and_gives_back);
	tcase_add_test(tc, ecam_pages_trapped_like_cf8);
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
