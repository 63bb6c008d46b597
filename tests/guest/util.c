// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/userfaultfd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>

#include <linux/edu.h>

#include "ktap.h"
#include "util.h"

const char *expected_mode(void)
{
	char val[8] = "";

	read_text("/sys/module/edu/parameters/force_intx", val, sizeof(val));
	return val[0] == 'Y' ? "intx" : "msi";
}

int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		ret = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return ret;
}

/* One write(2) of exactly len bytes (so "" and embedded NULs are possible). */
int write_text(const char *path, const char *val, size_t len)
{
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != (ssize_t)len)
		ret = -EIO;
	close(fd);
	return ret;
}

static int by_name(const void *a, const void *b)
{
	return strverscmp(a, b);
}

int edu_names(char names[][16], int max)
{
	struct dirent *de;
	DIR *dir;
	int n = 0;

	dir = opendir("/sys/class/edu");
	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < max) {
		if (strncmp(de->d_name, "edu", 3) || strlen(de->d_name) > 15)
			continue;
		strcpy(names[n++], de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(names[0]), by_name);
	return n;
}

int expected_devices(void)
{
	const char *s = getenv("EDU_COUNT");

	return s ? atoi(s) : -1;
}

/*
 * A line looks like " 26:  5  0  PCI-MSI 524288-edge  edu0" (or, when an
 * INTx line is shared, ends in "edu0, edu1"): counts per CPU, the chip,
 * then the actions' names.
 */
long long irq_count(const char *name, char *chip, size_t len)
{
	char line[1024];
	long long total = -1;
	FILE *f;

	f = fopen("/proc/interrupts", "r");
	if (!f)
		return -1;
	while (total < 0 && fgets(line, sizeof(line), f)) {
		char *tok, *save, *chip_tok = NULL;
		long long sum = 0;
		int field = 0;

		line[strcspn(line, "\n")] = '\0';
		for (tok = strtok_r(line, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save), field++) {
			size_t n = strlen(tok);

			if (field == 0)
				continue;
			if (!chip_tok && tok[0] >= '0' && tok[0] <= '9') {
				sum += atoll(tok);
				continue;
			}
			if (!chip_tok) {
				chip_tok = tok;
				continue;
			}
			if (n && tok[n - 1] == ',')
				tok[--n] = '\0';
			if (!strcmp(tok, name)) {
				total = sum;
				if (chip)
					snprintf(chip, len, "%s", chip_tok);
				break;
			}
		}
	}
	fclose(f);
	return total;
}

int run_cmd(const char *cmd, char *out, size_t len)
{
	char full[512];
	size_t used = 0;
	FILE *p;
	int st;

	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	fflush(stdout);
	p = popen(full, "r");
	if (!p)
		return -1;
	while (used + 1 < len) {
		size_t n = fread(out + used, 1, len - used - 1, p);

		if (!n)
			break;
		used += n;
	}
	out[used] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A firmware load in flight holds a module reference: wait it out (5 s). */
static void wait_firmware_idle(void)
{
	char names[MAX_EDU][16], path[128], state[64];
	int n = edu_names(names, MAX_EDU), i, tries;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/sys/class/edu/%.15s/firmware_state",
			 names[i]);
		for (tries = 0; tries < 100; tries++) {
			if (read_text(path, state, sizeof(state)) ||
			    strcmp(state, "loading\n"))
				break;
			usleep(50000);
		}
	}
}

/* No reference on the module: nothing has it open or in use. */
static int module_idle(void)
{
	char val[16];

	return !read_text("/sys/module/edu/refcnt", val, sizeof(val)) && !strcmp(val, "0\n");
}

int module_unload(void)
{
	wait_firmware_idle();
	/*
	 * The firmware loader drops its reference just after the driver's
	 * callback has said "ready": give it a moment. A file held open keeps
	 * the reference, and the unload is then refused, as it must be.
	 */
	WAIT_FOR(module_idle(), 1000);
	return syscall(SYS_delete_module, "edu", O_NONBLOCK) ? -errno : 0;
}

