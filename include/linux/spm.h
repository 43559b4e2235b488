/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Special-purpose memory (SPM): the driver API.
 *
 * A driver that owns device memory (a CXL expander, a compressed-memory
 * device, accelerator memory) registers it with spm_register(). The memory
 * becomes one N_SPM NUMA node: managed by the kernel (buddy allocator, LRU,
 * migration) but never handed out by default. Its pages go only to the
 * owner, through spm_alloc_folio(), and to the paths the owner's capability
 * flags open. See Documentation/driver-api/spm.rst.
 */
#ifndef _LINUX_SPM_H
#define _LINUX_SPM_H

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/gfp_types.h>
#include <linux/numa.h>
#include <linux/spm_node.h>
#include <linux/types.h>

struct device;
struct folio;
struct module;
struct spm_node;

/**
 * enum spm_class - What kind of memory an SPM node holds
 * @SPM_CLASS_CXL: slow or contended memory, e.g. a CXL type-3 expander
 * @SPM_CLASS_COMPRESSED: a device that compresses what it stores
 * @SPM_CLASS_ACCEL: coherent accelerator (GPU) memory
 * @SPM_CLASS_MAX: number of classes
 */
enum spm_class {
	SPM_CLASS_CXL,
	SPM_CLASS_COMPRESSED,
	SPM_CLASS_ACCEL,
	SPM_CLASS_MAX
};

/*
 * Capability flags: what an SPM node lets the kernel do with its memory
 * beyond serving its owner. Validated against the class at registration.
 */
#define SPM_CAP_MIGRATION	BIT(0)	/* pages may be moved off (hot-remove evacuates) */
#define SPM_CAP_DEMOTION	BIT(1)	/* reclaim may demote cold pages into the node */
#define SPM_CAP_RECLAIM		BIT(2)	/* reclaim may free the node's pages */
#define SPM_CAP_WRITE_PROTECT	BIT(3)	/* pages are mapped read-only; writes fault */
#define SPM_CAP_USER_MAP	BIT(4)	/* user space may map the node's pages */
#define SPM_CAP_ALL		GENMASK(4, 0)
/* What this version of the framework implements; others fail registration */
#define SPM_CAP_SUPPORTED	(SPM_CAP_MIGRATION | SPM_CAP_DEMOTION | \
				 SPM_CAP_WRITE_PROTECT | SPM_CAP_USER_MAP)

/**
 * struct spm_range - A physical address range of SPM
 * @start: first byte; aligned to the memory block size
 * @size: length in bytes; a multiple of the memory block size
 */
struct spm_range {
	u64 start;
	u64 size;
};

/**
 * struct spm_ops - How an SPM node's owner takes part in its memory's life
 * @admit: An allocation asks for 2^@order pages of the node (the owner's
 *	own, or one a capability allows). Return 0 to let it go ahead or
 *	-ENOSPC to refuse it: the allocation fails and never falls back to
 *	another node. Called in the allocation's context, which may be
 *	atomic, under rcu_read_lock(): must not sleep or allocate memory.
 *	Also asked before reclaim queues a folio for demotion into the node,
 *	with no allocation yet: the answer must not depend on one following.
 *	Optional; without it every allocation that reaches the node goes
 *	ahead while the node has free memory.
 * @freed: @nr_pages pages of the node, from @pfn, are being freed (a whole
 *	folio; it is no longer one when this is called); their contents are
 *	still intact, so the owner may account or scrub them. Only pages
 *	that were allocated: not those the kernel hands to the allocator as
 *	the node's memory is onlined (again). Called from the page freeing
 *	path, possibly in interrupt context, under rcu_read_lock(): must not
 *	sleep. Optional.
 * @memory_failure: The page at @pfn was found poisoned (a machine check,
 *	or madvise(MADV_HWPOISON)); @mf_flags are memory_failure()'s MF_*
 *	flags. Called once per page, before the kernel unmaps and isolates
 *	it as it would on any node: the owner is told, the recovery is the
 *	kernel's. The owner may record the page, stop its own use of it or
 *	schedule work to query the device; it must not touch the page's
 *	contents. Called under rcu_read_lock(): must not sleep. Optional.
 * @demote: Reclaim demotes @src, a cold anonymous folio of a task whose
 *	policy group chose this node (memory.tier), into @dst, a folio of the
 *	node that @admit let be allocated for it. By now @src is unmapped and
 *	its contents are copied into @dst: the owner judges @dst
 *	(kmap_local_folio()), e.g. measures how well it compresses, and
 *	nothing can change it before the migration completes, so what is
 *	measured is what the node holds. Return 0 to take it, or -ENOSPC to
 *	refuse it: @dst is freed and @src mapped again, whole. Should the
 *	migration fail after the owner took it, @dst is freed through @freed
 *	like any page. Not called for a demotion while the owner's pressure
 *	is raised (spm_node_set_pressure()). Also called when compaction
 *	moves a folio within the node: @src is then the node's own, and is
 *	freed (through @freed) once the move completes, so charge @dst as for
 *	a demotion. Called with both folios locked, under rcu_read_lock():
 *	must not sleep. Optional: without it the node takes every demoted
 *	folio it has room for. SPM_CAP_DEMOTION only.
 * @write_fault: A task writes to @folio, which every mapping maps
 *	read-only (SPM_CAP_WRITE_PROTECT). Return %SPM_WRITE_PROMOTE to let
 *	the write land in a copy outside the node (the node's page is freed
 *	once nothing maps it), %SPM_WRITE_ALLOW to map the page writable in
 *	place, or %SPM_WRITE_REFUSE to fail the write with SIGBUS. Called
 *	under the page table lock and rcu_read_lock(): must not sleep.
 *	Optional: without it every write promotes.
 */
