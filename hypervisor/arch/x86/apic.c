// SPDX-License-Identifier: GPL-2.0
/* Physical memory window and local APIC access for cell management (x86). */
#include <hv/cell.h>
#include <hv/paging.h>
#include <hv/setup.h>
#include <hv/spinlock.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define PHYS_WINDOW_SIZE	(64ULL << 30)
#define MSR_APIC_BASE		0x1b
#define APIC_BASE_X2APIC	BIT(10)
#define APIC_BASE_ADDR_MASK	0xffffff000ULL
#define MSR_X2APIC_ICR		0x830
#define XAPIC_ICR_LO		0x300
#define XAPIC_ICR_HI		0x310
#define APIC_DM_NMI		(4 << 8)
#define APIC_ICR_BUSY		BIT(12)

static u64 window_base;
static volatile u32 *xapic;
static spinlock_t window_lock;

/*
 * Physical memory, mapped once into the host page tables in the top-level
 * slot after ours: the hypervisor reads configs and guest instructions and
 * clears cell memory through it.  Linux never sees these tables.
 */
int phys_window_init(void)
{
	unsigned int top = host_paging.levels == 5 ? 48 : 39;
	u64 base = ((hv.region_virt >> top) + 1) << top;
	u64 apic_pa = rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK;
	int err = 0;

	if (READ_ONCE(window_base))
		return 0;
	spin_lock(&window_lock);
	if (!window_base) {
		err = paging_map(&host_paging, base, 0, PHYS_WINDOW_SIZE,
				 PTE_P | PTE_RW | PTE_NX);
		/* The APIC page uncached, right after the window. */
		if (!err)
			err = paging_map(&host_paging, base + PHYS_WINDOW_SIZE,
					 apic_pa, PAGE_SIZE, PTE_P | PTE_RW |
					 PTE_NX | PTE_PCD | PTE_PWT);
		if (!err) {
			xapic = (volatile u32 *)(base + PHYS_WINDOW_SIZE);
			WRITE_ONCE(window_base, base);
		}
	}
	spin_unlock(&window_lock);
	return err;
}

void *phys_ptr(u64 pa)
{
	if (!window_base || pa >= PHYS_WINDOW_SIZE)
		return NULL;
	return (void *)(window_base + pa);
}

static bool x2apic_on(void)
{
	return rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC;
}

u32 apic_this_id(void)
{
	u32 a, b, c, d;

	if (x2apic_on()) {
		cpuid(0xb, 0, &a, &b, &c, &d);
		return d;
	}
	cpuid(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

/* NMIs reach a CPU whatever it runs; cell CPUs intercept them. */
void apic_send_nmi(u32 apic_id)
{
	if (x2apic_on()) {
		wrmsr(MSR_X2APIC_ICR, ((u64)apic_id << 32) | APIC_DM_NMI);
		return;
	}
	if (!xapic)
		return;
	while (xapic[XAPIC_ICR_LO / 4] & APIC_ICR_BUSY)
		cpu_relax();
	xapic[XAPIC_ICR_HI / 4] = apic_id << 24;
	xapic[XAPIC_ICR_LO / 4] = APIC_DM_NMI;
}
