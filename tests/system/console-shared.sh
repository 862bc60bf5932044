# Linux's console keeps transmitting while the hypervisor prints on the same UART.
# emulators: qemu qemu-x2apic
# Linux's 8250 driver sends from the transmit-empty interrupt while the
# hypervisor writes the same UART by polling (hypervisor/printk.c); a lost
# interrupt would stop Linux's console for good. The driver's own transmit
# counter in /proc/tty/driver/serial shows whether Linux's bytes really left.
. /cellvisor/tests/lib/guest.sh

CV=/sys/class/misc/cellvisor
P=/sys/module/cvtest_mem/parameters
SYS=configs/x86/qemu-svm.yaml
HV_PHYS=$(cellctl config show $SYS | sed -n '/^hypervisor:/,/^[a-z]/s/^  phys: //p')
tx() { sed -n 's/^0: .* tx:\([0-9]*\) .*/\1/p' /proc/tty/driver/serial; }
BYTES=6000

check "cvtest_mem.ko loads" insmod /cellvisor/tests/modules/cvtest_mem.ko
check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
for round in 1 2 3; do
	before=$(tx)
	# Linux queues a burst for the UART while the hypervisor reports
	# forbidden accesses (one console line each) on the same port.
	awk -v n=$BYTES 'BEGIN { while (n > 0) { printf "%s\n", "linux-console-burst"; n -= 20 } }' \
		>/dev/console &
	writer=$!
	for i in 1 2 3 4 5 6 7 8; do
		echo "$HV_PHYS" >$P/read 2>/dev/null
	done
	wait $writer
	# The burst takes about half a second at 115200 baud; allow far more.
	waited=0
	while [ $(($(tx) - before)) -lt $BYTES ] && [ $waited -lt 30 ]; do
		sleep 1
		waited=$((waited + 1))
	done
	sent=$(($(tx) - before))
	check "round $round: the UART sent all of Linux's $BYTES bytes ($sent)" \
		test "$sent" -ge $BYTES
done
check "cellctl disable succeeds" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
check "cvtest_mem.ko unloads" rmmod cvtest_mem
done_checks
