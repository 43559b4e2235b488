// SPDX-License-Identifier: GPL-2.0
/*
 * Special-purpose memory (SPM): policy groups decide which tasks may
 * allocate from which SPM node through user-driven paths.
 *
 * A task belongs to at most one group (task_struct.spm_group) and its
 * children inherit it. A group grants a set of SPM nodes; a task in no
 * group, or in a group that does not grant a node, gets nothing from that
 * node. The task's cpuset bounds it further: a cpuset whose cpuset.mems
 * leaves a node out keeps its tasks off the node, whatever their group
 * grants. The grant is checked at every allocation, so a change takes effect
 * at the next one; pages already allocated stay where they are, charged to
 * the group that allocated them, until they are freed. That holds for pages
 * mapped from /dev/spm<N> (mmap.c) and for the pages a preferred memory
 * policy placed on a node (spm_group_charge_placed()). The policy file
 * system (policyfs.c) is the administrator's view of this file.
 *
 * Locking: spm_groups_lock (a mutex) serialises creating and removing
 * groups, changing grants and moving tasks. A task's pointer is written
 * under task_lock() and read under RCU; a move writes it under the read side
 * of tasklist_lock too, which serialises it against fork. A group's grants and counters are
 * under its spinlock, which the allocation path takes; the count of pages
 * placed by policy is atomic, as pages are freed in any context.
 */
#include <linux/cpuset.h>
#include <linux/ctype.h>
#include <linux/cred.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/spm_group.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "spm.h"

/**
 * struct spm_group_node_stat - A group's use of one node
 * @pages: pages mapped for the group's tasks (/dev/spm) and not yet freed
 * @refused: allocations the group's grants refused
 * @placed: pages a preferred policy placed for the group's tasks, not yet
 *	freed; atomic, the rest is under the group's lock
 * @max: at most this many pages, @pages and @placed together (spm.max);
 *	ULONG_MAX for no limit
 */
struct spm_group_node_stat {
	unsigned long pages;
	unsigned long refused;
	atomic_long_t placed;
	unsigned long max;
};

/**
 * struct spm_group - A policy group
 * @ref: held by the file system until rmdir, by each member task and by
 *	each allocated page
 * @list: entry in spm_groups
 * @rcu: for freeing; tasks read their group's grants under RCU
 * @nr_tasks: member tasks
 * @id: its number in spm_group_ids, which the pages it placed record
 * @lock: guards @nodes, @tier, @dead and @stat (but @stat.placed)
 * @nodes: the SPM nodes the group grants
 * @tier: preferred SPM node for demoted pages, or NUMA_NO_NODE
 * @dead: removed: grants nothing any more
 * @judged: the last move that judged whether its mover may take tasks out
 *	of the group, under spm_groups_lock (spm_may_leave())
 * @dir: the policy file system's directory of the group
 * @stat: per-node usage, nr_node_ids entries
 */
struct spm_group {
	struct kref ref;
	struct list_head list;
	struct rcu_head rcu;
	atomic_t nr_tasks;
	u16 id;
	spinlock_t lock;	/* guards nodes, tier, dead, stat */
	nodemask_t nodes;
	int tier;
	bool dead;
	unsigned long judged;
	void *dir;
	struct spm_group_node_stat stat[];
};

static DEFINE_MUTEX(spm_groups_lock);
static LIST_HEAD(spm_groups);
/* Live groups by number, under spm_groups_lock; looked up under RCU */
static DEFINE_IDR(spm_group_ids);
/* Groups whose memory.tier names a node: reclaim looks for them only then */
static atomic_t spm_demoting_groups = ATOMIC_INIT(0);

/* Under @grp->lock: set where reclaim demotes the group's cold pages */
static void spm_group_write_tier(struct spm_group *grp, int nid)
{
	lockdep_assert_held(&grp->lock);
	if (grp->tier == NUMA_NO_NODE && nid != NUMA_NO_NODE)
		atomic_inc(&spm_demoting_groups);
	else if (grp->tier != NUMA_NO_NODE && nid == NUMA_NO_NODE)
		atomic_dec(&spm_demoting_groups);
	WRITE_ONCE(grp->tier, nid);
}

