// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: the suite's own fuzzer (issue #11), one test per channel: ioctl,
 * mmap, read_write (/dev/eduN), sysfs (and /proc/driver/edu), debugfs,
 * sysctl, configfs, netlink (raw generic netlink) and firmware (mutated
 * images through the upload fallback). Each test fuzzes its share of
 * FUZZ_SECONDS as root, then as much again in a child as uid 65534, then
 * puts its knobs back and checks that every device still answers (the
 * identification through sysfs and EDU_IOC_INFO, liveness, a factorial, a
 * raised interrupt seen as an event, a DMA round trip at the window's
 * edge). Oopses and warnings fail the harness' kernel_log_clean; a new
 * WARN/oops taint fails the test itself; a QEMU abort fails the lane.
 *
 * Besides "no crash", it checks what the docs promise wherever a random
 * input has a known answer: unknown ioctl numbers get ENOTTY, privileged
 * operations as uid 65534 never succeed on any channel, an accepted DMA
 * range is inside the window, factorials are right, an accepted mapping
 * is one shared page at offset 0 without exec, event records chain by
 * seq and lost, a refused write changes nothing, a route never takes a
 * remote address, an image is accepted exactly when it is valid and
 * refused for the reason libedu's checker gives.
 *
 * Replay: every test prints "fuzz: seed N"; FUZZ_SEED=N (and EDU_TESTS)
 * replays the same sequence of operations (the time bound decides how far
 * it gets). FUZZ_TRACE=1 prints every operation. FUZZ_ROUNDS=N runs each
 * test N times, a new seed each round (without FUZZ_SEED): to hunt a rare
 * failure.
 *
 * Excluded, because they are destructive by design rather than bugs (or
 * not the driver's): sysfs uevent (synthesises add/remove events), the
 * device/subsystem links and power/ (runtime PM and PCI core, not edu),
 * driver bind/unbind, PCI remove/rescan, chmod/chown of the files;
 * MADV_HWPOISON and MADV_SOFT_OFFLINE (poison the DMA page on purpose);
 * debugfs signal_pid only ever names this process or none (any other PID
 * could be killed by the events), spurious_irq at most 50 per write (1000
 * per write only takes long); SIGALRM/SIGSEGV/SIGBUS are never registered
 * as the event signal (they would end the test as a false timeout or
 * crash); sysctl values are put back right after each write (a 10 ms DMA
 * timeout or a remote-route permission would only disturb the next
 * operations); routes' upcall helper is /bin/true or a path that does not
 * exist, and remote destinations stay forbidden (routes_allow_remote 0);
 * fault knobs and pending firmware uploads are reset before the checks.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <linux/edu.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "tests.h"
#include "util.h"

#define FUZZ_TESTS	9	/* FUZZ_SECONDS is split among them */
#define FUZZ_DEFAULT_S	30
#define FUZZ_MAX_S	(FUZZ_TESTS * 1500)
#define FUZZ_BOUND	1800	/* the table's bound; each test sets a tighter alarm */
#define FUZZ_SLACK_S	150	/* settling, final uploads and checks */
#define IDENT		0x010000ed
#define PAGE		4096
#define BIG		65536
#define SYSCTL_DIR	"/proc/sys/dev/edu"
#define DEBUGFS_DIR	"/sys/kernel/debug/edu"
#define ROUTES_DIR	"/sys/kernel/config/edu/routes"
#define FW_FILE		"/lib/firmware/" EDU_FW_NAME
#define RING		16

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct fuzz {
	uint64_t s;		/* xorshift64* state */
	unsigned long long seed;
	const char *name;
	long long end;		/* CLOCK_MONOTONIC ms */
	long ops;
	int root;
	int trace;
	char ring[RING][160];	/* the last operations, for a failure */
};

/* ---- randomness, time, reporting ------------------------------------ */

static uint64_t rnd(struct fuzz *f)
{
	f->s ^= f->s >> 12;
	f->s ^= f->s << 25;
	f->s ^= f->s >> 27;
	return f->s * 0x2545f4914f6cdd1dULL;
}

static uint32_t below(struct fuzz *f, uint32_t n)
{
	return n ? rnd(f) % n : 0;
}

static int chance(struct fuzz *f, unsigned int pct)
{
	return below(f, 100) < pct;
}

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static unsigned long long fuzz_seed(void)
{
	const char *s = getenv("FUZZ_SEED");
	struct timespec ts;

	if (s && *s)
		return strtoull(s, NULL, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	return splitmix(ts.tv_sec * 1000000000ULL + ts.tv_nsec + getpid()) >> 16;
}

/* Milliseconds of fuzzing per phase: FUZZ_SECONDS over the tests, half each. */
static long long phase_ms(void)
{
	const char *s = getenv("FUZZ_SECONDS");
	long v = s ? strtol(s, NULL, 10) : 0;

	if (v <= 0)
		v = FUZZ_DEFAULT_S;
	if (v > FUZZ_MAX_S)
		v = FUZZ_MAX_S;
	return v * 1000LL / FUZZ_TESTS / 2;
}

/* The same seed gives every test and phase its own, fixed, sequence. */
static void fuzz_init(struct fuzz *f, const char *name, unsigned long long seed,
		      int root, long long ms)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	memset(f, 0, sizeof(*f));
	for (p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	f->s = splitmix(seed ^ h ^ (root ? 0 : 0x6e6f626f6479ULL)) | 1;
	f->seed = seed;
	f->name = name;
	f->root = root;
	f->end = now_ms() + ms;
	f->trace = getenv("FUZZ_TRACE") && atoi(getenv("FUZZ_TRACE"));
}

static int running(struct fuzz *f)
{
	return now_ms() < f->end;
}

static void note(struct fuzz *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct fuzz *f, const char *fmt, ...)
{
	char *slot = f->ring[f->ops % RING];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(slot, sizeof(f->ring[0]), fmt, ap);
	va_end(ap);
	if (f->trace)
		diag("fuzz: %s %s #%ld: %s", f->name, f->root ? "root" : "nobody", f->ops, slot);
	f->ops++;
}

static int fuzz_fail(struct fuzz *f, int line, const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fuzz_fail(struct fuzz *f, int line, const char *cond, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	long i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag("%s:%d: %s: %s", __FILE__, line, cond, msg);
	diag("fuzz: %s as %s failed at operation %ld, seed %llu; the last operations:",
	     f->name, f->root ? "root" : "uid 65534", f->ops - 1, f->seed);
	for (i = f->ops > RING ? f->ops - RING : 0; i < f->ops; i++)
		diag("fuzz:   #%ld %s", i, f->ring[i % RING]);
	return -1;
}

#define FCHECK(f, cond, fmt, ...)					\
	do {								\
		if (!(cond))						\
			return fuzz_fail(f, __LINE__, #cond, fmt, ##__VA_ARGS__); \
	} while (0)

static const char *en(int e)
{
	return e ? strerror(e) : "ok";
}

static uint32_t fact(uint32_t n)
{
	uint32_t r = 1;

	while (n > 1)
		r *= n--;
	return r;
}

/*
 * Signals the fuzzed operations may register (event signals) are blocked,
 * raw so that glibc's own two are too; SIGALRM stays the test's bound and
 * SIGSEGV/SIGBUS the touches' guard.
 */
static void block_signals(unsigned long keep)
{
	uint64_t mask = ~0ULL;

	mask &= ~(1ULL << (SIGALRM - 1) | 1ULL << (SIGSEGV - 1) | 1ULL << (SIGBUS - 1) |
		  1ULL << (SIGKILL - 1) | 1ULL << (SIGSTOP - 1) | keep);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof(mask));
}

/* A signal number the driver may be asked to send us. */
static int safe_signo(int signo)
{
	return signo == SIGALRM || signo == SIGSEGV || signo == SIGBUS ? SIGUSR2 : signo;
}

/* ---- memory: buffers, bad pointers, guarded touches ----------------- */

/*
 * [rw page][PROT_NONE page][read-only page] and a big buffer: a pointer
 * can be valid, partly valid (running into the hole), read-only, or not
 * mapped at all.
 */
static unsigned char *arena, *bigbuf, *unmapped;

static int arena_init(void)
{
	arena = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bigbuf = mmap(NULL, BIG + PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	unmapped = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED || bigbuf == MAP_FAILED || unmapped == MAP_FAILED)
		return -1;
	memset(arena + 2 * PAGE, 0x5a, PAGE);
	munmap(unmapped, PAGE);
	/* The big buffer ends in a hole too. */
	return mprotect(arena + PAGE, PAGE, PROT_NONE) ||
	       mprotect(arena + 2 * PAGE, PAGE, PROT_READ) ||
	       mprotect(bigbuf + BIG, PAGE, PROT_NONE) ? -1 : 0;
}

enum ptr_kind { P_VALID, P_NULL, P_SMALL, P_KERNEL, P_UNMAPPED, P_STRADDLE, P_RO, P_NKINDS };
static const char *const ptr_names[] = {
	"valid", "null", "small", "kernel", "unmapped", "straddle", "read-only",
};

/* A pointer to need bytes (mostly valid): its kind in *kind. */
static void *gen_ptr(struct fuzz *f, size_t need, int *kind)
{
	size_t room = need > BIG ? 0 : BIG - need;

	*kind = chance(f, 70) ? P_VALID : (int)below(f, P_NKINDS);
	switch (*kind) {
	case P_NULL:
		return NULL;
	case P_SMALL:
		return (void *)(uintptr_t)(1 + below(f, PAGE - 1));
	case P_KERNEL:
		return (void *)(uintptr_t)(0xffff888000000000ULL + below(f, 1 << 30));
	case P_UNMAPPED:
		return unmapped + below(f, PAGE);
	case P_STRADDLE:
		/* The first few bytes valid, the rest in the hole. */
		if (need < 2)
			return arena + PAGE;
		return arena + PAGE - 1 - below(f, need - 1 < PAGE - 1 ? need - 1 : PAGE - 1);
	case P_RO:
		return arena + 2 * PAGE + below(f, PAGE / 2);
	}
	return bigbuf + (room ? below(f, room > PAGE ? PAGE : room + 1) : 0);
}

static sigjmp_buf touch_jmp;
static volatile sig_atomic_t touching;

static void on_fault(int sig)
{
	if (touching)
		siglongjmp(touch_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void guard_faults(void)
{
	struct sigaction sa = { .sa_handler = on_fault };

	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

/* Reads or writes one byte: 0, or the signal it raised. */
static int touch(volatile unsigned char *p, int write, unsigned char val)
{
	int sig;

	touching = 1;
	sig = sigsetjmp(touch_jmp, 1);
	if (!sig) {
		if (write)
			*p = val;
		else
			(void)*p;
	}
	touching = 0;
	return sig;
}

/* ---- values for text files ------------------------------------------ */

static const char *const dict[] = {
	"", "0", "1", "-1", "2", "12", "13", "50", "100", "1000", "60000", "60001",
	"4096", "4097", "0x0", "0x1", "0x100", "0x10000", "0xffffffff", "0x100000000",
	"4294967295", "4294967296", "-2147483648", "2147483648", "18446744073709551615",
	"18446744073709551616", "+1", " 1", "1 ", "1\n", "1\n\n", "\n", " ", "0\n", "-0",
	"00", "08", "0x", "x", "1e3", "1.5", "true", "false", "on", "off", "y", "n",
	"yes", "udp", "tcp", "upcall", "none", "udp\n", "tcp ", "127.0.0.1:5601",
	"127.0.0.1:0", "127.0.0.1:65535", "127.0.0.1:65536", "127.0.0.1:", ":5601",
	"127.0.0.1", "127.1:5", "127.0.0.1:5601:1", "10.0.0.1:5601", "1.2.3.4:80",
	"0.0.0.0:1", "255.255.255.255:9", "/bin/true", "/", "/nonexistent/edu-fuzz",
	"relative/path", "%s%s%s%n", "\xff\xfe", "1 2", "0 0", "-1 -1",
};

static size_t gen_text_any(struct fuzz *f, char *buf, size_t max);

/* Random text into buf (max bytes, max >= 64): its length, below max. */
static size_t gen_text(struct fuzz *f, char *buf, size_t max)
{
	size_t len = gen_text_any(f, buf, max);

	return len < max ? len : max - 1;
}

static size_t gen_text_any(struct fuzz *f, char *buf, size_t max)
{
	size_t len, i;

	switch (below(f, 10)) {
	case 0:
	case 1:
	case 2:
		return snprintf(buf, max, "%s", dict[below(f, ARRAY_SIZE(dict))]);
	case 3:
		return snprintf(buf, max, "%llu%s", (unsigned long long)below(f, 70),
				chance(f, 50) ? "\n" : "");
	case 4:
		return snprintf(buf, max, chance(f, 50) ? "%lld" : "0x%llx",
				(long long)(rnd(f) >> below(f, 64)));
	case 5:
		return snprintf(buf, max, "%llu", (1ULL << below(f, 64)) + below(f, 3) - 1);
	case 6:
		len = below(f, 64);
		for (i = 0; i < len; i++)
			buf[i] = 32 + below(f, 95);
		return len;
	case 7:
		len = below(f, chance(f, 80) ? 64 : 8192) % max;
		for (i = 0; i < len; i++)
			buf[i] = rnd(f);
		return len;
	case 8:
		len = (100 + below(f, 4200)) % max;
		memset(buf, '0' + below(f, 10), len);
		return len;
	}
	len = snprintf(buf, max - 1, "%s", dict[below(f, ARRAY_SIZE(dict))]);
	buf[len++] = "\0 \n\t-x"[below(f, 6)];
	return len;
}

/* ---- the device answers --------------------------------------------- */

static int read_str(const char *path, char *buf, size_t len)
{
	int ret = read_text(path, buf, len);

	if (ret)
		buf[0] = '\0';
	return ret;
}

static int fw_state(const char *name, char *buf, size_t len)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/edu/%.15s/firmware_state", name);
	read_str(path, buf, len);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Every device still does what it is for: else the fuzz broke it. */
static int device_answers(void)
{
	char names[MAX_EDU][16], path[128], val[64];
	unsigned char out[64], in[64];
	int n = edu_names(names, MAX_EDU), i, j, fd, tries, ret = 0;
	struct edu_factorial fa = { .n = 10 };
	struct edu_info info;
	struct edu_event ev;
	unsigned int v;

	CHECK(n > 0 && (expected_devices() < 0 || n == expected_devices()),
	      "%d devices, expected %d", n, expected_devices());
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/sys/class/edu/%.15s/identification", names[i]);
		CHECK(read_str(path, val, sizeof(val)) == 0 && !strcmp(val, "0x010000ed\n"),
		      "%s: identification '%s'", names[i], val);
		fd = edu_open_dev(names[i], O_RDWR);
		CHECK(fd >= 0, "%s: open: %s", names[i], strerror(-fd));
		CHECK(ioctl(fd, EDU_IOC_INFO, &info) == 0 && info.ident == IDENT,
		      "%s: EDU_IOC_INFO: %m, ident %#x", names[i], info.ident);
		v = 0x12345678u ^ (unsigned int)now_ms();
		snprintf(path, sizeof(path), "/sys/class/edu/%.15s/liveness", names[i]);
		snprintf(val, sizeof(val), "%u", v);
		CHECK(write_text(path, val, strlen(val)) == 0, "%s: liveness write", names[i]);
		CHECK(read_str(path, val, sizeof(val)) == 0 && strtoul(val, NULL, 16) == (~v & 0xffffffffu),
		      "%s: liveness of %#x reads %s", names[i], v, val);
		CHECK(ioctl(fd, EDU_IOC_FACTORIAL, &fa) == 0 && fa.result == 3628800,
		      "%s: 10! : %m, %u", names[i], fa.result);
		CHECK(raise_irq(fd, 0x10000) == 0, "%s: raise: %m", names[i]);
		for (tries = 0; tries < 16; tries++) {
			ret = next_event(fd, 3000, &ev);
			if (ret || (ev.type == EDU_EVENT_INTERRUPT && ev.irq_status & 0x10000))
				break;
		}
		if (ret || tries == 16)
			dump_device(names[i]);
		CHECK(ret == 0, "%s: no event for a raise: %s", names[i], strerror(-ret));
		CHECK(tries < 16, "%s: the raised bit never came", names[i]);
		for (j = 0; j < (int)sizeof(out); j++)
			out[j] = (v >> (j % 24)) ^ (j * 37);
		memset(in, 0, sizeof(in));
		/* At the window's very end: the last byte a transfer may touch. */
		CHECK(write_window(fd, EDU_DATA_WINDOW_SIZE - sizeof(out), out, sizeof(out)) == 0,
		      "%s: DMA to the device: %m", names[i]);
		CHECK(read_window(fd, EDU_DATA_WINDOW_SIZE - sizeof(out), in, sizeof(in)) == 0,
		      "%s: DMA from the device: %m", names[i]);
		CHECK(!memcmp(in, out, sizeof(in)), "%s: DMA round trip differs", names[i]);
		fw_state(names[i], val, sizeof(val));
		CHECK(strcmp(val, "loading"), "%s: firmware still loading", names[i]);
		close(fd);
	}
	return 0;
}

/* Taint bits of an oops, a WARN, a bad page, a soft lockup. */
#define BAD_TAINT ((1UL << 5) | (1UL << 7) | (1UL << 9) | (1UL << 14))

static unsigned long taint(void)
{
	char val[32];

	return read_str("/proc/sys/kernel/tainted", val, sizeof(val)) ? 0 :
	       strtoul(val, NULL, 10);
}

/* ---- settling: what a fuzz phase may leave behind ------------------- */

struct saved {
	char path[160];
	char val[320];
};
static struct saved sysctls[16];
static int nsysctls;

static void sysctl_snapshot(void)
{
	struct dirent *de;
	DIR *dir = opendir(SYSCTL_DIR);

	nsysctls = 0;
	while (dir && (de = readdir(dir)) && nsysctls < (int)ARRAY_SIZE(sysctls)) {
		struct saved *s = &sysctls[nsysctls];

		if (de->d_name[0] == '.')
			continue;
		snprintf(s->path, sizeof(s->path), SYSCTL_DIR "/%.100s", de->d_name);
		if (!read_str(s->path, s->val, sizeof(s->val)))
			nsysctls++;
	}
	if (dir)
		closedir(dir);
}

static struct saved *sysctl_saved(const char *path)
{
	int i;

	for (i = 0; i < nsysctls; i++)
		if (!strcmp(sysctls[i].path, path))
			return &sysctls[i];
	return NULL;
}

/* Writes a saved value back if it changed: 0, or -1. */
static int sysctl_put_back(struct saved *s)
{
	char now[sizeof(s->val)];
	size_t len = strlen(s->val);

	if (!read_str(s->path, now, sizeof(now)) && !strcmp(now, s->val))
		return 0;
	if (len && s->val[len - 1] == '\n')
		len--;
	if (write_text(s->path, s->val, len) || read_str(s->path, now, sizeof(now)) ||
	    strcmp(now, s->val))
		return -1;
	return 0;
}

/* Waits for every device's firmware load to end, cancelling uploads. */
static int firmware_settle(void)
{
	char names[MAX_EDU][16], val[96];
	int n = edu_names(names, MAX_EDU), i;
	glob_t g;
	size_t k;

	if (glob("/sys/class/firmware/edu-upload-*/loading", 0, NULL, &g) == 0) {
		for (k = 0; k < g.gl_pathc; k++)
			write_text(g.gl_pathv[k], "-1", 2);
		globfree(&g);
	}
	for (i = 0; i < n; i++)
		if (!WAIT_FOR((fw_state(names[i], val, sizeof(val)), strcmp(val, "loading")),
			      15000))
			return -1;
	return 0;
}

static int settle(void)
{
	static const char *const knobs[] = {
		"drop_irqs", "fail_dma", "dma_delay_ms", "signal_pid",
	};
	char names[MAX_EDU][16], path[160];
	int n = edu_names(names, MAX_EDU), i, ret = 0, err;
	unsigned int k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < ARRAY_SIZE(knobs); k++) {
			snprintf(path, sizeof(path), DEBUGFS_DIR "/%.15s/%s", names[i], knobs[k]);
			err = write_text(path, "0", 1);
			if (err) {
				diag("fuzz: cannot reset %s: %s", path, strerror(-err));
				ret = -1;
			}
		}
	}
	for (i = 0; i < nsysctls; i++)
		if (sysctl_put_back(&sysctls[i])) {
			diag("fuzz: cannot put %s back", sysctls[i].path);
			ret = -1;
		}
	if (firmware_settle()) {
		diag("fuzz: a firmware load does not end");
		ret = -1;
	}
	return ret;
}

/* A root process that raises an interrupt on every device every ~20 ms. */
static pid_t pump_start(long long end)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char names[MAX_EDU][16];
		int n = edu_names(names, MAX_EDU), fds[MAX_EDU], i;

		for (i = 0; i < n; i++)
			fds[i] = edu_open_dev(names[i], O_RDWR);
		while (now_ms() < end + 1000 && getppid() != 1) {
			for (i = 0; i < n; i++)
				if (fds[i] >= 0)
					raise_irq(fds[i], 0x20000);
			usleep(20000);	/* a pace, not a wait */
		}
		_exit(0);
	}
	return pid;
}

static void pump_stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* ---- ioctl ---------------------------------------------------------- */

static const unsigned int known_cmds[] = {
	EDU_IOC_INFO, EDU_IOC_FACTORIAL, EDU_IOC_RAISE_IRQ, EDU_IOC_DMA,
	EDU_IOC_WRITE_DATA, EDU_IOC_READ_DATA, EDU_IOC_SET_SIGNAL, EDU_IOC_GET_STATS,
	EDU_IOC_SET_EVENTFD, EDU_IOC_RING_SETUP, EDU_IOC_RING_CONSUME,
};

static int known(unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(known_cmds); i++)
		if (cmd == known_cmds[i])
			return 1;
	return 0;
}

