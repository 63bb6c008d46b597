// SPDX-License-Identifier: GPL-2.0
/*
 * edu-upcall: the helper the kernel starts for an upcall route
 * (call_usermodehelper), as the sysctl dev.edu.upcall_helper names it:
 *   edu-upcall event device=N type=T status=0x... seq=S time=NS value=V
 * It appends one line per event to /tmp/edu-upcall.log and, if
 * /etc/edu-upcall.d/run is executable, runs it with the same arguments.
 * Its environment is the kernel's clean one; its exit status is recorded
 * by the route (last_status).
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOG_PATH	"/tmp/edu-upcall.log"
#define USER_COMMAND	"/etc/edu-upcall.d/run"

int main(int argc, char **argv)
{
	FILE *log;
	int i, status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: edu-upcall event KEY=VALUE...\n");
		return 2;
	}
	log = fopen(LOG_PATH, "a");
	if (!log)
		return 1;
	for (i = 1; i < argc; i++)
		fprintf(log, "%s%s", i > 1 ? " " : "", argv[i]);
	fprintf(log, "\n");
	if (fclose(log))
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
