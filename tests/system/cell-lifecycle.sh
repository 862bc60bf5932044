# Cell lifecycle: create, load, start, shutdown, restart, destroy.
. /cellvisor/tests/lib/guest.sh

machine_configs
CV=/sys/class/misc/cellvisor
CPU1=/sys/devices/system/cpu/cpu1/online

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
pool0=$(cat $CV/pool_free)
check "the pool reports free pages ($pool0)" test "$pool0" -gt 0

check_fails "start of an unknown cell is refused" cellctl start nosuch
# create without -s (the running system config): cell-running-config.
# A task pinned to CPU 1 keeps it: create is refused and changes nothing.
taskset -c 1 sleep 60 &
PINNED=$!
wait_until 5 grep -q 'Cpus_allowed_list:[[:space:]]*1$' /proc/$PINNED/status
run cellctl create -s $SYS $CELL
check_rc "create is refused while a task is pinned to CPU 1" 1
check "dmesg names the pinned task" sh -c "dmesg | grep -q 'pid $PINNED) is pinned'"
check "CPU 1 is still online" grep -qx 1 $CPU1
check "no cell exists" test "$(cells_besides_root)" -eq 0
kill $PINNED; wait $PINNED

run cellctl create -s $SYS $CELL
check_rc "cellctl create hello succeeds" 0
check "CPU 1 is offline in Linux" grep -qx 0 $CPU1
run cellctl list
check "list shows hello loadable on CPU 1" \
	sh -c "cellctl list | grep -q 'hello *loadable *1 *1M'"
run cellctl stats helo 0.1
check_rc "stats of a misspelt cell fails" 1
check_out "and names the likely one" "^cellctl: no cell named 'helo'; did you mean 'hello'\?\$"
check "list says the hypervisor is enabled" \
	sh -c "cellctl list | grep -qx 'hypervisor: enabled'"
check "list shows the root cell running, without CPU 1" \
	sh -c "cellctl list | grep -Eq '^0 +root +running +0 '"
# --json is read back by json-c's parser (tests/tools/cv-json.c).
cellctl list --json >/tmp/list.json
json_is "list --json: the hypervisor is enabled" hypervisor.enabled true /tmp/list.json
json_is "list --json: the root cell comes first" cells.0.name root /tmp/list.json
json_is "list --json: its id is 0" cells.0.id 0 /tmp/list.json
json_is "list --json: it has CPU 0" cells.0.cpus.0 0 /tmp/list.json
json_is "list --json: then hello" cells.1.name hello /tmp/list.json
json_is "list --json: hello is loadable" cells.1.state loadable /tmp/list.json
json_is "list --json: on CPU 1 only" cells.1.cpus '[1]' /tmp/list.json
json_is "list --json: with 1M of memory" cells.1.memory_bytes 1048576 /tmp/list.json
json_is "list --json: no failure reason" cells.1.reason null /tmp/list.json
check_fails "list --json: and nothing else" \
	sh -c "/cellvisor/tests/lib/generated/cv-json cells.2 </tmp/list.json"
check_fails "a second create of the same cell is refused" \
	cellctl create -s $SYS $CELL
# cellctl checks a cell against the system only: it cannot know that hello
# owns CPU 1 now. The hypervisor must refuse a second cell there itself.
sed 's/^name: hello/name: dup/' $CELL >/tmp/dup.yaml
run cellctl create -s $SYS /tmp/dup.yaml
check "a cell on CPU 1, which hello owns, is refused" [ "$RC" -ne 0 ]
run cellctl console
check_out "by the hypervisor, which says why" \
	"cell 'dup' refused: CPU already owned by another cell"
check "hello is still the only cell" \
	sh -c "test \$(cellctl list | awk 'NR > 2' | wc -l) -eq 2 && cellctl list | grep -q 'hello *loadable'"
rm -f /tmp/dup.yaml
check_fails "start without load is refused" cellctl start hello
check_fails "disable is refused while a cell exists" cellctl disable

