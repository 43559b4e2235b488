#!/bin/sh
# What a demoting node's owner judges, and what its refusals cost. The
# compressed sample charges each folio demoted into it by compressing it,
# and refuses what does not fit its budget.
#  - It judges the copy it will hold: a task overwriting its huge pages
#    while reclaim demotes them cannot leave a page on the node that
#    compresses worse than it was charged (audit), even with a compressor
#    slow enough to leave the writer time (measure_delay_us): it measures
#    each folio once the source is unmapped (measured_live).
#  - A refusal fails that one folio: huge pages the node refuses for their
#    contents stay whole (no split to get them in piecemeal), the text
#    behind them is still taken, and all contents are intact.
#  - The task's cpuset bounds demotion as it bounds every use of the node,
#    and reclaim of a memory cgroup none of whose tasks demotes does not
#    scan anonymous memory it could neither swap nor demote.
# SPM-TOPOLOGY: compressed
# SPM-TIMEOUT: 900
. /spm/lib/tap.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/pressure.sh
. /spm/lib/spm.sh
. /spm/lib/coldmem.sh

DRV=compressed_spm_sample

counter()
{
	spm_attr "$n" "stats/$1"
}

tap_plan 9
ko=$(find /lib/modules/"$(uname -r)" -name $DRV.ko)
dax=$(daxctl list | jq -r '.[0].chardev // empty')
n=$(cat /sys/bus/dax/devices/$dax/target_node)
# an earlier script may have left the sample bound: start afresh
if [ -d /sys/bus/spm/devices/spm$n ]; then
	spmctl offline "$n" >/dev/null || tap_bail "cannot take node $n offline"
fi
! grep -q "^$DRV " /proc/modules || rmmod $DRV || tap_bail "cannot unload $DRV"
spm_devdax "$dax" || tap_bail "cannot take $dax back from kmem"
insmod "$ko" budget_percent=10 || tap_bail "cannot load $DRV"
spmctl online -d $DRV "$dax" >/dev/null || tap_bail "spmctl online -d $DRV $dax"
d=/sys/kernel/debug/$DRV/$dax
spm_policy_mount
mkdir $POLICY/judge && echo "$n" >$POLICY/judge/spm.nodes && echo "$n" >$POLICY/judge/memory.tier ||
	tap_bail "cannot create group judge demoting into node $n"
echo true >/sys/kernel/mm/numa/demotion_enabled

bad=
for v in 10001 -1 abc ''; do
	{ echo "$v" >$d/measure_delay_us; } 2>/dev/null && bad="$bad measure_delay_us:'$v'"
done
for v in 2 x ''; do
	{ echo "$v" >$d/refuse_incompressible; } 2>/dev/null && bad="$bad refuse_incompressible:'$v'"
done
tap_check "measure_delay_us and refuse_incompressible refuse bad input and keep 0${bad:+ (took:$bad)}" \
	eval "[ -z '$bad' ] && [ \$(cat $d/measure_delay_us) = 0 ] && [ \$(cat $d/refuse_incompressible) = 0 ]"

# --- a writer racing demotion: 32 MiB of text in huge pages, and 64 MiB
# of text in small pages behind them for reclaim to make progress with,
# while node 0 is squeezed by 16 MiB. The sample takes 0.5 s to measure a
# huge page (1 ms a page); 100 ms after reclaim takes one of the huge pages
# off the LRU, the writer overwrites it (text with random bytes, or back),
# and again every 50 ms while it stays off.
echo 1000 >$d/measure_delay_us
cm_start race 7 spmctl exec --group judge -- coldmem 32 text thp || tap_bail "coldmem race"
cm_start bulk 8 spmctl exec --group judge -- coldmem 64 text || tap_bail "coldmem bulk"
cm_send race 7 pounce 40 100
pressure_squeeze 16 || tap_bail "memhog could not hold node 0's memory and 16 MiB more"
pressure_stop
pounced=$(field "$(cm_reply race)" pounced)
on=$(field "$(cm race 7 where "$n")" pages)
audit=$(cat $d/audit) live=$(cat $d/measured_live)
tap_diag "$on of the huge pages' pages on node $n, overwritten $pounced times; audit: $audit"
tap_check "the sample measured every folio after it was unmapped ($live measured while still mapped)" \
	[ "$live" -eq 0 ]
echo 0 >$d/measure_delay_us
tap_check "a writer overwriting huge pages reclaim took ($pounced times): $on of their pages on node $n, none held at less than it measured ($audit)" \
	[ "$on" -gt 0 -a "$(field "$audit" short)" -eq 0 ]
