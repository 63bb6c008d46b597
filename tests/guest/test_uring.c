// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * io_uring commands on /dev/eduN (docs/uring.md): factorials and the copy
 * path completed asynchronously, many in flight, limits, cancellation,
 * bad input, privilege, device removal and process exit with commands in
 * flight. The functional ones run in each interrupt mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <liburing.h>
#include <linux/edu.h>

#include "hotplug.h"
#include "tests.h"
#include "util.h"

#define WINDOW EDU_DATA_WINDOW_SIZE
#define MAX_TAGS 1024

/* What came back for each tag. */
struct done {
	int got;		/* completions seen: must end as 1 */
	int32_t res;
	long long ms;		/* now_ms() when it was reaped */
	int order;		/* its place among the completions */
};

static struct done done[MAX_TAGS];
static int ndone;

static void reset_done(void)
{
	memset(done, 0, sizeof(done));
	ndone = 0;
}

/* Reaps completions until count more have come or ms pass: how many came. */
static int reap(struct io_uring *ring, int count, int ms)
{
	long long end = now_ms() + ms;
	int n = 0;

	while (n < count) {
		long long left = end - now_ms();
		uint64_t tag;
		int32_t res;

		if (left <= 0 ||
		    edu_uring_wait(ring, (int)left, &tag, &res))
			break;
		if (tag < MAX_TAGS) {
			done[tag].got++;
			done[tag].res = res;
			done[tag].ms = now_ms();
			done[tag].order = ndone++;
		}
		n++;
	}
	return n;
}

static uint32_t factorial(uint32_t n)
{
	uint32_t r = 1;

	while (n > 1)
		r *= n--;
	return r;
}

static void pattern(unsigned char *buf, unsigned int len, unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(seed * 37 + i * 11 + (i >> 7));
}

static int open_edu0(int flags)
{
	return edu_open_dev("edu0", flags);
}

static int set_knob(const char *knob, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/edu/edu0/%s", knob);
	return write_text(path, val, strlen(val));
}

/* open_files of a device in /proc/driver/edu, or -1. */
static int open_files(const char *name)
{
	char buf[4096], *line;
	int n = -1;

	if (read_text("/proc/driver/edu", buf, sizeof(buf)))
		return -1;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *last = strrchr(line, '\t');

		if (!strncmp(line, name, strlen(name)) && line[strlen(name)] == '\t' && last)
			n = atoi(last + 1);
	}
	return n;
}

/* The boot's firmware load (two transfers) has ended: counts stay still. */
static int fw_idle(void)
{
	char val[32];

	return WAIT_FOR(!read_text("/sys/class/edu/edu0/firmware_state", val, sizeof(val)) &&
			strncmp(val, "loading", 7), 10000);
}

static int submit(struct io_uring *ring, int count)
{
	int ret = io_uring_submit(ring);

	return ret == count ? 0 : (ret < 0 ? ret : -EIO);
}

/* Every factorial 0..12, twice, in flight at once; 13 refused. */
static int test_uring_factorial(void)
{
	struct io_uring ring;
	uint32_t n, before;
	int fd = open_edu0(O_RDWR), i;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	before = stat_of("edu0", "factorials");
	CHECK(edu_uring_init(&ring, 64) == 0, "ring");
	reset_done();
	for (i = 0; i < 26; i++)
		CHECK(edu_uring_prep_factorial(&ring, fd, i, i % 13), "sqe");
	edu_uring_prep_factorial(&ring, fd, 26, 13);
	CHECK(submit(&ring, 27) == 0, "submit");
	CHECK(reap(&ring, 27, 20000) == 27, "only %d completions", ndone);
	for (i = 0; i < 26; i++)
		CHECK(done[i].got == 1 && done[i].res == (int32_t)factorial(i % 13),
		      "%d! = %d (%d completions), want %u", i % 13, done[i].res,
		      done[i].got, factorial(i % 13));
	CHECK(done[26].res == -ERANGE, "13!: %d", done[26].res);
	CHECK(stat_of("edu0", "factorials") == before + 26, "factorials %lld, were %u",
	      stat_of("edu0", "factorials"), before);
	io_uring_queue_exit(&ring);

	/* A plain 64-byte SQE carries a factorial; the library helper too. */
	memset(&ring, 0, sizeof(ring));
	CHECK(io_uring_queue_init(8, &ring, 0) == 0, "small ring");
	reset_done();
	edu_uring_prep_factorial(&ring, fd, 5, 12);
	CHECK(submit(&ring, 1) == 0, "submit");
	CHECK(reap(&ring, 1, 5000) == 1 && done[5].res == 479001600, "12!: %d", done[5].res);
	io_uring_queue_exit(&ring);
	CHECK(edu_uring_factorial(fd, 7, &n) == 0 && n == 5040, "7! = %u", n);
	close(fd);
	return 0;
}

/*
 * IORING_OP_READ of the file waits for an event (by poll, inline: the file
 * has FMODE_NOWAIT): no completion while nothing is queued, then the
 * event's record, twice in order.
 */
static int test_uring_read_events(void)
{
	struct edu_event ev[2];
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	unsigned int bits;
	int fd = open_edu0(O_RDWR), round;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(edu_uring_init(&ring, 8) == 0, "ring");
	memset(ev, 0, sizeof(ev));
	for (round = 0; round < 2; round++) {
		bits = 0x10000000u >> round;
		reset_done();
		sqe = io_uring_get_sqe(&ring);
		CHECK(sqe, "sqe");
		io_uring_prep_read(sqe, fd, &ev[round], sizeof(ev[round]), -1);
		sqe->user_data = round;
		CHECK(submit(&ring, 1) == 0, "submit");
		CHECK(reap(&ring, 1, 100) == 0, "round %d: done with nothing queued: %d", round,
		      done[round].res);
		CHECK(raise_irq(fd, bits) == 0, "raise");
		CHECK(reap(&ring, 1, 2000) == 1, "round %d: no completion", round);
		CHECK(done[round].res == (int32_t)sizeof(ev[round]) &&
		      ev[round].type == EDU_EVENT_INTERRUPT && ev[round].irq_status == bits,
		      "round %d: res %d type %u status %#x", round, done[round].res, ev[round].type,
		      ev[round].irq_status);
	}
	CHECK(ev[1].seq == ev[0].seq + 1 && ev[1].lost == 0, "seq %llu after %llu, lost %u",
	      (unsigned long long)ev[1].seq, (unsigned long long)ev[0].seq, ev[1].lost);
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
}

