#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Two CXL devices behind two host bridges and two windows become two dax
# devices with two distinct target nodes, neither of them node 0.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 240
. /spm/lib/tap.sh
. /spm/lib/cxl.sh

tap_plan 5
memdevs=$(cxl list -M | jq -r '.[].memdev' | sort | xargs)
[ "$memdevs" = "mem0 mem1" ] || tap_bail "expected memdevs mem0 mem1, found '$memdevs'"
tap_ok "two CXL memdevs"

dax0=$(cxl_devdax mem0)
tap_check "dax device on mem0 (/dev/$dax0)" [ -n "$dax0" -a -c "/dev/$dax0" ]
dax1=$(cxl_devdax mem1)
tap_check "dax device on mem1 (/dev/$dax1)" [ -n "$dax1" -a -c "/dev/$dax1" ]

n0=$(cat /sys/bus/dax/devices/$dax0/target_node 2>/dev/null)
n1=$(cat /sys/bus/dax/devices/$dax1/target_node 2>/dev/null)
tap_check "distinct target nodes ($n0, $n1)" [ -n "$n0" -a -n "$n1" -a "$n0" != "$n1" ]
tap_check "neither is node 0" [ "${n0:-0}" != 0 -a "${n1:-0}" != 0 ]
tap_exit