static int privileged(unsigned int cmd)
{
	return cmd == EDU_IOC_FACTORIAL || cmd == EDU_IOC_RAISE_IRQ || cmd == EDU_IOC_DMA ||
	       cmd == EDU_IOC_WRITE_DATA || cmd == EDU_IOC_READ_DATA;
}

static unsigned int gen_cmd(struct fuzz *f)
{
	unsigned int base = known_cmds[below(f, ARRAY_SIZE(known_cmds))];

	switch (below(f, 10)) {
	case 0: case 1: case 2: case 3:
		return base;
	case 4: case 5:
		/* A known number with another direction or size. */
		return _IOC(below(f, 4), EDU_IOC_MAGIC, _IOC_NR(base),
			    chance(f, 50) ? _IOC_SIZE(base) + below(f, 17) - 8 :
					    below(f, 1 << 14)) & 0xffffffffu;
	case 6: case 7:
		return _IOC(below(f, 4), EDU_IOC_MAGIC, below(f, 32), below(f, 1 << 14));
	case 8:
		return rnd(f);
	}
	return _IOC(below(f, 4), below(f, 256), below(f, 256), below(f, 1 << 14));
}

/* Offsets and lengths at and around every edge of the window. */
static uint32_t gen_edge(struct fuzz *f)
{
	static const uint32_t edges[] = {
		0, 1, 2, 100, 1023, 1024, 2047, 3069, 3070, 3071, 3072, 4094, 4095, 4096,
		4097, 0x7fffffff, 0x80000000, 0xfffff001, 0xfffffffe, 0xffffffff,
	};

	if (chance(f, 60))
		return edges[below(f, ARRAY_SIZE(edges))];
	return chance(f, 80) ? below(f, 4200) : (uint32_t)rnd(f);
}

static void gen_range(struct fuzz *f, uint32_t *off, uint32_t *len)
{
	*off = gen_edge(f);
	*len = gen_edge(f);
	if (chance(f, 30)) {
		/* Ending exactly at, one short of, or one past the window's end. */
		*off = below(f, EDU_DATA_WINDOW_SIZE);
		*len = EDU_DATA_WINDOW_SIZE - *off + below(f, 3) - 1;
	}
}

static int range_ok(uint32_t off, uint32_t len)
{
	return len && off < EDU_DATA_WINDOW_SIZE && len <= EDU_DATA_WINDOW_SIZE - off;
}

