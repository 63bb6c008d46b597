// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * eventfd doorbells (EDU_IOC_SET_EVENTFD, docs/eventfd.md): exact counts
 * per class, several eventfds, one eventfd shared by two files, bad input,
 * the end of a registration (unregister, close of the eventfd or of the
 * file) and device removal (unbind, hot-unplug) under a blocked reader.
 * Run in each interrupt mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>

#include "hotplug.h"
#include "events_util.h"
#include "tests.h"
#include "util.h"

#define EVFDS_FILE "/sys/kernel/debug/edu/edu0/eventfds"

static int evfd_set(int fd, int efd, unsigned int classes)
{
	struct edu_eventfd r = { .fd = efd, .classes = classes };

	return ioctl(fd, EDU_IOC_SET_EVENTFD, &r) ? -errno : 0;
}

/* The eventfd's counter, read (and so reset) without waiting; 0 if none. */
static long long evfd_take(int efd)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t n;

	if (poll(&p, 1, 0) != 1)
		return 0;
	if (read(efd, &n, sizeof(n)) != sizeof(n))
		return -1;
	return (long long)n;
}

/* Live registrations of edu0's files (debugfs), or -1. */
static long long evfd_regs(void)
{
	char buf[32];

	if (read_text(EVFDS_FILE, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 10);
}

/* Reads exactly n events from fd (non-blocking), no more queued. */
static int read_n_events(int fd, int n)
{
	struct edu_event ev;
	int i;

	for (i = 0; i < n; i++)
		if (read(fd, &ev, sizeof(ev)) != sizeof(ev))
			return -1;
	return read(fd, &ev, sizeof(ev)) == -1 && errno == EAGAIN ? 0 : -1;
}

/* eductl watch --eventfd: the doorbell, then the events read from the file. */
static int test_eventfd_eductl(void)
{
	int fd = open0(O_RDWR);
	long long base = evfd_regs();
	pid_t pid;

	CHECK(fd >= 0, "open");
	pid = start_watch("--eventfd", "/tmp/watch-eventfd.out");
	CHECK(pid > 0, "fork");
	CHECK(WAIT_FOR(evfd_regs() == base + EDU_EVFD_CLASSES, 5000), "eductl did not register");
	CHECK(raise_handled(fd, 0x10000) == 0 && raise_handled(fd, 0x20000) == 0, "raise");
	CHECK(watch_result(pid, "/tmp/watch-eventfd.out", "status 0x00010000",
			   "status 0x00020000") == 0, "eductl watch --eventfd");
	CHECK(evfd_regs() == base, "eductl's registrations outlived it");
	close(fd);
	return 0;
}

/* One eventfd for every class: exactly one count per event; -1 stops it. */
static int test_eventfd_counts(void)
{
	enum { N = 7 };
	int fd = open0(O_RDWR | O_NONBLOCK);
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), i;
	long long base = evfd_regs();

	CHECK(fd >= 0 && efd >= 0, "open");
	CHECK(base >= 0, "no %s", EVFDS_FILE);
	CHECK(evfd_set(fd, efd, EDU_EVFD_ALL) == 0, "register: %s", strerror(errno));
	CHECK(evfd_regs() == base + EDU_EVFD_CLASSES, "%lld registrations", evfd_regs());
	for (i = 0; i < N; i++)
		CHECK(raise_handled(fd, 0x1000 << (i % 4)) == 0, "raise %d", i);
	CHECK(evfd_take(efd) == N, "eventfd counted the events wrong");
	CHECK(read_n_events(fd, N) == 0, "the file has not exactly %d events", N);

	/* Unregistered: the event still reaches the file, the eventfd stays 0. */
	CHECK(evfd_set(fd, -1, EDU_EVFD_ALL) == 0, "unregister: %s", strerror(errno));
	CHECK(evfd_regs() == base, "%lld registrations left", evfd_regs() - base);
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	CHECK(read_n_events(fd, 1) == 0, "event after unregister");
	CHECK(evfd_take(efd) == 0, "signalled after unregister");
	/* Unregistering what is not registered is fine. */
	CHECK(evfd_set(fd, -1, EDU_EVFD_DMA) == 0, "unregister twice");
	close(efd);
	close(fd);
	return 0;
}

