# 'cellctl config create' writes a system config from the running machine
# that 'config check' accepts, that 'enable' takes, and under which a cell
# runs; '--suggest-memmap' names a reservation in this machine's RAM.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

machine_configs
GEN=/tmp/generated.yaml

run cellctl config create -o $GEN
check_rc "config create succeeds" 0
check_out "it says what it wrote" "$GEN: system '[a-z0-9-]+' written"
echo "---- $GEN"
cat $GEN
echo "----"
check "the hypervisor is where memmap= reserved it" \
	grep -q '^  phys: 0x30000000$' $GEN
check "the cell pool is the rest of the region" \
	sh -c "grep -A2 '^cell-pool:' $GEN | grep -qx '  size: 160M'"
check "it names where the reservation came from" \
	grep -q 'memmap=0xc000000\$0x30000000 in /proc/cmdline' $GEN
vendor=$(sed -n 's/^  cpu-vendor: \([a-z]*\).*/\1/p' $(echo $SYS))
check "the CPU vendor is the shipped config's ($vendor)" \
	grep -q "^  cpu-vendor: $vendor " $GEN
check "every CPU is the root's" grep -q '^  cpus: 0-1 ' $GEN
check "the local APIC page is not the root's" \
	sh -c "! grep -q '^      phys: 0xfee00000\$' $GEN"
if [ "$MACHINE" = qemu-x2apic ]; then
	check "the IOMMU comes from the ACPI DMAR table" \
		sh -c "grep -A3 '^  iommus:.*ACPI DMAR' $GEN | grep -q 'base: 0xfed90000'"
fi
if [ "$EMU" = qemu ]; then
	check "ECAM comes from the ACPI MCFG table" \
		grep -q '^    mmconfig: 0xb0000000$' $GEN
	# q35's DMAR: the IOAPIC's device scope is bus 0xff, path 00.0.
	check "the IOAPIC's source-id comes from the DMAR device scope" \
		grep -q '^      source-id: ff:00.0 *# ACPI DMAR device scope$' $GEN
else
	check "no MCFG on the i440fx: no pci section" \
		sh -c "! grep -q '^  pci:' $GEN"
fi
check "config check accepts it" cellctl config check $GEN
check "and the cell with it" cellctl config check $GEN $CELL

run cellctl config create --suggest-memmap 192M
check_rc "--suggest-memmap succeeds" 0
check_out "it knows this boot's reservation" \
	'already reserves 0xc000000 bytes at 0x30000000'
check_out "and names a place for 192M" 'memmap=0xc000000\$0x[0-9a-f]+'
# The suggestion lies in System RAM of this machine (/proc/iomem).
at=$(printf '%s\n' "$OUT" | sed -n 's/.*kernel command line:  memmap=0xc000000\$\(0x[0-9a-f]*\).*/\1/p')
in_ram() {
	local range sep name
	while read -r range sep name; do
		[ "$name" = "System RAM" ] || continue
		[ $((0x${range%-*})) -le $(($1)) ] &&
			[ $(($1 + 0xc000000 - 1)) -le $((0x${range#*-})) ] && return 0
	done </proc/iomem
	return 1
}
check "the suggested region ($at) is System RAM here" in_ram "$at"

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable takes the generated config" cellctl enable $GEN
check "a cell is created under it" cellctl create -s $GEN $CELL
check "hello loads" cellctl load hello inmates/demos/hello.bin
check "and starts" cellctl start hello
said_hello() { cellctl console | grep -q '^\[hello\] Hello from Cellvisor inmate$'; }
check "hello runs" wait_until 20 said_hello
check "the cell is destroyed" cellctl destroy hello
check "disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