static int errno_allowed(unsigned int cmd, int e)
{
	static const int slow[] = { EINVAL, EBUSY, EINTR, ETIMEDOUT, EFAULT, EPERM, ENOMEM, EIO };
	unsigned int i;

	switch (cmd) {
	case EDU_IOC_INFO:
	case EDU_IOC_GET_STATS:
		return e == EFAULT;
	case EDU_IOC_FACTORIAL:
		return e == ERANGE || e == ETIMEDOUT || e == EBUSY || e == EFAULT ||
		       e == EPERM || e == EINTR;
	case EDU_IOC_RAISE_IRQ:
		return e == EINVAL || e == EFAULT || e == EPERM;
	case EDU_IOC_SET_SIGNAL:
		return e == EINVAL || e == EFAULT;
	case EDU_IOC_SET_EVENTFD:
		return e == EINVAL || e == EBADF || e == ENOSPC || e == ENOMEM || e == EFAULT;
	case EDU_IOC_RING_SETUP:
		return e == EINVAL || e == EBUSY || e == ENOMEM || e == EFAULT;
	case EDU_IOC_RING_CONSUME:
		return e == ENXIO || e == EINVAL || e == EFAULT;
	}
	for (i = 0; i < ARRAY_SIZE(slow); i++)
		if (e == slow[i])
			return 1;
	return 0;
}

static int open_dev(struct fuzz *f, int *fd, int idx, int ndev)
{
	char name[16];
	int flags = f->root && chance(f, 70) ? O_RDWR : O_RDONLY;

	if (chance(f, 40))
		flags |= O_NONBLOCK;
	snprintf(name, sizeof(name), "edu%d", idx % ndev);
	if (*fd >= 0)
		close(*fd);
	*fd = edu_open_dev(name, flags);
	note(f, "open %s flags %#x: %s", name, flags, *fd < 0 ? strerror(-*fd) : "ok");
	if (!f->root && chance(f, 10)) {
		int w = edu_open_dev(name, O_RDWR);

		FCHECK(f, w == -EACCES, "uid 65534 opened /dev/%s for writing: %d", name, w);
	}
	FCHECK(f, *fd >= 0, "cannot open /dev/%s: %s", name, strerror(-*fd));
	return 0;
}

static int ndevices(void)
{
	char names[MAX_EDU][16];

	return edu_names(names, MAX_EDU);
}

static int fuzz_ioctl(struct fuzz *f)
{
	int fds[4] = { -1, -1, -1, -1 }, ndev = ndevices(), i;
	int ringed[4] = { 0 };	/* a ring set up on the file */
	int evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	FCHECK(f, evfd >= 0, "eventfd: %s", strerror(errno));
	for (i = 0; i < 4; i++)
		if (open_dev(f, &fds[i], i, ndev))
			return -1;
	while (running(f)) {
		unsigned int cmd = gen_cmd(f), idx = below(f, 4);
		union ioc_arg {
			struct edu_info info;
			struct edu_factorial fa;
			struct edu_dma dma;
			struct edu_data data;
			struct edu_signal sig;
			struct edu_stats st;
			struct edu_eventfd evfd;
			struct edu_ring_setup ring;
			uint32_t bits;
		} *u, in;
		size_t size = _IOC_SIZE(cmd);
		int kind, dkind = P_VALID, ret, e;
		unsigned char *p;
		uint32_t n = 0;

		if (chance(f, 2)) {
			ringed[idx] = 0;
			if (open_dev(f, &fds[idx], below(f, ndev), ndev))
				return -1;
		}
		p = gen_ptr(f, size ? size : 1, &kind);
		u = (void *)p;
		if (kind == P_VALID) {
			for (i = 0; i < (int)size && i < 256; i++)
				p[i] = chance(f, 50) ? 0 : rnd(f);
			switch (cmd) {
			case EDU_IOC_FACTORIAL:
				u->fa.n = chance(f, 80) ? below(f, 15) : (uint32_t)rnd(f);
				n = u->fa.n;
				break;
			case EDU_IOC_RAISE_IRQ:
				u->bits = chance(f, 20) ? 0 : chance(f, 50) ? 1u << below(f, 32) :
					  (uint32_t)rnd(f);
				break;
			case EDU_IOC_DMA:
				u->dma.dir = chance(f, 85) ? below(f, 2) : (uint32_t)rnd(f);
				gen_range(f, &u->dma.window_off, &u->dma.len);
				u->dma.buf_off = chance(f, 60) ? below(f, 64) : gen_edge(f);
				break;
			case EDU_IOC_WRITE_DATA:
			case EDU_IOC_READ_DATA:
				gen_range(f, &u->data.window_off, &u->data.len);
				u->data.addr = (uintptr_t)gen_ptr(f, u->data.len < BIG ? u->data.len : 1,
								  &dkind);
				break;
			case EDU_IOC_SET_SIGNAL:
				u->sig.signo = safe_signo(chance(f, 80) ? (int)below(f, 70) :
							  (int)rnd(f));
				u->sig.reserved = chance(f, 85) ? 0 : rnd(f);
				break;
			case EDU_IOC_SET_EVENTFD:
				u->evfd.fd = chance(f, 30) ? -1 : chance(f, 70) ? evfd :
					     (int)below(f, 64);
				u->evfd.classes = chance(f, 80) ? 1 + below(f, EDU_EVFD_ALL) :
						  (uint32_t)rnd(f);
				u->evfd.flags = chance(f, 90) ? 0 : rnd(f);
				u->evfd.reserved = chance(f, 90) ? 0 : rnd(f);
				break;
			case EDU_IOC_RING_SETUP:
				u->ring.entries = chance(f, 70) ? 1u << below(f, 16) :
						  (uint32_t)rnd(f);
				u->ring.flags = chance(f, 90) ? 0 : rnd(f);
				break;
			case EDU_IOC_RING_CONSUME:
				u->bits = chance(f, 50) ? below(f, 64) : (uint32_t)rnd(f);
				break;
			}
		} else if (cmd == EDU_IOC_SET_SIGNAL && kind == P_RO) {
			kind = P_NULL;	/* 0x5a5a5a5a would do, but say what it is */
			u = NULL;
			p = NULL;
		}
		note(f, "ioctl fd%u %#x (dir %u type %#x nr %u size %zu) arg %s %p%s", idx, cmd,
		     _IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), size, ptr_names[kind], p,
		     cmd == EDU_IOC_DMA && kind == P_VALID ? " (dma)" : "");
		if (kind == P_VALID && (cmd == EDU_IOC_DMA || cmd == EDU_IOC_WRITE_DATA ||
					cmd == EDU_IOC_READ_DATA))
			note(f, "  range off %u len %u buf_off/addr %#llx dir %u data %s",
			     cmd == EDU_IOC_DMA ? u->dma.window_off : u->data.window_off,
			     cmd == EDU_IOC_DMA ? u->dma.len : u->data.len,
			     cmd == EDU_IOC_DMA ? (unsigned long long)u->dma.buf_off :
						  (unsigned long long)u->data.addr,
			     cmd == EDU_IOC_DMA ? u->dma.dir : 0, ptr_names[dkind]);
		/* The input as sent: a READ_DATA buffer may overlap the argument. */
		if (kind == P_VALID)
			memcpy(&in, u, sizeof(in));
		ret = ioctl(fds[idx], cmd, chance(f, 3) ? (void *)(uintptr_t)rnd(f) : (void *)p);
		e = ret ? errno : 0;
		if (!known(cmd)) {
			if (_IOC_TYPE(cmd) == EDU_IOC_MAGIC)
				FCHECK(f, ret == -1 && e == ENOTTY,
				       "unknown edu ioctl %#x: %d %s", cmd, ret, en(e));
			continue;
		}
		if (!f->root && privileged(cmd))
			FCHECK(f, ret == -1 && e == EPERM, "uid 65534: ioctl %#x: %d %s", cmd, ret,
			       en(e));
		FCHECK(f, ret == 0 || (ret == -1 && errno_allowed(cmd, e)),
		       "ioctl %#x: %d %s: not a documented error", cmd, ret, en(e));
		if (ret || kind != P_VALID)
			continue;
		switch (cmd) {
		case EDU_IOC_INFO:
			FCHECK(f, u->info.ident == IDENT && u->info.window_size == EDU_DATA_WINDOW_SIZE &&
				  u->info.mmap_size == EDU_MMAP_SIZE &&
				  u->info.event_size == sizeof(struct edu_event),
			       "EDU_IOC_INFO: ident %#x window %u mmap %u event %u", u->info.ident,
			       u->info.window_size, u->info.mmap_size, u->info.event_size);
			break;
		case EDU_IOC_FACTORIAL:
			FCHECK(f, n <= 12 && u->fa.result == fact(n), "%u! = %u", n, u->fa.result);
			break;
		case EDU_IOC_DMA:
			FCHECK(f, in.dma.dir <= 1 && range_ok(in.dma.window_off, in.dma.len) &&
				  in.dma.buf_off < PAGE && in.dma.len <= PAGE - in.dma.buf_off,
			       "DMA accepted dir %u off %u len %u buf_off %u", in.dma.dir,
			       in.dma.window_off, in.dma.len, in.dma.buf_off);
			break;
		case EDU_IOC_WRITE_DATA:
		case EDU_IOC_READ_DATA:
			FCHECK(f, range_ok(in.data.window_off, in.data.len),
			       "copy accepted off %u len %u", in.data.window_off, in.data.len);
			FCHECK(f, dkind == P_VALID || (cmd == EDU_IOC_WRITE_DATA && dkind == P_RO),
			       "copy with a %s buffer succeeded", ptr_names[dkind]);
			break;
		case EDU_IOC_RAISE_IRQ:
			FCHECK(f, in.bits, "raising 0 succeeded");
			break;
		case EDU_IOC_SET_SIGNAL:
			FCHECK(f, !in.sig.reserved && in.sig.signo < 65 && in.sig.signo != SIGKILL &&
				  in.sig.signo != SIGSTOP, "signal %u reserved %u accepted",
			       in.sig.signo, in.sig.reserved);
			break;
		case EDU_IOC_SET_EVENTFD:
			FCHECK(f, in.evfd.classes && !(in.evfd.classes & ~EDU_EVFD_ALL) &&
				  !in.evfd.flags && !in.evfd.reserved &&
				  (in.evfd.fd == -1 || in.evfd.fd == evfd),
			       "eventfd fd %d classes %#x flags %#x reserved %#x accepted",
			       in.evfd.fd, in.evfd.classes, in.evfd.flags, in.evfd.reserved);
			break;
		case EDU_IOC_RING_SETUP:
			FCHECK(f, !ringed[idx] && !in.ring.flags && in.ring.entries >= EDU_RING_MIN_ENTRIES &&
				  in.ring.entries <= EDU_RING_MAX_ENTRIES &&
				  !(in.ring.entries & (in.ring.entries - 1)) &&
				  u->ring.mmap_offset == EDU_RING_MMAP_OFFSET,
			       "ring of %u entries, flags %#x, accepted (offset %#llx)%s",
			       in.ring.entries, in.ring.flags,
			       (unsigned long long)u->ring.mmap_offset,
			       ringed[idx] ? " a second time" : "");
			ringed[idx] = 1;
			break;
		case EDU_IOC_RING_CONSUME:
			FCHECK(f, ringed[idx], "consume on a file without a ring succeeded");
			break;
		}
	}
	for (i = 0; i < 4; i++)
		close(fds[i]);
	close(evfd);
	return 0;
}

/* ---- mmap ----------------------------------------------------------- */

#define SLOTS 16
struct map {
	unsigned char *p;
	size_t len;
	int prot, fd, slot, advised, rdonly;
};

static unsigned char *scratch;	/* SLOTS reserved pairs of pages for MAP_FIXED */
static int slot_used[SLOTS];

