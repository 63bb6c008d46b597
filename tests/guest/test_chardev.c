// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * /dev/eduN: ioctls, the data window by copy and by mmap + DMA, range
 * checks, and interrupts as events (read, poll, overflow). Run in each
 * interrupt mode.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>

#include "tests.h"
#include "util.h"

#define WINDOW EDU_DATA_WINDOW_SIZE

static int dma(int fd, unsigned int dir, unsigned int woff, unsigned int boff,
	       unsigned int len)
{
	struct edu_dma d = { .dir = dir, .window_off = woff, .buf_off = boff, .len = len };

	return ioctl(fd, EDU_IOC_DMA, &d) ? -errno : 0;
}

static void pattern(unsigned char *buf, unsigned int len, unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 8));
}

static int test_info(void)
{
	struct edu_info info;
	int fd = edu_open_dev("edu0", O_RDWR);

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(ioctl(fd, EDU_IOC_INFO, &info) == 0, "%s", strerror(errno));
	close(fd);
	CHECK(info.ident == 0x010000ed, "ident %#x", info.ident);
	CHECK(info.device == 0, "device %u", info.device);
	CHECK(info.msi == !strcmp(expected_mode(), "msi"), "msi %u", info.msi);
	CHECK(info.window_size == WINDOW, "window %u", info.window_size);
	CHECK(info.mmap_size == EDU_MMAP_SIZE, "mmap %u", info.mmap_size);
	CHECK(info.event_size == sizeof(struct edu_event), "event %u", info.event_size);
	CHECK(info.queue_len > 0, "queue %u", info.queue_len);
	return 0;
}

static int test_ioctl_factorial(void)
{
	struct edu_factorial f = { .n = 10 };
	int fd = edu_open_dev("edu1", O_RDWR), ret;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	ret = ioctl(fd, EDU_IOC_FACTORIAL, &f);
	CHECK(ret == 0 && f.result == 3628800, "10! = %u (%d)", f.result, ret);
	f.n = 13;
	ret = ioctl(fd, EDU_IOC_FACTORIAL, &f);
	CHECK(ret == -1 && errno == ERANGE, "13!: %d %s", ret, strerror(errno));
	close(fd);
	return 0;
}

/* Unknown numbers, and known numbers with another size or direction. */
static int test_ioctl_unknown(void)
{
	int fd = edu_open_dev("edu0", O_RDWR);
	char buf[64] = { 0 };

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(ioctl(fd, _IO(EDU_IOC_MAGIC, 0x7f)) == -1 && errno == ENOTTY, "0x7f");
	CHECK(ioctl(fd, _IOR(EDU_IOC_MAGIC, 0x00, __u64), buf) == -1 &&
	      errno == ENOTTY, "INFO with another size");
	CHECK(ioctl(fd, _IOW(EDU_IOC_MAGIC, 0x00, struct edu_info), buf) == -1 &&
	      errno == ENOTTY, "INFO with another direction");
	CHECK(ioctl(fd, TCGETS, buf) == -1 && errno == ENOTTY, "TCGETS");
	close(fd);
	return 0;
}

static int test_ioctl_efault(void)
{
	int fd = edu_open_dev("edu0", O_RDWR);
	char data[16] = "x";

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(ioctl(fd, EDU_IOC_INFO, (void *)8) == -1 && errno == EFAULT, "INFO");
	CHECK(ioctl(fd, EDU_IOC_FACTORIAL, (void *)8) == -1 && errno == EFAULT, "FACT");
	CHECK(write_window(fd, 0, (void *)8, 16) == -EFAULT, "WRITE_DATA source");
	CHECK(read_window(fd, 0, (void *)8, 16) == -EFAULT, "READ_DATA target");
	CHECK(read_window(fd, 0, data, sizeof(data)) == 0, "device still usable");
	close(fd);
	return 0;
}

/* The copy path: sizes 1, 7, 512 and the whole window at several offsets. */
static int test_data_copy_roundtrip(void)
{
	static const unsigned int sizes[] = { 1, 7, 512, WINDOW };
	static unsigned char out[WINDOW], in[WINDOW];
	char names[MAX_EDU][16];
	int n = edu_names(names, MAX_EDU), d;
	unsigned int s, o;

	CHECK(n > 0, "no devices");
	for (d = 0; d < n; d++) {
		int fd = edu_open_dev(names[d], O_RDWR);

		CHECK(fd >= 0, "open %s: %s", names[d], strerror(-fd));
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			unsigned int len = sizes[s];
			unsigned int offs[] = { 0, len < WINDOW, (WINDOW - len) / 2,
						WINDOW - len };

			for (o = 0; o < 4; o++) {
				pattern(out, len, d * 100 + s * 10 + o);
				memset(in, 0, len);
				CHECK(write_window(fd, offs[o], out, len) == 0,
				      "%s: write %u at %u: %s", names[d], len, offs[o],
				      strerror(errno));
				CHECK(read_window(fd, offs[o], in, len) == 0,
				      "%s: read %u at %u", names[d], len, offs[o]);
				CHECK(!memcmp(in, out, len), "%s: %u bytes at %u differ",
				      names[d], len, offs[o]);
			}
		}
		close(fd);
	}
	return 0;
}

