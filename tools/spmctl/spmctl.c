// SPDX-License-Identifier: GPL-2.0
/*
 * spmctl: inspect and manage special-purpose memory (SPM) nodes.
 *
 * In the style of ndctl's cxl and daxctl tools: one subcommand per task,
 * JSON output, --help everywhere, a man page (spmctl(1)).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "spmctl.h"

#define SPMCTL_VERSION "0.1"

const char *spmctl_cmd = "spmctl";

void error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", spmctl_cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char usage[] =
	"usage: spmctl [--version] [--help] <command> [<args>]\n"
	"\n"
	"Commands:\n"
	"    list       list SPM nodes as JSON\n"
	"    online     make a dax device or CXL region an SPM node\n"
	"    offline    remove an SPM node, evacuating or refusing, never losing data\n"
	"    group      manage policy groups: which tasks may use which SPM nodes\n"
	"    exec       run a command in a policy group\n"
	"    stat       show each SPM node's event counters\n"
	"\n"
	"See 'spmctl <command> --help' and spmctl(1).\n";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "list", cmd_list },
	{ "online", cmd_online },
	{ "offline", cmd_offline },
	{ "group", cmd_group },
	{ "exec", cmd_exec },
	{ "stat", cmd_stat },
};

int main(int argc, char **argv)
{
	static char cmd[64];
	size_t i;

	if (argc < 2) {
		fputs(usage, stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("%s\n", SPMCTL_VERSION);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		snprintf(cmd, sizeof(cmd), "spmctl %s", commands[i].name);
		spmctl_cmd = cmd;
		return commands[i].fn(argc - 1, argv + 1);
	}
	error("'%s' is not a command; see 'spmctl --help'", argv[1]);
	return 1;
}
