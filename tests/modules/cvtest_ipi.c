// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module: IPIs that Linux itself would never send to an offline
 * CPU, written straight into the ICR, so that a scenario can check that the
 * hypervisor keeps them away from cells.  Writing "FORM VECTOR [APICID]" to
 * the parameter 'send' sends one IPI from the writing CPU, FORM being:
 *   physical  to APICID
 *   logical   flat logical destination 0xff (every logical ID)
 *   all       the "all including self" shorthand
 *   allbutself  the "all excluding self" shorthand
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <asm/apic.h>

static int cvtest_ipi_send(const char *val, const struct kernel_param *kp)
{
	unsigned int vector, id = 0;
	unsigned long flags;
	char form[16];
	u32 low;

	if (sscanf(val, "%15s %u %u", form, &vector, &id) < 2 ||
	    vector < 32 || vector > 255)
		return -EINVAL;
	low = APIC_DM_FIXED | vector;
	if (!strcmp(form, "physical"))
		low |= APIC_DEST_PHYSICAL;
	else if (!strcmp(form, "logical"))
		low |= APIC_DEST_LOGICAL, id = 0xff;
	else if (!strcmp(form, "all"))
		low |= APIC_DEST_ALLINC, id = 0;
	else if (!strcmp(form, "allbutself"))
		low |= APIC_DEST_ALLBUT, id = 0;
	else
		return -EINVAL;
	local_irq_save(flags);
	apic->wait_icr_idle();
	apic->icr_write(low, id);
	apic->wait_icr_idle();
	local_irq_restore(flags);
	return 0;
}

static const struct kernel_param_ops cvtest_ipi_ops = {
	.set = cvtest_ipi_send,
};

module_param_cb(send, &cvtest_ipi_ops, NULL, 0200);
MODULE_PARM_DESC(send, "FORM VECTOR [APICID]: send one IPI (see the source)");

MODULE_DESCRIPTION("Cellvisor system tests: raw IPIs from the root cell");
MODULE_LICENSE("GPL");
