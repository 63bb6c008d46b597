/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the edu driver: the per-device state and the
 * functions each part of the driver offers the others.
 */
#ifndef EDU_H
#define EDU_H

#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/dma-direction.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <linux/edu.h>		/* UAPI: driver/uapi/linux/edu.h */

#include "edu_regs.h"

#define EDU_MAX_DEVICES		64

/* Driver statistics; the UAPI struct edu_stats mirrors them. */
struct edu_counters {
	atomic64_t irqs;
	atomic64_t irqs_factorial;
	atomic64_t irqs_dma;
	atomic64_t irqs_other;
	atomic64_t injected;
	atomic64_t dma_transfers;
	atomic64_t dma_bytes;
	atomic64_t factorials;
	atomic64_t errors;
	atomic64_t events_dropped;
	atomic64_t irqs_spurious;
	atomic64_t irqs_dropped;
};

/* Faults a developer can inject through debugfs (edu_debugfs.c). */
struct edu_faults {
	atomic_t drop_irqs;		/* handle the next N interrupts as lost */
	atomic_t fail_dma;		/* fail the next N transfers with -EIO */
	unsigned int dma_delay_ms;	/* delay handling of each DMA completion */
};

/*
 * The device's event log, shared by its open files: the largest queue a
 * file can have (sysctl event_queue_len), a power of two.
 */
#define EDU_EVENT_LOG_LEN	4096
#define EDU_RECENT_EVENTS	16
#define EDU_DEFERRED_EVENTS	64

/* One uevent waiting to be sent: its KEY=VALUE strings (edu_uevent.c). */
#define EDU_UEVENT_QUEUE	16
#define EDU_UEVENT_KEYS		5
#define EDU_UEVENT_KEYLEN	64
struct edu_uevent_rec {
	char env[EDU_UEVENT_KEYS][EDU_UEVENT_KEYLEN];
	unsigned int n;
};

enum edu_fw_state { EDU_FW_NONE, EDU_FW_LOADING, EDU_FW_READY, EDU_FW_FAILED };

/* A zero-copy transfer that outlived its timeout: its page stays mapped. */
struct edu_dma_pin {
	struct page *page;		/* referenced; NULL: nothing pinned */
	dma_addr_t addr;
	u32 len;
	enum dma_data_direction dir;
};

struct edu_file;
struct edu_ucmd;
struct iov_iter;

/*
 * io_uring commands for one engine of the device (edu_uring.c): a queue
 * that @work feeds to the engine one at a time.
 */
struct edu_ucmd_engine {
	struct edu_dev *edu;
	struct list_head queue;		/* waiting, oldest first (ucmd_lock) */
	struct work_struct work;
	struct edu_ucmd *running;	/* on the engine (ucmd_lock) */
};

enum { EDU_UCMD_FACT, EDU_UCMD_DMA, EDU_UCMD_ENGINES };
struct edu_evfd;
struct edu_ring;

