// SPDX-License-Identifier: GPL-2.0
/*
 * coldmem - anonymous memory with known contents, for demotion tests.
 *
 *   coldmem MIB text|random [thp]
 *
 * Locks its own pages in memory, then maps MIB MiB of private anonymous
 * memory (huge pages if "thp", else none),
 * fills every page with "text" (a line of text naming the page, repeated:
 * compresses well) or "random" (xorshift bytes seeded by the page number:
 * does not compress), prints "ready" and then runs commands read one per
 * line from stdin, answering each with one line on stdout:
 *
 *   where NODE        pages=N first=I: how many of its pages are on NODE,
 *                     and the first of them (-1 if none)
 *   verify            ok=1|0 bad=FIRST_BAD_PAGE: contents as filled, or
 *                     as written by the commands below
 *   write FIRST N     pages=W sigbus=S: write one byte into pages
 *                     [FIRST, FIRST+N); S of them got SIGBUS instead
 *   fork FIRST N      ok=1|0: a child writes pages [FIRST, FIRST+N) of its
 *                     copy and checks them; the parent's stay unchanged
 *   mprotect          ok=1|0: PROT_READ, then PROT_READ|PROT_WRITE again
 *   huge              huge=N: N huge pages of the buffer are PMD-mapped
 *                     (smaps' AnonHugePages), whole
 *   read SECONDS      passes=P: read every page over and over (keep it hot)
 *   pounce SECONDS MS pounced=N: for SECONDS, watch the first page of each
 *                     huge page of the buffer (pagemap, kpageflags); once
 *                     it is off the LRU (reclaim isolated it), wait MS ms
 *                     and then overwrite the whole huge page, with random
 *                     bytes where it holds text and with its text where it
 *                     holds random bytes, again every 50 ms while it stays
 *                     off the LRU (2 s at most): a writer racing reclaim
 *                     with the folio in its hands
 *   uffdmove I NODE   move=ok|<errno name> in_place=0|1: UFFDIO_MOVE page I
 *                     into a userfaultfd-registered mapping, write one byte
 *                     there; in_place=1 if the written page is still on
 *                     NODE (the write did not fault it off). The page is
 *                     copied back to I afterwards, as written
 *   uffdmovepmd I NODE  move=... in_place=0|1 pmd=0|1: the same for the
 *                     2 MiB around page I, moved at once; pmd=1 if it
 *                     arrived as one PMD-mapped huge page (smaps'
 *                     AnonHugePages), the path that moves a whole PMD
 *   pageout I NODE    swapped=0|1 in_place=0|1: with page I held by a
 *                     pipe (vmsplice), madvise(MADV_PAGEOUT) it, note
 *                     whether its PTE became a swap entry, read it, then
 *                     write one byte; in_place as for uffdmove
 *   poke I NODE       poke=ok|<errno name> in_place=0|1: make page I
 *                     read-only (mprotect), write one byte into it through
 *                     /proc/self/mem as a debugger does (FOLL_FORCE), make
 *                     it writable again; in_place as for uffdmove
 *   exit
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pages.h"

/* UAPI of Linux 6.8, newer than the build host's headers */
#ifndef UFFDIO_MOVE
#define UFFD_FEATURE_MOVE	0x10000
struct uffdio_move {
	__u64 dst;
	__u64 src;
	__u64 len;
	__u64 mode;
	__s64 move;
};

#define UFFDIO_MOVE		_IOWR(UFFDIO, 0x05, struct uffdio_move)
#endif
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY	1
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT		21
#endif

#define HPAGE_SIZE	(2UL << 20)

static long page;
static unsigned long npages;
static char *buf;
static unsigned char *written;	/* per page: 0, or the byte written at offset 0 */
static unsigned char *scrambled;	/* per page: 1 if "pounce" left the other kind */
static int random_fill;
static sigjmp_buf bus_jmp;

static void fill_page(unsigned long i, unsigned char *p)
{
	unsigned long long x = i * 0x9e3779b97f4a7c15ULL + 1;
	long off;
	int n;

	if (random_fill ^ scrambled[i]) {
		for (off = 0; off < page; off += 8) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			memcpy(p + off, &x, 8);
		}
		return;
	}
	for (off = 0; off < page; off += n) {
		n = snprintf((char *)p + off, page - off,
			     "page %08lx of the coldmem test, line %04lx\n", i, off / 48);
		if (n >= page - off)
			break;
	}
}

