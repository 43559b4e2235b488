#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure (tinyconfig + configs/*.config) and build the prepared tree into
# build/obj with ccache (with SPM_KERNEL=debug: configs/debug/*.config too,
# into build/obj-debug; see lib.sh), build the sample drivers out of tree, then stage
# all modules and modules.builtin* for the initramfs. Configuration is redone
# only when a fragment changed; make itself decides what to rebuild.
#
# With --base, build the same kernel without our patches and parts instead:
# spm-base of the prepared tree, checked out in build/linux-base, built in
# build/obj-base with the same configuration less the SPM options. The
# benchmarks compare against it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BASE=0
if [ "${1:-}" = --base ]; then
	BASE=1
	[ -d "$KSRC/.git" ] || die "no prepared tree; run 'make tree'"
	[ -d "$SPM_BUILD/linux-base" ] ||
		git -C "$KSRC" worktree add -q --detach "$SPM_BUILD/linux-base" spm-base
	KSRC=$SPM_BUILD/linux-base
	KOBJ=$SPM_BUILD/obj-base
fi

MAKE=(make -C "$KSRC" O="$KOBJ" -j"$(nproc)" CC="ccache gcc" HOSTCC="ccache gcc")
LOGDIR=$SPM_BUILD/logs

configure()
{
	local frag line missing=0
	"${MAKE[@]}" -s tinyconfig >/dev/null
	"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$KOBJ" "$KOBJ/.config" \
		"${CONFIG_FRAGMENTS[@]}" >"$LOGDIR/merge-config.log"
	"${MAKE[@]}" -s olddefconfig >/dev/null
	# merge_config only warns when Kconfig drops a requested option: fail
	for frag in "${CONFIG_FRAGMENTS[@]}"; do
		while read -r line; do
			grep -qxF "$line" "$KOBJ/.config" && continue
			[ $BASE = 1 ] && [[ $line == CONFIG_SPM* ]] && continue
			echo "error: ${frag#"$SPM_TOP"/}: '$line' did not survive olddefconfig" >&2
			missing=1
		done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$frag")
	done
	return $missing
}

# compile: run make, print a progress line every 30 s instead of every object.
compile()
{
	local log=$LOGDIR/kernel-build${KOBJ##*/obj}.log start=$SECONDS next=30 pid
	"${MAKE[@]}" all >"$log" 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		sleep 1
		[ $((SECONDS - start)) -ge $next ] || continue
		next=$((next + 30))
		printf '    %4ds: %d objects built\n' $((SECONDS - start)) \
			"$(grep -c -E '^  (CC|AS|LD) ' "$log")"
	done
	wait $pid && return 0
	grep -E -B2 -A6 'error:|Error [0-9]' "$log" | head -n 60 >&2
	echo "full log: $log" >&2
	return 1
}

# The sample drivers, out of tree through the top-level Kbuild. Their
# objects live in the source tree whichever kernel they are built for:
# remove them first, so that a module built for the other variant is never
# staged. Not "make M=... clean", whose find would descend into build/.
build_samples()
{
	rm -f "$SPM_TOP"/modules.order "$SPM_TOP"/Module.symvers
	find "$SPM_TOP"/drivers/*-spm-sample \( -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name 'modules.order' \) -delete
	"${MAKE[@]}" M="$SPM_TOP" modules >"$LOGDIR/samples-build.log" 2>&1 && return 0
	cat "$LOGDIR/samples-build.log" >&2
	return 1
}

stage_modules()
{
	local staging=$MODULES
	rm -rf "$staging"
	"${MAKE[@]}" -s INSTALL_MOD_PATH="$staging" modules_install >/dev/null
	"${MAKE[@]}" -s M="$SPM_TOP" INSTALL_MOD_PATH="$staging" modules_install >/dev/null
}

mkdir -p "$KOBJ" "$LOGDIR" "$CCACHE_DIR"
want=$(hash_of "${CONFIG_FRAGMENTS[@]}")
if [ ! -f "$KOBJ/.config" ] || [ "$(cat "$KOBJ/.spm-config" 2>/dev/null)" != "$want" ]; then
	stage "configure (tinyconfig + configs/)" configure
	echo "$want" >"$KOBJ/.spm-config"
fi
stage "build kernel $("${MAKE[@]}" -s kernelrelease)$([ $BASE = 0 ] || echo ' (unpatched)')${SPM_KERNEL:+ ($SPM_KERNEL)}" compile
[ $BASE = 0 ] || exit 0
stage "build sample drivers" build_samples
stage "stage modules" stage_modules
