# cellctl runs in the guest: version, help, and a clear error for a bad subcommand.
. /cellvisor/tests/lib/guest.sh

run cellctl --version
check_rc "cellctl --version exits 0" 0
check_out "it prints a version" 'cellctl.* [0-9]+\.[0-9]+'

run cellctl --help
check_rc "cellctl --help exits 0" 0
check_out "help lists the config commands" 'config'

run cellctl no-such-command
check "an unknown subcommand fails" [ "$RC" -ne 0 ]
check_out "and says which one" 'no-such-command'

run cellctl config check configs/x86/qemu-svm.yaml configs/x86/bochs-vmx.yaml
check_rc "the shipped system configs check clean in the guest" 0
done_checks
