/* SPDX-License-Identifier: MIT */
/*
 * libedu: what every edu user-space program shares: strict parsing,
 * device naming, sysfs access and PCI discovery. Functions return 0 or a
 * negative errno; they print nothing.
 */
#ifndef LIBEDU_H
#define LIBEDU_H

#include <stddef.h>
#include <stdint.h>

#include <linux/edu.h>	/* the UAPI header: driver/uapi/linux/edu.h */

#define EDU_PCI_VENDOR		0x1234
#define EDU_PCI_DEVICE		0x11e8
#define EDU_SYSFS_CLASS		"/sys/class/edu"
#define EDU_NAME_MAX		16

/* parse.c */
int edu_parse_u32(const char *s, uint32_t *out);	/* dec, 0x hex, 0 octal */
int edu_parse_uint(const char *s, unsigned int max, unsigned int *out);
int edu_parse_devname(const char *s, char name[EDU_NAME_MAX]);

/* sysfs.c: one-value files, and attributes of /sys/class/edu/NAME/ */
int edu_file_read(const char *path, char *buf, size_t len);
int edu_file_write(const char *path, const char *val);
int edu_attr_read(const char *name, const char *attr, char *buf, size_t len);
int edu_attr_write(const char *name, const char *attr, const char *val);

/* chardev.c */
int edu_open_dev(const char *name, int flags);	/* fd or -errno */
/* "edu0 seq 12 type interrupt status 0x00000100 value 0 time 58.1 lost 0" */
void edu_format_event(const struct edu_event *ev, char *buf, size_t len);
const char *edu_event_type_name(uint32_t type);	/* "interrupt", ... */

/*
 * ring.c: a file's event ring (docs/ring.md). edu_ring_open() sets it up
 * with @entries records and maps it; edu_ring_consume() takes up to @max
 * records (the number taken, 0 when empty: then poll(2) the file);
 * edu_ring_dead(): the device is gone, no more records will come.
 */
struct edu_ring {
	int fd;
	int writable;			/* else consumer stored by ioctl */
	void *map;
	size_t size;
	struct edu_ring_header *hdr;
	struct edu_event *records;
	uint32_t mask;
	uint32_t consumer;		/* ours, stored in the header */
};
int edu_ring_open(int fd, unsigned int entries, struct edu_ring *r);
void edu_ring_close(struct edu_ring *r);
int edu_ring_consume(struct edu_ring *r, struct edu_event *out, unsigned int max);
int edu_ring_dead(const struct edu_ring *r);
uint64_t edu_ring_overflow(const struct edu_ring *r);

/* fwimage.c: firmware images */
uint32_t edu_crc32(const void *buf, size_t len);
/* Writes header + payload into image; returns the image size or -errno. */
int edu_fw_build(void *image, size_t size, uint32_t version,
		 const void *payload, size_t payload_len);
/* NULL if the image is valid, else why not (the driver's reasons). */
const char *edu_fw_check(const void *image, size_t size);
void edu_fw_version_str(uint32_t version, char *buf, size_t len);
int edu_fw_parse_version(const char *s, uint32_t *version);

/* genl.c: the generic netlink family (libnl) */
struct nl_sock;
struct nl_msg;
struct nlattr;
struct edu_genl {
	struct nl_sock *sk;
	int family;
	char extack[256];	/* the kernel's message for the last error */
};
typedef void (*edu_genl_reply_fn)(struct nlattr **tb, void *arg);
int edu_genl_open(struct edu_genl *g);	/* -ENOENT: family not registered */
/* From then on, sockets dump every message they send and receive to stderr. */
void edu_genl_set_debug(int on);
void edu_genl_close(struct edu_genl *g);
struct nl_msg *edu_genl_msg(struct edu_genl *g, int cmd, int flags);
/* Sends msg (the caller frees it), calls fn per reply; 0 or -errno. */
int edu_genl_request(struct edu_genl *g, struct nl_msg *msg,
		     edu_genl_reply_fn fn, void *arg);

/*
 * uring.c: io_uring commands (docs/uring.md), on liburing: include
 * <liburing.h> and link -luring to use them. A command's user_data is its
 * tag. The prep functions return the SQE, or NULL when the SQ is full or
 * (errno EINVAL) the op does not fit the ring's SQEs: a transfer needs SQE128.
 */
struct io_uring;
struct io_uring_sqe;
/* A ring that carries every edu op (IORING_SETUP_SQE128): 0 or -errno. */
int edu_uring_init(struct io_uring *ring, unsigned int entries);
struct io_uring_sqe *edu_uring_prep_factorial(struct io_uring *ring, int fd,
					      uint64_t tag, uint32_t n);
struct io_uring_sqe *edu_uring_prep_data(struct io_uring *ring, int fd,
					 uint64_t tag, int to_device, void *buf,
					 uint32_t window_off, uint32_t len);
/* Cancels the file's queued commands tagged tag (or all: EDU_URING_CANCEL_ALL). */
struct io_uring_sqe *edu_uring_prep_cancel(struct io_uring *ring, int fd,
					   uint64_t user_data, uint64_t tag,
					   uint32_t flags);
/* The next completion, up to timeout_ms (-1: no limit): 0, -ETIMEDOUT, -errno. */
int edu_uring_wait(struct io_uring *ring, int timeout_ms, uint64_t *tag,
		   int32_t *res);
/* One command, submitted and waited for on a ring of its own: 0 or -errno. */
int edu_uring_factorial(int fd, uint32_t n, uint32_t *result);
int edu_uring_data(int fd, int to_device, void *buf, uint32_t window_off,
		   uint32_t len);

/* discover.c */
struct edu_pci {
	char bdf[16];			/* 0000:01:00.0 */
	unsigned int vendor, device;
	unsigned int subvendor, subdevice;
	unsigned int class_code;	/* base, sub, prog-if */
	unsigned int revision;
	int irq;
	char driver[32];		/* bound driver, "" if none */
	char name[EDU_NAME_MAX];	/* eduN, "" if not bound to edu */
};

/* -EIO when libpci fails: edu_pci_error() says why (libpci never exits). */
int edu_discover(struct edu_pci *devs, int max);
const char *edu_pci_error(void);
int edu_find(const char *name, struct edu_pci *dev);

#endif /* LIBEDU_H */
