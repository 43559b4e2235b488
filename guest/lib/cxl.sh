# SPDX-License-Identifier: GPL-2.0
# CXL bring-up for QEMU 7.2 type-3 devices, which are persistent-memory only:
# memdev -> pmem region (cxl create-region) -> devdax namespace (ndctl) ->
# dax device. Sourced; needs jq. Functions print the object they made on
# stdout and diagnostics on stderr; they return non-zero on failure.

# cxl_root_decoder MEMDEV: the root decoder whose window can map MEMDEV
cxl_root_decoder()
{
	cxl list -D -d root -m "$1" | jq -r '.[0].decoder // empty'
}

# cxl_pmem_region MEMDEV: create and commit a one-way pmem region on MEMDEV
cxl_pmem_region()
{
	local memdev=$1 decoder
	decoder=$(cxl_root_decoder "$memdev")
	[ -n "$decoder" ] || { echo "no root decoder can map $memdev" >&2; return 1; }
	cxl create-region -t pmem -d "$decoder" -w 1 -m "$memdev" |
		jq -r '.region // empty'
}

# cxl_nd_region REGION: the libnvdimm region that fronts a CXL pmem region,
# found by its physical address. The nvdimm side probes asynchronously after
# the region commits: wait for it, up to 10 s.
cxl_nd_region()
{
	local want p i
	want=$(cat "/sys/bus/cxl/devices/$1/resource") || return 1
	for i in $(seq 100); do
		for p in /sys/bus/nd/devices/region*; do
			[ "$(cat "$p/resource" 2>/dev/null)" = "$want" ] &&
				{ basename "$p"; return 0; }
		done
		sleep 0.1
	done
	echo "$1 has no libnvdimm region" >&2
	return 1
}

# cxl_devdax MEMDEV: region + devdax namespace on MEMDEV; prints the dax
# device. What an earlier script of the same boot made is reused.
cxl_devdax()
{
	local region ndregion d
	region=$(cxl list -R -T 2>/dev/null | jq -r --arg m "$1" \
		'[.[] | select(any(.mappings[]?; .memdev == $m)) | .region][0] // empty')
	if [ -n "$region" ]; then
		for d in /sys/bus/dax/devices/dax*; do
			[ -e "$d" ] || continue
			[ "$(dax_cxl_region "${d##*/}")" = "$region" ] && { echo "${d##*/}"; return 0; }
		done
	else
		region=$(cxl_pmem_region "$1") && [ -n "$region" ] || return 1
	fi
	ndregion=$(cxl_nd_region "$region") || return 1
	ndctl create-namespace -m devdax -r "$ndregion" |
		jq -r '.daxregion.devices[0].chardev // empty'
}

# dax_cxl_region DAXDEV: the CXL region whose address range holds a dax
# device, if any (the nvdimm bus sits beside the CXL region in sysfs, so
# the address range is what ties them)
dax_cxl_region()
{
	local start r rs size
	start=$(($(cat "/sys/bus/dax/devices/$1/resource")))
	for r in /sys/bus/cxl/devices/region*; do
		rs=$(($(cat "$r/resource" 2>/dev/null || echo -1)))
		size=$(($(cat "$r/size" 2>/dev/null || echo 0)))
		[ "$rs" -ge 0 ] && [ "$start" -ge "$rs" ] && [ "$start" -lt $((rs + size)) ] &&
			{ basename "$r"; return 0; }
	done
	return 1
}
