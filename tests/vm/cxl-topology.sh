#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# CXL bring-up on one type-3 device: the memdev enumerates, a pmem region
# commits, a devdax namespace yields a dax device whose target node is the
# window's node; teardown returns the device to its initial state.
# SPM-TOPOLOGY: cxl-single
# SPM-TIMEOUT: 180
. /spm/lib/tap.sh
. /spm/lib/cxl.sh

WINDOW_NODE=1	# the CFMWS node in qemu-configs/cxl-single.conf

tap_plan 8
memdevs=$(cxl list -M | jq -r '.[].memdev')
[ "$memdevs" = mem0 ] || tap_bail "expected one memdev mem0, found '$memdevs'"
tap_ok "one CXL memdev (mem0)"

region=$(cxl_pmem_region mem0)
tap_check "pmem region created on mem0 ($region)" [ -n "$region" ]
tap_check "$region committed" [ "$(cat /sys/bus/cxl/devices/$region/commit 2>/dev/null)" = 1 ]

ndregion=$(cxl_nd_region "$region")
ns=$(ndctl create-namespace -m devdax -r "$ndregion")
dax=$(echo "$ns" | jq -r '.daxregion.devices[0].chardev // empty')
tap_check "devdax namespace on $ndregion" [ "$(echo "$ns" | jq -r .mode)" = devdax ]
tap_check "dax device /dev/$dax" [ -c "/dev/$dax" ]
node=$(cat /sys/bus/dax/devices/$dax/target_node 2>/dev/null)
tap_check "$dax targets the window's node ($node, want $WINDOW_NODE)" [ "$node" = $WINDOW_NODE ]
tap_check "$dax sits under CXL $region" [ "$(dax_cxl_region "$dax")" = "$region" ]

ndctl destroy-namespace -f "$(echo "$ns" | jq -r .dev)" >/dev/null 2>&1
cxl disable-region "$region" >/dev/null 2>&1
cxl destroy-region "$region" >/dev/null 2>&1
tap_check "teardown leaves no region" [ "$(cxl list -R | jq length 2>/dev/null || echo 0)" -eq 0 ]
tap_exit
