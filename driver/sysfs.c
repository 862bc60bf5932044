// SPDX-License-Identifier: GPL-2.0
/* Per-cell sysfs: cells/NAME/{id,name,state,cpus,memory,reason}, read-only. */
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <cellvisor/cell.h>
#include "cellvisor.h"

/* A cell's directory; outlives the cell while a read still holds it. */
struct cv_cell_kobj {
	struct kobject kobj;
	u32 id;
	bool gone;		/* the cell was destroyed (cv_lock) */
};

static struct kobject *cv_cells_dir;

static struct cv_cell_kobj *to_cell_kobj(struct kobject *kobj)
{
	return container_of(kobj, struct cv_cell_kobj, kobj);
}

/*
 * The hypervisor's view of the cell, under cv_lock like every hypercall.
 * Destroy removes the directory with cv_lock held; a read waiting for
 * the lock would keep that removal waiting forever, so the read gives up
 * sysfs's active protection and holds the kobject itself instead.
 */
static int cv_cell_kobj_info(struct kobject *kobj, struct kobj_attribute *attr,
			     struct cellvisor_cell_info *info)
{
	struct cv_cell_kobj *c = to_cell_kobj(kobj);
	struct kernfs_node *kn;
	int err;

	kn = sysfs_break_active_protection(kobj, &attr->attr);
	if (!kn)
		return -ENODEV;
	mutex_lock(&cv_lock);
	if (c->gone || !cv_is_enabled())
		err = -ENODEV;
	else
		err = cv_cell_info(c->id, info);
	mutex_unlock(&cv_lock);
	sysfs_unbreak_active_protection(kn);
	return err;
}

/* One value of the cell, or a negative errno; info is too big for the stack. */
static ssize_t cv_cell_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf,
			    ssize_t (*emit)(const struct cellvisor_cell_info *,
					    char *))
{
	struct cellvisor_cell_info *info = kzalloc(sizeof(*info), GFP_KERNEL);
	ssize_t ret;

	if (!info)
		return -ENOMEM;
	ret = cv_cell_kobj_info(kobj, attr, info);
	if (!ret)
		ret = emit(info, buf);
	kfree(info);
	return ret;
}

static ssize_t cv_emit_id(const struct cellvisor_cell_info *info, char *buf)
{
	return sysfs_emit(buf, "%u\n", info->id);
}

static ssize_t cv_emit_name(const struct cellvisor_cell_info *info, char *buf)
{
	return sysfs_emit(buf, "%.*s\n", CELLVISOR_CELL_NAME_LEN, info->name);
}

static ssize_t cv_emit_state(const struct cellvisor_cell_info *info, char *buf)
{
	return sysfs_emit(buf, "%s\n", cellvisor_cell_state_name(info->state));
}

static ssize_t cv_emit_cpus(const struct cellvisor_cell_info *info, char *buf)
{
	return sysfs_emit(buf, "%*pbl\n", CELLVISOR_CELL_MAX_CPUS,
			  (const unsigned long *)info->cpus);
}

static ssize_t cv_emit_memory(const struct cellvisor_cell_info *info, char *buf)
{
	return sysfs_emit(buf, "%llu\n", (unsigned long long)info->mem_bytes);
}

/* Why a failed or exited cell stopped; an empty line otherwise. */
static ssize_t cv_emit_reason(const struct cellvisor_cell_info *info, char *buf)
{
	if (!cellvisor_cell_stopped(info->state))
		return sysfs_emit(buf, "\n");
	/* The hypervisor's reason names the CPU already. */
	return sysfs_emit(buf, "%.*s\n", CELLVISOR_CELL_REASON_LEN,
			  info->reason);
}

#define CV_CELL_ATTR(field)						\
static ssize_t field##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return cv_cell_show(kobj, attr, buf, cv_emit_##field);		\
}									\
static struct kobj_attribute cv_cell_attr_##field = __ATTR_RO(field)

CV_CELL_ATTR(id);
CV_CELL_ATTR(name);
CV_CELL_ATTR(state);
CV_CELL_ATTR(cpus);
CV_CELL_ATTR(memory);
CV_CELL_ATTR(reason);

static struct attribute *cv_cell_attrs[] = {
	&cv_cell_attr_id.attr,
	&cv_cell_attr_name.attr,
	&cv_cell_attr_state.attr,
	&cv_cell_attr_cpus.attr,
	&cv_cell_attr_memory.attr,
	&cv_cell_attr_reason.attr,
	NULL,
};
ATTRIBUTE_GROUPS(cv_cell);

static void cv_cell_kobj_release(struct kobject *kobj)
{
	kfree(to_cell_kobj(kobj));
}

static const struct kobj_type cv_cell_ktype = {
	.release = cv_cell_kobj_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = cv_cell_groups,
};

/* cv_lock held. NULL when the directory could not be made (said why). */
struct cv_cell_kobj *cv_sysfs_cell_add(u32 id, const char *name)
{
	struct cv_cell_kobj *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int err;

	if (!c)
		return NULL;
	c->id = id;
	err = kobject_init_and_add(&c->kobj, &cv_cell_ktype, cv_cells_dir,
				   "%s", name);
	if (err) {
		pr_warn("cellvisor: cell '%s' has no sysfs directory (%d); "
			"cellctl list shows it\n", name, err);
		kobject_put(&c->kobj);
		return NULL;
	}
	return c;
}

/* cv_lock held: the directory goes now, a read still running ends empty. */
void cv_sysfs_cell_del(struct cv_cell_kobj *c)
{
	if (!c)
		return;
	c->gone = true;
	kobject_del(&c->kobj);
	kobject_put(&c->kobj);
}

int cv_sysfs_init(struct device *cv_dev)
{
	cv_cells_dir = kobject_create_and_add("cells", &cv_dev->kobj);
	return cv_cells_dir ? 0 : -ENOMEM;
}

void cv_sysfs_exit(void)
{
	kobject_put(cv_cells_dir);
	cv_cells_dir = NULL;
}
