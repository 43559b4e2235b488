#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Allocation failures on SPM's own paths, one at a time: creating a policy
# group, mapping /dev/spm<nid> and faulting its pages in, and registering a
# node (binding its driver, which hot-adds the memory). Each operation runs
# with its Nth slab or page allocation failing (fail-nth), for N from 1
# until it makes fewer than N such allocations. Each failure must leave
# things as they were (the operation refused whole) or done (the failure
# absorbed), and the same operation without a failure must then succeed.
# The debug kernel's KASAN and kmemleak judge what the failure paths
# touched and leaked. Skips on a kernel without fault injection.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 1200
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/spm.sh

FI=/sys/kernel/debug
if [ ! -w /proc/self/fail-nth ] || [ ! -d $FI/failslab ]; then
	echo "1..0 # SKIP no fault injection (CONFIG_FAULT_INJECTION, FAILSLAB): the debug kernel has it"
	exit 4
fi

# next N: the next N to try; every one up to 24, then about 20% further each
next()
{
	[ "$1" -lt 24 ] && echo $(($1 + 1)) || echo $(($1 + $1 / 5))
}

# inject OP...: run "failnth N OP..." for growing N until it no longer
# injects; judge each run with "check LINE" (which prints why not, if not).
# Sets hits (runs that injected) and bad (their descriptions).
inject()
{
	local nth=1 out why
	hits=0 bad=""
	while :; do
		out=$(failnth $nth "$@")
		why=$(check "$out")
		[ -z "$why" ] || bad="$bad [n=$nth: $out: $why]"
		case $out in
		*injected=1*) hits=$((hits + 1)) ;;
		*) break ;;
		esac
		nth=$(next $nth)
	done
	last=$nth
}

tap_plan 6
spm_sample_load
n=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
dax=$(cxl_devdax mem0)
spm_policy_mount
# GFP_KERNEL allocations fail too; page allocations of any order
echo N >$FI/failslab/ignore-gfp-wait
echo 0 >$FI/fail_page_alloc/min-order
echo N >$FI/fail_page_alloc/ignore-gfp-wait
echo N >$FI/fail_page_alloc/ignore-gfp-highmem
for f in failslab fail_page_alloc; do
	echo 0 >$FI/$f/verbose
done

# --- a policy group
check()
{
	case $1 in
	"rc=ok injected="*)
		[ "$(ls $POLICY/fi | xargs)" = "memory.tier procs spm.max spm.nodes stat tasks" ] ||
			echo "created without its files"
		rmdir $POLICY/fi || echo "cannot remove it" ;;
	"rc=ENOMEM injected=1")
		[ ! -e $POLICY/fi ] || echo "refused but there" ;;
	*) echo "unexpected" ;;
	esac
}
inject mkdir $POLICY/fi
g_hits=$hits
tap_check "mkdir of a group with its Nth allocation failing, N = 1..$last: $hits failures, each refused whole or absorbed${bad:+ (not:$bad)}" \
	eval "[ $hits -gt 0 ] && [ -z '$bad' ]"
tap_check "mkdir without a failure, then rmdir" eval "mkdir $POLICY/fi && rmdir $POLICY/fi"

# --- a mapping of /dev/spm and its faults
mkdir $POLICY/fi && echo "$n" >$POLICY/fi/spm.nodes || tap_bail "cannot create group fi"
echo $$ >$POLICY/fi/tasks
used=$(spm_used_pages "$n")
check()
{
	case $1 in
	"rc=ok injected=0 touched=16 sigbus=0") ;;
	"rc=ENOMEM injected=1"* | "rc=ok injected=1 touched="*" sigbus=1" | \
	"rc=ok injected=1 touched=16 sigbus=0") ;;
	*) echo "unexpected" ;;
	esac
	[ "$(spm_group_stat fi "$n" pages)" -eq 0 ] || echo "pages left charged"
	[ "$(spm_used_pages "$n")" -eq "$used" ] || echo "pages left on node $n"
}
inject mmap "$n" 16
m_hits=$hits
tap_check "mmap of /dev/spm$n and 16 faults with the Nth allocation failing, N = 1..$last: $hits failures (ENOMEM, SIGBUS or retried), nothing left charged${bad:+ (not:$bad)}" \
	eval "[ $hits -gt 0 ] && [ -z '$bad' ]"
out=$(spmmap "$n" 16)
tap_check "mapping without a failure: 16 pages on node $n ($out)" \
	eval "echo '$out' | grep -q 'touched=16 sigbus=0 intact=16 on_node=16'"
echo $$ >$POLICY/tasks
rmdir $POLICY/fi

# --- registering a node: binding the driver hot-adds the memory
echo Y >$FI/fail_page_alloc/ignore-gfp-wait
echo 1 >$FI/fail_page_alloc/min-order
# Not inside add_memory_resource(): memory hot-add itself WARN()s when
# add_pages() fails and BUG()s when registering a new node does ("no
# rollback way now"): the core's known limits, not SPM's failure paths.
range=$(sort /proc/kallsyms | grep -A1 ' add_memory_resource$' | cut -d' ' -f1 | xargs)
[ "$(echo $range | wc -w)" -eq 2 ] || tap_bail "add_memory_resource not in /proc/kallsyms"
echo "0x${range% *}" >$FI/failslab/reject-start
echo "0x${range#* }" >$FI/failslab/reject-end
echo 32 >$FI/failslab/stacktrace-depth
drv=/sys/bus/dax/drivers/$SPM_SAMPLE
# spmctl online gave the sample $dax's id (new_id): unbinding keeps it, so
# that "bind" probes again and says how the probe went
echo "$dax" >$drv/unbind || tap_bail "cannot unbind $dax from $SPM_SAMPLE"
spm_ram=$(grep -c 'System RAM (spm)' /proc/iomem)
check()
{
	case $1 in
	"rc=ok injected="*)
		[ "$(dax_driver $dax)" = $SPM_SAMPLE ] && [ "$(spm_attr $n state)" = online ] &&
			node_in_state $n has_spm_memory && [ "$(spm_used_pages $n)" -eq 0 ] ||
			echo "bound but the node is not whole"
		echo "$dax" >$drv/unbind || echo "cannot unbind it" ;;
	"rc=E"*" injected=1")
		[ -z "$(dax_driver $dax)" ] && [ ! -e /sys/bus/spm/devices/spm$n ] &&
			[ "$(grep -c 'System RAM (spm)' /proc/iomem)" -eq "$spm_ram" ] &&
			! node_in_state $n has_spm_memory ||
			echo "refused but something is left" ;;
	*) echo "unexpected" ;;
	esac
}
inject write $drv/bind "$dax"
r_hits=$hits
tap_check "binding $SPM_SAMPLE to $dax with the Nth slab allocation failing, N = 1..$last: $hits failures, each refused whole or absorbed${bad:+ (not:$bad)}" \
	eval "[ $hits -gt 0 ] && [ -z '$bad' ]"
tap_check "without a failure: spmctl online $dax makes node $n again" \
	eval "[ \"\$(spm_online_memdev mem0)\" = $n ] && node_in_state $n has_spm_memory"
tap_diag "fault injections hit and survived: group $g_hits, mapping $m_hits, registration $r_hits"
tap_exit
