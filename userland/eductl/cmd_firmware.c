// SPDX-License-Identifier: GPL-2.0
/*
 * eductl firmware load | cancel | info: the user-driven firmware upload.
 * The driver asks the kernel's firmware loader for an image that user space
 * supplies through the sysfs fallback interface:
 *   1. write 1 to /sys/class/edu/eduN/firmware_upload (the trigger);
 *   2. wait for /sys/class/firmware/edu-upload-eduN/ to appear;
 *   3. write 1 to its "loading", the image to "data", 0 to "loading"
 *      (or -1 to cancel);
 *   4. the driver validates, loads and verifies: firmware_state says how
 *      it went. A failed upload leaves the previous firmware active.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "libedu.h"
#include "eductl.h"

/* The driver names the upload (and so its directory) edu-upload-eduN. */
#define FW_CLASS "/sys/class/firmware/edu-upload-"

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int fallback_write(const char *name, const char *file, const void *buf,
			  size_t len)
{
	char path[128];
	int fd, ret = 0;

	snprintf(path, sizeof(path), FW_CLASS "%s/%s", name, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len && !ret) {
		ssize_t n = write(fd, buf, len);

		if (n < 0)
			ret = -errno;
		else
			buf = (const char *)buf + n, len -= n;
	}
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* Waits for the firmware_state to leave "loading"; returns it in state. */
static int wait_state(const char *name, int seconds, char *state, size_t len)
{
	int i;

	for (i = 0; i < seconds * 20; i++) {
		int ret = edu_attr_read(name, "firmware_state", state, len);

		if (ret)
			return ret;
		if (strcmp(state, "loading"))
			return 0;
		sleep_ms(50);
	}
	return -ETIMEDOUT;
}

/*
 * The options (only -h) and positionals of a firmware subcommand: want
 * words before the device, the device defaulting to edu0. 0 or exit + 1.
 */
static int fw_args(int argc, char **argv, int want, char *name)
{
	static const struct option opts[] = { OPT_HELP, OPT_END };
	int c, ret;

	/* "+": options first, then FILE (which may start with '-'). */
	c = getopt_long(argc, argv, "+h", opts, NULL);
	if (c != -1)
		return opt_done(c) + 1;
	if (argc - optind < want || argc - optind > want + 1)
		return usage_error("usage: firmware %s%s [eduN]", argv[0],
				   want ? " FILE" : "") + 1;
	ret = device_arg(argc - optind > want ? argv[optind + want] : "edu0", name);
	return ret ? ret + 1 : 0;
}

static int print_state(const char *name, const char *state, const char *version)
{
	struct json_object *o;

	if (!opt_json) {
		if (version)
			printf("%s: version %s, state %s\n", name, version, state);
		else
			printf("%s: %s\n", name, state);
		return EXIT_OK;
	}
	o = json_object_new_object();
	json_object_object_add(o, "device", json_object_new_string(name));
	json_object_object_add(o, "state", json_object_new_string(state));
	if (version)
		json_object_object_add(o, "version", json_object_new_string(version));
	json_print(o);
	return EXIT_OK;
}

static int cmd_load(int argc, char **argv)
{
	static unsigned char image[64 * 1024];
	char name[EDU_NAME_MAX], state[96], version[16], dir[128];
	const char *file;
	size_t len;
	FILE *f;
	int ret, i;

	ret = fw_args(argc, argv, 1, name);
	if (ret)
		return ret - 1;
	file = argv[optind];
	/* A missing file is a failed operation (1), not a missing device. */
	f = fopen(file, "rb");
	if (!f)
		return fail(-errno, "%s", file);
	len = fread(image, 1, sizeof(image), f);
	/* A read error, a directory, or more than an image can hold: not sent. */
	ret = ferror(f) ? -EIO : !feof(f) && fgetc(f) != EOF ? -EFBIG : 0;
	fclose(f);
	if (ret)
		return fail(ret, "%s", file);

	ret = edu_attr_write(name, "firmware_upload", "1");
	if (ret)
		return fail(ret, "%s: starting the upload", name);

	snprintf(dir, sizeof(dir), FW_CLASS "%s/loading", name);
	for (i = 0; i < 100 && access(dir, W_OK); i++)
		sleep_ms(50);
	if (i == 100)
		return fail(-ETIMEDOUT, "%s: no %s", name, dir);

	ret = fallback_write(name, "loading", "1", 1);
	if (!ret)
		ret = fallback_write(name, "data", image, len);
	if (ret) {
		fallback_write(name, "loading", "-1", 2);
		return fail(ret, "%s: upload (cancelled)", name);
	}
	ret = fallback_write(name, "loading", "0", 1);
	if (ret)
		return fail(ret, "%s: finishing the upload", name);

	ret = wait_state(name, 10, state, sizeof(state));
	if (ret)
		return fail(ret, "%s: waiting for the driver", name);
	if (edu_attr_read(name, "firmware_version", version, sizeof(version)))
		snprintf(version, sizeof(version), "?");
	if (opt_json) {
		print_state(name, state, version);
	} else {
		printf("%s: %s, firmware %s\n", name, state, version);
		fflush(stdout);
	}
	if (strcmp(state, "ready")) {
		fprintf(stderr, "eductl: %s: the firmware was refused: %s\n", name, state);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int cmd_cancel(int argc, char **argv)
{
	char name[EDU_NAME_MAX], state[96];
	int ret;

	ret = fw_args(argc, argv, 0, name);
	if (ret)
		return ret - 1;
	ret = fallback_write(name, "loading", "-1", 2);
	if (ret)
		return fail(ret, "%s: no upload in progress", name);
	ret = wait_state(name, 10, state, sizeof(state));
	if (ret)
		return fail(ret, "%s", name);
	return print_state(name, state, NULL);
}

static int cmd_info(int argc, char **argv)
{
	char name[EDU_NAME_MAX], state[96], version[16];
	int ret;

	ret = fw_args(argc, argv, 0, name);
	if (ret)
		return ret - 1;
	ret = edu_attr_read(name, "firmware_version", version, sizeof(version));
	if (!ret)
		ret = edu_attr_read(name, "firmware_state", state, sizeof(state));
	if (ret)
		return fail(ret, "%s", name);
	return print_state(name, state, version);
}

static const struct eductl_cmd fw_subcmds[] = {
	{ "load", "", "", cmd_load },
	{ "cancel", "", "", cmd_cancel },
	{ "info", "", "", cmd_info },
	{ NULL, NULL, NULL, NULL }
};

static int cmd_firmware(int argc, char **argv)
{
	return run_subcommand(fw_subcmds, "firmware", argc, argv);
}

const struct eductl_cmd firmware_cmds[] = {
	{ "firmware", "load FILE [eduN]", "upload an image through the sysfs fallback (root)",
	  cmd_firmware },
	{ "firmware", "cancel [eduN]", "cancel an upload in progress", cmd_firmware },
	{ "firmware", "info [eduN]", "active version and state of the last load",
	  cmd_firmware },
	{ NULL, NULL, NULL, NULL }
};
