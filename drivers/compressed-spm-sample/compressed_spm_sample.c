// SPDX-License-Identifier: GPL-2.0
/*
 * compressed-spm-sample: a dax device as an SPM_CLASS_COMPRESSED node.
 *
 * It plays a memory device that compresses what it stores: its address range
 * is the dax device's, but its "physical" capacity, the budget, is only
 * budget_percent of that (module parameter, default 25). Pages arrive only
 * by demotion, from tasks whose policy group chose the node (memory.tier),
 * and every folio offered is measured by really compressing its contents
 * with the kernel's lz4; a page that does not compress is charged in full.
 * The node is write-protected: a write promotes the page back to DRAM first.
 *
 * A folio is measured as the node receives it: the copy, made once the
 * source is unmapped, so a write racing with the demotion either lands
 * before the copy and is measured, or faults after it. The node's pages are
 * write-protected from then on.
 *
 * The budget is never exceeded: a demotion that would not fit is refused.
 * Pressure is raised (spm_node_set_pressure()) once a demotion does not fit
 * or the charge reaches 90% of the budget, and cleared when frees bring it
 * back under 75%. While it is raised admit() refuses every allocation and
 * the core refuses every demotion.
 *
 * Bind a dax device (a soft-reserved range's, or a CXL region's):
 *
 *   echo dax0.0 > /sys/bus/dax/drivers/device_dax/unbind
 *   echo dax0.0 > /sys/bus/dax/drivers/compressed_spm_sample/new_id
 *
 * debugfs (compressed_spm_sample/<dax device>/) shows the device's side:
 *
 *   budget          bytes the device can store
 *   charged         bytes charged now (compressed sizes)
 *   high_water      most bytes ever charged; write 0 to reset it
 *   stored_pages    pages held now
 *   stored_bytes    their uncompressed size (stored_bytes / charged is
 *                   the compression ratio of what is held)
 *   refused         folios refused: they did not fit, or did not compress
 *                   while refuse_incompressible was set
 *   refuse_incompressible  1: refuse a folio that does not compress at all
 *                   (0 by default: it is charged in full); such a refusal
 *                   does not raise pressure
 *   write_fault     "promote" (default): a write copies the page to DRAM;
 *                   "in_place": the write lands on the node if the budget
 *                   can take the page uncompressed, else it promotes;
 *                   "refuse": the write gets SIGBUS
 *   measure_delay_us  how long measuring a page takes, 0 (default) to
 *                   10000: plays a slow compressor
 *   measured_live   folios measured while their source was still mapped,
 *                   where a task could change them (0: the copy is what
 *                   is measured)
 *   audit           "pages=N short=S": measures every page held again; S
 *                   of them now compress worse than they were charged
 *                   (0 unless what was measured is not what is held)
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/lz4.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/spm.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "dax-private.h"
#include "bus.h"

static unsigned int budget_percent = 25;
module_param(budget_percent, uint, 0444);
MODULE_PARM_DESC(budget_percent, "capacity as a percentage of the address range (1-100)");

/* Pressure on at 90% of the budget, off again under 75% */
#define PRESSURE_ON_PCT		90
#define PRESSURE_OFF_PCT	75

static struct dentry *comp_spm_debugfs;

/* lz4's work memory and output, one set per CPU: demote() must not sleep */
struct comp_scratch {
	u8 wrkmem[LZ4_MEM_COMPRESS];
	u8 out[LZ4_COMPRESSBOUND(PAGE_SIZE)];
};

static struct comp_scratch __percpu *comp_scratch;

static const char * const write_fault_names[] = {
	[SPM_WRITE_PROMOTE] = "promote",
	[SPM_WRITE_ALLOW] = "in_place",
	[SPM_WRITE_REFUSE] = "refuse",
};

