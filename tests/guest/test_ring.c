// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * The mmap'd event ring (EDU_IOC_RING_SETUP, docs/ring.md): records in
 * order, poll only when empty, overflow counted exactly, a consumer index
 * the user corrupts, a read-only file, bad sizes and mappings, two
 * mappings and fork, and device removal (unbind, hot-unplug) with the ring
 * mapped and a poller asleep. Run in each interrupt mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>

#include "hotplug.h"
#include "events_util.h"
#include "tests.h"
#include "util.h"

static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

static int setup(int fd, unsigned int entries, unsigned int flags, struct edu_ring_setup *out)
{
	struct edu_ring_setup r = { .entries = entries, .flags = flags };

	if (ioctl(fd, EDU_IOC_RING_SETUP, &r))
		return -errno;
	if (out)
		*out = r;
	return 0;
}

static long long dropped(void)
{
	return stat_of("edu0", "events_dropped");
}

/* Process pid has edu0's ring mapped (its offset in /proc/PID/maps). */
static int ring_mapped(pid_t pid)
{
	char path[32], line[256];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " 00100000 ") && strstr(line, "/dev/edu0");
	fclose(f);
	return found;
}

/* eductl watch --ring (a read-only file: the consumer index by ioctl). */
static int test_ring_eductl(void)
{
	int fd = open0(O_RDWR);
	pid_t pid;

	CHECK(fd >= 0, "open");
	pid = start_watch("--ring", "/tmp/watch-ring.out");
	CHECK(pid > 0, "fork");
	/* Its ring mapped: events from now on go there. */
	CHECK(WAIT_FOR(ring_mapped(pid), 5000), "eductl did not map its ring");
	CHECK(raise_handled(fd, 0x10000) == 0 && raise_handled(fd, 0x20000) == 0, "raise");
	CHECK(watch_result(pid, "/tmp/watch-ring.out", "status 0x00010000",
			   "status 0x00020000") == 0, "eductl watch --ring");
	close(fd);
	return 0;
}

/* Records in order, the header as documented, POLLIN exactly when not empty. */
static int test_ring_basic(void)
{
	enum { ENTRIES = 8, N = 5 };
	int fd = open0(O_RDWR | O_NONBLOCK), i, got;
	struct edu_event ev[ENTRIES];
	struct edu_ring r;

	CHECK(fd >= 0, "open");
	CHECK(edu_ring_open(fd, ENTRIES, &r) == 0, "ring: %s", strerror(errno));
	CHECK(r.size == (size_t)getpagesize() + 4096, "size %zu", r.size);
	CHECK(r.hdr->entries == ENTRIES && r.hdr->record_size == sizeof(struct edu_event) &&
	      r.hdr->records_offset == (unsigned int)getpagesize(), "header %u %u %u", r.hdr->entries,
	      r.hdr->record_size, r.hdr->records_offset);
	CHECK(r.hdr->producer == 0 && r.hdr->consumer == 0 && r.hdr->overflow == 0 &&
	      r.hdr->flags == 0, "fresh header");
	CHECK(!readable(fd, 0), "readable when empty");
	for (i = 0; i < N; i++)
		CHECK(raise_handled(fd, 0x10000 << i) == 0, "raise %d", i);
	CHECK(readable(fd, 0) & POLLIN, "not readable with records");
	got = edu_ring_consume(&r, ev, ENTRIES);
	CHECK(got == N, "consumed %d, want %d", got, N);
	for (i = 0; i < N; i++) {
		CHECK(ev[i].irq_status == 0x10000u << i && ev[i].lost == 0 &&
		      ev[i].type == EDU_EVENT_INTERRUPT, "record %d: status %#x lost %u", i,
		      ev[i].irq_status, ev[i].lost);
		CHECK(!i || ev[i].seq == ev[i - 1].seq + 1, "seq %d", i);
	}
	CHECK(r.hdr->consumer == N && r.hdr->producer == N, "indexes %u %u",
	      r.hdr->producer, r.hdr->consumer);
	CHECK(!readable(fd, 0), "readable after consuming");
	/* Its events are in the ring: read(2) has none and says so. */
	CHECK(read(fd, ev, sizeof(ev[0])) == -1 && errno == EINVAL, "read: %s",
	      strerror(errno));
	/* Around the end of the ring, several times. */
	for (i = 0; i < 3 * ENTRIES; i++) {
		__u64 prev = ev[0].seq;

		CHECK(raise_handled(fd, 0x1000) == 0, "raise");
		CHECK(edu_ring_consume(&r, ev, 1) == 1, "wrap %d", i);
		CHECK(ev[0].seq == prev + (i ? 1 : N) && ev[0].lost == 0,
		      "wrap %d: seq %llu after %llu", i, (unsigned long long)ev[0].seq,
		      (unsigned long long)prev);
	}
	edu_ring_close(&r);
	close(fd);
	return 0;
}