/**
 * struct edu_dev - one bound edu PCI function
 * @dev: the class device /sys/class/edu/eduN; its refcount owns this struct,
 *	so open files and sysfs users keep it alive past remove()
 * @cdev: /dev/eduN
 * @pdev: the PCI function, referenced until this struct is freed; the
 *	hardware behind it is usable only while @dead is false
 * @regs: BAR0; valid only while @dead is false
 * @id: N in eduN, from edu_ida
 * @irq: Linux interrupt number of our single vector
 * @msi: @irq is an MSI (else shared INTx)
 * @gone: taken for read by anything that touches the hardware from a file
 *	or sysfs path, for write by remove() to set @dead
 * @dead: the device was removed; every later hardware access gets -ENODEV
 * @fact_lock: one factorial at a time (the engine has one operand register)
 * @fact_done: completed by the interrupt handler on EDU_IRQ_FACTORIAL
 * @dma_lock: one transfer at a time (the engine has one set of registers)
 * @dma_done: completed by the interrupt handler on EDU_IRQ_DMA
 * @bounce: the copy path's DMA buffer (managed: freed after remove())
 * @bounce_dma: its bus address
 * @dma_pinned: the page a timed-out transfer may still touch (dma_lock)
 * @events_lock: protects @files, @notify_files, @event_log, @event_seq and
 *	every file's place in the log
 * @files: open files (struct edu_file), each gets every event
 * @notify_files: the open files that need work of their own on each event
 *	(a ring, an eventfd, SIGIO or a signal): the others only read the log
 * @event_log: the last EDU_EVENT_LOG_LEN events, event seq at
 *	seq % EDU_EVENT_LOG_LEN; each file reads it from its own place
 * @event_seq: sequence number of the last event
 * @events_wait: readers and pollers of every file
 * @stats: driver statistics
 * @node: in the driver's device list (procfs), under edu_devices_lock
 * @open_files: files open on /dev/eduN
 * @irqs_kn: sysfs node of stats/irqs, notified on an interrupt
 * @irqs_armed: the next interrupt notifies stats/irqs: it was read since
 *	the last notification, or never notified
 * @debugfs: /sys/kernel/debug/edu/eduN
 * @dbg_closing: remove() has begun: long debugfs writes stop early
 * @faults: injected faults
 * @dbg_sig_pid: process signalled on each event via debugfs (events_lock)
 * @dbg_signo: its signal (events_lock)
 * @deferred: events for the channels that cannot send from interrupt
 *	context (netlink), a ring of @deferred_count from @deferred_head
 *	(events_lock)
 * @deferred_lost: events the full @deferred ring dropped (events_lock)
 * @deferred_work: sends them
 * @events_closed: remove() has sent the last deferred events: no more
 * @deferred_dropped: events the full @deferred ring dropped (debugfs), a
 *	part of events_dropped
 * @evfd_count: eventfd registrations of its files (debugfs eventfds)
 * @fw_lock: protects the fw_* fields below
 * @fw_wait: woken when a firmware load ends
 * @fw_pending: a load is in progress (at most one)
 * @fw_uploading: ... and it is a user-driven upload
 * @fw_state: outcome of the last load
 * @fw_reason: why it failed
 * @fw_version: version of the active firmware, read back from the device
 * @fw_image: the active image, to restore the region after a failed load
 * @fw_image_size: its size; 0 when no firmware is active
 * @fw_upload_name: firmware name of a user-driven upload
 * @fw_timeout: ends an upload that user space did not finish in time, or
 *	that remove() cuts short; armed with the request, cancelled by its end
 * @fw_ending: the request's callback has begun: @fw_timeout is not armed
 * @fw_closed: remove() has begun: no new load
 * @fw_timed_out: @fw_timeout ended the upload
 * @fw_cancel_tries: times @fw_timeout found no fallback file yet
 * @uevent_lock: protects the uevent_* fields below
 * @uevents: uevents to send, a ring of @uevent_count from @uevent_head
 * @uevent_begin: jiffies when the rate limit's window began ...
 * @uevent_begin_set: ... if one did
 * @uevent_sent: uevents taken in that window
 * @uevent_suppressed: uevents refused since the last one taken
 * @uevent_closed: remove() has begun: no more uevents
 * @uevent_work: sends @uevents
 * @ucmd_lock: protects the io_uring command queues and counts
 * @ucmd: one queue per engine
 * @ucmds: io_uring commands in flight on the device (ucmd_lock)
 * @ucmd_closed: remove() has begun: no new io_uring command (ucmd_lock)
 */
struct edu_dev {
	struct device dev;
	struct cdev cdev;
	struct pci_dev *pdev;
	void __iomem *regs;
	int id;
	int irq;
	bool msi;

	struct rw_semaphore gone;
	bool dead;

	struct mutex fact_lock;		/* one factorial at a time */
	struct completion fact_done;

	struct mutex dma_lock;		/* one transfer at a time */
	struct completion dma_done;
	void *bounce;
	dma_addr_t bounce_dma;
	struct edu_dma_pin dma_pinned;

	spinlock_t events_lock;		/* files, the log, file places */
	struct list_head files;
	struct list_head notify_files;
	struct edu_event *event_log;
	u64 event_seq;
	wait_queue_head_t events_wait;

	struct edu_counters stats;

	struct list_head node;
	atomic_t open_files;
	struct kernfs_node *irqs_kn;
	atomic_t irqs_armed;
	struct dentry *debugfs;
	bool dbg_closing;
	struct edu_faults faults;
	struct pid *dbg_sig_pid;
	int dbg_signo;
	struct edu_event deferred[EDU_DEFERRED_EVENTS];
	unsigned int deferred_head, deferred_count;
	u32 deferred_lost;
	struct work_struct deferred_work;
	bool events_closed;
	atomic_t deferred_dropped;
	atomic_t evfd_count;

	struct mutex fw_lock;		/* the fw_* fields */
	wait_queue_head_t fw_wait;
	bool fw_pending;
	bool fw_uploading;
	enum edu_fw_state fw_state;
	char fw_reason[48];
	u32 fw_version;
	u8 fw_image[EDU_FW_REGION_SIZE];
	size_t fw_image_size;
	char fw_upload_name[32];
	struct delayed_work fw_timeout;
	bool fw_ending;
	bool fw_closed;
	bool fw_timed_out;
	unsigned int fw_cancel_tries;

