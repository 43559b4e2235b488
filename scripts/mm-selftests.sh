#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the kernel's own mm selftests (tools/testing/selftests/mm) for the
# guest: static, stripped, packed into build/mm-selftests/mm-selftests.tar.xz,
# which mkinitramfs.sh puts in the initramfs and tests/vm/mm-selftests.sh
# unpacks (xz keeps one copy of the static libc: ~19 MiB -> ~1.2 MiB).
# cow and gup_longterm have their io_uring cases when liburing-dev is there.
#
# They are built from spm-base of the prepared tree, exported with
# "git archive" into build/mm-selftests/src, so the prepared tree and its
# build are never touched (the series changes nothing under tools/ or in
# the UAPI headers), unchanged but for migration's time per case (below).
# Skipped when spm-base, this script and the compiler are unchanged.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$SPM_BUILD/mm-selftests
SRC=$OUT/src
TARBALL=$OUT/mm-selftests.tar.xz
LOG=$SPM_BUILD/logs/mm-selftests-build.log

# What tests/vm/mm-selftests.sh runs
PROGRAMS=(cow gup_longterm uffd-unit-tests khugepaged ksm_functional_tests mkdirty
	migration compaction_test madv_populate soft-dirty pagemap_ioctl
	split_huge_page_test transhuge-stress
	hugepage-mmap hugepage-shm map_hugetlb hugepage-mremap hugepage-vmemmap
	hugetlb-madvise hugetlb_fault_after_madv hugetlb_madv_vs_map hugetlb_dio)
# What "make headers" and the mm selftests read from the tree
PATHS=(Makefile Kbuild Kconfig scripts include arch/x86 usr tools mm/gup_test.h)
ST=tools/testing/selftests/mm

build()
{
	local p targets=()
	rm -rf "$SRC" "${OUT:?}/bin" "$TARBALL"
	mkdir -p "$SRC" "$OUT/bin"
	git -C "$KSRC" archive spm-base "${PATHS[@]}" | tar -C "$SRC" -x
	# migration moves pages back and forth for RUNTIME (20 s) in each of its
	# six cases: two minutes a run under TCG. 3 s each keep every case.
	sed -i 's/^#define RUNTIME[[:space:]]*(20)$/#define RUNTIME\t\t(3)/' "$SRC/$ST/migration.c"
	grep -q '^#define RUNTIME[[:space:]]*(3)$' "$SRC/$ST/migration.c" ||
		{ echo "$ST/migration.c: no RUNTIME (20) to shorten" >&2; return 1; }
	{
		make -C "$SRC" -j"$(nproc)" headers
		for p in "${PROGRAMS[@]}"; do
			targets+=("$OUT/bin/$p")
		done
		# 6.12's khugepaged.c uses KSFT_SKIP without kselftest.h
		make -C "$SRC/$ST" -j"$(nproc)" OUTPUT="$OUT/bin" \
			EXTRA_CFLAGS="-static -DKSFT_SKIP=4" LDFLAGS=-static "${targets[@]}"
	} >"$LOG" 2>&1 || { tail -n 40 "$LOG" >&2; echo "full log: $LOG" >&2; return 1; }
	strip "$OUT"/bin/*
	tar -C "$OUT/bin" -cJf "$TARBALL" .
	echo "mm selftests: ${#PROGRAMS[@]} programs, $(du -sh "$OUT/bin" | cut -f1) stripped, $(du -h "$TARBALL" | cut -f1) packed"
}

[ -d "$KSRC/.git" ] || die "no prepared tree; run 'make tree'"
mkdir -p "$OUT" "$SPM_BUILD/logs"
# one build at a time: two "make initramfs" may overlap
exec 9>"$OUT/.lock"
flock 9
want="$(git -C "$KSRC" rev-parse spm-base) $(hash_of "$SPM_TOP/scripts/mm-selftests.sh")
$(gcc -dumpfullversion) liburing $(dpkg-query -W -f='${Version}' liburing-dev 2>/dev/null)"
if [ -f "$TARBALL" ] && [ "$(cat "$OUT/.stamp" 2>/dev/null)" = "$want" ]; then
	echo "mm selftests: up to date ($(du -h "$TARBALL" | cut -f1))"
	exit 0
fi
rm -f "$OUT/.stamp"
stage "build mm selftests (spm-base tools/testing/selftests/mm)" build
echo "$want" >"$OUT/.stamp"
