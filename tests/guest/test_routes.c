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
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>

#include "tests.h"
#include "util.h"

#define ROUTES "/sys/kernel/config/edu/routes/"

static int make_route(const char *route, const char *type, const char *dest,
		      const char *device)
{
	char path[128];

	snprintf(path, sizeof(path), ROUTES "%s", route);
	if (mkdir(path, 0755))
		return -errno;
	if (route_set(route, "type", type) || (dest && route_set(route, "dest", dest)) ||
	    route_set(route, "device", device) || route_set(route, "enable", "1"))
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
	char buf[4096], *line, *save, pattern[64];
	unsigned long long seq, prev = 0;
	int lines = 0;

	snprintf(pattern, sizeof(pattern), "edu0 seq %%llu type interrupt status 0x%08x", bits);
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
	CHECK(WAIT_FOR(port_bound(5601, 0), 5000), "collector not bound");
	raise_until_exit(pid, 0x10000000, &st);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		remove_route("u1");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "listener status %#x, last_error %lld",
	      st, route_num("u1", "last_error"));
	CHECK(check_lines("/tmp/udp.out", 0x10000000, 3) == 0, "events");
	CHECK(route_num("u1", "sent") >= 3, "sent %lld", route_num("u1", "sent"));

	/* A restarted collector receives what is sent after it is back. */
	pid = start_listener("--udp 5601 -n 2 --timeout 15", "/tmp/udp2.out");
	CHECK(WAIT_FOR(port_bound(5601, 0), 5000), "second collector not bound");
	raise_until_exit(pid, 0x10000000, &st);
	remove_route("u1");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "second collector %#x", st);
	CHECK(check_lines("/tmp/udp2.out", 0x10000000, 2) == 0, "events after restart");
	return 0;
}

static int test_route_bad_values(void)
{
	CHECK(mkdir(ROUTES "bad", 0755) == 0, "mkdir: %s", strerror(errno));
	CHECK(route_set("bad", "enable", "1") == -EDESTADDRREQ, "enable without a type");
	CHECK(route_set("bad", "type", "carrier-pigeon") == -EINVAL, "type");
	CHECK(route_set("bad", "type", "udp") == 0, "udp");
	CHECK(route_set("bad", "enable", "1") == -EDESTADDRREQ, "enable without a dest");
	CHECK(route_set("bad", "dest", "localhost") == -EINVAL, "no port");
	CHECK(route_set("bad", "dest", "127.0.0.1:0") == -EINVAL, "port 0");
	CHECK(route_set("bad", "dest", "127.0.0.1:70000") == -EINVAL, "port 70000");
	CHECK(route_set("bad", "dest", "10.0.0.1:5000") == -EPERM, "remote without the sysctl");
	CHECK(route_set("bad", "device", "99") == -ERANGE, "device 99");
	CHECK(route_set("bad", "device", "x") == -EINVAL, "device x");
	CHECK(route_set("bad", "event_mask", "0") == -EINVAL, "empty mask");
	CHECK(route_set("bad", "dest", "127.0.0.1:5609") == 0, "dest");
	CHECK(route_set("bad", "enable", "1") == 0, "enable");
	CHECK(route_set("bad", "type", "tcp") == -EBUSY, "type while enabled");
	CHECK(route_set("bad", "dest", "127.0.0.1:5610") == -EBUSY, "dest while enabled");
	CHECK(route_set("bad", "enable", "maybe") == -EINVAL, "enable maybe");
	CHECK(route_set("bad", "enable", "0") == 0, "disable");
	CHECK(route_set("bad", "type", "tcp") == 0, "type after disable");
	CHECK(rmdir(ROUTES "bad") == 0, "rmdir");
	return 0;
}

static int get_text(const char *route, const char *attr, char *val, size_t len)
{
	char path[128];

	snprintf(path, sizeof(path), ROUTES "%s/%s", route, attr);
	if (read_text(path, val, len))
		return -1;
	val[strcspn(val, "\n")] = '\0';
	return 0;
}

