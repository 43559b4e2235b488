#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Moves between policy groups are serialised against fork and thread
# creation. A process moved through "procs" moves whole, every thread, even
# while it creates threads; a group emptied by moving what its "tasks" lists,
# while its tasks fork, keeps no child behind. "procs" lists a process
# once. Bad pids and moves the mover may not make are refused and move
# nothing.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 300
. /spm/lib/tap.sh
. /spm/lib/output.sh
. /spm/lib/spm.sh

# Tasks to spawn: enough that a move lands while they are being created, no
# more than memory allows (each costs some 100 KiB of kernel memory; on the
# debug kernel KASAN leaves far less free)
SPAWN=${SPAWN:-$(($(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo) / 1024 * 2))}
[ "$SPAWN" -le 1000 ] || SPAWN=1000

# lines FILE: how many lines FILE has
lines()
{
	wc -l <"$1"
}

# listed FILE: FILE (a policy file, which stat() calls empty) lists something
listed()
{
	[ -n "$(cat "$1")" ]
}

# spawn GROUP MODE OUT: start "spawner MODE $SPAWN" in GROUP, its output in
# OUT; prints its pid once it has started
spawn()
{
	rm -f "$3"
	sh -c "echo \$\$ >$POLICY/$1/tasks && exec spawner $2 $SPAWN" >"$3" 2>&1 &
	wait_for "$3" started || return 1
	field "$(cat "$3")" pid
}

# until_tasks GROUP N: until GROUP lists at least N tasks (30 s)
until_tasks()
{
	local i=0
	while [ "$(lines $POLICY/$1/tasks)" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -le 300 ] || return 1
		sleep 0.1
	done
}

tap_plan 13
spm_policy_mount
mkdir $POLICY/a $POLICY/b || tap_bail "cannot create groups a and b"

tap_check "the root and every group have a procs file" \
	eval "[ -f $POLICY/procs ] && [ -f $POLICY/a/procs ] && [ -f $POLICY/b/procs ]"

# a whole process, moved through procs while it creates threads
pid=$(spawn a threads /tmp/spawn-threads) || tap_bail "spawner threads did not start"
until_tasks a 10 || tap_bail "spawner created no threads"
tid=$(ls /proc/$pid/task | grep -v "^$pid\$" | head -1)
at=$(lines $POLICY/a/tasks)
echo "$tid" >$POLICY/b/procs
tap_check "writing a thread's id to procs moves its process, while it creates threads ($at of $((SPAWN + 1)) there)" [ $? -eq 0 ]
wait_for /tmp/spawn-threads done || tap_bail "spawner threads did not finish"
tap_check "every thread, and only those, moved: a lists none, b lists $((SPAWN + 1))" \
	eval "! listed $POLICY/a/tasks && [ \$(lines $POLICY/b/tasks) -eq $((SPAWN + 1)) ]"
tap_check "procs lists the process once, by its id" [ "$(cat $POLICY/b/procs)" = "$pid" ]
tap_check "the root's procs does not list it" eval "! grep -qx $pid $POLICY/procs"

# hostile input: refused, nothing moves
before="$(cat $POLICY/a/tasks $POLICY/b/tasks | md5sum)"
bad=""
for v in "+$pid" "$pid $pid" "-1" "0x$pid" "${pid}abc" "$pid
$pid"; do
	[ -n "$(write_error "'$v'" $POLICY/a/procs)" ] || bad="$bad '$v'"
done
printf '%s\0junk' "$pid" >$POLICY/a/procs 2>/dev/null && bad="$bad NUL"
tap_check "procs refuses a signed, hex, trailing-junk, two-line or NUL pid (accepted:$bad)" [ -z "$bad" ]
tap_check "procs refuses a kernel thread (pid 2): $(write_error 2 $POLICY/a/procs)" \
	[ "$(write_error 2 $POLICY/a/procs)" = "Invalid argument" ]
tap_check "procs refuses a pid that does not exist: $(write_error 999999 $POLICY/a/procs)" \
	[ "$(write_error 999999 $POLICY/a/procs)" = "No such process" ]
tap_check "nothing moved by the refused writes" \
	[ "$(cat $POLICY/a/tasks $POLICY/b/tasks | md5sum)" = "$before" ]

# a delegatee's own process, in a group not delegated to it, stays there
mkdir $POLICY/mine && chown spmuser $POLICY/mine $POLICY/mine/tasks $POLICY/mine/procs
rm -f /tmp/spawn-user
su -s /bin/sh spmuser -c "exec spawner threads 3" >/tmp/spawn-user 2>&1 &
wait_for /tmp/spawn-user done || tap_bail "spmuser's spawner did not start"
upid=$(field "$(head -1 /tmp/spawn-user)" pid)
for t in $(ls /proc/$upid/task); do echo "$t" >$POLICY/a/tasks; done
out=$(su -s /bin/sh spmuser -c "echo $upid >$POLICY/mine/procs" 2>&1 | sed 's/.*: //')
tap_check "spmuser cannot take its own process out of a group not delegated to it ($out)" \
	eval "[ '$out' = 'Operation not permitted' ] && ! listed $POLICY/mine/tasks &&
	      [ \$(grep -c . $POLICY/a/tasks) -eq 4 ]"
echo "$upid" >$POLICY/procs
out=$(su -s /bin/sh spmuser -c "echo $upid >$POLICY/mine/procs" 2>&1)
tap_check "once in no group, spmuser moves its whole process into its group ($out)" \
	eval "[ \$(lines $POLICY/mine/tasks) -eq 4 ] && [ \"\$(cat $POLICY/mine/procs)\" = $upid ]"
kill -9 "$pid" "$upid"

# a group emptied while its task forks keeps no child
cpid=$(spawn a forks /tmp/spawn-forks) || tap_bail "spawner forks did not start"
until_tasks a 10 || tap_bail "spawner forked no children"
at=$(lines $POLICY/a/tasks)
echo "$cpid" >$POLICY/b/tasks
rounds=0
while listed $POLICY/a/tasks; do
	for p in $(cat $POLICY/a/tasks); do echo "$p" >$POLICY/b/tasks; done
	rounds=$((rounds + 1))
done
wait_for /tmp/spawn-forks done || tap_bail "spawner forks did not finish"
tap_check "group a emptied in $rounds rounds while its task forked (from $at tasks): no child left behind" \
	eval "! listed $POLICY/a/tasks && [ \$(lines $POLICY/b/procs) -eq $((SPAWN + 1)) ]"
kill -9 $(cat $POLICY/b/tasks) 2>/dev/null

i=0
while listed $POLICY/b/tasks || listed $POLICY/mine/tasks; do
	i=$((i + 1))
	[ $i -le 300 ] || break
	sleep 0.1
done
tap_check "the spawners gone, all three groups can be removed" rmdir $POLICY/a $POLICY/b $POLICY/mine
tap_exit
