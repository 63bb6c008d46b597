// SPDX-License-Identifier: GPL-2.0
/*
 * eductl listen --udp PORT | --tcp PORT: a collector for the kernel's
 * event routes. It prints each struct edu_event it receives: one per UDP
 * datagram, or a stream of them on an accepted TCP connection (one
 * connection at a time, accepting the next when it closes).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libedu.h"
#include "eductl.h"

static int wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms);
}

/* Reads one whole record from a stream: 1, 0 at end of stream, -errno. */
static int read_record(int fd, struct edu_event *ev)
{
	size_t got = 0;

	while (got < sizeof(*ev)) {
		ssize_t n = read(fd, (char *)ev + got, sizeof(*ev) - got);

		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		got += n;
	}
	return 1;
}

static int cmd_listen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "udp", required_argument, NULL, 'u' },
		{ "tcp", required_argument, NULL, 'T' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		OPT_HELP, OPT_END
	};
	struct sockaddr_in addr = { .sin_family = AF_INET };
	unsigned int port = 0, count = 0, timeout = 0, seen = 0;
	int tcp = -1, fd, conn = -1, one = 1, ms, c;
	long long end;

	while ((c = getopt_long(argc, argv, "hn:t:", opts, NULL)) != -1) {
		unsigned int *v = c == 'u' || c == 'T' ? &port : c == 'n' ? &count :
				  c == 't' ? &timeout : NULL;

		if (!v)
			return opt_done(c);
		if (opt_uint(c == 'n' ? "-n" : c == 't' ? "--timeout" : "PORT", optarg,
			     v == &port ? 65535 : 1000000, v))
			return EXIT_USAGE;
		if (v == &port)
			tcp = c == 'T';
	}
	if (optind != argc || tcp < 0 || !port)
		return usage_error("usage: listen --udp PORT | --tcp PORT [-n N] "
				   "[--timeout S]");
	end = timeout ? mono_ms() + timeout * 1000LL : 0;

	fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		return fail(-errno, "socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    (tcp && listen(fd, 1)))
		return fail(-errno, "127.0.0.1:%u", port);
	fprintf(stderr, "eductl: listening on %s 127.0.0.1:%u\n", tcp ? "tcp" : "udp",
		port);

	while (!count || seen < count) {
		struct edu_event ev;

		ms = ms_left(end);
		if (tcp && conn < 0) {
			if (wait_readable(fd, ms) <= 0)
				break;
			conn = accept(fd, NULL, NULL);
			if (conn < 0)
				return fail(-errno, "accept");
		}
		if (wait_readable(tcp ? conn : fd, ms) <= 0)
			break;
		if (tcp) {
			if (read_record(conn, &ev) <= 0) {
				close(conn);
				conn = -1;
				continue;
			}
		} else if (recv(fd, &ev, sizeof(ev), 0) != sizeof(ev)) {
			continue;
		}
		print_event(&ev);
		seen++;
	}
	if (conn >= 0)
		close(conn);
	close(fd);
	if (count && seen < count) {
		fprintf(stderr, "eductl: %u of %u events before the timeout\n", seen, count);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

const struct eductl_cmd listen_cmds[] = {
	{ "listen", "--udp|--tcp PORT [-n N] [--timeout S]", "collect events from a kernel socket route",
	  cmd_listen },
	{ NULL, NULL, NULL, NULL }
};
