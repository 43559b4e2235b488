// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the page allocator's SPM gate, run against a live SPM
 * node: load the module once a node is online (they skip without one).
 * Ordinary allocations that name the node, however they name it, never get
 * its pages; its owner's GFP_SPM_NODE allocations get nothing else; and
 * the node's type holds: System RAM cannot be added to it, nor SPM to a
 * System RAM node.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/spm_node.h>

/* Enough allocations to catch a gate that only sometimes leaks */
#define SPM_GATE_TRIES	64
/*
 * Far above the VM's memory: the node type check refuses before anything
 * is done with the range, and a regression would add a block there that
 * no memory backs, which the test would see (add_memory() returns 0).
 */
#define SPM_GATE_BOGUS_RANGE	0x1000000000ULL

static int spm_gate_node(struct kunit *test)
{
	int nid;

	for_each_node_state(nid, N_SPM)
		return nid;
	kunit_skip(test, "no SPM node online");
	return NUMA_NO_NODE;
}

/* Allocate SPM_GATE_TRIES pages with @alloc; count those on @nid, free all */
static int spm_gate_count(int nid, struct page *(*alloc)(int nid), int *failed)
{
	struct page *pages[SPM_GATE_TRIES];
	int i, on_node = 0;

	*failed = 0;
	for (i = 0; i < SPM_GATE_TRIES; i++) {
		pages[i] = alloc(nid);
		if (!pages[i])
			(*failed)++;
		else if (page_to_nid(pages[i]) == nid)
			on_node++;
	}
	for (i = 0; i < SPM_GATE_TRIES; i++)
		if (pages[i])
			__free_page(pages[i]);
	return on_node;
}

static struct page *alloc_preferred(int nid)
{
	return alloc_pages_node(nid, GFP_KERNEL, 0);
}

static struct page *alloc_thisnode(int nid)
{
	return alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0);
}

static struct page *alloc_possible_mask(int nid)
{
	return __alloc_pages(GFP_KERNEL, 0, nid, &node_states[N_POSSIBLE]);
}

static struct page *alloc_only_this_mask(int nid)
{
	nodemask_t mask = nodemask_of_node(nid);

	return __alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0, nid, &mask);
}

static struct page *alloc_owner(int nid)
{
	return alloc_pages_node(nid, GFP_KERNEL | GFP_SPM_NODE, 0);
}

static void spm_gate_preferred_falls_back(struct kunit *test)
{
	int nid = spm_gate_node(test), failed;

	KUNIT_EXPECT_EQ(test, spm_gate_count(nid, alloc_preferred, &failed), 0);
	KUNIT_EXPECT_EQ(test, failed, 0);
}

static void spm_gate_thisnode_refused(struct kunit *test)
{
	int nid = spm_gate_node(test), failed;

	KUNIT_EXPECT_EQ(test, spm_gate_count(nid, alloc_thisnode, &failed), 0);
	KUNIT_EXPECT_EQ(test, failed, SPM_GATE_TRIES);
}

static void spm_gate_possible_mask(struct kunit *test)
{
	int nid = spm_gate_node(test), failed;

	KUNIT_EXPECT_EQ(test, spm_gate_count(nid, alloc_possible_mask, &failed), 0);
	KUNIT_EXPECT_EQ(test, failed, 0);
}

static void spm_gate_only_this_mask(struct kunit *test)
{
	int nid = spm_gate_node(test), failed;

	KUNIT_EXPECT_EQ(test, spm_gate_count(nid, alloc_only_this_mask, &failed), 0);
}

static void spm_gate_kmalloc_node(struct kunit *test)
{
	int nid = spm_gate_node(test), i, on_node = 0;
	void *p;

	for (i = 0; i < SPM_GATE_TRIES; i++) {
		p = kmalloc_node(PAGE_SIZE * 2, GFP_KERNEL, nid);
		KUNIT_ASSERT_NOT_NULL(test, p);
		on_node += page_to_nid(virt_to_page(p)) == nid;
		kfree(p);
	}
	KUNIT_EXPECT_EQ(test, on_node, 0);
}

