// SPDX-License-Identifier: GPL-2.0
/*
 * Fan-out: the blocking read's wake-up and the interrupt handler's cost
 * with 1, 10, 100 and 1000 files open on the device (each one gets every
 * event). The handler's cost is the driver's own: the duration_ns of the
 * tracepoint edu_irq_handler_exit (docs/tracing.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"
#include "events.h"
#include "libedu.h"

#define TRACEFS "/sys/kernel/tracing/"
#define HANDLER_EVENT TRACEFS "events/edu/edu_irq_handler_exit/enable"

static int put(const char *path, const char *val)
{
	return edu_file_write(path, val);
}

/* Handler durations of our device's benchmark interrupts in the trace. */
static void handler_costs(const char *dev, struct bench_samples *s)
{
	char want[32], line[512];
	FILE *f = fopen(TRACEFS "trace", "re");

	if (!f)
		return;
	snprintf(want, sizeof(want), " %s irq=", dev);
	while (fgets(line, sizeof(line), f)) {
		const char *d = strstr(line, "duration_ns=");

		if (strstr(line, "edu_irq_handler_exit:") && strstr(line, want) && d &&
		    strstr(line, "result=handled"))
			samples_add(s, strtoull(d + 12, NULL, 10));
	}
	fclose(f);
}

static const struct ev_mech *mech_named(const char *name)
{
	const struct ev_mech *m;

	for (m = ev_mechs; m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

void bench_fanout(const struct bench_cfg *cfg)
{
	static const unsigned int counts[] = { 1, 10, 100, 1000 };
	const struct ev_mech *read_mech = mech_named("read");
	struct rlimit rl;
	unsigned int c;
	int tracing;

	/* 1000 files and the rest of the run's. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 2048) {
		rl.rlim_cur = rl.rlim_max < 2048 ? rl.rlim_max : 2048;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	tracing = !put(HANDLER_EVENT, "1");
	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		unsigned int extra = counts[c] - 1, opened = 0, i;
		struct bench_samples wake, cost;
		char name[32];
		int *fds = calloc(extra + 1, sizeof(int));
		int ret;

		samples_init(&wake);
		samples_init(&cost);
		for (i = 0; fds && i < extra; i++) {
			fds[i] = edu_open_dev(cfg->dev, O_RDONLY | O_NONBLOCK);
			if (fds[i] < 0)
				break;
			opened++;
		}
		snprintf(name, sizeof(name), "read_%u_files", counts[c]);
		if (opened != extra) {
			report_skip("fanout", name, "cannot open the files");
		} else {
			if (tracing)
				close(open(TRACEFS "trace", O_WRONLY | O_TRUNC | O_CLOEXEC));
			ret = ev_measure(cfg, read_mech, cfg->samples, &wake);
			if (ret)
				report_skip("fanout", name, strerror(-ret));
			else
				report_samples("fanout", name, "us", &wake, "wake-up");
			snprintf(name, sizeof(name), "handler_%u_files", counts[c]);
			if (tracing) {
				handler_costs(cfg->dev, &cost);
				report_samples("fanout", name, "us", &cost,
					       "edu_irq_handler_exit duration");
			} else {
				report_skip("fanout", name, "no tracefs");
			}
		}
		for (i = 0; i < opened; i++)
			close(fds[i]);
		free(fds);
		samples_free(&wake);
		samples_free(&cost);
	}
	if (tracing)
		put(HANDLER_EVENT, "0");
}
