// SPDX-License-Identifier: GPL-2.0
/*
 * Special-purpose memory (SPM): the user allocation path, /dev/spm<nid>.
 *
 * A node whose owner sets SPM_CAP_USER_MAP gets a character device. Each
 * mmap() of it is new, zero-filled memory of the node, like a
 * MAP_SHARED | MAP_ANONYMOUS mapping: shared with children across fork(),
 * freed when the last mapping of it goes. MAP_PRIVATE is refused: its
 * copy-on-write would put private copies on other nodes.
 *
 * Pages are allocated at the first touch, with GFP_SPM_NODE, after the
 * caller's policy group is checked (group.c): mmap() fails with -EPERM if
 * the group does not grant the node, and a fault that needs a new page
 * raises SIGBUS if the grant was withdrawn meanwhile, if the group is at
 * its limit on the node (spm.max), if the node is full or if its owner
 * refuses. Each page is charged to the group of the task that touched it
 * first in its own address space. A page first touched from another
 * address space (ptrace(), process_vm_writev(), remote GUP) is charged to
 * the group that mapped the device, which must still grant the node: the
 * accessor's own group is no business of the mapping's. Pages already in a
 * mapping stay usable by every task that maps them until the mapping goes.
 * The pages are not on the LRU and do not move: a node with user mappings
 * refuses to go offline. The kernel's own memory for a mapping is charged
 * to the mapper's memory cgroup.
 */
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "spm.h"

static dev_t spm_devt;

/**
 * struct spm_mapping - The memory behind one mmap() of /dev/spm<nid>
 * @ref: one per VMA that maps it
 * @node: the node its pages come from
 * @group: the policy group of the task that mapped it, with a reference
 * @lock: serialises allocating pages
 * @pages: its folios by page offset; each one's ->private is its group
 */
struct spm_mapping {
	struct kref ref;
	struct spm_node *node;
	struct spm_group *group;
	struct mutex lock;	/* serialises allocating pages */
	struct xarray pages;
};

static void spm_mapping_release(struct kref *ref)
{
	struct spm_mapping *map = container_of(ref, struct spm_mapping, ref);
	struct folio *folio;
	unsigned long index;

	xa_for_each(&map->pages, index, folio) {
		spm_group_uncharge(folio_get_private(folio), map->node->nid, false);
		folio_change_private(folio, NULL);
		folio_put(folio);
	}
	xa_destroy(&map->pages);
	spm_group_put(map->group);
	put_device(&map->node->dev);
	kfree(map);
}

static void spm_vm_open(struct vm_area_struct *vma)
{
	struct spm_mapping *map = vma->vm_private_data;

	kref_get(&map->ref);
}

static void spm_vm_close(struct vm_area_struct *vma)
{
	struct spm_mapping *map = vma->vm_private_data;

	kref_put(&map->ref, spm_mapping_release);
}

/*
 * A new page for @index of @vma's mapping: granted, admitted and charged;
 * or why not. An access from another address space charges the mapper's
 * group rather than the accessor's.
 */
static vm_fault_t spm_mapping_alloc(struct spm_mapping *map, struct vm_area_struct *vma,
				    pgoff_t index, struct folio **foliop)
{
	struct spm_node *node = map->node;
	struct spm_group *grp;
	struct folio *folio;

	if (READ_ONCE(node->dying))
		return VM_FAULT_SIGBUS;
	grp = spm_group_charge(current->mm == vma->vm_mm ? NULL : map->group, node->nid);
	if (IS_ERR(grp))
		return VM_FAULT_SIGBUS;
	folio = spm_alloc_folio(node, GFP_HIGHUSER | __GFP_ZERO | __GFP_NORETRY, 0);
	/* the node went, and another took its number, while we allocated */
	if (folio && READ_ONCE(node->dying)) {
		folio_put(folio);
		folio = NULL;
	}
	if (!folio) {
		spm_group_uncharge(grp, node->nid, true);
		return VM_FAULT_SIGBUS;
	}
	if (xa_err(xa_store(&map->pages, index, folio, GFP_KERNEL_ACCOUNT))) {
		folio_put(folio);
		spm_group_uncharge(grp, node->nid, false);
		return VM_FAULT_OOM;
	}
	folio_change_private(folio, grp);
	*foliop = folio;
	return 0;
}

