// SPDX-License-Identifier: GPL-2.0
/*
 * eductl proc: /proc/driver/edu, the driver's table of bound devices (a
 * header line of tab-separated column names, then one line per device),
 * parsed by its header so a new column needs no change here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "libedu.h"
#include "eductl.h"

#define PROC_FILE	"/proc/driver/edu"
#define MAX_COLS	32

static int split(char *line, char **cols)
{
	char *save, *tok;
	int n = 0;

	for (tok = strtok_r(line, "\t\n", &save); tok && n < MAX_COLS;
	     tok = strtok_r(NULL, "\t\n", &save))
		cols[n++] = tok;
	return n;
}

/* A column as JSON: counters are numbers, the rest text. */
static struct json_object *col_json(const char *val)
{
	char *end;
	unsigned long long v = strtoull(val, &end, 10);

	if (*val >= '0' && *val <= '9' && !*end)
		return json_object_new_uint64(v);
	return json_object_new_string(val);
}

/* Prints the table aligned, or as a JSON array of one object per device. */
static int print_table(FILE *f)
{
	char *head[MAX_COLS], *cols[MAX_COLS], hline[512], line[512];
	struct json_object *arr = opt_json ? json_object_new_array() : NULL;
	int nh, n, i;

	if (!fgets(hline, sizeof(hline), f)) {
		json_object_put(arr);
		return fail(-EIO, PROC_FILE ": no header");
	}
	nh = split(hline, head);
	for (i = 0; !arr && i < nh; i++)
		printf("%-*s", i + 1 < nh ? 14 : 0, head[i]);
	if (!arr)
		printf("\n");
	while (fgets(line, sizeof(line), f)) {
		struct json_object *o = arr ? json_object_new_object() : NULL;

		n = split(line, cols);
		for (i = 0; i < n && i < nh; i++) {
			if (o)
				json_object_object_add(o, head[i], col_json(cols[i]));
			else
				printf("%-*s", i + 1 < n ? 14 : 0, cols[i]);
		}
		if (o)
			json_object_array_add(arr, o);
		else
			printf("\n");
	}
	if (arr)
		json_print(arr);
	return EXIT_OK;
}

static int cmd_proc(int argc, char **argv)
{
	static const struct option opts[] = { OPT_HELP, OPT_END };
	int c, ret;
	FILE *f;

	c = getopt_long(argc, argv, "h", opts, NULL);
	if (c != -1)
		return opt_done(c);
	if (optind != argc)
		return usage_error("proc takes no arguments");
	f = fopen(PROC_FILE, "re");
	if (!f)
		return fail(-errno, PROC_FILE " (is edu loaded?)");
	ret = print_table(f);
	fclose(f);
	return ret;
}

const struct eductl_cmd proc_cmds[] = {
	{ "proc", "", "the driver's table of devices (" PROC_FILE ")", cmd_proc },
	{ NULL, NULL, NULL, NULL }
};
