// SPDX-License-Identifier: GPL-2.0
/*
 * eductl stats | regs | get | set | fault: the filesystem channels, each
 * read through its own files: statistics from sysfs, registers from
 * debugfs, tunables from sysctl (the keys are the files there), fault
 * knobs in debugfs. The old per-command --json is an alias of -j.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "libedu.h"
#include "eductl.h"

#define SYSCTL_DIR	"/proc/sys/dev/edu"
#define DEBUGFS_DIR	"/sys/kernel/debug/edu"
#define MAX_DEVS	64

static const char *const stat_names[] = {
	"irqs", "irqs_factorial", "irqs_dma", "irqs_other", "irqs_spurious",
	"irqs_dropped", "injected", "dma_transfers", "dma_bytes", "factorials",
	"errors", "events_dropped",
};

static const char *const fault_knobs[] = {
	"drop_irqs", "fail_dma", "dma_delay_ms", "spurious_irq", "inject_irq",
	"signal_pid",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Options of stats, regs, get: --json (-j's alias) and -h. -1 - code to stop. */
static int parse(int argc, char **argv, int max_pos)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, OPT_HELP, OPT_END
	};
	int c;

	while ((c = getopt_long(argc, argv, "hj", opts, NULL)) != -1) {
		if (c != 'j')
			return -opt_done(c) - 1;
		opt_json = 1;
	}
	if (argc - optind > max_pos)
		return -usage_error("too many arguments for %s", argv[0]) - 1;
	return 0;
}

/* A value as JSON: a number when it is one (decimal), else the text. */
static struct json_object *value_json(const char *val)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(val, &end, 10);
	if (*val && !*end && !errno && (val[0] != '0' || !val[1]))
		return json_object_new_int64(v);
	return json_object_new_string(val);
}

/*
 * Names of bound devices, or just the one named: how many, or minus the
 * exit code after saying what is wrong.
 */
static int device_list(const char *arg, char names[][EDU_NAME_MAX], int max)
{
	struct dirent **list;
	int n, i, found = 0;

	if (arg) {
		int ret = device_arg(arg, names[0]);

		return ret ? -ret : 1;
	}
	n = scandir(EDU_SYSFS_CLASS, &list, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (!strncmp(list[i]->d_name, "edu", 3) &&
		    strlen(list[i]->d_name) < EDU_NAME_MAX && found < max)
			strcpy(names[found++], list[i]->d_name);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return found ? found : -nodev("no edu device bound");
}

/* One device's counters: into o (JSON) or printed. 0 or -errno. */
static int stats_of(const char *name, struct json_object *o)
{
	char attr[64], val[32];
	size_t s;
	int ret;

	if (!o)
		printf("%s\n", name);
	for (s = 0; s < N(stat_names); s++) {
		snprintf(attr, sizeof(attr), "stats/%s", stat_names[s]);
		ret = edu_attr_read(name, attr, val, sizeof(val));
		if (ret) {
			fail(ret, "%s: %s", name, attr);
			return ret;
		}
		if (o)
			json_object_object_add(o, stat_names[s], value_json(val));
		else
			printf("  %-16s %s\n", stat_names[s], val);
	}
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	char names[MAX_DEVS][EDU_NAME_MAX];
	struct json_object *root = NULL;
	int n, i, ret;

	ret = parse(argc, argv, 1);
	if (ret)
		return -ret - 1;
	n = device_list(optind < argc ? argv[optind] : NULL, names, MAX_DEVS);
	if (n < 0)
		return -n;
	if (opt_json)
		root = json_object_new_object();
	for (i = 0; i < n; i++) {
		struct json_object *o = root ? json_object_new_object() : NULL;

		if (root)
			json_object_object_add(root, names[i], o);
		if (stats_of(names[i], o)) {
			json_object_put(root);
			return EXIT_FAIL;
		}
	}
	if (root)
		json_print(root);
	return EXIT_OK;
}

/* debugfs regs lines: "0x00 identification    0x010000ed" */
static int cmd_regs(int argc, char **argv)
{
	char name[EDU_NAME_MAX], path[128], buf[2048], *line, *save;
	struct json_object *o;
	int ret;

	ret = parse(argc, argv, 1);
	if (ret)
		return -ret - 1;
	if (argc - optind != 1)
		return usage_error("usage: regs eduN");
	ret = device_arg(argv[optind], name);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), DEBUGFS_DIR "/%s/regs", name);
	ret = edu_file_read(path, buf, sizeof(buf));
	if (ret)
		return fail(ret, "%s (debugfs mounted? root?)", path);
	if (!opt_json) {
		printf("%s\n", buf);
		return EXIT_OK;
	}
	o = json_object_new_object();
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char off[8], reg[32], val[32];

		if (sscanf(line, "%7s %31s %31s", off, reg, val) == 3)
			json_object_object_add(o, reg, json_object_new_string(val));
	}
	json_print(o);
	return EXIT_OK;
}

