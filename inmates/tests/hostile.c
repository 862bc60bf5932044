// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile inmate for containment tests: does one thing a cell must not get
 * away with, chosen on the command line, then says whether it survived:
 *   mem=ADDR   read and write back 8 bytes at guest-physical ADDR (< 4 GiB)
 *   mem_write=ADDR   write a pattern over 8 bytes at ADDR without reading
 *              first (the root's canary: its memory must keep its value)
 *   pio=PORT   read and write back one byte at PORT
 *   msr=N      read and write back MSR N
 *   ipi=init|nmi|sipi   broadcast that IPI to all other CPUs, or with
 *              ipi_to=ID send it to the CPU with physical APIC ID ID
 *   msr_read=N read MSR N only, print it
 *   icr=VALUE  write VALUE to the ICR as it is (any delivery mode,
 *              shorthand or logical bit), to destination icr_dest=N (the
 *              high half: xAPIC ID or logical mask; default: this CPU's
 *              APIC ID); a fixed vector gets a handler, interrupts are
 *              on for 10 ms, and the inmate says how often it came
 *   apic_reg=OFF apic_val=VALUE   write VALUE to the local APIC register
 *              at xAPIC offset OFF (ID, LDR, DFR, LVTs...), print what it
 *              reads back; done before icr= when both are given
 *   apic_width=1|2|8   read the xAPIC version register (0x30) with a
 *              MOVZX or a 64-bit MOV: not a 32-bit access
 *   apic_forms read the xAPIC version register with 32-bit forms the
 *              MMIO decoder must understand (MOVSXD into R10, SIB with
 *              R13/R14, a 64-bit absolute address) and write the TPR
 *              with an immediate through R12; "APIC forms agree" when
 *              all read what apic_reg_read() reads
 *   apic_base_xor=MASK   write the APIC base MSR with the bits of MASK
 *              flipped (0x400: x2APIC, 0x800: disable, else: move it)
 *   invd, wbinvd   write a pattern to the inmate's own memory, run the
 *              instruction, say whether the pattern was kept; then run
 *              it HOSTILE_CACHE_RUNS - 1 times more, so that the exits show
 *              in "cellctl stats"
 *   state      before anything else: print every register a fresh cell
 *              may read that must start clean ("hostile: state clean", or
 *              "hostile: state DIRTY NAME=VALUE" for each that is not);
 *              with state_unchecked=NAME, register NAME is only printed
 *   dirty      fill those registers with patterns ("hostile: state
 *              dirtied"), for a later "state" on the same CPU
 *   run=N      print "hostile: run N" first (after reading "state"): a
 *              test finds this run's lines in the console by it
 *   rdpmc      read performance counter 0 (RDPMC, ECX 0)
 *   virt       the CPU's virtualisation instruction: VMRUN (AMD) or
 *              VMXON (Intel), on an all-zero page
 *   cpuid      print the leaves the rule book edits (1, 6, 7,
 *              0x80000001, 0x8000000a) and check them against it:
 *              "hostile: cpuid rules hold", else a "cpuid BREAKS" line each
 *   hc=N       hypercall N (no arguments), print its result
 *   triple     triple fault (empty IDT, then int3)
 *   exit=N     end the cell with status N through the exit port (0xf4)
 *   spin       busy loop forever with interrupts off (else it halts)
 * Under Cellvisor, "SURVIVED" must not appear for mem, pio, msr outside the
 * cell's resources, an IPI to a CPU of another cell or the root, a refused
 * delivery mode, APIC ID, LVT mode or APIC base write; without a hypervisor
 * everything "survives".
 *
 * "state" reads before the library could change anything but what its
 * boot code sets (entry.S: CR0, CR3, CR4.PAE, EFER.LME, GDT, IDT, the
 * segment registers and with them the FS and GS bases, RSP) and what
 * "state" itself must set to read the rest (CR4.OSFXSR and OSXMMEXCPT for
 * FXSAVE/XSAVE, CR4.OSXSAVE for XGETBV, XCR0 after reading it); the
 * library is built without SSE/x87 (-mgeneral-regs-only) and takes no
 * page fault, so FPU/SSE/AVX state, the debug registers, CR2 and the
 * MSRs are the hypervisor's hand-over.  DR6, DR7 and PAT must read their
 * reset values, EFER LME|LMA only (what entry.S sets).
 */
#include <inmate.h>

#define ICR_NMI			(4U << 8)
#define ICR_INIT		(5U << 8)
#define ICR_STARTUP		(6U << 8)
#define ICR_LEVEL_ASSERT	(1U << 14)
#define ICR_ALL_BUT_SELF	(3U << 18)
#define HOSTILE_4G		0x100000000ULL
#define HOSTILE_CACHE_RUNS	64

#define MSR_APIC_BASE		0x1b
#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_PAT			0x277
#define MSR_TSC_DEADLINE	0x6e0
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103

#define PAT_RESET		0x0007040600070406ULL
#define DR6_RESET		0xffff0ff0ULL
#define DR7_RESET		0x400ULL
#define DR7_LE			(1ULL << 8)
#define EFER_SCE		(1ULL << 0)
#define EFER_LME		(1ULL << 8)
#define EFER_LMA		(1ULL << 10)
#define EFER_NXE		(1ULL << 11)
#define CR4_OSFXSR		(1ULL << 9)
#define CR4_OSXMMEXCPT		(1ULL << 10)
#define CR4_OSXSAVE		(1ULL << 18)
#define CPUID1_ECX_DEADLINE	(1U << 24)
#define CPUID1_ECX_XSAVE	(1U << 26)
#define CPUIDX1_EDX_RDTSCP	(1U << 27)
#define FCW_INIT		0x037f	/* after FNINIT, XSAVE init state */
#define MXCSR_INIT		0x1f80
#define XSTATE_X87		(1ULL << 0)
#define XSTATE_SSE		(1ULL << 1)
#define XSTATE_BNDCSR		(1ULL << 4)
#define XSTATE_LEGACY_SIZE	512
#define XSTATE_AREA_SIZE	4096
/* A pattern no reset state has, seen in a DIRTY line it says where from. */
#define DIRTY_PATTERN		0xc311c311c311c311ULL
#define DIRTY_ADDR		0x00007c311c311000ULL	/* canonical */

static bool hostile_arg(const char *name, long long *val)
{
	*val = cmdline_parse_int(inmate_cmdline, name, -1);
	return *val >= 0;
}

static void hostile_mem(uint64_t addr)
{
	volatile uint64_t *p = (volatile uint64_t *)addr;
	uint64_t v;

	if (addr > HOSTILE_4G - 8)
		panic("hostile: mem=0x%lx is not mapped by the library\n",
		      addr);
	printk("hostile: reading 0x%lx\n", addr);
	v = *p;
	printk("hostile: read 0x%lx, writing it back\n", v);
	*p = v;
	printk("hostile: SURVIVED mem=0x%lx\n", addr);
}

static void hostile_mem_write(uint64_t addr)
{
	volatile uint64_t *p = (volatile uint64_t *)addr;

	if (addr > HOSTILE_4G - 8)
		panic("hostile: mem_write=0x%lx is not mapped by the library\n",
		      addr);
	printk("hostile: writing 0x%lx\n", addr);
	*p = DIRTY_PATTERN;
	printk("hostile: SURVIVED mem_write=0x%lx\n", addr);
}

static void hostile_pio(uint16_t port)
{
	uint8_t v;

	printk("hostile: reading port 0x%x\n", port);
	v = inb(port);
	printk("hostile: read 0x%x, writing it back\n", v);
	outb(port, v);
	printk("hostile: SURVIVED pio=0x%x\n", port);
}

static void hostile_msr(uint32_t msr)
{
	uint64_t v;

	printk("hostile: reading MSR 0x%x\n", msr);
	v = rdmsr(msr);
	printk("hostile: read 0x%lx, writing it back\n", v);
	wrmsr(msr, v);
	printk("hostile: SURVIVED msr=0x%x\n", msr);
}

static void hostile_ipi(void)
{
	const char *kind;
	size_t len;
	uint32_t icr;
	long long to;

	if (!cmdline_find(inmate_cmdline, "ipi", &kind, &len))
		return;
	if (len == 4 && !strncmp(kind, "init", 4))
		icr = ICR_INIT | ICR_LEVEL_ASSERT;
	else if (len == 3 && !strncmp(kind, "nmi", 3))
		icr = ICR_NMI;
	else if (len == 4 && !strncmp(kind, "sipi", 4))
		icr = ICR_STARTUP;
	else
		panic("hostile: ipi= wants init, nmi or sipi\n");
	if (apic_init())
		panic("hostile: no local APIC\n");
	if (hostile_arg("ipi_to", &to)) {
		printk("hostile: sending IPI 0x%x to APIC ID %lld\n", icr, to);
		apic_send_ipi(to, icr);
	} else {
		printk("hostile: broadcasting IPI 0x%x\n", icr);
		apic_send_ipi(0, ICR_ALL_BUT_SELF | icr);
	}
	udelay(10000);
	printk("hostile: SURVIVED ipi\n");
}

static void hostile_msr_read(uint32_t msr)
{
	printk("hostile: reading MSR 0x%x\n", msr);
	printk("hostile: MSR 0x%x reads 0x%lx\n", msr, rdmsr(msr));
	printk("hostile: SURVIVED msr_read=0x%x\n", msr);
}

/* ---- the local APIC ---- */

static volatile unsigned int hostile_vector_count;

static void hostile_vector(struct int_frame *frame)
{
	(void)frame;
	hostile_vector_count++;
	apic_eoi();
}

static void hostile_apic_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	if (apic_init())
		panic("hostile: no local APIC\n");
	printk("hostile: APIC ID %u, %s\n", apic_id(),
	       apic_is_x2apic() ? "x2APIC" : "xAPIC");
}

static void hostile_apic_reg(void)
{
	long long reg, val;

	if (!hostile_arg("apic_reg", &reg))
		return;
	if (!hostile_arg("apic_val", &val))
		panic("hostile: apic_reg= wants apic_val=\n");
	hostile_apic_init();
	printk("hostile: writing 0x%llx to APIC register 0x%llx\n", val, reg);
	apic_reg_write(reg, val);
	printk("hostile: APIC register 0x%llx reads 0x%x\n", reg,
	       apic_reg_read(reg));
	printk("hostile: SURVIVED apic_reg=0x%llx\n", reg);
}

#define HOSTILE_XAPIC		0xfee00000UL

static void hostile_apic_width(void)
{
	volatile uint8_t *p = (volatile uint8_t *)(HOSTILE_XAPIC + 0x30);
	long long width;
	uint64_t v;

	if (!hostile_arg("apic_width", &width))
		return;
	hostile_apic_init();
	printk("hostile: %lld-byte read of APIC register 0x30\n", width);
	if (width == 1)
		v = *p;
	else if (width == 2)
		v = *(volatile uint16_t *)p;
	else
		v = *(volatile uint64_t *)p;
	printk("hostile: APIC register 0x30 reads 0x%llx\n",
	       (unsigned long long)v);
	printk("hostile: SURVIVED apic_width=%lld\n", width);
}

/* Register choices the compiler would not make: REX.R, REX.B, REX.X. */
static void hostile_apic_forms(void)
{
	uint64_t sx, sib, abs, tpr, want;

	if (!cmdline_parse_bool(inmate_cmdline, "apic_forms"))
		return;
	hostile_apic_init();
	want = apic_reg_read(0x30);
	asm volatile("mov %1, %%r9; movslq 0x30(%%r9), %%r10; mov %%r10, %0"
		     : "=r" (sx) : "r" (HOSTILE_XAPIC) : "r9", "r10", "memory");
	asm volatile("mov %1, %%r13; mov $8, %%r14;"
		     "mov 0x10(%%r13,%%r14,4), %%r11d; mov %%r11, %0"
		     : "=r" (sib) : "r" (HOSTILE_XAPIC)
		     : "r11", "r13", "r14", "memory");
	asm volatile("movabs 0xfee00030, %%eax; mov %%rax, %0"
		     : "=r" (abs) : : "rax", "memory");
	asm volatile("mov %0, %%r12; movl $0x20, 0x80(%%r12)"
		     : : "r" (HOSTILE_XAPIC) : "r12", "memory");
	tpr = apic_reg_read(0x80);
	asm volatile("mov %0, %%r12; movl $0, 0x80(%%r12)"
		     : : "r" (HOSTILE_XAPIC) : "r12", "memory");
	printk("hostile: APIC version 0x%llx: movsxd 0x%llx, sib 0x%llx, "
	       "moffs 0x%llx; TPR 0x%llx\n", (unsigned long long)want,
	       (unsigned long long)sx, (unsigned long long)sib,
	       (unsigned long long)abs, (unsigned long long)tpr);
	if (sx == want && sib == want && abs == want && tpr == 0x20)
		printk("hostile: APIC forms agree\n");
	printk("hostile: SURVIVED apic_forms\n");
}

static void hostile_apic_base(void)
{
	long long mask;
	uint64_t base;

	if (!hostile_arg("apic_base_xor", &mask))
		return;
	base = rdmsr(MSR_APIC_BASE);
	printk("hostile: APIC base 0x%lx, writing 0x%lx\n", base,
	       base ^ (uint64_t)mask);
	wrmsr(MSR_APIC_BASE, base ^ (uint64_t)mask);
	printk("hostile: APIC base reads 0x%lx\n", rdmsr(MSR_APIC_BASE));
	printk("hostile: SURVIVED apic_base_xor=0x%llx\n", mask);
}

/*
 * One raw ICR write.  A fixed vector that comes back to this CPU (a
 * shorthand, broadcast or logical destination that includes it) is
 * counted: the hypervisor keeps those inside the cell, but must still
 * deliver them there.
 */
static void hostile_icr(void)
{
	long long icr, dest;
	bool fixed;

	if (!hostile_arg("icr", &icr))
		return;
	hostile_apic_init();
	dest = cmdline_parse_int(inmate_cmdline, "icr_dest", -1);
	if (dest < 0)
		dest = apic_id();
	fixed = !(icr & (7 << 8));
	if (fixed)
		int_set_handler(icr & 0xff, hostile_vector);
	printk("hostile: writing ICR 0x%llx, destination 0x%llx\n", icr,
	       dest);
	apic_send_ipi(dest, icr);
	irq_enable();
	udelay(10000);
	irq_disable();
	if (fixed)
		printk("hostile: vector 0x%llx received %u times\n",
		       icr & 0xff, hostile_vector_count);
	printk("hostile: SURVIVED icr=0x%llx\n", icr);
}

/* ---- cache instructions ---- */

static volatile uint64_t hostile_cache_buf[512] __aligned(4096);

static void hostile_cache_insn(bool invd)
{
	if (invd)
		asm volatile("invd" : : : "memory");
	else
		asm volatile("wbinvd" : : : "memory");
}

/*
 * On hardware INVD drops dirty lines without writing them back: a
 * pattern just written is lost (and so would be other partitions'
 * data).  The hypervisor runs it as WBINVD.
 */
static void hostile_cache(bool invd)
{
	const char *name = invd ? "INVD" : "WBINVD";
	unsigned int i, bad = 0;

	for (i = 0; i < ARRAY_SIZE(hostile_cache_buf); i++)
		hostile_cache_buf[i] = DIRTY_PATTERN ^ i;
	printk("hostile: %s\n", name);
	hostile_cache_insn(invd);
	for (i = 0; i < ARRAY_SIZE(hostile_cache_buf); i++)
		bad += hostile_cache_buf[i] != (DIRTY_PATTERN ^ i);
	if (bad)
		printk("hostile: %s LOST memory (%u of %u words)\n", name, bad,
		       (unsigned int)ARRAY_SIZE(hostile_cache_buf));
	else
		printk("hostile: %s kept memory\n", name);
	for (i = 1; i < HOSTILE_CACHE_RUNS; i++)
		hostile_cache_insn(invd);
	printk("hostile: %s ran %u times\n", name, HOSTILE_CACHE_RUNS);
	printk("hostile: SURVIVED %s\n", invd ? "invd" : "wbinvd");
}

/* ---- the hypervisor's own instructions ---- */

static void hostile_rdpmc(void)
{
	uint32_t lo, hi;

	printk("hostile: RDPMC 0\n");
	asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(0));
	printk("hostile: RDPMC 0 reads 0x%lx\n", ((uint64_t)hi << 32) | lo);
	printk("hostile: SURVIVED rdpmc\n");
}