/* The copy path both ways, byte-exact, checked against the ioctl path. */
static int test_uring_dma(void)
{
	static unsigned char a[WINDOW], b[WINDOW], c[WINDOW];
	struct io_uring ring;
	long long transfers;
	int fd = open_edu0(O_RDWR);

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(fw_idle(), "firmware still loading");
	transfers = stat_of("edu0", "dma_transfers");
	CHECK(edu_uring_init(&ring, 8) == 0, "ring");

	/* The whole window: uring in, ioctl out; ioctl in, uring out. */
	pattern(a, WINDOW, 1);
	reset_done();
	edu_uring_prep_data(&ring, fd, 1, 1, a, 0, WINDOW);
	CHECK(submit(&ring, 1) == 0, "submit");
	CHECK(reap(&ring, 1, 5000) == 1 && done[1].res == WINDOW, "write: %d", done[1].res);
	memset(b, 0, sizeof(b));
	CHECK(read_window(fd, 0, b, WINDOW) == 0, "ioctl read");
	CHECK(!memcmp(a, b, WINDOW), "uring write, ioctl read differ");

	pattern(a, WINDOW, 2);
	CHECK(write_window(fd, 0, a, WINDOW) == 0, "ioctl write");
	memset(c, 0, sizeof(c));
	edu_uring_prep_data(&ring, fd, 2, 0, c, 0, WINDOW);
	CHECK(submit(&ring, 1) == 0, "submit");
	CHECK(reap(&ring, 1, 5000) == 1 && done[2].res == WINDOW, "read: %d", done[2].res);
	CHECK(!memcmp(a, c, WINDOW), "ioctl write, uring read differ");

	/* A piece at the window's far end, one byte, both by uring. */
	pattern(a, 100, 3);
	edu_uring_prep_data(&ring, fd, 3, 1, a, WINDOW - 100, 100);
	edu_uring_prep_data(&ring, fd, 4, 0, b, WINDOW - 100, 100);
	edu_uring_prep_data(&ring, fd, 5, 1, a + 7, 17, 1);
	edu_uring_prep_data(&ring, fd, 6, 0, c, 17, 1);
	memset(b, 0, 100);
	c[0] = ~a[7];
	CHECK(submit(&ring, 4) == 0, "submit");
	CHECK(reap(&ring, 4, 10000) == 4, "only %d", ndone);
	CHECK(done[3].res == 100 && done[4].res == 100 && done[5].res == 1 &&
	      done[6].res == 1, "%d %d %d %d", done[3].res, done[4].res, done[5].res,
	      done[6].res);
	CHECK(!memcmp(a, b, 100), "window end differs");
	CHECK(c[0] == a[7], "one byte: %#x, want %#x", c[0], a[7]);
	/* Each is one transfer of the device: 2 ioctls + 6 by uring. */
	CHECK(stat_of("edu0", "dma_transfers") == transfers + 8, "transfers %lld, were %lld",
	      stat_of("edu0", "dma_transfers"), transfers);

	/*
	 * Memory never touched, written, then read back in the same submission:
	 * the write's pages are faulted in at issue, and the read still runs
	 * after it (commands of one engine run in submission order).
	 */
	{
		unsigned char *fresh = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		CHECK(fresh != MAP_FAILED, "mmap");
		memset(a, 0x5a, 2000);
		CHECK(write_window(fd, 300, a, 2000) == 0, "ioctl write");
		memset(b, 0x5a, 2000);
		reset_done();
		edu_uring_prep_data(&ring, fd, 7, 1, fresh + 3000, 300, 2000);
		edu_uring_prep_data(&ring, fd, 8, 0, b, 300, 2000);
		CHECK(submit(&ring, 2) == 0, "submit");
		CHECK(reap(&ring, 2, 5000) == 2 && done[7].res == 2000 && done[8].res == 2000,
		      "write of untouched memory %d, read %d", done[7].res, done[8].res);
		memset(c, 0, 2000);
		CHECK(!memcmp(b, c, 2000), "the read did not see the write's zeros");
		munmap(fresh, 8192);
	}

	/* eductl's --uring does the same. */
	{
		char out[512];

		CHECK(run_cmd("eductl dma write --uring edu0 200 uring-bytes", out,
			      sizeof(out)) == 0, "%s", out);
		CHECK(read_window(fd, 200, b, 11) == 0 && !memcmp(b, "uring-bytes", 11),
		      "eductl wrote %.11s", b);
		CHECK(run_cmd("eductl dma read --uring edu0 200 11", out, sizeof(out)) == 0 &&
		      strstr(out, "|uring-bytes|"), "%s", out);
		CHECK(run_cmd("eductl factorial edu0 10 --via uring", out, sizeof(out)) == 0 &&
		      !strcmp(out, "3628800\n"), "%s", out);
		CHECK(run_cmd("eductl factorial edu0 13 --via uring", out, sizeof(out)) == 1,
		      "%s", out);
		CHECK(run_cmd("eductl factorial edu0 3 --via carrier-pigeon", out,
			      sizeof(out)) == 2, "%s", out);
	}
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
}

/*
 * Many commands in flight at once: writes of distinct pieces, reads of
 * them back, factorials in between. Each engine's queue runs in order, so
 * every read sees its write, and transfers complete in submission order.
 */
