#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# spmctl against a fake sysfs tree (SPMCTL_SYSFS): what "list" reports and
# how every command treats bad input. online/offline of real devices are
# tested in the VM (tests/vm/spm-cxl.sh). The group and exec commands run
# against a fake policy file system (SPMCTL_POLICY) of plain directories:
# there mkdir makes no files, so the tests make the groups they list.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/guest/lib/tap.sh"
SPMCTL=$TOP/build/spmctl/spmctl
FAKE=$(mktemp -d)
trap 'rm -rf "$FAKE" "$FAKE.err"' EXIT
export SPMCTL_SYSFS=$FAKE
POLICY=$FAKE/fs/policy
export SPMCTL_POLICY=$POLICY

# spm_node NID DAX CAPS USED: a registered node whose parent is dax device DAX
spm_node()
{
	local dev=$FAKE/devices/platform/cxl/$2/spm$1
	mkdir -p "$dev/stats" "$FAKE/bus/spm/devices" "$FAKE/bus/dax/devices"
	echo "$1" >"$dev/node"
	echo "$2" >"$dev/name"
	echo cxl >"$dev/class"
	echo "$3" >"$dev/caps"
	echo 268435456 >"$dev/size"
	echo "$4" >"$dev/used"
	echo $((268435456 - $4)) >"$dev/free"
	echo 70 >"$dev/stats/allocated"
	echo 6 >"$dev/stats/freed"
	echo 2 >"$dev/stats/refused"
	ln -s "../../../devices/platform/cxl/$2/spm$1" "$FAKE/bus/spm/devices/spm$1"
	ln -s "../../../devices/platform/cxl/$2" "$FAKE/bus/dax/devices/$2"
}

# cxl_region NAME START SIZE
cxl_region()
{
	mkdir -p "$FAKE/bus/cxl/devices/$1"
	echo "$2" >"$FAKE/bus/cxl/devices/$1/resource"
	echo "$3" >"$FAKE/bus/cxl/devices/$1/size"
}

# exits_with STATUS PATTERN CMD...: CMD exits STATUS and says PATTERN on stderr
exits_with()
{
	local status=$1 pat=$2 rc
	shift 2
	"$@" >/dev/null 2>"$FAKE.err"
	rc=$?
	[ $rc -eq "$status" ] && grep -qF -- "$pat" "$FAKE.err" ||
		{ tap_diag "exit $rc, stderr: $(cat "$FAKE.err")"; return 1; }
}

# fails_with PATTERN CMD...: CMD exits 1 and says PATTERN on stderr
fails_with()
{
	exits_with 1 "$@"
}

# refused PATTERN CMD...: as fails_with, and CMD prints nothing on stdout
refused()
{
	local pat=$1 out rc
	shift
	out=$("$@" 2>"$FAKE.err")
	rc=$?
	[ $rc -eq 1 ] && [ -z "$out" ] && grep -qF -- "$pat" "$FAKE.err" ||
		{ tap_diag "exit $rc, stdout: $out, stderr: $(cat "$FAKE.err")"; return 1; }
}

# policy_group NAME NODES TIER: a group as the policy file system shows it
policy_group()
{
	mkdir "$POLICY/$1"
	echo "$2" >"$POLICY/$1/spm.nodes"
	echo "$3" >"$POLICY/$1/memory.tier"
	: >"$POLICY/$1/tasks"
	: >"$POLICY/$1/procs"
	: >"$POLICY/$1/stat"
	: >"$POLICY/$1/spm.max"
}

# same STRING CMD...: CMD prints STRING on stdout
same()
{
	local want=$1 out
	shift
	out=$("$@")
	[ "$out" = "$want" ] || { tap_diag "got: $out"; return 1; }
}

# snapshot: every file and directory of the fake policy root, with contents
snapshot()
{
	(cd "$POLICY" && find . -print0 | sort -z | xargs -0 ls -d -l --time-style=+ &&
		find . -type f -exec md5sum {} + | sort)
}

tap_plan 140
[ -x "$SPMCTL" ] || tap_bail "$SPMCTL not built"

tap_check "list without an spm bus: []" [ "$("$SPMCTL" list)" = "[]" ]

