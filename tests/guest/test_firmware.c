// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware: the default image loaded at probe, uploads through the sysfs
 * fallback (eductl firmware load), every kind of bad image rejected with
 * the previous firmware still active, cancel, timeout, and an upload while
 * another process keeps the DMA engine busy; a load that fails after its
 * copy, seen on every event channel; removal (unbind, rmmod) while an
 * upload or the probe-time load is in flight.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "tests.h"
#include "util.h"

#define ATTR "/sys/class/edu/edu0/"

static int attr(const char *name, char *buf, size_t len)
{
	char path[128];
	int ret;

	snprintf(path, sizeof(path), ATTR "%s", name);
	ret = read_text(path, buf, len);
	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

/* Writes an image of version v with the given payload to path. */
static int make_image(const char *path, uint32_t v, size_t payload_len,
		      unsigned char *image, int *size)
{
	unsigned char payload[EDU_FW_REGION_SIZE];
	size_t i;

	for (i = 0; i < payload_len; i++)
		payload[i] = (unsigned char)(i * 13 + v);
	*size = edu_fw_build(image, EDU_FW_REGION_SIZE, v, payload, payload_len);
	if (*size < 0)
		return *size;
	return write_file(path, image, *size);
}

static int upload(const char *path, char *out, size_t len)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "eductl firmware load %s edu0", path);
	return run_cmd(cmd, out, len);
}

static int test_default_loaded_at_probe(void)
{
	char names[MAX_EDU][16], path[128], val[64] = "", proc[4096];
	int n = edu_names(names, MAX_EDU), i;

	CHECK(n > 0, "no devices");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/sys/class/edu/%.15s/firmware_state", names[i]);
		/* The load started at probe may still run when the suite starts first. */
		CHECK(WAIT_FOR(read_text(path, val, sizeof(val)) == 0 && strcmp(val, "loading\n"),
			       5000) && !strcmp(val, "ready\n"), "%s state '%s'", names[i], val);
		snprintf(path, sizeof(path), "/sys/class/edu/%.15s/firmware_version", names[i]);
		CHECK(read_text(path, val, sizeof(val)) == 0 && !strcmp(val, "1.0.0\n"),
		      "%s version '%s'", names[i], val);
	}
	CHECK(read_text("/proc/driver/edu", proc, sizeof(proc)) == 0, "procfs");
	CHECK(strstr(proc, "\t1.0.0\t"), "procfs: %s", proc);
	return 0;
}

static int test_upload_new_version(void)
{
	unsigned char image[EDU_FW_REGION_SIZE];
	char out[1024], val[64];
	struct edu_event ev;
	int size, fd = edu_open_dev("edu0", O_RDWR);

	CHECK(fd >= 0, "open");
	CHECK(make_image("/tmp/fw-2.bin", 0x020003, 300, image, &size) == 0, "image");
	CHECK(upload("/tmp/fw-2.bin", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, "ready, firmware 2.0.3"), "%s", out);
	CHECK(attr("firmware_version", val, sizeof(val)) == 0 && !strcmp(val, "2.0.3"),
	      "version '%s'", val);
	/* Interrupt events of the transfers come first; then the firmware's. */
	do {
		CHECK(next_event(fd, 3000, &ev) == 0, "no firmware event");
	} while (ev.type == EDU_EVENT_INTERRUPT);
	CHECK(ev.type == EDU_EVENT_FIRMWARE_LOADED && ev.value == 0x020003,
	      "event type %u value %#x", ev.type, ev.value);
	CHECK(run_cmd("eductl firmware info edu0", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, "version 2.0.3, state ready"), "%s", out);
	close(fd);
	return 0;
}

/* Spoils a valid image in place; returns its new size. */
struct bad_image {
	const char *name, *reason;
	int (*spoil)(unsigned char *image, int size);
};

static void set_header_crc(unsigned char *image)
{
	struct edu_fw_header h;

	memcpy(&h, image, sizeof(h));
	h.header_crc = htole32(edu_crc32(&h, offsetof(struct edu_fw_header, header_crc)));
	memcpy(image, &h, sizeof(h));
}

static int truncate_payload(unsigned char *image, int size)
{
	(void)image;
	return size - 10;
}

static int truncate_header(unsigned char *image, int size)
{
	(void)image;
	(void)size;
	return 20;
}

static int empty(unsigned char *image, int size)
{
	(void)image;
	(void)size;
	return 0;
}

static int bad_magic(unsigned char *image, int size)
{
	image[0] ^= 0xff;
	set_header_crc(image);
	return size;
}

static int bad_header_crc(unsigned char *image, int size)
{
	image[8] ^= 1;	/* the version, CRC left as it was */
	return size;
}

static int bad_payload_crc(unsigned char *image, int size)
{
	image[size - 1] ^= 0x55;
	return size;
}

static int unknown_format(unsigned char *image, int size)
{
	image[4] = 2;
	set_header_crc(image);
	return size;
}

static int oversized(unsigned char *image, int size)
{
	struct edu_fw_header h;

	(void)size;
	memcpy(&h, image, sizeof(h));
	h.payload_len = htole32(EDU_FW_MAX_PAYLOAD + 1);
	memcpy(image, &h, sizeof(h));
	set_header_crc(image);
	return sizeof(h) + EDU_FW_MAX_PAYLOAD + 1;
}

static int trailing(unsigned char *image, int size)
{
	image[size] = 0;
	return size + 1;
}

