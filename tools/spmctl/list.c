// SPDX-License-Identifier: GPL-2.0
/* spmctl list: the SPM nodes as a JSON array, like "cxl list". */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "spmctl.h"

static const char list_usage[] =
	"usage: spmctl list [<options>]\n"
	"\n"
	"List the special-purpose memory (SPM) nodes as JSON.\n"
	"\n"
	"    -n, --node <nid>      only the SPM node <nid>\n"
	"    -d, --dax <daxX.Y>    only the SPM node dax device <daxX.Y> backs\n"
	"    -h, --help            show this help\n";

struct list_filter {
	int node;			/* -1: any */
	const char *dax;		/* NULL: any */
	struct json_object *jnodes;
};

static int list_one(const struct spm_node_info *info, void *arg)
{
	struct list_filter *f = arg;
	struct json_object *jnode;

	if (f->node >= 0 && info->node != f->node)
		return 0;
	if (f->dax && strcmp(info->dax, f->dax))
		return 0;
	jnode = spm_node_json(info);
	if (!jnode)
		return -ENOMEM;
	json_object_array_add(f->jnodes, jnode);
	return 0;
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "node", required_argument, NULL, 'n' },
		{ "dax", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct list_filter f = { .node = -1 };
	int c, ret;

	while ((c = getopt_long(argc, argv, "n:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_node(optarg, &f.node)) {
				error("'%s' is not a node number", optarg);
				return 1;
			}
			break;
		case 'd':
			if (!is_devname(optarg, "dax", true)) {
				error("'%s' is not a dax device name (daxX.Y)", optarg);
				return 1;
			}
			f.dax = optarg;
			break;
		case 'h':
			fputs(list_usage, stdout);
			return 0;
		default:
			fputs(list_usage, stderr);
			return 1;
		}
	}
	if (optind < argc) {
		error("unexpected argument '%s'", argv[optind]);
		fputs(list_usage, stderr);
		return 1;
	}

	f.jnodes = json_object_new_array();
	if (!f.jnodes) {
		error("out of memory");
		return 1;
	}
	ret = spm_node_foreach(list_one, &f);
	if (ret < 0) {
		error("reading /sys/bus/spm: %s", strerror(-ret));
		json_object_put(f.jnodes);
		return 1;
	}
	print_json(f.jnodes);
	json_object_put(f.jnodes);
	return 0;
}
