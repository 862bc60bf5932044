# Unit tests for hypervisor/ code that runs unchanged on the host.
UNIT_TESTS += $(B)/hypervisor-paging
$(B)/hypervisor-paging: $(TOP)/tests/unit/hypervisor/paging.c \
		$(TOP)/hypervisor/paging.c | $(B)
	$(CC) $(CFLAGS) -I$(TOP)/hypervisor/include -o $@ $^ $(LDLIBS)
