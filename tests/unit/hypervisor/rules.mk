# Unit tests for hypervisor/ code that runs unchanged on the host.
UNIT_TESTS += $(B)/hypervisor-paging
$(B)/hypervisor-paging: $(TOP)/tests/unit/hypervisor/paging.c \
		$(TOP)/hypervisor/paging.c | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include -o $@ $^ $(LDLIBS)

# string.c (the inmates' too) is #included by its test, renamed, to sit
# next to libc's.
UNIT_TESTS += $(B)/hypervisor-string
$(B)/hypervisor-string: $(TOP)/tests/unit/hypervisor/string.c \
		$(TOP)/hypervisor/string.c | $(B)
	$(CC) $(CFLAGS) -fno-builtin -o $@ $< $(LDLIBS)

UNIT_TESTS += $(B)/hypervisor-console_line
$(B)/hypervisor-console_line: $(TOP)/tests/unit/hypervisor/console_line.c \
		$(TOP)/hypervisor/console_line.c \
		$(TOP)/hypervisor/include/hv/console_line.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)

# printk.c is #included by its test, renamed where it defines libc's
# names; the ring is tested without a UART.
HV_PRINTK_SRCS := $(TOP)/tests/unit/hypervisor/printk.c \
	$(TOP)/hypervisor/printk.c $(TOP)/hypervisor/console_line.c
UNIT_TESTS += $(B)/hypervisor-printk
$(B)/hypervisor-printk: $(HV_PRINTK_SRCS) \
		$(TOP)/hypervisor/include/hv/console_line.h \
		$(TOP)/hypervisor/include/hv/printk.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -pthread -o $@ \
		$(filter-out $(TOP)/hypervisor/printk.c,$(filter %.c,$^)) \
		$(LDLIBS)

# The x86 rule book's tables and the MMIO instruction decoder.
UNIT_TESTS += $(B)/hypervisor-rules
$(B)/hypervisor-rules: $(TOP)/tests/unit/hypervisor/rules.c \
		$(TOP)/hypervisor/arch/x86/rules.c | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $^ $(LDLIBS)

# With ASan and UBSan: the decoder reads guest-chosen bytes, and the
# test gives it buffers of their exact size.
UNIT_TESTS += $(B)/hypervisor-mmio-decode
$(B)/hypervisor-mmio-decode: $(TOP)/tests/unit/hypervisor/mmio_decode.c \
		$(TOP)/hypervisor/arch/x86/mmio_decode.c \
		$(TOP)/hypervisor/arch/x86/include/asm/mmio_decode.h | $(B)
	$(CC) $(CFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=undefined -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)

# PCI config space of a cell's device: the rules, on a fake device and
# remapping table.
UNIT_TESTS += $(B)/hypervisor-pci
$(B)/hypervisor-pci: $(TOP)/tests/unit/hypervisor/pci.c \
		$(TOP)/hypervisor/pci.c $(TOP)/hypervisor/include/hv/pci.h \
		$(TOP)/tests/unit/hypervisor/fakes/irt.c \
		$(TOP)/tests/unit/hypervisor/fakes/irt.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)

# A cell's device reset at each start, and the hand-over checks, on a
# fake function whose FLR clears it.
UNIT_TESTS += $(B)/hypervisor-pci-reset
$(B)/hypervisor-pci-reset: $(TOP)/tests/unit/hypervisor/pci_reset.c \
		$(TOP)/hypervisor/pci_reset.c $(TOP)/hypervisor/pci.c \
		$(TOP)/hypervisor/include/hv/pci.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)

# The MSI-X table model, on a fake function and remapping table.
UNIT_TESTS += $(B)/hypervisor-pci-msix
$(B)/hypervisor-pci-msix: $(TOP)/tests/unit/hypervisor/pci_msix.c \
		$(TOP)/hypervisor/pci_msix.c $(TOP)/hypervisor/pci.c \
		$(TOP)/hypervisor/include/hv/pci.h \
		$(TOP)/hypervisor/include/hv/pci_msix.h \
		$(TOP)/tests/unit/hypervisor/fakes/irt.c \
		$(TOP)/tests/unit/hypervisor/fakes/irt.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)

# The machine's config space and the root's mechanism 1: pci_mach.c is
# #included by its test, its port instructions turned into a fake chipset.
UNIT_TESTS += $(B)/hypervisor-pci-mach
$(B)/hypervisor-pci-mach: $(TOP)/tests/unit/hypervisor/pci_mach.c \
		$(TOP)/hypervisor/arch/x86/pci_mach.c \
		$(TOP)/hypervisor/include/hv/pci.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $< $(LDLIBS)

