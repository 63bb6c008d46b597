// SPDX-License-Identifier: GPL-2.0
/*
 * eductl stats | regs | get | set | fault: the filesystem channels, each
 * read through its own files: statistics from sysfs, registers from
 * debugfs, tunables from sysctl, fault knobs in debugfs. --json prints one
 * JSON object for scripts.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libedu.h"
#include "eductl.h"

#define SYSCTL_DIR	"/proc/sys/dev/edu"
#define DEBUGFS_DIR	"/sys/kernel/debug/edu"

static const char *const stat_names[] = {
	"irqs", "irqs_factorial", "irqs_dma", "irqs_other", "irqs_spurious",
	"irqs_dropped", "injected", "dma_transfers", "dma_bytes", "factorials",
	"errors", "events_dropped",
};

static const char *const sysctl_keys[] = {
	"dma_timeout_ms", "irq_timeout_ms", "event_queue_len", "log_level",
	"firmware_upload_timeout_s", "upcall_helper",
};

static const char *const fault_knobs[] = {
	"drop_irqs", "fail_dma", "dma_delay_ms", "spurious_irq", "inject_irq",
	"signal_pid",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Options common to these commands: --json, and the positional words. */
struct fs_args {
	int json;
	int npos;
	char *pos[3];
};

static int parse(int argc, char **argv, struct fs_args *a, int max_pos)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			a->json = 1;
		else if (argv[i][0] == '-' && argv[i][1] && a->npos < 1)
			return usage_error("unknown option '%s'", argv[i]);
		else if (a->npos < max_pos)
			a->pos[a->npos++] = argv[i];
		else
			return usage_error("too many arguments for %s", argv[0]);
	}
	return EXIT_OK;
}

/* A JSON string: the values here are paths and hex numbers; escape anyway. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

/*
 * Names of bound devices, or just the one named: how many, or minus the
 * exit code after saying what is wrong.
 */
static int device_list(struct fs_args *a, char names[][EDU_NAME_MAX], int max)
{
	DIR *dir;
	int n = 0;

	if (a->npos) {
		int ret = device_arg(a->pos[0], names[0]);

		return ret ? -ret : 1;
	}
	dir = opendir(EDU_SYSFS_CLASS);
	if (dir) {
		struct dirent *de;

		while ((de = readdir(dir)) && n < max)
			if (!strncmp(de->d_name, "edu", 3) &&
			    strlen(de->d_name) < EDU_NAME_MAX)
				strcpy(names[n++], de->d_name);
		closedir(dir);
	}
	return n ? n : -fail(-ENODEV, "no edu device bound");
}

static int cmd_stats(int argc, char **argv)
{
	char names[64][EDU_NAME_MAX], val[32];
	struct fs_args a;
	int n, i, ret;
	size_t s;

	ret = parse(argc, argv, &a, 1);
	if (ret)
		return ret;
	n = device_list(&a, names, 64);
	if (n < 0)
		return -n;

	if (a.json)
		printf("{");
	for (i = 0; i < n; i++) {
		printf(a.json ? "%s\"%s\": {" : "%s%s\n", a.json && i ? ", " : "",
		       names[i]);
		for (s = 0; s < N(stat_names); s++) {
			char attr[64];

			snprintf(attr, sizeof(attr), "stats/%s", stat_names[s]);
			ret = edu_attr_read(names[i], attr, val, sizeof(val));
			if (ret)
				return fail(ret, "%s: %s", names[i], attr);
			if (a.json)
				printf("%s\"%s\": %s", s ? ", " : "", stat_names[s], val);
			else
				printf("  %-16s %s\n", stat_names[s], val);
		}
		if (a.json)
			printf("}");
	}
	if (a.json)
		printf("}\n");
	return EXIT_OK;
}

