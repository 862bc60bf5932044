// SPDX-License-Identifier: GPL-2.0
/* Cell ioctls: CPU hand-over to the hypervisor, image loading, cell hypercalls. */
#include <linux/delay.h>
#include <linux/cpu.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/byteorder.h>
#include <cellvisor/cell.h>
#include <cellvisor/config.h>
#include <cellvisor/ioctl.h>
#include "cellvisor.h"

#define CV_MAX_CELL_IDS		8	/* hypervisor's CELL_MAX */

/* What the driver remembers of a cell: the hypervisor knows the rest. */
struct cv_cell {
	u32 id;			/* 0: slot free */
	char name[CELLVISOR_CELL_NAME_LEN];
	struct cpumask cpus;
	bool loaded;
	struct cv_cell_kobj *sysfs;	/* cells/NAME; NULL: none */
	struct cv_pci_set pci;		/* its devices, taken from Linux */
};

static struct cv_cell cv_cells[CV_MAX_CELL_IDS];
/* CPUs the driver itself takes down or brings up right now. */
static struct cpumask cv_hotplug_ok;

static bool cell_online_cpus = true;
module_param(cell_online_cpus, bool, 0644);
MODULE_PARM_DESC(cell_online_cpus, "bring a destroyed cell's CPUs back "
		 "online (needs the hypervisor's INIT/SIPI emulation)");

bool cv_cell_hotplug_allowed(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, &cv_hotplug_ok);
}

/* Disable would pull the hypervisor from under the cells: name them. */
int cv_cells_block_disable(void)
{
	char names[CV_MAX_CELL_IDS * (CELLVISOR_CELL_NAME_LEN + 3)];
	size_t len = 0;
	int i;

	for (i = 0; i < CV_MAX_CELL_IDS; i++)
		if (cv_cells[i].id)
			len += scnprintf(names + len, sizeof(names) - len,
					 "%s'%s'", len ? ", " : "",
					 cv_cells[i].name);
	if (!len)
		return 0;
	pr_err("cellvisor: disable refused: cell(s) %s exist; destroy them "
	       "first (cellctl list, cellctl destroy NAME)\n", names);
	return -EBUSY;
}

static struct cv_cell *cv_cell_find(const char *name)
{
	int i;

	for (i = 0; i < CV_MAX_CELL_IDS; i++)
		if (cv_cells[i].id && !strncmp(cv_cells[i].name, name,
					       CELLVISOR_CELL_NAME_LEN))
			return &cv_cells[i];
	return NULL;
}

/* ---- the cell DTB: root-node "label" and "cpus" ---- */

static u32 cv_be32(const void *p)
{
	__be32 v;

	memcpy(&v, p, sizeof(v));
	return be32_to_cpu(v);
}

/*
 * Walks the root node's properties only (cv_dtb_check ran before): the
 * hypervisor parses and checks the whole blob itself.
 */
static int cv_cell_dtb_props(const void *blob, size_t size, char *name,
			     struct cpumask *cpus)
{
	const u8 *b = blob;
	u32 off = cv_be32(b + 8), end = off + cv_be32(b + 36);
	u32 strs = cv_be32(b + 12), strs_size = cv_be32(b + 32);
	u32 tag, len, nameoff, i, depth = 0;
	const char *pname;

	cpumask_clear(cpus);
	name[0] = 0;
	while (off + 4 <= end && end <= size) {
		tag = cv_be32(b + off);
		off += 4;
		if (tag == 1) {		/* FDT_BEGIN_NODE */
			if (++depth > 1)
				break;	/* properties come before children */
			off += ALIGN(strnlen(b + off, end - off) + 1, 4);
		} else if (tag == 3) {	/* FDT_PROP */
			if (off + 8 > end)
				return -EINVAL;
			len = cv_be32(b + off);
			nameoff = cv_be32(b + off + 4);
			off += 8;
			if (len > end - off || nameoff >= strs_size)
				return -EINVAL;
			pname = (const char *)b + strs + nameoff;
			if (!strcmp(pname, CFG_PROP_NAME))
				strscpy(name, b + off, min_t(u32, len + 1,
					CELLVISOR_CELL_NAME_LEN));
			for (i = 0; !strcmp(pname, CFG_PROP_CPUS) &&
			     i + 4 <= len; i += 4) {
				if (cv_be32(b + off + i) >= nr_cpu_ids)
					return -EINVAL;
				cpumask_set_cpu(cv_be32(b + off + i), cpus);
			}
			off += ALIGN(len, 4);
		} else if (tag != 4) {	/* not FDT_NOP */
			break;
		}
	}
	return name[0] && !cpumask_empty(cpus) ? 0 : -EINVAL;
}

