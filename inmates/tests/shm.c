// SPDX-License-Identifier: GPL-2.0
/*
 * Shared-memory inmate: with "shm=ADDR" (the guest address of a region the
 * root also maps), writes a greeting at offset 0, then answers each message
 * the root puts at offset 0x100 (a NUL-terminated string, changed by the
 * root at will) with "ack N: MESSAGE" at offset 0x200 and on the console.
 */
#include <inmate.h>

#define SHM_GREETING	0x000
#define SHM_FROM_ROOT	0x100
#define SHM_TO_ROOT	0x200
#define SHM_MSG_MAX	0xff

static void shm_copy_in(char *dst, const volatile char *src)
{
	unsigned int i;

	for (i = 0; i < SHM_MSG_MAX && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

void inmate_main(void)
{
	volatile char *shm = (volatile char *)(uintptr_t)
		cmdline_parse_int(inmate_cmdline, "shm", 0);
	char seen[SHM_MSG_MAX + 1] = "", now[SHM_MSG_MAX + 1];
	char reply[SHM_MSG_MAX + 1];
	unsigned int acks = 0;
	int n;

	if (!shm)
		panic("shm: give shm=ADDR on the command line\n");
	n = fmt_snprintf(reply, sizeof(reply), "shm: hello from the cell, "
			 "region at 0x%lx\n", (unsigned long)(uintptr_t)shm);
	memcpy((char *)shm + SHM_GREETING, reply, n + 1);
	printk("%s", reply);
	for (;;) {
		shm_copy_in(now, shm + SHM_FROM_ROOT);
		if (!now[0] || !strncmp(now, seen, sizeof(now))) {
			cpu_relax();
			continue;
		}
		memcpy(seen, now, sizeof(seen));
		n = fmt_snprintf(reply, sizeof(reply), "ack %u: %s", ++acks,
				 now);
		memcpy((char *)shm + SHM_TO_ROOT, reply, n + 1);
		printk("shm: %s\n", reply);
	}
}
