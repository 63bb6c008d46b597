// SPDX-License-Identifier: GPL-2.0
/* The user-space tools against the live devices: eductl and lspci. */
#include <stdio.h>
#include <string.h>

#include "tests.h"
#include "util.h"

static int lines_with(const char *text, const char *needle)
{
	int n = 0;

	for (; (text = strstr(text, needle)); text += strlen(needle))
		n++;
	return n;
}

static int test_eductl_list(void)
{
	char names[MAX_EDU][16], out[4096], want[64];
	int count = edu_names(names, MAX_EDU), i;

	CHECK(count > 0, "no devices");
	CHECK(run_cmd("eductl list", out, sizeof(out)) == 0, "%s", out);
	CHECK(lines_with(out, "1234:11e8 rev 10") == count, "%s", out);
	for (i = 0; i < count; i++) {
		snprintf(want, sizeof(want), "%s ", names[i]);
		CHECK(strstr(out, want), "%s missing: %s", names[i], out);
	}
	CHECK(lines_with(out, "driver edu") == count, "%s", out);
	return 0;
}

static int test_eductl_info(void)
{
	char out[4096], bdf[32], names[MAX_EDU][16];

	CHECK(edu_names(names, MAX_EDU) > 0, "no devices");
	CHECK(bdf_of(names[0], bdf, sizeof(bdf)) == 0, "bdf");
	CHECK(run_cmd("eductl info edu0", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, bdf), "no %s in: %s", bdf, out);
	CHECK(strstr(out, "0x010000ed"), "%s", out);
	CHECK(strstr(out, "/dev/edu0"), "%s", out);
	CHECK(strstr(out, "1af4:1100"), "subsystem: %s", out);
	CHECK(strstr(out, expected_mode), "mode: %s", out);
	return 0;
}

static int test_eductl_factorial(void)
{
	char out[1024];

	CHECK(run_cmd("eductl factorial edu0 10", out, sizeof(out)) == 0, "%s", out);
	CHECK(!strcmp(out, "3628800\n"), "%s", out);
	CHECK(run_cmd("eductl factorial /dev/edu1 12", out, sizeof(out)) == 0,
	      "%s", out);
	CHECK(!strcmp(out, "479001600\n"), "%s", out);
	return 0;
}

/* Exit codes that scripts can use: 1 failed, 2 usage, 3 no such device. */
static int test_eductl_errors(void)
{
	char out[1024];

	CHECK(run_cmd("eductl factorial edu0 13", out, sizeof(out)) == 1, "%s", out);
	CHECK(strstr(out, "out of range"), "%s", out);
	CHECK(run_cmd("eductl factorial edu0 abc", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl factorial edu0 -3", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl factorial nonsense 3", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl factorial edu99 3", out, sizeof(out)) == 3, "%s", out);
	CHECK(run_cmd("eductl info edu99", out, sizeof(out)) == 3, "%s", out);
	CHECK(run_cmd("eductl frobnicate", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl --help", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, "factorial"), "%s", out);
	return 0;
}

static int test_lspci_driver_in_use(void)
{
	char names[MAX_EDU][16], out[8192];
	int count = edu_names(names, MAX_EDU);

	CHECK(count > 0, "no devices");
	CHECK(run_cmd("lspci -k -d 1234:11e8", out, sizeof(out)) == 0, "%s", out);
	CHECK(lines_with(out, "Kernel driver in use: edu") == count, "%s", out);
	return 0;
}

const struct test_case tool_tests[] = {
	TEST(eductl_list),
	TEST(eductl_info),
	TEST(eductl_factorial),
	TEST(eductl_errors),
	TEST(lspci_driver_in_use),
	TEST_END
};
