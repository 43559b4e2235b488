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
