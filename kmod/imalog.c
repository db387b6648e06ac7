// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * Records of edgeward's security events in the IMA measurement log, so that
 * a remote verifier who trusts PCR 10 can replay the device's registry: every
 * registration change, mode change and enforced denial, as text under the
 * label "edgeward" (format and event names in uapi/linux/edgeward.h).
 *
 * IMA logs them only if its policy has a rule for the label; the answer of
 * the last attempt (-ENOENT: no rule) is what the status reports.
 */

#include "imalog.h"
#include "manifest.h"
#include "mode.h"
#include "registry.h"

#include <linux/atomic.h>
#include <linux/dcache.h>
#include <linux/edgeward.h>
#include <linux/fs.h>
#include <linux/ima.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#define EW_IMA_LABEL "edgeward"

static atomic_t ew_imalog_last = ATOMIC_INIT(EDGEWARD_IMA_STATE_AVAILABLE);

/**
 * ew_imalog_state() - what IMA does with edgeward's records
 *
 * Return: an enum edgeward_ima_state.
 */
u32 ew_imalog_state(void)
{
	if (!IS_ENABLED(CONFIG_IMA))
		return EDGEWARD_IMA_STATE_ABSENT;
	return atomic_read(&ew_imalog_last);
}

static void ew_imalog_record(const char *event, const char *buf, size_t len)
{
	int ret;

	if (!IS_ENABLED(CONFIG_IMA))
		return;
	ret = ima_measure_critical_data(EW_IMA_LABEL, event, buf, len, false,
					NULL, 0);
	if (ret == -ENOENT)
		atomic_set(&ew_imalog_last, EDGEWARD_IMA_STATE_NOT_CONFIGURED);
	else if (!ret)
		atomic_set(&ew_imalog_last, EDGEWARD_IMA_STATE_MEASURING);
	else
		pr_warn_ratelimited("edgeward: IMA did not record %s: %d\n",
				    event, ret);
}

/**
 * ew_imalog_reg() - record a registration added, removed or replaced
 * @event: "edgeward-reg-add", "edgeward-reg-del" or "edgeward-reg-change"
 * @reg: the registration (the new one for a change)
 *
 * The record is the registration's canonical manifest followed by its cgroup.
 */
void ew_imalog_reg(const char *event, const struct ew_reg *reg)
{
	/* %pE may turn each byte of the path into four. */
	size_t extra = 4 * strlen(reg->path) + 64;
	size_t len;
	char *buf;

	buf = ew_manifest_text(reg, extra, &len);
	if (!buf) {
		pr_warn_ratelimited("edgeward: no memory to record %s\n", event);
		return;
	}
	len += scnprintf(buf + len, extra, "cgroup_id=%llu\ncgroup_path=%*pE\n",
			 reg->cgroup_id, (int)strlen(reg->path), reg->path);
	ew_imalog_record(event, buf, len);
	kfree(buf);
}

/**
 * ew_imalog_mode() - record a change of the global mode
 * @mode: the new enum edgeward_mode
 */
void ew_imalog_mode(u32 mode)
{
	char buf[32];
	size_t len;

	len = scnprintf(buf, sizeof(buf), "mode=%s\n", ew_mode_name(mode));
	ew_imalog_record("edgeward-mode", buf, len);
}

/* ew_imalog_lock() - record that the module was locked */
void ew_imalog_lock(void)
{
	static const char buf[] = "locked=1\n";

	ew_imalog_record("edgeward-lock", buf, sizeof(buf) - 1);
}

/**
 * ew_imalog_exec_denied() - record an execve() refused in enforce mode
 * @reg: the registration that refused it
 * @cgroup_id: the cgroup of the process
 * @digest: the executable's digest
 * @file: the executable
 */
void ew_imalog_exec_denied(const struct ew_reg *reg, u64 cgroup_id,
			   const u8 *digest, struct file *file)
{
	char *path_buf, *buf;
	const char *path;
	size_t size, len;

	path_buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!path_buf)
		goto nomem;
	path = d_path(&file->f_path, path_buf, PATH_MAX);
	if (IS_ERR(path))
		path = "";
	size = 4 * (strlen(reg->name) + strlen(reg->gen_id) + strlen(path)) +
	       2 * EDGEWARD_DIGEST_LEN + 128;
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf) {
		kfree(path_buf);
		goto nomem;
	}
	len = scnprintf(buf, size,
			"name=%s\ngen_id=%s\ncgroup_id=%llu\npid=%d\ndigest=%*phN\npath=%*pE\n",
			reg->name, reg->gen_id, cgroup_id,
			task_tgid_nr(current), EDGEWARD_DIGEST_LEN, digest,
			(int)strlen(path), path);
	ew_imalog_record("edgeward-exec-denied", buf, len);
	kfree(buf);
	kfree(path_buf);
	return;

nomem:
	pr_warn_ratelimited("edgeward: no memory to record edgeward-exec-denied\n");
}
