#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the test kernel on a topology from qemu-configs/ and run scripts in it.
#
#   run-vm.sh [--out DIR] [--timeout SECS] [--kernel BZIMAGE] [--quiet]
#             TOPOLOGY [SCRIPT]...
#
# Each SCRIPT is a host file (any executable the guest can run); it runs in
# the guest in order, with its stdout/stderr streamed here (guest ttyS1) and
# the kernel console kept in DIR/console.log (guest ttyS0). A script's time
# limit is its "# SPM-TIMEOUT: N" header line, else 300 s. Results that a
# script reports with spm_result land in DIR/results/NAME.json. Without a
# SCRIPT the guest opens a shell on this terminal. The kernel is the one
# "make kernel" built unless --kernel names another (benchmarks boot an
# unpatched one this way).
#
# Exit status: 0 when every script exited 0 and no kernel splat was seen,
# 124 when the VM hit its time limit, 1 otherwise.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage()
{
	sed -n '3,20s/^# \{0,1\}//p' "$0"
	exit 2
}

out= limit= quiet=0 kernel=$KOBJ/arch/x86/boot/bzImage
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--timeout) limit=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--quiet) quiet=1; shift ;;
	-h|--help) usage ;;
	-*) echo "unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
topo=$1
shift
conf=$SPM_TOP/qemu-configs/$topo.conf
[ -f "$conf" ] || die "no topology '$topo'; have: $(cd "$SPM_TOP/qemu-configs" && ls *.conf | sed 's/\.conf$//' | xargs)"
[ -f "$kernel" ] || die "no kernel at $kernel; run 'make kernel'"
[ -f "$INITRAMFS" ] || die "no initramfs at $INITRAMFS; run 'make initramfs'"
for s in "$@"; do
	[ -f "$s" ] || die "no such script: $s"
done

out=${out:-$SPM_BUILD/vm/$topo}
rm -rf "$out"
mkdir -p "$out/payload/spm/run" "$out/results"
out=$(cd "$out" && pwd)

# The payload: the scripts, appended to the initramfs as a second archive.
total=0
for s in "$@"; do
	name=$(basename "$s")
	t=$(sed -n 's/^# SPM-TIMEOUT: *\([0-9]\+\).*/\1/p' "$s" | head -n 1)
	t=${t:-300}
	install -m 0755 "$s" "$out/payload/spm/run/$name"
	echo "$name $t" >>"$out/payload/spm/run/list"
	total=$((total + t))
done
(cd "$out/payload" && find . | cpio -o -H newc --quiet) >"$out/payload.cpio"
cat "$INITRAMFS" "$out/payload.cpio" >"$out/initrd"
limit=${limit:-$((total + 120))}

# Fresh backing files every boot: stale labels break namespace creation.
. "$conf"
for b in "${BACKING[@]}"; do
	truncate -s "${b#*:}" "$out/${b%%:*}"
done

serial=(-serial "file:$out/console.log" -serial "file:$out/output.log")
[ $# -gt 0 ] || serial=(-serial mon:stdio -serial "file:$out/output.log")
cmd=(qemu-system-x86_64 -accel tcg,thread=multi -nodefaults -display none -no-reboot
	"${QEMU_ARGS[@]}"
	-kernel "$kernel" -initrd "$out/initrd"
	-append "console=ttyS0 panic=-1 brd.rd_nr=1 brd.rd_size=$((256 << 10)) $CMDLINE"
	"${serial[@]}")
printf '%q ' "${cmd[@]}" >"$out/qemu-cmdline"

echo "==> boot $topo: $DESCRIPTION"
echo "    scripts: ${*:-(interactive shell)}; limit ${limit}s; logs in ${out#"$SPM_TOP"/}"
start=$SECONDS
rc=0
if [ $# -eq 0 ]; then
	(cd "$out" && "${cmd[@]}") || rc=$?
else
	(cd "$out" && exec timeout -k 10 "$limit" "${cmd[@]}") &
	qpid=$!
	touch "$out/output.log"
	[ $quiet = 1 ] || tail -n +1 -f --pid=$qpid "$out/output.log" | tr -d '\r' &
	wait $qpid || rc=$?
	wait
fi
case $rc in
0) note= ;;
124) note=" (TIME LIMIT ${limit}s)" ;;
*) note=" (qemu exit $rc)" ;;
esac
echo "<== boot $topo: $((SECONDS - start))s$note"

tr -d '\r' <"$out/output.log" |
	sed -n 's/^# SPM-RESULT \([A-Za-z0-9._-]\+\) \(.*\)$/\1 \2/p' |
	while read -r name json; do
		printf '%s\n' "$json" >"$out/results/$name.json"
	done

[ $# -eq 0 ] && exit $rc
[ $rc = 124 ] && exit 124
python3 "$SPM_TOP/tests/runner/spm_runner.py" --scan "$out" || rc=1
exit $rc
