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

run cellctl hlep
check_rc "a misspelt command is a usage error" 2
check_out "and the likely one is suggested" "did you mean 'help'\?"

# --json is read back by json-c's parser (tests/tools/cv-json.c).
cellctl config check --json configs/x86/qemu-svm.yaml configs/x86/hello-qemu.yaml >/tmp/check.json
json_is "config check --json: valid" valid true /tmp/check.json
json_is "config check --json: the cell file second" files.1.name hello /tmp/check.json
sed 's/^cpus: 1 /cpus: [1, 1]/' configs/x86/hello-qemu.yaml >/tmp/dup.yaml
run cellctl config check --json configs/x86/qemu-svm.yaml /tmp/dup.yaml
check_rc "config check --json: a CPU listed twice fails" 2
printf '%s\n' "$OUT" | grep -v '^cellctl: ' >/tmp/check.json
json_is "config check --json: not valid" valid false /tmp/check.json
json_is "config check --json: the error's line" diagnostics.0.line 6 /tmp/check.json
json_is "config check --json: its message" diagnostics.0.message \
	"cpus: 1 is listed twice; give each once" /tmp/check.json

run sh -c "cellctl config check configs/x86/qemu-svm.yaml - <configs/x86/hello-qemu.yaml"
check_rc "a config on standard input ('-') checks" 0
check_out "and is called <stdin>" "^<stdin>: cell 'hello' is valid"
done_checks
