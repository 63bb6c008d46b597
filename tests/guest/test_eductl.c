// SPDX-License-Identifier: GPL-2.0
/*
 * eductl by the conventions of ip, iw, pcitest: per-command help and
 * --version, -j output that parses as JSON (checked with json-c: the guest
 * has no JSON tools), exit 3 only for a failed device lookup, and the
 * commands for every channel: factorial --via, irq test, route, proc,
 * watch --sigio and --sysfs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "tests.h"
#include "util.h"

/*
 * "eductl -j ARGS" with stdout only (stderr dropped): the exit status in
 * *st and the parsed document (first line for JSON Lines), or NULL.
 */
static struct json_object *run_json(const char *args, int *st, char *out, size_t len)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "(eductl -j %s 2>/dev/null)", args);
	*st = run_cmd(cmd, out, len);
	return json_tokener_parse(out);
}

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

/* An integer member, or -1 if missing or not an integer. */
static long long int_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return -1;
	return json_object_get_int64(v);
}

static int test_eductl_help_version(void)
{
	static const char *const helps[] = {
		"factorial --help", "watch -h", "dma write --help", "route add --help",
		"irq test --help", "nl stats -h", "monitor --help", "listen -h",
		"proc --help", "stats -h", "firmware load --help", "help route",
		"help factorial",
	};
	char out[4096], cmd[64];
	size_t i;

	for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
		snprintf(cmd, sizeof(cmd), "eductl %s", helps[i]);
		CHECK(run_cmd(cmd, out, sizeof(out)) == 0, "%s: %s", cmd, out);
		CHECK(strstr(out, "Usage: eductl"), "%s: %s", cmd, out);
	}
	CHECK(run_cmd("eductl help factorial", out, sizeof(out)) == 0 &&
	      strstr(out, "--via sysfs|ioctl|netlink|uring") && !strstr(out, "dma"),
	      "help factorial: %s", out);
	CHECK(run_cmd("eductl help frobnicate", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl help", out, sizeof(out)) == 0 && strstr(out, "route") &&
	      strstr(out, "proc"), "%s", out);
	CHECK(run_cmd("eductl --version", out, sizeof(out)) == 0 &&
	      !strncmp(out, "eductl ", 7) && strchr(out, '.'), "%s", out);
	CHECK(run_cmd("eductl -V", out, sizeof(out)) == 0 && !strncmp(out, "eductl ", 7),
	      "%s", out);
	CHECK(run_cmd("eductl factorial --bogus", out, sizeof(out)) == 2, "%s", out);
	return 0;
}

