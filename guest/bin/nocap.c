// SPDX-License-Identifier: GPL-2.0
/*
 * nocap - run a command without CAP_SYS_ADMIN, keeping the user ids.
 *
 * nocap CMD [ARG...]
 *
 * Drops CAP_SYS_ADMIN from the bounding set and from the effective,
 * permitted and inheritable sets, then execs CMD: as root, a uid 0 task
 * without the capability, like a container's root without a user
 * namespace of its own.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	unsigned int i = CAP_TO_INDEX(CAP_SYS_ADMIN);
	__u32 bit = CAP_TO_MASK(CAP_SYS_ADMIN);

	if (argc < 2) {
		fprintf(stderr, "usage: nocap CMD [ARG...]\n");
		return 1;
	}
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0) ||
	    syscall(SYS_capget, &hdr, data)) {
		fprintf(stderr, "nocap: %s\n", strerror(errno));
		return 1;
	}
	data[i].effective &= ~bit;
	data[i].permitted &= ~bit;
	data[i].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data)) {
		fprintf(stderr, "nocap: capset: %s\n", strerror(errno));
		return 1;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "nocap: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