/* Each bad image is refused for its reason; the previous firmware stays. */
static int test_bad_images_rejected(void)
{
	static const struct bad_image bad[] = {
		{ "truncated", "truncated payload", truncate_payload },
		{ "short", "truncated header", truncate_header },
		{ "empty", NULL, empty },
		{ "bad magic", "bad magic", bad_magic },
		{ "bad header CRC", "header CRC mismatch", bad_header_crc },
		{ "bad payload CRC", "payload CRC mismatch", bad_payload_crc },
		{ "unknown format", "unknown format", unknown_format },
		{ "oversized", "bad payload length", oversized },
		{ "trailing data", "trailing data", trailing },
	};
	static unsigned char image[EDU_FW_REGION_SIZE * 2];
	char out[1024], val[96], before[32];
	unsigned int i;
	int size;

	CHECK(make_image("/tmp/fw-good.bin", 0x020100, 200, image, &size) == 0, "image");
	CHECK(upload("/tmp/fw-good.bin", out, sizeof(out)) == 0, "%s", out);
	CHECK(attr("firmware_version", before, sizeof(before)) == 0 &&
	      !strcmp(before, "2.1.0"), "baseline '%s'", before);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(make_image("/tmp/fw-bad.bin", 0x030000, 200, image, &size) == 0,
		      "image");
		size = bad[i].spoil(image, size);
		CHECK(write_file("/tmp/fw-bad.bin", image, size) == 0, "write");
		CHECK(upload("/tmp/fw-bad.bin", out, sizeof(out)) == 1, "%s: %s",
		      bad[i].name, out);
		CHECK(attr("firmware_state", val, sizeof(val)) == 0 &&
		      !strncmp(val, "failed: ", 8), "%s: state '%s'", bad[i].name, val);
		if (bad[i].reason)
			CHECK(strstr(val, bad[i].reason), "%s: state '%s'", bad[i].name, val);
		CHECK(attr("firmware_version", val, sizeof(val)) == 0 &&
		      !strcmp(val, before), "%s: version now '%s'", bad[i].name, val);
	}
	/* The previous firmware is still the device's: a good one loads over it. */
	CHECK(make_image("/tmp/fw-good.bin", 0x020101, 100, image, &size) == 0, "image");
	CHECK(upload("/tmp/fw-good.bin", out, sizeof(out)) == 0, "%s", out);
	return 0;
}

static int wait_fallback(void)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (!access("/sys/class/firmware/edu-upload-edu0/loading", W_OK))
			return 0;
		usleep(50000);
	}
	return -1;
}

static int wait_not_loading(char *val, size_t len, int seconds)
{
	int i;

	for (i = 0; i < seconds * 10; i++) {
		if (attr("firmware_state", val, len) == 0 && strcmp(val, "loading"))
			return 0;
		usleep(100000);
	}
	return -1;
}

static int test_upload_cancel(void)
{
	char before[32], val[96], out[1024];

	CHECK(attr("firmware_version", before, sizeof(before)) == 0, "version");
	CHECK(write_text(ATTR "firmware_upload", "1", 1) == 0, "trigger");
	CHECK(write_text(ATTR "firmware_upload", "1", 1) == -EBUSY, "second trigger");
	CHECK(wait_fallback() == 0, "no /sys/class/firmware/edu-upload-edu0");
	CHECK(run_cmd("eductl firmware cancel edu0", out, sizeof(out)) == 0, "%s", out);
	CHECK(wait_not_loading(val, sizeof(val), 5) == 0, "still loading");
	CHECK(!strcmp(val, "failed: upload cancelled"), "state '%s'", val);
	CHECK(attr("firmware_version", val, sizeof(val)) == 0 && !strcmp(val, before),
	      "version '%s', was '%s'", val, before);
	CHECK(run_cmd("eductl firmware cancel edu0", out, sizeof(out)) != 0,
	      "cancel with nothing to cancel: %s", out);
	return 0;
}

static int test_upload_timeout(void)
{
	char before[32], val[96];

	CHECK(attr("firmware_version", before, sizeof(before)) == 0, "version");
	CHECK(write_text("/proc/sys/dev/edu/firmware_upload_timeout_s", "2", 1) == 0,
	      "timeout");
	CHECK(write_text(ATTR "firmware_upload", "1", 1) == 0, "trigger");
	write_text("/proc/sys/dev/edu/firmware_upload_timeout_s", "60", 2);
	CHECK(wait_fallback() == 0, "no fallback");
	CHECK(wait_not_loading(val, sizeof(val), 10) == 0, "never timed out");
	CHECK(!strcmp(val, "failed: upload timed out"), "state '%s'", val);
	CHECK(attr("firmware_version", val, sizeof(val)) == 0 && !strcmp(val, before),
	      "version '%s'", val);
	return 0;
}

/*
 * Unbinding while an upload waits for user space ends it promptly (the
 * driver cuts it short through the fallback's files), and the device comes
 * back with its firmware; a timeout shorter than the test is then armed
 * with a request that ends at once, and nothing fires afterwards.
 */
