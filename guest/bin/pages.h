/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the guest helper programs: which node a mapping's pages are on. */
#ifndef _SPM_GUEST_PAGES_H
#define _SPM_GUEST_PAGES_H

#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * How many of the pages [@from, @to) of @buf are on @node, as one
 * move_pages() call says; the index of the first of them goes to @first
 * (-1 if none) unless @first is NULL
 */
static inline unsigned long pages_on_node_first(char *buf, long page, unsigned long from,
						unsigned long to, int node, long *first)
{
	unsigned long i, n = to - from, count = 0;
	void **addr = calloc(n ? n : 1, sizeof(*addr));
	int *status = calloc(n ? n : 1, sizeof(*status));

	if (!addr || !status)
		exit(1);
	for (i = 0; i < n; i++)
		addr[i] = buf + (from + i) * page;
	if (first)
		*first = -1;
	if (n && syscall(SYS_move_pages, 0, n, addr, NULL, status, 0) == 0)
		for (i = 0; i < n; i++) {
			if (status[i] != node)
				continue;
			if (first && !count)
				*first = from + i;
			count++;
		}
	free(addr);
	free(status);
	return count;
}

static inline unsigned long pages_on_node(char *buf, long page, unsigned long from,
					  unsigned long to, int node)
{
	return pages_on_node_first(buf, page, from, to, node, NULL);
}

#endif /* _SPM_GUEST_PAGES_H */
