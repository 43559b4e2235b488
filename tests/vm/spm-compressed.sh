#!/bin/sh
# The compressed-memory sample (SPM_CLASS_COMPRESSED, write-protected): a
# 510 MiB dax device with a 10% budget. Compressible pages demoted into it
# are charged their lz4 size; random pages their full size, and the budget
# is never exceeded: demotion is refused, pressure raised, then cleared once
# pages leave. Every mapping of its pages stays read-only across fork, THP
# and mprotect: each first write faults, the driver promotes the page to
# DRAM, and the contents are intact. Its debugfs knobs refuse bad input.
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

# squeeze NAME FD MIB: node 0 short by MIB MiB for a moment: NAME's pages
# are demoted; print how many are on the node afterwards
squeeze()
{
	pressure_squeeze "$3" || tap_bail "memhog could not hold node 0's memory and $3 MiB more"
	pressure_stop
	# reclaim may go on demoting until memhog is gone
	sleep 1
	field "$(cm "$1" "$2" where "$n")" pages
}

tap_plan 20
ko=$(find /lib/modules/"$(uname -r)" -name $DRV.ko)
dax=$(daxctl list | jq -r '.[0].chardev // empty')
n=$(cat /sys/bus/dax/devices/$dax/target_node)
# kmem claims the hmem dax device at boot: take it back
spm_devdax "$dax" || tap_bail "cannot take $dax back from kmem"

bad=
for v in 0 101; do
	insmod "$ko" budget_percent=$v || tap_bail "cannot load $DRV"
	spmctl online -d $DRV "$dax" >/dev/null 2>&1 && bad="$bad $v:bound"
	dmesg | grep -q "budget_percent=$v: must be 1 to 100" || bad="$bad $v:no-message"
	[ -d /sys/bus/spm/devices/spm$n ] && bad="$bad $v:node"
	[ "$(dax_driver "$dax")" = device_dax ] ||
		bad="$bad $v:left-unbound"
	rmmod $DRV
done
tap_check "budget_percent 0 and 101: the bind fails with a message, $dax stays with device_dax${bad:+ (not:$bad)}" \
	[ -z "$bad" ]