static int test_upload_unbind(void)
{
	char bdf[32], val[96];
	long long t0, ms;
	int ret;

	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "bdf");
	CHECK(write_text(ATTR "firmware_upload", "1", 1) == 0, "trigger");
	CHECK(wait_fallback() == 0, "no fallback");
	t0 = now_ms();
	ret = driver_ctl("unbind", bdf);
	ms = now_ms() - t0;
	CHECK(access("/sys/class/firmware/edu-upload-edu0", F_OK) != 0, "fallback left");
	CHECK(driver_ctl("bind", bdf) == 0, "bind");
	CHECK(ret == 0, "unbind: %s", strerror(-ret));
	CHECK(ms < 3000, "unbind took %lld ms", ms);
	CHECK(wait_not_loading(val, sizeof(val), 5) == 0, "still loading");
	CHECK(!strcmp(val, "ready"), "state '%s'", val);

	/* Uploads that end at once, each with its timeout armed: none outlives them. */
	CHECK(write_text("/proc/sys/dev/edu/firmware_upload_timeout_s", "1", 1) == 0,
	      "timeout");
	for (ret = 0; ret < 5; ret++) {
		CHECK(write_text(ATTR "firmware_upload", "1", 1) == 0, "trigger %d", ret);
		CHECK(wait_fallback() == 0, "no fallback %d", ret);
		CHECK(write_text("/sys/class/firmware/edu-upload-edu0/loading", "-1", 2) == 0,
		      "cancel %d", ret);
		CHECK(wait_not_loading(val, sizeof(val), 5) == 0, "still loading %d", ret);
	}
	CHECK(driver_ctl("unbind", bdf) == 0 && driver_ctl("bind", bdf) == 0, "rebind");
	/* Past the timeouts: had one fired into the old device, KASAN says so. */
	usleep(1500000);
	CHECK(WAIT_FOR(access("/dev/edu0", F_OK) == 0, 5000), "edu0 back");
	return 0;
}

/*
 * A load is over once its result is out: a program that triggers the next
 * upload the moment it reads the last one's event (or its state) is not
 * refused with EBUSY. The fuzzer found that window: the event went out
 * before the load counted as ended.
 */
static int test_trigger_after_result(void)
{
	const char *loading = "/sys/class/firmware/edu-upload-edu0/loading";
	const char *data = "/sys/class/firmware/edu-upload-edu0/data";
	int fd = edu_open_dev("edu0", O_RDONLY), i, ret;
	struct edu_event ev;
	char val[96];

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(wait_not_loading(val, sizeof(val), 5) == 0, "the probe's load never ended");
	ret = write_text(ATTR "firmware_upload", "1", 1);
	for (i = 0; i < 20 && ret == 0; i++) {
		CHECK(wait_fallback() == 0, "no fallback %d", i);
		/* Garbage: the load fails at once, and says so. */
		CHECK(write_text(loading, "1", 1) == 0 && write_text(data, "junk", 4) == 0 &&
		      write_text(loading, "0", 1) == 0, "upload %d", i);
		do
			ret = next_event(fd, 5000, &ev);
		while (!ret && ev.type != EDU_EVENT_FIRMWARE_FAILED);
		CHECK(ret == 0, "no FIRMWARE_FAILED event %d: %s", i, strerror(-ret));
		ret = write_text(ATTR "firmware_upload", "1", 1);
	}
	close(fd);
	CHECK(ret == 0, "trigger %d right after the event: %s", i, strerror(-ret));
	CHECK(wait_fallback() == 0 && write_text(loading, "-1", 2) == 0, "cancel");
	CHECK(wait_not_loading(val, sizeof(val), 5) == 0, "still loading");
	return 0;
}

static int test_upload_trigger_strict(void)
{
	int st;
	pid_t pid;

	CHECK(write_text(ATTR "firmware_upload", "0", 1) == -EINVAL, "0");
	CHECK(write_text(ATTR "firmware_upload", "go", 2) == -EINVAL, "garbage");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (setuid(65534))
			_exit(2);
		_exit(write_text(ATTR "firmware_upload", "1", 1) == -EACCES ? 0 : 1);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	      "unprivileged trigger: %#x", st);
	return 0;
}

/* Another process keeps moving data while new firmware goes in. */
static int test_upload_during_dma(void)
{
	unsigned char image[EDU_FW_REGION_SIZE];
	long long transfers = stat_of("edu0", "dma_transfers");
	char out[1024], val[32];
	int size, st, p[2];
	pid_t pid;

	CHECK(make_image("/tmp/fw-3.bin", 0x030000, 500, image, &size) == 0, "image");
	CHECK(pipe(p) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		unsigned char outb[512], inb[512] = { 0 };
		int fd = edu_open_dev("edu0", O_RDWR), bad = 0, r = 0;
		struct edu_data w = { .addr = (uintptr_t)outb, .len = sizeof(outb) };
		struct edu_data rd = { .addr = (uintptr_t)inb, .len = sizeof(inb) };
		char c;

		close(p[1]);
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		while (fd >= 0 && read(p[0], &c, 1) != 0) {
			memset(outb, r++, sizeof(outb));
			if (ioctl(fd, EDU_IOC_WRITE_DATA, &w) ||
			    ioctl(fd, EDU_IOC_READ_DATA, &rd) || memcmp(inb, outb, sizeof(inb)))
				bad++;
		}
		_exit(fd < 0 || bad || r < 2 ? 1 : 0);
	}
	close(p[0]);
	/* Once the traffic runs, the upload goes in among it. */
	CHECK(WAIT_FOR(stat_of("edu0", "dma_transfers") >= transfers + 2, 5000), "no DMA traffic");
	CHECK(upload("/tmp/fw-3.bin", out, sizeof(out)) == 0, "%s", out);
	close(p[1]);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	      "DMA traffic failed: %#x", st);
	CHECK(attr("firmware_version", val, sizeof(val)) == 0 && !strcmp(val, "3.0.0"),
	      "version '%s'", val);
	return 0;
}

