#!/bin/sh
# The kernel's own mm selftests (tools/testing/selftests/mm of the 6.12
# tree, built by scripts/mm-selftests.sh) twice in one boot: before any SPM
# node exists, then with two online (the CXL sample's node and the
# compressed sample's write-protecting node) and every program running in
# a policy group granted both that demotes into the compressed one. Each
# program's results (its KTAP points, uffd-unit-tests' and khugepaged's
# own result lines, its exit status) must be the same both times: one test
# point per program, with its counts; both runs' times, the reasons for
# its skips, any failure common to both runs and, with SPM nodes, what
# moved in and out of them while it ran are diagnostics. Both runs have
# 256 MiB of zram swap and no address space randomization.
# SPM-TOPOLOGY: mm-selftests
# SPM-TIMEOUT: 900
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/spm.sh
. /spm/lib/node.sh
. /spm/lib/pressure.sh

BIN=/tmp/mm-selftests
OUT=/tmp/mm-selftests.out
GROUP=mmst
CSAMPLE=compressed_spm_sample

# label|time limit (s)|nr_hugepages (2 MiB)|command line, run from $BIN.
# Lines with the same label are one program run in parts; they make one
# test point. A limit ending in "b" is a bound, not a failure: the program
# runs until then, and the results it printed by then that both runs
# reached must be the same.
#  - uffd-unit-tests, by test name (-f matches substrings), so that one
#    that hangs costs its own limit only; not all of them (see NOTES)
#  - split_huge_page_test: after its THP cases it writes 4 MiB a byte at a
#    time for each of 9 page-cache cases (minutes under TCG), which skip
#    anyway here: no filesystem with large folios (no XFS) in this kernel
#  - hugetlb_fault_after_madv: a race reproducer of 10000 rounds, minutes
#    under TCG; a kernel splat in its bound fails the boot
#  - transhuge-stress: 128 MiB for 5 s
TESTS="cow|120|16|cow
gup_longterm|60|16|gup_longterm
uffd-unit-tests|60|128|uffd-unit-tests -f register-ioctls
uffd-unit-tests|60|128|uffd-unit-tests -f zeropage
uffd-unit-tests|90|128|uffd-unit-tests -f move
uffd-unit-tests|60|128|uffd-unit-tests -f wp-
uffd-unit-tests|60|128|uffd-unit-tests -f sigbus
khugepaged|90|0|khugepaged
ksm_functional_tests|90|0|ksm_functional_tests
mkdirty|30|0|mkdirty
migration|90|16|migration
madv_populate|30|0|madv_populate
soft-dirty|60|0|soft-dirty
pagemap_ioctl|90|16|pagemap_ioctl
split_huge_page_test|10b|0|split_huge_page_test
transhuge-stress|30|0|transhuge-stress -d 5 128
hugepage-mmap|30|128|hugepage-mmap
hugepage-shm|30|128|hugepage-shm
map_hugetlb|30|128|map_hugetlb
hugepage-mremap|30|128|hugepage-mremap
hugepage-vmemmap|30|128|hugepage-vmemmap
hugetlb-madvise|30|128|hugetlb-madvise
hugetlb_fault_after_madv|5b|1|hugetlb_fault_after_madv
hugetlb_madv_vs_map|30|1|hugetlb_madv_vs_map
hugetlb_dio|30|128|hugetlb_dio
compaction_test|90|0|compaction_test"

# label|what of it is not run, and why
NOTES="uffd-unit-tests|not run: minor, minor-wp, minor-collapse and poison (over a minute each on shmem under TCG); events and events-wp: their child finds pages zeroed (\"memory corruption\") now and then, on anon or shmem, before any SPM node exists, and the test then hangs; the UFFDIO_API checks, which run only without -f
compaction_test|last: it fills 80% of MemFree with locked memory, which may leave the others short"

# Differences with SPM nodes online that are known bugs, tracked elsewhere:
# "label|reason", reported as TAP TODO points, not failures, until fixed.
# None today: every program reads the same with SPM nodes online.
KNOWN=""
# label|why it cannot run here
NOT_HERE="thuge-gen|needs four free 1 GiB hugetlb pages and fails without them on x86-64: the VM CPU has no 1 GiB pages, and four would not fit in its 2 GiB of DRAM"

