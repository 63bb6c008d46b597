// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoints: trace system "edu" in tracefs. Each event appears with the
 * exact values of what the test did (interrupt status bits, DMA offsets
 * and lengths, n and n!, delivery channels and their counts, firmware
 * steps), nothing appears while the events are off, trace-cmd records
 * them, and a device removal while tracing is harmless.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "events_util.h"
#include "tests.h"
#include "util.h"

#define TRACEFS "/sys/kernel/tracing/"
#define DEBUGFS "/sys/kernel/debug/edu/"
#define SYSCTL "/proc/sys/dev/edu/"
#define TRACE_MAX (4 << 20)

static int put(const char *path, const char *val)
{
	return write_text(path, val, strlen(val));
}

/* "edu" for the whole system, or one event's name. */
static int trace_enable(const char *event, int on)
{
	char path[128];

	if (!strcmp(event, "edu"))
		snprintf(path, sizeof(path), TRACEFS "events/edu/enable");
	else
		snprintf(path, sizeof(path), TRACEFS "events/edu/%s/enable", event);
	return put(path, on ? "1" : "0");
}

static int trace_clear(void)
{
	int fd = open(TRACEFS "trace", O_WRONLY | O_TRUNC | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* The whole trace buffer as text (malloc'd), or NULL. */
static char *trace_read(void)
{
	char *buf = malloc(TRACE_MAX);
	size_t len = 0;
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	fd = open(TRACEFS "trace", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	while (len < TRACE_MAX - 1 && (n = read(fd, buf + len, TRACE_MAX - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return buf;
}

/*
 * The first line at or after from of event "name" holding every string of
 * want (NULL-terminated); a pointer to the text after "name: ", or NULL.
 */
static const char *find_line(const char *from, const char *name, const char *const *want)
{
	char tag[64];
	const char *p;

	snprintf(tag, sizeof(tag), " %s: ", name);
	for (p = from; (p = strstr(p, tag)); p++) {
		const char *eol = strchr(p, '\n');
		/* With its newline: a wanted "result=0\n" is the whole last field. */
		size_t len = eol ? (size_t)(eol - p + 1) : strlen(p);
		char line[512];
		int i, ok = 1;

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		for (i = 0; want[i] && ok; i++)
			ok = strstr(line, want[i]) != NULL;
		if (ok)
			return p + strlen(tag);
	}
	return NULL;
}

#define FIND(buf, name, ...) find_line(buf, name, (const char *const[]){ __VA_ARGS__, NULL })

/* The number after "key=" in the line at p, or -1. */
static long long field(const char *p, const char *key)
{
	const char *eol = strchr(p, '\n');
	const char *f = strstr(p, key);

	if (!f || (eol && f > eol))
		return -1;
	return strtoll(f + strlen(key), NULL, 0);
}

static void trace_off(void)
{
	trace_enable("edu", 0);
}

static int test_trace_events_listed(void)
{
	static const char *const events[] = {
		"edu_irq_handler_entry", "edu_irq_handler_exit", "edu_dma_start",
		"edu_dma_done", "edu_factorial", "edu_event_post", "edu_event_deliver",
		"edu_event_route", "edu_fw_step",
	};
	char path[128], fmt[4096];
	unsigned int i;

	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(path, sizeof(path), TRACEFS "events/edu/%s/format", events[i]);
		CHECK(read_text(path, fmt, sizeof(fmt)) == 0, "%s: no format", events[i]);
	}
	CHECK(read_text(TRACEFS "events/edu/edu_irq_handler_exit/format", fmt,
			sizeof(fmt)) == 0, "format");
	CHECK(strstr(fmt, "field:u64 duration_ns;"), "no duration: %s", fmt);
	CHECK(strstr(fmt, "field:u32 status;"), "no status: %s", fmt);
	return 0;
}

/* Handled, dropped (drop_irqs) and not ours (a spurious interrupt). */
static int test_trace_irq(void)
{
	long long dropped = stat_of("edu0", "irqs_dropped");
	long long spurious = stat_of("edu0", "irqs_spurious");
	long long other = stat_of("edu0", "irqs_other");
	const char *line, *entry;
	int none;
	struct edu_event ev;
	char irq[32], *buf;
	int fd = edu_open_dev("edu0", O_RDWR);

	CHECK(fd >= 0, "open");
	CHECK(trace_clear() == 0, "clear");
	CHECK(trace_enable("edu_irq_handler_entry", 1) == 0, "enable entry");
	CHECK(trace_enable("edu_irq_handler_exit", 1) == 0, "enable exit");
	CHECK(raise_irq(fd, 0x10000) == 0, "raise");
	/* A transfer's completion interrupt may still come in before it. */
	do {
		int ret = next_event(fd, 3000, &ev);

		CHECK(ret == 0, "no event: %s", strerror(-ret));
	} while (ev.irq_status != 0x10000);
	CHECK(put(DEBUGFS "edu0/drop_irqs", "1") == 0, "drop_irqs");
	CHECK(raise_irq(fd, 0x20000) == 0, "raise");
	CHECK(WAIT_FOR(stat_of("edu0", "irqs_dropped") == dropped + 1, 3000), "not dropped");
	CHECK(put(DEBUGFS "edu0/spurious_irq", "1") == 0, "spurious");
	/*
	 * The knob waits a moment for it; a busy TCG host can take longer. Should
	 * the vector have moved to another CPU meanwhile, the handler sees the
	 * knob's bit (0x80000000) before its acknowledge: then a handled one.
	 */
	CHECK(WAIT_FOR(stat_of("edu0", "irqs_spurious") > spurious ||
		       stat_of("edu0", "irqs_other") > other, 3000),
	      "no interrupt from spurious_irq");
	none = stat_of("edu0", "irqs_spurious") > spurious;
	trace_off();
	close(fd);

	buf = trace_read();
	CHECK(buf, "read trace");
	line = FIND(buf, "edu_irq_handler_exit", "edu0 ", "status=0x00010000 result=handled");
	CHECK(line, "no handled exit:\n%.2000s", buf);
	CHECK(field(line, "duration_ns=") > 0, "duration %lld", field(line, "duration_ns="));
	snprintf(irq, sizeof(irq), "edu0 irq=%lld\n", field(line, "irq="));
	entry = FIND(buf, "edu_irq_handler_entry", irq);
	CHECK(entry, "no entry '%s'", irq);
	CHECK(FIND(buf, "edu_irq_handler_exit", "edu0 ", "status=0x00020000 result=dropped"),
	      "no dropped exit");
	CHECK(FIND(buf, "edu_irq_handler_exit", "edu0 ", none ? "status=0x00000000 result=none" :
		   "status=0x80000000 result=handled"), "no exit of the spurious_irq interrupt (%s)",
	      none ? "spurious" : "handled");
	free(buf);
	return 0;
}

/* Both directions through the data window (device offset 1024 + off), and a failure. */
static int test_trace_dma(void)
{
	char out[64] = "tracepoints see every transfer", in[16] = "";
	int fd = edu_open_dev("edu0", O_RDWR);
	const char *start, *done;
	char *buf;

	CHECK(fd >= 0, "open");
	CHECK(trace_clear() == 0, "clear");
	CHECK(trace_enable("edu_dma_start", 1) == 0 && trace_enable("edu_dma_done", 1) == 0,
	      "enable");
	CHECK(write_window(fd, 100, out, 37) == 0, "write");
	CHECK(read_window(fd, 200, in, 11) == 0, "read");
	CHECK(put(DEBUGFS "edu0/fail_dma", "1") == 0, "fail_dma");
	CHECK(write_window(fd, 300, out, 5) == -EIO, "injected failure");
	trace_off();
	close(fd);

	buf = trace_read();
	CHECK(buf, "read trace");
	start = FIND(buf, "edu_dma_start", "edu0 dir=to_device dev_off=1124 len=37 ram=0x");
	CHECK(start, "no start:\n%.2000s", buf);
	done = FIND(start, "edu_dma_done", "edu0 dir=to_device dev_off=1124 len=37 ", "result=0\n");
	CHECK(done, "no completion:\n%.2000s", buf);
	/* The device completes 100 ms after the start. */
	CHECK(field(done, "duration_ns=") >= 10000000, "duration %lld",
	      field(done, "duration_ns="));
	start = FIND(done, "edu_dma_start", "edu0 dir=to_ram dev_off=1224 len=11 ");
	CHECK(start, "no read start");
	done = FIND(start, "edu_dma_done", "edu0 dir=to_ram dev_off=1224 len=11 ", "result=0\n");
	CHECK(done, "no read completion");
	done = FIND(done, "edu_dma_done", "edu0 dir=to_device dev_off=1324 len=5 ", "result=-5\n");
	CHECK(done, "no failure:\n%.2000s", buf);
	free(buf);
	return 0;
}

static int test_trace_factorial(void)
{
	static const struct { unsigned int n; const char *want; } cases[] = {
		{ 0, "edu0 n=0 value=1 " }, { 10, "edu0 n=10 value=3628800 " },
		{ 12, "edu0 n=12 value=479001600 " },
	};
	int fd = edu_open_dev("edu0", O_RDWR);
	const char *line;
	unsigned int i;
	char *buf;

	CHECK(fd >= 0, "open");
	CHECK(trace_clear() == 0 && trace_enable("edu_factorial", 1) == 0, "enable");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct edu_factorial f = { .n = cases[i].n };

		CHECK(ioctl(fd, EDU_IOC_FACTORIAL, &f) == 0, "%u!: %s", f.n, strerror(errno));
	}
	trace_off();
	close(fd);
	buf = trace_read();
	CHECK(buf, "read trace");
	line = buf;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		line = FIND(line, "edu_factorial", cases[i].want, "result=0\n");
		CHECK(line, "no '%s':\n%.2000s", cases[i].want, buf);
		CHECK(field(line, "duration_ns=") > 0, "duration");
	}
	free(buf);
	return 0;
}

/* A netlink socket in the group "events": a listener for the driver. */
static struct nl_sock *netlink_listener(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int grp;

	if (!sk)
		return NULL;
	if (genl_connect(sk) ||
	    (grp = genl_ctrl_resolve_grp(sk, EDU_GENL_NAME, EDU_GENL_MCGRP_EVENTS)) < 0 ||
	    nl_socket_add_membership(sk, grp)) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

/* The seq of the event_post line with these status bits, or -1. */
static long long seq_of(const char *buf, const char *status)
{
	const char *line = FIND(buf, "edu_event_post", "edu0 ", status);

	return line ? field(line, "seq=") : -1;
}

/* An edu_event_deliver line of event seq, channel and what follows: 0 or -1. */
static int delivered(const char *buf, long long seq, const char *what)
{
	char want[160];

	snprintf(want, sizeof(want), "edu0 seq=%lld channel=%s", seq, what);
	if (FIND(buf, "edu_event_deliver", want))
		return 0;
	diag("no '%s':\n%.3000s", want, buf);
	return -1;
}

/*
 * The event with these status bits went through this channel. Netlink
 * delivery is deferred to a work item, so it can come well after the post
 * (on PREEMPT_RT especially).
 */
static int went_through(const char *status, const char *channel)
{
	char *buf = trace_read();
	long long seq = buf ? seq_of(buf, status) : -1;
	char want[64];
	int found;

	snprintf(want, sizeof(want), "edu0 seq=%lld channel=%s ", seq, channel);
	found = seq > 0 && FIND(buf, "edu_event_deliver", want);
	free(buf);
	return found;
}

/* An event with these interrupt status bits is in the trace (one at a time). */
static int posted(const char *status)
{
	char *buf = trace_read();
	int found = buf && FIND(buf, "edu_event_post", "edu0 ", status);

	free(buf);
	return found;
}

/*
 * Every channel: a file's queue (full: lost; traced as it is read), SIGIO,
 * signals, the deferred ring, netlink. It takes the guest to have no member
 * of the netlink group events and no enabled route but its own: the trace
 * group runs before the routes group, and no daemon joins the group.
 */
static int test_trace_delivery(void)
{
	long long s1, s2, s3, s4;
	struct edu_signal sig = { .signo = SIGUSR2 };
	char val[32], want[96], *buf;
	struct edu_event ev, rec[3];
	struct nl_sock *sk;
	int fd, n;

	signal(SIGUSR2, SIG_IGN);
	signal(SIGIO, SIG_IGN);
	CHECK(put(SYSCTL "event_queue_len", "2") == 0, "queue length");
	fd = edu_open_dev("edu0", O_RDWR);
	CHECK(fd >= 0, "open");
	CHECK(fcntl(fd, F_SETOWN, getpid()) == 0 &&
	      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC) == 0, "O_ASYNC");
	CHECK(ioctl(fd, EDU_IOC_SET_SIGNAL, &sig) == 0, "signal");
	snprintf(val, sizeof(val), "%d %d", getpid(), SIGUSR2);
	CHECK(put(DEBUGFS "edu0/signal_pid", val) == 0, "signal_pid");
	CHECK(trace_clear() == 0, "clear");
	CHECK(trace_enable("edu_event_post", 1) == 0 && trace_enable("edu_event_deliver", 1) == 0,
	      "enable");
	/* Whatever came since the open goes: the queue starts empty. */
	while (next_event(fd, 0, &ev) == 0)
		;
	/* Three events, none read: the third finds the queue of 2 full. */
	CHECK(raise_irq(fd, 0x100000) == 0, "raise");
	CHECK(WAIT_FOR(posted("status=0x00100000 "), 3000), "no interrupt");
	CHECK(raise_irq(fd, 0x200000) == 0, "raise");
	CHECK(WAIT_FOR(posted("status=0x00200000 "), 3000), "no interrupt");
	CHECK(raise_irq(fd, 0x400000) == 0, "raise");
	/* The debug signal is sent after the deferral was decided. */
	CHECK(WAIT_FOR(went_through("status=0x00400000 ", "debug_signal"), 3000), "no interrupt");
	/* With a netlink listener now. */
	sk = netlink_listener();
	CHECK(sk, "netlink listener");
	CHECK(raise_irq(fd, 0x800000) == 0, "raise");
	CHECK(WAIT_FOR((buf = trace_read()) && strstr(buf, "channel=netlink target=0 result=0 ") ?
		       1 : (free(buf), 0), 3000), "no netlink delivery");
	free(buf);
	nl_socket_free(sk);
	/* The queue of 2 now holds the last two events, and says what it lost. */
	for (n = 0; n < 3 && next_event(fd, 0, &rec[n]) == 0; n++)
		;
	trace_off();
	put(DEBUGFS "edu0/signal_pid", "0");
	close(fd);
	buf = trace_read();
	CHECK(buf, "trace");

	s1 = seq_of(buf, "type=1 status=0x00100000 value=0");
	s2 = seq_of(buf, "type=1 status=0x00200000 value=0");
	s3 = seq_of(buf, "type=1 status=0x00400000 value=0");
	s4 = seq_of(buf, "type=1 status=0x00800000 value=0");
	CHECK(s1 > 0 && s2 > s1 && s3 > s2 && s4 > s3,
	      "posts %lld %lld %lld %lld:\n%.3000s", s1, s2, s3, s4, buf);

	/*
	 * Normally s3 (s1 and s2 lost) and s4. The probe's firmware load may
	 * still post its last events (its DMA completion, FIRMWARE_LOADED)
	 * after the drain, before s1 or between the four: they take a place
	 * in the queue too, and more are lost.
	 */
	CHECK(n == 2, "%d records in a queue of 2", n);
	CHECK(rec[1].seq == (unsigned long long)s4 && rec[1].lost == 0, "last: seq %llu lost %u",
	      (unsigned long long)rec[1].seq, rec[1].lost);
	CHECK(rec[0].seq >= (unsigned long long)s3 && rec[0].seq < (unsigned long long)s4 &&
	      rec[0].lost >= 2, "first: seq %llu lost %u (s3 %lld)", (unsigned long long)rec[0].seq,
	      rec[0].lost, s3);
	snprintf(want, sizeof(want), "edu0 seq=%llu channel=queue target=0 result=0 queued=1 lost=%u\n",
		 (unsigned long long)rec[0].seq, rec[0].lost);
	CHECK(FIND(buf, "edu_event_deliver", want), "no '%s':\n%.3000s", want, buf);
	CHECK(delivered(buf, s4, "queue target=0 result=0 queued=0 lost=0\n") == 0, "s4 read");
	snprintf(want, sizeof(want), "edu0 seq=%lld channel=queue ", s1);
	CHECK(!FIND(buf, "edu_event_deliver", want), "s1 read, but lost");
	CHECK(delivered(buf, s1, "sigio target=0 result=0 ") == 0, "sigio");
	snprintf(want, sizeof(want), "signal target=%d result=0 ", getpid());
	CHECK(delivered(buf, s1, want) == 0, "signal");
	snprintf(want, sizeof(want), "debug_signal target=%d result=0 ", getpid());
	CHECK(delivered(buf, s3, want) == 0, "debug signal");
	/* Nobody listened to the first three (and no route): not even deferred. */
	snprintf(want, sizeof(want), "edu0 seq=%lld channel=deferred ", s1);
	CHECK(!FIND(buf, "edu_event_deliver", want), "s1 deferred for nobody");
	snprintf(want, sizeof(want), "edu0 seq=%lld channel=netlink ", s3);
	CHECK(!FIND(buf, "edu_event_deliver", want), "s3 sent to nobody");
	CHECK(delivered(buf, s4, "deferred target=0 result=0 ") == 0, "deferred");
	CHECK(delivered(buf, s4, "netlink target=0 result=0 ") == 0, "netlink s4");
	free(buf);
	return 0;
}

/*
 * An enabled route alone is someone there: the event is deferred, and its
 * multicast finds the netlink group empty (-ESRCH).
 */
static int test_trace_deferred_for_route(void)
{
	char path[] = "/sys/kernel/config/edu/routes/trace_r";
	long long seq;
	char *buf;
	int fd, err;

	CHECK(mkdir(path, 0755) == 0, "mkdir %s: %s", path, strerror(errno));
	fd = edu_open_dev("edu0", O_RDWR);
	err = fd < 0 || route_set("trace_r", "type", "udp") || route_set("trace_r", "dest", "127.0.0.1:5609") ||
	      route_set("trace_r", "device", "0") || route_set("trace_r", "enable", "1");
	if (!err && (trace_clear() || trace_enable("edu_event_post", 1) ||
		     trace_enable("edu_event_deliver", 1)))
		err = -1;
	if (!err && raise_irq(fd, 0x1000000) == 0)
		WAIT_FOR(went_through("status=0x01000000 ", "netlink"), 3000);
	trace_off();
	rmdir(path);
	if (fd >= 0)
		close(fd);
	CHECK(!err, "route, open or trace set-up");
	buf = trace_read();
	CHECK(buf, "trace");
	seq = seq_of(buf, "status=0x01000000 ");
	CHECK(seq > 0, "no post:\n%.3000s", buf);
	CHECK(delivered(buf, seq, "deferred target=0 result=0 ") == 0, "deferred");
	CHECK(delivered(buf, seq, "netlink target=0 result=-3 ") == 0, "netlink");
	free(buf);
	return 0;
}

/*
 * A file with a ring and an eventfd: its events go to the ring (channel
 * ring, with the ring's fill; a full ring drops with -ENOSPC and counts it
 * as lost) and ring the eventfd of their class, never to its read queue.
 */
static int test_trace_delivery_ring(void)
{
	struct edu_ring_setup rs = { .entries = 2 };
	struct edu_eventfd reg = { .classes = EDU_EVFD_OTHER };
	static const unsigned int bits[] = { 0x100000, 0x200000, 0x400000 };
	char want[96], status[32], *buf;
	long long seq[3], base;
	unsigned long long read_last = 0;
	struct edu_event ev;
	uint64_t rang = 0;
	unsigned int k;
	int fd, efd;

	fd = open0(O_RDWR);
	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(ioctl(fd, EDU_IOC_RING_SETUP, &rs) == 0, "ring: %s", strerror(errno));
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	CHECK(efd >= 0, "eventfd");
	reg.fd = efd;
	CHECK(ioctl(fd, EDU_IOC_SET_EVENTFD, &reg) == 0, "eventfd: %s", strerror(errno));
	CHECK(trace_clear() == 0, "clear");
	CHECK(trace_enable("edu_event_post", 1) == 0 && trace_enable("edu_event_deliver", 1) == 0,
	      "enable");
	/* Three events on a ring of two that nobody consumes: the third is dropped. */
	for (k = 0; k < 3; k++)
		CHECK(raise_handled(fd, bits[k]) == 0, "raise 0x%x", bits[k]);
	trace_off();
	pacer_close();
	CHECK(read(efd, &rang, sizeof(rang)) == sizeof(rang) && rang == 3,
	      "eventfd counted %llu", (unsigned long long)rang);
	/* Its queue: only what came before the ring, then EINVAL. */
	while (read(fd, &ev, sizeof(ev)) == sizeof(ev))
		read_last = ev.seq;
	CHECK(errno == EINVAL, "read after the ring's events: %s", strerror(errno));
	close(efd);
	close(fd);

	buf = trace_read();
	CHECK(buf, "trace");
	for (k = 0; k < 3; k++) {
		snprintf(status, sizeof(status), "status=0x%08x ", bits[k]);
		seq[k] = seq_of(buf, status);
		CHECK(seq[k] > 0 && (!k || seq[k] == seq[k - 1] + 1), "post %u: %lld:\n%.3000s",
		      k, seq[k], buf);
	}
	/*
	 * Normally the ring holds 1, then 2, then drops one. A late completion
	 * interrupt of the probe's firmware load may have taken a slot first:
	 * then each event finds one record more.
	 */
	base = -1;
	for (k = 0; k < 2 && base < 0; k++) {
		snprintf(want, sizeof(want),
			 "edu0 seq=%lld channel=ring target=0 result=0 queued=%u lost=0\n",
			 seq[0], k + 1);
		if (FIND(buf, "edu_event_deliver", want))
			base = k;
	}
	CHECK(base >= 0, "event 1 not in the ring:\n%.3000s", buf);
	for (k = 1; k < 3; k++) {
		long long n = base + k + 1;

		if (n <= 2)
			snprintf(want, sizeof(want), "ring target=0 result=0 queued=%lld lost=0\n", n);
		else
			snprintf(want, sizeof(want), "ring target=0 result=-28 queued=2 lost=%lld\n",
				 n - 2);
		CHECK(delivered(buf, seq[k], want) == 0, "event %u", k + 1);
	}
	for (k = 0; k < 3; k++) {
		/* Class 2: EDU_EVFD_OTHER. */
		CHECK(delivered(buf, seq[k], "eventfd target=2 result=0 queued=0 lost=0\n") == 0,
		      "eventfd %u", k + 1);
	}
	CHECK(read_last < (unsigned long long)seq[0], "event seq %llu in the ring file's queue",
	      read_last);
	free(buf);
	return 0;
}

static int make_image(const char *path, unsigned int version, size_t payload_len,
		      int spoil, int *size)
{
	unsigned char image[EDU_FW_REGION_SIZE], payload[EDU_FW_REGION_SIZE];
	size_t i;

	for (i = 0; i < payload_len; i++)
		payload[i] = (unsigned char)(i * 7);
	*size = edu_fw_build(image, sizeof(image), version, payload, payload_len);
	if (*size < 0)
		return *size;
	if (spoil)
		image[0] ^= 0xff;	/* the magic */
	return write_file(path, image, *size);
}

/* The steps of a good upload, a refused one, and the default image back. */
static int test_trace_firmware(void)
{
	char out[1024], want[4][96], *buf;
	const char *p;
	int size, bad_size;

	CHECK(make_image("/tmp/trace-fw.bin", 0x020005, 100, 0, &size) == 0, "image");
	CHECK(make_image("/tmp/trace-bad.bin", 0x020006, 60, 1, &bad_size) == 0, "image");
	CHECK(trace_clear() == 0 && trace_enable("edu_fw_step", 1) == 0, "enable");
	CHECK(run_cmd("eductl firmware load /tmp/trace-fw.bin edu0", out, sizeof(out)) == 0,
	      "%s", out);
	CHECK(run_cmd("eductl firmware load /tmp/trace-bad.bin edu0", out, sizeof(out)) != 0,
	      "a bad image loaded: %s", out);
	CHECK(run_cmd("eductl firmware load /lib/firmware/edu/edu-fw.bin edu0", out,
		      sizeof(out)) == 0, "default image: %s", out);
	trace_off();
	buf = trace_read();
	CHECK(buf, "read trace");

	p = FIND(buf, "edu_fw_step", "edu0 step=request result=0 value=0x1 detail=\"edu-upload-edu0\"");
	CHECK(p, "no request:\n%.3000s", buf);
	snprintf(want[0], sizeof(want[0]), "edu0 step=received result=0 value=0x%x ", size);
	snprintf(want[1], sizeof(want[1]), "edu0 step=checked result=0 value=0x%x detail=\"\"",
		 size);
	p = FIND(p, "edu_fw_step", want[0]);
	CHECK(p, "no '%s':\n%.3000s", want[0], buf);
	p = FIND(p, "edu_fw_step", want[1]);
	CHECK(p, "no '%s'", want[1]);
	p = FIND(p, "edu_fw_step", "edu0 step=written result=0 value=0x20005 ");
	CHECK(p, "not written");
	p = FIND(p, "edu_fw_step", "edu0 step=done result=0 value=0x20005 detail=\"\"");
	CHECK(p, "not done");
	snprintf(want[2], sizeof(want[2]),
		 "edu0 step=checked result=-22 value=0x%x detail=\"bad magic\"", bad_size);
	p = FIND(p, "edu_fw_step", want[2]);
	CHECK(p, "no '%s':\n%.3000s", want[2], buf);
	p = FIND(p, "edu_fw_step", "edu0 step=done result=-22 value=0x20005 detail=\"bad magic\"");
	CHECK(p, "no refusal");
	p = FIND(p, "edu_fw_step", "edu0 step=done result=0 value=0x10000 detail=\"\"");
	CHECK(p, "default image not back");
	free(buf);
	return 0;
}

/* Off: nothing recorded; then one event on: it is (the same operations). */
static int test_trace_disabled(void)
{
	long long irqs = stat_of("edu0", "irqs");
	struct edu_factorial f = { .n = 5 };
	char en[8], *buf;
	int fd = edu_open_dev("edu0", O_RDWR);

	CHECK(fd >= 0, "open");
	CHECK(trace_enable("edu", 1) == 0 && trace_enable("edu", 0) == 0, "toggle");
	CHECK(read_text(TRACEFS "events/edu/enable", en, sizeof(en)) == 0 && !strcmp(en, "0\n"),
	      "enable reads '%s'", en);
	CHECK(trace_clear() == 0, "clear");
	CHECK(raise_irq(fd, 0x1000000) == 0, "raise");
	CHECK(WAIT_FOR(stat_of("edu0", "irqs") > irqs, 3000), "no interrupt");
	CHECK(write_window(fd, 0, "off", 3) == 0, "DMA");
	CHECK(ioctl(fd, EDU_IOC_FACTORIAL, &f) == 0 && f.result == 120, "factorial");
	buf = trace_read();
	CHECK(buf, "read trace");
	CHECK(!strstr(buf, ": edu_"), "recorded while off:\n%.2000s", buf);
	free(buf);

	CHECK(trace_enable("edu_factorial", 1) == 0, "enable");
	CHECK(ioctl(fd, EDU_IOC_FACTORIAL, &f) == 0, "factorial");
	trace_off();
	close(fd);
	buf = trace_read();
	CHECK(buf, "read trace");
	CHECK(FIND(buf, "edu_factorial", "edu0 n=5 value=120 "), "not recorded when on");
	CHECK(!strstr(buf, ": edu_dma") && !strstr(buf, ": edu_irq"), "other events recorded");
	free(buf);
	return 0;
}

/* trace-cmd as a user would run it: record around a command, then report. */
static int test_trace_cmd(void)
{
	static char out[1 << 16];
	char en[8];

	unlink("/tmp/edu-trace.dat");
	CHECK(run_cmd("cd /tmp && trace-cmd record -e edu -o /tmp/edu-trace.dat "
		      "eductl factorial edu0 7", out, sizeof(out)) == 0, "record: %.2000s", out);
	CHECK(run_cmd("trace-cmd report -i /tmp/edu-trace.dat | grep ' edu_'", out,
		      sizeof(out)) == 0, "report: %.2000s", out);
	CHECK(strstr(out, "edu_factorial:") && strstr(out, "edu0 n=7 value=5040 "),
	      "report: %.3000s", out);
	/* The factorial's completion interrupt was recorded too. */
	CHECK(strstr(out, "edu_irq_handler_exit:") && strstr(out, "status=0x00000001 result=handled"),
	      "report: %.3000s", out);
	/* trace-cmd leaves the events as it found them. */
	CHECK(read_text(TRACEFS "events/edu/enable", en, sizeof(en)) == 0 && !strcmp(en, "0\n"),
	      "left enabled: %s", en);
	unlink("/tmp/edu-trace.dat");
	return 0;
}

/* DMA in flight on edu1 while it is unbound with every event on; then bound again. */
static int test_trace_removal(void)
{
	char bdf[32], *buf;
	long long done;
	int fd, status;
	pid_t child;

	CHECK(bdf_of("edu1", bdf, sizeof(bdf)) == 0, "no edu1");
	CHECK(trace_clear() == 0 && trace_enable("edu", 1) == 0, "enable");
	/* The count is the device's since its probe (its firmware load's too). */
	done = stat_of("edu1", "dma_transfers");
	CHECK(done >= 0, "dma_transfers");
	fd = edu_open_dev("edu1", O_RDWR);
	CHECK(fd >= 0, "open");
	child = fork();
	CHECK(child >= 0, "fork");
	if (!child) {
		int ret;

		while (!(ret = write_window(fd, 10, "gone", 4)))
			;
		_exit(ret == -ENODEV ? 0 : 1);
	}
	CHECK(WAIT_FOR(stat_of("edu1", "dma_transfers") >= done + 2, 5000), "no transfers");
	CHECK(driver_ctl("unbind", bdf) == 0, "unbind");
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "the transfer loop did not end with ENODEV");
	close(fd);
	CHECK(driver_ctl("bind", bdf) == 0, "bind");
	CHECK(WAIT_FOR(stat_of("edu1", "irqs") >= 0, 5000), "edu1 not back");
	fd = edu_open_dev("edu1", O_RDWR);
	CHECK(fd >= 0, "open again");
	CHECK(raise_irq(fd, 0x2000000) == 0, "raise");
	CHECK(WAIT_FOR((buf = trace_read()) &&
		       FIND(buf, "edu_irq_handler_exit", "edu1 ", "status=0x02000000 result=handled") ?
		       1 : (free(buf), 0), 3000), "no interrupt traced after the rebind");
	close(fd);
	trace_off();
	CHECK(FIND(buf, "edu_dma_done", "edu1 dir=to_device dev_off=1034 len=4 ", "result=0\n"),
	      "no transfer before the removal");
	free(buf);
	return 0;
}

const struct test_case trace_tests[] = {
	TEST(trace_events_listed),
	TEST(trace_irq),
	TEST(trace_dma),
	TEST(trace_factorial),
	TEST(trace_delivery),
	TEST(trace_delivery_ring),
	TEST(trace_deferred_for_route),
	TEST(trace_firmware),
	TEST(trace_disabled),
	TEST(trace_cmd),
	TEST(trace_removal),
	TEST_END
};