static int test_uring_queue(void)
{
	static unsigned char src[16][64], dst[16][64];
	struct io_uring ring;
	int fd = open_edu0(O_RDWR), i, last;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(edu_uring_init(&ring, 128) == 0, "ring");
	reset_done();
	memset(dst, 0, sizeof(dst));
	for (i = 0; i < 16; i++) {
		pattern(src[i], 64, 100 + i);
		edu_uring_prep_data(&ring, fd, i, 1, src[i], 1000 + 64 * i, 64);
		edu_uring_prep_factorial(&ring, fd, 100 + i, i % 13);
	}
	for (i = 0; i < 16; i++) {
		edu_uring_prep_data(&ring, fd, 16 + i, 0, dst[i], 1000 + 64 * i, 64);
		edu_uring_prep_factorial(&ring, fd, 116 + i, (i + 5) % 13);
	}
	CHECK(submit(&ring, 64) == 0, "submit");
	CHECK(reap(&ring, 64, 60000) == 64, "only %d completions", ndone);
	for (i = 0; i < 32; i++) {
		CHECK(done[i].got == 1 && done[i].res == 64, "transfer %d: %d", i, done[i].res);
		CHECK(done[100 + i].got == 1 &&
		      done[100 + i].res == (int32_t)factorial(i < 16 ? i % 13 : (i - 11) % 13),
		      "factorial %d: %d", i, done[100 + i].res);
	}
	for (i = 0; i < 16; i++)
		CHECK(!memcmp(src[i], dst[i], 64), "piece %d read back differs", i);
	/* The factorials did not wait behind the transfers (an engine each). */
	last = 0;
	for (i = 0; i < 32; i++) {
		CHECK(done[i].order > last || i == 0, "transfer %d completed out of order", i);
		last = done[i].order;
	}
	CHECK(done[131].order < done[31].order, "the factorials waited for the transfers");
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
}

/*
 * Limits: EDU_URING_FILE_MAX in flight per file, EDU_URING_DEVICE_MAX per
 * device; the excess completes at once with -EBUSY. Slow transfers
 * (dma_delay_ms) keep everything in flight while the test submits.
 */
static int test_uring_limits(void)
{
	static unsigned char buf[8];
	const int files = EDU_URING_DEVICE_MAX / EDU_URING_FILE_MAX + 1;
	int fds[8], i, j, busy = 0, ok = 0, cancelled = 0, total;
	struct io_uring ring;
	long long t0, irqs = stat_of("edu0", "irqs_dma");

	CHECK(files <= 8, "limits changed: %d files", files);
	CHECK(set_knob("dma_delay_ms", "800") == 0, "dma_delay_ms");
	CHECK(edu_uring_init(&ring, 1024) == 0, "ring");
	reset_done();
	for (i = 0; i < files; i++) {
		fds[i] = open_edu0(O_RDWR);
		CHECK(fds[i] >= 0, "open");
	}
	/* One file: its limit plus 4. */
	for (j = 0; j < EDU_URING_FILE_MAX + 4; j++)
		edu_uring_prep_data(&ring, fds[0], j, 0, buf, j, 1);
	t0 = now_ms();
	CHECK(submit(&ring, EDU_URING_FILE_MAX + 4) == 0, "submit");
	CHECK(reap(&ring, 4, 2000) == 4, "no -EBUSY for the excess");
	for (j = 0; j < EDU_URING_FILE_MAX; j++)
		CHECK(!done[j].got, "command %d of the first %d completed (%d)", j,
		      EDU_URING_FILE_MAX, done[j].res);
	for (; j < EDU_URING_FILE_MAX + 4; j++)
		CHECK(done[j].got == 1 && done[j].res == -EBUSY, "excess %d: %d", j, done[j].res);

	/* The device: the other files fill it up to its limit, then -EBUSY. */
	for (i = 1; i < files; i++)
		for (j = 0; j < EDU_URING_FILE_MAX; j++)
			edu_uring_prep_data(&ring, fds[i], 100 + 100 * i + j, 0, buf, j, 1);
	total = (files - 1) * EDU_URING_FILE_MAX;
	CHECK(submit(&ring, total) == 0, "submit");
	busy = files * EDU_URING_FILE_MAX - EDU_URING_DEVICE_MAX;
	CHECK(reap(&ring, busy, 2000) == busy, "%d -EBUSY expected, %d came", busy, ndone - 4);
	for (i = 1; i < files; i++)
		for (j = 0; j < EDU_URING_FILE_MAX; j++) {
			struct done *d = &done[100 + 100 * i + j];

			if (i < files - 1)
				CHECK(!d->got, "file %d command %d: %d", i, j, d->res);
			else
				CHECK(d->got == 1 && d->res == -EBUSY, "file %d command %d: %d",
				      i, j, d->res);
		}
	/* The first transfer has ended on the device: its command is running. */
	CHECK(WAIT_FOR(stat_of("edu0", "irqs_dma") > irqs, 2000), "no DMA interrupt");
	CHECK(now_ms() - t0 < 800, "too slow to prove anything: %lld ms", now_ms() - t0);

	/* Cancel them all, file by file; only the running one ends well. */
	for (i = 0; i < files; i++)
		edu_uring_prep_cancel(&ring, fds[i], 900 + i, 0, EDU_URING_CANCEL_ALL);
	CHECK(submit(&ring, files) == 0, "submit");
	total = EDU_URING_DEVICE_MAX + files;
	CHECK(reap(&ring, total, 10000) == total, "%d of %d", ndone - 4 - busy, total);
	for (i = 0; i < files; i++)
		cancelled += done[900 + i].res;
	for (i = 0; i < MAX_TAGS; i++) {
		CHECK(done[i].got <= 1, "tag %d completed %d times", i, done[i].got);
		if (i < 900 && done[i].got && done[i].res == -ECANCELED)
			cancelled--;
		else if (i < 900 && done[i].got && done[i].res == 1)
			ok++;
		else if (i < 900 && done[i].got && done[i].res != -EBUSY)
			diag("tag %d: %d", i, done[i].res);
	}
	CHECK(cancelled == 0, "the cancels' counts and the -ECANCELED differ by %d", cancelled);
	CHECK(ok == 1, "%d completed their transfer", ok);
	CHECK(done[900 + files - 1].res == 0, "the last file had %d queued",
	      done[900 + files - 1].res);
	io_uring_queue_exit(&ring);
	for (i = 0; i < files; i++)
		close(fds[i]);
	return 0;
}

