#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An ordinary two-node machine: both nodes have memory and a CPU, and the
# per-node meminfo the other tests rely on sees an explicit placement.
# SPM-TOPOLOGY: numa-plain
# SPM-TIMEOUT: 60
. /spm/lib/tap.sh
. /spm/lib/node.sh

tap_plan 4
tap_check "nodes 0 and 1 have memory" eval 'node_in_state 0 has_memory && node_in_state 1 has_memory'
tap_check "nodes 0 and 1 have CPUs" eval 'node_in_state 0 has_cpu && node_in_state 1 has_cpu'

before=$(node_meminfo 1 AnonPages)
numactl --membind=1 memhog 64 >/tmp/hog.out &
pid=$!
while ! grep -q ready /tmp/hog.out 2>/dev/null && kill -0 $pid 2>/dev/null; do
	sleep 0.1
done
delta=$(($(node_meminfo 1 AnonPages) - before))
kill $pid
wait $pid
rc=$?
tap_check "membind=1 memhog 64 MiB: node 1 AnonPages +${delta} kB" [ "$delta" -ge $((60 * 1024)) ]
tap_check "memhog exited cleanly on SIGTERM" [ $rc -eq 0 ]
tap_exit