static uint8_t hostile_virt_page[4096] __aligned(4096);

static void hostile_virt(void)
{
	uint64_t pa = (uintptr_t)hostile_virt_page;
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	if (b == 0x68747541) {		/* "Auth"enticAMD */
		printk("hostile: VMRUN\n");
		asm volatile("vmrun" : : "a"(pa) : "memory");
	} else {
		printk("hostile: VMXON\n");
		asm volatile("vmxon %0" : : "m"(pa) : "memory", "cc");
	}
	printk("hostile: SURVIVED virt\n");
}

/* ---- CPUID as the rule book edits it for a cell ---- */

#define CPUID_1_ECX_VMX		(1u << 5)
#define CPUID_1_ECX_OSXSAVE	(1u << 27)
#define CPUID_1_ECX_HYPERVISOR	(1u << 31)
#define CPUID_6_EAX_KEPT	0x6u	/* turbo, ARAT */
#define CPUID_7_ECX_OSPKE	(1u << 4)
#define CPUID_EXT1_ECX_SVM	(1u << 2)
#define CR4_PKE_BIT		(1ULL << 22)

static unsigned int cpuid_breaks;

static void cpuid_expect(bool holds, const char *what)
{
	if (holds)
		return;
	printk("hostile: cpuid BREAKS %s\n", what);
	cpuid_breaks++;
}

