/* SPDX-License-Identifier: GPL-2.0 */
/* Interface of the Cellvisor inmate library: console, timers, CPUs. */
#ifndef INMATE_H
#define INMATE_H

/* Fixed guest-physical layout shared with the loader (see inmate-guide.md). */
#define INMATE_CMDLINE_ADDR	0x1000
#define INMATE_CMDLINE_SIZE	0x1000

#define INMATE_MAX_CPUS		8
#define INMATE_STACK_SIZE	0x4000

#ifndef INMATE_CONSOLE_PORT
#define INMATE_CONSOLE_PORT	0x3f8
#endif

#ifndef __ASSEMBLER__

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cellvisor/types.h>	/* negative errno values, shared with the ABI */
#include <cellvisor/cell.h>	/* the comm page */

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __noreturn	__attribute__((noreturn))
#define __packed	__attribute__((packed))
#define __aligned(n)	__attribute__((aligned(n)))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Provided by the inmate; called on the boot CPU in 64-bit mode. */
void inmate_main(void);

/* format.c: freestanding snprintf subset, also built for host unit tests. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* cmdline.c: "name=value" lookups in the loader-provided command line. */
extern char inmate_cmdline[INMATE_CMDLINE_SIZE];
/*
 * Set when a loader entered at multiboot_entry (32-bit protected mode):
 * EAX, EBX, EFLAGS and CR0 as it left them; 0 after the real-mode entry.
 */
extern uint32_t boot_loader_magic, boot_loader_info;
extern uint32_t boot_loader_eflags, boot_loader_cr0;
bool cmdline_find(const char *cmdline, const char *name, const char **value,
		  size_t *len);
long long cmdline_parse_int(const char *cmdline, const char *name,
			    long long def);
bool cmdline_parse_bool(const char *cmdline, const char *name);

/* printk.c / serial.c */
void serial_init(uint16_t port);
void serial_putc(char c);
void console_write(const char *s, size_t len);
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

/* halt.c */
void __noreturn inmate_halt(void);
void __noreturn panic(const char *fmt, ...) __printf(1, 2);

/*
 * hypervisor/string.c, shared with the hypervisor: what the compiler may
 * call on its own, plus a few helpers.
 */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/* Interrupts (x86/int.c). The frame layout matches x86/int_entry.S. */
struct int_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

typedef void (*int_handler_t)(struct int_frame *frame);

void int_init(void);
void int_set_handler(unsigned int vector, int_handler_t handler);

/* x86/apic.c: local APIC in x2APIC (MSR) or xAPIC (MMIO) mode. */
#define APIC_TIMER_VECTOR	0x20
#define APIC_SPURIOUS_VECTOR	0xff

int apic_init(void);
bool apic_is_x2apic(void);
uint32_t apic_id(void);
uint32_t apic_reg_read(unsigned int reg);
void apic_reg_write(unsigned int reg, uint32_t val);
void apic_eoi(void);
void apic_send_ipi(uint32_t dest, uint32_t icr_low);
bool apic_has_tsc_deadline(void);
void apic_timer_oneshot(uint32_t ticks, unsigned int vector);
void apic_timer_periodic(uint32_t ticks, unsigned int vector);
void apic_timer_deadline(uint64_t tsc, unsigned int vector);
void apic_timer_free_run(void);
void apic_timer_stop(void);
uint32_t apic_timer_count(void);

/* x86/timing.c: TSC and APIC timer frequencies, delays. */
enum tsc_source {
	TSC_SRC_NONE,
	TSC_SRC_CMDLINE,	/* tsc_khz= */
	TSC_SRC_PIT,		/* measured against PIT channel 2 ("pit") */
	TSC_SRC_CPUID15,	/* crystal ratio, CPUID leaf 0x15 */
	TSC_SRC_CPUID16,	/* nominal base frequency, CPUID leaf 0x16 */
	TSC_SRC_COMM,		/* the comm page (config's, else Linux's) */
	TSC_SRC_HYPERVISOR,	/* CELLVISOR_INFO_TSC_KHZ: the same, asked */
};

uint64_t tsc_khz(void);
enum tsc_source tsc_khz_source(void);
const char *tsc_source_name(enum tsc_source src);
/* The PC's 8254 channel 2 and port B, as pit_measure_tsc_khz() uses them. */
#define PIT_HZ			1193182U
#define PIT_CH2_DATA		0x42
#define PIT_MODE		0x43
#define PIT_MODE_CH2_ONESHOT	0xb0	/* channel 2, lo/hi byte, mode 0 */
#define PORT_B			0x61
#define PORT_B_GATE2		0x01
#define PORT_B_SPEAKER		0x02
#define PORT_B_OUT2		0x20
#define PIT_LATCH_CH2		0x80	/* counter latch command, channel 2 */
uint64_t pit_measure_tsc_khz(unsigned int ms);
uint64_t apic_timer_khz(void);
uint64_t tsc_to_ns(uint64_t ticks);
uint64_t ns_to_tsc(uint64_t ns);
void udelay(uint64_t us);