static void slot_reserve(int slot)
{
	mmap(scratch + slot * 2 * PAGE, 2 * PAGE, PROT_NONE,
	     MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void map_drop(struct map *m)
{
	if (m->slot >= 0) {
		slot_reserve(m->slot);
		slot_used[m->slot] = 0;
	} else
		munmap(m->p, m->len);
	m->p = NULL;
}

static size_t gen_len(struct fuzz *f)
{
	static const size_t lens[] = {
		0, 1, 100, 4095, 4096, 4097, 8192, 1 << 20, 1ULL << 40, SIZE_MAX,
		SIZE_MAX & ~4095ULL, 0x7ffffffff000ULL,
	};

	return chance(f, 60) ? lens[below(f, ARRAY_SIZE(lens))] : below(f, 3 * PAGE);
}

static int fuzz_mmap(struct fuzz *f)
{
	struct map maps[8] = { 0 };
	int fds[3] = { -1, -1, -1 }, ndev = ndevices(), i;

	scratch = mmap(NULL, SLOTS * 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FCHECK(f, scratch != MAP_FAILED, "scratch");
	for (i = 0; i < 3; i++)
		if (open_dev(f, &fds[i], i, ndev))
			return -1;
	while (running(f)) {
		unsigned int op = below(f, 20), idx = below(f, 3);
		struct map *m = &maps[below(f, ARRAY_SIZE(maps))];
		int ret, e, sig;

		if (op < 8) {
			static const int flagset[] = {
				MAP_SHARED, MAP_SHARED, MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE, 0,
			};
			static const int extra[] = {
				0, 0, 0, MAP_POPULATE, MAP_LOCKED, MAP_NORESERVE, MAP_32BIT,
				MAP_GROWSDOWN, MAP_STACK, MAP_SYNC, MAP_HUGETLB, MAP_ANONYMOUS,
				MAP_FIXED, MAP_FIXED_NOREPLACE, 0x4000000,
			};
			int flags = flagset[below(f, ARRAY_SIZE(flagset))] |
				    extra[below(f, ARRAY_SIZE(extra))];
			int prot = chance(f, 70) ? PROT_READ | PROT_WRITE : (int)below(f, 8);
			off_t off = chance(f, 70) ? 0 : chance(f, 50) ? (off_t)below(f, 8) * PAGE :
				    (off_t)(rnd(f) >> below(f, 64));
			size_t len = gen_len(f);
			void *hint = NULL;
			int slot = -1, flen;

			/*
			 * Huge private or anonymous lengths only meet the kernel's
			 * overcommit check (and its warning), never the driver.
			 */
			if ((flags & MAP_SHARED_VALIDATE) != MAP_SHARED || flags & MAP_ANONYMOUS)
				len %= (1 << 20) + 1;
			if (m->p)
				map_drop(m);
			if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
				for (slot = 0; slot < SLOTS && slot_used[slot]; slot++)
					;
				if (slot == SLOTS)
					continue;
				hint = scratch + slot * 2 * PAGE;
				len = len % (2 * PAGE + 1);
			}
			note(f, "mmap fd%u len %#zx prot %#x flags %#x off %#llx hint %p", idx, len,
			     prot, flags, (long long)off, hint);
			m->p = mmap(hint, len, prot, flags, fds[idx], off);
			e = errno;
			if (m->p == MAP_FAILED) {
				note(f, "  -> %s", strerror(e));
				m->p = NULL;
				if (slot >= 0 && !(flags & MAP_FIXED_NOREPLACE))
					slot_reserve(slot);	/* a failed MAP_FIXED leaves a hole */
				continue;
			}
			m->len = len;
			m->prot = prot;
			m->fd = idx;
			m->slot = (flags & MAP_FIXED) ? slot : -1;
			if (m->slot >= 0)
				slot_used[slot] = 1;
			m->advised = 0;
			m->rdonly = !(fcntl(fds[idx], F_GETFL) & O_RDWR);
			if (flags & MAP_ANONYMOUS) {
				m->advised = 1;	/* not the device's: no promise to check */
				continue;
			}
			flen = flags & MAP_SHARED_VALIDATE;
			FCHECK(f, f->root, "uid 65534 mapped the DMA page");
			FCHECK(f, off == 0 && len && len <= EDU_MMAP_SIZE,
			       "mapped offset %#llx length %#zx", (long long)off, len);
			FCHECK(f, flen == MAP_SHARED || flen == MAP_SHARED_VALIDATE,
			       "mapped with flags %#x", flags);
			FCHECK(f, !(prot & PROT_EXEC), "mapped executable");
			/* Every byte of the page is there, for what prot allows. */
			if (prot & (PROT_READ | PROT_WRITE)) {
				unsigned int at = below(f, EDU_MMAP_SIZE);

				sig = touch(m->p + at, !!(prot & PROT_WRITE), rnd(f));
				FCHECK(f, !sig, "touching byte %u of a fresh mapping (prot %#x): signal %d",
				       at, prot, sig);
			}
		} else if (op == 8 && m->p) {
			note(f, "munmap %p", m->p);
			map_drop(m);
		} else if (op == 9 && m->p) {
			int prot = below(f, 8);

			note(f, "mprotect %p %#x", m->p, prot);
			ret = mprotect(m->p, PAGE, prot);
			if (!m->advised && !(m->prot & ~(PROT_READ | PROT_WRITE)))
				FCHECK(f, ret || (!(prot & PROT_EXEC) && !(m->rdonly && prot & PROT_WRITE)),
				       "mprotect to %#x succeeded (read-only file %d)", prot, m->rdonly);
			if (!ret)
				m->prot = prot;
		} else if (op == 10 && m->p && m->slot < 0) {
			size_t nl = chance(f, 50) ? 2 * PAGE : chance(f, 50) ? PAGE : gen_len(f);

			if (m->advised)	/* anonymous: no overcommit warnings */
				nl %= (1 << 20) + 1;
			int fl = below(f, 8) & (MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
			void *np;

			note(f, "mremap %p %#zx -> %#zx flags %#x", m->p, m->len, nl, fl);
			np = mremap(m->p, m->len ? PAGE : 0, nl, fl);
			if (np == MAP_FAILED)
				continue;
			FCHECK(f, m->advised || nl <= PAGE, "mremap grew the mapping to %#zx", nl);
			if (fl & MREMAP_DONTUNMAP) {
				munmap(np, nl);	/* keep one of the two */
			} else {
				m->p = np;
				m->len = nl;
			}
		} else if (op == 11 && m->p) {
			static const int advice[] = {
				MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED,
				MADV_FREE, MADV_REMOVE, MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE,
				MADV_UNMERGEABLE, MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP,
				MADV_DODUMP, MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT,
				22 /* POPULATE_READ */, 23 /* POPULATE_WRITE */, 25 /* COLLAPSE */,
			};
			int adv = advice[below(f, ARRAY_SIZE(advice))];

			note(f, "madvise %p %d", m->p, adv);
			if (!madvise(m->p, PAGE, adv))
				m->advised = 1;
		} else if (op == 12 && m->p) {
			int fl = (int[]){ MS_ASYNC, MS_SYNC, MS_INVALIDATE, 0, 7 }[below(f, 5)];

			note(f, "msync %p %#x / mlock", m->p, fl);
			msync(m->p, PAGE, fl);
			if (chance(f, 50) && !mlock(m->p, PAGE))
				munlock(m->p, PAGE);
		} else if (op == 13) {
			/* A child inherits none of the mappings it was not told to keep. */
			int st, j, leaked = 0;
			pid_t pid;

			note(f, "fork and touch");
			fflush(stdout);
			pid = fork();
			if (pid == 0) {
				for (j = 0; j < (int)ARRAY_SIZE(maps); j++)
					if (maps[j].p && !maps[j].advised && maps[j].prot & PROT_READ &&
					    !touch(maps[j].p, 0, 0))
						leaked |= 1 << j;
				_exit(leaked);
			}
			FCHECK(f, pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st),
			       "fork child: %#x", st);
			FCHECK(f, WEXITSTATUS(st) == 0, "a child could read mappings %#x of its parent",
			       WEXITSTATUS(st));
		} else if (op == 14 && m->p && m->fd >= 0 && f->root && !m->advised &&
			   m->prot & PROT_READ &&
			   m->prot & PROT_WRITE && !m->rdonly) {
			/* The mapping is what the device moves: out and back. */
			struct edu_dma d = { .dir = EDU_DMA_TO_DEVICE, .window_off = below(f, 3000),
					     .buf_off = below(f, 3000), .len = 1 + below(f, 64) };
			unsigned char pat[64];
			unsigned int j;

			for (j = 0; j < d.len; j++)
				pat[j] = m->p[d.buf_off + j] = rnd(f);
			note(f, "DMA round trip through %p off %u buf %u len %u", m->p, d.window_off,
			     d.buf_off, d.len);
			ret = ioctl(fds[m->fd], EDU_IOC_DMA, &d);
			if (ret && (errno == EBUSY || errno == EINTR))
				continue;
			FCHECK(f, ret == 0, "DMA from the mapping: %m");
			memset(m->p + d.buf_off, 0, d.len);
			d.dir = EDU_DMA_FROM_DEVICE;
			FCHECK(f, ioctl(fds[m->fd], EDU_IOC_DMA, &d) == 0, "DMA to the mapping: %m");
			FCHECK(f, !memcmp(m->p + d.buf_off, pat, d.len), "the mapping lost the data");
		} else if (op == 15) {
			note(f, "reopen fd%u (mappings stay)", idx);
			for (i = 0; i < (int)ARRAY_SIZE(maps); i++)
				if (maps[i].fd == (int)idx)
					maps[i].fd = -1;	/* another file's page now */
			if (open_dev(f, &fds[idx], below(f, ndev), ndev))
				return -1;
		} else if (m->p && !m->advised && m->prot & (PROT_READ | PROT_WRITE)) {
			unsigned int at = below(f, EDU_MMAP_SIZE);

			note(f, "touch %p+%u", m->p, at);
			sig = touch(m->p + at, !!(m->prot & PROT_WRITE), rnd(f));
			FCHECK(f, !sig, "touching byte %u (prot %#x): signal %d", at, m->prot, sig);
		} else if (m->p) {
			touch(m->p + below(f, PAGE), chance(f, 50), 0);	/* may fault: fine */
		}
	}
	for (i = 0; i < (int)ARRAY_SIZE(maps); i++)
		if (maps[i].p)
			map_drop(&maps[i]);
	for (i = 0; i < 3; i++)
		close(fds[i]);
	return 0;
}

/* ---- read / write --------------------------------------------------- */

static timer_t tick_timer;

static void on_tick(int sig)
{
	(void)sig;
}

/* A blocking call made now ends within ms (EINTR at worst). */
static void tick_arm(int ms)
{
	struct itimerspec its = { .it_value = { 0, ms * 1000000L } };

	timer_settime(tick_timer, 0, &its, NULL);
}

static void tick_disarm(void)
{
	struct itimerspec its = { 0 };

	timer_settime(tick_timer, 0, &its, NULL);
}

static int tick_init(void)
{
	struct sigaction sa = { .sa_handler = on_tick };	/* no SA_RESTART */
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };

	sigaction(SIGUSR2, &sa, NULL);
	return timer_create(CLOCK_MONOTONIC, &sev, &tick_timer);
}

struct rfile {
	int fd, dev, nonblock, wronly;
	uint64_t last_seq;	/* 0: not known */
};

static int rw_open(struct fuzz *f, struct rfile *r, int ndev)
{
	char name[16];
	int flags = O_RDONLY;

	if (r->fd >= 0)
		close(r->fd);
	r->dev = below(f, ndev);
	if (f->root)
		flags = (int[]){ O_RDONLY, O_RDWR, O_WRONLY }[below(f, 3)];
	r->nonblock = chance(f, 50);
	r->wronly = flags == O_WRONLY;
	r->last_seq = 0;
	snprintf(name, sizeof(name), "edu%d", r->dev);
	r->fd = edu_open_dev(name, flags | (r->nonblock ? O_NONBLOCK : 0));
	note(f, "open %s flags %#x nonblock %d", name, flags, r->nonblock);
	FCHECK(f, r->fd >= 0, "open %s: %s", name, strerror(-r->fd));
	return 0;
}

/* Records read into buf: each whole, and chained by seq and lost. */
static int check_records(struct fuzz *f, struct rfile *r, const unsigned char *buf, ssize_t n)
{
	struct edu_event ev;
	ssize_t at;

	FCHECK(f, n > 0 && n % sizeof(ev) == 0, "read returned %zd", n);
	for (at = 0; at < n; at += sizeof(ev)) {
		memcpy(&ev, buf + at, sizeof(ev));
		FCHECK(f, ev.version == EDU_EVENT_VERSION && ev.size == sizeof(ev) &&
			  ev.device == (unsigned int)r->dev && ev.type >= 1 && ev.type <= 3,
		       "record version %u size %u device %u type %u", ev.version, ev.size,
		       ev.device, ev.type);
		FCHECK(f, !r->last_seq || ev.seq == r->last_seq + ev.lost + 1,
		       "seq %llu after %llu with lost %u", (unsigned long long)ev.seq,
		       (unsigned long long)r->last_seq, ev.lost);
		r->last_seq = ev.seq;
	}
	return 0;
}

static size_t gen_size(struct fuzz *f)
{
	static const size_t sizes[] = {
		0, 1, 39, 40, 41, 79, 80, 120, 400, 4096, BIG, 1 << 20, SSIZE_MAX, SIZE_MAX,
	};

	return chance(f, 60) ? sizes[below(f, ARRAY_SIZE(sizes))] : below(f, 8192);
}

static int fuzz_read_write(struct fuzz *f)
{
	struct rfile files[4];
	int ndev = ndevices(), raisers[MAX_EDU], i;
	char name[16];

	FCHECK(f, tick_init() == 0, "timer: %m");
	block_signals(1UL << (SIGUSR2 - 1));
	for (i = 0; i < ndev; i++) {
		snprintf(name, sizeof(name), "edu%d", i);
		raisers[i] = f->root ? edu_open_dev(name, O_RDWR) : -1;
	}
	for (i = 0; i < 4; i++) {
		files[i].fd = -1;
		if (rw_open(f, &files[i], ndev))
			return -1;
	}
	while (running(f)) {
		struct rfile *r = &files[below(f, 4)];
		unsigned int op = below(f, 20);
		size_t size = gen_size(f);
		int kind, e;
		ssize_t ret;
		void *p;

		if (op == 0) {
			if (rw_open(f, r, ndev))
				return -1;
		} else if (op < 3 && f->root) {
			int n = chance(f, 10) ? 70 : 1 + below(f, 4), d = below(f, ndev);

			note(f, "raise %d on edu%d", n, d);
			for (i = 0; i < n; i++)
				raise_irq(raisers[d], 1u << (12 + below(f, 8)));
		} else if (op < 11) {
			p = gen_ptr(f, size < BIG ? size : BIG, &kind);
			note(f, "read fd %d %s %p size %#zx nonblock %d", r->fd, ptr_names[kind], p, size,
			     r->nonblock);
			if (!r->nonblock)
				tick_arm(50);
			ret = read(r->fd, p, size);
			e = ret < 0 ? errno : 0;
			tick_disarm();
			if (r->wronly) {
				FCHECK(f, ret == -1 && e == EBADF, "read of a write-only file: %zd %s",
				       ret, en(e));
				continue;
			}
			if (ret < 0) {
				FCHECK(f, e == EINVAL || e == EAGAIN || e == EFAULT || e == EINTR,
				       "read: %s", en(e));
				FCHECK(f, e != EINVAL || size < sizeof(struct edu_event),
				       "read of %zu bytes: %s", size, en(e));
				FCHECK(f, kind != P_VALID || size >= sizeof(struct edu_event) ||
					  e == EINVAL, "read of %zu bytes: %s", size, en(e));
				FCHECK(f, e != EAGAIN || r->nonblock, "EAGAIN when blocking");
				continue;
			}
			FCHECK(f, (size_t)ret <= size, "read %zd of %zu", ret, size);
			if (kind == P_VALID || kind == P_STRADDLE) {
				if (check_records(f, r, p, ret))
					return -1;
			} else {
				FCHECK(f, 0, "read into a %s buffer returned %zd", ptr_names[kind], ret);
			}
		} else if (op < 13) {
			p = gen_ptr(f, size < BIG ? size : BIG, &kind);
			note(f, "write fd %d %s size %#zx", r->fd, ptr_names[kind], size);
			ret = chance(f, 50) ? write(r->fd, p, size) : pwrite(r->fd, p, size, below(f, 99));
			e = errno;
			FCHECK(f, ret == -1 && (e == EINVAL || e == EBADF || e == ESPIPE),
			       "write: %zd %s", ret, en(e));
		} else if (op < 15) {
			off_t off = chance(f, 50) ? 0 : (off_t)below(f, 1 << 20) - 4;

			p = gen_ptr(f, 80, &kind);
			note(f, "pread/lseek fd %d off %lld", r->fd, (long long)off);
			ret = pread(r->fd, p, 80, off);
			FCHECK(f, ret == -1 && (errno == ESPIPE || errno == EINVAL || errno == EBADF),
			       "pread: %zd %m", ret);
			ret = lseek(r->fd, off, below(f, 5));
			FCHECK(f, ret == -1 && (errno == ESPIPE || errno == EINVAL),
			       "lseek: %zd %m", ret);
		} else if (op < 17) {
			struct iovec iov[4];
			int n = 1 + below(f, 4);

			for (i = 0; i < n; i++) {
				iov[i].iov_len = chance(f, 50) ? 40 * below(f, 4) : gen_size(f) % 200;
				iov[i].iov_base = gen_ptr(f, iov[i].iov_len, &kind);
			}
			note(f, "readv fd %d %d segments", r->fd, n);
			if (!r->nonblock)
				tick_arm(50);
			ret = chance(f, 50) ? readv(r->fd, iov, n) :
			      preadv2(r->fd, iov, n, -1, below(f, 32));
			tick_disarm();
			r->last_seq = 0;	/* which segments got what: not followed */
		} else if (op < 19) {
			struct pollfd pfd = { .fd = r->fd, .events = POLLIN | POLLPRI | POLLOUT };
			struct edu_event ev;

			note(f, "poll fd %d", r->fd);
			ret = poll(&pfd, 1, 0);
			FCHECK(f, ret >= 0, "poll: %m");
			if (ret == 1 && pfd.revents & POLLIN && !r->wronly) {
				/* Readable means a record is there now. */
				ret = read(r->fd, &ev, sizeof(ev));
				FCHECK(f, ret == sizeof(ev), "read after POLLIN: %zd %m", ret);
				if (check_records(f, r, (void *)&ev, ret))
					return -1;
			}
		} else {
			int fl = fcntl(r->fd, F_GETFL);

			r->nonblock = !r->nonblock;
			note(f, "fcntl fd %d nonblock %d", r->fd, r->nonblock);
			fcntl(r->fd, F_SETFL, r->nonblock ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
		}
	}
	for (i = 0; i < 4; i++)
		close(files[i].fd);
	for (i = 0; i < ndev; i++)
		if (raisers[i] >= 0)
			close(raisers[i]);
	return 0;
}

/* ---- files: sysfs, debugfs, sysctl, configfs ------------------------ */

enum {
	T_IDENT = 1,		/* reads 0x010000ed */
	T_UNCHANGED = 2,	/* a refused write changes nothing */
	T_FACTORIAL = 4,	/* an accepted n gives n! */
	T_SIGNAL_PID = 8,	/* only this process, or none */
	T_SPURIOUS = 16,	/* at most 50 */
	T_SYSCTL = 32,		/* put back at once */
	T_DEST = 64,		/* loopback only */
};

struct target {
	char path[200];
	unsigned int flags;
};

static struct target targets[256];
static int ntargets;

static unsigned int flags_of(const char *path)
{
	const char *base = strrchr(path, '/') + 1;

	if (!strncmp(path, SYSCTL_DIR, strlen(SYSCTL_DIR)))
		return T_SYSCTL | T_UNCHANGED;
	if (!strcmp(base, "identification"))
		return T_IDENT;
	if (!strcmp(base, "liveness"))
		return T_UNCHANGED;
	if (!strcmp(base, "factorial"))
		return T_FACTORIAL | T_UNCHANGED;
	if (!strcmp(base, "signal_pid"))
		return T_SIGNAL_PID;
	if (!strcmp(base, "spurious_irq"))
		return T_SPURIOUS;
	if (!strcmp(base, "fail_dma") || !strcmp(base, "dma_delay_ms"))
		return T_UNCHANGED;
	if (!strcmp(base, "dest"))
		return T_DEST | T_UNCHANGED;
	if (!strcmp(base, "type") || !strcmp(base, "device") || !strcmp(base, "event_mask"))
		return T_UNCHANGED;
	return 0;
}

static void add_target(const char *path)
{
	if (ntargets == (int)ARRAY_SIZE(targets))
		return;
	snprintf(targets[ntargets].path, sizeof(targets[0].path), "%.199s", path);
	targets[ntargets].flags = flags_of(path);
	ntargets++;
}

/* Regular files under dir, not through links, not the excluded names. */
static void collect(const char *dir, int depth)
{
	static const char *const skip[] = { "uevent", "power", "device", "subsystem" };
	char path[400];
	struct dirent *de;
	struct stat st;
	unsigned int i;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		for (i = 0; i < ARRAY_SIZE(skip) && strcmp(de->d_name, skip[i]); i++)
			;
		if (i < ARRAY_SIZE(skip))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISREG(st.st_mode))
			add_target(path);
		else if (S_ISDIR(st.st_mode) && depth < 3)
			collect(path, depth + 1);
	}
	if (d)
		closedir(d);
}

