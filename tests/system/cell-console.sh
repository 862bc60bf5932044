# A cell's console output is marked as its own: an inmate that prints copies
# of the hypervisor's lines, a carriage return and an escape sequence
# (inmates/tests/forge.bin, through its UART and the DEBUG_PUTC hypercall)
# shows in cellctl console only as "[hello] ..." lines, its control
# characters in caret notation; a line it leaves unfinished goes out,
# marked, when the cell stops.
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

machine_configs
FORGE=inmates/tests/forge.bin

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "cellctl create hello succeeds" cellctl create -s $SYS $CELL

# count PATTERN [-v]: console lines matching the extended regular
# expression (with -v: not matching it).
count() { cellctl console | grep -Ec $2 -- "$1"; }
# at_least N PATTERN: at least N console lines match PATTERN.
at_least() { [ "$(count "$2")" -ge "$1" ]; }

check "the forging inmate loads" \
	cellctl load hello $FORGE --string "long=300@0x1000"
check "and starts" cellctl start hello
# 300 characters: two pieces of 120 out, 60 waiting for a newline.
check "it prints a long line in pieces" \
	wait_until 10 at_least 1 '^\[hello\]\+ A{120}$'
run cellctl console
check_out "its copy of the create line carries its name" \
	"^\[hello\] Cellvisor: cell 'hello' created \(id 1, 1 CPUs\)$"
check "only the hypervisor's own create line starts with 'Cellvisor:'" \
	test "$(count "^Cellvisor: cell 'hello' created")" -eq 1
check_out "its carriage return and escape sequence show as text" \
	'^\[hello\] \^M\^\[\[2KCellvisor: forged$'
check "no line starts with what followed them" \
	test "$(count '^Cellvisor: forged')" -eq 0
ESC=$(printf '\033')
CR=$(printf '\r')
check "the console holds no CR or ESC byte" \
	test "$(count "[$ESC$CR]")" -eq 0
check_out "its line through the hypercall carries its name too" \
	"^\[hello\] Cellvisor: cell 'hello' shut down$"
check "the hypervisor has not shut the cell down" \
	test "$(count "^Cellvisor: cell 'hello' shut down")" -eq 0
check_out "the long line's first piece is marked" '^\[hello\] A{120}$'
check "its unfinished end waits while the cell runs" \
	test "$(count '^\[hello\]\+ A{60}( |$)')" -eq 0

check "cellctl shutdown hello" cellctl shutdown hello
run cellctl console
check_out "at shutdown the unfinished end goes out, marked as cut" \
	'^\[hello\]\+ A{60} \[stopped mid-line\]$'
check "right before the hypervisor's shutdown line" sh -c \
	"cellctl console | grep -A1 'stopped mid-line' | tail -n 1 |
	 grep -qx \"Cellvisor: cell 'hello' shut down\""

check "hello loads into the same cell" \
	cellctl load hello inmates/demos/hello.bin
check "and starts" cellctl start hello
check "its lines start afresh, nothing left of the last run" \
	wait_until 10 at_least 1 '^\[hello\] Hello from Cellvisor inmate$'
check "its own 'Cellvisor:' line is marked as its" \
	wait_until 10 at_least 1 '^\[hello\] Cellvisor: present$'
check "cellctl shutdown hello again" cellctl shutdown hello

# 10090 characters: more than the ring holds (8 KiB), so it wraps.
check "the forging inmate loads again" \
	cellctl load hello $FORGE --string "long=10090@0x1000"
check "and starts" cellctl start hello
# The ring's first line, gone once it wrapped.
wrapped() { [ "$(count '^Cellvisor: enabling')" -eq 0 ]; }
check "it fills the ring with its long line" wait_until 10 wrapped
check "whose pieces all carry the mark" \
	at_least 50 '^\[hello\]\+ A{120}$'
check "after the wrap every line still starts with a mark" \
	test "$(count '^(Cellvisor: |\[|$)' -v)" -eq 0
check "cellctl destroy hello" cellctl destroy hello
check "at destroy the unfinished end goes out, marked as cut" \
	at_least 1 '^\[hello\]\+ A{1,120} \[stopped mid-line\]$'
check "cellctl disable" cellctl disable
check "after disable the ring reads the same way" \
	at_least 1 '^\[hello\]\+ A{1,120} \[stopped mid-line\]$'
check "every line starting with a mark" \
	test "$(count '^(Cellvisor: |\[|$)' -v)" -eq 0
check "cellvisor.ko unloads" rmmod cellvisor
done_checks