static int page_ok(unsigned long i)
{
	unsigned char *want = malloc(page);
	int ok;

	if (!want)
		exit(1);
	fill_page(i, want);
	if (written[i])
		want[0] = written[i];
	ok = !memcmp(buf + i * page, want, page);
	free(want);
	return ok;
}

static long first_bad(void)
{
	unsigned long i;

	for (i = 0; i < npages; i++)
		if (!page_ok(i))
			return i;
	return -1;
}

/* Installed only for cmd_write(): a SIGBUS anywhere else kills the task */
static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/* The byte a write puts at offset 0 of page i: never what was there */
static unsigned char new_byte(unsigned long i)
{
	unsigned char b = (unsigned char)buf[i * page] ^ 0x5a;

	return b ? b : 0x5a;
}

/*
 * cmd_write()'s state lives across siglongjmp(): not in locals, and with
 * external linkage, so that the compiler keeps it in memory around the
 * sigsetjmp() call instead of in registers
 */
unsigned long write_page, write_done, write_sigbus;

static void cmd_write(unsigned long first, unsigned long n)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;

	write_done = 0;
	write_sigbus = 0;
	sigaction(SIGBUS, &sa, &old);
	for (write_page = first; write_page < first + n && write_page < npages; write_page++) {
		if (sigsetjmp(bus_jmp, 1)) {
			write_sigbus++;
			continue;
		}
		buf[write_page * page] = new_byte(write_page);
		written[write_page] = buf[write_page * page];
		write_done++;
	}
	sigaction(SIGBUS, &old, NULL);
	printf("pages=%lu sigbus=%lu\n", write_done, write_sigbus);
}

static void cmd_fork(unsigned long first, unsigned long n)
{
	unsigned long i;
	int status, ok;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		for (i = first; i < first + n && i < npages; i++) {
			buf[i * page] = new_byte(i);
			written[i] = buf[i * page];
		}
		_exit(first_bad() < 0 ? 0 : 1);
	}
	ok = pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	     !WEXITSTATUS(status) && first_bad() < 0;
	printf("ok=%d\n", ok);
}

static void cmd_read(unsigned int seconds)
{
	time_t end = time(NULL) + seconds;
	unsigned long i, passes = 0, sum = 0;

	while (time(NULL) < end) {
		for (i = 0; i < npages; i++)
			sum += (unsigned char)buf[i * page + (passes % page)];
		passes++;
	}
	printf("passes=%lu sum=%lu\n", passes, sum);
}

/* The page frame of the page at @addr, 0 if none (or not root) */
static unsigned long long pfn_of(int pagemap, char *addr)
{
	unsigned long long entry;

	if (pread(pagemap, &entry, sizeof(entry),
		  (unsigned long)addr / page * sizeof(entry)) != sizeof(entry) ||
	    !(entry & 1ULL << 63))
		return 0;
	return entry & ((1ULL << 55) - 1);
}

#define KPF_LRU		5

/* Is the page at @addr off the LRU (isolated), as kpageflags says? */
static int isolated(int pagemap, int kpageflags, char *addr)
{
	unsigned long long pfn = pfn_of(pagemap, addr), flags;

	return pfn && pread(kpageflags, &flags, sizeof(flags),
			    pfn * sizeof(flags)) == sizeof(flags) &&
	       !(flags & 1ULL << KPF_LRU);
}

/* Flip pages [@i, @i + @n) between their text and random bytes */
static void flip(unsigned long i, unsigned long n, unsigned char *p)
{
	unsigned long j;

	for (j = i; j < i + n; j++) {
		scrambled[j] ^= 1;
		written[j] = 0;
		fill_page(j, p);
		memcpy(buf + j * page, p, page);
	}
}

static void cmd_pounce(unsigned int seconds, unsigned int ms)
{
	int pagemap = open("/proc/self/pagemap", O_RDONLY);
	int kpageflags = open("/proc/kpageflags", O_RDONLY);
	unsigned long first = (-(unsigned long)buf & (HPAGE_SIZE - 1)) / page;
	unsigned long per = HPAGE_SIZE / page, pounced = 0, i;
	time_t end = time(NULL) + seconds;
	unsigned char *p = malloc(page);
	int k;

	if (pagemap < 0 || kpageflags < 0 || !p)
		exit(1);
	while (time(NULL) < end) {
		for (i = first; i + per <= npages; i += per) {
			if (!isolated(pagemap, kpageflags, buf + i * page))
				continue;
			usleep(ms * 1000);
			/* every 50 ms while it is off the LRU, for 2 s at most */
			for (k = 0; k < 40; k++) {
				flip(i, per, p);
				if (!isolated(pagemap, kpageflags, buf + i * page))
					break;
				usleep(50000);
			}
			pounced++;
		}
		usleep(1000);
	}
	free(p);
	close(kpageflags);
	close(pagemap);
	printf("pounced=%lu\n", pounced);
}

