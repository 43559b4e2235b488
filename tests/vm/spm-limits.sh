#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What a group's pages are charged to, and how much it may hold. spm.max
# limits a group's pages on a node, mapped from /dev/spm<nid> or placed by
# a preferred policy; a fault beyond it gets SIGBUS, a preferred policy
# falls back to DRAM, and lowering it takes nothing back. A page another
# process faults into a mapping (process_vm_writev()) is charged to the
# group that mapped it, not to the writer's. The kernel's memory for each
# mapping is charged to the mapper's memory cgroup. Bad input to spm.max
# is refused and changes nothing.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 300
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/spm.sh

tap_plan 13
spm_sample_load
n=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
spm_policy_mount
mkdir $POLICY/lim $POLICY/writer || tap_bail "cannot create groups"
echo "$n" >$POLICY/lim/spm.nodes && echo "$n" >$POLICY/writer/spm.nodes ||
	tap_bail "cannot grant node $n"

tap_check "spm.max: no limit on any SPM node by default ($(grep "^$n " $POLICY/lim/spm.max))" \
	grep -qx "$n max" $POLICY/lim/spm.max

# bad input: refused, nothing changes
before=$(cat $POLICY/lim/spm.max)
bad=""
for v in "$n" "$n " " 64K" "+$n 64K" "$n -4096" "$n +4096" "$n 0x1000" "$n 64K junk" \
	 "$n 64Q" "$n maximum" "0 64K" "99 64K" "$n 64K
$n 64K"; do
	[ -n "$(write_error "'$v'" $POLICY/lim/spm.max)" ] || bad="$bad '$v'"
done
printf '%s 64K\0junk' "$n" >$POLICY/lim/spm.max 2>/dev/null && bad="$bad NUL"
tap_check "spm.max refuses a missing, signed, hex, suffixed-junk, non-SPM or two-line value (accepted:$bad)" \
	eval "[ -z \"$bad\" ] && [ \"\$(cat $POLICY/lim/spm.max)\" = \"$before\" ]"
out=$(su -s /bin/sh spmuser -c "echo '$n 64K' >$POLICY/lim/spm.max" 2>&1 | sed 's/.*: //')
tap_check "spmuser cannot set a limit ($out)" grep -qx "$n max" $POLICY/lim/spm.max

# /dev/spm: 16 pages, then SIGBUS
echo "$n 64K" >$POLICY/lim/spm.max
r=$(spm_group_stat lim "$n" refused)
out=$(spmctl exec --group lim -- spmmap "$n" 32)
tap_check "spm.max '$n 64K': 16 of 32 pages of /dev/spm$n, then SIGBUS ($out)" \
	eval "echo '$out' | grep -q 'touched=16 sigbus=1 intact=16' &&
	      [ \$(spm_group_stat lim $n refused) -eq $((r + 1)) ] && [ \$(spm_group_stat lim $n pages) -eq 0 ]"

# lowering the limit takes nothing back
echo "$n 128K" >$POLICY/lim/spm.max
rm -f /tmp/lim-held
spmctl exec --group lim -- spmmap -w 8 "$n" 24 >/tmp/lim-held &
held=$!
wait_for /tmp/lim-held ready || tap_bail "spmmap -w did not start: $(cat /tmp/lim-held)"
echo "$n 16K" >$POLICY/lim/spm.max
kill -USR1 $held
wait_for /tmp/lim-held again
wait $held
tap_check "a limit lowered below what the group holds: its 24 pages intact, no new one ($(tail -n 1 /tmp/lim-held))" \
	grep -q 'again intact=24 touched=0 sigbus=1' /tmp/lim-held
tap_check "held pages freed: lim holds none on node $n" [ "$(spm_group_stat lim "$n" pages)" -eq 0 ]

# a preferred policy falls back to DRAM at the limit
echo "$n 256K" >$POLICY/lim/spm.max
out=$(spmctl exec --group lim -- prefmem "$n" 256)
on=$(field "$out" on_node)
tap_check "prefmem of 256 pages with spm.max '$n 256K': $on on node $n (64 at most), all intact ($out)" \
	eval "[ $on -le 64 ] && [ $on -ge 1 ] && echo '$out' | grep -q 'touched=256 intact=256'"
