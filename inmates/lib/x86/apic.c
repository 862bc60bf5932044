// SPDX-License-Identifier: GPL-2.0
/* Local APIC for inmates: x2APIC MSRs where possible, else xAPIC MMIO. */
#include <inmate.h>

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_EXTD		(1UL << 10)
#define APIC_BASE_EN		(1UL << 11)
#define MSR_X2APIC_FIRST	0x800
#define MSR_TSC_DEADLINE	0x6e0
#define XAPIC_MMIO		0xfee00000UL

/* Register offsets in the xAPIC page; x2APIC MSR = 0x800 + offset / 16. */
#define APIC_ID			0x020
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ICR		0x300
#define APIC_ICR_HI		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0

#define APIC_SVR_ENABLE		(1U << 8)
#define APIC_LVT_MASKED		(1U << 16)
#define APIC_LVT_PERIODIC	(1U << 17)
#define APIC_LVT_TSC_DEADLINE	(2U << 17)
#define APIC_TDCR_DIV1		0xb
#define APIC_ICR_BUSY		(1U << 12)

#define CPUID1_ECX_X2APIC	(1U << 21)
#define CPUID1_ECX_DEADLINE	(1U << 24)
#define CPUID1_EDX_APIC		(1U << 9)

static bool apic_x2;
/*
 * Each CPU's timer LVT as last written: under a hypervisor an xAPIC
 * access may cost an exit, so a periodic re-arm writes it only when the
 * mode or vector changes.
 */
static uint32_t apic_lvt_timer[INMATE_MAX_CPUS];

/* A spurious interrupt needs no EOI and no action. */
static void apic_spurious(struct int_frame *frame)
{
	(void)frame;
}

bool apic_is_x2apic(void)
{
	return apic_x2;
}

/* xAPIC MMIO must be aligned 32-bit accesses (Bochs panics on others). */
static uint32_t apic_read(unsigned int reg)
{
	if (apic_x2)
		return rdmsr(MSR_X2APIC_FIRST + reg / 16);
	return *(volatile uint32_t *)(XAPIC_MMIO + reg);
}

static void apic_write(unsigned int reg, uint32_t val)
{
	if (apic_x2)
		wrmsr(MSR_X2APIC_FIRST + reg / 16, val);
	else
		*(volatile uint32_t *)(XAPIC_MMIO + reg) = val;
}

/*
 * Keep the mode we find if the APIC is already on (a cell may not be allowed
 * to change it); otherwise prefer x2APIC, which needs no MMIO exits.
 * "xapic" on the command line keeps an xAPIC in xAPIC mode.
 */
int apic_init(void)
{
	uint32_t eax, ebx, ecx, edx;
	uint64_t base;

	cpuid(1, 0, &eax, &ebx, &ecx, &edx);
	if (!(edx & CPUID1_EDX_APIC))
		return -ENODEV;
	base = rdmsr(MSR_APIC_BASE);
	if (!(base & APIC_BASE_EN)) {
		base |= APIC_BASE_EN;
		wrmsr(MSR_APIC_BASE, base);
	}
	if (!(base & APIC_BASE_EXTD) && (ecx & CPUID1_ECX_X2APIC) &&
	    !cmdline_parse_bool(inmate_cmdline, "xapic")) {
		base |= APIC_BASE_EXTD;
		wrmsr(MSR_APIC_BASE, base);
	}
	apic_x2 = !!(rdmsr(MSR_APIC_BASE) & APIC_BASE_EXTD);

	int_set_handler(APIC_SPURIOUS_VECTOR, apic_spurious);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	apic_timer_stop();
	return 0;
}

/*
 * Any register by its xAPIC offset, as the library itself never writes
 * it: for tests of what a hypervisor lets through (x2APIC: MSR 0x800 +
 * offset / 16).
 */
uint32_t apic_reg_read(unsigned int reg)
{
	return apic_read(reg);
}

void apic_reg_write(unsigned int reg, uint32_t val)
{
	apic_write(reg, val);
}

uint32_t apic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return apic_x2 ? id : id >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

void apic_send_ipi(uint32_t dest, uint32_t icr_low)
{
	if (apic_x2) {
		wrmsr(MSR_X2APIC_FIRST + APIC_ICR / 16,
		      ((uint64_t)dest << 32) | icr_low);
		return;
	}
	apic_write(APIC_ICR_HI, dest << 24);
	apic_write(APIC_ICR, icr_low);
	while (apic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
}

bool apic_has_tsc_deadline(void)
{
	uint32_t eax, ebx, ecx, edx;

	cpuid(1, 0, &eax, &ebx, &ecx, &edx);
	return ecx & CPUID1_ECX_DEADLINE;
}

static void apic_set_lvt_timer(uint32_t lvt)
{
	uint32_t *last = &apic_lvt_timer[smp_this_cpu() % INMATE_MAX_CPUS];

	if (*last == lvt)
		return;
	apic_write(APIC_LVT_TIMER, lvt);
	*last = lvt;
}

static void apic_timer_start(uint32_t lvt, uint32_t ticks)
{
	apic_write(APIC_TDCR, APIC_TDCR_DIV1);
	apic_set_lvt_timer(lvt);
	apic_write(APIC_TMICT, ticks);
}

void apic_timer_oneshot(uint32_t ticks, unsigned int vector)
{
	apic_timer_start(vector & 0xff, ticks);
}

/* Count down from the maximum with the interrupt masked: for calibration. */
void apic_timer_free_run(void)
{
	apic_timer_start(APIC_LVT_MASKED, 0xffffffff);
}

void apic_timer_periodic(uint32_t ticks, unsigned int vector)
{
	apic_timer_start(APIC_LVT_PERIODIC | (vector & 0xff), ticks);
}

/* Caller checks apic_has_tsc_deadline(); the LVT is written when it changes. */
void apic_timer_deadline(uint64_t tsc, unsigned int vector)
{
	apic_set_lvt_timer(APIC_LVT_TSC_DEADLINE | (vector & 0xff));
	/* The SDM wants the mode switch visible before the deadline write. */
	asm volatile("mfence" : : : "memory");
	wrmsr(MSR_TSC_DEADLINE, tsc);
}

/* Also what apic_init() starts from: the LVT written, whatever it held. */
void apic_timer_stop(void)
{
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	apic_lvt_timer[smp_this_cpu() % INMATE_MAX_CPUS] = APIC_LVT_MASKED;
	apic_write(APIC_TMICT, 0);
}

uint32_t apic_timer_count(void)
{
	return apic_read(APIC_TMCCT);
}