struct spm_group *spm_group_new(void)
{
	struct spm_group *grp;
	int id, nid;

	grp = kzalloc(struct_size(grp, stat, nr_node_ids), GFP_KERNEL_ACCOUNT);
	if (!grp)
		return NULL;
	for (nid = 0; nid < nr_node_ids; nid++)
		grp->stat[nid].max = ULONG_MAX;
	kref_init(&grp->ref);
	spin_lock_init(&grp->lock);
	grp->tier = NUMA_NO_NODE;
	guard(mutex)(&spm_groups_lock);
	id = idr_alloc_cyclic(&spm_group_ids, grp, 1, U16_MAX + 1, GFP_KERNEL_ACCOUNT);
	if (id < 0) {
		kfree(grp);
		return NULL;
	}
	grp->id = id;
	list_add_tail(&grp->list, &spm_groups);
	return grp;
}

static void spm_group_release(struct kref *ref)
{
	kfree_rcu(container_of(ref, struct spm_group, ref), rcu);
}

void spm_group_put(struct spm_group *grp)
{
	kref_put(&grp->ref, spm_group_release);
}

/**
 * spm_group_kill - Remove a group, if nothing uses it
 * @grp: the group
 *
 * Return: 0, or -EBUSY while the group has member tasks or pages.
 */
int spm_group_kill(struct spm_group *grp)
{
	int nid;

	guard(mutex)(&spm_groups_lock);
	if (atomic_read(&grp->nr_tasks))
		return -EBUSY;
	scoped_guard(spinlock, &grp->lock) {
		for (nid = 0; nid < nr_node_ids; nid++)
			if (grp->stat[nid].pages || atomic_long_read(&grp->stat[nid].placed))
				return -EBUSY;
		WRITE_ONCE(grp->dead, true);
		nodes_clear(grp->nodes);
		spm_group_write_tier(grp, NUMA_NO_NODE);
	}
	/* no page records its number: spm_group_charge_placed() saw it dead */
	idr_remove(&spm_group_ids, grp->id);
	list_del(&grp->list);
	return 0;
}

/*
 * Called from copy_process() under tasklist_lock and siglock, interrupts off,
 * before the child is visible. A group whose last member left meanwhile may
 * be on its way out: the child then starts in no group.
 */
void spm_group_fork(struct task_struct *child)
{
	struct spm_group *grp;

	rcu_read_lock();
	grp = rcu_dereference(current->spm_group);
	if (grp && atomic_inc_not_zero(&grp->nr_tasks))
		kref_get(&grp->ref);
	else
		grp = NULL;
	RCU_INIT_POINTER(child->spm_group, grp);
	rcu_read_unlock();
}

static void spm_group_leave(struct spm_group *grp)
{
	atomic_dec(&grp->nr_tasks);
	spm_group_put(grp);
}

/*
 * Swap @tsk's group for @grp (may be NULL). PF_EXITING is set before
 * spm_group_exit() takes task_lock(), so testing it under that lock keeps a
 * group from being attached to a task whose exit already let go of its own.
 */
static int spm_group_swap(struct task_struct *tsk, struct spm_group *grp)
{
	struct spm_group *old;

	task_lock(tsk);
	if (grp && (tsk->flags & PF_EXITING)) {
		task_unlock(tsk);
		return -ESRCH;
	}
	old = rcu_dereference_protected(tsk->spm_group, lockdep_is_held(&tsk->alloc_lock));
	if (old != grp) {
		if (grp) {
			kref_get(&grp->ref);
			atomic_inc(&grp->nr_tasks);
		}
		rcu_assign_pointer(tsk->spm_group, grp);
	}
	task_unlock(tsk);
	if (old && old != grp)
		spm_group_leave(old);
	return 0;
}

/* Called from do_exit() once the task has PF_EXITING and no mm */
void spm_group_exit(struct task_struct *tsk)
{
	spm_group_swap(tsk, NULL);
}

/* Whoever opened the file moves their own tasks, or any with @privileged */
static bool spm_may_move(struct task_struct *tsk, const struct cred *cred, bool privileged)
{
	const struct cred *tcred;
	bool same_user;

	if (privileged)
		return true;
	rcu_read_lock();
	tcred = __task_cred(tsk);
	same_user = uid_eq(cred->euid, tcred->uid) || uid_eq(cred->euid, tcred->suid);
	rcu_read_unlock();
	return same_user;
}

