// SPDX-License-Identifier: GPL-2.0
/*
 * Shared regions of cells, mapped by root processes: CELL_SHM hands out a
 * file to mmap(), and a cell is not destroyed while such a file is open.
 */
#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <cellvisor/cell.h>
#include <cellvisor/config.h>
#include <cellvisor/ioctl.h>

#include "cellvisor.h"

/* One open shared-region file, and who opened it (for refusals). */
struct cv_shm {
	struct list_head node;
	u32 cell_id;
	phys_addr_t phys;
	u64 size;
	u64 guest;
	bool uncached;
	char region[CELLVISOR_CELL_NAME_LEN];
	pid_t pid;
	char comm[TASK_COMM_LEN];
};

static LIST_HEAD(cv_shm_files);		/* under cv_lock */

static int cv_shm_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct cv_shm *shm = file->private_data;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;

	if (off >= shm->size || len > shm->size - off)
		return -EINVAL;
	if (shm->uncached)
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_flags |= VM_IO | VM_DONTEXPAND | VM_DONTDUMP;
	return remap_pfn_range(vma, vma->vm_start,
			       (shm->phys + off) >> PAGE_SHIFT, len,
			       vma->vm_page_prot);
}

static int cv_shm_release(struct inode *inode, struct file *file)
{
	struct cv_shm *shm = file->private_data;

	mutex_lock(&cv_lock);
	list_del(&shm->node);
	mutex_unlock(&cv_lock);
	kfree(shm);
	return 0;
}

static const struct file_operations cv_shm_fops = {
	.owner = THIS_MODULE,
	.mmap = cv_shm_mmap,
	.release = cv_shm_release,
	.llseek = noop_llseek,
};

/* The region of @info named @region: its index, or -ENOENT. */
static int cv_shm_find(const struct cellvisor_cell_info *info,
		       const char *region)
{
	u32 i;

	for (i = 0; i < info->n_mem && i < CELLVISOR_CELL_INFO_MEM; i++)
		if (!strncmp(info->mem_names[i], region,
			     CELLVISOR_CELL_NAME_LEN))
			return i;
	return -ENOENT;
}

static struct cv_shm *cv_shm_new(const struct cellvisor_cell_info *info,
				 const char *cell, const char *region)
{
	const struct cellvisor_cell_mem *m;
	struct cv_shm *shm;
	int i = cv_shm_find(info, region);

	if (i < 0) {
		pr_err("cellvisor: cell '%s' has no region '%s' (see its "
		       "config's memory names)\n", cell, region);
		return ERR_PTR(-ENOENT);
	}
	m = &info->mem[i];
	if (!(m->flags & CFG_MEM_SHARED)) {
		pr_err("cellvisor: region '%s' of cell '%s' is the cell's "
		       "alone: mark it 'shared: true' in the cell config to "
		       "map it in the root\n", region, cell);
		return ERR_PTR(-EACCES);
	}
	shm = kzalloc(sizeof(*shm), GFP_KERNEL);
	if (!shm)
		return ERR_PTR(-ENOMEM);
	shm->cell_id = info->id;
	shm->phys = m->phys;
	shm->size = m->size;
	shm->guest = m->guest;
	shm->uncached = m->flags & CFG_MEM_IO;
	strscpy(shm->region, region, sizeof(shm->region));
	shm->pid = task_tgid_nr(current);
	get_task_comm(shm->comm, current);
	return shm;
}

/*
 * CELL_SHM for the cell the driver knows as @id, cv_lock held (a release
 * waits for it, so the file is listed before anyone can close it).
 * Returns the new file descriptor.
 */
long cv_shm_open(u32 id, struct cellvisor_cell_shm __user *uarg,
		 struct cellvisor_cell_shm *arg)
{
	struct cellvisor_cell_info *info;
	struct cv_shm *shm;
	long ret;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	ret = cv_cell_info(id, info);
	shm = ret ? ERR_PTR(ret) : cv_shm_new(info, arg->name, arg->region);
	kfree(info);
	if (IS_ERR(shm))
		return PTR_ERR(shm);
	arg->size = shm->size;
	arg->guest = shm->guest;
	if (copy_to_user(uarg, arg, sizeof(*arg))) {
		kfree(shm);
		return -EFAULT;
	}
	ret = anon_inode_getfd("[cellvisor-shm]", &cv_shm_fops, shm,
			       O_RDWR | O_CLOEXEC);
	if (ret < 0) {
		kfree(shm);
		return ret;
	}
	list_add(&shm->node, &cv_shm_files);
	return ret;
}

/*
 * Destroy would pull the memory from under a root process: refuse while
 * one holds a shared region of cell @id open, and name it.  cv_lock held.
 */
int cv_shm_block_destroy(u32 id, const char *cell)
{
	struct cv_shm *shm;
	int n = 0;

	list_for_each_entry(shm, &cv_shm_files, node) {
		if (shm->cell_id != id)
			continue;
		pr_err("cellvisor: cell '%s' is not destroyed: process %d "
		       "(%s) has its shared region '%s' open; close or unmap "
		       "it first\n", cell, shm->pid, shm->comm, shm->region);
		n++;
	}
	return n ? -EBUSY : 0;
}
