// SPDX-License-Identifier: GPL-2.0
/*
 * memhog - hold a given amount of anonymous memory until told to stop.
 *
 * Maps MIB MiB of private anonymous memory, writes every page, prints
 * "ready MIB" on stdout and then waits for SIGTERM or SIGINT. Used to put a
 * node under memory pressure while a test samples where pages landed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long mib, len, off;
	char *end, *buf;
	sigset_t stop;
	int sig;

	if (argc != 2) {
		fprintf(stderr, "usage: memhog MIB\n");
		return 2;
	}
	errno = 0;
	mib = strtoul(argv[1], &end, 10);
	if (errno || *end || !mib) {
		fprintf(stderr, "memhog: '%s' is not a positive size in MiB\n", argv[1]);
		return 2;
	}
	len = mib << 20;

	/* taken synchronously by sigwait() once the memory is held */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, NULL);

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		fprintf(stderr, "memhog: mmap %lu MiB: %s\n", mib, strerror(errno));
		return 1;
	}
	for (off = 0; off < len; off += page)
		buf[off] = (char)(off / page);

	printf("ready %lu\n", mib);
	fflush(stdout);
	return sigwait(&stop, &sig) ? 1 : 0;
}
