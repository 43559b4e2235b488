// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison - poison one page of a task's memory on a node, and look at
 * what is left.
 *
 * hwpoison NODE PAGES INDEX
 *
 * Prefers NODE with a raw set_mempolicy(MPOL_PREFERRED), maps PAGES
 * anonymous pages, writes a stamp into each, reads the physical frame of
 * page INDEX from /proc/self/pagemap and poisons that page with
 * madvise(MADV_HWPOISON) (CAP_SYS_ADMIN). Then checks the other pages'
 * stamps and where they are, and touches page INDEX again. Prints:
 *
 *	before on_node=N pfn=0x...
 *	madvise=ok sigbus=S code=C intact=I on_node=N again=sigbus|read
 *
 * S is the number of SIGBUS the poisoning raised, C the last one's si_code
 * (BUS_MCEERR_AR: 4), I and N count the pages other than INDEX. Exit 2
 * with "policy=", "pagemap=" or "madvise=<errno name>" when those fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <numaif.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pages.h"

static sigjmp_buf bus_jmp;
static sig_atomic_t bus_jump, bus_count, bus_code;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	bus_count++;
	bus_code = si->si_code;
	if (bus_jump)
		siglongjmp(bus_jmp, 1);
}

static unsigned long stamp(unsigned long i)
{
	return 0x4850ul << 48 | i;
}

static int pfn_of(void *addr, long page, unsigned long long *pfn)
{
	unsigned long long entry;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return -1;
	if (pread(fd, &entry, sizeof(entry), (uintptr_t)addr / page * sizeof(entry)) !=
	    sizeof(entry) || !(entry >> 63)) {
		close(fd);
		errno = ENOENT;
		return -1;
	}
	close(fd);
	*pfn = entry & ((1ull << 55) - 1);
	return 0;
}

/* Pages other than @skip that are on @node; stamps intact in *@good */
static unsigned long count(char *buf, long page, unsigned long n, unsigned long skip,
			   int node, unsigned long *good)
{
	unsigned long i;

	*good = 0;
	for (i = 0; i < n; i++)
		if (i != skip)
			*good += *(unsigned long *)(buf + i * page) == stamp(i);
	if (skip >= n)
		return pages_on_node(buf, page, 0, n, node);
	return pages_on_node(buf, page, 0, skip, node) +
	       pages_on_node(buf, page, skip + 1, n, node);
}

int main(int argc, char **argv)
{
	unsigned long mask[16] = { 0 }, pages, index, i, good, on;
	long page = sysconf(_SC_PAGESIZE);
	struct sigaction sa = { 0 };
	static const char *again = "read";	/* set after siglongjmp() */
	unsigned long long pfn;
	char *buf;
	int node;

	if (argc != 4) {
		fprintf(stderr, "usage: hwpoison NODE PAGES INDEX\n");
		return 1;
	}
	node = atoi(argv[1]);
	pages = strtoul(argv[2], NULL, 0);
	index = strtoul(argv[3], NULL, 0);
	if (node < 0 || node >= 1024 || !pages || index >= pages) {
		fprintf(stderr, "hwpoison: bad NODE, PAGES or INDEX\n");
		return 1;
	}

	mask[node / 64] = 1ul << (node % 64);
	if (syscall(SYS_set_mempolicy, MPOL_PREFERRED, mask, 1024)) {
		printf("policy=%s\n", strerrorname_np(errno));
		return 2;
	}
	buf = mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (buf == MAP_FAILED)
		return 1;
	for (i = 0; i < pages; i++)
		*(unsigned long *)(buf + i * page) = stamp(i);
	if (pfn_of(buf + index * page, page, &pfn)) {
		printf("pagemap=%s\n", strerrorname_np(errno));
		return 2;
	}
	on = count(buf, page, pages, pages, node, &good);
	printf("before on_node=%lu pfn=%#llx\n", on, pfn);
	fflush(stdout);

	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	if (madvise(buf + index * page, page, MADV_HWPOISON)) {
		printf("madvise=%s\n", strerrorname_np(errno));
		return 2;
	}
	on = count(buf, page, pages, index, node, &good);
	printf("madvise=ok sigbus=%d code=%d intact=%lu on_node=%lu", bus_count, bus_code,
	       good, on);

	bus_jump = 1;
	if (sigsetjmp(bus_jmp, 1))
		again = "sigbus";
	else
		(void)__atomic_load_n((unsigned long *)(buf + index * page), __ATOMIC_RELAXED);
	printf(" again=%s\n", again);
	return 0;
}