static void hostile_cpuid(void)
{
	static const uint32_t leaves[] = { 1, 6, 7, 0x80000001, 0x8000000a };
	uint32_t r[5][4], max, ext_max, d;
	uint64_t cr4 = read_cr(4);
	unsigned int i;

	cpuid(0, 0, &max, &d, &d, &d);
	cpuid(0x80000000, 0, &ext_max, &d, &d, &d);
	for (i = 0; i < 5; i++) {
		cpuid(leaves[i], 0, &r[i][0], &r[i][1], &r[i][2], &r[i][3]);
		printk("hostile: cpuid 0x%x: %08x %08x %08x %08x\n", leaves[i],
		       r[i][0], r[i][1], r[i][2], r[i][3]);
	}
	cpuid_expect(!(r[0][2] & CPUID_1_ECX_VMX), "1: VMX shown");
	cpuid_expect(r[0][2] & CPUID_1_ECX_HYPERVISOR, "1: no hypervisor bit");
	cpuid_expect(!(r[0][2] & CPUID_1_ECX_OSXSAVE) ==
		     !(cr4 & CR4_OSXSAVE), "1: OSXSAVE is not CR4's");
	if (max >= 6)
		cpuid_expect(!(r[1][0] & ~CPUID_6_EAX_KEPT) && !r[1][1] &&
			     !r[1][2] && !r[1][3],
			     "6: more than turbo and ARAT shown");
	if (max >= 7)
		cpuid_expect(!(r[2][2] & CPUID_7_ECX_OSPKE) ==
			     !(cr4 & CR4_PKE_BIT), "7: OSPKE is not CR4's");
	cpuid_expect(!(r[3][2] & CPUID_EXT1_ECX_SVM), "0x80000001: SVM shown");
	if (ext_max >= 0x8000000a)
		cpuid_expect(!(r[4][0] | r[4][1] | r[4][2] | r[4][3]),
			     "0x8000000a: SVM features shown");
	if (!cpuid_breaks)
		printk("hostile: cpuid rules hold\n");
	printk("hostile: SURVIVED cpuid\n");
}

