/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The user-space interface of the edu driver: ioctls of /dev/eduN, the
 * event record, and the layout of the device buffer. Shared by the driver
 * and every user-space program; see docs/chardev.md.
 */
#ifndef _UAPI_LINUX_EDU_H
#define _UAPI_LINUX_EDU_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The release of the driver, its tools and packages (MODULE_VERSION, --version). */
#define EDU_VERSION		"1.0.0"

/*
 * The device buffer: 4096 bytes at device address 0x40000. Its first
 * EDU_FW_REGION_SIZE bytes hold firmware; the data window follows, up to
 * the last byte a QEMU 7.2 transfer may touch (offset + count <= 4095).
 * User space addresses the data window only, by offsets from its start.
 */
#define EDU_DEV_BUF_ADDR	0x40000
#define EDU_DEV_BUF_SIZE	4096
#define EDU_FW_REGION_SIZE	1024
#define EDU_DATA_WINDOW_SIZE	(EDU_DEV_BUF_SIZE - 1 - EDU_FW_REGION_SIZE)

/* The per-file DMA page that mmap() maps: one page at offset 0. */
#define EDU_MMAP_SIZE		4096

/* The device's interrupt status bits. */
#define EDU_IRQ_BIT_FACTORIAL	0x00000001
#define EDU_IRQ_BIT_DMA		0x00000100

/*
 * An event: read(2) returns whole records, oldest first. Every interrupt
 * becomes one event delivered to every open file of the device.
 */
#define EDU_EVENT_VERSION	1

enum edu_event_type {
	EDU_EVENT_INTERRUPT = 1,	/* @irq_status: the bits that were set */
	EDU_EVENT_FIRMWARE_LOADED = 2,	/* @value: the version now running */
	EDU_EVENT_FIRMWARE_FAILED = 3,	/* @value: the errno; old firmware stays */
};

struct edu_event {
	__u16 version;		/* EDU_EVENT_VERSION */
	__u16 size;		/* sizeof(struct edu_event) */
	__u32 type;		/* enum edu_event_type */
	__u32 device;		/* N of /dev/eduN */
	__u32 irq_status;	/* interrupt status bits read by the handler */
	__u64 seq;		/* per device, from 1, +1 per event */
	__u64 timestamp_ns;	/* CLOCK_MONOTONIC when the interrupt was handled */
	__u32 lost;		/* events this file dropped just before this one */
	__u32 value;		/* firmware events: see enum edu_event_type */
};

/* EDU_IOC_INFO */
struct edu_info {
	__u32 ident;		/* identification register */
	__u32 device;		/* N of /dev/eduN */
	__u32 msi;		/* 1: MSI, 0: INTx */
	__u32 window_size;	/* EDU_DATA_WINDOW_SIZE */
	__u32 mmap_size;	/* EDU_MMAP_SIZE */
	__u32 event_size;	/* sizeof(struct edu_event) */
	__u32 queue_len;	/* events this file can hold */
	__u32 reserved;
};

/* EDU_IOC_FACTORIAL: @n in 0..12 */
struct edu_factorial {
	__u32 n;
	__u32 result;
};

/* EDU_IOC_DMA: move @len bytes between the mmap buffer and the data window */
enum edu_dma_dir {
	EDU_DMA_TO_DEVICE = 0,		/* mmap buffer -> data window */
	EDU_DMA_FROM_DEVICE = 1,	/* data window -> mmap buffer */
};

struct edu_dma {
	__u32 dir;		/* enum edu_dma_dir */
	__u32 window_off;	/* offset in the data window */
	__u32 buf_off;		/* offset in the mmap buffer */
	__u32 len;		/* 1.. bytes; both ranges must fit */
};

/* EDU_IOC_WRITE_DATA / EDU_IOC_READ_DATA: the copy path, through DMA */
struct edu_data {
	__u64 addr;		/* user buffer */
	__u32 window_off;
	__u32 len;
};

/*
 * EDU_IOC_SET_SIGNAL: @signo to the calling process (any thread that does
 * not block it) on every event, si_code SI_KERNEL, no payload: read the
 * events after it. 0 stops.
 */
struct edu_signal {
	__u32 signo;
	__u32 reserved;
};

