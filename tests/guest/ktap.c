// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Seconds a test may take before it counts as hung. */
#define TEST_TIMEOUT 120

/*
 * Each test runs in a child process: whatever a failing test leaves behind
 * (open files, mappings, blocked signals) dies with it, and a crash or a
 * hang is a failure of that test only.
 */
static int run_isolated(const struct test_case *test)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		diag("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		alarm(TEST_TIMEOUT);
		_exit(test->run() ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status)) {
		diag("%s: killed by signal %d%s", test->name, WTERMSIG(status),
		     WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
		return -1;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

void ktap_run(const char *prefix, const struct test_case *tests)
{
	for (; tests->name; tests++) {
		int ret = run_isolated(tests);

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