static int state_is(const char *route, const char *want)
{
	char val[32];

	return !get_text(route, "state", val, sizeof(val)) && !strcmp(val, want);
}

/* Raises bits on fd once, then waits until the route has taken it. */
static int raise_taken(int fd, const char *route, unsigned int bits)
{
	long long before = route_num(route, "queued") + route_num(route, "dropped") +
			   route_num(route, "sent");

	if (raise_irq(fd, bits))
		return -1;
	return WAIT_FOR(route_num(route, "queued") + route_num(route, "dropped") +
			route_num(route, "sent") > before, 5000) ? 0 : -1;
}

static int count_lines(const char *file)
{
	char buf[4096], *p;
	int n = 0;

	if (read_text(file, buf, sizeof(buf)))
		return 0;
	for (p = buf; (p = strchr(p, '\n')); p++)
		n++;
	return n;
}

/* Waits until file has want lines (the collector printed them). */
static int wait_lines(const char *file, int want)
{
	return WAIT_FOR(count_lines(file) >= want, 10000);
}

/*
 * A TCP route across collector restarts, each step waiting for the event it
 * needs (the collector's port, a line received, the route seeing its peer
 * gone, a record queued), so nothing depends on timing:
 *  - a collector receives two events and exits;
 *  - with nobody listening, three events wait in the route;
 *  - a new collector receives exactly those three;
 *  - with nobody listening again, 80 events: the route keeps 64 and counts
 *    exactly 16 dropped, sending nothing.
 */
static int test_route_tcp_restart(void)
{
	int fd = edu_open_dev("edu0", O_RDWR), st, i, ok;
	long long dropped, sent;
	pid_t pid;

	CHECK(fd >= 0, "open");
	CHECK(make_route("t1", "tcp", "127.0.0.1:5602", "0") == 0, "route");

	pid = start_listener("--tcp 5602 -n 2 --timeout 20", "/tmp/tcp1.out");
	ok = WAIT_FOR(port_bound(5602, 1), 5000);
	for (i = 0; ok && i < 2; i++)
		ok = raise_irq(fd, 0x20000000) == 0 && wait_lines("/tmp/tcp1.out", i + 1);
	ok = ok && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st);
	if (!ok)
		remove_route("t1");
	CHECK(ok, "first collector: last_error %lld, state ok %d",
	      route_num("t1", "last_error"), state_is("t1", "connected"));
	CHECK(check_lines("/tmp/tcp1.out", 0x20000000, 2) == 0, "first collector");

	ok = WAIT_FOR(!state_is("t1", "connected"), 5000);
	sent = route_num("t1", "sent");
	for (i = 0; ok && i < 3; i++)
		ok = raise_taken(fd, "t1", 0x40000000) == 0;
	ok = ok && route_num("t1", "queued") == 3 && route_num("t1", "sent") == sent;
	if (!ok)
		remove_route("t1");
	CHECK(ok, "3 records kept: queued %lld, sent %lld -> %lld, last_error %lld",
	      route_num("t1", "queued"), sent, route_num("t1", "sent"),
	      route_num("t1", "last_error"));

	pid = start_listener("--tcp 5602 -n 3 --timeout 20", "/tmp/tcp2.out");
	ok = waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st);
	if (!ok)
		remove_route("t1");
	CHECK(ok, "second collector %#x, last_error %lld", st, route_num("t1", "last_error"));
	CHECK(check_lines("/tmp/tcp2.out", 0x40000000, 3) == 0, "kept events");

	ok = WAIT_FOR(!state_is("t1", "connected"), 5000);
	dropped = route_num("t1", "dropped");
	sent = route_num("t1", "sent");
	for (i = 0; ok && i < 80; i++)
		ok = raise_taken(fd, "t1", 0x1000) == 0;
	CHECK(ok, "event %d not taken", i);
	CHECK(route_num("t1", "queued") == 64, "queued %lld", route_num("t1", "queued"));
	CHECK(route_num("t1", "dropped") == dropped + 16, "dropped %lld -> %lld", dropped,
	      route_num("t1", "dropped"));
	CHECK(route_num("t1", "sent") == sent, "sent %lld -> %lld", sent, route_num("t1", "sent"));
	close(fd);
	remove_route("t1");
	return 0;
}

