# The private Debian 13 root with QEMU 10 (the qemu-x2apic machine); sourced
# by scripts/install-deps, which makes it, and by scripts/qemu10 and vm-run.
#
# QEMU 10 runs from outside the root through the root's own dynamic loader
# and libraries: no chroot, so it sees the host's files and devices as any
# program does. The loader is the root's own (glibc 2.41; the host has 2.36),
# named inside the root so that no link can lead to the host's.

TRIXIE_ROOT=${CELLVISOR_TRIXIE_ROOT:-/var/cache/cellvisor/trixie-root}
# Written last, just before the finished root gets its name.
TRIXIE_STAMP=.cellvisor-root-complete

trixie_root_ready() {
	[ -f "$TRIXIE_ROOT/$TRIXIE_STAMP" ] &&
		[ -x "$TRIXIE_ROOT/usr/bin/qemu-system-x86_64" ]
}

# trixie_qemu ARGS...: QEMU 10 of $TRIXIE_ROOT with ARGS.
trixie_qemu() {
	local libs=$TRIXIE_ROOT/usr/lib/x86_64-linux-gnu
	"$libs/ld-linux-x86-64.so.2" --library-path "$libs:$TRIXIE_ROOT/lib/x86_64-linux-gnu" \
		"$TRIXIE_ROOT/usr/bin/qemu-system-x86_64" \
		-L "$TRIXIE_ROOT/usr/share/qemu" -L "$TRIXIE_ROOT/usr/share/seabios" "$@"
}

# trixie_qemu_runs DIR: the QEMU of the root in DIR starts.
trixie_qemu_runs() {
	local TRIXIE_ROOT=$1
	trixie_qemu --version >/dev/null 2>&1
}
