// SPDX-License-Identifier: GPL-2.0
/*
 * spmctl online / offline: hand a dax device (or the dax device of a CXL
 * region) to an SPM driver, which registers its memory as an SPM node, and
 * take it back. Device lookup and devdax mode switches go through
 * libdaxctl, CXL regions through libcxl; binding to the SPM driver is the
 * dax bus's new_id/unbind interface, as for any dax driver.
 *
 * Every check that can fail runs before anything changes; a failure after
 * a change is rolled back, so an error leaves the device as it was.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cxl/libcxl.h>
#include <daxctl/libdaxctl.h>

#include "spmctl.h"

#define SPM_DEFAULT_DRIVER "cxl_spm_sample"

static const char online_usage[] =
	"usage: spmctl online [<options>] <daxX.Y | regionN>\n"
	"\n"
	"Register a dax device's memory as an SPM node: the device moves from\n"
	"device_dax to an SPM driver. For a CXL region, its dax device is used;\n"
	"a pmem region without one gets a devdax namespace over all of it.\n"
	"\n"
	"    -d, --driver <name>   SPM driver to bind (default " SPM_DEFAULT_DRIVER ")\n"
	"    -h, --help            show this help\n";

static const char offline_usage[] =
	"usage: spmctl offline [<options>] <spmN | N | daxX.Y | regionN>\n"
	"\n"
	"Remove an SPM node and return its dax device to device_dax. A node with\n"
	"memory in use is removed only if its pages can be migrated off it;\n"
	"otherwise nothing changes and the command fails.\n"
	"\n"
	"    -h, --help            show this help\n";

/* The dax device called @name, or NULL */
static struct daxctl_dev *find_dax(struct daxctl_ctx *ctx, const char *name)
{
	struct daxctl_region *region;
	struct daxctl_dev *dev;

	daxctl_region_foreach(ctx, region)
		daxctl_dev_foreach(region, dev)
			if (!strcmp(daxctl_dev_get_devname(dev), name))
				return dev;
	return NULL;
}

/* The CXL region called @name, or NULL; regions hang off root decoders */
static struct cxl_region *find_cxl_region(struct cxl_ctx *ctx, const char *name)
{
	struct cxl_decoder *decoder;
	struct cxl_region *region;
	struct cxl_bus *bus;
	struct cxl_port *port;

	cxl_bus_foreach(ctx, bus) {
		port = cxl_bus_get_port(bus);
		cxl_decoder_foreach(port, decoder)
			cxl_region_foreach(decoder, region)
				if (!strcmp(cxl_region_get_devname(region), name))
					return region;
	}
	return NULL;
}

/*
 * The dax device whose memory starts inside CXL region @name. If it has
 * none and @created is not NULL, give it one (a devdax namespace) and set
 * *@created: the caller looks again with a fresh libdaxctl context.
 */
static struct daxctl_dev *region_dax(struct daxctl_ctx *dctx, const char *name,
				     bool *created)
{
	unsigned long long start, size, res;
	struct cxl_region *region;
	struct daxctl_region *dregion;
	struct daxctl_dev *dev, *found = NULL;
	struct cxl_ctx *ctx;

	if (cxl_new(&ctx)) {
		error("cannot open libcxl");
		return NULL;
	}
	region = find_cxl_region(ctx, name);
	if (!region) {
		error("%s: no such CXL region", name);
		goto out;
	}
	start = cxl_region_get_resource(region);
	size = cxl_region_get_size(region);
	if (start == ULLONG_MAX || !size) {
		error("%s: not committed (no address range); see 'cxl enable-region'", name);
		goto out;
	}
	daxctl_region_foreach(dctx, dregion)
		daxctl_dev_foreach(dregion, dev) {
			res = daxctl_dev_get_resource(dev);
			if (res >= start && res - start < size && daxctl_dev_get_size(dev))
				found = dev;
		}
	if (!found && created)
		*created = !region_create_devdax(name, start);
	else if (!found)
		error("%s: has no dax device", name);
out:
	cxl_unref(ctx);
	return found;
}

