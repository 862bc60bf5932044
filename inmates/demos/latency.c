// SPDX-License-Identifier: GPL-2.0
/*
 * Timer latency demo: how late the local APIC timer interrupt arrives,
 * measured in TSC time. Options: period_us= (1000), samples= (0: forever),
 * report_ms= (1000), oneshot (never TSC-deadline), ticks (TSC ticks, not
 * ns, and first of all the TSC at entry: benchmarks), plus the library's
 * tsc_khz=, apic_khz=, pit, xapic and comm_page= (then a shutdown request
 * ends the run: the total is printed, then the cell agrees to stop).
 */
#include <inmate.h>

struct latency_stats {
	uint64_t min, max, sum, count;
};

static uint64_t period_tsc;
static uint64_t timer_khz;
static bool use_deadline;
static volatile uint64_t expected;	/* TSC value the pending timer is for */
static struct latency_stats window;	/* updated by the interrupt handler */
static volatile uint64_t overruns;
static bool in_ticks;

static void stats_add(struct latency_stats *s, uint64_t v)
{
	if (!s->count || v < s->min)
		s->min = v;
	if (v > s->max)
		s->max = v;
	s->sum += v;
	s->count++;
}

static void stats_merge(struct latency_stats *into,
			const struct latency_stats *s)
{
	if (!s->count)
		return;
	if (!into->count || s->min < into->min)
		into->min = s->min;
	if (s->max > into->max)
		into->max = s->max;
	into->sum += s->sum;
	into->count += s->count;
}

static void latency_arm(void)
{
	uint64_t now, ticks;

	if (use_deadline) {
		apic_timer_deadline(expected, APIC_TIMER_VECTOR);
		return;
	}
	/* One-shot counts APIC ticks: convert what is left of the period. */
	now = rdtsc();
	ticks = expected > now ?
		(expected - now) * timer_khz / tsc_khz() : 0;
	if (ticks > 0xffffffff)		/* long periods: fire early, count 0 */
		ticks = 0xffffffff;
	apic_timer_oneshot(ticks ? ticks : 1, APIC_TIMER_VECTOR);
}

static void latency_tick(struct int_frame *frame)
{
	uint64_t now = rdtsc();

	(void)frame;
	/* Tick rounding may fire a one-shot timer a little early: count 0. */
	stats_add(&window, now > expected ? now - expected : 0);
	expected += period_tsc;
	if (expected <= now) {
		/* Missed whole periods: restart the grid rather than storm. */
		overruns++;
		expected = now + period_tsc;
	}
	latency_arm();
	apic_eoi();
}

static void latency_print(const char *what, const struct latency_stats *s)
{
	if (in_ticks) {
		printk("latency: %s: %lu samples, min %lu, avg %lu, max %lu "
		       "TSC ticks\n", what, s->count, s->min,
		       s->count ? s->sum / s->count : 0, s->max);
		return;
	}
	printk("latency: %s: %lu samples, min %lu ns, avg %lu ns, max %lu ns\n",
	       what, s->count, tsc_to_ns(s->min),
	       s->count ? tsc_to_ns(s->sum / s->count) : 0, tsc_to_ns(s->max));
}

static void latency_setup(uint64_t period_us)
{
	if (!tsc_khz())
		panic("latency: TSC frequency unknown: pass tsc_khz= or pit\n");
	if (apic_init())
		panic("latency: no local APIC\n");
	use_deadline = apic_has_tsc_deadline() &&
		       !cmdline_parse_bool(inmate_cmdline, "oneshot");
	if (!use_deadline && !(timer_khz = apic_timer_khz()))
		panic("latency: APIC timer frequency unknown\n");
	period_tsc = ns_to_tsc(period_us * 1000);

	printk("latency: TSC %lu kHz (%s), %s, timer %s",
	       tsc_khz(), tsc_source_name(tsc_khz_source()),
	       apic_is_x2apic() ? "x2APIC" : "xAPIC", use_deadline ?
	       "TSC-deadline" : "one-shot");
	if (!use_deadline)
		printk(" at %lu kHz", timer_khz);
	printk(", period %lu us\n", period_us);
}

/*
 * Wait with interrupts enabled until the handler has filled a window or
 * the hypervisor asks the cell to stop (each tick wakes us to look).
 */
static struct latency_stats latency_wait(uint64_t n)
{
	struct latency_stats snap;

	for (;;) {
		irq_disable();
		if (window.count >= n || comm_shutdown_requested())
			break;
		irq_enable_and_halt();
	}
	snap = window;
	window = (struct latency_stats){ 0 };
	irq_enable();
	return snap;
}

void inmate_main(void)
{
	uint64_t period_us = cmdline_parse_int(inmate_cmdline, "period_us",
					       1000);
	uint64_t samples = cmdline_parse_int(inmate_cmdline, "samples", 0);
	uint64_t report_ms = cmdline_parse_int(inmate_cmdline, "report_ms",
					       1000);
	uint64_t per_report = report_ms * 1000 / (period_us ? period_us : 1);
	struct latency_stats total = { 0 }, snap;

	in_ticks = cmdline_parse_bool(inmate_cmdline, "ticks");
	if (in_ticks)
		printk("latency: entered at TSC %lu\n", rdtsc());
	if (!period_us || !per_report)
		panic("latency: need period_us > 0 and report_ms >= period\n");
	latency_setup(period_us);
	int_set_handler(APIC_TIMER_VECTOR, latency_tick);
	expected = rdtsc() + period_tsc;
	latency_arm();

	while (!samples || total.count < samples) {
		snap = latency_wait(per_report);
		stats_merge(&total, &snap);
		if (comm_shutdown_requested())
			break;
		latency_print("window", &snap);
	}
	irq_disable();
	apic_timer_stop();
	latency_print("total", &total);
	printk("latency: done, %lu overruns\n", overruns);
	/* Said all it had to say: now it may be stopped. */
	if (comm_shutdown_requested())
		comm_wait_for_shutdown();
}
