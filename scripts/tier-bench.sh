#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The tiering benchmark: demotion and promotion throughput into one CXL
# device used as an SPM node (a policy group's memory.tier) and as a
# dax/kmem lower memory tier, same topology, same workload, one boot (see
# guest/tier-bench.sh). Prints SPM/kmem ratios and writes
# build/results/tier-bench.json. A benchmark, not a test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TOPO=cxl-single
OUT=$SPM_BUILD/tier-bench

stage "boot $TOPO, run guest/tier-bench.sh" \
	"$SPM_TOP/scripts/run-vm.sh" --quiet --out "$OUT" "$TOPO" "$SPM_TOP/guest/tier-bench.sh" ||
	die "the tiering benchmark failed; see $OUT"

mkdir -p "$SPM_BUILD/results"
jq -n --slurpfile s "$OUT/results/tier-spm.json" --slurpfile k "$OUT/results/tier-kmem.json" '
	def median: sort | .[(length - 1) / 2 | floor];
	def demote: map(.demoted_pages * 4096 / 1048576 / (.demote_cs / 100)) | median;
	def promote: map(.promoted_pages * 4096 / 1048576 / .promote_s) | median;
	$s[0] as $s | $k[0] as $k |
	{ topology: "'$TOPO'", runs: ($s | length), spm: $s, kmem: $k,
	  spm_demote_mib_s: ($s | demote), kmem_demote_mib_s: ($k | demote),
	  spm_promote_mib_s: ($s | promote), kmem_promote_mib_s: ($k | promote),
	  demote_ratio: (($s | demote) / ($k | demote)),
	  promote_ratio: (($s | promote) / ($k | promote)) }' >"$SPM_BUILD/results/tier-bench.json"
jq -r 'def r: . * 1000 | round / 1000;
	"medians of \(.runs) runs each:",
	"demotion into the CXL memory, MiB/s: SPM node \(.spm_demote_mib_s | r), kmem tier \(.kmem_demote_mib_s | r), SPM/kmem \(.demote_ratio | r)",
	"promotion back to node 0, MiB/s:     SPM node \(.spm_promote_mib_s | r), kmem tier \(.kmem_promote_mib_s | r), SPM/kmem \(.promote_ratio | r)"' \
	"$SPM_BUILD/results/tier-bench.json"
