// SPDX-License-Identifier: GPL-2.0
/*
 * cxl-spm-sample: a CXL region's dax device as an SPM_CLASS_CXL node.
 *
 * Bind a dax device whose memory lies in a CXL window:
 *
 *   echo dax0.0 > /sys/bus/dax/drivers/device_dax/unbind
 *   echo dax0.0 > /sys/bus/dax/drivers/cxl_spm_sample/new_id
 *
 * Its memory-block-aligned ranges become one N_SPM node, the dax device's
 * target node. Unbinding removes the node if none of its pages is in use
 * or they can all be evacuated; otherwise the node stays registered and
 * isolated, and nothing is lost.
 *
 * As the node's owner, the driver offers in debugfs
 * (cxl_spm_sample/<dax device>/) what a test needs to drive the owner's
 * side of the SPM API:
 *
 *   hold         write N: allocate N pages with spm_alloc_folio(), stamp
 *                each and hold it; read: pages held
 *   foreign      read: held pages that are not on the node (must be 0)
 *   release      write N: free N held pages (fewer if fewer are held)
 *   verify       read: 1 if every held page still has its pattern, else 0
 *   admit_limit  write N: admit() refuses allocations beyond N held pages
 *                (0: no limit)
 *   hold_movable write N: like hold, but the pages are movable (they carry
 *                movable_ops, as balloon pages do), so the node can be
 *                evacuated; read: movable pages held. Unbinding verifies
 *                their stamps after evacuation and says so in the kernel log
 *   poisoned     read: pages of the node memory_failure() reported to the
 *                owner (its memory_failure op)
 *   last_poison  read: physical address of the last of them
 *   alloc_bench  write N: allocate, clear and free N pages one by one from
 *                the node, then N from the first DRAM node; the times go to
 *                bench_spm_ns and bench_dram_ns (a benchmark's input, not a
 *                test's)
 */
#include <linux/debugfs.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/memory.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spm.h>
#include "dax-private.h"
#include "bus.h"

/* debugfs root of all bound devices */
static struct dentry *cxl_spm_debugfs;

struct cxl_spm {
	struct spm_node *node;
	struct dentry *debugfs;
	struct mutex lock;		/* protects held, the counters, bench_* */
	struct list_head held;		/* folios held through debugfs, on folio->lru */
	unsigned long nr_held;
	unsigned long nr_foreign;
	unsigned long admit_limit;
	u64 bench_spm_ns;
	u64 bench_dram_ns;
	spinlock_t movable_lock;	/* protects movable */
	struct list_head movable;	/* movable pages held, on page->lru */
	atomic_long_t nr_movable;	/* held, isolated ones included */
	atomic_t nr_poisoned;
	u64 last_poison;
	int nr_res;
	struct resource *res[];
};

/* The memory-block-aligned part of a dax range, as dax/kmem computes it */
static int cxl_spm_range(struct dev_dax *dev_dax, int i, struct range *r)
{
	struct range *range = &dev_dax->ranges[i].range;

	r->start = ALIGN(range->start, memory_block_size_bytes());
	r->end = ALIGN_DOWN(range->end + 1, memory_block_size_bytes()) - 1;
	return r->start < r->end ? 0 : -ENOSPC;
}

static int cxl_spm_admit(struct spm_node *node, unsigned int order, gfp_t gfp)
{
	struct cxl_spm *spm = spm_node_drvdata(node);
	unsigned long limit = READ_ONCE(spm->admit_limit);

	if (limit && READ_ONCE(spm->nr_held) + (1UL << order) > limit)
		return -ENOSPC;
	return 0;
}

/* A real CXL driver would read the device's poison list here; note the address */
static void cxl_spm_memory_failure(struct spm_node *node, unsigned long pfn, int mf_flags)
{
	struct cxl_spm *spm = spm_node_drvdata(node);

	WRITE_ONCE(spm->last_poison, PFN_PHYS(pfn));
	atomic_inc(&spm->nr_poisoned);
}

