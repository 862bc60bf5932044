/* SPDX-License-Identifier: GPL-2.0 */
/* Global hypervisor state set up once at enable, and address helpers. */
#ifndef _HV_SETUP_H
#define _HV_SETUP_H

#include <hv/types.h>
#include <cellvisor/header.h>

struct hv_info {
	u64 region_phys;
	u64 region_virt;
	u64 region_size;
	const void *config;
	u64 config_size;
	const u64 *entry_root;	/* driver's entry page tables (Linux VA) */
	u64 leave_entry;	/* driver's leave stub (Linux VA) */
	unsigned int cpus;
	u32 tsc_khz;		/* the config's, else Linux's; 0: unknown */
	u16 console_port;
};

extern struct hv_info hv;
extern struct cellvisor_header hv_header;

/* The whole region is mapped linearly, so both directions are offsets. */
static inline u64 hv_pa(const void *va)
{
	return (u64)va - hv.region_virt + hv.region_phys;
}

static inline void *hv_va(u64 pa)
{
	return (void *)(pa - hv.region_phys + hv.region_virt);
}

int reloc_apply(u64 base);
void hv_panic_stop(void);

#endif
