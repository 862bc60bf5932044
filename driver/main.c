// SPDX-License-Identifier: GPL-2.0
/* Module entry, /dev/cellvisor with its ioctls, and sysfs attributes. */
#include <linux/capability.h>
#include <linux/firmware.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <cellvisor/header.h>
#include <cellvisor/hypercall.h>
#include <cellvisor/ioctl.h>
#include <cellvisor/version.h>
#include "cellvisor.h"

DEFINE_MUTEX(cv_lock);

/* The system config the hypervisor runs with, kept for cellctl (cv_lock). */
static void *cv_sys_config;
static size_t cv_sys_config_size;

static struct miscdevice cv_misc;

/* The sizes and flags of an enable request, before anything is copied. */
static int cv_enable_arg_check(const struct cellvisor_enable *arg)
{
	if (arg->version != CELLVISOR_IOCTL_VERSION) {
		pr_err("cellvisor: ioctl version %u, driver speaks %u; use "
		       "matching cellctl and driver\n", arg->version,
		       CELLVISOR_IOCTL_VERSION);
		return -EPROTO;
	}
	if (arg->flags & ~CELLVISOR_ENABLE_FIRMWARE) {
		pr_err("cellvisor: enable ioctl: unknown flags 0x%x; use "
		       "matching cellctl and driver\n", arg->flags);
		return -EINVAL;
	}
	if (arg->flags == CELLVISOR_ENABLE_FIRMWARE &&
	    (arg->image || arg->image_size || !arg->config_size ||
	     arg->config_size > CELLVISOR_MAX_CONFIG_SIZE)) {
		pr_err("cellvisor: enable ioctl: with the firmware image, no "
		       "image of its own and a config of 1 byte to %u KiB; "
		       "use 'cellctl enable'\n",
		       CELLVISOR_MAX_CONFIG_SIZE >> 10);
		return -EINVAL;
	}
	if (!arg->flags && (!arg->image_size || !arg->config_size ||
	    arg->image_size > CELLVISOR_MAX_IMAGE_SIZE ||
	    arg->config_size > CELLVISOR_MAX_CONFIG_SIZE)) {
		pr_err("cellvisor: enable ioctl: flags must be 0, the image "
		       "1 byte to %u KiB, the config 1 byte to %u KiB; use "
		       "'cellctl enable'\n", CELLVISOR_MAX_IMAGE_SIZE >> 10,
		       CELLVISOR_MAX_CONFIG_SIZE >> 10);
		return -EINVAL;
	}
	return 0;
}

/* The installed image, /lib/firmware/CELLVISOR_FIRMWARE, into @image. */
static int cv_image_firmware(void **image, size_t *size)
{
	const struct firmware *fw;
	int err = request_firmware(&fw, CELLVISOR_FIRMWARE,
				   cv_misc.this_device);

	if (err) {
		pr_err("cellvisor: no hypervisor image %s in the firmware "
		       "directories (%d); install it (make install puts it in "
		       "/lib/firmware/%s) or give cellctl enable --image "
		       "FILE\n", CELLVISOR_FIRMWARE, err, CELLVISOR_FIRMWARE);
		return err;
	}
	if (!fw->size || fw->size > CELLVISOR_MAX_IMAGE_SIZE) {
		pr_err("cellvisor: /lib/firmware/%s is %zu bytes, not 1 byte to "
		       "%u KiB: install the image again (make install)\n",
		       CELLVISOR_FIRMWARE, fw->size,
		       CELLVISOR_MAX_IMAGE_SIZE >> 10);
		release_firmware(fw);
		return -EINVAL;
	}
	*image = kvmalloc(fw->size, GFP_KERNEL);
	if (*image)
		memcpy(*image, fw->data, fw->size);
	*size = fw->size;
	release_firmware(fw);
	return *image ? 0 : -ENOMEM;
}

/* The image cellctl passed, or the installed one (ENABLE_FIRMWARE). */
static int cv_image_get(const struct cellvisor_enable *arg, void **image,
			size_t *size)
{
	if (arg->flags & CELLVISOR_ENABLE_FIRMWARE)
		return cv_image_firmware(image, size);
	*image = vmemdup_user(u64_to_user_ptr(arg->image), arg->image_size);
	if (IS_ERR(*image))
		return PTR_ERR(*image);
	*size = arg->image_size;
	return 0;
}

static long cv_ioctl_enable(struct cellvisor_enable __user *uarg)
{
	struct cellvisor_enable arg;
	void *image, *config;
	size_t image_size;
	long err;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	err = cv_enable_arg_check(&arg);
	if (err)
		return err;
	config = vmemdup_user(u64_to_user_ptr(arg.config), arg.config_size);
	if (IS_ERR(config))
		return PTR_ERR(config);
	err = cv_image_get(&arg, &image, &image_size);
	if (err) {
		kvfree(config);
		return err;
	}
	err = cv_enable(image, image_size, config, arg.config_size);
	if (!err) {
		__module_get(THIS_MODULE);	/* no rmmod while enabled */
		cv_sys_config = config;
		cv_sys_config_size = arg.config_size;
	} else {
		kvfree(config);
	}
	kvfree(image);
	return err;
}

