// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts as events. Every interrupt becomes one struct edu_event that
 * is queued on every open file of the device, from the interrupt handler:
 * readers and pollers are woken, SIGIO goes to fasync subscribers, and a
 * registered process gets its chosen signal, registered eventfds are
 * signalled (edu_eventfd.c). A full queue drops its oldest event and says
 * so in the next one delivered. A file with a ring (edu_ring.c) gets its
 * events there instead of in its queue.
 */
#include <linux/ktime.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "edu.h"
#include "edu_trace.h"

void edu_events_attach(struct edu_file *ef)
{
	struct edu_dev *edu = ef->edu;

	spin_lock_irq(&edu->events_lock);
	list_add_tail(&ef->node, &edu->files);
	spin_unlock_irq(&edu->events_lock);
}

void edu_events_detach(struct edu_file *ef)
{
	struct edu_dev *edu = ef->edu;

	spin_lock_irq(&edu->events_lock);
	list_del_init(&ef->node);
	spin_unlock_irq(&edu->events_lock);
}

/* Called with events_lock held. */
static void edu_file_push(struct edu_file *ef, const struct edu_event *ev)
{
	unsigned int tail;

	if (ef->count == ef->len) {
		/* Full: drop the oldest. */
		ef->head = (ef->head + 1) % ef->len;
		ef->count--;
		ef->lost++;
		edu_count(ef->edu, events_dropped);
	}
	tail = (ef->head + ef->count) % ef->len;
	ef->queue[tail] = *ev;
	ef->count++;
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
 * send from process context. A full ring drops its oldest.
 */
static void edu_defer(struct edu_dev *edu, const struct edu_event *ev)
{
	if (edu->events_closed)
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
	edu->recent[edu->recent_count++ % EDU_RECENT_EVENTS] = ev;
	edu_defer(edu, &ev);
	list_for_each_entry(ef, &edu->files, node) {
		if (ef->ring) {
			edu_ring_push(ef, &ev, i);
		} else {
			edu_file_push(ef, &ev);
			trace_edu_event_deliver(edu->id, ev.seq, EDU_TR_CH_QUEUE,
						i, 0, ef->count, ef->lost);
		}
		edu_eventfd_signal(ef, &ev);
		wake_up_interruptible(&ef->wait);
		if (ef->fasync)
			trace_edu_event_deliver(edu->id, ev.seq, EDU_TR_CH_SIGIO,
						i, 0, 0, 0);
		kill_fasync(&ef->fasync, SIGIO, POLL_IN);
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

void edu_events_init(struct edu_dev *edu)
{
	spin_lock_init(&edu->events_lock);
	INIT_LIST_HEAD(&edu->files);
	INIT_WORK(&edu->deferred_work, edu_deferred_work);
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

	spin_lock_irq(&edu->events_lock);
	list_for_each_entry(ef, &edu->files, node) {
		edu_ring_kill(ef);
		wake_up_interruptible_all(&ef->wait);
		kill_fasync(&ef->fasync, SIGIO, POLL_HUP);
	}
	spin_unlock_irq(&edu->events_lock);
	edu_eventfd_shutdown(edu);
}

/*
 * Takes the oldest event off the queue, then copies it out with no lock
 * held: each record goes to one reader only, even with several readers on
 * one file. A copy that faults puts the record back in front, so nothing
 * is lost, unless new events filled the queue meanwhile: then it counts as
 * dropped, as the oldest.
 */
static int edu_events_pop(struct edu_file *ef, char __user *ubuf)
{
	struct edu_dev *edu = ef->edu;
	struct edu_event ev;

	spin_lock_irq(&edu->events_lock);
	if (!ef->count) {
		spin_unlock_irq(&edu->events_lock);
		return 0;
	}
	ev = ef->queue[ef->head];
	ev.lost = ef->lost;
	ef->head = (ef->head + 1) % ef->len;
	ef->count--;
	ef->lost = 0;
	spin_unlock_irq(&edu->events_lock);

	if (!copy_to_user(ubuf, &ev, sizeof(ev)))
		return 1;

	spin_lock_irq(&edu->events_lock);
	ef->lost += ev.lost;
	if (ef->count < ef->len) {
		ef->head = (ef->head + ef->len - 1) % ef->len;
		ef->queue[ef->head] = ev;
		ef->count++;
	} else {
		ef->lost++;
		edu_count(edu, events_dropped);
	}
	spin_unlock_irq(&edu->events_lock);
	return -EFAULT;
}

static bool edu_events_ready(struct edu_file *ef)
{
	return READ_ONCE(ef->count) || READ_ONCE(ef->edu->dead) ||
	       edu_has_ring(ef);
}

/**
 * edu_events_read() - read(2): whole event records, oldest first
 * @ef: the file
 * @ubuf: user buffer
 * @count: its size; at least one record
 * @nonblock: -EAGAIN instead of waiting when none is queued
 *
 * Return: bytes read, -EINVAL for a buffer smaller than a record or once
 * the file has a ring and nothing queued before it is left, -EAGAIN,
 * -ERESTARTSYS, -EFAULT, or -ENODEV once the device is gone.
 */
ssize_t edu_events_read(struct edu_file *ef, char __user *ubuf, size_t count,
			bool nonblock)
{
	const size_t size = sizeof(struct edu_event);
	size_t done = 0;
	int ret;

	if (count < size)
		return -EINVAL;

	for (;;) {
		if (READ_ONCE(ef->edu->dead))
			return -ENODEV;

		while (done + size <= count) {
			ret = edu_events_pop(ef, ubuf + done);
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
		ret = wait_event_interruptible(ef->wait, edu_events_ready(ef));
		if (ret)
			return ret;
	}
}

__poll_t edu_events_poll(struct edu_file *ef, struct file *file,
			 struct poll_table_struct *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &ef->wait, wait);
	if (READ_ONCE(ef->edu->dead))
		return EPOLLERR | EPOLLHUP;
	if (READ_ONCE(ef->count) || edu_ring_ready(ef))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static bool edu_signal_ok(int signo)
{
	return signo > 0 && valid_signal(signo) && signo != SIGKILL &&
	       signo != SIGSTOP;
}

/* Replaces a (struct pid, signal) registration under events_lock. */
static void edu_swap_signal(struct edu_dev *edu, struct pid **slot, int *signo_slot,
			    struct pid *pid, int signo)
{
	struct pid *old;

	spin_lock_irq(&edu->events_lock);
	old = *slot;
	*slot = pid;
	*signo_slot = signo;
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
	edu_swap_signal(edu, &edu->dbg_sig_pid, &edu->dbg_signo, pid,
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
	edu_swap_signal(ef->edu, &ef->sig_pid, &ef->signo, pid, signo);
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