/* EDU_IOC_GET_STATS: driver statistics of the device */
struct edu_stats {
	__u64 irqs;		/* interrupts that were ours */
	__u64 irqs_factorial;	/* ... with the factorial bit */
	__u64 irqs_dma;		/* ... with the DMA bit */
	__u64 irqs_other;	/* ... with any other (injected) bit */
	__u64 injected;		/* raise requests made through the driver */
	__u64 dma_transfers;
	__u64 dma_bytes;
	__u64 factorials;
	__u64 errors;		/* timeouts and failed device operations */
	__u64 events_dropped;	/* summed over all open files */
	__u64 irqs_spurious;	/* handler called with no status bit set */
	__u64 irqs_dropped;	/* handled as lost (debugfs fault injection) */
};

/*
 * EDU_IOC_SET_EVENTFD (docs/eventfd.md): an eventfd(2) this file signals
 * (by 1, once per event) for every event of the classes in @classes. The
 * eventfd is a doorbell only: the events themselves are read from the file
 * (read(2), or its ring). One eventfd per class and file: registering
 * replaces the class's previous one; @fd -1 unregisters the classes. A
 * registration ends when the eventfd is closed (its last reference), the
 * file is closed, or the device is removed (which signals it once first).
 */
#define EDU_EVFD_FACTORIAL	0x01	/* interrupt with EDU_IRQ_BIT_FACTORIAL */
#define EDU_EVFD_DMA		0x02	/* interrupt with EDU_IRQ_BIT_DMA */
#define EDU_EVFD_OTHER		0x04	/* interrupt with any other bit */
#define EDU_EVFD_FIRMWARE	0x08	/* EDU_EVENT_FIRMWARE_LOADED / _FAILED */
#define EDU_EVFD_ALL		0x0f
#define EDU_EVFD_CLASSES	4

struct edu_eventfd {
	__s32 fd;		/* an eventfd, or -1 to unregister */
	__u32 classes;		/* EDU_EVFD_*, not 0 */
	__u32 flags;		/* 0 */
	__u32 reserved;		/* 0 */
};

/*
 * The event ring (docs/ring.md): EDU_IOC_RING_SETUP gives the file a ring
 * of @entries records, which mmap(2) maps MAP_SHARED at @mmap_offset,
 * @mmap_size bytes: the header page, then the records. From then on the
 * file's events go to the ring, not to read(2). Once per file.
 *
 * Kernel: writes a record, then smp_store_release(producer).
 * User:   p = load-acquire(producer); read records [consumer, p) at index
 *         (i & (entries - 1)); store-release(consumer, p).
 * The kernel never writes a slot the consumer has not released: a full
 * ring drops the new event, counts it in @overflow (and in the device's
 * events_dropped), and the next record written carries the count in @lost.
 * Indexes are free-running 32-bit counters. A file opened read-only can
 * only map the ring PROT_READ (a rule of mmap): it stores its consumer
 * index with EDU_IOC_RING_CONSUME (__u32) instead.
 */
#define EDU_RING_MIN_ENTRIES	2
#define EDU_RING_MAX_ENTRIES	16384
#define EDU_RING_MMAP_OFFSET	0x100000ULL	/* above the DMA page at 0 */
#define EDU_RING_HDR_SIZE	4096		/* the header fits in it */

#define EDU_RING_F_DEAD		0x1	/* the device is gone: no more events */

struct edu_ring_header {
	__u32 producer;		/* written by the kernel only */
	__u32 pad0[15];		/* own cache line */
	__u32 consumer;		/* written by user space only */
	__u32 pad1[15];
	__u32 entries;		/* records in the ring: a power of two */
	__u32 record_size;	/* sizeof(struct edu_event) */
	__u32 records_offset;	/* the page size: records start there */
	__u32 flags;		/* EDU_RING_F_*, set by the kernel */
	__u64 overflow;		/* events dropped on a full ring, in total */
};

struct edu_ring_setup {
	__u32 entries;		/* in: power of two, MIN..MAX_ENTRIES */
	__u32 flags;		/* in: 0 */
	__u64 mmap_offset;	/* out: EDU_RING_MMAP_OFFSET */
	__u64 mmap_size;	/* out: header + records, whole pages */
};

/*
 * Firmware image (docs/firmware.md): this header, then the payload. All
 * fields little-endian; CRCs are CRC-32 (IEEE 802.3, as zlib's crc32()).
 * The whole image is copied into the device buffer's firmware region.
 */
