// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance inmate for the pc-legacy virtual devices: what a PC image
 * probes before it uses the local APIC.  It calibrates the TSC against
 * PIT channel 2 (port B gate and OUT2, the best of 5 samples), checks
 * that the channel counts at 1.193182 MHz of the hypervisor's TSC rate
 * (latched counts bracketed by TSC reads), initialises and masks both
 * PICs, reads CMOS status A, reads PCI config 00:00.0 through
 * 0xcf8/0xcfc, writes a POST code to 0x80, reads system control port A,
 * then ends the cell with status 0 through the exit port.  In a cell
 * without pc-legacy the first access (port 0x61) stops it.
 *   stop=kbd|porta|cf9|outs   instead of exiting: a reset request (i8042
 *              command 0xfe, port A bit 0, 0xcf9 bit 2) or an OUTSB to
 *              port 0x80, each of which must stop the cell; "pclegacy:
 *              SURVIVED" if it did not
 */
#include <inmate.h>
#include <cellvisor/hypercall.h>

#define PCLEGACY_CALIBRATE_MS	20
#define PCLEGACY_SAMPLES	5

/*
 * The lowest of a few measurements: a sample the CPU was taken from (an
 * SMI; under an emulator on a loaded host, a descheduled thread while
 * the TSC follows host time) only ever comes out too high.
 */
static uint64_t pclegacy_measure(void)
{
	uint64_t khz, best = 0;
	unsigned int i;

	for (i = 0; i < PCLEGACY_SAMPLES; i++) {
		khz = pit_measure_tsc_khz(PCLEGACY_CALIBRATE_MS);
		if (khz && (!best || khz < best))
			best = khz;
	}
	return best;
}

/* Channel 2's count, latched between two TSC reads. */
struct pit_sample {
	uint64_t before, after;
	uint16_t count;
};

static void pit_sample(struct pit_sample *s)
{
	uint8_t lo;

	s->before = rdtsc();
	outb(PIT_MODE, PIT_LATCH_CH2);
	s->after = rdtsc();
	lo = inb(PIT_CH2_DATA);
	s->count = lo | inb(PIT_CH2_DATA) << 8;
}

static uint64_t tsc_to_pit(uint64_t tsc, uint64_t khz)
{
	return tsc * PIT_HZ / (khz * 1000);
}

/*
 * Does channel 2 count at 1.193182 MHz of the TSC?  Two counts latched
 * some 5 ms apart: the ticks between them lie between the ticks of the
 * inner and the outer TSC interval around the two latches, whatever the
 * host's scheduling did to the cell (a calibration only estimates).
 * One tick of slack each way for rounding.  Retried when the outer
 * interval grew past half the counter's period (the count may wrap): a
 * loaded host deschedules the emulated CPU for tens of milliseconds, so
 * short samples and many tries.
 */
static void pclegacy_pit_counts(long long khz)
{
	struct pit_sample a, b;
	uint64_t lo, hi, ticks;
	unsigned int tries;

	for (tries = 0; tries < 50; tries++) {
		outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
		outb(PIT_MODE, PIT_MODE_CH2_ONESHOT);
		outb(PIT_CH2_DATA, 0xff);
		outb(PIT_CH2_DATA, 0xff);
		pit_sample(&a);
		while (rdtsc() - a.after < (uint64_t)khz * 5)
			cpu_relax();
		pit_sample(&b);
		hi = tsc_to_pit(b.after - a.before, khz) + 1;
		if (hi < 0x8000)
			break;
	}
	if (hi >= 0x8000) {
		printk("pclegacy: PIT not measured: every sample spanned half "
		       "the counter's period (host too busy)\n");
		return;
	}
	lo = tsc_to_pit(b.before - a.after, khz);
	lo = lo ? lo - 1 : 0;
	ticks = (uint16_t)(a.count - b.count);
	printk("pclegacy: PIT counted %llu ticks, the TSC says %llu to %llu: "
	       "%s\n", (unsigned long long)ticks, (unsigned long long)lo,
	       (unsigned long long)hi,
	       ticks >= lo && ticks <= hi ? "agrees" : "DISAGREES");
}

static void pclegacy_pit(void)
{
	long long hv = cellvisor_info(CELLVISOR_INFO_TSC_KHZ);

	/* What an image does with it: an estimate, not checked. */
	printk("pclegacy: PIT channel 2: TSC %llu kHz, hypervisor %lld kHz\n",
	       (unsigned long long)pclegacy_measure(), hv);
	if (hv > 0)
		pclegacy_pit_counts(hv);
}

/* ICW1-4 on both, as an image that remaps them; then everything masked. */
static void pclegacy_pic(void)
{
	outb(0x20, 0x11);
	outb(0x21, 0x20);
	outb(0x21, 0x04);
	outb(0x21, 0x01);
	outb(0xa0, 0x11);
	outb(0xa1, 0x28);
	outb(0xa1, 0x02);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	printk("pclegacy: PIC masks 0x%x 0x%x, IRR 0x%x\n", inb(0x21),
	       inb(0xa1), inb(0x20));
}

static void pclegacy_cmos_pci(void)
{
	uint32_t id;

	outb(0x70, 0x0a);
	printk("pclegacy: CMOS status A 0x%x\n", inb(0x71));
	outb(0x70, 0x0d);
	printk("pclegacy: CMOS status D 0x%x\n", inb(0x71));
	outl(0xcf8, 0x80000000);
	id = inl(0xcfc);
	printk("pclegacy: PCI 0x%x: 0x%x\n", inl(0xcf8), id);
	outb(0x80, 0x55);
	printk("pclegacy: port 0x80 reads 0x%x, port 0x92 0x%x\n", inb(0x80),
	       inb(0x92));
}

static bool pclegacy_stop_is(const char *v, size_t len, const char *name)
{
	return len == strlen(name) && !strncmp(v, name, len);
}

static void pclegacy_stop(const char *v, size_t len)
{
	static const char post[] = "OUTS";

	printk("pclegacy: stop=%.*s\n", (int)len, v);
	if (pclegacy_stop_is(v, len, "kbd"))
		outb(0x64, 0xfe);
	else if (pclegacy_stop_is(v, len, "porta"))
		outb(0x92, 0x03);
	else if (pclegacy_stop_is(v, len, "cf9"))
		outb(0xcf9, 0x06);
	else if (pclegacy_stop_is(v, len, "outs"))
		asm volatile("rep outsb" : : "S"(post), "c"(sizeof(post) - 1),
			     "d"(0x80) : "memory");
	printk("pclegacy: SURVIVED\n");
}

void inmate_main(void)
{
	const char *v;
	size_t len;

	printk("pclegacy: start\n");
	pclegacy_pit();
	pclegacy_pic();
	pclegacy_cmos_pci();
	printk("pclegacy: done\n");
	if (cmdline_find(inmate_cmdline, "stop", &v, &len))
		pclegacy_stop(v, len);
	inmate_exit(0);
}
