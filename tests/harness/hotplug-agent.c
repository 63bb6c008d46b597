// SPDX-License-Identifier: GPL-2.0
/*
 * hotplug-agent: the host half of the suite's PCI hot-unplug. The guest
 * asks on its third serial port (a unix socket here); the agent does it
 * through QEMU's QMP socket, as an operator pulling a card would:
 *
 *   ping                  -> "ok pong"
 *   unplug DDDD:BB:SS.F   -> device_del, then the DEVICE_DELETED event
 *                            (the guest has let the device go) -> "ok ID"
 *   plug DDDD:BB:SS.F     -> device_add of the same device on the same root
 *                            port -> "ok ID"
 *   restore               -> plug whatever is still unplugged -> "ok N"
 *
 * Any failure answers "error WHY". The agent ends when QEMU closes the
 * sockets. It logs every step with the time, for the lane's log.
 *
 * Usage: hotplug-agent CONTROL_SOCKET QMP_SOCKET
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#define CONNECT_SECONDS 60
/*
 * The guest's removal must finish by then; the debug kernel takes about
 * 4 s. One request: an operator's second press would hide a guest that
 * missed the first (as when the driver's work starved the CPU's workqueue
 * pool, and ACPI's notification with it).
 */
#define UNPLUG_SECONDS 30
#define QMP_SECONDS 10
#define MAX_UNPLUGGED 16

struct line_reader {
	int fd;
	char buf[65536];
	size_t len;
};

/* A device the agent removed, to put back as it was. */
struct unplugged {
	char bdf[32];
	char id[64];
	char bus[64];
	char driver[32];
};

static struct unplugged unplugged[MAX_UNPLUGGED];
static int nunplugged;
/* Asked for but not deleted in time: restore() puts back what went later. */
static struct unplugged late[MAX_UNPLUGGED];
static int nlate;
static struct line_reader qmp, ctl;
/* A DEVICE_DELETED that came while the agent waited for a command's return. */
static char deleted_early[64];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	static double start;
	va_list ap;

	if (!start)
		start = now();
	fprintf(stderr, "[%8.3f] ", now() - start);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	double end = now() + CONNECT_SECONDS;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	while (now() < end) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		close(fd);
		usleep(100000);	/* QEMU has not created it yet */
	}
	return -1;
}

/*
 * The next line (without its end) into out, waiting at most timeout
 * seconds (negative: for ever). 1: a line; 0: timed out; -1: EOF or error.
 */
static int read_line(struct line_reader *r, char *out, size_t len, double timeout)
{
	double end = now() + timeout;

	for (;;) {
		char *nl = memchr(r->buf, '\n', r->len);
		struct pollfd pf = { .fd = r->fd, .events = POLLIN };
		ssize_t n;
		int wait_ms;

		if (nl) {
			size_t l = nl - r->buf;

			if (l && r->buf[l - 1] == '\r')
				l--;
			snprintf(out, len, "%.*s", (int)l, r->buf);
			r->len -= nl + 1 - r->buf;
			memmove(r->buf, nl + 1, r->len);
			return 1;
		}
		if (r->len == sizeof(r->buf))
			return -1;	/* a line longer than anything QMP sends */
		wait_ms = timeout < 0 ? -1 : (int)((end - now()) * 1000);
		if (timeout >= 0 && wait_ms <= 0)
			return 0;
		n = poll(&pf, 1, wait_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			return 0;
		n = read(r->fd, r->buf + r->len, sizeof(r->buf) - r->len);
		if (n <= 0)
			return -1;
		r->len += n;
	}
}

static int send_all(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= n;
	}
	return 0;
}

/* The next QMP message, parsed; NULL on timeout or EOF. */
static json_object *qmp_next(double timeout)
{
	static char line[65536];
	json_object *msg;

	while (read_line(&qmp, line, sizeof(line), timeout) == 1) {
		msg = json_tokener_parse(line);
		if (msg)
			return msg;
		logf_("qmp: unparsable: %.200s", line);
	}
	return NULL;
}

static const char *str_at(json_object *obj, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(obj, key, &v) ? json_object_get_string(v) : NULL;
}

/*
 * Runs a QMP command and returns its "return" (to put), or NULL with why
 * in err. Events that arrive meanwhile are logged and dropped: the agent
 * only waits for DEVICE_DELETED right after a device_del.
 */
