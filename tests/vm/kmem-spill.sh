#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The dax/kmem baseline, the problem SPM exists to fix: once a CXL dax device
# is onlined as System RAM, node 0 memory pressure spills ordinary pages onto
# it without anyone asking. Measured for the kmem default (ZONE_MOVABLE) and
# for --no-movable (ZONE_NORMAL, where kernel allocations may spill too).
# The spill must be > 0, or the workload is not pressing hard enough.
# SPM-TOPOLOGY: cxl-single
# SPM-TIMEOUT: 600
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/pressure.sh
. /spm/lib/spill.sh

# measure MODE NODE: one spill figure, asserted > 0
measure()
{
	spill_measure "kmem-spill-$1" "$2"
	tap_check "$1: ordinary pages spilled onto kmem node $2 ($SPILL_PAGES > 0)" [ "$SPILL_PAGES" -gt 0 ]
}

tap_plan 5
dax=$(cxl_devdax mem0)
[ -n "$dax" ] || tap_bail "no dax device on mem0"
node=$(cat /sys/bus/dax/devices/$dax/target_node)

daxctl reconfigure-device -m system-ram "$dax" >/dev/null
tap_check "$dax online as System RAM, node $node has memory" node_in_state "$node" has_memory
measure movable "$node"

daxctl offline-memory "$dax" >/dev/null &&
	daxctl online-memory --no-movable "$dax" >/dev/null
tap_check "$dax re-onlined into ZONE_NORMAL" [ "$(node_zone_present "$node" Normal)" -gt 0 ]
measure normal "$node"

daxctl offline-memory "$dax" >/dev/null
tap_check "$dax offlined again after the pressure" eval "! node_in_state $node has_memory"
tap_exit
