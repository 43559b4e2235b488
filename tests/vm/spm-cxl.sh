#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The N_SPM core on two CXL devices: one onlined by dax/kmem (the baseline),
# one registered as an SPM node by the sample driver. Under the same
# pressure mix, ordinary pages spill onto the kmem node and none lands on
# the SPM node; user interfaces cannot reach it; its owner gets pages from
# it and only from it, is refused when it is full or when its admit() says
# so; unregistering with pages in use keeps them, intact.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 900
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/pressure.sh
. /spm/lib/spill.sh
. /spm/lib/spm.sh

tap_plan 44
kdax=$(cxl_devdax mem0) && sdax=$(cxl_devdax mem1)
[ -n "$kdax" ] && [ -n "$sdax" ] || tap_bail "no dax devices on mem0/mem1"
knode=$(cat /sys/bus/dax/devices/$kdax/target_node)
snode=$(cat /sys/bus/dax/devices/$sdax/target_node)

# --- registration, through spmctl
spm_sample_load
tap_check "sample driver loaded" [ -d /sys/bus/dax/drivers/$SPM_SAMPLE ]
sregion=$(dax_cxl_region "$sdax")
# a bare pmem region: spmctl online gives it its devdax namespace
ndctl destroy-namespace -f all -r "$(cxl_nd_region "$sregion")" 2>/dev/null
tap_check "$sregion without a dax device ($sdax destroyed)" [ ! -e /sys/bus/dax/devices/$sdax ]
spmctl online "$sregion" >/tmp/online.json
sdax=$(jq -r .dax /tmp/online.json)
tap_check "spmctl online $sregion: devdax namespace made, $sdax registered as spm$snode" \
	[ "$(jq -r .devname /tmp/online.json)" = "spm$snode" -a -d /sys/bus/spm/devices/spm$snode ]
tap_check "node $snode in has_spm_memory, not in has_memory" \
	eval "node_in_state $snode has_spm_memory && ! node_in_state $snode has_memory"
spmctl list --node $snode >/tmp/list.json
tap_check "spmctl list: class cxl, caps [migration demotion user_map], backed by $sdax in $sregion" \
	[ "$(jq -c '.[0] | [.class, .caps, .dax, .region]' /tmp/list.json)" = \
	  "[\"cxl\",[\"migration\",\"demotion\",\"user_map\"],\"$sdax\",\"$sregion\"]" ]
size=$(spm_attr $snode size)
tap_check "spm$snode: size $size = node $snode MemTotal" \
	[ $((size / 1024)) -eq "$(node_meminfo $snode MemTotal)" ]
blk=$(ls -d /sys/devices/system/node/node$snode/memory[0-9]* | head -n 1)
tap_check "admin offline of SPM memory block ${blk##*/}: refused, still online" \
	eval "fails sh -c 'echo offline >$blk/state' && [ \"\$(cat $blk/state)\" = online ]"
tap_check "spm_gate KUnit suite loaded against spm$snode (its cases: kernel console)" \
	modprobe spm_gate_kunit
tap_check "spmctl online again: refused, node unchanged" \
	eval "fails spmctl online $sdax && [ -d /sys/bus/spm/devices/spm$snode ]"
cycles=0
for i in 1 2 3; do
	spmctl offline spm$snode 2>/dev/null || break
	[ ! -d /sys/bus/spm/devices/spm$snode ] && ! node_in_state $snode has_spm_memory || break
	[ "$(dax_driver $sdax)" = device_dax ] || break
	spmctl online $sdax >/dev/null || break
	[ -d /sys/bus/spm/devices/spm$snode ] && node_in_state $snode has_spm_memory || break
	cycles=$i
done
tap_check "spmctl offline/online cycles: node gone, back in device_dax, and back ($cycles of 3)" \
	[ $cycles -eq 3 ]

