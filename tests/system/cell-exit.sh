# A cell ends itself through the exit port (0xf4): 'cellctl list', sysfs
# and --json say "exited" with the status, the hypervisor says so once,
# and nothing failed. Like a failed cell it keeps its memory until
# shutdown (load is refused), and shutdown, start and destroy work from
# there; the root comes to no harm.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh
. /cellvisor/tests/lib/hostile.sh

machine_configs
CELLDIR=/sys/class/misc/cellvisor/cells/hello

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "cellctl create hello succeeds" cellctl create -s $SYS $CELL

exited() { cellctl list | grep -Eq 'hello +exited'; }

hostile_start "exit=7"
check "the cell ends itself" wait_until 5 exited
run cellctl list
check_out "list says exited, and the status" \
	'hello +exited +1 +1M +CPU 1: exited with status 7$'
check "sysfs state says exited" grep -qx exited $CELLDIR/state
check "sysfs reason says the status" \
	grep -qx 'CPU 1: exited with status 7' $CELLDIR/reason
run cellctl list --json
check_rc "list --json works" 0
printf '%s\n' "$OUT" > /tmp/list.json
json_is "JSON: the cell's state is exited" \
	cells.1.state exited /tmp/list.json
check "the inmate said it would exit" run_has "hostile: exiting with status 7"
run cellctl console
check_out "the hypervisor says it once" \
	"^Cellvisor: cell 'hello' exited with status 7\$"
check "and nothing FAILED" \
	sh -c "! cellctl console | grep -q FAILED"
root_unharmed "exit=7"

run cellctl load hello inmates/demos/hello.bin
check_rc "load into the exited cell is refused" 1
check_out "saying shutdown comes first" \
	"cell 'hello' is exited: its memory is its own until 'cellctl shutdown hello'"
check "shutdown works from exited" cellctl shutdown hello
check "the cell is shut down" sh -c "cellctl list | grep -Eq 'hello +shut down'"
check "sysfs reason is empty again" test -z "$(cat $CELLDIR/reason)"

# A 32-bit status, then a start straight from exited, then destroy.
hostile_start "exit=0x12345678"
check "the cell ends itself again" wait_until 5 exited
check "with the whole 32-bit status" \
	grep -qx 'CPU 1: exited with status 305419896' $CELLDIR/reason
check "it starts again from exited" cellctl start hello
check "the cell ends itself once more" wait_until 5 exited
check "destroy works from exited" cellctl destroy hello
check "CPU 1 is online again" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
