# Every refused enable says why and leaves the machine exactly as it was (no enable succeeds here).
# emulators: qemu qemu-x2apic bochs
. /cellvisor/tests/lib/guest.sh

CV=/sys/class/misc/cellvisor
# OTHER: the config of the other test machine, for the other CPU vendor;
# OTHER_MACHINE: what messages call it (a regular expression).
case $(grep -m1 vendor_id /proc/cpuinfo) in
*AuthenticAMD*)
	SYS=configs/x86/qemu-svm.yaml OTHER=configs/x86/bochs-vmx.yaml
	THIS=AMD OTHER_MACHINE="an Intel VT-x machine \\(cpu-vendor: intel\\)" ;;
*)
	SYS=configs/x86/bochs-vmx.yaml OTHER=configs/x86/qemu-svm.yaml
	THIS=Intel OTHER_MACHINE="an AMD-V machine \\(cpu-vendor: amd\\)" ;;
esac
CPUS=$(cat /sys/devices/system/cpu/online)
RAW=/cellvisor/tests/lib/generated/cv-raw-enable
LOADED="No such file or directory \(cellvisor.ko is not loaded: modprobe cellvisor, or insmod driver/cellvisor.ko in the source tree\)"

# dmesg_has WHAT PATTERN: the kernel log since the last 'dmesg -c' has a
# line matching the extended regular expression PATTERN.
dmesg_has() {
	check "$1" sh -c "dmesg | grep -E -q -- \"\$0\"" "$2"
}

# --- module not loaded ---------------------------------------------------
check_fails "cellvisor.ko is not loaded yet" grep -q '^cellvisor ' /proc/modules
run cellctl enable $SYS
check_rc "enable without the module fails" 1
check_out "and says to load the module" "^cellctl: /dev/cellvisor: $LOADED\$"
run cellctl disable
check_rc "disable without the module fails" 1
check_out "and says to load the module" "^cellctl: /dev/cellvisor: $LOADED\$"
run cellctl list
check_rc "list without the module fails" 1
check_out "and says to load the module" "^cellctl: /dev/cellvisor: $LOADED\$"
run cellctl console
check_rc "console without the module fails" 1
check_out "and says to load the module" \
	"^cellctl: /dev/cellvisor-console: $LOADED\$"
check "cellvisor.ko loads" insmod cellvisor.ko
check_unchanged "no module" "$CPUS"

# --- not root --------------------------------------------------------------
# The initramfs root directory is 0700 and there is no passwd file: open
# both up for a moment, then put them back.
ROOT_MODE=$(stat -c %a /)
chmod 755 /
[ -e /etc/passwd ] && mv /etc/passwd /tmp/passwd.saved
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' \
	>/etc/passwd
run su nobody -s /bin/sh -c "cellctl enable $SYS"
check_rc "enable as a user fails" 1
check_out "the device refuses the user, who should be root" \
	"^cellctl: /dev/cellvisor: Permission denied \(run as root\)\$"
# Even a user who can open the device (a lax udev rule) cannot enable: the
# driver checks CAP_SYS_ADMIN itself.
chmod 666 /dev/cellvisor
run su nobody -s /bin/sh -c "cellctl enable $SYS"
check_rc "enable without CAP_SYS_ADMIN fails" 1
check_out "and says to run as root" \
	"^cellctl: enable failed: Operation not permitted \(run as root\)\$"
chmod 600 /dev/cellvisor
rm -f /etc/passwd
[ -e /tmp/passwd.saved ] && mv /tmp/passwd.saved /etc/passwd
chmod "$ROOT_MODE" /
check_unchanged "not root" "$CPUS"

# --- hypervisor image of another ABI ---------------------------------------
# Header: magic[8], then abi_version (major << 16 | minor), little endian:
# byte 10 is the low byte of the major version.
cp cellvisor.bin /tmp/abi.bin
printf '\143' | dd of=/tmp/abi.bin bs=1 seek=10 conv=notrunc 2>/dev/null
run cellctl enable --image /tmp/abi.bin $SYS
check_rc "an image of ABI 99 is refused" 1
check_out "which ABI it has, which it needs and what to use" \
	"/tmp/abi.bin is a cellvisor image of ABI 99\.[0-9]+, this cellctl needs ABI [0-9]+\.x: use hypervisor/cellvisor.bin of the same build"
printf 'not a hypervisor' >/tmp/junk.bin
run cellctl enable --image /tmp/junk.bin $SYS
check_rc "a file that is no image is refused" 1
check_out "as no cellvisor image, with what to give instead" \
	"/tmp/junk.bin is not a cellvisor image \(no valid header\): give hypervisor/cellvisor.bin with --image"
