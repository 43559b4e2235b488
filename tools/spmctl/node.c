// SPDX-License-Identifier: GPL-2.0
/*
 * spmctl: what an SPM node is, read from /sys/bus/spm/devices/spm<nid>,
 * and what backs it: the dax device that is its parent and the CXL region
 * whose address range holds that dax device.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spmctl.h"

/* Is @s "<prefix><digits>" (or "<prefix><digits>.<digits>" if @dotted)? */
bool is_devname(const char *s, const char *prefix, bool dotted)
{
	size_t n = strlen(prefix);
	const char *p;

	if (strncmp(s, prefix, n) || !isdigit((unsigned char)s[n]))
		return false;
	for (p = s + n; isdigit((unsigned char)*p); p++)
		;
	if (dotted) {
		if (*p++ != '.' || !isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0' && strlen(s) < SPM_DEVNAME_MAX;
}

/* A node number, 0 to 1023: -EINVAL for anything else */
int parse_node(const char *s, int *node)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))	/* strtol() would take " 1", "+1" */
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v > 1023)
		return -EINVAL;
	*node = v;
	return 0;
}

/* The dax device that is @devname's parent, if its parent is one */
static void spm_node_dax(const char *devname, char *dax, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX], rel[PATH_MAX];
	char *parent;

	dax[0] = '\0';
	sysfs_path(path, sizeof(path), "bus/spm/devices/%s", devname);
	if (!realpath(path, real))
		return;
	parent = basename(dirname(real));
	snprintf(rel, sizeof(rel), "bus/dax/devices/%s", parent);
	if (is_devname(parent, "dax", true) && sysfs_exists(rel))
		snprintf(dax, len, "%s", parent);
}

/*
 * The CXL region whose address range holds dax device @dax. A pmem region's
 * dax device sits under the nvdimm bus, beside the CXL region in sysfs: the
 * physical address is what ties the two. Returns -ENOENT if none does.
 */
int dax_cxl_region(const char *dax, char *region, size_t len)
{
	unsigned long long start, rstart, rsize;
	char rel[PATH_MAX];
	struct dirent *de;
	DIR *dir;
	int ret = -ENOENT;

	snprintf(rel, sizeof(rel), "bus/dax/devices/%s/resource", dax);
	if (sysfs_read_ull(rel, &start))
		return -ENOENT;
	dir = opendir(sysfs_path(rel, sizeof(rel), "bus/cxl/devices"));
	if (!dir)
		return -ENOENT;
	while ((de = readdir(dir))) {
		if (!is_devname(de->d_name, "region", false))
			continue;
		snprintf(rel, sizeof(rel), "bus/cxl/devices/%s/resource", de->d_name);
		if (sysfs_read_ull(rel, &rstart))
			continue;
		snprintf(rel, sizeof(rel), "bus/cxl/devices/%s/size", de->d_name);
		if (sysfs_read_ull(rel, &rsize))
			continue;
		if (start >= rstart && start - rstart < rsize) {
			snprintf(region, len, "%s", de->d_name);
			ret = 0;
			break;
		}
	}
	closedir(dir);
	return ret;
}

/* Read one attribute of spm node @devname into @buf */
static int node_attr(const char *devname, const char *attr, char *buf, size_t len)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "bus/spm/devices/%s/%s", devname, attr);
	return sysfs_read(rel, buf, len);
}

static int node_attr_ull(const char *devname, const char *attr, unsigned long long *val)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "bus/spm/devices/%s/%s", devname, attr);
	return sysfs_read_ull(rel, val);
}

