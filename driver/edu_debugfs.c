// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/edu/eduN/: the developer's backdoor, root only (and
 * every write checks the driver's privilege, CAP_SYS_ADMIN, as the other
 * channels do) and gone with the device (removal waits for operations in
 * progress):
 *   regs           every register, named, in hex
 *   inject_irq     write bits: raised through the device's raise register
 *   drop_irqs      handle the next N interrupts as if they were lost
 *   fail_dma       fail the next N DMA transfers with -EIO
 *   dma_delay_ms   delay the handling of every DMA completion by N ms
 *   spurious_irq   write N (<= 1000): N real interrupts that find no status
 *                  bit set, then a pause (the kernel's spurious check)
 *   signal_pid     write "PID [SIGNO]": signal that process on every event
 *   events         the last events, oldest first
 *   deferred_dropped  events the full deferred ring dropped (oldest first)
 *                  before netlink and the routes got them
 *   eventfds       eventfd registrations of the device's open files
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "edu.h"

#define EDU_FAULT_MAX		1000000
#define EDU_DELAY_MAX_MS	60000

static struct dentry *edu_debugfs_root;

static const struct {
	const char *name;
	unsigned int reg;
	bool wide;
} edu_reg_names[] = {
	{ "identification", EDU_REG_IDENT },
	{ "liveness", EDU_REG_LIVENESS },
	{ "factorial", EDU_REG_FACTORIAL },
	{ "status", EDU_REG_STATUS },
	{ "irq_status", EDU_REG_IRQ_STATUS },
	{ "dma_src", EDU_REG_DMA_SRC, true },
	{ "dma_dst", EDU_REG_DMA_DST, true },
	{ "dma_count", EDU_REG_DMA_COUNT, true },
	{ "dma_cmd", EDU_REG_DMA_CMD, true },
};

static int edu_regs_show(struct seq_file *m, void *v)
{
	struct edu_dev *edu = m->private;
	unsigned int i;
	int ret;

	ret = edu_enter(edu);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(edu_reg_names); i++) {
		unsigned int reg = edu_reg_names[i].reg;

		/* Below 0x80 only 4-byte accesses work. */
		if (edu_reg_names[i].wide)
			seq_printf(m, "0x%02x %-16s 0x%016llx\n", reg,
				   edu_reg_names[i].name, readq(edu->regs + reg));
		else
			seq_printf(m, "0x%02x %-16s 0x%08x\n", reg,
				   edu_reg_names[i].name, edu_read(edu, reg));
	}
	edu_leave(edu);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(edu_regs);

static int edu_events_show(struct seq_file *m, void *v)
{
	struct edu_event *recent;
	struct edu_dev *edu = m->private;
	u64 count, first, i;

	recent = kmalloc_array(EDU_RECENT_EVENTS, sizeof(*recent), GFP_KERNEL);
	if (!recent)
		return -ENOMEM;
	/* The last of the log, seq first to count. */
	spin_lock_irq(&edu->events_lock);
	count = edu->event_seq;
	first = count > EDU_RECENT_EVENTS ? count - EDU_RECENT_EVENTS + 1 : 1;
	for (i = first; i <= count; i++)
		recent[i % EDU_RECENT_EVENTS] =
			edu->event_log[i % EDU_EVENT_LOG_LEN];
	spin_unlock_irq(&edu->events_lock);

	for (i = first; i <= count; i++) {
		const struct edu_event *ev = &recent[i % EDU_RECENT_EVENTS];

		seq_printf(m, "seq %llu type %u status 0x%08x time %llu\n",
			   ev->seq, ev->type, ev->irq_status, ev->timestamp_ns);
	}
	kfree(recent);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(edu_events);

/* Reads a whole unsigned number from a debugfs write. */
static int edu_debugfs_uint(const char __user *ubuf, size_t count,
			    unsigned int max, unsigned int *val)
{
	int ret = kstrtouint_from_user(ubuf, count, 0, val);

	if (ret)
		return ret;
	return *val > max ? -ERANGE : 0;
}

static ssize_t edu_inject_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct edu_dev *edu = file->private_data;
	u32 bits;
	int ret;

	if (!edu_capable())
		return -EPERM;
	ret = kstrtou32_from_user(ubuf, count, 0, &bits);
	if (ret)
		return ret;
	ret = edu_enter(edu);
	if (ret)
		return ret;
	ret = edu_raise_irq(edu, bits);
	edu_leave(edu);
	return ret ? ret : count;
}

static const struct file_operations edu_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = edu_inject_write,
	.llseek = no_llseek,
};