# --- isolation under the baseline pressure mix, kmem node beside it
daxctl reconfigure-device -m system-ram "$kdax" >/dev/null
tap_check "$kdax online as System RAM (node $knode)" node_in_state "$knode" has_memory
ps >/tmp/ps.out	# grep must not see itself
tap_check "kswapd$knode and kcompactd$knode run for the kmem node, none for SPM node $snode" \
	eval "grep -qF '[kswapd$knode]' /tmp/ps.out && grep -qF '[kcompactd$knode]' /tmp/ps.out &&
	      ! grep -qF -e '[kswapd$snode]' -e '[kcompactd$snode]' /tmp/ps.out"
tap_check "memory tiers: kmem node $knode in $(node_tier $knode), SPM node $snode in none" \
	eval "node_tier $knode >/dev/null && ! node_tier $snode >/dev/null"
tap_check "spmctl online of a System RAM dax device: refused, still System RAM" \
	eval "fails spmctl online $kdax && grep -q 'daxctl reconfigure-device' /tmp/err &&
	      node_in_state $knode has_memory"
spill_compare spm-isolation "$knode" "$snode" || tap_bail "pressure mix could not be held"
tap_check "baseline: kmem node received ordinary pages ($KMEM_SPILL > 0)" [ "$KMEM_SPILL" -gt 0 ]
tap_check "isolation: SPM node received none ($SPM_SPILL)" [ "$SPM_SPILL" -eq 0 ]

# --- user interfaces cannot reach the SPM node
s0=$(node_used_kb $snode)
numactl --interleave=all memhog 32 >/tmp/hog.out & pid=$!
while ! grep -q ready /tmp/hog.out 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 0.1; done
delta=$(($(node_used_kb $snode) - s0))
kill $pid; wait $pid
tap_check "numactl --interleave=all: nothing on the SPM node ($delta kB)" [ "$delta" -eq 0 ]
tap_check "numactl --membind=$snode is refused" fails numactl --membind=$snode true
tap_check "numactl --preferred=$snode is refused" fails numactl --preferred=$snode true
sleep 1000 & pid=$!
tap_check "migratepages to the SPM node is refused" fails migratepages $pid 0 $snode
kill $pid
/spm/bin/numasys $snode >/tmp/numasys.out
tap_check "raw set_mempolicy/mbind/migrate_pages/move_pages to node $snode all refused: $(xargs </tmp/numasys.out)" \
	[ "$(grep -c -v ' ok$' /tmp/numasys.out)" -eq 4 ]
dd if=/dev/zero of=/scratch/f bs=1M count=16 2>/dev/null
dd if=/dev/zero of=/dev/shm/f bs=1M count=16 2>/dev/null
tap_check "page cache and tmpfs: nothing on the SPM node" [ "$(node_used_kb $snode)" -eq "$s0" ]
rm -f /scratch/f /dev/shm/f

# --- the owner: its node or nothing
d=$SPM_SAMPLE_DEBUGFS/$sdax
echo 1000 >$d/hold
tap_check "owner holds 1000 pages from its node (used $(spm_attr $snode used))" \
	[ "$(cat $d/hold)" -eq 1000 -a "$(spm_attr $snode used)" -eq $((1000 * 4096)) ]
ooms=$(dmesg | grep -c 'invoked oom-killer')
fails sh -c "echo 1000000 >$d/hold"
held=$(cat $d/hold)
total=$(($(node_meminfo $snode MemTotal) / 4))
tap_diag "node full: owner holds $held of $total pages"
tap_check "full node: the owner's allocation fails" [ "$held" -lt 1000000 ]
tap_check "full node: no page from DRAM or the sibling node (foreign $(cat $d/foreign))" \
	[ "$(cat $d/foreign)" -eq 0 ]
tap_check "full node: the owner got nearly all of it ($held of $total)" [ "$held" -ge $((total * 9 / 10)) ]
tap_check "full node: nobody was OOM-killed for it" [ "$(dmesg | grep -c 'invoked oom-killer')" -eq "$ooms" ]
echo "$held" >$d/release
tap_check "released: node used 0" [ "$(spm_attr $snode used)" -eq 0 ]

