#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build, the VM and the tests need; only
# those that are missing, so a second run costs a dpkg query.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PACKAGES=(
	# kernel source and build
	linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev
	cpio xz-utils kmod ccache git python3 e2fsprogs jq
	# checkpatch's SPDX check (make checkpatch)
	python3-ply python3-git
	# the VM and what runs inside it
	qemu-system-x86 busybox-static ndctl daxctl numactl
	# tools/spmctl
	pkg-config libcxl-dev libdaxctl-dev libndctl-dev uuid-dev libjson-c-dev libnuma-dev
	# the kernel's mm selftests (scripts/mm-selftests.sh): cow's and
	# gup_longterm's io_uring fixed-buffer cases
	liburing-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); run as root or install them"
install()
{
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

stage "install ${missing[*]}" install "${missing[@]}"
