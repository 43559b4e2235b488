// SPDX-License-Identifier: GPL-2.0
/*
 * Special-purpose memory (SPM): only the framework onlines and offlines an
 * SPM node's memory blocks. An administrator's "echo offline" on one would
 * move the owner's pages off the node behind its back (or fail halfway),
 * and "echo online" would hand freshly onlined pages to nobody; both are
 * refused with -EBUSY. The node is taken down with spm_unregister()
 * (spmctl offline), which evacuates or refuses as a whole.
 *
 * Evacuation is bounded. offline_pages() retries a page that cannot move
 * until its caller has a fatal signal; a page held by a short-term pin (a
 * vmsplice()d page sitting in a pipe, a direct I/O in flight) would keep
 * it going for as long as the pin, and a kworker or a PCI hot-unplug has
 * no signal to give. So the framework first moves what is movable itself,
 * a few passes at most, and refuses if anything stays; offline_pages()
 * then only finds free pages.
 */
#define pr_fmt(fmt) "spm: " fmt

#include <linux/delay.h>
#include <linux/init.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/swap.h>

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

/* Passes over a node's memory before an evacuation gives up, and the pause between them */
#define SPM_EVACUATE_PASSES	5
#define SPM_EVACUATE_PAUSE_MS	100

/* Where an evacuated folio goes: anywhere but an SPM node (no GFP_SPM_NODE) */
static struct folio *spm_evacuate_target(struct folio *src, unsigned long private)
{
	return folio_alloc(GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL, folio_order(src));
}

/*
 * A folio in use that nothing can move: the owner's kernel pages and
 * /dev/spm pages, neither on an LRU nor with movable_ops, and with no
 * mapping. An anonymous or file folio off its LRU is only isolated for a
 * moment (by reclaim, or a migration under way): not a reason to refuse.
 */
static bool spm_folio_unmovable(struct folio *folio)
{
	return !folio_test_lru(folio) && !__folio_test_movable(folio) &&
	       !folio_test_anon(folio) && !folio_mapping(folio);
}

/*
 * Isolate every movable folio in use in [@start_pfn, @end_pfn) (on an LRU
 * or with movable_ops) onto @source. Return how many could not be
 * isolated (a later pass tries them again); @unmovable counts the folios
 * in use that nothing can move (spm_folio_unmovable()).
 */
static unsigned long spm_isolate_range(unsigned long start_pfn, unsigned long end_pfn,
				       struct list_head *source, unsigned long *unmovable)
{
	unsigned long pfn, busy = 0;

	for (pfn = start_pfn; pfn < end_pfn; pfn++) {
		struct page *page = pfn_to_online_page(pfn);
		struct folio *folio;

		if (!page)
			continue;
		folio = page_folio(page);
		if (!folio_try_get(folio))
			continue;
		if (page_folio(page) == folio && !folio_contain_hwpoisoned_page(folio)) {
			pfn = folio_pfn(folio) + folio_nr_pages(folio) - 1;
			if (spm_folio_unmovable(folio))
				(*unmovable)++;
			else if (!isolate_folio_to_list(folio, source))
				busy++;
		}
		folio_put(folio);
		cond_resched();
	}
	return busy;
}

/*
 * One pass over the node: isolate its movable folios in use and migrate
 * them, unless a folio in use can never move (then none moves). Return how
 * many movable folios stayed.
 */
static unsigned long spm_evacuate_pass(struct spm_node *node, unsigned long *unmovable)
{
	unsigned long stayed = 0;
	struct folio *folio;
	LIST_HEAD(source);
	unsigned int i;

	for (i = 0; i < node->nr_ranges; i++)
		stayed += spm_isolate_range(PHYS_PFN(node->ranges[i].start),
					    PHYS_PFN(node->ranges[i].start + node->ranges[i].size),
					    &source, unmovable);
	if (*unmovable) {
		putback_movable_pages(&source);
		return stayed;
	}
	if (!list_empty(&source) &&
	    migrate_pages(&source, spm_evacuate_target, NULL, 0, MIGRATE_SYNC,
			  MR_MEMORY_HOTPLUG, NULL)) {
		list_for_each_entry(folio, &source, lru)
			stayed++;
		putback_movable_pages(&source);
	}
	return stayed;
}

/**
 * spm_evacuate - Move the movable pages in use off an SPM node, or refuse
 * @node: the node, its allocations already refused (@node->dying)
 *
 * Context: process context, under spm_lock.
 * Return: 0 once no movable page of @node is in use; -EBUSY at once if a
 * page in use can never move (nothing has moved then), or if movable pages
 * stay in use after SPM_EVACUATE_PASSES passes (those that could move have
 * moved, and stay where they went); -EINTR on a fatal signal.
 */
int spm_evacuate(struct spm_node *node)
{
	unsigned long stayed = 0, unmovable = 0;
	unsigned int pass;

	for (pass = 0; pass < SPM_EVACUATE_PASSES; pass++) {
		if (pass)
			msleep(SPM_EVACUATE_PAUSE_MS);
		if (fatal_signal_pending(current))
			return -EINTR;
		/* folios still in a per-CPU batch are not on an LRU yet */
		lru_add_drain_all();
		stayed = spm_evacuate_pass(node, &unmovable);
		if (unmovable) {
			dev_warn(&node->dev, "%lu pages in use cannot move\n", unmovable);
			return -EBUSY;
		}
		if (!stayed)
			return 0;
	}
	dev_warn(&node->dev, "%lu pages in use did not move in %u passes (pinned?)\n",
		 stayed, SPM_EVACUATE_PASSES);
	return -EBUSY;
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