	spinlock_t uevent_lock;		/* the uevent_* fields */
	struct edu_uevent_rec uevents[EDU_UEVENT_QUEUE];
	unsigned int uevent_head, uevent_count;
	unsigned long uevent_begin;
	bool uevent_begin_set;
	unsigned int uevent_sent;
	unsigned int uevent_suppressed;
	bool uevent_closed;
	struct work_struct uevent_work;
	spinlock_t ucmd_lock;		/* ucmd queues and counts */
	struct edu_ucmd_engine ucmd[EDU_UCMD_ENGINES];
	unsigned int ucmds;
	bool ucmd_closed;
};

/**
 * struct edu_file - an open /dev/eduN
 * @ref: held by the open file (which its mappings pin) and by a DMA
 *	transfer that outlived its timeout
 * @edu: the device, referenced through @edu->dev
 * @node: in @edu->files
 * @notify_node: in @edu->notify_files while @notify (events_lock)
 * @notify: it needs work on each event (events_lock)
 * @next_seq: the event it reads next, from the device's log (events_lock)
 * @queue_end: with a ring, the seq after the last event its queue got
 *	(events_lock)
 * @len: its queue holds the last @len events of the log (event_queue_len
 *	when it was opened)
 * @lost: events dropped since the last one read (events_lock)
 * @sig_pid: process to signal on each event, with @signo (events_lock)
 * @fasync: SIGIO subscribers
 * @page: the mmap buffer (EDU_MMAP_SIZE bytes), allocated on first use;
 *	the file's own memory, DMA-mapped only while a transfer runs
 * @evfd: eventfd registered per class, EDU_EVFD_* bit order (events_lock)
 * @ring: the event ring, set once (under events_lock), freed with the file
 * @ucmds: io_uring commands of this file in flight (edu->ucmd_lock)
 */
struct edu_file {
	struct kref ref;
	struct edu_dev *edu;
	struct list_head node;
	struct list_head notify_node;
	bool notify;
	u64 next_seq;
	u64 queue_end;
	unsigned int len;
	u32 lost;
	struct pid *sig_pid;
	int signo;
	struct fasync_struct *fasync;
	struct page *page;
	struct edu_evfd *evfd[EDU_EVFD_CLASSES];
	struct edu_ring *ring;
	unsigned int ucmds;
};

static inline struct edu_dev *to_edu_dev(struct device *dev)
{
	return container_of(dev, struct edu_dev, dev);
}

static inline u32 edu_read(struct edu_dev *edu, unsigned int reg)
{
	return readl(edu->regs + reg);
}

static inline void edu_write(struct edu_dev *edu, unsigned int reg, u32 val)
{
	writel(val, edu->regs + reg);
}

#define edu_count(edu, field)		atomic64_inc(&(edu)->stats.field)
#define edu_count_add(edu, field, n)	atomic64_add(n, &(edu)->stats.field)

/* Driver messages at or below edu_log_level (sysctl log_level) are printed. */
enum { EDU_LOG_ERR, EDU_LOG_WARN, EDU_LOG_INFO, EDU_LOG_DEBUG };
extern unsigned int edu_log_level;

/* edu_base.c: below every channel */
extern struct workqueue_struct *edu_wq;
extern struct workqueue_struct *edu_evfd_wq;
int edu_base_init(void);
void edu_base_exit(void);
int edu_enter(struct edu_dev *edu);
void edu_leave(struct edu_dev *edu);
bool edu_capable(void);
__printf(3, 4) void edu_log(struct edu_dev *edu, unsigned int level,
			    const char *fmt, ...);

/* edu_core.c */
extern struct class edu_class;

/* edu_irq.c */
int edu_irq_setup(struct edu_dev *edu, bool force_intx);
void edu_irq_quiesce(struct edu_dev *edu);
int edu_raise_irq(struct edu_dev *edu, u32 bits);

/* edu_hw.c */
extern unsigned int edu_irq_timeout_ms;
int edu_factorial(struct edu_dev *edu, u32 n, u32 *result);

/* edu_dma.c */
extern unsigned int edu_dma_timeout_ms;
int edu_dma_init(struct edu_dev *edu);
int edu_dma_page(struct edu_dev *edu, struct page *page, u32 page_off,
		 u32 dev_off, u32 len, bool to_ram, bool nonblock);
int edu_dma_bounce(struct edu_dev *edu, void *buf, u32 dev_off, u32 len,
		   bool to_ram, bool nonblock);
void edu_dma_quiesce(struct edu_dev *edu);

/* edu_file.c */
extern unsigned int edu_event_queue_len;
struct edu_file *edu_file_alloc(struct edu_dev *edu);
void edu_file_get(struct edu_file *ef);
void edu_file_put(struct edu_file *ef);
struct page *edu_file_page(struct edu_file *ef);
int edu_file_mmap(struct edu_file *ef, struct vm_area_struct *vma);

