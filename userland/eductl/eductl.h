/* SPDX-License-Identifier: GPL-2.0 */
/* eductl's command table: each cmd_*.c file adds its commands here. */
#ifndef EDUCTL_H
#define EDUCTL_H

#include <getopt.h>
#include <stdint.h>

#include <linux/edu.h>	/* EDU_VERSION: the release, one number for all */

/* Exit codes, documented in docs/eductl.md and eductl(1). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the operation failed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NODEV = 3,		/* a device lookup failed: no such edu device */
};

struct eductl_cmd {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);	/* argv[0] is the command */
};

extern const struct eductl_cmd device_cmds[];	/* cmd_device.c */
extern const struct eductl_cmd dma_cmds[];	/* cmd_dma.c */
extern const struct eductl_cmd event_cmds[];	/* cmd_events.c */
extern const struct eductl_cmd fs_cmds[];	/* cmd_fs.c */
extern const struct eductl_cmd proc_cmds[];	/* cmd_proc.c */
extern const struct eductl_cmd route_cmds[];	/* cmd_route.c */
extern const struct eductl_cmd firmware_cmds[];	/* cmd_firmware.c */
extern const struct eductl_cmd netlink_cmds[];	/* cmd_netlink.c */
extern const struct eductl_cmd listen_cmds[];	/* cmd_listen.c */

/* Global options (before the command). */
extern int opt_json;	/* -j: JSON on stdout, only once the data is complete */

/*
 * Every command parses with getopt_long; these end its loop: -h/--help
 * prints the command's usage (exit 0), anything else is a usage error.
 */
#define OPT_HELP { "help", no_argument, NULL, 'h' }
#define OPT_END { NULL, 0, NULL, 0 }
int opt_done(int c);
/* A number argument of an option, 0..max, or a usage error (-1). */
int opt_uint(const char *opt, const char *arg, unsigned int max, unsigned int *v);

int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "eductl: <what>: <strerror>", exit 1: the operation failed. */
int fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "eductl: <what>: no such device", exit 3: a device lookup failed. */
int nodev(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int device_arg(const char *arg, char name[]);
int run_subcommand(const struct eductl_cmd *table, const char *what, int argc,
		   char **argv);

/* output.c: JSON and the one event formatter of every watcher. */
struct json_object;
struct edu_event;
void json_print(struct json_object *o);	/* prints, then frees it */
void print_event(const struct edu_event *ev);	/* a line, flushed */
void print_factorial(const char *dev, const char *via, unsigned int n, uint32_t result);
/* Milliseconds left until deadline (0: none, -1 returned), at least 0. */
int ms_left(long long deadline);
long long mono_ms(void);

/* cmd_irqtest.c: eductl irq test */
int cmd_irq_test(int argc, char **argv);

/* cmd_netlink.c: the factorial through netlink (exit code; prints errors). */
int nl_factorial(const char *name, unsigned int n, uint32_t *result);

#endif /* EDUCTL_H */
