/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host unit tests as TAP: a plan line, then one result line per test;
 * EXPECT() notes a failed condition. Each test makes exactly one result()
 * call; unit_main() runs a table of them and gives the exit status.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>

static int failures, results;

static inline void result(int ok, const char *name)
{
	printf("%sok - unit.%s\n", ok ? "" : "not ", name);
	results++;
	if (!ok)
		failures++;
}

/* Needs a local "int ok = 1;" in the test. */
#define EXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			ok = 0;						\
		}							\
	} while (0)

/*
 * Prints the plan, runs the tests and returns the exit status: non-zero if
 * a test failed or the results do not match the plan.
 */
static inline int unit_main(void (*const tests[])(void), int count)
{
	int i;

	/* Line by line: a crash keeps what was printed before it. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%d\n", count);
	for (i = 0; i < count; i++)
		tests[i]();
	if (results != count)
		printf("# planned %d results, made %d\n", count, results);
	return failures || results != count ? 1 : 0;
}

#define ARRAY_SIZE(a) ((int)(sizeof(a) / sizeof((a)[0])))

#endif /* UNIT_H */
