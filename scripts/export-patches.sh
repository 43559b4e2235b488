#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate patches/ (and patches/series) from the commits on top of
# spm-base in the prepared tree. The inverse of prepare-tree.sh's apply step.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$KSRC/.git" ] || die "no prepared tree; run 'make tree'"
[ -z "$(git -C "$KSRC" status --porcelain --untracked-files=no)" ] ||
	die "$KSRC has uncommitted changes; commit them first"

rm -f "$SPM_TOP"/patches/*.patch
git -C "$KSRC" -c core.abbrev=12 format-patch -q --zero-commit --no-signature \
	-o "$SPM_TOP/patches" spm-base..HEAD
(cd "$SPM_TOP/patches" && ls *.patch 2>/dev/null || true) >"$SPM_TOP/patches/series"

# The tree already holds exactly this series: record it as applied.
printf '%s\n%s\n' \
	"$(hash_of "$SPM_TOP/patches/series" $(sed "s|^|$SPM_TOP/patches/|" "$SPM_TOP/patches/series"))" \
	"$(git -C "$KSRC" rev-parse HEAD)" >"$KSRC/.git/spm-series"
echo "patches/: $(wc -l <"$SPM_TOP/patches/series") patches"
