// SPDX-License-Identifier: GPL-2.0
/* Cell management: create, start, shutdown, destroy, failure, information. */
#include <stdarg.h>
#include <string.h>
#include <hv/cell.h>
#include <hv/devmodel.h>
#include <hv/ioapic.h>
#include <hv/iommu.h>
#include <hv/paging.h>
#include <hv/pci.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <asm/processor.h>

/*
 * A root CPU waits here with interrupts off: every wait is a few
 * milliseconds at most, and a management hypercall that needs longer
 * returns -EBUSY (a CPU has not parked yet) or -EINPROGRESS (the cell
 * has not answered yet) for the driver to call again after a sleep.
 * The rounds keep a wait long enough where the TSC rate is wrong (Linux
 * under a loaded emulator calibrates 46 MHz for a 2 GHz TSC).
 */
#define PARK_WAIT_MS		5
#define PARK_WAIT_ROUNDS	200000ULL
#define PARK_NMI_EVERY		50000ULL
#define COMM_WAIT_MS		1000	/* a cell's time to answer shutdown */
#define COMM_POLL_MS		2
#define COMM_POLL_ROUNDS	20000ULL
#define COMM_MIN_POLLS		50	/* the driver sleeps between them */

struct cell_cpu cell_cpus[CELLVISOR_MAX_CPUS];
const struct cell_arch_ops *cell_arch;

static struct cell cells[CELL_MAX];
static spinlock_t cell_lock;
/* Scratch space, used only under cell_lock. */
static u8 blob_copy[CFG_MAX_BLOB_SIZE];
static struct cfg_cell new_cfg;
static struct cfg_system sys_cfg;
static bool sys_parsed;

static struct cell *cell_by_id(u64 id)
{
	if (id < 1 || id > CELL_MAX || !cells[id - 1].id)
		return NULL;
	return &cells[id - 1];
}

/* Does [pa, pa + size) touch hypervisor memory or any cell's memory? */
static bool range_protected(u64 pa, u64 size)
{
	const struct cfg_mem_region *r;
	unsigned int i, j;

	if (pa + size < pa || (pa < hv.region_phys + hv.region_size &&
			       hv.region_phys < pa + size))
		return true;
	for (i = 0; i < CELL_MAX; i++) {
		for (j = 0; cells[i].id && j < cells[i].cfg.n_mem; j++) {
			r = &cells[i].cfg.mem[j];
			if (!(r->flags & CFG_MEM_COMM_PAGE) &&
			    pa < r->phys + r->size && r->phys < pa + size)
				return true;
		}
	}
	return false;
}

bool cell_range_protected(u64 pa, u64 size)
{
	return range_protected(pa, size);
}

/* Its cfg is the root config's once parsed (root_cell_config()). */
struct cell root_cell = {
	.state = CELLVISOR_CELL_RUNNING,
	.cfg.name = "root",
};
/* root_cell.devs: claimed by management calls, dispatched by any CPU. */
static spinlock_t root_devs_lock;

int cell_root_claim(enum dev_space space, u64 base, u64 len,
		    const struct dev_model *m, void *priv)
{
	int err;

	spin_lock(&root_devs_lock);
	err = dev_claim(&root_cell, space, base, len, m, priv);
	spin_unlock(&root_devs_lock);
	return err;
}

void cell_root_release(const struct dev_model *m, void *priv)
{
	spin_lock(&root_devs_lock);
	dev_release(&root_cell, m, priv);
	spin_unlock(&root_devs_lock);
}

bool cell_root_claims(enum dev_space space, u64 addr)
{
	bool claimed;

	spin_lock(&root_devs_lock);
	claimed = dev_claims(&root_cell, space, addr);
	spin_unlock(&root_devs_lock);
	return claimed;
}

int cell_root_dispatch(struct per_cpu *pc, u64 rip, struct dev_access *a)
{
	int res;

	spin_lock(&root_devs_lock);
	res = dev_dispatch(pc, &root_cell, rip, a);
	spin_unlock(&root_devs_lock);
	return res;
}

/* The root's CPUs: those under the hypervisor that no cell has. */
static void root_cell_cpus(void)
{
	unsigned int cpu;

	memset(root_cell.cfg.cpus, 0, sizeof(root_cell.cfg.cpus));
	for (cpu = 0; cpu < hv.cpus && cpu < CFG_MAX_CPUS; cpu++)
		if (cell_is_root(cell_cpus[cpu].cell))
			root_cell.cfg.cpus[cpu / 64] |= 1ULL << (cpu % 64);
}

void cell_root_cpus_init(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < hv.cpus && cpu < CELLVISOR_MAX_CPUS; cpu++)
		cell_cpus[cpu].cell = &root_cell;
	root_cell_cpus();
}

/*
 * The root config's memory and ports become the root cell's; its name
 * and CPUs stay the root cell's own.
 */
