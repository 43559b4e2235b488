// SPDX-License-Identifier: GPL-2.0
/*
 * spmctl: give a CXL pmem region a dax device. QEMU's CXL type-3 devices
 * (and persistent CXL memory generally) come up as pmem regions, which the
 * nvdimm bus fronts with a libnvdimm region of the same address range; a
 * devdax namespace over all of it makes the dax device spmctl online hands
 * to the SPM driver. The steps are ndctl create-namespace -m devdax's, on
 * the namespace and dax seeds, through libndctl.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <uuid/uuid.h>

#include <ndctl/libndctl.h>

#include "spmctl.h"

#define SZ_16M			(16ULL << 20)
#define SECTOR_SIZE_DEFAULT	512

/* The libnvdimm region whose range starts at @start, or NULL */
static struct ndctl_region *nd_region_at(struct ndctl_ctx *ctx, unsigned long long start)
{
	struct ndctl_region *region;
	struct ndctl_bus *bus;

	ndctl_bus_foreach(ctx, bus)
		ndctl_region_foreach(bus, region)
			if (ndctl_region_get_resource(region) == start)
				return region;
	return NULL;
}

/* Use the kernel's default sector size for pmem where it offers one */
static int set_sector_size(struct ndctl_namespace *ndns)
{
	int i, n = ndctl_namespace_get_num_sector_sizes(ndns);

	for (i = 0; i < n; i++)
		if (ndctl_namespace_get_supported_sector_size(ndns, i) == SECTOR_SIZE_DEFAULT)
			return ndctl_namespace_set_sector_size(ndns, SECTOR_SIZE_DEFAULT);
	return 0;
}

static int setup_devdax(struct ndctl_region *region, struct ndctl_namespace *ndns,
			struct ndctl_dax *dax, unsigned long long size)
{
	uuid_t uuid;
	int ret;

	uuid_generate(uuid);
	ret = ndctl_namespace_set_uuid(ndns, uuid);
	if (!ret)
		ret = ndctl_namespace_set_alt_name(ndns, "spm");
	if (!ret)
		ret = ndctl_namespace_set_size(ndns, size);
	if (!ret)
		ret = set_sector_size(ndns);
	if (ret)
		return ret;
	/* as ndctl: opportunistic, older kernels lack it */
	ndctl_namespace_set_enforce_mode(ndns, NDCTL_NS_MODE_DEVDAX);

	uuid_generate(uuid);
	ret = ndctl_dax_set_uuid(dax, uuid);
	if (!ret)
		ret = ndctl_dax_set_location(dax, NDCTL_PFN_LOC_PMEM);
	if (!ret)
		ret = ndctl_dax_set_align(dax, ndctl_dax_get_align(dax));
	if (!ret)
		ret = ndctl_dax_set_namespace(dax, ndns);
	if (!ret)
		ret = ndctl_dax_enable(dax);
	return ret;
}

/**
 * region_create_devdax() - a devdax namespace over a whole CXL pmem region
 * @name: the CXL region, for messages
 * @start: its physical address, which its libnvdimm region shares
 *
 * Return: 0 once the dax device exists; a negative errno, with a message,
 * and the region left as it was, otherwise.
 */
int region_create_devdax(const char *name, unsigned long long start)
{
	struct ndctl_namespace *ndns;
	struct ndctl_region *region;
	unsigned long long size, align;
	struct ndctl_dax *dax;
	struct ndctl_ctx *ctx;
	int ret = -ENODEV;

	if (ndctl_new(&ctx)) {
		error("cannot open libndctl");
		return -ENOMEM;
	}
	region = nd_region_at(ctx, start);
	if (!region) {
		error("%s: no libnvdimm region at %#llx (is it a pmem region?)", name, start);
		goto out;
	}
	ndns = ndctl_region_get_namespace_seed(region);
	dax = ndctl_region_get_dax_seed(region);
	if (!ndns || !dax || !ndctl_namespace_is_configuration_idle(ndns)) {
		error("%s: %s has no idle namespace to configure", name,
		      ndctl_region_get_devname(region));
		goto out;
	}
	align = ndctl_dax_get_align(dax) * ndctl_region_get_interleave_ways(region);
	size = ndctl_region_get_max_available_extent(region);
	if (size == ULLONG_MAX)
		size = ndctl_region_get_available_size(region);
	size -= size % align;
	if (size < SZ_16M) {
		error("%s: %llu bytes available in %s, less than a namespace needs", name, size,
		      ndctl_region_get_devname(region));
		ret = -ENOSPC;
		goto out;
	}
	ret = setup_devdax(region, ndns, dax, size);
	if (ret) {
		error("%s: creating a devdax namespace in %s failed: %s", name,
		      ndctl_region_get_devname(region), strerror(-ret));
		ndctl_dax_set_namespace(dax, NULL);
		ndctl_namespace_set_enforce_mode(ndns, NDCTL_NS_MODE_RAW);
		ndctl_namespace_delete(ndns);
	}
out:
	ndctl_unref(ctx);
	return ret;
}
