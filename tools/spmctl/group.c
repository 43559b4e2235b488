// SPDX-License-Identifier: GPL-2.0
/*
 * spmctl group / exec: policy groups, the sets of tasks an administrator
 * grants SPM nodes to. A group is a directory of the policy file system
 * (mount -t policy none /sys/fs/policy):
 *
 *	tasks		member tasks; write a pid to move that task in
 *	spm.nodes	the SPM nodes the group may allocate from
 *	memory.tier	"none" or the SPM node its demoted pages go to
 *	stat		"node<N> granted <0|1> pages <n> refused <n> placed <n>" per SPM node
 *
 * The root is /sys/fs/policy unless SPMCTL_POLICY names another directory
 * (the host-side tests use a fake tree this way). Arguments are checked
 * before anything is written, and "group create" removes the group again
 * if its nodes cannot be set: bad input changes nothing.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "spmctl.h"

#define POLICY_ROOT		"/sys/fs/policy"
#define GROUP_NAME_MAX		255
#define POLICY_TEXT_MAX		4096	/* a node list of every node fits */

/* exec's own failures, as env(1) */
#define EXIT_EXEC_FAILED	125
#define EXIT_CANNOT_INVOKE	126
#define EXIT_ENOENT		127

static const char group_usage[] =
	"usage: spmctl group <command> [<args>]\n"
	"\n"
	"Manage policy groups: which SPM nodes a group of tasks may allocate from.\n"
	"\n"
	"Commands:\n"
	"    create     create a group\n"
	"    delete     remove a group that has no tasks and holds no pages\n"
	"    list       list groups as JSON\n"
	"    set        set a group's SPM nodes, memory tier or limits\n"
	"    add        move tasks into a group\n"
	"\n"
	"See 'spmctl group <command> --help' and spmctl(1).\n";

static const char create_usage[] =
	"usage: spmctl group create [<options>] <name>\n"
	"\n"
	"Create policy group <name>. It grants no SPM node until given some.\n"
	"\n"
	"    -n, --nodes <list>    SPM nodes the group may allocate from (\"2\", \"2-3,5\")\n"
	"    -h, --help            show this help\n";

static const char delete_usage[] =
	"usage: spmctl group delete <name>\n"
	"\n"
	"Remove policy group <name>. Refused while it has tasks or holds pages.\n"
	"\n"
	"    -h, --help            show this help\n";

static const char list_usage[] =
	"usage: spmctl group list [<name>]\n"
	"\n"
	"List the policy groups, or only <name>, as JSON.\n"
	"\n"
	"    -h, --help            show this help\n";

static const char set_usage[] =
	"usage: spmctl group set [<options>] <name>\n"
	"\n"
	"Set what policy group <name> may allocate from; at least one option.\n"
	"\n"
	"    -n, --nodes <list>    SPM nodes the group may allocate from (\"\" for none)\n"
	"    -t, --tier <nid|none> SPM node the group's demoted pages go to\n"
	"    -m, --max <nid>=<size|max>\n"
	"                          the most the group may hold on SPM node <nid>\n"
	"                          (bytes, or with a K, M, G or T suffix; max: no limit)\n"
	"    -h, --help            show this help\n";

static const char add_usage[] =
	"usage: spmctl group add [<options>] <name> <pid>...\n"
	"\n"
	"Move tasks into policy group <name>, in order, stopping at the first\n"
	"that cannot be moved.\n"
	"\n"
	"    -p, --process         move the whole process of each pid, every thread\n"
	"    -h, --help            show this help\n";

static const char exec_usage[] =
	"usage: spmctl exec [<options>] [--] <command> [<args>]\n"
	"\n"
	"Join a policy group, then run <command> in it; its children inherit the\n"
	"group. Exits with the command's status; 125 if spmctl exec fails, 126 if\n"
	"the command cannot be run, 127 if it is not found.\n"
	"\n"
	"    -g, --group <name>    the group to join (required)\n"
	"    -h, --help            show this help\n";

