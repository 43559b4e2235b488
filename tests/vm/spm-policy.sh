#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Policy groups and the user allocation path on two CXL SPM nodes: a task
# gets pages of an SPM node through /dev/spm<nid> only if its policy group
# grants the node; children inherit the group; revoking stops new pages at
# once and keeps the held ones; two groups on two nodes stay apart; an
# unprivileged task can neither join nor escape; a cpuset without the node
# wins over the group; a memory policy may prefer a granted node, never bind
# to it, and its pages are evacuated when the node goes; bad input changes
# nothing.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 600
. /spm/lib/tap.sh
. /spm/lib/output.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/spm.sh

# as_user CMD: run a shell command as the unprivileged spmuser
as_user()
{
	su -s /bin/sh spmuser -c "$1"
}

tap_plan 57
spm_sample_load
a=$(spm_online_memdev mem1) && b=$(spm_online_memdev mem0)
[ -n "$a" ] && [ -n "$b" ] || tap_bail "cannot make mem0 and mem1 SPM nodes"
tap_check "two SPM nodes with user mappings: $a and $b" \
	eval "grep -qw user_map /sys/bus/spm/devices/spm$a/caps &&
	      grep -qw user_map /sys/bus/spm/devices/spm$b/caps && [ -c /dev/spm$a -a -c /dev/spm$b ]"
ua=$(spm_used_pages $a)