/*
 * The zero-copy path, checked against the copy path: what mmap + DMA puts
 * in the window, a copy read finds, and the other way round.
 */
static int test_data_mmap_dma(void)
{
	static const unsigned int sizes[] = { 1, 7, 512, WINDOW };
	static unsigned char ref[WINDOW];
	int fd = edu_open_dev("edu0", O_RDWR);
	unsigned char *map;
	unsigned int s;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	map = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(map != MAP_FAILED, "mmap: %s", strerror(errno));
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		unsigned int len = sizes[s], woff = WINDOW - len, boff = s * 3;

		if (boff + len > EDU_MMAP_SIZE)
			boff = 0;
		pattern(map + boff, len, 7 + s);
		CHECK(dma(fd, EDU_DMA_TO_DEVICE, woff, boff, len) == 0,
		      "to device %u: %s", len, strerror(errno));
		CHECK(read_window(fd, woff, ref, len) == 0, "copy read");
		CHECK(!memcmp(ref, map + boff, len), "%u bytes: window != buffer", len);

		pattern(ref, len, 99 + s);
		CHECK(write_window(fd, 0, ref, len) == 0, "copy write");
		memset(map, 0, EDU_MMAP_SIZE);
		CHECK(dma(fd, EDU_DMA_FROM_DEVICE, 0, boff, len) == 0,
		      "from device %u: %s", len, strerror(errno));
		CHECK(!memcmp(ref, map + boff, len), "%u bytes: buffer != window", len);
	}
	munmap(map, EDU_MMAP_SIZE);
	close(fd);
	return 0;
}

/* Every range the device cannot take is refused before it sees it. */
static int test_data_invalid_ranges(void)
{
	static const struct { unsigned int off, len; } bad[] = {
		{ 0, 0 }, { 5, 0 }, { WINDOW, 1 }, { WINDOW - 1, 2 }, { 0, WINDOW + 1 },
		{ 1, WINDOW }, { 0xffffffff, 2 }, { 2, 0xffffffff }, { 0x80000000, 0x80000000 },
	};
	unsigned char buf[WINDOW + 16];
	struct edu_stats before, after;
	int fd = edu_open_dev("edu0", O_RDWR);
	unsigned int i;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(ioctl(fd, EDU_IOC_GET_STATS, &before) == 0, "stats");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(write_window(fd, bad[i].off, buf, bad[i].len) == -EINVAL,
		      "write %u+%u", bad[i].off, bad[i].len);
		CHECK(read_window(fd, bad[i].off, buf, bad[i].len) == -EINVAL,
		      "read %u+%u", bad[i].off, bad[i].len);
		CHECK(dma(fd, EDU_DMA_TO_DEVICE, bad[i].off, 0, bad[i].len) == -EINVAL,
		      "dma %u+%u", bad[i].off, bad[i].len);
	}
	/* The mmap buffer's side of a transfer, and the direction. */
	CHECK(dma(fd, EDU_DMA_TO_DEVICE, 0, EDU_MMAP_SIZE, 1) == -EINVAL, "buf end");
	CHECK(dma(fd, EDU_DMA_TO_DEVICE, 0, EDU_MMAP_SIZE - 4, 5) == -EINVAL, "buf over");
	CHECK(dma(fd, EDU_DMA_TO_DEVICE, 0, 0xfffffff0, 0x20) == -EINVAL, "buf wrap");
	CHECK(dma(fd, 2, 0, 0, 1) == -EINVAL, "direction 2");
	CHECK(ioctl(fd, EDU_IOC_GET_STATS, &after) == 0, "stats");
	CHECK(after.dma_transfers == before.dma_transfers, "%llu transfers ran",
	      (unsigned long long)(after.dma_transfers - before.dma_transfers));
	/* The machine is alive and the device still works. */
	CHECK(write_window(fd, WINDOW - 1, buf, 1) == 0, "last window byte");
	close(fd);
	return 0;
}