static const char *policy_root(void)
{
	const char *root = getenv("SPMCTL_POLICY");

	return root && *root ? root : POLICY_ROOT;
}

/* Format a path under the policy root into @buf; returns @buf */
static const char *policy_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(buf, len, "%s/", policy_root());
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < len)
		vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	return buf;
}

/*
 * Make sure the policy file system is there: its root has a "tasks" file.
 * Run as root, spmctl mounts it on /sys/fs/policy if it is not mounted.
 */
static int policy_ready(void)
{
	const char *root = policy_root();
	char path[PATH_MAX];
	int err;

	if (!access(policy_path(path, sizeof(path), "tasks"), F_OK))
		return 0;
	if (strcmp(root, POLICY_ROOT) || geteuid()) {
		error("the policy file system is not mounted on %s (mount -t policy none %s)",
		      root, root);
		return -ENOENT;
	}
	if (!mount("none", root, "policy", 0, NULL))
		return 0;
	err = errno;
	if (err == ENODEV)
		error("cannot mount the policy file system on %s: the kernel has none", root);
	else
		error("cannot mount the policy file system on %s: %s", root, strerror(err));
	return -err;
}

/* A group name the policy file system can take: a directory of its root */
static bool is_group_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..") &&
	       strcmp(s, "tasks") && strcmp(s, "procs") && strlen(s) <= GROUP_NAME_MAX;
}

static int check_group_name(const char *s)
{
	if (is_group_name(s))
		return 0;
	error("'%s' is not a group name (1 to %d bytes, no '/', not '.', '..', 'tasks' or 'procs')",
	      s, GROUP_NAME_MAX);
	return -EINVAL;
}

static bool is_group(const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	return !stat(policy_path(path, sizeof(path), "%s", name), &st) && S_ISDIR(st.st_mode);
}

/* 0 if group @name exists, -ENOENT with a message if not */
static int group_exists(const char *name)
{
	if (is_group(name))
		return 0;
	error("no such group '%s'", name);
	return -ENOENT;
}

/* A node list as the kernel prints it: "" or "N" and "N-M" joined by commas */
static bool is_nodelist(const char *s)
{
	unsigned long first, last;
	char *end;

	if (!*s)
		return true;
	for (;;) {
		if (!isdigit((unsigned char)*s))
			return false;
		first = strtoul(s, &end, 10);
		last = first;
		if (*end == '-') {
			s = end + 1;
			if (!isdigit((unsigned char)*s))
				return false;
			last = strtoul(s, &end, 10);
		}
		if (first > last || last > 1023)
			return false;
		if (!*end)
			return true;
		if (*end != ',')
			return false;
		s = end + 1;
	}
}

/* A memory tier argument: "none" (-1) or an SPM node number */
static int parse_tier(const char *s, int *tier)
{
	if (!strcmp(s, "none")) {
		*tier = -1;
		return 0;
	}
	return parse_node(s, tier);
}

/*
 * A --max argument, "<nid>=<size>" or "<nid>=max", as the "<nid> <size>"
 * line spm.max takes into @out; the size is decimal bytes with an optional
 * K, M, G or T suffix. Returns the node number, or -EINVAL.
 */
static int parse_max(const char *s, char *out, size_t len)
{
	const char *eq = strchr(s, '=');
	char node[12];
	size_t n;
	int nid;

	if (!eq || (size_t)(eq - s) >= sizeof(node))
		return -EINVAL;
	memcpy(node, s, eq - s);
	node[eq - s] = '\0';
	if (parse_node(node, &nid))
		return -EINVAL;
	s = eq + 1;
	if (strcmp(s, "max")) {
		n = strspn(s, "0123456789");
		if (!n || (s[n] && (s[n + 1] || !strchr("KMGT", s[n]))))
			return -EINVAL;
	}
	if ((size_t)snprintf(out, len, "%d %s", nid, s) >= len)
		return -EINVAL;
	return nid;
}

