#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hugetlb pools and SPM nodes: huge pages come from N_MEMORY nodes only.
# Sizing an SPM node's per-node pool, or sizing the pool from a task whose
# memory policy prefers an SPM node (nr_hugepages_mempolicy), is refused
# with EINVAL and changes nothing; a global pool and a granted task's
# hugetlb mappings (pool and surplus pages) never take the node's memory;
# the node's owner sees no allocation. The 1 GiB (gigantic) pool, which
# bypasses the buddy allocator, is spm-gigantic.sh's.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 300
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/spm.sh

H=hugepages-2048kB
VM=/proc/sys/vm
MM=/sys/kernel/mm/hugepages/$H

# node_huge NODE: huge pages of size $H in NODE's pool
node_huge()
{
	cat /sys/devices/system/node/node$1/hugepages/$H/nr_hugepages
}

# owner_state: the node's huge pages and the pages its owner has handed
# out (a granted task's own anonymous pages may come and go there; they
# are freed when the task exits)
owner_state()
{
	echo "huge=$(node_meminfo "$n" HugePages_Total) used=$(spm_used_pages "$n")"
}

tap_plan 6
spm_sample_load
n=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
[ -d /sys/devices/system/node/node$n/hugepages/$H ] || tap_bail "no $H pool on node $n"
spm_policy_mount
mkdir $POLICY/huge && echo "$n" >$POLICY/huge/spm.nodes || tap_bail "cannot create group huge"
before=$(owner_state)

err=$(write_error 4 /sys/devices/system/node/node$n/hugepages/$H/nr_hugepages)
tap_check "node$n/hugepages/$H/nr_hugepages=4: refused ('$err'), none on node $n" \
	eval "[ '$err' = 'Invalid argument' ] && [ \$(node_huge $n) = 0 ] && [ \$(cat $VM/nr_hugepages) = 0 ]"

bad=
for f in $VM/nr_hugepages_mempolicy $MM/nr_hugepages_mempolicy; do
	err=$(spmctl exec --group huge -- prefmem -e "$n" sh -c "echo 4 >$f" 2>&1 | sed 's/.*: //')
	[ "$err" = 'Invalid argument' ] || bad="$bad ${f##*/}:'$err'"
done
tap_check "nr_hugepages_mempolicy=4 from a granted task preferring node $n: refused (both files)${bad:+ (not:$bad)}, pool still empty" \
	eval "[ -z '$bad' ] && [ \$(cat $VM/nr_hugepages) = 0 ]"

err=$(spmctl exec --group huge -- prefmem -e "$n" sh -c "echo 8 >$VM/nr_hugepages" 2>&1)
tap_check "nr_hugepages=8 from that task: 8 pages, all on node 0 (node $n: $(node_huge $n))${err:+ ($err)}" \
	eval "[ -z '$err' ] && [ \$(node_huge 0) = 8 ] && [ \$(node_huge $n) = 0 ]"

out=$(spmctl exec --group huge -- prefmem -H "$n" 2)
tap_check "a granted task preferring node $n maps 2 huge pages: from node 0's pool ($out)" \
	eval "[ \"\$(field '$out' intact)\" = 2 ] && [ \"\$(field '$out' on_node)\" = 0 ]"

echo 0 >$VM/nr_hugepages
echo 2 >$VM/nr_overcommit_hugepages
out=$(spmctl exec --group huge -- prefmem -H "$n" 2)
echo 0 >$VM/nr_overcommit_hugepages
tap_check "with no pool and nr_overcommit_hugepages=2: surplus pages, not on node $n ($out)" \
	eval "[ \"\$(field '$out' intact)\" = 2 ] && [ \"\$(field '$out' on_node)\" = 0 ]"

after=$(owner_state)
tap_check "node $n: no huge page at any time, nothing of it in use ($before -> $after)" \
	[ "$before" = "$after" ]
rmdir $POLICY/huge
tap_exit
