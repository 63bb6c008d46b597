// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the firmware image format (libedu's fwimage.c) and of
 * the mkedufw tool, whose path is the first argument.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "libedu.h"
#include "unit.h"

static void test_crc32(void)
{
	int ok = 1;

	/* The standard check value of CRC-32/ISO-HDLC. */
	EXPECT(edu_crc32("123456789", 9) == 0xcbf43926u);
	EXPECT(edu_crc32("", 0) == 0);
	result(ok, "fw_crc32");
}

static void test_build_and_check(void)
{
	unsigned char image[EDU_FW_REGION_SIZE + 8], payload[EDU_FW_MAX_PAYLOAD + 1];
	struct edu_fw_header h;
	int ok = 1, size;

	memset(payload, 0xa5, sizeof(payload));
	size = edu_fw_build(image, sizeof(image), 0x010203, payload, 100);
	EXPECT(size == (int)sizeof(h) + 100);
	EXPECT(edu_fw_check(image, size) == NULL);
	memcpy(&h, image, sizeof(h));
	EXPECT(le32toh(h.magic) == EDU_FW_MAGIC && le16toh(h.format) == EDU_FW_FORMAT);
	EXPECT(le16toh(h.header_size) == 32 && le32toh(h.version) == 0x010203);
	EXPECT(le32toh(h.payload_len) == 100);

	/* The largest payload fills the firmware region exactly. */
	size = edu_fw_build(image, sizeof(image), 1, payload, EDU_FW_MAX_PAYLOAD);
	EXPECT(size == EDU_FW_REGION_SIZE && edu_fw_check(image, size) == NULL);
	EXPECT(edu_fw_build(image, sizeof(image), 1, payload, EDU_FW_MAX_PAYLOAD + 1) < 0);
	EXPECT(edu_fw_build(image, sizeof(image), 1, payload, 0) < 0);
	EXPECT(edu_fw_build(image, 40, 1, payload, 100) < 0);
	result(ok, "fw_build");
}

static void test_check_reasons(void)
{
	unsigned char image[EDU_FW_REGION_SIZE + 8], payload[64];
	int ok = 1, size;
	const char *why;

	memset(payload, 7, sizeof(payload));
#define FRESH() (size = edu_fw_build(image, sizeof(image), 0x020000, payload, sizeof(payload)))
	FRESH();
	EXPECT((why = edu_fw_check(image, 0)) && !strcmp(why, "truncated header"));
	EXPECT((why = edu_fw_check(image, size - 1)) && !strcmp(why, "truncated payload"));
	EXPECT((why = edu_fw_check(image, size + 1)) && !strcmp(why, "trailing data"));
	image[0] ^= 1;
	EXPECT((why = edu_fw_check(image, size)) && !strcmp(why, "bad magic"));
	FRESH();
	image[8] ^= 1;
	EXPECT((why = edu_fw_check(image, size)) && !strcmp(why, "header CRC mismatch"));
	FRESH();
	image[size - 1] ^= 1;
	EXPECT((why = edu_fw_check(image, size)) && !strcmp(why, "payload CRC mismatch"));
	result(ok, "fw_check_reasons");
#undef FRESH
}

static void test_versions(void)
{
	char buf[16];
	uint32_t v = 0;
	int ok = 1;

	EXPECT(edu_fw_parse_version("1.2.3", &v) == 0 && v == 0x010203);
	EXPECT(edu_fw_parse_version("65535.255.255", &v) == 0 && v == 0xffffffffu);
	EXPECT(edu_fw_parse_version("1.256.0", &v) < 0);
	EXPECT(edu_fw_parse_version("1.2", &v) < 0);
	EXPECT(edu_fw_parse_version("1.2.3x", &v) < 0);
	EXPECT(edu_fw_parse_version("-1.2.3", &v) < 0);
	edu_fw_version_str(0x020003, buf, sizeof(buf));
	EXPECT(!strcmp(buf, "2.0.3"));
	result(ok, "fw_versions");
}

static int run(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The mkedufw to test: the first argument. */
static const char *tool;

/* The tool end to end: build, info, verify, and its refusals. */
static void test_mkedufw(void)
{
	char cmd[512];
	int ok = 1;
	FILE *f;

	if (!tool) {
		result(0, "mkedufw (no tool path given)");
		return;
	}
	f = fopen("/tmp/edu-unit-payload", "w");
	EXPECT(f && fputs("hello firmware", f) >= 0 && !fclose(f));
	snprintf(cmd, sizeof(cmd), "%s build --version 4.5.6 /tmp/edu-unit-payload "
		 "/tmp/edu-unit.bin", tool);
	EXPECT(run(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "%s info /tmp/edu-unit.bin | grep -q 'version     4.5.6'",
		 tool);
	EXPECT(run(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "%s verify /tmp/edu-unit.bin >/dev/null", tool);
	EXPECT(run(cmd) == 0);
	/* A flipped payload byte: verify fails, with the reason. */
	snprintf(cmd, sizeof(cmd), "printf X | dd of=/tmp/edu-unit.bin bs=1 seek=40 "
		 "conv=notrunc 2>/dev/null && %s verify /tmp/edu-unit.bin | "
		 "grep -q 'payload CRC mismatch'", tool);
	EXPECT(run(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "%s verify /tmp/edu-unit.bin >/dev/null", tool);
	EXPECT(run(cmd) == 1);
	snprintf(cmd, sizeof(cmd), "%s build --version 1.2 /tmp/edu-unit-payload "
		 "/tmp/edu-unit.bin 2>/dev/null", tool);
	EXPECT(run(cmd) == 2);
	snprintf(cmd, sizeof(cmd), "head -c 2000 /dev/zero >/tmp/edu-unit-big && %s build "
		 "--version 1.0.0 /tmp/edu-unit-big /tmp/edu-unit.bin 2>/dev/null", tool);
	EXPECT(run(cmd) == 1);
	snprintf(cmd, sizeof(cmd), "%s frob 2>/dev/null", tool);
	EXPECT(run(cmd) == 2);
	result(ok, "mkedufw");
}

static void (*const tests[])(void) = {
	test_crc32,
	test_build_and_check,
	test_check_reasons,
	test_versions,
	test_mkedufw,
};

int main(int argc, char **argv)
{
	tool = argc > 1 ? argv[1] : NULL;
	return unit_main(tests, ARRAY_SIZE(tests));
}
