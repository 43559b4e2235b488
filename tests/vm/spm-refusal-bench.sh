#!/bin/sh
# What a demotion target that refuses everything costs reclaim. A task of
# group z holds 96 MiB of text; node 0 is squeezed by 64 MiB, and reclaim
# swaps to zram. Timed three times each, alternately:
#  - base: no group demotes (memory.tier none), as with no SPM node at all;
#  - refusing: z demotes into CXL node N, whose owner's admit() refuses
#    every allocation (the CXL sample's admit_limit).
# The refusals happen before anything is allocated or copied, and cost a
# folio nothing but its swap-out: the ratio of the medians is the figure
# (build/results), not a pass/fail threshold. The points check what must
# hold whatever the timing: every refusal counted, nothing demoted, the
# data swapped and intact, huge pages of the task not split.
# SPM-TOPOLOGY: cxl-single
# SPM-TIMEOUT: 900
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/pressure.sh
. /spm/lib/spm.sh
. /spm/lib/coldmem.sh

counter()
{
	spm_attr "$n" "stats/$1"
}

# hundredths of a second since boot
now_cs()
{
	tr -d . </proc/uptime | cut -d' ' -f1
}

# median A B C
median()
{
	printf '%s\n' "$@" | sort -n | sed -n 2p
}

# squeeze_once TIER: time (cs) to squeeze node 0 by 64 MiB with group z's
# memory.tier at TIER; checks the task's data afterwards
squeeze_once()
{
	local t0 t1 ok
	echo "$1" >$POLICY/z/memory.tier
	cm_start job 7 spmctl exec --group z -- coldmem 96 text thp || tap_bail "coldmem"
	t0=$(now_cs)
	pressure_squeeze 64 || tap_bail "memhog could not hold node 0's memory and 64 MiB more"
	t1=$(now_cs)
	pressure_stop
	ok=$(field "$(cm job 7 verify)" ok)
	ON=$((ON + $(field "$(cm job 7 where "$n")" pages)))
	[ "$ok" = 1 ] || BAD="$BAD $1"
	cm_stop job 7
	echo "$((t1 - t0))"
}

tap_plan 4
spm_sample_load
n=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
d=$SPM_SAMPLE_DEBUGFS/$(cxl_devdax mem0)
spm_policy_mount
mkdir $POLICY/z && echo "$n" >$POLICY/z/spm.nodes || tap_bail "cannot create group z"
echo true >/sys/kernel/mm/numa/demotion_enabled
zram_swap 512M || tap_bail "cannot swap to zram0"
# the owner holds one page and admits nothing beyond it
echo 1 >$d/hold && echo 1 >$d/admit_limit || tap_bail "cannot make the owner refuse"

ON=0 BAD=
refused0=$(counter demotions_refused)
b1=$(squeeze_once none) r1=$(squeeze_once "$n")
b2=$(squeeze_once none) r2=$(squeeze_once "$n")
b3=$(squeeze_once none) r3=$(squeeze_once "$n")
refused=$(($(counter demotions_refused) - refused0))
base=$(median "$b1" "$b2" "$b3") refusing=$(median "$r1" "$r2" "$r3")
ratio=$((refusing * 100 / (base ? base : 1)))
tap_diag "squeeze by 64 MiB, in 1/100 s: base $b1 $b2 $b3 (median $base), refusing $r1 $r2 $r3 (median $refusing): ratio $(printf '%d.%02d' $((ratio / 100)) $((ratio % 100)))"
spm_result refusal-bench "{\"base_cs\": [$b1, $b2, $b3], \"refusing_cs\": [$r1, $r2, $r3], \"ratio_pct\": $ratio, \"refused_pages\": $refused}"
tap_check "the node refused demotions ($refused pages refused) and took none ($ON pages on node $n)" \
	[ "$refused" -gt 0 -a "$ON" -eq 0 ]
tap_check "reclaim swapped instead ($(awk '$1 == "/dev/zram0" { print $4 }' /proc/swaps) KiB in zram after the last run)" \
	[ "$(awk '$1 == "/dev/zram0" { print $4 }' /proc/swaps)" -gt 0 ]
tap_check "every task's data intact${BAD:+ (not with tier:$BAD)}" [ -z "$BAD" ]
swapoff /dev/zram0
used=$(spm_attr "$n" used)
echo 0 >$d/admit_limit && echo 1 >$d/release
tap_check "the refusals left the node's books as they were: used $used (the page the owner holds), $(spm_attr "$n" used) once it let it go" \
	[ "$used" -eq 4096 -a "$(spm_attr "$n" used)" -eq 0 ]
tap_exit
