// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "ktap.h"

static int test_number;
static int failures;

void ktap_plan(int count)
{
	printf("KTAP version 1\n1..%d\n", count);
}

int ktap_count(const struct test_case *tests)
{
	int n = 0;

	while (tests[n].name)
		n++;
	return n;
}

void ktap_run(const char *prefix, const struct test_case *tests)
{
	for (; tests->name; tests++) {
		int ret = tests->run();

		test_number++;
		if (ret)
			failures++;
		printf("%sok %d %s.%s\n", ret ? "not " : "", test_number,
		       prefix, tests->name);
		fflush(stdout);
	}
}

int ktap_failures(void)
{
	return failures;
}

void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}
