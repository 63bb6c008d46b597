// SPDX-License-Identifier: GPL-2.0
/*
 * configfs event routes: UDP and TCP kernel sockets to a collector
 * ("eductl listen"), upcalls to edu-upcall, refused settings, and rmdir
 * while events stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>

#include "tests.h"
#include "util.h"

#define ROUTES "/sys/kernel/config/edu/routes/"

static int set(const char *route, const char *attr, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), ROUTES "%s/%s", route, attr);
	return write_text(path, val, strlen(val));
}

static long long get_num(const char *route, const char *attr)
{
	char path[128], val[32];

	snprintf(path, sizeof(path), ROUTES "%s/%s", route, attr);
	return read_text(path, val, sizeof(val)) ? -1 : atoll(val);
}

static int make_route(const char *route, const char *type, const char *dest,
		      const char *device)
{
	char path[128];

	snprintf(path, sizeof(path), ROUTES "%s", route);
	if (mkdir(path, 0755))
		return -errno;
	if (set(route, "type", type) || (dest && set(route, "dest", dest)) ||
	    set(route, "device", device) || set(route, "enable", "1"))
		return -EINVAL;
	return 0;
}

static void remove_route(const char *route)
{
	char path[128];

	snprintf(path, sizeof(path), ROUTES "%s", route);
	rmdir(path);
}

/* Starts "eductl listen ..." writing to out; returns its pid. */
static pid_t start_listener(const char *args, const char *out)
{
	char cmd[160];
	pid_t pid;

	snprintf(cmd, sizeof(cmd), "eductl listen %s >%s 2>/dev/null", args, out);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Raises bits on edu0 every 100 ms until pid exits (10 s at most). */
static int raise_until_exit(pid_t pid, unsigned int bits, int *status)
{
	int fd = edu_open_dev("edu0", O_RDWR), i;

	for (i = 0; i < 100 && waitpid(pid, status, WNOHANG) == 0; i++) {
		raise_irq(fd, bits);
		usleep(100000);
	}
	close(fd);
	return waitpid(pid, status, 0) == pid || i < 100 ? 0 : -1;
}

/* Lines "edu0 seq N status 0x..." with the given bits and consecutive seqs. */
static int check_lines(const char *file, unsigned int bits, int want)
{
	char buf[4096], *line, *save, pattern[48];
	unsigned long long seq, prev = 0;
	int lines = 0;

	snprintf(pattern, sizeof(pattern), "edu0 seq %%llu status 0x%08x", bits);
	CHECK(read_text(file, buf, sizeof(buf)) == 0, "no %s", file);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		CHECK(sscanf(line, pattern, &seq) == 1, "line '%s'", line);
		CHECK(!prev || seq == prev + 1, "seq %llu after %llu", seq, prev);
		prev = seq;
		lines++;
	}
	CHECK(lines == want, "%d lines, want %d", lines, want);
	return 0;
}

static int test_route_udp(void)
{
	int st;
	pid_t pid;

	CHECK(make_route("u1", "udp", "127.0.0.1:5601", "0") == 0, "route");
	pid = start_listener("--udp 5601 -n 3 --timeout 15", "/tmp/udp.out");
	usleep(300000);
	raise_until_exit(pid, 0x10000000, &st);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		remove_route("u1");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "listener status %#x, last_error %lld",
	      st, get_num("u1", "last_error"));
	CHECK(check_lines("/tmp/udp.out", 0x10000000, 3) == 0, "events");
	CHECK(get_num("u1", "sent") >= 3, "sent %lld", get_num("u1", "sent"));

	/* A restarted collector receives what is sent after it is back. */
	pid = start_listener("--udp 5601 -n 2 --timeout 15", "/tmp/udp2.out");
	usleep(300000);
	raise_until_exit(pid, 0x10000000, &st);
	remove_route("u1");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "second collector %#x", st);
	CHECK(check_lines("/tmp/udp2.out", 0x10000000, 2) == 0, "events after restart");
	return 0;
}

static int test_route_bad_values(void)
{
	CHECK(mkdir(ROUTES "bad", 0755) == 0, "mkdir: %s", strerror(errno));
	CHECK(set("bad", "enable", "1") == -EDESTADDRREQ, "enable without a type");
	CHECK(set("bad", "type", "carrier-pigeon") == -EINVAL, "type");
	CHECK(set("bad", "type", "udp") == 0, "udp");
	CHECK(set("bad", "enable", "1") == -EDESTADDRREQ, "enable without a dest");
	CHECK(set("bad", "dest", "localhost") == -EINVAL, "no port");
	CHECK(set("bad", "dest", "127.0.0.1:0") == -EINVAL, "port 0");
	CHECK(set("bad", "dest", "127.0.0.1:70000") == -EINVAL, "port 70000");
	CHECK(set("bad", "dest", "10.0.0.1:5000") == -EPERM, "remote without the sysctl");
	CHECK(set("bad", "device", "99") == -ERANGE, "device 99");
	CHECK(set("bad", "device", "x") == -EINVAL, "device x");
	CHECK(set("bad", "event_mask", "0") == -EINVAL, "empty mask");
	CHECK(set("bad", "dest", "127.0.0.1:5609") == 0, "dest");
	CHECK(set("bad", "enable", "1") == 0, "enable");
	CHECK(set("bad", "type", "tcp") == -EBUSY, "type while enabled");
	CHECK(set("bad", "dest", "127.0.0.1:5610") == -EBUSY, "dest while enabled");
	CHECK(set("bad", "enable", "maybe") == -EINVAL, "enable maybe");
	CHECK(set("bad", "enable", "0") == 0, "disable");
	CHECK(set("bad", "type", "tcp") == 0, "type after disable");
	CHECK(rmdir(ROUTES "bad") == 0, "rmdir");
	return 0;
}