static int test_mmap_checks(void)
{
	int fd = edu_open_dev("edu0", O_RDWR);
	void *p;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	p = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
	CHECK(p == MAP_FAILED && errno == EINVAL, "offset 4096");
	p = mmap(NULL, 2 * EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p == MAP_FAILED && errno == EINVAL, "two pages");
	p = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p == MAP_FAILED && errno == EINVAL, "private");
	p = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	CHECK(p == MAP_FAILED && errno == EPERM, "exec");

	p = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK(mprotect(p, EDU_MMAP_SIZE, PROT_READ | PROT_EXEC) == -1 &&
	      errno == EACCES, "mprotect exec");
	CHECK(mremap(p, EDU_MMAP_SIZE, 2 * EDU_MMAP_SIZE, MREMAP_MAYMOVE) ==
	      MAP_FAILED, "mremap grew the mapping");
	CHECK(munmap(p, EDU_MMAP_SIZE) == 0, "munmap");
	close(fd);
	return 0;
}

/* Several processes moving data through one device: each sees its own. */
static int test_dma_concurrent(void)
{
	enum { WORKERS = 4, ROUNDS = 5, LEN = 256 };
	int w, failed = 0;

	fflush(stdout);
	for (w = 0; w < WORKERS; w++) {
		if (fork() == 0) {
			unsigned char out[LEN], in[LEN];
			int fd = edu_open_dev("edu0", O_RDWR), r, bad = 0;

			for (r = 0; fd >= 0 && r < ROUNDS; r++) {
				pattern(out, LEN, w * 10 + r);
				if (write_window(fd, w * LEN, out, LEN) ||
				    read_window(fd, w * LEN, in, LEN) ||
				    memcmp(in, out, LEN))
					bad++;
			}
			_exit(fd < 0 || bad);
		}
	}
	for (w = 0; w < WORKERS; w++) {
		int st;

		wait(&st);
		failed += !WIFEXITED(st) || WEXITSTATUS(st);
	}
	CHECK(!failed, "%d workers failed", failed);
	return 0;
}

/* While one transfer runs, O_NONBLOCK callers get EBUSY instead of waiting. */
static int test_dma_nonblock_busy(void)
{
	unsigned char buf[64] = { 0 };
	int fd = edu_open_dev("edu0", O_RDWR | O_NONBLOCK), busy = 0, other = 0, st;
	pid_t pid;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		int bfd = edu_open_dev("edu0", O_RDWR), i;

		for (i = 0; bfd >= 0 && i < 8; i++)
			write_window(bfd, 0, buf, sizeof(buf));
		_exit(0);
	}
	while (waitpid(pid, &st, WNOHANG) == 0) {
		int ret = read_window(fd, 100, buf, sizeof(buf));

		if (ret == -EBUSY)
			busy++;
		else if (ret)
			other++;
		usleep(5000);
	}
	close(fd);
	CHECK(busy > 0, "never saw EBUSY");
	CHECK(!other, "%d other errors", other);
	return 0;
}

/* Each injected interrupt: one event on every open file, in sequence. */
static int test_events_each_once(void)
{
	enum { FILES = 3, RAISES = 10 };
	struct edu_stats before, after;
	int fds[FILES], f, r;
	__u64 last[FILES] = { 0 };

	for (f = 0; f < FILES; f++) {
		fds[f] = edu_open_dev("edu0", O_RDWR);
		CHECK(fds[f] >= 0, "open: %s", strerror(-fds[f]));
	}
	CHECK(ioctl(fds[0], EDU_IOC_GET_STATS, &before) == 0, "stats");
	for (r = 0; r < RAISES; r++) {
		unsigned int bits = 0x10000u << (r % 8);

		CHECK(raise_irq(fds[r % FILES], bits) == 0, "raise: %s", strerror(errno));
		for (f = 0; f < FILES; f++) {
			struct edu_event ev;

			CHECK(next_event(fds[f], 2000, &ev) == 0, "file %d: no event %d", f, r);
			CHECK(ev.version == EDU_EVENT_VERSION && ev.size == sizeof(ev),
			      "version %u size %u", ev.version, ev.size);
			CHECK(ev.type == EDU_EVENT_INTERRUPT && ev.device == 0, "type/dev");
			CHECK(ev.irq_status == bits, "status %#x, raised %#x",
			      ev.irq_status, bits);
			CHECK(ev.lost == 0, "lost %u", ev.lost);
			CHECK(!last[f] || ev.seq == last[f] + 1, "file %d: seq %llu after %llu",
			      f, (unsigned long long)ev.seq, (unsigned long long)last[f]);
			CHECK(ev.timestamp_ns > 0, "timestamp");
			last[f] = ev.seq;
		}
	}
	/* Exactly once: nothing more is queued. */
	for (f = 0; f < FILES; f++) {
		struct edu_event ev;

		CHECK(next_event(fds[f], 200, &ev) == -ETIMEDOUT, "file %d: extra event", f);
		CHECK(last[f] == last[0], "files disagree on the sequence");
	}
	CHECK(ioctl(fds[0], EDU_IOC_GET_STATS, &after) == 0, "stats");
	CHECK(after.injected - before.injected == RAISES, "injected %llu",
	      (unsigned long long)(after.injected - before.injected));
	CHECK(after.irqs_other - before.irqs_other == RAISES, "irqs_other %llu",
	      (unsigned long long)(after.irqs_other - before.irqs_other));
	for (f = 0; f < FILES; f++)
		close(fds[f]);
	return 0;
}