/*
 * Runs on the CPU our interrupt targets, with interrupts off there: the
 * interrupt the raise asserts is taken only after the acknowledge, so the
 * handler finds no status bit set.
 */
static void edu_spurious_on_cpu(void *data)
{
	struct edu_dev *edu = data;

	edu_write(edu, EDU_REG_IRQ_RAISE, EDU_IRQ_SPURIOUS);
	edu_write(edu, EDU_REG_IRQ_ACK, EDU_IRQ_SPURIOUS);
}

/*
 * The kernel disables an interrupt line when 99,900 of 100,000 interrupts
 * went unhandled, each within 100 ms of the last (note_interrupt()). One
 * burst at a time, at most 1000, and a longer pause after each: no number
 * of writes can get the line disabled.
 */
#define EDU_SPURIOUS_MAX	1000
#define EDU_SPURIOUS_PAUSE_MS	150
static DEFINE_MUTEX(edu_spurious_lock);

/*
 * Not mutex_lock(): a writer waiting for another device's burst must see
 * its own device's removal, which waits for it.
 */
static int edu_spurious_lock_wait(struct edu_dev *edu)
{
	while (!mutex_trylock(&edu_spurious_lock)) {
		if (READ_ONCE(edu->dbg_closing))
			return -ENODEV;
		if (signal_pending(current))
			return -EINTR;
		usleep_range(5000, 10000);
	}
	return 0;
}

/* A real interrupt with no status: the handler must say IRQ_NONE. */
static ssize_t edu_spurious_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct edu_dev *edu = file->private_data;
	const struct cpumask *mask;
	unsigned int n, i, sent = 0;
	int ret;

	if (!edu_capable())
		return -EPERM;
	ret = edu_debugfs_uint(ubuf, count, EDU_SPURIOUS_MAX, &n);
	if (ret)
		return ret;
	ret = edu_spurious_lock_wait(edu);
	if (ret)
		return ret;
	ret = edu_enter(edu);
	if (ret)
		goto out;
	mask = irq_data_get_effective_affinity_mask(irq_get_irq_data(edu->irq));
	for (i = 0; i < n && !ret; i++) {
		s64 seen = atomic64_read(&edu->stats.irqs_spurious);
		int wait;

		/* remove() waits for this write: it ends early then. */
		if (READ_ONCE(edu->dbg_closing)) {
			ret = -ENODEV;
			break;
		}
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		ret = smp_call_function_single(cpumask_first(mask),
					       edu_spurious_on_cpu, edu, 1);
		if (!ret)
			sent++;
		/* One at a time: a second raise could merge with a pending one. */
		for (wait = 0; !ret && wait < 100 &&
		     atomic64_read(&edu->stats.irqs_spurious) == seen; wait++)
			usleep_range(1000, 2000);
	}
	edu_leave(edu);
	/* After any burst, even a cut one; not for a line that goes away. */
	if (sent && !READ_ONCE(edu->dbg_closing))
		msleep(EDU_SPURIOUS_PAUSE_MS);
out:
	mutex_unlock(&edu_spurious_lock);
	return ret ? ret : count;
}

static const struct file_operations edu_spurious_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = edu_spurious_write,
	.llseek = no_llseek,
};

static ssize_t edu_signal_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct edu_dev *edu = file->private_data;
	char buf[32];
	pid_t nr;
	int signo, len;

	spin_lock_irq(&edu->events_lock);
	nr = pid_vnr(edu->dbg_sig_pid);
	signo = edu->dbg_signo;
	spin_unlock_irq(&edu->events_lock);

	len = scnprintf(buf, sizeof(buf), "%d %d\n", nr, signo);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

/* "PID" (SIGUSR1) or "PID SIGNO", decimal; "0" stops. */
static ssize_t edu_signal_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct edu_dev *edu = file->private_data;
	int nr, signo = SIGUSR1, ret;
	char buf[32], *p, *pid_str;

	if (!edu_capable())
		return -EPERM;
	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	p = strim(buf);
	pid_str = strsep(&p, " ");
	ret = kstrtoint(pid_str, 10, &nr);
	if (!ret && p)
		ret = kstrtoint(skip_spaces(p), 10, &signo);
	if (ret)
		return ret;
	ret = edu_events_set_debug_signal(edu, nr, signo);
	return ret ? ret : count;
}