static int rebind(const char *bdf)
{
	return write_text("/sys/bus/pci/drivers/edu/unbind", bdf, strlen(bdf)) ||
	       write_text("/sys/bus/pci/drivers/edu/bind", bdf, strlen(bdf)) ? -1 : 0;
}

static int state_of(const char *name, char *val, size_t len)
{
	char path[128];
	int i;

	snprintf(path, sizeof(path), "/sys/class/edu/%s/firmware_state", name);
	for (i = 0; i < 50; i++) {
		if (!read_text(path, val, len) && strcmp(val, "loading\n"))
			return 0;
		usleep(100000);
	}
	return -1;
}

/* Without a firmware file the device binds, works, and says why. */
static int test_missing_firmware_file(void)
{
	char bdf[32], val[64], ident[32];
	int ok;

	CHECK(bdf_of("edu1", bdf, sizeof(bdf)) == 0, "edu1");
	CHECK(rename("/lib/firmware/edu/edu-fw.bin", "/lib/firmware/edu/hidden") == 0, "hide file");
	ok = rebind(bdf) == 0 && state_of("edu1", val, sizeof(val)) == 0;
	rename("/lib/firmware/edu/hidden", "/lib/firmware/edu/edu-fw.bin");
	CHECK(ok, "rebind");
	CHECK(!strcmp(val, "failed: no firmware file\n"), "state '%s'", val);
	CHECK(read_text("/sys/class/edu/edu1/firmware_version", val, sizeof(val)) == 0 &&
	      !strcmp(val, "none\n"), "version '%s'", val);
	CHECK(write_text("/sys/class/edu/edu1/factorial", "5", 1) == 0, "usable");
	CHECK(read_text("/sys/class/edu/edu1/identification", ident, sizeof(ident)) == 0 &&
	      !strcmp(ident, "0x010000ed\n"), "identification");
	/* With the file back, the next bind loads it. */
	CHECK(rebind(bdf) == 0 && state_of("edu1", val, sizeof(val)) == 0, "rebind");
	CHECK(!strcmp(val, "ready\n"), "state '%s'", val);
	return 0;
}

#define FALLBACK "/sys/class/firmware/edu-upload-edu0/"
#define FW_SIGS 3	/* SIGRTMIN + 1..3: fasync, EDU_IOC_SET_SIGNAL, signal_pid */

/* Firmware events of edu0 seen on the netlink group. */
struct nl_seen {
	int n;
	struct edu_event ev[64];
};

static int on_nl_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[EDU_A_MAX + 1];
	struct nl_seen *seen = arg;
	struct edu_event *ev;

	if (gh->cmd != EDU_CMD_EVENT ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, EDU_A_MAX, NULL) ||
	    !tb[EDU_A_DEVICE] || !tb[EDU_A_EVENT_SEQ] || !tb[EDU_A_EVENT_TYPE] ||
	    !tb[EDU_A_EVENT_VALUE] || nla_get_u32(tb[EDU_A_DEVICE]) != 0 ||
	    seen->n == 64)
		return NL_SKIP;
	ev = &seen->ev[seen->n++];
	ev->device = 0;
	ev->seq = nla_get_u64(tb[EDU_A_EVENT_SEQ]);
	ev->type = nla_get_u32(tb[EDU_A_EVENT_TYPE]);
	ev->value = nla_get_u32(tb[EDU_A_EVENT_VALUE]);
	return NL_OK;
}

static int nl_listen(struct edu_genl *g, struct nl_seen *seen)
{
	int grp, ret = edu_genl_open(g);

	if (ret)
		return ret;
	grp = genl_ctrl_resolve_grp(g->sk, EDU_GENL_NAME, EDU_GENL_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(g->sk, grp)) {
		edu_genl_close(g);
		return -ENOENT;
	}
	nl_socket_disable_seq_check(g->sk);
	nl_socket_modify_cb(g->sk, NL_CB_VALID, NL_CB_CUSTOM, on_nl_event, seen);
	return 0;
}

/* Waits up to ms for the netlink event with seq: its index, or -1. */
static int nl_wait(struct edu_genl *g, struct nl_seen *seen, unsigned long long seq, int ms)
{
	long long end = now_ms() + ms;
	int i;

	for (;;) {
		struct pollfd p = { .fd = nl_socket_get_fd(g->sk), .events = POLLIN };

		for (i = 0; i < seen->n; i++)
			if (seen->ev[i].seq == seq)
				return i;
		if (now_ms() >= end)
			return -1;
		if (poll(&p, 1, end - now_ms()) == 1)
			nl_recvmsgs_default(g->sk);
	}
}

/* A UDP collector of our own on 127.0.0.1:port: the socket. */
static int udp_collector(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a))) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

/* Waits up to ms for the record with seq (earlier ones are skipped). */
static int udp_record(int s, int ms, unsigned long long seq, struct edu_event *ev)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	long long end = now_ms() + ms;

	do {
		if (poll(&p, 1, end - now_ms()) != 1)
			return -ETIMEDOUT;
		if (recv(s, ev, sizeof(*ev), 0) != sizeof(*ev))
			return -EIO;
	} while (ev->seq < seq);
	return 0;
}

#define ROUTE "/sys/kernel/config/edu/routes/fwf/"

