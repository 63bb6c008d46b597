// SPDX-License-Identifier: GPL-2.0
/*
 * eductl: drive edu devices from the command line. Commands live in
 * tables (one per cmd_*.c file) in the style of iw; this file dispatches.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "libedu.h"
#include "eductl.h"

static const struct eductl_cmd *const tables[] = {
	device_cmds,
	dma_cmds,
	event_cmds,
	fs_cmds,
	firmware_cmds,
	netlink_cmds,
	listen_cmds,
};

#define NUM_TABLES (sizeof(tables) / sizeof(tables[0]))

static void usage(FILE *out)
{
	const struct eductl_cmd *c;
	size_t t;

	fprintf(out, "Usage: eductl COMMAND [ARGS]\n\nCommands:\n");
	for (t = 0; t < NUM_TABLES; t++)
		for (c = tables[t]; c->name; c++)
			fprintf(out, "  %-9s %-28s %s\n", c->name, c->args,
				c->help);
	fprintf(out, "\nDevices are named eduN, /dev/eduN or N. Exit status: 0 ok, "
		     "1 failed, 2 usage, 3 no such device.\n");
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "eductl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'eductl --help'.\n");
	return EXIT_USAGE;
}

/* Prints "eductl: <what>: <strerror>" and picks the exit code. */
int fail(int err, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "eductl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err < 0 ? -err : err));
	return (err == -ENODEV || err == -ENOENT) ? EXIT_NODEV : EXIT_FAIL;
}

/* Parses a device argument and checks that the device exists. */
int device_arg(const char *arg, char name[])
{
	char ident[32];

	if (edu_parse_devname(arg, name))
		return usage_error("'%s' is not a device name (eduN)", arg);
	if (edu_attr_read(name, "identification", ident, sizeof(ident)))
		return fail(-ENODEV, "%s", name);
	return EXIT_OK;
}

/* "eductl WHAT SUB ...": runs SUB from table with argv starting at SUB. */
int run_subcommand(const struct eductl_cmd *table, const char *what, int argc,
		   char **argv)
{
	const struct eductl_cmd *c;

	if (argc < 2)
		return usage_error("usage: %s COMMAND ... (see --help)", what);
	for (c = table; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->run(argc - 1, argv + 1);
	return usage_error("unknown %s command '%s'", what, argv[1]);
}

int main(int argc, char **argv)
{
	const struct eductl_cmd *c;
	size_t t;

	if (argc < 2)
		return usage_error("no command");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (t = 0; t < NUM_TABLES; t++)
		for (c = tables[t]; c->name; c++)
			if (!strcmp(argv[1], c->name))
				return c->run(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", argv[1]);
}