tap_check "overwritten contents intact" \
	eval "[ \"\$(field \"\$(cm race 7 verify)\" ok)\" = 1 ] && [ \"\$(field \"\$(cm bulk 8 verify)\" ok)\" = 1 ]"
cm_stop race 7
cm_stop bulk 8

# --- huge pages the node refuses: with refuse_incompressible set it takes
# text and refuses random bytes, folio by folio. Reclaim meets the random
# huge pages first (older), then the text behind them.
echo 1 >$d/refuse_incompressible
refused0=$(cat $d/refused)
cm_start thp 7 spmctl exec --group judge -- coldmem 32 random thp || tap_bail "coldmem thp"
cm_start text 8 spmctl exec --group judge -- coldmem 64 text || tap_bail "coldmem text"
huge0=$(field "$(cm thp 7 huge)" huge)
pressure_squeeze 32 || tap_bail "memhog could not hold node 0's memory and 32 MiB more"
pressure_stop
sleep 1
huge=$(field "$(cm thp 7 huge)" huge)
refused=$(($(cat $d/refused) - refused0))
thp_on=$(field "$(cm thp 7 where "$n")" pages)
text_on=$(field "$(cm text 8 where "$n")" pages)
tap_diag "random THP: $huge0 huge pages, $thp_on pages on node $n, $refused folios refused; after: $huge huge; text: $text_on pages on node $n"
tap_check "the node refused the random huge pages ($refused folios, $thp_on pages taken) and took text behind them ($text_on pages)" \
	[ "$refused" -gt 0 -a "$thp_on" -eq 0 -a "$text_on" -gt 0 ]
tap_check "no huge page split by the refusals: $huge of $huge0 still mapped whole" \
	[ "$huge" -eq "$huge0" ]
tap_check "random huge pages and text intact" \
	eval "[ \"\$(field \"\$(cm thp 7 verify)\" ok)\" = 1 ] && [ \"\$(field \"\$(cm text 8 verify)\" ok)\" = 1 ]"
cm_stop thp 7
cm_stop text 8
echo 0 >$d/refuse_incompressible

# --- the task's cpuset bounds demotion too: two tasks of group judge, one in a
# cpuset whose cpuset.mems leaves node $n out
CG=/sys/fs/cgroup
[ -f $CG/cgroup.procs ] || mount -t cgroup2 none $CG
echo +cpuset >$CG/cgroup.subtree_control && mkdir $CG/dram-only && echo 0 >$CG/dram-only/cpuset.mems ||
	tap_bail "cannot make a cpuset of node 0 only"
cm_start free 7 spmctl exec --group judge -- coldmem 48 text || tap_bail "coldmem free"
cm_start bound 8 sh -c "echo \$\$ >$CG/dram-only/cgroup.procs && exec spmctl exec --group judge -- coldmem 48 text" ||
	tap_bail "coldmem bound"
pressure_squeeze 32 || tap_bail "memhog could not hold node 0's memory and 32 MiB more"
pressure_stop
free_on=$(field "$(cm free 7 where "$n")" pages)
bound_on=$(field "$(cm bound 8 where "$n")" pages)
tap_check "cpuset.mems without node $n: none of that task's pages demoted there ($bound_on), the other task's were ($free_on)" \
	[ "$bound_on" -eq 0 -a "$free_on" -gt 0 ]
cm_stop free 7
cm_stop bound 8
rmdir $CG/dram-only

# --- reclaim scope: without swap, a memory cgroup none of whose tasks
# demotes has no anonymous memory reclaim could take, demoting group or
# not: at its memory.max it goes to OOM without scanning it
echo +memory >$CG/cgroup.subtree_control && mkdir $CG/plain && echo 32M >$CG/plain/memory.max ||
	tap_bail "cannot make a memory cgroup"
sh -c "echo \$\$ >$CG/plain/cgroup.procs && exec timeout 120 memhog 64" >/dev/null 2>&1
scanned=$(awk '$1 == "pgscan" { print $2 }' $CG/plain/memory.stat)
kills=$(awk '$1 == "oom_kill" { print $2 }' $CG/plain/memory.events)
tap_check "a cgroup of no demoting task at its memory.max, no swap: OOM-killed ($kills) without scanning ($scanned pages scanned)" \
	[ "$kills" -eq 1 -a "$scanned" -eq 0 ]
rmdir $CG/plain
tap_exit