/*
 * A collector that never accepts (its queue full, as uid 65534): the
 * route's connection attempts must not hold up the device. Unbinding the
 * device and reading the route's counters stay prompt.
 */
static int test_route_tcp_never_accepts(void)
{
	long long t0, unbind_ms, read_ms;
	char bdf[32], c;
	int fd, p[2], st;
	pid_t pid;

	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "bdf");
	CHECK(pipe(p) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(5604),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		int l, i;

		if (setgid(65534) || setuid(65534))
			_exit(1);
		l = socket(AF_INET, SOCK_STREAM, 0);
		if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 0))
			_exit(1);
		/* Fill the accept queue itself; then never accept. */
		for (i = 0; i < 4; i++) {
			int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

			connect(s, (struct sockaddr *)&a, sizeof(a));
		}
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1, "listener");
	close(p[0]);
	CHECK(make_route("t2", "tcp", "127.0.0.1:5604", "0") == 0, "route");
	fd = edu_open_dev("edu0", O_RDWR);
	CHECK(fd >= 0, "open");
	CHECK(raise_irq(fd, 0x2000) == 0 && raise_irq(fd, 0x4000) == 0, "raise");
	close(fd);
	CHECK(WAIT_FOR(state_is("t2", "connecting") || route_num("t2", "last_error"), 5000),
	      "the route never tried");

	t0 = now_ms();
	CHECK(route_num("t2", "sent") >= 0, "sent");
	read_ms = now_ms() - t0;
	t0 = now_ms();
	st = driver_ctl("unbind", bdf);
	unbind_ms = now_ms() - t0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	remove_route("t2");
	driver_ctl("bind", bdf);
	CHECK(st == 0, "unbind: %s", strerror(-st));
	CHECK(read_ms < 1000, "reading sent took %lld ms", read_ms);
	CHECK(unbind_ms < 3000, "unbind took %lld ms", unbind_ms);
	CHECK(WAIT_FOR(access("/dev/edu0", F_OK) == 0, 5000), "edu0 back");
	return 0;
}

/* The helper's log: written by edu-upcall under /run, never /tmp. */
#define UPCALL_LOG "/run/edu-upcall.log"

static int install_script(const char *path, const char *text)
{
	int ret = write_file(path, text, strlen(text));

	return ret ? ret : chmod(path, 0755) ? -errno : 0;
}

static int test_route_upcall(void)
{
	char buf[4096];
	int fd = edu_open_dev("edu1", O_RDWR), found;

	CHECK(fd >= 0, "open");
	unlink(UPCALL_LOG);
	mkdir("/etc/edu-upcall.d", 0755);
	CHECK(install_script("/etc/edu-upcall.d/run",
			     "#!/bin/sh\necho \"$@\" >/tmp/edu-upcall.cmd\nexit 3\n") == 0,
	      "user command");
	CHECK(make_route("up1", "upcall", NULL, "1") == 0, "route");
	CHECK(raise_irq(fd, 0x4000) == 0, "raise");
	/* The helper has finished once its route counts it as sent. */
	found = WAIT_FOR(route_num("up1", "sent") == 1, 5000);
	remove_route("up1");
	unlink("/etc/edu-upcall.d/run");
	close(fd);
	CHECK(found, "helper never finished");
	CHECK(!read_text(UPCALL_LOG, buf, sizeof(buf)) &&
	      !strncmp(buf, "event device=1 type=1 status=0x00004000 seq=", 44), "argv: %s",
	      buf);
	CHECK(!read_text("/tmp/edu-upcall.cmd", buf, sizeof(buf)) &&
	      strstr(buf, "status=0x00004000"), "user command: %s", buf);
	return 0;
}

