#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Standalone inmate boot tests, no hypervisor: BIOS boot sector -> inmate at 0.
# Run by "make -C inmates check"; prints "N passed, N failed", fails on any.
# EMULATORS="qemu bochs" (default: both that are installed). A case runs with
# CPUS=${CPUS:-1} CPUs and QEMU_ARGS extra QEMU options (set per case as
# "CPUS=2 run_case ...").
set -u

here=$(dirname "$(realpath "$0")")
inmates=$(realpath "$here/../../inmates")
build=$here/build
mkdir -p "$build"

gcc -c -Wa,--fatal-warnings -o "$build/bootsect.o" "$here/bootsect.S" &&
	ld -m elf_x86_64 -Ttext=0 --oformat binary -e _start \
		-o "$build/bootsect.bin" "$build/bootsect.o" || exit 1

if [ -z "${EMULATORS:-}" ]; then
	EMULATORS=""
	command -v qemu-system-x86_64 >/dev/null && EMULATORS="qemu"
	command -v bochs >/dev/null && EMULATORS="$EMULATORS bochs"
fi

passed=0 failed=0

# run_one EMU NAME IMAGE CMDLINE EXPECTED...: one boot, one PASS/FAIL line.
run_one()
{
	local emu=$1 name=$2 image=$3 cmdline=$4 disk start=$SECONDS
	shift 4

	disk=$build/$name-$emu.img
	rm -f "$disk.lock"	# left by a Bochs that was killed
	if "$here/mkdisk.sh" "$build/bootsect.bin" "$inmates/$image" \
			"$disk" "$cmdline" &&
	   CPUS=${CPUS:-1} QEMU_ARGS=${QEMU_ARGS:-} \
			"$here/run-boot.sh" "$emu" "$disk" "$@"; then
		echo "PASS: $emu $name ($((SECONDS - start)) s)"
	else
		echo "FAIL: $emu $name ($((SECONDS - start)) s)"
		return 1
	fi
}

# run_case NAME IMAGE CMDLINE EXPECTED...: run_one on every emulator at
# once (one process each), then report in a fixed order.
run_case()
{
	local emu pids=() i=0

	for emu in $EMULATORS; do
		run_one "$emu" "$@" >"$build/$1-$emu.out" 2>&1 &
		pids+=($!)
	done
	for emu in $EMULATORS; do
		if wait "${pids[i]}"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
		cat "$build/$1-$emu.out"
		i=$((i + 1))
	done
}

run_case hello demos/hello.bin "" \
	"Hello from Cellvisor inmate" "CPU vendor: " "hello: halting"
run_case selftest tests/selftest.bin "selftest=7 flag" \
	"selftest: PASS"
run_case fault-ud tests/fault.bin "" \
	"fault: raising ud" "EXCEPTION 6 (#UD) at RIP 0x"
run_case fault-pf tests/fault.bin "fault=pf" \
	"EXCEPTION 14 (#PF) at RIP 0x" "error code 0x2, CR2 0x100000000"
run_case fault-gp tests/fault.bin "fault=gp" \
	"EXCEPTION 13 (#GP) at RIP 0x" "error code 0x0"

run_case latency demos/latency.bin \
	"pit period_us=500 samples=400 report_ms=100" \
	"latency: TSC " "latency: total: 400 samples" "latency: done"
run_case latency-oneshot demos/latency.bin \
	"pit oneshot xapic period_us=500 samples=200 report_ms=50" \
	"timer one-shot at " "latency: total: 200 samples" "latency: done"
CPUS=2 run_case smp-2 tests/smp.bin "pit cpus=2" \
	"smp: CPU 1 (APIC ID 1" "smp: 2 CPUs online" "smp: PASS"
# 4 CPUs on QEMU only: Bochs needs ~4 s more and smp-2 covers its path.
[[ " $EMULATORS " == *" qemu "* ]] &&
	EMULATORS=qemu CPUS=4 run_case smp-4 tests/smp.bin "pit cpus=4" \
	"smp: 4 CPUs online" "smp: PASS"
# The demo passes a token around the CPUs as fixed IPIs.
[[ " $EMULATORS " == *" qemu "* ]] &&
	EMULATORS=qemu CPUS=3 run_case smp-demo demos/smp.bin "pit cpus=3" \
	"smp: 3 CPUs online, APIC IDs 0 " \
	"smp: IPI ring: 100 rounds on 3 CPUs, taken 100 100 100 times" \
	"smp: IPI ring: PASS"