# --- the file system
tap_check "mount -t policy none $POLICY" spm_policy_mount
mkdir $POLICY/db $POLICY/batch
tap_check "mkdir db batch: each has tasks procs spm.nodes spm.max memory.tier stat" \
	eval "[ \"\$(ls $POLICY/db | xargs)\" = 'memory.tier procs spm.max spm.nodes stat tasks' ] &&
	      [ \"\$(ls $POLICY/batch | xargs)\" = 'memory.tier procs spm.max spm.nodes stat tasks' ]"
tap_check "a new group grants nothing: spm.nodes empty, memory.tier none, no tasks" \
	eval "[ -z \"\$(cat $POLICY/db/spm.nodes)\" ] && [ \"\$(cat $POLICY/db/memory.tier)\" = none ] &&
	      [ -z \"\$(cat $POLICY/db/tasks)\" ]"
tap_check "groups do not nest; names are unique" \
	eval "fails mkdir $POLICY/db/sub && fails mkdir $POLICY/db"

# --- default deny
out=$(spmmap $a 10)
tap_check "a task in no group: mmap of /dev/spm$a refused ($out)" [ "$out" = mmap=EPERM ]
out=$(spmctl exec --group batch -- spmmap $a 10)
tap_check "a task in a group without the grant: refused ($out)" [ "$out" = mmap=EPERM ]
tap_check "nothing landed on node $a, the refusal is in batch's stat" \
	eval "[ $(spm_used_pages $a) -eq $ua ] && [ \"\$(spm_group_stat batch $a refused)\" -eq 1 ]"

# --- grant
echo $a >$POLICY/db/spm.nodes
tap_check "db granted node $a" [ "$(cat $POLICY/db/spm.nodes)" = "$a" ]
out=$(spmctl exec --group db -- spmmap $a 100)
tap_check "granted: 100 pages, all on node $a, intact ($out)" \
	[ "$out" = "mmap=ok touched=100 sigbus=0 intact=100 on_node=100" ]
tap_check "unmapped: node $a and db's stat back to their usage before" \
	eval "[ $(spm_used_pages $a) -eq $ua ] && [ \"\$(spm_group_stat db $a pages)\" -eq 0 ]"
out=$(spmctl exec --group db -- spmmap -p $a 1; spmctl exec --group db -- spmmap -o $a 1)
tap_check "MAP_PRIVATE and a non-zero offset: EINVAL ($(echo $out))" \
	[ "$(echo $out)" = "mmap=EINVAL mmap=EINVAL" ]
out=$(spmctl exec --group db -- spmmap -r $a 20)
tap_check "opened read-only, MAP_SHARED PROT_READ: 20 zeroed pages on node $a ($out)" \
	[ "$out" = "mmap=ok touched=20 sigbus=0 intact=20 on_node=20" ]

# --- fork inheritance, and the group's stat against the node's counters
rm -f /tmp/held /tmp/held.pid
spmctl exec --group db -- sh -c "spmmap -w 1 $a 50 >/tmp/held & echo \$! >/tmp/held.pid; wait" &
wait_for /tmp/held ready
pid=$(cat /tmp/held.pid)
tap_check "a child inherits its parent's group (pid $pid in db/tasks) and got 50 pages" \
	eval "grep -qx $pid $POLICY/db/tasks && grep -q 'touched=50 sigbus=0 intact=50 on_node=50' /tmp/held"
tap_check "db's stat: 50 pages on node $a = the node's usage change ($(spm_used_pages $a) - $ua)" \
	eval "[ \"\$(spm_group_stat db $a pages)\" -eq 50 ] && [ $(($(spm_used_pages $a) - ua)) -eq 50 ]"
tap_check "rmdir of a group with tasks: EBUSY" fails rmdir $POLICY/db
tap_check "spmctl offline of node $a with user pages mapped: refused, node stays" \
	eval "fails spmctl offline spm$a && [ -d /sys/bus/spm/devices/spm$a ]"

# --- revoke mid-run: held pages stay, the next new page is refused
echo >$POLICY/db/spm.nodes
kill -USR1 "$pid"
wait_for /tmp/held again
tap_check "revoked mid-run: the 50 held pages intact, the next new page SIGBUS ($(tail -n 1 /tmp/held))" \
	grep -q 'again intact=50 touched=0 sigbus=1' /tmp/held
wait
tap_check "the revoked pages were freed with the mapping: db holds 0, node $a back" \
	eval "[ \"\$(spm_group_stat db $a pages)\" -eq 0 ] && [ $(spm_used_pages $a) -eq $ua ]"
tap_check "rmdir of an empty group works, mkdir again" \
	eval "rmdir $POLICY/db && [ ! -e $POLICY/db ] && mkdir $POLICY/db"

# --- two groups on two nodes stay apart
echo $a >$POLICY/db/spm.nodes
echo $b >$POLICY/batch/spm.nodes
ub=$(spm_used_pages $b)
oa=$(spmctl exec --group db -- spmmap $a 64)
ob=$(spmctl exec --group batch -- spmmap $b 32)
tap_check "db on node $a ($oa), batch on node $b ($ob)" \
	eval "[ \"$oa\" = 'mmap=ok touched=64 sigbus=0 intact=64 on_node=64' ] &&
	      [ \"$ob\" = 'mmap=ok touched=32 sigbus=0 intact=32 on_node=32' ]"
tap_check "neither reaches the other's node" \
	eval "[ \"\$(spmctl exec --group db -- spmmap $b 1)\" = mmap=EPERM ] &&
	      [ \"\$(spmctl exec --group batch -- spmmap $a 1)\" = mmap=EPERM ]"

# --- unprivileged tasks
tap_check "spmuser cannot join a group (tasks is root's)" \
	fails as_user "echo 0 >$POLICY/db/tasks"
tap_check "spmuser cannot create groups or grant nodes" \
	eval "fails as_user 'mkdir $POLICY/mine' && fails as_user 'echo $b >$POLICY/db/spm.nodes' &&
	      [ ! -e $POLICY/mine ] && [ \"\$(cat $POLICY/db/spm.nodes)\" = $a ]"
chown spmuser $POLICY/db $POLICY/db/tasks $POLICY/db/procs
out=$(as_user "echo 0 >$POLICY/db/tasks && spmmap $a 8")
tap_check "delegated db (chown): spmuser joins it and allocates ($out)" \
	[ "$out" = "mmap=ok touched=8 sigbus=0 intact=8 on_node=8" ]
sleep 1000 &
rootpid=$!
tap_check "delegated, spmuser still cannot move root's task" \
	eval "fails as_user 'echo $rootpid >$POLICY/db/tasks' && ! grep -qx $rootpid $POLICY/db/tasks"
tap_check "delegated, spmuser still cannot change db's grants" \
	eval "fails as_user 'echo $b >$POLICY/db/spm.nodes' && [ \"\$(cat $POLICY/db/spm.nodes)\" = $a ]"
rm -f /tmp/upid
as_user "echo \$\$ >/tmp/upid; exec sleep 1000" &
wait_for /tmp/upid .
upid=$(cat /tmp/upid)
echo "$upid" >$POLICY/batch/tasks
tap_check "delegated db: spmuser cannot take its own task out of root's group batch into db" \
	eval "fails as_user 'echo $upid >$POLICY/db/tasks' && grep -qx $upid $POLICY/batch/tasks"
kill "$upid"
tap_check "uid 0 without CAP_SYS_ADMIN cannot move its task through root's tasks files" \
	eval "fails nocap sh -c 'echo \$\$ >$POLICY/batch/tasks' && fails nocap sh -c 'echo 0 >$POLICY/tasks' &&
	      ! grep -qx \$\$ $POLICY/batch/tasks"
rm -f /tmp/opener.pid
as_user "exec 3>>$POLICY/db/tasks; echo \$\$; exec sleep 1000" >/tmp/opener.pid &
wait_for /tmp/opener.pid .
out=$(fdwrite "$(cat /tmp/opener.pid)" 3 $rootpid)
tap_check "root writing through spmuser's open tasks file cannot move root's task ($out)" \
	eval "[ '$out' = write=EPERM ] && ! grep -qx $rootpid $POLICY/db/tasks"
kill "$(cat /tmp/opener.pid)" $rootpid
as_user "echo 0 >$POLICY/db/tasks && numactl --membind=$a true" 2>/dev/null
tap_check "spmuser in db cannot escape through numactl --membind=$a" [ $? -ne 0 ]
as_user "echo 0 >$POLICY/db/tasks && numasys $a" >/tmp/numasys.out
tap_check "... nor raw set_mempolicy/mbind/migrate_pages/move_pages: $(xargs </tmp/numasys.out)" \
	[ "$(grep -c -v ' ok$' /tmp/numasys.out)" -eq 4 ]
as_user "echo 0 >$POLICY/db/tasks && numasys -m $a" >/tmp/numasys.out
tap_check "... a bind mask {0,$a} and set_mempolicy_home_node($a) are taken, node $a ignored: $(xargs </tmp/numasys.out)" \
	eval "grep -qx 'mixed_bind ok on=0' /tmp/numasys.out && grep -qx 'home_node ok on=0' /tmp/numasys.out"
tap_check "spmuser in no group is refused node $a" \
	eval "[ \"\$(as_user 'spmmap $a 1')\" = mmap=EPERM ]"

# --- bad input on every policy file leaves it unchanged
cat $POLICY/db/tasks >/tmp/tasks.before
bad=
for v in abc -5 99999999 999999999999 2 ''; do
	{ echo "$v" >$POLICY/db/tasks; } 2>/dev/null && bad="$bad tasks:'$v'"
done
cmp -s /tmp/tasks.before $POLICY/db/tasks || bad="$bad tasks:changed"
for v in abc 0 1- 63 99999 "$a,0"; do
	{ echo "$v" >$POLICY/db/spm.nodes; } 2>/dev/null && bad="$bad spm.nodes:'$v'"
done
[ "$(cat $POLICY/db/spm.nodes)" = "$a" ] || bad="$bad spm.nodes:changed"
for v in abc 0 "$b" -1 "$a,$b"; do
	{ echo "$v" >$POLICY/db/memory.tier; } 2>/dev/null && bad="$bad memory.tier:'$v'"
done
[ "$(cat $POLICY/db/memory.tier)" = none ] || bad="$bad memory.tier:changed"
# a granted node that takes demotion is accepted, and "none" resets it
{ echo "$a" >$POLICY/db/memory.tier && [ "$(cat $POLICY/db/memory.tier)" = "$a" ] &&
	echo none >$POLICY/db/memory.tier; } 2>/dev/null || bad="$bad memory.tier:$a-refused"
{ echo x >$POLICY/db/stat; } 2>/dev/null && bad="$bad stat"
tap_check "garbage, overflow, dead and kernel-thread pids, non-SPM, absent and ungranted nodes: all refused, nothing changed${bad:+ (not:$bad)}" \
	[ -z "$bad" ]
# hostile bytes: a NUL, a second line, a sign, a name too long; one write each
bad=
hostile()
{
	local file=$1 desc=$2
	shift 2
	# shellcheck disable=SC2059
	{ printf "$@" >"$file"; } 2>/dev/null && bad="$bad $(basename "$file"):$desc"
}
hostile $POLICY/batch/tasks "PID-NUL-junk" '%s\000junk' $$
hostile $POLICY/batch/tasks "+PID" '+%s' $$
hostile $POLICY/batch/tasks "PID-NL-PID" '%s\n%s\n' $$ $$
grep -qx $$ $POLICY/batch/tasks && bad="$bad tasks:moved"
hostile $POLICY/db/spm.nodes "$b-NUL-,0" '%s\000,0' "$b"
hostile $POLICY/db/spm.nodes "NUL" '\000'
hostile $POLICY/db/spm.nodes "$b-NL-0" '%s\n0' "$b"
hostile $POLICY/db/spm.nodes "$b-NL-xyz" '%s\nxyz\n' "$b"
dd if=/dev/zero of=$POLICY/db/spm.nodes bs=4096 count=1 2>/dev/null && bad="$bad spm.nodes:4096-NULs"
[ "$(cat $POLICY/db/spm.nodes)" = "$a" ] || bad="$bad spm.nodes:changed"
hostile $POLICY/db/memory.tier "$a-NUL-junk" '%s\000junk' "$a"
hostile $POLICY/db/memory.tier "+$a" '+%s' "$a"
[ "$(cat $POLICY/db/memory.tier)" = none ] || bad="$bad memory.tier:changed"
name=$(printf '%0255d' 0)
mkdir "$POLICY/${name}x" 2>/dev/null && bad="$bad mkdir:256-bytes"
{ mkdir "$POLICY/$name" && rmdir "$POLICY/$name"; } 2>/dev/null || bad="$bad mkdir:255-bytes-refused"
tap_check "NUL bytes, second lines, signs, 256-byte names: all refused, nothing changed${bad:+ (not:$bad)}" \
	[ -z "$bad" ]
tap_check "moving a task out: written to the root's tasks" \
	eval "echo $$ >$POLICY/db/tasks && grep -qx $$ $POLICY/db/tasks &&
	      echo $$ >$POLICY/tasks && ! grep -qx $$ $POLICY/db/tasks && grep -qx $$ $POLICY/tasks"

# --- spmctl group
tap_check "spmctl group list db: nodes $a, stat for node $a" \
	eval "spmctl group list db >/tmp/g.json &&
	      [ \"\$(jq -r '.[0].nodes' /tmp/g.json)\" = $a ] &&
	      [ \"\$(jq -r \".[0].stat[] | select(.node == $a) | .granted\" /tmp/g.json)\" = true ]"
tap_check "spmctl group create with a non-SPM node: refused, no group left behind" \
	eval "fails spmctl group create web --nodes 0 && [ ! -e $POLICY/web ]"
tap_check "spmctl group create/set/add/delete" \
	eval "spmctl group create web --nodes $b && [ \"\$(cat $POLICY/web/spm.nodes)\" = $b ] &&
	      spmctl group set web --nodes '' && [ -z \"\$(cat $POLICY/web/spm.nodes)\" ] &&
	      spmctl group add web $$ && grep -qx $$ $POLICY/web/tasks &&
	      echo $$ >$POLICY/tasks && spmctl group delete web && [ ! -e $POLICY/web ]"

# --- concurrent group changes while tasks allocate
echo $a >$POLICY/db/spm.nodes
echo "$a,$b" >$POLICY/batch/spm.nodes
i=0
while [ $i -lt 4 ]; do
	spmctl exec --group db -- sh -c "n=0; while [ \$n -lt 30 ]; do spmmap $a 40 >/dev/null; n=\$((n + 1)); done" &
	i=$((i + 1))
done
end=$(($(cut -d. -f1 /proc/uptime) + 8))
moves=0
while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
	for t in $(cat $POLICY/db/tasks $POLICY/batch/tasks); do
		echo "$t" >$POLICY/batch/tasks 2>/dev/null && moves=$((moves + 1))
		echo "$t" >$POLICY/db/tasks 2>/dev/null
	done
	echo >$POLICY/db/spm.nodes
	echo $a >$POLICY/db/spm.nodes
done
wait
tap_check "4 allocating loops while tasks moved $moves times and grants flipped: groups drained, node $a back" \
	eval "[ \"\$(spm_group_stat db $a pages)\" -eq 0 ] && [ \"\$(spm_group_stat batch $a pages)\" -eq 0 ] &&
	      [ $(spm_used_pages $a) -eq $ua ]"
tap_check "no task left in db or batch" \
	eval "[ -z \"\$(cat $POLICY/db/tasks $POLICY/batch/tasks)\" ]"

# --- the task's cpuset still bounds everything
CG=/sys/fs/cgroup
[ -f $CG/cgroup.procs ] || mount -t cgroup2 none $CG
echo +cpuset >$CG/cgroup.subtree_control
mkdir $CG/dram-only $CG/with-spm
tap_check "a cpuset.mems of SPM nodes only is refused, unchanged" \
	eval "fails sh -c 'echo $a >$CG/with-spm/cpuset.mems' &&
	      [ -z \"\$(cat $CG/with-spm/cpuset.mems)\" ]"
echo 0 >$CG/dram-only/cpuset.mems
echo "0,$a" >$CG/with-spm/cpuset.mems
tap_check "cpusets name SPM nodes: root's effective mems $(cat $CG/cpuset.mems.effective), with-spm's $(cat $CG/with-spm/cpuset.mems.effective)" \
	eval "node_in_list $a $CG/cpuset.mems.effective && node_in_list $a $CG/with-spm/cpuset.mems.effective &&
	      ! node_in_list $a $CG/dram-only/cpuset.mems.effective"
r=$(spm_group_stat db $a refused)
out=$(sh -c "echo \$\$ >$CG/dram-only/cgroup.procs && exec spmctl exec --group db -- spmmap $a 8")
tap_check "db grants node $a, a cpuset without it wins: refused ($out), counted" \
	eval "[ '$out' = mmap=EPERM ] && [ \"\$(spm_group_stat db $a refused)\" -eq $((r + 1)) ]"
out=$(sh -c "echo \$\$ >$CG/with-spm/cgroup.procs && exec spmctl exec --group db -- spmmap $a 8")
tap_check "a cpuset that lists node $a: allowed ($out)" \
	[ "$out" = "mmap=ok touched=8 sigbus=0 intact=8 on_node=8" ]
mems=$(sh -c "echo \$\$ >$CG/with-spm/cgroup.procs && sed -n 's/^Mems_allowed_list:\t//p' /proc/self/status")
tap_check "a task's mems_allowed never holds an SPM node, even there ($mems)" [ "$mems" = 0 ]
rmdir $CG/dram-only $CG/with-spm

# --- memory policies: a task may prefer a node its group grants, never bind
out=$(prefmem $a 10)
tap_check "a task in no group: set_mempolicy(MPOL_PREFERRED, $a) refused ($out)" [ "$out" = policy=EINVAL ]
out=$(spmctl exec --group db -- prefmem -b $a 10)
tap_check "db: MPOL_BIND to node $a refused ($out)" [ "$out" = policy=EINVAL ]
rm -f /tmp/pref
spmctl exec --group db -- prefmem -w 100 $a 200 >/tmp/pref &
pid=$!
wait_for /tmp/pref ready
tap_check "db: MPOL_PREFERRED $a puts anonymous pages there ($(head -n 1 /tmp/pref))" \
	grep -q 'policy=ok touched=200 intact=200 on_node=200' /tmp/pref
echo >$POLICY/db/spm.nodes
kill -USR1 $pid
wait_for /tmp/pref again
tap_check "revoked: held pages stay, new ones go to DRAM ($(tail -n 1 /tmp/pref))" \
	grep -q 'again intact=200 on_node=200 more_on_node=0' /tmp/pref
wait
rm -f /tmp/pref
spmctl exec --group batch -- prefmem -w 0 $b 300 >/tmp/pref &
pid=$!
wait_for /tmp/pref ready
tap_check "spmctl offline spm$b under 300 such pages of a batch task: evacuated, node removed" \
	eval "grep -q 'on_node=300' /tmp/pref && spmctl offline spm$b >/dev/null &&
	      [ ! -d /sys/bus/spm/devices/spm$b ]"
kill -USR1 $pid
wait_for /tmp/pref again
tap_check "the task's pages intact, now off node $b ($(tail -n 1 /tmp/pref))" \
	grep -q 'again intact=300 on_node=0' /tmp/pref
wait
spm_online_memdev mem0 >/dev/null
echo $a >$POLICY/db/spm.nodes
echo "$a,$b" >$POLICY/batch/spm.nodes

# --- a node that goes away takes its grants with it
tap_check "spmctl offline spm$b: its grant withdrawn from batch (granted $a,$b before)" \
	eval "spmctl offline spm$b >/dev/null && [ \"\$(cat $POLICY/batch/spm.nodes)\" = $a ]"
tap_check "spmctl online: node $b back, granted to nobody" \
	eval "b2=\$(spm_online_memdev mem0) && [ \"\$b2\" = $b ] &&
	      [ \"\$(spm_group_stat batch $b granted)\" -eq 0 ]"
tap_check "groups outlive the mount" \
	eval "umount $POLICY && spm_policy_mount && [ \"\$(cat $POLICY/db/spm.nodes)\" = $a ]"
rmdir $POLICY/db $POLICY/batch
tap_check "rmdir all: only the root's procs and tasks left" [ "$(ls $POLICY | xargs)" = "procs tasks" ]
tap_exit
