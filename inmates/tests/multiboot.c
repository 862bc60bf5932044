// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot test kernel: checks what a Multiboot loader gave it (magic,
 * CPU state, command line, memory map, modules) and prints PASS or FAIL.
 * Built twice: multiboot.elf loads by its ELF program headers,
 * multiboot-aout.bin by the a.out-kludge fields of its header. Options on
 * the Multiboot command line: mods=N, mod_len=N, mod_sum=N (byte sum of
 * module 0), mod_string=TEXT, mem_lower=KiB, mem_upper=KiB, map=N
 * (entries of the memory map).
 */
#include <inmate.h>

#define MB_HEADER_MAGIC		0x1BADB002
#define MB_BOOT_MAGIC		0x2BADB002
#define MB_INFO_NEEDED		((1 << 0) | (1 << 2) | (1 << 3) | (1 << 6))
#ifdef MULTIBOOT_AOUT_KLUDGE
#define MB_HEADER_FLAGS		0x00010003	/* page align, memory, a.out */
#else
#define MB_HEADER_FLAGS		0x00000003	/* page align, memory */
#endif
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)
#define X86_EFLAGS_IF		(1u << 9)
#define X86_CR0_PE		(1u << 0)
#define X86_CR0_PG		(1u << 31)

/* In .boot, so within the first 8 KiB of both the ELF and the raw file. */
asm(".pushsection .boot.multiboot, \"a\"\n"
    ".balign 4\n"
    "mb_header:\n"
    ".long " __stringify(MB_HEADER_MAGIC) ", " __stringify(MB_HEADER_FLAGS)
    ", -(" __stringify(MB_HEADER_MAGIC) " + " __stringify(MB_HEADER_FLAGS)
    ")\n"
    ".long mb_header, 0, __image_end, __bss_end, multiboot_entry\n"
    ".popsection\n");

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name;
};

struct mb_module {
	uint32_t mod_start, mod_end, string, reserved;
};

struct mb_mmap_entry {
	uint32_t size;
	uint64_t base_addr, length;
	uint32_t type;
} __attribute__((packed));

extern char __bss_end[];

static unsigned int checks, failed;

static void expect(bool ok, const char *what)
{
	checks++;
	if (!ok)
		failed++;
	printk("multiboot: %s: %s\n", what, ok ? "ok" : "FAILED");
}

/* An option of the loader's command line, or @def. */
static long long opt(const char *cmdline, const char *name, long long def)
{
	return cmdline_parse_int(cmdline, name, def);
}

static void check_entry_state(void)
{
	printk("multiboot: EAX 0x%x EBX 0x%x EFLAGS 0x%x CR0 0x%x\n",
	       boot_loader_magic, boot_loader_info, boot_loader_eflags,
	       boot_loader_cr0);
	expect(boot_loader_magic == MB_BOOT_MAGIC, "EAX holds the magic");
	expect(!(boot_loader_eflags & X86_EFLAGS_IF), "interrupts off");
	expect((boot_loader_cr0 & (X86_CR0_PE | X86_CR0_PG)) == X86_CR0_PE,
	       "protected mode, paging off");
}

static const struct mb_mmap_entry *map_entry(const struct mb_info *mbi,
					     unsigned int i)
{
	return (const void *)(uintptr_t)(mbi->mmap_addr + i * 24);
}

/* Is [addr, addr + len) inside one RAM entry of the map? */
static bool in_ram(const struct mb_info *mbi, uint64_t addr, uint64_t len)
{
	const struct mb_mmap_entry *e;
	unsigned int i;

	for (i = 0; i < mbi->mmap_length / 24; i++) {
		e = map_entry(mbi, i);
		if (e->type == 1 && addr >= e->base_addr &&
		    addr + len <= e->base_addr + e->length)
			return true;
	}
	return false;
}

/* KiB of RAM without a gap from @from (the map is sorted). */
static uint64_t ram_kib(const struct mb_info *mbi, uint64_t from,
			uint64_t limit)
{
	const struct mb_mmap_entry *e;
	uint64_t pos = from;
	unsigned int i;

	for (i = 0; i < mbi->mmap_length / 24; i++) {
		e = map_entry(mbi, i);
		if (e->type == 1 && pos >= e->base_addr &&
		    pos < e->base_addr + e->length)
			pos = e->base_addr + e->length;
	}
	return ((pos < limit ? pos : limit) - from) >> 10;
}

