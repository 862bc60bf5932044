# `make demo`: what Cellvisor can do today on the emulated AMD-V machine, step by step.
set -e
step() { echo; echo "### $*"; }

step "insmod cellvisor.ko"
insmod cellvisor.ko
ls -l /dev/cellvisor
step "cellctl --version"
cellctl --version
step "cellctl config check configs/x86/qemu-svm.yaml"
cellctl config check configs/x86/qemu-svm.yaml
step "rmmod cellvisor"
rmmod cellvisor
echo
echo "demo: done"
