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