static void root_cell_config(const struct cfg_system *sys)
{
	root_cell.cfg = sys->root;
	memcpy(root_cell.cfg.name, "root", sizeof("root"));
	root_cell_cpus();
}

struct cell *cell_owning(u64 pa)
{
	const struct cfg_mem_region *r;
	unsigned int i, j;

	for (i = 0; i < CELL_MAX; i++) {
		for (j = 0; cells[i].id && j < cells[i].cfg.n_mem; j++) {
			r = &cells[i].cfg.mem[j];
			if (!(r->flags & (CFG_MEM_COMM_PAGE | CFG_MEM_SHARED)) &&
			    pa >= r->phys && pa - r->phys < r->size)
				return &cells[i];
		}
	}
	return NULL;
}

/* Root memory at @pa, or NULL if the root may not point us there. */
static void *root_ptr(u64 pa, u64 size)
{
	if (range_protected(pa, size))
		return NULL;
	return phys_ptr(pa) && phys_ptr(pa + size - 1) ? phys_ptr(pa) : NULL;
}

static bool cpu_taken(unsigned int cpu)
{
	return cell_cpu_given(&cell_cpus[cpu]);
}

/* @a reaches the real mechanism 1, where @b's devices are moderated. */
static bool pci_cf8_conflict(const struct cfg_cell *a,
			     const struct cfg_cell *b)
{
	return b->n_pci && pci_cfg_owns_cf8(a);
}

static int check_new_cell(const struct cfg_cell *cfg, bool dry_run,
			  const char **why)
{
	unsigned int i, cpu;
	int err;

	if (!sys_parsed) {
		err = cfg_parse_system(hv.config, hv.config_size, &sys_cfg,
				       why);
		if (err)
			return err;
		sys_parsed = true;
		root_cell_config(&sys_cfg);
	}
	err = cfg_check_cell(cfg, why);
	if (!err)
		err = cfg_check_cell_in_system(&sys_cfg, cfg, why);
	for (i = 0; !err && i < CELL_MAX; i++) {
		if (!cells[i].id)
			continue;
		if (!strcmp(cells[i].cfg.name, cfg->name)) {
			*why = "a cell of that name exists";
			return -EEXIST;
		}
		err = cfg_check_cells_disjoint(&cells[i].cfg, cfg, why);
		if (err)
			return -EEXIST;
		if (pci_cf8_conflict(&cells[i].cfg, cfg) ||
		    pci_cf8_conflict(cfg, &cells[i].cfg)) {
			*why = "one cell owns ports 0xcf8-0xcff and another has "
			       "PCI devices, whose config space they reach";
			return -EBUSY;
		}
	}
	if (!err)
		err = pci_cell_check(&sys_cfg, cfg, why);
	if (!err)
		err = ioapic_cell_check(&sys_cfg, cfg, why);
	for (cpu = 0; !err && cpu < CFG_MAX_CPUS; cpu++) {
		if (!cfg_cpu_test(cfg, cpu))
			continue;
		if (cpu >= hv.cpus || cpu == 0) {
			*why = "CPU is not under the hypervisor or is CPU 0";
			return -EINVAL;
		}
		if (cpu_taken(cpu) || (!dry_run && !cell_cpus[cpu].prepared)) {
			*why = "CPU not handed over by the root (offline it)";
			return -EBUSY;
		}
	}
	return err;
}

static void cell_set_cpus(struct cell *c)
{
	unsigned int cpu;

	c->n_cpus = 0;
	for (cpu = 0; cpu < hv.cpus && c->n_cpus < CELL_MAX_CPUS; cpu++) {
		if (!cfg_cpu_test(&c->cfg, cpu))
			continue;
		cell_cpus[cpu].slot = c->n_cpus;
		c->cpu[c->n_cpus++] = cpu;
	}
}

static int comm_page_init(struct cell *c)
{
	unsigned int i;

	c->comm = NULL;
	for (i = 0; i < c->cfg.n_mem; i++) {
		if (!(c->cfg.mem[i].flags & CFG_MEM_COMM_PAGE))
			continue;
		c->comm = page_alloc();
		if (!c->comm)
			return -ENOMEM;
		c->comm_guest = c->cfg.mem[i].guest;
		/* The vendor maps it: the region's phys is ours. */
		c->cfg.mem[i].phys = hv_pa(c->comm);
	}
	return 0;
}

/* Like a machine after reset: real mode at the config's entry. */
static void cell_start_default(struct cell *c)
{
	memset(&c->start, 0, sizeof(c->start));
	c->start.mode = CELLVISOR_START_REAL;
	c->start.entry = c->cfg.entry;
}

/* The check says what create would: the device models attach (or not). */
static int cell_check_models(const struct cfg_cell *cfg)
{
	static struct cell scratch;
	int err;

	memset(&scratch, 0, sizeof(scratch));
	scratch.cfg = *cfg;
	err = dev_cell_init(&scratch);
	if (err)
		pr_err("cell '%s' refused: device models refused it (%d)\n",
		       cfg->name, err);
	else
		dev_cell_exit(&scratch);
	return err;
}

