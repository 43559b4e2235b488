// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for SPM registration: every malformed description is refused
 * with the right error before any memory is touched, and nothing gets
 * registered.
 */
#include <kunit/test.h>
#include <linux/memory.h>
#include <linux/nodemask.h>
#include <linux/spm.h>

/* A possible node without System RAM, where a valid range could go */
static int spm_test_free_node(void)
{
	int nid;

	for_each_node_state(nid, N_POSSIBLE)
		if (!node_state(nid, N_MEMORY) && !node_state(nid, N_SPM))
			return nid;
	return NUMA_NO_NODE;
}

enum spm_test_ranges {
	RANGES_ONE,		/* one valid, block-aligned range */
	RANGES_NONE,
	RANGES_TOO_MANY,
	RANGES_EMPTY,
	RANGES_UNALIGNED,
	RANGES_OVERLAP,
};

struct spm_bad_case {
	const char *what;
	struct spm_desc desc;	/* .nid == -2: a possible node without memory */
	enum spm_test_ranges ranges;
	int err;
};

/* Far above the VM's memory and aligned to any memory block size */
#define SPM_TEST_BASE	0x1000000000ULL

static void spm_test_fill(struct kunit *test, struct spm_bad_case *c, int nid)
{
	u64 block = memory_block_size_bytes();
	struct spm_range *r;

	r = kunit_kcalloc(test, 2, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r[0] = (struct spm_range){ SPM_TEST_BASE, block };
	r[1] = (struct spm_range){ SPM_TEST_BASE + 2 * block, block };
	c->desc.ranges = r;
	c->desc.nr_ranges = 1;
	switch (c->ranges) {
	case RANGES_ONE:
		break;
	case RANGES_NONE:
		c->desc.ranges = NULL;
		c->desc.nr_ranges = 0;
		break;
	case RANGES_TOO_MANY:
		c->desc.nr_ranges = 1000;
		break;
	case RANGES_EMPTY:
		r[0].size = 0;
		break;
	case RANGES_UNALIGNED:
		r[0].start += PAGE_SIZE;
		break;
	case RANGES_OVERLAP:
		r[1].start = SPM_TEST_BASE;
		c->desc.nr_ranges = 2;
		break;
	}
	if (c->desc.nid == -2)
		c->desc.nid = nid;
}

static const struct spm_bad_case spm_bad_cases[] = {
	{ "no name", { .name = "", .nid = -2 }, RANGES_ONE, -EINVAL },
	{ "name too long", { .name = "0123456789abcdef0123456789abcdef", .nid = -2 },
	  RANGES_ONE, -EINVAL },
	{ "unknown class", { .name = "t", .class = SPM_CLASS_MAX, .nid = -2 },
	  RANGES_ONE, -EINVAL },
	{ "unknown capability", { .name = "t", .caps = BIT(20), .nid = -2 },
	  RANGES_ONE, -EINVAL },
	{ "accelerator as demotion target", { .name = "t", .class = SPM_CLASS_ACCEL,
					      .caps = SPM_CAP_DEMOTION, .nid = -2 },
	  RANGES_ONE, -EINVAL },
	{ "demotion without migration", { .name = "t", .caps = SPM_CAP_DEMOTION, .nid = -2 },
	  RANGES_ONE, -EINVAL },
	{ "write-protect without demotion", { .name = "t", .caps = SPM_CAP_WRITE_PROTECT,
					      .nid = -2 },
	  RANGES_ONE, -EINVAL },
	{ "write-protect with user_map", { .name = "t", .caps = SPM_CAP_WRITE_PROTECT |
					   SPM_CAP_DEMOTION | SPM_CAP_MIGRATION | SPM_CAP_USER_MAP,
					   .nid = -2 },
	  RANGES_ONE, -EINVAL },
	{ "write-protect with reclaim", { .name = "t", .caps = SPM_CAP_WRITE_PROTECT |
					  SPM_CAP_DEMOTION | SPM_CAP_MIGRATION | SPM_CAP_RECLAIM,
					  .nid = -2 },
	  RANGES_ONE, -EINVAL },
	{ "capability not supported yet", { .name = "t", .caps = SPM_CAP_RECLAIM, .nid = -2 },
	  RANGES_ONE, -EOPNOTSUPP },
	{ "negative node", { .name = "t", .nid = -1 }, RANGES_ONE, -EINVAL },
	{ "node out of range", { .name = "t", .nid = MAX_NUMNODES }, RANGES_ONE, -EINVAL },
	{ "node with System RAM", { .name = "t", .nid = 0 }, RANGES_ONE, -EBUSY },
	{ "no ranges", { .name = "t", .nid = -2 }, RANGES_NONE, -EINVAL },
	{ "too many ranges", { .name = "t", .nid = -2 }, RANGES_TOO_MANY, -EINVAL },
	{ "empty range", { .name = "t", .nid = -2 }, RANGES_EMPTY, -EINVAL },
	{ "unaligned range", { .name = "t", .nid = -2 }, RANGES_UNALIGNED, -EINVAL },
	{ "overlapping ranges", { .name = "t", .nid = -2 }, RANGES_OVERLAP, -EINVAL },
};

static void spm_bad_case_desc(const struct spm_bad_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spm_bad, spm_bad_cases, spm_bad_case_desc);

static void spm_register_refuses(struct kunit *test)
{
	struct spm_bad_case c = *(const struct spm_bad_case *)test->param_value;
	int nid = spm_test_free_node();
	struct spm_node *node;

	/* without one, node checks come first and mask the range checks */
	if (nid == NUMA_NO_NODE && c.desc.nid == -2)
		kunit_skip(test, "no possible node without memory");
	spm_test_fill(test, &c, nid);

	node = spm_register(NULL, &c.desc);
	KUNIT_ASSERT_TRUE(test, IS_ERR(node));
	KUNIT_EXPECT_EQ(test, PTR_ERR(node), c.err);
	/* nothing was hot-added: the node's type is still open */
	if (nid != NUMA_NO_NODE)
		KUNIT_EXPECT_FALSE(test, node_state(nid, N_SPM));
}

static void spm_register_null(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, PTR_ERR(spm_register(NULL, NULL)), -EINVAL);
}

static struct kunit_case spm_register_cases[] = {
	KUNIT_CASE(spm_register_null),
	KUNIT_CASE_PARAM(spm_register_refuses, spm_bad_gen_params),
	{}
};

static struct kunit_suite spm_register_suite = {
	.name = "spm_register",
	.test_cases = spm_register_cases,
};

kunit_test_suite(spm_register_suite);

MODULE_DESCRIPTION("KUnit tests for SPM registration");
MODULE_LICENSE("GPL");
