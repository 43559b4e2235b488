/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to drivers/spm: the state of one registered SPM node. */
#ifndef _DRIVERS_SPM_SPM_H
#define _DRIVERS_SPM_SPM_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/spm.h>
#include <linux/spm_node.h>

#define SPM_NAME_MAX	32
#define SPM_MAX_RANGES	8

/**
 * struct spm_node - A registered SPM node
 * @dev: its device on the spm bus, "spm<nid>"
 * @hook: the hook the page allocator calls (see <linux/spm_node.h>)
 * @ops: the owner's callbacks, may be NULL
 * @drvdata: the owner's private data
 * @name: the owner's name for the memory
 * @class: the kind of memory
 * @caps: SPM_CAP_* flags
 * @nid: the node
 * @dying: set while unregistering: every allocation is refused
 * @nr_allocated: pages allocated from the node, ever
 * @nr_freed: pages of the node freed, ever
 * @nr_refused: allocations the node refused
 * @nr_ranges: number of @ranges
 * @ranges: the hot-added physical ranges
 */
struct spm_node {
	struct device dev;
	struct spm_node_hook hook;
	const struct spm_ops *ops;
	void *drvdata;
	char name[SPM_NAME_MAX];
	enum spm_class class;
	unsigned long caps;
	int nid;
	bool dying;
	atomic_long_t nr_allocated;
	atomic_long_t nr_freed;
	atomic_long_t nr_refused;
	unsigned int nr_ranges;
	struct spm_range ranges[] __counted_by(nr_ranges);
};

static inline struct spm_node *to_spm_node(struct device *dev)
{
	return container_of(dev, struct spm_node, dev);
}

extern const struct bus_type spm_bus;
extern const struct attribute_group *spm_node_groups[];

const char *spm_class_name(enum spm_class class);
void spm_hotplug_begin(void);
void spm_hotplug_end(void);
u64 spm_node_size(const struct spm_node *node);
unsigned long spm_node_used_pages(const struct spm_node *node);

#endif /* _DRIVERS_SPM_SPM_H */