/* The helper's exit status is recorded (3 from the user command). */
static int test_route_upcall_status(void)
{
	int fd = edu_open_dev("edu1", O_RDWR), ok;

	CHECK(fd >= 0, "open");
	mkdir("/etc/edu-upcall.d", 0755);
	CHECK(install_script("/etc/edu-upcall.d/run", "#!/bin/sh\nexit 3\n") == 0, "cmd");
	CHECK(make_route("up2", "upcall", NULL, "1") == 0, "route");
	CHECK(raise_irq(fd, 0x8000) == 0, "raise");
	ok = WAIT_FOR(route_num("up2", "last_status") == 3 << 8, 5000);
	remove_route("up2");
	unlink("/etc/edu-upcall.d/run");
	close(fd);
	CHECK(ok, "last_status %lld", route_num("up2", "last_status"));
	return 0;
}

#define HELPER_SYSCTL "/proc/sys/dev/edu/upcall_helper"

/* Points the upcall routes at a script of the test's own. */
static int use_helper(const char *path, const char *text)
{
	CHECK(install_script(path, text) == 0, "install %s", path);
	CHECK(write_text(HELPER_SYSCTL, path, strlen(path)) == 0, "sysctl");
	return 0;
}

/*
 * No lock is held while a helper runs: a helper may read its own route's
 * counters (it used to wait forever for the route's lock), and disabling a
 * route whose helper hangs returns at once, the helper killed.
 */
static int test_route_upcall_unlocked(void)
{
	int fd = edu_open_dev("edu1", O_RDWR), ok;
	long long t0, ms, dropped;
	char buf[64];

	CHECK(fd >= 0, "open");
	unlink("/run/edu-sent.txt");
	CHECK(use_helper("/etc/edu-reads-route",
			 "#!/bin/sh\ncat " ROUTES "up3/sent >/run/edu-sent.txt\n") == 0,
	      "helper");
	CHECK(make_route("up3", "upcall", NULL, "1") == 0, "route");
	CHECK(raise_irq(fd, 0x10000) == 0, "raise");
	ok = WAIT_FOR(route_num("up3", "sent") == 1, 10000);
	remove_route("up3");
	CHECK(ok, "helper reading its route never finished: state %s",
	      state_is("up3", "running") ? "running" : "?");
	CHECK(!read_text("/run/edu-sent.txt", buf, sizeof(buf)) && !strcmp(buf, "0\n"),
	      "helper read '%s'", buf);

	CHECK(use_helper("/etc/edu-hangs", "#!/bin/sh\nexec sleep 60\n") == 0, "helper");
	CHECK(make_route("up4", "upcall", NULL, "1") == 0, "route");
	CHECK(raise_irq(fd, 0x10000) == 0, "raise");
	ok = WAIT_FOR(state_is("up4", "running"), 5000);
	/* A second event waits behind the running helper. */
	ok = ok && raise_irq(fd, 0x20000) == 0 &&
	     WAIT_FOR(route_num("up4", "queued") == 1, 5000);
	t0 = now_ms();
	CHECK(route_num("up4", "sent") == 0, "sent while the helper runs");
	ms = now_ms() - t0;
	if (!ok || ms > 1000)
		remove_route("up4");
	CHECK(ok, "helper never started");
	CHECK(ms < 1000, "reading sent took %lld ms", ms);
	t0 = now_ms();
	ok = route_set("up4", "enable", "0") == 0;
	ms = now_ms() - t0;
	/* The killed helper's record counts once its work has seen it end. */
	WAIT_FOR((dropped = route_num("up4", "dropped")) == 2, 5000);
	remove_route("up4");
	close(fd);
	CHECK(ok, "disable");
	CHECK(dropped == 2, "dropped %lld", dropped);
	CHECK(ms < 2000, "disable took %lld ms", ms);
	return 0;
}