/* A pid to move: a decimal number above 0 */
static int parse_pid(const char *s, int *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > INT_MAX)
		return -EINVAL;
	*pid = v;
	return 0;
}

/* Write "@val\n" to file @file of group @name, as echo would; -errno on failure */
static int group_write(const char *name, const char *file, const char *val)
{
	char path[PATH_MAX], buf[POLICY_TEXT_MAX];
	ssize_t n;
	int fd, len;

	len = snprintf(buf, sizeof(buf), "%s\n", val);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return -E2BIG;
	fd = open(policy_path(path, sizeof(path), "%s/%s", name, file),
		  O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		n = -errno;
	else
		n = n == len ? 0 : -EIO;
	close(fd);
	return n;
}

static int group_read(const char *name, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];

	return file_read(policy_path(path, sizeof(path), "%s/%s", name, file), buf, len);
}

static int set_nodes(const char *name, const char *nodes)
{
	int ret = group_write(name, "spm.nodes", nodes);

	if (ret == -EINVAL)
		error("cannot set the nodes of group %s to '%s': not all of them are SPM nodes",
		      name, nodes);
	else if (ret == -ERANGE)
		error("cannot set the nodes of group %s to '%s': node number out of range",
		      name, nodes);
	else if (ret == -EPERM)
		error("cannot set the nodes of group %s: %s (needs CAP_SYS_ADMIN)", name,
		      strerror(-ret));
	else if (ret)
		error("cannot set the nodes of group %s: %s", name, strerror(-ret));
	return ret;
}

/* The limit of group @name on node @nid, as spm.max says it, into @val */
static int get_max(const char *name, int nid, char *val, size_t len)
{
	char buf[POLICY_TEXT_MAX], *line, *save;
	int node, n;

	n = group_read(name, "spm.max", buf, sizeof(buf));
	if (n)
		return n;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%d %n", &node, &n) == 1 && node == nid) {
			snprintf(val, len, "%s", line);
			return 0;
		}
	}
	return -EINVAL;
}

static int set_max(const char *name, const char *max)
{
	int ret = group_write(name, "spm.max", max);

	if (ret == -EINVAL)
		error("cannot set the limit of group %s to '%s': not an SPM node, or not a size",
		      name, max);
	else if (ret == -EPERM)
		error("cannot set the limits of group %s: %s (needs CAP_SYS_ADMIN)", name,
		      strerror(-ret));
	else if (ret)
		error("cannot set the limits of group %s: %s", name, strerror(-ret));
	return ret;
}

static int set_tier(const char *name, const char *tier)
{
	int ret = group_write(name, "memory.tier", tier);

	if (ret == -EINVAL)
		error("cannot set the memory tier of group %s to %s: %s", name, tier,
		      "not a node the group is granted that accepts demotion");
	else if (ret == -EPERM)
		error("cannot set the memory tier of group %s: %s (needs CAP_SYS_ADMIN)", name,
		      strerror(-ret));
	else if (ret)
		error("cannot set the memory tier of group %s: %s", name, strerror(-ret));
	return ret;
}

/* What it means that pid could not be moved into a group */
static const char *move_error(int err)
{
	switch (err) {
	case ESRCH:
		return "no such process, or it is exiting";
	case EPERM:
		return "Operation not permitted (without CAP_SYS_ADMIN, only your own tasks)";
	case EINVAL:
		return "a kernel thread cannot join a group";
	case ENOENT:
		return "the group was removed";
	default:
		return strerror(err);
	}
}

/* Parse the options of a command whose only one is --help: -1 to go on, else its exit status */
static int help_option(int argc, char **argv, const char *usage)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return 0;
		}
		fputs(usage, stderr);
		return 1;
	}
	return -1;
}

