// SPDX-License-Identifier: GPL-2.0
/*
 * ioupin - pin memory long-term the way io_uring fixed buffers do.
 *
 * ioupin NODE PAGES
 *
 * Prefers NODE with a raw set_mempolicy(MPOL_PREFERRED), maps PAGES
 * anonymous pages, writes a stamp into each and registers them as an
 * io_uring fixed buffer (IORING_REGISTER_BUFFERS pins them with
 * FOLL_LONGTERM). Prints:
 *
 *	before on_node=N
 *	register=ok|<errno name> on_node=N intact=I
 *	ready
 *
 * then, while the buffer stays registered, waits for SIGUSR1 and prints
 * "again on_node=N intact=I". "policy=<errno name>" (exit 2) if the
 * policy is refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/io_uring.h>
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

static unsigned long stamp(unsigned long i)
{
	return 0x494ful << 48 | i;
}

static unsigned long intact(char *buf, long page, unsigned long n)
{
	unsigned long i, good = 0;

	for (i = 0; i < n; i++)
		good += *(unsigned long *)(buf + i * page) == stamp(i);
	return good;
}

int main(int argc, char **argv)
{
	unsigned long mask[16] = { 0 }, pages, i;
	long page = sysconf(_SC_PAGESIZE);
	struct io_uring_params params = { 0 };
	const char *reg = "ok";
	struct iovec iov;
	sigset_t usr1;
	int ring, node, sig;
	char *buf;

	if (argc != 3) {
		fprintf(stderr, "usage: ioupin NODE PAGES\n");
		return 1;
	}
	node = atoi(argv[1]);
	pages = strtoul(argv[2], NULL, 0);
	if (node < 0 || node >= 1024 || !pages) {
		fprintf(stderr, "ioupin: bad NODE or PAGES\n");
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
	printf("before on_node=%lu\n", pages_on_node(buf, page, 0, pages, node));

	ring = syscall(SYS_io_uring_setup, 1, &params);
	iov.iov_base = buf;
	iov.iov_len = pages * page;
	if (ring < 0 || syscall(SYS_io_uring_register, ring, IORING_REGISTER_BUFFERS, &iov, 1))
		reg = strerrorname_np(errno);
	printf("register=%s on_node=%lu intact=%lu\nready\n", reg,
	       pages_on_node(buf, page, 0, pages, node), intact(buf, page, pages));
	fflush(stdout);

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	sigwait(&usr1, &sig);
	printf("again on_node=%lu intact=%lu\n", pages_on_node(buf, page, 0, pages, node),
	       intact(buf, page, pages));
	return 0;
}