/* A helper that overruns dev.edu.upcall_timeout_ms is killed: ETIME. */
static int test_route_upcall_timeout(void)
{
	int fd = edu_open_dev("edu1", O_RDWR), ok;

	CHECK(fd >= 0, "open");
	CHECK(write_text("/proc/sys/dev/edu/upcall_timeout_ms", "300", 3) == 0, "sysctl");
	CHECK(use_helper("/etc/edu-hangs", "#!/bin/sh\nexec sleep 60\n") == 0, "helper");
	CHECK(make_route("up5", "upcall", NULL, "1") == 0, "route");
	CHECK(raise_irq(fd, 0x10000) == 0, "raise");
	ok = WAIT_FOR(route_num("up5", "last_error") == ETIME, 5000) &&
	     WAIT_FOR(state_is("up5", "ready"), 2000);
	remove_route("up5");
	close(fd);
	CHECK(ok, "last_error %lld", route_num("up5", "last_error"));
	return 0;
}

static int plant_fifo(void *path)
{
	return mkfifo(path, 0666) ? -1 : 0;
}

/*
 * edu-upcall writes no predictable path in a world-writable directory: a
 * FIFO that uid 65534 plants at the old /tmp path changes nothing, and
 * one at its log path (root only) makes it fail at once, not block.
 */
static int test_route_upcall_fifo(void)
{
	int fd = edu_open_dev("edu1", O_RDWR), ok;

	CHECK(fd >= 0, "open");
	unlink("/tmp/edu-upcall.log");
	unlink(UPCALL_LOG);
	CHECK(as_nobody(plant_fifo, "/tmp/edu-upcall.log") == 0, "planted");
	CHECK(as_nobody(plant_fifo, UPCALL_LOG) != 0, "uid 65534 wrote /run");
	CHECK(make_route("up6", "upcall", NULL, "1") == 0, "route");
	CHECK(raise_irq(fd, 0x10000) == 0, "raise");
	ok = WAIT_FOR(route_num("up6", "sent") == 1, 5000) &&
	     route_num("up6", "last_status") == 0;
	CHECK(ok || (remove_route("up6"), 0), "helper: sent %lld, status %lld",
	      route_num("up6", "sent"), route_num("up6", "last_status"));

	CHECK(unlink(UPCALL_LOG) == 0 && mkfifo(UPCALL_LOG, 0600) == 0, "root's FIFO");
	CHECK(raise_irq(fd, 0x10000) == 0, "raise");
	ok = WAIT_FOR(route_num("up6", "sent") == 2, 5000) &&
	     route_num("up6", "last_status") == 1 << 8;
	remove_route("up6");
	unlink(UPCALL_LOG);
	unlink("/tmp/edu-upcall.log");
	close(fd);
	CHECK(ok, "helper on a FIFO: sent %lld, status %lld", route_num("up6", "sent"),
	      route_num("up6", "last_status"));
	return 0;
}

/*
 * A helper may disable its own route: disabling waits for nothing, so the
 * helper is not left waiting for itself.
 */
static int test_route_helper_disables_route(void)
{
	int fd = edu_open_dev("edu1", O_RDWR), ok;
	char val[16];

	CHECK(fd >= 0, "open");
	CHECK(use_helper("/etc/edu-disables",
			 "#!/bin/sh\necho 0 > " ROUTES "up7/enable\n") == 0, "helper");
	CHECK(make_route("up7", "upcall", NULL, "1") == 0, "route");
	CHECK(raise_irq(fd, 0x10000) == 0, "raise");
	ok = WAIT_FOR(!get_text("up7", "enable", val, sizeof(val)) && !strcmp(val, "0"),
		      5000);
	close(fd);
	CHECK(ok, "the route is still enabled");
	CHECK(rmdir(ROUTES "up7") == 0, "rmdir: %s", strerror(errno));
	return 0;
}

