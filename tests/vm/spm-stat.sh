#!/bin/sh
# Per-node event counters and tracepoints: the owner's allocations, frees
# and refusals on an SPM node move its stats/ counters and emit
# spm:spm_alloc, spm:spm_free and spm:spm_refuse one for one; spmctl stat
# shows the same numbers; bad input to spmctl stat is refused.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 300
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/spm.sh

TRACING=/sys/kernel/tracing

# fails_cleanly CMD...: the command fails, prints nothing on stdout, says why on stderr
fails_cleanly()
{
	local out
	out=$("$@" 2>/tmp/err) && return 1
	[ -z "$out" ] && [ -s /tmp/err ]
}

# counter NODE NAME: a counter of the node's stats/
counter()
{
	spm_attr "$1" "stats/$2"
}

# events NAME: lines of event NAME for node $b in the trace
events()
{
	grep -c " $1: node=$b " $TRACING/trace
}

tap_plan 9
spm_sample_load
a=$(spm_online_memdev mem1) && b=$(spm_online_memdev mem0)
[ -n "$a" ] && [ -n "$b" ] || tap_bail "cannot make mem0 and mem1 SPM nodes"
d=$SPM_SAMPLE_DEBUGFS/$(cxl_devdax mem0)
[ -d "$d" ] || tap_bail "no sample debugfs for node $b"

[ -d $TRACING/events ] || mount -t tracefs nodev $TRACING
tap_check "the spm trace events exist" \
	eval "for e in spm_alloc spm_free spm_refuse spm_memory_failure; do
		[ -d $TRACING/events/spm/\$e ] || exit 1; done"
echo >$TRACING/trace
for e in spm_alloc spm_free spm_refuse; do
	echo 1 >$TRACING/events/spm/$e/enable
done

al=$(counter "$b" allocated) fr=$(counter "$b" freed) re=$(counter "$b" refused)
echo 64 >$d/hold
echo 64 >$d/release
tap_check "the owner allocates and frees 64 pages: allocated +$(($(counter "$b" allocated) - al)), freed +$(($(counter "$b" freed) - fr))" \
	eval "[ $(counter "$b" allocated) -eq $((al + 64)) ] && [ $(counter "$b" freed) -eq $((fr + 64)) ]"
tap_check "64 spm_alloc and 64 spm_free events for node $b ($(events spm_alloc), $(events spm_free))" \
	eval "[ $(events spm_alloc) -eq 64 ] && [ $(events spm_free) -eq 64 ]"
tap_check "events name the page and its order: $(grep -m1 -o 'spm_alloc: .*' $TRACING/trace)" \
	grep -q "spm_alloc: node=$b pfn=0x[0-9a-f]* order=0\$" $TRACING/trace

held=$(cat $d/hold)
echo $((held + 4)) >$d/admit_limit
echo 8 >$d/hold 2>/dev/null
refused=$(($(counter "$b" refused) - re))
tap_check "admit() refuses beyond its limit: refused +$refused, as many events ($(grep -m1 -o "spm_refuse: .*" $TRACING/trace))" \
	eval "[ $refused -ge 1 ] && [ \$(grep -c ' spm_refuse: node=$b .* by=owner\$' $TRACING/trace) -eq $refused ]"
echo 0 >$d/admit_limit
echo 4 >$d/release
for e in spm_alloc spm_free spm_refuse; do
	echo 0 >$TRACING/events/spm/$e/enable
done

spmctl stat "$b" >/tmp/stat.json
bad=
for f in /sys/bus/spm/devices/spm$b/stats/*; do
	[ "$(jq -r ".[0].stats.${f##*/}" /tmp/stat.json)" = "$(cat "$f")" ] || bad="$bad ${f##*/}"
done
tap_check "spmctl stat $b: every counter of stats/ as sysfs has it${bad:+ (not:$bad)}" \
	eval "[ -z '$bad' ] && [ \"\$(jq -r '.[0].node' /tmp/stat.json)\" = $b ]"
tap_check "spmctl stat: both nodes; spm$b is the same as $b" \
	eval "spmctl stat | jq -e 'map(.node) | contains([$a, $b]) and length == 2' >/dev/null &&
	      [ \"\$(spmctl stat spm$b | jq -r '.[0].node')\" = $b ]"
tap_check "spmctl stat refuses garbage, a node that is not SPM, a bad option" \
	eval "fails_cleanly spmctl stat abc && fails_cleanly spmctl stat 0 && fails_cleanly spmctl stat 99 &&
	      fails_cleanly spmctl stat -x && fails_cleanly spmctl stat $b abc"
tap_check "spmctl stat --help" eval "spmctl stat --help | grep -q usage"
tap_exit
