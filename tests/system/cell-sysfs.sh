# Per-cell sysfs: /sys/class/misc/cellvisor/cells/NAME/{id,name,state,cpus,
# memory,reason}, read-only, made at create and gone at destroy, following
# the cell through loadable, running, failed and shut down; a reader
# that keeps reading while the cell is destroyed neither blocks the
# destroy nor keeps the directory.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

machine_configs
CELLS=/sys/class/misc/cellvisor/cells
D=$CELLS/hello

# value FILE: what the attribute reads.
value() { cat "$D/$1"; }

check "cellvisor.ko loads" insmod cellvisor.ko
check "the cells directory exists" test -d $CELLS
check "and is empty before enable" test -z "$(ls $CELLS)"
check "cellctl enable succeeds" cellctl enable $SYS
check "cellctl create hello succeeds" cellctl create $CELL
check "cells/hello appears" test -d $D
check "with id, name, state, cpus, memory, reason" \
	test "$(ls $D | tr '\n' ' ')" = "cpus id memory name reason state "
check "every file is read-only (0444)" \
	test -z "$(find $D -type f ! -perm 0444)"
check_fails "writing state is refused" sh -c "echo running > $D/state"
ID=$(cellctl list | awk '$2 == "hello" { print $1 }')
check "id is list's id ($ID)" test "$(value id)" = "$ID"
check "name is hello" test "$(value name)" = hello
check "state is loadable" test "$(value state)" = loadable
check "cpus is 1" test "$(value cpus)" = 1
check "memory is 1M (1048576 bytes)" test "$(value memory)" = 1048576
check "reason is empty" test -z "$(value reason)"

check "the hello inmate loads" cellctl load hello inmates/demos/hello.bin
check "the cell starts" cellctl start hello
check "state is running" wait_until 5 grep -qx running $D/state
check "the cell shuts down" cellctl shutdown hello
check "state is shut down" grep -qx "shut down" $D/state

# A hostile inmate: the cell fails and sysfs says why.
check "the hostile inmate loads" \
	cellctl load hello inmates/tests/hostile.bin --string "pio=0x80@0x1000"
check "and starts" cellctl start hello
check "state is failed" wait_until 5 grep -qx failed $D/state
check "reason names the CPU and the port" \
	grep -Eqx "CPU 1: port 0x80 read outside the cell \(RIP 0x[0-9a-f]+\)" $D/reason
check "the failed cell shuts down" cellctl shutdown hello
check "reason is empty again" test -z "$(value reason)"

# Destroy while a reader keeps reading every file.
( while :; do cat $D/* >/dev/null 2>&1; done ) &
READER=$!
sleep 0.2
check "destroy ends while a reader reads" cellctl destroy hello
check "cells/hello is gone" test ! -e $D
kill $READER; wait $READER 2>/dev/null
check "the cells directory is empty" test -z "$(ls $CELLS)"

check "a cell of the same name is created again" cellctl create $CELL
check "cells/hello is back" grep -qx loadable $D/state
check "destroyed again" cellctl destroy hello
check "cellctl disable succeeds" cellctl disable
check "the module unloads" rmmod cellvisor
check "with its sysfs" test ! -e $CELLS
done_checks
