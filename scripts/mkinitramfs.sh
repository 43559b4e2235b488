#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build build/initramfs.cpio: busybox, the CXL/NVDIMM/DAX tools with their
# libraries, the kernel's modules and modules.builtin* (daxctl's libkmod
# needs them), tools/spmctl, guest/ (init, libraries, helper programs), the
# kernel's mm selftests packed by mm-selftests.sh (tests/vm/mm-selftests.sh).
# The scripts to run are not in it: run-vm.sh appends them as a second cpio
# archive per boot.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ROOT=$SPM_BUILD/initramfs${SPM_KERNEL:+-$SPM_KERNEL}
OUT=$INITRAMFS
TOOLS=(cxl ndctl daxctl numactl migratepages jq)

# copy_with_libs BINARY: the binary (a name on PATH, or a path) into
# /usr/bin, its shared libraries and the dynamic loader at their host paths
copy_with_libs()
{
	local bin lib
	bin=$(command -v "$1") || die "$1 not found (make deps)"
	install -D -m 0755 "$bin" "$ROOT/usr/bin/$(basename "$1")"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		[ -e "$ROOT$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$ROOT$lib"
	done
}

build_guest_programs()
{
	local src
	for src in "$SPM_TOP"/guest/bin/*.c; do
		gcc -static -O2 -Wall -Wextra -Wno-unused-parameter \
			-o "$ROOT/spm/bin/$(basename "$src" .c)" "$src"
	done
}

populate()
{
	local t
	rm -rf "$ROOT"
	mkdir -p "$ROOT"/{bin,sbin,dev,proc,sys,tmp,run,root,etc,spm/bin,spm/run,lib/modules}
	install -m 0755 /bin/busybox "$ROOT/bin/busybox"
	for t in "${TOOLS[@]}"; do
		copy_with_libs "$t"
	done
	cp -a "$MODULES"/lib/modules/. "$ROOT/lib/modules/"
	install -m 0755 "$SPM_TOP/guest/init" "$ROOT/init"
	cp -r "$SPM_TOP/guest/lib" "$ROOT/spm/lib"
	build_guest_programs
	install -m 0644 "$SPM_BUILD/mm-selftests/mm-selftests.tar.xz" "$ROOT/spm/"
	make -s -C "$SPM_TOP/tools/spmctl" O="$SPM_BUILD/spmctl"
	copy_with_libs "$SPM_BUILD/spmctl/spmctl"
	# ndctl/daxctl want a passwd entry for root; tests run as spmuser too
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'spmuser:x:1000:1000::/tmp:/bin/sh' \
		>"$ROOT/etc/passwd"
	printf '%s\n' 'root:x:0:' 'spmuser:x:1000:' >"$ROOT/etc/group"
	(cd "$ROOT" && find . | cpio -o -H newc --quiet) >"$OUT"
	echo "initramfs: $(du -h "$OUT" | cut -f1)"
}

[ -d "$MODULES/lib/modules" ] || die "no staged modules; run 'make kernel' first"
"$SPM_TOP/scripts/mm-selftests.sh"
stage "initramfs" populate