/* Each class its own eventfd; an event of two classes rings one eventfd once. */
static int test_eventfd_classes(void)
{
	struct edu_factorial fact = { .n = 5 };
	int fd = open0(O_RDWR | O_NONBLOCK), eng = open0(O_RDWR), e[3], i;
	unsigned char buf[16] = { 0 };

	CHECK(fd >= 0 && eng >= 0, "open");
	for (i = 0; i < 3; i++) {
		e[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		CHECK(e[i] >= 0, "eventfd");
		CHECK(evfd_set(fd, e[i], 1u << i) == 0, "register class %d: %s", i,
		      strerror(errno));
	}
	CHECK(ioctl(eng, EDU_IOC_FACTORIAL, &fact) == 0 && fact.result == 120, "5!");
	CHECK(WAIT_FOR(evfd_take(e[0]) == 1, 2000), "factorial eventfd");
	CHECK(write_window(eng, 0, buf, sizeof(buf)) == 0, "dma: %s", strerror(errno));
	CHECK(WAIT_FOR(evfd_take(e[1]) == 1, 2000), "DMA eventfd");
	CHECK(raise_handled(fd, 0x20000) == 0, "raise");
	CHECK(evfd_take(e[2]) == 1, "other eventfd");
	CHECK(read_n_events(fd, 3) == 0, "three events in the file");
	CHECK(evfd_take(e[0]) == 0 && evfd_take(e[1]) == 0, "a wrong class rang");

	/*
	 * e[0] for factorial and other: an event with both bits counts once.
	 * (Injected: the factorial engine is idle, the driver confirms with it.)
	 */
	CHECK(evfd_set(fd, e[0], EDU_EVFD_FACTORIAL | EDU_EVFD_OTHER) == 0, "register");
	CHECK(raise_handled(fd, EDU_IRQ_BIT_FACTORIAL | 0x2000) == 0, "raise");
	CHECK(evfd_take(e[0]) == 1, "not exactly once for two classes");
	CHECK(evfd_take(e[1]) == 0 && evfd_take(e[2]) == 0, "replaced eventfd rang");
	for (i = 0; i < 3; i++)
		close(e[i]);
	close(eng);
	close(fd);
	return 0;
}

/* One eventfd on two files: one count per file per event; closing a file ends its part. */
static int test_eventfd_shared(void)
{
	int a = open0(O_RDWR | O_NONBLOCK);
	int b = open0(O_RDONLY | O_NONBLOCK);
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), other = eventfd(0, EFD_NONBLOCK);
	long long base = evfd_regs();

	CHECK(a >= 0 && b >= 0 && efd >= 0 && other >= 0, "open");
	CHECK(evfd_set(a, efd, EDU_EVFD_OTHER) == 0, "register a");
	CHECK(evfd_set(b, efd, EDU_EVFD_OTHER) == 0, "register b");
	/* Another file's eventfd is not ours: it must stay silent. */
	CHECK(evfd_set(b, other, EDU_EVFD_DMA) == 0, "register b dma");
	CHECK(raise_handled(a, 0x4000) == 0, "raise");
	CHECK(evfd_take(efd) == 2, "shared eventfd: want 2");
	CHECK(raise_handled(a, 0x4000) == 0 && raise_handled(a, 0x8000) == 0, "raise");
	CHECK(evfd_take(efd) == 4, "shared eventfd: want 4");
	CHECK(evfd_take(other) == 0, "DMA eventfd rang");
	close(b);
	CHECK(evfd_regs() == base + 1, "closing a file left %lld", evfd_regs() - base);
	CHECK(raise_handled(a, 0x4000) == 0, "raise");
	CHECK(evfd_take(efd) == 1, "after one file closed: want 1");
	close(a);
	CHECK(evfd_regs() == base, "closing the files left %lld", evfd_regs() - base);
	close(efd);
	close(other);
	return 0;
}

/*
 * Closing the eventfd ends its registrations (the driver sees its release);
 * one still held by another descriptor, or by a dup, keeps them.
 */
