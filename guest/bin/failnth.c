// SPDX-License-Identifier: GPL-2.0
/*
 * failnth - make the Nth fault-injectable call of one operation fail
 * (/proc/thread-self/fail-nth: failslab, fail_page_alloc), and say whether
 * that call happened.
 *
 * failnth N write FILE VALUE	write(2) VALUE to FILE (opened before)
 * failnth N mkdir DIR		mkdir(2) DIR
 * failnth N mmap NODE PAGES	mmap(2) PAGES pages of /dev/spmNODE (opened
 *				before) and write to each until SIGBUS
 *
 * Prints one line:
 *
 *	rc=<ok|errno name> injected=<0|1> [touched=T sigbus=0|1]
 *
 * injected=0 means the operation made fewer than N such calls: it ran as
 * it would without injection. Exits 0 unless its own setup fails (2).
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
#include <sys/stat.h>
#include <unistd.h>

/* state that lives across sigsetjmp(): global, so no local is clobbered */
static sigjmp_buf bus_jmp;
static unsigned long touched, pages;
static int sigbus, rc;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/* Arm fail-nth through @fd for the calls after this one */
static int arm(int fd, long n)
{
	char buf[24];
	int len = snprintf(buf, sizeof(buf), "%ld", n);

	return pwrite(fd, buf, len, 0) == len ? 0 : -1;
}

/* 1 if the armed call happened (fail-nth counted down to 0), else disarm */
static int disarm(int fd)
{
	char buf[24] = "";
	long left;

	if (pread(fd, buf, sizeof(buf) - 1, 0) < 0)
		return -1;
	left = strtol(buf, NULL, 10);
	if (left)
		pwrite(fd, "0", 1, 0);
	return !left;
}

static void bad_arguments(void)
{
	fputs("usage: failnth N write FILE VALUE | mkdir DIR | mmap NODE PAGES\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	long n, page = sysconf(_SC_PAGESIZE);
	int ctl, fd = -1, injected;
	char path[32], *buf;
	const char *op;

	if (argc < 4)
		bad_arguments();
	n = atol(argv[1]);
	op = argv[2];
	if (n <= 0)
		bad_arguments();
	ctl = open("/proc/thread-self/fail-nth", O_RDWR);
	if (ctl < 0) {
		printf("fail-nth=%s\n", strerrorname_np(errno));
		return 2;
	}

	if (!strcmp(op, "write") && argc == 5) {
		fd = open(argv[3], O_WRONLY);
		if (fd < 0)
			return printf("open=%s\n", strerrorname_np(errno)), 2;
		arm(ctl, n);
		if (write(fd, argv[4], strlen(argv[4])) < 0)
			rc = errno;
	} else if (!strcmp(op, "mkdir") && argc == 4) {
		arm(ctl, n);
		if (mkdir(argv[3], 0755))
			rc = errno;
	} else if (!strcmp(op, "mmap") && argc == 5) {
		snprintf(path, sizeof(path), "/dev/spm%d", atoi(argv[3]));
		pages = strtoul(argv[4], NULL, 0);
		fd = open(path, O_RDWR);
		if (fd < 0)
			return printf("open=%s\n", strerrorname_np(errno)), 2;
		signal(SIGBUS, on_sigbus);
		arm(ctl, n);
		buf = mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (buf == MAP_FAILED) {
			rc = errno;
		} else if (sigsetjmp(bus_jmp, 1)) {
			sigbus = 1;
		} else {
			for (; touched < pages; touched++)
				buf[touched * page] = 1;
		}
	} else {
		bad_arguments();
	}
	injected = disarm(ctl);
	printf("rc=%s injected=%d", rc ? strerrorname_np(rc) : "ok", injected);
	if (pages)
		printf(" touched=%lu sigbus=%d", touched, sigbus);
	printf("\n");
	return 0;
}
