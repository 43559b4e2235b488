#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What "make demo" shows, in the cxl-dual topology: two CXL memdevs, a region
# and a dax device on each with its target node; then one device onlined
# the dax/kmem way and the other registered as an SPM node, and the same
# memory pressure on node 0: ordinary pages spill onto the kmem node, none
# onto the SPM node. Last, policy groups: a task in a group granted the SPM
# node maps its memory, a task in a group without the grant is refused.
# SPM-TIMEOUT: 600
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/pressure.sh
. /spm/lib/spill.sh
. /spm/lib/spm.sh

step()
{
	echo
	echo "--- $*"
}

step "CXL memory devices (cxl list -M)"
cxl list -M -u
step "a pmem region and a devdax namespace on each (cxl create-region, ndctl create-namespace)"
kdax=$(cxl_devdax mem0) && sdax=$(cxl_devdax mem1) || exit 1
cxl list -R -u
step "the dax devices and their target nodes (daxctl list)"
daxctl list -u
knode=$(cat /sys/bus/dax/devices/$kdax/target_node)
snode=$(cat /sys/bus/dax/devices/$sdax/target_node)

step "$kdax the dax/kmem way: daxctl reconfigure-device -m system-ram"
daxctl reconfigure-device -m system-ram "$kdax" >/dev/null || exit 1
step "$sdax as an SPM node: spmctl online $(dax_cxl_region "$sdax") (binds the cxl_spm_sample driver)"
spm_sample_load && spmctl online "$(dax_cxl_region "$sdax")" >/dev/null || exit 1
spmctl list
echo "  has_memory: $(cat /sys/devices/system/node/has_memory)   has_spm_memory: $(cat /sys/devices/system/node/has_spm_memory)"
numactl -H

step "node 0 under pressure: page cache, tmpfs and anonymous memory, sized past its free memory"
spill_compare demo-isolation "$knode" "$snode" || exit 1
echo
echo "=> dax/kmem node $knode: $KMEM_SPILL ordinary pages landed on it without anyone asking."
echo "=> SPM node $snode:      $SPM_SPILL; its memory goes to its owner and nobody else."

step "policy groups: db may use SPM node $snode, batch may not (spmctl group create)"
spm_policy_mount || exit 1
spmctl group create db --nodes "$snode" && spmctl group create batch || exit 1
echo "\$ spmctl exec --group db -- spmmap $snode 256     # maps /dev/spm$snode, touches 256 pages"
spmctl exec --group db -- spmmap -w 0 "$snode" 256 >/tmp/db.out &
i=0
while ! grep -q ready /tmp/db.out && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
head -n 1 /tmp/db.out
echo "\$ spmctl exec --group batch -- spmmap $snode 256"
spmctl exec --group batch -- spmmap "$snode" 256
spmctl group list
echo
echo "=> group db: $(spm_group_stat db "$snode" pages) pages on node $snode, where it asked; group batch: refused, $(spm_group_stat batch "$snode" pages) pages there."
kill -USR1 $!
wait
