// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Following EDGEWARD_MCGRP_EVENTS. The events socket is separate from the
 * request socket so that notifications never interleave with replies.
 * Sequence numbers are reported, not checked: what to do about a gap
 * (resynchronise, warn) is the caller's decision.
 *
 * The socket also follows the generic netlink controller's announcements,
 * so that the module being unloaded ends the stream (-ENOENT) instead of
 * leaving the caller waiting forever on a group that no longer exists.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "internal.h"

struct ew_events {
	struct ew_nl nl;
	long len;		/* bytes of the datagram in nl.buf */
	long off;		/* next message in it */
	bool gone;		/* the family was unregistered */
};

#define EW_UNLOADED_MSG "the edgeward kernel module was unloaded"

/*
 * The mode attribute set: EDGEWARD_CMD_MODE_CHANGE_NTF (with_mode: MODE and
 * SEQ) and EDGEWARD_CMD_LOCK_NTF (SEQ only; anything else is ignored).
 */
static int parse_mode_event(struct nl_msg *m, struct ew_event *ev,
			    bool with_mode)
{
	struct nlattr *head, *a;
	bool have_mode = false, have_seq = false;
	int len, rem, r;

	r = ew_genl_attrs(m, &head, &len, NULL);
	if (r)
		return r;
	nla_for_each_attr(a, head, len, rem) {
		switch (nla_type(a)) {
		case EDGEWARD_A_MODE_MODE:
			if (!with_mode)
				break;
			r = ew_attr_u32(a, &ev->mode);
			have_mode = true;
			break;
		case EDGEWARD_A_MODE_SEQ:
			r = ew_attr_u64(a, &ev->seq);
			have_seq = true;
			break;
		default:
			break;	/* PAD and newer attributes */
		}
		if (r)
			return r;
	}
	if (rem > 0 || (with_mode && !have_mode) || !have_seq)
		return -EPROTO;
	return 0;
}

int ew_event_parse(struct nl_msg *m, struct ew_event *ev)
{
	struct nlattr *head;
	uint8_t cmd;
	int len, r;

	memset(ev, 0, sizeof(*ev));
	r = ew_genl_attrs(m, &head, &len, &cmd);
	if (r)
		return r;
	ev->cmd = cmd;
	switch (cmd) {
	case EDGEWARD_CMD_REG_ADD_NTF:
	case EDGEWARD_CMD_REG_DEL_NTF:
	case EDGEWARD_CMD_REG_CHANGE_NTF:
		return ew_reg_parse(m, &ev->reg, &ev->seq);
	case EDGEWARD_CMD_MODE_CHANGE_NTF:
		return parse_mode_event(m, ev, true);
	case EDGEWARD_CMD_LOCK_NTF:
		return parse_mode_event(m, ev, false);
	case EDGEWARD_CMD_EXEC_NTF:
		return ew_task_parse(m, &ev->task, &ev->seq);
	default:
		return -ENOMSG;	/* an event of a newer module: skipped */
	}
}

static int join(struct ew_events *ev, uint32_t grp, const char *what,
		struct ew_error *e)
{
	if (setsockopt(nl_socket_get_fd(ev->nl.sk), SOL_NETLINK,
		       NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0)
		return ew_err_errno(e, -errno, what);
	return 0;
}

int ew_events_open(struct ew_events **out, struct ew_error *e)
{
	struct ew_events *ev;
	uint32_t ctrl_grp;
	int r;

	*out = NULL;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return ew_err_set(e, -ENOMEM, "out of memory");
	r = ew_nl_open(&ev->nl, e);
	if (r)
		goto fail;
	if (!ev->nl.events_grp) {
		r = ew_err_set(e, -EPROTO,
			       "the edgeward kernel module has no \"%s\" multicast group",
			       EDGEWARD_MCGRP_EVENTS);
		goto fail;
	}
	/* Watch for the family going away first, so that it cannot be missed. */
	r = ew_nl_ctrl_notify_grp(&ev->nl, &ctrl_grp, e);
	if (!r)
		r = join(ev, ctrl_grp, "joining the generic netlink controller's group", e);
	if (!r)
		r = join(ev, ev->nl.events_grp, "joining the edgeward events group", e);
	if (r)
		goto fail;
	*out = ev;
	return 0;
fail:
	ew_events_close(ev);
	return r;
}

void ew_events_close(struct ew_events *ev)
{
	if (!ev)
		return;
	ew_nl_close(&ev->nl);
	free(ev);
}

int ew_events_fd(const struct ew_events *ev)
{
	return nl_socket_get_fd(ev->nl.sk);
}

/* Whether a controller announcement says that our family is gone. */
static bool family_removed(struct ew_events *ev, struct nl_msg *m)
{
	struct nlattr *head, *a;
	uint16_t id;
	uint8_t cmd;
	int len, rem;

	if (ew_genl_attrs(m, &head, &len, &cmd) || cmd != CTRL_CMD_DELFAMILY)
		return false;
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) != CTRL_ATTR_FAMILY_ID || nla_len(a) != sizeof(id))
			continue;
		memcpy(&id, nla_data(a), sizeof(id));
		return id == ev->nl.family;
	}
	return false;
}

/*
 * Takes the next message of the pending datagram, if any. Returns 1 with
 * *out filled, 0 when the datagram holds no more events, or -EPROTO.
 */
static int next_pending(struct ew_events *ev, struct ew_event *out,
			struct ew_error *e)
{
	while (ev->off < ev->len) {
		struct nlmsghdr *h = (struct nlmsghdr *)(ev->nl.buf + ev->off);
		int rem = (int)(ev->len - ev->off);
		struct nl_msg *m;
		int r;

		if (!nlmsg_ok(h, rem)) {
			ev->off = ev->len;
			return ew_err_set(e, -EPROTO,
					  "truncated event from the edgeward kernel module");
		}
		ev->off += NLMSG_ALIGN(h->nlmsg_len);
		if (h->nlmsg_type != ev->nl.family && h->nlmsg_type != GENL_ID_CTRL)
			continue;
		m = nlmsg_convert(h);
		if (!m)
			return ew_err_set(e, -ENOMEM, "out of memory");
		if (h->nlmsg_type == GENL_ID_CTRL) {
			ev->gone = family_removed(ev, m);
			nlmsg_free(m);
			if (ev->gone)
				return ew_err_set(e, -ENOENT, EW_UNLOADED_MSG);
			continue;
		}
		r = ew_event_parse(m, out);
		nlmsg_free(m);
		if (r == -ENOMSG)
			continue;
		if (r)
			return ew_err_set(e, r,
					  "malformed %s event from the edgeward kernel module",
					  ew_cmd_name(out->cmd));
		return 1;
	}
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ew_events_next(struct ew_events *ev, struct ew_event *out, int timeout_ms,
		   struct ew_error *e)
{
	int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	int r;

	ew_err_clear(e);
	if (ev->gone)
		return ew_err_set(e, -ENOENT, EW_UNLOADED_MSG);
	for (;;) {
		int wait = -1;
		long n;

		r = next_pending(ev, out, e);
		if (r)
			return r;
		if (deadline >= 0) {
			int64_t left = deadline - now_ms();

			wait = left > 0 ? (int)left : 0;
		}
		n = ew_nl_recv(&ev->nl, wait);
		if (n == -ENOBUFS)
			return ew_err_set(e, -ENOBUFS,
					  "events were lost (the socket's receive queue overflowed): resynchronise");
		if (n < 0)
			return ew_err_errno(e, (int)n, "receiving edgeward events");
		if (n == 0)
			return 0;
		ev->len = n;
		ev->off = 0;
	}
}
