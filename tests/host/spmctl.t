#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# spmctl against a fake sysfs tree (SPMCTL_SYSFS): what "list" reports and
# how every command treats bad input. online/offline of real devices are
# tested in the VM (tests/vm/spm-cxl.sh).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/guest/lib/tap.sh"
SPMCTL=$TOP/build/spmctl/spmctl
FAKE=$(mktemp -d)
trap 'rm -rf "$FAKE"' EXIT
export SPMCTL_SYSFS=$FAKE

# spm_node NID DAX CAPS USED: a registered node whose parent is dax device DAX
spm_node()
{
	local dev=$FAKE/devices/platform/cxl/$2/spm$1
	mkdir -p "$dev/stats" "$FAKE/bus/spm/devices" "$FAKE/bus/dax/devices"
	echo "$1" >"$dev/node"
	echo "$2" >"$dev/name"
	echo cxl >"$dev/class"
	echo "$3" >"$dev/caps"
	echo 268435456 >"$dev/size"
	echo "$4" >"$dev/used"
	echo $((268435456 - $4)) >"$dev/free"
	echo 70 >"$dev/stats/allocated"
	echo 6 >"$dev/stats/freed"
	echo 2 >"$dev/stats/refused"
	ln -s "../../../devices/platform/cxl/$2/spm$1" "$FAKE/bus/spm/devices/spm$1"
	ln -s "../../../devices/platform/cxl/$2" "$FAKE/bus/dax/devices/$2"
}

# cxl_region NAME START SIZE
cxl_region()
{
	mkdir -p "$FAKE/bus/cxl/devices/$1"
	echo "$2" >"$FAKE/bus/cxl/devices/$1/resource"
	echo "$3" >"$FAKE/bus/cxl/devices/$1/size"
}

# fails_with PATTERN CMD...: CMD exits 1 and says PATTERN on stderr
fails_with()
{
	local pat=$1 rc
	shift
	"$@" >/dev/null 2>"$FAKE.err"
	rc=$?
	[ $rc -eq 1 ] && grep -q -- "$pat" "$FAKE.err" ||
		{ tap_diag "exit $rc, stderr: $(cat "$FAKE.err")"; return 1; }
}

tap_plan 22
[ -x "$SPMCTL" ] || tap_bail "$SPMCTL not built"

tap_check "list without an spm bus: []" [ "$("$SPMCTL" list)" = "[]" ]

spm_node 2 dax1.0 migration 65536
echo 0x1080000000 >"$FAKE/devices/platform/cxl/dax1.0/resource"
spm_node 1 dax0.0 "" 0
echo 0x1000000000 >"$FAKE/devices/platform/cxl/dax0.0/resource"
cxl_region region0 0x1000000000 0x10000000
cxl_region region1 0x1080000000 0x10000000
out=$("$SPMCTL" list)
tap_check "list: valid JSON, two nodes" [ "$(jq length <<<"$out")" = 2 ]
tap_check "list: in node order" [ "$(jq -c '[.[].node]' <<<"$out")" = "[1,2]" ]
n2=$(jq -c '.[1]' <<<"$out")
tap_check "list: attributes of spm2" [ "$(jq -c '[.devname,.name,.class,.size,.used,.free]' <<<"$n2")" = \
	'["spm2","dax1.0","cxl",268435456,65536,268369920]' ]
tap_check "list: caps as an array" [ "$(jq -c '[.[0].caps, .[1].caps]' <<<"$out")" = '[[],["migration"]]' ]
tap_check "list: counters" [ "$(jq -c '.stats' <<<"$n2")" = '{"allocated":70,"freed":6,"refused":2}' ]
tap_check "list: backing dax device and CXL region by address" \
	[ "$(jq -c '[.[].dax, .[].region]' <<<"$out")" = '["dax0.0","dax1.0","region0","region1"]' ]
tap_check "list --node 2" [ "$("$SPMCTL" list --node 2 | jq -c '[.[].node]')" = "[2]" ]
tap_check "list -d dax0.0" [ "$("$SPMCTL" list -d dax0.0 | jq -c '[.[].node]')" = "[1]" ]
tap_check "list --node 7 (none): []" [ "$("$SPMCTL" list --node 7)" = "[]" ]

# bad input: a clear message, exit status 1, nothing written
spm_node 3 dax2.0 "" 4096
before=$(cd "$FAKE" && find . -type f -exec md5sum {} + | sort)
tap_check "list --node abc" fails_with "'abc' is not a node number" "$SPMCTL" list --node abc
tap_check "list --node -1" fails_with "is not a node number" "$SPMCTL" list --node -1
tap_check "list -d bogus" fails_with "'bogus' is not a dax device name" "$SPMCTL" list -d bogus
tap_check "list extra argument" fails_with "unexpected argument 'x'" "$SPMCTL" list x
tap_check "unknown command" fails_with "'frob' is not a command" "$SPMCTL" frob
tap_check "online without argument" fails_with "missing argument" "$SPMCTL" online
tap_check "online of a name that is no device" \
	fails_with "'node1' is neither a dax device" "$SPMCTL" online node1
tap_check "online --driver with a slash" \
	fails_with "'../x' is not a driver name" "$SPMCTL" online --driver ../x dax0.0
tap_check "offline of a node that does not exist" \
	fails_with "spm9: no such SPM node" "$SPMCTL" offline 9
tap_check "offline, pages in use, no migration: refused" \
	fails_with "spm3: 4096 bytes in use and the node does not allow migration" \
	"$SPMCTL" offline spm3
after=$(cd "$FAKE" && find . -type f -exec md5sum {} + | sort)
tap_check "bad input changed nothing in sysfs" [ "$before" = "$after" ]
tap_check "--help exits 0 and names every command" \
	eval "$SPMCTL --help | grep -q list && $SPMCTL --help | grep -q offline"
exit $((TAP_FAILED ? 1 : 0))