struct comp_spm {
	struct spm_node *node;
	struct dentry *debugfs;
	spinlock_t lock;		/* protects the budget, pressure and charge[] */
	u64 budget;
	u64 charged;
	u64 high_water;
	u64 stored_pages;
	u64 refused;
	u64 measured_live;
	u32 measure_delay_us;
	bool refuse_incompressible;
	bool pressure;
	enum spm_write_fault write_fault;
	unsigned long base_pfn;
	unsigned long nr_pfns;
	u32 *charge;			/* bytes charged for each page, by pfn */
	int nr_res;
	struct resource *res[];
};

/* lz4-compressed size of one page; an incompressible page costs a page */
static unsigned int comp_page_size(struct page *page)
{
	struct comp_scratch *s = get_cpu_ptr(comp_scratch);
	void *src = kmap_local_page(page);
	int len;

	len = LZ4_compress_default(src, s->out, PAGE_SIZE, sizeof(s->out), s->wrkmem);
	kunmap_local(src);
	put_cpu_ptr(comp_scratch);
	return len > 0 && len < PAGE_SIZE ? len : PAGE_SIZE;
}

/* Under cs->lock: raise pressure at 90% or on a refusal, clear it under 75% */
static void comp_update_pressure(struct comp_spm *cs, bool refused)
{
	bool pressure = cs->pressure;

	if (refused || cs->charged * 100 >= cs->budget * PRESSURE_ON_PCT)
		pressure = true;
	else if (cs->charged * 100 < cs->budget * PRESSURE_OFF_PCT)
		pressure = false;
	if (pressure != cs->pressure) {
		cs->pressure = pressure;
		spm_node_set_pressure(cs->node, pressure);
	}
}

static int comp_demote(struct spm_node *node, struct folio *src, struct folio *dst)
{
	struct comp_spm *cs = spm_node_drvdata(node);
	unsigned long idx = folio_pfn(dst) - cs->base_pfn;
	long i, nr = folio_nr_pages(src);
	u32 *charge = &cs->charge[idx];
	unsigned long flags;
	u64 total = 0;
	bool fits;

	/* the core allocates @dst on this node: a refusal, never another error */
	if (WARN_ON_ONCE(idx + nr > cs->nr_pfns))
		return -ENOSPC;
	/* @dst was just allocated for this: its slots are ours until we return */
	for (i = 0; i < nr; i++) {
		charge[i] = comp_page_size(folio_page(dst, i));
		total += charge[i];
		udelay(READ_ONCE(cs->measure_delay_us));
	}

	if (folio_mapped(src)) {
		spin_lock_irqsave(&cs->lock, flags);
		cs->measured_live++;
		spin_unlock_irqrestore(&cs->lock, flags);
	}
	if (READ_ONCE(cs->refuse_incompressible) && total == nr * PAGE_SIZE) {
		memset(charge, 0, nr * sizeof(*charge));
		spin_lock_irqsave(&cs->lock, flags);
		cs->refused++;
		spin_unlock_irqrestore(&cs->lock, flags);
		return -ENOSPC;
	}

	spin_lock_irqsave(&cs->lock, flags);
	fits = cs->charged + total <= cs->budget;
	if (fits) {
		cs->charged += total;
		cs->stored_pages += nr;
		cs->high_water = max(cs->high_water, cs->charged);
	} else {
		memset(charge, 0, nr * sizeof(*charge));
		cs->refused++;
	}
	comp_update_pressure(cs, !fits);
	spin_unlock_irqrestore(&cs->lock, flags);
	return fits ? 0 : -ENOSPC;
}

/* Pages of the node come only by demotion: none while under pressure */
static int comp_admit(struct spm_node *node, unsigned int order, gfp_t gfp)
{
	struct comp_spm *cs = spm_node_drvdata(node);

	return READ_ONCE(cs->pressure) ? -ENOSPC : 0;
}

static void comp_freed(struct spm_node *node, unsigned long pfn, unsigned long nr)
{
	struct comp_spm *cs = spm_node_drvdata(node);
	unsigned long i, idx = pfn - cs->base_pfn;
	unsigned long flags;

	spin_lock_irqsave(&cs->lock, flags);
	for (i = 0; i < nr && idx + i < cs->nr_pfns; i++) {
		if (!cs->charge[idx + i])
			continue;	/* allocated for a demotion that did not happen */
		cs->charged -= cs->charge[idx + i];
		cs->charge[idx + i] = 0;
		cs->stored_pages--;
	}
	comp_update_pressure(cs, false);
	spin_unlock_irqrestore(&cs->lock, flags);
}

