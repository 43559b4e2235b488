// SPDX-License-Identifier: GPL-2.0
/*
 * Special-purpose memory (SPM): the policy group file system.
 *
 *	mount -t policy none /sys/fs/policy
 *
 * Every directory below the root is a policy group (groups do not nest):
 *
 *	tasks		member tasks; write a pid to move that task in
 *	procs		member processes; write a pid to move its whole process
 *	spm.nodes	SPM nodes the group may allocate from (a node list)
 *	memory.tier	preferred SPM node for the group's demoted pages
 *	spm.max		per SPM node, the most memory the group may hold there
 *	stat		per-node usage and refusals
 *
 * The root's own "tasks" and "procs" list the tasks and processes in no
 * group; writing a pid there takes the task, or its process, out of its
 * group. The groups outlive the mount. mkdir and rmdir, and changing
 * grants, tiers and limits, need CAP_SYS_ADMIN; moving tasks needs write access to the
 * destination's "tasks" (or "procs") file (an administrator delegates a
 * group by chown-ing its directory, "tasks" and "procs") and, without
 * CAP_SYS_ADMIN, a task of one's own. See
 * Documentation/admin-guide/mm/spm.rst.
 */
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/init.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/user_namespace.h>

#include "spm.h"

#define SPM_POLICY_MAGIC	0x73706d70	/* "spmp" */

static struct kernfs_root *spm_policy_root;

/* The group a file belongs to; NULL for the root's files */
static struct spm_group *of_group(struct kernfs_open_file *of)
{
	return of->kn->parent->priv;
}

/*
 * Writes are judged by who opened the file, not by who writes to it: a
 * privileged file descriptor handed to, or inherited by, an unprivileged
 * task (say as its stdout) must not lend it the opener's privilege, and
 * the reverse.
 */
static bool spm_opener_privileged(struct kernfs_open_file *of)
{
	return file_ns_capable(of->file, &init_user_ns, CAP_SYS_ADMIN);
}

/*
 * The value written to a policy file, in place: the whole write less one
 * final newline and surrounding blanks. A write that holds a NUL byte or
 * more than one line is no value: -EINVAL, and nothing changes.
 */
static char *spm_policy_value(char *buf, size_t nbytes)
{
	if (strnlen(buf, nbytes) != nbytes)
		return ERR_PTR(-EINVAL);
	if (nbytes && buf[nbytes - 1] == '\n')
		buf[nbytes - 1] = '\0';
	if (strchr(buf, '\n'))
		return ERR_PTR(-EINVAL);
	return strstrip(buf);
}

static int tasks_show(struct seq_file *sf, void *v)
{
	spm_group_show_tasks(sf, of_group(sf->private), false);
	return 0;
}

static int procs_show(struct seq_file *sf, void *v)
{
	spm_group_show_tasks(sf, of_group(sf->private), true);
	return 0;
}

/*
 * Whether the opener of @arg (a tasks or procs file) may take a task out of
 * @src: @src's own tasks file was delegated to them (chown), as cgroup v2
 * asks for write access to the source as well as the destination.
 */
static bool spm_policy_may_leave(struct spm_group *src, void *arg)
{
	struct kernfs_open_file *of = arg;
	struct kernfs_node *tasks;
	struct inode *inode;
	bool delegated = false;

	tasks = kernfs_find_and_get(spm_group_dir(src), "tasks");
	if (!tasks)
		return false;
	inode = kernfs_get_inode(file_inode(of->file)->i_sb, tasks);
	if (inode) {
		delegated = uid_eq(inode->i_uid, of->file->f_cred->euid);
		iput(inode);
	}
	kernfs_put(tasks);
	return delegated;
}

static ssize_t spm_policy_move(struct kernfs_open_file *of, char *buf, size_t nbytes,
			       bool threadgroup)
{
	struct spm_mover who = {
		.cred = of->file->f_cred,
		.privileged = spm_opener_privileged(of),
		.may_leave = spm_policy_may_leave,
		.arg = of,
	};
	char *val = spm_policy_value(buf, nbytes);
	pid_t pid;
	int ret;

	if (IS_ERR(val))
		return PTR_ERR(val);
	/* a file no one delegated is the administrator's: uid 0 alone is not enough */
	if (!who.privileged && uid_eq(file_inode(of->file)->i_uid, GLOBAL_ROOT_UID))
		return -EPERM;
	/* a pid, in decimal digits only: no sign, no base prefix */
	ret = isdigit(*val) ? kstrtoint(val, 10, &pid) : -EINVAL;
	if (!ret)
		ret = spm_group_move(of_group(of), pid, threadgroup, &who);
	return ret ?: nbytes;
}