refused=$(spm_attr $snode stats/refused)
echo 10 >$d/admit_limit
fails sh -c "echo 20 >$d/hold"
tap_check "admit limit 10: holding 20 stops at $(cat $d/hold)" [ "$(cat $d/hold)" -eq 10 ]
tap_check "refusal counted ($refused -> $(spm_attr $snode stats/refused))" \
	[ "$(spm_attr $snode stats/refused)" -gt "$refused" ]
echo 0 >$d/admit_limit

# --- bad input changes nothing
tap_check "hold: garbage refused" fails sh -c "echo x >$d/hold"
tap_check "hold: unchanged (10)" [ "$(cat $d/hold)" -eq 10 ]
# every spm attribute refuses a write and keeps its value
sysfs_writable=
for f in /sys/bus/spm/devices/spm$snode/* /sys/bus/spm/devices/spm$snode/stats/*; do
	[ -f "$f" ] && [ "${f##*/}" != uevent ] || continue
	v=$(cat "$f")
	{ echo 1 >"$f"; } 2>/dev/null && sysfs_writable="$sysfs_writable ${f##*/}"
	# free is live: vmstat folds per-CPU counts into it every second
	[ "${f##*/}" = free ] || [ "$(cat "$f")" = "$v" ] ||
		sysfs_writable="$sysfs_writable ${f##*/}(changed)"
done
tap_check "spm sysfs: every attribute refuses writes, values unchanged${sysfs_writable:+ (not:$sysfs_writable)}" \
	[ -z "$sysfs_writable" ]

# --- the kmem node's memory goes back, its node becomes a sibling SPM node
daxctl offline-memory "$kdax" >/dev/null 2>&1 &&
	daxctl reconfigure-device -m devdax "$kdax" >/dev/null 2>&1 &&
	spmctl online "$kdax" >/dev/null
tap_check "node $knode: System RAM removed, then made SPM node $knode" \
	eval "[ -d /sys/bus/spm/devices/spm$knode ] && node_in_state $knode has_spm_memory &&
	      ! node_in_state $knode has_memory"
echo 10 >$d/release
fails sh -c "echo 1000000 >$d/hold"
tap_check "full node beside a sibling SPM node: $(cat $d/hold) held, foreign $(cat $d/foreign)" \
	eval "[ $(cat $d/foreign) -eq 0 ] && [ $(spm_attr $knode used) -eq 0 ]"
echo 1000000 >$d/release

# --- unregister with movable pages in use evacuates them, intact
echo 1000 >$d/hold_movable
tap_check "owner holds 1000 movable pages on node $snode (used $(spm_attr $snode used))" \
	[ "$(cat $d/hold_movable)" -eq 1000 -a "$(spm_attr $snode used)" -eq $((1000 * 4096)) ]
tap_check "spmctl offline with them: node removed" \
	eval "spmctl offline $sdax 2>/dev/null && [ ! -d /sys/bus/spm/devices/spm$snode ]"
tap_check "all 1000 evacuated off the node, contents verified" \
	eval "dmesg | grep -q 'node $snode removed: 1000 of 1000 movable pages evacuated, contents intact'"
tap_check "spmctl online: node $snode back" \
	eval "spmctl online $sdax >/dev/null && [ -d /sys/bus/spm/devices/spm$snode ]"
echo 10 >$d/hold

# --- unregister with pages in use keeps them, and can be retried
tap_check "spmctl offline with 10 pages held: refused" \
	eval "fails spmctl offline $sdax && grep -q 'could not be evacuated' /tmp/err"
tap_check "the node stays online, bound to $SPM_SAMPLE, isolated" \
	eval "[ \"\$(spm_attr $snode state)\" = online ] &&
	      [ \"\$(dax_driver $sdax)\" = $SPM_SAMPLE ] &&
	      ! node_in_state $snode has_memory"
tap_check "held pages intact" [ "$(cat $d/verify)" -eq 1 ]
echo 10 >$d/release
tap_check "released: the same spmctl offline now removes the node" \
	eval "spmctl offline $sdax >/dev/null && [ ! -d /sys/bus/spm/devices/spm$snode ]"
tap_check "spmctl online: node $snode back" \
	eval "spmctl online $sdax >/dev/null && [ -d /sys/bus/spm/devices/spm$snode ]"
tap_exit