int module_load(const char *params)
{
	struct utsname u;
	char path[256];
	int fd, ret;

	uname(&u);
	snprintf(path, sizeof(path), "/lib/modules/%s/extra/edu.ko", u.release);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

int bdf_of(const char *name, char *bdf, size_t len)
{
	char link[256], target[256];
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/class/edu/%s/device", name);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	snprintf(bdf, len, "%s", basename(target));
	return 0;
}

int next_event(int fd, int ms, struct edu_event *ev)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int ret;

	ret = poll(&p, 1, ms);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -ETIMEDOUT;
	n = read(fd, ev, sizeof(*ev));
	if (n < 0)
		return -errno;
	return n == sizeof(*ev) ? 0 : -EIO;
}

int next_irq_event(int fd, int ms, struct edu_event *ev)
{
	int ret;

	do
		ret = next_event(fd, ms, ev);
	while (!ret && ev->type != EDU_EVENT_INTERRUPT);
	return ret;
}

static int window_ioctl(int fd, unsigned long cmd, unsigned int off,
			const void *buf, unsigned int len)
{
	struct edu_data d = { .addr = (uintptr_t)buf, .window_off = off, .len = len };

	return ioctl(fd, cmd, &d) ? -errno : 0;
}

int write_window(int fd, unsigned int off, const void *buf, unsigned int len)
{
	return window_ioctl(fd, EDU_IOC_WRITE_DATA, off, buf, len);
}

int read_window(int fd, unsigned int off, void *buf, unsigned int len)
{
	return window_ioctl(fd, EDU_IOC_READ_DATA, off, buf, len);
}

int raise_irq(int fd, unsigned int bits)
{
	__u32 b = bits;

	return ioctl(fd, EDU_IOC_RAISE_IRQ, &b) ? -errno : 0;
}

void edu_name_at(const char *bdf, char *name, size_t len)
{
	char names[MAX_EDU][16], b[32];
	int n = edu_names(names, MAX_EDU), i;

	name[0] = '\0';
	for (i = 0; i < n; i++)
		if (!bdf_of(names[i], b, sizeof(b)) && !strcmp(b, bdf))
			snprintf(name, len, "%.15s", names[i]);
}

int driver_ctl(const char *op, const char *bdf)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/edu/%s", op);
	return write_text(path, bdf, strlen(bdf));
}

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * /proc/net/{tcp,udp}: "sl local_address rem_address st ...", the local
 * address as hex "0100007F:15E1"; a TCP listener has state 0A.
 */
int port_bound(int port, int tcp)
{
	char line[256], local[32], want[16];
	unsigned int st;
	int found = 0;
	FILE *f;

	f = fopen(tcp ? "/proc/net/tcp" : "/proc/net/udp", "r");
	if (!f)
		return 0;
	snprintf(want, sizeof(want), ":%04X", port);
	while (!found && fgets(line, sizeof(line), f)) {
		char *colon;

		if (sscanf(line, " %*s %31s %*s %x", local, &st) != 2)
			continue;
		colon = strchr(local, ':');
		found = colon && !strcmp(colon, want) && (!tcp || st == 0x0a);
	}
	fclose(f);
	return found;
}

int as_nobody(int (*fn)(void *), void *arg)
{
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(100);
		_exit(fn(arg) ? 1 : 0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st) ? -1 : 0;
}

int slow_page_create(struct slow_page *sp)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	long page = sysconf(_SC_PAGESIZE);

	sp->uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (sp->uffd < 0)
		return -errno;
	sp->addr = mmap(NULL, page, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sp->addr == MAP_FAILED) {
		close(sp->uffd);
		return -ENOMEM;
	}
	reg.range.start = (uintptr_t)sp->addr;
	reg.range.len = page;
	if (ioctl(sp->uffd, UFFDIO_API, &api) || ioctl(sp->uffd, UFFDIO_REGISTER, &reg)) {
		int ret = -errno;

		slow_page_destroy(sp);
		return ret;
	}
	return 0;
}