/* Is the page at @addr swapped out, as /proc/self/pagemap says? */
static int swapped(char *addr)
{
	unsigned long long entry = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &entry, sizeof(entry),
			    (unsigned long)addr / page * sizeof(entry)) != sizeof(entry))
		entry = 0;
	if (fd >= 0)
		close(fd);
	return !!(entry & 1ULL << 62);
}

/* Is the page at @addr on @node? */
static int on_node(char *addr, int node)
{
	return pages_on_node(addr, page, 0, 1, node) == 1;
}

/* Write page @i's next byte at @addr, which now holds page @i's contents */
static void write_at(unsigned long i, char *addr)
{
	*addr = new_byte(i);
	written[i] = *addr;
}

/* How much of the mapping that starts at @addr is PMD-mapped, in kB */
static unsigned long anon_huge_kb(char *addr)
{
	unsigned long start, end, kb, ret = 0;
	char line[256];
	int in = 0;
	FILE *f;

	f = fopen("/proc/self/smaps", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
			in = start == (unsigned long)addr;
		else if (in && sscanf(line, "AnonHugePages: %lu kB", &kb) == 1)
			ret = kb;
	}
	fclose(f);
	return ret;
}

/* Is the mapping that starts at @addr PMD-mapped (smaps' AnonHugePages)? */
static int pmd_mapped(char *addr)
{
	return anon_huge_kb(addr) >= HPAGE_SIZE >> 10;
}

/* UFFDIO_MOVE @len bytes from page @i, a multiple of @len, to a new mapping */
static void cmd_uffdmove(unsigned long i, int node, unsigned long len)
{
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_MOVE };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_move mv = { .len = len };
	int uffd, err = 0, in_place = 0, pmd = 0;
	char *area, *dst;

	/* @len-aligned, alone in its VMA, so that smaps describes it alone */
	area = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		printf("error=%s\n", strerrorname_np(errno));
		return;
	}
	dst = (char *)(((unsigned long)area + len - 1) & ~(len - 1));
	if (dst > area)
		munmap(area, dst - area);
	munmap(dst + len, area + len - dst);
	i &= ~(len / page - 1);
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
	reg.range.start = (unsigned long)dst;
	reg.range.len = len;
	mv.dst = (unsigned long)dst;
	mv.src = (unsigned long)(buf + i * page);
	if (uffd < 0 || i >= npages || ioctl(uffd, UFFDIO_API, &api) ||
	    ioctl(uffd, UFFDIO_REGISTER, &reg) || ioctl(uffd, UFFDIO_MOVE, &mv))
		err = errno ? errno : EINVAL;
	if (!err) {
		pmd = pmd_mapped(dst);
		write_at(i, dst);
		in_place = on_node(dst, node);
		memcpy(buf + i * page, dst, len);
	}
	printf("move=%s in_place=%d", err ? strerrorname_np(err) : "ok", in_place);
	if (len > (unsigned long)page)
		printf(" pmd=%d", pmd);
	printf("\n");
	if (uffd >= 0)
		close(uffd);
	munmap(dst, len);
}

static void cmd_pageout(unsigned long i, int node)
{
	struct iovec iov = { .iov_base = buf + i * page, .iov_len = page };
	int pipefd[2], out, in_place;

	if (i >= npages || pipe(pipefd) || vmsplice(pipefd[1], &iov, 1, 0) != page) {
		printf("error=%s\n", strerrorname_np(errno));
		return;
	}
	madvise(buf + i * page, page, MADV_PAGEOUT);
	out = swapped(buf + i * page);
	/* a read fault first: swap-in maps an exclusive folio writable */
	__atomic_load_n(buf + i * page, __ATOMIC_RELAXED);
	write_at(i, buf + i * page);
	in_place = on_node(buf + i * page, node);
	close(pipefd[0]);
	close(pipefd[1]);
	printf("swapped=%d in_place=%d\n", out, in_place);
}

