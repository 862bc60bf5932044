# The hypervisor console is readable without a serial port (cellctl console [-f], dmesg on a failed enable); root exit statistics count and grow.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

machine_configs
CV=/sys/class/misc/cellvisor
GEN=/cellvisor/tests/lib/generated
RAW=$GEN/cv-raw-enable
CPUID_SIG=/cellvisor/tests/modules/cpuid-sig
P=/sys/module/cvtest_mem/parameters
LAST=$(($(nproc) - 1))

# count CPU REASON: the root's exits of that reason on that CPU (sysfs).
count() { sed -n "s/^$2 //p" $CV/stats/cpu$1; }
# stat_total CPU REASON: the same from the TOTAL column of cellctl stats root.
stat_total() {
	awk -v c="$1" -v r="$2" '$1 == r && $2 == c { print $3 }' /tmp/stats
}

check "the test helpers were built" test -x $RAW -a -x $CPUID_SIG
check "cvtest_mem.ko loads" insmod /cellvisor/tests/modules/cvtest_mem.ko
check "cellvisor.ko loads" insmod cellvisor.ko
check "the console device exists" test -c /dev/cellvisor-console
run cellctl console
check_rc "before any enable the console is empty, not an error" 0
check "and prints nothing" test -z "$OUT"
run cellctl stats root
check_rc "stats root before enable fails" 1
check_out "saying the hypervisor is not enabled" "not enabled"

# --- a refused enable: its reason reaches cellctl console and dmesg ------
# Only the hypervisor can know that the root cell names a CPU that is not
# online: the driver passes this config on, the hypervisor refuses it.
# (Made from this machine's config: the driver refuses the other vendor's.)
sed "s/^  cpus: .*/  cpus: 0-$((LAST + 1))/" $SYS >/tmp/offline.yaml
check "a config naming an offline CPU compiles" \
	cellctl config compile -o /tmp/offline.dtb /tmp/offline.yaml
dmesg -c >/dev/null
run $RAW cellvisor.bin /tmp/offline.dtb
check_rc "the hypervisor refuses it with ERANGE" 34
rm -f /tmp/offline.yaml /tmp/offline.dtb
run cellctl console
check_rc "cellctl console reads the failed run's ring" 0
check_out "with the hypervisor's reason" \
	"ERROR: system config rejected: root cell names a CPU that is not online"
check "dmesg has the hypervisor's error line" sh -c \
	"dmesg | grep -q 'cellvisor: hypervisor: .*ERROR: system config rejected: root cell names a CPU that is not online'"
check_fails "dmesg has only error lines of the hypervisor" sh -c \
	"dmesg | grep 'cellvisor: hypervisor:' | grep -v ERROR"

# --- enabled: banner, events, follow -------------------------------------
check "cellctl enable succeeds" cellctl enable $SYS
run cellctl console
check_rc "cellctl console works while enabled" 0
check_out "and shows the enable banner" "Cellvisor: enabling on $(nproc) CPUs"
check_fails "the failed run's reason is gone (new ring)" sh -c \
	"cellctl console | grep -q 'a CPU that is not online'"
check "-f follows: started in the background" sh -c \
	"cellctl console -f >/tmp/follow 2>&1 & echo \$! >/tmp/follow.pid"
check "-f printed the banner at once" \
	wait_until 5 grep -q "Cellvisor: enabling on" /tmp/follow
HV_PHYS=$(cellctl config show $SYS | sed -n '/^hypervisor:/,/^[a-z]/s/^  phys: //p')
ADDR=$(printf '0x%x' $((HV_PHYS + 0x3000)))
check_fails "-f has not seen the event before it happens" \
	grep -q "hypervisor memory at $ADDR " /tmp/follow
run sh -c "echo $ADDR > $P/read"
check_rc "the root reading hypervisor memory is refused" 1
check "-f showed the new event" \
	wait_until 5 grep -q "root cell accessed hypervisor memory at $ADDR " /tmp/follow
check "-f is still running" kill -0 "$(cat /tmp/follow.pid)"
kill "$(cat /tmp/follow.pid)"
run cellctl console
check_out "cellctl console shows the event too" \
	"root cell accessed hypervisor memory at $ADDR "

# --- root statistics ------------------------------------------------------
for c in $(seq 0 $LAST); do
	check "sysfs stats/cpu$c lists the nine reasons" \
		test "$(wc -l <$CV/stats/cpu$c)" -eq 9
done
check_fails "no stats file past the hypervisor's CPUs answers" \
	cat $CV/stats/cpu$((LAST + 1))
# A read of stats/cpuN is a hypercall on the CPU that reads: pin the reads
# whose own hypercalls are counted.
pinned_count() { taskset -c $1 sed -n "s/^$2 //p" $CV/stats/cpu$1; }
c1=$(count $LAST cpuid)
h1=$(pinned_count $LAST hypercall)
for i in $(seq 1 20); do taskset -c $LAST $CPUID_SIG >/dev/null; done
c2=$(count $LAST cpuid)
h2=$(pinned_count $LAST hypercall)
check "20 cpuid-sig runs on CPU $LAST: cpuid exits $c1 -> $c2 (+40 at least)" \
	test "$c2" -ge $((c1 + 40))
check "each sysfs read is a hypercall: $h1 -> $h2" test "$h2" -gt "$h1"
check "the probe's refused access counted as mmio on some CPU" sh -c \
	"cat $CV/stats/cpu* 2>/dev/null | awk '\$1 == \"mmio\" && \$2 > 0' | grep -q ."
# Every exit is counted once: the per-reason counts add up to the total.
e1=$(cat $CV/exits)
sum=$(cat $CV/stats/cpu* 2>/dev/null | awk '{ s += $2 } END { print s }')
e2=$(cat $CV/exits)
check "the reasons of all CPUs add up to the exits total ($e1 <= $sum <= $e2)" \
	test "$e1" -le "$sum" -a "$sum" -le "$e2"
run cellctl stats root 0.1
check_rc "cellctl stats root works" 0
printf '%s\n' "$OUT" >/tmp/stats
check_out "with a header" "^EXIT +CPU +TOTAL +PER-SECOND"
check "one row per reason and CPU" \
	test "$(grep -c '^[a-z]' /tmp/stats)" -eq $((9 * (LAST + 1)))
t1=$(stat_total $LAST cpuid)
check "its cpuid total on CPU $LAST ($t1) is at least the sysfs count" \
	test "$t1" -ge "$c2"
for i in $(seq 1 20); do taskset -c $LAST $CPUID_SIG >/dev/null; done
run cellctl stats root 0.1
printf '%s\n' "$OUT" >/tmp/stats
t2=$(stat_total $LAST cpuid)
check "and grows with more cpuid-sig runs ($t1 -> $t2)" \
	test "$t2" -ge $((t1 + 40))
run cellctl stats root 0.5
check_rc "cellctl stats root 0.5 works" 0
check_out "and gives totals and per-second rates" "^cpuid +0 +[0-9]+ +[0-9]+\$"
check_fails "a bad interval is refused" cellctl stats root 0

check "cellctl disable succeeds" cellctl disable
run cellctl stats root
check_rc "stats root after disable fails" 1
run cellctl console
check_rc "after disable the last run's ring stays readable" 0
check_out "with the leave messages" "Cellvisor: CPU 0 leaves"
check_out "and the earlier event" \
	"root cell accessed hypervisor memory at $ADDR "
check "cellvisor.ko unloads" rmmod cellvisor
check "cvtest_mem.ko unloads" rmmod cvtest_mem
done_checks