/*
 * The group of @t if it is one @who's move to @grp has yet to judge (@seq
 * marks those it judged), with a reference; else NULL.
 */
static struct spm_group *spm_source_to_judge(struct task_struct *t, struct spm_group *grp,
					     unsigned long seq)
{
	struct spm_group *src = rcu_dereference(t->spm_group);

	if (!src || src == grp || src->judged == seq)
		return NULL;
	kref_get(&src->ref);
	return src;
}

/*
 * Whether @who may take @tsk, or with @threadgroup each of its threads, out
 * of the group it is in, to @grp. A task in no group may join any group its
 * mover can write to: it gains only what that group was given. Leaving a
 * group takes its consent (@who->may_leave), so that a delegatee cannot move
 * its tasks out of an administrator's group.
 *
 * Called under spm_groups_lock, which every move holds: no thread's group
 * can change meanwhile but to none (exit), and a thread created meanwhile
 * starts in its creator's group, judged already. @who->may_leave may sleep,
 * so each source group is judged once, outside RCU, and marked as judged.
 */
static bool spm_may_leave(struct task_struct *tsk, bool threadgroup, struct spm_group *grp,
			  const struct spm_mover *who)
{
	static unsigned long seq;
	struct spm_group *src;
	struct task_struct *t;
	bool ok = true;

	lockdep_assert_held(&spm_groups_lock);
	if (who->privileged)
		return true;
	seq++;
	do {
		src = NULL;
		rcu_read_lock();
		if (!threadgroup) {
			src = spm_source_to_judge(tsk, grp, seq);
		} else {
			for_each_thread(tsk, t) {
				src = spm_source_to_judge(t, grp, seq);
				if (src)
					break;
			}
		}
		rcu_read_unlock();
		if (src) {
			src->judged = seq;
			ok = who->may_leave && who->may_leave(src, who->arg);
			spm_group_put(src);
		}
	} while (src && ok);
	return ok;
}

/*
 * Move @tsk, or with @threadgroup each of its threads that is not exiting,
 * into @grp. Under the read side of tasklist_lock: copy_process() reads the
 * parent's group in spm_group_fork() and makes the child visible in one
 * write-side section, so a child (or thread) created meanwhile is either
 * visible, in the old group, before the move returns, or starts in @grp.
 * Whoever empties a group by moving what its "tasks" lists, until it lists
 * nothing, leaves no child behind; a whole process moves as one.
 */
static int spm_group_swap_tasks(struct task_struct *tsk, bool threadgroup,
				struct spm_group *grp)
{
	struct task_struct *t;
	int ret = -ESRCH;

	read_lock(&tasklist_lock);
	if (!threadgroup) {
		ret = spm_group_swap(tsk, grp);
	} else {
		for_each_thread(tsk, t)
			if (!spm_group_swap(t, grp))
				ret = 0;
	}
	read_unlock(&tasklist_lock);
	return ret;
}

/**
 * spm_group_move - Move a task, or a whole process, into a group or out of any
 * @grp: the group, or NULL for none
 * @pid: the task, in the caller's pid namespace; 0 for the caller
 * @threadgroup: move every thread of @pid's process, as one
 * @who: who asks (the opener of the "tasks" or "procs" file), and what they
 *	may do
 *
 * Without @who->privileged, the task (for @threadgroup, its process's
 * leader) must be @who's own, and the group each moved thread is in, if any,
 * must let @who take it out (@who->may_leave). A fork or thread creation
 * racing the move is serialised against it (spm_group_swap_tasks()).
 *
 * Return: 0, -ESRCH if there is no such task or it (with @threadgroup, each
 * thread of its process) is exiting, -EINVAL for a kernel thread, -EPERM if
 * the caller may not move it, -ENOENT if @grp was removed meanwhile. Nothing
 * moves on error.
 */