/* The device's own interrupts are events too: factorial and DMA done. */
static int test_events_from_engines(void)
{
	struct edu_factorial fact = { .n = 4 };
	unsigned char buf[8] = { 0 };
	struct edu_event ev;
	int fd = edu_open_dev("edu0", O_RDWR);

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(ioctl(fd, EDU_IOC_FACTORIAL, &fact) == 0 && fact.result == 24, "4!");
	CHECK(next_event(fd, 2000, &ev) == 0, "no factorial event");
	CHECK(ev.irq_status == EDU_IRQ_BIT_FACTORIAL, "status %#x", ev.irq_status);
	CHECK(write_window(fd, 0, buf, sizeof(buf)) == 0, "dma");
	CHECK(next_event(fd, 2000, &ev) == 0, "no DMA event");
	CHECK(ev.irq_status == EDU_IRQ_BIT_DMA, "status %#x", ev.irq_status);
	close(fd);
	return 0;
}

/* A full queue drops the oldest and the next record says how many. */
/* Events the deferred ring (netlink, routes) dropped: a part of events_dropped. */
static long long deferred_dropped(const char *name)
{
	char path[96], val[32];

	snprintf(path, sizeof(path), "/sys/kernel/debug/edu/%s/deferred_dropped", name);
	return read_text(path, val, sizeof(val)) ? -1 : atoll(val);
}

#define QUEUE_LEN_KEY "/proc/sys/dev/edu/event_queue_len"

static int test_events_overflow(void)
{
	struct edu_info info;
	struct edu_stats before, after;
	struct edu_event ev;
	int slow, fast = edu_open_dev("edu0", O_RDWR);
	unsigned int i, extra = 5, got = 0;
	__u64 first_seq = 0, prev = 0;
	long long deferred = deferred_dropped("edu0");
	char len[16];

	/* A short queue for the slow file: 64 events fill it in no time. */
	CHECK(read_text(QUEUE_LEN_KEY, len, sizeof(len)) == 0, "event_queue_len");
	CHECK(write_text(QUEUE_LEN_KEY, "64", 2) == 0, "set event_queue_len");
	slow = edu_open_dev("edu0", O_RDWR | O_NONBLOCK);
	write_text(QUEUE_LEN_KEY, len, strlen(len));
	CHECK(slow >= 0 && fast >= 0, "open");
	CHECK(ioctl(slow, EDU_IOC_INFO, &info) == 0 && info.queue_len == 64, "queue_len %u",
	      info.queue_len);
	CHECK(deferred >= 0, "debugfs deferred_dropped");
	CHECK(ioctl(slow, EDU_IOC_GET_STATS, &before) == 0, "stats");
	for (i = 0; i < info.queue_len + extra; i++) {
		CHECK(raise_irq(fast, 0x1000) == 0, "raise");
		/* The fast reader paces us: one interrupt, one event. */
		CHECK(next_event(fast, 2000, &ev) == 0, "fast reader: no event %u", i);
		if (!first_seq)
			first_seq = ev.seq;
	}
	while (read(slow, &ev, sizeof(ev)) == sizeof(ev)) {
		if (!got) {
			CHECK(ev.lost == extra, "first record lost %u, want %u", ev.lost, extra);
			CHECK(ev.seq == first_seq + extra, "first seq %llu, want %llu",
			      (unsigned long long)ev.seq,
			      (unsigned long long)(first_seq + extra));
		} else {
			CHECK(ev.lost == 0 && ev.seq == prev + 1, "seq %llu lost %u",
			      (unsigned long long)ev.seq, ev.lost);
		}
		prev = ev.seq;
		got++;
	}
	CHECK(errno == EAGAIN, "end of queue: %s", strerror(errno));
	CHECK(got == info.queue_len, "read %u, queue holds %u", got, info.queue_len);
	CHECK(ioctl(slow, EDU_IOC_GET_STATS, &after) == 0, "stats");
	/*
	 * The slow file dropped exactly @extra; the ring that feeds netlink
	 * and the routes drops too if its work falls behind (a busy CPU).
	 */
	deferred = deferred_dropped("edu0") - deferred;
	CHECK(after.events_dropped - before.events_dropped == extra + (unsigned long long)deferred,
	      "dropped %llu: %u by the file, %lld by the deferred ring",
	      (unsigned long long)(after.events_dropped - before.events_dropped), extra, deferred);
	close(slow);
	close(fast);
	return 0;
}

