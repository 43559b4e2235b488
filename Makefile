# SPDX-License-Identifier: GPL-2.0
# SPM: special-purpose memory nodes. Entry points:
#
#   make demo     build what is stale, boot cxl-dual, show kmem vs SPM under pressure
#   make check    every test tier; ends with "N passed, N failed, N skipped"
#
# Developer targets: deps tree kernel initramfs unit vm bench tier-bench patches checkpatch clean
#   make vm TOPO=<name>                   shell in a topology (qemu-configs/)
#   make vm TOPO=<name> SCRIPT="<files>"  run scripts in it, stream their output
#   make check FILTER='kmem-*'            only the matching tests/vm scripts
#   make bench                            the gate's cost vs an unpatched kernel
#   make tier-bench                       demotion/promotion: SPM node vs dax/kmem tier

TOPO ?= cxl-single
SCRIPT ?=
FILTER ?= *

S := scripts

.PHONY: help demo check deps tree kernel initramfs unit vm bench tier-bench patches checkpatch clean distclean

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

demo: initramfs
	@$(S)/run-vm.sh --out build/vm/demo cxl-dual guest/demo.sh

check: initramfs
	@python3 tests/runner/spm_runner.py --filter '$(FILTER)'

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
	rm -rf build/vm build/initramfs build/initramfs.cpio build/results

distclean:
	rm -rf build