/* debugfs regs lines: "0x00 identification    0x010000ed" */
static int cmd_regs(int argc, char **argv)
{
	char name[EDU_NAME_MAX], path[128], buf[2048], *line, *save;
	struct fs_args a;
	int ret, first = 1;

	ret = parse(argc, argv, &a, 1);
	if (ret)
		return ret;
	if (a.npos != 1)
		return usage_error("usage: regs eduN [--json]");
	ret = device_arg(a.pos[0], name);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), DEBUGFS_DIR "/%s/regs", name);
	ret = edu_file_read(path, buf, sizeof(buf));
	if (ret)
		return fail(ret, "%s (debugfs mounted? root?)", path);
	if (!a.json) {
		printf("%s\n", buf);
		return EXIT_OK;
	}
	printf("{");
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char off[8], reg[32], val[32];

		if (sscanf(line, "%7s %31s %31s", off, reg, val) != 3)
			continue;
		printf("%s\"%s\": ", first ? "" : ", ", reg);
		json_str(val);
		first = 0;
	}
	printf("}\n");
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

static int cmd_get(int argc, char **argv)
{
	char path[128], val[300];
	struct fs_args a;
	size_t i;
	int ret, shown = 0;

	ret = parse(argc, argv, &a, 1);
	if (ret)
		return ret;
	if (a.npos && !known(sysctl_keys, N(sysctl_keys), a.pos[0]))
		return usage_error("unknown key '%s'", a.pos[0]);
	if (a.json)
		printf("{");
	for (i = 0; i < N(sysctl_keys); i++) {
		if (a.npos && strcmp(a.pos[0], sysctl_keys[i]))
			continue;
		snprintf(path, sizeof(path), SYSCTL_DIR "/%s", sysctl_keys[i]);
		ret = edu_file_read(path, val, sizeof(val));
		if (ret)
			return fail(ret, "%s", path);
		if (a.json) {
			printf("%s\"%s\": ", shown ? ", " : "", sysctl_keys[i]);
			if (!strcmp(sysctl_keys[i], "upcall_helper"))
				json_str(val);
			else
				printf("%s", val);
		} else {
			printf("%s = %s\n", sysctl_keys[i], val);
		}
		shown++;
	}
	if (a.json)
		printf("}\n");
	return EXIT_OK;
}

static int cmd_set(int argc, char **argv)
{
	char path[128];
	int ret;

	if (argc != 3)
		return usage_error("usage: set KEY VALUE");
	if (!known(sysctl_keys, N(sysctl_keys), argv[1]))
		return usage_error("unknown key '%s'", argv[1]);
	snprintf(path, sizeof(path), SYSCTL_DIR "/%s", argv[1]);
	ret = edu_file_write(path, argv[2]);
	if (ret)
		return fail(ret, "%s = %s", argv[1], argv[2]);
	return EXIT_OK;
}

static int cmd_fault(int argc, char **argv)
{
	char name[EDU_NAME_MAX], path[128];
	int ret;

	if (argc != 4)
		return usage_error("usage: fault eduN KNOB VALUE");
	ret = device_arg(argv[1], name);
	if (ret)
		return ret;
	if (!known(fault_knobs, N(fault_knobs), argv[2]))
		return usage_error("unknown knob '%s'", argv[2]);
	snprintf(path, sizeof(path), DEBUGFS_DIR "/%s/%s", name, argv[2]);
	ret = edu_file_write(path, argv[3]);
	if (ret)
		return fail(ret, "%s %s = %s", name, argv[2], argv[3]);
	return EXIT_OK;
}

const struct eductl_cmd fs_cmds[] = {
	{ "stats", "[eduN] [--json]", "statistics (sysfs stats/)", cmd_stats },
	{ "regs", "eduN [--json]", "every register (debugfs, root)", cmd_regs },
	{ "get", "[KEY] [--json]", "driver tunables (sysctl dev.edu)", cmd_get },
	{ "set", "KEY VALUE", "set a tunable (root)", cmd_set },
	{ "fault", "eduN KNOB VALUE", "fault injection (debugfs, root)", cmd_fault },
	{ NULL, NULL, NULL, NULL }
};
