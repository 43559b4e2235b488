// SPDX-License-Identifier: GPL-2.0
/*
 * Special-purpose memory (SPM): the spm bus and each node's sysfs view,
 * /sys/bus/spm/devices/spm<nid>/. All attributes but state are read-only;
 * a node's parent link names the device that owns its memory.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/sysfs.h>
#include <linux/vmstat.h>

#include "spm.h"

static const char * const spm_class_names[SPM_CLASS_MAX] = {
	[SPM_CLASS_CXL] = "cxl",
	[SPM_CLASS_COMPRESSED] = "compressed",
	[SPM_CLASS_ACCEL] = "accel",
};

static const char * const spm_cap_names[] = {
	"migration", "demotion", "reclaim", "write_protect", "user_map",
};

const char *spm_class_name(enum spm_class class)
{
	return class < SPM_CLASS_MAX ? spm_class_names[class] : "unknown";
}

const struct bus_type spm_bus = {
	.name = "spm",
	.dev_name = "spm",
};

static ssize_t node_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_spm_node(dev)->nid);
}
static DEVICE_ATTR_RO(node);

static ssize_t name_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_spm_node(dev)->name);
}
static DEVICE_ATTR_RO(name);

static ssize_t class_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", spm_class_name(to_spm_node(dev)->class));
}
static DEVICE_ATTR_RO(class);

static ssize_t caps_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	unsigned long caps = to_spm_node(dev)->caps;
	int bit, len = 0;

	for_each_set_bit(bit, &caps, ARRAY_SIZE(spm_cap_names))
		len += sysfs_emit_at(buf, len, "%s%s", len ? " " : "", spm_cap_names[bit]);
	return len + sysfs_emit_at(buf, len, "\n");
}
static DEVICE_ATTR_RO(caps);

static ssize_t size_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", spm_node_size(to_spm_node(dev)));
}
static DEVICE_ATTR_RO(size);

static ssize_t used_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", spm_node_used_pages(to_spm_node(dev)) << PAGE_SHIFT);
}
static DEVICE_ATTR_RO(used);

static ssize_t free_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	unsigned long pages = sum_zone_node_page_state(to_spm_node(dev)->nid, NR_FREE_PAGES);

	return sysfs_emit(buf, "%lu\n", pages << PAGE_SHIFT);
}
static DEVICE_ATTR_RO(free);

static ssize_t pressure_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", test_bit(SPM_NODE_PRESSURE, &to_spm_node(dev)->flags));
}
static DEVICE_ATTR_RO(pressure);

static ssize_t state_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_spm_node(dev)->offline ? "offline" : "online");
}

/* "offline": evacuate and remove the memory, keep the node; "online": undo */
static ssize_t state_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	bool online;
	int ret;

	/* one word and at most a newline: not "offline\0anything" */
	if (strnlen(buf, len) != len)
		return -EINVAL;
	if (sysfs_streq(buf, "online"))
		online = true;
	else if (sysfs_streq(buf, "offline"))
		online = false;
	else
		return -EINVAL;
	ret = spm_node_set_online(to_spm_node(dev), online);
	if (ret == -EAGAIN) {
		/* as lock_device_hotplug_sysfs(): do not busy-loop */
		usleep_range(5000, 10000);
		return restart_syscall();
	}
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(state);

static struct attribute *spm_node_attrs[] = {
	&dev_attr_node.attr,
	&dev_attr_name.attr,
	&dev_attr_class.attr,
	&dev_attr_caps.attr,
	&dev_attr_size.attr,
	&dev_attr_used.attr,
	&dev_attr_free.attr,
	&dev_attr_pressure.attr,
	&dev_attr_state.attr,
	NULL
};

static const struct attribute_group spm_node_group = {
	.attrs = spm_node_attrs,
};

/* stats/: event counters since registration, one file per enum spm_stat_item */
struct spm_stat_attribute {
	struct device_attribute attr;
	enum spm_stat_item item;
};

static ssize_t spm_stat_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	enum spm_stat_item item = container_of(attr, struct spm_stat_attribute, attr)->item;

	return sysfs_emit(buf, "%ld\n", spm_stat_read(to_spm_node(dev), item));
}

#define SPM_STAT_ATTR(_name, _item)						\
	static struct spm_stat_attribute spm_stat_attr_##_name = {		\
		.attr = __ATTR(_name, 0444, spm_stat_show, NULL),		\
		.item = _item,							\
	}

SPM_STAT_ATTR(allocated, SPM_STAT_ALLOCATED);
SPM_STAT_ATTR(freed, SPM_STAT_FREED);
SPM_STAT_ATTR(refused, SPM_STAT_REFUSED);
SPM_STAT_ATTR(memory_failures, SPM_STAT_MEMORY_FAILURES);
SPM_STAT_ATTR(demotions_in, SPM_STAT_DEMOTIONS_IN);
SPM_STAT_ATTR(demotions_refused, SPM_STAT_DEMOTIONS_REFUSED);
SPM_STAT_ATTR(promotions, SPM_STAT_PROMOTIONS);
SPM_STAT_ATTR(write_faults, SPM_STAT_WRITE_FAULTS);
SPM_STAT_ATTR(pressure_raised, SPM_STAT_PRESSURE_RAISED);
SPM_STAT_ATTR(pressure_cleared, SPM_STAT_PRESSURE_CLEARED);

static struct attribute *spm_stat_attrs[] = {
	&spm_stat_attr_allocated.attr.attr,
	&spm_stat_attr_freed.attr.attr,
	&spm_stat_attr_refused.attr.attr,
	&spm_stat_attr_memory_failures.attr.attr,
	&spm_stat_attr_demotions_in.attr.attr,
	&spm_stat_attr_demotions_refused.attr.attr,
	&spm_stat_attr_promotions.attr.attr,
	&spm_stat_attr_write_faults.attr.attr,
	&spm_stat_attr_pressure_raised.attr.attr,
	&spm_stat_attr_pressure_cleared.attr.attr,
	NULL
};

static const struct attribute_group spm_stat_group = {
	.name = "stats",
	.attrs = spm_stat_attrs,
};

const struct attribute_group *spm_node_groups[] = {
	&spm_node_group,
	&spm_stat_group,
	NULL
};

static int __init spm_bus_init(void)
{
	return bus_register(&spm_bus);
}
postcore_initcall(spm_bus_init);
