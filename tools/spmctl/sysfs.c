// SPDX-License-Identifier: GPL-2.0
/*
 * spmctl: sysfs access. Every path is relative to the sysfs root, which is
 * /sys unless SPMCTL_SYSFS names another directory (the host-side tests
 * run spmctl against a fake tree this way).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spmctl.h"

static const char *sysfs_root(void)
{
	const char *root = getenv("SPMCTL_SYSFS");

	return root && *root ? root : "/sys";
}

/* Format a path under the sysfs root into @buf; returns @buf */
const char *sysfs_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(buf, len, "%s/", sysfs_root());
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < len)
		vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	return buf;
}

/* Read a small text file in one read(), without its trailing newline */
int file_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/* Read a sysfs attribute, without its trailing newline; -errno on failure */
int sysfs_read(const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];

	return file_read(sysfs_path(path, sizeof(path), "%s", rel), buf, len);
}

int sysfs_read_ull(const char *rel, unsigned long long *val)
{
	char buf[64], *end;
	int ret;

	ret = sysfs_read(rel, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

/* Write @val to a sysfs attribute in one write(); -errno on failure */
int sysfs_write(const char *rel, const char *val)
{
	char path[PATH_MAX];
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = open(sysfs_path(path, sizeof(path), "%s", rel), O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		n = -errno;
	else if ((size_t)n != len)
		n = -EIO;
	else
		n = 0;
	close(fd);
	return n;
}

bool sysfs_exists(const char *rel)
{
	char path[PATH_MAX];

	return access(sysfs_path(path, sizeof(path), "%s", rel), F_OK) == 0;
}