check "the hello inmate loads" cellctl load hello inmates/demos/hello.bin
run cellctl load hello inmates/demos/hello.bin@0x100000
check_rc "an image outside the loadable memory is refused" 1
# The root sees loadable memory until start (0x32000000: where cellctl
# placed 'ram'), and reads zeros there afterwards, never the cell's data.
head -c 4096 inmates/demos/hello.bin > /tmp/image
dd if=/dev/zero bs=4096 count=1 of=/tmp/zeros 2>/dev/null
check "the root reads the loaded image while the cell is loadable" \
	sh -c "dd if=/dev/mem bs=4096 skip=$((0x32000)) count=1 of=/tmp/seen 2>/dev/null; cmp -s /tmp/seen /tmp/image"
check "the cell starts" cellctl start hello
check "the root reads zeros from the running cell's memory" \
	sh -c "dd if=/dev/mem bs=4096 skip=$((0x32000)) count=1 of=/tmp/seen 2>/dev/null; cmp -s /tmp/seen /tmp/zeros"
check "list shows hello running" \
	wait_until 5 sh -c "cellctl list | grep -q 'hello *running'"
check_fails "load into a running cell is refused" \
	cellctl load hello inmates/demos/hello.bin
run cellctl stats hello 0.1
check_out "the inmate ran (CPUID exits counted)" '^cpuid +1 +[1-9]'
cellctl stats --json hello 0.1 >/tmp/stats.json
json_is "stats --json: names the cell" cell hello /tmp/stats.json
json_is "stats --json: its one CPU is 1" cpus.0.cpu 1 /tmp/stats.json
check "stats --json: CPUID exits counted" test \
	"$(/cellvisor/tests/lib/generated/cv-json cpus.0.exits.cpuid.total </tmp/stats.json)" -gt 0
hc0=$(sed -n 's/^hypercall //p' $CV/stats/cpu0)
cellctl stats root 0.1 --json >/tmp/stats.json
json_is "stats root --json: names the root" cell root /tmp/stats.json
json_is "stats root --json: starts at CPU 0" cpus.0.cpu 0 /tmp/stats.json
check "stats root --json: CPU 0's hypercalls as sysfs counts them ($hc0)" test \
	"$(/cellvisor/tests/lib/generated/cv-json cpus.0.exits.hypercall.total </tmp/stats.json)" -ge "$hc0"

check "the cell shuts down" cellctl shutdown hello
check "list shows hello shut down" \
	sh -c "cellctl list | grep -q 'hello *shut down'"
check "it loads again" cellctl load hello inmates/demos/hello.bin
check "and starts again" cellctl start hello
check "the cell is destroyed" cellctl destroy hello
run cellctl list
check "list is empty again" test "$(cells_besides_root)" -eq 0

check "CPU 1 is online again in Linux" grep -qx 1 $CPU1
check "and runs processes" taskset -c 1 sh -c 'i=0; while [ $i -lt 1000 ]; do i=$((i+1)); done'
pool1=$(cat $CV/pool_free)
echo "pool: $pool0 free before, $pool1 after one cycle"

# Later cycles must give back exactly what they took.
check "create again" cellctl create -s $SYS $CELL
check "load again" cellctl load hello inmates/demos/hello.bin
check "start again" cellctl start hello
check "destroy again" cellctl destroy hello
pool2=$(cat $CV/pool_free)
check "no pool pages leaked by the second cycle ($pool1 -> $pool2)" \
	test "$pool1" -eq "$pool2"
check "CPU 1 is online after the second cycle" grep -qx 1 $CPU1
check "disable works once the cells are gone" cellctl disable
# CPU 1 came back online under the hypervisor, which hides VT-x/AMD-V:
# Linux's CPU flags lost it, the driver must not trust them.
check "enable works again after that" cellctl enable $SYS
check "and disable" cellctl disable
run cellctl list
check_out "list says the hypervisor is disabled" '^hypervisor: disabled$'
cellctl list --json >/tmp/list.json
json_is "list --json: disabled" hypervisor.enabled false /tmp/list.json
json_is "list --json: no cell, not even the root" cells '[]' /tmp/list.json
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
