// SPDX-License-Identifier: GPL-2.0
/*
 * eductl irq raise | watch: interrupt injection, and interrupts as events,
 * waited for with each mechanism the driver offers (evsrc.c), or as the
 * sysfs counter stats/irqs changing (POLLPRI), which carries no record.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <json-c/json.h>

#include "libedu.h"
#include "eductl.h"
#include "evsrc.h"

static int cmd_irq_raise(int argc, char **argv)
{
	static const struct option opts[] = { OPT_HELP, OPT_END };
	char name[EDU_NAME_MAX];
	uint32_t bits;
	int c, fd, ret;

	c = getopt_long(argc, argv, "h", opts, NULL);
	if (c != -1)
		return opt_done(c);
	if (argc - optind != 2)
		return usage_error("usage: irq raise eduN BITS");
	ret = device_arg(argv[optind], name);
	if (ret)
		return ret;
	if (edu_parse_u32(argv[optind + 1], &bits) || !bits)
		return usage_error("'%s' is not a non-zero 32-bit mask", argv[optind + 1]);
	fd = edu_open_dev(name, O_RDWR);
	if (fd < 0)
		return fail(fd, "%s", name);
	ret = ioctl(fd, EDU_IOC_RAISE_IRQ, &bits) ? -errno : 0;
	close(fd);
	if (ret)
		return fail(ret, "%s: raise 0x%x", name, bits);
	return EXIT_OK;
}

static const struct eductl_cmd irq_subcmds[] = {
	{ "raise", "", "", cmd_irq_raise },
	{ "test", "", "", cmd_irq_test },
	{ NULL, NULL, NULL, NULL }
};

static int cmd_irq(int argc, char **argv)
{
	return run_subcommand(irq_subcmds, "irq", argc, argv);
}

#define BY_SYSFS BY_NONE	/* not an event source: a counter */

struct watch_args {
	char name[EDU_NAME_MAX];
	enum evsrc_how how;
	unsigned int count;	/* 0: forever */
	unsigned int timeout;	/* seconds, 0: none */
	unsigned int entries;	/* --ring: its size in records */
};

static int timed_out(const struct watch_args *a, unsigned int seen)
{
	if (!a->count)
		return EXIT_OK;	/* no count asked: the time was the limit */
	fprintf(stderr, "eductl: %s: %u of %u events before the timeout\n",
		a->name, seen, a->count);
	return EXIT_FAIL;
}

static int watch_events(const struct watch_args *a)
{
	long long deadline = a->timeout ? mono_ms() + a->timeout * 1000LL : 0;
	struct edu_event ev;
	struct evsrc s;
	unsigned int seen = 0;
	int ret;

	ret = evsrc_open(&s, a->name, a->how, a->entries);
	if (ret)
		return fail(ret, "%s: watching by %s", a->name, evsrc_names[a->how]);
	while (!a->count || seen < a->count) {
		ret = evsrc_next(&s, &ev, ms_left(deadline));
		if (ret <= 0)
			break;
		print_event(&ev);
		seen++;
	}
	evsrc_close(&s);
	if (ret < 0)
		return fail(ret, "%s: waiting for events", a->name);
	return ret == 0 ? timed_out(a, seen) : EXIT_OK;
}

static void print_irqs(const char *name, unsigned long long irqs)
{
	struct json_object *o;

	if (!opt_json) {
		printf("%s irqs %llu\n", name, irqs);
		fflush(stdout);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "device", json_object_new_string(name));
	json_object_object_add(o, "irqs", json_object_new_uint64(irqs));
	json_print(o);
}

/*
 * --sysfs: POLLPRI on stats/irqs wakes after the counter changed; the new
 * value is all there is (one wake-up may stand for several interrupts).
 * The protocol of sysfs_notify: read, poll, seek back, read again.
 */
static int watch_sysfs(const struct watch_args *a)
{
	long long deadline = a->timeout ? mono_ms() + a->timeout * 1000LL : 0;
	char path[128], buf[32];
	unsigned int seen = 0;
	int fd, ret = 0;

	snprintf(path, sizeof(path), EDU_SYSFS_CLASS "/%s/stats/irqs", a->name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(-errno, "%s", path);
	if (read(fd, buf, sizeof(buf)) < 0)
		ret = -errno;
	while (!ret && (!a->count || seen < a->count)) {
		struct pollfd pf = { .fd = fd, .events = POLLPRI | POLLERR };
		ssize_t n;

		ret = poll(&pf, 1, ms_left(deadline));
		if (ret <= 0) {
			ret = ret < 0 ? -errno : 0;
			break;
		}
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0) {
			ret = -errno;	/* the device went with its file */
			break;
		}
		buf[n] = '\0';
		print_irqs(a->name, strtoull(buf, NULL, 10));
		seen++;
		ret = 0;
	}
	close(fd);
	if (ret < 0)
		return fail(ret, "%s", path);
	return !a->count || seen >= a->count ? EXIT_OK : timed_out(a, seen);
}

static int parse_watch(int argc, char **argv, struct watch_args *a)
{
	static const struct option opts[] = {
		{ "read", no_argument, NULL, 'R' },
		{ "poll", no_argument, NULL, 'P' },
		{ "epoll", no_argument, NULL, 'E' },
		{ "signal", no_argument, NULL, 'S' },
		{ "sigio", no_argument, NULL, 'I' },
		{ "eventfd", no_argument, NULL, 'F' },
		{ "ring", no_argument, NULL, 'G' },
		{ "sysfs", no_argument, NULL, 'Y' },
		{ "entries", required_argument, NULL, 'e' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		OPT_HELP, OPT_END
	};
	static const char how_of[] = "RPESIFGY";
	const char *p;
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = getopt_long(argc, argv, "hn:t:", opts, NULL)) != -1) {
		if (c && (p = strchr(how_of, c))) {
			a->how = p - how_of;
		} else if (c == 'e' || c == 'n' || c == 't') {
			unsigned int *v = c == 'e' ? &a->entries :
					  c == 'n' ? &a->count : &a->timeout;

			if (opt_uint(c == 'e' ? "--entries" : c == 'n' ? "-n" : "--timeout",
				     optarg, c == 'e' ? EDU_RING_MAX_ENTRIES : 1000000, v))
				return -EXIT_USAGE - 1;
		} else {
			return -opt_done(c) - 1;
		}
	}
	if (argc - optind != 1)
		return usage_error("watch needs one device");
	if (a->entries && a->how != BY_RING)
		return usage_error("--entries goes with --ring");
	if (!a->entries)
		a->entries = 256;
	return device_arg(argv[optind], a->name);
}

static int cmd_watch(int argc, char **argv)
{
	struct watch_args a;
	int ret;

	ret = parse_watch(argc, argv, &a);
	if (ret)
		return ret < 0 ? -ret - 1 : ret;
	if (a.how == BY_SYSFS)
		return watch_sysfs(&a);
	return watch_events(&a);
}

const struct eductl_cmd event_cmds[] = {
	{ "irq", "raise eduN BITS", "inject interrupt BITS through the device (root)",
	  cmd_irq },
	{ "irq", "test eduN [--count N] [--via HOW]",
	  "raise N interrupts, check each arrives once; latency (root)", cmd_irq },
	{ "watch", "eduN [--read|--poll|--epoll|--signal|--sigio|--eventfd|"
	  "--ring [--entries N]|--sysfs] [-n N] [--timeout S]",
	  "print interrupt events as they arrive", cmd_watch },
	{ NULL, NULL, NULL, NULL }
};