/* -j on several commands: whole documents of the right shape. */
static int test_eductl_json(void)
{
	char names[MAX_EDU][16], out[8192];
	struct json_object *o, *e;
	int n = edu_names(names, MAX_EDU), st;

	CHECK(n > 0, "no devices");
	o = run_json("list", &st, out, sizeof(out));
	CHECK(st == 0 && json_object_is_type(o, json_type_array) &&
	      (int)json_object_array_length(o) == n, "list: %s", out);
	CHECK(!strcmp(str_of(json_object_array_get_idx(o, 0), "id"), "1234:11e8"),
	      "list: %s", out);
	json_object_put(o);

	o = run_json("info edu0", &st, out, sizeof(out));
	CHECK(st == 0 && json_object_is_type(o, json_type_array), "info: %s", out);
	e = json_object_array_get_idx(o, 0);
	CHECK(!strcmp(str_of(e, "identification"), "0x010000ed") &&
	      !strcmp(str_of(e, "node"), "/dev/edu0"), "info: %s", out);
	json_object_put(o);

	o = run_json("stats", &st, out, sizeof(out));
	CHECK(st == 0 && json_object_object_get_ex(o, "edu0", &e) &&
	      int_of(e, "factorials") >= 0 && int_of(e, "irqs") >= 0, "stats: %s", out);
	json_object_put(o);

	o = run_json("regs edu0", &st, out, sizeof(out));
	CHECK(st == 0 && !strcmp(str_of(o, "identification"), "0x010000ed"), "regs: %s", out);
	json_object_put(o);

	o = run_json("get", &st, out, sizeof(out));
	CHECK(st == 0 && int_of(o, "irq_timeout_ms") > 0 &&
	      !strcmp(str_of(o, "upcall_helper"), "/usr/libexec/edu/edu-upcall"), "get: %s", out);
	json_object_put(o);

	o = run_json("nl stats edu0", &st, out, sizeof(out));
	CHECK(st == 0 && int_of(o, "irqs") >= 0, "nl stats: %s", out);
	json_object_put(o);

	o = run_json("nl device", &st, out, sizeof(out));
	CHECK(st == 0 && (int)json_object_array_length(o) == n, "nl device: %s", out);
	json_object_put(o);

	CHECK(run_cmd("eductl dma write edu0 100 hello", out, sizeof(out)) == 0, "%s", out);
	o = run_json("dma read edu0 100 5", &st, out, sizeof(out));
	CHECK(st == 0 && !strcmp(str_of(o, "data"), "68656c6c6f") && int_of(o, "length") == 5,
	      "dma read: %s", out);
	json_object_put(o);

	o = run_json("firmware info edu0", &st, out, sizeof(out));
	CHECK(st == 0 && !strcmp(str_of(o, "device"), "edu0") && *str_of(o, "version"),
	      "firmware info: %s", out);
	json_object_put(o);

	/* An error prints nothing on stdout: no half document. */
	CHECK(run_cmd("(eductl -j factorial edu0 13 2>/dev/null)", out, sizeof(out)) == 1 &&
	      !out[0], "error output: '%s'", out);
	CHECK(run_cmd("(eductl -j stats edu99 2>/dev/null)", out, sizeof(out)) == 3 &&
	      !out[0], "error output: '%s'", out);
	return 0;
}

/* 3 only for a lookup; a missing file or route is a failed operation. */
static int test_eductl_exit_codes(void)
{
	char out[2048];

	CHECK(run_cmd("eductl firmware load /nonexistent.bin edu0", out, sizeof(out)) == 1,
	      "missing image: %s", out);
	CHECK(strstr(out, "No such file"), "%s", out);
	CHECK(run_cmd("eductl firmware load /nonexistent.bin edu99", out, sizeof(out)) == 3,
	      "%s", out);
	CHECK(run_cmd("eductl route del no-such-route", out, sizeof(out)) == 1, "%s", out);
	CHECK(run_cmd("eductl watch edu99 -n 1", out, sizeof(out)) == 3, "%s", out);
	CHECK(run_cmd("eductl irq test edu99", out, sizeof(out)) == 3, "%s", out);
	CHECK(run_cmd("eductl dma read edu99 0 1", out, sizeof(out)) == 3, "%s", out);
	CHECK(run_cmd("eductl factorial edu99 3 --via ioctl", out, sizeof(out)) == 3,
	      "%s", out);
	CHECK(run_cmd("eductl get no_such_key", out, sizeof(out)) == 2, "%s", out);
	return 0;
}

static int test_eductl_factorial_via(void)
{
	static const char *const vias[] = { "sysfs", "ioctl", "netlink", "uring" };
	char out[1024], cmd[96];
	struct json_object *o;
	size_t i;
	int st;

	for (i = 0; i < sizeof(vias) / sizeof(vias[0]); i++) {
		snprintf(cmd, sizeof(cmd), "eductl factorial edu0 10 --via %s", vias[i]);
		CHECK(run_cmd(cmd, out, sizeof(out)) == 0 && !strcmp(out, "3628800\n"),
		      "%s: %s", vias[i], out);
		snprintf(cmd, sizeof(cmd), "eductl factorial edu1 13 --via %s", vias[i]);
		CHECK(run_cmd(cmd, out, sizeof(out)) == 1, "%s 13: %s", vias[i], out);
		snprintf(cmd, sizeof(cmd), "factorial edu1 --via %s 7", vias[i]);
		o = run_json(cmd, &st, out, sizeof(out));
		CHECK(st == 0 && int_of(o, "result") == 5040 &&
		      !strcmp(str_of(o, "via"), vias[i]), "%s: %s", cmd, out);
		json_object_put(o);
	}
	CHECK(run_cmd("eductl factorial edu0 3 --via pigeon", out, sizeof(out)) == 2,
	      "%s", out);
	return 0;
}

