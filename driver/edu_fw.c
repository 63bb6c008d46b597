// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware: an image (docs/firmware.md) loaded into the firmware region of
 * the device buffer by DMA, read back and compared, and only then made the
 * active firmware. Two ways in:
 *   - at probe, asynchronously, from the firmware search path (EDU_FW_NAME);
 *   - on request (sysfs firmware_upload, root), through the kernel's sysfs
 *     fallback: /sys/class/firmware/edu-upload-eduN/{loading,data}, fed by user space.
 * A failed load of either kind leaves the previous firmware active: the
 * region is restored from the driver's copy of the active image.
 */
#include <linux/crc32.h>
#include <linux/firmware.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "edu.h"
#include "edu_trace.h"

/*
 * The upload's firmware name is also the name of its fallback directory,
 * /sys/class/firmware/edu-upload-eduN/: one per device, and no file of that
 * name exists, so the loader goes straight to the fallback.
 */
#define EDU_FW_UPLOAD_FMT	"edu-upload-%s"

/* How long user space has to complete an upload (sysctl). */
unsigned int edu_fw_upload_timeout_s = 60;

static const char *const edu_fw_state_names[] = {
	[EDU_FW_NONE] = "none",
	[EDU_FW_LOADING] = "loading",
	[EDU_FW_READY] = "ready",
	[EDU_FW_FAILED] = "failed",
};

/* The header checks; the reason is what sysfs and the log say. */
static const char *edu_fw_check(const u8 *data, size_t size,
				struct edu_fw_header *h)
{
	u32 len;

	if (size < sizeof(*h))
		return "truncated header";
	memcpy(h, data, sizeof(*h));
	if (le32_to_cpu(h->magic) != EDU_FW_MAGIC)
		return "bad magic";
	if (le32_to_cpu(h->header_crc) !=
	    ~crc32_le(~0, (const u8 *)h, offsetof(struct edu_fw_header, header_crc)))
		return "header CRC mismatch";
	if (le16_to_cpu(h->format) != EDU_FW_FORMAT)
		return "unknown format";
	if (le16_to_cpu(h->header_size) != sizeof(*h) || h->reserved[0] ||
	    h->reserved[1])
		return "bad header";
	len = le32_to_cpu(h->payload_len);
	if (!len || len > EDU_FW_MAX_PAYLOAD)
		return "bad payload length";
	if (size != sizeof(*h) + len)
		return size < sizeof(*h) + len ? "truncated payload" : "trailing data";
	if (le32_to_cpu(h->payload_crc) != ~crc32_le(~0, data + sizeof(*h), len))
		return "payload CRC mismatch";
	return NULL;
}

static void edu_fw_set_state(struct edu_dev *edu, enum edu_fw_state state,
			     const char *reason)
{
	mutex_lock(&edu->fw_lock);
	edu->fw_state = state;
	strscpy(edu->fw_reason, reason ? reason : "", sizeof(edu->fw_reason));
	mutex_unlock(&edu->fw_lock);
}

/*
 * Copies the image into the firmware region and reads it back. The version
 * reported afterwards is the one the device holds, not the file's.
 * Return: 0, -EBADMSG if the read-back differs, or the failed transfer's
 * error (-EIO included: a transfer that failed is not a mismatch).
 */
static int edu_fw_write_verify(struct edu_dev *edu, const u8 *image, size_t size,
			       u32 *version)
{
	struct edu_fw_header h;
	u8 *back;
	int ret;

	back = kmalloc(size, GFP_KERNEL);
	if (!back)
		return -ENOMEM;
	ret = edu_dma_bounce(edu, (void *)image, 0, size, false, false);
	if (!ret)
		ret = edu_dma_bounce(edu, back, 0, size, true, false);
	if (!ret && memcmp(back, image, size))
		ret = -EBADMSG;
	if (!ret) {
		memcpy(&h, back, sizeof(h));
		*version = le32_to_cpu(h.version);
	}
	kfree(back);
	return ret;
}