static ssize_t tasks_write(struct kernfs_open_file *of, char *buf, size_t nbytes, loff_t off)
{
	return spm_policy_move(of, buf, nbytes, false);
}

static ssize_t procs_write(struct kernfs_open_file *of, char *buf, size_t nbytes, loff_t off)
{
	return spm_policy_move(of, buf, nbytes, true);
}

static const struct kernfs_ops tasks_ops = {
	.seq_show = tasks_show,
	.write = tasks_write,
	.atomic_write_len = PAGE_SIZE,
};

static const struct kernfs_ops procs_ops = {
	.seq_show = procs_show,
	.write = procs_write,
	.atomic_write_len = PAGE_SIZE,
};

/* A write to a setting only an administrator may change: its value to @set */
static ssize_t spm_policy_set(struct kernfs_open_file *of, char *buf, size_t nbytes,
			      int (*set)(struct spm_group *grp, const char *val))
{
	char *val = spm_policy_value(buf, nbytes);
	int ret;

	if (!spm_opener_privileged(of))
		return -EPERM;
	if (IS_ERR(val))
		return PTR_ERR(val);
	ret = set(of_group(of), val);
	return ret ?: nbytes;
}

static int nodes_show(struct seq_file *sf, void *v)
{
	spm_group_show_nodes(sf, of_group(sf->private));
	return 0;
}

static ssize_t nodes_write(struct kernfs_open_file *of, char *buf, size_t nbytes, loff_t off)
{
	return spm_policy_set(of, buf, nbytes, spm_group_set_nodes);
}

static const struct kernfs_ops nodes_ops = {
	.seq_show = nodes_show,
	.write = nodes_write,
	.atomic_write_len = PAGE_SIZE,
};

static int tier_show(struct seq_file *sf, void *v)
{
	spm_group_show_tier(sf, of_group(sf->private));
	return 0;
}

static ssize_t tier_write(struct kernfs_open_file *of, char *buf, size_t nbytes, loff_t off)
{
	return spm_policy_set(of, buf, nbytes, spm_group_set_tier);
}

static const struct kernfs_ops tier_ops = {
	.seq_show = tier_show,
	.write = tier_write,
	.atomic_write_len = PAGE_SIZE,
};

static int max_show(struct seq_file *sf, void *v)
{
	spm_group_show_max(sf, of_group(sf->private));
	return 0;
}

static ssize_t max_write(struct kernfs_open_file *of, char *buf, size_t nbytes, loff_t off)
{
	return spm_policy_set(of, buf, nbytes, spm_group_set_max);
}

static const struct kernfs_ops max_ops = {
	.seq_show = max_show,
	.write = max_write,
	.atomic_write_len = PAGE_SIZE,
};

static int stat_show(struct seq_file *sf, void *v)
{
	spm_group_show_stat(sf, of_group(sf->private));
	return 0;
}

static const struct kernfs_ops stat_ops = {
	.seq_show = stat_show,
};

struct spm_policy_file {
	const char *name;
	umode_t mode;
	const struct kernfs_ops *ops;
};

static const struct spm_policy_file spm_group_files[] = {
	{ "tasks", 0644, &tasks_ops },
	{ "procs", 0644, &procs_ops },
	{ "spm.nodes", 0644, &nodes_ops },
	{ "memory.tier", 0644, &tier_ops },
	{ "spm.max", 0644, &max_ops },
	{ "stat", 0444, &stat_ops },
};

static int spm_policy_add_file(struct kernfs_node *dir, const struct spm_policy_file *f)
{
	struct kernfs_node *kn;

	kn = __kernfs_create_file(dir, f->name, S_IFREG | f->mode, GLOBAL_ROOT_UID,
				  GLOBAL_ROOT_GID, 0, f->ops, NULL, NULL, NULL);
	return PTR_ERR_OR_ZERO(kn);
}

