// SPDX-License-Identifier: GPL-2.0
/*
 * One device's events through any of its channels. Every mechanism but
 * the blocking read is a doorbell: it says "something came", and the
 * records are then read (or taken from the ring) without blocking, all
 * there are, since one wake-up may stand for several events.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "eductl.h"
#include "evsrc.h"

const char *const evsrc_names[BY_NONE] = {
	"read", "poll", "epoll", "signal", "sigio", "eventfd", "ring",
};

#define SIG_EVENT	SIGRTMIN	/* EDU_IOC_SET_SIGNAL's */

enum evsrc_how evsrc_parse(const char *name)
{
	int i;

	for (i = 0; i < BY_NONE; i++)
		if (!strcmp(name, evsrc_names[i]))
			return i;
	return BY_NONE;
}

static int block(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigprocmask(SIG_BLOCK, &set, NULL) ? -errno : 0;
}

/* The fasync subscription: SIGIO to us on every event (and at removal). */
static int setup_sigio(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (block(SIGIO) || fcntl(fd, F_SETOWN, getpid()) ||
	    fcntl(fd, F_SETFL, fl | O_ASYNC))
		return -errno;
	return 0;
}

static int setup(struct evsrc *s, unsigned int entries)
{
	struct epoll_event ee = { .events = EPOLLIN, .data.fd = s->fd };
	struct edu_eventfd reg = { .classes = EDU_EVFD_ALL };
	struct edu_signal sig = { .signo = SIG_EVENT };
	int ret;

	switch (s->how) {
	case BY_EPOLL:
		s->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (s->epfd < 0 || epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->fd, &ee))
			return -errno;
		return 0;
	case BY_SIGNAL:
		if (block(SIG_EVENT) || ioctl(s->fd, EDU_IOC_SET_SIGNAL, &sig))
			return -errno;
		return 0;
	case BY_SIGIO:
		return setup_sigio(s->fd);
	case BY_EVENTFD:
		s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		reg.fd = s->efd;
		if (s->efd < 0 || ioctl(s->fd, EDU_IOC_SET_EVENTFD, &reg))
			return -errno;
		return 0;
	case BY_RING:
		ret = edu_ring_open(s->fd, entries, &s->ring);
		s->have_ring = !ret;
		return ret;
	default:
		return 0;
	}
}

int evsrc_open(struct evsrc *s, const char *name, enum evsrc_how how,
	       unsigned int entries)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->how = how;
	s->epfd = s->efd = -1;
	/* Read-only: watching needs no privilege. Only BY_READ blocks. */
	s->fd = edu_open_dev(name, O_RDONLY | (how == BY_READ ? 0 : O_NONBLOCK));
	if (s->fd < 0)
		return s->fd;
	ret = setup(s, entries);
	if (ret)
		evsrc_close(s);
	return ret;
}

void evsrc_close(struct evsrc *s)
{
	/* edu_ring_close() unmaps; the file is ours to close either way. */
	if (s->have_ring)
		edu_ring_close(&s->ring);
	if (s->fd >= 0)
		close(s->fd);
	if (s->epfd >= 0)
		close(s->epfd);
	if (s->efd >= 0)
		close(s->efd);
	s->fd = -1;
}

/* Takes what is queued without waiting: records fetched, or -errno. */
static int fetch(struct evsrc *s)
{
	ssize_t n;

	s->next = s->nbatch = 0;
	if (s->how == BY_RING) {
		n = edu_ring_consume(&s->ring, s->batch, 32);
		if (n == 0 && edu_ring_dead(&s->ring))
			return -ENODEV;
	} else {
		n = read(s->fd, s->batch, sizeof(s->batch));
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (n % sizeof(s->batch[0]))
			return -EIO;
		n /= sizeof(s->batch[0]);
	}
	s->nbatch = n < 0 ? 0 : n;
	return n;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A blocking read with a limit: SIGALRM (no SA_RESTART) interrupts it. The
 * timer repeats, so a signal that lands just before read(2) is not the last.
 */
static int read_blocking(struct evsrc *s, int ms)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 50000 }, { ms / 1000, (ms % 1000) * 1000 + 1 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	int ret;

	if (ms < 0)
		return fetch(s);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	ret = fetch(s);
	setitimer(ITIMER_REAL, &off, NULL);
	return ret;
}

/*
 * Waits for sig, a second at a time: the driver sends no signal when the
 * device goes, but the file then polls POLLERR | POLLHUP, and the fetch
 * that follows a "rung" answer gets ENODEV.
 */
static int wait_sig(const struct evsrc *s, int sig, int ms)
{
	struct pollfd pf = { .fd = s->fd, .events = POLLIN };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	for (;;) {
		int slice = ms < 0 || ms > 1000 ? 1000 : ms;
		struct timespec ts = { slice / 1000, (slice % 1000) * 1000000L };

		if (sigtimedwait(&set, NULL, &ts) >= 0)
			return 1;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		if (poll(&pf, 1, 0) == 1 && pf.revents & (POLLERR | POLLHUP))
			return 1;
		if (ms >= 0 && (ms -= slice) <= 0)
			return 0;
	}
}

/* Waits for the doorbell: 1 rung, 0 timeout, -errno (-ENODEV: gone). */
static int wait_bell(struct evsrc *s, int ms)
{
	struct pollfd pf = { .fd = s->how == BY_EVENTFD ? s->efd : s->fd,
			     .events = POLLIN };
	struct epoll_event ee;
	uint64_t cnt;
	int n;

	switch (s->how) {
	case BY_SIGNAL:
		return wait_sig(s, SIG_EVENT, ms);
	case BY_SIGIO:
		return wait_sig(s, SIGIO, ms);
	case BY_EPOLL:
		n = epoll_wait(s->epfd, &ee, 1, ms);
		if (n > 0 && (ee.events & (EPOLLERR | EPOLLHUP)))
			return -ENODEV;
		return n < 0 ? (errno == EINTR ? 0 : -errno) : n;
	default:
		n = poll(&pf, 1, ms);
		if (n < 0)
			return errno == EINTR ? 0 : -errno;
		if (n > 0 && (pf.revents & (POLLERR | POLLHUP)))
			return -ENODEV;
		if (n > 0 && s->how == BY_EVENTFD &&
		    read(s->efd, &cnt, sizeof(cnt)) != sizeof(cnt))
			return -errno;
		return n;
	}
}

int evsrc_next(struct evsrc *s, struct edu_event *ev, int ms)
{
	long long deadline = ms < 0 ? 0 : mono_ms() + ms;
	int ret;

	while (s->next >= s->nbatch) {
		ret = s->how == BY_READ ? read_blocking(s, ms_left(deadline)) : fetch(s);
		if (ret < 0)
			return ret;
		if (ret > 0)
			break;
		if (deadline && !ms_left(deadline))
			return 0;
		if (s->how == BY_READ)
			continue;
		ret = wait_bell(s, ms_left(deadline));
		if (ret < 0)
			return ret;
		/* The bell never rang: a timeout, even if records sit there. */
		if (ret == 0 && deadline && !ms_left(deadline))
			return 0;
	}
	*ev = s->batch[s->next++];
	return 1;
}