static int skip_dot(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

/*
 * Append the counter in file @name of stats/ of node @devname to @info,
 * unless that is no regular file. -EINVAL if it is not a decimal number.
 */
static int node_stat(const char *devname, const char *name, struct spm_node_info *info)
{
	struct spm_stat *st = &info->stats[info->nr_stats];
	char path[PATH_MAX], buf[64], *end;
	struct stat sb;
	int ret;

	sysfs_path(path, sizeof(path), "bus/spm/devices/%s/stats/%s", devname, name);
	if (stat(path, &sb))
		return -errno;
	if (!S_ISREG(sb.st_mode))
		return 0;
	if (info->nr_stats == SPM_STATS_MAX)
		return -E2BIG;
	ret = file_read(path, buf, sizeof(buf));
	if (ret)
		return ret;
	/* strtoull() alone would take " 1", "-1" or "0x1" */
	if (!isdigit((unsigned char)buf[0]))
		return -EINVAL;
	errno = 0;
	st->value = strtoull(buf, &end, 10);
	if (errno || *end)
		return -EINVAL;
	snprintf(st->name, sizeof(st->name), "%s", name);
	info->nr_stats++;
	return 0;
}

/*
 * Every counter in the node's stats/, in name order, so that counters the
 * kernel adds show up without a new spmctl. -EINVAL if one is not a
 * number, -E2BIG if there are more than SPM_STATS_MAX.
 */
static int node_stats(const char *devname, struct spm_node_info *info)
{
	char dir[PATH_MAX];
	struct dirent **names;
	int i, n, ret = 0;

	sysfs_path(dir, sizeof(dir), "bus/spm/devices/%s/stats", devname);
	n = scandir(dir, &names, skip_dot, alphasort);
	if (n < 0)
		return -errno;
	info->nr_stats = 0;
	for (i = 0; i < n; i++) {
		if (!ret)
			ret = node_stat(devname, names[i]->d_name, info);
		free(names[i]);
	}
	free(names);
	return ret;
}

/* Load node @devname ("spm<nid>"); -ENOENT if there is no such node */
int spm_node_load(const char *devname, struct spm_node_info *info)
{
	char buf[32];
	int ret;

	memset(info, 0, sizeof(*info));
	if (!is_devname(devname, "spm", false))
		return -EINVAL;
	snprintf(info->devname, sizeof(info->devname), "%s", devname);
	ret = node_attr(devname, "node", buf, sizeof(buf));
	if (!ret)
		ret = parse_node(buf, &info->node);
	if (!ret)
		ret = node_attr(devname, "name", info->name, sizeof(info->name));
	if (!ret)
		ret = node_attr(devname, "class", info->class, sizeof(info->class));
	if (!ret)
		ret = node_attr(devname, "caps", info->caps, sizeof(info->caps));
	if (!ret)
		ret = node_attr_ull(devname, "size", &info->size);
	if (!ret)
		ret = node_attr_ull(devname, "used", &info->used);
	if (!ret)
		ret = node_attr_ull(devname, "free", &info->free);
	if (!ret)
		ret = node_stats(devname, info);
	if (ret)
		return ret;
	spm_node_dax(devname, info->dax, sizeof(info->dax));
	if (info->dax[0])
		dax_cxl_region(info->dax, info->region, sizeof(info->region));
	return 0;
}

static int cmp_node(const void *a, const void *b)
{
	const struct spm_node_info *x = a, *y = b;

	return x->node - y->node;
}

/*
 * Load every SPM node, in node order, into *@nodes, an array of *@nr to
 * free(). No spm bus (the framework is not in the kernel) means no nodes.
 * On failure *@nodes is NULL and, unless @failed is, the devname of the
 * node that could not be read is left in @failed (SPM_DEVNAME_MAX bytes),
 * or "" if it was no one node's fault.
 */
int spm_node_load_all(struct spm_node_info **nodes, size_t *nr, char *failed)
{
	struct spm_node_info *tmp;
	char path[PATH_MAX];
	struct dirent *de;
	int ret = 0;
	DIR *dir;

	*nodes = NULL;
	*nr = 0;
	if (failed)
		failed[0] = '\0';
	dir = opendir(sysfs_path(path, sizeof(path), "bus/spm/devices"));
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dir))) {
		if (!is_devname(de->d_name, "spm", false))
			continue;
		tmp = realloc(*nodes, (*nr + 1) * sizeof(**nodes));
		if (!tmp) {
			ret = -ENOMEM;
			break;
		}
		*nodes = tmp;
		ret = spm_node_load(de->d_name, &tmp[*nr]);
		if (ret == -ENOENT) {	/* unregistered meanwhile */
			ret = 0;
			continue;
		}
		if (ret) {
			if (failed)
				snprintf(failed, SPM_DEVNAME_MAX, "%s", tmp[*nr].devname);
			break;
		}
		(*nr)++;
	}
	closedir(dir);
	if (ret) {
		free(*nodes);
		*nodes = NULL;
		*nr = 0;
		return ret;
	}
	qsort(*nodes, *nr, sizeof(**nodes), cmp_node);
	return 0;
}