static s64 cell_create(u64 pa, u64 size, bool dry_run)
{
	const char *why = "bad address";
	struct cell *c = NULL;
	unsigned int i, cpu;
	void *blob;
	int err;

	if (!size || size > CFG_MAX_BLOB_SIZE || !(blob = root_ptr(pa, size)))
		return -EINVAL;
	memcpy(blob_copy, blob, size);
	err = cfg_parse_cell(blob_copy, size, &new_cfg, &why);
	if (!err)
		err = check_new_cell(&new_cfg, dry_run, &why);
	for (i = 0; !err && !c && i < CELL_MAX; i++)
		if (!cells[i].id)
			c = &cells[i];
	if (!err && !c) {
		why = "too many cells";
		err = -ENOSPC;
	}
	if (err) {
		pr_err("cell '%s' refused: %s (%d)\n", new_cfg.name, why,
		       err);
		return err;
	}
	if (dry_run)
		return cell_check_models(&new_cfg);
	memset(c, 0, sizeof(*c));
	c->cfg = new_cfg;
	cell_start_default(c);
	/* Models first: the vendor's I/O bitmap intercepts what they claim. */
	err = dev_cell_init(c);
	if (err) {
		pr_err("cell '%s': device models refused it (%d)\n",
		       c->cfg.name, err);
		return err;
	}
	/* Before the vendor's tables: they map the devices' BARs. */
	err = pci_cell_create(c, &why);
	/* Before the vendor's tables too: the root loses the IOAPIC page. */
	if (!err) {
		err = ioapic_cell_create(c, &why);
		if (err)
			pci_cell_destroy(c);
	}
	if (err) {
		dev_cell_exit(c);
		pr_err("cell '%s' refused: %s (%d)\n", c->cfg.name, why, err);
		return err;
	}
	err = comm_page_init(c);
	if (!err)
		err = cell_arch->cell_create(c);
	if (!err) {
		/* DMA remapping: its domain, its memory out of the root's. */
		err = iommu_cell_create(c, c - cells + 1);
		if (err) {
			cell_arch->cell_destroy(c);
			cell_arch->flush_root();
		}
	}
	if (err) {
		ioapic_cell_destroy(c);
		pci_cell_destroy(c);
		dev_cell_exit(c);
		page_free(c->comm);
		pr_err("cell '%s': create failed (%d)\n", c->cfg.name, err);
		return err;
	}
	c->id = c - cells + 1;
	c->state = CELLVISOR_CELL_LOADABLE;
	cell_set_cpus(c);
	/* From here the CPUs park at their next halt. */
	for (i = 0; i < c->n_cpus; i++) {
		cpu = c->cpu[i];
		cell_cpus[cpu].to_root = false;
		WRITE_ONCE(cell_cpus[cpu].cell, c);
	}
	root_cell_cpus();
	pr_info("cell '%s' created (id %u, %u CPUs)\n", c->cfg.name, c->id,
		c->n_cpus);
	return c->id;
}

/*
 * A bounded wait: at least @ms milliseconds of TSC time, where the TSC
 * rate is known (the config's or Linux's), and at least @rounds rounds of
 * the polling loop.  The rounds keep a wait long enough where the rate is
 * wrong: Linux under an emulator on a loaded host has calibrated 46 MHz
 * for a TSC running at 2 GHz.
 */
struct cell_wait {
	u64 deadline;		/* TSC; 0: rounds only */
	u64 rounds;
};

static void cell_wait_start(struct cell_wait *w, u32 ms, u64 rounds)
{
	w->deadline = hv.tsc_khz ? rdtsc() + (u64)ms * hv.tsc_khz : 0;
	w->rounds = rounds;
}

/* One more round of the wait; false once it has run out. */
static bool cell_wait_on(struct cell_wait *w)
{
	cpu_relax();
	if (w->rounds) {
		w->rounds--;
		return true;
	}
	return w->deadline && rdtsc() < w->deadline;
}

static bool wait_parked(unsigned int cpu)
{
	struct cell_wait w;
	u64 spins = 0;

	cell_wait_start(&w, PARK_WAIT_MS, PARK_WAIT_ROUNDS);
	do {
		if (READ_ONCE(cell_cpus[cpu].parked))
			return true;
		/* An NMI can merge with one still pending: ask again. */
		if (!(++spins % PARK_NMI_EVERY) &&
		    READ_ONCE(cell_cpus[cpu].stop))
			apic_send_nmi(cell_cpus[cpu].apic_id);
	} while (cell_wait_on(&w));
	return false;
}

/*
 * The driver repeats a call that found a CPU stuck (for up to seconds):
 * the first failure is news, the repetitions are not.
 */
