#!/bin/sh
# Builds DTBs that break isolation rules, bypassing cellctl's checks (dtc
# edits a compiled config), for tests that the hypervisor refuses them.
#   make-tampered.sh OUTDIR [CELLCTL]
# With CELLCTL "-", OUTDIR must already hold qemu-svm.dtb and hello.dtb
# (compiled from configs/x86/qemu-svm.yaml and hello-qemu.yaml).
# Writes to OUTDIR: the valid qemu-svm.dtb, hello.dtb and, each wrong in one
# way, system-root-over-hv.dtb, cell-over-hv.dtb, cell-cpu0.dtb,
# cell-cpu-taken.dtb (valid alone, takes hello's CPU), cell-guest-overlap.dtb,
# cell-bad-version.dtb, cell-ioapic-pins.dtb, cell-vdev.dtb (features not
# implemented yet), cell-pci.dtb (hello with a PCI device: the config
# rules accept it), and the system configs listed in
# system-cases.txt:
# file, errno of the enable on a 2-CPU QEMU guest, the layer that refuses
# it (hv: the hypervisor; driver: already the driver's own checks of the
# DTB header and the CPU vendor) and the hypervisor's reason
# (hypervisor/config.c).
# Needs dtc, GNU od and a built tools/cellctl.
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
# A PCI device (accepted by the config rules), then features the
# hypervisor does not implement yet, each well-formed.
tamper hello.dtb cell-pci.dtb \
	's/^\(\tconsole;\)$/\1\n\n\tpci {\n\t\tdevice-0 {\n\t\t\tbdf = <0x18>;\n\t\t};\n\t};/'
tamper hello.dtb cell-ioapic-pins.dtb \
	's/^\(\tconsole;\)$/\1\n\n\tioapic-pins {\n\t\tpins-0 {\n\t\t\tioapic = <0x00>;\n\t\t\tpins = <0x03>;\n\t\t};\n\t};/'
tamper hello.dtb cell-vdev.dtb \
	's/^\(\tconsole;\)$/\1\n\n\tvirtual-devices {\n\t\tvdev-0 {\n\t\t\ttype = "uart";\n\t\t\tbase = <0x00 0x2f8>;\n\t\t};\n\t};/'

# ---- system configs for tests/system/config-dtb.sh ----

tamper qemu-svm.dtb system-bad-version.dtb \
	's/binding-version = <0x01>/binding-version = <0x02>/'
tamper qemu-svm.dtb system-unknown-prop.dtb \
	's/^\(\thypervisor {\)$/\1\n\t\tbackdoor = <0x01>;/'
tamper qemu-svm.dtb system-pool-over-hv.dtb \
	'/cell-pool {/,/};/s/phys-addr = <0x00 0x32000000>/phys-addr = <0x00 0x31000000>/'
tamper qemu-svm.dtb system-cpu-range.dtb \
	's/cpus = <0x00 0x01>/cpus = <0x00 0x01 0x100>/'
# These two are well-formed; they only disagree with a 2-CPU machine.
tamper qemu-svm.dtb system-cpu-offline.dtb \
	's/cpus = <0x00 0x01>/cpus = <0x00 0x01 0x02>/'
tamper qemu-svm.dtb system-cpu-missing.dtb \
	's/cpus = <0x00 0x01>/cpus = <0x00>/'
# No CPU vendor: the driver refuses it before it looks at the CPU.
tamper qemu-svm.dtb system-no-vendor.dtb '/cpu-vendor = /d'
# A root cell listing a PCI device (it owns every device no cell has) or
# IOAPIC pins (not implemented yet).
tamper qemu-svm.dtb system-root-pci.dtb \
	's/^\(\t\tcpus = <0x00 0x01>;\)$/\1\n\n\t\tpci {\n\t\t\tdevice-0 {\n\t\t\t\tbdf = <0x18>;\n\t\t\t};\n\t\t};/'
tamper qemu-svm.dtb system-root-pins.dtb \
	's/^\(\t\tcpus = <0x00 0x01>;\)$/\1\n\n\t\tioapic-pins {\n\t\t\tpins-0 {\n\t\t\t\tioapic = <0x00>;\n\t\t\t\tpins = <0x03>;\n\t\t\t};\n\t\t};/'

rd32() { od -An -tu4 --endian=big -j "$2" -N4 "$1" | tr -d ' '; }
wr32() {
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($3 >> 24 & 255)) \
		$(($3 >> 16 & 255)) $(($3 >> 8 & 255)) $(($3 & 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# Half a file: its header claims more than there is.
src=$out/qemu-svm.dtb
head -c $(($(wc -c <"$src") / 2)) "$src" >"$out/system-truncated.dtb"

# A consistent header over a strings block cut right after the names the
# driver looks up ("phys-addr", "size" and "cpu-vendor"; libfdt stores
# names newest first): the driver finds the hypervisor region and the
# vendor, but other properties name strings that are gone.
strs=$(rd32 "$src" 12)
pos=0
keep=0
for name in $(dd if="$src" bs=1 skip="$strs" 2>/dev/null | tr '\0' '\n'); do
	pos=$((pos + ${#name} + 1))
	case $name in phys-addr | size | cpu-vendor) [ $pos -gt $keep ] && keep=$pos ;; esac
done
head -c $((strs + keep)) "$src" >"$out/system-cut-strings.dtb"
wr32 "$out/system-cut-strings.dtb" 4 $((strs + keep))
wr32 "$out/system-cut-strings.dtb" 32 "$keep"

cat >"$out/system-cases.txt" <<'CASES'
system-bad-version.dtb 71 hv unsupported binding version
system-unknown-prop.dtb 22 hv unknown property
system-root-over-hv.dtb 22 hv root cell memory overlaps the hypervisor
system-pool-over-hv.dtb 22 hv cell pool overlaps the hypervisor
system-cpu-range.dtb 22 hv CPU number out of range
system-cpu-offline.dtb 34 hv root cell names a CPU that is not online
system-cpu-missing.dtb 34 hv root cell lacks a CPU that is online
system-cut-strings.dtb 22 hv corrupt devicetree blob
system-truncated.dtb 22 driver blob truncated
system-no-vendor.dtb 22 driver platform lacks cpu-vendor
system-root-pci.dtb 22 hv pci-devices in the root cell
system-root-pins.dtb 22 hv ioapic-pins are not implemented yet
CASES