/* Call @fn for every SPM node, in node order, until it returns non-zero */
int spm_node_foreach(spm_node_fn fn, void *arg)
{
	struct spm_node_info *nodes;
	size_t nr, i;
	int ret;

	ret = spm_node_load_all(&nodes, &nr, NULL);
	for (i = 0; !ret && i < nr; i++)
		ret = fn(&nodes[i], arg);
	free(nodes);
	return ret;
}

struct dax_match {
	const char *dax;
	struct spm_node_info *info;
};

static int match_dax(const struct spm_node_info *info, void *arg)
{
	struct dax_match *m = arg;

	if (strcmp(info->dax, m->dax))
		return 0;
	*m->info = *info;
	return 1;
}

/* The SPM node dax device @dax backs: 0, or -ENOENT if it backs none */
int spm_node_of_dax(const char *dax, struct spm_node_info *info)
{
	struct dax_match m = { .dax = dax, .info = info };
	int ret;

	ret = spm_node_foreach(match_dax, &m);
	if (ret < 0)
		return ret;
	return ret ? 0 : -ENOENT;
}

static struct json_object *caps_json(const char *caps)
{
	struct json_object *jcaps = json_object_new_array();
	char buf[SPM_TEXT_MAX], *save, *cap;

	if (!jcaps)
		return NULL;
	snprintf(buf, sizeof(buf), "%s", caps);
	for (cap = strtok_r(buf, " ", &save); cap; cap = strtok_r(NULL, " ", &save))
		json_object_array_add(jcaps, json_object_new_string(cap));
	return jcaps;
}

/* An SPM node as JSON, in cxl-cli's style: raw numbers, sizes in bytes */
struct json_object *spm_node_json(const struct spm_node_info *info)
{
	struct json_object *jnode = json_object_new_object();
	struct json_object *jstats = spm_node_stats_json(info);

	if (!jnode || !jstats) {
		json_object_put(jnode);
		json_object_put(jstats);
		return NULL;
	}
	json_object_object_add(jnode, "node", json_object_new_int(info->node));
	json_object_object_add(jnode, "devname", json_object_new_string(info->devname));
	json_object_object_add(jnode, "name", json_object_new_string(info->name));
	json_object_object_add(jnode, "class", json_object_new_string(info->class));
	json_object_object_add(jnode, "caps", caps_json(info->caps));
	json_object_object_add(jnode, "size", json_object_new_uint64(info->size));
	json_object_object_add(jnode, "used", json_object_new_uint64(info->used));
	json_object_object_add(jnode, "free", json_object_new_uint64(info->free));
	json_object_object_add(jnode, "stats", jstats);
	if (info->dax[0])
		json_object_object_add(jnode, "dax", json_object_new_string(info->dax));
	if (info->region[0])
		json_object_object_add(jnode, "region", json_object_new_string(info->region));
	return jnode;
}

/* The node's counters as a JSON object, name: value */
struct json_object *spm_node_stats_json(const struct spm_node_info *info)
{
	struct json_object *jstats = json_object_new_object();
	unsigned int i;

	if (!jstats)
		return NULL;
	for (i = 0; i < info->nr_stats; i++)
		json_object_object_add(jstats, info->stats[i].name,
				       json_object_new_uint64(info->stats[i].value));
	return jstats;
}

void print_json(struct json_object *jobj)
{
	/* json-c prints an empty array across two lines */
	if (json_object_is_type(jobj, json_type_array) && !json_object_array_length(jobj)) {
		printf("[]\n");
		return;
	}
	printf("%s\n", json_object_to_json_string_ext(jobj, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_SPACED));
}
