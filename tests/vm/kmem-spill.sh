#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The dax/kmem baseline, the problem SPM exists to fix: once a CXL dax device
# is onlined as System RAM (kmem's default, ZONE_MOVABLE), node 0 memory
# pressure spills ordinary pages onto it without anyone asking. The spill
# must be > 0, or the workload is not pressing hard enough.
# ZONE_NORMAL (--no-movable) is measured on soft-reserved memory instead
# (kmem-spill-hmem.sh): under TCG, QEMU 7.2 hangs once kernel objects such
# as page tables land in emulated CXL memory.
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

tap_plan 3
dax=$(cxl_devdax mem0)
[ -n "$dax" ] || tap_bail "no dax device on mem0"
node=$(cat /sys/bus/dax/devices/$dax/target_node)

daxctl reconfigure-device -m system-ram "$dax" >/dev/null
tap_check "$dax online as System RAM, node $node has memory" node_in_state "$node" has_memory
measure movable "$node"

daxctl offline-memory "$dax" >/dev/null
tap_check "$dax offlined again after the pressure" eval "! node_in_state $node has_memory"
tap_exit
