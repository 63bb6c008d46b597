// SPDX-License-Identifier: GPL-2.0
/*
 * mkedufw: build, print and verify edu firmware images (docs/firmware.md).
 *   mkedufw build --version X.Y.Z PAYLOAD IMAGE
 *   mkedufw info IMAGE
 *   mkedufw verify IMAGE
 * Exit status: 0 ok, 1 invalid image or I/O error, 2 usage.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libedu.h"

#define MAX_FILE (64 * 1024)

static int usage(void)
{
	fprintf(stderr, "usage: mkedufw build --version X.Y.Z PAYLOAD IMAGE\n"
			"       mkedufw info IMAGE\n"
			"       mkedufw verify IMAGE\n");
	return 2;
}

static long load(const char *path, unsigned char *buf, size_t len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "mkedufw: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, len, f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "mkedufw: %s: %s\n", path,
			ferror(f) ? strerror(errno) : "too large");
		fclose(f);
		return -1;
	}
	fclose(f);
	return (long)n;
}

static int build(int argc, char **argv)
{
	static unsigned char payload[MAX_FILE], image[EDU_FW_REGION_SIZE];
	uint32_t version;
	long len;
	int size;
	FILE *f;

	if (argc != 6 || strcmp(argv[2], "--version"))
		return usage();
	if (edu_fw_parse_version(argv[3], &version)) {
		fprintf(stderr, "mkedufw: version '%s' is not X.Y.Z\n", argv[3]);
		return 2;
	}
	len = load(argv[4], payload, sizeof(payload));
	if (len < 0)
		return 1;
	size = edu_fw_build(image, sizeof(image), version, payload, len);
	if (size < 0) {
		fprintf(stderr, "mkedufw: payload of %ld bytes: must be 1..%zu\n",
			len, EDU_FW_MAX_PAYLOAD);
		return 1;
	}
	f = fopen(argv[5], "wb");
	if (!f || fwrite(image, 1, size, f) != (size_t)size || fclose(f)) {
		fprintf(stderr, "mkedufw: %s: %s\n", argv[5], strerror(errno));
		return 1;
	}
	return 0;
}

static int inspect(int argc, char **argv, int print)
{
	static unsigned char image[MAX_FILE];
	struct edu_fw_header h;
	const char *why;
	char v[16];
	long len;

	if (argc != 3)
		return usage();
	len = load(argv[2], image, sizeof(image));
	if (len < 0)
		return 1;
	if (print && len >= (long)sizeof(h)) {
		memcpy(&h, image, sizeof(h));
		edu_fw_version_str(le32toh(h.version), v, sizeof(v));
		printf("magic       0x%08x\nformat      %u\nheader_size %u\n"
		       "version     %s\npayload_len %u\npayload_crc 0x%08x\n"
		       "header_crc  0x%08x\n",
		       le32toh(h.magic), le16toh(h.format), le16toh(h.header_size),
		       v, le32toh(h.payload_len), le32toh(h.payload_crc),
		       le32toh(h.header_crc));
	}
	why = edu_fw_check(image, len);
	if (why) {
		printf("invalid: %s\n", why);
		return 1;
	}
	printf("valid\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "build"))
		return build(argc, argv);
	if (!strcmp(argv[1], "info"))
		return inspect(argc, argv, 1);
	if (!strcmp(argv[1], "verify"))
		return inspect(argc, argv, 0);
	return usage();
}
