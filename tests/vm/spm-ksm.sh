#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# KSM and SPM nodes. KSM never merges a page that sits on an SPM node: a
# merged page would be shared by tasks the node's owner never admitted
# (with merge_across_nodes=1 the stable page may be the SPM one), and a
# write-protected node's page would leave its owner's accounting. Three
# tasks hold 64 pages of identical contents each: one (granted, preferring
# CXL node N) on the SPM node, two on node 0. ksmd merges the two DRAM
# copies with each other and leaves the SPM node's pages alone.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 300
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/spm.sh

KSM=/sys/kernel/mm/ksm
PAGES=64

tap_plan 4
spm_sample_load
n=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
spm_policy_mount
mkdir $POLICY/ksm && echo "$n" >$POLICY/ksm/spm.nodes || tap_bail "cannot create group ksm"
[ "$(cat $KSM/merge_across_nodes)" = 1 ] || tap_bail "merge_across_nodes is not 1"

rm -f /tmp/ksm-spm.out
spmctl exec --group ksm -- prefmem -M -w 0 "$n" $PAGES >/tmp/ksm-spm.out &
spm=$!
prefmem -M -w 0 0 $PAGES >/tmp/ksm-a.out &
a=$!
prefmem -M -w 0 0 $PAGES >/tmp/ksm-b.out &
b=$!
wait_for /tmp/ksm-spm.out ready && wait_for /tmp/ksm-a.out ready && wait_for /tmp/ksm-b.out ready ||
	tap_bail "prefmem did not start"
tap_check "$PAGES pages on SPM node $n ($(head -n 1 /tmp/ksm-spm.out)), $PAGES and $PAGES identical ones on node 0" \
	eval "[ \"\$(field \"\$(head -n 1 /tmp/ksm-spm.out)\" on_node)\" = $PAGES ] &&
	      [ \"\$(field \"\$(head -n 1 /tmp/ksm-a.out)\" on_node)\" = $PAGES ]"

echo 1000 >$KSM/pages_to_scan
echo 10 >$KSM/sleep_millisecs
scans=$(cat $KSM/full_scans)
echo 1 >$KSM/run
i=0
while [ "$(cat $KSM/full_scans)" -lt $((scans + 3)) ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
merged_spm=$(cat /proc/$spm/ksm_merging_pages)
merged_a=$(cat /proc/$a/ksm_merging_pages)
merged_b=$(cat /proc/$b/ksm_merging_pages)
tap_diag "ksmd: $(($(cat $KSM/full_scans) - scans)) full scans; merging pages: SPM task $merged_spm, node-0 tasks $merged_a and $merged_b; pages_shared $(cat $KSM/pages_shared)"
tap_check "ksmd merged the two node-0 copies ($merged_a and $merged_b pages)" \
	[ "$merged_a" -eq $PAGES -a "$merged_b" -eq $PAGES ]
tap_check "and none of the SPM node's pages ($merged_spm)" [ "$merged_spm" -eq 0 ]
echo 2 >$KSM/run

kill -USR1 $spm $a $b
wait $spm $a $b
again=$(tail -n 1 /tmp/ksm-spm.out)
tap_check "the SPM task's pages still on node $n, intact ($again); the others' never there" \
	eval "[ '$again' = 'again intact=$PAGES on_node=$PAGES more_on_node=0' ] &&
	      [ \"\$(field \"\$(tail -n 1 /tmp/ksm-a.out)\" on_node)\" = $PAGES ] &&
	      [ \"\$(field \"\$(tail -n 1 /tmp/ksm-b.out)\" on_node)\" = $PAGES ]"
rmdir $POLICY/ksm
tap_exit