/* select(2) and epoll(7) report readability exactly when an event is queued. */
/*
 * Raises events, paced by the first file, then every file must hold them
 * all: consecutive records, none lost, up to the same last one.
 */
static int many_files_check(const int *fds, int files, int events)
{
	struct edu_event ev;
	__u64 last = 0, prev;
	int i, k, got;

	for (k = 0; k < events; k++) {
		CHECK(raise_irq(fds[0], 0x1000) == 0, "raise");
		CHECK(next_event(fds[0], 2000, &ev) == 0, "file 0: no event %d", k);
		last = ev.seq;
	}
	for (i = 1; i < files; i++) {
		for (got = 0, prev = 0; read(fds[i], &ev, sizeof(ev)) == sizeof(ev); got++) {
			CHECK(!ev.lost && (!prev || ev.seq == prev + 1), "file %d: seq %llu after %llu, "
			      "lost %u", i, (unsigned long long)ev.seq, (unsigned long long)prev, ev.lost);
			prev = ev.seq;
		}
		CHECK(errno == EAGAIN, "file %d: %s", i, strerror(errno));
		CHECK(got >= events && prev == last, "file %d: %d records up to seq %llu, want %d "
		      "up to %llu", i, got, (unsigned long long)prev, events, (unsigned long long)last);
	}
	return 0;
}

/* Every one of many files gets every event, in order, none lost. */
static int test_events_many_files(void)
{
	enum { FILES = 200 };
	static int fds[FILES];
	int i, ret = -1;

	for (i = 0; i < FILES; i++) {
		fds[i] = edu_open_dev("edu0", O_RDONLY | O_NONBLOCK);
		if (fds[i] < 0) {
			diag("open file %d: %s", i, strerror(-fds[i]));
			break;
		}
	}
	if (i == FILES)
		ret = many_files_check(fds, FILES, 20);
	while (i-- > 0)
		close(fds[i]);
	return ret;
}

/* A file's drops count in events_dropped when it closes without reading them. */
static int test_events_dropped_unread(void)
{
	struct edu_stats before, after;
	struct edu_event ev;
	long long deferred = deferred_dropped("edu0");
	int slow, fast = edu_open_dev("edu0", O_RDWR), i;
	char len[16];

	CHECK(read_text(QUEUE_LEN_KEY, len, sizeof(len)) == 0, "event_queue_len");
	CHECK(write_text(QUEUE_LEN_KEY, "4", 1) == 0, "set event_queue_len");
	slow = edu_open_dev("edu0", O_RDONLY);
	write_text(QUEUE_LEN_KEY, len, strlen(len));
	CHECK(slow >= 0 && fast >= 0, "open");
	CHECK(ioctl(fast, EDU_IOC_GET_STATS, &before) == 0, "stats");
	for (i = 0; i < 10; i++) {
		CHECK(raise_irq(fast, 0x1000) == 0, "raise");
		CHECK(next_event(fast, 2000, &ev) == 0, "no event %d", i);
	}
	/* A late event of the probe's firmware load reached both files too. */
	while (next_event(fast, 0, &ev) == 0)
		i++;
	close(slow);
	CHECK(ioctl(fast, EDU_IOC_GET_STATS, &after) == 0, "stats");
	deferred = deferred_dropped("edu0") - deferred;
	/* i events in a queue of 4: i - 4 dropped, none of them ever read. */
	CHECK(after.events_dropped - before.events_dropped == i - 4 + (unsigned long long)deferred,
	      "dropped %llu: %d by the file, %lld by the deferred ring",
	      (unsigned long long)(after.events_dropped - before.events_dropped), i - 4, deferred);
	close(fast);
	return 0;
}