int slow_page_wait_fault(struct slow_page *sp, int ms)
{
	struct pollfd p = { .fd = sp->uffd, .events = POLLIN };
	struct uffd_msg msg;

	if (poll(&p, 1, ms) != 1)
		return -ETIMEDOUT;
	if (read(sp->uffd, &msg, sizeof(msg)) != sizeof(msg))
		return -EIO;
	return msg.event == UFFD_EVENT_PAGEFAULT ? 0 : -EIO;
}

int slow_page_release(struct slow_page *sp, int byte)
{
	long page = sysconf(_SC_PAGESIZE);
	char *src = malloc(page);
	struct uffdio_copy copy = {
		.dst = (uintptr_t)sp->addr, .src = (uintptr_t)src, .len = page,
	};
	int ret;

	if (!src)
		return -ENOMEM;
	memset(src, byte, page);
	ret = ioctl(sp->uffd, UFFDIO_COPY, &copy) ? -errno : 0;
	free(src);
	return ret;
}

void slow_page_destroy(struct slow_page *sp)
{
	munmap(sp->addr, sysconf(_SC_PAGESIZE));
	close(sp->uffd);
}

long long stat_of(const char *name, const char *counter)
{
	char path[128], val[32];

	snprintf(path, sizeof(path), "/sys/class/edu/%s/stats/%s", name, counter);
	return read_text(path, val, sizeof(val)) ? -1 : atoll(val);
}

#define ROUTES_DIR "/sys/kernel/config/edu/routes/"

int route_set(const char *route, const char *attr, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), ROUTES_DIR "%s/%s", route, attr);
	return write_text(path, val, strlen(val));
}

long long route_num(const char *route, const char *attr)
{
	char path[128], val[32];

	snprintf(path, sizeof(path), ROUTES_DIR "%s/%s", route, attr);
	return read_text(path, val, sizeof(val)) ? -1 : atoll(val);
}

int task_asleep(int pid)
{
	char path[32], stat[256], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_text(path, stat, sizeof(stat)))
		return 0;
	p = strrchr(stat, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

int dma_regs(const char *name, unsigned long long *cmd, unsigned long long *count)
{
	char path[96], buf[1024], *p;
	int ret;

	snprintf(path, sizeof(path), "/sys/kernel/debug/edu/%s/regs", name);
	ret = read_text(path, buf, sizeof(buf));
	if (ret)
		return ret;
	p = strstr(buf, " dma_count ");
	if (!p || sscanf(p, " dma_count %llx", count) != 1)
		return -EIO;
	p = strstr(buf, " dma_cmd ");
	if (!p || sscanf(p, " dma_cmd %llx", cmd) != 1)
		return -EIO;
	return 0;
}

/* Prints every line of a text file as a diagnostic, prefixed. */
static void diag_file(const char *prefix, const char *path)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f) {
		diag("%s: %s: %m", prefix, path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		diag("%s: %s", prefix, line);
	}
	fclose(f);
}

void dump_device(const char *name)
{
	static const char *const counters[] = {
		"irqs", "irqs_spurious", "irqs_dropped", "injected", "events_dropped", "errors",
	};
	static const char *const debug_files[] = {
		"regs", "events", "drop_irqs", "fail_dma", "dma_delay_ms", "signal_pid",
	};
	char path[128], prefix[64], chip[64] = "";
	unsigned int i;

	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		diag("%s: stats/%s %lld", name, counters[i], stat_of(name, counters[i]));
	diag("%s: /proc/interrupts %lld (%s)", name, irq_count(name, chip, sizeof(chip)), chip);
	for (i = 0; i < sizeof(debug_files) / sizeof(debug_files[0]); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/edu/%s/%s", name, debug_files[i]);
		snprintf(prefix, sizeof(prefix), "%s %s", name, debug_files[i]);
		diag_file(prefix, path);
	}
}