/* A full ring drops new events and counts each: header, statistics, lost. */
static int test_ring_overflow(void)
{
	enum { ENTRIES = 4, EXTRA = 3 };
	int fd = open0(O_RDWR | O_NONBLOCK), i;
	struct edu_event ev[ENTRIES];
	long long before = dropped();
	struct edu_ring r;

	CHECK(fd >= 0, "open");
	CHECK(edu_ring_open(fd, ENTRIES, &r) == 0, "ring");
	for (i = 0; i < ENTRIES + EXTRA; i++)
		CHECK(raise_handled(fd, 0x1000) == 0, "raise %d", i);
	CHECK(edu_ring_overflow(&r) == EXTRA, "overflow %llu",
	      (unsigned long long)edu_ring_overflow(&r));
	CHECK(dropped() - before == EXTRA, "events_dropped +%lld", dropped() - before);
	CHECK(edu_ring_consume(&r, ev, ENTRIES) == ENTRIES, "consume");
	for (i = 0; i < ENTRIES; i++)
		CHECK(ev[i].lost == 0 && (!i || ev[i].seq == ev[i - 1].seq + 1), "record %d", i);
	CHECK(raise_handled(fd, 0x2000) == 0, "raise");
	CHECK(edu_ring_consume(&r, &ev[1], 1) == 1, "after the overflow");
	CHECK(ev[1].lost == EXTRA && ev[1].seq == ev[ENTRIES - 1].seq + EXTRA + 1,
	      "lost %u seq %llu after %llu", ev[1].lost, (unsigned long long)ev[1].seq,
	      (unsigned long long)ev[ENTRIES - 1].seq);
	CHECK(edu_ring_overflow(&r) == EXTRA, "overflow moved");
	edu_ring_close(&r);
	close(fd);
	return 0;
}

/*
 * User space owns the mapping and may write anything: a consumer index
 * ahead of the producer or too far behind it makes the ring count as full
 * (events dropped and counted, nothing written); a scribbled producer,
 * size or record is rewritten or ignored by the kernel.
 */
static int test_ring_malicious(void)
{
	int fd = open0(O_RDWR | O_NONBLOCK);
	long long before = dropped();
	struct edu_event ev;
	struct edu_ring r;

	CHECK(fd >= 0, "open");
	CHECK(edu_ring_open(fd, 4, &r) == 0, "ring");
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	CHECK(r.hdr->producer == 1, "producer %u", r.hdr->producer);
	r.hdr->consumer = 100;			/* ahead of the producer */
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	r.hdr->consumer = 0xfffff000;		/* far behind it */
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	CHECK(r.hdr->producer == 1 && r.hdr->overflow == 2, "producer %u overflow %llu",
	      r.hdr->producer, (unsigned long long)r.hdr->overflow);
	CHECK(dropped() - before == 2, "events_dropped +%lld", dropped() - before);

	/* Scribbles the kernel must not believe. */
	r.hdr->producer = 12345;
	r.hdr->entries = 1u << 30;
	r.hdr->records_offset = 0;
	r.hdr->consumer = 1;
	memset(r.records, 0xff, 4 * sizeof(struct edu_event));
	CHECK(raise_handled(fd, 0x4000) == 0, "raise");
	CHECK(r.hdr->producer == 2, "producer %u: the kernel believed the scribble",
	      r.hdr->producer);
	memcpy(&ev, &r.records[1], sizeof(ev));
	CHECK(ev.irq_status == 0x4000 && ev.lost == 2, "record: status %#x lost %u",
	      ev.irq_status, ev.lost);
	CHECK(readable(fd, 0) & POLLIN, "not readable");
	edu_ring_close(&r);
	close(fd);
	return 0;
}

