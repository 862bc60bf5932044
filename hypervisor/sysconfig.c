// SPDX-License-Identifier: GPL-2.0
/* Enable-time loading of the system config: parse, re-check, keep. */
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/setup.h>
#include <hv/sysconfig.h>
#include <asm/vcpu.h>

#include "config.h"

const struct cfg_system *sys_config;

/*
 * The page pool hands out single pages.  It is first fit over a bitmap,
 * so pages taken one after another from a pool nobody has freed into are
 * adjacent; anything else is treated as out of memory rather than trusted.
 */
void *sysconfig_alloc(u64 size)
{
	u64 pages = PAGE_ALIGN(size) / PAGE_SIZE, i;
	u8 *first = NULL, *page;

	for (i = 0; i < pages; i++) {
		page = page_alloc();
		if (!first)
			first = page;
		if (!page || page != first + i * PAGE_SIZE) {
			page_free(page);
			sysconfig_free(first, i * PAGE_SIZE);
			return NULL;
		}
	}
	return first;
}

void sysconfig_free(void *p, u64 size)
{
	u64 i;

	for (i = 0; p && i < PAGE_ALIGN(size) / PAGE_SIZE; i++)
		page_free((u8 *)p + i * PAGE_SIZE);
}

/*
 * The driver copies the blob into the region, between the core and the
 * per-CPU areas; the root cell loses access to the region when it becomes
 * a guest, so the blob cannot change under us after this check.  The
 * driver is part of the root cell and not trusted either: its placement
 * is checked before the blob is read.
 */
static int sysconfig_placement_ok(void)
{
	const struct cellvisor_launch *l = &hv_header.launch;

	return l->config_offset >= hv_header.core_size &&
	       l->config_size <= CFG_MAX_BLOB_SIZE &&
	       l->config_offset + l->config_size <= l->percpu_offset &&
	       l->percpu_offset <= l->region_size;
}

/* The config names its vendor by the binding's enum, we by the arch's. */
static u32 sysconfig_cpu_vendor(void)
{
	switch (x86_cpu_vendor()) {
	case X86_VENDOR_INTEL:
		return CFG_CPU_VENDOR_INTEL;
	case X86_VENDOR_AMD:
		return CFG_CPU_VENDOR_AMD;
	default:
		return CFG_CPU_VENDOR_OTHER;
	}
}

int sysconfig_load(void)
{
	const struct cfg_machine machine = {
		.cpu_vendor = sysconfig_cpu_vendor(),
		.cpus = hv.cpus,
		.region_phys = hv.region_phys,
		.region_size = hv.region_size,
	};
	struct cfg_system *sys;
	const char *why = "unknown";
	int err;

	if (!sysconfig_placement_ok()) {
		pr_err("system config: misplaced by the driver\n");
		return -EINVAL;
	}
	sys = sysconfig_alloc(sizeof(*sys));
	if (!sys) {
		pr_err("system config: no memory to parse it\n");
		return -ENOMEM;
	}
	err = cfg_parse_system(hv.config, hv.config_size, sys, &why);
	if (!err)
		err = cfg_check_system_machine(sys, &machine, &why);
	if (err) {
		pr_err("system config rejected: %s (%d)\n", why, err);
		sysconfig_free(sys, sizeof(*sys));
		return err;
	}
	sys_config = sys;
	return 0;
}
