// SPDX-License-Identifier: MIT
/*
 * Firmware images (docs/firmware.md): build, verify and describe them.
 * The driver applies the same checks; this is their user-space twin, for
 * the host tool, eductl and the tests.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libedu.h"

/* CRC-32, IEEE 802.3 polynomial, reflected: what zlib's crc32() computes. */
uint32_t edu_crc32(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t crc = 0xffffffffu;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

#define HEADER_CRC_LEN offsetof(struct edu_fw_header, header_crc)

int edu_fw_build(void *image, size_t size, uint32_t version,
		 const void *payload, size_t payload_len)
{
	struct edu_fw_header h;

	if (!payload_len || payload_len > EDU_FW_MAX_PAYLOAD)
		return -EINVAL;
	if (size < sizeof(h) + payload_len)
		return -ENOSPC;
	memset(&h, 0, sizeof(h));
	h.magic = htole32(EDU_FW_MAGIC);
	h.format = htole16(EDU_FW_FORMAT);
	h.header_size = htole16(sizeof(h));
	h.version = htole32(version);
	h.payload_len = htole32(payload_len);
	h.payload_crc = htole32(edu_crc32(payload, payload_len));
	h.header_crc = htole32(edu_crc32(&h, HEADER_CRC_LEN));
	memcpy(image, &h, sizeof(h));
	memcpy((char *)image + sizeof(h), payload, payload_len);
	return (int)(sizeof(h) + payload_len);
}

const char *edu_fw_check(const void *image, size_t size)
{
	struct edu_fw_header h;
	uint32_t len;

	if (size < sizeof(h))
		return "truncated header";
	memcpy(&h, image, sizeof(h));
	if (le32toh(h.magic) != EDU_FW_MAGIC)
		return "bad magic";
	if (le32toh(h.header_crc) != edu_crc32(&h, HEADER_CRC_LEN))
		return "header CRC mismatch";
	if (le16toh(h.format) != EDU_FW_FORMAT)
		return "unknown format";
	if (le16toh(h.header_size) != sizeof(h) || h.reserved[0] || h.reserved[1])
		return "bad header";
	len = le32toh(h.payload_len);
	if (!len || len > EDU_FW_MAX_PAYLOAD)
		return "bad payload length";
	if (size != sizeof(h) + len)
		return size < sizeof(h) + len ? "truncated payload" : "trailing data";
	if (le32toh(h.payload_crc) != edu_crc32((const char *)image + sizeof(h), len))
		return "payload CRC mismatch";
	return NULL;
}

void edu_fw_version_str(uint32_t version, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u", version >> 16, (version >> 8) & 0xff,
		 version & 0xff);
}

int edu_fw_parse_version(const char *s, uint32_t *version)
{
	unsigned int major, minor, patch;
	char end;

	if (sscanf(s, "%u.%u.%u%c", &major, &minor, &patch, &end) != 3 ||
	    major > 0xffff || minor > 0xff || patch > 0xff || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	*version = major << 16 | minor << 8 | patch;
	return 0;
}