long cv_ioctl_arg(void *arg, const void __user *uarg, size_t size)
{
	if (copy_from_user(arg, uarg, size))
		return -EFAULT;
	return *(const __u32 *)arg == CELLVISOR_IOCTL_VERSION ? 0 : -EPROTO;
}

bool cv_sys_dma_isolated(void)
{
	struct cv_dtb dtb = { cv_sys_config, cv_sys_config_size };
	char val[8];

	if (!cv_sys_config ||
	    cv_dtb_read_str(&dtb, CFG_NODE_PLATFORM, CFG_PROP_DMA_ISOLATION,
			    val, sizeof(val)))
		return true;
	return strcmp(val, CFG_DMA_ISOLATION_NONE) != 0;
}

static long cv_ioctl_system_config(struct cellvisor_system_config __user *uarg)
{
	struct cellvisor_system_config arg;
	long err = cv_ioctl_arg(&arg, uarg, sizeof(arg));

	if (err)
		return err;
	if (arg.flags)
		return -EINVAL;
	if (!cv_sys_config)
		return -ENODEV;
	if (arg.size < cv_sys_config_size) {
		arg.size = cv_sys_config_size;
		return copy_to_user(uarg, &arg, sizeof(arg)) ? -EFAULT :
		       -ENOSPC;
	}
	arg.size = cv_sys_config_size;
	if (copy_to_user(u64_to_user_ptr(arg.buf), cv_sys_config,
			 cv_sys_config_size) ||
	    copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long cv_ioctl_disable(void)
{
	int err = cv_disable();

	if (err)
		return err;
	kvfree(cv_sys_config);
	cv_sys_config = NULL;
	cv_sys_config_size = 0;
	module_put(THIS_MODULE);
	return 0;
}

static long cv_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	long err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	mutex_lock(&cv_lock);
	switch (cmd) {
	case CELLVISOR_ENABLE:
		err = cv_ioctl_enable((struct cellvisor_enable __user *)arg);
		break;
	case CELLVISOR_SYSTEM_CONFIG:
		err = cv_ioctl_system_config((void __user *)arg);
		break;
	case CELLVISOR_DISABLE:
		/* Cells would lose their hypervisor: destroy them first. */
		err = cv_cells_block_disable() ?: cv_ioctl_disable();
		break;
	default:
		err = cv_cell_ioctl(cmd, arg);
	}
	mutex_unlock(&cv_lock);
	return err;
}

static const struct file_operations cv_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = cv_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", cv_is_enabled());
}
static DEVICE_ATTR_RO(enabled);

static ssize_t abi_version_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u.%u\n", CELLVISOR_ABI_MAJOR,
			  CELLVISOR_ABI_MINOR);
}
static DEVICE_ATTR_RO(abi_version);

/* VM exits of all CPUs: proof that Linux runs as a guest. */
static ssize_t exits_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	long n = -ENODEV;

	mutex_lock(&cv_lock);
	if (cv_is_enabled())
		n = cv_hypercall(CELLVISOR_HC_INFO, CELLVISOR_INFO_EXITS, 0);
	mutex_unlock(&cv_lock);
	return n < 0 ? n : sysfs_emit(buf, "%ld\n", n);
}
static DEVICE_ATTR_RO(exits);

/* Free pages of the hypervisor's pool: cell create/destroy must not leak. */
static ssize_t pool_free_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	long n = -ENODEV;

	mutex_lock(&cv_lock);
	if (cv_is_enabled())
		n = cv_cell_pool_free();
	mutex_unlock(&cv_lock);
	return n < 0 ? n : sysfs_emit(buf, "%ld\n", n);
}
static DEVICE_ATTR_RO(pool_free);

static struct attribute *cv_attrs[] = {
	&dev_attr_pool_free.attr,
	&dev_attr_enabled.attr,
	&dev_attr_abi_version.attr,
	&dev_attr_exits.attr,
	NULL,
};
ATTRIBUTE_GROUPS(cv);

static struct miscdevice cv_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "cellvisor",
	.fops = &cv_fops,
	.groups = cv_groups,
	.mode = 0600,
};

static int __init cv_init(void)
{
	int err = cv_hotplug_init();

	if (err)
		return err;
	err = misc_register(&cv_misc);
	if (err) {
		cv_hotplug_exit();
		return err;
	}
	err = cv_sysfs_init(cv_misc.this_device);
	if (err)
		goto err_misc;
	err = cv_console_init(cv_misc.this_device);
	if (err)
		goto err_sysfs;
	return 0;

err_sysfs:
	cv_sysfs_exit();
err_misc:
	misc_deregister(&cv_misc);
	cv_hotplug_exit();
	return err;
}

static void __exit cv_exit(void)
{
	cv_console_exit();
	cv_sysfs_exit();
	misc_deregister(&cv_misc);
	cv_hotplug_exit();
}

module_init(cv_init);
module_exit(cv_exit);

MODULE_DESCRIPTION("Cellvisor static-partitioning hypervisor driver");
MODULE_LICENSE("GPL");
MODULE_VERSION(CELLVISOR_VERSION);
MODULE_FIRMWARE(CELLVISOR_FIRMWARE);
