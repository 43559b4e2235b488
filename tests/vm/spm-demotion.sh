#!/bin/sh
# Demotion into a CXL-class SPM node and promotion back. When node 0 runs
# short, reclaim demotes the cold anonymous pages of a task whose policy
# group names the node in memory.tier, and nobody else's; NUMA balancing in
# memory-tiering mode promotes them once they are hot again; the node's
# counters and spm_demote events follow; contents survive both ways, and
# taking the node offline evacuates what is left of them.
# SPM-TOPOLOGY: cxl-single
# SPM-TIMEOUT: 900
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/pressure.sh
. /spm/lib/spm.sh
. /spm/lib/coldmem.sh

TRACING=/sys/kernel/tracing
NUMAB=/sys/kernel/debug/sched/numa_balancing

counter()
{
	spm_attr "$n" "stats/$1"
}

tap_plan 9
spm_sample_load
n=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
spm_policy_mount
mkdir $POLICY/cold && echo "$n" >$POLICY/cold/spm.nodes || tap_bail "cannot create group cold"
tap_check "a group granted CXL node $n may name it in memory.tier" \
	eval "echo $n >$POLICY/cold/memory.tier && [ \"\$(cat $POLICY/cold/memory.tier)\" = $n ]"
echo true >/sys/kernel/mm/numa/demotion_enabled
[ -d $TRACING/events ] || mount -t tracefs nodev $TRACING
echo >$TRACING/trace
echo 1 >$TRACING/events/spm/spm_demote/enable

cm_start cold 7 spmctl exec --group cold -- coldmem 64 text || tap_bail "coldmem in group cold"
cm_start other 8 coldmem 32 text || tap_bail "coldmem in no group"
in0=$(counter demotions_in)
pressure_squeeze 32 || tap_bail "memhog could not hold node 0's memory and 32 MiB more"
on=$(field "$(cm cold 7 where "$n")" pages)
demoted=$(($(counter demotions_in) - in0))
tap_diag "node 0 squeezed by 32 MiB: $on pages of group cold's coldmem on node $n, $demoted demoted"
tap_check "the group's cold pages were demoted into node $n ($on of 16384 > 0)" [ "$on" -gt 0 ]
tap_check "stats/demotions_in counts them ($demoted >= $on)" [ "$demoted" -ge "$on" ]
tap_check "spm_demote events name node $n and the pages: $(grep -m1 -o 'spm_demote: .*' $TRACING/trace)" \
	grep -q "spm_demote: node=$n src_pfn=0x[0-9a-f]* dst_pfn=0x[0-9a-f]* order=[0-9] ret=0\$" \
	$TRACING/trace
tap_check "a task in no group: none of its pages on node $n" \
	[ "$(field "$(cm other 8 where "$n")" pages)" -eq 0 ]
tap_check "demoted contents intact" [ "$(field "$(cm cold 7 verify)" ok)" = 1 ]
echo 0 >$TRACING/events/spm/spm_demote/enable
pressure_stop
# reclaim may have gone on demoting until memhog was gone
sleep 1
on=$(field "$(cm cold 7 where "$n")" pages)

# hot again: memory-tiering NUMA balancing scans every 100 ms
echo 100 >$NUMAB/scan_delay_ms
echo 100 >$NUMAB/scan_period_min_ms
echo 2 >/proc/sys/kernel/numa_balancing
pr0=$(counter promotions)
out=$(cm cold 7 read 20)
echo 0 >/proc/sys/kernel/numa_balancing
left=$(field "$(cm cold 7 where "$n")" pages)
promoted=$(($(counter promotions) - pr0))
tap_diag "20 s of reads ($(field "$out" passes) passes): $promoted pages promoted, $left left on node $n"
tap_check "NUMA balancing promoted hot pages back to DRAM ($left < $on, stats/promotions +$promoted)" \
	[ "$left" -lt "$on" -a "$promoted" -gt 0 ]
tap_check "promoted contents intact" [ "$(field "$(cm cold 7 verify)" ok)" = 1 ]

tap_check "spmctl offline: node $n's remaining $left demoted pages evacuated, contents intact" \
	eval "spmctl offline $n >/dev/null && [ ! -d /sys/bus/spm/devices/spm$n ] &&
	      [ \"\$(field \"\$(cm cold 7 where $n)\" pages)\" -eq 0 ] &&
	      [ \"\$(field \"\$(cm cold 7 verify)\" ok)\" = 1 ]"
cm_stop cold 7
cm_stop other 8
tap_exit