static void check_memory(const struct mb_info *mbi, const char *cmd)
{
	const struct mb_mmap_entry *e;
	unsigned int i, n = mbi->mmap_length / 24;
	bool sorted = true;

	printk("multiboot: mem_lower %u KiB, mem_upper %u KiB\n",
	       mbi->mem_lower, mbi->mem_upper);
	for (i = 0; i < n; i++) {
		e = map_entry(mbi, i);
		printk("multiboot: mmap 0x%llx-0x%llx type %u\n",
		       (unsigned long long)e->base_addr,
		       (unsigned long long)(e->base_addr + e->length - 1),
		       e->type);
		if (e->size != 20 || (i && e->base_addr <
				      map_entry(mbi, i - 1)->base_addr +
				      map_entry(mbi, i - 1)->length))
			sorted = false;
	}
	expect(n == opt(cmd, "map", n) && n > 0, "memory map entries");
	expect(sorted, "memory map sorted, no overlaps");
	expect(mbi->mem_lower == opt(cmd, "mem_lower", mbi->mem_lower) &&
	       mbi->mem_lower == ram_kib(mbi, 0, 640 << 10),
	       "mem_lower matches the map");
	expect(mbi->mem_upper == opt(cmd, "mem_upper", mbi->mem_upper) &&
	       mbi->mem_upper == ram_kib(mbi, 1 << 20, 1ull << 32),
	       "mem_upper matches the map");
	expect(in_ram(mbi, (uintptr_t)mbi, sizeof(*mbi)),
	       "information structure in RAM");
	expect((uintptr_t)mbi >= (uintptr_t)__bss_end,
	       "information structure beside the kernel");
}

static uint32_t byte_sum(const uint8_t *p, uint32_t len)
{
	uint32_t sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

static void check_module(const struct mb_info *mbi, unsigned int i,
			 const char *cmd)
{
	const struct mb_module *m = (const void *)(uintptr_t)mbi->mods_addr;
	uint32_t len = m[i].mod_end - m[i].mod_start;
	uint32_t sum = byte_sum((const void *)(uintptr_t)m[i].mod_start, len);
	const char *s = (const char *)(uintptr_t)m[i].string, *want;
	size_t want_len;

	printk("multiboot: module %u at 0x%x, %u bytes, sum %u, '%s'\n", i,
	       m[i].mod_start, len, sum, s);
	expect(!(m[i].mod_start & 0xfff), "module page aligned");
	expect(in_ram(mbi, m[i].mod_start, len), "module in RAM");
	expect(m[i].mod_start >= (uintptr_t)__bss_end,
	       "module beside the kernel");
	if (i)
		return;
	expect(len == opt(cmd, "mod_len", len), "module length");
	expect(sum == opt(cmd, "mod_sum", sum), "module contents (sum)");
	if (cmdline_find(cmd, "mod_string", &want, &want_len))
		expect(strlen(s) == want_len && !strncmp(s, want, want_len),
		       "module string");
}

void inmate_main(void)
{
	const struct mb_info *mbi = (const void *)(uintptr_t)boot_loader_info;
	const char *cmd = "";
	unsigned int i;

	check_entry_state();
	if (boot_loader_magic != MB_BOOT_MAGIC || !mbi) {
		printk("multiboot: FAIL: not started by a Multiboot loader\n");
		return;
	}
	expect((mbi->flags & MB_INFO_NEEDED) == MB_INFO_NEEDED,
	       "memory, command line, modules and map given");
	if (mbi->flags & (1 << 2))
		cmd = (const char *)(uintptr_t)mbi->cmdline;
	printk("multiboot: cmdline '%s'\n", cmd);
	if (mbi->flags & (1 << 9))
		printk("multiboot: loader '%s'\n",
		       (const char *)(uintptr_t)mbi->boot_loader_name);
	check_memory(mbi, cmd);
	expect(mbi->mods_count == opt(cmd, "mods", 0), "module count");
	for (i = 0; i < mbi->mods_count && i < 8; i++)
		check_module(mbi, i, cmd);
	if (failed)
		printk("multiboot: FAIL: %u of %u checks failed\n", failed,
		       checks);
	else
		printk("multiboot: PASS (%u checks)\n", checks);
}