/* Between @min and @max arguments after the options (@max < 0: any number) */
static int check_arguments(int argc, char **argv, int min, int max, const char *usage)
{
	int n = argc - optind;

	if (n >= min && (max < 0 || n <= max))
		return 0;
	if (n < min)
		error("missing argument");
	else
		error("unexpected argument '%s'", argv[optind + max]);
	fputs(usage, stderr);
	return -EINVAL;
}

static int group_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nodes", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *nodes = NULL, *name;
	char path[PATH_MAX];
	int c;

	while ((c = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!is_nodelist(optarg)) {
				error("'%s' is not a node list", optarg);
				return 1;
			}
			nodes = optarg;
			break;
		case 'h':
			fputs(create_usage, stdout);
			return 0;
		default:
			fputs(create_usage, stderr);
			return 1;
		}
	}
	if (check_arguments(argc, argv, 1, 1, create_usage))
		return 1;
	name = argv[optind];
	if (check_group_name(name) || policy_ready())
		return 1;

	if (mkdir(policy_path(path, sizeof(path), "%s", name), 0755)) {
		if (errno == EEXIST)
			error("group %s already exists", name);
		else
			error("cannot create group %s: %s", name, strerror(errno));
		return 1;
	}
	if (nodes && set_nodes(name, nodes)) {
		if (rmdir(path))
			error("group %s was created but could not be removed again: %s", name,
			      strerror(errno));
		return 1;
	}
	return 0;
}

static int group_delete(int argc, char **argv)
{
	const char *name;
	char path[PATH_MAX];
	int ret;

	ret = help_option(argc, argv, delete_usage);
	if (ret >= 0)
		return ret;
	if (check_arguments(argc, argv, 1, 1, delete_usage))
		return 1;
	name = argv[optind];
	if (check_group_name(name) || policy_ready())
		return 1;

	if (!rmdir(policy_path(path, sizeof(path), "%s", name)))
		return 0;
	if (errno == ENOENT || errno == ENOTDIR)
		error("no such group '%s'", name);
	else if (errno == EBUSY)
		error("group %s still has tasks or holds pages", name);
	else
		error("cannot delete group %s: %s", name, strerror(errno));
	return 1;
}

/* The member tasks of group @name as a JSON array of pids */
static int tasks_json(const char *name, struct json_object *jtasks)
{
	char path[PATH_MAX], line[64], *end;
	int ret = 0;
	FILE *f;
	long pid;

	f = fopen(policy_path(path, sizeof(path), "%s/tasks", name), "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		errno = 0;
		pid = strtol(line, &end, 10);
		if (errno || end == line || (*end && *end != '\n') || pid <= 0 || pid > INT_MAX) {
			ret = -EINVAL;
			break;
		}
		json_object_array_add(jtasks, json_object_new_int(pid));
	}
	if (!ret && ferror(f))
		ret = -EIO;
	fclose(f);
	return ret;
}

/* The per-node lines of group @name's stat as a JSON array of objects */
static int stat_json(const char *name, struct json_object *jstat)
{
	unsigned long long pages, refused, placed;
	char path[PATH_MAX], line[128];
	struct json_object *jnode;
	int node, granted, ret = 0;
	FILE *f;

	f = fopen(policy_path(path, sizeof(path), "%s/stat", name), "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "node%d granted %d pages %llu refused %llu placed %llu",
			   &node, &granted, &pages, &refused, &placed) != 5) {
			ret = -EINVAL;
			break;
		}
		jnode = json_object_new_object();
		if (!jnode) {
			ret = -ENOMEM;
			break;
		}
		json_object_object_add(jnode, "node", json_object_new_int(node));
		json_object_object_add(jnode, "granted", json_object_new_boolean(granted));
		json_object_object_add(jnode, "pages", json_object_new_uint64(pages));
		json_object_object_add(jnode, "refused", json_object_new_uint64(refused));
		json_object_object_add(jnode, "placed", json_object_new_uint64(placed));
		json_object_object_add(jnode, "max", NULL);
		json_object_array_add(jstat, jnode);
	}
	if (!ret && ferror(f))
		ret = -EIO;
	fclose(f);
	return ret;
}