/* Every interrupt exactly once, by each channel; a dropped one fails it. */
static int test_eductl_irq_test(void)
{
	static const char *const vias[] = {
		"read", "poll", "epoll", "signal", "sigio", "eventfd", "ring",
	};
	char out[2048], cmd[96];
	struct json_object *o;
	size_t i;
	int st;

	for (i = 0; i < sizeof(vias) / sizeof(vias[0]); i++) {
		snprintf(cmd, sizeof(cmd), "eductl irq test edu1 --count 20 --via %s", vias[i]);
		CHECK(run_cmd(cmd, out, sizeof(out)) == 0, "%s: %s", cmd, out);
		CHECK(strstr(out, "20 interrupts by ") &&
		      strstr(out, "20 received, 0 missed, 0 duplicate") &&
		      strstr(out, "\nOKAY"), "%s: %s", cmd, out);
	}
	o = run_json("irq test edu0 --count 5", &st, out, sizeof(out));
	CHECK(st == 0 && int_of(o, "received") == 5 && int_of(o, "latency_max_us") >= 0,
	      "json: %s", out);
	json_object_put(o);
	/* The driver forgets one interrupt: the test must see the miss. */
	CHECK(run_cmd("eductl fault edu1 drop_irqs 1", out, sizeof(out)) == 0, "%s", out);
	CHECK(run_cmd("eductl irq test edu1 --count 5", out, sizeof(out)) == 1, "%s", out);
	CHECK(strstr(out, "4 received, 1 missed") && strstr(out, "NOT OKAY"), "%s", out);
	CHECK(run_cmd("eductl irq test edu1 --count 0", out, sizeof(out)) == 2, "%s", out);
	CHECK(run_cmd("eductl irq test edu1 --via carrier", out, sizeof(out)) == 2, "%s", out);
	return 0;
}

/* Runs sh -c cmd in the background; raises on edu1 until it ends (10 s). */
static int raise_while(const char *cmd, int *st)
{
	char out[256];
	pid_t pid;
	int i;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100 && waitpid(pid, st, WNOHANG) == 0; i++) {
		run_cmd("eductl irq raise edu0 0x400000", out, sizeof(out));
		run_cmd("eductl irq raise edu1 0x400000", out, sizeof(out));
		usleep(100000);
	}
	return waitpid(pid, st, 0) == pid || i < 100 ? 0 : -1;
}