/* A TCP route reconnects to a restarted collector and delivers what it kept. */
static int test_route_tcp_restart(void)
{
	int fd = edu_open_dev("edu0", O_RDWR), st, i;
	long long dropped, after;
	pid_t pid;

	CHECK(fd >= 0, "open");
	CHECK(make_route("t1", "tcp", "127.0.0.1:5602", "0") == 0, "route");
	pid = start_listener("--tcp 5602 -n 2 --timeout 15", "/tmp/tcp1.out");
	usleep(300000);
	raise_until_exit(pid, 0x20000000, &st);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		remove_route("t1");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "first collector %#x", st);
	CHECK(check_lines("/tmp/tcp1.out", 0x20000000, 2) == 0, "first collector");

	/* No collector: three events wait in the route. */
	usleep(200000);
	for (i = 0; i < 3; i++) {
		raise_irq(fd, 0x40000000);
		usleep(100000);
	}
	pid = start_listener("--tcp 5602 -n 3 --timeout 15", "/tmp/tcp2.out");
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		remove_route("t1");
	CHECK(WIFEXITED(st) && !WEXITSTATUS(st), "second collector %#x, last_error %lld",
	      st, get_num("t1", "last_error"));
	CHECK(check_lines("/tmp/tcp2.out", 0x40000000, 3) == 0, "kept events");

	/*
	 * Nobody listening again: what the route cannot keep is dropped and
	 * counted. Paced, so that the device's own ring is not what drops.
	 */
	dropped = get_num("t1", "dropped");
	for (i = 0; i < 80; i++) {
		raise_irq(fd, 0x1000);
		usleep(10000);
	}
	usleep(300000);
	after = get_num("t1", "dropped");
	close(fd);
	remove_route("t1");
	CHECK(after >= dropped + 16, "dropped %lld -> %lld", dropped, after);
	return 0;
}

static int test_route_upcall(void)
{
	char buf[4096];
	int fd = edu_open_dev("edu1", O_RDWR), i, found = 0;

	CHECK(fd >= 0, "open");
	unlink("/tmp/edu-upcall.log");
	mkdir("/etc/edu-upcall.d", 0755);
	CHECK(write_file("/etc/edu-upcall.d/run",
			 "#!/bin/sh\necho \"$@\" >/tmp/edu-upcall.cmd\nexit 3\n", 49) == 0,
	      "user command");
	chmod("/etc/edu-upcall.d/run", 0755);
	CHECK(make_route("up1", "upcall", NULL, "1") == 0, "route");
	CHECK(raise_irq(fd, 0x4000) == 0, "raise");
	for (i = 0; i < 50 && !found; i++) {
		usleep(100000);
		found = !read_text("/tmp/edu-upcall.log", buf, sizeof(buf)) &&
			strstr(buf, "status=0x00004000");
	}
	remove_route("up1");
	unlink("/etc/edu-upcall.d/run");
	close(fd);
	CHECK(found, "helper never ran");
	CHECK(!strncmp(buf, "event device=1 type=1 status=0x00004000 seq=", 44), "argv: %s",
	      buf);
	CHECK(read_text("/tmp/edu-upcall.cmd", buf, sizeof(buf)) == 0 &&
	      strstr(buf, "status=0x00004000"), "user command: %s", buf);
	return 0;
}

/* The helper's exit status is recorded (3 from the user command above). */
static int test_route_upcall_status(void)
{
	int fd = edu_open_dev("edu1", O_RDWR), i;
	long long status = -1;

	CHECK(fd >= 0, "open");
	mkdir("/etc/edu-upcall.d", 0755);
	CHECK(write_file("/etc/edu-upcall.d/run", "#!/bin/sh\nexit 3\n", 17) == 0, "cmd");
	chmod("/etc/edu-upcall.d/run", 0755);
	CHECK(make_route("up2", "upcall", NULL, "1") == 0, "route");
	CHECK(raise_irq(fd, 0x8000) == 0, "raise");
	for (i = 0; i < 50 && status <= 0; i++) {
		usleep(100000);
		status = get_num("up2", "last_status");
	}
	remove_route("up2");
	unlink("/etc/edu-upcall.d/run");
	close(fd);
	CHECK(status == 3 << 8, "last_status %lld", status);
	return 0;
}

/* rmdir tears a route down while events keep coming. */
static int test_route_rmdir_streaming(void)
{
	int st;
	pid_t pid;

	CHECK(make_route("s1", "udp", "127.0.0.1:5603", "-1") == 0, "route");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fd = edu_open_dev("edu0", O_RDWR), i;

		for (i = 0; fd >= 0 && i < 300; i++)
			raise_irq(fd, 0x2000);
		_exit(0);
	}
	usleep(50000);
	CHECK(rmdir(ROUTES "s1") == 0, "rmdir: %s", strerror(errno));
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "streamer");
	CHECK(access(ROUTES "s1", F_OK) != 0, "route still there");
	CHECK(write_text("/sys/class/edu/edu0/factorial", "3", 1) == 0, "device works");
	return 0;
}

const struct test_case route_tests[] = {
	TEST(route_udp),
	TEST(route_bad_values),
	TEST(route_tcp_restart),
	TEST(route_upcall),
	TEST(route_upcall_status),
	TEST(route_rmdir_streaming),
	TEST_END
};