static const struct file_operations edu_signal_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = edu_signal_read,
	.write = edu_signal_write,
	.llseek = no_llseek,
};

/* Fault counts (drop_irqs, fail_dma): data is the atomic_t. */
static int edu_fault_count_get(void *data, u64 *val)
{
	*val = atomic_read(data);
	return 0;
}

static int edu_fault_count_set(struct edu_dev *edu, atomic_t *knob,
			       const char *name, u64 val)
{
	if (!edu_capable())
		return -EPERM;
	if (val > EDU_FAULT_MAX)
		return -ERANGE;
	atomic_set(knob, val);
	edu_uevent_fault(edu, name, val);
	return 0;
}

static int edu_drop_irqs_set(void *data, u64 val)
{
	struct edu_dev *edu = container_of(data, struct edu_dev, faults.drop_irqs);

	return edu_fault_count_set(edu, data, "drop_irqs", val);
}
DEFINE_DEBUGFS_ATTRIBUTE(edu_drop_irqs_fops, edu_fault_count_get,
			 edu_drop_irqs_set, "%llu\n");

static int edu_fail_dma_set(void *data, u64 val)
{
	struct edu_dev *edu = container_of(data, struct edu_dev, faults.fail_dma);

	return edu_fault_count_set(edu, data, "fail_dma", val);
}
DEFINE_DEBUGFS_ATTRIBUTE(edu_fail_dma_fops, edu_fault_count_get,
			 edu_fail_dma_set, "%llu\n");

/* dma_delay_ms: data is the unsigned int. */
static int edu_fault_delay_get(void *data, u64 *val)
{
	*val = READ_ONCE(*(unsigned int *)data);
	return 0;
}

static int edu_fault_delay_set(void *data, u64 val)
{
	struct edu_dev *edu = container_of(data, struct edu_dev,
					   faults.dma_delay_ms);

	if (!edu_capable())
		return -EPERM;
	if (val > EDU_DELAY_MAX_MS)
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)data, val);
	edu_uevent_fault(edu, "dma_delay_ms", val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(edu_fault_delay_fops, edu_fault_delay_get,
			 edu_fault_delay_set, "%llu\n");

void edu_debugfs_add(struct edu_dev *edu)
{
	struct dentry *dir;

	dir = debugfs_create_dir(dev_name(&edu->dev), edu_debugfs_root);
	edu->debugfs = dir;
	debugfs_create_file("regs", 0400, dir, edu, &edu_regs_fops);
	debugfs_create_file("inject_irq", 0200, dir, edu, &edu_inject_fops);
	debugfs_create_file_unsafe("drop_irqs", 0600, dir, &edu->faults.drop_irqs,
				   &edu_drop_irqs_fops);
	debugfs_create_file_unsafe("fail_dma", 0600, dir, &edu->faults.fail_dma,
				   &edu_fail_dma_fops);
	debugfs_create_file_unsafe("dma_delay_ms", 0600, dir,
				   &edu->faults.dma_delay_ms, &edu_fault_delay_fops);
	debugfs_create_file("spurious_irq", 0200, dir, edu, &edu_spurious_fops);
	debugfs_create_file("signal_pid", 0600, dir, edu, &edu_signal_fops);
	debugfs_create_file("events", 0400, dir, edu, &edu_events_fops);
	debugfs_create_atomic_t("eventfds", 0400, dir, &edu->evfd_count);
	debugfs_create_atomic_t("deferred_dropped", 0400, dir, &edu->deferred_dropped);
}

/* Waits for operations in progress on the files, so it runs first in remove(). */
void edu_debugfs_del(struct edu_dev *edu)
{
	/* Long writes (spurious_irq) stop, so the removal below is prompt. */
	WRITE_ONCE(edu->dbg_closing, true);
	debugfs_remove_recursive(edu->debugfs);
	edu->debugfs = NULL;
}

void edu_debugfs_init(void)
{
	edu_debugfs_root = debugfs_create_dir("edu", NULL);
}

void edu_debugfs_exit(void)
{
	debugfs_remove_recursive(edu_debugfs_root);
}