/* ---- memory Linux uses ---- */

struct cv_ram_piece {
	const char *cell;
	u64 start, end;		/* inclusive; end < start: none found */
};

static int cv_ram_found(struct resource *res, void *arg)
{
	struct cv_ram_piece *ram = arg;

	ram->start = res->start;
	ram->end = res->end;
	return 1;		/* the first piece is enough to name */
}

/*
 * Linux's System RAM is never given away behind its back: its page
 * allocator hands those pages out, and once the hypervisor moves them to
 * a cell Linux crashes on the first one it touches. A cell may take only
 * what Linux does not use as RAM: the memmap= reservation (where the
 * hypervisor region and the cell pool lie), device memory and firmware
 * reserved ranges. The rule holds for every region with a phys: 'io' is
 * the config's claim that a range is device memory and /proc/iomem is
 * the kernel's, which is what counts; a 'shared' region stays mapped in
 * Linux, but the cell writes it behind the allocator's back all the same.
 * Only the comm page has no phys: the hypervisor takes it from its own
 * region.
 */
static int cv_region_not_ram(const struct cv_dtb_region *r, void *arg)
{
	struct cv_ram_piece *ram = arg;
	char name[CFG_MAX_NAME + 2];
	u64 last;

	if (!r->has_phys || (r->flags & CFG_MEM_COMM_PAGE))
		return 0;
	last = r->phys + r->size - 1;
	if (!r->size || last < r->phys)
		return -EINVAL;	/* the hypervisor refused it already */
	ram->end = 0;
	ram->start = 1;
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM, r->phys,
			    last, ram, cv_ram_found);
	if (ram->end < ram->start)
		return 0;
	if (r->name[0])
		snprintf(name, sizeof(name), "'%s'", r->name);
	else
		snprintf(name, sizeof(name), "#%u", r->index + 1);
	pr_err("cellvisor: cell '%s' refused, nothing was changed: its "
	       "region %s 0x%llx-0x%llx overlaps System RAM that Linux uses, "
	       "at 0x%llx-0x%llx (see /proc/iomem); give the region a phys "
	       "inside the memmap= reserved region (or leave phys out: the "
	       "cell pool places it), or reserve the range with "
	       "memmap=0x%llx$0x%llx and reboot\n", ram->cell, name, r->phys,
	       last, ram->start, ram->end, r->size, r->phys);
	return -EADDRINUSE;
}

/* Every region of the cell blob @dtb lies outside Linux's System RAM. */
static int cv_cell_mem_check(const struct cv_dtb *dtb, const char *cell)
{
	struct cv_ram_piece ram = { .cell = cell };

	return cv_dtb_for_each_region(dtb, cv_region_not_ram, &ram);
}

/* ---- CPUs ---- */

/* A user task allowed on this CPU only would lose its CPU: refuse. */
static int cv_cpu_pinned(unsigned int cpu)
{
	struct task_struct *g, *t;
	char comm[TASK_COMM_LEN];
	pid_t pid = 0;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if ((t->flags & (PF_KTHREAD | PF_EXITING)) || t->exit_state ||
		    t->nr_cpus_allowed != 1 ||
		    !cpumask_test_cpu(cpu, t->cpus_ptr))
			continue;
		pid = task_pid_nr(t);
		get_task_comm(comm, t);
		break;
	}
	rcu_read_unlock();
	if (!pid)
		return 0;
	pr_err("cellvisor: CPU %u: task '%s' (pid %d) is pinned to it; move "
	       "it elsewhere first (taskset)\n", cpu, comm, pid);
	return -EBUSY;
}

static void cv_cpu_prepare(void *data)
{
	long *ret = data;

	*ret = cv_hypercall(*ret, 0, 0);
}