static void spm_gate_owner_gets_the_node(struct kunit *test)
{
	int nid = spm_gate_node(test), failed, on_node;

	on_node = spm_gate_count(nid, alloc_owner, &failed);
	/* the owner's admit() may refuse, but never hand out another node */
	KUNIT_EXPECT_EQ(test, on_node + failed, SPM_GATE_TRIES);
	KUNIT_EXPECT_GT(test, on_node, 0);
}

static void spm_gate_bulk(struct kunit *test)
{
	struct page *pages[SPM_GATE_TRIES] = {};
	int nid = spm_gate_node(test), i, got, on_node = 0;

	got = alloc_pages_bulk_array_node(GFP_KERNEL, nid, SPM_GATE_TRIES, pages);
	for (i = 0; i < got; i++) {
		on_node += page_to_nid(pages[i]) == nid;
		__free_page(pages[i]);
	}
	KUNIT_EXPECT_EQ(test, on_node, 0);
}

/*
 * alloc_contig_range() takes a physical range, not a zonelist: it is how
 * gigantic hugetlb pages (through alloc_contig_pages()) and CMA get memory
 * without the buddy allocator's gate. It must refuse an SPM node's range.
 */
#ifdef CONFIG_CONTIG_ALLOC
static void spm_gate_contig_range_refused(struct kunit *test)
{
	int nid = spm_gate_node(test), ret;
	unsigned long pfn = ALIGN(node_start_pfn(nid), pageblock_nr_pages);

	KUNIT_ASSERT_TRUE(test, pfn + pageblock_nr_pages <= node_end_pfn(nid));
	ret = alloc_contig_range(pfn, pfn + pageblock_nr_pages, MIGRATE_MOVABLE,
				 GFP_KERNEL | __GFP_NOWARN);
	if (!ret)
		free_contig_range(pfn, pageblock_nr_pages);
	KUNIT_EXPECT_NE(test, ret, 0);
}
#endif

static void spm_type_no_ram_into_spm(struct kunit *test)
{
	int nid = spm_gate_node(test);

	KUNIT_EXPECT_EQ(test, add_memory(nid, SPM_GATE_BOGUS_RANGE, memory_block_size_bytes(),
					 MHP_NONE), -EBUSY);
	KUNIT_EXPECT_TRUE(test, node_state(nid, N_SPM));
	KUNIT_EXPECT_FALSE(test, node_state(nid, N_MEMORY));
}

static void spm_type_no_spm_into_ram(struct kunit *test)
{
	int nid = first_memory_node;

	spm_gate_node(test);
	KUNIT_EXPECT_EQ(test, add_memory(nid, SPM_GATE_BOGUS_RANGE, memory_block_size_bytes(),
					 MHP_SPM_NODE), -EBUSY);
	KUNIT_EXPECT_FALSE(test, node_state(nid, N_SPM));
}

static struct kunit_case spm_gate_cases[] = {
	KUNIT_CASE(spm_gate_preferred_falls_back),
	KUNIT_CASE(spm_gate_thisnode_refused),
	KUNIT_CASE(spm_gate_possible_mask),
	KUNIT_CASE(spm_gate_only_this_mask),
	KUNIT_CASE(spm_gate_kmalloc_node),
	KUNIT_CASE(spm_gate_owner_gets_the_node),
	KUNIT_CASE(spm_gate_bulk),
#ifdef CONFIG_CONTIG_ALLOC
	KUNIT_CASE(spm_gate_contig_range_refused),
#endif
	KUNIT_CASE(spm_type_no_ram_into_spm),
	KUNIT_CASE(spm_type_no_spm_into_ram),
	{}
};

static struct kunit_suite spm_gate_suite = {
	.name = "spm_gate",
	.test_cases = spm_gate_cases,
};

kunit_test_suite(spm_gate_suite);

MODULE_DESCRIPTION("KUnit tests for the SPM allocator gate, on a live SPM node");
MODULE_LICENSE("GPL");
