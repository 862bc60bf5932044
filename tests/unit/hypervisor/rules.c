// SPDX-License-Identifier: GPL-2.0
/* Unit tests for hypervisor/arch/x86/rules.c: the x86 rule book's tables. */
#include <check.h>
#include <stdlib.h>
#include <asm/rules.h>

START_TEST(msr_unlisted_refused_to_cells_passed_to_root)
{
	static const u32 unlisted[] = {
		0x400, 0x401, 0x413,	/* machine-check banks */
		0xc1, 0x186, 0x38f,	/* performance counters */
		0x1d9, 0x8b, 0x3b, 0xc0010000, 0x9c,
	};
	unsigned int i;

	for (i = 0; i < sizeof(unlisted) / sizeof(unlisted[0]); i++) {
		ck_assert_ptr_null(msr_rule_find(unlisted[i]));
		ck_assert_int_eq(msr_action(unlisted[i], true, false),
				 MSR_REFUSE);
		ck_assert_int_eq(msr_action(unlisted[i], true, true),
				 MSR_REFUSE);
		ck_assert_int_eq(msr_action(unlisted[i], false, false),
				 MSR_PASS);
	}
}
END_TEST

START_TEST(msr_cell_state_is_passed_and_cleared)
{
	unsigned int i;

	/* Whatever passes both ways must be cleared at every hand-over. */
	for (i = 0; i < msr_cell_state_count; i++) {
		ck_assert_int_eq(msr_action(msr_cell_state[i], true, false),
				 MSR_PASS);
		ck_assert_int_eq(msr_action(msr_cell_state[i], true, true),
				 MSR_PASS);
	}
	ck_assert_int_eq(msr_action(MSR_LSTAR, true, true), MSR_PASS);
	ck_assert_int_eq(msr_action(MSR_KERNEL_GS_BASE, true, false),
			 MSR_PASS);
}
END_TEST

START_TEST(msr_cell_writes_that_exit)
{
	ck_assert_int_eq(msr_action(MSR_IA32_TSC, true, true), MSR_REFUSE);
	ck_assert_int_eq(msr_action(MSR_APIC_BASE_REG, true, true),
			 MSR_EMULATE);
	ck_assert_int_eq(msr_action(MSR_X2APIC_ICR_REG, true, true),
			 MSR_EMULATE);
	ck_assert_int_eq(msr_action(0x835, true, true), MSR_EMULATE);
	/* ID and LDR: to the APIC's rule, which refuses them with a reason. */
	ck_assert_int_eq(msr_action(0x802, true, true), MSR_EMULATE);
	ck_assert_int_eq(msr_action(0x80d, true, true), MSR_EMULATE);
	ck_assert_int_eq(apic_write_rule(APIC_REG_ID, true), APIC_WRITE_REFUSE);
	ck_assert_int_eq(apic_write_rule(APIC_REG_LDR, true),
			 APIC_WRITE_REFUSE);
	ck_assert_int_eq(msr_action(MSR_EFER_REG, true, true), MSR_EMULATE);
	ck_assert_int_eq(msr_action(0x200, true, true), MSR_REFUSE);
	ck_assert_int_eq(msr_action(0x1a0, true, true), MSR_REFUSE);
	ck_assert_int_eq(msr_action(0x1a0, true, false), MSR_PASS);
	ck_assert_int_eq(msr_action(MSR_VM_HSAVE_PA_REG, true, false),
			 MSR_REFUSE);
}
END_TEST

START_TEST(msr_root_rules)
{
	ck_assert_int_eq(msr_action(MSR_X2APIC_ICR_REG, false, true),
			 MSR_EMULATE);
	ck_assert_int_eq(msr_action(0x808, false, true), MSR_PASS);
	ck_assert_int_eq(msr_action(0x480, false, false), MSR_REFUSE);
	ck_assert_int_eq(msr_action(MSR_FEATURE_CONTROL, false, false),
			 MSR_EMULATE);
	ck_assert_int_eq(msr_action(MSR_FEATURE_CONTROL, false, true),
			 MSR_REFUSE);
}
END_TEST

START_TEST(msr_names)
{
	ck_assert_str_eq(msr_name(0x830), "x2APIC ICR");
	ck_assert_str_eq(msr_name(0x400), "MSR");
	ck_assert_str_eq(msr_name(0xc0000082), "syscall");
}
END_TEST

START_TEST(x2apic_hot_path_passes)
{
	ck_assert(apic_x2apic_write_passes(0x80b));	/* EOI */
	ck_assert(apic_x2apic_write_passes(0x808));	/* TPR */
	ck_assert(apic_x2apic_write_passes(0x838));	/* timer count */
	ck_assert(apic_x2apic_write_passes(0x83f));	/* self IPI */
	ck_assert(!apic_x2apic_write_passes(0x830));	/* ICR */
	ck_assert(!apic_x2apic_write_passes(0x832));	/* LVT timer */
	ck_assert(!apic_x2apic_write_passes(0x802));	/* ID */
	ck_assert(!apic_x2apic_write_passes(0x7ff));
	ck_assert(!apic_x2apic_write_passes(0x900));
	/*
	 * The APIC's write rule decides every x2APIC MSR a cell writes:
	 * what does not pass is emulated (checked, with the APIC's reason
	 * when refused), never refused as an unknown MSR.
	 */
	for (u32 msr = 0x800; msr <= 0x8ff; msr++)
		ck_assert_int_eq(msr_action(msr, true, true),
				 apic_x2apic_write_passes(msr) ? MSR_PASS :
								 MSR_EMULATE);
}
END_TEST

