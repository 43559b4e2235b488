#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An SPM node's lifecycle when things go wrong: its memory can be taken
# away and given back while its driver stays bound (the node's state
# file), so that a refused offline changes nothing and can be retried; an
# offline under a short-term pin refuses in bounded time instead of
# retrying for as long as the pin lasts; the owner's module cannot be
# unloaded while its node may call into it; bad input to state is refused.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 600
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/spm.sh

# books: the node's used bytes, allocated and freed pages
books()
{
	echo "$(spm_attr $n used) $(spm_attr $n stats/allocated) $(spm_attr $n stats/freed)"
}

# unchanged: online, bound to the sample, the node's memory present
unchanged()
{
	[ "$(spm_attr $n state)" = online ] && [ "$(dax_driver $dax)" = $SPM_SAMPLE ] &&
		node_in_state $n has_spm_memory
}

tap_plan 14
spm_sample_load
n=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
dax=$(cxl_devdax mem0)
d=$SPM_SAMPLE_DEBUGFS/$dax
state=/sys/bus/spm/devices/spm$n/state

# --- the state file: strict input
bad=
for v in bogus "offline x" "offline\nonline" "offline\000junk" "\n" "\000"; do
	# shellcheck disable=SC2059
	{ printf "$v" >$state; } 2>/dev/null && bad="$bad '$v'"
done
tap_check "state: garbage, a second word or line, NUL bytes: all refused, node unchanged${bad:+ (not:$bad)}" \
	eval "[ -z \"$bad\" ] && unchanged"

# --- offline and online while bound
set -- $(books)
u0=$1 a0=$2 f0=$3
tap_check "state offline: the memory goes, the node and its driver stay" \
	eval "echo offline >$state && [ \"\$(spm_attr $n state)\" = offline ] &&
	      [ \"\$(dax_driver $dax)\" = $SPM_SAMPLE ] && ! node_in_state $n has_spm_memory"
tap_check "offline: the owner gets no page, nothing is used" \
	eval "fails sh -c 'echo 1 >$d/hold' && [ \"\$(cat $d/hold)\" -eq 0 ] && [ \"\$(spm_attr $n used)\" -eq 0 ]"
tap_check "state online: the memory is back, the owner gets pages again" \
	eval "echo online >$state && unchanged && echo 16 >$d/hold && [ \"\$(cat $d/hold)\" -eq 16 ]"
set -- $(books)
tap_check "the cycle left the books exact: used +$(($1 - u0)) bytes, allocated +$(($2 - a0)), freed +$(($3 - f0)) for 16 pages held" \
	eval "[ $(($1 - u0)) -eq $((16 * 4096)) ] && [ $(($2 - a0)) -eq 16 ] && [ $(($3 - f0)) -eq 0 ]"
before=$(books)

# --- a refused offline changes nothing and can be retried
tap_check "spmctl offline with 16 owner pages held: refused" \
	eval "fails spmctl offline spm$n && grep -q 'could not be evacuated' /tmp/err"
tap_check "nothing changed: online, still bound to $SPM_SAMPLE, the pages intact, the books as before ($(books))" \
	eval "unchanged && [ \"\$(cat $d/verify)\" -eq 1 ] && [ \"\$(cat $d/hold)\" -eq 16 ] &&
	      [ \"\$(books)\" = '$before' ]"
echo 16 >$d/release

# --- the owner's module while its node is registered
tap_check "rmmod $SPM_SAMPLE while it owns node $n (4 pages held): refused, nothing changed" \
	eval "echo 4 >$d/hold && fails rmmod $SPM_SAMPLE && unchanged && [ \"\$(cat $d/verify)\" -eq 1 ]"
echo 4 >$d/release
tap_check "retried once the pages are free: spmctl offline removes the node, $dax back with device_dax" \
	eval "spmctl offline spm$n >/dev/null && [ ! -d /sys/bus/spm/devices/spm$n ] && [ \"\$(dax_driver $dax)\" = device_dax ]"
# the sample's other nodes go too, and come back after
others=$(ls /sys/bus/dax/drivers/$SPM_SAMPLE | grep '^dax')
for o in $others; do
	spmctl offline "$o" >/dev/null || tap_bail "cannot offline $o"
done
tap_check "no node left: rmmod $SPM_SAMPLE works, insmod again" \
	eval "rmmod $SPM_SAMPLE && spm_sample_load && [ \"\$(spm_online_memdev mem0)\" = $n ]"
for o in $others; do
	spmctl online "$o" >/dev/null || tap_bail "cannot bring $o back"
done

# --- a short-term pin: refused in bounded time, retried once it is gone
spm_policy_mount
mkdir $POLICY/life && echo $n >$POLICY/life/spm.nodes || tap_bail "cannot create group life"
rm -f /tmp/splice
spmctl exec --group life -- prefmem -s 16 -w 0 $n 64 >/tmp/splice &
pid=$!
wait_for /tmp/splice ready || tap_bail "prefmem -s did not start: $(cat /tmp/splice)"
t0=$(date +%s)
timeout 120 spmctl offline spm$n 2>/tmp/err
rc=$?
secs=$(($(date +%s) - t0))
tap_check "spmctl offline under 16 vmsplice()d pages of 64: refused in ${secs}s (rc $rc; $(head -n 1 /tmp/splice))" \
	eval "grep -q on_node=64 /tmp/splice && [ $rc -eq 1 ] && [ $secs -le 30 ]"
tap_check "nothing lost: online, bound, the task's pages intact where they are" \
	eval "unchanged && [ \"\$(spm_attr $n used)\" -gt 0 ]"
kill -USR1 $pid
wait_for /tmp/splice unspliced
tap_check "pipe emptied: spmctl offline now evacuates the 64 pages and removes the node" \
	eval "spmctl offline spm$n >/dev/null && [ ! -d /sys/bus/spm/devices/spm$n ]"
kill -USR1 $pid
wait
tap_check "the task's pages intact, off the node ($(tail -n 1 /tmp/splice))" \
	grep -q 'again intact=64 on_node=0' /tmp/splice
rmdir $POLICY/life
spm_online_memdev mem0 >/dev/null
tap_exit