#define EDU_FW_MAGIC		0x46554445	/* "EDUF" */
#define EDU_FW_FORMAT		1
#define EDU_FW_NAME		"edu/edu-fw.bin"
#define EDU_FW_MAX_PAYLOAD	(EDU_FW_REGION_SIZE - sizeof(struct edu_fw_header))

struct edu_fw_header {
	__le32 magic;		/* EDU_FW_MAGIC */
	__le16 format;		/* EDU_FW_FORMAT */
	__le16 header_size;	/* sizeof(struct edu_fw_header): 32 */
	__le32 version;		/* major << 16 | minor << 8 | patch */
	__le32 payload_len;	/* bytes after the header, 1..EDU_FW_MAX_PAYLOAD */
	__le32 payload_crc;	/* CRC-32 of the payload */
	__le32 reserved[2];	/* zero */
	__le32 header_crc;	/* CRC-32 of the 28 bytes before this field */
};

/*
 * Generic netlink family "edu" (docs/netlink.md): requests, and every event
 * multicast to the group "events" as EDU_CMD_EVENT.
 */
#define EDU_GENL_NAME		"edu"
#define EDU_GENL_VERSION	1
#define EDU_GENL_MCGRP_EVENTS	"events"

enum edu_genl_cmd {
	EDU_CMD_UNSPEC,
	/* Every command names its device by EDU_A_DEVICE or EDU_A_NAME. */
	EDU_CMD_GET_DEVICE,	/* device -> device; dump: all */
	EDU_CMD_GET_STATS,	/* EDU_A_DEVICE -> EDU_A_DEVICE, EDU_A_STATS */
	EDU_CMD_FACTORIAL,	/* EDU_A_DEVICE, EDU_A_FACT_N -> EDU_A_FACT_RESULT (admin) */
	EDU_CMD_RAISE_IRQ,	/* EDU_A_DEVICE, EDU_A_IRQ_BITS (admin) */
	EDU_CMD_RESET_STATS,	/* EDU_A_DEVICE (admin) */
	EDU_CMD_EVENT,		/* multicast only: EDU_A_DEVICE, EDU_A_EVENT_* */
	__EDU_CMD_MAX,
};

#define EDU_CMD_MAX (__EDU_CMD_MAX - 1)

enum edu_genl_attr {
	EDU_A_UNSPEC,
	EDU_A_DEVICE,		/* u32: N of eduN */
	EDU_A_NAME,		/* string: eduN */
	EDU_A_PCI,		/* string: PCI address */
	EDU_A_MSI,		/* u8: 1 MSI, 0 INTx */
	EDU_A_FW_VERSION,	/* string: x.y.z or "none" */
	EDU_A_FACT_N,		/* u32: 0..12 */
	EDU_A_FACT_RESULT,	/* u32 */
	EDU_A_IRQ_BITS,		/* u32: not 0 */
	EDU_A_STATS,		/* nested: enum edu_genl_stat */
	EDU_A_EVENT_TYPE,	/* u32: enum edu_event_type */
	EDU_A_EVENT_STATUS,	/* u32: interrupt status bits */
	EDU_A_EVENT_SEQ,	/* u64 */
	EDU_A_EVENT_TIME,	/* u64: ns, CLOCK_MONOTONIC */
	EDU_A_EVENT_VALUE,	/* u32: firmware version or errno */
	EDU_A_PAD,
	__EDU_A_MAX,
};

#define EDU_A_MAX (__EDU_A_MAX - 1)

/*
 * EDU_CMD_GET_STATS replies with EDU_A_DEVICE and the EDU_A_STATS nest,
 * which holds these only (its own attribute space): u64 each, in the order
 * of struct edu_stats.
 */
enum edu_genl_stat {
	EDU_A_STAT_UNSPEC,
	EDU_A_STAT_IRQS,
	EDU_A_STAT_IRQS_FACTORIAL,
	EDU_A_STAT_IRQS_DMA,
	EDU_A_STAT_IRQS_OTHER,
	EDU_A_STAT_INJECTED,
	EDU_A_STAT_DMA_TRANSFERS,
	EDU_A_STAT_DMA_BYTES,
	EDU_A_STAT_FACTORIALS,
	EDU_A_STAT_ERRORS,
	EDU_A_STAT_EVENTS_DROPPED,
	EDU_A_STAT_IRQS_SPURIOUS,
	EDU_A_STAT_IRQS_DROPPED,
	EDU_A_STAT_PAD,
	__EDU_A_STAT_MAX,
};

