#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build a raw test disk: boot sector, inmate image, optional command line.
# usage: mkdisk.sh BOOTSECT IMAGE OUT [CMDLINE]
set -eu

[ $# -ge 3 ] || { echo "usage: $0 BOOTSECT IMAGE OUT [CMDLINE]" >&2; exit 2; }
boot=$1 image=$2 out=$3 cmdline=${4-}

# Keep in step with bootsect.S (load area 0x10000-0x7ffff) and the Bochs
# geometry in run-boot.sh (1 cylinder, 16 heads, 63 sectors per track).
max_sectors=896
disk_bytes=516096

size=$(stat -c %s "$image")
sectors=$(( (size + 511) / 512 ))
if [ "$sectors" -gt "$max_sectors" ]; then
	echo "mkdisk: $image is $size bytes, more than $max_sectors sectors" >&2
	exit 1
fi

cp "$boot" "$out"
printf "$(printf '\\%03o\\%03o' $((sectors & 255)) $((sectors >> 8)))" |
	dd of="$out" bs=1 seek=508 conv=notrunc status=none
dd if="$image" of="$out" bs=512 seek=1 conv=notrunc status=none

# The library reads its command line from 0x1000 in the image (inmate.h).
if [ -n "$cmdline" ]; then
	printf '%s\000' "$cmdline" |
		dd of="$out" bs=1 seek=$((512 + 0x1000)) conv=notrunc \
			status=none
fi
truncate -s "$disk_bytes" "$out"
