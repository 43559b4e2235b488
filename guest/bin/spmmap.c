// SPDX-License-Identifier: GPL-2.0
/*
 * spmmap - allocate user memory on an SPM node through /dev/spm<NODE>.
 *
 * spmmap [-p] [-o] [-r] [-w MORE] NODE PAGES
 *
 * Maps PAGES pages of /dev/spmNODE (MAP_SHARED; -p: MAP_PRIVATE, -o: at
 * offset one page, both for testing refusals), writes a stamp into each
 * page until one raises SIGBUS, checks the stamps and asks move_pages()
 * where the pages are. With -r it opens the device read-only, maps it
 * PROT_READ, reads each page instead and checks that it reads as zeroes.
 * Prints one line:
 *
 *	mmap=ok touched=T sigbus=0|1 intact=I on_node=N
 *
 * or "mmap=<errno name>" (exit 2) if mmap() fails. With -w it then prints
 * "more=<address of the MORE further pages>" and "ready", waits for
 * SIGUSR1, checks the first T pages again and touches MORE further pages
 * (another process may have written them meanwhile):
 *
 *	again intact=I touched=T sigbus=0|1
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pages.h"

/* touch() state, global so that nothing local lives across sigsetjmp() */
static sigjmp_buf bus_jmp;
static char *bus_base;
static long bus_page;
static unsigned long bus_index, bus_end;
static int bus_hit;
static int reading;

/* The page that raised SIGBUS, from its address */
static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	bus_index = ((char *)si->si_addr - bus_base) / bus_page;
	siglongjmp(bus_jmp, 1);
}

static unsigned long stamp(unsigned long i)
{
	return 0x5350ul << 48 | i;
}

/* Write stamps into pages [from, to) until SIGBUS (bus_hit); return the first not written */
static unsigned long touch(char *buf, long page, unsigned long from, unsigned long to)
{
	bus_base = buf;
	bus_page = page;
	bus_index = from;
	bus_end = to;
	bus_hit = sigsetjmp(bus_jmp, 1);
	if (bus_hit)
		return bus_index;
	for (; bus_index < bus_end; bus_index++) {
		unsigned long *word = (unsigned long *)(bus_base + bus_index * bus_page);

		if (reading)
			(void)__atomic_load_n(word, __ATOMIC_RELAXED);
		else
			*word = stamp(bus_index);
	}
	return bus_end;
}

static unsigned long intact(char *buf, long page, unsigned long n)
{
	unsigned long i, good = 0;

	for (i = 0; i < n; i++)
		good += *(unsigned long *)(buf + i * page) == (reading ? 0 : stamp(i));
	return good;
}

int main(int argc, char **argv)
{
	int opt, fd, node, flags = MAP_SHARED, mode = O_RDWR, prot = PROT_READ | PROT_WRITE;
	long page = sysconf(_SC_PAGESIZE);
	unsigned long pages, more = 0, done, again;
	off_t offset = 0;
	char path[32], *buf;
	struct sigaction sa = { 0 };
	sigset_t usr1;
	int wait = 0, sig;

	while ((opt = getopt(argc, argv, "porw:")) != -1) {
		switch (opt) {
		case 'p':
			flags = MAP_PRIVATE;
			break;
		case 'o':
			offset = page;
			break;
		case 'r':
			reading = 1;
			mode = O_RDONLY;
			prot = PROT_READ;
			break;
		case 'w':
			wait = 1;
			more = strtoul(optarg, NULL, 0);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 2)
		goto usage;
	node = atoi(argv[optind]);
	pages = strtoul(argv[optind + 1], NULL, 0);

	snprintf(path, sizeof(path), "/dev/spm%d", node);
	fd = open(path, mode);
	if (fd < 0) {
		printf("open=%s\n", strerrorname_np(errno));
		return 2;
	}
	buf = mmap(NULL, (pages + more) * page, prot, flags, fd, offset);
	if (buf == MAP_FAILED) {
		printf("mmap=%s\n", strerrorname_np(errno));
		return 2;
	}
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);

	done = touch(buf, page, 0, pages);
	printf("mmap=ok touched=%lu sigbus=%d intact=%lu on_node=%lu\n", done, bus_hit,
	       intact(buf, page, done), pages_on_node(buf, page, 0, done, node));
	if (!wait)
		return 0;

	printf("more=%p\nready\n", (void *)(buf + pages * page));
	fflush(stdout);
	sigwait(&usr1, &sig);
	again = intact(buf, page, done);
	done = touch(buf, page, pages, pages + more) - pages;
	printf("again intact=%lu touched=%lu sigbus=%d\n", again, done, bus_hit);
	return 0;

usage:
	fprintf(stderr, "usage: spmmap [-p] [-o] [-r] [-w MORE] NODE PAGES\n");
	return 1;
}
