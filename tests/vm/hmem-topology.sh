#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A soft-reserved ("specific purpose") range stays out of System RAM and
# dax_hmem turns it into a dax device that targets its memory-only node.
# SPM-TOPOLOGY: soft-reserved
# SPM-TIMEOUT: 60
. /spm/lib/tap.sh
. /spm/lib/node.sh

tap_plan 5
tap_check "Soft Reserved range in /proc/iomem" grep -q 'Soft Reserved' /proc/iomem
tap_check "node 1 has no System RAM" eval '! node_in_state 1 has_memory'

dax=$(daxctl list | jq -r '.[0].chardev // empty')
tap_check "dax_hmem created a dax device (/dev/$dax)" [ -n "$dax" -a -c "/dev/$dax" ]
tap_check "$dax targets node 1" [ "$(cat /sys/bus/dax/devices/$dax/target_node 2>/dev/null)" = 1 ]
tap_check "$dax is 510 MiB" [ "$(cat /sys/bus/dax/devices/$dax/size 2>/dev/null)" = $((510 << 20)) ]
tap_exit