static void cmd_poke(unsigned long i, int node)
{
	char *addr = buf + i * page;
	unsigned char b;
	int fd, err = 0, in_place;

	if (i >= npages) {
		printf("error=EINVAL\n");
		return;
	}
	b = new_byte(i);
	fd = open("/proc/self/mem", O_RDWR);
	if (fd < 0 || mprotect(addr, page, PROT_READ) ||
	    pwrite(fd, &b, 1, (unsigned long)addr) != 1)
		err = errno;
	mprotect(addr, page, PROT_READ | PROT_WRITE);
	if (fd >= 0)
		close(fd);
	if (!err)
		written[i] = b;
	in_place = on_node(buf + i * page, node);
	printf("poke=%s in_place=%d\n", err ? strerrorname_np(err) : "ok", in_place);
}

int main(int argc, char **argv)
{
	unsigned long mib, a, b, i, on;
	char line[128], cmd[16];
	char *end;
	long bad;
	int n;

	if (argc < 3 || argc > 4 || (strcmp(argv[2], "text") && strcmp(argv[2], "random")) ||
	    (argc == 4 && strcmp(argv[3], "thp"))) {
		fprintf(stderr, "usage: coldmem MIB text|random [thp]\n");
		return 2;
	}
	errno = 0;
	mib = strtoul(argv[1], &end, 10);
	if (errno || *end || !mib) {
		fprintf(stderr, "coldmem: '%s' is not a positive size in MiB\n", argv[1]);
		return 2;
	}
	random_fill = !strcmp(argv[2], "random");
	page = sysconf(_SC_PAGESIZE);
	npages = (mib << 20) / page;
	written = calloc(npages, 1);
	scrambled = calloc(npages, 1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * Lock the program's own pages (code, data, heap, the stack in use):
	 * only the buffer mapped next may be demoted, so that a node that
	 * write-protects or refuses writes affects nothing else.
	 */
	if (!written || !scrambled || mlockall(MCL_CURRENT)) {
		fprintf(stderr, "coldmem: mlockall: %s\n", strerror(errno));
		return 1;
	}
	buf = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		fprintf(stderr, "coldmem: %lu MiB: %s\n", mib, strerror(errno));
		return 1;
	}
	madvise(buf, mib << 20, argc == 4 ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	for (i = 0; i < npages; i++)
		fill_page(i, (unsigned char *)buf + i * page);
	printf("ready\n");

	while (fgets(line, sizeof(line), stdin)) {
		n = sscanf(line, "%15s %lu %lu", cmd, &a, &b);
		if (n < 1)
			continue;
		if (!strcmp(cmd, "where") && n == 2) {
			on = pages_on_node_first(buf, page, 0, npages, a, &bad);
			printf("pages=%lu first=%ld\n", on, bad);
		} else if (!strcmp(cmd, "verify")) {
			bad = first_bad();
			printf("ok=%d bad=%ld\n", bad < 0, bad);
		} else if (!strcmp(cmd, "write") && n == 3) {
			cmd_write(a, b);
		} else if (!strcmp(cmd, "fork") && n == 3) {
			cmd_fork(a, b);
		} else if (!strcmp(cmd, "mprotect")) {
			printf("ok=%d\n", !mprotect(buf, mib << 20, PROT_READ) &&
			       !mprotect(buf, mib << 20, PROT_READ | PROT_WRITE));
		} else if (!strcmp(cmd, "read") && n == 2) {
			cmd_read(a);
		} else if (!strcmp(cmd, "huge")) {
			printf("huge=%lu\n", anon_huge_kb(buf) / (HPAGE_SIZE >> 10));
		} else if (!strcmp(cmd, "pounce") && n == 3) {
			cmd_pounce(a, b);
		} else if (!strcmp(cmd, "uffdmove") && n == 3) {
			cmd_uffdmove(a, b, page);
		} else if (!strcmp(cmd, "uffdmovepmd") && n == 3) {
			cmd_uffdmove(a, b, HPAGE_SIZE);
		} else if (!strcmp(cmd, "pageout") && n == 3) {
			cmd_pageout(a, b);
		} else if (!strcmp(cmd, "poke") && n == 3) {
			cmd_poke(a, b);
		} else if (strcmp(cmd, "exit")) {
			printf("error=unknown-command\n");
		} else {
			return 0;
		}
	}
	return 0;
}
