// SPDX-License-Identifier: GPL-2.0
/* Build tool: patch sizes and entry into the flat image, then self-check. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cellvisor/header.h>

static int die(const char *what, const char *file)
{
	fprintf(stderr, "mkimage: %s: %s\n", file, what);
	return 1;
}

/* usage: mkimage IMAGE CORE_END ENTRY (hex values from nm) */
int main(int argc, char **argv)
{
	struct cellvisor_header *h;
	static char buf[16 << 20];
	size_t len;
	FILE *f;
	int err;

	if (argc != 4)
		return die("usage: mkimage IMAGE CORE_END ENTRY", "mkimage");
	f = fopen(argv[1], "r+b");
	if (!f)
		return die(strerror(errno), argv[1]);
	len = fread(buf, 1, sizeof(buf), f);
	if (len < sizeof(*h) || len == sizeof(buf))
		return die("bad size", argv[1]);
	h = (struct cellvisor_header *)buf;
	h->image_size = len;
	h->core_size = strtoull(argv[2], NULL, 16);
	h->entry_offset = strtoull(argv[3], NULL, 16);
	err = cellvisor_header_check(buf, len, 0, 0);
	if (err)
		return die(strerror(-err), argv[1]);
	if (fseek(f, 0, SEEK_SET) || fwrite(h, sizeof(*h), 1, f) != 1 ||
	    fclose(f))
		return die("write failed", argv[1]);
	printf("  IMAGE   %s: %zu bytes, %llu in memory, %u bytes/CPU\n",
	       argv[1], len, (unsigned long long)h->core_size,
	       h->percpu_size);
	return 0;
}