static void cell_report_stuck(struct cell *c, unsigned int i,
			      const char *what)
{
	if (c->stuck_said & (1u << i))
		return;
	c->stuck_said |= 1u << i;
	pr_err("cell '%s': CPU %u %s\n", c->cfg.name, c->cpu[i], what);
}

/* Every CPU of @c back in the park loop. */
static int cell_stop_cpus(struct cell *c)
{
	struct cell_cpu *cc;
	unsigned int i;
	int err = 0;

	for (i = 0; i < c->n_cpus; i++) {
		cc = &cell_cpus[c->cpu[i]];
		cc->run = false;
		WRITE_ONCE(cc->stop, true);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!READ_ONCE(cc->parked))
			apic_send_nmi(cc->apic_id);
	}
	for (i = 0; i < c->n_cpus; i++) {
		if (!wait_parked(c->cpu[i])) {
			cell_report_stuck(c, i, "does not stop");
			err = -EBUSY;
		}
	}
	if (!err)
		c->stuck_said = 0;
	return err;
}

static void comm_page_fill(struct cell *c)
{
	struct cellvisor_comm_page *p = c->comm;

	if (!p)
		return;
	memset(p, 0, PAGE_SIZE);
	memcpy(p->signature, CELLVISOR_COMM_SIGNATURE, 8);
	p->cell_id = c->id;
	p->cell_state = CELLVISOR_CELL_RUNNING;
	p->tsc_khz = hv.tsc_khz;
	p->apic_khz = sys_cfg.apic_khz;
	p->num_cpus = c->n_cpus;
}

/*
 * Every start is a power-on for the cell's PCI devices: reset (FLR where
 * they have it), with its CPUs parked and before any of its memory is the
 * root's.  An FLR's 100 ms pass between calls (-EINPROGRESS: the driver
 * sleeps and calls again), not with this root CPU's interrupts off.
 */
static int cell_start_reset(struct cell *c)
{
	u64 now = hv.tsc_khz ? rdtsc() / hv.tsc_khz * 1000 : 0;
	const char *why = NULL;

	return pci_cell_reset(c, now, &why);
}

/* Cells whose start is half done: MAP passed, RUN not yet. */
static bool start_mapped[CELL_MAX];

/* CELLVISOR_START_MAP: the cell's CPUs parked, its memory the cell's. */
static s64 cell_start_map(struct cell *c)
{
	unsigned int i;
	int err;

	if (c->state == CELLVISOR_CELL_RUNNING)
		return -EBUSY;
	if (cellvisor_cell_stopped(c->state)) {
		err = cell_stop_cpus(c);
		if (err)
			return err;
	}
	for (i = 0; i < c->n_cpus; i++) {
		if (!wait_parked(c->cpu[i])) {
			cell_report_stuck(c, i, "never arrived; is it offline "
					  "in Linux?");
			return -EBUSY;
		}
	}
	c->stuck_said = 0;
	err = cell_start_reset(c);
	if (err)
		return err;
	err = cell_arch->root_loadable(c, false);
	if (err)
		return err;
	cell_arch->flush_root();
	start_mapped[c - cells] = true;
	return 0;
}

/* CELLVISOR_START_RUN: every root CPU has exited since MAP. */
static s64 cell_start_run(struct cell *c)
{
	unsigned int i;

	if (!start_mapped[c - cells])
		return -EINVAL;
	start_mapped[c - cells] = false;
	comm_page_fill(c);
	/* All parked: nothing races with these stores. */
	for (i = 0; i < c->n_cpus; i++) {
		cell_cpus[c->cpu[i]].sipi = 0;
		cell_cpus[c->cpu[i]].init = false;
		cell_cpus[c->cpu[i]].stop = false;
	}
	c->reason[0] = 0;
	c->stop_asked = false;
	c->stop_agreed = false;
	/* Every start is a power-on for the cell's devices. */
	dev_cell_reset(c);
	c->state = CELLVISOR_CELL_RUNNING;
	/* Said first: the inmate's own output would cut into the line. */
	pr_info("cell '%s' started\n", c->cfg.name);
	/* Like a machine after reset: the first CPU runs, the others wait. */
	WRITE_ONCE(cell_cpus[c->cpu[0]].run, true);
	return 0;
}

/*
 * The comm-page handshake (Documentation/cells.md, "Comm page").  A
 * running cell with a comm page is asked first; its inmate may refuse (an
 * RTOS in a critical phase), and then nothing changes.  No answer in time
 * counts as consent: an inmate that does not know the protocol, or has
 * halted, is stopped anyway.  cell_destroy() never asks.
 */
static void stop_handshake_ask(struct cell *c)
{
	struct cellvisor_comm_page *p = c->comm;

	/* Reply cleared before the request: each request is answered once. */
	WRITE_ONCE(p->reply_from_cell, CELLVISOR_COMM_NONE);
	WRITE_ONCE(p->msg_to_cell, CELLVISOR_COMM_SHUTDOWN_REQ);
	c->stop_asked = true;
	c->stop_asked_tsc = rdtsc();
	c->stop_polls = 0;
}

