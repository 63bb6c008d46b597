// SPDX-License-Identifier: GPL-2.0
/* What the event-channel tests share: edu0 settled, paced raises, eductl watch. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>

#include "events_util.h"
#include "ktap.h"
#include "util.h"

/*
 * edu0 once its firmware load is over: a load (after the module's load or
 * a rebind) moves data by DMA and posts events of its own.
 */
int open0(int flags)
{
	char state[64] = "";

	if (!WAIT_FOR(!edu_attr_read("edu0", "firmware_state", state, sizeof(state)) &&
		      strncmp(state, "loading", 7), 10000))
		return -ETIMEDOUT;
	return edu_open_dev("edu0", flags);
}

/*
 * A plain file of edu0 that paces the test: the handler posts an event to
 * every file under one lock hold, so once this file has it, so do the
 * others (and their eventfds and rings). The interrupt counter alone is
 * not enough: it goes up before the event is posted, and on PREEMPT_RT
 * the handler thread can be preempted in between.
 */
static int pacer = -1;

void pacer_close(void)
{
	if (pacer >= 0)
		close(pacer);
	pacer = -1;
}

/* Raises bits on edu0 through fd; returns once every file has the event. */
int raise_handled(int fd, unsigned int bits)
{
	struct edu_event ev;

	if (pacer < 0)
		pacer = edu_open_dev("edu0", O_RDONLY | O_NONBLOCK);
	if (pacer < 0 || raise_irq(fd, bits))
		return -1;
	return next_event(pacer, 2000, &ev) == 0 && ev.irq_status == bits ? 0 : -1;
}

/*
 * Starts "eductl watch edu0 ARG -n 2 --timeout 10" with its output in
 * OUT; returns its pid (or -1).
 */
pid_t start_watch(const char *arg, const char *out)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (o < 0 || dup2(o, 1) < 0 || dup2(o, 2) < 0)
			_exit(120);
		execlp("eductl", "eductl", "watch", "edu0", arg, "-n", "2", "--timeout", "10",
		       (char *)NULL);
		_exit(121);
	}
	return pid;
}

/* The watcher exited 0 and printed two events with these status bits. */
int watch_result(pid_t pid, const char *out, const char *s1, const char *s2)
{
	char buf[512];
	int st;

	if (!WAIT_FOR(waitpid(pid, &st, WNOHANG) == pid, 10000)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		diag("eductl did not end");
		return -1;
	}
	if (read_text(out, buf, sizeof(buf)))
		return -1;
	unlink(out);
	if (!WIFEXITED(st) || WEXITSTATUS(st) || !strstr(buf, s1) || !strstr(buf, s2)) {
		diag("eductl: %#x: %s", st, buf);
		return -1;
	}
	return 0;
}