/*
 * EDU_URING_CANCEL by tag: a queued one completes -ECANCELED, a running one
 * -EALREADY, an unknown tag -ENOENT; another file's cancel touches nothing.
 */
static int test_uring_cancel(void)
{
	static unsigned char buf[5][16];
	struct io_uring ring;
	long long irqs = stat_of("edu0", "irqs_dma");
	int fd = open_edu0(O_RDWR), fd2 = open_edu0(O_RDWR), i;

	CHECK(fd >= 0 && fd2 >= 0, "open");
	CHECK(set_knob("dma_delay_ms", "600") == 0, "dma_delay_ms");
	CHECK(edu_uring_init(&ring, 32) == 0, "ring");
	reset_done();
	for (i = 0; i < 5; i++)
		edu_uring_prep_data(&ring, fd, 100 + i, 0, buf[i], 16 * i, 16);
	CHECK(submit(&ring, 5) == 0, "submit");
	/* The first transfer has ended on the device: its command is running. */
	CHECK(WAIT_FOR(stat_of("edu0", "irqs_dma") > irqs, 5000), "no DMA interrupt");

	edu_uring_prep_cancel(&ring, fd, 200, 103, 0);
	edu_uring_prep_cancel(&ring, fd, 201, 100, 0);
	edu_uring_prep_cancel(&ring, fd, 202, 999, 0);
	edu_uring_prep_cancel(&ring, fd2, 203, 101, 0);
	edu_uring_prep_cancel(&ring, fd2, 204, 0, EDU_URING_CANCEL_ALL);
	edu_uring_prep_cancel(&ring, fd, 205, 0, 2);
	CHECK(submit(&ring, 6) == 0, "submit");
	CHECK(reap(&ring, 7, 300) == 7, "cancels took too long (%d came)", ndone);
	CHECK(done[200].res == 1, "cancel of a queued one: %d", done[200].res);
	CHECK(done[103].got == 1 && done[103].res == -ECANCELED, "cancelled: %d", done[103].res);
	CHECK(done[201].res == -EALREADY, "cancel of the running one: %d", done[201].res);
	CHECK(done[202].res == -ENOENT, "cancel of nothing: %d", done[202].res);
	CHECK(done[203].res == -ENOENT, "another file's cancel: %d", done[203].res);
	CHECK(done[204].res == 0, "another file's cancel-all: %d", done[204].res);
	CHECK(done[205].res == -EINVAL, "unknown flag: %d", done[205].res);
	CHECK(!done[100].got && !done[101].got, "a command ended early");

	edu_uring_prep_cancel(&ring, fd, 206, 0, EDU_URING_CANCEL_ALL);
	CHECK(submit(&ring, 1) == 0, "submit");
	CHECK(reap(&ring, 5, 5000) == 5, "only %d", ndone);
	CHECK(done[206].res == 3, "cancel-all: %d", done[206].res);
	CHECK(done[100].res == 16, "the running one: %d", done[100].res);
	for (i = 101; i < 105; i++)
		CHECK(done[i].got == 1 && done[i].res == -ECANCELED, "%d: %d", i, done[i].res);
	io_uring_queue_exit(&ring);
	close(fd);
	close(fd2);
	return 0;
}

/*
 * close() of the descriptor cancels what this process queued through it;
 * the running one finishes. A child closing its inherited copy cancels
 * nothing of ours.
 */
static int test_uring_close_cancels(void)
{
	static unsigned char buf[6][16];
	struct io_uring ring;
	long long irqs = stat_of("edu0", "irqs_dma"), t0;
	int fd = open_edu0(O_RDWR), i, st;
	pid_t pid;

	CHECK(fd >= 0, "open");
	CHECK(set_knob("dma_delay_ms", "300") == 0, "dma_delay_ms");
	CHECK(edu_uring_init(&ring, 16) == 0, "ring");
	reset_done();
	for (i = 0; i < 6; i++)
		edu_uring_prep_data(&ring, fd, i, 0, buf[i], 0, 16);
	CHECK(submit(&ring, 6) == 0, "submit");
	CHECK(WAIT_FOR(stat_of("edu0", "irqs_dma") > irqs, 5000), "no DMA interrupt");

	pid = fork();
	CHECK(pid >= 0, "fork");
	if (!pid)
		_exit(close(fd) ? 1 : 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st), "child");
	CHECK(ndone == 0 && reap(&ring, 1, 100) == 0, "the child's close cancelled something");

	t0 = now_ms();
	close(fd);
	CHECK(reap(&ring, 6, 5000) == 6, "only %d", ndone);
	CHECK(done[0].res == 16, "the running one: %d", done[0].res);
	for (i = 1; i < 6; i++)
		CHECK(done[i].res == -ECANCELED && done[i].ms - t0 < 250,
		      "%d: %d after %lld ms", i, done[i].res, done[i].ms - t0);
	io_uring_queue_exit(&ring);
	return 0;
}

/*
 * Runs one command on ring, waits for it: its result. cmd_flags goes to
 * sqe->uring_cmd_flags; a byte at tail (>= 0) of the command area is set.
 */
static int32_t one_ex(struct io_uring *ring, int fd, uint32_t op, const void *arg,
		      size_t size, uint32_t cmd_flags, int tail)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	uint64_t tag;
	int32_t res;

	if (!sqe)
		return -99999;
	memset(sqe, 0, (ring->flags & IORING_SETUP_SQE128) ? 128 : 64);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = op;
	sqe->user_data = 7;
	sqe->uring_cmd_flags = cmd_flags;
	memcpy(sqe->cmd, arg, size);
	if (tail >= 0)
		sqe->cmd[tail] = 0x01;
	if (io_uring_submit(ring) != 1 || edu_uring_wait(ring, 5000, &tag, &res))
		return -99998;
	return res;
}

static int32_t one(struct io_uring *ring, int fd, uint32_t op, const void *arg,
		   size_t size)
{
	return one_ex(ring, fd, op, arg, size, 0, -1);
}