static int cv_cpu_call(unsigned int cpu, unsigned long nr)
{
	long ret = nr;
	int err = smp_call_function_single(cpu, cv_cpu_prepare, &ret, 1);

	return err ? err : ret;
}

static int cv_cpus_check(const struct cpumask *cpus)
{
	unsigned int cpu;
	int err;

	for_each_cpu(cpu, cpus) {
		if (cpu == 0 || !cpu_online(cpu)) {
			pr_err("cellvisor: CPU %u is %s; change the cell "
			       "config's cpus\n", cpu, cpu ?
			       "not online in Linux" : "the root's CPU 0");
			return -EBUSY;
		}
		err = cv_cpu_pinned(cpu);
		if (err)
			return err;
	}
	return 0;
}

/* Linux lets go of the cell's CPUs; the hypervisor catches their halt. */
static int cv_cpus_take(const struct cpumask *cpus)
{
	unsigned int cpu;
	int err = 0;

	for_each_cpu(cpu, cpus) {
		err = cv_cpu_call(cpu, CELLVISOR_HC_CELL_CPU_PREPARE);
		if (err)
			break;
		cpumask_set_cpu(cpu, &cv_hotplug_ok);
		err = remove_cpu(cpu);
		cpumask_clear_cpu(cpu, &cv_hotplug_ok);
		if (err) {
			pr_err("cellvisor: CPU %u cannot go offline (%d); the "
			       "create was undone: try again, or give the cell "
			       "another CPU\n", cpu, err);
			cv_cpu_call(cpu, CELLVISOR_HC_CELL_CPU_CANCEL);
			break;
		}
	}
	return err;
}

/*
 * Onlining sends INIT/SIPI, which the hypervisor must turn into a start
 * of the parked CPU: see Documentation/cells.md for where this stands.
 */
static void cv_cpus_give_back(const struct cpumask *cpus)
{
	unsigned int cpu;
	int err;

	for_each_cpu(cpu, cpus) {
		if (!cell_online_cpus) {
			pr_warn("cellvisor: CPU %u stays offline (the "
				"hypervisor cannot restart it yet); after "
				"'cellctl disable': echo 1 > "
				"/sys/devices/system/cpu/cpu%u/online\n", cpu,
				cpu);
			continue;
		}
		cpumask_set_cpu(cpu, &cv_hotplug_ok);
		err = add_cpu(cpu);
		cpumask_clear_cpu(cpu, &cv_hotplug_ok);
		if (err)
			pr_err("cellvisor: CPU %u did not come back online "
			       "(%d); bring it back with: echo 1 > "
			       "/sys/devices/system/cpu/cpu%u/online\n", cpu,
			       err, cpu);
	}
}

/* ---- ioctls ---- */

int cv_cell_info(u32 id, struct cellvisor_cell_info *info)
{
	unsigned long page = get_zeroed_page(GFP_KERNEL);
	long ret;

	if (!page)
		return -ENOMEM;
	ret = cv_hypercall(CELLVISOR_HC_CELL_INFO, id, __pa(page));
	if (!ret)
		memcpy(info, (void *)page, sizeof(*info));
	free_page(page);
	return ret;
}

/* CPUID always exits: the hypervisor flushes a root CPU at its exits. */
static void cv_root_cpu_exit(void *unused)
{
	unsigned int a, b, c, d;

	cpuid(0, &a, &b, &c, &d);
}