static int fw_route(int port, const char *mask)
{
	char dest[32];

	snprintf(dest, sizeof(dest), "127.0.0.1:%d", port);
	if (mkdir(ROUTE, 0755))
		return -errno;
	if (write_text(ROUTE "type", "udp", 3) || write_text(ROUTE "dest", dest, strlen(dest)) ||
	    write_text(ROUTE "device", "0", 1) ||
	    write_text(ROUTE "event_mask", mask, strlen(mask)) ||
	    write_text(ROUTE "enable", "1", 1)) {
		rmdir(ROUTE);
		return -EINVAL;
	}
	return 0;
}

/* No load of edu0's is in progress (the one of probe, say): 0, or -EBUSY. */
static int fw_idle(void)
{
	char val[96];

	return wait_not_loading(val, sizeof(val), 10) ? -EBUSY : 0;
}

/*
 * Starts an upload by hand: the trigger, "1" to loading, and the first
 * len bytes of image to data, whose open fd is returned in *data (the
 * rest may follow). 0 or -errno.
 */
static int start_upload(const unsigned char *image, size_t len, int *data)
{
	int ret = write_text(ATTR "firmware_upload", "1", 1);

	if (!ret && wait_fallback())
		ret = -ETIMEDOUT;
	if (!ret)
		ret = write_text(FALLBACK "loading", "1", 1);
	if (ret)
		return ret;
	*data = open(FALLBACK "data", O_WRONLY | O_CLOEXEC);
	if (*data < 0)
		return -errno;
	if (write(*data, image, len) != (ssize_t)len) {
		ret = errno ? -errno : -EIO;	/* a short write sets none */
		close(*data);
		return ret;
	}
	return 0;
}

/* Signals of each kind queued for us since the last call (0 timeout). */
static void count_signals(int counts[FW_SIGS], int fd, int *bad_fasync)
{
	struct timespec zero = { 0 };
	sigset_t set;
	siginfo_t si;
	int i, sig;

	sigemptyset(&set);
	for (i = 0; i < FW_SIGS; i++)
		sigaddset(&set, SIGRTMIN + 1 + i);
	while ((sig = sigtimedwait(&set, &si, &zero)) > 0) {
		counts[sig - SIGRTMIN - 1]++;
		if (sig == SIGRTMIN + 1 && (si.si_fd != fd || !(si.si_band & POLLIN)))
			(*bad_fasync)++;
	}
}

/*
 * Signals and the file's events, drained until they agree: an event and its
 * signals go out in one critical section, so a counted signal's event is
 * readable by then. An engine's interrupt may be handled after the load's
 * result was posted (its waiter woke first): such a late event comes with
 * its own signals. @events counts the file's events; late ones that are not
 * interrupts count in @odd. Return: 0 when every kind matches, -1 after 2 s.
 */
static int signals_match_events(int fd, int sigs[FW_SIGS], int *events, int *odd,
				int *bad_fasync)
{
	long long t0 = now_ms();
	struct edu_event ev;
	int i, equal;

	for (;;) {
		count_signals(sigs, fd, bad_fasync);
		while (next_event(fd, 0, &ev) == 0) {
			(*events)++;
			*odd += ev.type != EDU_EVENT_INTERRUPT;
		}
		for (equal = 1, i = 0; i < FW_SIGS; i++)
			equal &= sigs[i] == *events;
		if (equal)
			return 0;
		if (now_ms() - t0 > 2000)
			return -1;
		usleep(10000);
	}
}

/* The events of fd until (and with) the first of type: their count, or -1. */
static int events_until(int fd, unsigned int type, struct edu_event *last)
{
	int n = 0;

	do {
		if (next_event(fd, 5000, last))
			return -1;
		n++;
	} while (last->type != type);
	return n;
}

/*
 * A load that fails after its copy: new firmware goes into the region, and
 * the read-back transfer fails (fail_dma armed while the copy runs, seen
 * in the DMA registers). The driver restores the old image (two transfers:
 * the copy and its check; the last transfer is the old image's size, read
 * back), keeps the old version, and says FIRMWARE_FAILED with EIO on every
 * event channel, with the same sequence number: read(2), SIGIO (F_SETSIG,
 * with the fd), the EDU_IOC_SET_SIGNAL and debugfs signal_pid signals (one
 * per event, real-time signals queue), the netlink group, a UDP route, the
 * debugfs event log, and sysfs firmware_state. A good upload then works
 * and is announced the same way.
 */
