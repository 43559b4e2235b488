// SPDX-License-Identifier: GPL-2.0
/*
 * fdwrite - write through a file descriptor another task opened.
 *
 * fdwrite PID FD STRING
 *
 * Takes a copy of file descriptor FD of task PID with pidfd_getfd() and
 * writes STRING to it, to test that a file judges a write by the
 * credentials of whoever opened it, not of whoever writes. Prints
 * "write=ok", or "write=<errno name>" (exit 2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int pidfd, fd;

	if (argc != 4) {
		fprintf(stderr, "usage: fdwrite PID FD STRING\n");
		return 1;
	}
	pidfd = syscall(SYS_pidfd_open, atoi(argv[1]), 0);
	if (pidfd < 0) {
		printf("pidfd_open=%s\n", strerrorname_np(errno));
		return 2;
	}
	fd = syscall(SYS_pidfd_getfd, pidfd, atoi(argv[2]), 0);
	if (fd < 0) {
		printf("pidfd_getfd=%s\n", strerrorname_np(errno));
		return 2;
	}
	if (write(fd, argv[3], strlen(argv[3])) < 0) {
		printf("write=%s\n", strerrorname_np(errno));
		return 2;
	}
	printf("write=ok\n");
	return 0;
}
