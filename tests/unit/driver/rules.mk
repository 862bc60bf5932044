# Unit tests for driver/ code that has no kernel state: built on the host
# against a small fake of the kernel headers it includes (include/).
UNIT_TESTS += $(B)/driver-pci_path
$(B)/driver-pci_path: $(TOP)/tests/unit/driver/pci_path.c \
		$(TOP)/driver/pci_path.c $(TOP)/driver/pci_path.h \
		$(TOP)/tests/unit/driver/include/linux/pci.h | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/tests/unit/driver/include -o $@ $< $(LDLIBS)
