# Unit tests for cellctl (tools/) and the hypervisor's config reader.
TOOLS_SRCS := $(filter-out $(TOP)/tools/main.c,$(wildcard $(TOP)/tools/*.c))
TOOLS_HDRS := $(wildcard $(TOP)/tools/*.h) $(TOP)/hypervisor/config.h \
	$(TOP)/include/cellvisor/config.h
TOOLS_TFLAGS := -I$(TOP)/tools -I$(TOP)/hypervisor -DTOP_DIR='"$(TOP)"' \
	-DTEST_HELPERS='"$(TOP)/tests/unit/tools/helpers.h"' \
	$(shell pkg-config --cflags yaml-0.1 json-c 2>/dev/null)
TOOLS_TLIBS := $(shell pkg-config --libs yaml-0.1 2>/dev/null || echo -lyaml) \
	-lfdt $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
TOOLS_TDEPS := $(TOOLS_SRCS) $(TOP)/hypervisor/config.c $(TOOLS_HDRS) \
	$(TOP)/tests/unit/tools/helpers.h

# tools-image tests tools/image.c and the cell commands (helper D).
UNIT_TESTS += $(B)/tools-image $(B)/tools-multiboot $(B)/tools-linuxboot
UNIT_TESTS += $(B)/tools-cellctl $(B)/tools-config $(B)/tools-corpus \
	$(B)/tools-docs $(B)/tools-hints $(B)/tools-json $(B)/tools-diagnostics \
	$(B)/tools-create \
	$(B)/hypervisor-config

$(B)/tools-%: $(TOP)/tests/unit/tools/%.c $(TOOLS_TDEPS) | $(B)
	$(CC) $(CFLAGS) $(TOOLS_TFLAGS) -o $@ $(filter %.c,$^) \
		$(LDLIBS) $(TOOLS_TLIBS)

$(B)/hypervisor-config: $(TOP)/tests/unit/hypervisor/config.c \
		$(TOOLS_TDEPS) | $(B)
	$(CC) $(CFLAGS) $(TOOLS_TFLAGS) -o $@ $(filter %.c,$^) \
		$(LDLIBS) $(TOOLS_TLIBS)

# Relative links in README.md and Documentation/*.md resolve, and every page
# is in Documentation/README.md. A wrapper, so 'run' executes it like a test.
UNIT_TESTS += $(B)/tools-doc-links

$(B)/tools-doc-links: $(TOP)/tests/unit/tools/check-doc-links | $(B)
	printf '#!/bin/sh\nexec %s %s\n' $< $(TOP) > $@
	chmod +x $@

# Every message the driver, cellctl and the hypervisor print for a user is
# explained in Documentation/troubleshooting.md.
UNIT_TESTS += $(B)/tools-doc-messages

$(B)/tools-doc-messages: $(TOP)/tests/unit/tools/check-doc-messages | $(B)
	printf '#!/bin/sh\nexec %s %s\n' $< $(TOP) > $@
	chmod +x $@
