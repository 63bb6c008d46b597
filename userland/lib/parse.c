// SPDX-License-Identifier: MIT
/* Strict parsing: the whole string must be a number in range. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libedu.h"

/* Like the kernel's kstrtou32(s, 0, ...): no sign, no spaces, no junk. */
int edu_parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

/* A decimal number 0..max. */
int edu_parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return (s && s[0] == '-' && isdigit((unsigned char)s[1])) ?
			-ERANGE : -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = (unsigned int)v;
	return 0;
}

/* Accepts "edu3", "/dev/edu3" or "3"; writes "edu3". */
int edu_parse_devname(const char *s, char name[EDU_NAME_MAX])
{
	unsigned int n;

	if (!s)
		return -EINVAL;
	if (!strncmp(s, "/dev/", 5))
		s += 5;
	if (!strncmp(s, "edu", 3))
		s += 3;
	if (edu_parse_uint(s, 9999, &n))
		return -EINVAL;
	snprintf(name, EDU_NAME_MAX, "edu%u", n);
	return 0;
}
