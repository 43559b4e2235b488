# SPDX-License-Identifier: GPL-2.0
# SPM: special-purpose memory nodes. Entry points:
#
#   make demo     build what is stale, boot cxl-dual, show kmem vs SPM under pressure
#   make check    every test tier, on the test and the debug kernel;
#                 ends with "N passed, N failed, N skipped"
#
# Developer targets: deps tree kernel initramfs unit vm bench tier-bench patches checkpatch clean
#   make check-fast                       host and VM tiers, test kernel only
#   make check-debug                      the VM tests on the debug kernel only
#   make debug-kernel debug-initramfs     KASAN, kmemleak, fault injection (configs/debug/)
#   make vm TOPO=<name>                   shell in a topology (qemu-configs/)
#   make vm TOPO=<name> SCRIPT="<files>"  run scripts in it, stream their output
#   make check FILTER='kmem-*'            only the matching tests/vm scripts
#   make bench                            the gate's cost vs an unpatched kernel
#   make tier-bench                       demotion/promotion: SPM node vs dax/kmem tier

TOPO ?= cxl-single
SCRIPT ?=
FILTER ?= *

S := scripts

.PHONY: help demo check check-fast check-debug deps tree kernel initramfs debug-kernel \
	debug-initramfs unit vm bench tier-bench patches checkpatch clean distclean

help:
	@sed -n '2,14s/^# \{0,1\}//p' Makefile

deps:
	@$(S)/install-deps.sh

tree: deps
	@$(S)/prepare-tree.sh

kernel: tree
	@$(S)/build-kernel.sh

initramfs: kernel
	@$(S)/mkinitramfs.sh

debug-kernel: tree
	@SPM_KERNEL=debug $(S)/build-kernel.sh

debug-initramfs: debug-kernel
	@SPM_KERNEL=debug $(S)/mkinitramfs.sh

demo: initramfs
	@$(S)/run-vm.sh --out build/vm/demo cxl-dual guest/demo.sh

check: initramfs debug-initramfs
	@python3 tests/runner/spm_runner.py --filter '$(FILTER)'

check-fast: initramfs
	@python3 tests/runner/spm_runner.py --tier fast --filter '$(FILTER)'

check-debug: debug-initramfs
	@python3 tests/runner/spm_runner.py --tier debug --filter '$(FILTER)'

unit: deps
	@python3 tests/runner/spm_runner.py --tier host

vm: initramfs
	@$(S)/run-vm.sh $(TOPO) $(SCRIPT)

bench: initramfs
	@$(S)/bench.sh

tier-bench: initramfs
	@$(S)/tier-bench.sh

# Regenerate patches/ from the commits made in the prepared tree.
patches:
	@$(S)/export-patches.sh

checkpatch: tree
	@$(S)/checkpatch.sh

clean:
	rm -rf build/vm build/initramfs build/initramfs.cpio build/results \
		build/initramfs-debug build/initramfs-debug.cpio build/results-debug

distclean:
	rm -rf build