echo "$n max" >$POLICY/lim/spm.max
out=$(spmctl exec --group lim -- prefmem "$n" 256)
tap_check "spm.max '$n max' again: prefmem's 256 pages on node $n ($out)" \
	eval "[ $(field "$out" on_node) -eq 256 ]"

# process_vm_writev() into an untouched mapping: charged to the mapper's group
rm -f /tmp/lim-target
spmctl exec --group lim -- spmmap -w 16 "$n" 0 >/tmp/lim-target &
target=$!
wait_for /tmp/lim-target ready || tap_bail "spmmap -w did not start: $(cat /tmp/lim-target)"
more=$(sed -n 's/^more=//p' /tmp/lim-target)
out=$(spmctl exec --group writer -- vmwrite "$target" "$more" $((16 * 4096)) 2>&1)
tap_check "16 pages another group's task writes into lim's mapping: charged to lim ($out; lim $(spm_group_stat lim "$n" pages), writer $(spm_group_stat writer "$n" pages))" \
	eval "[ '$out' = written=65536 ] && [ \$(spm_group_stat lim $n pages) -eq 16 ] &&
	      [ \$(spm_group_stat writer $n pages) -eq 0 ]"
kill -USR1 $target
wait_for /tmp/lim-target again
wait $target
rm -f /tmp/lim-target
spmctl exec --group lim -- spmmap -w 4 "$n" 0 >/tmp/lim-target &
target=$!
wait_for /tmp/lim-target ready || tap_bail "spmmap -w did not start: $(cat /tmp/lim-target)"
more=$(sed -n 's/^more=//p' /tmp/lim-target)
out=$(vmwrite "$target" "$more" $((4 * 4096)) 2>&1)
tap_check "a task in no group writes into lim's mapping: allowed, charged to lim ($out)" \
	eval "[ '$out' = written=16384 ] && [ \$(spm_group_stat lim $n pages) -eq 4 ]"
echo "$n 0" >$POLICY/lim/spm.max
kill -USR1 $target
wait_for /tmp/lim-target again
wait $target
tap_check "the mapper's own touch of those pages needs no new page ($(tail -n 1 /tmp/lim-target))" \
	grep -q 'again intact=0 touched=4 sigbus=0' /tmp/lim-target
echo "$n max" >$POLICY/lim/spm.max

# the kernel's memory per mapping, in the mapper's memory cgroup
CG=/sys/fs/cgroup
[ -f $CG/cgroup.procs ] || mount -t cgroup2 none $CG
echo +memory >$CG/cgroup.subtree_control
head -c 4096 /dev/zero >/dev/shm/one-page
# weigh FILE: memory.current of a new cgroup whose task maps FILE 20000 times
weigh()
{
	local cg=$CG/weigh$$ out=/tmp/weigh.out pid bytes
	mkdir $cg
	rm -f $out
	sh -c "echo \$\$ >$cg/cgroup.procs && exec spmctl exec --group lim -- mapmany $1 20000" >$out &
	pid=$!
	wait_for $out ready || { cat $out >&2; kill $pid; wait $pid 2>/dev/null; rmdir $cg; return 1; }
	bytes=$(cat $cg/memory.current)
	kill $pid
	wait $pid 2>/dev/null
	rmdir $cg
	echo "$bytes"
}
shm=$(weigh /dev/shm/one-page)
spm=$(weigh /dev/spm$n)
tap_check "20000 mappings of /dev/spm$n: $spm bytes in the mapper's memcg, of a tmpfs file $shm (+$(((spm - shm) / 20000)) each)" \
	[ $((spm - shm)) -ge $((20000 * 64)) ]
rm -f /dev/shm/one-page

rmdir $POLICY/lim $POLICY/writer
tap_check "groups removed: nothing left charged" [ ! -d $POLICY/lim ]
tap_exit