/* What is written to t: random text, made safe where it must be. */
static size_t gen_value(struct fuzz *f, const struct target *t, char *buf, size_t max)
{
	size_t len = gen_text(f, buf, max);

	if (t->flags & T_SIGNAL_PID) {
		static const int sigs[] = { 0, SIGUSR1, SIGUSR2, SIGHUP, SIGTERM, SIGKILL, SIGSTOP,
					    34, 64, 65, -1, 999 };

		switch (below(f, 5)) {
		case 0:
			return snprintf(buf, max, "0");
		case 1:
			return snprintf(buf, max, "%d", getpid());
		case 2:
			return snprintf(buf, max, "%d %d", getpid(), sigs[below(f, ARRAY_SIZE(sigs))]);
		case 3:
			return snprintf(buf, max, "%d", (int[]){ 999999999, -5, 4194305 }[below(f, 3)]);
		}
		/* Text with no digit in it names no process. */
		for (size_t i = 0; i < len; i++)
			if ((buf[i] >= '0' && buf[i] <= '9') || !buf[i])
				buf[i] = 'x';
		return len;
	}
	if (t->flags & T_SPURIOUS) {
		buf[len] = '\0';
		if (strtoull(buf, NULL, 0) > 50 || strchr(buf, '-'))
			return snprintf(buf, max, "%u", below(f, 51));
	}
	if (t->flags & T_DEST && chance(f, 50))
		return snprintf(buf, max, chance(f, 60) ? "127.0.0.%u:%u" : "%u.%u.0.1:%u",
				below(f, 256), below(f, 70000) & 0xffff, below(f, 65536));
	return len;
}

static int read_value(const char *path, char *buf, size_t len)
{
	return read_str(path, buf, len);
}

