# A cell's APIC timer ticks: the latency demo runs periodic interrupts in a
# cell; nothing Linux left pending on the CPU reaches it.  A cell keeps the
# root's APIC mode: xAPIC under qemu and bochs, whose page traps (its EOIs
# show as APIC exits), x2APIC under qemu-x2apic, where timer and EOI cost
# no exit at all.
. /cellvisor/tests/lib/guest.sh

machine_configs
# No tsc_khz= and no comm page: the inmate asks the hypervisor, which
# passes on the rate Linux calibrated (Bochs: the model's nominal 3.5 GHz;
# /proc/cpuinfo's "cpu MHz" may differ from it by under 1 %).
LINUX_KHZ=$(awk '/^cpu MHz/ { printf "%d", $4 * 1000; exit }' /proc/cpuinfo)
ARGS="report_ms=200"

# windows N: the inmate has reported at least N windows with samples.
windows() {
	[ "$(cellctl console | grep -c 'latency: window: [1-9]')" -ge "$1" ]
}

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "create" cellctl create -s $SYS $CELL
check "latency loads ($ARGS)" cellctl load hello inmates/demos/latency.bin \
	--string "$ARGS@0x1000"
check "latency starts" cellctl start hello
check "it reports its first windows" wait_until 10 windows 2
KHZ=$(cellctl console |
	sed -n 's/.*latency: TSC \([0-9]*\) kHz (hypervisor).*/\1/p' | tail -n 1)
check "it took the TSC rate from the hypervisor (${KHZ:-none} kHz)" \
	test -n "$KHZ"
check "Linux's rate ($LINUX_KHZ kHz from /proc/cpuinfo)" \
	test $(((KHZ - LINUX_KHZ) * 100 / LINUX_KHZ)) -eq 0
check_timer_exits "its timer runs" hello 1
n=$(cellctl console | grep -c 'latency: window: [1-9]')
check "its timer keeps ticking (windows after $n)" \
	wait_until 10 windows $((n + 2))
check "no interrupt of Linux reached it" \
	sh -c "! cellctl console | grep -q 'UNEXPECTED INTERRUPT'"
check "the cell still runs" sh -c "cellctl list | grep -Eq 'hello +running'"
check "shutdown" cellctl shutdown hello
check "destroy" cellctl destroy hello
check "CPU 1 is online again" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