/* A read-only file: a read-only mapping, the consumer index by ioctl. */
static int test_ring_readonly(void)
{
	int fd = open0(O_RDONLY | O_NONBLOCK);
	int root = open0(O_RDWR);
	struct edu_event ev[4];
	struct edu_ring r;
	__u32 idx;
	void *p;

	CHECK(fd >= 0 && root >= 0, "open");
	CHECK(edu_ring_open(fd, 4, &r) == 0, "ring: %s", strerror(errno));
	CHECK(!r.writable, "writable on a read-only file");
	p = mmap(NULL, r.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, EDU_RING_MMAP_OFFSET);
	CHECK(p == MAP_FAILED && errno == EACCES, "writable mapping of a read-only file");
	CHECK(raise_handled(root, 0x1000) == 0 && raise_handled(root, 0x2000) == 0, "raise");
	CHECK(edu_ring_consume(&r, ev, 4) == 2, "consume");
	CHECK(r.hdr->consumer == 2, "consumer %u", r.hdr->consumer);
	CHECK(!readable(fd, 0), "readable after consuming");
	/* The ioctl takes only an index within the last @entries. */
	idx = 3;
	CHECK(ioctl(fd, EDU_IOC_RING_CONSUME, &idx) == -1 && errno == EINVAL, "ahead");
	idx = (__u32)-3;
	CHECK(ioctl(fd, EDU_IOC_RING_CONSUME, &idx) == -1 && errno == EINVAL, "behind");
	CHECK(r.hdr->consumer == 2, "a refused index was stored");
	idx = 0;
	CHECK(ioctl(fd, EDU_IOC_RING_CONSUME, &idx) == 0, "give back: %s", strerror(errno));
	CHECK(readable(fd, 0) & POLLIN, "records given back are not there");
	edu_ring_close(&r);
	close(fd);
	close(root);
	return 0;
}

/* Sizes, flags, a second ring, and every wrong mapping. */
static int test_ring_bad_input(void)
{
	static const unsigned int bad[] = {
		0, 1, 3, 6, 100, EDU_RING_MAX_ENTRIES + 1, EDU_RING_MAX_ENTRIES * 2,
		0x80000000u, 0xffffffffu,
	};
	int fd = open0(O_RDWR | O_NONBLOCK);
	struct edu_ring_setup s = { 0 }, *ro;
	unsigned int i;
	__u32 idx = 0;
	void *p;
	char *m;

	CHECK(fd >= 0, "open");
	CHECK(ioctl(fd, EDU_IOC_RING_CONSUME, &idx) == -1 && errno == ENXIO, "no ring");
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, EDU_RING_MMAP_OFFSET);
	CHECK(p == MAP_FAILED && errno == EINVAL, "mmap before setup");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(setup(fd, bad[i], 0, NULL) == -EINVAL, "%u entries", bad[i]);
	CHECK(setup(fd, 8, 1, NULL) == -EINVAL, "flags");
	CHECK(ioctl(fd, EDU_IOC_RING_SETUP, (void *)8) == -1 && errno == EFAULT, "EFAULT");
	/* A good request that cannot take its answer: EFAULT, and no ring. */
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(ro != MAP_FAILED, "mmap");
	ro->entries = 8;
	CHECK(mprotect(ro, 4096, PROT_READ) == 0, "mprotect");
	CHECK(ioctl(fd, EDU_IOC_RING_SETUP, ro) == -1 && errno == EFAULT, "read-only answer");
	munmap(ro, 4096);
	CHECK(ioctl(fd, EDU_IOC_RING_CONSUME, &idx) == -1 && errno == ENXIO,
	      "a ring after EFAULT");
	/* Bad requests left no ring: the queue still reads. */
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	CHECK(readable(fd, 0) & POLLIN, "queue");
	CHECK(setup(fd, EDU_RING_MAX_ENTRIES, 0, &s) == 0, "largest: %s", strerror(errno));
	CHECK(s.mmap_offset == EDU_RING_MMAP_OFFSET && s.mmap_size == (unsigned int)getpagesize() +
	      EDU_RING_MAX_ENTRIES * sizeof(struct edu_event), "out %llu %llu",
	      (unsigned long long)s.mmap_offset, (unsigned long long)s.mmap_size);
	CHECK(setup(fd, 8, 0, NULL) == -EBUSY, "second ring");

	p = mmap(NULL, s.mmap_size, PROT_READ, MAP_SHARED, fd, s.mmap_offset + 4096);
	CHECK(p == MAP_FAILED && errno == EINVAL, "offset + 4096");
	p = mmap(NULL, s.mmap_size, PROT_READ, MAP_SHARED, fd, s.mmap_offset - 4096);
	CHECK(p == MAP_FAILED && (errno == EINVAL || errno == EPERM), "offset - 4096");
	p = mmap(NULL, s.mmap_size - 4096, PROT_READ, MAP_SHARED, fd, s.mmap_offset);
	CHECK(p == MAP_FAILED && errno == EINVAL, "short");
	p = mmap(NULL, s.mmap_size + 4096, PROT_READ, MAP_SHARED, fd, s.mmap_offset);
	CHECK(p == MAP_FAILED && errno == EINVAL, "long");
	p = mmap(NULL, s.mmap_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, s.mmap_offset);
	CHECK(p == MAP_FAILED && errno == EINVAL, "private");
	p = mmap(NULL, s.mmap_size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, s.mmap_offset);
	CHECK(p == MAP_FAILED && errno == EPERM, "exec");
	m = mmap(NULL, s.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, s.mmap_offset);
	CHECK(m != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK(mprotect(m, 4096, PROT_READ | PROT_EXEC) == -1 && errno == EACCES, "mprotect");
	CHECK(mremap(m, s.mmap_size, s.mmap_size + 4096, MREMAP_MAYMOVE) == MAP_FAILED,
	      "mremap grew it");
	/* The event queued before the ring reads, then read(2) is done. */
	CHECK(read(fd, &s, 0) == -1 && errno == EINVAL, "zero read");
	{
		struct edu_event ev;

		CHECK(read(fd, &ev, sizeof(ev)) == sizeof(ev) && ev.irq_status == 0x1000,
		      "the event queued before the ring");
		CHECK(read(fd, &ev, sizeof(ev)) == -1 && errno == EINVAL, "then EINVAL");
	}
	munmap(m, s.mmap_size);
	close(fd);
	return 0;
}