/* Each limit in group @name's spm.max into the @jstat entry of its node */
static int max_json(const char *name, struct json_object *jstat)
{
	char path[PATH_MAX], line[128], val[32], *end;
	unsigned long long bytes;
	struct json_object *jnode, *jnid;
	int node, ret = 0;
	size_t i;
	FILE *f;

	f = fopen(policy_path(path, sizeof(path), "%s/spm.max", name), "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%d %31s", &node, val) != 2) {
			ret = -EINVAL;
			break;
		}
		if (!strcmp(val, "max"))
			continue;
		errno = 0;
		bytes = strtoull(val, &end, 10);
		if (errno || *end || !isdigit((unsigned char)val[0])) {
			ret = -EINVAL;
			break;
		}
		for (i = 0; i < json_object_array_length(jstat); i++) {
			jnode = json_object_array_get_idx(jstat, i);
			if (json_object_object_get_ex(jnode, "node", &jnid) &&
			    json_object_get_int(jnid) == node)
				json_object_object_add(jnode, "max", json_object_new_uint64(bytes));
		}
	}
	if (!ret && ferror(f))
		ret = -EIO;
	fclose(f);
	return ret;
}

/*
 * Group @name as JSON into *@out: 0, -ENOENT if the group went away
 * meanwhile, or another -errno with a message.
 */
static int group_json(const char *name, struct json_object **out)
{
	struct json_object *jgrp, *jtasks, *jstat;
	char nodes[POLICY_TEXT_MAX], tier[32];
	const char *file;
	int ret, nid;

	*out = NULL;
	file = "spm.nodes";
	ret = group_read(name, file, nodes, sizeof(nodes));
	if (!ret) {
		file = "memory.tier";
		ret = group_read(name, file, tier, sizeof(tier));
	}
	if (!ret && parse_tier(tier, &nid))
		ret = -EINVAL;
	if (ret)
		goto err;

	jgrp = json_object_new_object();
	jtasks = json_object_new_array();
	jstat = json_object_new_array();
	if (!jgrp || !jtasks || !jstat) {
		json_object_put(jgrp);
		json_object_put(jtasks);
		json_object_put(jstat);
		error("out of memory");
		return -ENOMEM;
	}
	json_object_object_add(jgrp, "group", json_object_new_string(name));
	json_object_object_add(jgrp, "nodes", json_object_new_string(nodes));
	json_object_object_add(jgrp, "memory_tier", nid < 0 ? NULL : json_object_new_int(nid));
	json_object_object_add(jgrp, "tasks", jtasks);
	json_object_object_add(jgrp, "stat", jstat);
	file = "tasks";
	ret = tasks_json(name, jtasks);
	if (!ret) {
		file = "stat";
		ret = stat_json(name, jstat);
	}
	if (!ret) {
		file = "spm.max";
		ret = max_json(name, jstat);
	}
	if (ret) {
		json_object_put(jgrp);
		goto err;
	}
	*out = jgrp;
	return 0;
err:
	if (ret == -ENOENT && !is_group(name))
		return ret;
	if (ret == -EINVAL)
		error("group %s: unexpected content in %s", name, file);
	else
		error("group %s: reading %s: %s", name, file, strerror(-ret));
	return ret == -ENOENT ? -EIO : ret;
}