static vm_fault_t spm_vm_fault(struct vm_fault *vmf)
{
	struct spm_mapping *map = vmf->vma->vm_private_data;
	struct folio *folio;
	vm_fault_t ret;

	guard(mutex)(&map->lock);
	folio = xa_load(&map->pages, vmf->pgoff);
	if (!folio) {
		ret = spm_mapping_alloc(map, vmf->vma, vmf->pgoff, &folio);
		if (ret)
			return ret;
	}
	folio_get(folio);
	vmf->page = folio_page(folio, 0);
	return 0;
}

static const struct vm_operations_struct spm_vm_ops = {
	.open = spm_vm_open,
	.close = spm_vm_close,
	.fault = spm_vm_fault,
};

static int spm_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct spm_node *node = file->private_data;
	struct spm_mapping *map;
	int ret;

	/* MAP_SHARED of a file opened read-only has VM_MAYSHARE, not VM_SHARED */
	if (!(vma->vm_flags & VM_MAYSHARE) || vma->vm_pgoff)
		return -EINVAL;
	if (READ_ONCE(node->dying))
		return -ENODEV;
	ret = spm_group_check(node->nid);
	if (ret)
		return ret;

	map = kzalloc(sizeof(*map), GFP_KERNEL_ACCOUNT);
	if (!map)
		return -ENOMEM;
	/* moved out of its group since the check: that group granted the node */
	map->group = spm_group_get();
	if (!map->group) {
		kfree(map);
		return -EPERM;
	}
	kref_init(&map->ref);
	mutex_init(&map->lock);
	xa_init(&map->pages);
	get_device(&node->dev);
	map->node = node;

	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_private_data = map;
	vma->vm_ops = &spm_vm_ops;
	return 0;
}

static int spm_open(struct inode *inode, struct file *file)
{
	struct spm_node *node = container_of(inode->i_cdev, struct spm_node, cdev);

	get_device(&node->dev);
	file->private_data = node;
	return 0;
}

static int spm_release(struct inode *inode, struct file *file)
{
	struct spm_node *node = file->private_data;

	put_device(&node->dev);
	return 0;
}

static const struct file_operations spm_fops = {
	.owner = THIS_MODULE,
	.open = spm_open,
	.release = spm_release,
	.mmap = spm_mmap,
	.llseek = noop_llseek,
};

/* Who may use a node is up to the policy groups, not the file mode */
static char *spm_devnode(const struct device *dev, umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	if (mode)
		*mode = 0666;
	return NULL;
}

static const struct device_type spm_user_map_type = {
	.name = "spm_user_map",
	.devnode = spm_devnode,
};

/**
 * spm_node_add - Add a node's device, with /dev/spm<nid> if it allows user mappings
 * @node: the node, initialised
 *
 * Return: 0 or the error of adding the device.
 */
int spm_node_add(struct spm_node *node)
{
	if (!(node->caps & SPM_CAP_USER_MAP))
		return device_add(&node->dev);
	node->dev.devt = MKDEV(MAJOR(spm_devt), node->nid);
	node->dev.type = &spm_user_map_type;
	cdev_init(&node->cdev, &spm_fops);
	return cdev_device_add(&node->cdev, &node->dev);
}

/**
 * spm_node_del - Undo spm_node_add()
 * @node: the node
 *
 * Open files and mappings keep the node's memory (struct spm_node) alive.
 */
void spm_node_del(struct spm_node *node)
{
	if (node->caps & SPM_CAP_USER_MAP)
		cdev_device_del(&node->cdev, &node->dev);
	else
		device_del(&node->dev);
}

static int __init spm_mmap_init(void)
{
	return alloc_chrdev_region(&spm_devt, 0, MAX_NUMNODES, "spm");
}
postcore_initcall(spm_mmap_init);
