// SPDX-License-Identifier: GPL-2.0
/* Conformance inmate: checks what the library promises inmate_main(). */
#include <inmate.h>

#define EFER_LMA	(1UL << 10)
#define CR0_PG		(1UL << 31)
#define CR0_CD		(1UL << 30)
#define CR4_PAE		(1UL << 5)
#define PTE_PS		(1UL << 7)
#define PTE_PCD		(1UL << 4)
#define PTE_ADDR	0x000ffffffffff000UL
#define SELF_INT_VECTOR	0x80
#define SELF_MAGIC	0x5e1f7e57UL

static unsigned int checks, failures;
static volatile unsigned int breakpoints;
/* .bss: the test boot sector poisons memory, so zeroing must be real. */
static uint8_t zero_area[8192];

#define CHECK(cond) selftest_check(cond, #cond, __LINE__)

static void selftest_check(bool ok, const char *what, int line)
{
	checks++;
	if (ok)
		return;
	failures++;
	printk("selftest: FAIL line %d: %s\n", line, what);
}

/* Walk our own page tables: returns the leaf entry mapping @addr, or 0. */
static uint64_t selftest_leaf(uint64_t addr)
{
	uint64_t *table = (uint64_t *)(read_cr(3) & PTE_ADDR);
	uint64_t entry = 0;
	int shift;

	for (shift = 39; shift >= 12; shift -= 9) {
		entry = table[(addr >> shift) & 0x1ff];
		if (!(entry & 1))
			return 0;
		if (shift < 39 && (entry & PTE_PS))
			break;
		table = (uint64_t *)(entry & PTE_ADDR);
	}
	return entry;
}

static void selftest_cpu_state(void)
{
	unsigned int i;
	bool zero = true;

	CHECK(rdmsr(0xc0000080) & EFER_LMA);
	CHECK(read_cr(0) & CR0_PG);
	CHECK(!(read_cr(0) & CR0_CD));
	CHECK(read_cr(4) & CR4_PAE);
	for (i = 0; i < sizeof(zero_area); i++)
		zero = zero && !zero_area[i];
	CHECK(zero);
}

static void selftest_paging(void)
{
	uint64_t leaf = selftest_leaf(0x12345678);

	/* 2 MiB identity pages; MMIO (APIC at 0xfee00000) uncached. */
	CHECK((leaf & PTE_ADDR) == (0x12345678UL & ~0x1fffffUL));
	CHECK(leaf & PTE_PS);
	CHECK(!(leaf & PTE_PCD));
	CHECK(selftest_leaf(0xfee00000) & PTE_PCD);
	CHECK(selftest_leaf(0x100000000UL) == 0);
}

static void selftest_bp_handler(struct int_frame *frame)
{
	(void)frame;
	breakpoints++;
}

/* A RAX change in the frame must reach the interrupted code: layout check. */
static void selftest_soft_handler(struct int_frame *frame)
{
	if (frame->vector == SELF_INT_VECTOR && frame->rbx == SELF_MAGIC)
		frame->rax = frame->rcx + 1;
}

static void selftest_interrupts(void)
{
	uint64_t rax = 0;

	int_set_handler(3, selftest_bp_handler);
	asm volatile("int3" : : : "memory");
	CHECK(breakpoints == 1);

	int_set_handler(SELF_INT_VECTOR, selftest_soft_handler);
	asm volatile("int $0x80"
		     : "+a"(rax) : "b"(SELF_MAGIC), "c"(41UL) : "memory");
	CHECK(rax == 42);
}

static void selftest_format(void)
{
	char buf[64];
	int n;

	n = fmt_snprintf(buf, sizeof(buf), "%05d|%-4x|%s|%c|%lx", -42, 0xab,
			 "ok", 'z', 0x123456789abUL);
	CHECK(n == 27);
	CHECK(!memcmp(buf, "-0042|ab  |ok|z|123456789ab", 28));
	n = fmt_snprintf(buf, 4, "%u", 123456u);
	CHECK(n == 6 && !memcmp(buf, "123", 4));
}

static void selftest_cmdline(void)
{
	/* run-checks.sh boots this image with "selftest=7 flag" at 0x1000. */
	CHECK(cmdline_parse_int(inmate_cmdline, "selftest", -1) == 7);
	CHECK(cmdline_parse_bool(inmate_cmdline, "flag"));
	CHECK(!cmdline_parse_bool(inmate_cmdline, "absent"));
}

void inmate_main(void)
{
	printk("selftest: command line \"%s\"\n", inmate_cmdline);
	selftest_cpu_state();
	selftest_paging();
	selftest_interrupts();
	selftest_format();
	selftest_cmdline();
	printk("selftest: %u checks, %u failed\n", checks, failures);
	printk("selftest: %s\n", failures ? "FAILED" : "PASS");
}
