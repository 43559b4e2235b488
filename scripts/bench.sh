#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The gate benchmark: page-fault, allocation and free throughput of ordinary
# memory on the patched kernel (no SPM node, then an SPM node online)
# against the same kernel built without our patches, in the same topology,
# in one run. Prints the ratios and writes build/results/bench.json.
# A benchmark, not a test: it reports, it does not pass or fail.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TOPO=cxl-dual
OUT=$SPM_BUILD/bench

"$SPM_TOP/scripts/build-kernel.sh" --base

run()
{
	local name=$1
	shift
	"$SPM_TOP/scripts/run-vm.sh" --quiet --out "$OUT/$name" "$@" "$TOPO" \
		"$SPM_TOP/guest/bench.sh" || die "benchmark run '$name' failed; see $OUT/$name"
}

stage "boot unpatched kernel, run guest/bench.sh" \
	run base --kernel "$SPM_BUILD/obj-base/arch/x86/boot/bzImage"
stage "boot patched kernel, run guest/bench.sh" run spm

mkdir -p "$SPM_BUILD/results"
jq -n --slurpfile b "$OUT/base/results/bench.json" --slurpfile s "$OUT/spm/results/bench.json" '
	$b[0] as $u | $s[0] as $p |
	{ topology: "'$TOPO'", unpatched: $u, patched: $p,
	  ratio_no_spm_node: ($p.faults_per_sec_no_spm_node / $u.faults_per_sec_no_spm_node),
	  ratio_spm_node_online: ($p.faults_per_sec_spm_node_online / $u.faults_per_sec_no_spm_node),
	  ratio_no_spm_node_median: ($p.faults_per_sec_no_spm_node_median /
				     $u.faults_per_sec_no_spm_node_median),
	  ratio_spm_node_online_median: ($p.faults_per_sec_spm_node_online_median /
					 $u.faults_per_sec_no_spm_node_median),
	  owner_spm_vs_dram: ($p.owner_dram_ns / $p.owner_spm_ns) }' \
	>"$SPM_BUILD/results/bench.json"
jq -r 'def r: . * 1000 | round / 1000;
	"fault+alloc+free throughput on node 0, faults/s (best | median of \(.patched.runs) runs):",
	"  unpatched kernel:          \(.unpatched.faults_per_sec_no_spm_node) | \(.unpatched.faults_per_sec_no_spm_node_median)",
	"  patched, no SPM node:      \(.patched.faults_per_sec_no_spm_node) | \(.patched.faults_per_sec_no_spm_node_median)   ratio \(.ratio_no_spm_node | r) | \(.ratio_no_spm_node_median | r)",
	"  patched, SPM node online:  \(.patched.faults_per_sec_spm_node_online) | \(.patched.faults_per_sec_spm_node_online_median)   ratio \(.ratio_spm_node_online | r) | \(.ratio_spm_node_online_median | r)",
	"owner allocation + clear + free, \(.patched.owner_pages) pages: SPM node \(.patched.owner_spm_ns / 1e6 | round) ms, DRAM \(.patched.owner_dram_ns / 1e6 | round) ms (SPM/DRAM throughput \(.owner_spm_vs_dram | r))"' \
	"$SPM_BUILD/results/bench.json"