/* ---- CPU state a cell must get clean ---- */

#define read_dr(n) ({							\
	uint64_t __v;							\
	asm volatile("mov %%dr" #n ", %0" : "=r"(__v));			\
	__v;								\
})

#define write_dr(n, v) asm volatile("mov %0, %%dr" #n : : "r"((uint64_t)(v)))

static uint8_t hostile_xstate[XSTATE_AREA_SIZE] __aligned(64);

static bool cpu_has(uint32_t leaf, unsigned int reg, uint32_t bit)
{
	uint32_t r[4];

	cpuid(leaf, 0, &r[0], &r[1], &r[2], &r[3]);
	return r[reg] & bit;
}

static void write_cr4(uint64_t val)
{
	asm volatile("mov %0, %%cr4" : : "r"(val) : "memory");
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static void xsetbv0(uint64_t val)
{
	asm volatile("xsetbv"
		     : : "c"(0), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
}

/* Every user state component this CPU has (CPUID 0xd.0 EDX:EAX). */
static uint64_t xstate_supported(void)
{
	uint32_t a, b, c, d;

	cpuid(0xd, 0, &a, &b, &c, &d);
	if (c > XSTATE_AREA_SIZE)
		panic("hostile: XSAVE area of %u bytes\n", c);
	return ((uint64_t)d << 32) | a;
}

/*
 * SSE on (CR4.OSFXSR) and, with XSAVE, CR4.OSXSAVE and every component
 * in XCR0.  Returns the XSAVE mask, 0 for FXSAVE only; *xcr0 gets XCR0
 * as it was (1 without XSAVE: x87 only, the reset value).
 */
static uint64_t xstate_enable(uint64_t *xcr0)
{
	uint64_t mask;

	write_cr4(read_cr(4) | CR4_OSFXSR | CR4_OSXMMEXCPT);
	*xcr0 = 1;
	if (!cpu_has(1, 2, CPUID1_ECX_XSAVE))
		return 0;
	write_cr4(read_cr(4) | CR4_OSXSAVE);
	*xcr0 = xgetbv0();
	mask = xstate_supported();
	xsetbv0(mask);
	return mask;
}

static void xstate_save(uint64_t mask)
{
	memset(hostile_xstate, 0, sizeof(hostile_xstate));
	if (mask)
		asm volatile("xsave64 (%0)"
			     : : "r"(hostile_xstate), "a"((uint32_t)mask),
			       "d"((uint32_t)(mask >> 32)) : "memory");
	else
		asm volatile("fxsave64 (%0)" : : "r"(hostile_xstate)
			     : "memory");
}

static void xstate_restore(uint64_t mask)
{
	if (mask)
		asm volatile("xrstor64 (%0)"
			     : : "r"(hostile_xstate), "a"((uint32_t)mask),
			       "d"((uint32_t)(mask >> 32)) : "memory");
	else
		asm volatile("fxrstor64 (%0)" : : "r"(hostile_xstate)
			     : "memory");
}

/* Offset and size of state component @i in the standard format. */
static void xstate_component(unsigned int i, uint32_t *off, uint32_t *size)
{
	uint32_t c, d;

	cpuid(0xd, i, size, off, &c, &d);
}

static unsigned int state_dirty;

/* "state_unchecked=NAME": a register an emulator cannot show clean. */
static bool state_unchecked(const char *name)
{
	const char *v;
	size_t len;

	return cmdline_find(inmate_cmdline, "state_unchecked", &v, &len) &&
	       len == strlen(name) && !strncmp(v, name, len);
}

static void state_expect(const char *name, uint64_t val, uint64_t clean)
{
	if (val == clean)
		return;
	if (state_unchecked(name)) {
		printk("hostile: state: %s=0x%lx (not checked)\n", name, val);
		return;
	}
	printk("hostile: state DIRTY %s=0x%lx\n", name, val);
	state_dirty++;
}

/* @len bytes at @p must read 0: report the first non-zero qword. */
static void state_expect_zero(const char *name, unsigned int n,
			      const uint8_t *p, unsigned int len)
{
	uint64_t q;
	unsigned int i;

	for (i = 0; i < len; i += 8) {
		q = 0;
		memcpy(&q, p + i, len - i < 8 ? len - i : 8);
		if (!q)
			continue;
		printk("hostile: state DIRTY %s%u=0x%lx (at byte %u)\n", name,
		       n, q, i);
		state_dirty++;
		return;
	}
}

/* The legacy region: x87 and SSE, each only where XSAVE saw it in use. */
static void state_check_legacy(bool x87, bool sse)
{
	const uint8_t *a = hostile_xstate;
	unsigned int i;

	state_expect("MXCSR", *(const uint32_t *)(a + 24), MXCSR_INIT);
	if (x87) {
		state_expect("FCW", *(const uint16_t *)a, FCW_INIT);
		state_expect("FSW", *(const uint16_t *)(a + 2), 0);
		state_expect("FTW", a[4], 0);
		state_expect("FOP", *(const uint16_t *)(a + 6), 0);
		state_expect("FIP", *(const uint64_t *)(a + 8), 0);
		state_expect("FDP", *(const uint64_t *)(a + 16), 0);
		for (i = 0; i < 8; i++)		/* 80 bits of 128 */
			state_expect_zero("st", i, a + 32 + 16 * i, 10);
	}
	if (sse)
		for (i = 0; i < 16; i++)
			state_expect_zero("xmm", i, a + 160 + 16 * i, 16);
}

/* Components 2 and up (AVX, MPX, AVX-512, PKRU, ...): all zero at init. */
static void state_check_extended(uint64_t mask, uint64_t in_use)
{
	uint32_t off, size;
	unsigned int i;

	for (i = 2; i < 64; i++) {
		if (!(mask & in_use & (1ULL << i)))
			continue;
		xstate_component(i, &off, &size);
		if (off + size > XSTATE_AREA_SIZE)
			panic("hostile: XSAVE component %u beyond the area\n", i);
		state_expect_zero("xstate", i, hostile_xstate + off, size);
	}
}

struct state_msr {
	uint32_t msr;
	const char *name;
	uint64_t clean;
	uint64_t dirty;		/* what "dirty" writes */
};

static const struct state_msr state_msrs[] = {
	{ MSR_STAR, "STAR", 0, DIRTY_PATTERN },
	{ MSR_LSTAR, "LSTAR", 0, DIRTY_ADDR },
	{ MSR_CSTAR, "CSTAR", 0, DIRTY_ADDR + 0x100 },
	{ MSR_SFMASK, "SFMASK", 0, 0x4700 },
	{ MSR_KERNEL_GS_BASE, "KERNEL_GS_BASE", 0, DIRTY_ADDR + 0x200 },
	{ MSR_SYSENTER_CS, "SYSENTER_CS", 0, 0xc310 },
	{ MSR_SYSENTER_ESP, "SYSENTER_ESP", 0, DIRTY_ADDR + 0x300 },
	{ MSR_SYSENTER_EIP, "SYSENTER_EIP", 0, DIRTY_ADDR + 0x400 },
	{ MSR_TSC_AUX, "TSC_AUX", 0, 0xc311c311 },
	{ MSR_TSC_DEADLINE, "TSC_DEADLINE", 0, 0 },	/* see hostile_dirty */
	{ MSR_PAT, "PAT", PAT_RESET, 0x0000000600000006ULL },	/* 3: UC */
	{ MSR_EFER, "EFER", EFER_LME | EFER_LMA,
	  EFER_LME | EFER_LMA | EFER_SCE | EFER_NXE },
};

/* Listed MSRs that not every CPU has: reading a missing one faults. */
static bool state_msr_exists(uint32_t msr)
{
	if (msr == MSR_TSC_AUX)
		return cpu_has(0x80000001, 3, CPUIDX1_EDX_RDTSCP);
	if (msr == MSR_TSC_DEADLINE)
		return cpu_has(1, 2, CPUID1_ECX_DEADLINE);
	return true;
}

static struct {
	uint64_t dr[8], msr[ARRAY_SIZE(state_msrs)], cr2, xcr0, mask, in_use;
} state;

/*
 * Everything is read before the first line is printed: the console is
 * port I/O, and an exit must not be what cleans (or dirties) it.
 */
static void hostile_state_read(void)
{
	unsigned int i;

	state.dr[0] = read_dr(0);
	state.dr[1] = read_dr(1);
	state.dr[2] = read_dr(2);
	state.dr[3] = read_dr(3);
	state.dr[6] = read_dr(6);
	state.dr[7] = read_dr(7);
	state.cr2 = read_cr(2);
	for (i = 0; i < ARRAY_SIZE(state_msrs); i++)
		state.msr[i] = state_msr_exists(state_msrs[i].msr) ?
			       rdmsr(state_msrs[i].msr) : state_msrs[i].clean;
	state.mask = xstate_enable(&state.xcr0);
	xstate_save(state.mask);
	state.in_use = state.mask ? *(uint64_t *)(hostile_xstate + 512) :
				    ~0ULL;
}

static void hostile_state_report(void)
{
	const char *const dr_names[4] = { "DR0", "DR1", "DR2", "DR3" };
	unsigned int i;

	printk("hostile: state: XCR0 0x%lx, XSAVE mask 0x%lx, in use 0x%lx\n",
	       state.xcr0, state.mask, state.mask ? state.in_use : 0);
	for (i = 0; i < ARRAY_SIZE(state_msrs); i++)
		if (!state_msr_exists(state_msrs[i].msr))
			printk("hostile: state: no %s on this CPU\n",
			       state_msrs[i].name);
	for (i = 0; i < 4; i++)
		state_expect(dr_names[i], state.dr[i], 0);
	state_expect("DR6", state.dr[6], DR6_RESET);
	state_expect("DR7", state.dr[7], DR7_RESET);
	state_expect("CR2", state.cr2, 0);
	for (i = 0; i < ARRAY_SIZE(state_msrs); i++)
		state_expect(state_msrs[i].name, state.msr[i],
			     state_msrs[i].clean);
	state_expect("XCR0", state.xcr0, 1);
	state_check_legacy(state.in_use & XSTATE_X87,
			   state.in_use & XSTATE_SSE);
	if (state.mask)
		state_check_extended(state.mask, state.in_use);
	if (state_dirty)
		printk("hostile: state DIRTY: %u registers\n", state_dirty);
	else
		printk("hostile: state clean\n");
}

/* Patterns in every x87, SSE and extended register XRSTOR can load. */
static void dirty_xstate(uint64_t mask)
{
	uint8_t *a = hostile_xstate;
	uint64_t bv = mask & ~XSTATE_BNDCSR;	/* its reserved bits #GP */
	uint32_t off, size;
	unsigned int i;

	memset(a, 0, sizeof(hostile_xstate));
	*(uint16_t *)a = 0x027f;		/* 53-bit precision */
	a[4] = 0xff;				/* all eight valid */
	*(uint32_t *)(a + 24) = MXCSR_INIT | 0x8000;	/* flush to zero */
	for (i = 0; i < 8; i++)
		memset(a + 32 + 16 * i, 0x31 + i, 10);
	memset(a + 160, 0xc3, 256);
	for (i = 2; mask && i < 64; i++) {
		if (!(bv & (1ULL << i)))
			continue;
		xstate_component(i, &off, &size);
		memset(a + off, 0xc3, size);
	}
	if (mask)
		*(uint64_t *)(a + 512) = bv;		/* XSTATE_BV */
	xstate_restore(mask);
}

static void hostile_dirty(void)
{
	uint64_t xcr0, mask = xstate_enable(&xcr0);
	unsigned int i;

	dirty_xstate(mask);
	write_dr(0, DIRTY_ADDR);
	write_dr(1, DIRTY_ADDR + 8);
	write_dr(2, DIRTY_ADDR + 16);
	write_dr(3, DIRTY_ADDR + 24);
	write_dr(6, DR6_RESET | 1);		/* B0: "breakpoint 0 hit" */
	write_dr(7, DR7_RESET | DR7_LE);	/* no breakpoint enabled */
	asm volatile("mov %0, %%cr2" : : "r"(DIRTY_PATTERN));
	for (i = 0; i < ARRAY_SIZE(state_msrs); i++)
		if (state_msrs[i].dirty && state_msr_exists(state_msrs[i].msr))
			wrmsr(state_msrs[i].msr, state_msrs[i].dirty);
	/* TSC_DEADLINE keeps a value only in deadline mode: far away. */
	if (state_msr_exists(MSR_TSC_DEADLINE)) {
		hostile_apic_init();
		apic_timer_deadline(rdtsc() + (1ULL << 62), APIC_TIMER_VECTOR);
	}
	printk("hostile: state dirtied (XCR0 0x%lx, TSC_DEADLINE 0x%lx)\n",
	       mask ? xgetbv0() : 1,
	       state_msr_exists(MSR_TSC_DEADLINE) ? rdmsr(MSR_TSC_DEADLINE) :
						    0);
}

static void __noreturn hostile_triple(void)
{
	struct __packed {
		uint16_t limit;
		uint64_t base;
	} empty = { 0, 0 };

	printk("hostile: triple fault\n");
	asm volatile("lidt %0; int3" : : "m"(empty));
	printk("hostile: SURVIVED triple\n");
	inmate_halt();
}

void inmate_main(void)
{
	long long v;

	/* First: nothing of the inmate's may touch what it reads. */
	if (cmdline_parse_bool(inmate_cmdline, "state"))
		hostile_state_read();
	if (hostile_arg("run", &v))
		printk("hostile: run %lld\n", v);
	if (cmdline_parse_bool(inmate_cmdline, "state"))
		hostile_state_report();
	if (cmdline_parse_bool(inmate_cmdline, "dirty"))
		hostile_dirty();
	if (hostile_arg("mem", &v))
		hostile_mem(v);
	if (hostile_arg("mem_write", &v))
		hostile_mem_write(v);
	if (hostile_arg("pio", &v))
		hostile_pio(v);
	if (hostile_arg("msr", &v))
		hostile_msr(v);
	if (hostile_arg("msr_read", &v))
		hostile_msr_read(v);
	hostile_ipi();
	hostile_apic_reg();
	hostile_apic_width();
	hostile_apic_forms();
	hostile_icr();
	hostile_apic_base();
	if (cmdline_parse_bool(inmate_cmdline, "invd"))
		hostile_cache(true);
	if (cmdline_parse_bool(inmate_cmdline, "wbinvd"))
		hostile_cache(false);
	if (cmdline_parse_bool(inmate_cmdline, "rdpmc"))
		hostile_rdpmc();
	if (cmdline_parse_bool(inmate_cmdline, "virt"))
		hostile_virt();
	if (cmdline_parse_bool(inmate_cmdline, "cpuid"))
		hostile_cpuid();
	if (hostile_arg("hc", &v)) {
		printk("hostile: hypercall %lld\n", v);
		printk("hostile: hypercall %lld returned %lld\n", v,
		       cellvisor_hypercall(v, 0, 0));
	}
	if (cmdline_parse_bool(inmate_cmdline, "triple"))
		hostile_triple();
	if (hostile_arg("exit", &v)) {
		printk("hostile: exiting with status %lld\n", v);
		inmate_exit(v);
	}
	if (cmdline_parse_bool(inmate_cmdline, "spin")) {
		printk("hostile: spinning\n");
		irq_disable();
		for (;;)
			cpu_relax();
	}
	printk("hostile: done, halting\n");
}
