// SPDX-License-Identifier: GPL-2.0
/*
 * eductl dma write|read: the data window, zero-copy by default (the mmap'd
 * buffer and EDU_IOC_DMA), or by copy with --copy (EDU_IOC_*_DATA) or
 * --uring (the copy path as an io_uring command, docs/uring.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "libedu.h"
#include "eductl.h"

struct dma_args {
	char name[EDU_NAME_MAX];
	unsigned int off;
	int copy;
	int uring;
	char *arg;		/* TEXT or LENGTH */
};

/* eductl dma write|read [--copy|--uring] eduN OFFSET ARG */
static int parse(int argc, char **argv, struct dma_args *a)
{
	static const struct option opts[] = {
		{ "copy", no_argument, NULL, 'c' },
		{ "uring", no_argument, NULL, 'u' },
		OPT_HELP, OPT_END
	};
	int c, ret;

	memset(a, 0, sizeof(*a));
	/* "+": options first; TEXT may start with '-' ("dma write edu0 0 -x"). */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'c')
			a->copy = 1;
		else if (c == 'u')
			a->uring = 1;
		else
			return -opt_done(c) - 1;
	}
	if (a->copy && a->uring)
		return usage_error("--copy or --uring, not both");
	if (argc - optind != 3)
		return usage_error("usage: dma %s [--copy|--uring] eduN OFFSET %s", argv[0],
				   strcmp(argv[0], "write") ? "LENGTH" : "TEXT");
	ret = device_arg(argv[optind], a->name);
	if (ret)
		return ret;
	if (edu_parse_uint(argv[optind + 1], EDU_DATA_WINDOW_SIZE - 1, &a->off))
		return usage_error("offset '%s' is not in 0..%d", argv[optind + 1],
				   EDU_DATA_WINDOW_SIZE - 1);
	a->arg = argv[optind + 2];
	return EXIT_OK;
}

/* parse()'s result as an exit code: -1 - code is help's (or usage's) own. */
static int parse_exit(int ret)
{
	return ret < 0 ? -ret - 1 : ret;
}

/* Moves len bytes between buf and the window, by either path. */
static int transfer(int fd, const struct dma_args *a, void *buf,
		    unsigned int len, int to_device)
{
	struct edu_dma req = {
		.dir = to_device ? EDU_DMA_TO_DEVICE : EDU_DMA_FROM_DEVICE,
		.window_off = a->off,
		.len = len,
	};
	struct edu_data data = {
		.addr = (uintptr_t)buf, .window_off = a->off, .len = len,
	};
	void *map;
	int ret = 0;

	if (a->uring)
		return edu_uring_data(fd, to_device, buf, a->off, len);
	if (a->copy)
		return ioctl(fd, to_device ? EDU_IOC_WRITE_DATA : EDU_IOC_READ_DATA,
			     &data) ? -errno : 0;

	map = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return -errno;
	if (to_device)
		memcpy(map, buf, len);
	if (ioctl(fd, EDU_IOC_DMA, &req))
		ret = -errno;
	else if (!to_device)
		memcpy(buf, map, len);
	munmap(map, EDU_MMAP_SIZE);
	return ret;
}

static void hexdump(const unsigned char *p, unsigned int len, unsigned int base)
{
	unsigned int i, j;

	for (i = 0; i < len; i += 16) {
		printf("%04x:", base + i);
		for (j = i; j < i + 16; j++) {
			if (j < len)
				printf(" %02x", p[j]);
			else
				printf("   ");
		}
		printf("  |");
		for (j = i; j < i + 16 && j < len; j++)
			putchar(p[j] >= 0x20 && p[j] < 0x7f ? p[j] : '.');
		printf("|\n");
	}
}

/* The bytes as a hex string: JSON has no bytes type. */
static struct json_object *data_json(const char *name, unsigned int off,
				     const unsigned char *buf, unsigned int len)
{
	struct json_object *o = json_object_new_object();
	char hex[2 * EDU_DATA_WINDOW_SIZE + 1];
	unsigned int i;

	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", buf[i]);
	hex[2 * len] = '\0';
	json_object_object_add(o, "device", json_object_new_string(name));
	json_object_object_add(o, "offset", json_object_new_int(off));
	json_object_object_add(o, "length", json_object_new_int(len));
	json_object_object_add(o, "data", json_object_new_string(hex));
	return o;
}

static int cmd_dma_write(int argc, char **argv)
{
	struct dma_args a;
	size_t len;
	int fd, ret;

	ret = parse(argc, argv, &a);
	if (ret)
		return parse_exit(ret);
	len = strlen(a.arg);
	if (!len || len > EDU_DATA_WINDOW_SIZE - a.off)
		return usage_error("%zu bytes do not fit the window at %u (%d bytes)",
				   len, a.off, EDU_DATA_WINDOW_SIZE);
	fd = edu_open_dev(a.name, O_RDWR);
	if (fd < 0)
		return fail(fd, "%s", a.name);
	ret = transfer(fd, &a, a.arg, len, 1);
	close(fd);
	if (ret)
		return fail(ret, "%s: DMA write", a.name);
	if (opt_json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "device", json_object_new_string(a.name));
		json_object_object_add(o, "offset", json_object_new_int(a.off));
		json_object_object_add(o, "bytes", json_object_new_int((int)len));
		json_print(o);
	} else {
		printf("%zu bytes written at %u\n", len, a.off);
	}
	return EXIT_OK;
}

static int cmd_dma_read(int argc, char **argv)
{
	unsigned char buf[EDU_DATA_WINDOW_SIZE];
	struct dma_args a;
	unsigned int len;
	int fd, ret;

	ret = parse(argc, argv, &a);
	if (ret)
		return parse_exit(ret);
	if (edu_parse_uint(a.arg, EDU_DATA_WINDOW_SIZE - a.off, &len) || !len)
		return usage_error("length '%s' is not in 1..%u", a.arg,
				   EDU_DATA_WINDOW_SIZE - a.off);
	fd = edu_open_dev(a.name, O_RDWR);
	if (fd < 0)
		return fail(fd, "%s", a.name);
	ret = transfer(fd, &a, buf, len, 0);
	close(fd);
	if (ret)
		return fail(ret, "%s: DMA read", a.name);
	if (opt_json)
		json_print(data_json(a.name, a.off, buf, len));
	else
		hexdump(buf, len, a.off);
	return EXIT_OK;
}

static const struct eductl_cmd dma_subcmds[] = {
	{ "write", "[--copy|--uring] eduN OFF TEXT", "", cmd_dma_write },
	{ "read", "[--copy|--uring] eduN OFF LEN", "", cmd_dma_read },
	{ NULL, NULL, NULL, NULL }
};

static int cmd_dma(int argc, char **argv)
{
	return run_subcommand(dma_subcmds, "dma", argc, argv);
}

const struct eductl_cmd dma_cmds[] = {
	{ "dma", "write eduN OFF TEXT", "DMA TEXT into the data window (zero-copy; --copy, --uring)",
	  cmd_dma },
	{ "dma", "read eduN OFF LEN", "DMA from the data window, hex dump (--copy, --uring)",
	  cmd_dma },
	{ NULL, NULL, NULL, NULL }
};