/*
 * Two mappings are one ring; munmap of one leaves the other and the ring;
 * fork does not inherit the mapping, but the child maps the ring again.
 */
static int test_ring_maps_fork(void)
{
	int fd = open0(O_RDWR | O_NONBLOCK), st;
	struct edu_ring_setup s = { 0 };
	struct edu_ring_header *a, *b;
	pid_t pid;

	CHECK(fd >= 0, "open");
	CHECK(setup(fd, 16, 0, &s) == 0, "setup");
	a = mmap(NULL, s.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, s.mmap_offset);
	b = mmap(NULL, s.mmap_size, PROT_READ, MAP_SHARED, fd, s.mmap_offset);
	CHECK(a != MAP_FAILED && b != MAP_FAILED, "two mappings");
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	CHECK(a->producer == 1 && b->producer == 1, "producers %u %u", a->producer,
	      b->producer);
	CHECK(munmap(a, s.mmap_size) == 0, "munmap");
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	CHECK(b->producer == 2, "after munmap of the other: %u", b->producer);
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		struct edu_ring_header *c;
		pid_t gc;

		/* The inherited address is not mapped: touching it faults. */
		fflush(stdout);
		gc = fork();
		if (gc == 0) {
			signal(SIGSEGV, SIG_DFL);
			_exit(*(volatile __u32 *)&b->producer == 2 ? 10 : 11);
		}
		if (waitpid(gc, &st, 0) != gc || !WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV)
			_exit(1);
		c = mmap(NULL, s.mmap_size, PROT_READ, MAP_SHARED, fd, s.mmap_offset);
		_exit(c != MAP_FAILED && c->producer == 2 ? 0 : 2);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "child");
	CHECK(WEXITSTATUS(st) == 0, "child: %d (1: inherited mapping, 2: no new one)",
	      WEXITSTATUS(st));
	munmap(b, s.mmap_size);
	/* No mapping left: the ring still fills, and maps again. */
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	b = mmap(NULL, s.mmap_size, PROT_READ, MAP_SHARED, fd, s.mmap_offset);
	CHECK(b != MAP_FAILED && b->producer == 3, "mapped again");
	munmap(b, s.mmap_size);
	close(fd);
	return 0;
}

/* No privilege: an unprivileged process sets up, maps and consumes a ring. */
/*
 * A ring's pages count against the user's RLIMIT_MEMLOCK, as perf's and
 * io_uring's do: past it ENOMEM, and closing a file gives its pages back.
 */
static int memlock_rings(void *arg)
{
	struct rlimit lim = { 64 << 10, 64 << 10 };	/* 16 pages */
	int a = open0(O_RDONLY), b = open0(O_RDONLY), c = open0(O_RDONLY);

	(void)arg;
	if (a < 0 || b < 0 || c < 0 || setrlimit(RLIMIT_MEMLOCK, &lim))
		return 1;
	if (setup(a, EDU_RING_MAX_ENTRIES, 0, NULL) != -ENOMEM)
		return 2;	/* 161 pages */
	if (setup(a, 512, 0, NULL) || setup(b, 512, 0, NULL))
		return 3;	/* 6 pages each */
	if (setup(c, 512, 0, NULL) != -ENOMEM)
		return 4;	/* 18 > 16 */
	close(a);
	if (setup(c, 512, 0, NULL))
		return 5;	/* a's pages came back */
	close(b);
	close(c);
	return 0;
}

