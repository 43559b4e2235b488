#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The dax/kmem baseline on soft-reserved ("specific purpose") memory, for
# both ways of onlining it: ZONE_MOVABLE (kmem's default), where user pages
# spill onto it, and ZONE_NORMAL (--no-movable, common in deployments), where
# kernel allocations may spill too. Both spills must be > 0. Whether the
# ZONE_NORMAL memory can be offlined afterwards depends on which kernel
# objects landed there: it is reported, not asserted.
# SPM-TOPOLOGY: soft-reserved
# SPM-TIMEOUT: 600
. /spm/lib/tap.sh
. /spm/lib/node.sh
. /spm/lib/pressure.sh
. /spm/lib/spill.sh

# measure MODE NODE: one spill figure, asserted > 0
measure()
{
	spill_measure "kmem-spill-hmem-$1" "$2"
	tap_check "$1: ordinary pages spilled onto kmem node $2 ($SPILL_PAGES > 0)" [ "$SPILL_PAGES" -gt 0 ]
}

tap_plan 4
dax=$(daxctl list | jq -r '.[0].chardev // empty')
[ -n "$dax" ] || tap_bail "no hmem dax device"
node=$(cat /sys/bus/dax/devices/$dax/target_node)

daxctl reconfigure-device -m system-ram "$dax" >/dev/null
tap_check "$dax online as System RAM (ZONE_MOVABLE)" [ "$(node_zone_present "$node" Movable)" -gt 0 ]
measure movable "$node"

daxctl offline-memory "$dax" >/dev/null &&
	daxctl online-memory --no-movable "$dax" >/dev/null
tap_check "$dax re-onlined into ZONE_NORMAL" [ "$(node_zone_present "$node" Normal)" -gt 0 ]
measure normal "$node"

if daxctl offline-memory "$dax" >/dev/null 2>&1; then
	tap_diag "ZONE_NORMAL: $dax offlined again after the pressure"
else
	tap_diag "ZONE_NORMAL: $dax cannot be offlined: unmovable kernel pages landed on node $node"
fi
tap_exit