static int test_events_select_epoll(void)
{
	struct epoll_event ee = { .events = EPOLLIN }, got;
	struct timeval tv = { 0 };
	int fd = edu_open_dev("edu0", O_RDWR | O_NONBLOCK), ep;
	struct edu_event ev;
	fd_set rd;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	ep = epoll_create1(0);
	CHECK(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee) == 0, "epoll");

	FD_ZERO(&rd);
	FD_SET(fd, &rd);
	CHECK(select(fd + 1, &rd, NULL, NULL, &tv) == 0, "select: readable when empty");
	CHECK(epoll_wait(ep, &got, 1, 0) == 0, "epoll: readable when empty");

	CHECK(raise_irq(fd, 0x8000) == 0, "raise");
	tv.tv_sec = 2;
	FD_SET(fd, &rd);
	CHECK(select(fd + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(fd, &rd),
	      "select: not readable after an interrupt");
	CHECK(epoll_wait(ep, &got, 1, 2000) == 1 && (got.events & EPOLLIN),
	      "epoll: not readable after an interrupt");
	CHECK(read(fd, &ev, sizeof(ev)) == sizeof(ev), "read");
	CHECK(epoll_wait(ep, &got, 1, 0) == 0, "epoll: readable after draining");
	close(ep);
	close(fd);
	return 0;
}

