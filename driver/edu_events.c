// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts as events. Every interrupt becomes one struct edu_event that
 * is queued on every open file of the device, from the interrupt handler:
 * readers and pollers are woken, SIGIO goes to fasync subscribers, and a
 * registered process gets its chosen signal with the sequence number in
 * si_value. A full queue drops its oldest event and says so in the next
 * one delivered.
 */
#include <linux/ktime.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "edu.h"

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

/* Called with events_lock held; sends no more than a signal, never sleeps. */
static void edu_file_signal(struct edu_file *ef, const struct edu_event *ev)
{
	struct kernel_siginfo info;
	struct task_struct *task;

	clear_siginfo(&info);
	info.si_signo = ef->signo;
	info.si_code = SI_KERNEL;
	info.si_value.sival_ptr = (void __user *)(uintptr_t)ev->seq;

	/* A process-directed signal; nothing if the process has exited. */
	rcu_read_lock();
	task = pid_task(ef->sig_pid, PIDTYPE_PID);
	if (task)
		send_sig_info(ef->signo, &info, task);
	rcu_read_unlock();
}

/**
 * edu_events_post() - deliver one event to every open file
 * @edu: the device
 * @type: enum edu_event_type
 * @irq_status: interrupt status bits
 *
 * Any context, the interrupt handler included.
 */
void edu_events_post(struct edu_dev *edu, u32 type, u32 irq_status)
{
	struct edu_event ev = {
		.version = EDU_EVENT_VERSION,
		.size = sizeof(ev),
		.type = type,
		.device = edu->id,
		.irq_status = irq_status,
		.timestamp_ns = ktime_get_ns(),
	};
	struct edu_file *ef;
	unsigned long flags;

	spin_lock_irqsave(&edu->events_lock, flags);
	ev.seq = ++edu->event_seq;
	list_for_each_entry(ef, &edu->files, node) {
		edu_file_push(ef, &ev);
		wake_up_interruptible(&ef->wait);
		kill_fasync(&ef->fasync, SIGIO, POLL_IN);
		if (ef->sig_pid)
			edu_file_signal(ef, &ev);
	}
	spin_unlock_irqrestore(&edu->events_lock, flags);
}

/* Called by remove() after @dead is set: wake every waiter to see it. */
void edu_events_shutdown(struct edu_dev *edu)
{
	struct edu_file *ef;

	spin_lock_irq(&edu->events_lock);
	list_for_each_entry(ef, &edu->files, node) {
		wake_up_interruptible_all(&ef->wait);
		kill_fasync(&ef->fasync, SIGIO, POLL_HUP);
	}
	spin_unlock_irq(&edu->events_lock);
}

/*
 * Copies the oldest event out, then removes it only if it is still the
 * oldest: a fault loses nothing, and an event dropped meanwhile by overflow
 * is not removed twice.
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
	spin_unlock_irq(&edu->events_lock);

	if (copy_to_user(ubuf, &ev, sizeof(ev)))
		return -EFAULT;

	spin_lock_irq(&edu->events_lock);
	if (ef->count && ef->queue[ef->head].seq == ev.seq) {
		ef->head = (ef->head + 1) % ef->len;
		ef->count--;
	} else if (ef->lost) {
		/* Overflow dropped it while it was copied out: not lost. */
		ef->lost--;
	}
	ef->lost -= min(ef->lost, ev.lost);
	spin_unlock_irq(&edu->events_lock);
	return 1;
}

static bool edu_events_ready(struct edu_file *ef)
{
	return READ_ONCE(ef->count) || READ_ONCE(ef->edu->dead);
}

/**
 * edu_events_read() - read(2): whole event records, oldest first
 * @ef: the file
 * @ubuf: user buffer
 * @count: its size; at least one record
 * @nonblock: -EAGAIN instead of waiting when none is queued
 *
 * Return: bytes read, -EINVAL for a buffer smaller than a record, -EAGAIN,
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
	if (READ_ONCE(ef->count))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
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
	struct edu_dev *edu = ef->edu;
	struct pid *old, *pid = NULL;

	if (signo < 0 || !valid_signal(signo) || signo == SIGKILL ||
	    signo == SIGSTOP)
		return -EINVAL;
	if (signo)
		pid = get_pid(task_tgid(current));

	spin_lock_irq(&edu->events_lock);
	old = ef->sig_pid;
	ef->sig_pid = pid;
	ef->signo = signo;
	spin_unlock_irq(&edu->events_lock);

	put_pid(old);
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
}
