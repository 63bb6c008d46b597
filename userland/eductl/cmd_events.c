// SPDX-License-Identifier: GPL-2.0
/*
 * eductl irq raise | watch: interrupt injection, and interrupts as events,
 * waited for with each mechanism the driver offers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "libedu.h"
#include "eductl.h"

static int cmd_irq(int argc, char **argv)
{
	char name[EDU_NAME_MAX];
	uint32_t bits;
	int fd, ret;

	if (argc != 4 || strcmp(argv[1], "raise"))
		return usage_error("usage: irq raise eduN BITS");
	ret = device_arg(argv[2], name);
	if (ret)
		return ret;
	if (edu_parse_u32(argv[3], &bits) || !bits)
		return usage_error("'%s' is not a non-zero 32-bit mask", argv[3]);
	fd = edu_open_dev(name, O_RDWR);
	if (fd < 0)
		return fail(fd, "%s", name);
	ret = ioctl(fd, EDU_IOC_RAISE_IRQ, &bits) ? -errno : 0;
	close(fd);
	if (ret)
		return fail(ret, "%s: raise 0x%x", name, bits);
	return EXIT_OK;
}

enum wait_how { BY_READ, BY_POLL, BY_EPOLL, BY_SIGNAL, BY_EVENTFD, BY_RING };

/* Waits until fd has an event (or ms pass): 1 ready, 0 timeout, -errno. */
static int wait_ready(int fd, enum wait_how how, int epfd, int ms)
{
	struct epoll_event ee;
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	int n;

	switch (how) {
	case BY_POLL:
		n = poll(&pf, 1, ms);
		if (n > 0 && (pf.revents & (POLLERR | POLLHUP)))
			return -ENODEV;
		break;
	case BY_EPOLL:
		n = epoll_wait(epfd, &ee, 1, ms);
		if (n > 0 && (ee.events & (EPOLLERR | EPOLLHUP)))
			return -ENODEV;
		break;
	default:
		return 1;
	}
	return n < 0 ? -errno : n;
}

struct watch_args {
	char name[EDU_NAME_MAX];
	enum wait_how how;
	unsigned int count;	/* 0: forever */
	unsigned int timeout;	/* seconds, 0: none */
	unsigned int entries;	/* --ring: its size in records */
};

static int parse_watch(int argc, char **argv, struct watch_args *a)
{
	const char *dev = NULL;
	int i, ret;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--poll")) {
			a->how = BY_POLL;
		} else if (!strcmp(argv[i], "--epoll")) {
			a->how = BY_EPOLL;
		} else if (!strcmp(argv[i], "--signal")) {
			a->how = BY_SIGNAL;
		} else if (!strcmp(argv[i], "--eventfd")) {
			a->how = BY_EVENTFD;
		} else if (!strcmp(argv[i], "--ring")) {
			a->how = BY_RING;
		} else if (!strcmp(argv[i], "--entries")) {
			if (i + 1 >= argc ||
			    edu_parse_uint(argv[i + 1], EDU_RING_MAX_ENTRIES, &a->entries))
				return usage_error("--entries needs a number");
			i++;
		} else if (!strcmp(argv[i], "-n") || !strcmp(argv[i], "--timeout")) {
			unsigned int *v = argv[i][1] == 'n' ? &a->count : &a->timeout;

			if (i + 1 >= argc || edu_parse_uint(argv[i + 1], 1000000, v))
				return usage_error("%s needs a number", argv[i]);
			i++;
		} else if (argv[i][0] == '-') {
			return usage_error("unknown option '%s'", argv[i]);
		} else if (!dev) {
			dev = argv[i];
		} else {
			return usage_error("usage: watch eduN [--poll|--epoll|--signal|"
					   "--eventfd|--ring [--entries N]] "
					   "[-n COUNT] [--timeout SEC]");
		}
	}
	if (!dev)
		return usage_error("watch needs a device");
	if (a->entries && a->how != BY_RING)
		return usage_error("--entries goes with --ring");
	if (!a->entries)
		a->entries = 256;
	ret = device_arg(dev, a->name);
	return ret;
}

/*
 * The registration ioctl: SIGRTMIN to the process on each event. The signal
 * carries no payload; the events themselves are read after it.
 */
static int wait_signal(int sig, int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	siginfo_t si;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sigtimedwait(&set, &si, ms < 0 ? NULL : &ts) < 0)
		return errno == EAGAIN ? 0 : -errno;
	return 1;
}

static void print_event(const struct edu_event *ev)
{
	char line[160];

	edu_format_event(ev, line, sizeof(line));
	printf("%s\n", line);
	fflush(stdout);
}

/*
 * Prints queued events: one per call for a blocking read, else all there
 * are (a wake-up or a signal may stand for several). 0 or -errno.
 */
static int drain(int fd, const struct watch_args *a, unsigned int *seen)
{
	struct edu_event ev;

	while (!a->count || *seen < a->count) {
		ssize_t n = read(fd, &ev, sizeof(ev));

		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (n != sizeof(ev))
			return -EIO;
		print_event(&ev);
		(*seen)++;
		if (a->how == BY_READ)
			break;
	}
	return 0;
}

/*
 * --eventfd: one eventfd registered for every class is the doorbell; the
 * events are then read from the file. The driver rings it once more when
 * the device goes, and the read says ENODEV.
 */
