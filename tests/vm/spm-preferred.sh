#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What a preferred memory policy naming an SPM node places there: the
# granted task's own anonymous memory, and nothing it shares with others.
# Page cache it writes (tmpfs) or reads (ext2 on a RAM disk) is served to
# every other task and goes to DRAM, as under a local policy; so does the
# memory it faults into another task (process_vm_writev). What stays on
# the node once the task has exited (its own anonymous memory is freed
# then) is what it placed there for others. What it places is charged to
# its group until freed, and stays charged to that group when it moves.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 300
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/spm.sh

used()
{
	spm_used_pages "$n"
}

tap_plan 8
spm_sample_load
n=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
spm_policy_mount
mkdir $POLICY/pref && echo "$n" >$POLICY/pref/spm.nodes || tap_bail "cannot create group pref"
# a file on the RAM disk, written by a task with no policy, not in the cache
dd if=/dev/urandom of=/scratch/pref.file bs=1M count=8 2>/dev/null
sync
echo 3 >/proc/sys/vm/drop_caches

a=$(spm_attr "$n" stats/allocated)
out=$(spmctl exec --group pref -- prefmem "$n" 256)
tap_check "a granted task preferring node $n: its 256 anonymous pages there ($out; allocated +$(($(spm_attr "$n" stats/allocated) - a)))" \
	eval "[ \"\$(field '$out' on_node)\" = 256 ] && [ \$((\$(spm_attr $n stats/allocated) - a)) -ge 256 ]"
tap_check "it exited: nothing charged to its group any more ($(grep "^node$n " $POLICY/pref/stat))" \
	eval "[ \$(spm_group_stat pref $n placed) -eq 0 ] && [ \$(spm_group_stat pref $n pages) -eq 0 ]"

a=$(used)
spmctl exec --group pref -- prefmem -e "$n" dd if=/dev/zero of=/dev/shm/pref bs=1M count=8 2>/dev/null
tap_check "8 MiB it writes to a tmpfs file: not on node $n (used +$(($(used) - a)))" \
	[ "$(used)" -eq "$a" ]
rm -f /dev/shm/pref

a=$(used)
spmctl exec --group pref -- prefmem -e "$n" cat /scratch/pref.file >/dev/null
tap_check "8 MiB of page cache it reads from ext2: not on node $n (used +$(($(used) - a)))" \
	[ "$(used)" -eq "$a" ]
rm -f /scratch/pref.file

# another task's memory, faulted in by the granted task: process_vm_writev()
a=$(used)
rm -f /tmp/pref-target.out
prefmem -w 64 0 1 >/tmp/pref-target.out &
target=$!
wait_for /tmp/pref-target.out ready
more=$(sed -n 's/^more=//p' /tmp/pref-target.out)
out=$(spmctl exec --group pref -- prefmem -e "$n" vmwrite "$target" "$more" $((64 * 4096)) 2>&1)
kill -USR1 $target
wait_for /tmp/pref-target.out again
wait $target
tap_check "64 pages it writes into a task in no group (process_vm_writev): on node 0, not node $n ($out; $(tail -n 1 /tmp/pref-target.out); used +$(($(used) - a)))" \
	eval "[ '$out' = written=262144 ] && grep -q 'more_on_node=64' /tmp/pref-target.out &&
	      [ \$(used) -eq $a ]"
# charged while held; the charge stays with the group that placed them
mkdir $POLICY/other && echo "$n" >$POLICY/other/spm.nodes
rm -f /tmp/pref-held
spmctl exec --group pref -- prefmem -w 0 "$n" 256 >/tmp/pref-held &
held=$!
wait_for /tmp/pref-held ready
p=$(spm_group_stat pref "$n" placed)
tap_check "a task holding 256 preferred pages: charged to pref ($(grep "^node$n " $POLICY/pref/stat))" \
	eval "[ $p -ge 256 ] && [ $p -le 512 ] && [ \$(spm_group_stat pref $n pages) -eq $p ]"
echo $held >$POLICY/other/tasks
tap_check "moved to group other: still charged to pref, not other; rmdir pref refused" \
	eval "[ \$(spm_group_stat pref $n placed) -eq $p ] && [ \$(spm_group_stat other $n placed) -eq 0 ] &&
	      ! rmdir $POLICY/pref 2>/dev/null && [ -d $POLICY/pref ]"
kill -USR1 $held
wait $held
tap_check "its exit uncharges them: pref placed 0 ($(grep "^node$n " $POLICY/pref/stat)); rmdir pref and other" \
	eval "[ \$(spm_group_stat pref $n placed) -eq 0 ] && rmdir $POLICY/pref && rmdir $POLICY/other"
tap_exit