static int test_fail_after_copy(void)
{
	unsigned char old_img[EDU_FW_REGION_SIZE], new_img[EDU_FW_REGION_SIZE];
	int old_size, new_size, fd, udp, armed = 0, n, n_load, i, bad_fasync = 0, ret, data, udp_ret;
	int events, odd = 0;
	int sigs[FW_SIGS] = { 0 };
	unsigned long long cmd = 0, count = 0;
	struct edu_signal esig = { .signo = SIGRTMIN + 2 };
	struct nl_seen seen = { 0 };
	struct edu_event ev, udp_rec;
	long long transfers, t0;
	char out[1024], val[96], line[64];
	struct edu_genl g;
	sigset_t set;

	CHECK(fw_idle() == 0, "a load never ended");
	CHECK(make_image("/tmp/fw-old.bin", 0x040100, 200, old_img, &old_size) == 0, "image");
	CHECK(upload("/tmp/fw-old.bin", out, sizeof(out)) == 0, "baseline: %s", out);
	CHECK(make_image("/tmp/fw-new.bin", 0x040200, 400, new_img, &new_size) == 0, "image");

	sigemptyset(&set);
	for (i = 0; i < FW_SIGS; i++)
		sigaddset(&set, SIGRTMIN + 1 + i);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0, "block");
	fd = edu_open_dev("edu0", O_RDWR);
	CHECK(fd >= 0, "open");
	CHECK(fcntl(fd, F_SETOWN, getpid()) == 0 && fcntl(fd, F_SETSIG, SIGRTMIN + 1) == 0 &&
	      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC) == 0, "fasync");
	CHECK(ioctl(fd, EDU_IOC_SET_SIGNAL, &esig) == 0, "SET_SIGNAL: %s", strerror(errno));
	snprintf(line, sizeof(line), "%d %d", getpid(), SIGRTMIN + 3);
	CHECK(write_text("/sys/kernel/debug/edu/edu0/signal_pid", line, strlen(line)) == 0,
	      "signal_pid");
	CHECK(nl_listen(&g, &seen) == 0, "netlink group");
	udp = udp_collector(5611);
	CHECK(udp >= 0, "udp collector");
	CHECK(fw_route(5611, "0xc") == 0, "route");

	transfers = stat_of("edu0", "dma_transfers");
	ret = start_upload(new_img, new_size, &data);
	if (!ret) {
		close(data);
		ret = write_text(FALLBACK "loading", "0", 1);
	}
	/* The copy of the new image is running: fail what comes next. */
	for (t0 = now_ms(); !ret && now_ms() - t0 < 5000;) {
		if (dma_regs("edu0", &cmd, &count) || (cmd & 3) != 1 ||
		    count != (unsigned long long)new_size)
			continue;
		armed = write_text("/sys/kernel/debug/edu/edu0/fail_dma", "1", 1) == 0;
		break;
	}
	n = events_until(fd, EDU_EVENT_FIRMWARE_FAILED, &ev);
	/* The route sends from a work item: let it, before the route goes. */
	udp_ret = n > 0 ? udp_record(udp, 5000, ev.seq, &udp_rec) : -ENOENT;
	rmdir(ROUTE);
	CHECK(!ret, "upload: %s", strerror(-ret));
	CHECK(armed, "never saw the copy running");
	CHECK(n > 0, "no FIRMWARE_FAILED on the char device");
	CHECK(ev.device == 0 && ev.value == EIO, "event device %u value %u", ev.device,
	      ev.value);
	CHECK(attr("firmware_state", val, sizeof(val)) == 0 && !strcmp(val, "failed: DMA failed"),
	      "state '%s'", val);
	CHECK(attr("firmware_version", val, sizeof(val)) == 0 && !strcmp(val, "4.1.0"),
	      "version '%s' after the failure", val);
	CHECK(read_text("/sys/kernel/debug/edu/edu0/fail_dma", val, sizeof(val)) == 0 &&
	      !strcmp(val, "0\n"), "fail_dma left at %s", val);
	/* The copy, then the old image written back and read back. */
	CHECK(stat_of("edu0", "dma_transfers") == transfers + 3, "transfers %lld -> %lld",
	      transfers, stat_of("edu0", "dma_transfers"));
	CHECK(dma_regs("edu0", &cmd, &count) == 0 && (cmd & 3) == 2 &&
	      count == (unsigned long long)old_size, "last transfer: cmd %#llx count %llu",
	      cmd, count);

	/* One signal of each kind per event the file got; no other event late. */
	events = n;
	CHECK(signals_match_events(fd, sigs, &events, &odd, &bad_fasync) == 0,
	      "signals %d %d %d for %d events", sigs[0], sigs[1], sigs[2], events);
	CHECK(!odd, "%d events other than interrupts after the failure", odd);
	CHECK(!bad_fasync, "SIGIO without the fd or POLLIN");
	i = nl_wait(&g, &seen, ev.seq, 5000);
	CHECK(i >= 0, "no netlink event seq %llu", (unsigned long long)ev.seq);
	CHECK(seen.ev[i].type == EDU_EVENT_FIRMWARE_FAILED && seen.ev[i].value == EIO,
	      "netlink: type %u value %u", seen.ev[i].type, seen.ev[i].value);
	CHECK(udp_ret == 0, "no UDP record: %s", strerror(-udp_ret));
	CHECK(udp_rec.type == EDU_EVENT_FIRMWARE_FAILED && udp_rec.seq == ev.seq &&
	      udp_rec.value == EIO, "UDP: type %u seq %llu value %u", udp_rec.type,
	      (unsigned long long)udp_rec.seq, udp_rec.value);
	CHECK(read_text("/sys/kernel/debug/edu/edu0/events", out, sizeof(out)) == 0, "events");
	snprintf(line, sizeof(line), "seq %llu type %u ", (unsigned long long)ev.seq,
		 EDU_EVENT_FIRMWARE_FAILED);
	CHECK(strstr(out, line), "debugfs events lack '%s': %s", line, out);

	/* The old firmware is intact: a good upload goes over it. */
	CHECK(fw_route(5611, "0xc") == 0, "route");
	ret = upload("/tmp/fw-new.bin", out, sizeof(out));
	n_load = events_until(fd, EDU_EVENT_FIRMWARE_LOADED, &ev);
	udp_ret = n_load > 0 ? udp_record(udp, 5000, ev.seq, &udp_rec) : -ENOENT;
	rmdir(ROUTE);
	CHECK(ret == 0 && strstr(out, "ready, firmware 4.2.0"), "good upload: %s", out);
	CHECK(n_load > 0 && ev.value == 0x040200, "FIRMWARE_LOADED: value %#x", ev.value);
	CHECK(attr("firmware_version", val, sizeof(val)) == 0 && !strcmp(val, "4.2.0"),
	      "version '%s'", val);
	i = nl_wait(&g, &seen, ev.seq, 5000);
	CHECK(i >= 0 && seen.ev[i].type == EDU_EVENT_FIRMWARE_LOADED &&
	      seen.ev[i].value == 0x040200, "netlink: no LOADED event seq %llu",
	      (unsigned long long)ev.seq);
	CHECK(udp_ret == 0 && udp_rec.seq == ev.seq &&
	      udp_rec.type == EDU_EVENT_FIRMWARE_LOADED, "UDP: no LOADED record");
	events += n_load;
	CHECK(signals_match_events(fd, sigs, &events, &odd, &bad_fasync) == 0,
	      "signals %d %d %d for %d events", sigs[0], sigs[1], sigs[2], events);
	CHECK(!odd, "%d events other than interrupts after the load", odd);
	CHECK(!bad_fasync, "SIGIO without the fd or POLLIN");
	write_text("/sys/kernel/debug/edu/edu0/signal_pid", "0", 1);
	edu_genl_close(&g);
	close(udp);
	close(fd);
	return 0;
}

