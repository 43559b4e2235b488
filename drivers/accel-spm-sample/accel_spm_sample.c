// SPDX-License-Identifier: GPL-2.0
/*
 * accel-spm-sample: the memory BAR of QEMU's ivshmem-plain device as
 * accelerator memory, an SPM_CLASS_ACCEL node.
 *
 * The BAR, backed by host memory, plays the part of GPU memory. The driver
 * registers it as an SPM node that is never a demotion target, never
 * reclaimed and never evacuated (it does not offer SPM_CAP_MIGRATION): its
 * pages go to the driver (spm_alloc_folio()) and, through /dev/spm<nid>
 * (SPM_CAP_USER_MAP), to the tasks whose policy group grants the node;
 * nothing else ever lands there. Those pages are off the LRU, so they may
 * stay pinned for DMA as long as the device needs; the node refuses to go
 * while any is in use.
 *
 * The BAR's NUMA node is the device's (ACPI _PXM) or, where firmware names
 * none, as under QEMU, the nid= module parameter: a possible node without
 * memory.
 *
 * debugfs accel_spm_sample/<pci device>/ lets tests act as the device:
 *
 *   hold     write N: allocate N zeroed pages of the node for the device;
 *            read: pages held
 *   release  write N: free N held pages (fewer if fewer are held)
 *   pin      write "ADDR LEN" (hex address, byte length): pin the writer's
 *            memory [ADDR, ADDR + LEN) long-term, as a GPU driver pins a
 *            user buffer for DMA (FOLL_LONGTERM); one buffer at a time.
 *            read: "pinned=P on_node=N", pages pinned and how many of them
 *            are on the node
 *   unpin    write anything: unpin the buffer
 */
#include <linux/debugfs.h>
#include <linux/list.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spm.h>
#include <linux/string.h>

#define ACCEL_SPM_BAR		2
#define ACCEL_SPM_PIN_MAX	(64UL << 20)	/* bytes in one pinned buffer */

static int nid = NUMA_NO_NODE;
module_param(nid, int, 0444);
MODULE_PARM_DESC(nid, "NUMA node of the memory BAR where firmware names none");

static struct dentry *accel_spm_debugfs;

struct accel_spm {
	struct spm_node *node;
	struct resource *res;
	struct dentry *debugfs;
	struct mutex lock;		/* guards held, nr_held, pinned, nr_pinned */
	struct list_head held;		/* the device's folios, on folio->lru */
	unsigned long nr_held;
	struct page **pinned;		/* the pinned user buffer, or NULL */
	unsigned long nr_pinned;
};

static int accel_spm_hold(struct accel_spm *acc, unsigned long nr)
{
	struct folio *folio;

	guard(mutex)(&acc->lock);
	while (nr--) {
		folio = spm_alloc_folio(acc->node, GFP_KERNEL | __GFP_ZERO, 0);
		if (!folio)
			return -ENOMEM;
		list_add(&folio->lru, &acc->held);
		acc->nr_held++;
	}
	return 0;
}

static void accel_spm_release(struct accel_spm *acc, unsigned long nr)
{
	struct folio *folio, *next;

	guard(mutex)(&acc->lock);
	list_for_each_entry_safe(folio, next, &acc->held, lru) {
		if (!nr--)
			break;
		list_del(&folio->lru);
		folio_put(folio);
		acc->nr_held--;
	}
}