#define EDU_A_STAT_MAX (__EDU_A_STAT_MAX - 1)

#define EDU_IOC_MAGIC		0xED

#define EDU_IOC_INFO		_IOR(EDU_IOC_MAGIC, 0x00, struct edu_info)
#define EDU_IOC_FACTORIAL	_IOWR(EDU_IOC_MAGIC, 0x01, struct edu_factorial)
#define EDU_IOC_RAISE_IRQ	_IOW(EDU_IOC_MAGIC, 0x02, __u32)
#define EDU_IOC_DMA		_IOW(EDU_IOC_MAGIC, 0x03, struct edu_dma)
#define EDU_IOC_WRITE_DATA	_IOW(EDU_IOC_MAGIC, 0x04, struct edu_data)
#define EDU_IOC_READ_DATA	_IOW(EDU_IOC_MAGIC, 0x05, struct edu_data)
#define EDU_IOC_SET_SIGNAL	_IOW(EDU_IOC_MAGIC, 0x06, struct edu_signal)
#define EDU_IOC_GET_STATS	_IOR(EDU_IOC_MAGIC, 0x07, struct edu_stats)
#define EDU_IOC_SET_EVENTFD	_IOW(EDU_IOC_MAGIC, 0x08, struct edu_eventfd)
#define EDU_IOC_RING_SETUP	_IOWR(EDU_IOC_MAGIC, 0x09, struct edu_ring_setup)
#define EDU_IOC_RING_CONSUME	_IOW(EDU_IOC_MAGIC, 0x0a, __u32)

/*
 * io_uring commands (docs/uring.md): IORING_OP_URING_CMD on /dev/eduN, the
 * op in sqe->cmd_op, its argument in the SQE's command area (16 bytes in a
 * 64-byte SQE, 80 with IORING_SETUP_SQE128). Bytes of the area past the
 * op's struct must be 0, and so must sqe->uring_cmd_flags (EINVAL). The
 * ops are encoded like ioctl numbers (size and direction), in a range of
 * numbers ioctls do not use; they are not ioctls.
 *
 * The result is in cqe->res: n! for a factorial, the bytes moved for a
 * transfer, the commands cancelled for a cancel, or -errno. Every op needs
 * CAP_SYS_ADMIN.
 */

/* EDU_URING_FACTORIAL: 16 bytes, fits a 64-byte SQE */
struct edu_uring_fact {
	__u64 tag;		/* the submitter's name for it (EDU_URING_CANCEL) */
	__u32 n;		/* 0..12 */
	__u32 reserved;		/* 0 */
};

/*
 * EDU_URING_WRITE_DATA / EDU_URING_READ_DATA: the copy path, as
 * EDU_IOC_WRITE_DATA/READ_DATA. 32 bytes: needs IORING_SETUP_SQE128.
 */
struct edu_uring_data {
	__u64 tag;
	__u64 addr;		/* user buffer */
	__u32 window_off;	/* offset in the data window */
	__u32 len;		/* 1.. bytes; the range must fit the window */
	__u64 reserved;		/* 0 */
};

/*
 * EDU_URING_CANCEL: queued commands of this open file whose tag is @tag
 * complete with -ECANCELED; with EDU_URING_CANCEL_ALL, every queued command
 * of the file (@tag ignored). One running on the device is not cancelled.
 */
#define EDU_URING_CANCEL_ALL	0x1

struct edu_uring_cancel {
	__u64 tag;
	__u32 flags;		/* EDU_URING_CANCEL_* */
	__u32 reserved;		/* 0 */
};

#define EDU_URING_FACTORIAL	_IOWR(EDU_IOC_MAGIC, 0x80, struct edu_uring_fact)
#define EDU_URING_WRITE_DATA	_IOW(EDU_IOC_MAGIC, 0x81, struct edu_uring_data)
#define EDU_URING_READ_DATA	_IOR(EDU_IOC_MAGIC, 0x82, struct edu_uring_data)
#define EDU_URING_CANCEL	_IOW(EDU_IOC_MAGIC, 0x83, struct edu_uring_cancel)

/*
 * Commands in flight (queued or running) at most, per open file and per
 * device; one more completes at once with -EBUSY.
 */
#define EDU_URING_FILE_MAX	64
#define EDU_URING_DEVICE_MAX	256

#endif /* _UAPI_LINUX_EDU_H */