static int group_list(int argc, char **argv)
{
	struct json_object *jgroups, *jgrp;
	struct dirent **names = NULL;
	int ret, i, n = 0;

	ret = help_option(argc, argv, list_usage);
	if (ret >= 0)
		return ret;
	ret = 0;
	if (check_arguments(argc, argv, 0, 1, list_usage))
		return 1;
	if (optind < argc && check_group_name(argv[optind]))
		return 1;
	if (policy_ready())
		return 1;

	jgroups = json_object_new_array();
	if (!jgroups) {
		error("out of memory");
		return 1;
	}
	if (optind < argc) {
		ret = group_exists(argv[optind]);
		if (!ret) {
			ret = group_json(argv[optind], &jgrp);
			if (ret == -ENOENT)
				error("no such group '%s'", argv[optind]);
		}
		if (!ret)
			json_object_array_add(jgroups, jgrp);
		goto out;
	}

	n = scandir(policy_root(), &names, NULL, alphasort);
	if (n < 0) {
		ret = -errno;
		error("reading %s: %s", policy_root(), strerror(-ret));
		n = 0;
		goto out;
	}
	for (i = 0; i < n && !ret; i++) {
		if (!is_group_name(names[i]->d_name) || !is_group(names[i]->d_name))
			continue;
		ret = group_json(names[i]->d_name, &jgrp);
		if (ret == -ENOENT)	/* removed meanwhile */
			ret = 0;
		else if (!ret)
			json_object_array_add(jgroups, jgrp);
	}
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!ret)
		print_json(jgroups);
	json_object_put(jgroups);
	return ret ? 1 : 0;
}

/* Set the nodes, the tier or both of group @name; on failure, as it was */
static int set_nodes_tier(const char *name, const char *nodes, const char *tier)
{
	char old_nodes[POLICY_TEXT_MAX], old_tier[32];
	int ret;

	if (!nodes)
		return tier ? set_tier(name, tier) : 0;
	/* new nodes can reset the tier: keep both to restore if the tier fails */
	if (tier) {
		ret = group_read(name, "spm.nodes", old_nodes, sizeof(old_nodes));
		if (!ret)
			ret = group_read(name, "memory.tier", old_tier, sizeof(old_tier));
		if (ret) {
			error("cannot read the settings of group %s: %s", name, strerror(-ret));
			return ret;
		}
	}
	ret = set_nodes(name, nodes);
	if (ret)
		return ret;
	if (tier) {
		ret = set_tier(name, tier);
		if (ret && (group_write(name, "spm.nodes", old_nodes) ||
			    group_write(name, "memory.tier", old_tier)))
			error("group %s: could not restore nodes '%s' and memory tier %s",
			      name, old_nodes, old_tier);
	}
	return ret;
}