struct spm_ops {
	int (*admit)(struct spm_node *node, unsigned int order, gfp_t gfp);
	void (*freed)(struct spm_node *node, unsigned long pfn, unsigned long nr_pages);
	void (*memory_failure)(struct spm_node *node, unsigned long pfn, int mf_flags);
	int (*demote)(struct spm_node *node, struct folio *src, struct folio *dst);
	enum spm_write_fault (*write_fault)(struct spm_node *node, struct folio *folio);
};

/**
 * struct spm_desc - What a driver registers
 * @name: short name of the memory, shown in sysfs (at most 31 characters)
 * @class: the kind of memory
 * @caps: SPM_CAP_* flags the node offers
 * @nid: the NUMA node the ranges belong to (e.g. a dax device's
 *	target_node); it must not hold System RAM
 * @ranges: the physical ranges, hot-added as one N_SPM node
 * @nr_ranges: number of @ranges
 * @ops: the owner's callbacks; may be NULL
 * @drvdata: the owner's private data, returned by spm_node_drvdata()
 * @owner: the module that provides @ops (THIS_MODULE); the node holds a
 *	reference to it until spm_unregister() succeeds, so the module
 *	cannot be unloaded while a node may still call into it
 */
struct spm_desc {
	const char *name;
	enum spm_class class;
	unsigned long caps;
	int nid;
	const struct spm_range *ranges;
	unsigned int nr_ranges;
	const struct spm_ops *ops;
	void *drvdata;
	struct module *owner;
};

#ifdef CONFIG_SPM
struct spm_node *spm_register(struct device *parent, const struct spm_desc *desc);
int spm_unregister(struct spm_node *node);
struct folio *spm_alloc_folio(struct spm_node *node, gfp_t gfp, unsigned int order);
int spm_node_id(const struct spm_node *node);
void *spm_node_drvdata(const struct spm_node *node);
void spm_node_set_pressure(struct spm_node *node, bool pressure);
#else
static inline struct spm_node *spm_register(struct device *parent,
					    const struct spm_desc *desc)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int spm_unregister(struct spm_node *node)
{
	return -EOPNOTSUPP;
}

static inline struct folio *spm_alloc_folio(struct spm_node *node, gfp_t gfp,
					    unsigned int order)
{
	return NULL;
}

static inline int spm_node_id(const struct spm_node *node)
{
	return NUMA_NO_NODE;
}

static inline void *spm_node_drvdata(const struct spm_node *node)
{
	return NULL;
}

static inline void spm_node_set_pressure(struct spm_node *node, bool pressure)
{
}
#endif /* CONFIG_SPM */

#endif /* _LINUX_SPM_H */