# The root's MSI under interrupt remapping, over pci.c's copy, with a fake
# config space and remapping table.
UNIT_TESTS += $(B)/hypervisor-pci-root-msi
$(B)/hypervisor-pci-root-msi: $(TOP)/tests/unit/hypervisor/pci_root_msi.c \
		$(TOP)/hypervisor/arch/x86/pci_root_msi.c \
		$(TOP)/tests/unit/hypervisor/fakes/irt.c \
		$(TOP)/tests/unit/hypervisor/fakes/irt.h \
		$(TOP)/hypervisor/arch/x86/vtd_root.c \
		$(TOP)/hypervisor/pci.c $(TOP)/hypervisor/include/hv/pci.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)

# VT-d builders, over paging.c, with a fake register file, queue and flush.
UNIT_TESTS += $(B)/hypervisor-vtd
$(B)/hypervisor-vtd: $(TOP)/tests/unit/hypervisor/vtd.c \
		$(TOP)/hypervisor/arch/x86/vtd.c $(TOP)/hypervisor/paging.c \
		$(TOP)/hypervisor/arch/x86/include/asm/vtd.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)
# The device-model registry, with two test models of its own.
UNIT_TESTS += $(B)/hypervisor-devmodel
$(B)/hypervisor-devmodel: $(TOP)/tests/unit/hypervisor/devmodel.c \
		$(TOP)/hypervisor/devmodel.c | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $^ $(LDLIBS)

# The port models (arch/x86/dev/), through the registry.
HV_PC_LEGACY_SRCS := $(addprefix $(TOP)/hypervisor/, devmodel.c \
	arch/x86/dev/pio.c arch/x86/dev/pit.c arch/x86/dev/pic.c \
	arch/x86/dev/cmos.c arch/x86/dev/pci_cf8.c \
	arch/x86/dev/console_uart.c arch/x86/dev/exit_port.c)
UNIT_TESTS += $(B)/hypervisor-pc-legacy
$(B)/hypervisor-pc-legacy: $(TOP)/tests/unit/hypervisor/pc_legacy.c \
		$(HV_PC_LEGACY_SRCS) | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $^ $(LDLIBS)

# IOAPIC pins of cells: the whitelist and the register emulation, through
# the registry, on a fake IOAPIC (the test's ioapic_hw_*()).
UNIT_TESTS += $(B)/hypervisor-ioapic
$(B)/hypervisor-ioapic: $(TOP)/tests/unit/hypervisor/ioapic.c \
		$(TOP)/hypervisor/arch/x86/dev/ioapic.c \
		$(TOP)/tests/unit/hypervisor/fakes/irt.c \
		$(TOP)/tests/unit/hypervisor/fakes/irt.h \
		$(TOP)/hypervisor/arch/x86/vtd_root.c \
		$(TOP)/hypervisor/devmodel.c \
		$(TOP)/hypervisor/include/hv/ioapic.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)

# What a cell takes from the root cell (cell 0) and gives back, on the
# root's own tables and bitmap (root_cell.arch), with the real paging.c.
UNIT_TESTS += $(B)/hypervisor-cell-x86
$(B)/hypervisor-cell-x86: $(TOP)/tests/unit/hypervisor/cell_x86.c \
		$(TOP)/hypervisor/arch/x86/cell_x86.c \
		$(TOP)/hypervisor/paging.c \
		$(TOP)/hypervisor/arch/x86/include/asm/cell_x86.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)

# The root's emulated VT-d unit (registers, queue, Linux's entries) over
# a fake root RAM; vtd.c for the remappable formats it decodes.
UNIT_TESTS += $(B)/hypervisor-vtd-root
$(B)/hypervisor-vtd-root: $(TOP)/tests/unit/hypervisor/vtd_root.c \
		$(TOP)/hypervisor/arch/x86/vtd_root.c \
		$(TOP)/hypervisor/arch/x86/vtd.c $(TOP)/hypervisor/paging.c \
		$(TOP)/hypervisor/arch/x86/include/asm/vtd_root.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)

# A PCI device between the root and a cell in one move (pci_cell.c), over
# the real pci.c, pci_reset.c and registry, on two fake functions.
UNIT_TESTS += $(B)/hypervisor-pci-cell
$(B)/hypervisor-pci-cell: $(TOP)/tests/unit/hypervisor/pci_cell.c \
		$(TOP)/hypervisor/pci_cell.c $(TOP)/hypervisor/pci.c \
		$(TOP)/hypervisor/pci_reset.c $(TOP)/hypervisor/devmodel.c \
		$(TOP)/hypervisor/pci_bridge.c \
		$(TOP)/hypervisor/include/hv/pci.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)

# The bridges above a cell's device: found, ACS on and back, the root's
# writes kept, on a fake hierarchy.
UNIT_TESTS += $(B)/hypervisor-pci-bridge
$(B)/hypervisor-pci-bridge: $(TOP)/tests/unit/hypervisor/pci_bridge.c \
		$(TOP)/hypervisor/pci_bridge.c $(TOP)/hypervisor/pci.c \
		$(TOP)/hypervisor/include/hv/pci.h \
		$(TOP)/hypervisor/include/hv/pci_bridge.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include \
		-I$(TOP)/hypervisor/arch/x86/include -o $@ $(filter %.c,$^) \
		$(LDLIBS)
