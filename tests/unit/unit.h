/* SPDX-License-Identifier: GPL-2.0 */
/* Host unit tests: one TAP line per test; EXPECT() notes a failed condition. */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>

static int failures;

static inline void result(int ok, const char *name)
{
	printf("%sok - unit.%s\n", ok ? "" : "not ", name);
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

#endif /* UNIT_H */
