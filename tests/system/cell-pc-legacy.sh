# A cell whose config lists the virtual device pc-legacy finds what a PC
# image probes (inmates/tests/pclegacy.bin): PIT channel 2 counts at
# 1.193182 MHz of the hypervisor's TSC rate (two latched counts, each
# between two TSC reads: the ticks between them lie between the inner and
# the outer TSC interval, however the host schedules the emulator; the
# calibration an image would do is printed, not checked: it is an
# estimate that host load skews), the PICs take ICWs and their masks read back,
# CMOS status A reads 0x26, PCI config space through 0xcf8/0xcfc finds no
# device, port 0x80 takes a POST code; the inmate then ends itself
# (status 0).  A reset request through port 0x64, 0x92 or 0xcf9, and
# string I/O to a virtual device's port, stop it with a reason.  The
# same inmate in a cell without pc-legacy FAILS at its first port, 0x61.
# Documentation/device-models.md has the port policy.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

machine_configs
LEGACY=/tmp/hello-pc-legacy.yaml
PCLEGACY=inmates/tests/pclegacy.bin
{ cat $CELL; printf 'virtual-devices:\n  - type: pc-legacy\n'; } >$LEGACY

cleanup() {
	cellctl destroy hello >/dev/null 2>&1
	cellctl disable >/dev/null 2>&1
	rmmod cellvisor 2>/dev/null
	return 0
}
trap cleanup EXIT

state_is() { cellctl list | grep -Eq "hello +$1"; }

check "config check accepts pc-legacy" cellctl config check $SYS $LEGACY
check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "the cell with pc-legacy is created" cellctl create -s $SYS $LEGACY
check "the pc-legacy inmate loads" cellctl load hello $PCLEGACY
check "and starts" cellctl start hello
check "it ends itself" wait_until 10 state_is exited
run cellctl list
check_out "with status 0" 'hello +exited .*exited with status 0$'
run cellctl console
check_out "it calibrated the TSC with PIT channel 2" \
	'\[hello\] pclegacy: PIT channel 2: TSC [1-9][0-9]* kHz, hypervisor [1-9][0-9]* kHz$'
check_out "channel 2 counts at 1.193182 MHz of the TSC (counts latched between TSC reads)" \
	'pclegacy: PIT counted [1-9][0-9]* ticks, the TSC says [0-9]+ to [0-9]+: agrees$'
check_out "the PIC masks read back, nothing pending" \
	'pclegacy: PIC masks 0xff 0xff, IRR 0x0$'
check_out "CMOS status A reads 0x26" 'pclegacy: CMOS status A 0x26$'
check_out "CMOS status D: valid RAM and time" 'pclegacy: CMOS status D 0x80$'
check_out "PCI config 00:00.0 reads all ones, the latch reads back" \
	'pclegacy: PCI 0x80000000: 0xffffffff$'
check_out "port 0x80 reads 0xff, port A has A20 on" \
	'pclegacy: port 0x80 reads 0xff, port 0x92 0x2$'
check "nothing FAILED" sh -c "! cellctl console | grep -q FAILED"
check "the cell shuts down" cellctl shutdown hello

# stops ARG REASON: the inmate with stop=ARG FAILS with REASON (an
# extended regular expression) and never says SURVIVED.
stops() {
	check "stop=$1 loads" cellctl load hello $PCLEGACY \
		--string "stop=$1@0x1000"
	check "and starts" cellctl start hello
	check "stop=$1 FAILS the cell" wait_until 10 state_is failed
	run cellctl list
	check_out "saying '$2'" "hello +failed .*$2"
	check "stop=$1: it never said SURVIVED" \
		sh -c "! cellctl console | grep -q 'pclegacy: SURVIVED'"
	check "the failed cell shuts down" cellctl shutdown hello
}
stops kbd 'i8042 reset pulse: port 0x64 write 0xfe resets the machine'
stops porta 'fast reset \(system control port A\): port 0x92 write 0x3'
stops cf9 'reset control: port 0xcf9 write 0x6 resets the machine'
stops outs 'port 0x80 string write \(OUTS\) to a virtual device: not emulated'
check "the cell is destroyed" cellctl destroy hello

check "the same cell without pc-legacy is created" \
	cellctl create -s $SYS $CELL
check "the inmate loads" cellctl load hello $PCLEGACY
check "and starts" cellctl start hello
check "it FAILS" wait_until 10 state_is failed
run cellctl list
check_out "at port 0x61, its first" \
	'hello +failed .*port 0x61 read outside the cell'
check "destroy" cellctl destroy hello
check "disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
