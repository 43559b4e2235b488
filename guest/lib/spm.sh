# SPDX-License-Identifier: GPL-2.0
# SPM helpers for the guest: load the CXL sample driver and hand it a dax
# device. Sourced.

SPM_SAMPLE=cxl_spm_sample
SPM_SAMPLE_DEBUGFS=/sys/kernel/debug/cxl_spm_sample

# spm_sample_load: insmod the sample driver (built out of tree)
spm_sample_load()
{
	[ -d /sys/bus/dax/drivers/$SPM_SAMPLE ] && return 0
	insmod "$(find /lib/modules/"$(uname -r)" -name "$SPM_SAMPLE.ko" | head -n 1)"
}

# spm_sample_bind DAXDEV: move DAXDEV from its driver to the sample driver
spm_sample_bind()
{
	local drv
	drv=$(readlink "/sys/bus/dax/devices/$1/driver" 2>/dev/null)
	[ -n "$drv" ] && echo "$1" >"/sys/bus/dax/devices/$1/driver/unbind"
	echo "$1" >/sys/bus/dax/drivers/$SPM_SAMPLE/new_id
}

# spm_sample_unbind DAXDEV: unbind DAXDEV from the sample driver
spm_sample_unbind()
{
	echo "$1" >/sys/bus/dax/drivers/$SPM_SAMPLE/unbind
}

# spm_attr NODE ATTR: an attribute of /sys/bus/spm/devices/spmNODE
spm_attr()
{
	cat "/sys/bus/spm/devices/spm$1/$2"
}
