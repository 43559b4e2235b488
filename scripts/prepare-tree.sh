#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare build/linux-source-6.12: unpack Debian's tarball once into a git
# repository (tag spm-base), apply patches/series on top, and link our
# in-tree parts into it. Every step is skipped when its inputs are unchanged.
#
# Developers work in the prepared tree with git and regenerate the series
# with "make patches"; this script refuses to throw such work away.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Parts of this repository that live inside the kernel tree.
IN_TREE=(drivers/spm include/linux/spm.h Documentation/ABI/testing/sysfs-bus-spm
	Documentation/driver-api/spm.rst Documentation/admin-guide/mm/spm.rst)

git_k()
{
	git -C "$KSRC" -c user.name=spm-build -c user.email=spm-build@localhost "$@"
}

unpack()
{
	local tmp
	[ -f "$KSRC_TARBALL" ] || die "$KSRC_TARBALL not found (apt-get install linux-source-6.12)"
	tmp=$(mktemp -d "$SPM_BUILD/unpack.XXXXXX")
	tar -C "$tmp" -xf "$KSRC_TARBALL"
	rm -rf "$KSRC"
	mv "$tmp/linux-source-6.12" "$KSRC"
	rmdir "$tmp"
	# Debian's tarball ignores everything at the top level; git must see it
	sed -i '/^# Debian packaging/,$d' "$KSRC/.gitignore"
	git_k init -q
	git_k add -A
	git_k commit -q -m "linux-source-6.12 $(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null)"
	git_k tag spm-base
	basename "$KSRC_TARBALL" >"$KSRC/.git/spm-tarball"
	stat -c %Y "$KSRC_TARBALL" >>"$KSRC/.git/spm-tarball"
}

series_files()
{
	echo "$SPM_TOP/patches/series"
	grep -v -e '^#' -e '^[[:space:]]*$' "$SPM_TOP/patches/series" |
		sed "s|^|$SPM_TOP/patches/|"
}

apply_series()
{
	local want=$1 p

	if [ -f "$KSRC/.git/spm-series" ]; then
		[ "$(git_k rev-parse HEAD)" = "$(sed -n 2p "$KSRC/.git/spm-series")" ] ||
			[ "${FORCE:-0}" = 1 ] ||
			die "$KSRC has commits that are not in patches/ (run 'make patches' to keep them, or FORCE=1 to drop them)"
	fi
	[ -z "$(git_k status --porcelain --untracked-files=no)" ] || [ "${FORCE:-0}" = 1 ] ||
		die "$KSRC has uncommitted changes (commit them and run 'make patches', or FORCE=1 to drop them)"

	# reset --hard rewrites only the files that differ, so make stays incremental
	git_k reset -q --hard spm-base
	while read -r p; do
		git_k am -q --whitespace=nowarn "$SPM_TOP/patches/$p" ||
			{ git_k am --abort; die "patches/$p does not apply"; }
	done < <(grep -v -e '^#' -e '^[[:space:]]*$' "$SPM_TOP/patches/series")
	printf '%s\n%s\n' "$want" "$(git_k rev-parse HEAD)" >"$KSRC/.git/spm-series"
	echo "applied $(git_k rev-list --count spm-base..HEAD) patches"
}

link_in_tree()
{
	local p
	for p in "${IN_TREE[@]}"; do
		[ -e "$SPM_TOP/$p" ] || continue
		[ "$(readlink "$KSRC/$p" 2>/dev/null)" = "$SPM_TOP/$p" ] && continue
		rm -rf "${KSRC:?}/$p"
		ln -s "$SPM_TOP/$p" "$KSRC/$p"
		grep -qxF "/$p" "$KSRC/.git/info/exclude" || echo "/$p" >>"$KSRC/.git/info/exclude"
	done
}

mkdir -p "$SPM_BUILD"
want_tarball="$(basename "$KSRC_TARBALL")
$(stat -c %Y "$KSRC_TARBALL" 2>/dev/null)"
if [ ! -d "$KSRC/.git" ] || [ "$(cat "$KSRC/.git/spm-tarball" 2>/dev/null)" != "$want_tarball" ]; then
	stage "unpack $(basename "$KSRC_TARBALL")" unpack
fi

want=$(hash_of $(series_files))
if [ "$(head -n1 "$KSRC/.git/spm-series" 2>/dev/null)" != "$want" ]; then
	stage "apply patches/series" apply_series "$want"
fi
link_in_tree