/*
 * comm.c: the hypervisor's comm page, at "comm_page=ADDR" (the guest
 * address of the cell's comm-page region); NULL or 0 without one.
 */
struct cellvisor_comm_page *comm_page(void);
bool comm_shutdown_requested(void);
bool comm_shutdown_reply(bool agree);
void __noreturn comm_wait_for_shutdown(void);
uint32_t comm_tsc_khz(void);
uint32_t comm_apic_khz(void);
uint32_t comm_num_cpus(void);

/* x86/smp.c: other CPUs of the cell; CPU number = stack slot, boot CPU 0 */
unsigned int smp_start_cpus(void (*ap_main)(unsigned int cpu),
			    unsigned int expected, unsigned int timeout_ms);
unsigned int smp_this_cpu(void);

/*
 * x86/pci.c: config space through ports 0xcf8/0xcfc, or ECAM when
 * "pci_mmcfg=ADDR" is on the command line; bdf = bus:8 dev:5 fn:3.
 */
#define PCI_BDF(b, d, f)	((uint16_t)((b) << 8 | (d) << 3 | (f)))
#define PCI_BUS(bdf)		((bdf) >> 8)
#define PCI_DEV(bdf)		(((bdf) >> 3) & 0x1f)
#define PCI_FN(bdf)		((bdf) & 7)
#define PCI_CMD_IO		(1U << 0)
#define PCI_CMD_MEM		(1U << 1)
#define PCI_CMD_MASTER		(1U << 2)
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_MSIX		0x11

uint32_t pci_read_config(uint16_t bdf, unsigned int reg, unsigned int size);
void pci_write_config(uint16_t bdf, unsigned int reg, uint32_t val,
		      unsigned int size);
int pci_next_device(int from);
int pci_find_device(uint16_t vendor, uint16_t device, int from);
uint32_t pci_class_rev(uint16_t bdf);
unsigned int pci_find_cap(uint16_t bdf, uint8_t id);
uint64_t pci_bar_address(uint16_t bdf, unsigned int n);
void pci_enable(uint16_t bdf, uint16_t command_bits);
int pci_msi_enable(uint16_t bdf, uint32_t apic_id, unsigned int vector);
void pci_msi_disable(uint16_t bdf);
/*
 * MSI-X: the table's entries (@entries: how many) at the address its
 * BAR decodes (guest == phys for a cell's BARs), NULL without MSI-X.
 * pci_msix_set() programs entry @entry with a raw message, masked first
 * and unmasked last; pci_msix_route() with fixed, edge @vector to the
 * CPU with APIC ID @apic_id (physical).  pci_msix_enable() turns MSI-X
 * on with the function unmasked; entries left masked stay silent.
 */
volatile uint32_t *pci_msix_table(uint16_t bdf, unsigned int *entries);
int pci_msix_set(uint16_t bdf, unsigned int entry, uint64_t addr,
		 uint32_t data);
int pci_msix_route(uint16_t bdf, unsigned int entry, uint32_t apic_id,
		   unsigned int vector);
int pci_msix_enable(uint16_t bdf);
void pci_msix_disable(uint16_t bdf);
uint64_t pci_mmcfg_base(void);

/* x86/hypervisor.c: recognise Cellvisor and call it. */
/* Ends the cell with STATUS (CELLVISOR_EXIT_PORT); halts without Cellvisor. */
void __noreturn inmate_exit(uint32_t status);
bool cellvisor_present(void);
long long cellvisor_hypercall(uint64_t nr, uint64_t arg0, uint64_t arg1);
long long cellvisor_info(uint64_t what);

/* CPU helpers. */
static inline void outb(uint16_t port, uint8_t val)
{
	asm volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t val;

	asm volatile("inb %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static inline void outw(uint16_t port, uint16_t val)
{
	asm volatile("outw %0, %1" : : "a"(val), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t val;

	asm volatile("inw %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static inline void outl(uint16_t port, uint32_t val)
{
	asm volatile("outl %0, %1" : : "a"(val), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t val;

	asm volatile("inl %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static inline void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *eax,
			 uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
	asm volatile("cpuid"
		     : "=a"(*eax), "=b"(*ebx), "=c"(*ecx), "=d"(*edx)
		     : "a"(leaf), "c"(subleaf));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr"
		     : : "c"(msr), "a"((uint32_t)val),
		       "d"((uint32_t)(val >> 32))
		     : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

static inline void irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

/* Enable interrupts and halt atomically (STI shadow), for idle loops. */
static inline void irq_enable_and_halt(void)
{
	asm volatile("sti; hlt" : : : "memory");
}

static inline void irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

#define read_cr(n) ({							\
	uint64_t __v;							\
	asm volatile("mov %%cr" #n ", %0" : "=r"(__v));			\
	__v;								\
})

/* Minimal spinlock so that several CPUs can share the console later. */
struct spinlock {
	volatile uint32_t locked;
};

static inline void spin_lock(struct spinlock *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (lock->locked)
			cpu_relax();
}

static inline void spin_unlock(struct spinlock *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

#endif /* !__ASSEMBLER__ */
#endif /* INMATE_H */
