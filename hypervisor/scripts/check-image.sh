#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build-time check of the linked hypervisor: no undefined symbols (a missing
# libc shim would otherwise jump to 0), no SSE/AVX (the hypervisor never
# saves the guest's vector state), only RELATIVE relocations (reloc.c).
set -e
elf=$1
fail=0
undef=$(nm -u "$elf")
if [ -n "$undef" ]; then
	echo "check-image: undefined symbols in $elf:" >&2
	echo "$undef" >&2
	fail=1
fi
if objdump -d "$elf" | grep -E '%[xyz]mm[0-9]' >/dev/null; then
	echo "check-image: SSE/AVX instructions in $elf:" >&2
	objdump -d "$elf" | grep -E '%[xyz]mm[0-9]' | head >&2
	fail=1
fi
bad=$(readelf -rW "$elf" | awk '/^[0-9a-f]+ / && $3 != "R_X86_64_RELATIVE"')
if [ -n "$bad" ]; then
	echo "check-image: relocations other than RELATIVE in $elf:" >&2
	echo "$bad" >&2
	fail=1
fi
# reloc.c applies [__rela_start, __rela_end): all of .rela.dyn.
sym() { nm "$elf" | awk -v s="$1" '$3 == s { print $1 }'; }
size=$(readelf -SW "$elf" | awk '$2 == ".rela.dyn" { print $6 }')
if [ -n "$size" ] && [ $((0x$(sym __rela_end) - 0x$(sym __rela_start))) -ne $((0x$size)) ]; then
	echo "check-image: __rela_start/__rela_end do not bound .rela.dyn" >&2
	fail=1
fi
exit $fail