/* A key is a file of the sysctl directory (no path tricks). */
static int sysctl_key(const char *key, char *path, size_t len)
{
	if (!*key || strchr(key, '/') || key[0] == '.')
		return -EINVAL;
	snprintf(path, len, SYSCTL_DIR "/%s", key);
	return access(path, F_OK) ? -errno : 0;
}

static int regular(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

static int cmd_get(int argc, char **argv)
{
	struct json_object *o = NULL;
	char path[300], val[300];
	struct dirent **keys;
	int ret, n, i;

	ret = parse(argc, argv, 1);
	if (ret)
		return -ret - 1;
	if (optind < argc && sysctl_key(argv[optind], path, sizeof(path)))
		return usage_error("unknown key '%s'", argv[optind]);
	n = scandir(SYSCTL_DIR, &keys, regular, alphasort);
	if (n < 0)
		return fail(-errno, "%s (is edu loaded?)", SYSCTL_DIR);
	if (opt_json)
		o = json_object_new_object();
	for (i = 0, ret = 0; i < n; i++) {
		const char *key = keys[i]->d_name;

		if (ret || (optind < argc && strcmp(argv[optind], key)))
			continue;
		snprintf(path, sizeof(path), SYSCTL_DIR "/%s", key);
		ret = edu_file_read(path, val, sizeof(val));
		/* Listing all, a root-only key is left out for others. */
		if (ret == -EACCES && optind == argc)
			ret = 0;
		else if (ret)
			ret = fail(ret, "%s", path);
		else if (o)
			json_object_object_add(o, key, value_json(val));
		else
			printf("%s = %s\n", key, val);
	}
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	if (ret) {
		json_object_put(o);
		return ret;
	}
	if (o)
		json_print(o);
	return EXIT_OK;
}

static int plain_options(int argc, char **argv)
{
	static const struct option opts[] = { OPT_HELP, OPT_END };
	/* "+": a VALUE may start with '-' and is the driver's to judge. */
	int c = getopt_long(argc, argv, "+h", opts, NULL);

	return c == -1 ? 0 : -opt_done(c) - 1;
}

static int cmd_set(int argc, char **argv)
{
	char path[300];
	int ret;

	ret = plain_options(argc, argv);
	if (ret)
		return -ret - 1;
	if (argc - optind != 2)
		return usage_error("usage: set KEY VALUE");
	if (sysctl_key(argv[optind], path, sizeof(path)))
		return usage_error("unknown key '%s'", argv[optind]);
	ret = edu_file_write(path, argv[optind + 1]);
	if (ret)
		return fail(ret, "%s = %s", argv[optind], argv[optind + 1]);
	return EXIT_OK;
}

static int known(const char *const *list, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], word))
			return 1;
	return 0;
}

static int cmd_fault(int argc, char **argv)
{
	char name[EDU_NAME_MAX], path[128];
	int ret;

	ret = plain_options(argc, argv);
	if (ret)
		return -ret - 1;
	if (argc - optind != 3)
		return usage_error("usage: fault eduN KNOB VALUE");
	ret = device_arg(argv[optind], name);
	if (ret)
		return ret;
	if (!known(fault_knobs, N(fault_knobs), argv[optind + 1]))
		return usage_error("unknown knob '%s'", argv[optind + 1]);
	snprintf(path, sizeof(path), DEBUGFS_DIR "/%s/%s", name, argv[optind + 1]);
	ret = edu_file_write(path, argv[optind + 2]);
	if (ret)
		return fail(ret, "%s %s = %s", name, argv[optind + 1], argv[optind + 2]);
	return EXIT_OK;
}

const struct eductl_cmd fs_cmds[] = {
	{ "stats", "[eduN]", "statistics (sysfs stats/)", cmd_stats },
	{ "regs", "eduN", "every register (debugfs, root)", cmd_regs },
	{ "get", "[KEY]", "driver tunables (the files of sysctl dev.edu)", cmd_get },
	{ "set", "KEY VALUE", "set a tunable (root)", cmd_set },
	{ "fault", "eduN KNOB VALUE", "fault injection (debugfs, root)", cmd_fault },
	{ NULL, NULL, NULL, NULL }
};
