#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The gate benchmark's guest side (scripts/bench.sh boots it on the patched
# and on the unpatched kernel, same topology): page-fault, allocation and
# free throughput of ordinary anonymous memory on node 0, on CPU 0, 15
# runs: the best run (interference under TCG only ever slows a run down)
# and the median.
# On the patched kernel it runs twice: before any SPM node exists (the
# gate's static key is off) and with an SPM node online (key on).
# SPM-TIMEOUT: 900
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/spm.sh

MIB=64
ROUNDS=16
RUNS=15

# faults NAME: RUNS runs of faultbench on node 0 and CPU 0; sets BEST and
# MEDIAN (faults/s) and keeps the sorted runs in /tmp/runs.NAME
faults()
{
	local i
	for i in $(seq $RUNS); do
		numactl --membind=0 --physcpubind=0 /spm/bin/faultbench $MIB $ROUNDS |
			awk '{ print $2 }'
	done | sort -n >/tmp/runs.$1
	BEST=$(tail -n 1 /tmp/runs.$1)
	MEDIAN=$(sed -n "$(((RUNS + 1) / 2))p" /tmp/runs.$1)
}

# the same devices on both kernels; only the patched one makes an SPM node
dax=$(cxl_devdax mem1) || exit 1
/spm/bin/faultbench $MIB 4 >/dev/null	# warm up
faults key_off
off=$BEST off_median=$MEDIAN
echo "# node 0, no SPM node: best $off, median $off_median faults/s ($(xargs </tmp/runs.key_off))"
on=0 on_median=0
if [ -d /sys/bus/spm ]; then
	spm_sample_load && spmctl online "$dax" >/dev/null || exit 1
	faults key_on
	on=$BEST on_median=$MEDIAN
	echo "# node 0, SPM node online: best $on, median $on_median faults/s ($(xargs </tmp/runs.key_on))"
	# the owner's side: allocate + clear + free on the SPM node vs DRAM
	d=$SPM_SAMPLE_DEBUGFS/$dax
	echo 16384 >"$d/alloc_bench" || exit 1
	spm_ns=$(cat "$d/bench_spm_ns")
	dram_ns=$(cat "$d/bench_dram_ns")
	echo "# owner alloc+clear+free, 16384 pages: SPM node $spm_ns ns, DRAM $dram_ns ns"
fi
spm_result bench "$(printf '{"kernel":"%s","spm":%s,"mib":%d,"rounds":%d,"runs":%d,"faults_per_sec_no_spm_node":%d,"faults_per_sec_no_spm_node_median":%d,"faults_per_sec_spm_node_online":%d,"faults_per_sec_spm_node_online_median":%d,"owner_pages":16384,"owner_spm_ns":%d,"owner_dram_ns":%d}' \
	"$(uname -v)" "$([ -d /sys/bus/spm ] && echo true || echo false)" $MIB $ROUNDS $RUNS \
	"$off" "$off_median" "$on" "$on_median" "${spm_ns:-0}" "${dram_ns:-0}")"
