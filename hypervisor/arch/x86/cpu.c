// SPDX-License-Identifier: GPL-2.0
/* x86 common: vendor dispatch, host GDT/TSS/IDT, host page tables, faults. */
#include <string.h>
#include <hv/arch.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <asm/vcpu.h>

#define IDT_VECTORS		32
#define NMI_VECTOR		2
#define DF_VECTOR		8
#define MC_VECTOR		18
#define IST_NMI			1
#define IST_FAULT		2

struct idt_gate {
	u16 offset0;
	u16 selector;
	u8 ist;
	u8 type;
	u16 offset1;
	u32 offset2;
	u32 reserved;
} __packed;

struct exception_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rdi, rsi, rbp, rbx, rdx, rcx, rax;
	u64 vector, error, rip, cs, rflags, rsp, ss;
};

struct paging host_paging;
static u64 *leave_root;
static struct idt_gate host_idt[IDT_VECTORS] __aligned(16);
static const struct vcpu_ops *vcpu;

extern const u8 exception_stubs[];
extern const u8 nmi_entry[];

enum x86_vendor x86_cpu_vendor(void)
{
	u32 a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	if (b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163)
		return X86_VENDOR_AMD;		/* AuthenticAMD */
	if (b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e)
		return X86_VENDOR_INTEL;	/* GenuineIntel */
	return X86_VENDOR_UNKNOWN;
}

void x86_exception(struct exception_frame *f);
void x86_exception(struct exception_frame *f)
{
	pr_err("FATAL: hypervisor exception %lu, error 0x%lx, RIP 0x%lx "
	       "(image+0x%lx), RSP 0x%lx, CR2 0x%lx\n", f->vector, f->error,
	       f->rip, f->rip - hv.region_virt, f->rsp, read_cr2());
	pr_err("RAX 0x%lx RBX 0x%lx RCX 0x%lx RDX 0x%lx RSI 0x%lx RDI 0x%lx\n",
	       f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi);
	pr_err("CPU halted\n");
}

static void set_gate(unsigned int v, const void *handler, u8 ist)
{
	u64 addr = (u64)handler;

	host_idt[v] = (struct idt_gate) {
		.offset0 = addr & 0xffff,
		.selector = GDT_SEL_CODE,
		.ist = ist,
		.type = 0x8e,	/* present, DPL 0, 64-bit interrupt gate */
		.offset1 = (addr >> 16) & 0xffff,
		.offset2 = addr >> 32,
	};
}

static void build_idt(void)
{
	unsigned int v;

	for (v = 0; v < IDT_VECTORS; v++)
		set_gate(v, exception_stubs + 16 * v,
			 v == DF_VECTOR || v == MC_VECTOR ? IST_FAULT : 0);
	set_gate(NMI_VECTOR, nmi_entry, IST_NMI);
}

int x86_host_paging_init(void)
{
	bool la57 = read_cr4() & X86_CR4_LA57;
	u32 a, b, c, d;
	int err;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	err = paging_init(&host_paging, la57 ? 5 : 4, PTE_P | PTE_RW,
			  d & BIT(26));
	if (err)
		return err;
	/* Same address as in the entry tables, so CR3 can switch under us. */
	err = paging_map(&host_paging, hv.region_virt, hv.region_phys,
			 hv.region_size, PTE_P | PTE_RW);
	if (err)
		return err;
	return x86_leave_paging_init();
}

/*
 * Page tables for the way back to Linux: Linux's kernel half (its
 * top-level kernel entries never change after boot) plus our own slot, so
 * the last steps can write to Linux's stack and jump into the driver.
 * Built from the driver's entry tables while they are still valid.
 */
int x86_leave_paging_init(void)
{
	unsigned int slot, top = host_paging.levels == 5 ? 48 : 39;
	unsigned int hv_slot = (hv.region_virt >> top) & 511;

	leave_root = page_alloc();
	if (!leave_root)
		return -ENOMEM;
	for (slot = 256; slot < 512; slot++)
		leave_root[slot] = hv.entry_root[slot];
	leave_root[hv_slot] = host_paging.root[hv_slot];
	return 0;
}

u64 x86_host_idt(void)
{
	return (u64)host_idt;
}

u64 x86_leave_cr3(void)
{
	return hv_pa(leave_root);
}

