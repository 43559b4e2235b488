/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to drivers/spm: the state of one registered SPM node. */
#ifndef _DRIVERS_SPM_SPM_H
#define _DRIVERS_SPM_SPM_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/nodemask.h>
#include <linux/spm.h>
#include <linux/spm_node.h>

#define SPM_NAME_MAX	32
#define SPM_MAX_RANGES	8

/**
 * enum spm_stat_item - A node's event counters (sysfs stats/, spmctl stat)
 * @SPM_STAT_ALLOCATED: pages allocated from the node
 * @SPM_STAT_FREED: pages of the node freed
 * @SPM_STAT_REFUSED: allocations the node refused (owner or unregistering)
 * @SPM_STAT_MEMORY_FAILURES: pages of the node found poisoned
 * @SPM_STAT_DEMOTIONS_IN: pages reclaim demoted into the node
 * @SPM_STAT_DEMOTIONS_REFUSED: pages whose demotion the node refused (owner
 *	or pressure)
 * @SPM_STAT_PROMOTIONS: pages that left the node for a CPU's node (NUMA
 *	balancing) or were copied out by a write fault
 * @SPM_STAT_WRITE_FAULTS: writes to write-protected pages of the node
 * @SPM_STAT_PRESSURE_RAISED: times the owner raised pressure
 * @SPM_STAT_PRESSURE_CLEARED: times the owner cleared it
 * @SPM_STAT_NR: number of counters
 */
enum spm_stat_item {
	SPM_STAT_ALLOCATED,
	SPM_STAT_FREED,
	SPM_STAT_REFUSED,
	SPM_STAT_MEMORY_FAILURES,
	SPM_STAT_DEMOTIONS_IN,
	SPM_STAT_DEMOTIONS_REFUSED,
	SPM_STAT_PROMOTIONS,
	SPM_STAT_WRITE_FAULTS,
	SPM_STAT_PRESSURE_RAISED,
	SPM_STAT_PRESSURE_CLEARED,
	SPM_STAT_NR
};

/**
 * enum spm_promotion - How pages left an SPM node (trace_spm_promote())
 * @SPM_PROMOTED_NUMA: NUMA balancing moved them to a CPU's node
 * @SPM_PROMOTED_WRITE: a write fault copied the page out
 */
enum spm_promotion {
	SPM_PROMOTED_NUMA,
	SPM_PROMOTED_WRITE,
};

/* Bits of &spm_node.flags */
#define SPM_NODE_PRESSURE	0	/* the owner raised pressure: no demotion */

/**
 * enum spm_refusal - Why a node refused an allocation (trace_spm_refuse())
 * @SPM_REFUSED_OWNER: the owner's admit() refused it
 * @SPM_REFUSED_DYING: the node is being unregistered
 */
enum spm_refusal {
	SPM_REFUSED_OWNER,
	SPM_REFUSED_DYING,
};

/**
 * struct spm_node - A registered SPM node
 * @dev: its device on the spm bus, "spm<nid>"
 * @cdev: /dev/spm<nid>, for a node with SPM_CAP_USER_MAP
 * @hook: the hook the page allocator calls (see <linux/spm_node.h>)
 * @ops: the owner's callbacks, may be NULL
 * @drvdata: the owner's private data
 * @name: the owner's name for the memory
 * @class: the kind of memory
 * @caps: SPM_CAP_* flags
 * @nid: the node
 * @dying: set while the node's memory is taken away (and after, while
 *	@offline): every allocation is refused
 * @offline: its memory was taken away (its state file, spm_unregister());
 *	the node stays registered until spm_unregister()
 * @owner: the module providing @ops, referenced until the node is released
 * @flags: SPM_NODE_* bits
 * @stat: event counters since registration
 * @used: pages allocated and not yet freed, folded at each allocation and
 *	free: exact at every instant, where @stat's allocated and freed,
 *	read one after the other, are not
 * @placed_by: for each page (in @ranges order), the policy group whose
 *	preferred policy placed it, 0 if none; only on a node that lets
 *	memory policies prefer it (spm_node_takes_policy())
 * @nr_ranges: number of @ranges
 * @ranges: the hot-added physical ranges
 */
