// SPDX-License-Identifier: GPL-2.0
/* Self-relocation: the image is linked at 0 and runs wherever Linux maps it. */
#include <hv/setup.h>

#define R_X86_64_RELATIVE	8

struct elf64_rela {
	u64 offset;
	u64 info;
	s64 addend;
};

extern const struct elf64_rela __rela_start[], __rela_end[];

/*
 * The region's virtual address is only known at enable time (the driver
 * picks it with vmap), so the image is position independent.  The only
 * absolute addresses left are pointers stored in data (libfdt's tables,
 * our own tables); the linker leaves them as RELATIVE entries which this
 * applies once, before any CPU uses such a pointer.  The build checks
 * that no other relocation type exists.
 */
int reloc_apply(u64 base)
{
	const struct elf64_rela *r;

	for (r = __rela_start; r < __rela_end; r++) {
		if ((u32)r->info != R_X86_64_RELATIVE)
			return -ENOEXEC;
		*(u64 *)(base + r->offset) = base + r->addend;
	}
	return 0;
}