insmod "$ko" budget_percent=10 || tap_bail "cannot load $DRV"
spmctl online -d $DRV "$dax" >/dev/null || tap_bail "spmctl online -d $DRV $dax"
d=/sys/kernel/debug/$DRV/$dax
budget=$(cat $d/budget)
tap_check "node $n: class compressed, caps migration demotion write_protect, budget $((budget >> 20)) MiB" \
	eval "[ \"\$(spm_attr $n class)\" = compressed ] &&
	      [ \"\$(spm_attr $n caps)\" = 'migration demotion write_protect' ] &&
	      [ $budget -eq $(($(spm_attr $n size) / 10)) ] && [ ! -e /dev/spm$n ]"
spm_policy_mount
mkdir $POLICY/z && echo "$n" >$POLICY/z/spm.nodes && echo "$n" >$POLICY/z/memory.tier ||
	tap_bail "cannot create group z demoting into node $n"
echo true >/sys/kernel/mm/numa/demotion_enabled

# --- compressible: text pages, stored at their lz4 size
cm_start text 7 spmctl exec --group z -- coldmem 96 text || tap_bail "coldmem text"
on=$(squeeze text 7 64)
charged=$(cat $d/charged) stored=$(cat $d/stored_bytes) hw=$(cat $d/high_water)
ratio=$((stored * 100 / (charged ? charged : 1)))
tap_diag "text: $on pages on node $n, $((stored >> 10)) KiB stored in $((charged >> 10)) KiB: ratio $(printf "%d.%02d" $((ratio / 100)) $((ratio % 100))), high water $((hw >> 10)) KiB"
spm_result compressed-text "{\"pages\": $on, \"stored_bytes\": $stored, \"charged_bytes\": $charged, \"high_water_bytes\": $hw, \"budget_bytes\": $budget}"
tap_check "text pages demoted into node $n ($on > 0), each charged: stored_bytes = 4096 x stored_pages" \
	eval "[ $on -gt 0 ] && [ $stored -eq \$((\$(cat $d/stored_pages) * 4096)) ]"
tap_check "they compress: stored/charged = $(printf "%d.%02d" $((ratio / 100)) $((ratio % 100))) >= 2" [ "$ratio" -ge 200 ]
tap_check "demoted text intact" [ "$(field "$(cm text 7 verify)" ok)" = 1 ]

# --- no way around write-protection: UFFDIO_MOVE to another address, and
# MADV_PAGEOUT with the page held (vmsplice), which leaves it in the swap
# cache where a fault would map it back. Both before fork(), while the
# pages are still exclusive to the task, as those paths want.
wf=$(counter write_faults)
first=$(field "$(cm text 7 where "$n")" first)
out=$(cm text 7 uffdmove "$first" "$n")
tap_check "UFFDIO_MOVE of demoted page $first: the moved page stays read-only, the write faults (write_faults +$(($(counter write_faults) - wf))) and lands in DRAM ($out)" \
	eval "[ '$out' = 'move=ok in_place=0' ] && [ \$(counter write_faults) -gt $wf ]"
zram_swap 64M || tap_bail "cannot swap to zram0"
wf=$(counter write_faults)
first=$(field "$(cm text 7 where "$n")" first)
out=$(cm text 7 pageout "$first" "$n")
swapoff /dev/zram0
tap_check "MADV_PAGEOUT of demoted page $first, held by a pipe: not paged out (node $n is not reclaimed); read, then written: the write faults (+$(($(counter write_faults) - wf))) and lands in DRAM ($out)" \
	eval "[ '$out' = 'swapped=0 in_place=0' ] && [ \$(counter write_faults) -gt $wf ]"
wf=$(counter write_faults)
first=$(field "$(cm text 7 where "$n")" first)
out=$(cm text 7 poke "$first" "$n")
tap_check "a debugger's write (/proc/self/mem, FOLL_FORCE) into read-only demoted page $first: faults (+$(($(counter write_faults) - wf))) and lands in DRAM ($out)" \
	eval "[ '$out' = 'poke=ok in_place=0' ] && [ \$(counter write_faults) -gt $wf ]"
tap_check "demoted text intact after all three" [ "$(field "$(cm text 7 verify)" ok)" = 1 ]
on=$(field "$(cm text 7 where "$n")" pages)

# --- write-protection: fork, mprotect, then every first write faults once.
# The task's own stack and data pages may have been demoted too: their
# first writes fault as well, so the counts are at least the buffer's.
wf=$(counter write_faults)
out=$(cm text 7 fork 0 24576)
tap_check "fork: the child's writes to its copy of the $on demoted pages fault ($(($(counter write_faults) - wf))) and land in DRAM; the parent's stay on node $n, intact ($out)" \
	eval "[ \"\$(field '$out' ok)\" = 1 ] && [ \$((\$(counter write_faults) - wf)) -ge $on ] &&
	      [ \"\$(field \"\$(cm text 7 where $n)\" pages)\" -eq $on ]"
first=$(field "$(cm text 7 where "$n")" first)
echo refuse >$d/write_fault
out=$(cm text 7 write "$first" 1)
echo promote >$d/write_fault
tap_check "write_fault=refuse: a write to page $first, on node $n, gets SIGBUS and changes nothing ($out)" \
	eval "[ '$out' = 'pages=0 sigbus=1' ] && [ \"\$(field \"\$(cm text 7 verify)\" ok)\" = 1 ]"
wf=$(counter write_faults) pr=$(counter promotions)
out=$(cm text 7 mprotect)
out="$out $(cm text 7 write 0 24576)"
tap_check "after mprotect(PROT_READ) and back, every demoted page faults on write, is promoted and written in DRAM ($out, write_faults +$(($(counter write_faults) - wf)), promotions +$(($(counter promotions) - pr)))" \
	eval "[ \$((\$(counter write_faults) - wf)) -ge $on ] && [ \$((\$(counter promotions) - pr)) -ge $on ] &&
	      [ \"\$(field \"\$(cm text 7 where $n)\" pages)\" -eq 0 ] &&
	      [ \"\$(field \"\$(cm text 7 verify)\" ok)\" = 1 ]"
cm_stop text 7

# --- THP: a demoted huge page is written a page at a time
cm_start thp 7 spmctl exec --group z -- coldmem 32 text thp || tap_bail "coldmem thp"
on=$(squeeze thp 7 16)
first=$(field "$(cm thp 7 where "$n")" first)
wf=$(counter write_faults)
out=$(cm thp 7 uffdmovepmd "$first" "$n")
tap_check "THP: UFFDIO_MOVE of the demoted huge page around page $first, one PMD at once: it stays read-only, the write faults (+$(($(counter write_faults) - wf))) and lands in DRAM ($out)" \
	eval "[ '$out' = 'move=ok in_place=0 pmd=1' ] && [ \$(counter write_faults) -gt $wf ]"
on=$(field "$(cm thp 7 where "$n")" pages)
wf=$(counter write_faults)
out=$(cm thp 7 write 0 8192)
tap_check "THP: $on pages demoted; writing all 8192 faults at least once per demoted page ($(($(counter write_faults) - wf))), contents intact" \
	eval "[ $on -gt 0 ] && [ \$((\$(counter write_faults) - wf)) -ge $on ] &&
	      [ \"\$(field \"\$(cm thp 7 where $n)\" pages)\" -eq 0 ] &&
	      [ \"\$(field \"\$(cm thp 7 verify)\" ok)\" = 1 ]"
cm_stop thp 7

# --- incompressible: random pages; the budget holds
echo 0 >$d/high_water
raised=$(counter pressure_raised) cleared=$(counter pressure_cleared)
cm_start rand 7 spmctl exec --group z -- coldmem 96 random || tap_bail "coldmem random"
# Random pages fill the budget before node 0 gets its 64 MiB: the node then
# refuses them, and reclaim swaps (zram) instead. Without swap, the OOM
# killer would have to take memhog: reclaim keeps scanning the anonymous
# memory of every task while any group demotes, and under TCG that OOM
# comes only after many minutes.
zram_swap 256M || tap_bail "cannot swap to zram0"
pressure_squeeze 64 sh -c 'echo 1000 >/proc/self/oom_score_adj; exec "$@"' oom-first
pressure_stop
swapoff /dev/zram0
sleep 1
on=$(field "$(cm rand 7 where "$n")" pages)
charged=$(cat $d/charged) hw=$(cat $d/high_water) refused=$(cat $d/refused)
tap_diag "random: $on pages on node $n, $((charged >> 10)) KiB charged, high water $((hw >> 10)) KiB of $((budget >> 10)) KiB, $refused refused"
spm_result compressed-random "{\"pages\": $on, \"stored_bytes\": $(cat $d/stored_bytes), \"charged_bytes\": $charged, \"high_water_bytes\": $hw, \"budget_bytes\": $budget, \"refused\": $refused}"
tap_check "random pages fill the budget but never exceed it (high water $hw <= $budget)" \
	eval "[ $on -gt 0 ] && [ $hw -le $budget ] && [ $charged -le $budget ]"
tap_check "pressure raised (+$(($(counter pressure_raised) - raised))), demotions refused (by the driver $refused, under pressure: stats/refused $(counter refused), stats/demotions_refused $(counter demotions_refused))" \
	eval "[ \$(counter pressure_raised) -gt $raised ] &&
	      [ \$((refused + \$(counter refused) + \$(counter demotions_refused))) -gt 0 ]"
tap_check "random contents intact" [ "$(field "$(cm rand 7 verify)" ok)" = 1 ]
cm_stop rand 7
tap_check "its pages freed: nothing charged, pressure cleared (+$(($(counter pressure_cleared) - cleared)))" \
	eval "[ \$(cat $d/charged) -eq 0 ] && [ \$(spm_attr $n pressure) = 0 ] &&
	      [ \$(counter pressure_cleared) -gt $cleared ]"

# --- bad input
bad=
for v in abc '' 1 allow; do
	{ echo "$v" >$d/write_fault; } 2>/dev/null && bad="$bad write_fault:'$v'"
done
[ "$(cat $d/write_fault)" = promote ] || bad="$bad write_fault:changed"
{ echo 5 >$d/high_water; } 2>/dev/null && bad="$bad high_water:5"
{ echo 1 >/sys/bus/spm/devices/spm$n/pressure; } 2>/dev/null && bad="$bad pressure"
tap_check "debugfs write_fault and high_water and sysfs pressure refuse bad input${bad:+ (not:$bad)}" [ -z "$bad" ]
tap_check "spmctl stat $n shows the new counters" \
	eval "spmctl stat $n | jq -e '.[0].stats | has(\"write_faults\") and has(\"demotions_in\") and has(\"pressure_raised\")' >/dev/null"
tap_exit
