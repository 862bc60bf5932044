// SPDX-License-Identifier: GPL-2.0
/* Enable and disable: checks, loading the image, handing every CPU over. */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/svm.h>
#include <cellvisor/config.h>
#include <cellvisor/header.h>
#include <cellvisor/hypercall.h>
#include "cellvisor.h"

/* Room the hypervisor gets for its page pool beyond image and per-CPU data. */
#define CV_MIN_POOL		(2UL << 20)
#define CV_CPUID1_ECX_VMX	BIT(5)
#define CV_CPUID_EXT1_ECX_SVM	BIT(2)
#define CV_CPUID_SVM_EDX_NPT	BIT(0)
#define CV_VMX_PROC_SECONDARY	BIT(31)
#define CV_VMX_PROC2_EPT	BIT(1)

static struct {
	bool enabled;
	bool amd;
	phys_addr_t phys;
	u64 size;
	void *virt;
	struct resource *res;
	unsigned int cpus;
} cv;

int cv_tramp_enter(cellvisor_entry_fn entry, unsigned int cpu, u64 entry_cr3);
void cv_tramp_leave(void);

struct cv_call {
	cellvisor_entry_fn entry;
	u64 entry_cr3;
	atomic_t errors;
	int result[NR_CPUS];
};

/* ---- CPU checks --------------------------------------------------------- */

/* The two machines a system config can be written for (its cpu-vendor). */
static const struct cv_vendor {
	const char *cfg;	/* the config's cpu-vendor value */
	const char *machine;	/* what such a config is written for */
	const char *name;	/* this CPU, in messages */
	const char *example;	/* a config for such a machine */
} cv_vendors[] = {
	{ CFG_CPU_INTEL, "an Intel VT-x machine", "Intel",
	  "configs/x86/bochs-vmx.yaml under Bochs" },
	{ CFG_CPU_AMD, "an AMD-V machine", "AMD",
	  "configs/x86/qemu-svm.yaml under QEMU" },
};

/* This CPU's entry in cv_vendors, or NULL for a vendor we do not run on. */
static const struct cv_vendor *cv_this_vendor(void)
{
	switch (boot_cpu_data.x86_vendor) {
	case X86_VENDOR_INTEL:
		return &cv_vendors[0];
	case X86_VENDOR_AMD:
	case X86_VENDOR_HYGON:
		return &cv_vendors[1];
	default:
		return NULL;
	}
}

static void cv_busy_probe(void *data)
{
	atomic_t *busy = data;
	u64 efer;

	/* A set SVME/VMXE bit means another hypervisor (KVM) holds the CPU. */
	if (cv.amd) {
		rdmsrl(MSR_EFER, efer);
		if (efer & EFER_SVME)
			atomic_inc(busy);
	} else if (__read_cr4() & X86_CR4_VMXE) {
		atomic_inc(busy);
	}
}

/*
 * The CPU itself is asked, not boot_cpu_has(): Linux ANDs the features of
 * every CPU that comes online into boot_cpu_data, and a CPU given back by
 * a destroyed cell comes online under the hypervisor, which hides VT-x and
 * AMD-V from the root.  The flags then say "no VT-x" for good and an
 * enable after disable would be refused.  Before enable CPUID is native.
 */
static bool cv_has_svm(void)
{
	return cpuid_ecx(0x80000001) & CV_CPUID_EXT1_ECX_SVM;
}

static bool cv_has_npt(void)
{
	return cpuid_eax(0x80000000) >= 0x8000000a &&
	       (cpuid_edx(0x8000000a) & CV_CPUID_SVM_EDX_NPT);
}

static bool cv_has_vmx(void)
{
	return cpuid_ecx(1) & CV_CPUID1_ECX_VMX;
}

/* EPT: allowed in the secondary controls, which must be allowed too. */
static bool cv_has_ept(void)
{
	u64 ctls, ctls2;

	return !rdmsrl_safe(MSR_IA32_VMX_PROCBASED_CTLS, &ctls) &&
	       ((ctls >> 32) & CV_VMX_PROC_SECONDARY) &&
	       !rdmsrl_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &ctls2) &&
	       ((ctls2 >> 32) & CV_VMX_PROC2_EPT);
}

