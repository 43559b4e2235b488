// SPDX-License-Identifier: GPL-2.0
/*
 * faultbench - page-fault, allocation and free throughput.
 *
 * Maps MIB MiB of private anonymous memory (small pages: THP off for the
 * mapping), writes one byte per page so every page is faulted in and
 * allocated, unmaps it so every page is freed, ROUNDS times. Prints
 * "faults_per_sec N" for the whole run. Node placement is left to the
 * caller (numactl).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static unsigned long parse(const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	return errno || end == s || *end ? 0 : v;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long mib, rounds, len, off, r;
	struct timespec t0, t1;
	double secs;
	char *buf;

	mib = argc == 3 ? parse(argv[1]) : 0;
	rounds = argc == 3 ? parse(argv[2]) : 0;
	if (!mib || !rounds) {
		fprintf(stderr, "usage: faultbench MIB ROUNDS\n");
		return 2;
	}
	len = mib << 20;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 0; r < rounds; r++) {
		buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (buf == MAP_FAILED) {
			perror("faultbench: mmap");
			return 1;
		}
		madvise(buf, len, MADV_NOHUGEPAGE);
		for (off = 0; off < len; off += page)
			buf[off] = 1;
		munmap(buf, len);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("faults_per_sec %.0f\n", rounds * (len / page) / secs);
	return 0;
}