static int watch_eventfd(int fd, const struct watch_args *a)
{
	int ms = a->timeout ? (int)a->timeout * 1000 : -1;
	struct edu_eventfd reg = { .classes = EDU_EVFD_ALL };
	unsigned int seen = 0;
	int efd, ret = EXIT_OK;

	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		return fail(-errno, "eventfd");
	reg.fd = efd;
	if (ioctl(fd, EDU_IOC_SET_EVENTFD, &reg)) {
		ret = fail(-errno, "%s: eventfd registration", a->name);
		goto out;
	}
	while (!a->count || seen < a->count) {
		struct pollfd pf = { .fd = efd, .events = POLLIN };
		uint64_t n;

		ret = poll(&pf, 1, ms);
		if (ret == 0) {
			fprintf(stderr, "eductl: %s: %u of %u events before the timeout\n",
				a->name, seen, a->count);
			ret = EXIT_FAIL;
			goto out;
		}
		if (ret < 0 || read(efd, &n, sizeof(n)) != sizeof(n)) {
			ret = fail(-errno, "%s: eventfd", a->name);
			goto out;
		}
		ret = drain(fd, a, &seen);
		if (ret) {
			ret = fail(ret, "%s: reading events", a->name);
			goto out;
		}
	}
	ret = EXIT_OK;
out:
	close(efd);
	return ret;
}

/* --ring: records from the mapped ring; poll(2) only when it is empty. */
static int watch_ring(int fd, const struct watch_args *a)
{
	int ms = a->timeout ? (int)a->timeout * 1000 : -1;
	struct edu_event batch[32];
	struct edu_ring r;
	unsigned int seen = 0;
	int ret, i;

	ret = edu_ring_open(fd, a->entries, &r);
	if (ret)
		return fail(ret, "%s: ring of %u", a->name, a->entries);
	while (!a->count || seen < a->count) {
		unsigned int max = sizeof(batch) / sizeof(batch[0]);
		struct pollfd pf = { .fd = fd, .events = POLLIN };

		if (a->count && a->count - seen < max)
			max = a->count - seen;
		ret = edu_ring_consume(&r, batch, max);
		if (ret < 0) {
			ret = fail(ret, "%s: ring", a->name);
			goto out;
		}
		for (i = 0; i < ret; i++)
			print_event(&batch[i]);
		seen += ret;
		if (ret)
			continue;
		/* Empty: nothing will come from a dead ring. */
		if (edu_ring_dead(&r)) {
			ret = fail(-ENODEV, "%s", a->name);
			goto out;
		}
		ret = poll(&pf, 1, ms);
		if (ret == 0) {
			fprintf(stderr, "eductl: %s: %u of %u events before the timeout\n",
				a->name, seen, a->count);
			ret = EXIT_FAIL;
			goto out;
		}
		if (ret < 0) {
			ret = fail(-errno, "%s: poll", a->name);
			goto out;
		}
	}
	ret = EXIT_OK;
out:
	edu_ring_close(&r);
	return ret;
}

static int watch(int fd, const struct watch_args *a)
{
	int ms = a->timeout ? (int)a->timeout * 1000 : -1;
	int epfd = -1, sig = SIGRTMIN;
	unsigned int seen = 0;

	if (a->how == BY_EVENTFD)
		return watch_eventfd(fd, a);
	if (a->how == BY_RING)
		return watch_ring(fd, a);
	if (a->how == BY_EPOLL) {
		struct epoll_event ee = { .events = EPOLLIN, .data.fd = fd };

		epfd = epoll_create1(EPOLL_CLOEXEC);
		if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ee))
			return fail(-errno, "epoll");
	} else if (a->how == BY_SIGNAL) {
		struct edu_signal reg = { .signo = sig };
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_BLOCK, &set, NULL);
		if (ioctl(fd, EDU_IOC_SET_SIGNAL, &reg))
			return fail(-errno, "%s: signal registration", a->name);
	}

	while (!a->count || seen < a->count) {
		int ret;

		if (a->how == BY_SIGNAL)
			ret = wait_signal(sig, ms);
		else
			ret = wait_ready(fd, a->how, epfd, ms);
		if (ret == 0) {
			fprintf(stderr, "eductl: %s: %u of %u events before the timeout\n",
				a->name, seen, a->count);
			return EXIT_FAIL;
		}
		if (ret < 0)
			return fail(ret, "%s: waiting", a->name);

		ret = drain(fd, a, &seen);
		if (ret)
			return fail(ret, "%s: reading events", a->name);
	}
	return EXIT_OK;
}

static int cmd_watch(int argc, char **argv)
{
	struct watch_args a;
	int fd, ret;

	ret = parse_watch(argc, argv, &a);
	if (ret)
		return ret;
	/*
	 * Watching needs no privilege: read-only. Only a blocking read waits in
	 * read(2); the others drain without.
	 */
	fd = edu_open_dev(a.name, O_RDONLY | (a.how == BY_READ ? 0 : O_NONBLOCK));
	if (fd < 0)
		return fail(fd, "%s", a.name);
	if (a.how == BY_READ && a.timeout) {
		/* A blocking read has no timeout of its own: use poll's. */
		a.how = BY_POLL;
		fcntl(fd, F_SETFL, O_NONBLOCK);
	}
	ret = watch(fd, &a);
	close(fd);
	return ret;
}

const struct eductl_cmd event_cmds[] = {
	{ "irq", "raise eduN BITS", "inject interrupt BITS through the device (root)",
	  cmd_irq },
	{ "watch", "eduN [--poll|--epoll|--signal|--eventfd|--ring [--entries N]] [-n N] [--timeout S]",
	  "print interrupt events as they arrive", cmd_watch },
	{ NULL, NULL, NULL, NULL }
};
