#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Accelerator memory: the accel-spm-sample driver registers the ivshmem
# BAR as an SPM_CLASS_ACCEL node. Nothing lands there under memory
# pressure or through a memory policy; the driver's own requests and the
# /dev/spm mappings of a granted group do. Pages a driver pins long-term
# for DMA stay where they are; removing the node is refused while pages
# are in use, and the pinned data survives.
# SPM-TOPOLOGY: accel
# SPM-TIMEOUT: 300
. /spm/lib/tap.sh
. /spm/lib/output.sh
. /spm/lib/node.sh
. /spm/lib/spm.sh

DRIVER=/sys/bus/pci/drivers/accel_spm_sample
DEBUGFS=/sys/kernel/debug/accel_spm_sample
NID=1

tap_plan 13
mod=$(find /lib/modules/"$(uname -r)" -name accel_spm_sample.ko | head -n 1)
pci=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor):$(cat $d/device)" = 0x1af4:0x1110 ] && pci=${d##*/}
done
[ -n "$pci" ] && [ -n "$mod" ] || tap_bail "no ivshmem device or no accel_spm_sample.ko"
d=$DEBUGFS/$pci

insmod "$mod"
tap_check "without nid=, no NUMA node for the BAR: refused, said why, nothing registered" \
	eval "[ ! -e /sys/bus/spm/devices/spm$NID ] && dmesg | grep -q 'gives the memory BAR no NUMA node'"
rmmod accel_spm_sample
insmod "$mod" nid=0
tap_check "nid=0, a node with System RAM: refused, nothing registered" \
	eval "[ -z \"\$(ls /sys/bus/spm/devices)\" ] && ! node_in_state 0 has_spm_memory"
rmmod accel_spm_sample

insmod "$mod" nid=$NID
tap_check "nid=$NID: an accel node of 256 MiB, user_map only, /dev/spm$NID" \
	eval "[ \"\$(spm_attr $NID class)\" = accel ] && [ \"\$(spm_attr $NID caps)\" = user_map ] &&
	      [ \"\$(spm_attr $NID size)\" = 268435456 ] && [ -c /dev/spm$NID ] &&
	      node_in_state $NID has_spm_memory && ! node_in_state $NID has_memory"
tap_check "spmctl list: class accel, parent $pci" \
	eval "[ \"\$(spmctl list -n $NID | jq -r '.[0].class')\" = accel ] &&
	      [ \"\$(readlink -f /sys/bus/spm/devices/spm$NID/..)\" = \"\$(readlink -f /sys/bus/pci/devices/$pci)\" ]"

al=$(spm_attr $NID stats/allocated)
rm -f /tmp/hog.out
# most of node 0's free memory (700 of 1024 MiB on the test kernel; the
# debug kernel's KASAN shadow and metadata leave less)
mib=$(($(node_meminfo 0 MemFree) / 1024 * 85 / 100))
memhog $mib >/tmp/hog.out &
hog=$!
wait_for /tmp/hog.out ready
tap_check "$mib MiB of anonymous memory (85% of node 0's free memory): nothing on node $NID" \
	[ "$(spm_attr $NID stats/allocated)" -eq "$al" ]
kill $hog
wait $hog 2>/dev/null

spm_policy_mount
mkdir $POLICY/gpu
echo $NID >$POLICY/gpu/spm.nodes
out=$(spmctl exec --group gpu -- prefmem $NID 10)
tap_check "granted, a memory policy still cannot prefer it: its pages could never leave ($out)" \
	[ "$out" = policy=EINVAL ]

echo 100 >$d/hold
tap_check "the driver's request: 100 pages on the node" \
	eval "[ \$(cat $d/hold) -eq 100 ] && [ \$(spm_used_pages $NID) -eq 100 ]"
echo 100 >$d/release
tap_check "released: the node unused" [ "$(spm_used_pages $NID)" -eq 0 ]

echo "$pci" >$DRIVER/unbind
tap_check "unbound with nothing in use: the node is gone" \
	eval "[ ! -e /sys/bus/spm/devices/spm$NID ] && ! node_in_state $NID has_spm_memory"
echo "$pci" >$DRIVER/bind
tap_check "bound again: the node is back, granted to nobody" \
	eval "[ \"\$(spm_attr $NID class)\" = accel ] && [ -z \"\$(cat $POLICY/gpu/spm.nodes)\" ]"
echo $NID >$POLICY/gpu/spm.nodes

rm -f /tmp/pin.out
spmctl exec --group gpu -- pinmem $NID 64 $d/pin >/tmp/pin.out &
pinner=$!
wait_for /tmp/pin.out ready
line=$(sed -n 2p /tmp/pin.out)
tap_check "a granted task's 64 pages, pinned long-term for DMA, stay on the node ($(head -n 1 /tmp/pin.out); $line)" \
	eval "grep -qx 'mapped on_node=64' /tmp/pin.out &&
	      [ '$(field "$line" pin)' = ok ] && [ '$(field "$line" pinned)' = 64 ] &&
	      [ \"\$(field '$line' on_node | xargs)\" = '64 64' ]"

echo "$pci" >$DRIVER/unbind
tap_check "unbound while pages are pinned: the node stays registered, says why" \
	eval "[ -e /sys/bus/spm/devices/spm$NID ] && dmesg | grep -q 'node $NID stays registered'"
kill -USR1 $pinner
wait $pinner
tap_check "the pinned data intact ($(tail -n 1 /tmp/pin.out))" grep -qx 'again intact=64' /tmp/pin.out
tap_exit
