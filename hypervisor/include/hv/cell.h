/* SPDX-License-Identifier: GPL-2.0 */
/* Cells, the root (cell 0) included: state, CPUs, memory, device models. */
#ifndef _HV_CELL_H
#define _HV_CELL_H

#include <hv/devmodel.h>
#include <hv/percpu.h>
#include <hv/spinlock.h>
#include <cellvisor/cell.h>
#include <cellvisor/header.h>

#include "../../config.h"

#define CELL_MAX		8
#define CELL_MAX_CPUS		CFG_MAX_CELL_CPUS	/* per cell (the ABI's) */

/*
 * A cell.  The root is one too, root_cell (id 0, not in the cells'
 * slots): Linux, with the CPUs no cell has (cfg.cpus), the root
 * config's memory and ports (cfg), its vendor part (arch: NPT or EPT,
 * I/O and MSR bitmaps) and its device-model table (devs).  Its n_cpus
 * and cpu[] stay empty: it may have more CPUs than a cell may.
 */
struct cell {
	u32 id;				/* 1..CELL_MAX; 0: free or root */
	volatile u32 state;		/* CELLVISOR_CELL_* */
	struct cfg_cell cfg;
	unsigned int n_cpus;
	unsigned int cpu[CELL_MAX_CPUS];	/* cpu_index, ascending */
	struct cellvisor_comm_page *comm;
	u64 comm_guest;
	char reason[CELLVISOR_CELL_REASON_LEN];
	u32 fail_cpu;
	/* Shutdown handshake over several hypercalls (cell_stop_handshake). */
	bool stop_asked, stop_agreed;
	u64 stop_asked_tsc;
	unsigned int stop_polls;
	/* CPUs (by index in cpu[]) already reported stuck: say it once. */
	u32 stuck_said;
	u64 exits[CELL_MAX_CPUS][CELLVISOR_EXIT_REASONS];
	/* How the first CPU starts; mode REAL at cfg.entry unless loaded. */
	struct cellvisor_start_state start;
	void *arch;			/* vendor part (NPT, I/O bitmap) */
	struct dev_table devs;		/* device models' claims and state */
};

extern struct cell root_cell;

static inline bool cell_is_root(const struct cell *c)
{
	return c == &root_cell;
}

/* What a CPU is doing with respect to cells. */
struct cell_cpu {
	/*
	 * The cell the CPU belongs to: &root_cell from enable on (and again
	 * once a destroy gives it back), NULL only for a CPU the hypervisor
	 * does not run on.  "Does a cell have it?" is cell_cpu_given().
	 */
	struct cell *cell;
	volatile bool prepared;		/* root will offline it */
	volatile bool parked;		/* in the hypervisor, not running */
	volatile bool run;		/* leave the park loop into the cell */
	volatile bool stop;		/* park until cell_start() or destroy */
	volatile bool init;		/* the cell's INIT: park, wait for SIPI */
	volatile bool to_root;		/* returned, waits for SIPI */
	bool in_cell;			/* the VMCB/VMCS holds cell state */
	volatile u32 sipi;		/* vector + 1 when a SIPI arrived */
	spinlock_t sipi_lock;		/* sipi against leaving the park */
	u32 apic_id;
	bool apic_id_valid;
	u32 icr_hi;			/* cell's last ICR high write */
	u32 vldr, vdfr;			/* cell's xAPIC LDR and DFR (virtual) */
	unsigned int slot;		/* index in cell->cpu[] */
};

extern struct cell_cpu cell_cpus[CELLVISOR_MAX_CPUS];

static inline struct cell_cpu *cell_cpu(struct per_cpu *pc)
{
	return &cell_cpus[pc->cpu_index];
}

/* Is @cc given to a cell other than the root (parked or running in it)? */
static inline bool cell_cpu_given(const struct cell_cpu *cc)
{
	const struct cell *c = READ_ONCE(cc->cell);

	return c && !cell_is_root(c);
}

/* Enable: every CPU under the hypervisor starts as the root's. */
void cell_root_cpus_init(void);

s64 cell_hypercall(struct per_cpu *pc, u64 nr, u64 arg0, u64 arg1);
/* Stops the cell of @pc for good: state FAILED with @reason, CPUs parked. */
void cell_fail(struct per_cpu *pc, const char *fmt, ...) __printf(2, 3);
void cell_exit_status(struct per_cpu *pc, u32 status);
/* Where a CPU goes when it leaves the park loop. */
enum cell_cpu_wake {
	CELL_CPU_TO_CELL,	/* its cell's entry, or a SIPI page */
	CELL_CPU_TO_ROOT,	/* the page of Linux's SIPI */
};

/*
 * The park loop, called by the vendor code with the CPU's guest state
 * saved: spins until the CPU may run again and returns where to, with
 * how it starts in @start (real mode at a SIPI page, or the cell's start
 * state for its first CPU).  On CELL_CPU_TO_CELL the CPU
 * is already counted as in its cell; on CELL_CPU_TO_ROOT back in root.
 */