static int test_uring_bad_input(void)
{
	static unsigned char before[WINDOW], after[WINDOW], other[64];
	struct iovec iov;
	struct edu_uring_data d = { .tag = 1, .len = 16 };
	struct edu_uring_fact f = { .tag = 1, .n = 3 };
	struct edu_uring_cancel c = { .tag = 1 };
	struct io_uring ring, small;
	long long transfers, factorials;
	void *ro;
	int fd = open_edu0(O_RDWR);
	int32_t r;

	CHECK(fd >= 0, "open");
	CHECK(fw_idle(), "firmware still loading");
	pattern(before, WINDOW, 9);
	pattern(other, sizeof(other), 10);
	CHECK(write_window(fd, 0, before, WINDOW) == 0, "ioctl write");
	transfers = stat_of("edu0", "dma_transfers");
	factorials = stat_of("edu0", "factorials");
	CHECK(edu_uring_init(&ring, 8) == 0, "ring");
	CHECK(io_uring_queue_init(8, &small, 0) == 0, "small ring");
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(ro != MAP_FAILED, "mmap");

	/* Unknown ops, an ioctl number among them. */
	CHECK((r = one(&ring, fd, 0, &f, sizeof(f))) == -ENOTTY, "op 0: %d", r);
	CHECK((r = one(&ring, fd, EDU_IOC_FACTORIAL, &f, sizeof(f))) == -ENOTTY, "ioctl: %d", r);
	CHECK((r = one(&ring, fd, EDU_URING_FACTORIAL + 0x100, &f, sizeof(f))) == -ENOTTY,
	      "op+0x100: %d", r);
	/* Factorial: reserved, range. */
	f.reserved = 1;
	CHECK((r = one(&ring, fd, EDU_URING_FACTORIAL, &f, sizeof(f))) == -EINVAL, "%d", r);
	f.reserved = 0;
	f.n = 13;
	CHECK((r = one(&ring, fd, EDU_URING_FACTORIAL, &f, sizeof(f))) == -ERANGE, "%d", r);
	f.n = 0xffffffff;
	CHECK((r = one(&small, fd, EDU_URING_FACTORIAL, &f, sizeof(f))) == -ERANGE, "%d", r);
	/* Transfers need the 80-byte command area. */
	d.addr = (uintptr_t)after;
	CHECK((r = one(&small, fd, EDU_URING_READ_DATA, &d, sizeof(d))) == -EINVAL,
	      "read without SQE128: %d", r);
	CHECK((r = one(&small, fd, EDU_URING_WRITE_DATA, &d, sizeof(d))) == -EINVAL,
	      "write without SQE128: %d", r);
	/* Lengths and offsets. */
	d.len = 0;
	CHECK((r = one(&ring, fd, EDU_URING_WRITE_DATA, &d, sizeof(d))) == -EINVAL, "len 0: %d", r);
	d.len = WINDOW + 1;
	CHECK((r = one(&ring, fd, EDU_URING_WRITE_DATA, &d, sizeof(d))) == -EINVAL, "len: %d", r);
	d.len = 2;
	d.window_off = WINDOW - 1;
	CHECK((r = one(&ring, fd, EDU_URING_WRITE_DATA, &d, sizeof(d))) == -EINVAL, "end: %d", r);
	d.window_off = WINDOW;
	d.len = 1;
	CHECK((r = one(&ring, fd, EDU_URING_READ_DATA, &d, sizeof(d))) == -EINVAL, "off: %d", r);
	d.window_off = 0xffffffff;
	CHECK((r = one(&ring, fd, EDU_URING_READ_DATA, &d, sizeof(d))) == -EINVAL, "off: %d", r);
	d.window_off = 0;
	d.reserved = 1;
	CHECK((r = one(&ring, fd, EDU_URING_READ_DATA, &d, sizeof(d))) == -EINVAL, "rsvd: %d", r);
	d.reserved = 0;
	/* Addresses: none, the kernel's, unmapped; a read into read-only memory. */
	d.len = 16;
	d.addr = 0;
	CHECK((r = one(&ring, fd, EDU_URING_WRITE_DATA, &d, sizeof(d))) == -EFAULT, "NULL: %d", r);
	d.addr = 0xffff888000000000ULL;
	CHECK((r = one(&ring, fd, EDU_URING_WRITE_DATA, &d, sizeof(d))) == -EFAULT, "kernel: %d", r);
	CHECK((r = one(&ring, fd, EDU_URING_READ_DATA, &d, sizeof(d))) == -EFAULT, "kernel: %d", r);
	d.addr = 16;	/* the first page is never mapped */
	CHECK((r = one(&ring, fd, EDU_URING_WRITE_DATA, &d, sizeof(d))) == -EFAULT, "low: %d", r);
	d.addr = (uintptr_t)ro;
	CHECK((r = one(&ring, fd, EDU_URING_READ_DATA, &d, sizeof(d))) == -EFAULT,
	      "read into read-only memory: %d", r);
	/* Cancel: reserved. */
	c.reserved = 1;
	CHECK((r = one(&ring, fd, EDU_URING_CANCEL, &c, sizeof(c))) == -EINVAL, "cancel: %d", r);
	c.reserved = 0;

	/*
	 * A non-zero byte in the command area past the op's struct (80 bytes
	 * with SQE128): right after it and the area's last. The write would
	 * change the window and the count if it ran.
	 */
	f.n = 3;
	d.addr = (uintptr_t)other;
	d.window_off = 100;
	d.len = 16;
	CHECK((r = one(&ring, fd, EDU_URING_FACTORIAL, &f, sizeof(f))) == 6, "3!: %d", r);
	factorials++;
	CHECK((r = one_ex(&ring, fd, EDU_URING_FACTORIAL, &f, sizeof(f), 0, sizeof(f))) ==
	      -EINVAL, "factorial, byte after: %d", r);
	CHECK((r = one_ex(&ring, fd, EDU_URING_FACTORIAL, &f, sizeof(f), 0, 79)) == -EINVAL,
	      "factorial, last byte: %d", r);
	CHECK((r = one_ex(&ring, fd, EDU_URING_WRITE_DATA, &d, sizeof(d), 0, sizeof(d))) ==
	      -EINVAL, "write, byte after: %d", r);
	CHECK((r = one_ex(&ring, fd, EDU_URING_WRITE_DATA, &d, sizeof(d), 0, 79)) == -EINVAL,
	      "write, last byte: %d", r);
	CHECK((r = one_ex(&ring, fd, EDU_URING_CANCEL, &c, sizeof(c), 0, sizeof(c))) ==
	      -EINVAL, "cancel, byte after: %d", r);

	/*
	 * sqe->uring_cmd_flags: IORING_URING_CMD_FIXED (io_uring checks the
	 * buffer index against the registered buffers before the driver sees
	 * it, so one is registered), and it means nothing to these ops.
	 */
	iov.iov_base = other;
	iov.iov_len = sizeof(other);
	CHECK(io_uring_register_buffers(&ring, &iov, 1) == 0, "register buffers");
	CHECK((r = one_ex(&ring, fd, EDU_URING_FACTORIAL, &f, sizeof(f),
			  IORING_URING_CMD_FIXED, -1)) == -EINVAL, "factorial, FIXED: %d", r);
	CHECK((r = one_ex(&ring, fd, EDU_URING_WRITE_DATA, &d, sizeof(d),
			  IORING_URING_CMD_FIXED, -1)) == -EINVAL, "write, FIXED: %d", r);
	CHECK((r = one_ex(&ring, fd, EDU_URING_CANCEL, &c, sizeof(c),
			  IORING_URING_CMD_FIXED, -1)) == -EINVAL, "cancel, FIXED: %d", r);
	io_uring_unregister_buffers(&ring);

	/*
	 * Nothing changed but the one read that ran (into read-only memory)
	 * and the good factorial.
	 */
	CHECK(stat_of("edu0", "factorials") == factorials, "a factorial ran");
	CHECK(stat_of("edu0", "dma_transfers") == transfers + 1, "transfers: %lld, were %lld",
	      stat_of("edu0", "dma_transfers"), transfers);
	CHECK(read_window(fd, 0, after, WINDOW) == 0, "ioctl read");
	CHECK(!memcmp(before, after, WINDOW), "the window changed");
	munmap(ro, 4096);
	io_uring_queue_exit(&small);
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
}

