// SPDX-License-Identifier: GPL-2.0
/* The user-space tools against the live devices: eductl and lspci. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
	CHECK(strstr(out, expected_mode()), "mode: %s", out);
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

/* Both paths write what the other reads: zero-copy in, copy out, and back. */
static int test_eductl_dma(void)
{
	char out[4096];

	CHECK(run_cmd("eductl dma write edu0 100 hello-edu", out, sizeof(out)) == 0,
	      "%s", out);
	CHECK(strstr(out, "9 bytes written at 100"), "%s", out);
	CHECK(run_cmd("eductl dma read --copy edu0 100 9", out, sizeof(out)) == 0,
	      "%s", out);
	CHECK(strstr(out, "0064: 68 65 6c 6c 6f 2d 65 64 75") &&
	      strstr(out, "|hello-edu|"), "%s", out);
	CHECK(run_cmd("eductl dma write --copy edu1 3000 XY", out, sizeof(out)) == 0,
	      "%s", out);
	CHECK(run_cmd("eductl dma read edu1 3000 2", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, "|XY|"), "%s", out);
	/* Ranges are refused before they reach the driver, and by it. */
	CHECK(run_cmd("eductl dma read edu0 3070 2", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl dma read edu0 0 0", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl dma write edu0 3071 x", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl dma frob edu0 0 1", out, sizeof(out)) == 2, "%s", out);
	return 0;
}

/*
 * watch with each mechanism sees an interrupt raised by "eductl irq raise".
 * The watcher may not be listening yet when the first raise comes: raise
 * until it has seen one or timed out.
 */
static int watch_with(const char *how)
{
	char cmd[128], out[4096];
	int st = 0, i;
	pid_t pid;

	snprintf(cmd, sizeof(cmd), "eductl watch edu1 %s -n 1 --timeout 10 >/tmp/watch.out 2>&1",
		 how);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100 && waitpid(pid, &st, WNOHANG) == 0; i++) {
		if (run_cmd("eductl irq raise edu1 0x800000", out, sizeof(out)))
			diag("irq raise: %s", out);
		usleep(100000);
	}
	CHECK(waitpid(pid, &st, 0) == pid || errno == ECHILD, "wait");
	CHECK(read_text("/tmp/watch.out", out, sizeof(out)) == 0, "no output");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "watch %s: status %#x: %s", how,
	      st, out);
	CHECK(strstr(out, "edu1 seq ") && strstr(out, "status 0x00800000"),
	      "watch %s: %s", how, out);
	return 0;
}

static int test_eductl_watch(void)
{
	return watch_with("") || watch_with("--poll") || watch_with("--epoll") ||
	       watch_with("--signal");
}

static int test_eductl_irq_errors(void)
{
	char out[1024];

	CHECK(run_cmd("eductl irq raise edu0 0", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl irq raise edu0 zz", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl irq lower edu0 1", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl irq raise edu99 1", out, sizeof(out)) == 3, "%s", out);
	CHECK(run_cmd("eductl watch edu0 --bogus", out, sizeof(out)) == 2, "%s", out);
	/* Nothing raised: the timeout is a failure, said so. */
	CHECK(run_cmd("eductl watch edu0 -n 1 --timeout 1", out, sizeof(out)) == 1,
	      "%s", out);
	CHECK(strstr(out, "before the timeout"), "%s", out);
	return 0;
}

/* stats and regs, in text and JSON, match the files they come from. */
static int test_eductl_stats_regs(void)
{
	char out[8192], irqs[32], want[64];

	CHECK(run_cmd("eductl stats edu0", out, sizeof(out)) == 0, "%s", out);
	CHECK(read_text("/sys/class/edu/edu0/stats/factorials", irqs, sizeof(irqs)) == 0,
	      "sysfs");
	irqs[strcspn(irqs, "\n")] = '\0';
	snprintf(want, sizeof(want), "factorials       %s\n", irqs);
	CHECK(strstr(out, want), "no '%s' in %s", want, out);
	CHECK(run_cmd("eductl stats --json", out, sizeof(out)) == 0, "%s", out);
	snprintf(want, sizeof(want), "\"factorials\": %s,", irqs);
	CHECK(out[0] == '{' && strstr(out, "\"edu0\": {") && strstr(out, "\"edu1\": {") &&
	      strstr(out, want), "%s", out);
	CHECK(run_cmd("eductl regs edu0 --json", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, "\"identification\": \"0x010000ed\""), "%s", out);
	CHECK(run_cmd("eductl regs edu0", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, "dma_cmd"), "%s", out);
	CHECK(run_cmd("eductl stats edu99", out, sizeof(out)) == 3, "%s", out);
	return 0;
}

static int test_eductl_get_set(void)
{
	char out[4096];

	CHECK(run_cmd("eductl set irq_timeout_ms 750", out, sizeof(out)) == 0, "%s", out);
	CHECK(run_cmd("eductl get irq_timeout_ms", out, sizeof(out)) == 0, "%s", out);
	CHECK(!strcmp(out, "irq_timeout_ms = 750\n"), "%s", out);
	CHECK(run_cmd("eductl get --json", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, "\"irq_timeout_ms\": 750") &&
	      strstr(out, "\"upcall_helper\": \"/usr/libexec/edu/edu-upcall\""), "%s", out);
	CHECK(run_cmd("eductl set irq_timeout_ms 5", out, sizeof(out)) == 1, "%s", out);
	CHECK(strstr(out, "Invalid argument"), "%s", out);
	CHECK(run_cmd("eductl set irq_timeout_ms 1000", out, sizeof(out)) == 0, "%s", out);
	CHECK(run_cmd("eductl set nonsense 1", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl get nonsense", out, sizeof(out)) == 2, "%s", out);
	return 0;
}

static int test_eductl_fault(void)
{
	char out[4096], val[16];

	CHECK(run_cmd("eductl fault edu1 fail_dma 1", out, sizeof(out)) == 0, "%s", out);
	CHECK(read_text("/sys/kernel/debug/edu/edu1/fail_dma", val, sizeof(val)) == 0 &&
	      !strcmp(val, "1\n"), "knob %s", val);
	CHECK(run_cmd("eductl dma write --copy edu1 0 x", out, sizeof(out)) == 1, "%s", out);
	CHECK(strstr(out, "Input/output error"), "%s", out);
	CHECK(run_cmd("eductl fault edu1 fail_dma x", out, sizeof(out)) == 1, "%s", out);
	CHECK(run_cmd("eductl fault edu1 frob 1", out, sizeof(out)) == 2, "%s", out);
	return 0;
}

const struct test_case tool_tests[] = {
	TEST(eductl_list),
	TEST(eductl_info),
	TEST(eductl_factorial),
	TEST(eductl_errors),
	TEST(lspci_driver_in_use),
	TEST(eductl_dma),
	TEST(eductl_watch),
	TEST(eductl_irq_errors),
	TEST(eductl_stats_regs),
	TEST(eductl_get_set),
	TEST(eductl_fault),
	TEST_END
};
