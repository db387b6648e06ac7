// SPDX-License-Identifier: LGPL-2.1-or-later
/* EDGEWARD_CMD_STATUS_GET: the state of the kernel module. */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "internal.h"

/* Bits of the attributes a status reply must carry. */
#define ST_VERSION	(1u << 0)
#define ST_MODE		(1u << 1)
#define ST_REG_COUNT	(1u << 2)
#define ST_GENERATION	(1u << 3)
#define ST_EVENT_SEQ	(1u << 4)
#define ST_IMA		(1u << 5)
#define ST_KEYRING	(1u << 6)
#define ST_KEYRING_ID	(1u << 7)
#define ST_LOCKED	(1u << 8)
#define ST_ALL		((1u << 9) - 1)

/* EDGEWARD_A_STATUS_LOCKED: a u32 that is 0 or 1. */
static int status_locked(const struct nlattr *a, bool *locked)
{
	uint32_t v;
	int r = ew_attr_u32(a, &v);

	if (!r && v > 1)
		r = -EPROTO;
	if (!r)
		*locked = v;
	return r;
}

static int status_attr(const struct nlattr *a, struct ew_status *st,
		       unsigned int *seen)
{
	switch (nla_type(a)) {
	case EDGEWARD_A_STATUS_VERSION:
		*seen |= ST_VERSION;
		return ew_attr_str(a, st->version, sizeof(st->version));
	case EDGEWARD_A_STATUS_MODE:
		*seen |= ST_MODE;
		return ew_attr_u32(a, &st->mode);
	case EDGEWARD_A_STATUS_REG_COUNT:
		*seen |= ST_REG_COUNT;
		return ew_attr_u32(a, &st->reg_count);
	case EDGEWARD_A_STATUS_GENERATION:
		*seen |= ST_GENERATION;
		return ew_attr_u32(a, &st->generation);
	case EDGEWARD_A_STATUS_EVENT_SEQ:
		*seen |= ST_EVENT_SEQ;
		return ew_attr_u64(a, &st->event_seq);
	case EDGEWARD_A_STATUS_IMA:
		*seen |= ST_IMA;
		return ew_attr_u32(a, &st->ima);
	case EDGEWARD_A_STATUS_KEYRING:
		*seen |= ST_KEYRING;
		return ew_attr_u32(a, &st->keyring);
	case EDGEWARD_A_STATUS_KEYRING_ID:
		*seen |= ST_KEYRING_ID;
		return ew_attr_u32(a, &st->keyring_id);
	case EDGEWARD_A_STATUS_LOCKED:
		*seen |= ST_LOCKED;
		return status_locked(a, &st->locked);
	default:
		/* PAD, and attributes of a newer module. */
		return 0;
	}
}

int ew_status_parse(struct nl_msg *m, struct ew_status *st)
{
	struct nlattr *head, *a;
	unsigned int seen = 0;
	int len, rem, r;

	memset(st, 0, sizeof(*st));
	r = ew_genl_attrs(m, &head, &len, NULL);
	if (r)
		return r;
	nla_for_each_attr(a, head, len, rem) {
		r = status_attr(a, st, &seen);
		if (r)
			return r;
	}
	if (rem > 0 || seen != ST_ALL)
		return -EPROTO;
	return 0;
}

struct status_reply {
	struct ew_status *st;
	bool got;
};

static int parse_status_reply(struct nl_msg *m, void *arg)
{
	struct status_reply *rep = arg;
	int r;

	if (rep->got)
		return -EPROTO;		/* one reply only */
	r = ew_status_parse(m, rep->st);
	if (r)
		return r;
	rep->got = true;
	return 0;
}

int ew_status_get(struct ew_client *c, struct ew_status *st, struct ew_error *e)
{
	struct status_reply rep = { .st = st };
	struct nl_msg *msg;
	int r;

	msg = ew_msg_new(c, EDGEWARD_CMD_STATUS_GET, 0);
	if (!msg)
		return ew_err_set(e, -ENOMEM, "out of memory");
	r = ew_transact(c, msg, parse_status_reply, &rep, NULL, e);
	if (r)
		return r;
	if (!rep.got)
		return ew_err_set(e, -EPROTO,
				  "reading the edgeward status: the kernel sent no status");
	return 0;
}