/* One random operation on one file. */
static int file_op(struct fuzz *f, const struct target *t)
{
	static char val[8192 + 64];
	char before[512], after[512];
	unsigned int op = below(f, 20);
	int fd, kind, ret, e;
	ssize_t ret2 = 0;
	size_t len;
	int second;
	void *p;

	if (op < 8) {
		size_t size = chance(f, 70) ? 4096 : gen_size(f);
		off_t off = chance(f, 80) ? 0 : (off_t)below(f, 5000) - (chance(f, 5) ? 10 : 0);

		fd = open(t->path, O_RDONLY | (chance(f, 30) ? O_NONBLOCK : 0));
		p = gen_ptr(f, size < BIG ? size : BIG, &kind);
		note(f, "read %s %s size %#zx off %lld: open %s", t->path, ptr_names[kind], size,
		     (long long)off, fd < 0 ? strerror(errno) : "ok");
		if (fd < 0)
			return 0;
		ret = off ? pread(fd, p, size, off) : read(fd, p, size);
		if (t->flags & T_IDENT && kind == P_VALID && !off && size >= 11 && ret > 0)
			FCHECK(f, ret == 11 && !memcmp(p, "0x010000ed\n", 11),
			       "identification reads %.*s", ret, (char *)p);
		close(fd);
		return 0;
	}
	if (op < 18) {
		int flags = O_WRONLY | (int[]){ 0, 0, O_TRUNC, O_APPEND, O_NONBLOCK, O_RDWR }[below(f, 6)];

		len = gen_value(f, t, val, sizeof(val) - 64);
		if (chance(f, 10) && !(t->flags & (T_SIGNAL_PID | T_SPURIOUS)))
			len += below(f, 64);	/* and some bytes past the text */
		if (t->flags & T_UNCHANGED)
			read_value(t->path, before, sizeof(before));
		p = val;
		kind = P_VALID;
		if (chance(f, 8))
			p = gen_ptr(f, len ? len : 1, &kind);
		if ((t->flags & T_SIGNAL_PID) && kind != P_VALID)
			p = NULL;	/* nothing but the constructed text */
		note(f, "write %s %s len %zu '%.40s'", t->path, kind == P_VALID ? "" : ptr_names[kind],
		     len, kind == P_VALID ? val : "");
		fd = open(t->path, flags);
		e = errno;
		if (!f->root) {
			/* ENOENT: a route the root phase made and removed since. */
			FCHECK(f, fd < 0 && (e == EACCES || e == EPERM || e == ENOENT),
			       "uid 65534 opened %s for writing: %s", t->path, en(fd < 0 ? e : 0));
			if (t->flags & T_UNCHANGED) {
				read_value(t->path, after, sizeof(after));
				FCHECK(f, !strcmp(before, after), "%s changed: %s -> %s", t->path,
				       before, after);
			}
			return 0;
		}
		if (fd < 0)
			return 0;
		ret = chance(f, 90) ? write(fd, p, len) : pwrite(fd, p, len, below(f, 64));
		e = ret < 0 ? errno : 0;
		second = ret >= 0 && chance(f, 10);
		if (second)	/* on the same file: the value is then the second's */
			ret2 = write(fd, val, gen_value(f, t, val, sizeof(val) - 64));
		(void)ret2;
		close(fd);
		if (second && t->flags & T_SYSCTL) {
			struct saved *s = sysctl_saved(t->path);

			FCHECK(f, !s || !sysctl_put_back(s), "cannot put %s back", t->path);
		}
		if (second)
			return 0;
		if (e && t->flags & T_UNCHANGED) {
			read_value(t->path, after, sizeof(after));
			FCHECK(f, !strcmp(before, after), "refused (%s) write of '%.40s' changed %s: %s -> %s",
			       en(e), val, t->path, before, after);
		}
		if (ret > 0 && t->flags & T_FACTORIAL && p == val) {
			long n;

			val[len < sizeof(val) ? len : sizeof(val) - 1] = '\0';
			n = strtol(val, NULL, 10);
			read_value(t->path, after, sizeof(after));
			FCHECK(f, n >= 0 && n <= 12 && strtoul(after, NULL, 10) == fact(n),
			       "factorial '%.20s' accepted, reads %s", val, after);
		}
		if (ret > 0 && t->flags & T_DEST) {
			read_value(t->path, after, sizeof(after));
			FCHECK(f, !strncmp(after, "127.", 4) || !strcmp(after, "\n"),
			       "a route took the remote destination %s", after);
		}
		if (t->flags & T_SYSCTL) {
			struct saved *s = sysctl_saved(t->path);

			FCHECK(f, !s || !sysctl_put_back(s), "cannot put %s back", t->path);
		}
		return 0;
	}
	/* Polling (sysfs stats/irqs is pollable) and odd opens. */
	note(f, "poll/open-odd %s", t->path);
	fd = open(t->path, (int[]){ O_RDONLY, O_RDONLY | O_DIRECTORY, O_PATH, O_RDONLY | O_CREAT }
			   [below(f, 4)], 0600);
	if (fd >= 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLPRI };
		char c;

		/* Whatever the read gives is fine: only the kernel's survival counts. */
		if (read(fd, &c, 1) < 0)
			errno = 0;
		poll(&pfd, 1, 0);
		close(fd);
	}
	return 0;
}

static int fuzz_files(struct fuzz *f)
{
	FCHECK(f, ntargets > 0, "no files to fuzz");
	while (running(f))
		if (file_op(f, &targets[below(f, ntargets)]))
			return -1;
	return 0;
}

static int collect_sysfs(void)
{
	char names[MAX_EDU][16], dir[64];
	int n = edu_names(names, MAX_EDU), i;

	ntargets = 0;
	for (i = 0; i < n; i++) {
		snprintf(dir, sizeof(dir), "/sys/class/edu/%.15s", names[i]);
		collect(dir, 0);
	}
	add_target("/proc/driver/edu");
	return ntargets > 0 ? 0 : -1;
}

static int collect_debugfs(void)
{
	ntargets = 0;
	collect(DEBUGFS_DIR, 0);
	return ntargets > 0 ? 0 : -1;
}

static int collect_sysctl(void)
{
	ntargets = 0;
	collect(SYSCTL_DIR, 0);
	return ntargets > 0 ? 0 : -1;
}

/* ---- configfs ------------------------------------------------------- */

static const char *const route_attrs[] = {
	"type", "dest", "device", "event_mask", "enable", "sent", "dropped", "last_error",
	"last_status", "queued", "state",
};
static char routes[8][300];
static int nroutes;

static void route_name(struct fuzz *f, char *name, size_t len)
{
	size_t i, n;

	if (chance(f, 80)) {
		snprintf(name, len, "fuzz-%u", below(f, 1000));
		return;
	}
	n = 1 + below(f, len - 1);
	for (i = 0; i < n; i++)
		name[i] = "abcxyz-_.0123456789~:"[below(f, 21)];
	name[n] = '\0';
}

/* Route attributes get values of their kind as often as random text. */
static size_t route_value(struct fuzz *f, const char *attr, char *buf, size_t max)
{
	if (chance(f, 50)) {
		if (!strcmp(attr, "type"))
			return snprintf(buf, max, "%s", (const char *[]){ "udp", "tcp", "upcall",
					"none", "udp\n" }[below(f, 5)]);
		if (!strcmp(attr, "device"))
			return snprintf(buf, max, "%d", (int)below(f, 67) - 2);
		if (!strcmp(attr, "event_mask"))
			return snprintf(buf, max, "%#x", (unsigned int)rnd(f) >> below(f, 32));
		if (!strcmp(attr, "enable"))
			return snprintf(buf, max, "%d", chance(f, 60));
	}
	return 0;
}

static int fuzz_configfs(struct fuzz *f)
{
	int ndev = ndevices(), raisers[MAX_EDU], i;
	char name[16];
	static char val[8192 + 64];

	for (i = 0; i < ndev; i++) {
		snprintf(name, sizeof(name), "edu%d", i);
		raisers[i] = f->root ? edu_open_dev(name, O_RDWR) : -1;
	}
	while (running(f)) {
		unsigned int op = below(f, 100);
		char path[400];

		if (op < 6) {
			char rn[220];

			route_name(f, rn, chance(f, 90) ? 32 : 200);
			snprintf(path, sizeof(path), ROUTES_DIR "/%s", rn);
			note(f, "mkdir %s", path);
			if (!mkdir(path, below(f, 01000))) {
				FCHECK(f, f->root, "uid 65534 made a route");
				if (nroutes < (int)ARRAY_SIZE(routes))
					snprintf(routes[nroutes++], sizeof(routes[0]), "%.299s", path);
				else
					rmdir(path);
			} else if (!f->root) {
				FCHECK(f, errno == EACCES || errno == EEXIST || errno == EPERM,
				       "uid 65534 mkdir: %m");
			}
		} else if (op < 8 && nroutes) {
			i = below(f, nroutes);
			note(f, "rmdir %s", routes[i]);
			if (!rmdir(routes[i])) {
				FCHECK(f, f->root, "uid 65534 removed a route");
				memmove(routes[i], routes[--nroutes], sizeof(routes[0]));
			}
		} else if (op < 10) {
			const char *odd = (const char *[]){ ROUTES_DIR, "/sys/kernel/config/edu",
				ROUTES_DIR "/x/y", "/sys/kernel/config/edu/fuzz" }[below(f, 4)];

			note(f, "mkdir/rmdir odd %s", odd);
			if (!mkdir(odd, 0755))
				rmdir(odd);
			rmdir(odd);
		} else if (op < 20 && f->root) {
			int d = below(f, ndev);

			note(f, "raise on edu%d", d);
			raise_irq(raisers[d], 1u << (12 + below(f, 8)));
		} else if (nroutes) {
			struct target t;
			const char *attr = route_attrs[below(f, ARRAY_SIZE(route_attrs))];
			size_t len = route_value(f, attr, val, sizeof(val) - 64);

			snprintf(t.path, sizeof(t.path), "%.180s/%s", routes[below(f, nroutes)], attr);
			t.flags = flags_of(t.path);
			if (len) {
				char before[128], after[128];
				int ret, e;

				read_value(t.path, before, sizeof(before));
				note(f, "write %s '%s'", t.path, val);
				ret = write_text(t.path, val, len);
				e = -ret;
				read_value(t.path, after, sizeof(after));
				if (!f->root)
					FCHECK(f, ret && !strcmp(before, after),
					       "uid 65534 wrote %s: %s, %s -> %s", t.path, en(e), before,
					       after);
				else if (ret && t.flags & T_UNCHANGED)
					FCHECK(f, !strcmp(before, after),
					       "refused (%s) write changed %s: %s -> %s", en(e), t.path,
					       before, after);
			} else if (file_op(f, &t)) {
				return -1;
			}
		}
	}
	for (i = 0; i < ndev; i++)
		if (raisers[i] >= 0)
			close(raisers[i]);
	return 0;
}

/* ---- generic netlink ------------------------------------------------ */

static int nl_family;
static uint32_t priv_seq[4096];	/* at seq % 4096: seq, if it was a privileged request */
static uint32_t priv_what[4096];	/* and its cmd << 16 | flags */

static size_t put_attr(unsigned char *p, size_t room, uint16_t type, const void *data,
		       size_t len, int bad_len, struct fuzz *f)
{
	struct nlattr a;
	size_t total = NLA_HDRLEN + NLA_ALIGN(len);

	if (total > room)
		return 0;
	a.nla_type = type;
	a.nla_len = NLA_HDRLEN + len;
	if (bad_len)
		a.nla_len = (uint16_t[]){ 0, 1, 3, 4, a.nla_len - 1, a.nla_len + 1, 0xffff,
					  (uint16_t)rnd(f) }[below(f, 8)];
	memcpy(p, &a, sizeof(a));
	memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return total;
}

