// SPDX-License-Identifier: GPL-2.0
/*
 * Special-purpose memory (SPM): only the framework onlines and offlines an
 * SPM node's memory blocks. An administrator's "echo offline" on one would
 * move the owner's pages off the node behind its back (or fail halfway),
 * and "echo online" would hand freshly onlined pages to nobody; both are
 * refused with -EBUSY. The node is taken down with spm_unregister()
 * (spmctl offline), which evacuates or refuses as a whole.
 */
#define pr_fmt(fmt) "spm: " fmt

#include <linux/init.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/sched.h>

#include "spm.h"

/* The task onlining or offlining SPM memory for the framework, if any */
static struct task_struct *spm_hotplug_task;

/* Called under spm_lock, around the framework's own hotplug of SPM memory */
void spm_hotplug_begin(void)
{
	WRITE_ONCE(spm_hotplug_task, current);
}

void spm_hotplug_end(void)
{
	WRITE_ONCE(spm_hotplug_task, NULL);
}

static int spm_memory_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct memory_notify *mn = data;
	int nid;

	if (action != MEM_GOING_ONLINE && action != MEM_GOING_OFFLINE)
		return NOTIFY_OK;
	/* the pages are in their zone by now, on their node */
	nid = page_to_nid(pfn_to_page(mn->start_pfn));
	if (!node_state(nid, N_SPM) || READ_ONCE(spm_hotplug_task) == current)
		return NOTIFY_OK;
	pr_warn("node %d is an SPM node: its memory is %s by its driver only (spmctl offline removes it)\n",
		nid, action == MEM_GOING_ONLINE ? "onlined" : "offlined");
	return notifier_from_errno(-EBUSY);
}

static struct notifier_block spm_memory_nb = {
	.notifier_call = spm_memory_notify,
};

static int __init spm_hotplug_init(void)
{
	return register_memory_notifier(&spm_memory_nb);
}
subsys_initcall(spm_hotplug_init);