/* What the module was loaded with: the same interrupt mode again. */
static const char *mode_params(void)
{
	return strcmp(expected_mode(), "intx") ? "" : "force_intx=1";
}

/* Every device has its firmware: the default image, loaded at probe. */
static int all_ready(void)
{
	char names[MAX_EDU][16], path[128], val[64];
	int n = edu_names(names, MAX_EDU), i;

	if (n <= 0 || (expected_devices() >= 0 && n != expected_devices()))
		return 0;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/sys/class/edu/%.15s/firmware_state", names[i]);
		if (read_text(path, val, sizeof(val)) || strcmp(val, "ready\n"))
			return 0;
		snprintf(path, sizeof(path), "/sys/class/edu/%.15s/firmware_version", names[i]);
		if (read_text(path, val, sizeof(val)) || strcmp(val, "1.0.0\n"))
			return 0;
	}
	return 1;
}

static int delete_module(void)
{
	return syscall(SYS_delete_module, "edu", O_NONBLOCK) ? -errno : 0;
}

/*
 * Unbinding while an upload is half done (loading is 1, part of the image
 * written) ends it promptly, and the device comes back with its firmware.
 */
static int test_upload_partial_unbind(void)
{
	unsigned char image[EDU_FW_REGION_SIZE];
	int size, data = -1, ret;
	long long t0, ms;
	char bdf[32];

	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "bdf");
	CHECK(fw_idle() == 0, "a load never ended");
	CHECK(make_image("/tmp/fw-5.bin", 0x050000, 600, image, &size) == 0, "image");
	ret = start_upload(image, size / 2, &data);
	CHECK(ret == 0, "half an upload: %s", strerror(-ret));
	t0 = now_ms();
	ret = driver_ctl("unbind", bdf);
	ms = now_ms() - t0;
	close(data);
	CHECK(access(FALLBACK, F_OK) != 0, "fallback left");
	CHECK(driver_ctl("bind", bdf) == 0, "bind");
	CHECK(ret == 0, "unbind: %s", strerror(-ret));
	CHECK(ms < 3000, "unbind took %lld ms", ms);
	CHECK(WAIT_FOR(all_ready(), 10000), "firmware not back after bind");
	return 0;
}

/*
 * rmmod while an upload is half done is refused at once (the loader holds
 * the module), and the upload is unharmed: the rest of the image completes
 * it. Once it is over, rmmod works, and a reload brings the firmware back.
 */
static int test_upload_partial_rmmod(void)
{
	unsigned char image[EDU_FW_REGION_SIZE];
	const char *params = mode_params();
	int size, data = -1, ret, rest;
	long long t0, ms;
	char val[96];

	CHECK(fw_idle() == 0, "a load never ended");
	CHECK(make_image("/tmp/fw-5.bin", 0x050001, 600, image, &size) == 0, "image");
	ret = start_upload(image, size / 2, &data);
	CHECK(ret == 0, "half an upload: %s", strerror(-ret));
	t0 = now_ms();
	ret = delete_module();
	ms = now_ms() - t0;
	CHECK(ret == -EWOULDBLOCK, "rmmod during an upload: %s", strerror(-ret));
	CHECK(ms < 2000, "rmmod took %lld ms", ms);
	CHECK(attr("firmware_state", val, sizeof(val)) == 0 && !strcmp(val, "loading"),
	      "state '%s' after the refused rmmod", val);
	rest = write(data, image + size / 2, size - size / 2) == size - size / 2;
	close(data);
	CHECK(rest, "the rest of the image: %s", strerror(errno));
	CHECK(write_text(FALLBACK "loading", "0", 1) == 0, "loading 0");
	CHECK(wait_not_loading(val, sizeof(val), 5) == 0, "still loading");
	CHECK(!strcmp(val, "ready"), "state '%s'", val);
	CHECK(attr("firmware_version", val, sizeof(val)) == 0 && !strcmp(val, "5.0.1"),
	      "version '%s'", val);

	/* The loader lets go of the module just after "ready": module_unload() waits. */
	ret = module_unload();
	CHECK(ret == 0, "rmmod after the upload: %s", strerror(-ret));
	ret = module_load(params);
	CHECK(ret == 0, "insmod %s: %s", params, strerror(-ret));
	CHECK(WAIT_FOR(all_ready(), 10000), "firmware not back after the reload");
	return 0;
}