static int test_eventfd_close(void)
{
	int fd = open0(O_RDWR | O_NONBLOCK);
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), dup_fd;
	long long base = evfd_regs();

	CHECK(fd >= 0 && efd >= 0, "open");
	CHECK(evfd_set(fd, efd, EDU_EVFD_ALL) == 0, "register");
	dup_fd = dup(efd);
	CHECK(dup_fd >= 0, "dup");
	close(efd);
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	CHECK(evfd_take(dup_fd) == 1, "the dup did not count");
	CHECK(evfd_regs() == base + EDU_EVFD_CLASSES, "dropped while a dup is open");
	close(dup_fd);
	CHECK(WAIT_FOR(evfd_regs() == base, 2000), "closed eventfd still registered: %lld",
	      evfd_regs() - base);
	/* Events go on; a new eventfd registers as before. */
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	CHECK(evfd_set(fd, efd, EDU_EVFD_OTHER) == 0, "register again");
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	CHECK(evfd_take(efd) == 1, "new eventfd");
	close(efd);
	CHECK(WAIT_FOR(evfd_regs() == base, 2000), "second close");
	CHECK(read_n_events(fd, 3) == 0, "events");
	close(fd);
	return 0;
}

/* Bad input: the right errno, and the registration in place stays. */
static int test_eventfd_bad_input(void)
{
	int fd = open0(O_RDWR | O_NONBLOCK);
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), null = open("/dev/null", O_RDONLY);
	struct edu_eventfd r = { .fd = efd, .classes = EDU_EVFD_OTHER };
	long long base;

	CHECK(fd >= 0 && efd >= 0 && null >= 0, "open");
	CHECK(evfd_set(fd, efd, EDU_EVFD_OTHER) == 0, "register");
	base = evfd_regs();
	CHECK(evfd_set(fd, 9999, EDU_EVFD_OTHER) == -EBADF, "fd 9999");
	CHECK(evfd_set(fd, -2, EDU_EVFD_OTHER) == -EBADF, "fd -2");
	CHECK(evfd_set(fd, null, EDU_EVFD_OTHER) == -EINVAL, "/dev/null");
	CHECK(evfd_set(fd, fd, EDU_EVFD_OTHER) == -EINVAL, "the device file");
	CHECK(evfd_set(fd, efd, 0) == -EINVAL, "no class");
	CHECK(evfd_set(fd, efd, 0x10) == -EINVAL, "class 0x10");
	CHECK(evfd_set(fd, -1, EDU_EVFD_ALL | 0x80000000u) == -EINVAL, "unregister 0x8...");
	r.flags = 1;
	CHECK(ioctl(fd, EDU_IOC_SET_EVENTFD, &r) == -1 && errno == EINVAL, "flags");
	r.flags = 0;
	r.reserved = 1;
	CHECK(ioctl(fd, EDU_IOC_SET_EVENTFD, &r) == -1 && errno == EINVAL, "reserved");
	CHECK(ioctl(fd, EDU_IOC_SET_EVENTFD, (void *)8) == -1 && errno == EFAULT, "EFAULT");
	CHECK(ioctl(fd, _IOW(EDU_IOC_MAGIC, 0x08, __u64), &r) == -1 && errno == ENOTTY,
	      "another size");
	CHECK(evfd_regs() == base, "bad input changed the registrations");
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	CHECK(evfd_take(efd) == 1, "the registration did not survive bad input");
	close(null);
	close(efd);
	close(fd);
	return 0;
}

/*
 * A device takes at most 64 registrations: each costs every interrupt a
 * signal. One more gets ENOSPC and changes nothing; a freed one makes room.
 */
static int test_eventfd_limit(void)
{
	int fds[17], efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), i, ret = 0;
	long long base = evfd_regs();

	CHECK(efd >= 0, "eventfd");
	/* 16 files with all 4 classes: 64, on top of what others hold. */
	for (i = 0; i < 17; i++)
		fds[i] = -1;
	for (i = 0; i < 17 && !ret; i++) {
		fds[i] = open0(O_RDONLY);
		ret = fds[i] < 0 ? fds[i] : evfd_set(fds[i], efd, EDU_EVFD_ALL);
	}
	i--;
	CHECK(ret == -ENOSPC, "registration %lld: %s", base + 4 * i, strerror(-ret));
	CHECK(evfd_regs() == base + 4 * i && evfd_regs() > 60, "%lld registrations after the refusal",
	      evfd_regs());
	CHECK(evfd_set(fds[0], -1, EDU_EVFD_ALL) == 0, "unregister");
	CHECK(evfd_set(fds[i], efd, EDU_EVFD_ALL) == 0, "room again: %s", strerror(errno));
	for (; i >= 0; i--)
		close(fds[i]);
	close(efd);
	CHECK(WAIT_FOR(evfd_regs() == base, 2000), "%lld registrations left", evfd_regs());
	return 0;
}