spm_node 2 dax1.0 migration 65536
echo 0x1080000000 >"$FAKE/devices/platform/cxl/dax1.0/resource"
spm_node 1 dax0.0 "" 0
echo 0x1000000000 >"$FAKE/devices/platform/cxl/dax0.0/resource"
cxl_region region0 0x1000000000 0x10000000
cxl_region region1 0x1080000000 0x10000000
out=$("$SPMCTL" list)
tap_check "list: valid JSON, two nodes" [ "$(jq length <<<"$out")" = 2 ]
tap_check "list: in node order" [ "$(jq -c '[.[].node]' <<<"$out")" = "[1,2]" ]
n2=$(jq -c '.[1]' <<<"$out")
tap_check "list: attributes of spm2" [ "$(jq -c '[.devname,.name,.class,.size,.used,.free]' <<<"$n2")" = \
	'["spm2","dax1.0","cxl",268435456,65536,268369920]' ]
tap_check "list: caps as an array" [ "$(jq -c '[.[0].caps, .[1].caps]' <<<"$out")" = '[[],["migration"]]' ]
tap_check "list: counters" [ "$(jq -c '.stats' <<<"$n2")" = '{"allocated":70,"freed":6,"refused":2}' ]
tap_check "list: backing dax device and CXL region by address" \
	[ "$(jq -c '[.[].dax, .[].region]' <<<"$out")" = '["dax0.0","dax1.0","region0","region1"]' ]
tap_check "list --node 2" [ "$("$SPMCTL" list --node 2 | jq -c '[.[].node]')" = "[2]" ]
tap_check "list -d dax0.0" [ "$("$SPMCTL" list -d dax0.0 | jq -c '[.[].node]')" = "[1]" ]
tap_check "list --node 7 (none): []" [ "$("$SPMCTL" list --node 7)" = "[]" ]

# stat: every file of stats/, whatever the kernel adds
out=$("$SPMCTL" stat)
tap_check "stat: every node, in node order" [ "$(jq -c '[.[] | [.node, .devname]]' <<<"$out")" = '[[1,"spm1"],[2,"spm2"]]' ]
tap_check "stat: the counters of stats/" \
	[ "$(jq -c '.[1].stats' <<<"$out")" = '{"allocated":70,"freed":6,"refused":2}' ]