static int test_eductl_route(void)
{
	char out[4096];
	struct json_object *o, *r;
	struct stat sb;
	int st;

	CHECK(run_cmd("eductl route add et1 --type udp --dest 127.0.0.1:5621 --device edu0 "
		      "--events 0x2", out, sizeof(out)) == 0, "add: %s", out);
	CHECK(run_cmd("eductl route show et1", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, "et1 type udp dest 127.0.0.1:5621 device 0") &&
	      strstr(out, "enable 1"), "show: %s", out);
	o = run_json("route show", &st, out, sizeof(out));
	CHECK(st == 0 && json_object_object_get_ex(o, "et1", &r) &&
	      !strcmp(str_of(r, "type"), "udp") && int_of(r, "enable") == 1, "json: %s", out);
	json_object_put(o);
	/* The route delivers: the collector gets an event of edu0. */
	raise_while("eductl listen --udp 5621 -n 1 --timeout 10 >/tmp/et1.out 2>&1", &st);
	CHECK(read_text("/tmp/et1.out", out, sizeof(out)) == 0, "no output");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && strstr(out, "edu0 seq "),
	      "listen %#x: %s", st, out);
	/* A refused value undoes the whole route. */
	CHECK(run_cmd("eductl route add et2 --type udp --dest localhost", out,
		      sizeof(out)) == 1 && strstr(out, "dest"), "%s", out);
	CHECK(stat("/sys/kernel/config/edu/routes/et2", &sb) && errno == ENOENT,
	      "et2 left behind");
	CHECK(run_cmd("eductl route add et3", out, sizeof(out)) == 2, "no type: %s", out);
	CHECK(run_cmd("eductl route del et1", out, sizeof(out)) == 0, "del: %s", out);
	CHECK(run_cmd("eductl route del et1", out, sizeof(out)) == 1, "del again: %s", out);
	CHECK(run_cmd("eductl route show et1", out, sizeof(out)) == 1, "%s", out);
	return 0;
}

static int test_eductl_proc(void)
{
	char names[MAX_EDU][16], out[4096], raw[4096];
	struct json_object *o, *e;
	int n = edu_names(names, MAX_EDU), st, i;

	CHECK(read_text("/proc/driver/edu", raw, sizeof(raw)) == 0, "procfs");
	CHECK(run_cmd("eductl proc", out, sizeof(out)) == 0, "%s", out);
	CHECK(!strncmp(out, "name", 4) && strstr(out, "open_files"), "%s", out);
	for (i = 0; i < n; i++)
		CHECK(strstr(out, names[i]), "%s missing: %s", names[i], out);
	o = run_json("proc", &st, out, sizeof(out));
	CHECK(st == 0 && (int)json_object_array_length(o) == n, "json: %s", out);
	e = json_object_array_get_idx(o, 0);
	CHECK(!strncmp(str_of(e, "name"), "edu", 3) && int_of(e, "irqs") >= 0 &&
	      *str_of(e, "pci") && *str_of(e, "mode"), "json: %s", out);
	json_object_put(o);
	return 0;
}

/* watch --sigio and --sysfs, text and -j, see an interrupt raised meanwhile. */
static int watch_sees(const char *args, const char *want)
{
	char cmd[160], out[2048];
	struct json_object *o;
	int st;

	snprintf(cmd, sizeof(cmd), "eductl %s -n 1 --timeout 10 >/tmp/ew.out 2>/dev/null",
		 args);
	CHECK(raise_while(cmd, &st) == 0, "%s: did not end", args);
	CHECK(read_text("/tmp/ew.out", out, sizeof(out)) == 0, "no output");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: %#x: %s", args, st, out);
	CHECK(strstr(out, want), "%s: no '%s' in %s", args, want, out);
	if (strncmp(args, "-j", 2))
		return 0;
	o = json_tokener_parse(out);
	CHECK(o && !strncmp(str_of(o, "device"), "edu", 3), "%s: %s", args, out);
	json_object_put(o);
	return 0;
}

static int test_eductl_watch_channels(void)
{
	unsigned long long before, after;
	char out[1024];

	CHECK(watch_sees("watch edu1 --sigio", "type interrupt status 0x00400000 value 0 time ")
	      == 0, "sigio");
	/* sysfs: the value after the wake-up, so past the one before it. */
	CHECK(read_text("/sys/class/edu/edu1/stats/irqs", out, sizeof(out)) == 0 &&
	      sscanf(out, "%llu", &before) == 1, "stats/irqs");
	CHECK(watch_sees("watch edu1 --sysfs", "edu1 irqs ") == 0, "sysfs");
	CHECK(read_text("/tmp/ew.out", out, sizeof(out)) == 0 &&
	      sscanf(out, "edu1 irqs %llu", &after) == 1 && after > before,
	      "irqs %llu before: %s", before, out);
	CHECK(watch_sees("-j watch edu1 --sigio", "\"status\": 4194304") == 0, "json");
	CHECK(watch_sees("-j watch edu1 --sysfs", "\"irqs\": ") == 0, "json sysfs");
	CHECK(watch_sees("-j watch edu1 --read", "\"type\": \"interrupt\"") == 0, "read");
	CHECK(watch_sees("-j monitor", "\"type\": \"interrupt\"") == 0, "monitor");
	CHECK(run_cmd("eductl watch edu1 --sysfs -n 1 --timeout 1", out, sizeof(out)) == 1,
	      "%s", out);
	return 0;
}