/* No privilege: a read-only file of an unprivileged process registers. */
static int nobody_registers(void *arg)
{
	int fd = open0(O_RDONLY), efd = eventfd(0, 0), ret;

	(void)arg;
	if (fd < 0 || efd < 0)
		return -1;
	ret = evfd_set(fd, efd, EDU_EVFD_ALL) ?: evfd_set(fd, -1, EDU_EVFD_ALL);
	close(efd);
	close(fd);
	return ret;
}

static int test_eventfd_unprivileged(void)
{
	CHECK(as_nobody(nobody_registers, NULL) == 0, "uid 65534 could not register");
	return 0;
}

/*
 * The device goes while a process is blocked reading the eventfd: the
 * driver signals it once, the reader wakes and finds ENODEV on the device
 * file and POLLERR|POLLHUP from poll; nothing more is signalled.
 */
static int eventfd_removal(int hot)
{
	int fd = open0(O_RDONLY | O_NONBLOCK), efd = eventfd(0, 0);
	struct pollfd p = { .events = POLLIN };
	char bdf[32], cls[64];
	struct edu_event ev;
	uint64_t n;
	int st, ret;
	pid_t pid;

	CHECK(fd >= 0 && efd >= 0, "open");
	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "bdf");
	CHECK(evfd_set(fd, efd, EDU_EVFD_DMA) == 0, "register");
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		p.fd = fd;
		if (read(efd, &n, sizeof(n)) != sizeof(n) || n != 1)
			_exit(1);
		if (read(fd, &ev, sizeof(ev)) != -1 || errno != ENODEV)
			_exit(2);
		if (poll(&p, 1, 0) != 1 || (p.revents & (POLLERR | POLLHUP)) !=
		    (POLLERR | POLLHUP))
			_exit(3);
		_exit(0);
	}
	CHECK(WAIT_FOR(task_asleep(pid), 2000), "the reader did not block");
	ret = hot ? hotplug_unplug(bdf) : driver_ctl("unbind", bdf);
	CHECK(ret == 0, "removal: %s", strerror(-ret));
	CHECK(WAIT_FOR(waitpid(pid, &st, WNOHANG) == pid, 2000), "the reader still waits");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "reader ended with %#x", st);
	/* Signalled once only; the registration is gone with the device. */
	CHECK(fcntl(efd, F_SETFL, O_NONBLOCK) == 0, "fcntl");
	CHECK(read(efd, &n, sizeof(n)) == -1 && errno == EAGAIN, "signalled again");
	CHECK(evfd_set(fd, efd, EDU_EVFD_DMA) == -ENODEV, "register after removal");
	CHECK(evfd_set(fd, -1, EDU_EVFD_DMA) == -ENODEV, "unregister after removal");
	close(fd);
	close(efd);
	pacer_close();
	ret = hot ? hotplug_plug(bdf) : driver_ctl("bind", bdf);
	CHECK(ret == 0, "back: %s", strerror(-ret));
	CHECK(read_text("/sys/class/edu/edu0/identification", cls, sizeof(cls)) == 0,
	      "edu0 did not come back as edu0");
	CHECK(evfd_regs() == 0, "new device has %lld registrations", evfd_regs());
	return 0;
}

static int test_eventfd_unbind(void)
{
	return eventfd_removal(0);
}

static int test_eventfd_hotplug(void)
{
	return eventfd_removal(1);
}

const struct test_case eventfd_tests[] = {
	TEST(eventfd_counts),
	TEST(eventfd_classes),
	TEST(eventfd_shared),
	TEST(eventfd_close),
	TEST(eventfd_bad_input),
	TEST(eventfd_limit),
	TEST(eventfd_unprivileged),
	TEST(eventfd_eductl),
	TEST(eventfd_unbind),
	TEST(eventfd_hotplug),
	TEST_END
};