/* read(2): whole records only; a bad buffer loses nothing; O_NONBLOCK. */
static int test_events_read_rules(void)
{
	int fd = edu_open_dev("edu0", O_RDWR | O_NONBLOCK);
	struct edu_event ev[2];
	char small[8];

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(read(fd, ev, sizeof(ev)) == -1 && errno == EAGAIN, "empty: %s",
	      strerror(errno));
	CHECK(raise_irq(fd, 0x2000) == 0, "raise");
	CHECK(next_event(fd, 2000, NULL) == -EFAULT, "NULL buffer");
	CHECK(read(fd, small, sizeof(small)) == -1 && errno == EINVAL, "short buffer");
	CHECK(read(fd, ev, sizeof(ev)) == sizeof(ev[0]), "the event survived");
	CHECK(ev[0].irq_status == 0x2000, "status %#x", ev[0].irq_status);
	CHECK(write(fd, ev, sizeof(ev[0])) == -1 && errno == EINVAL, "write");
	CHECK(lseek(fd, 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek");
	close(fd);
	return 0;
}

struct slow_read {
	int fd;
	struct slow_page *sp;
	ssize_t ret;
};

static void *read_into_slow_page(void *arg)
{
	struct slow_read *r = arg;

	r->ret = read(r->fd, r->sp->addr, sizeof(struct edu_event));
	return NULL;
}

/*
 * Two readers of one file each get a record of their own: one reader's
 * copy-out is held up (its buffer faults until released) while another
 * reads; they must not both return the same record.
 */
static int test_events_two_readers(void)
{
	int fd = edu_open_dev("edu0", O_RDWR | O_NONBLOCK), ret;
	struct slow_read r = { .fd = fd };
	long long irqs;
	struct edu_event a, b;
	struct slow_page sp;
	pthread_t t;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	ret = slow_page_create(&sp);
	CHECK(ret == 0, "userfaultfd: %s", strerror(-ret));
	r.sp = &sp;
	/* Two events, not one: each raise handled before the next. */
	irqs = stat_of("edu0", "irqs");
	CHECK(raise_irq(fd, 0x1000000) == 0, "raise");
	CHECK(WAIT_FOR(stat_of("edu0", "irqs") > irqs, 2000), "first event");
	CHECK(raise_irq(fd, 0x2000000) == 0, "raise");
	CHECK(WAIT_FOR(stat_of("edu0", "irqs") > irqs + 1, 2000), "second event");
	CHECK(pthread_create(&t, NULL, read_into_slow_page, &r) == 0, "thread");
	ret = slow_page_wait_fault(&sp, 5000);
	if (ret == 0)
		ret = next_event(fd, 5000, &b);
	slow_page_release(&sp, 0);
	pthread_join(t, NULL);
	memcpy(&a, sp.addr, sizeof(a));
	slow_page_destroy(&sp);
	close(fd);
	CHECK(ret == 0, "second reader: %s", strerror(-ret));
	CHECK(r.ret == sizeof(a), "first reader: %zd", r.ret);
	CHECK(a.seq != b.seq, "both readers got seq %llu", (unsigned long long)a.seq);
	CHECK(a.irq_status == 0x1000000 && b.irq_status == 0x2000000,
	      "order: %#x then %#x", a.irq_status, b.irq_status);
	return 0;
}

/* Raises bits n times on fd, each handled before the next: n events. */
static int raise_n(int fd, unsigned int bits, int n)
{
	long long irqs = stat_of("edu0", "irqs");
	int i;

	for (i = 0; i < n; i++)
		if (raise_irq(fd, bits) || !WAIT_FOR(stat_of("edu0", "irqs") > irqs + i, 2000))
			return -1;
	return 0;
}

/*
 * One read(2) returns several whole records; when the buffer faults part
 * way, the records before the fault are returned and the rest stay queued.
 */
static int test_events_read_several(void)
{
	int fd = edu_open_dev("edu0", O_RDWR | O_NONBLOCK);
	size_t size = sizeof(struct edu_event);
	struct edu_event ev[3];
	char *two;
	ssize_t n;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(raise_n(fd, 0x40000, 3) == 0, "events");
	n = read(fd, ev, sizeof(ev));
	CHECK(n == (ssize_t)sizeof(ev), "read %zd, want %zu", n, sizeof(ev));
	CHECK(ev[1].seq == ev[0].seq + 1 && ev[2].seq == ev[1].seq + 1, "seqs %llu %llu %llu",
	      (unsigned long long)ev[0].seq, (unsigned long long)ev[1].seq,
	      (unsigned long long)ev[2].seq);

	/* A buffer whose second page is inaccessible: the fault comes after one record. */
	two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(two != MAP_FAILED, "mmap");
	CHECK(mprotect(two + 4096, 4096, PROT_NONE) == 0, "mprotect");
	CHECK(raise_n(fd, 0x80000, 3) == 0, "events");
	n = read(fd, two + 4096 - size, 3 * size);
	CHECK(n == (ssize_t)size, "read across the fault: %zd", n);
	n = read(fd, ev, sizeof(ev));
	CHECK(n == (ssize_t)(2 * size), "the rest: %zd", n);
	CHECK(ev[0].seq == ((struct edu_event *)(two + 4096 - size))->seq + 1,
	      "seq %llu after the fault", (unsigned long long)ev[0].seq);
	munmap(two, 8192);
	close(fd);
	return 0;
}

/*
 * readv(2) and preadv2(2): a record may straddle the vectors. RWF_NOWAIT
 * (IOCB_NOWAIT, what io_uring tries first) never waits, even on a blocking
 * file: EAGAIN when nothing is queued.
 */
static int test_events_read_vectors(void)
{
	int fd = edu_open_dev("edu0", O_RDWR);
	struct edu_event ev;
	struct iovec iov[2] = {
		{ .iov_base = &ev, .iov_len = 10 },
		{ .iov_base = (char *)&ev + 10, .iov_len = sizeof(ev) - 10 },
	};
	struct pollfd p = { .fd = fd, .events = POLLIN };
	unsigned long long first = 0;
	unsigned int round;
	ssize_t n;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	n = preadv2(fd, iov, 2, -1, RWF_NOWAIT);
	CHECK(n == -1 && errno == EAGAIN, "nothing queued, RWF_NOWAIT: %zd %s", n,
	      strerror(errno));
	for (round = 0; round < 2; round++) {
		CHECK(raise_irq(fd, 0x8000000) == 0, "raise");
		CHECK(poll(&p, 1, 2000) == 1, "no event");
		memset(&ev, 0, sizeof(ev));
		n = round ? readv(fd, iov, 2) : preadv2(fd, iov, 2, -1, RWF_NOWAIT);
		CHECK(n == (ssize_t)sizeof(ev), "%s: %zd %s", round ? "readv" : "RWF_NOWAIT", n,
		      strerror(errno));
		CHECK(ev.size == sizeof(ev) && ev.type == EDU_EVENT_INTERRUPT &&
		      ev.irq_status == 0x8000000 && ev.lost == 0,
		      "record: size %u type %u status %#x lost %u", ev.size, ev.type, ev.irq_status,
		      ev.lost);
		if (round)
			CHECK(ev.seq == first + 1, "seq %llu after %llu", (unsigned long long)ev.seq,
			      first);
		first = ev.seq;
	}
	close(fd);
	return 0;
}

/*
 * A read whose buffer faults puts its record back: nothing is lost, also
 * when the fault comes part-way through the record (the second vector).
 */
static int test_events_efault_keeps_record(void)
{
	int fd = edu_open_dev("edu0", O_RDWR | O_NONBLOCK);
	void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct edu_event ev;
	struct iovec iov[2] = {
		{ .iov_base = &ev, .iov_len = 10 },
		{ .iov_base = bad, .iov_len = sizeof(ev) - 10 },
	};

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(bad != MAP_FAILED, "mmap");
	CHECK(raise_irq(fd, 0x4000000) == 0, "raise");
	CHECK(WAIT_FOR(({ struct pollfd p = { .fd = fd, .events = POLLIN };
			  poll(&p, 1, 0) == 1; }), 2000), "no event");
	CHECK(read(fd, bad, sizeof(ev)) == -1 && errno == EFAULT, "EFAULT");
	CHECK(readv(fd, iov, 2) == -1 && errno == EFAULT, "EFAULT part-way");
	munmap(bad, 4096);
	CHECK(read(fd, &ev, sizeof(ev)) == sizeof(ev), "record lost");
	CHECK(ev.irq_status == 0x4000000 && ev.lost == 0, "status %#x lost %u",
	      ev.irq_status, ev.lost);
	close(fd);
	return 0;
}

/*
 * The bounce buffer belongs to the engine until it is seen idle: after a
 * copy-path write times out (the timeout shorter than the device needs), a
 * second write is refused before its data reaches the buffer, so the first
 * transfer still delivers its own data.
 */
static int test_dma_bounce_after_timeout(void)
{
	unsigned char a[512], b[512], back[512];
	int fd = edu_open_dev("edu0", O_RDWR), ret;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));
	/* The timeout is logged as a warning: this test asks for it. */
	CHECK(write_text("/proc/sys/dev/edu/log_level", "0", 1) == 0, "log_level");
	CHECK(write_text("/proc/sys/dev/edu/dma_timeout_ms", "10", 2) == 0, "timeout");
	ret = write_window(fd, 0, a, sizeof(a));
	CHECK(ret == -ETIMEDOUT, "first write: %s", strerror(-ret));
	ret = write_window(fd, 1024, b, sizeof(b));
	CHECK(ret == -EBUSY, "second write while the engine runs: %s", strerror(-ret));
	CHECK(write_text("/proc/sys/dev/edu/dma_timeout_ms", "1000", 4) == 0, "timeout");
	/* Once the engine is idle, the window holds the first write's data. */
	CHECK(WAIT_FOR(read_window(fd, 0, back, sizeof(back)) == 0, 5000), "read back");
	CHECK(!memcmp(back, a, sizeof(a)), "window holds %#x, not 0xaa", back[0]);
	close(fd);
	return 0;
}

