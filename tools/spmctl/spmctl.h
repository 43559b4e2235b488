/* SPDX-License-Identifier: GPL-2.0 */
/* spmctl: shared declarations of the subcommands. */
#ifndef _SPMCTL_H_
#define _SPMCTL_H_

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define SPM_DEVNAME_MAX	32
#define SPM_TEXT_MAX	256

#define SPM_STATS_MAX	32

/* One event counter of a node's stats/ directory */
struct spm_stat {
	char name[NAME_MAX + 1];
	unsigned long long value;
};

/* One SPM node as /sys/bus/spm/devices/spm<nid> describes it */
struct spm_node_info {
	int node;
	char devname[SPM_DEVNAME_MAX];
	char name[SPM_TEXT_MAX];
	char class[SPM_DEVNAME_MAX];
	char caps[SPM_TEXT_MAX];
	unsigned long long size, used, free;
	unsigned int nr_stats;
	struct spm_stat stats[SPM_STATS_MAX];	/* every file of stats/, by name */
	char dax[SPM_DEVNAME_MAX];	/* backing dax device, "" if none */
	char region[SPM_DEVNAME_MAX];	/* CXL region holding it, "" if none */
};

/*
 * sysfs.c: paths are relative to the sysfs root (SPMCTL_SYSFS or /sys),
 * but for file_read(), which takes any path
 */
const char *sysfs_path(char *buf, size_t len, const char *fmt, ...);
int file_read(const char *path, char *buf, size_t len);
int sysfs_read(const char *rel, char *buf, size_t len);
int sysfs_read_ull(const char *rel, unsigned long long *val);
int sysfs_write(const char *rel, const char *val);
bool sysfs_exists(const char *rel);

/* node.c */
typedef int (*spm_node_fn)(const struct spm_node_info *info, void *arg);
int spm_node_load(const char *devname, struct spm_node_info *info);
int spm_node_load_all(struct spm_node_info **nodes, size_t *nr, char *failed);
int spm_node_foreach(spm_node_fn fn, void *arg);
int spm_node_of_dax(const char *dax, struct spm_node_info *info);
int dax_cxl_region(const char *dax, char *region, size_t len);
struct json_object *spm_node_json(const struct spm_node_info *info);
struct json_object *spm_node_stats_json(const struct spm_node_info *info);
void print_json(struct json_object *jobj);

/* namespace.c */
int region_create_devdax(const char *name, unsigned long long start);

/* argument checks shared by the subcommands */
bool is_devname(const char *s, const char *prefix, bool dotted);
int parse_node(const char *s, int *node);

/* the subcommands */
int cmd_list(int argc, char **argv);
int cmd_online(int argc, char **argv);
int cmd_offline(int argc, char **argv);
int cmd_group(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_stat(int argc, char **argv);

/* error reporting: "spmctl <cmd>: message" on stderr */
extern const char *spmctl_cmd;
void error(const char *fmt, ...);

#endif /* _SPMCTL_H_ */
