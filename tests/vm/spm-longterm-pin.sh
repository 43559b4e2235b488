#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Long-term pins and SPM nodes: a task's movable pages on an SPM node (a
# preferred memory policy its group grants) move to DRAM, intact, when
# they are pinned long-term (registered as an io_uring fixed buffer), so
# the node can still be removed while the pin lasts.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 300
. /spm/lib/tap.sh
. /spm/lib/output.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/spm.sh

tap_plan 6
spm_sample_load
b=$(spm_online_memdev mem0)
[ -n "$b" ] || tap_bail "cannot make mem0 an SPM node"
spm_policy_mount
mkdir $POLICY/pin
echo "$b" >$POLICY/pin/spm.nodes

# One page, pinned straight after its first touch: the folio is still in
# the CPU's LRU-add batch, not yet on the LRU. It must move all the same.
rm -f /tmp/iou1.out
spmctl exec --group pin -- ioupin "$b" 1 >/tmp/iou1.out &
pid=$!
wait_for /tmp/iou1.out ready
reg=$(sed -n 2p /tmp/iou1.out)
tap_check "one page pinned right after its first touch, before it reached the LRU: moved off node $b, intact ($(head -n 1 /tmp/iou1.out); $reg)" \
	eval "[ '$(field "$reg" register)' = ok ] && [ '$(field "$reg" on_node)' = 0 ] &&
	      [ '$(field "$reg" intact)' = 1 ]"
kill -USR1 $pid
wait $pid

freed=$(spm_attr "$b" stats/freed)

rm -f /tmp/iou.out
spmctl exec --group pin -- ioupin "$b" 64 >/tmp/iou.out &
pid=$!
wait_for /tmp/iou.out ready
reg=$(sed -n 2p /tmp/iou.out)
tap_check "a task's 64 pages on node $b ($(head -n 1 /tmp/iou.out))" grep -qx 'before on_node=64' /tmp/iou.out
tap_check "registered as an io_uring fixed buffer: moved off node $b, intact ($reg)" \
	eval "[ '$(field "$reg" register)' = ok ] && [ '$(field "$reg" on_node)' = 0 ] &&
	      [ '$(field "$reg" intact)' = 64 ]"
tap_check "node $b freed them: stats/freed +$(($(spm_attr "$b" stats/freed) - freed))" \
	[ "$(spm_attr "$b" stats/freed)" -ge $((freed + 64)) ]
tap_check "spmctl offline spm$b while the buffer stays pinned: the node goes" \
	eval "spmctl offline spm$b >/dev/null && [ ! -e /sys/bus/spm/devices/spm$b ]"
kill -USR1 $pid
wait $pid
tap_check "the pinned buffer intact ($(tail -n 1 /tmp/iou.out))" grep -qx 'again on_node=0 intact=64' /tmp/iou.out

rmdir $POLICY/pin
spm_online_memdev mem0 >/dev/null
tap_exit
