# Three enable/disable cycles in one boot; the machine is healthy after each step.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

CV=/sys/class/misc/cellvisor
CPUID_SIG=/cellvisor/tests/modules/cpuid-sig
machine_configs
CPUS=$(cat /sys/devices/system/cpu/online)
LAST=$(($(nproc) - 1))
N=5000
SUMSQ=$((N * (N + 1) * (2 * N + 1) / 6))

# healthy WHEN SIG: every CPU runs a pinned job right (on that CPU) and
# CPUID leaf 0x40000000 answers with "CellvisorVMM" (SIG=yes) or not.
healthy() {
	local c
	for c in $(seq 0 $LAST); do
		taskset -c "$c" sh -c "awk '{ printf \"%s \", \$39 }' /proc/self/stat
			awk 'BEGIN { for (i = 1; i <= $N; i++) s += i * i;
				printf \"%.0f\n\", s }'" >"/tmp/cyc.$c" &
	done
	wait
	for c in $(seq 0 $LAST); do
		run cat "/tmp/cyc.$c"
		check_out "$1: job pinned to CPU $c is right" "^$c $SUMSQ\$"
		rm -f "/tmp/cyc.$c"
		run taskset -c "$c" $CPUID_SIG
		if [ "$2" = yes ]; then
			check_out "$1: CPU $c runs under Cellvisor" \
				"^cpu$c CellvisorVMM "
		else
			check_fails "$1: CPU $c runs natively" \
				sh -c "echo '$OUT' | grep -q CellvisorVMM"
		fi
	done
	check "$1: all CPUs online ($CPUS)" \
		test "$(cat /sys/devices/system/cpu/online)" = "$CPUS"
}

check "cellvisor.ko loads" insmod cellvisor.ko
for cycle in 1 2 3; do
	check "cycle $cycle: enable succeeds" cellctl enable $SYS
	check "cycle $cycle: sysfs reports enabled" grep -qx 1 $CV/enabled
	check "cycle $cycle: module held while enabled" \
		grep -qx 1 /sys/module/cellvisor/refcnt
	check "cycle $cycle: region claimed" grep -q cellvisor /proc/iomem
	healthy "cycle $cycle enabled" yes
	e1=$(cat $CV/exits)
	e2=$(cat $CV/exits)
	check "cycle $cycle: exits counted ($e1 then $e2)" test "$e2" -gt "$e1"
	check "cycle $cycle: disable succeeds" cellctl disable
	check "cycle $cycle: sysfs reports disabled" grep -qx 0 $CV/enabled
	check_fails "cycle $cycle: exits not readable" cat $CV/exits
	check "cycle $cycle: module released" \
		grep -qx 0 /sys/module/cellvisor/refcnt
	check_fails "cycle $cycle: region released" grep -q cellvisor /proc/iomem
	healthy "cycle $cycle disabled" no
done
check "timers still work" sleep 0.1
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
