// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for driver/pci_path.c: requester-ID aliases and ACS on the
 * path of a cell's PCI function, over a fake hierarchy: q35's root bus
 * with an integrated endpoint, a root port, a switch, a PCIe-to-PCI
 * bridge, a conventional bridge and multi-function devices.
 */
#include <check.h>
#include <string.h>
#include "../../../driver/pci_path.c"

#define ACS_POS		0x100
#define ACS_ALL		(PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

#define MAX_DEVS	16
static struct pci_dev *devs[MAX_DEVS];
static unsigned int n_devs, puts, gets;
static u16 listed[8];
static unsigned int n_listed;

int pci_find_ext_capability(struct pci_dev *dev, int cap)
{
	return cap == PCI_EXT_CAP_ID_ACS && dev->acs ? ACS_POS : 0;
}

int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val)
{
	ck_assert(dev->acs);
	*val = where == ACS_POS + PCI_ACS_CAP ? dev->acs_cap :
	       where == ACS_POS + PCI_ACS_CTRL ? dev->acs_ctrl : 0xffff;
	return 0;
}

struct pci_dev *pci_get_slot(struct pci_bus *bus, unsigned int devfn)
{
	unsigned int i;

	for (i = 0; i < n_devs; i++)
		if (devs[i]->bus == bus && devs[i]->devfn == devfn) {
			gets++;
			return devs[i];
		}
	return NULL;
}

void pci_dev_put(struct pci_dev *dev)
{
	ck_assert_ptr_nonnull(dev);
	puts++;
}

static bool in_cell(u16 bdf, void *arg)
{
	unsigned int i;

	ck_assert_ptr_eq(arg, listed);
	for (i = 0; i < n_listed; i++)
		if (listed[i] == bdf)
			return true;
	return false;
}

static struct pci_bus root_bus = { .number = 0 };
static struct pci_bus bus1, bus2, bus3, bus4;
static struct pci_dev edu, lpc, sata, rp, up, down, p2p, conv, e1, e2, e3,
		      e4;

static struct pci_dev *add(struct pci_dev *d, struct pci_bus *bus,
			   unsigned int slot, unsigned int fn, bool pcie,
			   int type)
{
	*d = (struct pci_dev){ .bus = bus, .devfn = PCI_DEVFN(slot, fn),
			       .pcie = pcie, .type = type };
	devs[n_devs++] = d;
	return d;
}

static void bridge(struct pci_dev *br, struct pci_bus *sec, unsigned int nr)
{
	*sec = (struct pci_bus){ .parent = br->bus, .self = br, .number = nr };
	br->subordinate = sec;
}

static void acs(struct pci_dev *d, u16 cap, u16 ctrl)
{
	d->acs = true;
	d->acs_cap = cap;
	d->acs_ctrl = ctrl;
}

/*
 * Root bus: 00:04.0 edu (an integrated endpoint), 00:1f.0 and 00:1f.2 (a
 * conventional multi-function device), 00:06.0 a root port -> bus 1:
 * 01:00.0 a switch's upstream port -> bus 2: 02:00.0 its downstream port
 * -> bus 3: 03:00.0 an endpoint (03:00.1 in the multi-function test);
 * 00:08.0 a PCIe-to-PCI bridge -> bus 4: 04:01.0; 00:09.0 a conventional
 * PCI bridge -> bus 5: 05:02.0.
 */
static struct pci_bus bus5;

static void setup(void)
{
	n_devs = puts = gets = n_listed = 0;
	add(&edu, &root_bus, 4, 0, true, PCI_EXP_TYPE_RC_END);
	add(&lpc, &root_bus, 0x1f, 0, false, 0)->multifunction = 1;
	add(&sata, &root_bus, 0x1f, 2, false, 0)->multifunction = 1;
	add(&rp, &root_bus, 6, 0, true, PCI_EXP_TYPE_ROOT_PORT);
	acs(&rp, ACS_ALL | PCI_ACS_TB, ACS_ALL);
	bridge(&rp, &bus1, 1);
	add(&up, &bus1, 0, 0, true, PCI_EXP_TYPE_UPSTREAM);
	bridge(&up, &bus2, 2);
	add(&down, &bus2, 0, 0, true, PCI_EXP_TYPE_DOWNSTREAM);
	acs(&down, ACS_ALL, ACS_ALL);
	bridge(&down, &bus3, 3);
	add(&e1, &bus3, 0, 0, true, PCI_EXP_TYPE_ENDPOINT);
	add(&p2p, &root_bus, 8, 0, true, PCI_EXP_TYPE_PCI_BRIDGE);
	bridge(&p2p, &bus4, 4);
	add(&e2, &bus4, 1, 0, false, 0);
	add(&conv, &root_bus, 9, 0, false, 0);
	bridge(&conv, &bus5, 5);
	add(&e3, &bus5, 2, 0, false, 0);
	add(&e4, &bus3, 0, 1, true, PCI_EXP_TYPE_ENDPOINT);
	/* e4 is present only in the multi-function tests */
	n_devs--;
}

static int check(struct pci_dev *d, struct cv_pci_path_fault *f)
{
	return cv_pci_path_check(d, in_cell, listed, f);
}

START_TEST(integrated_endpoint_has_no_path)
{
	struct cv_pci_path_fault f;

	ck_assert_int_eq(check(&edu, &f), 0);
	ck_assert_int_eq(f.why, CV_PCI_PATH_OK);
}
END_TEST

START_TEST(ports_with_acs_pass)
{
	struct cv_pci_path_fault f;

	/* the switch's upstream port (one function) needs no ACS */
	ck_assert_int_eq(check(&e1, &f), 0);
	/* only the controls a port implements are asked for */
	acs(&rp, PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR,
	    PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR);
	ck_assert_int_eq(check(&e1, &f), 0);
}
END_TEST