/* Has the cell had its time (COMM_WAIT_MS and COMM_MIN_POLLS)? */
static bool stop_handshake_expired(struct cell *c)
{
	if (++c->stop_polls < COMM_MIN_POLLS)
		return false;
	return !hv.tsc_khz ||
	       rdtsc() - c->stop_asked_tsc >= (u64)COMM_WAIT_MS * hv.tsc_khz;
}

/*
 * 0: the cell agreed, does not take part or had its time; -EAGAIN: it
 * refused; -EINPROGRESS: no answer yet, ask again (the driver sleeps in
 * between, so no root CPU waits with interrupts off for long).
 */
static int cell_stop_handshake(struct cell *c)
{
	struct cellvisor_comm_page *p = c->comm;
	struct cell_wait w;
	u32 reply;

	if (!p || c->state != CELLVISOR_CELL_RUNNING || c->stop_agreed)
		return 0;
	if (!c->stop_asked)
		stop_handshake_ask(c);
	cell_wait_start(&w, COMM_POLL_MS, COMM_POLL_ROUNDS);
	do {
		reply = READ_ONCE(p->reply_from_cell);
		if (reply == CELLVISOR_COMM_SHUTDOWN_DENIED) {
			WRITE_ONCE(p->msg_to_cell, CELLVISOR_COMM_NONE);
			c->stop_asked = false;
			pr_info("cell '%s' refused to shut down (comm page)\n",
				c->cfg.name);
			return -EAGAIN;
		}
		if (reply == CELLVISOR_COMM_SHUTDOWN_OK) {
			pr_info("cell '%s' agreed to shut down\n", c->cfg.name);
			c->stop_agreed = true;
			return 0;
		}
	} while (cell_wait_on(&w));
	if (!stop_handshake_expired(c))
		return -EINPROGRESS;
	pr_info("cell '%s' did not answer the shutdown request: stopping it\n",
		c->cfg.name);
	c->stop_agreed = true;
	return 0;
}

/* A refusal is -EAGAIN: EBUSY already means "a CPU does not stop". */
static s64 cell_shutdown(struct cell *c)
{
	int err;

	if (c->state != CELLVISOR_CELL_RUNNING &&
	    !cellvisor_cell_stopped(c->state))
		return c->state == CELLVISOR_CELL_SHUT_DOWN ? 0 : -EINVAL;
	err = cell_stop_handshake(c);
	if (err)
		return err;
	if (c->comm)
		c->comm->cell_state = CELLVISOR_CELL_SHUT_DOWN;
	err = cell_stop_cpus(c);
	if (err)
		return err;
	/* Its loadable memory goes back: no DMA may reach it from now on. */
	pci_cell_quiesce(c);
	ioapic_cell_quiesce(c);
	console_cell_flush(c);
	err = cell_arch->root_loadable(c, true);
	if (err)
		return err;
	c->state = CELLVISOR_CELL_SHUT_DOWN;
	pr_info("cell '%s' shut down\n", c->cfg.name);
	return 0;
}

/* Nothing of a cell may reach the root: RAM is cleared before it goes. */
static void cell_clear_memory(struct cell *c)
{
	const struct cfg_mem_region *r;
	unsigned int i;
	void *p;

	for (i = 0; i < c->cfg.n_mem; i++) {
		r = &c->cfg.mem[i];
		if (r->flags & (CFG_MEM_COMM_PAGE | CFG_MEM_IO | CFG_MEM_SHARED))
			continue;
		p = phys_ptr(r->phys);
		if (p && phys_ptr(r->phys + r->size - 1))
			memset(p, 0, r->size);
	}
}

/*
 * Destroy does not ask the cell (no comm-page request): it is how the
 * root stops a cell that refuses shutdown, like pulling the plug.
 */
static s64 cell_destroy(struct cell *c)
{
	unsigned int i, cpu;
	int err;

	if (c->state == CELLVISOR_CELL_RUNNING ||
	    cellvisor_cell_stopped(c->state)) {
		err = cell_stop_cpus(c);
		if (err)
			return err;
	}
	/* Before any of its memory goes back: no DMA, no MSI. */
	pci_cell_quiesce(c);
	ioapic_cell_quiesce(c);
	/* Loadable regions are in the root already unless it ran. */
	if (c->state == CELLVISOR_CELL_RUNNING ||
	    cellvisor_cell_stopped(c->state) || start_mapped[c - cells])
		cell_arch->root_loadable(c, true);
	start_mapped[c - cells] = false;
	iommu_cell_stop(c);		/* its devices' DMA blocked first */
	cell_clear_memory(c);
	iommu_cell_destroy(c);
	cell_arch->cell_destroy(c);
	cell_arch->flush_root();
	/* BARs and ECAM pages are the root's again: now its config space. */
	pci_cell_destroy(c);
	ioapic_cell_destroy(c);
	dev_cell_exit(c);
	page_free(c->comm);
	/*
	 * Parked, or still on their way to the halt that parks them (a cell
	 * destroyed right after create): either way they wait for Linux's
	 * SIPI now, with no stop left that could send them an NMI later.
	 */
	for (i = 0; i < c->n_cpus; i++) {
		cpu = c->cpu[i];
		cell_cpus[cpu].prepared = false;
		cell_cpus[cpu].sipi = 0;
		cell_cpus[cpu].run = false;
		cell_cpus[cpu].init = false;
		cell_cpus[cpu].stop = false;
		WRITE_ONCE(cell_cpus[cpu].to_root, true);
		WRITE_ONCE(cell_cpus[cpu].cell, &root_cell);
	}
	root_cell_cpus();
	console_cell_flush(c);
	pr_info("cell '%s' destroyed\n", c->cfg.name);
	memset(c, 0, sizeof(*c));
	return 0;
}

