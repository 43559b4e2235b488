// SPDX-License-Identifier: GPL-2.0
/*
 * numasys - ask the kernel, not libnuma, to put memory on a node.
 *
 * Calls set_mempolicy(MPOL_BIND), mbind(MPOL_BIND), migrate_pages() and
 * move_pages() naming NODE, with raw system calls so no library filters
 * the request first, and prints one line per call: "<call> ok" or
 * "<call> <errno name>" (move_pages: the page's status). Exits 0 if every
 * call was refused, 1 if any succeeded.
 *
 * numasys -m NODE names NODE beside node 0 instead: set_mempolicy(MPOL_BIND)
 * with the mask {0, NODE}, and set_mempolicy_home_node(NODE) on a range
 * mbind()ed to node 0. Each line says whether the call took and where a page
 * touched under it went: "<call> <ok|errno name> on=<node>". Exits 0 if no
 * page went to NODE, 1 if one did.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_NODES	1024
#define MASK_WORDS	(MAX_NODES / (8 * sizeof(unsigned long)))

static int report(const char *call, long ret, int err)
{
	if (!ret) {
		printf("%s ok\n", call);
		return 1;
	}
	printf("%s %s\n", call, strerrorname_np(err));
	return 0;
}

#ifndef SYS_set_mempolicy_home_node
#define SYS_set_mempolicy_home_node 450
#endif

/* The node of a new page at @buf, touched now */
static int touched_node(char *buf)
{
	void *pages[1] = { buf };
	int status = -1;

	buf[0] = 1;
	syscall(SYS_move_pages, 0, 1UL, pages, NULL, &status, 0);
	return status;
}

/* numasys -m NODE: NODE named beside node 0 */
static int mixed(int node, long page)
{
	unsigned long mask[MASK_WORDS] = { 1 };	/* node 0 */
	int on, err, bad = 0;
	char *buf;
	long ret;

	mask[node / (8 * sizeof(long))] |= 1UL << (node % (8 * sizeof(long)));
	ret = syscall(SYS_set_mempolicy, MPOL_BIND, mask, MAX_NODES);
	err = errno;
	buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 2;
	on = touched_node(buf);
	syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0);
	printf("mixed_bind %s on=%d\n", ret ? strerrorname_np(err) : "ok", on);
	bad += on == node;

	memset(mask, 0, sizeof(mask));
	mask[0] = 1;
	if (syscall(SYS_mbind, buf + page, page, MPOL_BIND, mask, MAX_NODES, 0))
		return 2;
	ret = syscall(SYS_set_mempolicy_home_node, buf + page, page, node, 0);
	err = errno;
	on = touched_node(buf + page);
	printf("home_node %s on=%d\n", ret ? strerrorname_np(err) : "ok", on);
	bad += on == node;
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long mask[MASK_WORDS] = { 0 }, from[MASK_WORDS] = { 0 };
	long page = sysconf(_SC_PAGESIZE);
	int node, status = 0, bad = 0;
	void *pages[1];
	char *buf;
	long ret;

	if (argc == 3 && !strcmp(argv[1], "-m")) {
		node = atoi(argv[2]);
		return node > 0 && node < MAX_NODES ? mixed(node, page) : 2;
	}
	node = argc == 2 ? atoi(argv[1]) : -1;
	if (node < 0 || node >= MAX_NODES) {
		fprintf(stderr, "usage: numasys [-m] NODE\n");
		return 2;
	}
	mask[node / (8 * sizeof(long))] |= 1UL << (node % (8 * sizeof(long)));
	from[0] = 1;	/* node 0 */

	ret = syscall(SYS_set_mempolicy, MPOL_BIND, mask, MAX_NODES);
	bad += report("set_mempolicy", ret, errno);
	syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0);

	buf = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 2;
	ret = syscall(SYS_mbind, buf, page, MPOL_BIND, mask, MAX_NODES, MPOL_MF_MOVE);
	bad += report("mbind", ret, errno);

	ret = syscall(SYS_migrate_pages, 0, MAX_NODES, from, mask);
	/* returns the number of pages it could not move, or -1 */
	bad += report("migrate_pages", ret < 0 ? -1 : 0, errno);

	buf[0] = 1;
	pages[0] = buf;
	ret = syscall(SYS_move_pages, 0, 1UL, pages, &node, &status, MPOL_MF_MOVE);
	if (ret)
		bad += report("move_pages", ret, errno);
	else
		bad += report("move_pages", status >= 0 ? 0 : -1, -status);
	return bad ? 1 : 0;
}
