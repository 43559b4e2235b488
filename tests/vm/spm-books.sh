#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# SPM memory is not RAM of the system's: the heuristics that size ordinary
# memory must read the same before and after an SPM node comes (and goes):
# node 0's min/low/high watermarks, min_free_kbytes, MemTotal, CommitLimit
# exactly; MemFree, MemAvailable and the dirty thresholds within the node's
# memmap (struct pages live in DRAM: 1/64 of the node) and background noise.
# Pages the owner hands out do not show as used RAM either. The same device
# onlined by dax/kmem, the baseline, moves every one of these figures.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 900
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/spm.sh

# Free memory moves for reasons of its own (per-CPU page lists, the node's
# memmap: 2 MiB for 128 MiB): allow 24 MiB, and a fifth and a tenth of that
# for the dirty thresholds (vm.dirty_ratio 20, dirty_background_ratio 10).
TOL=6144

# books: one line of the figures, in pages (watermarks joined by ':')
books()
{
	local wm
	wm=$(awk '/^Node 0, zone/ { z = $4 }
		  z != "" && $1 == "min" { m = m z "=" $2 }
		  z != "" && $1 == "low" { m = m "/" $2 }
		  z != "" && $1 == "high" { m = m "/" $2 ":"; z = "" }
		  END { print m }' /proc/zoneinfo)
	echo "wm=$wm" \
	     "min_free_kbytes=$(cat /proc/sys/vm/min_free_kbytes)" \
	     "user_reserve_kbytes=$(cat /proc/sys/vm/user_reserve_kbytes)" \
	     "total=$(($(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo) / 4))" \
	     "commit=$(($(awk '$1 == "CommitLimit:" { print $2 }' /proc/meminfo) / 4))" \
	     "free=$(($(awk '$1 == "MemFree:" { print $2 }' /proc/meminfo) / 4))" \
	     "avail=$(($(awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo) / 4))" \
	     "dirty=$(awk '$1 == "nr_dirty_threshold" { print $2 }' /proc/vmstat)" \
	     "bgdirty=$(awk '$1 == "nr_dirty_background_threshold" { print $2 }' /proc/vmstat)"
}

# same A B KEY...: each KEY reads the same in A and B
same()
{
	local a=$1 b=$2 k
	shift 2
	for k; do
		[ "$(field "$a" $k)" = "$(field "$b" $k)" ] || { tap_diag "$k: $(field "$a" $k) -> $(field "$b" $k)"; return 1; }
	done
}

# near A B TOL KEY...: each KEY moves by at most TOL pages
near()
{
	local a=$1 b=$2 tol=$3 k d
	shift 3
	for k; do
		d=$(($(field "$b" $k) - $(field "$a" $k)))
		[ ${d#-} -le "$tol" ] || { tap_diag "$k: $(field "$a" $k) -> $(field "$b" $k)"; return 1; }
	done
}

# near_free A B [TOL]: MemFree, MemAvailable and the dirty thresholds are
# near (within TOL pages, $TOL by default)
near_free()
{
	local tol=${3:-$TOL}
	near "$1" "$2" $tol free avail && near "$1" "$2" $((tol / 5)) dirty &&
		near "$1" "$2" $((tol / 10)) bgdirty
}

# no_drop A B: MemFree, MemAvailable and the dirty thresholds did not drop
# (memory in use before may have been freed since)
no_drop()
{
	local k
	for k in free avail dirty bgdirty; do
		[ $(($(field "$2" $k) - $(field "$1" $k))) -ge $((-TOL / 10)) ] ||
			{ tap_diag "$k: $(field "$1" $k) -> $(field "$2" $k)"; return 1; }
	done
}

# grows A B MIN KEY...: each KEY grows by more than MIN pages
grows()
{
	local a=$1 b=$2 min=$3 k
	shift 3
	for k; do
		[ $(($(field "$b" $k) - $(field "$a" $k))) -gt "$min" ] ||
			{ tap_diag "$k: $(field "$a" $k) -> $(field "$b" $k)"; return 1; }
	done
}

tap_plan 11
kdax=$(cxl_devdax mem0)
[ -n "$kdax" ] || tap_bail "no dax device on mem0"
spm_sample_load
sync; echo 3 >/proc/sys/vm/drop_caches
before=$(books)
tap_diag "before:   $before"

# --- an SPM node comes
snode=$(spm_online_memdev mem1)
[ -n "$snode" ] || tap_bail "cannot make mem1 an SPM node"
spm=$(books)
tap_diag "with SPM: $spm"
npages=$(($(node_meminfo $snode MemTotal) / 4))
tap_check "spm$snode online: $npages pages in node $snode's own meminfo" [ "$npages" -ge 16384 ]
tap_check "node 0 watermarks and min_free_kbytes unchanged" \
	same "$before" "$spm" wm min_free_kbytes
tap_check "MemTotal and CommitLimit unchanged" same "$before" "$spm" total commit
# KASAN (the debug kernel) shadows hot-added memory in DRAM too: an eighth
# of the node, freed again when it goes
shadow=0
grep -qw kasan_report /proc/kallsyms && shadow=$((npages / 8))
tap_check "MemFree, MemAvailable, dirty thresholds near (KASAN shadow: $shadow pages); vm.user_reserve_kbytes unchanged" \
	eval 'near_free "$before" "$spm" $((TOL + shadow)) && same "$before" "$spm" user_reserve_kbytes'

# --- its owner hands out pages: not RAM the system used
spm_policy_mount
mkdir $POLICY/books
echo "$snode" >$POLICY/books/spm.nodes
rm -f /tmp/books-held
spmctl exec --group books -- spmmap -w 0 "$snode" 16384 >/tmp/books-held &
held=$!
wait_for /tmp/books-held ready
used=$(books)
tap_check "16384 pages mapped from spm$snode: $(cat /tmp/books-held | head -n 1)" \
	grep -q "touched=16384 sigbus=0 intact=16384 on_node=16384" /tmp/books-held
tap_check "MemFree and MemAvailable within $TOL pages while they are used" \
	near "$spm" "$used" $TOL free avail
kill -USR1 $held
wait $held

# --- a full SPM node fails the owner's allocation, it does not stall it
out=$(timeout 120 spmctl exec --group books -- spmmap "$snode" $((npages + 1)))
tap_check "spmmap fills node $snode until SIGBUS, in bounded time: 90% of $npages pages ($out)" \
	eval "echo '$out' | grep -q 'sigbus=1 intact=' && [ \$(field '$out' touched) -ge $((npages * 9 / 10)) ]"
rmdir $POLICY/books

# --- and goes
spmctl offline "spm$snode" >/dev/null
after=$(books)
tap_diag "after:    $after"
tap_check "spmctl offline spm$snode: watermarks, MemTotal, CommitLimit as before" \
	same "$before" "$after" wm min_free_kbytes total commit
tap_check "MemFree, MemAvailable, dirty thresholds did not drop as its pages left" \
	no_drop "$spm" "$after"

# --- the baseline: the same kind of device as System RAM moves every figure
daxctl reconfigure-device -m system-ram "$kdax" >/dev/null
kmem=$(books)
tap_diag "kmem:     $kmem"
tap_check "dax/kmem $kdax: MemTotal, MemFree, MemAvailable grow by > $((npages / 2)) pages" \
	grows "$after" "$kmem" $((npages / 2)) total free avail
tap_check "dax/kmem $kdax: CommitLimit, dirty thresholds grow by > $((TOL / 5)), $((TOL / 10)) pages" \
	eval 'grows "$after" "$kmem" $((TOL / 5)) commit dirty && grows "$after" "$kmem" $((TOL / 10)) bgdirty'
daxctl offline-memory "$kdax" >/dev/null
tap_exit
