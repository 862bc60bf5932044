/* SPDX-License-Identifier: GPL-2.0 */
/* x86 register, MSR, CPUID and port access helpers. */
#ifndef _HV_ASM_PROCESSOR_H
#define _HV_ASM_PROCESSOR_H

#include <hv/types.h>

#define X86_CR0_PE		BIT(0)
#define X86_CR0_TS		BIT(3)
#define X86_CR0_ET		BIT(4)
#define X86_CR0_NE		BIT(5)
#define X86_CR0_WP		BIT(16)
#define X86_CR0_PG		BIT(31)
#define X86_CR4_PAE		BIT(5)
#define X86_CR4_PGE		BIT(7)
#define X86_CR4_VMXE		BIT(13)
#define X86_CR4_PCIDE		BIT(17)
#define X86_CR4_LA57		BIT(12)
#define X86_RFLAGS_IF		BIT(9)

#define MSR_IA32_PAT		0x00000277
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117

#define EFER_LME		BIT(8)
#define EFER_LMA		BIT(10)
#define EFER_NXE		BIT(11)
#define EFER_SVME		BIT(12)

#define VM_CR_SVMDIS		BIT(4)

/* Saved general-purpose registers of a guest, in push order of the stubs. */
struct registers {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rdi, rsi, rbp, rsp_unused, rbx, rdx, rcx, rax;
};

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	asm volatile("wrmsr"
		     : : "c" (msr), "a" ((u32)val), "d" ((u32)(val >> 32))
		     : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return ((u64)hi << 32) | lo;
}

static inline void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid"
		     : "=a" (*a), "=b" (*b), "=c" (*c), "=d" (*d)
		     : "a" (leaf), "c" (sub));
}

#define DEFINE_CR_ACCESS(n)						\
static inline u64 read_cr##n(void)					\
{									\
	u64 v;								\
	asm volatile("mov %%cr" #n ", %0" : "=r" (v));			\
	return v;							\
}									\
static inline void write_cr##n(u64 v)					\
{									\
	asm volatile("mov %0, %%cr" #n : : "r" (v) : "memory");	\
}
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)

static inline u64 read_dr7(void)
{
	u64 v;

	asm volatile("mov %%dr7, %0" : "=r" (v));
	return v;
}

static inline u64 read_dr6(void)
{
	u64 v;

	asm volatile("mov %%dr6, %0" : "=r" (v));
	return v;
}

static inline u64 read_rflags(void)
{
	u64 v;

	asm volatile("pushfq; pop %0" : "=r" (v));
	return v;
}

static inline u16 read_seg(int which)
{
	u16 v = 0;

	switch (which) {
	case 0: asm volatile("mov %%es, %0" : "=r" (v)); break;
	case 1: asm volatile("mov %%cs, %0" : "=r" (v)); break;
	case 2: asm volatile("mov %%ss, %0" : "=r" (v)); break;
	case 3: asm volatile("mov %%ds, %0" : "=r" (v)); break;
	case 4: asm volatile("mov %%fs, %0" : "=r" (v)); break;
	case 5: asm volatile("mov %%gs, %0" : "=r" (v)); break;
	}
	return v;
}

static inline void read_gdtr(struct desc_ptr *d)
{
	asm volatile("sgdt %0" : "=m" (*d));
}

static inline void read_idtr(struct desc_ptr *d)
{
	asm volatile("sidt %0" : "=m" (*d));
}

static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a" (v), "Nd" (port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline void outw(u16 port, u16 v)
{
	asm volatile("outw %0, %1" : : "a" (v), "Nd" (port));
}

static inline u16 inw(u16 port)
{
	u16 v;

	asm volatile("inw %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a" (v), "Nd" (port));
}

static inline u32 inl(u16 port)
{
	u32 v;

	asm volatile("inl %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline __noreturn void halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

#endif