static json_object *qmp_command(const char *name, json_object *args, char *err, size_t len)
{
	json_object *cmd = json_object_new_object(), *msg, *ret;
	double end = now() + QMP_SECONDS;

	json_object_object_add(cmd, "execute", json_object_new_string(name));
	if (args)
		json_object_object_add(cmd, "arguments", args);
	if (send_all(qmp.fd, json_object_to_json_string_ext(cmd, JSON_C_TO_STRING_PLAIN)) ||
	    send_all(qmp.fd, "\n")) {
		json_object_put(cmd);
		snprintf(err, len, "qmp: cannot send %s", name);
		return NULL;
	}
	json_object_put(cmd);
	while ((msg = qmp_next(end - now()))) {
		if (json_object_object_get_ex(msg, "return", &ret)) {
			json_object_get(ret);
			json_object_put(msg);
			return ret;
		}
		if (json_object_object_get_ex(msg, "error", &ret)) {
			snprintf(err, len, "%s: %s", name, str_at(ret, "desc") ?: "error");
			json_object_put(msg);
			return NULL;
		}
		logf_("qmp: event %s", str_at(msg, "event") ?: "?");
		if (!strcmp(str_at(msg, "event") ?: "", "DEVICE_DELETED") &&
		    json_object_object_get_ex(msg, "data", &ret))
			snprintf(deleted_early, sizeof(deleted_early), "%s",
				 str_at(ret, "device") ?: "");
		json_object_put(msg);
	}
	snprintf(err, len, "%s: no answer from QEMU", name);
	return NULL;
}

/*
 * Finds the device at bus:slot.fn in query-pci's tree: its qdev id, and the
 * qdev id of the bridge (root port) it sits behind.
 */
static int find_in(json_object *devices, const char *parent, int bus, int slot, int fn,
		   struct unplugged *u)
{
	size_t i, n = json_object_array_length(devices);

	for (i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(devices, i), *v, *br, *b;

		if (json_object_object_get_ex(d, "bus", &v) && json_object_get_int(v) == bus &&
		    json_object_object_get_ex(d, "slot", &v) && json_object_get_int(v) == slot &&
		    json_object_object_get_ex(d, "function", &v) && json_object_get_int(v) == fn) {
			snprintf(u->id, sizeof(u->id), "%s", str_at(d, "qdev_id") ?: "");
			snprintf(u->bus, sizeof(u->bus), "%s", parent ?: "");
			return 0;
		}
		if (json_object_object_get_ex(d, "pci_bridge", &br) &&
		    json_object_object_get_ex(br, "devices", &b) &&
		    !find_in(b, str_at(d, "qdev_id"), bus, slot, fn, u))
			return 0;
	}
	return -1;
}

static int locate(const char *bdf, struct unplugged *u, char *err, size_t len)
{
	json_object *ret, *devices;
	unsigned int dom, bus, slot, fn;
	size_t i;
	int found = -1;

	if (sscanf(bdf, "%x:%x:%x.%x", &dom, &bus, &slot, &fn) != 4 || dom) {
		snprintf(err, len, "not a PCI address: %s", bdf);
		return -1;
	}
	ret = qmp_command("query-pci", NULL, err, len);
	if (!ret)
		return -1;
	for (i = 0; found && i < json_object_array_length(ret); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(ret, i), "devices",
					      &devices))
			found = find_in(devices, NULL, bus, slot, fn, u);
	json_object_put(ret);
	if (found || !u->id[0] || !u->bus[0]) {
		snprintf(err, len, "%s: no hot-pluggable device there", bdf);
		return -1;
	}
	snprintf(u->bdf, sizeof(u->bdf), "%04x:%02x:%02x.%x", dom, bus, slot, fn);
	snprintf(u->driver, sizeof(u->driver), "edu");
	return 0;
}

/* Sends device_del for id: 0, or -1 with why in msg. */
static int request_unplug(const char *id, char *msg, size_t len)
{
	json_object *args = json_object_new_object(), *ret;

	json_object_object_add(args, "id", json_object_new_string(id));
	ret = qmp_command("device_del", args, msg, len);
	if (!ret)
		return -1;
	json_object_put(ret);
	return 0;
}

/* Waits up to UNPLUG_SECONDS for DEVICE_DELETED of id: 1 if it came. */
static int wait_deleted(const char *id)
{
	double end = now() + UNPLUG_SECONDS;
	json_object *ev, *data;

	while (strcmp(deleted_early, id)) {
		const char *name;
		int done;

		ev = qmp_next(end - now());
		if (!ev)
			return 0;
		name = str_at(ev, "event");
		done = name && !strcmp(name, "DEVICE_DELETED") &&
		       json_object_object_get_ex(ev, "data", &data) &&
		       !strcmp(str_at(data, "device") ?: "", id);
		json_object_put(ev);
		if (done)
			return 1;
	}
	return 1;
}

