# Cellvisor: `make` builds everything, `make check` runs every test, `make demo` shows it.
# `make` only builds; `make check` and `make demo` first run scripts/install-deps,
# which installs the Debian packages they need. `make install` installs
# (DESTDIR, PREFIX; Documentation/installing.md).

TOP := $(CURDIR)
VERSION := $(shell sed -n 's/^\#define CELLVISOR_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	$(TOP)/include/cellvisor/version.h)

# The kernel the driver builds for: the running one when its headers are
# installed, else (a build machine, a container) the Debian kernel the
# emulators boot (scripts/kernel-version). KVER or KDIR on the command
# line choose another. The tests always build for the emulators' kernel.
TEST_KVER := $(shell $(TOP)/scripts/kernel-version 2>/dev/null)
RUNNING_KVER := $(shell uname -r)
KVER ?= $(if $(wildcard /lib/modules/$(RUNNING_KVER)/build/Makefile),$(RUNNING_KVER),$(TEST_KVER))
KDIR ?= /lib/modules/$(KVER)/build
export KDIR
# What a test target runs make with: the emulators' kernel.
TEST_MAKE = $(MAKE) --no-print-directory KVER=$(TEST_KVER) \
	KDIR=/lib/modules/$(TEST_KVER)/build

SUBDIRS := hypervisor tools inmates
# Parts whose Makefile exists (lets the tree grow one part at a time).
PRESENT := $(foreach d,$(SUBDIRS),$(if $(wildcard $(d)/Makefile),$(d)))

all: build

# `make` installs nothing: `make deps` (or scripts/install-deps) installs the
# Debian packages; the checks also need the Debian 13 root with QEMU 10 of
# the qemu-x2apic machine, made once (scripts/install-deps).
deps:
	@$(TOP)/scripts/install-deps --packages-only

check-deps:
	@$(TOP)/scripts/install-deps

build: $(PRESENT) module

$(PRESENT):
	$(MAKE) -C $@

module:
	@test -d "$(KDIR)" || { echo "make: kernel headers not found at '$(KDIR)';" \
		"install linux-headers-$(KVER) (or run scripts/install-deps)," \
		"or set KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules

# The three parts run side by side: Bochs (two single-threaded boots of
# some 5 minutes with Bochs 3.0), the QEMU scenarios and the unit tests
# (Documentation/testing.md). The two QEMU machines take turns (each runs
# two scenarios at a time), so no more than two TCG machines share the two
# cores with Bochs. Their lines interleave as they come; each result line
# names its machine (PASS qemu/..., qemu-x2apic/..., bochs/...). The demo
# check follows the unit tests, which end long before the QEMU machines.
check: check-deps
	@$(TEST_MAKE) build system-deps
	@$(TEST_MAKE) test-install
	@$(TEST_MAKE) -j3 test-bochs test-qemu-machines test-unit-demo

test-unit-demo: test-unit
	tests/demo/check

test-unit: build
	$(MAKE) -C tests/unit run
	@if [ -f tests/fuzz/Makefile ]; then $(MAKE) -C tests/fuzz run SECONDS=60; fi
	@if grep -q '^check:' inmates/Makefile 2>/dev/null; then $(MAKE) -C inmates check; fi

# Test helpers and generated blobs that the system scenarios carry into the guest.
# The tree make install gives (PREFIX=/usr), for the scenario 'installed'.
system-deps: build
	@rm -rf tests/system/lib/generated/install
	@$(MAKE) --no-print-directory -s install KVER=$(KVER) KDIR=$(KDIR) \
		PREFIX=/usr DESTDIR=$(TOP)/tests/system/lib/generated/install >/dev/null
	@if [ -f tests/tools/Makefile ]; then $(MAKE) -C tests/tools; fi
	@if [ -f tests/modules/Makefile ]; then $(MAKE) -C tests/modules; fi

test-qemu: system-deps
	tests/system/run qemu

# QEMU 10 from the Debian 13 root that scripts/install-deps makes.
test-qemu-x2apic: system-deps check-deps
	tests/system/run qemu-x2apic

# Both QEMU machines, one after the other, then `make demo` checked as a
# story (tests/demo/check); a failure does not keep the rest from running.
test-qemu-machines: system-deps check-deps
	@rc=0; tests/system/run qemu || rc=1; tests/system/run qemu-x2apic || rc=1; \
		exit $$rc

test-demo: build
	tests/demo/check

test-bochs: system-deps check-deps
	tests/system/run bochs

demo: deps
	@$(TEST_MAKE) build
	scripts/demo

# Run directly, the test targets too build for the emulators' kernel.
test-unit system-deps test-qemu test-qemu-x2apic test-qemu-machines \
test-bochs test-demo test-unit-demo test-install: KVER = $(TEST_KVER)

# ---- installation (Documentation/installing.md) ----
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# Where the kernel looks, whatever PREFIX is.
FIRMWAREDIR ?= /lib/firmware
# The release of the kernel the module was built for (KDIR's, if given).
MOD_KVER = $(or $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null),$(KVER))
MODDIR ?= /lib/modules/$(MOD_KVER)/extra
# As kbuild's modules_install: INSTALL_MOD_STRIP= keeps the debug info.
INSTALL_MOD_STRIP ?= 1
DKMSDIR ?= /usr/src/cellvisor-$(VERSION)

install: build
	install -D -m 0755 tools/cellctl $(DESTDIR)$(BINDIR)/cellctl
	install -d $(DESTDIR)$(MANDIR)/man8
	sed 's/"Cellvisor [0-9.]*"/"Cellvisor $(VERSION)"/' tools/cellctl.8 \
		>$(DESTDIR)$(MANDIR)/man8/cellctl.8
	chmod 0644 $(DESTDIR)$(MANDIR)/man8/cellctl.8
	install -D -m 0644 tools/cellctl.bash-completion \
		$(DESTDIR)$(BASHCOMPDIR)/cellctl
	install -D -m 0644 hypervisor/cellvisor.bin \
		$(DESTDIR)$(FIRMWAREDIR)/cellvisor/cellvisor.bin
	install -D -m 0644 driver/cellvisor.ko $(DESTDIR)$(MODDIR)/cellvisor.ko
	$(if $(INSTALL_MOD_STRIP),strip --strip-debug $(DESTDIR)$(MODDIR)/cellvisor.ko)
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(MOD_KVER); else \
		echo "make install: DESTDIR given, depmod not run:" \
		"run depmod -a $(MOD_KVER) where the tree is installed"; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cellctl $(DESTDIR)$(MANDIR)/man8/cellctl.8 \
		$(DESTDIR)$(BASHCOMPDIR)/cellctl \
		$(DESTDIR)$(FIRMWAREDIR)/cellvisor/cellvisor.bin \
		$(DESTDIR)$(MODDIR)/cellvisor.ko
	-rmdir $(DESTDIR)$(FIRMWAREDIR)/cellvisor
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(MOD_KVER); fi

# The driver's sources as DKMS wants them in /usr/src/cellvisor-VERSION:
# DKMS rebuilds the module for every kernel installed later
# (Documentation/installing.md). `make dkms` also registers, builds and
# installs it for the kernels present (needs the dkms package).
DKMS_SRCS := Kbuild driver/Kbuild $(wildcard driver/*.c driver/*.h driver/*.S) \
	$(wildcard include/cellvisor/*.h)

dkms-source:
	@for f in $(DKMS_SRCS); do \
		install -D -m 0644 $$f $(DESTDIR)$(DKMSDIR)/$$f || exit 1; done
	sed 's/@VERSION@/$(VERSION)/' driver/dkms.conf.in \
		>$(DESTDIR)$(DKMSDIR)/dkms.conf
	chmod 0644 $(DESTDIR)$(DKMSDIR)/dkms.conf

dkms: dkms-source
	@command -v dkms >/dev/null || { echo "make dkms: no dkms command;" \
		"install the dkms package" >&2; exit 1; }
	@test -z "$(DESTDIR)" || { echo "make dkms: DESTDIR is for packages:" \
		"use make dkms-source DESTDIR=..." >&2; exit 1; }
	dkms add cellvisor/$(VERSION) || dkms status cellvisor/$(VERSION) | grep -q .
	dkms install cellvisor/$(VERSION)

# `make install DESTDIR=tmp` gives the tree Documentation/installing.md
# describes, with a module of the right version (scripts/test-install).
test-install: build
	$(TOP)/scripts/test-install

clean:
	for d in $(PRESENT); do $(MAKE) -C $$d clean; done
	rm -rf tests/system/lib/generated/install
	$(MAKE) -C tests/unit clean
	@if [ -f tests/tools/Makefile ]; then $(MAKE) -C tests/tools clean; fi
	@if [ -f tests/modules/Makefile ]; then $(MAKE) -C tests/modules clean; fi
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(TOP) clean; fi

.PHONY: all deps check-deps build module system-deps check test-unit test-qemu \
	test-qemu-x2apic test-qemu-machines test-bochs test-demo test-unit-demo demo clean \
	install uninstall dkms-source dkms test-install $(PRESENT)
