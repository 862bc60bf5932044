# 100 create/load/start/destroy cycles: no hypervisor pool page leaks, no lost CPU.
# emulators: qemu
. /cellvisor/tests/lib/guest.sh

SYS=configs/x86/qemu-svm.yaml
CV=/sys/class/misc/cellvisor

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "the cell compiles" cellctl config compile -s $SYS -d /tmp \
	configs/x86/hello-qemu.yaml
DTB=/tmp/hello-qemu.dtb

cycle() {
	cellctl create $DTB >/dev/null &&
	cellctl load hello inmates/demos/hello.bin --string "console=0@0x1000" \
		>/dev/null &&
	cellctl start hello >/dev/null &&
	cellctl destroy hello >/dev/null &&
	grep -qx 1 /sys/devices/system/cpu/cpu1/online
}

# The first cycle may keep page-table pages it split in the root's NPT.
check "cycle 1" cycle
pool1=$(cat $CV/pool_free)
n=2
while [ $n -le 100 ]; do
	cycle || not_ok "cycle $n"
	n=$((n + 1))
done
ok "cycles 2 to 100"
pool100=$(cat $CV/pool_free)
check "no pool pages leaked ($pool1 after cycle 1, $pool100 after 100)" \
	test "$pool1" -eq "$pool100"
check "CPU 1 is online" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "both CPUs run processes" sh -c \
	'taskset -c 1 true && taskset -c 0 true'
check "disable works" cellctl disable
done_checks
