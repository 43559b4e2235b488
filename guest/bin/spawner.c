// SPDX-License-Identifier: GPL-2.0
/*
 * spawner - create tasks one after another, as fast as it can, while a test
 * moves them between policy groups.
 *
 * spawner threads|forks N
 *
 * Creates N threads of its own process, or N child processes, one at a
 * time; each sleeps until the spawner's process group is killed. Prints
 * "started pid=P" before the first and "done count=N" after the last.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	int threads, i, n;
	pthread_t t;

	n = argc == 3 ? atoi(argv[2]) : 0;
	if (n <= 0 || (strcmp(argv[1], "threads") && strcmp(argv[1], "forks"))) {
		fprintf(stderr, "usage: spawner threads|forks N\n");
		return 1;
	}
	threads = !strcmp(argv[1], "threads");
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("started pid=%d\n", getpid());
	for (i = 0; i < n; i++) {
		if (threads) {
			errno = pthread_create(&t, NULL, sleeper, NULL);
			if (errno)
				break;
			continue;
		}
		switch (fork()) {
		case -1:
			break;
		case 0:
			for (;;)
				pause();
		default:
			continue;
		}
		break;
	}
	if (i < n) {
		fprintf(stderr, "spawner: %s after %d\n", strerror(errno), i);
		return 1;
	}
	printf("done count=%d\n", n);
	for (;;)
		pause();
}