/* Pin the caller's [@addr, @addr + @len) long-term, as for DMA */
static int accel_spm_pin(struct accel_spm *acc, unsigned long addr, unsigned long len)
{
	unsigned long nr = len >> PAGE_SHIFT;
	struct page **pages;
	long ret;

	if (!len || len > ACCEL_SPM_PIN_MAX || !PAGE_ALIGNED(addr) || !PAGE_ALIGNED(len))
		return -EINVAL;
	guard(mutex)(&acc->lock);
	if (acc->pinned)
		return -EBUSY;
	pages = kvcalloc(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	ret = pin_user_pages_fast(addr, nr, FOLL_WRITE | FOLL_LONGTERM, pages);
	if (ret != nr) {
		if (ret > 0)
			unpin_user_pages(pages, ret);
		kvfree(pages);
		return ret < 0 ? ret : -EFAULT;
	}
	acc->pinned = pages;
	acc->nr_pinned = nr;
	return 0;
}

static void accel_spm_unpin(struct accel_spm *acc)
{
	guard(mutex)(&acc->lock);
	if (!acc->pinned)
		return;
	unpin_user_pages_dirty_lock(acc->pinned, acc->nr_pinned, true);
	kvfree(acc->pinned);
	acc->pinned = NULL;
	acc->nr_pinned = 0;
}

static int hold_get(void *data, u64 *val)
{
	*val = READ_ONCE(((struct accel_spm *)data)->nr_held);
	return 0;
}

static int hold_set(void *data, u64 val)
{
	return accel_spm_hold(data, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(hold_fops, hold_get, hold_set, "%llu\n");

static int release_set(void *data, u64 val)
{
	accel_spm_release(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(release_fops, NULL, release_set, "%llu\n");

static int unpin_set(void *data, u64 val)
{
	accel_spm_unpin(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(unpin_fops, NULL, unpin_set, "%llu\n");

static ssize_t pin_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	struct accel_spm *acc = file->private_data;
	unsigned long i, on_node = 0;
	char buf[64];
	int len;

	scoped_guard(mutex, &acc->lock) {
		for (i = 0; i < acc->nr_pinned; i++)
			on_node += page_to_nid(acc->pinned[i]) == spm_node_id(acc->node);
		len = scnprintf(buf, sizeof(buf), "pinned=%lu on_node=%lu\n", acc->nr_pinned,
				on_node);
	}
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t pin_write(struct file *file, const char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	struct accel_spm *acc = file->private_data;
	unsigned long addr, len;
	char buf[64], *p, *tok;
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	p = strim(buf);
	tok = strsep(&p, " ");
	if (!p || kstrtoul(tok, 16, &addr) || kstrtoul(strim(p), 0, &len))
		return -EINVAL;
	ret = accel_spm_pin(acc, addr, len);
	return ret ?: count;
}

static const struct file_operations pin_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = pin_read,
	.write = pin_write,
	.llseek = default_llseek,
};

static void accel_spm_debugfs_init(struct accel_spm *acc, struct device *dev)
{
	acc->debugfs = debugfs_create_dir(dev_name(dev), accel_spm_debugfs);
	debugfs_create_file("hold", 0600, acc->debugfs, acc, &hold_fops);
	debugfs_create_file("release", 0200, acc->debugfs, acc, &release_fops);
	debugfs_create_file("pin", 0600, acc->debugfs, acc, &pin_fops);
	debugfs_create_file("unpin", 0200, acc->debugfs, acc, &unpin_fops);
}

static int accel_spm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct spm_range range = {
		.start = pci_resource_start(pdev, ACCEL_SPM_BAR),
		.size = pci_resource_len(pdev, ACCEL_SPM_BAR),
	};
	struct spm_desc desc = {
		.name = pci_name(pdev),
		.class = SPM_CLASS_ACCEL,
		.caps = SPM_CAP_USER_MAP,
		.nid = dev_to_node(&pdev->dev),
		.ranges = &range,
		.nr_ranges = 1,
		.owner = THIS_MODULE,
	};
	struct device *dev = &pdev->dev;
	struct accel_spm *acc;
	int ret;

	if (desc.nid == NUMA_NO_NODE)
		desc.nid = nid;
	if (desc.nid == NUMA_NO_NODE) {
		dev_err(dev, "firmware gives the memory BAR no NUMA node: load with nid=<node>\n");
		return -EINVAL;
	}
	acc = kzalloc(sizeof(*acc), GFP_KERNEL);
	if (!acc)
		return -ENOMEM;
	mutex_init(&acc->lock);
	INIT_LIST_HEAD(&acc->held);
	desc.drvdata = acc;

	ret = pci_enable_device_mem(pdev);
	if (ret)
		goto err_free;
	acc->res = request_mem_region(range.start, range.size, dev_name(dev));
	if (!acc->res) {
		dev_err(dev, "BAR%d %#llx-%#llx is busy\n", ACCEL_SPM_BAR, range.start,
			range.start + range.size - 1);
		ret = -EBUSY;
		goto err_disable;
	}
	/* as dax/kmem: not busy, so the hot-added memory nests below it */
	acc->res->flags = IORESOURCE_SYSTEM_RAM;

	/* spm_register() checks the node and the BAR's alignment, and says why */
	acc->node = spm_register(dev, &desc);
	if (IS_ERR(acc->node)) {
		ret = PTR_ERR(acc->node);
		dev_err(dev, "registering BAR%d as node %d failed: %d\n", ACCEL_SPM_BAR,
			desc.nid, ret);
		goto err_release;
	}
	accel_spm_debugfs_init(acc, dev);
	pci_set_drvdata(pdev, acc);
	return 0;

err_release:
	remove_resource(acc->res);
	kfree(acc->res);
err_disable:
	pci_disable_device(pdev);
err_free:
	kfree(acc);
	return ret;
}

static void accel_spm_remove(struct pci_dev *pdev)
{
	struct accel_spm *acc = pci_get_drvdata(pdev);
	int ret;

	/* no debugfs user may reach the node or its state once it is gone */
	debugfs_remove_recursive(acc->debugfs);
	ret = spm_unregister(acc->node);
	if (ret) {
		/*
		 * Pages of the node are held or pinned: it stays, isolated,
		 * and the device stays enabled so that they stay readable.
		 */
		dev_err(&pdev->dev, "node %d stays registered: %lu pages held, %lu pinned: %d\n",
			spm_node_id(acc->node), acc->nr_held, acc->nr_pinned, ret);
		return;
	}
	/* a pinned buffer now can only be memory of other nodes */
	accel_spm_unpin(acc);
	remove_resource(acc->res);
	kfree(acc->res);
	pci_disable_device(pdev);
	kfree(acc);
}

static const struct pci_device_id accel_spm_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT_QUMRANET, 0x1110) },	/* ivshmem */
	{ }
};
MODULE_DEVICE_TABLE(pci, accel_spm_ids);

static struct pci_driver accel_spm_driver = {
	.name = "accel_spm_sample",
	.id_table = accel_spm_ids,
	.probe = accel_spm_probe,
	.remove = accel_spm_remove,
};

static int __init accel_spm_init(void)
{
	int ret;

	accel_spm_debugfs = debugfs_create_dir("accel_spm_sample", NULL);
	ret = pci_register_driver(&accel_spm_driver);
	if (ret)
		debugfs_remove(accel_spm_debugfs);
	return ret;
}

static void __exit accel_spm_exit(void)
{
	pci_unregister_driver(&accel_spm_driver);
	debugfs_remove(accel_spm_debugfs);
}

module_init(accel_spm_init);
module_exit(accel_spm_exit);
MODULE_DESCRIPTION("Sample SPM driver: an ivshmem BAR as an SPM_CLASS_ACCEL node");
MODULE_LICENSE("GPL");
