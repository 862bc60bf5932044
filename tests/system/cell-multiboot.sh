# Multiboot: cellctl load runs a Multiboot kernel (inmates/tests/multiboot.c)
# as the specification says: 32-bit protected mode, EAX magic, EBX the
# information structure with the command line, a module and a memory map
# that matches the cell config. The kernel checks all of it and prints
# PASS; its ELF build loads by program headers, its .bin by the a.out
# kludge. Bad images are refused with a reason and change nothing: a
# Multiboot header the loader cannot use, a module that does not fit (in
# cellctl), an entry outside executable memory (in the hypervisor). A raw
# image loaded afterwards starts in real mode again.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

machine_configs
MB=inmates/tests/multiboot
# Two loadable RAM regions, the upper one not executable, and a comm page.
cat > /tmp/mb.yaml <<'YAML'
kind: cell
name: mb
cpus: 1
console: true
memory:
  - name: low
    phys: 0x32000000
    guest: 0x0
    size: 1M
    access: [read, write, execute]
    loadable: true
  - name: high
    phys: 0x32100000
    guest: 0x100000
    size: 1M
    access: [read, write]
    loadable: true
  - name: comm
    comm-page: true
    guest: 0x300000
pio:
  - 0x3f8-0x3ff
YAML

# count PATTERN: console lines matching the extended regular expression.
count() { cellctl console | grep -Ec -- "$1"; }
at_least() { [ "$(count "$2")" -ge "$1" ]; }
# The kernel's own checks, and the memory map line by line.
# kernel_done N: N PASS lines, or the cell failed (no point in waiting).
kernel_done() {
	at_least "$1" '^\[mb\] multiboot: PASS \(' ||
		cellctl list | grep -q 'mb *failed'
}
check_kernel_run() {
	wait_until 60 kernel_done "$2"
	run cellctl list
	check_out "$1: the cell has not failed" '^[0-9]+ +mb +running'
	check "$1: the kernel says PASS" at_least "$2" '^\[mb\] multiboot: PASS \('
	run cellctl console
	check_out "$1: EAX holds the Multiboot magic" \
		'^\[mb\] multiboot: EAX 0x2badb002 EBX 0x[0-9a-f]+ '
	check_out "$1: entered with paging and interrupts off" \
		'^\[mb\] multiboot: protected mode, paging off: ok$'
	check "$1: no check failed" test "$(count 'multiboot: .*FAIL')" -eq 0
}

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "the two-region cell is created" cellctl create -s $SYS /tmp/mb.yaml

# A module with contents the kernel can check: its length and byte sum.
printf 'Cellvisor Multiboot module, %s\n' "$(seq 1 40 | tr '\n' ' ')" \
	> /tmp/mod