static int nobody_tries(void *arg)
{
	static unsigned char buf[16];
	struct edu_uring_fact f = { .tag = 1, .n = 3 };
	struct edu_uring_data d = { .tag = 1, .addr = (uintptr_t)buf, .len = 16 };
	struct edu_uring_cancel c = { .flags = EDU_URING_CANCEL_ALL };
	struct io_uring ring;
	int fd = open_edu0(O_RDONLY), bad = 0;

	(void)arg;
	if (fd < 0 || edu_uring_init(&ring, 8))
		return 1;
	memset(buf, 0x5a, sizeof(buf));
	bad += one(&ring, fd, EDU_URING_FACTORIAL, &f, sizeof(f)) != -EPERM;
	bad += one(&ring, fd, EDU_URING_WRITE_DATA, &d, sizeof(d)) != -EPERM;
	bad += one(&ring, fd, EDU_URING_READ_DATA, &d, sizeof(d)) != -EPERM;
	bad += one(&ring, fd, EDU_URING_CANCEL, &c, sizeof(c)) != -EPERM;
	/* An unknown op is unknown to anyone. */
	bad += one(&ring, fd, 0, &f, sizeof(f)) != -ENOTTY;
	io_uring_queue_exit(&ring);
	close(fd);
	return bad;
}

/* Every op needs CAP_SYS_ADMIN, checked at issue with the submitter's credentials. */
static int test_uring_nobody(void)
{
	static unsigned char before[16], after[16];
	long long transfers, factorials;
	int fd = open_edu0(O_RDWR);

	CHECK(fd >= 0, "open");
	CHECK(fw_idle(), "firmware still loading");
	transfers = stat_of("edu0", "dma_transfers");
	factorials = stat_of("edu0", "factorials");
	CHECK(read_window(fd, 0, before, 16) == 0, "read");
	CHECK(as_nobody(nobody_tries, NULL) == 0, "uid 65534 was not refused everything");
	CHECK(stat_of("edu0", "factorials") == factorials, "a factorial ran");
	CHECK(stat_of("edu0", "dma_transfers") == transfers + 1, "a transfer ran");
	CHECK(read_window(fd, 0, after, 16) == 0 && !memcmp(before, after, 16), "window changed");
	close(fd);
	return 0;
}

/* Shared with the child that submits: how its commands ended. */
struct removal_report {
	int ready;
	int reaped;
	int enodev, ok, wrong, dup;
	long long last_ms;
	int later;		/* result of a command submitted after */
	int cancel;		/* result of a cancel submitted after */
};

#define RM_DMA 24
#define RM_FACT 24

/* The child: a queue in flight on edu0, reaped to the end. */
static void removal_child(struct removal_report *rep, int ready_fd)
{
	static unsigned char buf[RM_DMA][32];
	struct io_uring ring;
	int fd = open_edu0(O_RDWR), i, n;

	if (fd < 0 || edu_uring_init(&ring, 128))
		_exit(2);
	reset_done();
	for (i = 0; i < RM_DMA; i++) {
		edu_uring_prep_data(&ring, fd, i, i & 1, buf[i], 32 * i, 32);
		edu_uring_prep_factorial(&ring, fd, 100 + i, i % 13);
	}
	if (submit(&ring, RM_DMA + RM_FACT))
		_exit(3);
	n = reap(&ring, 1, 5000);
	rep->ready = 1;
	if (write(ready_fd, "r", 1) != 1)
		_exit(4);
	n += reap(&ring, RM_DMA + RM_FACT - 1, 15000);
	rep->reaped = n;
	for (i = 0; i < MAX_TAGS; i++) {
		if (!done[i].got)
			continue;
		if (done[i].got > 1)
			rep->dup++;
		if (done[i].res == -ENODEV)
			rep->enodev++;
		else if (i < 100 ? done[i].res == 32 : done[i].res == (int32_t)factorial((i - 100) % 13))
			rep->ok++;
		else
			rep->wrong++;
		if (done[i].ms > rep->last_ms)
			rep->last_ms = done[i].ms;
	}
	edu_uring_prep_factorial(&ring, fd, 500, 3);
	rep->later = submit(&ring, 1) ? -99999 :
		     reap(&ring, 1, 5000) == 1 ? done[500].res : -99998;
	edu_uring_prep_cancel(&ring, fd, 501, 3, 0);
	rep->cancel = submit(&ring, 1) ? -99999 :
		      reap(&ring, 1, 5000) == 1 ? done[501].res : -99998;
	io_uring_queue_exit(&ring);
	close(fd);
	_exit(0);
}

