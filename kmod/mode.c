// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * The global mode: off, audit or enforce. It starts from the "mode" module
 * parameter and then changes only through EDGEWARD_CMD_MODE_SET, so the
 * parameter is read-only in sysfs.
 *
 * And the lock, a one-way switch until reboot: once set, the mode can only
 * be raised, registrations must be signed (netlink.c) and the module holds a
 * reference to itself so that it cannot be unloaded.
 */

#include "mode.h"
#include "events.h"
#include "imalog.h"

#include <linux/edgeward.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sysfs.h>

static u32 ew_mode = EDGEWARD_MODE_AUDIT;
static bool ew_is_locked;
/* Orders changes so that their events arrive in the order they happened. */
static DEFINE_MUTEX(ew_mode_lock);

static const char *const ew_mode_names[] = {
	[EDGEWARD_MODE_OFF] = "off",
	[EDGEWARD_MODE_AUDIT] = "audit",
	[EDGEWARD_MODE_ENFORCE] = "enforce",
};

const char *ew_mode_name(u32 mode)
{
	if (mode < EDGEWARD_MODE_OFF || mode > EDGEWARD_MODE_MAX)
		return "unknown";
	return ew_mode_names[mode];
}

u32 ew_mode_get(void)
{
	return READ_ONCE(ew_mode);
}

/**
 * ew_mode_set() - change the global mode
 * @mode: an enum edgeward_mode, already validated by the netlink policy
 *
 * Announces the change on the events group and in the IMA log; setting the
 * current mode again changes nothing and announces nothing. An event that
 * cannot be built does not stop the change: losing it shows as a sequence
 * gap, refusing the change because of it would not show at all.
 *
 * Return: 0, or -EPERM if the module is locked and @mode is lower.
 */
int ew_mode_set(u32 mode)
{
	int ret = 0;

	mutex_lock(&ew_mode_lock);
	if (ew_is_locked && mode < ew_mode) {
		ret = -EPERM;
	} else if (ew_mode != mode) {
		WRITE_ONCE(ew_mode, mode);
		ew_event_mode(mode);
		ew_imalog_mode(mode);
	}
	mutex_unlock(&ew_mode_lock);
	return ret;
}

bool ew_locked(void)
{
	return READ_ONCE(ew_is_locked);
}

/**
 * ew_lock() - lock the module until reboot
 *
 * Locking again is a no-op.
 */
void ew_lock(void)
{
	mutex_lock(&ew_mode_lock);
	if (!ew_is_locked) {
		WRITE_ONCE(ew_is_locked, true);
		/* Never dropped: the module stays until the system goes. */
		__module_get(THIS_MODULE);
		ew_event_lock();
		ew_imalog_lock();
	}
	mutex_unlock(&ew_mode_lock);
}

static int ew_mode_param_set(const char *val, const struct kernel_param *kp)
{
	u32 mode;

	/* Not sysfs_match_string(): it stops at the empty slot 0. */
	for (mode = EDGEWARD_MODE_OFF; mode <= EDGEWARD_MODE_MAX; mode++) {
		if (sysfs_streq(val, ew_mode_names[mode])) {
			WRITE_ONCE(ew_mode, mode);
			return 0;
		}
	}
	return -EINVAL;
}

static int ew_mode_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", ew_mode_name(ew_mode_get()));
}

static const struct kernel_param_ops ew_mode_param_ops = {
	.set = ew_mode_param_set,
	.get = ew_mode_param_get,
};

module_param_cb(mode, &ew_mode_param_ops, NULL, 0444);
MODULE_PARM_DESC(mode, "Initial mode: off, audit (default) or enforce");
