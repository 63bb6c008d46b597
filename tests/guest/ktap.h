/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal KTAP producer for the in-guest suite. A test returns 0 to pass;
 * CHECK() prints a diagnostic naming the failed condition and fails it.
 */
#ifndef KTAP_H
#define KTAP_H

#include <stdio.h>

struct test_case {
	const char *name;
	int (*run)(void);
	int timeout;	/* seconds before it counts as hung; 0: TEST_TIMEOUT */
};

#define TEST(fn) { #fn, test_##fn, 0 }
/* A test that runs long on purpose (stress, soak, fuzz): its own bound. */
#define TEST_LONG(fn, seconds) { #fn, test_##fn, seconds }
#define TEST_END { NULL, NULL, 0 }

void ktap_plan(int count);
void ktap_run(const char *prefix, const struct test_case *tests);
int ktap_count(const struct test_case *tests);
/* name is an item of list, "a,b,c": 1 or 0. */
int list_has(const char *list, const char *name);
int ktap_failures(void);

void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CHECK(cond, fmt, ...)						\
	do {								\
		if (!(cond)) {						\
			diag("%s:%d: %s: " fmt, __FILE__, __LINE__,	\
			     #cond, ##__VA_ARGS__);			\
			return -1;					\
		}							\
	} while (0)

#endif /* KTAP_H */
