# The private Debian 13 root with QEMU 10 (the qemu-x2apic machine) and
# Bochs 3.0 (the bochs machine); sourced by scripts/install-deps, which
# makes it, and by scripts/qemu10 and vm-run.
#
# Both run from outside the root through the root's own dynamic loader
# and libraries: no chroot, so they see the host's files and devices as any
# program does. The loader is the root's own (glibc 2.41; the host has 2.36),
# named inside the root so that no link can lead to the host's.

TRIXIE_ROOT=${CELLVISOR_TRIXIE_ROOT:-/var/cache/cellvisor/trixie-root}
# What the root holds (Debian 13 packages, installed without recommends).
TRIXIE_PACKAGES="qemu-system-x86 bochs bochsbios vgabios bochs-term"
# Written last, just before the finished root gets its name: the packages
# it holds, one a line. A root made for a shorter list is completed.
TRIXIE_STAMP=.cellvisor-root-complete
TRIXIE_LIBS=usr/lib/x86_64-linux-gnu

trixie_root_ready() {
	local p
	[ -f "$TRIXIE_ROOT/$TRIXIE_STAMP" ] &&
		[ -x "$TRIXIE_ROOT/usr/bin/qemu-system-x86_64" ] || return 1
	for p in $TRIXIE_PACKAGES; do
		grep -qx "$p" "$TRIXIE_ROOT/$TRIXIE_STAMP" || return 1
	done
}

# trixie_qemu ARGS...: QEMU 10 of $TRIXIE_ROOT with ARGS.
trixie_qemu() {
	local libs=$TRIXIE_ROOT/usr/lib/x86_64-linux-gnu
	"$libs/ld-linux-x86-64.so.2" --library-path "$libs:$TRIXIE_ROOT/lib/x86_64-linux-gnu" \
		"$TRIXIE_ROOT/usr/bin/qemu-system-x86_64" \
		-L "$TRIXIE_ROOT/usr/share/qemu" -L "$TRIXIE_ROOT/usr/share/seabios" "$@"
}

# trixie_bochs_env: the environment Bochs 3.0 of $TRIXIE_ROOT needs (its
# plugins, BIOS and keymaps), as NAME=VALUE words.
trixie_bochs_env() {
	echo "LTDL_LIBRARY_PATH=$TRIXIE_ROOT/$TRIXIE_LIBS/bochs/plugins" \
		"BXSHARE=$TRIXIE_ROOT/usr/share/bochs"
}

# trixie_bochs_argv0 LINK: Bochs 3.0 of $TRIXIE_ROOT as a command line
# whose program is LINK, a new link to the root's loader: the process is
# then called after LINK (vm-run finds Bochs by its name), not ld-linux.
trixie_bochs_argv0() {
	local libs=$TRIXIE_ROOT/$TRIXIE_LIBS
	ln -sf "$libs/ld-linux-x86-64.so.2" "$1"
	echo "$1 --library-path $libs:$TRIXIE_ROOT/lib/x86_64-linux-gnu" \
		"$TRIXIE_ROOT/usr/bin/bochs-bin"
}

# trixie_tools_run DIR: the QEMU and the Bochs of the root in DIR start.
trixie_tools_run() {
	local TRIXIE_ROOT=$1 tmp bochs rc=0
	trixie_qemu --version >/dev/null 2>&1 || return 1
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/trixie-check.XXXXXX")
	bochs=$(trixie_bochs_argv0 "$tmp/bochs")
	# shellcheck disable=SC2046
	env $(trixie_bochs_env) $bochs -help cpu 2>&1 |
		grep -q corei7_skylake_x || rc=1
	rm -rf "$tmp"
	return $rc
}