/* The name of the driver @dax is bound to, "" if none */
static void dax_driver(const char *dax, char *drv, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	drv[0] = '\0';
	n = readlink(sysfs_path(path, sizeof(path), "bus/dax/devices/%s/driver", dax),
		     link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	snprintf(drv, len, "%s", basename(link));
}

/* Resolve a dax device or CXL region argument to its dax device */
static struct daxctl_dev *resolve_dax(struct daxctl_ctx *ctx, const char *arg, bool *created)
{
	struct daxctl_dev *dev;

	if (is_devname(arg, "dax", true)) {
		dev = find_dax(ctx, arg);
		if (!dev)
			error("%s: no such dax device", arg);
		return dev;
	}
	if (is_devname(arg, "region", false))
		return region_dax(ctx, arg, created);
	error("'%s' is neither a dax device (daxX.Y) nor a CXL region (regionN)", arg);
	return NULL;
}

static int one_argument(int argc, char **argv, const char *usage)
{
	if (optind + 1 == argc)
		return 0;
	if (optind == argc)
		error("missing argument");
	else
		error("unexpected argument '%s'", argv[optind + 1]);
	fputs(usage, stderr);
	return -EINVAL;
}

static int do_online(struct daxctl_dev *dev, const char *driver)
{
	const char *dax = daxctl_dev_get_devname(dev);
	struct spm_node_info info;
	char rel[PATH_MAX], cur[SPM_DEVNAME_MAX];
	struct json_object *jnode;
	bool was_devdax;
	int ret;

	if (!spm_node_of_dax(dax, &info)) {
		error("%s: already online as SPM node %d (%s)", dax, info.node, info.devname);
		return -EEXIST;
	}
	snprintf(rel, sizeof(rel), "bus/dax/drivers/%s", driver);
	if (!sysfs_exists(rel)) {
		error("driver '%s' is not loaded (modprobe %s)", driver, driver);
		return -ENODEV;
	}
	dax_driver(dax, cur, sizeof(cur));
	if (!strcmp(cur, "kmem")) {
		error("%s is System RAM (kmem): daxctl reconfigure-device -m devdax %s first",
		      dax, dax);
		return -EBUSY;
	}
	if (cur[0] && strcmp(cur, "device_dax")) {
		error("%s: bound to driver '%s'; unbind it first", dax, cur);
		return -EBUSY;
	}

	was_devdax = cur[0];
	if (was_devdax) {
		ret = daxctl_dev_disable(dev);
		if (ret) {
			error("%s: cannot disable device_dax (in use?): %s", dax, strerror(-ret));
			return ret;
		}
	}
	snprintf(rel, sizeof(rel), "bus/dax/drivers/%s/new_id", driver);
	ret = sysfs_write(rel, dax);
	if (ret) {
		error("%s: binding to %s failed: %s", dax, driver, strerror(-ret));
	} else if (spm_node_of_dax(dax, &info)) {
		error("%s: %s did not make it an SPM node (see the kernel log)", dax, driver);
		ret = -ENODEV;
	}
	if (ret) {
		/* bound, but no node: leave the driver, as if never bound */
		dax_driver(dax, cur, sizeof(cur));
		if (!strcmp(cur, driver)) {
			snprintf(rel, sizeof(rel), "bus/dax/drivers/%s/unbind", driver);
			if (sysfs_write(rel, dax))
				error("%s: could not unbind it from %s", dax, driver);
		}
		snprintf(rel, sizeof(rel), "bus/dax/drivers/%s/remove_id", driver);
		sysfs_write(rel, dax);
		if (was_devdax && daxctl_dev_enable_devdax(dev))
			error("%s: could not return it to device_dax", dax);
		return ret;
	}

	jnode = spm_node_json(&info);
	if (jnode) {
		print_json(jnode);
		json_object_put(jnode);
	}
	return 0;
}

int cmd_online(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "driver", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *driver = SPM_DEFAULT_DRIVER;
	struct daxctl_ctx *ctx;
	struct daxctl_dev *dev;
	bool created = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			driver = optarg;
			break;
		case 'h':
			fputs(online_usage, stdout);
			return 0;
		default:
			fputs(online_usage, stderr);
			return 1;
		}
	}
	if (one_argument(argc, argv, online_usage))
		return 1;
	if (!*driver || strchr(driver, '/') || strlen(driver) >= SPM_DEVNAME_MAX) {
		error("'%s' is not a driver name", driver);
		return 1;
	}
	/* the dax bus's own drivers never register an SPM node */
	if (!strcmp(driver, "kmem") || !strcmp(driver, "device_dax")) {
		error("'%s' is not an SPM driver (%s)", driver,
		      strcmp(driver, "kmem") ? "spmctl offline returns a node to it" :
		      "System RAM: daxctl reconfigure-device -m system-ram");
		return 1;
	}
	if (daxctl_new(&ctx)) {
		error("cannot open libdaxctl");
		return 1;
	}
	dev = resolve_dax(ctx, argv[optind], &created);
	if (!dev && created) {
		daxctl_unref(ctx);
		if (daxctl_new(&ctx)) {
			error("cannot open libdaxctl");
			return 1;
		}
		dev = resolve_dax(ctx, argv[optind], NULL);
	}
	ret = dev ? do_online(dev, driver) : -ENODEV;
	daxctl_unref(ctx);
	return ret ? 1 : 0;
}

