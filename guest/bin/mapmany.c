// SPDX-License-Identifier: GPL-2.0
/*
 * mapmany - map one page of a file many times, touching none, so that what
 * the kernel allocates per mapping can be weighed (memory.current).
 *
 * mapmany FILE COUNT
 *
 * Maps the first page of FILE (MAP_SHARED, PROT_READ) COUNT times, each a
 * VMA of its own, prints "mapped=COUNT" and "ready", and waits for a signal.
 * Prints "mmap=<errno name> after=N" (exit 2) if a mapping fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE), i, count;
	int fd;

	count = argc == 3 ? atol(argv[2]) : 0;
	if (count <= 0) {
		fprintf(stderr, "usage: mapmany FILE COUNT\n");
		return 1;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		printf("open=%s\n", strerrorname_np(errno));
		return 2;
	}
	for (i = 0; i < count; i++) {
		if (mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED) {
			printf("mmap=%s after=%ld\n", strerrorname_np(errno), i);
			return 2;
		}
	}
	printf("mapped=%ld\nready\n", count);
	fflush(stdout);
	pause();
	return 0;
}
