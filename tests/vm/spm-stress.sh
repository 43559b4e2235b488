#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Everything at once, for a fixed time (STRESS_SECONDS, 60 by default):
# tasks writing stamped pages into /dev/spm mappings and under a preferred
# policy and checking every one, while one node's memory goes offline and
# online, the other node is unregistered and registered again, the tasks
# move between a granting and a non-granting group, the grant flips, and
# the sample's module is asked to unload. Refusals are expected (a node
# with mapped pages stays, a task without a grant gets SIGBUS); a page that
# does not read back what was written, a node or group that cannot be
# cleaned up afterwards, or a kernel splat is not. Counts what ran and
# what survived.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 400
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/spm.sh

SECS=${STRESS_SECONDS:-60}
LOG=/tmp/stress
tap_plan 7
spm_sample_load
a=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
b=$(spm_online_memdev mem1) || tap_bail "cannot make mem1 an SPM node"
bdax=$(cxl_devdax mem1)
spm_policy_mount
mkdir $POLICY/on $POLICY/off || tap_bail "cannot create groups"
echo "$a,$b" >$POLICY/on/spm.nodes
rm -rf $LOG && mkdir $LOG
end=$(($(cut -d. -f1 /proc/uptime) + SECS))

# running: until the stress time is over
running()
{
	[ "$(cut -d. -f1 /proc/uptime)" -lt $end ]
}

# worker NAME CMD: a shell of its own in group "on", running CMD again and
# again until the time is over; CMD prints one line each time
worker()
{
	sh -c "echo \$\$ >$POLICY/on/tasks
	       while [ \$(cut -d. -f1 /proc/uptime) -lt $end ]; do $2; done >>$LOG/$1 2>&1" &
}

worker map-a "spmmap $a 64"
worker map-b "spmmap $b 64"
worker pref-a "prefmem $a 256"
worker pref-b "prefmem $b 128"

# node a's memory goes offline and comes back, refused while pages are mapped
(
	while running; do
		if echo offline >/sys/bus/spm/devices/spm$a/state 2>/dev/null; then
			echo offline >>$LOG/cycle
			echo online >/sys/bus/spm/devices/spm$a/state && echo online >>$LOG/cycle ||
				echo "online-failed" >>$LOG/cycle
		else
			echo refused >>$LOG/cycle
		fi
		sleep 0.2
	done
) &
# node b is unregistered and registered again, refused while pages are mapped
(
	while running; do
		if spmctl offline "$bdax" >/dev/null 2>&1; then
			echo removed >>$LOG/register
			spmctl online "$bdax" >/dev/null 2>&1 && echo registered >>$LOG/register ||
				echo "register-failed" >>$LOG/register
		else
			echo refused >>$LOG/register
		fi
		sleep 0.3
	done
) &
# the workers move between groups; the grant flips
(
	while running; do
		for p in $(cat $POLICY/on/tasks); do
			echo "$p" >$POLICY/off/tasks 2>/dev/null
		done
		echo "" >$POLICY/on/spm.nodes
		sleep 0.1
		for p in $(cat $POLICY/off/tasks); do
			echo "$p" >$POLICY/on/tasks 2>/dev/null
		done
		echo "$a,$b" >$POLICY/on/spm.nodes 2>/dev/null
		echo flip >>$LOG/moves
		sleep 0.1
	done
) &
# the sample's module: never unloaded while it owns a node
(
	while running; do
		rmmod $SPM_SAMPLE 2>/dev/null && echo unloaded >>$LOG/rmmod || echo refused >>$LOG/rmmod
		sleep 0.5
	done
) &
wait

# count FILE PATTERN: lines of $LOG/FILE matching PATTERN
count()
{
	cat "$LOG/$1" 2>/dev/null | grep -c "$2"
}
runs=$(cat $LOG/map-* $LOG/pref-* | grep -c 'touched=')
bad=$(cat $LOG/map-* | awk '/touched=/ { split($2, t, "="); split($4, i, "="); if (t[2] != i[2]) print }' | wc -l)
bad=$((bad + $(cat $LOG/pref-* | awk '/touched=/ { split($2, t, "="); split($3, i, "="); if (t[2] != i[2]) print }' | wc -l)))
tap_diag "$SECS s: $runs mapping and policy runs ($(count map-a sigbus=1) + $(count map-b sigbus=1) cut short by SIGBUS)," \
	"node $a offline $(count cycle '^offline') times (refused $(count cycle refused))," \
	"node $b unregistered $(count register removed) times (refused $(count register refused))," \
	"$(count moves flip) group flips, rmmod refused $(count rmmod refused) times"
tap_check "$runs runs of stamped pages: every page read back what was written ($bad did not)" \
	eval "[ $runs -gt 0 ] && [ $bad -eq 0 ]"
tap_check "node $a: every offline that went through came back online ($(count cycle online-failed) did not)" \
	eval "[ $(count cycle online-failed) -eq 0 ] && [ \"\$(spm_attr $a state)\" = online ]"
tap_check "node $b: every unregistration was followed by a registration ($(count register register-failed) failed)" \
	eval "[ $(count register register-failed) -eq 0 ] && [ -d /sys/bus/spm/devices/spm$b ]"
tap_check "the sample's module was never unloaded while it owned a node" \
	eval "[ $(count rmmod unloaded) -eq 0 ] && [ -d /sys/bus/dax/drivers/$SPM_SAMPLE ]"
tap_check "all done: nodes $a and $b hold no page" \
	eval "[ \$(spm_used_pages $a) -eq 0 ] && [ \$(spm_used_pages $b) -eq 0 ]"
tap_check "groups drained and removable" \
	eval "[ -z \"\$(cat $POLICY/on/tasks $POLICY/off/tasks)\" ] && rmdir $POLICY/on $POLICY/off"
tap_check "both nodes still whole: online, with their memory" \
	eval "node_in_state $a has_spm_memory && node_in_state $b has_spm_memory"
tap_exit
