#!/bin/sh
# Builds DTBs that break isolation rules, bypassing cellctl's checks (dtc
# edits a compiled config), for tests that the hypervisor refuses them.
#   make-tampered.sh OUTDIR [CELLCTL]
# With CELLCTL "-", OUTDIR must already hold qemu-svm.dtb and hello.dtb
# (compiled from configs/x86/qemu-svm.yaml and hello-qemu.yaml).
# Writes to OUTDIR: the valid qemu-svm.dtb, hello.dtb and, each wrong in one
# way, system-root-over-hv.dtb, cell-over-hv.dtb, cell-cpu0.dtb,
# cell-cpu-taken.dtb (valid alone, takes hello's CPU), cell-guest-overlap.dtb,
# cell-bad-version.dtb. Needs dtc and a built tools/cellctl.
set -eu

out=$1
top=$(cd "$(dirname "$0")/../../.." && pwd)
cellctl=${2:-$top/tools/cellctl}
cfg=$top/configs/x86
mkdir -p "$out"

if [ "$cellctl" != - ]; then
	"$cellctl" config compile -q -o "$out/qemu-svm.dtb" \
		"$cfg/qemu-svm.yaml"
	"$cellctl" config compile -q -s "$cfg/qemu-svm.yaml" \
		-o "$out/hello.dtb" "$cfg/hello-qemu.yaml" 2>/dev/null
fi

# tamper IN OUT SED-SCRIPT: decompile, edit the source text, recompile.
tamper() {
	dtc -q -I dtb -O dts "$out/$1" | sed -e "$3" >"$out/$2.dts"
	if cmp -s "$out/$2.dts" /dev/null; then
		echo "make-tampered: empty result for $2" >&2
		exit 1
	fi
	dtc -q -I dts -O dtb -o "$out/$2" "$out/$2.dts"
	rm -f "$out/$2.dts"
}

# Root cell RAM grows over the hypervisor at 0x30000000.
tamper qemu-svm.dtb system-root-over-hv.dtb \
	'/region-0 {/,/};/s/size = <0x00 0x30000000>/size = <0x00 0x31000000>/'
# The cell's RAM moved into the hypervisor.
tamper hello.dtb cell-over-hv.dtb \
	's/phys-addr = <0x00 0x32000000>/phys-addr = <0x00 0x30000000>/'
tamper hello.dtb cell-cpu0.dtb 's/cpus = <0x01>/cpus = <0x00>/'
# A second cell, fine on its own, that takes hello's CPU 1.
tamper hello.dtb cell-cpu-taken.dtb \
	's/label = "hello"/label = "thief"/;s/0x32000000/0x32800000/'
# Two regions at the same guest address (the second is added by hand).
tamper hello.dtb cell-guest-overlap.dtb \
	's/^\(\t\tregion-0 {\)/\t\tregion-1 {\n\t\t\tphys-addr = <0x00 0x32100000>;\n\t\t\tguest-addr = <0x00 0x00>;\n\t\t\tsize = <0x00 0x1000>;\n\t\t\tflags = <0x03>;\n\t\t};\n\n\1/'
tamper hello.dtb cell-bad-version.dtb 's/binding-version = <0x01>/binding-version = <0x02>/'
