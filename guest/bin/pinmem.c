// SPDX-License-Identifier: GPL-2.0
/*
 * pinmem - map memory of an SPM node and have a driver pin it long-term.
 *
 * pinmem NODE PAGES PINFILE
 *
 * Maps PAGES pages of /dev/spmNODE (MAP_SHARED), writes a stamp into each,
 * then writes "ADDR LEN" of the mapping to PINFILE (a driver's debugfs
 * "pin" file, which pins the writer's memory as for DMA) and reads back
 * what it pinned. Prints:
 *
 *	mapped on_node=N
 *	pin=ok|<errno name> <what PINFILE reads> on_node=N
 *	ready
 *
 * then waits for SIGUSR1, checks the stamps and prints "again intact=I".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pages.h"

static unsigned long stamp(unsigned long i)
{
	return 0x504eul << 48 | i;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long pages, i, good = 0;
	char path[32], req[64], got[64] = "";
	const char *pin = "ok";
	sigset_t usr1;
	int fd, node, sig;
	ssize_t n;
	char *buf;

	if (argc != 4) {
		fprintf(stderr, "usage: pinmem NODE PAGES PINFILE\n");
		return 1;
	}
	node = atoi(argv[1]);
	pages = strtoul(argv[2], NULL, 0);
	if (!pages)
		return 1;
	snprintf(path, sizeof(path), "/dev/spm%d", node);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		printf("open=%s\n", strerrorname_np(errno));
		return 2;
	}
	buf = mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (buf == MAP_FAILED) {
		printf("mmap=%s\n", strerrorname_np(errno));
		return 2;
	}
	for (i = 0; i < pages; i++)
		*(unsigned long *)(buf + i * page) = stamp(i);
	printf("mapped on_node=%lu\n", pages_on_node(buf, page, 0, pages, node));

	fd = open(argv[3], O_RDWR);
	if (fd < 0) {
		printf("pin=%s\n", strerrorname_np(errno));
		return 2;
	}
	snprintf(req, sizeof(req), "%lx %lu", (unsigned long)buf, pages * page);
	if (write(fd, req, strlen(req)) < 0)
		pin = strerrorname_np(errno);
	n = pread(fd, got, sizeof(got) - 1, 0);
	if (n > 0)
		got[n - (got[n - 1] == '\n')] = '\0';
	printf("pin=%s %s on_node=%lu\nready\n", pin, got,
	       pages_on_node(buf, page, 0, pages, node));
	fflush(stdout);

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	sigwait(&usr1, &sig);
	for (i = 0; i < pages; i++)
		good += *(unsigned long *)(buf + i * page) == stamp(i);
	printf("again intact=%lu\n", good);
	return 0;
}