static enum spm_write_fault comp_write_fault(struct spm_node *node, struct folio *folio)
{
	struct comp_spm *cs = spm_node_drvdata(node);
	unsigned long idx = folio_pfn(folio) - cs->base_pfn;
	enum spm_write_fault how = READ_ONCE(cs->write_fault);
	unsigned long flags;

	if (how != SPM_WRITE_ALLOW)
		return how;
	/* written in place, the page may no longer compress: charge it in full */
	spin_lock_irqsave(&cs->lock, flags);
	if (folio_test_large(folio) || idx >= cs->nr_pfns || !cs->charge[idx] ||
	    cs->charged - cs->charge[idx] + PAGE_SIZE > cs->budget) {
		how = SPM_WRITE_PROMOTE;
	} else {
		cs->charged += PAGE_SIZE - cs->charge[idx];
		cs->charge[idx] = PAGE_SIZE;
		cs->high_water = max(cs->high_water, cs->charged);
		comp_update_pressure(cs, false);
	}
	spin_unlock_irqrestore(&cs->lock, flags);
	return how;
}

static const struct spm_ops comp_spm_ops = {
	.admit = comp_admit,
	.freed = comp_freed,
	.demote = comp_demote,
	.write_fault = comp_write_fault,
};

static int high_water_get(void *data, u64 *val)
{
	struct comp_spm *cs = data;

	spin_lock_irq(&cs->lock);
	*val = cs->high_water;
	spin_unlock_irq(&cs->lock);
	return 0;
}