# Without a hypervisor there is no comm page: the library says so and
# never trusts the memory at comm_page= (the boot disk filled it with 0xa5).
run_case comm tests/comm.bin "comm_page=0x60000" \
	"comm_page=0x60000: no Cellvisor signature there; no comm page" \
	"comm: no comm page"
run_case hello-comm demos/hello.bin "comm_page=0x60000" \
	"no Cellvisor signature there" "hello: halting"
# Without a hypervisor nothing stops the hostile inmate; the hypercall #UDs.
run_case hostile tests/hostile.bin "pio=0x80 mem=0x100000 msr=0x1b hc=1" \
	"SURVIVED mem=0x100000" "SURVIVED pio=0x80" "SURVIVED msr=0x1b" \
	"hostile: hypercall 1" "EXCEPTION 6 (#UD)"
# The attacks of the cell-hostile-* scenarios on bare emulated hardware:
# XSAVE/XRSTOR, debug and control register writes, the cache
# instructions, and what a real APIC does with the IPIs and register
# writes the hypervisor must emulate the same way (a self shorthand, a
# flat logical destination matching the LDR just written).
run_case hostile-cpu tests/hostile.bin "state dirty invd wbinvd msr_read=0x10" \
	"hostile: state: XCR0 " "hostile: state dirtied" \
	"hostile: INVD kept memory" "hostile: WBINVD kept memory" \
	"SURVIVED msr_read=0x10"
run_case hostile-apic tests/hostile.bin \
	"xapic apic_reg=0xd0 apic_val=0x1000000 icr=0x48fd icr_dest=0x1" \
	"APIC register 0xd0 reads 0x1000000" "vector 0xfd received 1 times" \
	"SURVIVED icr=0x48fd"
run_case hostile-self tests/hostile.bin "icr=0x440fd" \
	"vector 0xfd received 1 times" "SURVIVED icr=0x440fd"
# QEMU's edu device gives an MSI; Bochs' i440fx shows the lookup only.
[[ " $EMULATORS " == *" qemu "* ]] &&
	EMULATORS=qemu QEMU_ARGS="-device edu" run_case pci-edu tests/pci.bin \
	"pit" "pci: 00:00.0 8086:29c0" "pci: edu MSI: 1 interrupts" \
	"pci: edu PASS" "pci: edu DMA: 256 bytes RAM" "pci: edu DMA PASS"
# The hostile DMA steps (no IOMMU here: both land; the read finds the
# command line at 0x1000).
[[ " $EMULATORS " == *" qemu "* ]] &&
	EMULATORS=qemu QEMU_ARGS="-device edu" run_case pci-hostile-dma \
	tests/pci.bin "pit hostile=dma dma_to=0x200000 dma_from=0x1000 dma_len=16" \
	"pci: hostile: DMA of 16 bytes 0xc3 to 0x200000 done" \
	"pci: hostile: DMA of 16 bytes from 0x1000 done, first bytes 0x70 0x69 0x74 0x20"
[[ " $EMULATORS " == *" qemu "* ]] &&
	EMULATORS=qemu QEMU_ARGS="-device edu" run_case pci-ecam tests/pci.bin \
	"pit pci_mmcfg=0xb0000000" "pci: ECAM at 0xb0000000" \
	"pci: 00:02.0 extended capability 0x" "pci: edu PASS"
# QEMU's e1000e gives MSI-X (the library's table helpers, natively); the
# "hostile" entry aimed at APIC ID 0 is this CPU here: it arrives.
[[ " $EMULATORS " == *" qemu "* ]] &&
	EMULATORS=qemu QEMU_ARGS="-netdev user,id=n,restrict=on -device e1000e,netdev=n" \
	run_case msix tests/msix.bin "pit hostile=msix msi_dest=0" \
	"msix: e1000e at " "3 of 3 raises arrived" "msix: e1000e MSI-X PASS" \
	"msix: hostile: SURVIVED, "
[[ " $EMULATORS " == *" bochs "* ]] &&
	EMULATORS=bochs run_case pci tests/pci.bin "" \
	"pci: 00:00.0 8086:1237" "pci: 00:01.0 8086:7000" "pci: no edu device"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
