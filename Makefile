# Cellvisor: `make` builds everything, `make check` runs every test, `make demo` shows it.
# The first run installs the Debian packages it needs (scripts/install-deps).

TOP := $(CURDIR)
KVER ?= $(shell $(TOP)/scripts/kernel-version 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
export KDIR

SUBDIRS := hypervisor tools inmates
# Parts whose Makefile exists (lets the tree grow one part at a time).
PRESENT := $(foreach d,$(SUBDIRS),$(if $(wildcard $(d)/Makefile),$(d)))

all: deps
	@$(MAKE) --no-print-directory build

# `make` needs Debian packages only; the checks also need the Debian 13 root
# with QEMU 10 of the qemu-x2apic machine, made once (scripts/install-deps).
deps:
	@$(TOP)/scripts/install-deps --packages-only

check-deps:
	@$(TOP)/scripts/install-deps

build: $(PRESENT) module

$(PRESENT):
	$(MAKE) -C $@

module:
	@test -d "$(KDIR)" || { echo "make: kernel headers not found at '$(KDIR)';" \
		"run scripts/install-deps or set KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules

# The three parts run side by side: Bochs (two single-threaded boots of
# some 5 minutes with Bochs 3.0), the QEMU scenarios and the unit tests
# (Documentation/testing.md). The two QEMU machines take turns (each runs
# two scenarios at a time), so no more than two TCG machines share the two
# cores with Bochs. Their lines interleave as they come; each result line
# names its machine (PASS qemu/..., qemu-x2apic/..., bochs/...).
check: check-deps
	@$(MAKE) --no-print-directory build system-deps
	@$(MAKE) --no-print-directory -j3 test-bochs test-qemu-machines test-unit

test-unit: build
	$(MAKE) -C tests/unit run
	@if [ -f tests/fuzz/Makefile ]; then $(MAKE) -C tests/fuzz run SECONDS=60; fi
	@if grep -q '^check:' inmates/Makefile 2>/dev/null; then $(MAKE) -C inmates check; fi

# Test helpers and generated blobs that the system scenarios carry into the guest.
system-deps: build
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
		tests/demo/check || rc=1; exit $$rc

test-demo: build
	tests/demo/check

test-bochs: system-deps check-deps
	tests/system/run bochs

demo: all
	scripts/demo

clean:
	for d in $(PRESENT); do $(MAKE) -C $$d clean; done
	$(MAKE) -C tests/unit clean
	@if [ -f tests/tools/Makefile ]; then $(MAKE) -C tests/tools clean; fi
	@if [ -f tests/modules/Makefile ]; then $(MAKE) -C tests/modules clean; fi
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(TOP) clean; fi

.PHONY: all deps check-deps build module system-deps check test-unit test-qemu test-qemu-x2apic test-qemu-machines test-bochs test-demo demo clean $(PRESENT)