static long cv_cell_create(struct cellvisor_cell_create __user *uarg)
{
	struct cellvisor_cell_create arg;
	struct cv_cell *slot = NULL;
	struct cv_dtb dtb;
	void *blob;
	long ret;
	int i;

	ret = cv_ioctl_arg(&arg, uarg, sizeof(arg));
	if (ret)
		return ret;
	if (arg.flags || !arg.config_size ||
	    arg.config_size > CFG_MAX_BLOB_SIZE)
		return -EINVAL;
	for (i = 0; i < CV_MAX_CELL_IDS && !slot; i++)
		if (!cv_cells[i].id)
			slot = &cv_cells[i];
	if (!slot)
		return -ENOSPC;
	/* kmalloc: physically contiguous, the hypervisor reads it there. */
	blob = kmalloc(arg.config_size, GFP_KERNEL);
	if (!blob)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(blob, u64_to_user_ptr(arg.config), arg.config_size))
		goto out;
	dtb = (struct cv_dtb){ blob, arg.config_size };
	ret = cv_dtb_check(&dtb);
	if (!ret)
		ret = cv_cell_dtb_props(blob, arg.config_size, slot->name,
					&slot->cpus);
	if (ret)
		goto out;
	ret = cv_cell_find(slot->name) ? -EEXIST : 0;
	/* Where its devices sit: only Linux knows the hierarchy. */
	if (!ret)
		ret = cv_pci_check_paths(&dtb, slot->name);
	/* The hypervisor's verdict before Linux gives anything up. */
	if (!ret) {
		ret = cv_hypercall(CELLVISOR_HC_CELL_CHECK, __pa(blob),
				   arg.config_size);
		if (ret)
			pr_err("cellvisor: the hypervisor refused cell '%s' "
			       "(%ld), nothing was changed; 'cellctl console' "
			       "says why\n", slot->name, ret);
	}
	/* Linux's own RAM, which only the driver can tell: still no change. */
	if (!ret)
		ret = cv_cell_mem_check(&dtb, slot->name);
	if (!ret)
		ret = cv_cpus_check(&slot->cpus);
	if (!ret)
		ret = cv_cpus_take(&slot->cpus);
	if (ret)
		goto out;
	ret = cv_pci_take(&dtb, slot->name, &slot->pci);
	if (!ret)
		ret = cv_hypercall(CELLVISOR_HC_CELL_CREATE, __pa(blob),
				   arg.config_size);
	if (ret < 0) {
		pr_err("cellvisor: cell '%s' not created (%ld), its CPUs and "
		       "devices go back to Linux; 'cellctl console' says why\n",
		       slot->name, ret);
		cv_pci_give_back(&slot->pci);
		cv_cpus_give_back(&slot->cpus);
		goto out;
	}
	slot->id = ret;
	slot->loaded = false;
	slot->sysfs = cv_sysfs_cell_add(slot->id, slot->name);
	/* The root lost the cell's memory: no root CPU may keep it cached. */
	on_each_cpu(cv_root_cpu_exit, NULL, 1);
	pr_info("cellvisor: cell '%s' created (id %ld, CPUs %*pbl)\n",
		slot->name, ret, cpumask_pr_args(&slot->cpus));
out:
	kfree(blob);
	return ret;
}

static long cv_cell_ref(void __user *uarg, struct cellvisor_cell_ref *arg,
			struct cv_cell **cell)
{
	long ret = cv_ioctl_arg(arg, uarg, sizeof(*arg));

	if (ret)
		return ret;
	arg->name[CELLVISOR_CELL_NAME_LEN - 1] = 0;
	*cell = cv_cell_find(arg->name);
	return *cell ? 0 : -ESRCH;
}

/* Copies one segment into the region of @info that holds it. */
static int cv_load_segment(const struct cellvisor_cell_info *info,
			   const struct cellvisor_load_segment *seg)
{
	const struct cellvisor_cell_mem *m;
	void *dst;
	u32 i;
	int err;

	for (i = 0; i < info->n_mem && i < CELLVISOR_CELL_INFO_MEM; i++) {
		m = &info->mem[i];
		if (!(m->flags & CFG_MEM_LOADABLE) || seg->guest_addr <
		    m->guest || seg->guest_addr - m->guest >= m->size ||
		    seg->size > m->size - (seg->guest_addr - m->guest))
			continue;
		dst = memremap(m->phys + (seg->guest_addr - m->guest),
			       seg->size, MEMREMAP_WB);
		if (!dst)
			return -ENOMEM;
		err = copy_from_user(dst, u64_to_user_ptr(seg->data),
				     seg->size) ? -EFAULT : 0;
		memunmap(dst);
		return err;
	}
	return -ERANGE;
}

/*
 * The start state goes to the hypervisor twice: checked before anything
 * is copied, set after the copy (@page 0: the config's real-mode entry).
 */
static long cv_cell_set_start(const struct cv_cell *cell, void *page,
			      bool check)
{
	struct cellvisor_start_state *st = page;

	if (!page)
		return check ? 0 : cv_hypercall(CELLVISOR_HC_CELL_SET_START,
						cell->id, 0);
	st->flags = check ? CELLVISOR_START_CHECK : 0;
	return cv_hypercall(CELLVISOR_HC_CELL_SET_START, cell->id, __pa(st));
}