LEN=$(wc -c < /tmp/mod)
SUM=$(od -An -v -tu1 /tmp/mod | awk '{ for (i = 1; i <= NF; i++) s += $i }
	END { print s + 0 }')
ARGS="mods=1 mod_len=$LEN mod_sum=$SUM mod_string=the-module map=3"
ARGS="$ARGS mem_lower=640 mem_upper=1024"

# ---- bad images first: the cell stays loadable and empty ----
run cellctl load mb $MB.bin
check_rc "the ELF kernel's raw .bin (no address fields) is refused" 1
check_out "saying what its header lacks" \
	"a Multiboot image that is not ELF needs the address fields \(flag 16\)"
head -c $((2 << 20)) /dev/zero > /tmp/big
run cellctl load mb $MB.elf --module /tmp/big
check_rc "a module larger than the free loadable memory is refused" 1
check_out "saying it does not fit" \
	"module /tmp/big \(0x200000 bytes\) does not fit in the cell's loadable memory"
run cellctl load mb inmates/demos/hello.bin --cmdline x
check_rc "--cmdline with a raw image is a usage error" 2
check_fails "nothing was loaded: start is refused" cellctl start mb
check "the cell is still loadable" \
	sh -c "cellctl list | grep -q 'mb *loadable'"

# ---- the ELF kernel by its program headers ----
run cellctl load mb $MB.elf --cmdline "$ARGS" --module /tmp/mod,the-module
check_rc "the Multiboot ELF kernel loads" 0
check_out "cellctl says where it starts" \
	"^cell 'mb': Multiboot image loaded, entry 0x[0-9a-f]+, information at 0x[0-9a-f]+$"
check "the cell starts" cellctl start mb
check_kernel_run "ELF" 1
run cellctl console
check_out "it got the command line" "^\[mb\] multiboot: cmdline '$ARGS'$"
check_out "the map's first entry is region low" \
	'^\[mb\] multiboot: mmap 0x0-0xfffff type 1$'
check_out "the second region high" \
	'^\[mb\] multiboot: mmap 0x100000-0x1fffff type 1$'
check_out "the comm page is reserved" \
	'^\[mb\] multiboot: mmap 0x300000-0x300fff type 2$'
check_out "mem_lower and mem_upper follow the regions" \
	'^\[mb\] multiboot: mem_lower 640 KiB, mem_upper 1024 KiB$'
check_out "the module arrived whole" \
	"^\[mb\] multiboot: module 0 at 0x[0-9a-f]+000, $LEN bytes, sum $SUM, 'the-module'$"
check_out "its contents checked by the kernel" \
	'^\[mb\] multiboot: module contents \(sum\): ok$'
check "the cell shuts down" cellctl shutdown mb

# ---- the a.out-kludge build, raw ----
check "the a.out-kludge kernel loads" \
	cellctl load mb $MB-aout.bin --cmdline "mods=0 map=3 mem_upper=1024"
check "and starts" cellctl start mb
check_kernel_run "a.out kludge" 2
check "the cell shuts down again" cellctl shutdown mb

# ---- the kernel's checks can fail: a wrong expectation is caught ----
check "the a.out kernel loads with a wrong map size" \
	cellctl load mb $MB-aout.bin --cmdline "mods=0 map=4"
check "and starts" cellctl start mb
check "the kernel says FAIL" \
	wait_until 60 at_least 1 '^\[mb\] multiboot: FAIL: 1 of [0-9]+ checks failed$'
run cellctl console
check_out "naming the check" '^\[mb\] multiboot: memory map entries: FAILED$'
check "the cell shuts down" cellctl shutdown mb

# ---- a raw image afterwards starts in real mode, as before ----
check "hello loads raw into the same cell" \
	cellctl load mb inmates/demos/hello.bin
check "and starts" cellctl start mb
check "it runs from real mode" \
	wait_until 60 at_least 1 '^\[mb\] Hello from Cellvisor inmate$'
check "the cell shuts down a third time" cellctl shutdown mb

# ---- the hypervisor's own check: an entry in non-executable memory ----
# A Multiboot image for 0x100000 (region high: read, write) whose entry
# lies there: cellctl cannot know, the hypervisor refuses the start state
# before anything is copied.
le32() { printf "\\$(printf %03o $(($1 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 24 & 255)))"; }
{
	le32 0x1BADB002; le32 0x10000; le32 0xE4514FFE
	le32 0x100000; le32 0x100000; le32 0; le32 0; le32 0x100020
	printf '\364\364\364\364'	# hlt
} > /tmp/noexec.bin
check "the hand-made image is 36 bytes" test "$(wc -c < /tmp/noexec.bin)" -eq 36
dd if=/dev/mem bs=4096 skip=$((0x32100)) count=1 of=/tmp/high0 2>/dev/null
run cellctl load mb /tmp/noexec.bin
check_rc "an entry in non-executable memory is refused" 1
check_out "cellctl points at the console" \
	'load failed: Invalid argument \(the hypervisor refused it; cellctl console says why\)'
run cellctl console
check_out "the hypervisor says why" \
	"cell 'mb': start state refused: entry outside the cell's executable memory \(mode 1, entry 0x100020\)"
check "region high was not written" sh -c \
	"dd if=/dev/mem bs=4096 skip=$((0x32100)) count=1 of=/tmp/high1 2>/dev/null; cmp -s /tmp/high0 /tmp/high1"
check "the cell starts what it had: hello, in real mode" cellctl start mb
check "hello runs again" \
	wait_until 60 at_least 2 '^\[mb\] Hello from Cellvisor inmate$'
check "the cell is destroyed" cellctl destroy mb
check "cellctl disable" cellctl disable
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