static const struct spm_ops cxl_spm_ops = {
	.admit = cxl_spm_admit,
	.memory_failure = cxl_spm_memory_failure,
};

/*
 * The first bytes of each held page carry a stamp: a sequence number and
 * words derived from it. A zeroed or foreign page fails it, and it survives
 * a move, so movable pages are checked the same way after evacuation.
 * Cheap on emulated CXL memory.
 */
#define CXL_SPM_STAMP_WORDS	8

static u64 cxl_spm_stamp_word(u64 seq, int i)
{
	return (seq * 0x9e3779b97f4a7c15ULL + i) ^ 0x5350u;
}

static void cxl_spm_stamp(struct page *page)
{
	static atomic64_t seq;
	u64 *p = kmap_local_page(page);
	int i;

	p[0] = atomic64_inc_return(&seq);
	for (i = 1; i < CXL_SPM_STAMP_WORDS; i++)
		p[i] = cxl_spm_stamp_word(p[0], i);
	kunmap_local(p);
}

static bool cxl_spm_stamp_ok(struct page *page)
{
	u64 *p = kmap_local_page(page);
	bool ok = true;
	int i;

	for (i = 1; i < CXL_SPM_STAMP_WORDS && ok; i++)
		ok = p[i] == cxl_spm_stamp_word(p[0], i);
	kunmap_local(p);
	return ok;
}

static int cxl_spm_hold(struct cxl_spm *spm, unsigned long nr)
{
	struct folio *folio;

	guard(mutex)(&spm->lock);
	while (nr--) {
		folio = spm_alloc_folio(spm->node, GFP_KERNEL, 0);
		if (!folio)
			return -ENOMEM;
		cxl_spm_stamp(&folio->page);
		if (folio_nid(folio) != spm_node_id(spm->node))
			spm->nr_foreign++;
		list_add(&folio->lru, &spm->held);
		WRITE_ONCE(spm->nr_held, spm->nr_held + 1);
	}
	return 0;
}

static void cxl_spm_release(struct cxl_spm *spm, unsigned long nr)
{
	struct folio *folio, *next;

	guard(mutex)(&spm->lock);
	list_for_each_entry_safe(folio, next, &spm->held, lru) {
		if (!nr--)
			break;
		list_del(&folio->lru);
		if (folio_nid(folio) != spm_node_id(spm->node))
			spm->nr_foreign--;
		WRITE_ONCE(spm->nr_held, spm->nr_held - 1);
		folio_put(folio);
	}
}

static bool cxl_spm_verify(struct cxl_spm *spm)
{
	struct folio *folio;
	bool ok = true;

	guard(mutex)(&spm->lock);
	list_for_each_entry(folio, &spm->held, lru)
		ok = ok && cxl_spm_stamp_ok(&folio->page);
	return ok;
}

/*
 * Movable holds: the owner's pages that the mm may move, e.g. off the node
 * when it is unregistered.
 */
static const struct movable_operations cxl_spm_mops;

static void cxl_spm_movable_add(struct cxl_spm *spm, struct page *page)
{
	set_page_private(page, (unsigned long)spm);
	__SetPageMovable(page, &cxl_spm_mops);
	spin_lock(&spm->movable_lock);
	list_add(&page->lru, &spm->movable);
	spin_unlock(&spm->movable_lock);
}

static int cxl_spm_hold_movable(struct cxl_spm *spm, unsigned long nr)
{
	struct folio *folio;

	while (nr--) {
		folio = spm_alloc_folio(spm->node, GFP_HIGHUSER_MOVABLE, 0);
		if (!folio)
			return -ENOMEM;
		cxl_spm_stamp(&folio->page);
		folio_lock(folio);
		cxl_spm_movable_add(spm, &folio->page);
		folio_unlock(folio);
		atomic_long_inc(&spm->nr_movable);
	}
	return 0;
}

static bool cxl_spm_isolate(struct page *page, isolate_mode_t mode)
{
	struct cxl_spm *spm = (struct cxl_spm *)page_private(page);

	spin_lock(&spm->movable_lock);
	list_del(&page->lru);
	spin_unlock(&spm->movable_lock);
	return true;
}