int spm_group_move(struct spm_group *grp, pid_t pid, bool threadgroup,
		   const struct spm_mover *who)
{
	struct task_struct *tsk;
	int ret = 0;

	if (pid < 0)
		return -EINVAL;
	rcu_read_lock();
	tsk = pid ? find_task_by_vpid(pid) : current;
	if (tsk && threadgroup)
		tsk = tsk->group_leader;
	if (tsk)
		get_task_struct(tsk);
	rcu_read_unlock();
	if (!tsk)
		return -ESRCH;
	if (tsk->flags & PF_KTHREAD)
		ret = -EINVAL;
	else if (!spm_may_move(tsk, who->cred, who->privileged))
		ret = -EPERM;
	if (ret)
		goto out;

	scoped_guard(mutex, &spm_groups_lock) {
		if (grp && grp->dead)
			ret = -ENOENT;
		else if (!spm_may_leave(tsk, threadgroup, grp, who))
			ret = -EPERM;
		else
			ret = spm_group_swap_tasks(tsk, threadgroup, grp);
	}
out:
	put_task_struct(tsk);
	return ret;
}

/**
 * spm_group_set_dir - Remember the policy file system's directory of a group
 * @grp: the group
 * @dir: its directory
 */
void spm_group_set_dir(struct spm_group *grp, void *dir)
{
	grp->dir = dir;
}

/**
 * spm_group_dir - The policy file system's directory of a group
 * @grp: the group
 *
 * Return: what spm_group_set_dir() set.
 */
void *spm_group_dir(const struct spm_group *grp)
{
	return grp->dir;
}

/**
 * spm_group_show_tasks - List a group's member tasks, or those in no group
 * @sf: where to
 * @grp: the group, or NULL
 * @threadgroup: list each process with a thread in the group once, by its
 *	thread group id, rather than each thread
 */
void spm_group_show_tasks(struct seq_file *sf, struct spm_group *grp, bool threadgroup)
{
	struct task_struct *g, *t;
	pid_t shown = 0, id;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (rcu_access_pointer(t->spm_group) != grp || (t->flags & PF_KTHREAD))
			continue;
		id = threadgroup ? task_tgid_vnr(t) : task_pid_vnr(t);
		/* not yet or no longer visible in the caller's namespace */
		if (!id || (threadgroup && id == shown))
			continue;
		seq_printf(sf, "%d\n", id);
		shown = id;
	}
	rcu_read_unlock();
}

/**
 * spm_group_set_nodes - Set the SPM nodes a group grants
 * @grp: the group
 * @buf: a node list ("2", "2-3,5"); empty grants none
 *
 * Takes effect at the group's next allocation. Pages already allocated on
 * a node that is no longer granted stay allocated until they are freed.
 *
 * Return: 0; -EINVAL if @buf is not a node list or names a node that is
 * not a registered SPM node, -ERANGE for a node number out of range,
 * -ENOENT if the group was removed meanwhile. The grants are unchanged on
 * error.
 */
int spm_group_set_nodes(struct spm_group *grp, const char *buf)
{
	nodemask_t nodes;
	int ret;

	ret = nodelist_parse(buf, nodes);
	if (ret)
		return ret;

	/* spm_unregister() withdraws grants under the same locks, in this order */
	guard(spm_nodes)();
	guard(mutex)(&spm_groups_lock);
	if (!spm_nodes_have_caps(&nodes, 0))
		return -EINVAL;
	if (grp->dead)
		return -ENOENT;
	guard(spinlock)(&grp->lock);
	grp->nodes = nodes;
	if (grp->tier != NUMA_NO_NODE && !node_isset(grp->tier, nodes))
		spm_group_write_tier(grp, NUMA_NO_NODE);
	return 0;
}

void spm_group_show_nodes(struct seq_file *sf, struct spm_group *grp)
{
	nodemask_t nodes;

	scoped_guard(spinlock, &grp->lock)
		nodes = grp->nodes;
	seq_printf(sf, "%*pbl\n", nodemask_pr_args(&nodes));
}

/**
 * spm_group_set_tier - Set where demotion puts a group's cold pages
 * @grp: the group
 * @buf: "none", or a node the group grants that accepts demotion
 *
 * Return: 0; -EINVAL if @buf is neither, -ERANGE for a number out of
 * range, -ENOENT if the group was removed meanwhile. The setting is
 * unchanged on error.
 */