/* Enable and disable at once, from two processes, while events flow. */
static int test_route_enable_race(void)
{
	int fd = edu_open_dev("edu0", O_RDWR), st, i, bad = 0;
	pid_t pid[2];

	CHECK(fd >= 0, "open");
	CHECK(make_route("r1", "udp", "127.0.0.1:5605", "0") == 0, "route");
	fflush(stdout);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			int n;

			for (n = 0; n < 300; n++)
				route_set("r1", "enable", i ? "1" : "0");
			_exit(0);
		}
	}
	for (i = 0; i < 200; i++)
		raise_irq(fd, 0x400);
	for (i = 0; i < 2; i++)
		bad |= waitpid(pid[i], &st, 0) != pid[i] || !WIFEXITED(st);
	CHECK(!bad, "togglers");
	/* Whatever won, the route is consistent: it can be enabled and used. */
	CHECK(route_set("r1", "enable", "1") == 0, "enable");
	CHECK(raise_taken(fd, "r1", 0x400) == 0, "event after the race");
	CHECK(state_is("r1", "ready"), "state");
	close(fd);
	remove_route("r1");
	return 0;
}

/*
 * A route's filters filter: device 0 and interrupts only (event_mask 0x2)
 * let edu0's interrupt through, not edu1's, and not a firmware event. A
 * witness route that takes everything shows when each event has been
 * handed to the routes (one pass over all of them per event).
 */
static int test_route_filters(void)
{
	int fd0 = edu_open_dev("edu0", O_RDWR), fd1 = edu_open_dev("edu1", O_RDWR), st, ok;
	char buf[4096];
	pid_t pid;

	CHECK(fd0 >= 0 && fd1 >= 0, "open");
	CHECK(mkdir(ROUTES "f1", 0755) == 0, "mkdir");
	CHECK(route_set("f1", "type", "udp") == 0 && route_set("f1", "dest", "127.0.0.1:5606") == 0 &&
	      route_set("f1", "device", "0") == 0 && route_set("f1", "event_mask", "0x2") == 0 &&
	      route_set("f1", "enable", "1") == 0, "configure");
	CHECK(make_route("w1", "udp", "127.0.0.1:5607", "-1") == 0, "witness");

	CHECK(raise_irq(fd1, 0x100000) == 0, "edu1");
	ok = WAIT_FOR(route_num("w1", "sent") == 1, 5000);
	/* A firmware event on edu0: an upload cancelled. */
	ok = ok && write_text("/sys/class/edu/edu0/firmware_upload", "1", 1) == 0 &&
	     WAIT_FOR(!access("/sys/class/firmware/edu-upload-edu0/loading", F_OK), 5000) &&
	     write_text("/sys/class/firmware/edu-upload-edu0/loading", "-1", 2) == 0 &&
	     WAIT_FOR(route_num("w1", "sent") == 2, 5000);
	CHECK(ok || (remove_route("f1"), remove_route("w1"), 0), "witness: %lld",
	      route_num("w1", "sent"));
	ok = route_num("f1", "sent") == 0 && route_num("f1", "dropped") == 0;
	CHECK(ok || (remove_route("f1"), remove_route("w1"), 0),
	      "filtered events got through: sent %lld", route_num("f1", "sent"));

	pid = start_listener("--udp 5606 -n 1 --timeout 10", "/tmp/filter.out");
	ok = WAIT_FOR(port_bound(5606, 0), 5000) && raise_irq(fd0, 0x200000) == 0 &&
	     waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st);
	close(fd0);
	close(fd1);
	remove_route("f1");
	remove_route("w1");
	CHECK(ok, "collector never got edu0's event");
	CHECK(read_text("/tmp/filter.out", buf, sizeof(buf)) == 0 &&
	      strstr(buf, "status 0x00200000"), "collector got: %s", buf);
	return 0;
}

