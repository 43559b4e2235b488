#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Memory failure on an SPM node: madvise(MADV_HWPOISON) on a page a task
# placed there (a memory policy preferring the node its group grants)
# reaches the node's owner through its memory_failure op, once, and is
# counted in stats/memory_failures and traced (spm:spm_memory_failure).
# The kernel handles the page as on any node: the task gets SIGBUS
# (BUS_MCEERR_AR) and the page is taken out of use. Nothing else is
# affected: the task's other pages, the owner's own pages, the other SPM
# node. Unpoisoning gives the page back.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 300
. /spm/lib/tap.sh
. /spm/lib/output.sh
. /spm/lib/cxl.sh
. /spm/lib/spm.sh

TRACING=/sys/kernel/tracing
HWPOISON=/sys/kernel/debug/hwpoison
BUS_MCEERR_AR=4

tap_plan 10
spm_sample_load
a=$(spm_online_memdev mem1) && b=$(spm_online_memdev mem0)
[ -n "$a" ] && [ -n "$b" ] || tap_bail "cannot make mem0 and mem1 SPM nodes"
d=$SPM_SAMPLE_DEBUGFS/$(cxl_devdax mem0)
[ -d "$d" ] || tap_bail "no sample debugfs for node $b"

spm_policy_mount
mkdir $POLICY/mf
echo "$b" >$POLICY/mf/spm.nodes
[ -d $TRACING/events ] || mount -t tracefs nodev $TRACING
echo >$TRACING/trace
echo 1 >$TRACING/events/spm/spm_memory_failure/enable

held=$(cat $d/hold)
echo 16 >$d/hold
used=$(spm_used_pages "$b")
mfa=$(spm_attr "$a" stats/memory_failures)
mfb=$(spm_attr "$b" stats/memory_failures)
poisoned=$(cat $d/poisoned)

out=$(spmctl exec --group mf -- hwpoison "$b" 64 10)
before=$(echo "$out" | sed -n 1p)
after=$(echo "$out" | sed -n 2p)
pfn=$(field "$before" pfn)
tap_check "a task's 64 pages on node $b ($before)" [ "$(field "$before" on_node)" = 64 ]
tap_check "MADV_HWPOISON on one: the task gets SIGBUS BUS_MCEERR_AR, again on touching it ($after)" \
	eval "[ '$(field "$after" madvise)' = ok ] && [ '$(field "$after" sigbus)' = 1 ] &&
	      [ '$(field "$after" code)' = $BUS_MCEERR_AR ] && [ '$(field "$after" again)' = sigbus ]"
tap_check "its other 63 pages intact, still on node $b" \
	eval "[ '$(field "$after" intact)' = 63 ] && [ '$(field "$after" on_node)' = 63 ]"
tap_check "the owner heard, once: poisoned $poisoned -> $(cat $d/poisoned), at $(cat $d/last_poison)" \
	eval "[ $(cat $d/poisoned) -eq $((poisoned + 1)) ] &&
	      [ \$(($(cat $d/last_poison))) -eq \$(($pfn * 4096)) ]"
tap_check "stats/memory_failures: node $b +1, node $a unchanged" \
	eval "[ $(spm_attr "$b" stats/memory_failures) -eq $((mfb + 1)) ] &&
	      [ $(spm_attr "$a" stats/memory_failures) -eq $mfa ]"
ev=$(grep -o "spm_memory_failure: .*" $TRACING/trace)
tap_check "traced: $ev" \
	eval "[ \"\$(echo '$ev' | wc -l)\" -eq 1 ] && echo '$ev' | grep -q \"node=$b pfn=$pfn \""
tap_check "the owner's own 16 pages intact, and the node still serves it" \
	eval "[ \$(cat $d/verify) = 1 ] && echo 8 >$d/hold && [ \$(cat $d/hold) -eq $((held + 24)) ]"
tap_check "the page stays out of use after the task exits: node $b holds it" \
	[ "$(spm_used_pages "$b")" -eq $((used + 8 + 1)) ]
tap_check "a second report of the same page does not reach the owner again" \
	eval "echo $pfn >$HWPOISON/corrupt-pfn 2>/dev/null; [ \$(cat $d/poisoned) -eq $((poisoned + 1)) ]"
echo "$pfn" >$HWPOISON/unpoison-pfn
echo 24 >$d/release
tap_check "unpoisoned: the page is free again, node $b back to its use before" \
	eval "sleep 1; [ \$(spm_used_pages $b) -eq $((used - 16)) ]"

echo 0 >$TRACING/events/spm/spm_memory_failure/enable
rmdir $POLICY/mf
tap_exit
