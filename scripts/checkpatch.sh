#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch --strict over our kernel-style C sources and the patch series.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Tree mode, from the prepared tree: it knows the kernel's own CamelCase
# names (__SetPageMovable) and checks SPDX tags with spdxcheck.py.
# spdxcheck.py needs Debian's python3, which has python3-ply and python3-git.
cd "$KSRC"
export PATH=/usr/bin:$PATH
CP=(./scripts/checkpatch.pl --strict --quiet)
rc=0
files=$(cd "$SPM_TOP" && git ls-files -- 'drivers/*.[ch]' 'include/*.h' 'tools/*.[ch]' 'guest/bin/*.c')
for f in $files; do
	"${CP[@]}" -f "$SPM_TOP/$f" || rc=1
done
for p in "$SPM_TOP"/patches/*.patch; do
	[ -e "$p" ] || continue
	"${CP[@]}" "$p" || rc=1
done
[ $rc = 0 ] && echo "checkpatch --strict: clean ($(echo $files | wc -w) files, $(ls "$SPM_TOP"/patches/*.patch 2>/dev/null | wc -l) patches)"
exit $rc