/* A queue in flight when edu0 goes (unbind or hot-unplug). */
static int removal(int hot)
{
	struct removal_report *rep;
	char bdf[32], c;
	long long t0, t1;
	int p[2], st, ret;
	pid_t pid;

	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0 && bdf[0], "no PCI address");
	rep = mmap(NULL, sizeof(*rep), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(rep != MAP_FAILED, "mmap");
	memset(rep, 0, sizeof(*rep));
	CHECK(pipe(p) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (!pid) {
		close(p[0]);
		removal_child(rep, p[1]);
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1 && rep->ready, "the child never got going");
	close(p[0]);

	t0 = now_ms();
	ret = hot ? hotplug_unplug(bdf) : driver_ctl("unbind", bdf);
	/* Unbind: from its start. Unplug: from QEMU's deletion (QMP is slow). */
	t1 = now_ms();
	diag("%s took %lld ms", hot ? "unplug" : "unbind", t1 - t0);
	CHECK(ret == 0, "removal: %s", strerror(-ret));
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	      "child status %#x", st);
	ret = hot ? hotplug_plug(bdf) : driver_ctl("bind", bdf);
	CHECK(ret == 0, "back: %s", strerror(-ret));

	diag("%d reaped: %d -ENODEV, %d done, last %lld ms after the removal began",
	     rep->reaped, rep->enodev, rep->ok, rep->last_ms - t0);
	CHECK(rep->reaped == RM_DMA + RM_FACT, "only %d completions", rep->reaped);
	CHECK(!rep->dup && !rep->wrong, "%d twice, %d wrong", rep->dup, rep->wrong);
	CHECK(rep->enodev > 0, "nothing completed -ENODEV");
	CHECK(rep->enodev + rep->ok == RM_DMA + RM_FACT, "sum");
	CHECK(rep->last_ms - (hot ? t1 : t0) < 1000, "the last came %lld ms after the removal",
	      rep->last_ms - (hot ? t1 : t0));
	CHECK(rep->later == -ENODEV, "a command after the removal: %d", rep->later);
	CHECK(rep->cancel == -ENODEV, "a cancel after the removal: %d", rep->cancel);
	munmap(rep, sizeof(*rep));

	/* The device that came back works through io_uring. */
	{
		uint32_t n = 0;
		int fd = open_edu0(O_RDWR);

		CHECK(fd >= 0, "open");
		CHECK(edu_uring_factorial(fd, 9, &n) == 0 && n == 362880, "9! = %u", n);
		close(fd);
	}
	return 0;
}

static int test_uring_unbind(void)
{
	return removal(0);
}

static int test_uring_hotplug(void)
{
	char answer[64];

	CHECK(hotplug_request("ping", answer, sizeof(answer)) == 0, "no hotplug agent");
	return removal(1);
}

/*
 * The submitting process dies (SIGKILL) with reads, writes and factorials
 * in flight: it is reaped, its file is released, and the device works.
 */
static int test_uring_process_exit(void)
{
	int p[2], st, base = open_files("edu0");
	long long t0;
	char c;
	pid_t pid;

	CHECK(base >= 0, "no open_files for edu0");
	CHECK(pipe(p) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (!pid) {
		static unsigned char buf[20][64];
		struct io_uring ring;
		int fd = open_edu0(O_RDWR), i;

		close(p[0]);
		if (fd < 0 || edu_uring_init(&ring, 64))
			_exit(2);
		for (i = 0; i < 20; i++) {
			edu_uring_prep_data(&ring, fd, i, i & 1, buf[i], 64 * i, 64);
			edu_uring_prep_factorial(&ring, fd, 100 + i, i % 13);
		}
		if (submit(&ring, 40) || write(p[1], "r", 1) != 1)
			_exit(3);
		pause();
		_exit(4);
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1, "the child never got going");
	close(p[0]);
	CHECK(open_files("edu0") == base + 1, "open_files %d, base %d", open_files("edu0"), base);
	t0 = now_ms();
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st), "child status %#x", st);
	/* Its commands end (queued ones cancelled by the exit's close). */
	CHECK(WAIT_FOR(open_files("edu0") == base, 10000), "the file was never released: %d",
	      open_files("edu0"));
	diag("released %lld ms after the kill", now_ms() - t0);
	{
		uint32_t n = 0;
		int fd = open_edu0(O_RDWR);
		static unsigned char a[64], b[64];

		CHECK(fd >= 0, "open");
		CHECK(edu_uring_factorial(fd, 11, &n) == 0 && n == 39916800, "11! = %u", n);
		pattern(a, 64, 77);
		CHECK(edu_uring_data(fd, 1, a, 500, 64) == 0, "write");
		CHECK(edu_uring_data(fd, 0, b, 500, 64) == 0 && !memcmp(a, b, 64), "read back");
		close(fd);
	}
	return 0;
}

#define SQ_CMDS EDU_URING_FILE_MAX
#define SQ_PIECE 32