int spm_group_set_tier(struct spm_group *grp, const char *buf)
{
	nodemask_t nodes = NODE_MASK_NONE;
	int nid, ret;

	if (sysfs_streq(buf, "none")) {
		nid = NUMA_NO_NODE;
	} else {
		/* a node number in decimal digits only: no sign, no base prefix */
		ret = isdigit(*buf) ? kstrtoint(buf, 10, &nid) : -EINVAL;
		if (ret)
			return ret;
		if (nid < 0 || nid >= nr_node_ids)
			return -EINVAL;
		node_set(nid, nodes);
	}

	guard(spm_nodes)();
	guard(mutex)(&spm_groups_lock);
	if (!spm_nodes_have_caps(&nodes, SPM_CAP_DEMOTION))
		return -EINVAL;
	if (grp->dead)
		return -ENOENT;
	guard(spinlock)(&grp->lock);
	if (nid != NUMA_NO_NODE && !node_isset(nid, grp->nodes))
		return -EINVAL;
	spm_group_write_tier(grp, nid);
	return 0;
}

void spm_group_show_tier(struct seq_file *sf, struct spm_group *grp)
{
	int tier = READ_ONCE(grp->tier);

	if (tier == NUMA_NO_NODE)
		seq_puts(sf, "none\n");
	else
		seq_printf(sf, "%d\n", tier);
}

/**
 * spm_group_set_max - Limit a group's pages on an SPM node
 * @grp: the group
 * @buf: "<nid> <bytes>" or "<nid> max" (no limit); the bytes as memparse()
 *	reads them ("64M"), rounded down to whole pages
 *
 * The limit counts every page of the node charged to the group, mapped
 * from /dev/spm<nid> or placed by a preferred policy. It is checked as each
 * is allocated: a page that would exceed it is refused (a fault on
 * /dev/spm<nid> gets SIGBUS, a preferred policy falls back to other nodes).
 * A limit below what the group holds takes nothing back: it refuses
 * allocations until the group is below it.
 *
 * Return: 0; -EINVAL if @buf is not of that form or @nid is not a
 * registered SPM node, -ENOENT if the group was removed meanwhile. The
 * limits are unchanged on error.
 */
int spm_group_set_max(struct spm_group *grp, const char *buf)
{
	const char *val = strchr(buf, ' ');
	unsigned long long bytes;
	unsigned long pages;
	char num[12], *end;
	int nid, ret;

	if (!val || val == buf || val - buf >= sizeof(num))
		return -EINVAL;
	memcpy(num, buf, val - buf);
	num[val - buf] = '\0';
	/* decimal digits only, in both numbers: no sign, no base prefix */
	ret = isdigit(num[0]) ? kstrtoint(num, 10, &nid) : -EINVAL;
	if (ret)
		return ret;
	val = skip_spaces(val);
	if (!strcmp(val, "max")) {
		pages = ULONG_MAX;
	} else {
		if (!isdigit(val[0]) || (val[0] == '0' && tolower(val[1]) == 'x'))
			return -EINVAL;
		bytes = memparse(val, &end);
		if (*end)
			return -EINVAL;
		pages = min_t(unsigned long long, bytes >> PAGE_SHIFT, ULONG_MAX - 1);
	}

	guard(spm_nodes)();
	if (nid < 0 || nid >= nr_node_ids || !node_state(nid, N_SPM))
		return -EINVAL;
	guard(mutex)(&spm_groups_lock);
	if (grp->dead)
		return -ENOENT;
	guard(spinlock)(&grp->lock);
	grp->stat[nid].max = pages;
	return 0;
}

/**
 * spm_group_show_max - A group's limit on each SPM node
 * @sf: where to
 * @grp: the group
 *
 * One line per SPM node: "<nid> <bytes>", or "<nid> max" without a limit.
 */
void spm_group_show_max(struct seq_file *sf, struct spm_group *grp)
{
	unsigned long max;
	int nid;

	for_each_node_state(nid, N_SPM) {
		scoped_guard(spinlock, &grp->lock)
			max = grp->stat[nid].max;
		if (max == ULONG_MAX)
			seq_printf(sf, "%d max\n", nid);
		else
			seq_printf(sf, "%d %llu\n", nid, (unsigned long long)max << PAGE_SHIFT);
	}
}

