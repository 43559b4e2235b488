# SPDX-License-Identifier: GPL-2.0
# SPM helpers for the guest: the CXL sample driver (spmctl online/offline
# binds and unbinds it) and the spm bus. Sourced.

SPM_SAMPLE=cxl_spm_sample
SPM_SAMPLE_DEBUGFS=/sys/kernel/debug/cxl_spm_sample

# spm_sample_load: insmod the sample driver (built out of tree)
spm_sample_load()
{
	[ -d /sys/bus/dax/drivers/$SPM_SAMPLE ] && return 0
	insmod "$(find /lib/modules/"$(uname -r)" -name "$SPM_SAMPLE.ko" | head -n 1)"
}

# spm_attr NODE ATTR: an attribute of /sys/bus/spm/devices/spmNODE
spm_attr()
{
	cat "/sys/bus/spm/devices/spm$1/$2"
}

# dax_driver DAX: the driver a dax device is bound to, empty if none
dax_driver()
{
	basename "$(readlink /sys/bus/dax/devices/$1/driver)"
}

# spm_devdax DAX: give a dax device back to device_dax if dax/kmem has it
# (System RAM, online or already offlined)
spm_devdax()
{
	[ "$(dax_driver "$1")" = kmem ] || return 0
	daxctl offline-memory "$1" >/dev/null 2>&1
	daxctl reconfigure-device -m devdax "$1" >/dev/null 2>&1
}

# spm_online_memdev MEMDEV: make the CXL memory device's dax device an SPM
# node, whatever it is now (device_dax, System RAM, already SPM); print the node
spm_online_memdev()
{
	local dax nid
	dax=$(cxl_devdax "$1") || return 1
	nid=$(cat /sys/bus/dax/devices/$dax/target_node)
	if [ ! -d /sys/bus/spm/devices/spm$nid ]; then
		spm_devdax "$dax" && spmctl online "$dax" >/dev/null || return 1
	fi
	echo "$nid"
}

POLICY=/sys/fs/policy

# spm_policy_mount: mount the policy group file system, once
spm_policy_mount()
{
	[ -f $POLICY/tasks ] || mount -t policy none $POLICY
}

# spm_group_stat GROUP NODE FIELD: a field (pages, refused, granted) of a
# group's stat line for NODE
spm_group_stat()
{
	awk -v n="node$2" -v f="$3" '$1 == n { for (i = 2; i < NF; i += 2) if ($i == f) print $(i + 1) }' \
		$POLICY/$1/stat
}

# spm_used_pages NODE: pages of the node in use
spm_used_pages()
{
	echo $(($(spm_attr "$1" used) / 4096))
}
