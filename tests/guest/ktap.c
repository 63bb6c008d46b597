// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"
#include "restore.h"
#include "util.h"

static int test_number;
static int failures;

void ktap_plan(int count)
{
	printf("KTAP version 1\n1..%d\n", count);
}

/*
 * EDU_TESTS=NAME,NAME,... (from the kernel command line) runs only those
 * tests, by the name in their group's table: for working on a few. The
 * harness never sets it.
 */
int list_has(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = list; (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return 1;
	return 0;
}

/*
 * SKIP_TESTS=NAME,... (the debug lane, for its time budget): tests this
 * lane leaves to the others.
 */
static int selected(const struct test_case *test)
{
	const char *list = getenv("EDU_TESTS"), *skip = getenv("SKIP_TESTS");

	if (skip && list_has(skip, test->name))
		return 0;
	return !list || !*list || list_has(list, test->name);
}

int ktap_count(const struct test_case *tests)
{
	int n = 0;

	for (; tests->name; tests++)
		n += selected(tests);
	return n;
}

/* Seconds a test may take before it counts as hung (the child's alarm). */
#ifndef TEST_TIMEOUT
#define TEST_TIMEOUT 120
#endif
/* The parent's own margin, for a test that ignores or cannot take SIGALRM. */
#define WAIT_MARGIN 15
/* Seconds SIGKILL may take to end a process before it counts as stuck. */
#define KILL_TIMEOUT 10

static long long clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * Waits up to s seconds for the child to exit, without reaping it: as a
 * zombie it keeps its process group ID from being reused. 1 if it exited.
 */
static int exited_within(pid_t pid, int s)
{
	long long end = clock_ms() + s * 1000LL;
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) && errno != EINTR)
			return 1;	/* not waitable at all: the reap reports it */
		if (si.si_pid == pid)
			return 1;
		if (clock_ms() >= end)
			return 0;
		sleep_ms(20);
	}
}

/* A live (not zombie) process of group pgid, or 0. */
static pid_t group_member(pid_t pgid)
{
	char path[64], buf[512], state;
	pid_t found = 0, pid;
	struct dirent *de;
	int ppid, pgrp;
	const char *p;
	DIR *dir;

	if (kill(-pgid, 0) && errno == ESRCH)
		return 0;
	dir = opendir("/proc");
	if (!dir)
		return 0;
	while (!found && (de = readdir(dir))) {
		pid = atoi(de->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		if (read_text(path, buf, sizeof(buf)))
			continue;
		/* "pid (comm) state ppid pgrp ...": comm may hold anything. */
		p = strrchr(buf, ')');
		if (p && sscanf(p + 1, " %c %d %d", &state, &ppid, &pgrp) == 3 &&
		    pgrp == pgid && state != 'Z')
			found = pid;
	}
	closedir(dir);
	return found;
}

/* Waits up to s seconds for group pgid to be gone: 0, or a process left. */
static pid_t group_gone_within(pid_t pgid, int s)
{
	long long end = clock_ms() + s * 1000LL;
	pid_t left;

	while ((left = group_member(pgid)) && clock_ms() < end)
		sleep_ms(20);
	return left;
}

/* Reaps the exited child: 0 if the test passed. */
static int reap(const struct test_case *test, pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid) {
		diag("%s: waitpid: %s", test->name, strerror(errno));
		return -1;
	}
	if (WIFSIGNALED(status)) {
		diag("%s: killed by signal %d%s", test->name, WTERMSIG(status),
		     WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
		return -1;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/*
 * Each test runs in a child process: whatever a failing test leaves behind
 * (open files, mappings, blocked signals) dies with it, and a crash or a
 * hang is a failure of that test only. The child leads its own process
 * group, so what it starts (a shell's background listener) dies with it
 * too. The driver's tunables and fault knobs are put back afterwards.
 */
static int run_isolated(const struct test_case *test)
{
	int timeout = test->timeout ?: TEST_TIMEOUT, ret;
	pid_t pid, left;

	knobs_save();
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		diag("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		alarm(timeout);
		_exit(test->run() ? 1 : 0);
	}
	/* Here too: whichever runs first, the group exists before any kill. */
	setpgid(pid, pid);

	if (!exited_within(pid, timeout + WAIT_MARGIN)) {
		diag("%s: no exit after %d s, killing it", test->name, timeout + WAIT_MARGIN);
		kill(-pid, SIGKILL);
		if (!exited_within(pid, KILL_TIMEOUT)) {
			/* Uninterruptible in the kernel: report and go on without it. */
			diag("%s: stuck (D state?), abandoned", test->name);
			knobs_restore(test->name);
			return -1;
		}
	}
	kill(-pid, SIGKILL);
	ret = reap(test, pid);
	left = group_gone_within(pid, KILL_TIMEOUT);
	if (left) {
		diag("%s: process %d it started survives SIGKILL (D state?)", test->name, left);
		ret = -1;
	}
	if (knobs_restore(test->name))
		ret = -1;
	return ret;
}

void ktap_run(const char *prefix, const struct test_case *tests)
{
	long long group_start = clock_ms();
	int ran = 0;

	for (; tests->name; tests++) {
		long long start;
		int ret;

		if (!selected(tests)) {
			if (getenv("SKIP_TESTS") && list_has(getenv("SKIP_TESTS"), tests->name))
				diag("%s.%s: left to the other lanes (SKIP_TESTS)", prefix,
				     tests->name);
			continue;
		}
		start = clock_ms();
		ret = run_isolated(tests);
		/* For the time budget (docs/testing.md): where a lane's minutes go. */
		if (clock_ms() - start >= 1000)
			diag("%s.%s took %.1f s", prefix, tests->name,
			     (clock_ms() - start) / 1000.0);
		test_number++;
		ran++;
		if (ret)
			failures++;
		printf("%sok %d %s.%s\n", ret ? "not " : "", test_number,
		       prefix, tests->name);
		fflush(stdout);
	}
	if (ran)
		diag("group %s: %d tests in %.1f s", prefix, ran,
		     (clock_ms() - group_start) / 1000.0);
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