struct spm_node {
	struct device dev;
	struct cdev cdev;
	struct spm_node_hook hook;
	const struct spm_ops *ops;
	void *drvdata;
	char name[SPM_NAME_MAX];
	enum spm_class class;
	unsigned long caps;
	int nid;
	bool dying;
	bool offline;
	struct module *owner;
	unsigned long flags;
	atomic_long_t stat[SPM_STAT_NR];
	atomic_long_t used;
	u16 *placed_by;
	unsigned int nr_ranges;
	struct spm_range ranges[] __counted_by(nr_ranges);
};

static inline struct spm_node *to_spm_node(struct device *dev)
{
	return container_of(dev, struct spm_node, dev);
}

static inline void spm_stat_add(struct spm_node *node, enum spm_stat_item item, long nr)
{
	atomic_long_add(nr, &node->stat[item]);
}

static inline long spm_stat_read(const struct spm_node *node, enum spm_stat_item item)
{
	return atomic_long_read(&node->stat[item]);
}

extern const struct bus_type spm_bus;
extern const struct attribute_group *spm_node_groups[];

const char *spm_class_name(enum spm_class class);
void spm_hotplug_begin(void);
void spm_hotplug_end(void);
int spm_evacuate(struct spm_node *node);
int spm_node_set_online(struct spm_node *node, bool online);
u64 spm_node_size(const struct spm_node *node);
unsigned long spm_node_used_pages(const struct spm_node *node);
void spm_nodes_lock(void);
void spm_nodes_unlock(void);
bool spm_nodes_have_caps(const nodemask_t *nodes, unsigned long caps);
DEFINE_LOCK_GUARD_0(spm_nodes, spm_nodes_lock(), spm_nodes_unlock())

/* mmap.c: the node's device and /dev/spm<nid> */
int spm_node_add(struct spm_node *node);
void spm_node_del(struct spm_node *node);

/* group.c: policy groups */
struct cred;
struct seq_file;
struct spm_group;

/**
 * struct spm_mover - Who asks to move a task between groups
 * @cred: their credentials (the opener of the "tasks" or "procs" file)
 * @privileged: CAP_SYS_ADMIN in the initial user namespace: may move any
 *	task from anywhere to anywhere
 * @may_leave: otherwise, whether they may take a task out of group @src
 * @arg: passed to @may_leave
 */
struct spm_mover {
	const struct cred *cred;
	bool privileged;
	bool (*may_leave)(struct spm_group *src, void *arg);
	void *arg;
};

struct spm_group *spm_group_new(void);
void spm_group_put(struct spm_group *grp);
int spm_group_kill(struct spm_group *grp);
int spm_group_move(struct spm_group *grp, pid_t pid, bool threadgroup,
		   const struct spm_mover *who);
void spm_group_set_dir(struct spm_group *grp, void *dir);
void *spm_group_dir(const struct spm_group *grp);
void spm_group_show_tasks(struct seq_file *sf, struct spm_group *grp, bool threadgroup);
int spm_group_set_nodes(struct spm_group *grp, const char *buf);
void spm_group_show_nodes(struct seq_file *sf, struct spm_group *grp);
int spm_group_set_tier(struct spm_group *grp, const char *buf);
void spm_group_show_tier(struct seq_file *sf, struct spm_group *grp);
int spm_group_set_max(struct spm_group *grp, const char *buf);
void spm_group_show_max(struct seq_file *sf, struct spm_group *grp);
void spm_group_show_stat(struct seq_file *sf, struct spm_group *grp);
int spm_group_check(int nid);
struct spm_group *spm_group_get(void);
struct spm_group *spm_group_charge(struct spm_group *grp, int nid);
void spm_group_uncharge(struct spm_group *grp, int nid, bool refused);
bool spm_group_charge_placed(int nid, u16 *ids, unsigned long nr);
void spm_group_uncharge_placed(int nid, u16 *ids, unsigned long nr);
void spm_groups_forget_node(int nid);

#endif /* _DRIVERS_SPM_SPM_H */