/* The start state from user space in a page of its own, or NULL. */
static long cv_load_start_state(const struct cellvisor_cell_load *arg,
				void **page)
{
	*page = NULL;
	if (!(arg->flags & CELLVISOR_LOAD_START))
		return 0;
	*page = (void *)get_zeroed_page(GFP_KERNEL);
	if (!*page)
		return -ENOMEM;
	if (copy_from_user(*page, u64_to_user_ptr(arg->start),
			   sizeof(struct cellvisor_start_state)))
		return -EFAULT;
	return 0;
}

static long cv_load_segments(const struct cellvisor_cell_load *arg,
			     const struct cellvisor_cell_info *info)
{
	struct cellvisor_load_segment seg;
	long ret = 0;
	u32 i;

	for (i = 0; !ret && i < arg->n_segments; i++) {
		if (copy_from_user(&seg, u64_to_user_ptr(arg->segments) +
				   i * sizeof(seg), sizeof(seg)))
			ret = -EFAULT;
		else
			ret = cv_load_segment(info, &seg);
	}
	return ret;
}

/*
 * A running, failed or exited cell still has its loadable memory: the root no
 * longer maps it, and a copy there would fault in this kernel.
 */
static long cv_load_state_ok(const struct cv_cell *cell, u32 state)
{
	if (state != CELLVISOR_CELL_RUNNING && !cellvisor_cell_stopped(state))
		return 0;
	pr_err("cellvisor: cell '%s' is %s: load refused; 'cellctl shutdown "
	       "%s' first\n", cell->name, cellvisor_cell_state_name(state),
	       cell->name);
	return -EBUSY;
}

/* @size: the caller's struct, CELLVISOR_CELL_LOAD or the older _V1. */
static long cv_cell_load(struct cellvisor_cell_load __user *uarg,
			 unsigned int size)
{
	struct cellvisor_cell_load arg = {};
	struct cellvisor_cell_info *info;
	struct cv_cell *cell;
	void *start = NULL;
	long ret;

	ret = cv_ioctl_arg(&arg, uarg, size);
	if (ret)
		return ret;
	if ((arg.flags & ~CELLVISOR_LOAD_START) || !arg.n_segments ||
	    arg.n_segments > CELLVISOR_CELL_MAX_SEGMENTS)
		return -EINVAL;
	arg.name[CELLVISOR_CELL_NAME_LEN - 1] = 0;
	cell = cv_cell_find(arg.name);
	if (!cell)
		return -ESRCH;
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	ret = cv_cell_info(cell->id, info);
	if (!ret)
		ret = cv_load_state_ok(cell, info->state);
	if (!ret)
		ret = cv_load_start_state(&arg, &start);
	if (!ret)
		ret = cv_cell_set_start(cell, start, true);
	if (!ret)
		ret = cv_load_segments(&arg, info);
	if (!ret)
		ret = cv_cell_set_start(cell, start, false);
	if (!ret)
		cell->loaded = true;
	free_page((unsigned long)start);
	kfree(info);
	return ret;
}

static long cv_cell_list(struct cellvisor_cell_list __user *uarg)
{
	struct cellvisor_cell_list arg;
	struct cellvisor_cell_info *info;
	long n = 0, ret;
	int i;

	ret = cv_ioctl_arg(&arg, uarg, sizeof(arg));
	if (ret)
		return ret;
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	for (i = 0; i < CV_MAX_CELL_IDS; i++) {
		if (!cv_cells[i].id || cv_cell_info(cv_cells[i].id, info))
			continue;
		if (n < arg.max && copy_to_user(u64_to_user_ptr(arg.infos) +
						n * sizeof(*info), info,
						sizeof(*info))) {
			n = -EFAULT;
			break;
		}
		n++;
	}
	kfree(info);
	return n;
}

/*
 * The hypervisor waits for a cell's CPUs or its shutdown answer only a
 * few milliseconds with this CPU's interrupts off; when that was not
 * enough it says -EBUSY (a CPU not parked yet) or -EINPROGRESS (no
 * answer yet), and the call is repeated here, sleeping in between.
 */
#define CV_CELL_WAIT_MS		10000
#define CV_CELL_POLL_MS		10

