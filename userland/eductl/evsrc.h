/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events of one device, waited for by each mechanism the driver offers:
 * what "watch" prints and what "irq test" checks.
 */
#ifndef EVSRC_H
#define EVSRC_H

#include "libedu.h"

enum evsrc_how {
	BY_READ,	/* blocking read(2) */
	BY_POLL,	/* poll(2), then read */
	BY_EPOLL,	/* epoll, then read */
	BY_SIGNAL,	/* EDU_IOC_SET_SIGNAL: SIGRTMIN, then read */
	BY_SIGIO,	/* O_ASYNC (fasync): SIGIO, then read */
	BY_EVENTFD,	/* EDU_IOC_SET_EVENTFD doorbell, then read */
	BY_RING,	/* the mmap'd ring (poll when empty) */
	BY_NONE,
};

extern const char *const evsrc_names[BY_NONE];

struct evsrc {
	enum evsrc_how how;
	int fd, epfd, efd;
	struct edu_ring ring;
	int have_ring;
	struct edu_event batch[32];
	unsigned int nbatch, next;
};

/* 0 or -errno; entries: the ring's size for BY_RING. */
int evsrc_open(struct evsrc *s, const char *name, enum evsrc_how how,
	       unsigned int entries);
/* The next event within ms (-1: no limit): 1, 0 on timeout, -errno. */
int evsrc_next(struct evsrc *s, struct edu_event *ev, int ms);
void evsrc_close(struct evsrc *s);
/* The mechanism named, or BY_NONE. */
enum evsrc_how evsrc_parse(const char *name);

#endif /* EVSRC_H */
