// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts as events. Every interrupt becomes one struct edu_event in
 * the device's log, from the interrupt handler. Each open file reads the
 * log from its own place, as /dev/kmsg's readers do, so an event costs the
 * handler the same whether one file or a thousand are open: one copy into
 * the log and one wake-up of the readers and pollers. Only the files that
 * asked for work of their own are visited: SIGIO to fasync subscribers,
 * its chosen signal to a registered process, registered eventfds
 * (edu_eventfd.c), and a file's mmap'd ring (edu_ring.c), which gets its
 * events there instead of in its queue.
 *
 * A file's queue is the last @len events of the log (sysctl
 * event_queue_len when it was opened). A reader that falls further behind
 * loses the oldest, and the next record it reads says how many. They count
 * in events_dropped when the file reads past them or is closed (as kmsg
 * counts a reader's losses): counting them as they happen would take a
 * walk of every file, on every event or every read of the statistics.
 */
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "edu.h"
#include "edu_trace.h"

void edu_events_attach(struct edu_file *ef)
{
	struct edu_dev *edu = ef->edu;

	spin_lock_irq(&edu->events_lock);
	/* Its queue starts empty: the next event is its first. */
	ef->next_seq = edu->event_seq + 1;
	list_add_tail(&ef->node, &edu->files);
	spin_unlock_irq(&edu->events_lock);
}

/* Called with events_lock held: the seq after the last event of its queue. */
static u64 edu_queue_end(struct edu_file *ef)
{
	return ef->ring ? ef->queue_end : ef->edu->event_seq + 1;
}

/*
 * Called with events_lock held: moves the file past the events its queue
 * no longer holds (more than @len behind, or gone from the log). They are
 * lost to it: the next record says so, and events_dropped counts them.
 */
static void edu_queue_trim(struct edu_file *ef)
{
	struct edu_dev *edu = ef->edu;
	u64 end = edu_queue_end(ef), first = ef->next_seq, skipped;

	if (end - first > ef->len)
		first = end - ef->len;
	if (edu->event_seq >= EDU_EVENT_LOG_LEN &&
	    first <= edu->event_seq - EDU_EVENT_LOG_LEN)
		first = min(end, edu->event_seq - EDU_EVENT_LOG_LEN + 1);
	skipped = first - ef->next_seq;
	if (!skipped)
		return;
	ef->next_seq = first;
	ef->lost = min_t(u64, (u64)ef->lost + skipped, U32_MAX);
	edu_count_add(edu, events_dropped, skipped);
}

void edu_events_detach(struct edu_file *ef)
{
	struct edu_dev *edu = ef->edu;

	spin_lock_irq(&edu->events_lock);
	/* What it dropped counts, read or not. */
	edu_queue_trim(ef);
	list_del_init(&ef->node);
	if (ef->notify) {
		list_del(&ef->notify_node);
		ef->notify = false;
	}
	spin_unlock_irq(&edu->events_lock);
}

/**
 * edu_events_watch() - a file's work on each event changed
 * @ef: the file
 *
 * Called with events_lock held after the file gets or loses a ring, an
 * eventfd, SIGIO or a signal: it is visited on each event while it has
 * any of them (and is open).
 */
void edu_events_watch(struct edu_file *ef)
{
	bool notify = ef->ring || READ_ONCE(ef->fasync) || ef->sig_pid;
	unsigned int i;

	for (i = 0; i < EDU_EVFD_CLASSES && !notify; i++)
		notify = ef->evfd[i];
	if (list_empty(&ef->node))
		notify = false;
	if (notify == ef->notify)
		return;
	ef->notify = notify;
	if (notify)
		list_add_tail(&ef->notify_node, &ef->edu->notify_files);
	else
		list_del(&ef->notify_node);
}

/*
 * Called with events_lock held, before the file's ring is set: its queue
 * keeps what it holds, and gets no more.
 */
void edu_events_queue_close(struct edu_file *ef)
{
	ef->queue_end = ef->edu->event_seq + 1;
}

/*
 * Called with events_lock held, from any context: the signal goes to the
 * process (any of its threads that does not block it), not to one thread;
 * nothing happens if the process has exited.
 */
static int edu_send_signal(struct pid *pid, int signo)
{
	return kill_pid(pid, signo, 1);
}

/*
 * Called with events_lock held: queues the event for the channels that
 * send from process context, if anyone is there: a work item per event
 * would wake a kernel thread on every interrupt, next to the reader being
 * woken, for nobody. A full ring drops its oldest.
 */
static void edu_defer(struct edu_dev *edu, const struct edu_event *ev)
{
	if (edu->events_closed || !(edu_netlink_wanted() || edu_routes_wanted()))
		return;
	if (edu->deferred_count == EDU_DEFERRED_EVENTS) {
		edu->deferred_head = (edu->deferred_head + 1) % EDU_DEFERRED_EVENTS;
		edu->deferred_count--;
		edu->deferred_lost++;
		edu_count(edu, events_dropped);
		atomic_inc(&edu->deferred_dropped);
	}
	edu->deferred[(edu->deferred_head + edu->deferred_count) %
		      EDU_DEFERRED_EVENTS] = *ev;
	edu->deferred_count++;
	trace_edu_event_deliver(edu->id, ev->seq, EDU_TR_CH_DEFERRED, 0, 0,
				edu->deferred_count, edu->deferred_lost);
	queue_work(edu_wq, &edu->deferred_work);
}

/**
 * edu_events_post() - deliver one event to every open file
 * @edu: the device
 * @type: enum edu_event_type
 * @irq_status: interrupt status bits
 * @value: firmware version or errno, for firmware events
 *
 * Any context, the interrupt handler included.
 */
void edu_events_post(struct edu_dev *edu, u32 type, u32 irq_status, u32 value)
{
	struct edu_event ev = {
		.version = EDU_EVENT_VERSION,
		.size = sizeof(ev),
		.type = type,
		.device = edu->id,
		.irq_status = irq_status,
		.value = value,
		.timestamp_ns = ktime_get_ns(),
	};
	struct edu_file *ef;
	unsigned long flags;
	int i = 0, ret;

	spin_lock_irqsave(&edu->events_lock, flags);
	ev.seq = ++edu->event_seq;
	trace_edu_event_post(edu->id, ev.seq, type, irq_status, value);
	edu->event_log[ev.seq % EDU_EVENT_LOG_LEN] = ev;
	edu_defer(edu, &ev);
	list_for_each_entry(ef, &edu->notify_files, notify_node) {
		if (ef->ring)
			edu_ring_push(ef, &ev, i);
		edu_eventfd_signal(ef, &ev);
		if (READ_ONCE(ef->fasync)) {
			trace_edu_event_deliver(edu->id, ev.seq, EDU_TR_CH_SIGIO,
						i, 0, 0, 0);
			kill_fasync(&ef->fasync, SIGIO, POLL_IN);
		}
		if (ef->sig_pid) {
			ret = edu_send_signal(ef->sig_pid, ef->signo);
			trace_edu_event_deliver(edu->id, ev.seq, EDU_TR_CH_SIGNAL,
						pid_nr(ef->sig_pid), ret, 0, 0);
		}
		i++;
	}
	if (edu->dbg_sig_pid) {
		ret = edu_send_signal(edu->dbg_sig_pid, edu->dbg_signo);
		trace_edu_event_deliver(edu->id, ev.seq, EDU_TR_CH_DEBUG_SIGNAL,
					pid_nr(edu->dbg_sig_pid), ret, 0, 0);
	}
	spin_unlock_irqrestore(&edu->events_lock, flags);
	/*
	 * Every reader and poller, of every file: an exclusive waiter
	 * (EPOLLEXCLUSIVE) of one file must not take another file's wake-up.
	 */
	wake_up_interruptible_all(&edu->events_wait);
}

/* Events one run of the work sends before it makes way for other work. */
#define EDU_DEFERRED_BATCH	16

/*
 * Sends deferred events, oldest first, outside the lock. Under an interrupt
 * storm the queue never empties: a run sends a batch and queues the work
 * again, rather than hold a worker for as long as the storm lasts (on a
 * per-CPU workqueue that starved every other work of that CPU: ACPI's
 * hotplug notifications among them).
 */
static void edu_deferred_work(struct work_struct *work)
{
	struct edu_dev *edu = container_of(work, struct edu_dev, deferred_work);
	struct edu_event ev;
	unsigned int sent;

	for (sent = 0; sent < EDU_DEFERRED_BATCH; sent++) {
		spin_lock_irq(&edu->events_lock);
		if (!edu->deferred_count) {
			spin_unlock_irq(&edu->events_lock);
			return;
		}
		ev = edu->deferred[edu->deferred_head];
		edu->deferred_head = (edu->deferred_head + 1) % EDU_DEFERRED_EVENTS;
		edu->deferred_count--;
		spin_unlock_irq(&edu->events_lock);

		edu_netlink_event(edu, &ev);
		edu_routes_event(&ev);
	}
	spin_lock_irq(&edu->events_lock);
	if (edu->deferred_count)
		queue_work(edu_wq, &edu->deferred_work);
	spin_unlock_irq(&edu->events_lock);
}

int edu_events_init(struct edu_dev *edu)
{
	BUILD_BUG_ON(!is_power_of_2(EDU_EVENT_LOG_LEN));
	edu->event_log = kvcalloc(EDU_EVENT_LOG_LEN, sizeof(*edu->event_log),
				  GFP_KERNEL);
	if (!edu->event_log)
		return -ENOMEM;
	spin_lock_init(&edu->events_lock);
	INIT_LIST_HEAD(&edu->files);
	INIT_LIST_HEAD(&edu->notify_files);
	init_waitqueue_head(&edu->events_wait);
	INIT_WORK(&edu->deferred_work, edu_deferred_work);
	return 0;
}

/* With the device's last reference: no file is open. */
void edu_events_free(struct edu_dev *edu)
{
	kvfree(edu->event_log);
}

/*
 * remove(), once the device raises nothing more: send what is queued. A
 * late firmware event still reaches open files, but no longer the work.
 */
void edu_events_flush(struct edu_dev *edu)
{
	spin_lock_irq(&edu->events_lock);
	edu->events_closed = true;
	spin_unlock_irq(&edu->events_lock);
	/* The work may have queued itself again: until it is idle. */
	while (flush_work(&edu->deferred_work))
		;
}

/*
 * Called by remove() after @dead is set: wake every waiter to see it,
 * rings get no more records, eventfds ring once more and are let go.
 */
void edu_events_shutdown(struct edu_dev *edu)
{
	struct edu_file *ef;

	/* Every file: one may be between fasync_helper() and its watch. */
	spin_lock_irq(&edu->events_lock);
	list_for_each_entry(ef, &edu->files, node) {
		edu_ring_kill(ef);
		kill_fasync(&ef->fasync, SIGIO, POLL_HUP);
	}
	spin_unlock_irq(&edu->events_lock);
	wake_up_interruptible_all(&edu->events_wait);
	edu_eventfd_shutdown(edu);
}

/*
 * Takes the oldest event of the file's queue, then copies it out with no
 * lock held: each record goes to one reader only, even with several
 * readers on one file. A copy that faults gives the record back, so
 * nothing is lost, unless another reader of the file took a later one
 * meanwhile: then it counts as dropped; a short copy rewinds the iterator.
 * The trace is of the taking: a record given back is traced again when it
 * is read again.
 */
static int edu_events_pop(struct edu_file *ef, struct iov_iter *to)
{
	struct edu_dev *edu = ef->edu;
	struct edu_event ev;
	size_t copied;
	u64 seq;

	spin_lock_irq(&edu->events_lock);
	edu_queue_trim(ef);
	seq = ef->next_seq;
	if (seq == edu_queue_end(ef)) {
		spin_unlock_irq(&edu->events_lock);
		return 0;
	}
	ev = edu->event_log[seq % EDU_EVENT_LOG_LEN];
	ev.lost = ef->lost;
	ef->next_seq++;
	ef->lost = 0;
	trace_edu_event_deliver(edu->id, ev.seq, EDU_TR_CH_QUEUE, 0, 0,
				edu_queue_end(ef) - ef->next_seq, ev.lost);
	spin_unlock_irq(&edu->events_lock);

	copied = copy_to_iter(&ev, sizeof(ev), to);
	if (copied == sizeof(ev))
		return 1;
	iov_iter_revert(to, copied);

	spin_lock_irq(&edu->events_lock);
	ef->lost = min_t(u64, (u64)ef->lost + ev.lost, U32_MAX);
	if (ef->next_seq == seq + 1) {
		/* Back in front (if the log overwrote it, the next read trims it). */
		ef->next_seq = seq;
	} else {
		ef->lost = min_t(u64, (u64)ef->lost + 1, U32_MAX);
		edu_count(edu, events_dropped);
	}
	spin_unlock_irq(&edu->events_lock);
	/* Another reader may have found the queue empty and gone to sleep. */
	wake_up_interruptible_all(&edu->events_wait);
	return -EFAULT;
}

/*
 * Without the lock, for poll() and waits: the file's queue holds a record
 * (unless the log overwrote it meanwhile: read() then finds it lost).
 */
static bool edu_queue_ready(struct edu_file *ef)
{
	u64 end;

	/* Pairs with the store-release of the ring, after queue_end. */
	if (edu_has_ring(ef))
		end = READ_ONCE(ef->queue_end);
	else
		end = READ_ONCE(ef->edu->event_seq) + 1;
	return READ_ONCE(ef->next_seq) != end;
}

static bool edu_events_ready(struct edu_file *ef)
{
	return edu_queue_ready(ef) || READ_ONCE(ef->edu->dead) ||
	       edu_has_ring(ef);
}

/**
 * edu_events_read() - read(2), readv(2), io_uring: whole records, oldest first
 * @ef: the file
 * @to: where to; at least one record's room
 * @nonblock: -EAGAIN instead of waiting when none is queued (O_NONBLOCK,
 *	or IOCB_NOWAIT: io_uring's first try, preadv2()'s RWF_NOWAIT)
 *
 * Return: bytes read, -EINVAL for a buffer smaller than a record or once
 * the file has a ring and nothing queued before it is left, -EAGAIN,
 * -ERESTARTSYS, -EFAULT, or -ENODEV once the device is gone.
 */
ssize_t edu_events_read(struct edu_file *ef, struct iov_iter *to, bool nonblock)
{
	const size_t size = sizeof(struct edu_event);
	size_t done = 0, count = iov_iter_count(to);
	int ret;

	if (count < size)
		return -EINVAL;

	for (;;) {
		if (READ_ONCE(ef->edu->dead))
			return -ENODEV;

		while (done + size <= count) {
			ret = edu_events_pop(ef, to);
			if (ret < 0)
				return done ? done : ret;
			if (!ret)
				break;
			done += size;
		}
		if (done)
			return done;
		/* Its events go to the ring: none will come here. */
		if (edu_has_ring(ef))
			return -EINVAL;

		if (nonblock)
			return -EAGAIN;
		ret = wait_event_interruptible(ef->edu->events_wait,
					       edu_events_ready(ef));
		if (ret)
			return ret;
	}
}

__poll_t edu_events_poll(struct edu_file *ef, struct file *file,
			 struct poll_table_struct *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &ef->edu->events_wait, wait);
	if (READ_ONCE(ef->edu->dead))
		return EPOLLERR | EPOLLHUP;
	if (edu_queue_ready(ef) || edu_ring_ready(ef))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static bool edu_signal_ok(int signo)
{
	return signo > 0 && valid_signal(signo) && signo != SIGKILL &&
	       signo != SIGSTOP;
}

/*
 * Replaces a (struct pid, signal) registration under events_lock: of @ef,
 * or of the device (debugfs) when @ef is NULL.
 */
static void edu_swap_signal(struct edu_dev *edu, struct edu_file *ef,
			    struct pid **slot, int *signo_slot, struct pid *pid,
			    int signo)
{
	struct pid *old;

	spin_lock_irq(&edu->events_lock);
	old = *slot;
	*slot = pid;
	*signo_slot = signo;
	if (ef)
		edu_events_watch(ef);
	spin_unlock_irq(&edu->events_lock);
	put_pid(old);
}

/**
 * edu_events_set_debug_signal() - debugfs signal_pid: signal any process
 * @edu: the device
 * @nr: the process ID (in the caller's namespace), or 0 to stop
 * @signo: the signal
 *
 * Return: 0, -EINVAL for a bad signal or ID, -ESRCH for no such process.
 */
int edu_events_set_debug_signal(struct edu_dev *edu, pid_t nr, int signo)
{
	struct pid *pid = NULL;

	if (nr < 0 || (nr && !edu_signal_ok(signo)))
		return -EINVAL;
	if (nr) {
		pid = find_get_pid(nr);
		if (!pid)
			return -ESRCH;
	}
	edu_swap_signal(edu, NULL, &edu->dbg_sig_pid, &edu->dbg_signo, pid,
			nr ? signo : 0);
	return 0;
}

/**
 * edu_events_set_signal() - signal the calling process on every event
 * @ef: the file
 * @signo: the signal, or 0 to stop
 *
 * The process is held by a struct pid reference, so its exit is harmless.
 */
int edu_events_set_signal(struct edu_file *ef, int signo)
{
	struct pid *pid = NULL;

	if (signo && !edu_signal_ok(signo))
		return -EINVAL;
	if (signo)
		pid = get_pid(task_tgid(current));
	edu_swap_signal(ef->edu, ef, &ef->sig_pid, &ef->signo, pid, signo);
	return 0;
}

void edu_stats_read(struct edu_dev *edu, struct edu_stats *st)
{
	const struct edu_counters *c = &edu->stats;

	st->irqs = atomic64_read(&c->irqs);
	st->irqs_factorial = atomic64_read(&c->irqs_factorial);
	st->irqs_dma = atomic64_read(&c->irqs_dma);
	st->irqs_other = atomic64_read(&c->irqs_other);
	st->injected = atomic64_read(&c->injected);
	st->dma_transfers = atomic64_read(&c->dma_transfers);
	st->dma_bytes = atomic64_read(&c->dma_bytes);
	st->factorials = atomic64_read(&c->factorials);
	st->errors = atomic64_read(&c->errors);
	st->events_dropped = atomic64_read(&c->events_dropped);
	st->irqs_spurious = atomic64_read(&c->irqs_spurious);
	st->irqs_dropped = atomic64_read(&c->irqs_dropped);
}
