// SPDX-License-Identifier: GPL-2.0
/*
 * vmwrite - write into another process's memory, as a debugger or an MPI
 * library does (process_vm_writev(); the kernel faults the pages in, in
 * the target's address space, on behalf of this task).
 *
 * vmwrite PID ADDR BYTES
 *
 * Writes BYTES bytes of 0x5a at ADDR (hex) in process PID and prints
 * "written=N", or "error=<errno name>" (exit 1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

int main(int argc, char **argv)
{
	struct iovec local, remote;
	unsigned long bytes;
	ssize_t n;
	pid_t pid;
	char *buf;

	if (argc != 4) {
		fprintf(stderr, "usage: vmwrite PID ADDR BYTES\n");
		return 2;
	}
	pid = atoi(argv[1]);
	remote.iov_base = (void *)strtoul(argv[2], NULL, 16);
	bytes = strtoul(argv[3], NULL, 0);
	buf = malloc(bytes ? bytes : 1);
	if (!buf || !pid || !bytes) {
		fprintf(stderr, "vmwrite: bad PID or BYTES\n");
		return 2;
	}
	memset(buf, 0x5a, bytes);
	local.iov_base = buf;
	local.iov_len = bytes;
	remote.iov_len = bytes;
	n = process_vm_writev(pid, &local, 1, &remote, 1, 0);
	if (n < 0) {
		printf("error=%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("written=%zd\n", n);
	return 0;
}
