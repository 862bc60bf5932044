// SPDX-License-Identifier: GPL-2.0
/* /dev/cellvisor-console (hypervisor console ring) and root exit stats. */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <cellvisor/cell.h>
#include <cellvisor/console.h>
#include <cellvisor/header.h>
#include <cellvisor/hypercall.h>
#include "cellvisor.h"

/* The region of the last enable: its ring stays readable after it ends. */
static struct {
	phys_addr_t phys;
	u64 size;
} cvc_last;

void cv_console_region(phys_addr_t phys, u64 size)
{
	cvc_last.phys = phys;
	cvc_last.size = size;
}

/*
 * A page the hypervisor writes into: below 4 GiB, inside the physical
 * window through which the hypervisor reaches root memory (64 GiB).
 */
static void *cvc_page(void)
{
	return (void *)get_zeroed_page(GFP_KERNEL | GFP_DMA32);
}

/* Where the ring lies in a region whose header is at @h, or 0. */
static u64 cvc_ring_offset(const struct cellvisor_header *h, u64 size)
{
	u64 off = READ_ONCE(h->console_offset);

	if (off < sizeof(*h) || off > size ||
	    size - off < sizeof(struct cellvisor_console_ring))
		return 0;
	return off;
}

/* Reads the last run's ring straight from reserved RAM (not enabled). */
static long cvc_fetch_last(u64 pos, struct cellvisor_console_read *r)
{
	struct cellvisor_console_ring *ring;
	struct cellvisor_header *h;
	u64 off;

	if (!cvc_last.size)
		return 0;
	h = memremap(cvc_last.phys, PAGE_SIZE, MEMREMAP_WB);
	if (!h)
		return -ENOMEM;
	off = cvc_ring_offset(h, cvc_last.size);
	memunmap(h);
	if (!off)
		return 0;
	ring = memremap(cvc_last.phys + off, sizeof(*ring), MEMREMAP_WB);
	if (!ring)
		return -ENOMEM;
	cellvisor_console_copy(ring, pos, r->data, CELLVISOR_CONSOLE_READ_MAX,
			       r);
	memunmap(ring);
	return r->len;
}

/*
 * While the hypervisor runs its memory is gone from the root's nested page
 * tables, so it copies the bytes into a page of ours.  Called with cv_lock.
 */
static long cvc_fetch(u64 pos, struct cellvisor_console_read *r)
{
	if (!cv_is_enabled())
		return cvc_fetch_last(pos, r);
	return cv_hypercall(CELLVISOR_HC_CONSOLE_READ, virt_to_phys(r), pos);
}

/*
 * The file position is the ring position, so a reader that keeps the file
 * open follows new output, and lseek(fd, 0, SEEK_SET) starts over at the
 * oldest byte.  0 bytes: nothing new yet (cellctl console -f polls).
 */
static ssize_t cvc_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	struct cellvisor_console_read *r;
	size_t mlen = 0, n;
	char marker[64];
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (*ppos < 0)
		return -EINVAL;
	r = cvc_page();
	if (!r)
		return -ENOMEM;
	mutex_lock(&cv_lock);
	ret = cvc_fetch(*ppos, r);
	mutex_unlock(&cv_lock);
	if (ret <= 0)
		goto out;
	if (r->len > CELLVISOR_CONSOLE_READ_MAX) {
		ret = -EIO;
		goto out;
	}
	/* Lost bytes from an earlier read position are worth a note. */
	if (r->lost && *ppos)
		mlen = scnprintf(marker, sizeof(marker),
				 "\n[%llu bytes of hypervisor console lost]\n",
				 (unsigned long long)r->lost);
	if (mlen >= count)
		mlen = 0;
	n = min_t(size_t, r->len, count - mlen);
	if (copy_to_user(ubuf, marker, mlen) ||
	    copy_to_user(ubuf + mlen, r->data, n)) {
		ret = -EFAULT;
		goto out;
	}
	*ppos = r->pos + n;
	ret = mlen + n;
out:
	free_page((unsigned long)r);
	return ret;
}

static const struct file_operations cvc_fops = {
	.owner = THIS_MODULE,
	.read = cvc_read,
	.llseek = default_llseek,
};

static struct miscdevice cvc_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "cellvisor-console",
	.fops = &cvc_fops,
	.mode = 0600,
};

/* Prints one ring line to dmesg if the hypervisor flagged it an error. */
static void cvc_print_error(const char *line, size_t len)
{
	if (strnstr(line, "ERROR", len))
		pr_err("cellvisor: hypervisor: %.*s\n", (int)len, line);
}

/*
 * After a failed enable the hypervisor's reasons are in its ring, which
 * a machine without a serial port shows nowhere else: copy its error
 * lines to the kernel log.  @region is the driver's mapping of the region.
 */