/* The child of sqpoll_kill: SQ_CMDS writes queued by an SQPOLL thread. */
static void sqpoll_child(int ready_fd)
{
	static unsigned char src[SQ_CMDS][SQ_PIECE];
	struct io_uring_params prm;
	struct io_uring ring;
	int fd = open_edu0(O_RDWR), i;

	memset(&prm, 0, sizeof(prm));
	prm.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQE128;
	prm.sq_thread_idle = 5000;
	if (fd < 0 || io_uring_queue_init_params(SQ_CMDS, &ring, &prm))
		_exit(2);
	for (i = 0; i < SQ_CMDS; i++) {
		pattern(src[i], SQ_PIECE, 200 + i);
		if (!edu_uring_prep_data(&ring, fd, i, 1, src[i], SQ_PIECE * i, SQ_PIECE))
			_exit(3);
	}
	if (io_uring_submit(&ring) != SQ_CMDS)
		_exit(4);
	/* The SQ thread has issued them all once it has taken every SQE. */
	if (!WAIT_FOR(!io_uring_sq_ready(&ring), 5000))
		_exit(5);
	/* A completion already means one was refused (EBUSY...): say so. */
	if (io_uring_cq_ready(&ring))
		_exit(6);
	if (write(ready_fd, "r", 1) != 1)
		_exit(7);
	/* The descriptor stays open: the SQ thread shares the file table. */
	pause();
	_exit(8);
}

/*
 * An SQPOLL ring's process is killed with SQ_CMDS writes queued on edu0.
 * The SQ thread keeps the file table (so no close cancels anything) and
 * waits for its commands before it exits; only the driver's check of the
 * issuing process keeps them from running. At most the one on the device
 * at the kill completes after it, the process is reaped at once, the
 * window shows exactly the pieces that ran, and the device works.
 */
static int test_uring_sqpoll_kill(void)
{
	static unsigned char before[WINDOW], after[WINDOW], piece[SQ_PIECE];
	long long base, at_kill, end, t0, reaped;
	int p[2], st, fd, files, i, ran = 0, order_ok = 1;
	char c;
	pid_t pid;

	fd = open_edu0(O_RDWR);
	CHECK(fd >= 0, "open");
	CHECK(fw_idle(), "firmware still loading");
	pattern(before, WINDOW, 41);
	CHECK(write_window(fd, 0, before, WINDOW) == 0, "ioctl write");
	files = open_files("edu0");
	CHECK(files >= 1, "no open_files for edu0");
	/* 64 transfers take 9.6 s if they all run. */
	CHECK(set_knob("dma_delay_ms", "150") == 0, "dma_delay_ms");
	base = stat_of("edu0", "dma_transfers");
	CHECK(pipe(p) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (!pid) {
		close(p[0]);
		sqpoll_child(p[1]);
	}
	close(p[1]);
	st = read(p[0], &c, 1);
	close(p[0]);
	if (st != 1) {
		waitpid(pid, &st, 0);
		CHECK(0, "the child never got going: status %#x", st);
	}
	/* The engine is on them: the first has completed, the second runs. */
	CHECK(WAIT_FOR(stat_of("edu0", "dma_transfers") > base, 5000), "no transfer ran");

	t0 = now_ms();
	CHECK(kill(pid, SIGKILL) == 0, "kill");
	/* The kill has marked the process: anything counted later was running. */
	at_kill = stat_of("edu0", "dma_transfers");
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "child status %#x", st);
	reaped = now_ms() - t0;
	/* Every command has completed once the file is released. */
	CHECK(WAIT_FOR(open_files("edu0") == files, 15000), "the file was never released: %d",
	      open_files("edu0"));
	end = stat_of("edu0", "dma_transfers");
	diag("reaped %lld ms after the kill; %lld transfers before it, %lld after",
	     reaped, at_kill - base, end - at_kill);
	CHECK(end - at_kill <= 1, "%lld transfers completed after the kill", end - at_kill);
	CHECK(reaped < 2000, "reaped %lld ms after the kill", reaped);

	/* The window: the first pieces written, in order, the rest untouched. */
	CHECK(set_knob("dma_delay_ms", "0") == 0, "dma_delay_ms");
	CHECK(read_window(fd, 0, after, WINDOW) == 0, "ioctl read");
	for (i = 0; i < SQ_CMDS; i++) {
		pattern(piece, SQ_PIECE, 200 + i);
		if (!memcmp(after + SQ_PIECE * i, piece, SQ_PIECE)) {
			order_ok &= ran == i;
			ran++;
		} else if (memcmp(after + SQ_PIECE * i, before + SQ_PIECE * i, SQ_PIECE)) {
			CHECK(0, "piece %d is neither written nor the old data", i);
		}
	}
	CHECK(!memcmp(after + SQ_PIECE * SQ_CMDS, before + SQ_PIECE * SQ_CMDS,
		      WINDOW - SQ_PIECE * SQ_CMDS), "the window past the pieces changed");
	CHECK(order_ok, "the pieces written are not the first ones");
	CHECK(ran == end - base, "%d pieces written, %lld transfers counted", ran, end - base);

	/* The device works, through io_uring and the ioctls. */
	{
		static unsigned char a[64], b[64];
		uint32_t n = 0;

		CHECK(edu_uring_factorial(fd, 8, &n) == 0 && n == 40320, "8! = %u", n);
		pattern(a, 64, 78);
		CHECK(edu_uring_data(fd, 1, a, 2500, 64) == 0, "write");
		CHECK(read_window(fd, 2500, b, 64) == 0 && !memcmp(a, b, 64), "read back");
	}
	close(fd);
	return 0;
}

/* Per interrupt mode: completion comes by the device's interrupt. */
const struct test_case uring_tests[] = {
	TEST(uring_factorial),
	TEST(uring_read_events),
	TEST(uring_dma),
	TEST(uring_queue),
	TEST(uring_unbind),
	TEST(uring_process_exit),
	TEST(uring_sqpoll_kill),
	TEST_END
};

/* Once: what does not depend on the interrupt mode. */
const struct test_case uring_once_tests[] = {
	TEST(uring_limits),
	TEST(uring_cancel),
	TEST(uring_close_cancels),
	TEST(uring_bad_input),
	TEST(uring_nobody),
	TEST(uring_hotplug),
	TEST_END
};