/* edu_events.c */
void edu_events_attach(struct edu_file *ef);
void edu_events_detach(struct edu_file *ef);
void edu_events_post(struct edu_dev *edu, u32 type, u32 irq_status, u32 value);
void edu_events_shutdown(struct edu_dev *edu);
int edu_events_init(struct edu_dev *edu);
void edu_events_free(struct edu_dev *edu);
void edu_events_watch(struct edu_file *ef);
void edu_events_queue_close(struct edu_file *ef);
void edu_events_flush(struct edu_dev *edu);
ssize_t edu_events_read(struct edu_file *ef, struct iov_iter *to, bool nonblock);
__poll_t edu_events_poll(struct edu_file *ef, struct file *file,
			 struct poll_table_struct *wait);
int edu_events_set_signal(struct edu_file *ef, int signo);
void edu_stats_read(struct edu_dev *edu, struct edu_stats *st);
int edu_events_set_debug_signal(struct edu_dev *edu, pid_t nr, int signo);

/* edu_eventfd.c */
int edu_eventfd_set(struct edu_file *ef, const struct edu_eventfd *req);
void edu_eventfd_signal(struct edu_file *ef, const struct edu_event *ev);
void edu_eventfd_release(struct edu_file *ef);
void edu_eventfd_shutdown(struct edu_dev *edu);

/* edu_ring.c */
int edu_ring_setup(struct edu_file *ef, struct edu_ring_setup __user *argp);
int edu_ring_consume(struct edu_file *ef, u32 consumer);
void edu_ring_push(struct edu_file *ef, const struct edu_event *ev, int target);
bool edu_ring_ready(struct edu_file *ef);
bool edu_has_ring(struct edu_file *ef);
void edu_ring_kill(struct edu_file *ef);
int edu_ring_mmap(struct edu_file *ef, struct vm_area_struct *vma);
void edu_ring_release(struct edu_file *ef);

/* edu_fw.c */
extern unsigned int edu_fw_upload_timeout_s;
void edu_fw_init(struct edu_dev *edu);
int edu_fw_request(struct edu_dev *edu, bool upload);
void edu_fw_wait_idle(struct edu_dev *edu);
int edu_fw_state_show(struct edu_dev *edu, char *buf);
void edu_fw_version_str(struct edu_dev *edu, char *buf, size_t len);

/* edu_uevent.c */
extern unsigned int edu_uevent_burst;
extern unsigned int edu_uevent_interval_ms;
void edu_uevent_init(struct edu_dev *edu);
void edu_uevent_close(struct edu_dev *edu);
void edu_uevent_firmware(struct edu_dev *edu, int err, u32 version,
			 const char *reason);
void edu_uevent_fault(struct edu_dev *edu, const char *knob, u64 value);
void edu_uevent_dma_timeout(struct edu_dev *edu, u32 dev_off, u32 len,
			    bool to_ram);
void edu_uevent_factorial_timeout(struct edu_dev *edu, u32 n);
/* edu_uring.c: io_uring commands */
struct io_uring_cmd;
void edu_ucmd_init(struct edu_dev *edu);
int edu_ucmd_issue(struct io_uring_cmd *cmd, unsigned int issue_flags);
void edu_ucmd_flush(struct edu_file *ef, const void *owner);
void edu_ucmd_shutdown(struct edu_dev *edu);

/* edu_cdev.c */
int edu_chrdev_init(void);
void edu_chrdev_exit(void);
void edu_cdev_init(struct edu_dev *edu);
dev_t edu_devt(int id);

/* edu_sysfs.c */
extern const struct attribute_group *edu_groups[];
void edu_sysfs_setup(struct edu_dev *edu);
void edu_sysfs_release(struct edu_dev *edu);

/* edu_procfs.c: /proc/driver/edu and the list of bound devices */
int edu_procfs_init(void);
void edu_procfs_exit(void);
void edu_procfs_add(struct edu_dev *edu);
void edu_procfs_del(struct edu_dev *edu);
struct edu_dev *edu_get_by_id(u32 id);
struct edu_dev *edu_get_nth(unsigned long n);

/* edu_configfs.c: routes of events to kernel sockets and upcalls */
extern unsigned int edu_routes_allow_remote;
int edu_routes_init(void);
void edu_routes_exit(void);
void edu_routes_event(const struct edu_event *ev);
bool edu_routes_wanted(void);

/* edu_netlink.c */
int edu_netlink_init(void);
void edu_netlink_exit(void);
void edu_netlink_event(struct edu_dev *edu, const struct edu_event *ev);
bool edu_netlink_wanted(void);

/* edu_debugfs.c */
void edu_debugfs_init(void);
void edu_debugfs_exit(void);
void edu_debugfs_add(struct edu_dev *edu);
void edu_debugfs_del(struct edu_dev *edu);

/* edu_sysctl.c */
int edu_sysctl_init(void);
void edu_upcall_helper_get(char *buf, size_t len);
void edu_sysctl_exit(void);

#endif /* EDU_H */
