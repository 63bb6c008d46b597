// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of libedu's parsing: the rules eductl applies before any
 * value reaches the driver. Prints one TAP line per test.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libedu.h"
#include "unit.h"

static void test_parse_u32(void)
{
	uint32_t v = 0;
	int ok = 1;

	EXPECT(edu_parse_u32("0", &v) == 0 && v == 0);
	EXPECT(edu_parse_u32("42", &v) == 0 && v == 42);
	EXPECT(edu_parse_u32("0x10", &v) == 0 && v == 16);
	EXPECT(edu_parse_u32("0xffffffff", &v) == 0 && v == 0xffffffffu);
	EXPECT(edu_parse_u32("4294967295", &v) == 0 && v == 0xffffffffu);
	EXPECT(edu_parse_u32("4294967296", &v) == -ERANGE);
	EXPECT(edu_parse_u32("99999999999999999999999", &v) == -ERANGE);
	EXPECT(edu_parse_u32("", &v) == -EINVAL);
	EXPECT(edu_parse_u32("-1", &v) == -EINVAL);
	EXPECT(edu_parse_u32(" 1", &v) == -EINVAL);
	EXPECT(edu_parse_u32("1 ", &v) == -EINVAL);
	EXPECT(edu_parse_u32("12abc", &v) == -EINVAL);
	EXPECT(edu_parse_u32("0x", &v) == -EINVAL);
	EXPECT(edu_parse_u32(NULL, &v) == -EINVAL);
	result(ok, "parse_u32");
}

static void test_parse_uint(void)
{
	unsigned int v = 0;
	int ok = 1;

	EXPECT(edu_parse_uint("0", 12, &v) == 0 && v == 0);
	EXPECT(edu_parse_uint("12", 12, &v) == 0 && v == 12);
	EXPECT(edu_parse_uint("13", 12, &v) == -ERANGE);
	EXPECT(edu_parse_uint("-1", 12, &v) == -ERANGE);
	EXPECT(edu_parse_uint("-", 12, &v) == -EINVAL);
	EXPECT(edu_parse_uint("0x5", 12, &v) == -EINVAL);
	EXPECT(edu_parse_uint("abc", 12, &v) == -EINVAL);
	EXPECT(edu_parse_uint("", 12, &v) == -EINVAL);
	EXPECT(edu_parse_uint("5\n", 12, &v) == -EINVAL);
	EXPECT(edu_parse_uint("18446744073709551616", ~0u, &v) == -ERANGE);
	result(ok, "parse_uint");
}

static void test_parse_devname(void)
{
	char name[EDU_NAME_MAX] = "";
	int ok = 1;

	EXPECT(edu_parse_devname("edu0", name) == 0 && !strcmp(name, "edu0"));
	EXPECT(edu_parse_devname("/dev/edu12", name) == 0 &&
	       !strcmp(name, "edu12"));
	EXPECT(edu_parse_devname("3", name) == 0 && !strcmp(name, "edu3"));
	EXPECT(edu_parse_devname("edu", name) == -EINVAL);
	EXPECT(edu_parse_devname("edux", name) == -EINVAL);
	EXPECT(edu_parse_devname("eth0", name) == -EINVAL);
	EXPECT(edu_parse_devname("edu-1", name) == -EINVAL);
	EXPECT(edu_parse_devname("edu99999", name) == -EINVAL);
	EXPECT(edu_parse_devname("", name) == -EINVAL);
	result(ok, "parse_devname");
}

static void (*const tests[])(void) = {
	test_parse_u32,
	test_parse_uint,
	test_parse_devname,
};

int main(void)
{
	return unit_main(tests, ARRAY_SIZE(tests));
}
