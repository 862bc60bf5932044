# Without -s, create, config check and config compile use the system
# config the hypervisor was enabled with (the driver hands it back):
# 'cellctl enable SYS; cellctl create CELL' is enough.  Without a running
# hypervisor they say so and change nothing.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

machine_configs
CPU1=/sys/devices/system/cpu/cpu1/online

run cellctl create $CELL
check_rc "create without -s and without the driver fails" 1
check_out "it says the driver is not loaded and what to do" \
	"no -s SYSTEM given and cellvisor.ko is not loaded.*modprobe cellvisor"

check "cellvisor.ko loads" insmod cellvisor.ko
SC=/cellvisor/tests/lib/generated/cv-sysconfig
run $SC 262144
check_rc "the driver has no system config before enable (ENODEV)" 19
run cellctl create $CELL
check_rc "create without -s before enable fails" 1
check_out "it says the hypervisor is not enabled and what to do" \
	"no -s SYSTEM given and the hypervisor is not enabled.*cellctl enable SYSTEM.yaml"
check "CPU 1 is still online" grep -qx 1 $CPU1
run cellctl config check $CELL
check_rc "config check of the cell alone still works" 0
check_out "alone, without a running system config" "cell 'hello' is valid$"

check "cellctl enable succeeds" cellctl enable $SYS
# The driver hands back exactly the blob cellctl enabled with.
check "the system config compiles" cellctl config compile -q -o /tmp/sys.dtb $SYS
$SC 262144 >/tmp/running.dtb 2>/tmp/sc.err
check "the driver hands back the running system config" test $? -eq 0
check "byte for byte what enable was given" cmp /tmp/running.dtb /tmp/sys.dtb
SIZE=$(stat -c %s /tmp/sys.dtb)
run $SC 16
check_rc "a buffer too small gets ENOSPC" 28
check_out "with the size needed" "^size $SIZE\$"
run $SC 262144 2
check_rc "another ioctl version gets EPROTO" 71
run $SC 262144 1 1
check_rc "unknown flags get EINVAL" 22
run cellctl config check $CELL
check_rc "config check of the cell alone passes" 0
check_out "with the running system config" \
	"cell 'hello' is valid \(with the running system config\)"
# hello-qemu leaves the placement of its RAM to cellctl: only the system
# config (here, the running one) has the cell pool to place it in.
run cellctl config compile -o /tmp/hello.dtb $CELL
check_rc "config compile without -s uses the running system config" 0
run cellctl config compile -s $SYS -o /tmp/hello-s.dtb $CELL
check "it compiles as with -s" cmp /tmp/hello.dtb /tmp/hello-s.dtb
# A cell that does not fit the running system is refused by cellctl.
sed 's/^cpus: 1.*/cpus: 7/' $CELL >/tmp/cpu7.yaml
run cellctl create /tmp/cpu7.yaml
check_rc "a cell on a CPU the running system lacks is refused" 2
check_out "checked against the running system" "CPU 7 is not a CPU of system"
check "CPU 1 is still online" grep -qx 1 $CPU1

run cellctl create $CELL
check_rc "cellctl create without -s succeeds" 0
check "CPU 1 is offline in Linux" grep -qx 0 $CPU1
check "the hello inmate loads" cellctl load hello inmates/demos/hello.bin
check "the cell starts" cellctl start hello
check "list shows hello running" \
	wait_until 10 sh -c "cellctl list | grep -q 'hello *running'"
check "the inmate prints" \
	wait_until 20 sh -c "cellctl console | grep -q '^\[hello\] Hello from Cellvisor inmate'"
run cellctl stats hello 0.1
check_out "the inmate ran (CPUID exits counted)" '^cpuid +1 +[1-9]'
check "the cell is destroyed" cellctl destroy hello
check "CPU 1 is online again" grep -qx 1 $CPU1
check "cellctl disable succeeds" cellctl disable
run $SC 262144
check_rc "after disable the driver has none (ENODEV)" 19

run cellctl create $CELL
check_rc "after disable, create without -s fails again" 1
check_out "saying the hypervisor is not enabled" \
	"the hypervisor is not enabled"
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
