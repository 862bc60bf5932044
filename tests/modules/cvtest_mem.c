// SPDX-License-Identifier: GPL-2.0
/* Test-only module: touch physical memory (the hypervisor's) and survive faults. */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <asm/asm.h>

/*
 * The hypervisor answers a root-cell access to its memory by injecting #GP
 * at the faulting instruction.  Each access here therefore carries its own
 * exception-table entry: the kernel's fixup jumps past it instead of
 * oopsing, and the shell sees -EFAULT.  A plain memcpy would kill the
 * calling task and taint the test run.
 */
static int cvtest_read64(const volatile u64 *p, u64 *val)
{
	int err = -EFAULT;
	u64 v = 0;

	asm volatile("1:	movq (%[p]), %[v]\n"
		     "	xorl %[err], %[err]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : [err] "+r" (err), [v] "+r" (v)
		     : [p] "r" (p)
		     : "memory");
	*val = v;
	return err;
}

static int cvtest_write64(volatile u64 *p, u64 val)
{
	int err = -EFAULT;

	asm volatile("1:	movq %[v], (%[p])\n"
		     "	xorl %[err], %[err]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : [err] "+r" (err)
		     : [p] "r" (p), [v] "r" (val)
		     : "memory");
	return err;
}

static u64 cvtest_value;	/* last value read */
static u64 cvtest_pattern = 0xc0ffee5eedfa11edULL;	/* what writes store */
static unsigned int cvtest_faults;	/* accesses that faulted so far */

/*
 * Maps only the page of @phys, so that any address can be probed: memremap
 * works for reserved ranges (no struct page needed) and for RAM.
 */
static int cvtest_access(u64 phys, bool write)
{
	void *page;
	volatile u64 *p;
	int err;

	if (phys & 7)
		return -EINVAL;
	page = memremap(phys & PAGE_MASK, PAGE_SIZE, MEMREMAP_WB);
	if (!page)
		return -ENOMEM;
	p = page + (phys & ~PAGE_MASK);
	if (write)
		err = cvtest_write64(p, cvtest_pattern);
	else
		err = cvtest_read64(p, &cvtest_value);
	memunmap(page);
	if (err) {
		cvtest_faults++;
		pr_info("cvtest_mem: %s of 0x%llx faulted\n",
			write ? "write" : "read", phys);
	}
	return err;
}

static int cvtest_set_read(const char *val, const struct kernel_param *kp)
{
	u64 phys;
	int err = kstrtou64(val, 0, &phys);

	return err ? err : cvtest_access(phys, false);
}

static int cvtest_set_write(const char *val, const struct kernel_param *kp)
{
	u64 phys;
	int err = kstrtou64(val, 0, &phys);

	return err ? err : cvtest_access(phys, true);
}

static const struct kernel_param_ops cvtest_read_ops = {
	.set = cvtest_set_read,
};

static const struct kernel_param_ops cvtest_write_ops = {
	.set = cvtest_set_write,
};

/*
 * A canary: one page of the root's RAM below 4 GiB (where a cell's inmate
 * library reaches every address) filled with a pattern only this module
 * writes.  A hostile cell aims at 'canary'; 'canary_intact' reads 1 while
 * every byte still holds the pattern.
 */
#define CVTEST_CANARY_BYTE	0xa5
static struct page *cvtest_canary_page;
static u64 cvtest_canary;

static int cvtest_get_canary_intact(char *buf, const struct kernel_param *kp)
{
	const u8 *p = page_address(cvtest_canary_page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE && p[i] == CVTEST_CANARY_BYTE; i++)
		;
	return sysfs_emit(buf, "%d\n", i == PAGE_SIZE);
}

static const struct kernel_param_ops cvtest_canary_intact_ops = {
	.get = cvtest_get_canary_intact,
};

module_param_cb(read, &cvtest_read_ops, NULL, 0200);
MODULE_PARM_DESC(read, "write a physical address: read 8 bytes there "
		 "into 'value'; fails with EFAULT if the access faults");
module_param_cb(write, &cvtest_write_ops, NULL, 0200);
MODULE_PARM_DESC(write, "write a physical address: store 'pattern' there; "
		 "fails with EFAULT if the access faults");
module_param_named(value, cvtest_value, ullong, 0444);
module_param_named(pattern, cvtest_pattern, ullong, 0644);
module_param_named(faults, cvtest_faults, uint, 0444);
module_param_named(canary, cvtest_canary, ullong, 0444);
MODULE_PARM_DESC(canary, "physical address of the canary page");
module_param_cb(canary_intact, &cvtest_canary_intact_ops, NULL, 0444);
MODULE_PARM_DESC(canary_intact, "1 while the canary page is unchanged");

static int __init cvtest_mem_init(void)
{
	cvtest_canary_page = alloc_page(GFP_KERNEL | GFP_DMA32);
	if (!cvtest_canary_page)
		return -ENOMEM;
	memset(page_address(cvtest_canary_page), CVTEST_CANARY_BYTE,
	       PAGE_SIZE);
	cvtest_canary = page_to_phys(cvtest_canary_page);
	return 0;
}

static void __exit cvtest_mem_exit(void)
{
	__free_page(cvtest_canary_page);
}

module_init(cvtest_mem_init);
module_exit(cvtest_mem_exit);

MODULE_DESCRIPTION("Cellvisor system tests: probe physical memory");
MODULE_LICENSE("GPL");
