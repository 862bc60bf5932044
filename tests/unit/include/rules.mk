# Unit tests for the ABI headers in include/cellvisor/.
UNIT_TESTS += $(B)/include-header
$(B)/include-header: $(TOP)/tests/unit/include/header.c \
		$(TOP)/include/cellvisor/header.h | $(B)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)
UNIT_TESTS += $(B)/include-console
$(B)/include-console: $(TOP)/tests/unit/include/console.c \
		$(TOP)/include/cellvisor/console.h | $(B)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)
