# After enable, Linux works as the root cell on every CPU: pinned jobs, CPUID signature, exits.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

CV=/sys/class/misc/cellvisor
CPUID_SIG=/cellvisor/tests/modules/cpuid-sig
machine_configs
CPUS=$(cat /sys/devices/system/cpu/online)
N=5000
# Sum of squares 1..N by its closed form, in the shell's 64-bit integers.
SUMSQ=$((N * (N + 1) * (2 * N + 1) / 6))
# md5sum of the output of 'seq 1 5000' (GNU coreutils and busybox agree).
SEQ_MD5=a5a208cd26b07cadade3450fe14d1d93

# job CPU: CPU-bound work pinned to CPU; prints "CPU SUM MD5" where CPU is
# where it really ran (field 39 of /proc/self/stat).
job() {
	taskset -c "$1" sh -c "
		c=\$(awk '{ print \$39 }' /proc/self/stat)
		s=\$(awk 'BEGIN { for (i = 1; i <= $N; i++) s += i * i;
			printf \"%.0f\", s }')
		m=\$(seq 1 5000 | md5sum)
		echo \"\$c \$s \${m%% *}\""
}

# pinned_jobs: one job per CPU, all at once; each must be right.
pinned_jobs() {
	local c
	for c in $(seq 0 $(($(nproc) - 1))); do
		job "$c" >"/tmp/job.$c" &
	done
	wait
	for c in $(seq 0 $(($(nproc) - 1))); do
		run cat "/tmp/job.$c"
		check_out "$1: job pinned to CPU $c ran there and is right" \
			"^$c $SUMSQ $SEQ_MD5\$"
		rm -f "/tmp/job.$c"
	done
}

check "at least two CPUs to pin jobs to" test "$(nproc)" -ge 2
check "cellvisor.ko loads" insmod cellvisor.ko
pinned_jobs "natively"
for c in $(seq 0 $(($(nproc) - 1))); do
	run taskset -c "$c" $CPUID_SIG
	check_fails "CPU $c has no Cellvisor signature before enable" \
		sh -c "echo '$OUT' | grep -q CellvisorVMM"
done

check "cellctl enable succeeds" cellctl enable $SYS
check "sysfs reports enabled" grep -qx 1 $CV/enabled
pinned_jobs "under the hypervisor"
# Linux caches CPUID at boot (/proc/cpuinfo flags cannot change): what
# shows the hypervisor to the root cell is CPUID asked now, on each CPU.
for c in $(seq 0 $(($(nproc) - 1))); do
	run taskset -c "$c" $CPUID_SIG
	check_out "CPU $c reports the Cellvisor CPUID leaf and hypervisor bit" \
		"^cpu$c CellvisorVMM 0x40000000 1\$"
done
e1=$(cat $CV/exits)
e2=$(cat $CV/exits)
check "VM exits are counted ($e1 then $e2)" test "$e2" -gt "$e1"
# Each cpuid-sig run above executed CPUID twice on its CPU: the table of
# exits by reason must show that on every CPU.
run cellctl stats root 0.1
check_rc "cellctl stats root works" 0
check_out "and prints a table of exits by reason and CPU" \
	"^EXIT +CPU +TOTAL +PER-SECOND"
for c in $(seq 0 $(($(nproc) - 1))); do
	check "CPU $c counted its CPUID exits" sh -c "echo '$OUT' |
		awk '\$1 == \"cpuid\" && \$2 == $c && \$3 >= 2 { ok = 1 }
		END { exit !ok }'"
done
check "all CPUs still online ($CPUS)" \
	test "$(cat /sys/devices/system/cpu/online)" = "$CPUS"
check "timers still work" sleep 0.1
check "cellctl disable succeeds" cellctl disable
check "sysfs reports disabled" grep -qx 0 $CV/enabled
pinned_jobs "after disable"
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
