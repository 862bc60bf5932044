# The driver loads into the stock Debian kernel, creates /dev/cellvisor, and unloads cleanly.
. /cellvisor/tests/lib/guest.sh

check "cellvisor.ko loads" insmod cellvisor.ko
check "the module is listed" grep -q '^cellvisor ' /proc/modules
check "/dev/cellvisor is a character device" test -c /dev/cellvisor
check "cellvisor.ko unloads" rmmod cellvisor
check_fails "/dev/cellvisor is gone after rmmod" test -e /dev/cellvisor
check_fails "the module is no longer listed" grep -q '^cellvisor ' /proc/modules
check "it loads a second time" insmod cellvisor.ko
check "/dev/cellvisor is back" test -c /dev/cellvisor
check "and unloads a second time" rmmod cellvisor
done_checks
