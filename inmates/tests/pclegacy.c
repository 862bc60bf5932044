// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance inmate for the pc-legacy virtual devices: what a PC image
 * probes before it uses the local APIC.  It calibrates the TSC against
 * PIT channel 2 (port B gate and OUT2, the best of 5 samples), compares
 * that with the rate the hypervisor reports, initialises and masks both
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

static void pclegacy_pit(void)
{
	long long hv = cellvisor_info(CELLVISOR_INFO_TSC_KHZ);
	uint64_t khz = pclegacy_measure();
	uint64_t diff;

	printk("pclegacy: PIT channel 2: TSC %llu kHz, hypervisor %lld kHz\n",
	       (unsigned long long)khz, hv);
	if (hv <= 0 || !khz)
		return;
	diff = khz > (uint64_t)hv ? khz - hv : hv - khz;
	printk("pclegacy: PIT %s the hypervisor's rate (within 2%%)\n",
	       diff * 50 <= (uint64_t)hv ? "agrees with" : "DISAGREES with");
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
