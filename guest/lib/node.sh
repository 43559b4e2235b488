# SPDX-License-Identifier: GPL-2.0
# NUMA node helpers over /sys/devices/system/node. Sourced.

# node_meminfo NODE FIELD: a field of nodeN/meminfo, in kB
node_meminfo()
{
	awk -v f="$2:" '$3 == f { print $4 }' "/sys/devices/system/node/node$1/meminfo"
}

# node_used_kb NODE: MemTotal - MemFree, exact: per-CPU vmstat deltas are
# folded in first (stat_refresh), not up to a second later
node_used_kb()
{
	echo 1 >/proc/sys/vm/stat_refresh
	echo $(($(node_meminfo "$1" MemTotal) - $(node_meminfo "$1" MemFree)))
}

# node_in_list NODE FILE: is NODE in the node list ("0-1,3") in FILE?
node_in_list()
{
	local n
	for n in $(awk -v RS=, '{
		gsub(/[[:space:]]/, "")
		if (split($0, r, "-") == 2) for (i = r[1]; i <= r[2]; i++) print i
		else if ($0 != "") print $0 + 0 }' "$2"); do
		[ "$n" = "$1" ] && return 0
	done
	return 1
}

# node_in_state NODE STATE: is NODE in has_memory / online / has_cpu ...?
node_in_state()
{
	node_in_list "$1" "/sys/devices/system/node/$2"
}

# node_tier NODE: the memory tier holding NODE (memory_tierN), if any
node_tier()
{
	local t
	for t in /sys/devices/virtual/memory_tiering/memory_tier*; do
		[ -f "$t/nodelist" ] && node_in_list "$1" "$t/nodelist" && { echo "${t##*/}"; return 0; }
	done
	return 1
}

# node_zone_present NODE ZONE: present pages of one zone of NODE (0 if none)
node_zone_present()
{
	awk -v node="$1" -v zone="$2" '
		$1 == "Node" { in_zone = ($2 == node "," && $4 == zone) }
		in_zone && $1 == "present" { print $2; found = 1; exit }
		END { if (!found) print 0 }' /proc/zoneinfo
}
