/* SPDX-License-Identifier: GPL-2.0 */
/* eductl's command table: each cmd_*.c file adds its commands here. */
#ifndef EDUCTL_H
#define EDUCTL_H

/* Exit codes, documented in docs/eductl.md. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the operation failed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NODEV = 3,		/* no such edu device */
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
extern const struct eductl_cmd firmware_cmds[];	/* cmd_firmware.c */
extern const struct eductl_cmd netlink_cmds[];	/* cmd_netlink.c */
extern const struct eductl_cmd listen_cmds[];	/* cmd_listen.c */

int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int device_arg(const char *arg, char name[]);
int run_subcommand(const struct eductl_cmd *table, const char *what, int argc,
		   char **argv);

#endif /* EDUCTL_H */