static int test_ring_memlock(void)
{
	int ret = as_nobody(memlock_rings, NULL);

	CHECK(ret == 0, "step %d failed (see memlock_rings)", ret);
	return 0;
}

static int test_ring_unprivileged(void)
{
	int root = open0(O_RDWR), ready[2], st;
	pid_t pid;
	char c;

	CHECK(root >= 0 && pipe(ready) == 0, "open");
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		struct edu_event ev;
		struct edu_ring r;
		int fd;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(10);
		fd = open0(O_RDONLY);
		if (fd < 0 || edu_ring_open(fd, 4, &r))
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(2);
		if (!(readable(fd, 5000) & POLLIN))
			_exit(3);
		_exit(edu_ring_consume(&r, &ev, 1) == 1 && ev.irq_status == 0x1000 ? 0 : 4);
	}
	close(ready[1]);
	CHECK(read(ready[0], &c, 1) == 1, "child did not set up its ring");
	CHECK(raise_handled(root, 0x1000) == 0, "raise");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "child");
	CHECK(WEXITSTATUS(st) == 0, "child: %d", WEXITSTATUS(st));
	close(ready[0]);
	close(root);
	return 0;
}

/*
 * The device goes with the ring mapped and a poller asleep: the poller
 * wakes with POLLERR|POLLHUP, the ring says dead and keeps its records
 * (plain memory), nothing new is written, a new mapping gets ENODEV.
 */
static int ring_removal(int hot)
{
	int fd = open0(O_RDWR | O_NONBLOCK), st, ret;
	struct edu_event ev;
	struct edu_ring r;
	char bdf[32], val[32];
	pid_t pid;
	void *p;

	CHECK(fd >= 0, "open");
	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "bdf");
	CHECK(edu_ring_open(fd, 8, &r) == 0, "ring");
	CHECK(raise_handled(fd, 0x1000) == 0, "raise");
	CHECK(edu_ring_consume(&r, &ev, 1) == 1, "consume");
	CHECK(raise_handled(fd, 0x2000) == 0, "raise");
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };

		/* Waits for something other than the record already there. */
		pf.events = 0;
		if (poll(&pf, 1, 10000) != 1)
			_exit(1);
		_exit((pf.revents & (POLLERR | POLLHUP)) == (POLLERR | POLLHUP) ? 0 : 2);
	}
	CHECK(WAIT_FOR(task_asleep(pid), 2000), "the poller did not block");
	ret = hot ? hotplug_unplug(bdf) : driver_ctl("unbind", bdf);
	CHECK(ret == 0, "removal: %s", strerror(-ret));
	CHECK(WAIT_FOR(waitpid(pid, &st, WNOHANG) == pid, 2000), "the poller still waits");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "poller ended with %#x", st);
	CHECK(edu_ring_dead(&r), "ring not marked dead");
	CHECK(edu_ring_consume(&r, &ev, 1) == 1 && ev.irq_status == 0x2000,
	      "the record before removal");
	CHECK(r.hdr->producer == 2, "records after removal: producer %u", r.hdr->producer);
	CHECK((readable(fd, 0) & (POLLERR | POLLHUP)) == (POLLERR | POLLHUP), "poll");
	p = mmap(NULL, r.size, PROT_READ, MAP_SHARED, fd, EDU_RING_MMAP_OFFSET);
	CHECK(p == MAP_FAILED && errno == ENODEV, "mmap after removal");
	CHECK(setup(fd, 8, 0, NULL) == -ENODEV, "setup after removal");
	/* The mapping pins the file, and so the eduN number: let both go. */
	edu_ring_close(&r);
	close(fd);
	pacer_close();
	ret = hot ? hotplug_plug(bdf) : driver_ctl("bind", bdf);
	CHECK(ret == 0, "back: %s", strerror(-ret));
	CHECK(read_text("/sys/class/edu/edu0/identification", val, sizeof(val)) == 0,
	      "edu0 did not come back as edu0");
	return 0;
}

static int test_ring_unbind(void)
{
	return ring_removal(0);
}

static int test_ring_hotplug(void)
{
	return ring_removal(1);
}

const struct test_case ring_tests[] = {
	TEST(ring_basic),
	TEST(ring_overflow),
	TEST(ring_malicious),
	TEST(ring_readonly),
	TEST(ring_bad_input),
	TEST(ring_maps_fork),
	TEST(ring_unprivileged),
	TEST(ring_memlock),
	TEST(ring_eductl),
	TEST(ring_unbind),
	TEST(ring_hotplug),
	TEST_END
};