# cellctl checks the header before the driver sees it; the driver must
# refuse on its own too (an old or foreign cellctl, or none at all).
check "cellctl compiles the system config" \
	cellctl config compile -o /tmp/sys.dtb $SYS
run $RAW /tmp/abi.bin /tmp/sys.dtb
check_rc "the driver refuses the ABI 99 image with EPROTO" 71
check "and logs which ABI it has and which it needs" sh -c \
	'dmesg | tail -n 3 | grep -q "cellvisor.bin has ABI 99\.[0-9]*, this driver needs [0-9]*\.x; use driver/cellvisor.ko and hypervisor/cellvisor.bin of the same build"'
rm -f /tmp/abi.bin /tmp/junk.bin /tmp/sys.dtb
check_unchanged "bad image" "$CPUS"

# --- hypervisor region is RAM, not reserved ---------------------------------
# Move the hypervisor to the last 32 MiB below the memmap= region, which
# Linux uses as RAM, and shrink the root's low RAM so the config is valid.
sed -e 's/^\(  \)phys: 0x30000000/\1phys: 0x2e000000/' \
	-e '/name: ram-low/,/size:/s/size: 0x30000000/size: 0x2e000000/' \
	$SYS >/tmp/not-reserved.yaml
check "the moved config is valid for cellctl" \
	cellctl config check /tmp/not-reserved.yaml
run cellctl enable /tmp/not-reserved.yaml
check_rc "a region that is RAM is refused" 1
check "the kernel names the missing parameter" \
	sh -c 'dmesg | tail -n 5 | grep -q "0x2e000000+0x2000000 is not reserved; boot Linux with memmap=0x2000000\$0x2e000000"'
rm -f /tmp/not-reserved.yaml
check_unchanged "region not reserved" "$CPUS"

# --- hypervisor region overlapping the root cell's memory ---------------------
sed 's/^\(  \)phys: 0x30000000/\1phys: 0x20000000/' $SYS >/tmp/overlap.yaml
run cellctl enable /tmp/overlap.yaml
# A config error: exit 2 (cellctl.8), as config check gives.
check_rc "a region inside the root cell's RAM is refused" 2
check_out "with the place in the config" \
	"overlap.yaml:[0-9]+:[0-9]+: error: root-cell region 'ram-low' .* overlaps the hypervisor memory"
rm -f /tmp/overlap.yaml
check_unchanged "overlapping region" "$CPUS"

# --- a config for the other CPU vendor ----------------------------------------
# The other test machine's config is valid in itself: only the vendor is
# wrong, and enable must say so before it asks anything of the CPU.
dmesg -c >/dev/null
run cellctl enable $OTHER
check_rc "the other machine's config is refused" 1
check_out "cellctl names the machine it is for and what to do" \
	"^cellctl: enable failed: Exec format error \($OTHER is for $OTHER_MACHINE, not for this CPU: use a system config written for this machine; dmesg names it\)\$"
dmesg_has "the kernel says which CPU this is and which config fits" \
	"cellvisor: the system config is for $OTHER_MACHINE, this CPU is $THIS: use a config written for this machine \(cpu-vendor: [a-z]+\), e\.g\. $SYS under (QEMU|Bochs)"
check "and nothing else: no CPU check ran" \
	test "$(dmesg | grep -c 'cellvisor: ')" -eq 1
check_unchanged "other vendor" "$CPUS"
# The same blob past cellctl: the driver refuses it on its own.
check "cellctl compiles the other machine's config" \
	cellctl config compile -o /tmp/other.dtb $OTHER
dmesg -c >/dev/null
run $RAW cellvisor.bin /tmp/other.dtb
check_rc "the driver refuses it unchecked with ENOEXEC" 8
dmesg_has "and says why" "cellvisor: the system config is for $OTHER_MACHINE"
rm -f /tmp/other.dtb
check_unchanged "other vendor, raw" "$CPUS"
# A blob that names no vendor at all (tests/configs/tampered).
dmesg -c >/dev/null
run $RAW cellvisor.bin /cellvisor/tests/lib/generated/tampered/system-no-vendor.dtb
check_rc "a blob without cpu-vendor is refused with EINVAL" 22
dmesg_has "the kernel says what to add" \
	"cellvisor: the system config names no CPU vendor; add 'cpu-vendor: intel' or 'cpu-vendor: amd' under platform:"
check_unchanged "no vendor" "$CPUS"

check "cellvisor.ko unloads" rmmod cellvisor
done_checks