/* pid has /dev/eduN open: 1 or 0. */
static int has_open(pid_t pid, const char *node)
{
	char dir[64], path[320], target[64];
	struct dirent *d;
	int found = 0;
	DIR *fds;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	fds = opendir(dir);
	if (!fds)
		return 0;
	while (!found && (d = readdir(fds))) {
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		found = n > 0 && (target[n] = '\0', !strcmp(target, node));
	}
	closedir(fds);
	return found;
}

/*
 * A watcher with no timeout ends when its device goes, whatever it waits
 * in: the driver sends no signal at removal, so the signal waiters must
 * look at the file too. Exit 1 (the device vanished after the lookup).
 */
static int test_eductl_watch_removal(void)
{
	static const char *const modes[] = { "--signal", "--sigio", "--poll" };
	char bdf[32];
	unsigned int i;

	CHECK(bdf_of("edu1", bdf, sizeof(bdf)) == 0, "bdf");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		int st = -1, null = open("/dev/null", O_WRONLY);
		pid_t pid = fork();

		CHECK(pid >= 0 && null >= 0, "fork");
		if (!pid) {
			dup2(null, 1);
			dup2(null, 2);
			execlp("eductl", "eductl", "watch", "edu1", modes[i], (char *)NULL);
			_exit(127);
		}
		close(null);
		if (!WAIT_FOR(has_open(pid, "/dev/edu1"), 5000) ||
		    driver_ctl("unbind", bdf) ||
		    !WAIT_FOR(waitpid(pid, &st, WNOHANG) == pid, 5000)) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			driver_ctl("bind", bdf);
			CHECK(0, "%s: watcher did not end with its device (status %#x)", modes[i],
			      st);
		}
		CHECK(driver_ctl("bind", bdf) == 0, "bind");
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1, "%s: status %#x", modes[i], st);
		CHECK(WAIT_FOR(access("/dev/edu1", F_OK) == 0, 5000), "edu1 back");
	}
	return 0;
}

/* --debug dumps the netlink messages on stderr; stdout stays the output. */
static int test_eductl_debug(void)
{
	struct json_object *o;
	char out[16384];
	int st;

	CHECK(run_cmd("eductl --debug nl device edu0", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, "BEGIN NETLINK MESSAGE") && strstr(out, "edu0 pci "), "%.2000s", out);
	CHECK(run_cmd("(eductl --debug nl device edu0 2>/dev/null)", out, sizeof(out)) == 0 &&
	      !strstr(out, "NETLINK"), "stdout: %s", out);
	o = run_json("--debug nl device edu0", &st, out, sizeof(out));
	CHECK(st == 0 && json_object_array_length(o) == 1, "json: %s", out);
	json_object_put(o);
	return 0;
}

const struct test_case eductl_tests[] = {
	TEST(eductl_help_version),
	TEST(eductl_json),
	TEST(eductl_exit_codes),
	TEST(eductl_factorial_via),
	TEST(eductl_irq_test),
	TEST(eductl_route),
	TEST(eductl_proc),
	TEST(eductl_watch_channels),
	TEST(eductl_debug),
	TEST(eductl_watch_removal),
	TEST_END
};