enum cell_cpu_wake cell_cpu_park(struct per_cpu *pc,
				  struct cellvisor_start_state *start);
/* Should this CPU park at the next exit (management stop or INIT)? */
static inline bool cell_cpu_must_park(const struct cell_cpu *cc)
{
	return READ_ONCE(cc->stop) || READ_ONCE(cc->init);
}
/* Root HLT exit: true when the CPU was given away and must park. */
bool cell_cpu_root_halt(struct cell_cpu *cc);
/*
 * The root's INIT or SIPI (@sipi: vector + 1, or 0 for INIT) to @cc.
 * True when @cc waits to come back to the root: the IPI is emulated.
 */
bool cell_cpu_root_start(struct cell_cpu *cc, u32 sipi);
/* A cell's INIT (park and wait) and SIPI (start a parked CPU) to @cc. */
void cell_cpu_init(struct cell_cpu *cc);
void cell_cpu_sipi(struct cell_cpu *cc, u8 vector);

/* Does [pa, pa + size) touch hypervisor memory or any cell's memory? */
bool cell_range_protected(u64 pa, u64 size);
/*
 * The root's device-model table (root_cell.devs): ranges the root lost
 * to a cell that a model answers for it (a cell's PCI device: all ones).
 * Claims and dispatch under one lock, since any root CPU dispatches
 * while a management call claims; the root has no per-cell models.
 */
int cell_root_claim(enum dev_space space, u64 base, u64 len,
		    const struct dev_model *m, void *priv);
void cell_root_release(const struct dev_model *m, void *priv);
bool cell_root_claims(enum dev_space space, u64 addr);
/* dev_dispatch() for the root: -ENODEV when nothing claimed @a. */
int cell_root_dispatch(struct per_cpu *pc, u64 rip, struct dev_access *a);

/* The cell whose memory (taken from the root) holds @pa, or NULL. */
struct cell *cell_owning(u64 pa);
/* Counts a cell exit of @pc for cellctl stats. */
void cell_count_exit(struct per_cpu *pc, unsigned int reason);

/* Vendor hooks (arch/x86/svm_cell.c; VT-x will bring its own). */
struct cell_arch_ops {
	void (*cpu_prepare)(struct per_cpu *pc, bool prepare);
	int (*cell_create)(struct cell *c);	/* own tables, ports */
	void (*cell_destroy)(struct cell *c);	/* everything to root */
	/* @c's loadable regions in the root's tables (until start) or not. */
	int (*root_loadable)(struct cell *c, bool root_sees);
	void (*flush_root)(void);		/* after root NPT changes */
};
extern const struct cell_arch_ops *cell_arch;

/* x86 helpers shared by the vendors (arch/x86/apic.c). */
void *phys_ptr(u64 pa);		/* NULL outside the physical window */
int phys_window_init(void);
/* @size bytes of device registers at @pa, uncached; NULL when out of room. */
void *mmio_map(u64 pa, u64 size);
void apic_send_nmi(u32 apic_id);
u32 apic_this_id(void);
u64 apic_phys(void);
/* This CPU's APIC as a cell should find it: LVTs masked, nothing pending. */
void apic_reset_for_cell(struct cell_cpu *cc);
/* A cell's APIC base write: -EPERM unless it leaves the value as it is. */
int apic_cell_write_base(u64 val);
/* Is this CPU's APIC in x2APIC mode? */
bool apic_x2apic_mode(void);

struct mmio_insn;
struct vcpu_ctx;

/*
 * The instruction at the guest's CS:RIP, fetched through its page tables
 * (ctx->cell's guest-physical space; NULL: the root's) and decoded by
 * mmio_decode() with @flags: 0, -EINVAL or -EFAULT.
 */
int apic_decode(const struct vcpu_ctx *ctx, unsigned int flags,
		struct mmio_insn *in);
void apic_root_access(u32 offset, bool write, u64 *val);
/*
 * A cell's write of @val to its APIC register @offset (xAPIC offsets;
 * x2APIC MSR 0x800 + offset / 16), after the rule book (asm/rules.h):
 * -EPERM with the reason in @why, -ESRCH for an IPI to a CPU outside
 * the cell.  Either way the caller fails the cell.
 */
int apic_cell_write(struct cell *c, struct cell_cpu *self, u32 offset,
		    u64 val, const char **why);
/* What a cell reads from its xAPIC page (LDR and DFR are virtual). */
u32 apic_cell_read(const struct cell_cpu *self, u32 offset);
/* The physical destination of a cell's ICR value (xAPIC: ICR high). */
u32 apic_icr_dest(const struct cell_cpu *self, u64 icr);
/* The root's x2APIC ICR write: true when handled (dropped or emulated). */
bool apic_root_x2apic_icr(u64 icr);

#endif