static int spm_policy_mkdir(struct kernfs_node *parent, const char *name, umode_t mode)
{
	struct spm_group *grp;
	struct kernfs_node *kn;
	unsigned int i;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	/* groups do not nest */
	if (parent != kernfs_root_to_node(spm_policy_root))
		return -EPERM;
	/* kernfs takes any length; every other file system stops at NAME_MAX */
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;

	grp = spm_group_new();
	if (!grp)
		return -ENOMEM;
	kn = kernfs_create_dir(parent, name, 0755, grp);
	if (IS_ERR(kn)) {
		spm_group_kill(grp);
		spm_group_put(grp);
		return PTR_ERR(kn);
	}
	spm_group_set_dir(grp, kn);
	for (i = 0; i < ARRAY_SIZE(spm_group_files); i++) {
		ret = spm_policy_add_file(kn, &spm_group_files[i]);
		if (ret) {
			kernfs_remove(kn);
			spm_group_kill(grp);
			spm_group_put(grp);
			return ret;
		}
	}
	kernfs_activate(kn);
	return 0;
}

static int spm_policy_rmdir(struct kernfs_node *kn)
{
	struct spm_group *grp = kn->priv;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = spm_group_kill(grp);
	if (ret)
		return ret;
	/* kernfs_remove() drains active references; rmdir holds one on @kn */
	kernfs_get(kn);
	kernfs_break_active_protection(kn);
	kernfs_remove(kn);
	kernfs_unbreak_active_protection(kn);
	kernfs_put(kn);
	spm_group_put(grp);
	return 0;
}

static struct kernfs_syscall_ops spm_policy_syscall_ops = {
	.mkdir = spm_policy_mkdir,
	.rmdir = spm_policy_rmdir,
};

static void spm_policy_free_fs_context(struct fs_context *fc)
{
	struct kernfs_fs_context *kfc = fc->fs_private;

	kernfs_free_fs_context(fc);
	kfree(kfc);
}

static const struct fs_context_operations spm_policy_context_ops = {
	.free = spm_policy_free_fs_context,
	.get_tree = kernfs_get_tree,
};

static int spm_policy_init_fs_context(struct fs_context *fc)
{
	struct kernfs_fs_context *kfc;

	kfc = kzalloc(sizeof(*kfc), GFP_KERNEL);
	if (!kfc)
		return -ENOMEM;
	kfc->root = spm_policy_root;
	kfc->magic = SPM_POLICY_MAGIC;
	fc->fs_private = kfc;
	fc->ops = &spm_policy_context_ops;
	put_user_ns(fc->user_ns);
	fc->user_ns = get_user_ns(&init_user_ns);
	fc->global = true;
	return 0;
}

static struct file_system_type spm_policy_fs_type = {
	.name = "policy",
	.init_fs_context = spm_policy_init_fs_context,
	.kill_sb = kernfs_kill_sb,
};

static int __init spm_policy_init(void)
{
	static const struct spm_policy_file root_files[] = {
		{ "tasks", 0644, &tasks_ops },
		{ "procs", 0644, &procs_ops },
	};
	struct kernfs_node *root;
	int i, ret;

	spm_policy_root = kernfs_create_root(&spm_policy_syscall_ops,
					     KERNFS_ROOT_CREATE_DEACTIVATED |
					     KERNFS_ROOT_EXTRA_OPEN_PERM_CHECK, NULL);
	if (IS_ERR(spm_policy_root))
		return PTR_ERR(spm_policy_root);
	root = kernfs_root_to_node(spm_policy_root);
	for (i = 0; i < ARRAY_SIZE(root_files); i++) {
		ret = spm_policy_add_file(root, &root_files[i]);
		if (ret)
			goto err_root;
	}
	kernfs_activate(root);

	ret = sysfs_create_mount_point(fs_kobj, "policy");
	if (ret)
		goto err_root;
	ret = register_filesystem(&spm_policy_fs_type);
	if (ret)
		goto err_mount_point;
	return 0;

err_mount_point:
	sysfs_remove_mount_point(fs_kobj, "policy");
err_root:
	kernfs_destroy_root(spm_policy_root);
	return ret;
}
device_initcall(spm_policy_init);
