#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A container's root is not root: an unprivileged user who maps itself to
# root in a new user namespace (unshare -Ur), as a rootless container
# does, holds CAP_SYS_ADMIN only there. The policy groups check the initial
# namespace: it cannot create a group, grant itself a node, join a group
# that grants one, map /dev/spm<nid> or prefer the node with a memory
# policy, and everything stays as it was. The same in a group delegated to
# the user (chown): joining is the user's, granting is not.
# SPM-TOPOLOGY: cxl-dual
# SPM-TIMEOUT: 300
. /spm/lib/tap.sh
. /spm/lib/cxl.sh
. /spm/lib/node.sh
. /spm/lib/output.sh
. /spm/lib/spm.sh

# in_container CMD: run CMD as spmuser mapped to root in a new user namespace
in_container()
{
	su -s /bin/sh spmuser -c "unshare -Ur sh -c '$1'"
}

tap_plan 6
spm_sample_load
n=$(spm_online_memdev mem0) || tap_bail "cannot make mem0 an SPM node"
spm_policy_mount
mkdir $POLICY/db && echo "$n" >$POLICY/db/spm.nodes || tap_bail "cannot create group db"
mkdir $POLICY/mine && chown spmuser $POLICY/mine $POLICY/mine/tasks || tap_bail "cannot create group mine"

out=$(in_container 'id -u; grep CapEff /proc/self/status' 2>&1 | tr '\n' ' ')
tap_check "spmuser in a new user namespace is uid 0 there, with capabilities ($out)" \
	eval "echo '$out' | grep -q '^0 CapEff:' && ! echo '$out' | grep -q 'CapEff:[[:space:]]*0*[[:space:]]*\$'"

in_container "mkdir $POLICY/ns" 2>/dev/null
tap_check "its root cannot create a group" [ ! -d $POLICY/ns ]

in_container "echo $n >$POLICY/mine/spm.nodes" 2>/dev/null
tap_check "nor grant node $n to the group delegated to the user" [ -z "$(cat $POLICY/mine/spm.nodes)" ]

in_container "echo \$\$ >$POLICY/db/tasks; cat /proc/self/status >/dev/null" 2>/dev/null
tap_check "nor join group db, which grants node $n" [ -z "$(cat $POLICY/db/tasks)" ]

out=$(in_container "echo \$\$ >$POLICY/mine/tasks && spmmap $n 4; prefmem $n 4" 2>&1 | tr '\n' ' ')
tap_check "in its own (delegated) group, without a grant: /dev/spm$n and a preferred policy refused ($out)" \
	eval "echo '$out' | grep -q 'mmap=EPERM' && echo '$out' | grep -q 'policy=EINVAL'"

tap_check "node $n unused, groups as they were" \
	eval "[ \$(spm_used_pages $n) -eq 0 ] && [ \"\$(cat $POLICY/db/spm.nodes)\" = $n ] &&
	      [ -z \"\$(cat $POLICY/db/tasks)\" ] && [ -z \"\$(cat $POLICY/mine/tasks)\" ]"
rmdir $POLICY/mine $POLICY/db
tap_exit
