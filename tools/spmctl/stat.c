// SPDX-License-Identifier: GPL-2.0
/*
 * spmctl stat: the event counters of SPM nodes (stats/ of each
 * /sys/bus/spm/devices/spm<nid>) as a JSON array.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spmctl.h"

static const char stat_usage[] =
	"usage: spmctl stat [<options>] [<node>...]\n"
	"\n"
	"Show the event counters of every SPM node, or of each <node> (spmN or N),\n"
	"as JSON.\n"
	"\n"
	"    -h, --help            show this help\n";

static struct json_object *stat_json(const struct spm_node_info *info)
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
	json_object_object_add(jnode, "stats", jstats);
	return jnode;
}

/* Load the node @arg names (spmN or N), saying what is wrong if it cannot */
static int stat_load(const char *arg, struct spm_node_info *info)
{
	char devname[SPM_DEVNAME_MAX];
	int node, ret;

	if (parse_node(strncmp(arg, "spm", 3) ? arg : arg + 3, &node)) {
		error("'%s' is not an SPM node name (spmN or N)", arg);
		return -EINVAL;
	}
	snprintf(devname, sizeof(devname), "spm%d", node);
	ret = spm_node_load(devname, info);
	if (ret == -ENOENT)
		error("%s: no such SPM node", devname);
	else if (ret)
		error("%s: cannot read its counters: %s", devname, strerror(-ret));
	return ret;
}

/* Load every SPM node, saying what is wrong if one cannot be read */
static int stat_load_all(struct spm_node_info **infos, size_t *nr)
{
	char failed[SPM_DEVNAME_MAX];
	int ret;

	ret = spm_node_load_all(infos, nr, failed);
	if (ret && failed[0])
		error("%s: cannot read its counters: %s", failed, strerror(-ret));
	else if (ret)
		error("reading /sys/bus/spm: %s", strerror(-ret));
	return ret;
}

int cmd_stat(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct spm_node_info *infos = NULL;
	struct json_object *jnodes, *jnode;
	size_t i, nr;
	int c, ret = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(stat_usage, stdout);
			return 0;
		default:
			fputs(stat_usage, stderr);
			return 1;
		}
	}

	/* every node must be readable before anything is printed */
	nr = argc - optind;
	if (!nr) {
		ret = stat_load_all(&infos, &nr);
	} else {
		infos = calloc(nr, sizeof(*infos));
		if (!infos) {
			error("out of memory");
			return 1;
		}
		for (i = 0; i < nr && !ret; i++)
			ret = stat_load(argv[optind + i], &infos[i]);
	}
	if (ret) {
		free(infos);
		return 1;
	}

	jnodes = json_object_new_array();
	for (i = 0; jnodes && i < nr; i++) {
		jnode = stat_json(&infos[i]);
		if (!jnode) {
			json_object_put(jnodes);
			jnodes = NULL;
			break;
		}
		json_object_array_add(jnodes, jnode);
	}
	free(infos);
	if (!jnodes) {
		error("out of memory");
		return 1;
	}
	print_json(jnodes);
	json_object_put(jnodes);
	return 0;
}