/* A route holds the module; a missing helper is an error the route reports. */
static int test_route_holds_module_and_reports(void)
{
	int fd = edu_open_dev("edu1", O_RDWR), ok, ret;

	CHECK(fd >= 0, "open");
	CHECK(write_text(HELPER_SYSCTL, "/nonexistent/helper", 19) == 0, "sysctl");
	CHECK(make_route("m1", "upcall", NULL, "1") == 0, "route");
	CHECK(raise_irq(fd, 0x10000) == 0, "raise");
	ok = WAIT_FOR(route_num("m1", "last_error") == ENOENT, 5000) &&
	     route_num("m1", "dropped") == 1;
	close(fd);
	ret = syscall(SYS_delete_module, "edu", O_NONBLOCK) ? -errno : 0;
	remove_route("m1");
	CHECK(ok, "last_error %lld dropped %lld", route_num("m1", "last_error"),
	      route_num("m1", "dropped"));
	CHECK(ret == -EWOULDBLOCK, "unload with a route: %d", ret);
	return 0;
}

/* routes_allow_remote opens non-loopback destinations (configured only: no traffic). */
static int test_route_allow_remote(void)
{
	int ret;

	CHECK(mkdir(ROUTES "a1", 0755) == 0, "mkdir");
	ret = route_set("a1", "dest", "10.0.0.1:5000");
	if (!ret || write_text("/proc/sys/dev/edu/routes_allow_remote", "1", 1) == 0)
		ret = ret ? route_set("a1", "dest", "10.0.0.1:5000") : -1;
	rmdir(ROUTES "a1");
	CHECK(ret == 0, "remote destination with the sysctl: %d", ret);
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
	/* Once events flow through the route, it goes. */
	WAIT_FOR(route_num("s1", "sent") + route_num("s1", "dropped") > 0, 5000);
	CHECK(rmdir(ROUTES "s1") == 0, "rmdir: %s", strerror(errno));
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "streamer");
	CHECK(access(ROUTES "s1", F_OK) != 0, "route still there");
	CHECK(write_text("/sys/class/edu/edu0/factorial", "3", 1) == 0, "device works");
	return 0;
}

#define RL_EVENTS	50
#define RL_PER_SEC	20	/* docs/routes.md: helpers per second per route */
#define RL_GO		"/run/edu-rl-go"

/* Lines of the helper's log that name our events. */
static int rl_log_lines(int *bad)
{
	char buf[16384], *line, *save;
	int n = 0;

	*bad = 0;
	if (read_text(UPCALL_LOG, buf, sizeof(buf)))
		return 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		n++;
		if (strncmp(line, "event device=1 type=1 status=0x00040000 seq=", 44))
			(*bad)++;
	}
	return n;
}

/*
 * Polled: notes when (at the latest) 1 + RL_PER_SEC helpers had run; true
 * once every event is handled.
 */
static int rl_progress(long long *t_full)
{
	long long sent = route_num("rl", "sent");

	if (*t_full < 0 && sent >= 1 + RL_PER_SEC)
		*t_full = now_ms();
	return sent + route_num("rl", "dropped") == RL_EVENTS && state_is("rl", "ready");
}

/*
 * The upcall rate limit (docs/routes.md): at most 20 helpers per second per
 * route, more dropped and counted. The first helper (edu-upcall, whose
 * user command removes itself and then waits to be released) holds the
 * route while RL_EVENTS - 1 more events queue, each seen in queued. It is
 * released once its rate window is over (1 s after it started: the rule's
 * own period, not a guess), so the queued events meet a fresh window. Then,
 * whatever the helpers' speed: the first 20 of them run; no more than 20
 * per window that can begin between release and the end; every event is a
 * helper that ran (sent, one log line each) or dropped, none failed. If 20
 * helpers ran within 800 ms of the release (surely in one window), the
 * next event met a full window: something must have been dropped. (On a
 * slow kernel helpers may run below the limit: then nothing need be.)
 */
