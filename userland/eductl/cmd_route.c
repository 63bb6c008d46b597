// SPDX-License-Identifier: GPL-2.0
/*
 * eductl route add | del | show: the configfs event routes (docs/routes.md),
 * one directory per route under /sys/kernel/config/edu/routes. add is the
 * mkdir, the attribute writes and the enable; a refused write undoes the
 * mkdir, so a route exists whole or not at all.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "libedu.h"
#include "eductl.h"

#define ROUTES	"/sys/kernel/config/edu/routes"

/* In the order a route is configured, then its read-only state. */
static const char *const attrs[] = {
	"type", "dest", "device", "event_mask", "enable",
	"state", "sent", "dropped", "queued", "last_error", "last_status",
};

#define N_ATTRS (sizeof(attrs) / sizeof(attrs[0]))

static int route_name_ok(const char *name)
{
	return *name && name[0] != '.' && !strchr(name, '/') && strlen(name) < 64;
}

static int route_write(const char *route, const char *attr, const char *val)
{
	char path[160];

	snprintf(path, sizeof(path), ROUTES "/%s/%s", route, attr);
	return edu_file_write(path, val);
}

/* --device: eduN, N or "all" (-1); no lookup: a route may wait for its device. */
static int parse_device(const char *arg, char *val, size_t len)
{
	char name[EDU_NAME_MAX];

	if (!strcmp(arg, "all")) {
		snprintf(val, len, "-1");
		return 0;
	}
	if (edu_parse_devname(arg, name))
		return -EINVAL;
	snprintf(val, len, "%s", name + 3);
	return 0;
}

struct route_args {
	const char *type, *dest, *mask;
	char device[16];
	int disabled;
};

static int parse_add(int argc, char **argv, struct route_args *a)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "dest", required_argument, NULL, 'd' },
		{ "device", required_argument, NULL, 'D' },
		{ "events", required_argument, NULL, 'e' },
		{ "disabled", no_argument, NULL, 'x' },
		OPT_HELP, OPT_END
	};
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 't')
			a->type = optarg;
		else if (c == 'd')
			a->dest = optarg;
		else if (c == 'e')
			a->mask = optarg;
		else if (c == 'x')
			a->disabled = 1;
		else if (c != 'D')
			return -opt_done(c) - 1;
		else if (parse_device(optarg, a->device, sizeof(a->device)))
			return usage_error("--device '%s': eduN, N or all", optarg);
	}
	if (argc - optind != 1 || !a->type)
		return usage_error("usage: route add NAME --type udp|tcp|upcall "
				   "[--dest A.B.C.D:PORT] [--device eduN|all] "
				   "[--events MASK] [--disabled]");
	if (!route_name_ok(argv[optind]))
		return usage_error("'%s' is not a route name", argv[optind]);
	return 0;
}

static int cmd_route_add(int argc, char **argv)
{
	struct route_args a;
	const char *route, *failed = NULL, *vals[5];
	char path[160];
	int ret, i;

	ret = parse_add(argc, argv, &a);
	if (ret)
		return ret < 0 ? -ret - 1 : ret;
	route = argv[optind];
	snprintf(path, sizeof(path), ROUTES "/%s", route);
	if (mkdir(path, 0755))
		return fail(-errno, "%s (configfs mounted? root?)", path);
	/* The driver checks each value; the first refusal undoes the mkdir. */
	vals[0] = a.type;
	vals[1] = a.dest;
	vals[2] = a.device[0] ? a.device : NULL;
	vals[3] = a.mask;
	vals[4] = a.disabled ? NULL : "1";
	for (i = 0; i < 5 && !failed; i++) {
		ret = vals[i] ? route_write(route, attrs[i], vals[i]) : 0;
		if (ret)
			failed = attrs[i];
	}
	if (failed) {
		rmdir(path);
		return fail(ret, "route %s: %s", route, failed);
	}
	return EXIT_OK;
}

