# A cell and Linux talk through a shared region: cellctl shm reads and
# writes it from the root while the shm inmate answers; only regions marked
# shared can be opened, and a cell is not destroyed while a root process
# holds its shared memory.
# emulators: qemu qemu-x2apic
. /cellvisor/tests/lib/guest.sh

SYS=configs/x86/qemu-svm.yaml
{
	cell_yaml talk 1 1M
	cat <<'YAML'
  - name: mailbox
    phys: 0x33000000
    guest: 0x200000
    size: 4K
    access: [read, write]
    shared: true
YAML
} > /tmp/talk.yaml

# shm_has OFFSET TEXT: the string at OFFSET of the mailbox contains TEXT.
shm_has() {
	cellctl shm talk mailbox -o "$1" -n 256 | tr -d '\0' | grep -q "$2"
}
# wait_for CMD...: CMD succeeds within 20 s.
wait_for() {
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -lt 40 ] || return 1
		sleep 0.5
	done
}

check "cellvisor.ko loads" insmod cellvisor.ko
check "cellctl enable succeeds" cellctl enable $SYS
check "create" cellctl create -s $SYS /tmp/talk.yaml
run cellctl shm talk ram
check_rc "a region that is not shared is refused" 1
check_out "and cellctl says how to share it" "mark it 'shared: true'"
run cellctl shm talk nosuch
check_rc "an unknown region is refused" 1
check_out "and cellctl says what to give" "has no region of that name"
run cellctl shm nosuch mailbox
check_rc "an unknown cell is refused" 1
run cellctl shm talk mailbox -o 0x1000
check_rc "an offset outside the region is a usage error" 2

check "shm loads" cellctl load talk inmates/tests/shm.bin \
	--string "shm=0x200000@0x1000"
check "shm starts" cellctl start talk
check "the cell's greeting appears in the root's view of the mailbox" \
	wait_for shm_has 0 "hello from the cell"
check "the root writes a message into the mailbox" \
	sh -c "printf 'ping from linux\0' | cellctl shm talk mailbox -w -o 0x100"
# The mailbox has no commit flag: the cell may catch a message half
# written and answer that too, so the answer's number is not checked.
check "the cell answers it there" \
	wait_for shm_has 0x200 "ack [0-9]*: ping from linux"
check "and on its console" \
	sh -c "cellctl console | grep -q 'shm: ack [0-9]*: ping from linux'"
run sh -c "head -c 5000 /dev/zero | cellctl shm talk mailbox -w"
check_rc "input larger than the region is refused" 1
check "and nothing was written" shm_has 0 "hello from the cell"

# A writer that holds the mailbox open until its input ends.
mkfifo /tmp/fifo
cellctl shm talk mailbox -w -o 0x100 </tmp/fifo &
HOLDER=$!
exec 3>/tmp/fifo
holds() { grep -q cellvisor-shm /proc/$HOLDER/maps 2>/dev/null; }
check "a root process holds the mailbox" wait_for holds
run cellctl destroy talk
check_rc "destroy is refused while it does" 1
check_out "cellctl says why" "a root process holds the cell's shared memory"
check "dmesg names the process" \
	sh -c "dmesg | grep -q \"cell 'talk' is not destroyed: process $HOLDER (cellctl) has its shared region 'mailbox' open\""
check "the cell still runs" sh -c "cellctl list | grep -Eq 'talk +running'"
printf 'second\0' >&3
exec 3>&-
check "the holder writes and lets go" wait $HOLDER
check "the cell answers the second message" \
	wait_for shm_has 0x200 "ack [0-9]*: second"
check "destroy works once nobody holds the mailbox" cellctl destroy talk
check "CPU 1 is back" grep -qx 1 /sys/devices/system/cpu/cpu1/online
check "disable" cellctl disable
done_checks