static long cv_cell_hypercall_wait(unsigned long nr, unsigned long id,
				   unsigned long arg)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(CV_CELL_WAIT_MS);
	long ret;

	for (;;) {
		ret = cv_hypercall(nr, id, arg);
		if (ret != -EBUSY && ret != -EINPROGRESS)
			return ret;
		if (time_after(jiffies, deadline))
			return -EBUSY;
		msleep(CV_CELL_POLL_MS);
	}
}

/*
 * The cell's loadable memory leaves the root first; then every root CPU
 * exits once, dropping translations it may still hold for that memory
 * (a CPU that never exits would keep them); only then may the cell run.
 */
static long cv_cell_start(const struct cv_cell *cell)
{
	long ret = cv_cell_hypercall_wait(CELLVISOR_HC_CELL_START, cell->id,
					  CELLVISOR_START_MAP);

	if (ret)
		return ret;
	on_each_cpu(cv_root_cpu_exit, NULL, 1);
	return cv_hypercall(CELLVISOR_HC_CELL_START, cell->id,
			    CELLVISOR_START_RUN);
}

static long cv_cell_simple(unsigned int cmd, void __user *uarg)
{
	struct cellvisor_cell_ref arg;
	struct cv_cell *cell;
	long ret = cv_cell_ref(uarg, &arg, &cell);

	if (ret)
		return ret;
	switch (cmd) {
	case CELLVISOR_CELL_START:
		if (!cell->loaded)
			return -ENOEXEC;
		return cv_cell_start(cell);
	case CELLVISOR_CELL_SHUTDOWN:
		return cv_cell_hypercall_wait(CELLVISOR_HC_CELL_SHUTDOWN,
					      cell->id, 0);
	case CELLVISOR_CELL_DESTROY:
		ret = cv_shm_block_destroy(cell->id, cell->name) ?:
		      cv_cell_hypercall_wait(CELLVISOR_HC_CELL_DESTROY,
					     cell->id, 0);
		if (ret)
			return ret;
		pr_info("cellvisor: cell '%s' destroyed\n", cell->name);
		cv_sysfs_cell_del(cell->sysfs);
		cv_pci_give_back(&cell->pci);
		cv_cpus_give_back(&cell->cpus);
		memset(cell, 0, sizeof(*cell));
		return 0;
	}
	return -ENOTTY;
}

static long cv_cell_shm(struct cellvisor_cell_shm __user *uarg)
{
	struct cellvisor_cell_shm arg;
	struct cv_cell *cell;
	long ret;

	ret = cv_ioctl_arg(&arg, uarg, sizeof(arg));
	if (ret)
		return ret;
	if (arg.flags)
		return -EINVAL;
	arg.name[CELLVISOR_CELL_NAME_LEN - 1] = 0;
	arg.region[CELLVISOR_CELL_NAME_LEN - 1] = 0;
	cell = cv_cell_find(arg.name);
	if (!cell)
		return -ESRCH;
	return cv_shm_open(cell->id, uarg, &arg);
}

/* Called with the driver's ioctl mutex held. */
long cv_cell_ioctl(unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (_IOC_TYPE(cmd) != 0xCE || _IOC_NR(cmd) < 0x10 ||
	    _IOC_NR(cmd) > 0x16)
		return -ENOTTY;
	if (!cv_is_enabled())
		return -ENODEV;
	switch (cmd) {
	case CELLVISOR_CELL_CREATE:
		return cv_cell_create(uarg);
	case CELLVISOR_CELL_LOAD:
	case CELLVISOR_CELL_LOAD_V1:
		return cv_cell_load(uarg, _IOC_SIZE(cmd));
	case CELLVISOR_CELL_LIST:
		return cv_cell_list(uarg);
	case CELLVISOR_CELL_START:
	case CELLVISOR_CELL_SHUTDOWN:
	case CELLVISOR_CELL_DESTROY:
		return cv_cell_simple(cmd, uarg);
	case CELLVISOR_CELL_SHM:
		return cv_cell_shm(uarg);
	}
	return -ENOTTY;
}

/* Hypervisor page-pool pages free, for leak tests. */
long cv_cell_pool_free(void)
{
	return cv_hypercall(CELLVISOR_HC_POOL_FREE, 0, 0);
}
