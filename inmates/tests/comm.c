// SPDX-License-Identifier: GPL-2.0
/*
 * Comm-page inmate: prints what the hypervisor's comm page says, then
 * answers shutdown requests. Options: deny=N (refuse the first N requests,
 * then agree; default 0), ignore (never look at the page again: the
 * hypervisor must stop it when its wait runs out), plus the library's
 * comm_page=ADDR.
 */
#include <inmate.h>

static void comm_report(const struct cellvisor_comm_page *p)
{
	printk("comm: cell %u, state %s, TSC %u kHz, APIC %u kHz, %u CPUs\n",
	       p->cell_id, cellvisor_cell_state_name(p->cell_state),
	       p->tsc_khz, p->apic_khz, p->num_cpus);
	printk("comm: msg_to_cell %u, reply_from_cell %u\n", p->msg_to_cell,
	       p->reply_from_cell);
	printk("comm: tsc_khz() %lu (%s)\n", tsc_khz(),
	       tsc_source_name(tsc_khz_source()));
	/* Without the page's value the library would measure: needs an APIC. */
	if (p->apic_khz)
		printk("comm: apic_timer_khz() %lu\n", apic_timer_khz());
}

/* Busy, but never looking at the page. */
static void __noreturn comm_ignore(void)
{
	printk("comm: ignoring shutdown requests\n");
	for (;;)
		cpu_relax();
}

/*
 * Each line is printed before the answer: the hypervisor prints its own
 * line as soon as it has the answer, and the two would mix.
 */
static void comm_serve(unsigned long long deny)
{
	unsigned long long asked = 0;

	for (;;) {
		while (!comm_shutdown_requested())
			cpu_relax();
		asked++;
		if (asked > deny)
			break;
		printk("comm: denying shutdown request %llu\n", asked);
		if (!comm_shutdown_reply(false))
			panic("comm: request %llu gone before the answer\n",
			      asked);
	}
	printk("comm: agreeing to shutdown request %llu\n", asked);
	comm_wait_for_shutdown();
}

void inmate_main(void)
{
	const struct cellvisor_comm_page *p = comm_page();

	if (!p) {
		printk("comm: no comm page\n");
		return;
	}
	comm_report(p);
	if (cmdline_parse_bool(inmate_cmdline, "ignore"))
		comm_ignore();
	comm_serve(cmdline_parse_int(inmate_cmdline, "deny", 0));
}