static int unplug(const char *bdf, char *msg, size_t len)
{
	struct unplugged u = { 0 };

	if (nunplugged + nlate == MAX_UNPLUGGED) {
		snprintf(msg, len, "too many devices unplugged");
		return -1;
	}
	if (locate(bdf, &u, msg, len))
		return -1;
	deleted_early[0] = '\0';
	if (request_unplug(u.id, msg, len))
		return -1;
	logf_("device_del %s (%s on %s) sent", u.id, bdf, u.bus);
	if (!wait_deleted(u.id)) {
		late[nlate++] = u;
		snprintf(msg, len, "%s: no DEVICE_DELETED within %d s", u.id, UNPLUG_SECONDS);
		return -1;
	}
	unplugged[nunplugged++] = u;
	snprintf(msg, len, "%s", u.id);
	logf_("%s deleted", u.id);
	return 0;
}

static int plug_one(int i, char *msg, size_t len)
{
	struct unplugged u = unplugged[i];
	json_object *args = json_object_new_object(), *ret;

	json_object_object_add(args, "driver", json_object_new_string(u.driver));
	json_object_object_add(args, "id", json_object_new_string(u.id));
	json_object_object_add(args, "bus", json_object_new_string(u.bus));
	ret = qmp_command("device_add", args, msg, len);
	if (!ret)
		return -1;
	json_object_put(ret);
	unplugged[i] = unplugged[--nunplugged];
	snprintf(msg, len, "%s", u.id);
	logf_("device_add %s on %s", u.id, u.bus);
	return 0;
}

static int plug(const char *bdf, char *msg, size_t len)
{
	int i;

	for (i = 0; i < nunplugged; i++)
		if (!strcmp(unplugged[i].bdf, bdf))
			return plug_one(i, msg, len);
	snprintf(msg, len, "%s was not unplugged here", bdf);
	return -1;
}

static int restore(char *msg, size_t len)
{
	struct unplugged found;
	char err[256];
	int n = 0, i;

	/* A removal that ended after its test gave up: put it back too. */
	for (i = nlate - 1; i >= 0; i--)
		if (locate(late[i].bdf, &found, err, sizeof(err))) {
			logf_("%s went late", late[i].id);
			unplugged[nunplugged++] = late[i];
			late[i] = late[--nlate];
		}

	while (nunplugged) {
		if (plug_one(0, msg, len))
			return -1;
		n++;
	}
	snprintf(msg, len, "%d", n);
	return 0;
}

static void serve(void)
{
	char line[256], msg[512], reply[600];

	while (read_line(&ctl, line, sizeof(line), -1) == 1) {
		char op[16], arg[64];
		int n = sscanf(line, "%15s %63s", op, arg), ret;

		if (n < 1)
			continue;	/* the guest's tty may send an empty line */
		logf_("guest: %s", line);
		if (!strcmp(op, "ping")) {
			snprintf(msg, sizeof(msg), "pong");
			ret = 0;
		} else if (!strcmp(op, "unplug") && n == 2) {
			ret = unplug(arg, msg, sizeof(msg));
		} else if (!strcmp(op, "plug") && n == 2) {
			ret = plug(arg, msg, sizeof(msg));
		} else if (!strcmp(op, "restore")) {
			ret = restore(msg, sizeof(msg));
		} else {
			snprintf(msg, sizeof(msg), "unknown request: %.200s", line);
			ret = -1;
		}
		snprintf(reply, sizeof(reply), "%s %s\n", ret ? "error" : "ok", msg);
		logf_("reply: %.*s", (int)strlen(reply) - 1, reply);
		if (send_all(ctl.fd, reply))
			return;
	}
}

int main(int argc, char **argv)
{
	char err[256];
	json_object *ret, *greeting;

	if (argc != 3) {
		fprintf(stderr, "usage: hotplug-agent CONTROL_SOCKET QMP_SOCKET\n");
		return 2;
	}
	qmp.fd = connect_unix(argv[2]);
	if (qmp.fd < 0) {
		logf_("cannot connect to QMP at %s", argv[2]);
		return 1;
	}
	greeting = qmp_next(QMP_SECONDS);
	if (!greeting) {
		logf_("no QMP greeting");
		return 1;
	}
	json_object_put(greeting);
	ret = qmp_command("qmp_capabilities", NULL, err, sizeof(err));
	if (!ret) {
		logf_("%s", err);
		return 1;
	}
	json_object_put(ret);
	ctl.fd = connect_unix(argv[1]);
	if (ctl.fd < 0) {
		logf_("cannot connect to the guest's port at %s", argv[1]);
		return 1;
	}
	logf_("ready");
	serve();
	logf_("the guest's port closed");
	return 0;
}