static void cxl_spm_putback(struct page *page)
{
	struct cxl_spm *spm = (struct cxl_spm *)page_private(page);

	spin_lock(&spm->movable_lock);
	list_add(&page->lru, &spm->movable);
	spin_unlock(&spm->movable_lock);
}

/* As a balloon does: the copy takes the original's place and reference */
static int cxl_spm_migrate(struct page *dst, struct page *src, enum migrate_mode mode)
{
	struct cxl_spm *spm = (struct cxl_spm *)page_private(src);

	copy_highpage(dst, src);
	get_page(dst);
	cxl_spm_movable_add(spm, dst);
	__ClearPageMovable(src);
	set_page_private(src, 0);
	put_page(src);
	return MIGRATEPAGE_SUCCESS;
}

static const struct movable_operations cxl_spm_mops = {
	.isolate_page = cxl_spm_isolate,
	.migrate_page = cxl_spm_migrate,
	.putback_page = cxl_spm_putback,
};

/*
 * Check the movable pages held; count them and those off node @nid (the
 * node may be gone: it is not asked)
 */
static bool cxl_spm_verify_movable(struct cxl_spm *spm, int nid, unsigned long *nr,
				   unsigned long *moved)
{
	struct page *page;
	bool ok = true;

	*nr = 0;
	*moved = 0;
	spin_lock(&spm->movable_lock);
	list_for_each_entry(page, &spm->movable, lru) {
		ok = ok && cxl_spm_stamp_ok(page);
		(*nr)++;
		*moved += page_to_nid(page) != nid;
	}
	spin_unlock(&spm->movable_lock);
	return ok;
}

/* Free every movable page held, waiting out those the mm has isolated */
static void cxl_spm_release_movable(struct cxl_spm *spm)
{
	struct page *page, *next;
	LIST_HEAD(freed);

	while (atomic_long_read(&spm->nr_movable)) {
		spin_lock(&spm->movable_lock);
		list_for_each_entry_safe(page, next, &spm->movable, lru) {
			if (!trylock_page(page))
				continue;
			list_move(&page->lru, &freed);
			__ClearPageMovable(page);
			set_page_private(page, 0);
			unlock_page(page);
			atomic_long_dec(&spm->nr_movable);
		}
		spin_unlock(&spm->movable_lock);
		list_for_each_entry_safe(page, next, &freed, lru) {
			list_del(&page->lru);
			put_page(page);
		}
		cond_resched();
	}
}

static int hold_movable_get(void *data, u64 *val)
{
	*val = atomic_long_read(&((struct cxl_spm *)data)->nr_movable);
	return 0;
}

