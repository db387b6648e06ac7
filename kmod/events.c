// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * Events on the EDGEWARD_MCGRP_EVENTS group.
 *
 * Every event takes the next sequence number, and events leave in the order
 * of their numbers, so a listener that sees a gap knows it lost messages. A
 * number is used up even when its message cannot be built or nobody listens:
 * the gap is then the truth.
 */

#include "events.h"
#include "netlink.h"
#include "registry.h"

#include <linux/atomic.h>
#include <linux/dcache.h>
#include <linux/edgeward.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/genetlink.h>

/* Numbering and sending happen together, so numbers leave in order. */
static DEFINE_MUTEX(ew_events_lock);
static atomic64_t ew_events_last = ATOMIC64_INIT(0);

/**
 * ew_events_seq() - the sequence number of the last event
 *
 * Return: the number, 0 before the first event.
 */
u64 ew_events_seq(void)
{
	return atomic64_read(&ew_events_last);
}

static bool ew_events_listened(void)
{
	return genl_has_listeners(&ew_genl_family, &init_net, EW_MCGRP_EVENTS);
}

static struct sk_buff *ew_event_new(u8 cmd, size_t size, void **hdr)
{
	struct sk_buff *skb;

	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &ew_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/*
 * Numbers and sends an event. @skb is NULL when nobody listens or the message
 * could not be built; the number is used up all the same.
 */
static void ew_event_send(struct sk_buff *skb, void *hdr, struct nlattr *seq)
{
	u64 n;

	mutex_lock(&ew_events_lock);
	n = atomic64_inc_return(&ew_events_last);
	if (skb) {
		memcpy(nla_data(seq), &n, sizeof(n));
		genlmsg_end(skb, hdr);
		/* Fails with -ESRCH when the last listener just left. */
		genlmsg_multicast(&ew_genl_family, skb, 0, EW_MCGRP_EVENTS,
				  GFP_KERNEL);
	}
	mutex_unlock(&ew_events_lock);
}

/*
 * Numbers and sends an event whose attributes are in (@err 0), after its
 * sequence number; if building it failed (@skb NULL or @err), the number is
 * used up all the same.
 */
static int ew_event_finish(struct sk_buff *skb, void *hdr, int err,
			   int seq_attr, int pad_attr)
{
	struct nlattr *seq = NULL;

	if (skb && !err)
		seq = nla_reserve_64bit(skb, seq_attr, sizeof(u64), pad_attr);
	if (!seq) {
		nlmsg_free(skb);
		ew_event_send(NULL, NULL, NULL);
		return -ENOMEM;
	}
	ew_event_send(skb, hdr, seq);
	return 0;
}

/* Nobody listens: the number is used up, nothing is built. */
static bool ew_event_unheard(void)
{
	if (ew_events_listened())
		return false;
	ew_event_send(NULL, NULL, NULL);
	return true;
}

/**
 * ew_event_reg() - announce that a registration was added, removed or
 * replaced
 * @cmd: EDGEWARD_CMD_REG_ADD_NTF, _DEL_NTF or _CHANGE_NTF
 * @reg: the registration, valid for the duration of the call
 *
 * Return: 0, or -ENOMEM if the message could not be built (its sequence
 * number is used up).
 */
int ew_event_reg(u8 cmd, const struct ew_reg *reg)
{
	struct sk_buff *skb;
	void *hdr;

	if (ew_event_unheard())
		return 0;
	skb = ew_event_new(cmd, ew_nl_reg_size(reg), &hdr);
	return ew_event_finish(skb, hdr, skb ? ew_nl_put_reg(skb, reg) : 0,
			       EDGEWARD_A_REG_SEQ, EDGEWARD_A_REG_PAD);
}

/* An event of the mode attribute set: the mode if not 0, and the number. */
static int ew_event_global(u8 cmd, u32 mode)
{
	struct sk_buff *skb;
	void *hdr;
	int err = 0;

	if (ew_event_unheard())
		return 0;
	skb = ew_event_new(cmd, nla_total_size(sizeof(u32)) +
			   nla_total_size_64bit(sizeof(u64)), &hdr);
	if (skb && mode)
		err = nla_put_u32(skb, EDGEWARD_A_MODE_MODE, mode);
	return ew_event_finish(skb, hdr, err, EDGEWARD_A_MODE_SEQ,
			       EDGEWARD_A_MODE_PAD);
}

/**
 * ew_event_mode() - announce a new global mode
 * @mode: the new enum edgeward_mode
 *
 * Return: 0, or -ENOMEM if the message could not be built (its sequence
 * number is used up).
 */
int ew_event_mode(u32 mode)
{
	return ew_event_global(EDGEWARD_CMD_MODE_CHANGE_NTF, mode);
}

/**
 * ew_event_lock() - announce that the module was locked
 *
 * Return: 0, or -ENOMEM if the message could not be built (its sequence
 * number is used up).
 */
int ew_event_lock(void)
{
	return ew_event_global(EDGEWARD_CMD_LOCK_NTF, 0);
}

static int ew_put_exec(struct sk_buff *skb, u32 verdict,
		       const struct ew_reg *reg, u64 cgroup_id,
		       const u8 *digest, const char *path)
{
	if (nla_put_u32(skb, EDGEWARD_A_TASK_VERDICT, verdict) ||
	    nla_put_u32(skb, EDGEWARD_A_TASK_PID, task_tgid_nr(current)) ||
	    nla_put_u64_64bit(skb, EDGEWARD_A_TASK_CGROUP_ID, cgroup_id,
			      EDGEWARD_A_TASK_PAD) ||
	    nla_put_u64_64bit(skb, EDGEWARD_A_TASK_REG_CGROUP_ID,
			      reg->cgroup_id, EDGEWARD_A_TASK_PAD) ||
	    nla_put_string(skb, EDGEWARD_A_TASK_NAME, reg->name) ||
	    nla_put_string(skb, EDGEWARD_A_TASK_GEN_ID, reg->gen_id) ||
	    nla_put_string(skb, EDGEWARD_A_TASK_PATH, path))
		return -EMSGSIZE;
	if (digest && nla_put(skb, EDGEWARD_A_TASK_DIGEST, EDGEWARD_DIGEST_LEN,
			      digest))
		return -EMSGSIZE;
	return 0;
}

/**
 * ew_event_exec() - announce an executable that was not allowed, or not
 * measured, in the context of the task that tried to run it
 * @verdict: EDGEWARD_VERDICT_DENIED, _AUDITED or _UNMEASURED
 * @reg: the registration that judged it
 * @cgroup_id: the task's cgroup
 * @digest: the executable's digest, NULL if unmeasured
 * @file: the executable
 *
 * Return: 0, or -ENOMEM if the message could not be built (its sequence
 * number is used up).
 */
int ew_event_exec(u32 verdict, const struct ew_reg *reg, u64 cgroup_id,
		  const u8 *digest, struct file *file)
{
	struct sk_buff *skb = NULL;
	const char *path = "";
	void *hdr = NULL;
	int err = 0;
	char *buf;

	if (ew_event_unheard())
		return 0;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (buf) {
		path = d_path(&file->f_path, buf, PATH_MAX);
		if (IS_ERR(path))
			path = "";
		skb = ew_event_new(EDGEWARD_CMD_EXEC_NTF,
				   2 * nla_total_size(sizeof(u32)) +
				   3 * nla_total_size_64bit(sizeof(u64)) +
				   nla_total_size(strlen(reg->name) + 1) +
				   nla_total_size(strlen(reg->gen_id) + 1) +
				   nla_total_size(EDGEWARD_DIGEST_LEN) +
				   nla_total_size(strlen(path) + 1), &hdr);
	}
	if (skb)
		err = ew_put_exec(skb, verdict, reg, cgroup_id, digest, path);
	kfree(buf);
	return ew_event_finish(skb, hdr, err, EDGEWARD_A_TASK_SEQ,
			       EDGEWARD_A_TASK_PAD);
}
