# The root cell cannot read or write the hypervisor's memory; the hypervisor reports it and keeps working.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

# What the hypervisor does (cell_x86_root_map(), hypervisor/arch/x86/
# cell_x86.c): the region is absent from the root cell's NPT/EPT; an
# access exits, is reported on the hypervisor console ("root cell
# accessed hypervisor memory at ADDR") and answered with #GP at the
# accessing instruction, so reads return nothing and writes are dropped.
# cvtest_mem's accesses carry exception fixups: a refused access shows as
# EFAULT ("Bad address") in the shell.
CV=/sys/class/misc/cellvisor
P=/sys/module/cvtest_mem/parameters
CPUID_SIG=/cellvisor/tests/modules/cpuid-sig
machine_configs

# The hypervisor region as the system config names it.
HV_PHYS=$(cellctl config show $SYS | sed -n '/^hypervisor:/,/^[a-z]/s/^  phys: //p')
HV_SIZE=$(cellctl config show $SYS | sed -n '/^hypervisor:/,/^[a-z]/s/^  size: //p')
case $HV_SIZE in
*M) HV_SIZE=$((${HV_SIZE%M} << 20)) ;;
*K) HV_SIZE=$((${HV_SIZE%K} << 10)) ;;
esac
HV_END=$((HV_PHYS + HV_SIZE))
check "the config names the hypervisor region ($HV_PHYS, $HV_SIZE bytes)" \
	test "$HV_SIZE" -ge 4096
# First and second page, middle, last 8 bytes.
PROBES="$((HV_PHYS)) $((HV_PHYS + 0x1000)) $((HV_PHYS + HV_SIZE / 2)) \
	$((HV_END - 8))"
hex() { printf '0x%x' "$1"; }

check "cvtest_mem.ko loads" insmod /cellvisor/tests/modules/cvtest_mem.ko
check "cellvisor.ko loads" insmod cellvisor.ko
check "natively the probe reads the region" \
	sh -c "echo $(hex $HV_PHYS) > $P/read"

check "cellctl enable succeeds" cellctl enable $SYS
check "after the region (cell pool) the probe can write" \
	sh -c "echo $(hex $HV_END) > $P/write"
check "and read back what it wrote" \
	sh -c "echo $(hex $HV_END) > $P/read && test \$(cat $P/value) = \$(cat $P/pattern)"

faults=0
for a in $PROBES; do
	e1=$(cat $CV/exits)
	run sh -c "echo $(hex $a) > $P/read"
	check_rc "reading $(hex $a) is refused" 1
	check_out "with EFAULT" "Bad address"
	run sh -c "echo $(hex $a) > $P/write"
	check_rc "writing $(hex $a) is refused" 1
	check_out "with EFAULT" "Bad address"
	faults=$((faults + 2))
	check "the probe saw $faults faults" grep -qx $faults $P/faults
	e2=$(cat $CV/exits)
	check "the hypervisor still answers hypercalls ($e1 then $e2 exits)" \
		test "$e2" -gt "$e1"
done
run cellctl console
for a in $PROBES; do
	check_out "the hypervisor console reports the access to $(hex $a)" \
		"root cell accessed hypervisor memory at $(hex $a) "
done
# Debian's STRICT_DEVMEM refuses /dev/mem on a region a driver claimed.
run dd if=/dev/mem of=/dev/null bs=4096 skip=$((HV_PHYS / 4096)) count=1
check_rc "/dev/mem cannot read the hypervisor region either" 1
check_out "it is not permitted" "Operation not permitted"
for c in $(seq 0 $(($(nproc) - 1))); do
	run taskset -c "$c" $CPUID_SIG
	check_out "CPU $c still runs under Cellvisor" "^cpu$c CellvisorVMM "
done
check "timers still work" sleep 0.1
check "cellctl disable succeeds" cellctl disable
check "sysfs reports disabled" grep -qx 0 $CV/enabled

# Now the region is plain reserved memory again: look at what is left.
check "after disable the probe reads the region again" \
	sh -c "echo $(hex $HV_PHYS) > $P/read"
check "the image header is intact (magic CELLVISR)" \
	test "$(printf '%x' "$(cat $P/value)")" = 525349564c4c4543
for a in $PROBES; do
	check "reading $(hex $a) works again" sh -c "echo $(hex $a) > $P/read"
	check_fails "no write reached $(hex $a)" \
		test "$(cat $P/value)" = "$(cat $P/pattern)"
done
check "cellvisor.ko unloads" rmmod cellvisor
check "cvtest_mem.ko unloads" rmmod cvtest_mem
done_checks
