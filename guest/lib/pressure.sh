# SPDX-License-Identifier: GPL-2.0
# The memory-pressure mix used by the baseline and the isolation tests: page
# cache (a file on the ext2 RAM disk at /scratch, whose pages are used twice:
# in the page cache and in the RAM disk), tmpfs (/dev/shm) and anonymous
# memory (memhog), sized against node 0's free memory so that the node runs
# out while every kind of memory is being allocated. Sourced; needs node.sh.

PRESSURE_PCT_FILE=20	# x2: page cache + RAM disk
PRESSURE_PCT_SHMEM=25
PRESSURE_PCT_ANON=55	# 120% of node 0's free memory in all

# pressure_try PCT: allocate PCT% of the mix and hold it; fails if any part
# cannot be allocated or memhog does not live to hold its share.
pressure_try()
{
	local free mib_file mib_shmem mib_anon i
	PRESSURE_FREE_KB=$(node_meminfo 0 MemFree)
	free=$((PRESSURE_FREE_KB / 1024 * $1 / 100))
	mib_file=$((free * PRESSURE_PCT_FILE / 100))
	mib_shmem=$((free * PRESSURE_PCT_SHMEM / 100))
	mib_anon=$((free * PRESSURE_PCT_ANON / 100))
	echo "# pressure: node 0 free $((PRESSURE_FREE_KB / 1024)) MiB, at $1%: page cache ${mib_file}, tmpfs ${mib_shmem}, anon ${mib_anon} MiB"

	dd if=/dev/zero of=/scratch/pressure.file bs=1M count="$mib_file" 2>/dev/null &&
		sync && cat /scratch/pressure.file >/dev/null || return 1
	dd if=/dev/zero of=/dev/shm/pressure bs=1M count="$mib_shmem" 2>/dev/null || return 1
	memhog "$mib_anon" >/tmp/memhog.out &
	PRESSURE_PID=$!
	for i in $(seq 600); do
		grep -q ready /tmp/memhog.out 2>/dev/null && return 0
		kill -0 "$PRESSURE_PID" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

# pressure_start: allocate the mix and hold it; returns once it is all held.
# Sets PRESSURE_PID (the memhog) and PRESSURE_FREE_KB (node 0 free before).
# Node 0's last pages go to whoever asks first: when a kmem spill node is
# ZONE_MOVABLE, kernel allocations can only use node 0, and the OOM killer
# may take memhog. Then the mix is tried again, 10% smaller, up to twice:
# what is measured is where pages land, not how close to OOM we got.
pressure_start()
{
	local pct
	for pct in 100 90 80; do
		pressure_try $pct && return 0
		echo "# pressure: the mix at $pct% could not be held, trying less"
		pressure_stop
	done
	return 1
}

# pressure_squeeze MIB [CMD...]: hold all of node 0's free memory and MIB
# MiB more in one memhog, run through CMD... if given (numactl, say), so
# that reclaim has to find MIB MiB on node 0 (by demotion when there is no
# swap). Returns 0 once memhog holds it all, 1 if it died first (the OOM
# killer) or 120 s passed; sets PRESSURE_PID.
pressure_squeeze()
{
	local mib=$(($(node_meminfo 0 MemFree) / 1024 + $1)) i
	shift
	"$@" memhog $mib >/tmp/memhog.out &
	PRESSURE_PID=$!
	for i in $(seq 1200); do
		grep -q ready /tmp/memhog.out 2>/dev/null && return 0
		kill -0 "$PRESSURE_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

pressure_stop()
{
	[ -n "${PRESSURE_PID:-}" ] && kill "$PRESSURE_PID" 2>/dev/null && wait "$PRESSURE_PID"
	PRESSURE_PID=
	rm -f /scratch/pressure.file /dev/shm/pressure /tmp/memhog.out
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# zram_swap SIZE: swap to zram0, made afresh with SIZE (64M, 256M, ...) of
# capacity; undo with "swapoff /dev/zram0"
zram_swap()
{
	echo 1 >/sys/block/zram0/reset && echo "$1" >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null && swapon /dev/zram0
}
