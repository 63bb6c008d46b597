// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware: the default image loaded at probe, uploads through the sysfs
 * fallback (eductl firmware load), every kind of bad image rejected with
 * the previous firmware still active, cancel, timeout, and an upload while
 * another process keeps the DMA engine busy.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>

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
	char names[MAX_EDU][16], path[128], val[64], proc[4096];
	int n = edu_names(names, MAX_EDU), i;

	CHECK(n > 0, "no devices");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/sys/class/edu/%.15s/firmware_state", names[i]);
		CHECK(read_text(path, val, sizeof(val)) == 0 && !strcmp(val, "ready\n"),
		      "%s state '%s'", names[i], val);
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

const struct test_case firmware_tests[] = {
	TEST(default_loaded_at_probe),
	TEST(upload_new_version),
	TEST(bad_images_rejected),
	TEST(upload_cancel),
	TEST(upload_timeout),
	TEST(upload_unbind),
	TEST(upload_trigger_strict),
	TEST(upload_during_dma),
	TEST(missing_firmware_file),
	TEST_END
};
