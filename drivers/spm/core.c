// SPDX-License-Identifier: GPL-2.0
/*
 * Special-purpose memory (SPM): registration, lifecycle and allocation.
 *
 * spm_register() validates a driver's description, hot-adds its ranges as
 * one N_SPM node (MHP_SPM_NODE), onlines them into the node's ZONE_NORMAL
 * so the owner can allocate kernel memory there, attaches the node's hook
 * to the page allocator and publishes the node on the spm bus.
 * spm_unregister() undoes it, evacuating the node's pages where its owner
 * allows migration and refusing (-EBUSY) where pages are in use and cannot
 * move: memory is never dropped.
 */
#define pr_fmt(fmt) "spm: " fmt

#include <linux/gfp.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "spm.h"
#include "trace.h"

/* Serialises registration and unregistration; guards spm_nodes[] */
static DEFINE_MUTEX(spm_lock);
/* The registered node of each N_SPM node id, to refuse a second owner */
static struct spm_node *spm_nodes[MAX_NUMNODES];

/* Name of the hot-added resources: add_memory_driver_managed() wants "System RAM (...)" */
#define SPM_RESOURCE_NAME "System RAM (spm)"

static int spm_validate_ranges(const struct spm_desc *desc)
{
	u64 block = memory_block_size_bytes();
	unsigned int i, j;

	if (!desc->ranges || !desc->nr_ranges || desc->nr_ranges > SPM_MAX_RANGES) {
		pr_err("%s: needs 1 to %d ranges, got %u\n", desc->name,
		       SPM_MAX_RANGES, desc->ranges ? desc->nr_ranges : 0);
		return -EINVAL;
	}
	for (i = 0; i < desc->nr_ranges; i++) {
		const struct spm_range *r = &desc->ranges[i];

		if (!r->size || !IS_ALIGNED(r->start, block) ||
		    !IS_ALIGNED(r->size, block) || r->start + r->size < r->start) {
			pr_err("%s: range %u [%#llx, +%#llx) is empty or not aligned to the %#llx memory block size\n",
			       desc->name, i, r->start, r->size, block);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			const struct spm_range *o = &desc->ranges[j];

			if (r->start < o->start + o->size && o->start < r->start + r->size) {
				pr_err("%s: ranges %u and %u overlap\n", desc->name, j, i);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int spm_validate_caps(const struct spm_desc *desc)
{
	unsigned long caps = desc->caps;

	if (caps & ~SPM_CAP_ALL) {
		pr_err("%s: unknown capability flags %#lx\n", desc->name, caps & ~SPM_CAP_ALL);
		return -EINVAL;
	}
	if (desc->class == SPM_CLASS_ACCEL && (caps & (SPM_CAP_DEMOTION | SPM_CAP_RECLAIM))) {
		pr_err("%s: accelerator memory is never a demotion target or reclaimed\n",
		       desc->name);
		return -EINVAL;
	}
	if ((caps & SPM_CAP_DEMOTION) && !(caps & SPM_CAP_MIGRATION)) {
		pr_err("%s: demoted pages must be able to leave the node: demotion needs migration\n",
		       desc->name);
		return -EINVAL;
	}
	if ((caps & SPM_CAP_WRITE_PROTECT) && !(caps & SPM_CAP_DEMOTION)) {
		pr_err("%s: write-protected pages arrive only by demotion: write_protect needs demotion\n",
		       desc->name);
		return -EINVAL;
	}
	if ((caps & SPM_CAP_WRITE_PROTECT) && (caps & (SPM_CAP_USER_MAP | SPM_CAP_RECLAIM))) {
		pr_err("%s: user_map and reclaim would map write-protected pages writable\n",
		       desc->name);
		return -EINVAL;
	}
	if (caps & ~SPM_CAP_SUPPORTED) {
		pr_err("%s: capability flags %#lx are not supported yet\n", desc->name,
		       caps & ~SPM_CAP_SUPPORTED);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Everything that can be checked before touching memory; messages say what is wrong */
static int spm_validate(const struct spm_desc *desc)
{
	int ret;

	if (!desc || !desc->name || !desc->name[0] || strlen(desc->name) >= SPM_NAME_MAX) {
		pr_err("a name of 1 to %d characters is required\n", SPM_NAME_MAX - 1);
		return -EINVAL;
	}
	if (desc->class < 0 || desc->class >= SPM_CLASS_MAX) {
		pr_err("%s: unknown class %d\n", desc->name, desc->class);
		return -EINVAL;
	}
	ret = spm_validate_caps(desc);
	if (ret)
		return ret;
	if (desc->nid < 0 || desc->nid >= MAX_NUMNODES || !node_possible(desc->nid)) {
		pr_err("%s: node %d is not a possible node\n", desc->name, desc->nid);
		return -EINVAL;
	}
	if (node_state(desc->nid, N_MEMORY)) {
		pr_err("%s: node %d holds System RAM\n", desc->name, desc->nid);
		return -EBUSY;
	}
	return spm_validate_ranges(desc);
}

static int spm_online_block(struct memory_block *mem, void *arg)
{
	/* ZONE_NORMAL: the owner's allocations need not be movable */
	mem->online_type = MMOP_ONLINE_KERNEL;
	return device_online(&mem->dev);
}

static int spm_add_range(struct spm_node *node, const struct spm_range *r)
{
	int ret;

	ret = add_memory_driver_managed(node->nid, r->start, r->size,
					SPM_RESOURCE_NAME, MHP_SPM_NODE);
	if (ret)
		return ret;

	spm_hotplug_begin();
	lock_device_hotplug();
	ret = walk_memory_blocks(r->start, r->size, NULL, spm_online_block);
	unlock_device_hotplug();
	if (ret)
		offline_and_remove_memory(r->start, r->size);
	spm_hotplug_end();
	return ret;
}

static int spm_remove_range(const struct spm_range *r)
{
	int ret;

	spm_hotplug_begin();
	ret = offline_and_remove_memory(r->start, r->size);
	spm_hotplug_end();
	return ret;
}

/* Remove ranges [0, @count) in reverse; on failure re-add what was removed */
static int spm_remove_ranges(struct spm_node *node, unsigned int count)
{
	unsigned int i = count;
	int ret;

	while (i--) {
		ret = spm_remove_range(&node->ranges[i]);
		if (ret)
			goto restore;
	}
	return 0;

restore:
	while (++i < count)
		WARN_ON(spm_add_range(node, &node->ranges[i]));
	return ret;
}

/**
 * spm_node_set_pressure - Raise or clear an SPM node's memory pressure
 * @node: the node
 * @pressure: true when the owner is (nearly) out of room, false once it has
 *	room again
 *
 * While the pressure is raised the node refuses every demotion without
 * asking its owner; pages already on the node stay. Each change of state is
 * counted (stats/pressure_raised, stats/pressure_cleared) and traced.
 *
 * Context: any; does not sleep.
 */
void spm_node_set_pressure(struct spm_node *node, bool pressure)
{
	bool was;

	if (pressure)
		was = test_and_set_bit(SPM_NODE_PRESSURE, &node->flags);
	else
		was = test_and_clear_bit(SPM_NODE_PRESSURE, &node->flags);
	if (was == pressure)
		return;
	spm_stat_add(node, pressure ? SPM_STAT_PRESSURE_RAISED : SPM_STAT_PRESSURE_CLEARED, 1);
	trace_spm_pressure(node->nid, pressure);
}
EXPORT_SYMBOL_GPL(spm_node_set_pressure);

static int spm_hook_admit(struct spm_node_hook *hook, unsigned int order, gfp_t gfp)
{
	struct spm_node *node = container_of(hook, struct spm_node, hook);
	enum spm_refusal why;
	int ret = 0;

	if (READ_ONCE(node->dying)) {
		ret = -ENOSPC;
		why = SPM_REFUSED_DYING;
	} else if (node->ops && node->ops->admit) {
		ret = node->ops->admit(node, order, gfp);
		why = SPM_REFUSED_OWNER;
	}
	if (ret) {
		spm_stat_add(node, SPM_STAT_REFUSED, 1);
		trace_spm_refuse(node->nid, order, gfp, why);
	}
	return ret;
}

/* The record of who placed @page, of the node's @placed_by; NULL if none */
static u16 *spm_node_placed_by(const struct spm_node *node, struct page *page)
{
	phys_addr_t addr = PFN_PHYS(page_to_pfn(page));
	unsigned long index = 0;
	unsigned int i;

	if (!node->placed_by)
		return NULL;
	for (i = 0; i < node->nr_ranges; i++) {
		const struct spm_range *r = &node->ranges[i];

		if (addr >= r->start && addr - r->start < r->size)
			return &node->placed_by[index + PHYS_PFN(addr - r->start)];
		index += PHYS_PFN(r->size);
	}
	WARN_ON_ONCE(1);
	return NULL;
}

static void spm_hook_allocated(struct spm_node_hook *hook, struct page *page,
			       unsigned int order)
{
	struct spm_node *node = container_of(hook, struct spm_node, hook);

	atomic_long_add(1L << order, &node->used);
	spm_stat_add(node, SPM_STAT_ALLOCATED, 1L << order);
	trace_spm_alloc(node->nid, page_to_pfn(page), order);
}

static void spm_hook_freed(struct spm_node_hook *hook, struct page *page,
			   unsigned int order)
{
	struct spm_node *node = container_of(hook, struct spm_node, hook);
	u16 *ids = spm_node_placed_by(node, page);

	atomic_long_sub(1L << order, &node->used);
	spm_stat_add(node, SPM_STAT_FREED, 1L << order);
	trace_spm_free(node->nid, page_to_pfn(page), order);
	if (ids)
		spm_group_uncharge_placed(node->nid, ids, 1UL << order);
	if (node->ops && node->ops->freed)
		node->ops->freed(node, page_to_pfn(page), 1UL << order);
}

static void spm_hook_memory_failure(struct spm_node_hook *hook, struct page *page, int flags)
{
	struct spm_node *node = container_of(hook, struct spm_node, hook);

	spm_stat_add(node, SPM_STAT_MEMORY_FAILURES, 1);
	trace_spm_memory_failure(node->nid, page_to_pfn(page), flags);
	if (node->ops && node->ops->memory_failure)
		node->ops->memory_failure(node, page_to_pfn(page), flags);
}

static bool spm_hook_may_demote(struct spm_node_hook *hook, unsigned int order)
{
	struct spm_node *node = container_of(hook, struct spm_node, hook);

	/* what the owner would refuse later, refused before anything moves */
	if ((node->caps & SPM_CAP_DEMOTION) && !READ_ONCE(node->dying) &&
	    !test_bit(SPM_NODE_PRESSURE, &node->flags) &&
	    !(node->ops && node->ops->admit &&
	      node->ops->admit(node, order, GFP_HIGHUSER_MOVABLE | GFP_SPM_NODE)))
		return true;
	spm_stat_add(node, SPM_STAT_DEMOTIONS_REFUSED, 1L << order);
	return false;
}

static int spm_hook_migrate_in(struct spm_node_hook *hook, struct folio *dst, struct folio *src)
{
	struct spm_node *node = container_of(hook, struct spm_node, hook);
	long nr = folio_nr_pages(dst);
	int ret = -ENOSPC;

	/* compaction moves a folio within the node: the owner re-charges it */
	if (folio_nid(src) == node->nid)
		return node->ops && node->ops->demote ? node->ops->demote(node, src, dst) : 0;

	if (!(node->caps & SPM_CAP_DEMOTION))
		ret = -EPERM;
	else if (!test_bit(SPM_NODE_PRESSURE, &node->flags))
		ret = node->ops && node->ops->demote ? node->ops->demote(node, src, dst) : 0;
	trace_spm_demote(node->nid, folio_pfn(src), folio_pfn(dst), folio_order(dst), ret);
	spm_stat_add(node, ret ? SPM_STAT_DEMOTIONS_REFUSED : SPM_STAT_DEMOTIONS_IN, nr);
	return ret;
}

static void spm_hook_migrate_in_failed(struct spm_node_hook *hook, struct folio *dst)
{
	struct spm_node *node = container_of(hook, struct spm_node, hook);

	/* the owner took it, the migration did not happen: not demoted */
	spm_stat_add(node, SPM_STAT_DEMOTIONS_IN, -folio_nr_pages(dst));
}

static void spm_hook_promoted(struct spm_node_hook *hook, unsigned int nr_pages)
{
	struct spm_node *node = container_of(hook, struct spm_node, hook);

	spm_stat_add(node, SPM_STAT_PROMOTIONS, nr_pages);
	trace_spm_promote(node->nid, nr_pages, SPM_PROMOTED_NUMA);
}

static enum spm_write_fault spm_hook_write_fault(struct spm_node_hook *hook,
						 struct folio *folio)
{
	struct spm_node *node = container_of(hook, struct spm_node, hook);
	enum spm_write_fault how = SPM_WRITE_PROMOTE;

	if (node->ops && node->ops->write_fault)
		how = node->ops->write_fault(node, folio);
	spm_stat_add(node, SPM_STAT_WRITE_FAULTS, 1);
	trace_spm_write_fault(node->nid, folio_pfn(folio), how);
	if (how == SPM_WRITE_PROMOTE) {
		/* the page is copied out: one page leaves the node per fault */
		spm_stat_add(node, SPM_STAT_PROMOTIONS, 1);
		trace_spm_promote(node->nid, 1, SPM_PROMOTED_WRITE);
	}
	return how;
}

/* May memory policies prefer the node? Its pages must be able to leave. */
static bool spm_node_takes_policy(const struct spm_node *node)
{
	return (node->caps & SPM_CAP_USER_MAP) && (node->caps & SPM_CAP_MIGRATION);
}

/* A memory policy may prefer a user_map, migratable node the task's group grants */
static bool spm_hook_user_allowed(struct spm_node_hook *hook)
{
	struct spm_node *node = container_of(hook, struct spm_node, hook);

	return spm_node_takes_policy(node) && !READ_ONCE(node->dying) &&
	       !spm_group_check(node->nid);
}

static bool spm_hook_placed(struct spm_node_hook *hook, struct page *page,
			    unsigned int order)
{
	struct spm_node *node = container_of(hook, struct spm_node, hook);
	u16 *ids = spm_node_placed_by(node, page);

	return !ids || spm_group_charge_placed(node->nid, ids, 1UL << order);
}

static const struct spm_node_hook_ops spm_hook_ops = {
	.admit = spm_hook_admit,
	.allocated = spm_hook_allocated,
	.freed = spm_hook_freed,
	.user_allowed = spm_hook_user_allowed,
	.placed = spm_hook_placed,
	.memory_failure = spm_hook_memory_failure,
	.may_demote = spm_hook_may_demote,
	.migrate_in = spm_hook_migrate_in,
	.migrate_in_failed = spm_hook_migrate_in_failed,
	.promoted = spm_hook_promoted,
	.write_fault = spm_hook_write_fault,
};

static void spm_node_release(struct device *dev)
{
	struct spm_node *node = to_spm_node(dev);

	module_put(node->owner);
	kvfree(node->placed_by);
	kfree(node);
}

u64 spm_node_size(const struct spm_node *node)
{
	u64 size = 0;
	unsigned int i;

	for (i = 0; i < node->nr_ranges; i++)
		size += node->ranges[i].size;
	return size;
}

unsigned long spm_node_used_pages(const struct spm_node *node)
{
	return atomic_long_read(&node->used);
}

/* Keep nodes from being registered or unregistered until spm_nodes_unlock() */
void spm_nodes_lock(void)
{
	mutex_lock(&spm_lock);
}

void spm_nodes_unlock(void)
{
	mutex_unlock(&spm_lock);
}

/* Whether every node of @nodes is a registered, online SPM node with all of @caps */
bool spm_nodes_have_caps(const nodemask_t *nodes, unsigned long caps)
{
	int nid;

	lockdep_assert_held(&spm_lock);
	for_each_node_mask(nid, *nodes)
		if (!spm_nodes[nid] || spm_nodes[nid]->offline ||
		    (spm_nodes[nid]->caps & caps) != caps)
			return false;
	return true;
}

/* Hot-add and online the node's ranges: all or nothing */
static int spm_add_ranges(struct spm_node *node)
{
	unsigned int i;
	int ret;

	for (i = 0; i < node->nr_ranges; i++) {
		ret = spm_add_range(node, &node->ranges[i]);
		if (ret) {
			dev_err(&node->dev, "adding range %u to node %d failed: %d\n", i,
				node->nid, ret);
			WARN_ON(spm_remove_ranges(node, i));
			return ret;
		}
	}
	return 0;
}

/* Hot-add the node's memory, attach its hook, publish it: all or nothing */
static int spm_publish(struct spm_node *node)
{
	int ret;

	guard(mutex)(&spm_lock);
	if (spm_nodes[node->nid]) {
		pr_err("%s: node %d already belongs to %s\n", node->name, node->nid,
		       spm_nodes[node->nid]->name);
		return -EBUSY;
	}
	ret = spm_add_ranges(node);
	if (ret)
		return ret;
	ret = spm_node_attach(node->nid, &node->hook);
	if (ret)
		goto err_remove;
	ret = spm_node_add(node);
	if (ret)
		goto err_detach;
	spm_nodes[node->nid] = node;
	return 0;

err_detach:
	spm_node_detach(node->nid);
err_remove:
	WARN_ON(spm_remove_ranges(node, node->nr_ranges));
	return ret;
}

/*
 * Take the node's memory away and keep the node: refuse new pages, move
 * the pages in use off it, remove its ranges, withdraw its grants. On
 * failure the node is online and usable as before.
 */
static int spm_node_offline(struct spm_node *node)
{
	unsigned long used;
	int ret;

	lockdep_assert_held(&spm_lock);
	if (node->offline)
		return 0;
	used = spm_node_used_pages(node);
	if (used && !(node->caps & SPM_CAP_MIGRATION)) {
		dev_warn(&node->dev, "%lu pages in use and the node does not allow migration\n",
			 used);
		return -EBUSY;
	}

	WRITE_ONCE(node->dying, true);
	ret = spm_evacuate(node);
	if (!ret)
		ret = spm_remove_ranges(node, node->nr_ranges);
	if (ret) {
		WRITE_ONCE(node->dying, false);
		dev_warn(&node->dev, "cannot evacuate its memory (%d): the node stays\n", ret);
		return ret == -EINTR ? ret : -EBUSY;
	}
	node->offline = true;
	spm_groups_forget_node(node->nid);
	return 0;
}

/* Give an offline node its memory back */
static int spm_node_online(struct spm_node *node)
{
	int ret;

	lockdep_assert_held(&spm_lock);
	if (!node->offline)
		return 0;
	ret = spm_add_ranges(node);
	if (ret)
		return ret;
	node->offline = false;
	WRITE_ONCE(node->dying, false);
	return 0;
}

/**
 * spm_node_set_online - Take an SPM node's memory away or give it back
 * @node: the node
 * @online: false to evacuate and remove its memory, true to hot-add it again
 *
 * The node stays registered, and bound to its driver, either way: this is
 * what /sys/bus/spm/devices/spm<nid>/state does, so that a refused offline
 * leaves the node exactly as it was and can be retried, and the driver is
 * unbound only once the memory is gone.
 *
 * Context: process context; fails with -EAGAIN instead of waiting for
 * another registration, unregistration or state change.
 * Return: 0 on success; -EBUSY if pages in use cannot be evacuated; -EINTR
 * on a fatal signal; the error of hot-adding the memory.
 */
int spm_node_set_online(struct spm_node *node, bool online)
{
	int ret;

	/* spm_unregister() removes this node's sysfs files under spm_lock */
	if (!mutex_trylock(&spm_lock))
		return -EAGAIN;
	ret = online ? spm_node_online(node) : spm_node_offline(node);
	mutex_unlock(&spm_lock);
	return ret;
}

/**
 * spm_register - Hot-add a driver's memory as a special-purpose memory node
 * @parent: the device that owns the memory (e.g. a dax device); may be NULL
 * @desc: what to register; copied, need not outlive the call
 *
 * Validates @desc, hot-adds its ranges to node @desc->nid as one N_SPM node,
 * onlines them and publishes the node as /sys/bus/spm/devices/spm<nid>.
 * From then on the node's pages go only to spm_alloc_folio() and to the
 * paths @desc->caps opens.
 *
 * Context: process context; takes the device hotplug lock.
 * Return: the node, or an ERR_PTR(): -EINVAL for a malformed description
 * (the kernel log says what is wrong), -EOPNOTSUPP for capabilities not
 * supported, -EBUSY if the node already has an owner or holds System RAM,
 * or the error of hot-adding the memory.
 */
struct spm_node *spm_register(struct device *parent, const struct spm_desc *desc)
{
	struct spm_node *node;
	int ret;

	ret = spm_validate(desc);
	if (ret)
		return ERR_PTR(ret);

	if (!try_module_get(desc->owner))
		return ERR_PTR(-ENODEV);
	node = kzalloc(struct_size(node, ranges, desc->nr_ranges), GFP_KERNEL);
	if (!node) {
		module_put(desc->owner);
		return ERR_PTR(-ENOMEM);
	}
	node->owner = desc->owner;
	node->nr_ranges = desc->nr_ranges;
	memcpy(node->ranges, desc->ranges, flex_array_size(node, ranges, desc->nr_ranges));
	strscpy(node->name, desc->name);
	node->class = desc->class;
	node->caps = desc->caps;
	node->nid = desc->nid;
	node->ops = desc->ops;
	node->drvdata = desc->drvdata;
	if (spm_node_takes_policy(node)) {
		node->placed_by = kvcalloc(spm_node_size(node) >> PAGE_SHIFT,
					   sizeof(*node->placed_by), GFP_KERNEL);
		if (!node->placed_by) {
			module_put(node->owner);
			kfree(node);
			return ERR_PTR(-ENOMEM);
		}
	}
	node->hook.ops = &spm_hook_ops;
	node->hook.write_protect = node->caps & SPM_CAP_WRITE_PROTECT;
	node->hook.promotes = node->caps & SPM_CAP_DEMOTION;
	device_initialize(&node->dev);
	node->dev.bus = &spm_bus;
	node->dev.parent = parent;
	node->dev.groups = spm_node_groups;
	node->dev.release = spm_node_release;

	ret = dev_set_name(&node->dev, "spm%d", node->nid);
	if (!ret)
		ret = spm_publish(node);
	if (ret) {
		put_device(&node->dev);
		return ERR_PTR(ret);
	}
	dev_info(&node->dev, "%s: %llu MiB of %s memory on node %d\n", node->name,
		 spm_node_size(node) >> 20, spm_class_name(node->class), node->nid);
	return node;
}
EXPORT_SYMBOL_GPL(spm_register);

/**
 * spm_unregister - Remove an SPM node's memory, never losing data
 * @node: a node spm_register() returned
 *
 * Refuses new allocations, then offlines and removes the node's memory
 * (unless spm_node_set_online() already did) and the node. Pages still in
 * use are migrated off the node (to DRAM) if the node has SPM_CAP_MIGRATION
 * and they are movable. Otherwise, or if migration fails within a bounded
 * number of passes, the node stays registered and usable, exactly as
 * before the call, and keeps its reference to &spm_desc.owner: a driver
 * whose remove() cannot fail must then keep everything its ops use.
 * Callers that can refuse take the memory away first (the node's state
 * file, as spmctl offline does) and unbind only once that succeeded.
 *
 * Context: process context; takes the device hotplug lock.
 * Return: 0 once the node is gone, -EBUSY if pages are in use and cannot
 * be evacuated, -EINTR on a fatal signal.
 */
int spm_unregister(struct spm_node *node)
{
	int ret;

	guard(mutex)(&spm_lock);
	ret = spm_node_offline(node);
	if (ret)
		return ret;
	spm_node_detach(node->nid);
	spm_nodes[node->nid] = NULL;
	spm_node_del(node);
	put_device(&node->dev);
	return 0;
}
EXPORT_SYMBOL_GPL(spm_unregister);

/**
 * spm_alloc_folio - Allocate a folio from an SPM node, for its owner
 * @node: the node
 * @gfp: GFP flags, e.g. GFP_KERNEL; GFP_SPM_NODE is added
 * @order: the folio's order
 *
 * The owner guarantee: the folio comes from @node or not at all, never from
 * DRAM or another SPM node. Free it with folio_put().
 *
 * Context: as for alloc_pages() with @gfp.
 * Return: the folio, or NULL if the node is full, being unregistered, or
 * its owner's admit() refused.
 */
struct folio *spm_alloc_folio(struct spm_node *node, gfp_t gfp, unsigned int order)
{
	return __folio_alloc_node(gfp | GFP_SPM_NODE, order, node->nid);
}
EXPORT_SYMBOL_GPL(spm_alloc_folio);

/**
 * spm_node_id - The NUMA node id of an SPM node
 * @node: the node
 *
 * Return: the node id.
 */
int spm_node_id(const struct spm_node *node)
{
	return node->nid;
}
EXPORT_SYMBOL_GPL(spm_node_id);

/**
 * spm_node_drvdata - The owner's private data of an SPM node
 * @node: the node
 *
 * Return: &spm_desc.drvdata as registered.
 */
void *spm_node_drvdata(const struct spm_node *node)
{
	return node->drvdata;
}
EXPORT_SYMBOL_GPL(spm_node_drvdata);