static int hold_movable_set(void *data, u64 val)
{
	return cxl_spm_hold_movable(data, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(hold_movable_fops, hold_movable_get, hold_movable_set, "%llu\n");

static int hold_get(void *data, u64 *val)
{
	struct cxl_spm *spm = data;

	*val = READ_ONCE(spm->nr_held);
	return 0;
}

static int hold_set(void *data, u64 val)
{
	return cxl_spm_hold(data, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(hold_fops, hold_get, hold_set, "%llu\n");

static int foreign_get(void *data, u64 *val)
{
	struct cxl_spm *spm = data;

	guard(mutex)(&spm->lock);
	*val = spm->nr_foreign;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(foreign_fops, foreign_get, NULL, "%llu\n");

static int release_set(void *data, u64 val)
{
	cxl_spm_release(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(release_fops, NULL, release_set, "%llu\n");

static int verify_get(void *data, u64 *val)
{
	*val = cxl_spm_verify(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(verify_fops, verify_get, NULL, "%llu\n");

static int admit_limit_get(void *data, u64 *val)
{
	*val = READ_ONCE(((struct cxl_spm *)data)->admit_limit);
	return 0;
}

static int admit_limit_set(void *data, u64 val)
{
	WRITE_ONCE(((struct cxl_spm *)data)->admit_limit, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(admit_limit_fops, admit_limit_get, admit_limit_set, "%llu\n");

/* Allocate, clear and free @nr pages one by one from @node (NULL: DRAM) */
static u64 cxl_spm_alloc_loop(struct spm_node *node, unsigned long nr)
{
	u64 start = ktime_get_ns();
	struct folio *folio;

	while (nr--) {
		if (node)
			folio = spm_alloc_folio(node, GFP_KERNEL, 0);
		else
			folio = __folio_alloc_node(GFP_KERNEL | __GFP_THISNODE, 0,
						   first_memory_node);
		if (!folio)
			return 0;
		folio_zero_range(folio, 0, PAGE_SIZE);
		folio_put(folio);
		cond_resched();
	}
	return ktime_get_ns() - start;
}

static int alloc_bench_set(void *data, u64 val)
{
	struct cxl_spm *spm = data;

	if (!val || val > 1UL << 20)
		return -EINVAL;
	guard(mutex)(&spm->lock);
	spm->bench_spm_ns = cxl_spm_alloc_loop(spm->node, val);
	spm->bench_dram_ns = cxl_spm_alloc_loop(NULL, val);
	return spm->bench_spm_ns && spm->bench_dram_ns ? 0 : -ENOMEM;
}
DEFINE_DEBUGFS_ATTRIBUTE(alloc_bench_fops, NULL, alloc_bench_set, "%llu\n");

static void cxl_spm_debugfs_init(struct cxl_spm *spm, struct device *dev)
{
	spm->debugfs = debugfs_create_dir(dev_name(dev), cxl_spm_debugfs);
	debugfs_create_file("hold", 0600, spm->debugfs, spm, &hold_fops);
	debugfs_create_file("foreign", 0400, spm->debugfs, spm, &foreign_fops);
	debugfs_create_file("release", 0200, spm->debugfs, spm, &release_fops);
	debugfs_create_file("verify", 0400, spm->debugfs, spm, &verify_fops);
	debugfs_create_file("admit_limit", 0600, spm->debugfs, spm, &admit_limit_fops);
	debugfs_create_file("hold_movable", 0600, spm->debugfs, spm, &hold_movable_fops);
	debugfs_create_atomic_t("poisoned", 0400, spm->debugfs, &spm->nr_poisoned);
	debugfs_create_x64("last_poison", 0400, spm->debugfs, &spm->last_poison);
	debugfs_create_file("alloc_bench", 0200, spm->debugfs, spm, &alloc_bench_fops);
	debugfs_create_u64("bench_spm_ns", 0400, spm->debugfs, &spm->bench_spm_ns);
	debugfs_create_u64("bench_dram_ns", 0400, spm->debugfs, &spm->bench_dram_ns);
}

/* Not busy, so release_mem_region() would not find them: as dax/kmem does */
static void cxl_spm_release_resources(struct cxl_spm *spm)
{
	int i;

	for (i = 0; i < spm->nr_res; i++) {
		remove_resource(spm->res[i]);
		kfree(spm->res[i]);
	}
}

static int cxl_spm_probe(struct dev_dax *dev_dax)
{
	struct spm_range ranges[8];
	struct spm_desc desc = {
		.name = dev_name(&dev_dax->dev),
		.class = SPM_CLASS_CXL,
		.caps = SPM_CAP_MIGRATION | SPM_CAP_DEMOTION | SPM_CAP_USER_MAP,
		.nid = dev_dax->target_node,
		.ranges = ranges,
		.ops = &cxl_spm_ops,
		.owner = THIS_MODULE,
	};
	struct device *dev = &dev_dax->dev;
	struct cxl_spm *spm;
	struct range r;
	int i, ret;

	if (dev_dax->nr_range > ARRAY_SIZE(ranges)) {
		dev_err(dev, "%d ranges: at most %zu supported\n", dev_dax->nr_range,
			ARRAY_SIZE(ranges));
		return -EINVAL;
	}
	spm = kzalloc(struct_size(spm, res, dev_dax->nr_range), GFP_KERNEL);
	if (!spm)
		return -ENOMEM;
	mutex_init(&spm->lock);
	INIT_LIST_HEAD(&spm->held);
	spin_lock_init(&spm->movable_lock);
	INIT_LIST_HEAD(&spm->movable);
	desc.drvdata = spm;

	for (i = 0; i < dev_dax->nr_range; i++) {
		if (cxl_spm_range(dev_dax, i, &r)) {
			dev_info(dev, "range %d: less than a memory block, skipped\n", i);
			continue;
		}
		if (region_intersects(r.start, range_len(&r), IORESOURCE_MEM,
				      IORES_DESC_CXL) != REGION_INTERSECTS) {
			dev_err(dev, "%#llx-%#llx is not in a CXL window: not a CXL dax device; use dax/kmem or device_dax\n",
				r.start, r.end);
			ret = -ENODEV;
			goto err;
		}
		spm->res[spm->nr_res] = request_mem_region(r.start, range_len(&r),
							   dev_name(dev));
		if (!spm->res[spm->nr_res]) {
			dev_err(dev, "%#llx-%#llx is busy\n", r.start, r.end);
			ret = -EBUSY;
			goto err;
		}
		/* as dax/kmem: not busy, so the hot-added memory nests below it */
		spm->res[spm->nr_res]->flags = IORESOURCE_SYSTEM_RAM;
		ranges[spm->nr_res++] = (struct spm_range){ r.start, range_len(&r) };
	}
	desc.nr_ranges = spm->nr_res;

	spm->node = spm_register(dev, &desc);
	if (IS_ERR(spm->node)) {
		ret = PTR_ERR(spm->node);
		dev_err(dev, "registering node %d failed: %d\n", desc.nid, ret);
		goto err;
	}
	cxl_spm_debugfs_init(spm, dev);
	dev_set_drvdata(dev, spm);
	return 0;

err:
	cxl_spm_release_resources(spm);
	kfree(spm);
	return ret;
}

static void cxl_spm_remove(struct dev_dax *dev_dax)
{
	struct cxl_spm *spm = dev_get_drvdata(&dev_dax->dev);
	int nid = spm_node_id(spm->node), ret;
	unsigned long nr, moved;
	bool intact;

	/* no debugfs user may reach the node or its state once it is gone */
	debugfs_remove_recursive(spm->debugfs);
	ret = spm_unregister(spm->node);
	if (ret) {
		/* like dax/kmem: the memory stays, isolated, and so does its state */
		dev_err(&dev_dax->dev, "node %d stays registered, %lu pages held: %d\n",
			nid, spm->nr_held, ret);
		return;
	}
	/* the node is gone: its movable pages were moved off it, check them */
	intact = cxl_spm_verify_movable(spm, nid, &nr, &moved);
	if (nr)
		dev_info(&dev_dax->dev, "node %d removed: %lu of %lu movable pages evacuated, contents %s\n",
			 nid, moved, nr, intact ? "intact" : "CORRUPTED");
	cxl_spm_release_movable(spm);
	cxl_spm_release_resources(spm);
	kfree(spm);
}

static struct dax_device_driver cxl_spm_driver = {
	.probe = cxl_spm_probe,
	.remove = cxl_spm_remove,
	.type = DAXDRV_KMEM_TYPE,
};

static int __init cxl_spm_init(void)
{
	int ret;

	cxl_spm_debugfs = debugfs_create_dir("cxl_spm_sample", NULL);
	ret = dax_driver_register(&cxl_spm_driver);
	if (ret)
		debugfs_remove(cxl_spm_debugfs);
	return ret;
}

static void __exit cxl_spm_exit(void)
{
	dax_driver_unregister(&cxl_spm_driver);
	debugfs_remove(cxl_spm_debugfs);
}

module_init(cxl_spm_init);
module_exit(cxl_spm_exit);
MODULE_DESCRIPTION("Sample SPM driver: a CXL dax device as an SPM_CLASS_CXL node");
MODULE_LICENSE("GPL");