static u64 cell_mem_bytes(const struct cell *c)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < c->cfg.n_mem; i++)
		if (!(c->cfg.mem[i].flags & (CFG_MEM_COMM_PAGE | CFG_MEM_IO)))
			sum += c->cfg.mem[i].size;
	return sum;
}

static s64 cell_info(struct cell *c, u64 pa)
{
	struct cellvisor_cell_info *info;
	unsigned int i;

	BUILD_BUG_ON(sizeof(*info) > PAGE_SIZE);
	info = (pa & (PAGE_SIZE - 1)) ? NULL : root_ptr(pa, sizeof(*info));
	if (!info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->id = c->id;
	info->state = c->state;
	memcpy(info->name, c->cfg.name, sizeof(info->name));
	memcpy(info->cpus, c->cfg.cpus, sizeof(info->cpus));
	info->mem_bytes = cell_mem_bytes(c);
	info->fail_cpu = c->fail_cpu;
	info->n_cpus = c->n_cpus;
	memcpy(info->reason, c->reason, sizeof(info->reason));
	for (i = 0; i < c->cfg.n_mem && i < CELLVISOR_CELL_INFO_MEM; i++) {
		info->mem[i].phys = c->cfg.mem[i].phys;
		info->mem[i].guest = c->cfg.mem[i].guest;
		info->mem[i].size = c->cfg.mem[i].size;
		info->mem[i].flags = c->cfg.mem[i].flags;
		memcpy(info->mem_names[i], c->cfg.mem[i].name,
		       sizeof(info->mem_names[i]));
	}
	info->n_mem = i;
	memcpy(info->exits, c->exits, sizeof(info->exits));
	info->dma_faults = iommu_cell_faults(c);
	return 0;
}

/* Does @len bytes at guest @addr lie in one executable RAM region? */
static bool cell_executable(const struct cell *c, u64 addr, u64 len)
{
	const struct cfg_mem_region *r;
	unsigned int i;

	for (i = 0; i < c->cfg.n_mem; i++) {
		r = &c->cfg.mem[i];
		if ((r->flags & CFG_MEM_EXECUTE) &&
		    !(r->flags & (CFG_MEM_IO | CFG_MEM_COMM_PAGE)) &&
		    addr >= r->guest && addr - r->guest < r->size &&
		    len <= r->size - (addr - r->guest))
			return true;
	}
	return false;
}

static const char *start_state_refusal(const struct cell *c,
				       const struct cellvisor_start_state *st)
{
	if (st->flags & ~CELLVISOR_START_CHECK)
		return "unknown flags";
	if (st->mode == CELLVISOR_START_REAL) {
		if (st->entry > 0xfffff)
			return "real-mode entry above 1 MiB";
	} else if (st->mode == CELLVISOR_START_FLAT32) {
		if (st->entry > 0xffffffffull)
			return "32-bit entry above 4 GiB";
	} else {
		return "unknown start mode";
	}
	if (!cell_executable(c, st->entry, 1))
		return "entry outside the cell's executable memory";
	return NULL;
}

/*
 * CELLVISOR_HC_CELL_SET_START: how the first CPU starts from the next
 * start on; @pa 0 goes back to the config's real-mode entry.  Checked
 * whole before anything changes.
 */
static s64 cell_set_start(struct cell *c, u64 pa)
{
	struct cellvisor_start_state st, *p;
	const char *why;

	if (c->state == CELLVISOR_CELL_RUNNING || start_mapped[c - cells])
		return -EBUSY;
	if (!pa) {
		cell_start_default(c);
		return 0;
	}
	if ((pa & (PAGE_SIZE - 1)) > PAGE_SIZE - sizeof(st))
		return -EINVAL;
	p = root_ptr(pa, sizeof(st));
	if (!p)
		return -EINVAL;
	memcpy(&st, p, sizeof(st));
	why = start_state_refusal(c, &st);
	if (why) {
		pr_err("cell '%s': start state refused: %s (mode %u, entry "
		       "0x%lx)\n", c->cfg.name, why, st.mode, st.entry);
		return -EINVAL;
	}
	if (st.flags & CELLVISOR_START_CHECK)
		return 0;
	c->start = st;
	return 0;
}

static s64 cell_manage(u64 nr, u64 arg0, u64 arg1)
{
	struct cell *c;

	if (nr == CELLVISOR_HC_CELL_CREATE || nr == CELLVISOR_HC_CELL_CHECK)
		return cell_create(arg0, arg1, nr == CELLVISOR_HC_CELL_CHECK);
	c = cell_by_id(arg0);
	if (!c)
		return -ENOENT;
	switch (nr) {
	case CELLVISOR_HC_CELL_START:
		if (arg1 == CELLVISOR_START_MAP)
			return cell_start_map(c);
		return arg1 == CELLVISOR_START_RUN ? cell_start_run(c) :
						     -EINVAL;
	case CELLVISOR_HC_CELL_SHUTDOWN:
		return cell_shutdown(c);
	case CELLVISOR_HC_CELL_DESTROY:
		return cell_destroy(c);
	case CELLVISOR_HC_CELL_INFO:
		return cell_info(c, arg1);
	case CELLVISOR_HC_CELL_SET_START:
		return cell_set_start(c, arg1);
	}
	return -ENOSYS;
}

/* Only root CPUs get here (vendor code routes cell hypercalls). */
s64 cell_hypercall(struct per_cpu *pc, u64 nr, u64 arg0, u64 arg1)
{
	s64 ret;

	if (!cell_arch)
		return -ENOSYS;
	switch (nr) {
	case CELLVISOR_HC_POOL_FREE:
		return page_pool_free_pages();
	case CELLVISOR_HC_CELL_CPU_PREPARE:
	case CELLVISOR_HC_CELL_CPU_CANCEL:
		if (cell_cpu_given(cell_cpu(pc)))
			return -EBUSY;
		cell_cpu(pc)->prepared = nr == CELLVISOR_HC_CELL_CPU_PREPARE;
		cell_arch->cpu_prepare(pc, cell_cpu(pc)->prepared);
		return 0;
	}
	if ((nr < CELLVISOR_HC_CELL_CREATE || nr > CELLVISOR_HC_CELL_INFO) &&
	    nr != CELLVISOR_HC_CELL_CHECK && nr != CELLVISOR_HC_CELL_SET_START)
		return -ENOSYS;
	if (phys_window_init())
		return -ENOMEM;
	spin_lock(&cell_lock);
	ret = cell_manage(nr, arg0, arg1);
	spin_unlock(&cell_lock);
	return ret;
}

void cell_count_exit(struct per_cpu *pc, unsigned int reason)
{
	struct cell_cpu *cc = cell_cpu(pc);

	if (cell_cpu_given(cc) && reason < CELLVISOR_EXIT_REASONS)
		cc->cell->exits[cc->slot][reason]++;
}

/*
 * The cell of @pc stops where it is, in @state (FAILED or EXITED), with
 * the reason; its other CPUs are asked to park, the memory stays the
 * cell's until shutdown.  The caller parks @pc.
 */
static void cell_stop_here(struct per_cpu *pc, u32 state, const char *fmt,
			   va_list ap)
{
	struct cell_cpu *cc = cell_cpu(pc), *other;
	struct cell *c = cc->cell;
	unsigned int i;
	int n;

	n = snprintf(c->reason, sizeof(c->reason), "CPU %u: ", pc->cpu_index);
	vsnprintf(c->reason + n, sizeof(c->reason) - n, fmt, ap);
	c->fail_cpu = pc->cpu_index;
	c->state = state;
	if (c->comm)
		c->comm->cell_state = state;
	console_cell_flush(c);
	for (i = 0; i < c->n_cpus; i++) {
		other = &cell_cpus[c->cpu[i]];
		other->run = false;
		if (other == cc)
			continue;
		WRITE_ONCE(other->stop, true);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!READ_ONCE(other->parked))
			apic_send_nmi(other->apic_id);
	}
}

