#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What "make demo" shows, run inside the cxl-single topology: the CXL memdev,
# a region on it, the dax device and its target node, and the dax/kmem
# baseline: how many ordinary pages land on the CXL node once it is System RAM.
# SPM-TIMEOUT: 600
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/pressure.sh
. /spm/lib/spill.sh

step()
{
	echo
	echo "--- $*"
}

step "CXL memory devices (cxl list -M)"
cxl list -M -u
step "create a pmem region on mem0 and a devdax namespace on it"
dax=$(cxl_devdax mem0) || exit 1
cxl list -R -u
step "the dax device (daxctl list)"
daxctl list -u
node=$(cat /sys/bus/dax/devices/$dax/target_node)
echo "$dax targets node $node"

step "dax/kmem baseline: online $dax as System RAM (daxctl reconfigure-device -m system-ram)"
daxctl reconfigure-device -m system-ram "$dax" >/dev/null || exit 1
numactl -H
step "node 0 under pressure: page cache, tmpfs and anonymous memory, sized past its free memory"
spill_measure kmem-spill-demo "$node" || exit 1
echo
echo "=> with dax/kmem, $SPILL_PAGES ordinary pages landed on the CXL node without anyone asking."
echo "   SPM nodes exist to make that number 0."