static int high_water_set(void *data, u64 val)
{
	struct comp_spm *cs = data;

	if (val)
		return -EINVAL;
	spin_lock_irq(&cs->lock);
	cs->high_water = cs->charged;
	spin_unlock_irq(&cs->lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(high_water_fops, high_water_get, high_water_set, "%llu\n");

static int stored_bytes_get(void *data, u64 *val)
{
	struct comp_spm *cs = data;

	*val = READ_ONCE(cs->stored_pages) << PAGE_SHIFT;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(stored_bytes_fops, stored_bytes_get, NULL, "%llu\n");

static ssize_t write_fault_read(struct file *file, char __user *ubuf, size_t count,
				loff_t *ppos)
{
	struct comp_spm *cs = file->private_data;
	char buf[16];
	int len;

	len = scnprintf(buf, sizeof(buf), "%s\n", write_fault_names[READ_ONCE(cs->write_fault)]);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t write_fault_write(struct file *file, const char __user *ubuf, size_t count,
				 loff_t *ppos)
{
	struct comp_spm *cs = file->private_data;
	char buf[16];
	int how;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	how = sysfs_match_string(write_fault_names, buf);
	if (how < 0)
		return how;
	WRITE_ONCE(cs->write_fault, how);
	return count;
}

static const struct file_operations write_fault_fops = {
	.open = simple_open,
	.read = write_fault_read,
	.write = write_fault_write,
	.llseek = default_llseek,
};

static int measure_delay_set(void *data, u64 val)
{
	struct comp_spm *cs = data;

	if (val > 10000)
		return -EINVAL;
	WRITE_ONCE(cs->measure_delay_us, val);
	return 0;
}

static int measure_delay_get(void *data, u64 *val)
{
	struct comp_spm *cs = data;

	*val = READ_ONCE(cs->measure_delay_us);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(measure_delay_fops, measure_delay_get, measure_delay_set, "%llu\n");

/* 0 or 1, nothing else: debugfs_create_bool() would ignore bad input */
static int refuse_incompressible_set(void *data, u64 val)
{
	struct comp_spm *cs = data;

	if (val > 1)
		return -EINVAL;
	WRITE_ONCE(cs->refuse_incompressible, val);
	return 0;
}

static int refuse_incompressible_get(void *data, u64 *val)
{
	struct comp_spm *cs = data;

	*val = READ_ONCE(cs->refuse_incompressible);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(refuse_incompressible_fops, refuse_incompressible_get,
			 refuse_incompressible_set, "%llu\n");

/* Measure every page held again: none may compress worse than charged */
static int audit_show(struct seq_file *m, void *unused)
{
	struct comp_spm *cs = m->private;
	unsigned long idx, pages = 0, short_pages = 0;
	u32 charge;

	for (idx = 0; idx < cs->nr_pfns; idx++) {
		charge = READ_ONCE(cs->charge[idx]);
		if (!charge)
			continue;
		pages++;
		if (comp_page_size(pfn_to_page(cs->base_pfn + idx)) > charge)
			short_pages++;
		cond_resched();
	}
	seq_printf(m, "pages=%lu short=%lu\n", pages, short_pages);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(audit);

static void comp_spm_debugfs_init(struct comp_spm *cs, struct device *dev)
{
	cs->debugfs = debugfs_create_dir(dev_name(dev), comp_spm_debugfs);
	debugfs_create_u64("budget", 0400, cs->debugfs, &cs->budget);
	debugfs_create_u64("charged", 0400, cs->debugfs, &cs->charged);
	debugfs_create_file("high_water", 0600, cs->debugfs, cs, &high_water_fops);
	debugfs_create_u64("stored_pages", 0400, cs->debugfs, &cs->stored_pages);
	debugfs_create_file("stored_bytes", 0400, cs->debugfs, cs, &stored_bytes_fops);
	debugfs_create_u64("refused", 0400, cs->debugfs, &cs->refused);
	debugfs_create_file("write_fault", 0600, cs->debugfs, cs, &write_fault_fops);
	debugfs_create_u64("measured_live", 0400, cs->debugfs, &cs->measured_live);
	debugfs_create_file("refuse_incompressible", 0600, cs->debugfs, cs,
			    &refuse_incompressible_fops);
	debugfs_create_file("measure_delay_us", 0600, cs->debugfs, cs, &measure_delay_fops);
	debugfs_create_file("audit", 0400, cs->debugfs, cs, &audit_fops);
}

/* Not busy, so release_mem_region() would not find them: as dax/kmem does */
static void comp_spm_release(struct comp_spm *cs)
{
	int i;

	for (i = 0; i < cs->nr_res; i++) {
		remove_resource(cs->res[i]);
		kfree(cs->res[i]);
	}
	vfree(cs->charge);
	kfree(cs);
}

/* The memory-block-aligned part of a dax range, as dax/kmem computes it */
static int comp_spm_range(struct dev_dax *dev_dax, int i, struct range *r)
{
	struct range *range = &dev_dax->ranges[i].range;

	r->start = ALIGN(range->start, memory_block_size_bytes());
	r->end = ALIGN_DOWN(range->end + 1, memory_block_size_bytes()) - 1;
	return r->start >= r->end ? -ENOSPC : 0;
}

static int comp_spm_probe(struct dev_dax *dev_dax)
{
	struct spm_range ranges[8];
	struct spm_desc desc = {
		.name = dev_name(&dev_dax->dev),
		.class = SPM_CLASS_COMPRESSED,
		.caps = SPM_CAP_MIGRATION | SPM_CAP_DEMOTION | SPM_CAP_WRITE_PROTECT,
		.nid = dev_dax->target_node,
		.ranges = ranges,
		.ops = &comp_spm_ops,
		.owner = THIS_MODULE,
	};
	struct device *dev = &dev_dax->dev;
	u64 lo = U64_MAX, hi = 0, size = 0;
	struct comp_spm *cs;
	struct range r;
	int i, ret;

	if (!budget_percent || budget_percent > 100) {
		dev_err(dev, "budget_percent=%u: must be 1 to 100\n", budget_percent);
		return -EINVAL;
	}
	if (dev_dax->nr_range > ARRAY_SIZE(ranges)) {
		dev_err(dev, "%d ranges: at most %zu supported\n", dev_dax->nr_range,
			ARRAY_SIZE(ranges));
		return -EINVAL;
	}
	cs = kzalloc(struct_size(cs, res, dev_dax->nr_range), GFP_KERNEL);
	if (!cs)
		return -ENOMEM;
	spin_lock_init(&cs->lock);
	desc.drvdata = cs;

	for (i = 0; i < dev_dax->nr_range; i++) {
		if (comp_spm_range(dev_dax, i, &r)) {
			dev_info(dev, "range %d: less than a memory block, skipped\n", i);
			continue;
		}
		cs->res[cs->nr_res] = request_mem_region(r.start, range_len(&r), dev_name(dev));
		if (!cs->res[cs->nr_res]) {
			dev_err(dev, "%#llx-%#llx is busy\n", r.start, r.end);
			ret = -EBUSY;
			goto err;
		}
		/* as dax/kmem: not busy, so the hot-added memory nests below it */
		cs->res[cs->nr_res]->flags = IORESOURCE_SYSTEM_RAM;
		ranges[cs->nr_res++] = (struct spm_range){ r.start, range_len(&r) };
		lo = min(lo, r.start);
		hi = max(hi, r.end + 1);
		size += range_len(&r);
	}
	desc.nr_ranges = cs->nr_res;
	if (!size) {
		ret = -ENOSPC;
		goto err;
	}
	cs->base_pfn = PHYS_PFN(lo);
	cs->nr_pfns = PHYS_PFN(hi - lo);
	cs->charge = vzalloc(array_size(cs->nr_pfns, sizeof(*cs->charge)));
	if (!cs->charge) {
		ret = -ENOMEM;
		goto err;
	}
	cs->budget = div_u64(size * budget_percent, 100);

	cs->node = spm_register(dev, &desc);
	if (IS_ERR(cs->node)) {
		ret = PTR_ERR(cs->node);
		dev_err(dev, "registering node %d failed: %d\n", desc.nid, ret);
		goto err;
	}
	comp_spm_debugfs_init(cs, dev);
	dev_set_drvdata(dev, cs);
	dev_info(dev, "node %d: %llu MiB of addresses, %llu MiB of budget\n", desc.nid,
		 size >> 20, cs->budget >> 20);
	return 0;

err:
	comp_spm_release(cs);
	return ret;
}

static void comp_spm_remove(struct dev_dax *dev_dax)
{
	struct comp_spm *cs = dev_get_drvdata(&dev_dax->dev);
	int ret;

	/* no debugfs user may reach the node or its state once it is gone */
	debugfs_remove_recursive(cs->debugfs);
	/* demoted pages are migrated back to DRAM: nothing is lost */
	ret = spm_unregister(cs->node);
	if (ret) {
		/* like dax/kmem: the memory stays, isolated, and so does its state */
		dev_err(&dev_dax->dev, "node %d stays registered, %llu pages stored: %d\n",
			spm_node_id(cs->node), cs->stored_pages, ret);
		return;
	}
	comp_spm_release(cs);
}

static struct dax_device_driver comp_spm_driver = {
	.probe = comp_spm_probe,
	.remove = comp_spm_remove,
	.type = DAXDRV_KMEM_TYPE,
};

static int __init comp_spm_init(void)
{
	int ret;

	comp_scratch = alloc_percpu(struct comp_scratch);
	if (!comp_scratch)
		return -ENOMEM;
	comp_spm_debugfs = debugfs_create_dir("compressed_spm_sample", NULL);
	ret = dax_driver_register(&comp_spm_driver);
	if (ret) {
		debugfs_remove(comp_spm_debugfs);
		free_percpu(comp_scratch);
	}
	return ret;
}

static void __exit comp_spm_exit(void)
{
	dax_driver_unregister(&comp_spm_driver);
	debugfs_remove(comp_spm_debugfs);
	free_percpu(comp_scratch);
}

module_init(comp_spm_init);
module_exit(comp_spm_exit);
MODULE_DESCRIPTION("Sample SPM driver: a dax device as an lz4-measured SPM_CLASS_COMPRESSED node");
MODULE_LICENSE("GPL");