static size_t gen_attrs(struct fuzz *f, unsigned char *p, size_t room, int depth)
{
	static const char *const names[] = {
		"edu0", "edu1", "edu99", "edu", "edu-1", "edu4294967296", "edu0x1", "edu 1",
		"edu1edu1edu1edu1", "",
	};
	size_t used = 0, n = below(f, 8), i, len;
	unsigned char data[512];

	for (i = 0; i < n; i++) {
		uint16_t type = chance(f, 80) ? below(f, EDU_A_MAX + 3) : (uint16_t)rnd(f);
		uint64_t v = chance(f, 60) ? below(f, 14) : chance(f, 50) ? ~0ULL : rnd(f);

		if (chance(f, 10))
			type |= chance(f, 50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
		switch (below(f, 8)) {
		case 0: len = 1; break;
		case 1: len = 2; break;
		case 2: case 3: len = 4; break;
		case 4: len = 8; break;
		case 5:
			len = snprintf((char *)data, sizeof(data), "%s", names[below(f, ARRAY_SIZE(names))]) +
			      chance(f, 80);	/* with or without its NUL */
			goto put;
		case 6:
			len = below(f, sizeof(data));
			for (size_t k = 0; k < len; k++)
				data[k] = rnd(f);
			goto put;
		default:
			if (depth < 3) {
				len = gen_attrs(f, data, sizeof(data), depth + 1);
				goto put;
			}
			len = 0;
			goto put;
		}
		memcpy(data, &v, len);
put:
		len = put_attr(p + used, room - used, type, data, len, chance(f, 8), f);
		if (!len)
			break;
		used += len;
	}
	return used;
}

/*
 * One request into buf: its length to send. *intact stays 1 only if the
 * kernel will parse it, and the one after it in a batch, as generated.
 */
static size_t gen_request(struct fuzz *f, unsigned char *buf, size_t room, uint32_t seq,
			  int *intact)
{
	struct nlmsghdr *h = (void *)buf;
	struct genlmsghdr *g = (void *)(buf + NLMSG_HDRLEN);
	static const uint16_t flagbits[] = {
		NLM_F_ACK, NLM_F_ECHO, NLM_F_DUMP, NLM_F_ROOT, NLM_F_ATOMIC, NLM_F_CREATE,
		NLM_F_EXCL, NLM_F_MULTI, NLM_F_DUMP_INTR, 0x8000,
	};
	size_t len;
	int i;

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = chance(f, 80) ? nl_family :
			(uint16_t[]){ GENL_ID_CTRL, NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE,
				      (uint16_t)(nl_family + 1), (uint16_t)rnd(f) }[below(f, 6)];
	h->nlmsg_flags = chance(f, 90) ? NLM_F_REQUEST : 0;
	for (i = below(f, 4); i > 0; i--)
		h->nlmsg_flags |= flagbits[below(f, ARRAY_SIZE(flagbits))];
	if (chance(f, 60))
		h->nlmsg_flags |= NLM_F_ACK;
	h->nlmsg_seq = seq;
	h->nlmsg_pid = chance(f, 95) ? 0 : rnd(f);
	g->cmd = chance(f, 85) ? below(f, EDU_CMD_MAX + 3) : (uint8_t)rnd(f);
	g->version = chance(f, 80) ? EDU_GENL_VERSION : (uint8_t)rnd(f);
	g->reserved = chance(f, 90) ? 0 : rnd(f);
	len = NLMSG_HDRLEN + GENL_HDRLEN;
	len += gen_attrs(f, buf + len, room - len, 0);
	h->nlmsg_len = len;
	priv_seq[seq % ARRAY_SIZE(priv_seq)] = h->nlmsg_type == nl_family &&
		h->nlmsg_flags & NLM_F_REQUEST &&
		(g->cmd == EDU_CMD_FACTORIAL || g->cmd == EDU_CMD_RAISE_IRQ ||
		 g->cmd == EDU_CMD_RESET_STATS) ? seq : 0;
	priv_what[seq % ARRAY_SIZE(priv_seq)] = g->cmd << 16 | h->nlmsg_flags;
	/*
	 * A wrong length makes the kernel read the next request of the batch
	 * from the wrong offset, and a truncated request has the next one
	 * written over its tail: either way the kernel then parses headers
	 * that were never generated, and their seq can be any old one.
	 */
	if (chance(f, 8)) {
		h->nlmsg_len = (uint32_t[]){ 0, 1, 15, 16, 19, len - 1, len + 1, len + 4096,
					     (uint32_t)rnd(f) }[below(f, 9)];
		*intact = 0;
	}
	if (chance(f, 6)) {
		len = below(f, len + 1);
		*intact = 0;
	}
	return len;
}

/*
 * Drains the socket. As uid 65534 no privileged request may have worked;
 * the answers are judged only when the batch was parsed as generated.
 */
static int nl_drain(struct fuzz *f, int fd, int judge)
{
	static unsigned char rbuf[65536];
	ssize_t n;

	while ((n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT)) != 0) {
		struct nlmsghdr *h = (void *)rbuf;
		int left = n;

		if (n < 0) {
			FCHECK(f, errno == EAGAIN || errno == ENOBUFS || errno == EINTR,
			       "netlink recv: %m");
			if (errno == EAGAIN)
				return 0;
			continue;
		}
		for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			int privileged_seq = h->nlmsg_seq &&
					     priv_seq[h->nlmsg_seq % ARRAY_SIZE(priv_seq)] == h->nlmsg_seq;

			if (f->root || !judge || !privileged_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR &&
			    h->nlmsg_len >= NLMSG_HDRLEN + sizeof(struct nlmsgerr)) {
				struct nlmsgerr *me = NLMSG_DATA(h);

				/* The ack quotes the request's header: it must be ours. */
				FCHECK(f, me->error != 0 || me->msg.nlmsg_type != nl_family ||
					  me->msg.nlmsg_seq != h->nlmsg_seq,
				       "uid 65534: privileged request seq %u (cmd %u flags %#x) "
				       "acknowledged: request len %u type %u flags %#x pid %u",
				       h->nlmsg_seq, priv_what[h->nlmsg_seq % ARRAY_SIZE(priv_seq)] >> 16,
				       priv_what[h->nlmsg_seq % ARRAY_SIZE(priv_seq)] & 0xffff,
				       me->msg.nlmsg_len, me->msg.nlmsg_type, me->msg.nlmsg_flags,
				       me->msg.nlmsg_pid);
			} else if (h->nlmsg_type == nl_family &&
				   h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN &&
				   ((struct genlmsghdr *)NLMSG_DATA(h))->cmd == EDU_CMD_FACTORIAL) {
				/* The one privileged command that answers with data. */
				FCHECK(f, 0, "uid 65534: privileged request seq %u (cmd %u flags %#x) "
				       "answered: len %u flags %#x pid %u cmd %u",
				       h->nlmsg_seq, priv_what[h->nlmsg_seq % ARRAY_SIZE(priv_seq)] >> 16,
				       priv_what[h->nlmsg_seq % ARRAY_SIZE(priv_seq)] & 0xffff,
				       h->nlmsg_len, h->nlmsg_flags, h->nlmsg_pid,
				       ((struct genlmsghdr *)NLMSG_DATA(h))->cmd);
			}
		}
	}
	return 0;
}

static struct nl_sock *nl_open(struct fuzz *f)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1, grp;

	if (!sk || genl_connect(sk))
		return NULL;
	nl_family = genl_ctrl_resolve(sk, EDU_GENL_NAME);
	if (nl_family < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	nl_socket_set_nonblocking(sk);
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (chance(f, 50))
		setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	grp = genl_ctrl_resolve_grp(sk, EDU_GENL_NAME, EDU_GENL_MCGRP_EVENTS);
	if (grp >= 0 && chance(f, 50))
		nl_socket_add_membership(sk, grp);
	return sk;
}

static int fuzz_netlink(struct fuzz *f)
{
	static unsigned char buf[16384];
	struct nl_sock *sk = nl_open(f);
	uint32_t seq = 1 + below(f, 1000);

	FCHECK(f, sk, "cannot open a generic netlink socket to family %s", EDU_GENL_NAME);
	while (running(f)) {
		size_t len = 0, one;
		int msgs = chance(f, 85) ? 1 : 2 + below(f, 3), i, ret, intact = 1;

		if (chance(f, 2)) {
			nl_socket_free(sk);
			sk = nl_open(f);
			FCHECK(f, sk, "cannot open the socket again");
		}
		for (i = 0; i < msgs && len < sizeof(buf) - 4096; i++) {
			one = gen_request(f, buf + len, 4096, seq, &intact);
			seq = seq + 1 ?: 1;
			len += NLMSG_ALIGN(one);
		}
		note(f, "send %d messages, %zu bytes, type %u flags %#x cmd %u seq %u", msgs, len,
		     ((struct nlmsghdr *)buf)->nlmsg_type, ((struct nlmsghdr *)buf)->nlmsg_flags,
		     buf[NLMSG_HDRLEN], ((struct nlmsghdr *)buf)->nlmsg_seq);
		ret = nl_sendto(sk, buf, len);
		(void)ret;
		if (nl_drain(f, nl_socket_get_fd(sk), intact))
			return -1;
	}
	nl_socket_free(sk);
	return 0;
}

/* ---- firmware ------------------------------------------------------- */

static unsigned char orig_fw[EDU_FW_REGION_SIZE];
static int orig_len;
static uint32_t orig_version;

static void fix_header_crc(unsigned char *img)
{
	struct edu_fw_header h;

	memcpy(&h, img, sizeof(h));
	h.header_crc = htole32(edu_crc32(&h, offsetof(struct edu_fw_header, header_crc)));
	memcpy(img, &h, sizeof(h));
}

static void fix_payload_crc(unsigned char *img, size_t len)
{
	struct edu_fw_header h;

	memcpy(&h, img, sizeof(h));
	if (len > sizeof(h) && le32toh(h.payload_len) <= len - sizeof(h))
		h.payload_crc = htole32(edu_crc32(img + sizeof(h), le32toh(h.payload_len)));
	memcpy(img, &h, sizeof(h));
	fix_header_crc(img);
}

/* A mutation of the valid image into img: its length. */
static size_t mutate(struct fuzz *f, unsigned char *img, size_t max)
{
	size_t len = orig_len, i, n;
	uint32_t v;

	memcpy(img, orig_fw, orig_len);
	for (n = chance(f, 25) ? 2 : 1; n > 0; n--) {
		switch (below(f, 8)) {
		case 0:
			for (i = 1 + below(f, 8); i > 0 && len; i--)
				img[below(f, len)] ^= 1 << below(f, 8);
			note(f, "  bit flips");
			break;
		case 1:
			if (len)
				img[below(f, len)] = (unsigned char[]){ 0, 0xff, 0x7f, 0x80 }[below(f, 4)];
			note(f, "  byte set");
			break;
		case 2:
			len = below(f, len);
			note(f, "  truncated to %zu", len);
			break;
		case 3:
			for (i = 1 + below(f, 1100); i > 0 && len < max; i--)
				img[len++] = rnd(f);
			note(f, "  extended to %zu", len);
			break;
		case 4: {
			static const uint32_t vals[] = { 0, 1, 2, 31, 32, 33, 992, 993, 1024, 0xffff,
							 0xffffffff, EDU_FW_MAGIC };
			unsigned int field = below(f, 8);
			static const int offs[] = { 0, 4, 6, 8, 12, 16, 20, 24 };
			static const int sizes[] = { 4, 2, 2, 4, 4, 4, 4, 4 };

			if (len < sizeof(struct edu_fw_header))
				break;
			v = chance(f, 70) ? vals[below(f, ARRAY_SIZE(vals))] : (uint32_t)rnd(f);
			v = htole32(v);
			memcpy(img + offs[field], &v, sizes[field]);	/* little-endian host */
			if (chance(f, 80))
				fix_header_crc(img);
			note(f, "  header field at %d = %#x", offs[field], le32toh(v));
			break;
		}
		case 5: {
			unsigned char payload[EDU_FW_MAX_PAYLOAD];
			size_t plen = 1 + below(f, EDU_FW_MAX_PAYLOAD);

			for (i = 0; i < plen; i++)
				payload[i] = rnd(f);
			len = edu_fw_build(img, max, below(f, 1 << 24), payload, plen);
			note(f, "  new valid image, %zu bytes", len);
			break;
		}
		case 6:
			for (i = 1 + below(f, 4); i > 0 && len > 32; i--)
				img[32 + below(f, len - 32)] = rnd(f);
			fix_payload_crc(img, len);
			note(f, "  payload changed, CRCs fixed");
			break;
		default: {
			uint32_t pl = chance(f, 50) ? below(f, 1100) : (uint32_t)rnd(f);

			if (len < sizeof(struct edu_fw_header))
				break;
			pl = htole32(pl);
			memcpy(img + 12, &pl, 4);
			len = sizeof(struct edu_fw_header) + (chance(f, 50) ? le32toh(pl) % 1100 :
							       below(f, 1100));
			if (len > max)
				len = max;
			for (i = orig_len; i < len; i++)
				img[i] = rnd(f);
			fix_payload_crc(img, len);
			note(f, "  payload_len %u, %zu bytes", le32toh(pl), len);
		}
		}
	}
	return len;
}

enum { UP_NORMAL, UP_CANCEL, UP_CHAOS };

/*
 * One upload through the sysfs fallback: 0 once the load has ended (the
 * state is then in state), -1 when the fallback never came.
 */
