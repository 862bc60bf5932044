// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: cellctl's YAML front end, checks, compiler and emitter. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cfgtool.h"

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_file *f, *back;
	struct diag d;
	void *blob;
	size_t len;

	if (!sink)
		sink = fopen("/dev/null", "w");
	diag_init(&d, sink);
	f = cfg_load_yaml("fuzz.yaml", data, size, &d);
	if (!f)
		return 0;
	cfg_check(&f, 1, 0, &d);
	/* Whatever checks clean must compile, read back and print. */
	if (!d.errors && f->kind != CFG_KIND_UNKNOWN &&
	    !cfg_compile(f, &blob, &len)) {
		back = cfg_load_dtb("fuzz.dtb", blob, len, &d);
		if (!back)
			abort();	/* cellctl wrote a blob it rejects */
		cfg_emit_yaml(back, sink);
		cfg_free(back);
		free(blob);
	}
	cfg_free(f);
	return 0;
}
