/* SPDX-License-Identifier: GPL-2.0 */
/* What the event-channel tests (eventfd, ring) share: events_util.c. */
#ifndef EVENTS_UTIL_H
#define EVENTS_UTIL_H

#include <sys/types.h>

/* edu0 once its firmware load is over, opened with flags: fd or -errno. */
int open0(int flags);
/* Raises bits on edu0 through fd; returns 0 once every file has the event. */
int raise_handled(int fd, unsigned int bits);
/* Closes the file raise_handled() paces itself on. */
void pacer_close(void);
/* "eductl watch edu0 ARG -n 2 --timeout 10" with its output in out: its pid. */
pid_t start_watch(const char *arg, const char *out);
/* The watcher exited 0 and printed two events, one with s1, one with s2: 0 or -1. */
int watch_result(pid_t pid, const char *out, const char *s1, const char *s2);

#endif /* EVENTS_UTIL_H */
