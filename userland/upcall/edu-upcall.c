// SPDX-License-Identifier: GPL-2.0
/*
 * edu-upcall: the helper the kernel starts for an upcall route
 * (call_usermodehelper), as the sysctl dev.edu.upcall_helper names it:
 *   edu-upcall event device=N type=T status=0x... seq=S time=NS value=V
 * It appends one line per event to /run/edu-upcall.log and, if
 * /etc/edu-upcall.d/run is executable, runs it with the same arguments.
 * It runs as root: the log lives in a root-owned directory, is opened
 * without following a link and without ever blocking (a FIFO planted there
 * fails at once), and must be a regular file. The driver kills a helper
 * that overruns dev.edu.upcall_timeout_ms. Its exit status is recorded by
 * the route (last_status).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOG_PATH	"/run/edu-upcall.log"
#define USER_COMMAND	"/etc/edu-upcall.d/run"

/* One line with the arguments; 0, or -1 if the log is not a safe file. */
static int log_event(int argc, char **argv)
{
	char line[1024];
	size_t used = 0;
	struct stat st;
	int fd, i, ok;

	fd = open(LOG_PATH, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
		  O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != getuid()) {
		close(fd);
		return -1;
	}
	for (i = 1; i < argc && used < sizeof(line) - 1; i++)
		used += snprintf(line + used, sizeof(line) - used, "%s%s",
				 i > 1 ? " " : "", argv[i]);
	if (used > sizeof(line) - 2)
		used = sizeof(line) - 2;
	line[used++] = '\n';
	/* One write: concurrent helpers never interleave within a line. */
	ok = write(fd, line, used) == (ssize_t)used;
	return close(fd) == 0 && ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: edu-upcall event KEY=VALUE...\n");
		return 2;
	}
	if (log_event(argc, argv))
		return 1;

	if (access(USER_COMMAND, X_OK))
		return 0;
	pid = fork();
	if (pid == 0) {
		argv[0] = USER_COMMAND;
		execv(USER_COMMAND, argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
