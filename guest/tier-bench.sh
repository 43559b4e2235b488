#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The tiering benchmark's guest side (scripts/tier-bench.sh boots it):
# demotion and promotion throughput into the same CXL memory (cxl-single,
# mem0), used two ways in one boot: as an SPM node (cxl-spm-sample; the
# workload's policy group names it in memory.tier) and as a dax/kmem System
# RAM node (a lower memory tier). The same workload both times: a 64 MiB
# coldmem of text on node 0, then a memhog bound to node 0 takes node 0's
# free memory and 32 MiB more, so that reclaim demotes; then 20 s of reads
# with NUMA balancing in memory-tiering mode promote. Demotion: pgdemote_*
# pages over the time memhog took; promotion: pgpromote_success pages over
# the 20 s. Each mode runs RUNS times; the host takes the medians. It
# reports; it does not pass or fail.
# SPM-TIMEOUT: 1800
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/pressure.sh
. /spm/lib/spm.sh
. /spm/lib/coldmem.sh

NUMAB=/sys/kernel/debug/sched/numa_balancing
READ_S=20
RUNS=3

now_cs()
{
	awk '{ printf "%d\n", $1 * 100 }' /proc/uptime
}

vmstat_sum()
{
	awk -v p="$1" 'index($1, p) == 1 { s += $2 } END { print s + 0 }' /proc/vmstat
}

# run MODE NODE CMD...: the workload, coldmem started through CMD...; its
# figures go to /tmp/tier-MODE.json, one line per run
run()
{
	local mode=$1 nid=$2 d0 t0 t1 d1 on p0 out left ok
	shift 2
	cm_start cold 7 "$@" coldmem 64 text || tap_bail "$mode: coldmem"
	d0=$(vmstat_sum pgdemote_) t0=$(now_cs)
	pressure_squeeze 32 numactl --membind=0
	t1=$(now_cs) d1=$(vmstat_sum pgdemote_)
	pressure_stop
	sleep 1
	on=$(field "$(cm cold 7 where "$nid")" pages)
	echo 2 >/proc/sys/kernel/numa_balancing
	p0=$(vmstat_sum pgpromote_success)
	out=$(cm cold 7 read $READ_S)
	p1=$(vmstat_sum pgpromote_success)
	echo 0 >/proc/sys/kernel/numa_balancing
	left=$(field "$(cm cold 7 where "$nid")" pages)
	ok=$(field "$(cm cold 7 verify)" ok)
	cm_stop cold 7
	tap_diag "$mode: $((d1 - d0)) pages demoted in $((t1 - t0))0 ms ($on of the workload's on node $nid), $((p1 - p0)) promoted in $READ_S s ($left left), contents ok=$ok"
	echo "{\"demoted_pages\": $((d1 - d0)), \"demote_cs\": $((t1 - t0)), \"workload_pages_on_node\": $on, \"promoted_pages\": $((p1 - p0)), \"promote_s\": $READ_S, \"left_on_node\": $left, \"intact\": $ok}" \
		>>/tmp/tier-$mode.json
	[ $((d1 - d0)) -gt 0 -a $((p1 - p0)) -gt 0 -a "$ok" = 1 ]
}

# runs MODE NODE CMD...: RUNS runs, reported as one result: a list of runs
runs()
{
	local i good=0
	rm -f /tmp/tier-$1.json
	for i in $(seq $RUNS); do
		run "$@" && good=$((good + 1))
	done
	spm_result "tier-$1" "$(jq -cs . /tmp/tier-$1.json)"
	tap_check "$1: $good of $RUNS runs demoted and promoted pages, contents intact" [ $good -eq $RUNS ]
}

tap_plan 2
echo true >/sys/kernel/mm/numa/demotion_enabled
echo 100 >$NUMAB/scan_delay_ms
echo 100 >$NUMAB/scan_period_min_ms
spm_sample_load
dax=$(cxl_devdax mem0) || tap_bail "no dax device on mem0"

n=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
spm_policy_mount
mkdir $POLICY/tier && echo "$n" >$POLICY/tier/spm.nodes && echo "$n" >$POLICY/tier/memory.tier ||
	tap_bail "cannot create a group demoting into node $n"
runs spm "$n" spmctl exec --group tier --
spmctl offline "$n" >/dev/null || tap_bail "spmctl offline $n"

daxctl reconfigure-device -m system-ram "$dax" >/dev/null || tap_bail "kmem $dax"
tap_diag "kmem: node $n in $(node_tier "$n")"
runs kmem "$n" env
tap_exit