static int test_route_upcall_rate_limit(void)
{
	int fd = edu_open_dev("edu1", O_RDWR), ok, i, lines, bad, windows;
	long long t_run, t_rel, t_done, t_full, sent, dropped, queued;

	CHECK(fd >= 0, "open");
	unlink(UPCALL_LOG);
	unlink(RL_GO);
	mkdir("/etc/edu-upcall.d", 0755);
	CHECK(install_script("/etc/edu-upcall.d/run",
			     "#!/bin/sh\nrm -f /etc/edu-upcall.d/run\ni=0\n"
			     "while [ ! -e " RL_GO " ] && [ $i -lt 2000 ]; do\n"
			     "\tsleep 0.01\n\ti=$((i + 1))\ndone\n") == 0, "user command");
	CHECK(write_text("/proc/sys/dev/edu/upcall_timeout_ms", "30000", 5) == 0, "sysctl");
	CHECK(make_route("rl", "upcall", NULL, "1") == 0, "route");
	ok = raise_irq(fd, 0x40000) == 0 && WAIT_FOR(state_is("rl", "running"), 5000);
	t_run = now_ms();
	for (i = 1; ok && i < RL_EVENTS; i++)
		ok = raise_irq(fd, 0x40000) == 0 && WAIT_FOR(route_num("rl", "queued") == i, 5000);
	queued = route_num("rl", "queued");
	sent = route_num("rl", "sent");
	dropped = route_num("rl", "dropped");
	/* Past the first helper's window, then release it. */
	while (now_ms() < t_run + 1100)
		usleep(10000);
	t_rel = now_ms();
	write_file(RL_GO, "", 0);
	t_full = -1;
	ok = ok && WAIT_FOR(rl_progress(&t_full), 30000);
	t_done = now_ms();
	if (!ok || queued != RL_EVENTS - 1 || sent || dropped)
		remove_route("rl");
	CHECK(queued == RL_EVENTS - 1 && !sent && !dropped,
	      "behind the first helper: queued %lld sent %lld dropped %lld", queued, sent,
	      dropped);
	CHECK(ok, "not all handled: sent %lld dropped %lld queued %lld state ok %d",
	      route_num("rl", "sent"), route_num("rl", "dropped"), route_num("rl", "queued"),
	      state_is("rl", "ready"));
	sent = route_num("rl", "sent");
	dropped = route_num("rl", "dropped");
	queued = route_num("rl", "last_error");
	remove_route("rl");
	unlink("/etc/edu-upcall.d/run");
	unlink(RL_GO);
	close(fd);
	lines = rl_log_lines(&bad);
	windows = 1 + (t_done - t_rel) / 1000;
	diag("route_upcall_rate_limit: %lld sent, %lld dropped in %lld ms after the release; "
	     "%d helpers after %lld ms", sent, dropped, t_done - t_rel, 1 + RL_PER_SEC,
	     t_full - t_rel);
	CHECK(queued == 0, "last_error %lld: a helper failed", queued);
	CHECK(sent + dropped == RL_EVENTS, "sent %lld + dropped %lld != %d", sent, dropped,
	      RL_EVENTS);
	CHECK(lines == sent && !bad, "%d helper runs logged (%d foreign), sent %lld", lines,
	      bad, sent);
	CHECK(sent >= 1 + RL_PER_SEC, "only %lld helpers ran: a fresh window allows %d", sent,
	      RL_PER_SEC);
	CHECK(sent - 1 <= RL_PER_SEC * windows, "%lld helpers in %lld ms: over %d a second",
	      sent - 1, t_done - t_rel, RL_PER_SEC);
	CHECK(dropped > 0 || t_full < 0 || t_full - t_rel >= 800,
	      "nothing dropped: %d helpers ran %lld ms after the release", 1 + RL_PER_SEC,
	      t_full - t_rel);
	return 0;
}

const struct test_case route_tests[] = {
	TEST(route_udp),
	TEST(route_bad_values),
	TEST(route_tcp_restart),
	TEST(route_tcp_never_accepts),
	TEST(route_upcall),
	TEST(route_upcall_status),
	TEST(route_upcall_unlocked),
	TEST(route_upcall_timeout),
	TEST(route_upcall_fifo),
	TEST(route_helper_disables_route),
	TEST(route_enable_race),
	TEST(route_filters),
	TEST(route_holds_module_and_reports),
	TEST(route_allow_remote),
	TEST(route_rmdir_streaming),
	TEST(route_upcall_rate_limit),
	TEST_END
};