void cell_fail(struct per_cpu *pc, const char *fmt, ...)
{
	struct cell *c = cell_cpu(pc)->cell;
	va_list ap;

	if (cell_is_root(c))
		return;
	va_start(ap, fmt);
	cell_stop_here(pc, CELLVISOR_CELL_FAILED, fmt, ap);
	va_end(ap);
	/* Its devices stop too: no MSI to CPUs that no longer run it. */
	pci_cell_quiesce(c);
	ioapic_cell_quiesce(c);
	pr_err("cell '%s' FAILED: %s\n", c->cfg.name, c->reason);
}

static void __printf(3, 4) cell_stop_fmt(struct per_cpu *pc, u32 state,
					  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cell_stop_here(pc, state, fmt, ap);
	va_end(ap);
}

/* CELLVISOR_EXIT_PORT: the cell ends itself and says how it went. */
void cell_exit_status(struct per_cpu *pc, u32 status)
{
	struct cell *c = cell_cpu(pc)->cell;

	if (cell_is_root(c))
		return;
	cell_stop_fmt(pc, CELLVISOR_CELL_EXITED, "exited with status %u",
		      status);
	pr_info("cell '%s' exited with status %u\n", c->cfg.name, status);
}

/* ---- the park loop: where cell CPUs wait, and how they leave it ---- */