/* Puts the active image back after a failed load overwrote the region. */
static void edu_fw_restore(struct edu_dev *edu)
{
	u32 version = 0;
	int ret;

	if (!edu->fw_image_size)
		return;
	ret = edu_fw_write_verify(edu, edu->fw_image, edu->fw_image_size, &version);
	trace_edu_fw_step(edu->id, EDU_TR_FW_RESTORED, ret, version, "");
	if (ret)
		edu_log(edu, EDU_LOG_ERR, "cannot restore firmware %u.%u.%u\n",
			edu->fw_version >> 16, (edu->fw_version >> 8) & 0xff,
			edu->fw_version & 0xff);
}

/* Validates, loads and verifies one image; the caller holds edu_enter(). */
static int edu_fw_install(struct edu_dev *edu, const struct firmware *fw)
{
	struct edu_fw_header h;
	const char *reason;
	u32 version;
	int ret;

	reason = edu_fw_check(fw->data, fw->size, &h);
	trace_edu_fw_step(edu->id, EDU_TR_FW_CHECKED, reason ? -EINVAL : 0,
			  fw->size, reason ? reason : "");
	if (reason) {
		edu_fw_set_state(edu, EDU_FW_FAILED, reason);
		return -EINVAL;
	}
	version = 0;
	ret = edu_fw_write_verify(edu, fw->data, fw->size, &version);
	trace_edu_fw_step(edu->id, EDU_TR_FW_WRITTEN, ret, version, "");
	if (ret == -ENODEV) {
		/* Nothing to restore the old image into. */
		edu_fw_set_state(edu, EDU_FW_FAILED, "device removed");
		return ret;
	}
	if (ret) {
		edu_fw_set_state(edu, EDU_FW_FAILED, ret == -EBADMSG ?
				 "verification failed" : "DMA failed");
		edu_fw_restore(edu);
		/* The errno of a mismatch, in the event, is EIO. */
		return ret == -EBADMSG ? -EIO : ret;
	}
	mutex_lock(&edu->fw_lock);
	memcpy(edu->fw_image, fw->data, fw->size);
	edu->fw_image_size = fw->size;
	edu->fw_version = version;
	edu->fw_state = EDU_FW_READY;
	edu->fw_reason[0] = '\0';
	mutex_unlock(&edu->fw_lock);
	return 0;
}

/*
 * Ends a pending upload the way user space cancels one: "-1" written to the
 * fallback's "loading" file, through the VFS. The firmware loader offers a
 * driver no other way to end a request that waits for user space, and the
 * file keeps what its store relies on: kernfs' active reference, which the
 * loader's removal of the file drains, and the loader's own locking.
 *
 * Return: 0, or -ENOENT while the loader has not yet made the file.
 */