/**
 * spm_group_show_stat - A group's use of each SPM node
 * @sf: where to
 * @grp: the group
 *
 * One line per node that is an SPM node or that the group used:
 * "node<N> granted <0|1> pages <allocated, not freed> refused <count>
 * placed <pages>", where pages counts every page of the node charged to the
 * group and placed those of them a preferred memory policy put there.
 */
void spm_group_show_stat(struct seq_file *sf, struct spm_group *grp)
{
	unsigned long pages, refused, placed;
	bool granted;
	int nid;

	for (nid = 0; nid < nr_node_ids; nid++) {
		scoped_guard(spinlock, &grp->lock) {
			pages = grp->stat[nid].pages;
			refused = grp->stat[nid].refused;
			granted = node_isset(nid, grp->nodes);
		}
		placed = atomic_long_read(&grp->stat[nid].placed);
		if (!node_state(nid, N_SPM) && !pages && !refused && !placed)
			continue;
		seq_printf(sf, "node%d granted %d pages %lu refused %lu placed %lu\n", nid,
			   granted, pages + placed, refused, placed);
	}
}

/**
 * spm_group_get - The caller's policy group
 *
 * Return: the group, with a reference (spm_group_put()), or NULL if the
 * caller is in none.
 */
struct spm_group *spm_group_get(void)
{
	struct spm_group *grp;

	rcu_read_lock();
	grp = rcu_dereference(current->spm_group);
	if (grp && !kref_get_unless_zero(&grp->ref))
		grp = NULL;
	rcu_read_unlock();
	return grp;
}

/* Does @grp grant @nid? Under @grp->lock, or racing a change of grants */
static bool spm_group_grants(const struct spm_group *grp, int nid)
{
	return !READ_ONCE(grp->dead) && node_isset(nid, grp->nodes);
}

/* Under @grp->lock: would @nr more pages of @nid keep @grp within spm.max? */
static bool spm_group_fits(const struct spm_group *grp, int nid, unsigned long nr)
{
	const struct spm_group_node_stat *st = &grp->stat[nid];

	lockdep_assert_held(&grp->lock);
	return st->pages + atomic_long_read(&st->placed) + nr <= st->max;
}

/*
 * Does @grp grant @nid, with room for @charge more pages of it, and does
 * @allowed (the caller's cpuset) let it? Charges @charge pages if so, counts
 * a refusal against the group if not. Takes over the caller's reference to
 * @grp, which it returns for the pages charged.
 */
static struct spm_group *spm_group_try_charge(struct spm_group *grp, int nid,
					      unsigned long charge, bool allowed)
{
	bool granted;

	if (!grp)
		return ERR_PTR(-EPERM);
	scoped_guard(spinlock, &grp->lock) {
		granted = allowed && spm_group_grants(grp, nid) &&
			  (!charge || spm_group_fits(grp, nid, charge));
		if (granted)
			grp->stat[nid].pages += charge;
		else
			grp->stat[nid].refused++;
	}
	if (granted && charge)
		return grp;
	spm_group_put(grp);
	return granted ? NULL : ERR_PTR(-EPERM);
}

/**
 * spm_group_check - May the calling task allocate from an SPM node?
 * @nid: the node
 *
 * Return: 0, or -EPERM (counted as a refusal of the caller's group).
 */
int spm_group_check(int nid)
{
	struct spm_group *grp;
	bool granted;

	/*
	 * Asked at every allocation under a preferred policy: a grant is
	 * answered under RCU alone, without the group's lock or a reference.
	 * A grant changing meanwhile is seen at the next allocation, as it
	 * would be a moment later with the lock; a refusal goes through the
	 * locked path, which looks again and counts it.
	 */
	if (cpuset_spm_node_allowed(current, nid)) {
		rcu_read_lock();
		grp = rcu_dereference(current->spm_group);
		granted = grp && spm_group_grants(grp, nid);
		rcu_read_unlock();
		if (granted)
			return 0;
	}
	return PTR_ERR_OR_ZERO(spm_group_try_charge(spm_group_get(), nid, 0,
						    cpuset_spm_node_allowed(current, nid)));
}