static int group_set(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nodes", required_argument, NULL, 'n' },
		{ "tier", required_argument, NULL, 't' },
		{ "max", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *nodes = NULL, *tier = NULL, *name;
	char max[64] = "", old_max[64];
	int c, nid, max_nid = -1;

	while ((c = getopt_long(argc, argv, "n:t:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!is_nodelist(optarg)) {
				error("'%s' is not a node list", optarg);
				return 1;
			}
			nodes = optarg;
			break;
		case 't':
			if (parse_tier(optarg, &nid)) {
				error("'%s' is neither a node number nor 'none'", optarg);
				return 1;
			}
			tier = optarg;
			break;
		case 'm':
			max_nid = parse_max(optarg, max, sizeof(max));
			if (max_nid < 0) {
				error("'%s' is not <nid>=<size> or <nid>=max", optarg);
				return 1;
			}
			break;
		case 'h':
			fputs(set_usage, stdout);
			return 0;
		default:
			fputs(set_usage, stderr);
			return 1;
		}
	}
	if (check_arguments(argc, argv, 1, 1, set_usage))
		return 1;
	name = argv[optind];
	if (!nodes && !tier && !*max) {
		error("nothing to set: give --nodes, --tier or --max");
		fputs(set_usage, stderr);
		return 1;
	}
	if (check_group_name(name) || policy_ready() || group_exists(name))
		return 1;

	if (*max) {
		if (get_max(name, max_nid, old_max, sizeof(old_max))) {
			error("cannot set the limit of group %s on node %d: not an SPM node",
			      name, max_nid);
			return 1;
		}
		if (set_max(name, max))
			return 1;
	}
	if (set_nodes_tier(name, nodes, tier)) {
		if (*max && group_write(name, "spm.max", old_max))
			error("group %s: could not restore its limit '%s'", name, old_max);
		return 1;
	}
	return 0;
}

static int group_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "process", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *name, *file = "tasks";
	char path[PATH_MAX], buf[16];
	int i, c, fd, pid, ret, len;
	ssize_t n;

	while ((c = getopt_long(argc, argv, "ph", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			file = "procs";
			break;
		case 'h':
			fputs(add_usage, stdout);
			return 0;
		default:
			fputs(add_usage, stderr);
			return 1;
		}
	}
	if (check_arguments(argc, argv, 2, -1, add_usage))
		return 1;
	name = argv[optind];
	if (check_group_name(name))
		return 1;
	for (i = optind + 1; i < argc; i++) {
		if (parse_pid(argv[i], &pid)) {
			error("'%s' is not a pid", argv[i]);
			return 1;
		}
	}
	if (policy_ready() || group_exists(name))
		return 1;

	fd = open(policy_path(path, sizeof(path), "%s/%s", name, file),
		  O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		error("cannot open the %s of group %s: %s", file, name, strerror(errno));
		return 1;
	}
	/* one write() per pid: the kernel moves one task, or process, per write */
	for (i = optind + 1; i < argc; i++) {
		parse_pid(argv[i], &pid);
		len = snprintf(buf, sizeof(buf), "%d\n", pid);
		n = write(fd, buf, len);
		if (n != len) {
			ret = n < 0 ? errno : EIO;
			error("cannot move %s %d into group %s: %s",
			      file[0] == 'p' ? "process" : "pid", pid, name, move_error(ret));
			break;
		}
	}
	close(fd);
	return i < argc ? 1 : 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} group_commands[] = {
	{ "create", group_create },
	{ "delete", group_delete },
	{ "list", group_list },
	{ "set", group_set },
	{ "add", group_add },
};

int cmd_group(int argc, char **argv)
{
	static char cmd[64];
	size_t i;

	if (argc < 2) {
		fputs(group_usage, stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(group_usage, stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(group_commands); i++) {
		if (strcmp(argv[1], group_commands[i].name))
			continue;
		snprintf(cmd, sizeof(cmd), "spmctl group %s", group_commands[i].name);
		spmctl_cmd = cmd;
		return group_commands[i].fn(argc - 1, argv + 1);
	}
	error("'%s' is not a group command; see 'spmctl group --help'", argv[1]);
	return 1;
}

int cmd_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "group", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *name = NULL;
	int c, ret;

	/* "+": options end at the command, whose own options are its own */
	while ((c = getopt_long(argc, argv, "+g:h", opts, NULL)) != -1) {
		switch (c) {
		case 'g':
			name = optarg;
			break;
		case 'h':
			fputs(exec_usage, stdout);
			return 0;
		default:
			fputs(exec_usage, stderr);
			return EXIT_EXEC_FAILED;
		}
	}
	if (!name) {
		error("missing --group");
		fputs(exec_usage, stderr);
		return EXIT_EXEC_FAILED;
	}
	if (optind == argc) {
		error("missing command");
		fputs(exec_usage, stderr);
		return EXIT_EXEC_FAILED;
	}
	if (check_group_name(name) || policy_ready() || group_exists(name))
		return EXIT_EXEC_FAILED;

	/* "0" moves the writer: spmctl itself, which the command replaces */
	ret = group_write(name, "tasks", "0");
	if (ret) {
		error("cannot join group %s: %s", name, strerror(-ret));
		return EXIT_EXEC_FAILED;
	}
	execvp(argv[optind], argv + optind);
	ret = errno;
	error("cannot run '%s': %s", argv[optind], strerror(ret));
	return ret == ENOENT ? EXIT_ENOENT : EXIT_CANNOT_INVOKE;
}
