# Host unit tests of the inmate library's portable parts (tests/unit/Makefile).
INMATE_UT_CFLAGS := -I$(TOP)/inmates/lib/include

UNIT_TESTS += $(B)/inmates-format $(B)/inmates-cmdline

$(B)/inmates-format: $(TOP)/tests/unit/inmates/lib/format.c \
		$(TOP)/inmates/lib/format.c | $(B)
	$(CC) $(CFLAGS) $(INMATE_UT_CFLAGS) -o $@ $^ $(LDLIBS)

$(B)/inmates-cmdline: $(TOP)/tests/unit/inmates/lib/cmdline.c \
		$(TOP)/inmates/lib/cmdline.c | $(B)
	$(CC) $(CFLAGS) $(INMATE_UT_CFLAGS) -o $@ $^ $(LDLIBS)