/*
 * Every status bit at once reads like a removed device (all ones), yet it is
 * an interrupt to handle and acknowledge: else it stays and hides the next.
 */
static int test_events_all_bits(void)
{
	unsigned int want[] = { ~0u, 0x20000 };
	int fd = edu_open_dev("edu0", O_RDWR);
	struct edu_event ev;
	int i;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	for (i = 0; i < 2; i++) {
		CHECK(raise_irq(fd, want[i]) == 0, "raise %#x: %s", want[i], strerror(errno));
		/* A firmware load's event may come first. */
		do {
			CHECK(next_event(fd, 2000, &ev) == 0, "no event for %#x", want[i]);
		} while (ev.type != EDU_EVENT_INTERRUPT);
		CHECK(ev.irq_status == want[i], "status %#x, raised %#x", ev.irq_status, want[i]);
	}
	close(fd);
	return 0;
}

/* Injection is a privileged operation. */
static int test_raise_needs_privilege(void)
{
	int fd = edu_open_dev("edu0", O_RDWR), st;
	pid_t pid;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(raise_irq(fd, 0) == -EINVAL, "zero bits");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* The open file stays; the credentials go. */
		if (setuid(65534))
			_exit(2);
		_exit(raise_irq(fd, 0x4000) == -EPERM ? 0 : 1);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "child");
	CHECK(WEXITSTATUS(st) == 0, "unprivileged raise: child exit %d", WEXITSTATUS(st));
	close(fd);
	return 0;
}

const struct test_case chardev_tests[] = {
	TEST(info),
	TEST(ioctl_factorial),
	TEST(ioctl_unknown),
	TEST(ioctl_efault),
	TEST(data_copy_roundtrip),
	TEST(data_mmap_dma),
	TEST(data_invalid_ranges),
	TEST(mmap_checks),
	TEST(dma_concurrent),
	TEST(dma_nonblock_busy),
	TEST(events_each_once),
	TEST(events_from_engines),
	TEST(events_overflow),
	TEST(events_many_files),
	TEST(events_dropped_unread),
	TEST(events_select_epoll),
	TEST(events_read_rules),
	TEST(raise_needs_privilege),
	TEST(events_all_bits),
	TEST(events_two_readers),
	TEST(events_efault_keeps_record),
	TEST(events_read_several),
	TEST(events_read_vectors),
	TEST(dma_bounce_after_timeout),
	TEST_END
};
