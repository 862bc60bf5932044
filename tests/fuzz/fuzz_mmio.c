// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the MMIO decoder (arch/x86/mmio_decode.c) on any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <asm/mmio_decode.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What any decoded instruction satisfies; abort() is a finding. */
static void check(const struct mmio_insn *in, unsigned int n)
{
	if (in->len < 1 || in->len > n || in->len > MMIO_INSN_MAX)
		abort();
	if (in->size != 1 && in->size != 2 && in->size != 4 && in->size != 8)
		abort();
	if (in->reg_size < in->size || in->reg_size > 8 || in->reg > 15)
		abort();
	if (in->high_byte && (in->reg > 3 || in->size != 1))
		abort();
	if (in->imm && (!in->write || in->xchg))
		abort();
}

/*
 * The first byte picks the mode and flags; the rest is the instruction,
 * copied to a buffer of its exact size so that ASan sees any read past
 * it.  The same bytes must decode the same way, also when only the
 * instruction's own bytes are given.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum mmio_mode modes[] = { MMIO_MODE_16, MMIO_MODE_32,
						MMIO_MODE_64 };
	struct mmio_insn a, b;
	enum mmio_mode mode;
	unsigned int flags, n;
	u8 *buf;
	int ra, rb;

	if (size < 1 || size > 64)
		return 0;
	mode = modes[data[0] % 3];
	flags = (data[0] >> 2) & 1;
	n = size - 1;
	buf = malloc(n ? n : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, n);
	ra = mmio_decode(buf, n, mode, flags, &a);
	if (ra != 0 && ra != -EINVAL && ra != -EFAULT)
		abort();
	if (ra) {
		memset(&b, 0, sizeof(b));
		if (memcmp(&a, &b, sizeof(a)))
			abort();
	} else {
		check(&a, n);
		rb = mmio_decode(buf, a.len, mode, flags, &b);
		if (rb || memcmp(&a, &b, sizeof(a)))
			abort();
		mmio_load_result(&a, ~0ULL, mmio_store_value(&a, 0x1234));
	}
	free(buf);
	return 0;
}