static int edu_fw_cancel_upload(struct edu_dev *edu)
{
	char path[80];
	struct file *file;
	loff_t pos = 0;
	ssize_t ret;

	snprintf(path, sizeof(path), "/sys/class/firmware/%s/loading",
		 edu->fw_upload_name);
	file = filp_open(path, O_WRONLY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = kernel_write(file, "-1", 2, &pos);
	filp_close(file, NULL);
	return ret < 0 ? ret : 0;
}

/* The fallback's files appear within a moment of the request: 5 s at most. */
#define EDU_FW_CANCEL_TRIES	50

/*
 * The upload's timeout (and remove()'s way to end it): armed with the
 * request and cancelled by its completion, so it never outlives it.
 */
static void edu_fw_upload_expired(struct work_struct *work)
{
	struct edu_dev *edu = container_of(to_delayed_work(work), struct edu_dev,
					   fw_timeout);
	bool live;
	int ret;

	mutex_lock(&edu->fw_lock);
	live = edu->fw_pending && edu->fw_uploading && !edu->fw_ending;
	if (live && !edu->fw_closed)
		edu->fw_timed_out = true;
	mutex_unlock(&edu->fw_lock);
	if (!live)
		return;

	ret = edu_fw_cancel_upload(edu);
	if (ret == -ENOENT && ++edu->fw_cancel_tries < EDU_FW_CANCEL_TRIES)
		/* The loader is still making its files: try again shortly. */
		queue_delayed_work(edu_wq, &edu->fw_timeout, HZ / 10);
	else if (ret)
		edu_log(edu, EDU_LOG_WARN, "cannot end the upload: %d\n", ret);
}

/* The firmware loader's callback, in process context. */
static void edu_fw_done(const struct firmware *fw, void *context)
{
	struct edu_dev *edu = context;
	int ret = -ENOENT;

	/* From here the timeout is not armed again, and not running after. */
	mutex_lock(&edu->fw_lock);
	edu->fw_ending = true;
	mutex_unlock(&edu->fw_lock);
	cancel_delayed_work_sync(&edu->fw_timeout);

	trace_edu_fw_step(edu->id, EDU_TR_FW_RECEIVED, fw ? 0 : -ENOENT,
			  fw ? fw->size : 0, "");
	if (fw && !edu_enter(edu)) {
		ret = edu_fw_install(edu, fw);
		edu_leave(edu);
	} else if (!fw) {
		edu_fw_set_state(edu, EDU_FW_FAILED, !edu->fw_uploading ?
				 "no firmware file" : READ_ONCE(edu->fw_timed_out) ?
				 "upload timed out" : "upload cancelled");
	} else {
		edu_fw_set_state(edu, EDU_FW_FAILED, "device removed");
		ret = -ENODEV;
	}
	release_firmware(fw);

	trace_edu_fw_step(edu->id, EDU_TR_FW_DONE, ret, edu->fw_version,
			  ret ? edu->fw_reason : "");
	edu_uevent_firmware(edu, ret, edu->fw_version, edu->fw_reason);
	if (!ret) {
		dev_info(&edu->dev, "firmware %u.%u.%u loaded\n",
			 edu->fw_version >> 16, (edu->fw_version >> 8) & 0xff,
			 edu->fw_version & 0xff);
		edu_events_post(edu, EDU_EVENT_FIRMWARE_LOADED, 0, edu->fw_version);
	} else {
		/* One clear line; the device stays usable without firmware. */
		dev_info(&edu->dev, "firmware not loaded: %s%s\n", edu->fw_reason,
			 edu->fw_image_size ? " (previous firmware stays)" : "");
		edu_events_post(edu, EDU_EVENT_FIRMWARE_FAILED, 0, -ret);
	}

	mutex_lock(&edu->fw_lock);
	edu->fw_pending = false;
	mutex_unlock(&edu->fw_lock);
	wake_up_all(&edu->fw_wait);
	put_device(&edu->dev);
}

/*
 * Starts an asynchronous load. @upload: through the sysfs fallback (no
 * uevent: user space is told by the sysfs trigger's caller, eductl), with
 * the driver's timeout armed before the request can complete.
 */
int edu_fw_request(struct edu_dev *edu, bool upload)
{
	bool announcing;
	int ret;

	for (;;) {
		mutex_lock(&edu->fw_lock);
		if (edu->fw_closed) {
			mutex_unlock(&edu->fw_lock);
			return -ENODEV;
		}
		if (!edu->fw_pending)
			break;
		/*
		 * The last load's result is visible already; what is left is
		 * its event (and, after a failed write, putting the old image
		 * back). Wait for that a second rather than refuse a caller
		 * who saw the result; a longer restore still gets -EBUSY.
		 */
		announcing = edu->fw_state != EDU_FW_LOADING;
		mutex_unlock(&edu->fw_lock);
		if (!announcing ||
		    !wait_event_timeout(edu->fw_wait, !READ_ONCE(edu->fw_pending), HZ))
			return -EBUSY;
	}
	edu->fw_pending = true;
	edu->fw_uploading = upload;
	edu->fw_ending = false;
	edu->fw_timed_out = false;
	edu->fw_cancel_tries = 0;
	edu->fw_state = EDU_FW_LOADING;
	snprintf(edu->fw_upload_name, sizeof(edu->fw_upload_name),
		 EDU_FW_UPLOAD_FMT, dev_name(&edu->dev));
	if (upload)
		queue_delayed_work(edu_wq, &edu->fw_timeout,
				   READ_ONCE(edu_fw_upload_timeout_s) * HZ);
	mutex_unlock(&edu->fw_lock);

	/* Before the request: its callback may run before it returns. */
	trace_edu_fw_step(edu->id, EDU_TR_FW_REQUEST, 0, upload,
			  upload ? edu->fw_upload_name : EDU_FW_NAME);
	get_device(&edu->dev);
	ret = request_firmware_nowait(THIS_MODULE,
				      upload ? FW_ACTION_NOUEVENT : FW_ACTION_UEVENT,
				      upload ? edu->fw_upload_name : EDU_FW_NAME,
				      &edu->dev, GFP_KERNEL, edu, edu_fw_done);
	if (ret) {
		mutex_lock(&edu->fw_lock);
		edu->fw_ending = true;
		mutex_unlock(&edu->fw_lock);
		cancel_delayed_work_sync(&edu->fw_timeout);
		put_device(&edu->dev);
		mutex_lock(&edu->fw_lock);
		edu->fw_pending = false;
		edu->fw_state = EDU_FW_FAILED;
		strscpy(edu->fw_reason, "request failed", sizeof(edu->fw_reason));
		mutex_unlock(&edu->fw_lock);
		trace_edu_fw_step(edu->id, EDU_TR_FW_DONE, ret, edu->fw_version,
				  "request failed");
		edu_uevent_firmware(edu, ret, edu->fw_version, "request failed");
		wake_up_all(&edu->fw_wait);
	}
	return ret;
}

/* How long remove() waits for a load to end before going on without it. */
#define EDU_FW_REMOVE_WAIT	(10 * HZ)

/*
 * remove(): no new load starts; one in progress may use the hardware: let
 * it end. An upload still waiting for user space is cut short. Should it not end (the
 * fallback's file out of reach), remove() goes on: the request holds its
 * own references to the device and the module, and its callback finds the
 * device removed.
 */
void edu_fw_wait_idle(struct edu_dev *edu)
{
	mutex_lock(&edu->fw_lock);
	edu->fw_closed = true;
	if (edu->fw_pending && edu->fw_uploading && !edu->fw_ending)
		mod_delayed_work(edu_wq, &edu->fw_timeout, 0);
	mutex_unlock(&edu->fw_lock);
	if (!wait_event_timeout(edu->fw_wait, !READ_ONCE(edu->fw_pending),
				EDU_FW_REMOVE_WAIT))
		edu_log(edu, EDU_LOG_WARN, "firmware load still pending at removal\n");
}

void edu_fw_init(struct edu_dev *edu)
{
	mutex_init(&edu->fw_lock);
	init_waitqueue_head(&edu->fw_wait);
	INIT_DELAYED_WORK(&edu->fw_timeout, edu_fw_upload_expired);
}

/* "none", "loading", "ready", or "failed: REASON" */
int edu_fw_state_show(struct edu_dev *edu, char *buf)
{
	int len;

	mutex_lock(&edu->fw_lock);
	if (edu->fw_state == EDU_FW_FAILED)
		len = sysfs_emit(buf, "failed: %s\n", edu->fw_reason);
	else
		len = sysfs_emit(buf, "%s\n", edu_fw_state_names[edu->fw_state]);
	mutex_unlock(&edu->fw_lock);
	return len;
}

/* The active firmware's version as read back from the device, or "none". */
void edu_fw_version_str(struct edu_dev *edu, char *buf, size_t len)
{
	mutex_lock(&edu->fw_lock);
	if (edu->fw_image_size)
		scnprintf(buf, len, "%u.%u.%u", edu->fw_version >> 16,
			  (edu->fw_version >> 8) & 0xff, edu->fw_version & 0xff);
	else
		strscpy(buf, "none", len);
	mutex_unlock(&edu->fw_lock);
}