/* Resolve an offline argument to the SPM node it names */
static int resolve_node(struct daxctl_ctx *ctx, const char *arg, struct spm_node_info *info)
{
	struct daxctl_dev *dev;
	char devname[SPM_DEVNAME_MAX];
	int node;

	if (!parse_node(arg, &node)) {
		snprintf(devname, sizeof(devname), "spm%d", node);
		arg = devname;
	}
	if (is_devname(arg, "spm", false)) {
		if (!spm_node_load(arg, info))
			return 0;
		error("%s: no such SPM node", arg);
		return -ENOENT;
	}
	dev = resolve_dax(ctx, arg, NULL);
	if (!dev)
		return -ENODEV;
	if (!spm_node_of_dax(daxctl_dev_get_devname(dev), info))
		return 0;
	error("%s: %s is not an SPM node", arg, daxctl_dev_get_devname(dev));
	return -ENOENT;
}

static int do_offline(struct daxctl_ctx *ctx, const struct spm_node_info *info)
{
	struct spm_node_info now;
	struct daxctl_dev *dev;
	char rel[PATH_MAX], drv[SPM_DEVNAME_MAX];
	int ret;

	if (!info->dax[0]) {
		error("%s: not backed by a dax device; its driver removes it", info->devname);
		return -EOPNOTSUPP;
	}
	if (info->used && !strstr(info->caps, "migration")) {
		error("%s: %llu bytes in use and the node does not allow migration",
		      info->devname, info->used);
		return -EBUSY;
	}
	/* the memory goes first, the driver still bound: a refusal changes nothing */
	snprintf(rel, sizeof(rel), "bus/spm/devices/%s/state", info->devname);
	ret = sysfs_write(rel, "offline");
	if (ret == -EBUSY) {
		error("%s: %llu bytes in use could not be evacuated: the node stays online",
		      info->devname, info->used);
		return ret;
	}
	if (ret) {
		error("%s: taking its memory offline failed: %s", info->devname, strerror(-ret));
		return ret;
	}
	dax_driver(info->dax, drv, sizeof(drv));
	if (!drv[0]) {
		error("%s: memory removed, but %s has no driver left to remove the node",
		      info->devname, info->dax);
		return -ENODEV;
	}
	snprintf(rel, sizeof(rel), "bus/dax/drivers/%s/unbind", drv);
	ret = sysfs_write(rel, info->dax);
	if (ret) {
		error("%s: unbinding %s from %s failed: %s", info->devname, info->dax, drv,
		      strerror(-ret));
		return ret;
	}
	if (!spm_node_load(info->devname, &now)) {
		error("%s: still registered after %s left %s", info->devname, info->dax, drv);
		return -EBUSY;
	}
	snprintf(rel, sizeof(rel), "bus/dax/drivers/%s/remove_id", drv);
	sysfs_write(rel, info->dax);
	dev = find_dax(ctx, info->dax);
	if (!dev || daxctl_dev_enable_devdax(dev)) {
		error("%s: node removed, but %s could not be returned to device_dax",
		      info->devname, info->dax);
		return -EIO;
	}
	return 0;
}

int cmd_offline(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct spm_node_info info;
	struct daxctl_ctx *ctx;
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(offline_usage, stdout);
			return 0;
		default:
			fputs(offline_usage, stderr);
			return 1;
		}
	}
	if (one_argument(argc, argv, offline_usage))
		return 1;
	if (daxctl_new(&ctx)) {
		error("cannot open libdaxctl");
		return 1;
	}
	ret = resolve_node(ctx, argv[optind], &info);
	if (!ret)
		ret = do_offline(ctx, &info);
	if (!ret)
		fprintf(stderr, "offlined %s (node %d); %s is back in device_dax\n",
			info.devname, info.node, info.dax);
	daxctl_unref(ctx);
	return ret ? 1 : 0;
}