#define PROBE_TRIES 2

struct unbinder {
	const char *bdf;
	int ret;
	long long ms;
	int done;
};

static void *unbind_now(void *arg)
{
	struct unbinder *u = arg;
	long long t0 = now_ms();

	u->ret = driver_ctl("unbind", u->bdf);
	u->ms = now_ms() - t0;
	__atomic_store_n(&u->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * insmod, then unbind at once the device probed last (the others' loads
 * may be over by then: a probe can take long on a slow kernel), while its
 * probe-time load (two transfers, 100 ms each) is in flight: nobody waits
 * for the load first. A removal caught the load when its debugfs directory
 * is gone (remove() has begun) while firmware_state still says loading; it
 * must happen at least once in PROBE_TRIES. Each removal is prompt, and
 * the device comes back with its firmware.
 */
static int test_unbind_during_probe_load(void)
{
	char names[MAX_EDU][16], bdf[32], val[64], dbg[64], state[64];
	int i, ret, hits = 0, n = edu_names(names, MAX_EDU);
	const char *params = mode_params();
	struct unbinder u = { 0 };
	pthread_t t;

	CHECK(n > 0, "no devices");
	CHECK(bdf_of(names[n - 1], bdf, sizeof(bdf)) == 0, "bdf");
	snprintf(dbg, sizeof(dbg), "/sys/kernel/debug/edu/%.15s", names[n - 1]);
	snprintf(state, sizeof(state), "/sys/class/edu/%.15s/firmware_state", names[n - 1]);
	u.bdf = bdf;
	for (i = 0; i < PROBE_TRIES; i++) {
		ret = module_unload();
		CHECK(ret == 0, "rmmod %d: %s", i, strerror(-ret));
		ret = module_load(params);
		CHECK(ret == 0, "insmod %d: %s", i, strerror(-ret));
		u.done = 0;
		CHECK(pthread_create(&t, NULL, unbind_now, &u) == 0, "thread");
		while (!__atomic_load_n(&u.done, __ATOMIC_ACQUIRE) &&
		       !access(dbg, F_OK))
			;
		if (!__atomic_load_n(&u.done, __ATOMIC_ACQUIRE) &&
		    !read_text(state, val, sizeof(val)) &&
		    !strcmp(val, "loading\n"))
			hits++;
		pthread_join(t, NULL);
		CHECK(u.ret == 0, "unbind %d: %s", i, strerror(-u.ret));
		CHECK(u.ms < 5000, "unbind %d took %lld ms", i, u.ms);
		CHECK(driver_ctl("bind", bdf) == 0, "bind %d", i);
		CHECK(WAIT_FOR(all_ready(), 10000), "firmware not back after bind %d", i);
	}
	diag("unbind_during_probe_load: %d of %d removals of %s caught the load", hits,
	     PROBE_TRIES, names[n - 1]);
	CHECK(hits > 0, "no removal caught the probe-time load");
	return 0;
}

/*
 * insmod, then rmmod at once while the probe-time loads are in flight:
 * refused (each load holds the module), promptly; once they are over it
 * works. At least one rmmod in PROBE_TRIES must catch a load; the module
 * comes back with its firmware.
 */
static int test_rmmod_during_probe_load(void)
{
	const char *params = mode_params();
	int i, ret, hits = 0;
	long long t0, ms;

	ret = module_unload();
	CHECK(ret == 0, "rmmod: %s", strerror(-ret));
	for (i = 0; i < PROBE_TRIES; i++) {
		ret = module_load(params);
		CHECK(ret == 0, "insmod %d: %s", i, strerror(-ret));
		t0 = now_ms();
		ret = delete_module();
		ms = now_ms() - t0;
		CHECK(ret == 0 || ret == -EWOULDBLOCK, "rmmod %d: %s", i, strerror(-ret));
		CHECK(ms < 2000, "rmmod %d took %lld ms", i, ms);
		if (ret) {
			hits++;
			/* Only the loads held it: once they end, rmmod works. */
			CHECK(WAIT_FOR(all_ready(), 10000), "loads never ended (%d)", i);
			ret = module_unload();
			CHECK(ret == 0, "rmmod %d after the loads: %s", i, strerror(-ret));
		}
	}
	ret = module_load(params);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	CHECK(WAIT_FOR(all_ready(), 10000), "firmware not back after the reload");
	diag("rmmod_during_probe_load: %d of %d rmmods caught the loads", hits, PROBE_TRIES);
	CHECK(hits > 0, "no rmmod caught a probe-time load");
	return 0;
}

const struct test_case firmware_tests[] = {
	TEST(default_loaded_at_probe),
	TEST(upload_new_version),
	TEST(bad_images_rejected),
	TEST(upload_cancel),
	TEST(upload_timeout),
	TEST(upload_unbind),
	TEST(upload_trigger_strict),
	TEST(trigger_after_result),
	TEST(upload_during_dma),
	TEST(missing_firmware_file),
	TEST(fail_after_copy),
	TEST(upload_partial_unbind),
	TEST(upload_partial_rmmod),
	TEST(unbind_during_probe_load),
	TEST(rmmod_during_probe_load),
	TEST_END
};