/**
 * spm_group_charge - Charge a page about to be allocated to a group
 * @grp: the group, or NULL for the caller's
 * @nid: the node it comes from
 *
 * The caller's own group must also have its cpuset allow @nid; a group
 * given (the one that mapped the page, for an access from another address
 * space) is judged by its grants and limit alone.
 *
 * Return: the group, holding a reference for the page, or ERR_PTR(-EPERM)
 * if it does not grant @nid or has no room left there (spm.max). Undo with
 * spm_group_uncharge().
 */
struct spm_group *spm_group_charge(struct spm_group *grp, int nid)
{
	if (grp) {
		kref_get(&grp->ref);
		return spm_group_try_charge(grp, nid, 1, true);
	}
	return spm_group_try_charge(spm_group_get(), nid, 1,
				    cpuset_spm_node_allowed(current, nid));
}

/**
 * spm_group_uncharge - Uncharge a page from its group
 * @grp: what spm_group_charge() returned
 * @nid: the node
 * @refused: the page was not allocated after all: count a refusal
 */
void spm_group_uncharge(struct spm_group *grp, int nid, bool refused)
{
	scoped_guard(spinlock, &grp->lock) {
		grp->stat[nid].pages--;
		if (refused)
			grp->stat[nid].refused++;
	}
	spm_group_put(grp);
}

/**
 * spm_group_charge_placed - Charge pages a preferred policy placed
 * @nid: the node they are on
 * @ids: the node's record of who placed each of them, one entry per page
 * @nr: how many
 *
 * Charges them to the caller's group (the policy's task's), if it has one
 * that is not being removed, and records its number for
 * spm_group_uncharge_placed().
 *
 * Context: process context, under rcu_read_lock().
 * Return: false if they would take the group over its spm.max on @nid
 * (counted as a refusal; nothing is charged), else true.
 */
bool spm_group_charge_placed(int nid, u16 *ids, unsigned long nr)
{
	struct spm_group *grp = rcu_dereference(current->spm_group);
	unsigned long i;

	if (!grp)
		return true;
	guard(spinlock)(&grp->lock);
	if (grp->dead)
		return true;
	if (!spm_group_fits(grp, nid, nr)) {
		grp->stat[nid].refused++;
		return false;
	}
	for (i = 0; i < nr; i++)
		WRITE_ONCE(ids[i], grp->id);
	atomic_long_add(nr, &grp->stat[nid].placed);
	return true;
}

/**
 * spm_group_uncharge_placed - Uncharge placed pages as they are freed
 * @nid: the node they are on
 * @ids: the node's record of who placed each of them, one entry per page
 * @nr: how many
 *
 * Context: any, under rcu_read_lock() (the page freeing path).
 */
void spm_group_uncharge_placed(int nid, u16 *ids, unsigned long nr)
{
	struct spm_group *grp = NULL;
	unsigned long i;
	u16 id, last = 0;

	for (i = 0; i < nr; i++) {
		id = READ_ONCE(ids[i]);
		if (!id)
			continue;
		WRITE_ONCE(ids[i], 0);
		if (id != last)
			grp = idr_find(&spm_group_ids, id);
		last = id;
		/* a group with placed pages cannot be removed: always found */
		if (!WARN_ON_ONCE(!grp))
			atomic_long_dec(&grp->stat[nid].placed);
	}
}

/**
 * spm_groups_forget_node - Withdraw every grant of a node that goes away
 * @nid: the node
 *
 * A node registered later under the same number is not granted to anyone,
 * and no group has a limit on it.
 */
void spm_groups_forget_node(int nid)
{
	struct spm_group *grp;

	guard(mutex)(&spm_groups_lock);
	list_for_each_entry(grp, &spm_groups, list) {
		guard(spinlock)(&grp->lock);
		node_clear(nid, grp->nodes);
		grp->stat[nid].max = ULONG_MAX;
		if (grp->tier == nid)
			spm_group_write_tier(grp, NUMA_NO_NODE);
	}
}

/* Does any policy group have reclaim demote into SPM? */
static bool spm_groups_demote(void)
{
	return atomic_read(&spm_demoting_groups);
}

/*
 * What spm_memcg_demotes() found for a memory cgroup, by id: whether it
 * demotes (bit 0), and when it looked (the other bits, jiffies truncated)
 */