uptime_cs()
{
	local u
	u=$(cut -d' ' -f1 /proc/uptime)
	echo $((${u%.*} * 100 + 1${u#*.} - 100))
}

secs()
{
	printf '%d.%d' $(($1 / 100)) $(($1 % 100 / 10))
}

# results LOG: one line per result, "pass|skip|fail NAME", in order: KTAP
# points ("1..0 # SKIP" too), uffd-unit-tests' "Testing X... done" lines,
# khugepaged's coloured OK/Fail/Skip lines (named after "Run test:")
results()
{
	awk '
	function out(st, name) { print st " " substr(name, 1, 200) }
	function uffd(rest) {
		if (rest == "done") out("pass", pending)
		else if (rest ~ /^skipped/) {
			sub(/^skipped *(\[reason: *)?/, "", rest)
			sub(/\] *$/, "", rest)
			out("skip", pending " (" rest ")")
		}
		else out("fail", pending ": " rest)
		pending = ""
	}
	pending != "" && /^(done|skipped|failed)/ { uffd($0); next }
	/^Testing .*\.\.\. / {
		if (pending != "") out("fail", pending ": no result")
		pending = $0
		sub(/^Testing /, "", pending)
		sub(/\.\.\. .*$/, "", pending)
		rest = $0
		sub(/^[^.]*(\.[^.]+)*\.\.\. /, "", rest)
		sub(/^.*\.\.\. /, "", rest)
		if (rest != "") uffd(rest)
		next
	}
	/^Run test: / { ctx = substr($0, 11) ": "; next }
	/^1\.\.0 *# *[Ss][Kk][Ii][Pp]/ {
		sub(/^1\.\.0 *# *[Ss][Kk][Ii][Pp] */, "")
		out("skip", "(" $0 ")")
		next
	}
	/^(not )?ok [0-9]+/ {
		st = /^not / ? "fail" : "pass"
		line = $0
		sub(/^(not )?ok [0-9]+ ?/, "", line)
		d = index(line, "#")
		if (d) {
			dir = substr(line, d + 1)
			sub(/^ */, "", dir)
			line = substr(line, 1, d - 1)
			if (st == "pass" && toupper(substr(dir, 1, 4)) == "SKIP") {
				st = "skip"
				dir = substr(dir, 5)
				sub(/^[ \t]+/, "", dir)
				if (dir != "") line = line "(" dir ")"
			}
		}
		sub(/[ \t]+$/, "", line)
		out(st, line == "" ? "#" NR : line)
		next
	}
	/\033\[3[123]m[^\033]*\033\[0m *$/ {
		st = /\033\[32m/ ? "pass" : /\033\[31m/ ? "fail" : "skip"
		line = $0
		sub(/ *\033\[3[123]m.*$/, "", line)
		sub(/^.*\r/, "", line)
		# khugepaged prints a dot per wait for a scan
		sub(/\.+$/, "", line)
		out(st, ctx line)
	}
	END { if (pending != "") out("fail", pending ": no result") }' "$1"
}

count()
{
	grep -c "^$2 " "$1"
}

# counts RES: "N pass N skip[ N fail]"
counts()
{
	local f
	f=$(count "$1" fail)
	echo "$(count "$1" pass) pass $(count "$1" skip) skip$([ "$f" -eq 0 ] || echo " $f fail")"
}

# spm_counters: "node counter value" for the counters of every SPM node
# that show pages coming and going
spm_counters()
{
	local d c
	for d in /sys/bus/spm/devices/spm*; do
		[ -d "$d" ] || continue
		for c in allocated demotions_in promotions write_faults refused; do
			echo "${d##*/} $c $(cat "$d/stats/$c")"
		done
	done
}

# spm_delta O: ", spmN: +X counter ..." for those that moved while O ran
spm_delta()
{
	paste -d' ' "$1.spm0" "$1.spm1" | awk '
		$6 != $3 { d[$1] = d[$1] " +" ($6 - $3) " " $2 }
		END { for (n in d) printf ", %s:%s", n, d[n] }'
}

# run_one RUN LABEL LIMIT HUGEPAGES CMD...: run one program (or one part
# of it), as root, from $BIN. $OUT/RUN/LABEL/NN.* keep the part's output
# (log), results (res), how it ended (exit), whether it hit its bound
# (bound) and its time in centiseconds (time).
run_one()
{
	local run=$1 label=$2 limit=${3%b} huge=$4 bounded='' d n o t0 t1 rc got prog how
	[ "$limit" = "$3" ] || bounded=1
	shift 4
	d=$OUT/$run/$label
	mkdir -p "$d"
	n=1
	while [ -f "$d/$(printf %02d $n).res" ]; do
		n=$((n + 1))
	done
	o=$d/$(printf %02d $n)
	echo 3 >/proc/sys/vm/drop_caches
	echo 1 >/proc/sys/vm/compact_memory
	echo "$huge" >/proc/sys/vm/nr_hugepages
	got=$(cat /proc/sys/vm/nr_hugepages)
	[ "$got" = "$huge" ] || tap_diag "  $label: only $got of $huge huge pages"
	prog=$1
	shift
	spm_counters >"$o.spm0"
	t0=$(uptime_cs)
	(cd $BIN && $RUNNER timeout -k 5 "$limit" "./$prog" "$@") >"$o.log" 2>&1 </dev/null
	rc=$?
	t1=$(uptime_cs)
	spm_counters >"$o.spm1"
	echo 0 >/proc/sys/vm/nr_hugepages
	echo "$prog $*" >"$o.cmd"
	echo $((t1 - t0)) >"$o.time"
	results "$o.log" >"$o.res"
	if [ $((t1 - t0)) -ge $((limit * 100)) ] && { [ $rc = 143 ] || [ $rc = 137 ]; }; then
		if [ -n "$bounded" ]; then
			how="stopped at its $limit s bound"
			touch "$o.bound"
			[ -s "$o.res" ] || echo "pass (ran its $limit s bound)" >"$o.res"
		else
			how="time limit ($limit s)"
			echo "fail $prog $*: still running at its $limit s time limit" >>"$o.res"
		fi
	else
		how="exit $rc"
		# a program that printed no result is judged by its exit status
		if [ ! -s "$o.res" ]; then
			case $rc in
			0) echo "pass (no results printed, exit 0)" ;;
			4) echo "skip (no results printed, exit 4)" ;;
			*) echo "fail (no results printed, exit $rc)" ;;
			esac >"$o.res"
		fi
	fi
	echo "$how" >"$o.exit"
	tap_diag "  $prog $*: $(counts "$o.res"), $how, $(secs $((t1 - t0))) s$(spm_delta "$o")"
}

# run_all RUN: every program once
run_all()
{
	local label limit huge cmd t0
	mkdir -p "$OUT/$1"
	t0=$(uptime_cs)
	while IFS='|' read -r label limit huge cmd; do
		# shellcheck disable=SC2086 # the command line is split on purpose
		run_one "$1" "$label" "$limit" "$huge" $cmd
	done <<EOF
$TESTS
EOF
	RUN_CS=$(($(uptime_cs) - t0))
}

# key RES: the results as compared: numbers in names (sizes, counts,
# random offsets) do not count
key()
{
	sed 's/[0-9][0-9]*/N/g' "$1"
}

# skip_reasons RES: how often each reason for a skip was given
skip_reasons()
{
	sed -n 's/^skip .*(\(.*\))$/\1/p' "$1" | sort | uniq -c | sort -rn | head -n 6 |
		sed 's/^ *\([0-9]*\) /\1 x /; s/^/#   skipped: /'
}

# label_time RUN LABEL: the seconds all parts took
label_time()
{
	secs "$(cat "$OUT/$1/$2"/*.time | awk '{ t += $1 } END { print t }')"
}

# judge LABEL: the test point of one program from its two runs. Parts that
# ended normally must give the same results and end the same way; for one
# stopped by its bound in either run, the results both runs reached.
judge()
{
	local a=$OUT/1/$1 b=$OUT/2/$1 part n na nb same=1 times
	: >"$a/common"
	: >"$a/notes"
	: >"$a/differ"
	for part in "$a"/*.res; do
		part=$(basename "$part" .res)
		key "$a/$part.res" >"$a/$part.key"
		key "$b/$part.res" >"$b/$part.key" 2>/dev/null
		if [ -f "$a/$part.bound" ] || [ -f "$b/$part.bound" ]; then
			na=$(wc -l <"$a/$part.key")
			nb=$(wc -l <"$b/$part.key")
			n=$((na < nb ? na : nb))
			head -n $n "$a/$part.key" >"$a/$part.kc"
			head -n $n "$b/$part.key" >"$b/$part.kc"
			head -n $n "$a/$part.res" >>"$a/common"
			# only a run stopped by the bound may have fewer results
			if { [ $na -lt $nb ] && [ ! -f "$a/$part.bound" ]; } ||
			   { [ $nb -lt $na ] && [ ! -f "$b/$part.bound" ]; }; then
				cp "$a/$part.key" "$a/$part.kc"
				cp "$b/$part.key" "$b/$part.kc"
			elif [ $na != $nb ]; then
				echo "$(cat "$a/$part.cmd"): $((na > nb ? na - n : nb - n)) more results $([ $na -gt $nb ] && echo before || echo with SPM nodes) within the bound" >>"$a/notes"
			fi
		else
			cp "$a/$part.key" "$a/$part.kc"
			cp "$b/$part.key" "$b/$part.kc"
			echo "exit: $(cat "$a/$part.exit")" >>"$a/$part.kc"
			echo "exit: $(cat "$b/$part.exit")" >>"$b/$part.kc"
			cat "$a/$part.res" >>"$a/common"
			case $(cat "$a/$part.exit") in
			"exit 0"|"exit 4") ;;
			*) echo "$(cat "$a/$part.cmd"): $(cat "$a/$part.exit")" >>"$a/notes" ;;
			esac
		fi
		if ! cmp -s "$a/$part.kc" "$b/$part.kc"; then
			same=
			{
				echo "$(cat "$a/$part.cmd"): before (-), with SPM nodes (+), numbers as N:"
				diff "$a/$part.kc" "$b/$part.kc" | grep '^[-+][^-+]'
			} >>"$a/differ"
		fi
	done
	times="$(label_time 1 "$1") s before, $(label_time 2 "$1") s with SPM nodes"
	if [ -z "$same" ]; then
		cat "$a"/*.res >"$a/all"
		cat "$b"/*.res >"$b/all"
		known=$(echo "$KNOWN" | sed -n "s/^$1|//p")
		if [ -n "$known" ]; then
			tap_todo "$known" "$1: differs with SPM nodes: $(counts "$a/all") before, $(counts "$b/all") with SPM nodes"
		else
			tap_not_ok "$1: differs with SPM nodes: $(counts "$a/all") before, $(counts "$b/all") with SPM nodes"
		fi
		tap_diag "  $times"
		notes "$1"
		sed 's/^/#   /' "$a/differ"
		for r in 1 2; do
			tap_diag "  output $([ $r = 1 ] && echo before || echo with SPM nodes):"
			for part in "$OUT/$r/$1"/*.log; do
				echo "#   | ### $(cat "${part%.log}.cmd"): $(cat "${part%.log}.exit"), $(secs "$(cat "${part%.log}.time")") s"
				awk '{ print "#   | " $0 }' "$part"
			done
		done
		return
	fi
	if ! grep -q -e '^pass ' -e '^fail ' "$a/common"; then
		tap_skip "$(sed -n 's/^skip .*(\(.*\))$/\1/p' "$a/common" | head -n 1)" "$1: skipped in both runs"
		tap_diag "  $times"
		return
	fi
	tap_ok "$1: $(counts "$a/common"), same with SPM nodes"
	tap_diag "  $times"
	notes "$1"
	skip_reasons "$a/common"
	sed -n 's/^fail /#   failed both times: /p' "$a/common"
	sed 's/^/#   note: /' "$a/notes"
}

# notes LABEL: what NOTES say about it
notes()
{
	echo "$NOTES" | awk -F'|' -v l="$1" '$1 == l { print "#   " $2 }'
}

labels()
{
	echo "$TESTS" | cut -d'|' -f1 | uniq
}

tap_plan $(($(labels | wc -l) + $(echo "$NOT_HERE" | wc -l)))
rm -rf $BIN $OUT
mkdir -p $BIN $OUT
xz -dc /spm/mm-selftests.tar.xz | tar -C $BIN -x || tap_bail "cannot unpack /spm/mm-selftests.tar.xz"
# as run_vmtests.sh: hugepage-shm maps 256 MiB of SysV shared memory
echo 268435456 >/proc/sys/kernel/shmmax
echo 4194304 >/proc/sys/kernel/shmall
# the same address space layout in both runs (uffd-unit-tests maps at a
# fixed hint that a randomly placed heap can take)
echo 0 >/proc/sys/kernel/randomize_va_space
# swap, which cow's, khugepaged's and the uffd tests' swap cases need
zram_swap 256M || tap_bail "cannot swap to zram0"

# The soft-reserved dax device: kmem claims it at boot; it is device_dax
# in both runs, until the compressed sample takes it.
dax=$(daxctl list | jq -r '.[0].chardev // empty')
[ -n "$dax" ] || tap_bail "no soft-reserved dax device"
spm_devdax "$dax" || tap_bail "cannot take $dax back from kmem"
tap_diag "run 1: no SPM node (has_spm_memory '$(cat /sys/devices/system/node/has_spm_memory)'), memory nodes $(cat /sys/devices/system/node/has_memory), $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB"
RUNNER=
run_all 1
run1=$RUN_CS

t0=$(uptime_cs)
spm_sample_load || tap_bail "cannot load $SPM_SAMPLE"
cn=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
zn=$(cat /sys/bus/dax/devices/$dax/target_node)
insmod "$(find /lib/modules/"$(uname -r)" -name $CSAMPLE.ko)" budget_percent=25 ||
	tap_bail "cannot load $CSAMPLE"
spmctl online -d $CSAMPLE "$dax" >/dev/null || tap_bail "spmctl online -d $CSAMPLE $dax"
spm_policy_mount
mkdir $POLICY/$GROUP && echo "$cn,$zn" >$POLICY/$GROUP/spm.nodes &&
	echo "$zn" >$POLICY/$GROUP/memory.tier || tap_bail "cannot create group $GROUP"
echo true >/sys/kernel/mm/numa/demotion_enabled
tap_diag "run 2: SPM nodes $(cat /sys/devices/system/node/has_spm_memory) (CXL node $cn: $(($(spm_attr "$cn" size) >> 20)) MiB; compressed node $zn: $(($(spm_attr "$zn" size) >> 20)) MiB, $(spm_attr "$zn" caps)), memory nodes $(cat /sys/devices/system/node/has_memory), $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB; every program in group $GROUP (spm.nodes $(cat $POLICY/$GROUP/spm.nodes), memory.tier $(cat $POLICY/$GROUP/memory.tier)); set up in $(secs $(($(uptime_cs) - t0))) s"
RUNNER="spmctl exec --group $GROUP --"
run_all 2
run2=$RUN_CS
for n in $cn $zn; do
	tap_diag "node $n after run 2: $(($(spm_attr "$n" used) >> 10)) KiB used, $(spmctl stat "$n" | jq -c '.[0].stats')"
done
tap_diag "group $GROUP: $(tr '\n' ' ' <$POLICY/$GROUP/stat)"

json=
for label in $(labels); do
	judge "$label"
	json="$json${json:+, }\"$label\": {\"same\": $(grep -q . "$OUT/1/$label/differ" && echo false || echo true)"
	for r in 1 2; do
		json="$json, \"run$r\": {$(cat "$OUT/$r/$label"/*.res | awk '
			{ n[$1]++ } END { printf "\"pass\": %d, \"skip\": %d, \"fail\": %d", n["pass"], n["skip"], n["fail"] }'), \"seconds\": $(label_time $r "$label")}"
	done
	json="$json}"
done
while IFS='|' read -r label why; do
	tap_skip "$why" "$label: not run"
done <<EOF
$NOT_HERE
EOF
tap_diag "run 1 (no SPM node): $(secs $run1) s; run 2 (SPM nodes $cn and $zn online): $(secs $run2) s"
spm_result mm-selftests "{\"run1_seconds\": $(secs $run1), \"run2_seconds\": $(secs $run2), \"programs\": {$json}}"
tap_exit
