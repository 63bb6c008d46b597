// SPDX-License-Identifier: GPL-2.0
/*
 * Signals as an event channel: SIGIO through fasync (with F_SETSIG, so
 * si_fd and si_band arrive), the registration ioctl (the chosen signal to
 * the process, SI_KERNEL, the event read after it), and signals
 * interrupting a blocked read. Run in each interrupt mode.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/edu.h>

#include "tests.h"
#include "util.h"

static int wait_signal(int sig, siginfo_t *si, int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigtimedwait(&set, si, &ts) == sig ? 0 : -errno;
}

static void block(int sig, int on)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(on ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static int test_fasync_sigio(void)
{
	int sig = SIGRTMIN + 2, fd = edu_open_dev("edu0", O_RDWR | O_NONBLOCK);
	struct edu_event ev;
	siginfo_t si;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	block(sig, 1);
	CHECK(fcntl(fd, F_SETOWN, getpid()) == 0, "F_SETOWN");
	CHECK(fcntl(fd, F_SETSIG, sig) == 0, "F_SETSIG");
	CHECK(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC) == 0, "O_ASYNC");

	CHECK(raise_irq(fd, 0x20000) == 0, "raise");
	CHECK(wait_signal(sig, &si, 2000) == 0, "no signal");
	CHECK(si.si_fd == fd, "si_fd %d, fd %d", si.si_fd, fd);
	CHECK(si.si_band & POLLIN, "si_band %#lx", (long)si.si_band);
	CHECK(read(fd, &ev, sizeof(ev)) == sizeof(ev), "no event behind the signal");
	CHECK(ev.irq_status == 0x20000, "status %#x", ev.irq_status);

	/* Off again: no more signals. */
	CHECK(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_ASYNC) == 0, "clear O_ASYNC");
	CHECK(raise_irq(fd, 0x20000) == 0, "raise");
	CHECK(next_event(fd, 2000, &ev) == 0, "event");
	CHECK(wait_signal(sig, &si, 100) == -EAGAIN, "signal after O_ASYNC off");
	close(fd);
	block(sig, 0);
	return 0;
}

static int test_registered_signal(void)
{
	int sig = SIGRTMIN + 1, fd = edu_open_dev("edu1", O_RDWR), i;
	struct edu_signal reg = { .signo = sig };
	struct edu_event ev;
	siginfo_t si;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	block(sig, 1);
	CHECK(ioctl(fd, EDU_IOC_SET_SIGNAL, &reg) == 0, "register: %s", strerror(errno));
	for (i = 0; i < 3; i++) {
		CHECK(raise_irq(fd, 0x40000) == 0, "raise");
		CHECK(wait_signal(sig, &si, 2000) == 0, "no signal %d", i);
		CHECK(next_event(fd, 2000, &ev) == 0, "no event %d", i);
		CHECK(ev.irq_status == 0x40000, "status %#x", ev.irq_status);
		CHECK(si.si_code == SI_KERNEL, "si_code %d", si.si_code);
	}
	reg.signo = 0;
	CHECK(ioctl(fd, EDU_IOC_SET_SIGNAL, &reg) == 0, "unregister");
	CHECK(raise_irq(fd, 0x40000) == 0, "raise");
	CHECK(next_event(fd, 2000, &ev) == 0, "event");
	CHECK(wait_signal(sig, &si, 100) == -EAGAIN, "signal after unregister");

	reg.signo = SIGKILL;
	CHECK(ioctl(fd, EDU_IOC_SET_SIGNAL, &reg) == -1 && errno == EINVAL, "SIGKILL");
	reg.signo = 65;
	CHECK(ioctl(fd, EDU_IOC_SET_SIGNAL, &reg) == -1 && errno == EINVAL, "65");
	reg.signo = sig;
	reg.reserved = 1;
	CHECK(ioctl(fd, EDU_IOC_SET_SIGNAL, &reg) == -1 && errno == EINVAL, "reserved");
	close(fd);
	block(sig, 0);
	return 0;
}

struct sig_waiter {
	int sig;
	int got;
};

static void *wait_in_thread(void *arg)
{
	struct sig_waiter *w = arg;
	siginfo_t si;

	w->got = wait_signal(w->sig, &si, 5000) == 0;
	return NULL;
}

/*
 * The registered signal goes to the process, not to one thread: with every
 * thread blocking it, a second thread waiting for it receives it (a signal
 * sent to the main thread alone would stay pending there).
 */
static int test_registered_signal_process(void)
{
	int sig = SIGRTMIN + 4, fd = edu_open_dev("edu1", O_RDWR);
	struct edu_signal reg = { .signo = sig };
	struct sig_waiter w = { .sig = sig };
	pthread_t t;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	block(sig, 1);
	CHECK(ioctl(fd, EDU_IOC_SET_SIGNAL, &reg) == 0, "register: %s", strerror(errno));
	CHECK(pthread_create(&t, NULL, wait_in_thread, &w) == 0, "thread");
	CHECK(raise_irq(fd, 0x80000) == 0, "raise");
	pthread_join(t, NULL);
	close(fd);
	CHECK(w.got, "the other thread never got the signal");
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A blocked read returns EINTR to a handler without SA_RESTART. */
static int test_read_interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerspec its = { .it_value = { .tv_nsec = 200000000 } };
	int fd = edu_open_dev("edu0", O_RDWR);
	struct edu_event ev;
	ssize_t n;
	timer_t t;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0, "sigaction");
	CHECK(timer_create(CLOCK_MONOTONIC, NULL, &t) == 0, "timer_create");
	CHECK(timer_settime(t, 0, &its, NULL) == 0, "timer_settime");
	n = read(fd, &ev, sizeof(ev));
	timer_delete(t);
	signal(SIGALRM, SIG_DFL);
	CHECK(n == -1 && errno == EINTR, "read: %zd %s", n, strerror(errno));
	close(fd);
	return 0;
}

const struct test_case signal_tests[] = {
	TEST(fasync_sigio),
	TEST(registered_signal),
	TEST(registered_signal_process),
	TEST(read_interrupted),
	TEST_END
};
