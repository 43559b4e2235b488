#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Gigantic (1 GiB) hugetlb pages and SPM nodes. They are allocated by
# alloc_contig_pages(), which walks a node's zones itself and takes a free
# physical range without going through the buddy allocator's gate. An SPM
# node of 2 GiB holds such ranges: sizing its per-node pool is refused with
# EINVAL, the global pool never takes its memory, and its owner sees no
# allocation.
# SPM-TOPOLOGY: gigantic
# SPM-TIMEOUT: 300
. /spm/lib/tap.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/spm.sh

G=hugepages-1048576kB
NID=1

owner_state()
{
	echo "allocated=$(spm_attr $NID stats/allocated) free=$(spm_attr $NID free)"
}

tap_plan 3
[ -d /sys/kernel/mm/hugepages/$G ] || tap_bail "no 1 GiB huge pages (does the CPU have pdpe1gb?)"
mod=$(find /lib/modules/"$(uname -r)" -name accel_spm_sample.ko | head -n 1)
insmod "$mod" nid=$NID || tap_bail "cannot load accel_spm_sample"
[ "$(spm_attr $NID size)" = $((2 << 30)) ] || tap_bail "node $NID is not a 2 GiB SPM node"
tap_check "node $NID: a 2 GiB SPM node with a $G pool" \
	[ -d /sys/devices/system/node/node$NID/hugepages/$G ]
before=$(owner_state)

err=$(write_error 1 /sys/devices/system/node/node$NID/hugepages/$G/nr_hugepages)
got=$(cat /sys/devices/system/node/node$NID/hugepages/$G/nr_hugepages)
echo 0 >/sys/devices/system/node/node$NID/hugepages/$G/nr_hugepages 2>/dev/null
tap_check "node$NID/hugepages/$G/nr_hugepages=1: refused ('$err'), none on node $NID ($got)" \
	eval "[ '$err' = 'Invalid argument' ] && [ '$got' = 0 ]"

echo 2 >/sys/kernel/mm/hugepages/$G/nr_hugepages
got=$(cat /sys/devices/system/node/node$NID/hugepages/$G/nr_hugepages)
echo 0 >/sys/kernel/mm/hugepages/$G/nr_hugepages
after=$(owner_state)
tap_check "global nr_hugepages=2: none on node $NID ($got); its owner saw nothing ($before -> $after)" \
	eval "[ '$got' = 0 ] && [ '$before' = '$after' ]"
rmmod accel_spm_sample
tap_exit