static int upload(struct fuzz *f, const char *dev, const unsigned char *img, size_t len,
		  int mode, char *state, size_t slen)
{
	char trig[96], dir[96], path[128];
	int fd, ret;
	size_t at;

	snprintf(trig, sizeof(trig), "/sys/class/edu/%s/firmware_upload", dev);
	snprintf(dir, sizeof(dir), "/sys/class/firmware/edu-upload-%s", dev);
	ret = write_text(trig, "1", 1);
	if (ret == -EBUSY) {
		/* Only a load still in progress may refuse a new one. */
		firmware_settle();
		ret = write_text(trig, "1", 1);
		if (ret == -EBUSY)
			fw_state(dev, state, slen);
	}
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/loading", dir);
	if (!WAIT_FOR(access(path, W_OK) == 0, 10000))
		return -ETIMEDOUT;
	if (mode != UP_CHAOS || chance(f, 70))
		write_text(path, "1", 1);
	if (mode == UP_CHAOS && chance(f, 50)) {
		char junk[64];
		size_t jl = gen_text(f, junk, sizeof(junk) - 8);

		write_text(path, junk, jl < sizeof(junk) ? jl : sizeof(junk) - 1);
	}
	snprintf(path, sizeof(path), "%s/data", dir);
	fd = open(path, O_WRONLY);
	/* In chunks, in order or not: the image is what ends up there. */
	for (at = 0; fd >= 0 && at < len;) {
		size_t chunk = chance(f, 50) ? len - at : 1 + below(f, len - at);

		if (pwrite(fd, img + at, chunk, at) != (ssize_t)chunk)
			break;
		at += chunk;
	}
	/* A stray write past the image, refused or not. */
	if (fd >= 0 && mode == UP_CHAOS && chance(f, 30) &&
	    pwrite(fd, img, len ? 1 + below(f, len) : 1, below(f, 8192)) < 0)
		errno = 0;
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/loading", dir);
	write_text(path, mode == UP_CANCEL ? "-1" : "0", mode == UP_CANCEL ? 2 : 1);
	if (!WAIT_FOR((fw_state(dev, state, slen), strcmp(state, "loading")),
		      mode == UP_CHAOS ? 2000 : 10000)) {
		/* Chaos may leave it waiting: the user side can still cancel. */
		write_text(path, "-1", 2);
		if (mode != UP_CHAOS ||
		    !WAIT_FOR((fw_state(dev, state, slen), strcmp(state, "loading")), 10000))
			return -EBUSY;
	}
	return 0;
}

static int fw_version(const char *dev, char *buf, size_t len)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/edu/%.15s/firmware_version", dev);
	read_str(path, buf, len);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int fuzz_firmware(struct fuzz *f)
{
	static unsigned char img[4096];
	int ndev = ndevices();

	while (running(f)) {
		char dev[16], before[32], after[32], state[96] = "", want[96], trig[96];
		const char *reason;
		int mode = chance(f, 80) ? UP_NORMAL : chance(f, 50) ? UP_CANCEL : UP_CHAOS, ret;
		size_t len;

		snprintf(dev, sizeof(dev), "edu%u", below(f, ndev));
		if (!f->root) {
			char path[128];
			int fd;

			snprintf(trig, sizeof(trig), "/sys/class/edu/%s/firmware_upload", dev);
			note(f, "uid 65534 upload on %s", dev);
			ret = write_text(trig, "1", 1);
			FCHECK(f, ret == -EACCES || ret == -EPERM, "uid 65534 started an upload: %d",
			       ret);
			snprintf(path, sizeof(path), "/sys/class/firmware/edu-upload-%s/%s", dev,
				 chance(f, 50) ? "loading" : "data");
			fd = open(path, O_WRONLY);
			FCHECK(f, fd < 0, "uid 65534 opened %s for writing", path);
			fw_version(dev, before, sizeof(before));
			continue;
		}
		note(f, "upload to %s, mode %d", dev, mode);
		len = mutate(f, img, sizeof(img));
		fw_version(dev, before, sizeof(before));
		ret = upload(f, dev, img, len, mode, state, sizeof(state));
		FCHECK(f, ret == 0, "upload of %zu bytes to %s: %s (firmware_state '%s'%s)", len,
		       dev, strerror(-ret), state, ret == -EBUSY && strcmp(state, "loading") ?
		       ": the trigger is refused although the last load ended" : "");
		fw_version(dev, after, sizeof(after));
		if (mode == UP_CHAOS) {
			FCHECK(f, !strcmp(state, "ready") || !strcmp(after, before),
			       "chaos: state '%s', version %s -> %s", state, before, after);
			continue;
		}
		if (mode == UP_CANCEL) {
			FCHECK(f, !strcmp(state, "failed: upload cancelled") && !strcmp(after, before),
			       "cancelled: state '%s', version %s -> %s", state, before, after);
			continue;
		}
		reason = len ? edu_fw_check(img, len) : "";
		if (!reason) {
			struct edu_fw_header h;

			memcpy(&h, img, sizeof(h));
			edu_fw_version_str(le32toh(h.version), want, sizeof(want));
			FCHECK(f, !strcmp(state, "ready") && !strcmp(after, want),
			       "valid image %s of %zu bytes: state '%s', version %s", want, len,
			       state, after);
		} else {
			snprintf(want, sizeof(want), "failed: %s", reason);
			FCHECK(f, !strncmp(state, want, strlen(want)) && !strcmp(after, before),
			       "image of %zu bytes, expected '%s': state '%s', version %s -> %s", len,
			       want, state, before, after);
		}
	}
	return 0;
}

/* Before uid 65534 runs: an upload waiting for its data on edu0. */
static pid_t firmware_pre_nobody(long long end)
{
	(void)end;
	if (!write_text("/sys/class/edu/edu0/firmware_upload", "1", 1))
		WAIT_FOR(access("/sys/class/firmware/edu-upload-edu0/loading", F_OK) == 0, 5000);
	return 0;
}

/* The original image back on every device, running. */
static int firmware_finish(struct fuzz *f)
{
	char names[MAX_EDU][16], state[96], version[32], want[32];
	int n = edu_names(names, MAX_EDU), i, ret;

	edu_fw_version_str(orig_version, want, sizeof(want));
	for (i = 0; i < n; i++) {
		ret = upload(f, names[i], orig_fw, orig_len, UP_NORMAL, state, sizeof(state));
		fw_version(names[i], version, sizeof(version));
		CHECK(ret == 0 && !strcmp(state, "ready") && !strcmp(version, want),
		      "%s: the original image back: %s, state '%s', version %s", names[i],
		      strerror(-ret), state, version);
	}
	return 0;
}

static int firmware_setup(void)
{
	int fd = open(FW_FILE, O_RDONLY);
	struct edu_fw_header h;

	if (fd < 0)
		return -1;
	orig_len = read(fd, orig_fw, sizeof(orig_fw));
	close(fd);
	if (orig_len < (int)sizeof(h) || edu_fw_check(orig_fw, orig_len))
		return -1;
	memcpy(&h, orig_fw, sizeof(h));
	orig_version = le32toh(h.version);
	return 0;
}

/* ---- the tests ------------------------------------------------------ */

struct channel {
	const char *name;
	int (*setup)(void);
	int (*run)(struct fuzz *f);
	pid_t (*pre_nobody)(long long end);	/* returns a helper to stop after */
	int (*cleanup)(void);			/* before the knobs are reset */
	int (*finish)(struct fuzz *f);		/* after */
};

static const struct channel *current;

static int nobody_phase(void *arg)
{
	struct fuzz *f = arg;

	return current->run(f);
}

static pid_t pump(long long end)
{
	return pump_start(end);
}

static int upcall_setup(void)
{
	char val[8];

	/* Remote destinations stay refused; helpers are harmless. */
	if (write_text(SYSCTL_DIR "/routes_allow_remote", "0", 1) ||
	    read_str(SYSCTL_DIR "/routes_allow_remote", val, sizeof(val)) || strcmp(val, "0\n"))
		return -1;
	return write_text(SYSCTL_DIR "/upcall_helper", "/bin/true", 9);
}

static int routes_finish(void)
{
	char path[320];
	int i, ret = 0;

	for (i = 0; i < nroutes; i++) {
		snprintf(path, sizeof(path), "%.280s/enable", routes[i]);
		write_text(path, "0", 1);
		if (rmdir(routes[i])) {
			diag("fuzz: cannot remove %s: %s", routes[i], strerror(errno));
			ret = -1;
		}
	}
	nroutes = 0;
	return ret;
}

static int fuzz_test(const struct channel *ch)
{
	unsigned long long seed = fuzz_seed();
	long long share = phase_ms();
	unsigned long taint0 = taint(), taint1;
	struct fuzz f;
	pid_t helper;
	int ret, ret2;

	alarm(2 * share / 1000 + FUZZ_SLACK_S);
	current = ch;
	diag("fuzz: seed %llu", seed);
	diag("fuzz: %s: %lld ms as root, %lld ms as uid 65534 (FUZZ_SEED=%llu "
	     "EDU_TESTS=%s replays it)", ch->name, share, share, seed, ch->name);
	block_signals(0);
	guard_faults();
	CHECK(arena_init() == 0, "memory");
	sysctl_snapshot();
	CHECK(!ch->setup || ch->setup() == 0, "%s: setup", ch->name);

	fuzz_init(&f, ch->name, seed, 1, share);
	ret = ch->run(&f);
	diag("fuzz: %s: %ld operations as root", ch->name, f.ops);
	if (!ret) {
		fuzz_init(&f, ch->name, seed, 0, share);
		helper = ch->pre_nobody ? ch->pre_nobody(f.end) : 0;
		ret = as_nobody(nobody_phase, &f);
		pump_stop(helper);
		if (ret)
			diag("fuzz: %s: the uid 65534 phase failed", ch->name);
		else
			diag("fuzz: %s: uid 65534 phase done", ch->name);
	}
	if (ch->cleanup && ch->cleanup())
		ret = -1;
	ret2 = settle();
	fuzz_init(&f, ch->name, seed, 1, 0);
	if (ch->finish && ch->finish(&f))
		ret = -1;
	CHECK(ret == 0 && ret2 == 0, "%s: fuzz or settling failed (seed %llu)", ch->name, seed);
	if (device_answers())
		return -1;
	taint1 = taint();
	CHECK(!((taint1 & ~taint0) & BAD_TAINT), "the kernel got tainted: %#lx -> %#lx", taint0,
	      taint1);
	return 0;
}

static const struct channel ch_ioctl = { "ioctl", NULL, fuzz_ioctl, NULL, NULL, NULL };
static const struct channel ch_mmap = { "mmap", NULL, fuzz_mmap, NULL, NULL, NULL };
static const struct channel ch_rw = { "read_write", NULL, fuzz_read_write, pump, NULL, NULL };
static const struct channel ch_sysfs = { "sysfs", collect_sysfs, fuzz_files, NULL, NULL, NULL };
static const struct channel ch_debugfs = { "debugfs", collect_debugfs, fuzz_files, NULL, NULL, NULL };
static const struct channel ch_sysctl = { "sysctl", collect_sysctl, fuzz_files, NULL, NULL, NULL };
static const struct channel ch_configfs = {
	"configfs", upcall_setup, fuzz_configfs, pump, routes_finish, NULL,
};
static const struct channel ch_netlink = { "netlink", NULL, fuzz_netlink, pump, NULL, NULL };
static const struct channel ch_firmware = {
	"firmware", firmware_setup, fuzz_firmware, firmware_pre_nobody, NULL, firmware_finish,
};

/* FUZZ_ROUNDS=N runs each test N times, every round with a seed of its own. */
static int fuzz_rounds(const struct channel *ch)
{
	const char *s = getenv("FUZZ_ROUNDS");
	int rounds = s ? atoi(s) : 1, i;

	for (i = 0; i < rounds || i == 0; i++)
		if (fuzz_test(ch))
			return -1;
	return 0;
}

static int test_ioctl(void) { return fuzz_rounds(&ch_ioctl); }
static int test_mmap(void) { return fuzz_rounds(&ch_mmap); }
static int test_read_write(void) { return fuzz_rounds(&ch_rw); }
static int test_sysfs(void) { return fuzz_rounds(&ch_sysfs); }
static int test_debugfs(void) { return fuzz_rounds(&ch_debugfs); }
static int test_sysctl(void) { return fuzz_rounds(&ch_sysctl); }
static int test_configfs(void) { return fuzz_rounds(&ch_configfs); }
static int test_netlink(void) { return fuzz_rounds(&ch_netlink); }
static int test_firmware(void) { return fuzz_rounds(&ch_firmware); }

const struct test_case fuzz_tests[] = {
	TEST_LONG(ioctl, FUZZ_BOUND),
	TEST_LONG(mmap, FUZZ_BOUND),
	TEST_LONG(read_write, FUZZ_BOUND),
	TEST_LONG(sysfs, FUZZ_BOUND),
	TEST_LONG(debugfs, FUZZ_BOUND),
	TEST_LONG(sysctl, FUZZ_BOUND),
	TEST_LONG(configfs, FUZZ_BOUND),
	TEST_LONG(netlink, FUZZ_BOUND),
	TEST_LONG(firmware, FUZZ_BOUND),
	TEST_END
};