static DEFINE_XARRAY(spm_memcg_seen);
#define SPM_MEMCG_SEEN_MASK	(ULONG_MAX >> 3)

/* mem_cgroup_scan_tasks() callback: stop at a task of a demoting group */
static int spm_task_demotes(struct task_struct *tsk, void *demotes)
{
	struct spm_group *grp;

	rcu_read_lock();
	grp = rcu_dereference(tsk->spm_group);
	if (grp && READ_ONCE(grp->tier) != NUMA_NO_NODE)
		*(bool *)demotes = true;
	rcu_read_unlock();
	return *(bool *)demotes;
}

/**
 * spm_memcg_demotes - May reclaim of a memory cgroup demote into SPM?
 * @memcg: the memory cgroup reclaim scans; NULL or the root for the whole
 *	system
 *
 * Reclaim scans anonymous memory without swap space only if it can demote
 * it. Only a task of a group whose memory.tier names an SPM node can, so a
 * cgroup none of whose processes belongs to such a group cannot: it is not
 * scanned for nothing, and reaches its OOM sooner. A cgroup's answer is
 * remembered for a second, as tasks come and go.
 *
 * Context: process context (reclaim); may sleep.
 * Return: true if some process of @memcg or of its descendants (of any,
 * for the whole system) is in a demoting group.
 */
bool spm_memcg_demotes(struct mem_cgroup *memcg)
{
	unsigned long seen, now = jiffies & SPM_MEMCG_SEEN_MASK;
	bool demotes = false;
	void *entry;

	might_sleep();
	if (!spm_groups_demote())
		return false;
	if (!memcg || mem_cgroup_is_root(memcg))
		return true;
	entry = xa_load(&spm_memcg_seen, mem_cgroup_id(memcg));
	if (entry) {
		seen = xa_to_value(entry);
		if (((now - (seen >> 1)) & SPM_MEMCG_SEEN_MASK) < HZ)
			return seen & 1;
	}
	mem_cgroup_scan_tasks(memcg, spm_task_demotes, &demotes);
	/* not remembered if there is no memory for it: asked again next time */
	xa_store(&spm_memcg_seen, mem_cgroup_id(memcg), xa_mk_value((now << 1) | demotes),
		 GFP_NOWAIT | __GFP_NOWARN | __GFP_NOMEMALLOC);
	return demotes;
}

/*
 * The first mapping decides: its mm's owner task's group's tier, if the
 * task's cpuset allows that node
 */
static bool spm_group_tier_rmap_one(struct folio *folio, struct vm_area_struct *vma,
				    unsigned long addr, void *arg)
{
	struct task_struct *owner;
	struct spm_group *grp;
	int tier, *nid = arg;

	rcu_read_lock();
	owner = rcu_dereference(vma->vm_mm->owner);
	grp = owner ? rcu_dereference(owner->spm_group) : NULL;
	tier = grp ? READ_ONCE(grp->tier) : NUMA_NO_NODE;
	if (tier != NUMA_NO_NODE && cpuset_spm_node_allowed(owner, tier))
		*nid = tier;
	rcu_read_unlock();
	return false;
}

/**
 * spm_group_demotion_node - The SPM node reclaim demotes a folio into
 * @folio: a cold folio reclaim found
 *
 * Only anonymous folios have a task, hence a group, to decide: the owner
 * task of the first mm that maps @folio, within what its cpuset allows.
 * Page-cache folios are shared by whoever reads the file, and are never
 * demoted into SPM.
 *
 * Context: process context (reclaim); may sleep on the anon_vma lock.
 * Return: the node the group's memory.tier names, or NUMA_NO_NODE.
 */
int spm_group_demotion_node(struct folio *folio)
{
	int nid = NUMA_NO_NODE;
	struct rmap_walk_control rwc = {
		.rmap_one = spm_group_tier_rmap_one,
		.arg = &nid,
		.anon_lock = folio_lock_anon_vma_read,
	};

	if (!spm_groups_demote() || !folio_test_anon(folio) || folio_test_ksm(folio) ||
	    !folio_mapped(folio))
		return NUMA_NO_NODE;
	rmap_walk(folio, &rwc);
	return nid;
}