static int cv_check_amd(void)
{
	u64 vm_cr;

	if (!cv_has_svm()) {
		pr_err("cellvisor: this AMD CPU has no AMD-V (SVM); use a CPU "
		       "or emulator with SVM (QEMU: -cpu max)\n");
		return -ENODEV;
	}
	rdmsrl(MSR_VM_CR, vm_cr);
	if (vm_cr & (1 << SVM_VM_CR_SVM_DISABLE)) {
		pr_err("cellvisor: AMD-V is disabled by the firmware; enable "
		       "SVM in the BIOS setup\n");
		return -ENODEV;
	}
	if (!cv_has_npt()) {
		pr_err("cellvisor: AMD-V without nested paging (NPT) is not "
		       "supported; use a CPU with NPT (every AMD-V CPU since "
		       "2008) or QEMU -cpu max\n");
		return -ENODEV;
	}
	return 0;
}

static int cv_check_intel(void)
{
	u64 fc;

	if (!cv_has_vmx()) {
		pr_err("cellvisor: this Intel CPU has no VT-x (VMX); use a CPU "
		       "with VT-x, or in a VM enable nested VT-x (kvm_intel "
		       "nested=1, -cpu host)\n");
		return -ENODEV;
	}
	rdmsrl(MSR_IA32_FEAT_CTL, fc);
	if (!(fc & FEAT_CTL_LOCKED) ||
	    !(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("cellvisor: VT-x is disabled by the firmware; enable "
		       "virtualization in the BIOS setup\n");
		return -ENODEV;
	}
	if (!cv_has_ept()) {
		pr_err("cellvisor: VT-x without EPT is not supported; use a "
		       "CPU with EPT (Nehalem or later; Bochs: cpu: "
		       "model=corei7_skylake_x)\n");
		return -ENODEV;
	}
	return 0;
}

static int cv_check_cpus(void)
{
	const struct cv_vendor *vendor = cv_this_vendor();
	atomic_t busy = ATOMIC_INIT(0);
	int err;

	if (!vendor) {
		pr_err("cellvisor: unsupported CPU vendor '%s'; Cellvisor "
		       "runs on Intel (VT-x) and AMD (AMD-V) x86-64 CPUs\n",
		       boot_cpu_data.x86_vendor_id);
		return -ENODEV;
	}
	cv.amd = vendor != &cv_vendors[0];
	err = cv.amd ? cv_check_amd() : cv_check_intel();
	if (err)
		return err;
	on_each_cpu(cv_busy_probe, &busy, 1);
	if (atomic_read(&busy)) {
		pr_err("cellvisor: %s is already in use by another hypervisor; "
		       "stop its VMs and unload it (rmmod %s) first\n",
		       cv.amd ? "AMD-V" : "VT-x",
		       cv.amd ? "kvm_amd" : "kvm_intel");
		return -EBUSY;
	}
	return 0;
}

/* ---- the system config ------------------------------------------------- */

/* A config for the other vendor's machine: refused before any CPU check. */
static int cv_check_config_vendor(const struct cv_dtb *dtb)
{
	const struct cv_vendor *cpu = cv_this_vendor(), *cfg = NULL;
	char vendor[8];
	unsigned int i;
	int err;

	err = cv_dtb_read_str(dtb, CFG_NODE_PLATFORM, CFG_PROP_CPU_VENDOR,
			      vendor, sizeof(vendor));
	if (err == -ENOENT) {
		pr_err("cellvisor: the system config names no CPU vendor; add "
		       "'cpu-vendor: intel' or 'cpu-vendor: amd' under "
		       "platform: and compile it with this cellctl\n");
		return -EINVAL;
	}
	for (i = 0; !err && i < ARRAY_SIZE(cv_vendors); i++)
		if (!strcmp(vendor, cv_vendors[i].cfg))
			cfg = &cv_vendors[i];
	if (!cfg) {
		pr_err("cellvisor: the system config's cpu-vendor is neither "
		       "'intel' nor 'amd'; 'cellctl config check' shows it\n");
		return -EINVAL;
	}
	if (cpu && cfg != cpu) {
		pr_err("cellvisor: the system config is for %s (cpu-vendor: "
		       "%s), this CPU is %s: use a config written for this "
		       "machine (cpu-vendor: %s), e.g. %s, or one made from "
		       "configs/x86/board-template.yaml\n", cfg->machine,
		       cfg->cfg, cpu->name, cpu->cfg, cpu->example);
		return -ENOEXEC;
	}
	return 0;
}

static int cv_check_config(const struct cv_dtb *dtb)
{
	if (cv_dtb_check(dtb)) {
		pr_err("cellvisor: the system config is not a DTB; compile it "
		       "with 'cellctl config compile'\n");
		return -EINVAL;
	}
	return cv_check_config_vendor(dtb);
}

/* ---- reserved region ---------------------------------------------------- */

static int cv_count_reserved(struct resource *res, void *arg)
{
	*(u64 *)arg += resource_size(res);
	return 0;
}

/*
 * Bytes of [phys, phys + size) that the firmware or memmap=...$... marked
 * reserved. A region that is not System RAM may still lie outside RAM
 * altogether, where the hypervisor would run on nothing: all of it must be
 * reserved RAM. The walk hands us each reserved range clipped to ours.
 */
static u64 cv_reserved_bytes(u64 phys, u64 size)
{
	u64 bytes = 0;

	walk_iomem_res_desc(IORES_DESC_RESERVED, IORESOURCE_MEM, phys,
			    phys + size - 1, &bytes, cv_count_reserved);
	return bytes;
}

static int cv_claim_region(const struct cv_dtb *dtb)
{
	u64 phys, size;

	if (cv_dtb_read_u64(dtb, CFG_NODE_HYPERVISOR, CFG_PROP_PHYS, &phys) ||
	    cv_dtb_read_u64(dtb, CFG_NODE_HYPERVISOR, CFG_PROP_SIZE, &size)) {
		pr_err("cellvisor: system config has no hypervisor { phys; "
		       "size; }; add 'hypervisor: {phys: ADDR, size: SIZE}' "
		       "('cellctl config check' shows where)\n");
		return -EINVAL;
	}
	if (!size || (phys | size) & ~PAGE_MASK || phys + size < phys) {
		pr_err("cellvisor: hypervisor region 0x%llx+0x%llx is not page "
		       "aligned; make hypervisor phys and size multiples of "
		       "4K in the system config\n", phys, size);
		return -EINVAL;
	}
	if (region_intersects(phys, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("cellvisor: hypervisor region 0x%llx+0x%llx is not "
		       "reserved; boot Linux with memmap=0x%llx$0x%llx (escape "
		       "the $ in GRUB)\n", phys, size, size, phys);
		return -EINVAL;
	}
	if (cv_reserved_bytes(phys, size) != size) {
		pr_err("cellvisor: hypervisor region 0x%llx+0x%llx is not all "
		       "reserved RAM (outside RAM, or only partly reserved): "
		       "pick a range inside the machine's RAM (see /proc/iomem), "
		       "reserve it with memmap=0x%llx$ADDR and put ADDR in the "
		       "system config\n", phys, size, size);
		return -EINVAL;
	}
	cv.res = request_mem_region(phys, size, "cellvisor");
	if (!cv.res) {
		pr_err("cellvisor: hypervisor region 0x%llx+0x%llx is used by "
		       "another driver (see /proc/iomem); choose a free "
		       "reserved range, or boot with memmap=SIZE$ADDR, not "
		       "memmap=SIZE!ADDR (a pmem device)\n", phys, size);
		return -EBUSY;
	}
	cv.phys = phys;
	cv.size = size;
	return 0;
}

static void cv_release_region(void)
{
	release_mem_region(cv.phys, cv.size);
	cv.res = NULL;
}

/* ---- entry page tables -------------------------------------------------- */

/*
 * Top-level slot 256 is the guard hole Linux leaves to hypervisors in both
 * 4- and 5-level layouts; the region is mapped there, read/write/execute,
 * in page tables that otherwise share Linux's kernel half.
 */
#define CV_HV_SLOT		256UL
#define CV_PTE_TABLE		(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | \
				 _PAGE_DIRTY)

static struct {
	unsigned long *pages;	/* every table page, for freeing */
	unsigned int count, max;
	u64 *root;
	unsigned int levels;
} cv_pt;

static u64 *cv_pt_alloc(void)
{
	u64 *page;

	if (cv_pt.count == cv_pt.max)
		return NULL;
	page = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (page)
		cv_pt.pages[cv_pt.count++] = (unsigned long)page;
	return page;
}

static void cv_pt_free(void)
{
	while (cv_pt.count)
		free_page(cv_pt.pages[--cv_pt.count]);
	kfree(cv_pt.pages);
	cv_pt.pages = NULL;
	cv_pt.root = NULL;
}

static unsigned long cv_hv_virt(void)
{
	unsigned int top = cv_pt.levels == 5 ? 48 : 39;

	return (unsigned long)(-1L << (top + 9)) | (CV_HV_SLOT << top);
}

static int cv_pt_map_page(unsigned long virt, u64 phys)
{
	u64 *table = cv_pt.root, *next;
	unsigned int level;

	for (level = cv_pt.levels; level > 1; level--) {
		u64 *e = &table[(virt >> (12 + 9 * (level - 1))) & 511];

		if (!*e) {
			next = cv_pt_alloc();
			if (!next)
				return -ENOMEM;
			*e = __pa(next) | CV_PTE_TABLE;
		}
		table = __va(*e & PTE_PFN_MASK);
	}
	table[(virt >> 12) & 511] = phys | CV_PTE_TABLE;
	return 0;
}

static int cv_build_entry_tables(void)
{
	u64 *linux_root = __va(__read_cr3() & CR3_ADDR_MASK);
	unsigned long virt, off;
	int err;

	cv_pt.levels = (__read_cr4() & X86_CR4_LA57) ? 5 : 4;
	/* Leaf tables, one per 2 MiB, plus the chain above them and the root. */
	cv_pt.max = (cv.size >> 21) + 2 * cv_pt.levels + 2;
	cv_pt.pages = kcalloc(cv_pt.max, sizeof(*cv_pt.pages), GFP_KERNEL);
	if (!cv_pt.pages)
		return -ENOMEM;
	cv_pt.count = 0;
	cv_pt.root = cv_pt_alloc();
	if (!cv_pt.root) {
		cv_pt_free();
		return -ENOMEM;
	}
	/* Linux's kernel-half top-level entries never change after boot. */
	memcpy(cv_pt.root + 256, linux_root + 256, 256 * sizeof(u64));
	cv_pt.root[CV_HV_SLOT] = 0;
	virt = cv_hv_virt();
	for (off = 0; off < cv.size; off += PAGE_SIZE) {
		err = cv_pt_map_page(virt + off, cv.phys + off);
		if (err) {
			cv_pt_free();
			return err;
		}
	}
	return 0;
}

/* ---- loading ------------------------------------------------------------ */

static int cv_load(const void *image, size_t image_size,
		   const void *config, size_t config_size)
{
	struct cellvisor_header *h;
	u64 percpu_offset, need;
	int err;

	err = cellvisor_header_check(image, image_size, cv.size, cv.cpus);
	h = (struct cellvisor_header *)image;
	if (err == -EPROTO) {
		pr_err("cellvisor: cellvisor.bin has ABI %u.%u, this driver "
		       "needs %u.x; use driver/cellvisor.ko and "
		       "hypervisor/cellvisor.bin of the same build\n",
		       h->abi_version >> 16, h->abi_version & 0xffff,
		       CELLVISOR_ABI_MAJOR);
		return err;
	}
	if (err == -E2BIG) {
		pr_err("cellvisor: %u CPUs online, cellvisor.bin supports %u; "
		       "boot with nr_cpus=%u, or build the image for more\n",
		       cv.cpus, h->max_cpus, h->max_cpus);
		return err;
	}
	if (err) {
		pr_err("cellvisor: cellvisor.bin is not a valid hypervisor "
		       "image (%d); rebuild it (make -C hypervisor) and pass "
		       "hypervisor/cellvisor.bin\n", err);
		return err;
	}
	percpu_offset = PAGE_ALIGN(h->core_size + config_size);
	need = percpu_offset + (u64)h->percpu_size * cv.cpus + CV_MIN_POOL;
	if (need > cv.size) {
		pr_err("cellvisor: hypervisor region too small: 0x%llx bytes "
		       "needed for %u CPUs, config names 0x%llx; grow "
		       "hypervisor size in the system config and the memmap= "
		       "reservation with it\n", need, cv.cpus, cv.size);
		return -EFBIG;
	}

	/* Linux's own mapping is for copying only: it cannot execute it. */
	cv.virt = memremap(cv.phys, cv.size, MEMREMAP_WB);
	if (!cv.virt) {
		pr_err("cellvisor: cannot map the hypervisor region (out of "
		       "vmalloc space); reserve a smaller region, or reboot\n");
		return -ENOMEM;
	}
	err = cv_build_entry_tables();
	if (err) {
		memunmap(cv.virt);
		cv.virt = NULL;
		return err;
	}
	/* Zero everything: .bss, per-CPU areas and the pool start clean. */
	memset(cv.virt, 0, cv.size);
	memcpy(cv.virt, image, image_size);
	memcpy(cv.virt + h->core_size, config, config_size);
	h = cv.virt;
	h->launch = (struct cellvisor_launch) {
		.region_phys = cv.phys,
		.region_size = cv.size,
		.region_virt = cv_hv_virt(),
		.config_offset = h->core_size,
		.config_size = config_size,
		.percpu_offset = percpu_offset,
		.entry_root = (unsigned long)cv_pt.root,
		.leave_entry = (unsigned long)cv_tramp_leave,
		.online_cpus = cv.cpus,
		.tsc_khz = tsc_khz,
	};
	return 0;
}

/* ---- entering and leaving ----------------------------------------------- */

static unsigned int cv_cpu_index(void)
{
	unsigned int cpu, me = smp_processor_id(), idx = 0;

	for_each_online_cpu(cpu) {
		if (cpu == me)
			break;
		idx++;
	}
	return idx;
}

/* stop_machine callback: every online CPU, interrupts off, all at once. */
static int cv_enter_cpu(void *data)
{
	struct cv_call *call = data;
	int cpu = smp_processor_id();

	call->result[cpu] = cv_tramp_enter(call->entry, cv_cpu_index(),
					   call->entry_cr3);
	if (call->result[cpu])
		atomic_inc(&call->errors);
	return 0;
}

static int cv_leave_cpu(void *data)
{
	struct cv_call *call = data;
	int cpu = smp_processor_id();

	call->result[cpu] = cv_hypercall(CELLVISOR_HC_DISABLE, 0, 0);
	if (call->result[cpu])
		atomic_inc(&call->errors);
	return 0;
}

static int cv_first_error(struct cv_call *call)
{
	int cpu;

	for_each_online_cpu(cpu)
		if (call->result[cpu])
			return call->result[cpu];
	return 0;
}

long cv_hypercall(unsigned long nr, unsigned long arg0, unsigned long arg1)
{
	long ret;

	if (cv.amd)
		asm volatile("vmmcall" : "=a" (ret)
			     : "a" (nr), "D" (arg0), "S" (arg1) : "memory");
	else
		asm volatile("vmcall" : "=a" (ret)
			     : "a" (nr), "D" (arg0), "S" (arg1) : "memory");
	return ret;
}

static void cv_unmap_release(void)
{
	cv_pt_free();
	memunmap(cv.virt);
	cv.virt = NULL;
	cv_release_region();
}

int cv_enable(const void *image, size_t image_size,
	      const void *config, size_t config_size)
{
	const struct cv_dtb dtb = { config, config_size };
	struct cv_call *call;
	int err;

	if (cv.enabled) {
		pr_err("cellvisor: the hypervisor is already enabled; run "
		       "'cellctl disable' first\n");
		return -EBUSY;
	}
	err = cv_check_config(&dtb);
	if (!err)
		err = cv_check_cpus();
	if (!err)
		err = cv_claim_region(&dtb);
	if (err)
		return err;
	call = kzalloc(sizeof(*call), GFP_KERNEL);
	if (!call) {
		err = -ENOMEM;
		goto err_release;
	}

	cpus_read_lock();
	cv.cpus = num_online_cpus();
	/* From here the hotplug callbacks refuse CPU changes. */
	cv.enabled = true;
	cpus_read_unlock();

	err = cv_load(image, image_size, config, config_size);
	if (err)
		goto err_free;
	cv_console_region(cv.phys, cv.size);
	call->entry = (cellvisor_entry_fn)(cv_hv_virt() +
		((struct cellvisor_header *)cv.virt)->entry_offset);
	call->entry_cr3 = __pa(cv_pt.root);
	stop_machine(cv_enter_cpu, call, cpu_online_mask);
	err = cv_first_error(call);
	if (err) {
		pr_err("cellvisor: enable failed on the hypervisor side (%d), "
		       "Linux continues unchanged; the hypervisor's reason "
		       "follows ('cellctl console' shows all of it)\n", err);
		cv_console_dump_errors(cv.virt, cv.size);
		goto err_unmap;
	}
	kfree(call);
	pr_info("cellvisor: enabled on %u CPUs, Linux is now the root cell; "
		"the module stays loaded (rmmod is refused) until 'cellctl "
		"disable'\n", cv.cpus);
	return 0;

err_unmap:
	cv_pt_free();
	memunmap(cv.virt);
	cv.virt = NULL;
err_free:
	cv.enabled = false;
	kfree(call);
err_release:
	cv_release_region();
	return err;
}

int cv_disable(void)
{
	struct cv_call *call;
	int err;

	if (!cv.enabled)
		return -EINVAL;
	call = kzalloc(sizeof(*call), GFP_KERNEL);
	if (!call)
		return -ENOMEM;
	stop_machine(cv_leave_cpu, call, cpu_online_mask);
	err = cv_first_error(call);
	kfree(call);
	if (err) {
		pr_err("cellvisor: disable refused by the hypervisor (%d); it "
		       "stays enabled and Linux keeps running under it; "
		       "'cellctl console' says why: report it\n", err);
		return err;
	}
	cv_unmap_release();
	cv.enabled = false;
	pr_info("cellvisor: disabled, Linux runs natively again\n");
	return 0;
}

bool cv_is_enabled(void)
{
	return cv.enabled;
}

/* ---- CPU hotplug -------------------------------------------------------- */

/*
 * While the hypervisor runs, bringing a CPU up would send it INIT, which
 * resets a CPU in guest mode under QEMU and is lost under Bochs; taking
 * one down would leave it behind.  Both are refused until disable.
 */
static int cv_hp_prepare;
static int cv_hp_online;

static int cv_cpu_refuse(unsigned int cpu)
{
	/* Cell create and destroy move CPUs themselves (cell.c). */
	if (cv.enabled && !cv_cell_hotplug_allowed(cpu)) {
		pr_warn("cellvisor: CPU %u cannot change state while the "
			"hypervisor is enabled; cells take CPUs with 'cellctl "
			"create', anything else after 'cellctl disable'\n",
			cpu);
		return -EBUSY;
	}
	return 0;
}

int cv_hotplug_init(void)
{
	cv_hp_prepare = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN,
						  "cellvisor:prepare",
						  cv_cpu_refuse, NULL);
	if (cv_hp_prepare < 0)
		return cv_hp_prepare;
	cv_hp_online = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN,
						 "cellvisor:online",
						 NULL, cv_cpu_refuse);
	if (cv_hp_online < 0) {
		cpuhp_remove_state_nocalls(cv_hp_prepare);
		return cv_hp_online;
	}
	return 0;
}

void cv_hotplug_exit(void)
{
	cpuhp_remove_state_nocalls(cv_hp_online);
	cpuhp_remove_state_nocalls(cv_hp_prepare);
}