START_TEST(port_without_acs_refused)
{
	struct cv_pci_path_fault f;

	/* controls off but implemented: the hypervisor turns them on */
	down.acs_ctrl = ACS_ALL & ~PCI_ACS_RR;
	ck_assert_int_eq(check(&e1, &f), 0);
	down.acs_ctrl = ACS_ALL;
	/* ACS present but off, as Linux leaves it without its IOMMU */
	acs(&rp, ACS_ALL, 0);
	ck_assert_int_eq(check(&e1, &f), 0);
	/* the root port above, with no ACS capability at all */
	rp.acs = false;
	ck_assert_int_eq(check(&e1, &f), -EPERM);
	ck_assert_int_eq(f.why, CV_PCI_PATH_ACS_PORT);
	ck_assert_uint_eq(f.at, 0x0030);
	ck_assert_uint_eq(f.acs_cap | f.acs_ctrl, 0);
	/* and the downstream port below it, without one either */
	rp.acs = true;
	down.acs = false;
	ck_assert_int_eq(check(&e1, &f), -EPERM);
	ck_assert_uint_eq(f.at, 0x0200);
}
END_TEST

START_TEST(pcie_to_pci_bridge_aliases)
{
	struct cv_pci_path_fault f;

	ck_assert_int_eq(check(&e2, &f), -EPERM);
	ck_assert_int_eq(f.why, CV_PCI_PATH_ALIAS_BRIDGE);
	ck_assert_uint_eq(f.at, 0x0040);
	ck_assert_uint_eq(f.alias, 0x0400);	/* 04:00.0 */
}
END_TEST

START_TEST(conventional_bridge_aliases)
{
	struct cv_pci_path_fault f;

	ck_assert_int_eq(check(&e3, &f), -EPERM);
	ck_assert_int_eq(f.why, CV_PCI_PATH_ALIAS_BRIDGE);
	ck_assert_uint_eq(f.at, 0x0048);
	ck_assert_uint_eq(f.alias, 0x0048);	/* the bridge's own */
	/* also listing the bridge's other devices does not help */
	listed[n_listed++] = 0x0048;
	ck_assert_int_eq(check(&e3, &f), -EPERM);
}
END_TEST

START_TEST(quirk_aliases)
{
	unsigned long mask[256 / BITS_PER_LONG] = { 0 };
	struct cv_pci_path_fault f;

	edu.dma_alias_mask = mask;
	ck_assert_int_eq(check(&edu, &f), 0);
	mask[0x21 / BITS_PER_LONG] |= 1UL << (0x21 % BITS_PER_LONG);
	ck_assert_int_eq(check(&edu, &f), -EPERM);
	ck_assert_int_eq(f.why, CV_PCI_PATH_ALIAS_QUIRK);
	ck_assert_uint_eq(f.alias, 0x0021);
	ck_assert_uint_eq(f.at, 0x0020);
	edu.dma_alias_mask = NULL;
}
END_TEST

START_TEST(bus_without_bridge)
{
	struct cv_pci_path_fault f;

	bus3.self = NULL;
	ck_assert_int_eq(check(&e1, &f), -EPERM);
	ck_assert_int_eq(f.why, CV_PCI_PATH_NO_BUS_BRIDGE);
	ck_assert_uint_eq(f.at, 0x0300);
}
END_TEST

START_TEST(functions_without_acs_go_together)
{
	struct cv_pci_path_fault f;

	ck_assert_int_eq(check(&sata, &f), -EPERM);
	ck_assert_int_eq(f.why, CV_PCI_PATH_ACS_FUNCTION);
	ck_assert_uint_eq(f.at, 0x00f8);	/* 00:1f.0 stays outside */
	ck_assert_uint_eq(gets, puts);
	/* a sibling is a peer by its presence, whatever its header says */
	lpc.multifunction = sata.multifunction = 0;
	ck_assert_int_eq(check(&sata, &f), -EPERM);
	ck_assert_uint_eq(f.at, 0x00f8);
	listed[n_listed++] = 0x00f8;
	ck_assert_int_eq(check(&sata, &f), 0);
	ck_assert_uint_eq(gets, puts);
}
END_TEST

START_TEST(functions_with_acs_may_split)
{
	struct cv_pci_path_fault f;

	devs[n_devs++] = &e4;
	ck_assert_int_eq(check(&e1, &f), -EPERM);
	ck_assert_int_eq(f.why, CV_PCI_PATH_ACS_FUNCTION);
	ck_assert_uint_eq(f.at, 0x0301);
	acs(&e1, ACS_ALL, ACS_ALL);
	/* the sibling without ACS could still reach it */
	ck_assert_int_eq(check(&e1, &f), -EPERM);
	acs(&e4, PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR,
	    PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR);
	ck_assert_int_eq(check(&e1, &f), 0);
	ck_assert_uint_eq(gets, puts);
}
END_TEST

static Suite *pci_path_suite(void)
{
	Suite *s = suite_create("driver-pci-path");
	TCase *tc = tcase_create("path");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, integrated_endpoint_has_no_path);
	tcase_add_test(tc, ports_with_acs_pass);
	tcase_add_test(tc, port_without_acs_refused);
	tcase_add_test(tc, pcie_to_pci_bridge_aliases);
	tcase_add_test(tc, conventional_bridge_aliases);
	tcase_add_test(tc, quirk_aliases);
	tcase_add_test(tc, bus_without_bridge);
	tcase_add_test(tc, functions_without_acs_go_together);
	tcase_add_test(tc, functions_with_acs_may_split);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pci_path_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
