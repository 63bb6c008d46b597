// SPDX-License-Identifier: GPL-2.0
/*
 * eductl: drive edu devices from the command line. Commands live in
 * tables (one per cmd_*.c file) in the style of iw; this file parses the
 * global options (as ip(8) does, before the command) and dispatches.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "libedu.h"
#include "eductl.h"

int opt_json;
static const char *cur_cmd;	/* the command running, for its --help */

static const struct eductl_cmd *const tables[] = {
	device_cmds,
	dma_cmds,
	event_cmds,
	fs_cmds,
	proc_cmds,
	route_cmds,
	firmware_cmds,
	netlink_cmds,
	listen_cmds,
};

#define NUM_TABLES (sizeof(tables) / sizeof(tables[0]))

static void print_cmd(FILE *out, const struct eductl_cmd *c)
{
	fprintf(out, "  %-9s %-28s %s\n", c->name, c->args, c->help);
}

static void usage(FILE *out)
{
	const struct eductl_cmd *c;
	size_t t;

	fprintf(out, "Usage: eductl [-j|--json] [--debug] COMMAND [ARGS]\n"
		     "       eductl help [COMMAND] | -V|--version\n\nCommands:\n");
	for (t = 0; t < NUM_TABLES; t++)
		for (c = tables[t]; c->name; c++)
			print_cmd(out, c);
	fprintf(out, "\nDevices are named eduN, /dev/eduN or N. 'eductl COMMAND --help'"
		     " for a command's options.\nExit status: 0 ok, 1 failed, 2 usage,"
		     " 3 no such device.\n");
}

/* Every table row of command name (a command may have several); 0 if none. */
static int cmd_usage(FILE *out, const char *name)
{
	const struct eductl_cmd *c;
	int found = 0;
	size_t t;

	for (t = 0; t < NUM_TABLES; t++)
		for (c = tables[t]; c->name; c++)
			if (!strcmp(c->name, name)) {
				if (!found++)
					fprintf(out, "Usage: eductl [-j] %s ...\n", name);
				print_cmd(out, c);
			}
	return found;
}

int opt_done(int c)
{
	if (c == 'h') {
		cmd_usage(stdout, cur_cmd);
		return EXIT_OK;
	}
	fprintf(stderr, "Try 'eductl %s --help'.\n", cur_cmd);
	return EXIT_USAGE;
}

int opt_uint(const char *opt, const char *arg, unsigned int max, unsigned int *v)
{
	if (edu_parse_uint(arg, max, v)) {
		usage_error("%s: '%s' is not a number in 0..%u", opt, arg, max);
		return -1;
	}
	return 0;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "eductl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'eductl %s%s--help'.\n", cur_cmd ? cur_cmd : "",
		cur_cmd ? " " : "");
	return EXIT_USAGE;
}

/*
 * Prints "eductl: <what>: <strerror>". Always exit 1, whatever the errno:
 * a missing file (ENOENT) or a device gone mid-command (ENODEV) is a failed
 * operation. Only a failed lookup is 3 (nodev()).
 */
int fail(int err, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "eductl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err < 0 ? -err : err));
	return EXIT_FAIL;
}

int nodev(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "eductl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(ENODEV));
	return EXIT_NODEV;
}

/* Parses a device argument and looks the device up: 0, 2 or 3. */
int device_arg(const char *arg, char name[])
{
	char ident[32];

	if (edu_parse_devname(arg, name))
		return usage_error("'%s' is not a device name (eduN)", arg);
	if (edu_attr_read(name, "identification", ident, sizeof(ident)))
		return nodev("%s", name);
	return EXIT_OK;
}

/* "eductl WHAT SUB ...": runs SUB from table with argv starting at SUB. */
int run_subcommand(const struct eductl_cmd *table, const char *what, int argc,
		   char **argv)
{
	const struct eductl_cmd *c;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return opt_done('h');
	if (argc < 2)
		return usage_error("%s needs a subcommand", what);
	for (c = table; c->name; c++)
		if (!strcmp(argv[1], c->name)) {
			optind = 0;
			return c->run(argc - 1, argv + 1);
		}
	return usage_error("unknown %s command '%s'", what, argv[1]);
}

/* eductl help [CMD] */
static int help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	cur_cmd = NULL;
	if (!cmd_usage(stdout, argv[1]))
		return usage_error("unknown command '%s'", argv[1]);
	return EXIT_OK;
}

static int dispatch(int argc, char **argv)
{
	const struct eductl_cmd *c;
	size_t t;

	if (!strcmp(argv[0], "help"))
		return help(argc, argv);
	for (t = 0; t < NUM_TABLES; t++)
		for (c = tables[t]; c->name; c++)
			if (!strcmp(argv[0], c->name)) {
				cur_cmd = c->name;
				optind = 0;	/* each command parses afresh */
				return c->run(argc, argv);
			}
	return usage_error("unknown command '%s'", argv[0]);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "debug", no_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		OPT_HELP,
		OPT_END
	};
	int c;

	/* "+": stop at the command; its options are its own. */
	while ((c = getopt_long(argc, argv, "+jVh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opt_json = 1;
			break;
		case 'd':
			edu_genl_set_debug(1);
			break;
		case 'V':
			printf("eductl %s\n", EDU_VERSION);
			return EXIT_OK;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return usage_error("unknown option");
		}
	}
	if (optind >= argc)
		return usage_error("no command");
	return dispatch(argc - optind, argv + optind);
}