tap_check "stat 2 1: those nodes, in that order" [ "$("$SPMCTL" stat 2 1 | jq -c '[.[].node]')" = "[2,1]" ]
tap_check "stat spm2 is stat 2" [ "$("$SPMCTL" stat spm2)" = "$("$SPMCTL" stat 2)" ]
echo 3 >"$FAKE/devices/platform/cxl/dax1.0/spm2/stats/memory_failures"
tap_check "stat and list: a counter the kernel adds shows up" \
	eval "[ \"\$(\"$SPMCTL\" stat 2 | jq -c '.[0].stats.memory_failures')\" = 3 ] &&
	      [ \"\$(\"$SPMCTL\" list -n 2 | jq -c '.[0].stats.memory_failures')\" = 3 ]"
mkdir "$FAKE/devices/platform/cxl/dax1.0/spm2/stats/more"
tap_check "stat: only the regular files of stats/ are counters" \
	[ "$("$SPMCTL" stat 2 | jq -c '.[0].stats | keys')" = '["allocated","freed","memory_failures","refused"]' ]
rmdir "$FAKE/devices/platform/cxl/dax1.0/spm2/stats/more"
# jq reads numbers as doubles: look at the text
echo 18446744073709551615 >"$FAKE/devices/platform/cxl/dax0.0/spm1/stats/freed"
tap_check "stat: counters as they are, up to 2^64-1" \
	grep -qx '      "freed": 18446744073709551615,' <<<"$("$SPMCTL" stat spm1)"
echo 6 >"$FAKE/devices/platform/cxl/dax0.0/spm1/stats/freed"
tap_check "stat --help" eval "$SPMCTL stat --help | grep -q 'usage: spmctl stat'"

# bad input: a clear message, exit status 1, nothing written
spm_node 3 dax2.0 "" 4096
before=$(cd "$FAKE" && find . -type f -exec md5sum {} + | sort)
tap_check "list --node abc" fails_with "'abc' is not a node number" "$SPMCTL" list --node abc
tap_check "list --node -1" fails_with "is not a node number" "$SPMCTL" list --node -1
tap_check "list -d bogus" fails_with "'bogus' is not a dax device name" "$SPMCTL" list -d bogus
tap_check "list extra argument" fails_with "unexpected argument 'x'" "$SPMCTL" list x
tap_check "unknown command" fails_with "'frob' is not a command" "$SPMCTL" frob
for arg in abc -1 spm 1x " 1" +1 spm+1 1024 spm1024 99999999999999999999 spm99999999999999999999; do
	tap_check "stat '$arg': not an SPM node name, nothing printed" \
		refused "'$arg' is not an SPM node name (spmN or N)" "$SPMCTL" stat 1 -- "$arg"
done
tap_check "stat 7: not an SPM node, nothing printed" \
	refused "spm7: no such SPM node" "$SPMCTL" stat 1 7
tap_check "stat spm9: not an SPM node, nothing printed" \
	refused "spm9: no such SPM node" "$SPMCTL" stat 1 spm9
tap_check "stat -x: usage, nothing printed" refused "usage: spmctl stat" "$SPMCTL" stat 1 -x
tap_check "stat -1: an unknown option, nothing printed" refused "usage: spmctl stat" "$SPMCTL" stat -1
for junk in junk "" -1 " 2" 0x2 2x 18446744073709551616; do
	echo "$junk" >"$FAKE/devices/platform/cxl/dax2.0/spm3/stats/refused"
	tap_check "stat, counter '$junk' is not a number: an error, nothing printed" \
		eval "refused 'spm3: cannot read its counters: Invalid argument' \"$SPMCTL\" stat 1 3 &&
		      refused 'spm3: cannot read its counters: Invalid argument' \"$SPMCTL\" stat"
done
echo 2 >"$FAKE/devices/platform/cxl/dax2.0/spm3/stats/refused"
tap_check "online without argument" fails_with "missing argument" "$SPMCTL" online
tap_check "online of a name that is no device" \
	fails_with "'node1' is neither a dax device" "$SPMCTL" online node1
tap_check "online --driver with a slash" \
	fails_with "'../x' is not a driver name" "$SPMCTL" online --driver ../x dax0.0
tap_check "online -d kmem or device_dax: not an SPM driver, refused before binding" \
	eval "fails_with \"'kmem' is not an SPM driver\" $SPMCTL online -d kmem dax0.0 &&
	      fails_with \"'device_dax' is not an SPM driver\" $SPMCTL online -d device_dax dax0.0"
tap_check "offline of a node that does not exist" \
	fails_with "spm9: no such SPM node" "$SPMCTL" offline 9
tap_check "offline, pages in use, no migration: refused" \
	fails_with "spm3: 4096 bytes in use and the node does not allow migration" \
	"$SPMCTL" offline spm3
after=$(cd "$FAKE" && find . -type f -exec md5sum {} + | sort)
tap_check "bad input changed nothing in sysfs" [ "$before" = "$after" ]
tap_check "--help exits 0 and names every command" \
	eval "$SPMCTL --help | grep -q list && $SPMCTL --help | grep -q offline &&
	      $SPMCTL --help | grep -q group && $SPMCTL --help | grep -q exec &&
	      $SPMCTL --help | grep -q stat"

# policy groups: the root of the policy file system has a "tasks" file
mkdir -p "$POLICY"
tap_check "group list without a policy file system: not mounted" \
	fails_with "the policy file system is not mounted on $POLICY" "$SPMCTL" group list
tap_check "exec without a policy file system: 125, nothing run" \
	exits_with 125 "not mounted on $POLICY" "$SPMCTL" exec -g g -- touch "$FAKE/ran"
tap_check "exec without a policy file system: command not run" [ ! -e "$FAKE/ran" ]
: >"$POLICY/tasks"
tap_check "group list, no groups: []" same "[]" "$SPMCTL" group list

tap_check "group create db" "$SPMCTL" group create db
tap_check "group create db: the directory exists" [ -d "$POLICY/db" ]
tap_check "group create db again: already exists" \
	fails_with "group db already exists" "$SPMCTL" group create db
long=$(printf '%0255d' 0)
tap_check "group create, 255-byte name" "$SPMCTL" group create "$long"
tap_check "group delete, 255-byte name" "$SPMCTL" group delete "$long"
tap_check "group delete db" "$SPMCTL" group delete db
tap_check "group delete db: the directory is gone" [ ! -e "$POLICY/db" ]
tap_check "group delete db again: no such group" \
	fails_with "no such group 'db'" "$SPMCTL" group delete db

# bad input: a clear message, exit status 1, nothing changed
policy_group g 2-3 none
printf 'node2 granted 1 pages 12 refused 0 placed 2\nnode3 granted 1 pages 0 refused 4 placed 0\nnode5 granted 0 pages 3 refused 9 placed 0\n' \
	>"$POLICY/g/stat"
printf '101\n102\n' >"$POLICY/g/tasks"
printf '2 65536\n3 max\n' >"$POLICY/g/spm.max"
before=$(snapshot)
for name in "" . .. tasks procs a/b "${long}x"; do
	[ ${#name} -gt 255 ] && desc="${#name} bytes" || desc="'$name'"
	tap_check "group create $desc: not a group name" \
		fails_with "'$name' is not a group name" "$SPMCTL" group create "$name"
done
tap_check "group delete tasks: not a group name" \
	fails_with "'tasks' is not a group name" "$SPMCTL" group delete tasks
tap_check "group create --nodes abc: not a node list" \
	fails_with "'abc' is not a node list" "$SPMCTL" group create x --nodes abc
tap_check "group create --nodes 3-2: not a node list" \
	fails_with "'3-2' is not a node list" "$SPMCTL" group create x --nodes 3-2
tap_check "group create --nodes, nodes cannot be set: the group is removed again" \
	fails_with "cannot set the nodes of group x" "$SPMCTL" group create x --nodes 2
tap_check "group create without a name: missing argument" \
	fails_with "missing argument" "$SPMCTL" group create
tap_check "group create with two names: unexpected argument" \
	fails_with "unexpected argument 'y'" "$SPMCTL" group create x y
tap_check "group list of a group that does not exist" \
	fails_with "no such group 'nope'" "$SPMCTL" group list nope
tap_check "group set without options: nothing to set" \
	fails_with "nothing to set" "$SPMCTL" group set g
tap_check "group set --nodes 2-x: not a node list" \
	fails_with "'2-x' is not a node list" "$SPMCTL" group set g --nodes 2-x
tap_check "group set --tier abc: not a tier" \
	fails_with "'abc' is neither a node number nor 'none'" "$SPMCTL" group set g --tier abc
for v in 2 =1M x=1M 2= 2=-1 2=0x10 2=64Q 2=64KB "2=1 M" 2=maximum; do
	tap_check "group set --max '$v': not a limit" \
		fails_with "'$v' is not <nid>=<size> or <nid>=max" "$SPMCTL" group set g --max "$v"
done
tap_check "group set --max 9=1M: node 9 is no SPM node (no line in spm.max)" \
	fails_with "cannot set the limit of group g on node 9: not an SPM node" \
	"$SPMCTL" group set g --max 9=1M
tap_check "group set of a group that does not exist" \
	fails_with "no such group 'nope'" "$SPMCTL" group set nope --nodes 2
tap_check "group add without a pid: missing argument" \
	fails_with "missing argument" "$SPMCTL" group add g
tap_check "group add with a pid that is not one" \
	fails_with "'12x' is not a pid" "$SPMCTL" group add g 101 12x
tap_check "group add 0: not a pid" fails_with "'0' is not a pid" "$SPMCTL" group add g 0
tap_check "group add to a group that does not exist" \
	fails_with "no such group 'nope'" "$SPMCTL" group add nope 101
tap_check "group without a command: usage" fails_with "usage: spmctl group" "$SPMCTL" group
tap_check "group frob: not a group command" \
	fails_with "'frob' is not a group command" "$SPMCTL" group frob
tap_check "exec without --group: 125" exits_with 125 "missing --group" "$SPMCTL" exec true
tap_check "exec without a command: 125" exits_with 125 "missing command" "$SPMCTL" exec -g g
tap_check "exec in a group that does not exist: 125" \
	exits_with 125 "no such group 'nope'" "$SPMCTL" exec -g nope -- true
tap_check "exec with a bad group name: 125" \
	exits_with 125 "'../g' is not a group name" "$SPMCTL" exec -g ../g -- true
after=$(snapshot)
tap_check "bad input changed nothing in the policy file system" [ "$before" = "$after" ]
[ "$before" = "$after" ] || tap_diag "$(diff <(echo "$before") <(echo "$after"))"

out=$("$SPMCTL" group list)
tap_check "group list: pretty-printed like list" grep -q '^    "group": "g",$' <<<"$out"
tap_check "group list: one group" same '["g"]' jq -c '[.[].group]' <<<"$out"
tap_check "group list: nodes as in spm.nodes, no memory tier" \
	same '["2-3",null]' jq -c '.[0] | [.nodes, .memory_tier]' <<<"$out"
tap_check "group list: tasks" same '[101,102]' jq -c '.[0].tasks' <<<"$out"
tap_check "group list: stat per node" \
	same '[{"node":2,"granted":true,"pages":12,"refused":0,"placed":2,"max":65536},{"node":3,"granted":true,"pages":0,"refused":4,"placed":0,"max":null},{"node":5,"granted":false,"pages":3,"refused":9,"placed":0,"max":null}]' \
	jq -c '.[0].stat' <<<"$out"
policy_group a "" none
tap_check "group list: groups in name order" \
	same '["a","g"]' eval "$SPMCTL group list | jq -c '[.[].group]'"
tap_check "group list a: only a, no nodes, no tasks" \
	same '[{"group":"a","nodes":"","memory_tier":null,"tasks":[],"stat":[]}]' \
	eval "$SPMCTL group list a | jq -c ."
echo 7 >"$POLICY/a/memory.tier"
tap_check "group list a: memory tier as a number" \
	same 7 eval "$SPMCTL group list a | jq '.[0].memory_tier'"
echo 0 >"$POLICY/a/tasks"
tap_check "group list: a tasks file that is no pid list" \
	fails_with "group a: unexpected content in tasks" "$SPMCTL" group list

tap_check "group set --nodes 2-3,5" "$SPMCTL" group set g --nodes 2-3,5
tap_check "group set --nodes: written to spm.nodes" same "2-3,5" cat "$POLICY/g/spm.nodes"
tap_check "group set --tier 3" "$SPMCTL" group set g --tier 3
tap_check "group set --tier: written to memory.tier" same 3 cat "$POLICY/g/memory.tier"
tap_check "group set --max 2=64M" "$SPMCTL" group set g --max 2=64M
tap_check "group set --max: written to spm.max" same "2 64M" cat "$POLICY/g/spm.max"
printf '2 65536\n3 max\n' >"$POLICY/g/spm.max"
tap_check "group set --max 3=max" "$SPMCTL" group set g -m 3=max
tap_check "group set --max 3=max: written" same "3 max" cat "$POLICY/g/spm.max"
printf '2 65536\n3 max\n' >"$POLICY/g/spm.max"
keep=$(cat "$POLICY/g/spm.nodes")
rm "$POLICY/g/spm.nodes" && mkdir "$POLICY/g/spm.nodes"
tap_check "group set --max with --nodes that cannot be set: fails" \
	fails_with "cannot set the nodes of group g" "$SPMCTL" group set g --max 2=1M --nodes 2
tap_check "group set --max with --nodes that cannot be set: the limit restored" \
	same "2 65536" cat "$POLICY/g/spm.max"
rmdir "$POLICY/g/spm.nodes" && echo "$keep" >"$POLICY/g/spm.nodes"
tap_check "group set --nodes '' --tier none" "$SPMCTL" group set g -n "" -t none
tap_check "group set: nodes and tier both written" \
	same "$(printf '\nnone')" cat "$POLICY/g/spm.nodes" "$POLICY/g/memory.tier"

tap_check "group add g 201 202" "$SPMCTL" group add g 201 202
tap_check "group add: one pid per line in tasks" same "$(printf '201\n202')" cat "$POLICY/g/tasks"
tap_check "group list: the moved tasks" \
	same '[201,202]' eval "$SPMCTL group list g | jq -c '.[0].tasks'"
tap_check "group add --process g 301: written to procs" \
	eval "$SPMCTL group add --process g 301 && [ \"\$(cat $POLICY/g/procs)\" = 301 ]"
tap_check "group add -p: tasks untouched" same "$(printf '201\n202')" cat "$POLICY/g/tasks"

out=$("$SPMCTL" exec --group g -- sh -c 'cat "$SPMCTL_POLICY/g/tasks"; exit 7')
tap_check "exec: the command runs with the status it exits with" [ $? -eq 7 ]
tap_check "exec: \"0\" written to tasks before the command runs" [ "$out" = 0 ]
tap_check "exec: arguments and options passed to the command" \
	same "a|-b|--c|" "$SPMCTL" exec -g g printf '%s|' a -b --c
# a PATH directory one may not search would make it 126, as for env(1)
tap_check "exec of a command that does not exist: 127" \
	exits_with 127 "cannot run 'no-such-command-spm': No such file or directory" \
	env PATH=/usr/bin:/bin "$SPMCTL" exec -g g no-such-command-spm
: >"$FAKE/not-executable"
tap_check "exec of a file that is not executable: 126" \
	exits_with 126 "Permission denied" "$SPMCTL" exec -g g "$FAKE/not-executable"
rm "$POLICY/g/tasks"
mkdir "$POLICY/g/tasks"
tap_check "exec, group cannot be joined: 125" \
	exits_with 125 "cannot join group g: Is a directory" "$SPMCTL" exec -g g touch "$FAKE/ran"
tap_check "exec, group cannot be joined: command not run" [ ! -e "$FAKE/ran" ]

tap_check "group --help names every group command" \
	eval "$SPMCTL group --help | grep -c -E '^    (create|delete|list|set|add) ' | grep -qx 5"
tap_check "exec --help exits 0" eval "$SPMCTL exec --help | grep -q 'usage: spmctl exec'"
exit $((TAP_FAILED ? 1 : 0))
