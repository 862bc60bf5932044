# `make demo`: what Cellvisor does today, step by step, on the emulated AMD-V machine.
set -e
CV=/sys/class/misc/cellvisor
SYS=configs/x86/qemu-svm.yaml
step() { echo; echo "### $*"; }

step "insmod cellvisor.ko"
insmod cellvisor.ko
ls -l /dev/cellvisor

step "cellctl config check $SYS"
cellctl config check $SYS

step "cellctl enable $SYS   (Linux becomes the root cell)"
cellctl enable $SYS
dmesg | grep -i cellvisor | tail -n 5
echo "enabled: $(cat $CV/enabled)"
echo "VM exits so far: $(cat $CV/exits)"

step "Linux keeps working under the hypervisor"
for cpu in $(seq 0 $(($(nproc) - 1))); do
	sum=$(taskset -c "$cpu" awk 'BEGIN { s = 0; for (i = 1; i <= 100000; i++) s += i; print s }')
	echo "CPU $cpu: sum 1..100000 = $sum"
done

step "cellctl disable   (every CPU leaves the hypervisor)"
cellctl disable
echo "enabled: $(cat $CV/enabled)"

step "rmmod cellvisor"
rmmod cellvisor
echo
echo "demo: done"
