// SPDX-License-Identifier: GPL-2.0
/* TSC and APIC timer rates (command line, CPUID or PIT); delays. */
#include <inmate.h>
#include <cellvisor/hypercall.h>


#define PIT_CALIBRATE_MS	20
#define APIC_CALIBRATE_US	10000

static uint64_t cached_tsc_khz;
static enum tsc_source cached_tsc_source;
static uint64_t cached_apic_khz;

const char *tsc_source_name(enum tsc_source src)
{
	static const char *const names[] = {
		[TSC_SRC_NONE] = "unknown",
		[TSC_SRC_CMDLINE] = "command line",
		[TSC_SRC_PIT] = "PIT",
		[TSC_SRC_CPUID15] = "CPUID 0x15",
		[TSC_SRC_CPUID16] = "CPUID 0x16 (nominal)",
		[TSC_SRC_COMM] = "comm page",
		[TSC_SRC_HYPERVISOR] = "hypervisor",
	};

	return src < ARRAY_SIZE(names) ? names[src] : "?";
}

/*
 * Count TSC ticks while PIT channel 2 counts down @ms milliseconds (at most
 * 54). Only for cells that own ports 0x42, 0x43 and 0x61: under Cellvisor,
 * touching a port the cell does not own stops the cell.
 */
uint64_t pit_measure_tsc_khz(unsigned int ms)
{
	uint32_t count = (uint64_t)PIT_HZ * ms / 1000;
	uint64_t start, end, spins = 0;
	uint8_t port_b = inb(PORT_B);

	if (!ms || count > 0xffff)
		return 0;
	outb(PORT_B, (port_b & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_MODE, PIT_MODE_CH2_ONESHOT);
	outb(PIT_CH2_DATA, count & 0xff);
	outb(PIT_CH2_DATA, count >> 8);
	start = rdtsc();
	while (!(inb(PORT_B) & PORT_B_OUT2))
		if (++spins > 100000000ULL)	/* no PIT: give up */
			break;
	end = rdtsc();
	outb(PORT_B, port_b);
	if (spins > 100000000ULL)
		return 0;
	/* count / PIT_HZ seconds passed: more exact than @ms itself. */
	return (end - start) * PIT_HZ / ((uint64_t)count * 1000);
}

static uint64_t cpuid_max_leaf(void)
{
	uint32_t eax, ebx, ecx, edx;

	cpuid(0, 0, &eax, &ebx, &ecx, &edx);
	return eax;
}

/* Leaf 0x15: TSC = crystal * EBX / EAX; ECX = crystal Hz (0: unknown). */
static uint64_t cpuid15_tsc_khz(void)
{
	uint32_t eax, ebx, ecx, edx;

	if (cpuid_max_leaf() < 0x15)
		return 0;
	cpuid(0x15, 0, &eax, &ebx, &ecx, &edx);
	if (!eax || !ebx || !ecx)
		return 0;
	return (uint64_t)ecx / 1000 * ebx / eax;
}

static uint64_t cpuid16_tsc_khz(void)
{
	uint32_t eax, ebx, ecx, edx;

	if (cpuid_max_leaf() < 0x16)
		return 0;
	cpuid(0x16, 0, &eax, &ebx, &ecx, &edx);
	return (uint64_t)(eax & 0xffff) * 1000;
}

/*
 * The first source that answers wins; the PIT only when asked for ("pit").
 * The comm page has the config's rate, else the one Linux calibrated; a
 * cell without one asks the hypervisor for the same.
 */
static void tsc_calibrate(void)
{
	long long v;
	uint64_t khz;

	khz = cmdline_parse_int(inmate_cmdline, "tsc_khz", 0);
	if (khz) {
		cached_tsc_source = TSC_SRC_CMDLINE;
	} else if ((khz = comm_tsc_khz())) {
		cached_tsc_source = TSC_SRC_COMM;
	} else if ((v = cellvisor_info(CELLVISOR_INFO_TSC_KHZ)) > 0) {
		khz = v;
		cached_tsc_source = TSC_SRC_HYPERVISOR;
	} else if (cmdline_parse_bool(inmate_cmdline, "pit") &&
		   (khz = pit_measure_tsc_khz(PIT_CALIBRATE_MS))) {
		cached_tsc_source = TSC_SRC_PIT;
	} else if ((khz = cpuid15_tsc_khz())) {
		cached_tsc_source = TSC_SRC_CPUID15;
	} else if ((khz = cpuid16_tsc_khz())) {
		cached_tsc_source = TSC_SRC_CPUID16;
	} else {
		cached_tsc_source = TSC_SRC_NONE;
	}
	cached_tsc_khz = khz;
}

uint64_t tsc_khz(void)
{
	if (!cached_tsc_source)
		tsc_calibrate();
	return cached_tsc_khz;
}

enum tsc_source tsc_khz_source(void)
{
	tsc_khz();
	return cached_tsc_source;
}

/* Split the multiplication so 64 bits do not overflow for long spans. */
uint64_t tsc_to_ns(uint64_t ticks)
{
	uint64_t khz = tsc_khz();

	if (!khz)
		return 0;
	return ticks / khz * 1000000 + ticks % khz * 1000000 / khz;
}

uint64_t ns_to_tsc(uint64_t ns)
{
	uint64_t khz = tsc_khz();

	return ns / 1000000 * khz + ns % 1000000 * khz / 1000000;
}

/* With an unknown TSC rate, assume a fast one: delays only get longer. */
void udelay(uint64_t us)
{
	uint64_t khz = tsc_khz() ? tsc_khz() : 4000000;
	uint64_t end = rdtsc() + us * khz / 1000;

	while (rdtsc() < end)
		cpu_relax();
}

/*
 * APIC timer ticks (divide by 1) per ms: "apic_khz=", the comm page, or
 * measured against the TSC, which needs tsc_khz() and an initialised APIC.
 */
uint64_t apic_timer_khz(void)
{
	uint32_t left;

	if (cached_apic_khz)
		return cached_apic_khz;
	cached_apic_khz = cmdline_parse_int(inmate_cmdline, "apic_khz", 0);
	if (!cached_apic_khz)
		cached_apic_khz = comm_apic_khz();
	if (cached_apic_khz || !tsc_khz())
		return cached_apic_khz;

	apic_timer_free_run();
	udelay(APIC_CALIBRATE_US);
	left = apic_timer_count();
	apic_timer_stop();
	cached_apic_khz = (0xffffffffULL - left) * 1000 / APIC_CALIBRATE_US;
	return cached_apic_khz;
}