/*
 * Leaving the park loop races with a stopper (shutdown, failure,
 * destroy): each side publishes its flag, then reads the other's, so at
 * least one of them sees the other.  A stop that came first keeps the
 * CPU here; only cell_start() and cell_destroy() clear it.
 */
static bool unpark(struct cell_cpu *cc)
{
	WRITE_ONCE(cc->parked, false);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!READ_ONCE(cc->stop))
		return true;
	WRITE_ONCE(cc->parked, true);
	return false;
}

/*
 * A SIPI is taken, and the park loop left, under sipi_lock: a SIPI sent
 * after that (the second of INIT-SIPI-SIPI) finds the CPU gone and is
 * dropped, as hardware drops one outside wait-for-SIPI.  A stale one
 * would restart the CPU at the next park.
 */
static bool park_take_sipi(struct cell_cpu *cc, struct cell *c,
			   struct cellvisor_start_state *start)
{
	bool go = true;

	if (!READ_ONCE(cc->sipi))
		return false;
	spin_lock(&cc->sipi_lock);
	/*
	 * The loop read @c before the lock: a destroy may have ended since,
	 * and this SIPI is Linux's (cell_cpu_root_start() sets it only once
	 * the CPU is the root's again).  Look again with the right owner.
	 */
	if (READ_ONCE(cc->cell) != c) {
		spin_unlock(&cc->sipi_lock);
		return false;
	}
	memset(start, 0, sizeof(*start));
	start->mode = CELLVISOR_START_REAL;
	start->entry = (u64)(cc->sipi - 1) << 12;
	cc->sipi = 0;
	if (!cell_is_root(c)) {
		cc->init = false;
		go = unpark(cc);
	} else {
		cc->to_root = false;
		cc->prepared = false;
		WRITE_ONCE(cc->parked, false);
	}
	spin_unlock(&cc->sipi_lock);
	return go;
}

static bool park_take_run(struct cell_cpu *cc, struct cell *c,
			  struct cellvisor_start_state *start)
{
	if (!READ_ONCE(cc->run))
		return false;
	cc->run = false;
	*start = c->start;
	return unpark(cc);
}

enum cell_cpu_wake cell_cpu_park(struct per_cpu *pc,
				 struct cellvisor_start_state *start)
{
	struct cell_cpu *cc = cell_cpu(pc);
	struct cell *c;

	cc->apic_id = apic_this_id();
	cc->apic_id_valid = true;
	WRITE_ONCE(cc->parked, true);
	for (;;) {
		c = READ_ONCE(cc->cell);
		if (cell_is_root(c) && park_take_sipi(cc, c, start)) {
			cc->in_cell = false;
			return CELL_CPU_TO_ROOT;
		}
		if (!cell_is_root(c) &&
		    READ_ONCE(c->state) == CELLVISOR_CELL_RUNNING &&
		    (park_take_sipi(cc, c, start) ||
		     park_take_run(cc, c, start))) {
			cc->in_cell = true;
			cc->prepared = false;
			return CELL_CPU_TO_CELL;
		}
		cpu_relax();
	}
}

/* Waits to come back: a destroyed cell's, or offlined and never taken. */
static bool waits_for_root(const struct cell_cpu *cc)
{
	return !cell_cpu_given(cc) && (cc->to_root || cc->prepared);
}

bool cell_cpu_root_start(struct cell_cpu *cc, u32 sipi)
{
	bool waits;

	spin_lock(&cc->sipi_lock);
	waits = waits_for_root(cc);
	if (waits && sipi)
		cc->sipi = sipi;
	spin_unlock(&cc->sipi_lock);
	return waits;
}

/*
 * A prepared CPU halts in Linux's idle loop too, until it goes offline:
 * it parks only once it belongs to a cell or Linux wants it back.
 */
bool cell_cpu_root_halt(struct cell_cpu *cc)
{
	return cell_cpu_given(cc) || READ_ONCE(cc->to_root) ||
	       (cc->prepared && READ_ONCE(cc->sipi));
}

void cell_cpu_init(struct cell_cpu *cc)
{
	WRITE_ONCE(cc->init, true);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!READ_ONCE(cc->parked))
		apic_send_nmi(cc->apic_id);
}

void cell_cpu_sipi(struct cell_cpu *cc, u8 vector)
{
	spin_lock(&cc->sipi_lock);
	if (cc->parked && !cc->stop)
		cc->sipi = vector + 1;
	spin_unlock(&cc->sipi_lock);
}
