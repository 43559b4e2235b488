# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the build and VM scripts: paths, stage timing, errors.
# Sourced, never executed.

SPM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SPM_BUILD=${SPM_BUILD:-$SPM_TOP/build}
KSRC_TARBALL=${KSRC_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
KSRC=$SPM_BUILD/linux-source-6.12	# prepared source tree (a git repository)
# The kernel variant: the test kernel (SPM_KERNEL unset), or "debug", the
# same tree with configs/debug/*.config on top (KASAN, kmemleak, fault
# injection) in build/obj-debug, build/modules-debug, build/initramfs-debug.cpio
SPM_KERNEL=${SPM_KERNEL:-}
case $SPM_KERNEL in
"" | debug) ;;
*) echo "error: SPM_KERNEL='$SPM_KERNEL': not a kernel variant (debug)" >&2; exit 1 ;;
esac
KOBJ=$SPM_BUILD/obj${SPM_KERNEL:+-$SPM_KERNEL}	# kernel build output (make O=)
MODULES=$SPM_BUILD/modules${SPM_KERNEL:+-$SPM_KERNEL}	# staged modules
INITRAMFS=$SPM_BUILD/initramfs${SPM_KERNEL:+-$SPM_KERNEL}.cpio
CONFIG_FRAGMENTS=("$SPM_TOP"/configs/*.config)
[ -z "$SPM_KERNEL" ] || CONFIG_FRAGMENTS+=("$SPM_TOP"/configs/"$SPM_KERNEL"/*.config)
export CCACHE_DIR=${CCACHE_DIR:-/var/cache/spm-ccache}
# sources and objects are named relative to build/, so clones share hits
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$SPM_BUILD}

die()
{
	echo "error: $*" >&2
	exit 1
}

# stage NAME CMD...: run one build stage, print how long it took, also when
# it fails. CMD runs as a job of its own so that "set -e" still stops it at
# its first failing command (in an "|| rc=$?" list it would not).
stage()
{
	local name=$1 start rc=0
	shift
	start=$(date +%s.%N)
	echo "==> $name"
	"$@" &
	wait $! || rc=$?
	printf '<== %s: %.1fs%s\n' "$name" "$(echo "$(date +%s.%N) - $start" | bc)" \
		"$([ $rc -eq 0 ] || echo " (FAILED, exit $rc)")"
	return $rc
}

# hash_of FILE...: one digest over the contents (and names) of the files.
hash_of()
{
	local f
	for f in "$@"; do
		echo "$f"
		cat "$f" 2>/dev/null
	done | sha256sum | cut -d' ' -f1
}
