// SPDX-License-Identifier: GPL-2.0
/*
 * prefmem - anonymous memory under a memory policy naming one node.
 *
 * prefmem [-b] [-H] [-M] [-s SPLICED] [-w MORE] NODE PAGES
 * prefmem [-b] -e NODE CMD [ARG...]
 *
 * Sets the task's policy to MPOL_PREFERRED (-b: MPOL_BIND) on NODE with a
 * raw set_mempolicy(), maps PAGES anonymous pages, writes a stamp into
 * each and asks move_pages() where they are. Prints one line:
 *
 *	policy=ok touched=T intact=I on_node=N
 *
 * or "policy=<errno name>" (exit 2) if set_mempolicy() fails. With -w it
 * then prints "more=<address of the MORE untouched pages>" and "ready",
 * waits for SIGUSR1, checks the pages again, touches MORE further pages
 * and prints:
 *
 *	again intact=I on_node=N more_on_node=M
 *
 * With -H the pages are 2 MiB hugetlb pages (MAP_HUGETLB); with -M they are
 * offered to KSM (MADV_MERGEABLE) once written: page i holds the same
 * contents in every prefmem. With -s the first SPLICED pages are
 * vmsplice()d into a pipe once written, so the pipe holds a reference to
 * each (a short-term pin) until the first SIGUSR1, which empties the pipe,
 * prints "unspliced" and waits for a second SIGUSR1. With -e it
 * runs CMD under the policy instead (exec, so CMD is the task
 * whose policy names NODE).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <numaif.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pages.h"

#define MASK_WORDS	16	/* 1024 nodes */

static unsigned long stamp(unsigned long i)
{
	return 0x5052ul << 48 | i;
}

static void touch(char *buf, long page, unsigned long from, unsigned long to)
{
	unsigned long i;

	for (i = from; i < to; i++)
		*(unsigned long *)(buf + i * page) = stamp(i);
}

static unsigned long intact(char *buf, long page, unsigned long n)
{
	unsigned long i, good = 0;

	for (i = 0; i < n; i++)
		good += *(unsigned long *)(buf + i * page) == stamp(i);
	return good;
}

/* vmsplice() @n pages of @buf into a new pipe: each stays referenced by it */
static int splice_pages(char *buf, long page, unsigned long n, int pipefd[2])
{
	struct iovec iov;
	unsigned long i;

	if (pipe(pipefd) || fcntl(pipefd[1], F_SETPIPE_SZ, n * page) < 0) {
		printf("pipe=%s\n", strerrorname_np(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		iov.iov_base = buf + i * page;
		iov.iov_len = page;
		if (vmsplice(pipefd[1], &iov, 1, 0) != page) {
			printf("vmsplice=%s\n", strerrorname_np(errno));
			return 1;
		}
	}
	return 0;
}

/* Empty the pipe: it drops its references */
static void unsplice(int pipefd[2])
{
	char sink[4096];

	close(pipefd[1]);
	while (read(pipefd[0], sink, sizeof(sink)) > 0)
		;
	close(pipefd[0]);
}

int main(int argc, char **argv)
{
	unsigned long mask[MASK_WORDS] = { 0 }, pages, more = 0, spliced = 0, again;
	long page = sysconf(_SC_PAGESIZE);
	int opt, node, sig, mode = MPOL_PREFERRED, wait = 0, run = 0, huge = 0, merge = 0;
	int pipefd[2];
	sigset_t usr1;
	char *buf;

	while ((opt = getopt(argc, argv, "+beHMs:w:")) != -1) {
		switch (opt) {
		case 'M':
			merge = 1;
			break;
		case 'H':
			huge = MAP_HUGETLB;
			page = 2 << 20;
			break;
		case 'e':
			run = 1;
			break;
		case 'b':
			mode = MPOL_BIND;
			break;
		case 's':
			spliced = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			wait = 1;
			more = strtoul(optarg, NULL, 0);
			break;
		default:
			goto usage;
		}
	}
	if (run ? wait || argc - optind < 2 : argc - optind != 2)
		goto usage;
	if (spliced && !wait)
		goto usage;
	node = atoi(argv[optind]);
	pages = strtoul(argv[optind + 1], NULL, 0);
	if (node < 0 || node >= MASK_WORDS * 64)
		goto usage;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	mask[node / 64] = 1ul << (node % 64);
	if (syscall(SYS_set_mempolicy, mode, mask, MASK_WORDS * 64 + 1)) {
		printf("policy=%s\n", strerrorname_np(errno));
		return 2;
	}
	if (run) {
		sigprocmask(SIG_UNBLOCK, &usr1, NULL);
		execvp(argv[optind + 1], argv + optind + 1);
		fprintf(stderr, "prefmem: %s: %s\n", argv[optind + 1], strerror(errno));
		return 127;
	}
	buf = mmap(NULL, (pages + more) * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | huge, -1, 0);
	if (buf == MAP_FAILED) {
		printf("policy=ok mmap=%s\n", strerrorname_np(errno));
		return 1;
	}

	touch(buf, page, 0, pages);
	if (merge && madvise(buf, (pages + more) * page, MADV_MERGEABLE)) {
		printf("policy=ok madvise=%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("policy=ok touched=%lu intact=%lu on_node=%lu\n", pages,
	       intact(buf, page, pages), pages_on_node(buf, page, 0, pages, node));
	if (!wait)
		return 0;

	if (spliced && splice_pages(buf, page, spliced < pages ? spliced : pages, pipefd))
		return 1;
	printf("more=%p\nready\n", buf + pages * page);
	fflush(stdout);
	sigwait(&usr1, &sig);
	if (spliced) {
		unsplice(pipefd);
		printf("unspliced\n");
		fflush(stdout);
		sigwait(&usr1, &sig);
	}
	again = intact(buf, page, pages);
	touch(buf, page, pages, pages + more);
	printf("again intact=%lu on_node=%lu more_on_node=%lu\n", again,
	       pages_on_node(buf, page, 0, pages, node),
	       pages_on_node(buf, page, pages, pages + more, node));
	return 0;

usage:
	fprintf(stderr, "usage: prefmem [-b] [-H] [-M] [-s SPLICED -w MORE] NODE PAGES\n"
		"       prefmem [-b] -e NODE CMD [ARG...]\n");
	return 1;
}