void cv_console_dump_errors(const void *region, u64 size)
{
	const struct cellvisor_header *h = region;
	struct cellvisor_console_read *r;
	size_t start = 0, i;
	u64 off = cvc_ring_offset(h, size), pos = 0;

	r = (void *)get_zeroed_page(GFP_KERNEL);
	if (!off || !r)
		goto out;
	do {
		cellvisor_console_copy(region + off, pos, r->data,
				       CELLVISOR_CONSOLE_READ_MAX, r);
		/* Lines longer than a read are cut, not lost. */
		for (i = 0, start = 0; i < r->len; i++) {
			if (r->data[i] != '\n' && i + 1 < r->len)
				continue;
			cvc_print_error(r->data + start, i - start +
					(r->data[i] != '\n'));
			start = i + 1;
		}
		pos = r->pos + r->len;
	} while (r->len);
out:
	free_page((unsigned long)r);
}

/* ---- root exit statistics: /sys/class/misc/cellvisor/stats/cpuN ---- */

static struct dev_ext_attribute *cvs_attrs;
static struct attribute **cvs_list;
static struct attribute_group cvs_group = { .name = "stats" };
static struct device *cvs_dev;

static ssize_t cvs_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	static const char *const names[] = CELLVISOR_EXIT_NAMES;
	unsigned long cpu = (unsigned long)container_of(attr,
			struct dev_ext_attribute, attr)->var;
	u64 *counts = cvc_page();
	long ret = -ENODEV;
	int i, len = 0;

	BUILD_BUG_ON(ARRAY_SIZE(names) != CELLVISOR_ROOT_STATS_REASONS);
	if (!counts)
		return -ENOMEM;
	mutex_lock(&cv_lock);
	if (cv_is_enabled())
		ret = cv_hypercall(CELLVISOR_HC_ROOT_STATS,
				   virt_to_phys(counts), cpu);
	mutex_unlock(&cv_lock);
	for (i = 0; ret == CELLVISOR_ROOT_STATS_REASONS && i < ret; i++)
		len += sysfs_emit_at(buf, len, "%s %llu\n", names[i],
				     (unsigned long long)counts[i]);
	free_page((unsigned long)counts);
	if (ret < 0)
		return ret;
	return ret == CELLVISOR_ROOT_STATS_REASONS ? len : -EIO;
}

static int cvs_init(struct device *dev)
{
	unsigned int n = min_t(unsigned int, nr_cpu_ids, CELLVISOR_MAX_CPUS);
	unsigned int i;
	int err;

	cvs_attrs = kcalloc(n, sizeof(*cvs_attrs), GFP_KERNEL);
	cvs_list = kcalloc(n + 1, sizeof(*cvs_list), GFP_KERNEL);
	if (!cvs_attrs || !cvs_list)
		goto nomem;
	for (i = 0; i < n; i++) {
		struct dev_ext_attribute *a = &cvs_attrs[i];

		a->attr.attr.name = kasprintf(GFP_KERNEL, "cpu%u", i);
		if (!a->attr.attr.name)
			goto nomem;
		sysfs_attr_init(&a->attr.attr);
		a->attr.attr.mode = 0444;
		a->attr.show = cvs_show;
		a->var = (void *)(unsigned long)i;
		cvs_list[i] = &a->attr.attr;
	}
	cvs_group.attrs = cvs_list;
	err = sysfs_create_group(&dev->kobj, &cvs_group);
	if (err)
		goto free;
	cvs_dev = dev;
	return 0;
nomem:
	err = -ENOMEM;
free:
	for (i = 0; cvs_attrs && i < n; i++)
		kfree(cvs_attrs[i].attr.attr.name);
	kfree(cvs_attrs);
	kfree(cvs_list);
	cvs_attrs = NULL;
	cvs_list = NULL;
	return err;
}

static void cvs_exit(void)
{
	unsigned int n = min_t(unsigned int, nr_cpu_ids, CELLVISOR_MAX_CPUS);
	unsigned int i;

	if (!cvs_dev)
		return;
	sysfs_remove_group(&cvs_dev->kobj, &cvs_group);
	for (i = 0; i < n; i++)
		kfree(cvs_attrs[i].attr.attr.name);
	kfree(cvs_attrs);
	kfree(cvs_list);
	cvs_dev = NULL;
}

int cv_console_init(struct device *cv_dev)
{
	int err = cvs_init(cv_dev);

	if (err)
		return err;
	err = misc_register(&cvc_misc);
	if (err)
		cvs_exit();
	return err;
}

void cv_console_exit(void)
{
	misc_deregister(&cvc_misc);
	cvs_exit();
}
