# The Linux boot protocol: cellctl load takes the guest's own bzImage
# (Debian's kernel), places the protected-mode kernel at its preferred
# address with room for init_size, builds a zero page (setup header, e820
# map of the cell, command line) and starts it at the 32-bit entry with
# ESI pointing there. The decompressor reads the command line, prints on
# the cell's COM1, decompresses and jumps into the kernel proper, which
# runs in 64-bit mode at its own virtual addresses until its first access
# the cell does not allow (today: the microcode revision MSR 0x8b, read on
# AMD, written on Intel); the
# cell then stops with the reason and the root is unharmed. Bad kernels
# and a cell too small are refused by cellctl, and so is a load into the
# failed cell (its memory is not the root's until shutdown). The machine
# also carries memtest86+: the vm-run options of cell-memtest, so that
# Bochs runs both in one boot.
# emulators: qemu qemu-x2apic bochs
# vm-run: --add-kernel --add /boot/memtest86+x64.bin
. /cellvisor/tests/lib/guest.sh

machine_configs
VMLINUZ=/cellvisor/vmlinuz
cell_config() { cell_yaml linux 1 "$1@0x32000000"; }
cell_config 16M > /tmp/small.yaml
cell_config 128M > /tmp/linux.yaml
count() { cellctl console | grep -Ec -- "$1"; }
at_least() { [ "$(count "$2")" -ge "$1" ]; }
stopped() { cellctl list | grep -q 'linux *failed'; }

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS

# ---- a cell too small, and broken kernels: refused, nothing loaded ----
check "a 16 MiB cell is created" cellctl create -s $SYS /tmp/small.yaml
run cellctl load linux $VMLINUZ
check_rc "the kernel does not fit in 16 MiB" 1
check_out "cellctl says how much it needs" \
	"the kernel needs 0x[0-9a-f]+ bytes \(its init_size\) of loadable memory"
check_fails "nothing was loaded: start is refused" cellctl start linux
check "the small cell is destroyed" cellctl destroy linux

check "a 128 MiB cell is created" cellctl create -s $SYS /tmp/linux.yaml
head -c 8192 $VMLINUZ > /tmp/cut
run cellctl load linux /tmp/cut
check_rc "a kernel cut after its setup header is refused" 1
check_out "as truncated" "the setup code \([0-9]+ sectors\) fills the whole file: truncated kernel"
echo initrd > /tmp/initrd
run cellctl load linux $VMLINUZ --module /tmp/initrd --module /tmp/initrd
check_rc "two initrds are refused" 1
check_out "one is what Linux takes" "a Linux kernel takes one initrd"
check_fails "still nothing loaded" cellctl start linux

# ---- the real thing ----
CMDLINE="console=ttyS0 earlyprintk=serial,ttyS0,115200 nokaslr"
run cellctl load linux $VMLINUZ --cmdline "$CMDLINE" --module /tmp/initrd
check_rc "Debian's kernel loads" 0
check_out "at its preferred address (16 MiB), with a zero page" \
	"^cell 'linux': Linux kernel loaded, 32-bit entry 0x1000000, zero page at 0x[0-9a-f]+000$"
check "the cell starts" cellctl start linux
check "the decompressor read the command line and printed on COM1" \
	wait_until 120 at_least 1 "^\[linux\] KASLR disabled: 'nokaslr' on cmdline\.$"
check "the kernel proper runs until it stops the cell" wait_until 300 stopped
run cellctl list
check_out "in 64-bit mode at its own addresses (RIP in the kernel's text)" \
	"^1 +linux +failed +1 +128M +CPU [0-9]+: .*RIP 0xffffffff8[0-9a-f]{7}\)$"
run cellctl console
check_out "the console names what stopped it" \
	"cell 'linux' FAILED: CPU [0-9]+: .*RIP 0xffffffff8"
run cellctl load linux $VMLINUZ
check_rc "a load into the failed cell is refused" 1
check_out "saying to shut it down first" \
	"cell 'linux' is failed: its memory is its own until 'cellctl shutdown linux'"
check "the cell is destroyed" cellctl destroy linux
check "its CPU is back in Linux" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "and runs processes" taskset -c 1 true
check "cellctl disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
