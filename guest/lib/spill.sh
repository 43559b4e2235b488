# SPDX-License-Identifier: GPL-2.0
# Measure how many ordinary pages land on a node under the pressure mix.
# Sourced; needs node.sh, pressure.sh and tap.sh.

# spill_measure NAME NODE: run the pressure mix and sample NODE while it is
# held. Sets SPILL_PAGES (-1 if the mix could not be held), prints a summary
# and reports the figures as result NAME.
spill_measure()
{
	local name=$1 node=$2 total used0 used1 spill pct anon file shmem
	SPILL_PAGES=-1
	total=$(node_meminfo "$node" MemTotal)
	used0=$(node_used_kb "$node")
	if ! pressure_start; then
		pressure_stop
		echo "# $name: the pressure mix could not be held" >&2
		return 1
	fi
	used1=$(node_used_kb "$node")
	anon=$(node_meminfo "$node" AnonPages)
	file=$(node_meminfo "$node" FilePages)
	shmem=$(node_meminfo "$node" Shmem)
	pressure_stop

	spill=$((used1 - used0))
	SPILL_PAGES=$((spill / 4))
	pct=$(awk -v s="$spill" -v t="$total" 'BEGIN { printf "%.1f", 100 * s / t }')
	echo "# $name: $SPILL_PAGES pages ($((spill / 1024)) MiB, $pct% of node $node) landed on node $node: anon $anon kB, page cache $file kB (tmpfs $shmem kB)"
	spm_result "$name" "$(printf '{"node":%d,"node_total_kb":%d,"node0_free_kb_before":%d,"spill_pages":%d,"spill_kb":%d,"spill_pct":%s,"anon_kb":%d,"file_kb":%d,"shmem_kb":%d}' \
		"$node" "$total" "$PRESSURE_FREE_KB" "$SPILL_PAGES" "$spill" "$pct" "$anon" "$file" "$shmem")"
}

# spill_compare NAME KMEM_NODE SPM_NODE: one pressure run, two nodes sampled
# while it is held. Sets KMEM_SPILL and SPM_SPILL (pages; -1 if the mix
# could not be held) and reports both as result NAME.
spill_compare()
{
	local name=$1 knode=$2 snode=$3 k0 s0
	KMEM_SPILL=-1
	SPM_SPILL=-1
	k0=$(node_used_kb "$knode")
	s0=$(node_used_kb "$snode")
	if ! pressure_start; then
		pressure_stop
		return 1
	fi
	KMEM_SPILL=$((($(node_used_kb "$knode") - k0) / 4))
	SPM_SPILL=$((($(node_used_kb "$snode") - s0) / 4))
	pressure_stop
	echo "# $name: same pressure: kmem node $knode received $KMEM_SPILL pages, SPM node $snode received $SPM_SPILL"
	spm_result "$name" "$(printf '{"kmem_node":%d,"kmem_spill_pages":%d,"spm_node":%d,"spm_foreign_pages":%d}' \
		"$knode" "$KMEM_SPILL" "$snode" "$SPM_SPILL")"
}