int arch_global_init(void)
{
	int err;

	switch (x86_cpu_vendor()) {
	case X86_VENDOR_AMD:
		vcpu = &vcpu_svm_ops;
		break;
	case X86_VENDOR_INTEL:
		vcpu = &vcpu_vmx_ops;
		break;
	default:
		pr_err("unknown CPU vendor\n");
		return -ENODEV;
	}
	build_idt();
	err = x86_host_paging_init();
	if (err) {
		pr_err("host page tables: %d\n", err);
		return err;
	}
	return vcpu->global_init();
}

static void build_gdt(struct per_cpu *pc)
{
	struct arch_per_cpu *a = &pc->arch;
	u64 tss = (u64)&a->tss;
	u64 limit = sizeof(a->tss) - 1;

	a->gdt[0] = 0;
	a->gdt[1] = 0x00af9b000000ffffULL;	/* 64-bit code, DPL 0 */
	a->gdt[2] = 0x00cf93000000ffffULL;	/* data, DPL 0 */
	a->gdt[3] = (limit & 0xffff) | ((tss & 0xffffff) << 16) |
		    (0x89ULL << 40) | (((tss >> 24) & 0xff) << 56);
	a->gdt[4] = tss >> 32;
	memset(&a->tss, 0, sizeof(a->tss));
	a->tss.ist[IST_NMI - 1] = (u64)pc->arch_pages.nmi_stack + PAGE_SIZE;
	a->tss.ist[IST_FAULT - 1] = (u64)pc->arch_pages.fault_stack + PAGE_SIZE;
	a->tss.iomap_base = sizeof(a->tss);
}

int arch_cpu_init(struct per_cpu *pc)
{
	read_gdtr(&pc->arch.linux_gdtr);
	read_idtr(&pc->arch.linux_idtr);
	build_gdt(pc);
	return vcpu->cpu_init(pc);
}

void arch_cpu_undo(struct per_cpu *pc)
{
	if (vcpu)
		vcpu->cpu_undo(pc);
}

__noreturn void arch_cpu_activate(struct per_cpu *pc)
{
	vcpu->activate(pc);
}

/*
 * Leave Linux's page tables and descriptor tables for our own.  The code
 * and stack sit at the same virtual address in both page tables, so
 * execution continues across the CR3 write.
 */
void x86_switch_to_host(struct per_cpu *pc)
{
	struct desc_ptr gdtr = {
		.limit = sizeof(pc->arch.gdt) - 1,
		.base = (u64)pc->arch.gdt,
	};
	struct desc_ptr idtr = {
		.limit = sizeof(host_idt) - 1,
		.base = (u64)host_idt,
	};

	write_cr3(hv_pa(host_paging.root));
	asm volatile("lgdt %0" : : "m" (gdtr));
	asm volatile("pushq %0\n\t"
		     "lea 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\n\t"
		     "mov %1, %%ss\n\t"
		     "mov %1, %%ds\n\t"
		     "mov %1, %%es"
		     : : "i" (GDT_SEL_CODE), "r" (GDT_SEL_DATA) : "rax", "memory");
	asm volatile("ltr %w0" : : "r" (GDT_SEL_TSS));
	asm volatile("lldt %w0" : : "r" (0));
	asm volatile("lidt %0" : : "m" (idtr));
	wrmsr(MSR_FS_BASE, (u64)pc);
}

/* VMCB-style attributes (type, S, DPL, P, AVL, L, D/B, G) of a GDT entry. */
void x86_capture_segment(u16 sel, u16 *attrib, u32 *limit, u64 *base)
{
	struct desc_ptr gdtr;
	u64 desc;

	*attrib = 0;
	*limit = 0;
	*base = 0;
	read_gdtr(&gdtr);
	if (!(sel & ~3) || (sel & 4) || (sel | 7) > gdtr.limit)
		return;
	desc = *(u64 *)(gdtr.base + (sel & ~7));
	*attrib = ((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8);
	*limit = (desc & 0xffff) | (((desc >> 48) & 0xf) << 16);
	if (desc & BIT_ULL(55))
		*limit = (*limit << 12) | 0xfff;
	*base = ((desc >> 16) & 0xffffff) | (((desc >> 56) & 0xff) << 24);
	/* System descriptors (TSS, LDT) are 16 bytes in long mode. */
	if (!(desc & BIT_ULL(44)))
		*base |= *(u64 *)(gdtr.base + (sel & ~7) + 8) << 32;
}