START_TEST(apic_write_rules)
{
	ck_assert_int_eq(apic_write_rule(APIC_REG_ID, false),
			 APIC_WRITE_REFUSE);
	ck_assert_int_eq(apic_write_rule(APIC_REG_ID, true),
			 APIC_WRITE_REFUSE);
	ck_assert_int_eq(apic_write_rule(APIC_REG_EOI, false),
			 APIC_WRITE_PASS);
	ck_assert_int_eq(apic_write_rule(APIC_REG_LDR, false),
			 APIC_WRITE_VIRTUAL);
	ck_assert_int_eq(apic_write_rule(APIC_REG_DFR, false),
			 APIC_WRITE_VIRTUAL);
	ck_assert_int_eq(apic_write_rule(APIC_REG_LDR, true),
			 APIC_WRITE_REFUSE);
	ck_assert_int_eq(apic_write_rule(APIC_REG_ICR_LO, true),
			 APIC_WRITE_ICR);
	ck_assert_int_eq(apic_write_rule(APIC_REG_ICR_HI, false),
			 APIC_WRITE_ICR_HI);
	ck_assert_int_eq(apic_write_rule(0x350, false), APIC_WRITE_LVT);
	ck_assert_int_eq(apic_write_rule(0x2f0, true), APIC_WRITE_LVT);
	ck_assert_int_eq(apic_write_rule(0x100, false), APIC_WRITE_IGNORE);
	ck_assert_int_eq(apic_write_rule(0x100, true), APIC_WRITE_REFUSE);
	ck_assert_int_eq(apic_write_rule(APIC_REG_SELF_IPI, false),
			 APIC_WRITE_REFUSE);
	ck_assert_int_eq(apic_write_rule(0x304, false), APIC_WRITE_REFUSE);
	ck_assert_int_eq(apic_write_rule(0x400, false), APIC_WRITE_REFUSE);
}
END_TEST

START_TEST(lvt_only_fixed_or_masked)
{
	ck_assert_int_eq(apic_lvt_check(0x000ec), 0);		/* fixed */
	ck_assert_int_eq(apic_lvt_check(0x10400), 0);		/* masked NMI */
	ck_assert_int_eq(apic_lvt_check(0x00400), -EPERM);	/* NMI */
	ck_assert_int_eq(apic_lvt_check(0x00200), -EPERM);	/* SMI */
	ck_assert_int_eq(apic_lvt_check(0x00500), -EPERM);	/* INIT */
	ck_assert_int_eq(apic_lvt_check(0x00700), -EPERM);	/* ExtINT */
}
END_TEST

START_TEST(icr_delivery_modes)
{
	const char *why = NULL;

	ck_assert_int_eq(apic_icr_check(0x000400ec, &why), 0);
	ck_assert_int_eq(apic_icr_check(0x00004500, &why), 0);	/* INIT */
	ck_assert_int_eq(apic_icr_check(0x00000610, &why), 0);	/* SIPI */
	ck_assert_int_eq(apic_icr_check(0x00000400, &why), 0);	/* NMI */
	ck_assert_int_eq(apic_icr_check(0x000001ec, &why), -EPERM);
	ck_assert_str_eq(why, "lowest-priority delivery");
	ck_assert_int_eq(apic_icr_check(0x000c0200, &why), -EPERM);
	ck_assert_str_eq(why, "SMI delivery");
	ck_assert_int_eq(apic_icr_check(0x00000300, &why), -EPERM);
	ck_assert_int_eq(apic_icr_check(0x00000700, &why), -EPERM);
	ck_assert_str_eq(why, "reserved delivery mode");
}
END_TEST

START_TEST(logical_destinations)
{
	/* xAPIC flat: a bit per CPU. */
	ck_assert(apic_logical_match(false, 0x02, 0x02000000, 0xffffffff));
	ck_assert(!apic_logical_match(false, 0x01, 0x02000000, 0xffffffff));
	ck_assert(!apic_logical_match(false, 0x01, 0x00000000, 0xffffffff));
	ck_assert(apic_logical_match(false, 0xff, 0x00000000, 0xffffffff));
	/* xAPIC cluster: cluster in the high nibble. */
	ck_assert(apic_logical_match(false, 0x12, 0x12000000, 0x0fffffff));
	ck_assert(!apic_logical_match(false, 0x22, 0x12000000, 0x0fffffff));
	/* x2APIC: cluster << 16 | bit. */
	ck_assert_uint_eq(apic_x2apic_ldr(0), 0x00000001);
	ck_assert_uint_eq(apic_x2apic_ldr(17), 0x00010002);
	ck_assert(apic_logical_match(true, 0x00010002, apic_x2apic_ldr(17),
				     0));
	ck_assert(!apic_logical_match(true, 0x00000002, apic_x2apic_ldr(17),
				      0));
	ck_assert(apic_logical_match(true, 0xffffffff, apic_x2apic_ldr(3),
				     0));
}
END_TEST

static Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, msr_unlisted_refused_to_cells_passed_to_root);
	tcase_add_test(tc, msr_cell_state_is_passed_and_cleared);
	tcase_add_test(tc, msr_cell_writes_that_exit);
	tcase_add_test(tc, msr_root_rules);
	tcase_add_test(tc, msr_names);
	tcase_add_test(tc, x2apic_hot_path_passes);
	tcase_add_test(tc, apic_write_rules);
	tcase_add_test(tc, lvt_only_fixed_or_masked);
	tcase_add_test(tc, icr_delivery_modes);
	tcase_add_test(tc, logical_destinations);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rules_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