static int cmd_route_del(int argc, char **argv)
{
	static const struct option opts[] = { OPT_HELP, OPT_END };
	char path[160];
	int c;

	c = getopt_long(argc, argv, "h", opts, NULL);
	if (c != -1)
		return opt_done(c);
	if (argc - optind != 1 || !route_name_ok(argv[optind]))
		return usage_error("usage: route del NAME");
	snprintf(path, sizeof(path), ROUTES "/%s", argv[optind]);
	if (rmdir(path))
		return fail(-errno, "route %s", argv[optind]);
	return EXIT_OK;
}

/* One route: its attributes into o, or a line. 0 or -errno. */
static int show_one(const char *route, struct json_object *o)
{
	char path[PATH_MAX], val[128];
	size_t i;
	int ret;

	if (!o)
		printf("%s", route);
	for (i = 0; i < N_ATTRS; i++) {
		snprintf(path, sizeof(path), ROUTES "/%s/%s", route, attrs[i]);
		ret = edu_file_read(path, val, sizeof(val));
		if (ret)
			return ret;
		if (!o) {
			printf(" %s %s", attrs[i], val);
			continue;
		}
		/* Numbers as numbers; dest and event_mask stay text. */
		if (strchr(val, ':') || !strncmp(val, "0x", 2) ||
		    (val[0] != '-' && (val[0] < '0' || val[0] > '9')))
			json_object_object_add(o, attrs[i], json_object_new_string(val));
		else
			json_object_object_add(o, attrs[i],
					       json_object_new_int64(strtoll(val, NULL, 10)));
	}
	if (!o)
		printf("\n");
	return 0;
}

static int not_dot(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

static int cmd_route_show(int argc, char **argv)
{
	static const struct option opts[] = { OPT_HELP, OPT_END };
	struct json_object *root = NULL;
	struct dirent **list;
	int c, n, i, ret = 0;

	c = getopt_long(argc, argv, "h", opts, NULL);
	if (c != -1)
		return opt_done(c);
	if (argc - optind > 1)
		return usage_error("usage: route show [NAME]");
	if (optind < argc) {
		if (!route_name_ok(argv[optind]))
			return usage_error("'%s' is not a route name", argv[optind]);
		root = opt_json ? json_object_new_object() : NULL;
		ret = show_one(argv[optind], root);
		if (ret) {
			json_object_put(root);
			return fail(ret, "route %s", argv[optind]);
		}
		if (root)
			json_print(root);
		return EXIT_OK;
	}
	n = scandir(ROUTES, &list, not_dot, alphasort);
	if (n < 0)
		return fail(-errno, ROUTES " (configfs mounted? edu loaded?)");
	if (opt_json)
		root = json_object_new_object();
	for (i = 0; i < n && !ret; i++) {
		struct json_object *o = root ? json_object_new_object() : NULL;
		int err;

		if (root)
			json_object_object_add(root, list[i]->d_name, o);
		err = show_one(list[i]->d_name, o);
		if (err)
			ret = fail(err, "route %s", list[i]->d_name);
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	if (ret) {
		json_object_put(root);
		return ret;
	}
	if (root)
		json_print(root);
	return EXIT_OK;
}

static const struct eductl_cmd route_subcmds[] = {
	{ "add", "", "", cmd_route_add },
	{ "del", "", "", cmd_route_del },
	{ "show", "", "", cmd_route_show },
	{ NULL, NULL, NULL, NULL }
};

static int cmd_route(int argc, char **argv)
{
	return run_subcommand(route_subcmds, "route", argc, argv);
}

const struct eductl_cmd route_cmds[] = {
	{ "route", "add NAME --type udp|tcp|upcall [--dest A.B.C.D:PORT] "
	  "[--device eduN|all] [--events MASK] [--disabled]",
	  "create (and enable) a configfs event route (root)", cmd_route },
	{ "route", "del NAME", "remove a route", cmd_route },
	{ "route", "show [NAME]", "routes and their counters", cmd_route },
	{ NULL, NULL, NULL, NULL }
};
