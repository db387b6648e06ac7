// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The task attribute set: EDGEWARD_CMD_ATTEST (who a process is) and the
 * parser shared with EDGEWARD_CMD_EXEC_NTF events.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "internal.h"

/* Bits of the attributes of the task set. */
#define TASK_VERDICT	(1u << 0)
#define TASK_PID	(1u << 1)
#define TASK_CGROUP_ID	(1u << 2)
#define TASK_REG_ID	(1u << 3)
#define TASK_NAME	(1u << 4)
#define TASK_GEN_ID	(1u << 5)
#define TASK_PATH	(1u << 6)
#define TASK_SEQ	(1u << 7)
#define TASK_START	(1u << 8)
#define TASK_REQUIRED	(TASK_VERDICT | TASK_PID | TASK_CGROUP_ID | TASK_REG_ID | \
			 TASK_NAME | TASK_GEN_ID | TASK_PATH)

static int task_ident(const struct nlattr *a, char *buf, size_t size)
{
	int r = ew_attr_str(a, buf, size);

	/* Names of a registration: the kernel only accepts the alphabet. */
	if (!r && !ew_ident_valid(buf))
		r = -EPROTO;
	return r;
}

static int task_id(const struct nlattr *a, uint64_t *id)
{
	int r = ew_attr_u64(a, id);

	/* Cgroup ids are inode numbers: never 0. */
	if (!r && *id == 0)
		r = -EPROTO;
	return r;
}

static int task_digest(const struct nlattr *a, struct ew_task *t)
{
	if (nla_len(a) != EDGEWARD_DIGEST_LEN)
		return -EPROTO;
	memcpy(t->digest, nla_data(a), EDGEWARD_DIGEST_LEN);
	t->has_digest = true;
	return 0;
}

static int task_attr(const struct nlattr *a, struct ew_task *t, uint64_t *seq,
		     unsigned int *seen)
{
	uint64_t dummy;

	switch (nla_type(a)) {
	case EDGEWARD_A_TASK_VERDICT:
		*seen |= TASK_VERDICT;
		return ew_attr_u32(a, &t->verdict);
	case EDGEWARD_A_TASK_PID:
		*seen |= TASK_PID;
		return ew_attr_u32(a, &t->pid);
	case EDGEWARD_A_TASK_START_TIME:
		*seen |= TASK_START;
		return ew_attr_u64(a, &t->start_time);
	case EDGEWARD_A_TASK_CGROUP_ID:
		*seen |= TASK_CGROUP_ID;
		return task_id(a, &t->cgroup_id);
	case EDGEWARD_A_TASK_REG_CGROUP_ID:
		*seen |= TASK_REG_ID;
		return task_id(a, &t->reg_cgroup_id);
	case EDGEWARD_A_TASK_NAME:
		*seen |= TASK_NAME;
		return task_ident(a, t->name, sizeof(t->name));
	case EDGEWARD_A_TASK_GEN_ID:
		*seen |= TASK_GEN_ID;
		return task_ident(a, t->gen_id, sizeof(t->gen_id));
	case EDGEWARD_A_TASK_DIGEST:
		if (t->has_digest)
			return -EPROTO;		/* one executable, one digest */
		return task_digest(a, t);
	case EDGEWARD_A_TASK_PATH:
		/* Empty when the kernel could not name the file. */
		*seen |= TASK_PATH;
		return ew_attr_str(a, t->path, sizeof(t->path));
	case EDGEWARD_A_TASK_SEQ:
		*seen |= TASK_SEQ;
		return ew_attr_u64(a, seq ? seq : &dummy);
	default:
		/* PAD, SOCK_FD (requests only) and newer attributes. */
		return 0;
	}
}

/* Whether the verdict, and the digest it implies, fit the message kind. */
static bool verdict_consistent(const struct ew_task *t, bool event)
{
	switch (t->verdict) {
	case EDGEWARD_VERDICT_ALLOWED:
	case EDGEWARD_VERDICT_SIGNED:
		/* Allowed executions (by digest or signature) are not announced. */
		return !event && t->has_digest;
	case EDGEWARD_VERDICT_DENIED:
	case EDGEWARD_VERDICT_AUDITED:
		/* Judged, so measured. */
		return t->has_digest;
	case EDGEWARD_VERDICT_UNMEASURED:
		return !t->has_digest;
	case EDGEWARD_VERDICT_UNJUDGED:
		/* Nothing is judged, so nothing is announced. */
		return !event;
	default:
		return false;
	}
}

int ew_task_parse(struct nl_msg *m, struct ew_task *t, uint64_t *seq)
{
	unsigned int need = TASK_REQUIRED | (seq ? TASK_SEQ : TASK_START);
	struct nlattr *head, *a;
	unsigned int seen = 0;
	int len, rem, err;

	memset(t, 0, sizeof(*t));
	if (seq)
		*seq = 0;
	err = ew_genl_attrs(m, &head, &len, NULL);
	if (err)
		return err;
	nla_for_each_attr(a, head, len, rem) {
		err = task_attr(a, t, seq, &seen);
		if (err)
			return err;
	}
	if (rem > 0 || (seen & need) != need)
		return -EPROTO;
	if (!verdict_consistent(t, seq != NULL))
		return -EPROTO;
	/* The executing process is always visible in the initial namespace. */
	if (seq && t->pid == 0)
		return -EPROTO;
	return 0;
}

struct task_reply {
	struct ew_task *task;
	bool got;
};

static int parse_task_reply(struct nl_msg *m, void *arg)
{
	struct task_reply *rep = arg;

	if (rep->got)
		return -EPROTO;		/* one process only */
	rep->got = true;
	return ew_task_parse(m, rep->task, NULL);
}

/* Sends msg, an attest request (consumed); out gets the reply. */
static int attest(struct ew_client *c, struct nl_msg *msg, struct ew_task *out,
		  struct ew_error *e)
{
	struct task_reply rep = { .task = out };
	int r;

	r = ew_transact(c, msg, parse_task_reply, &rep, NULL, e);
	if (r)
		return r;
	if (!rep.got)
		return ew_err_set(e, -EPROTO,
				  "attesting the process: the kernel sent no answer");
	return 0;
}

int ew_attest_request(struct ew_client *c, int sock_fd, uint32_t pid,
		      struct nl_msg **out, struct ew_error *e)
{
	struct nl_msg *msg;
	int r;

	*out = NULL;
	/* Process ids are positive pid_t values. */
	if (sock_fd < 0 && (pid == 0 || pid > INT_MAX))
		return ew_err_set(e, -EINVAL, "invalid process id %u", pid);
	msg = ew_msg_new(c, EDGEWARD_CMD_ATTEST, 0);
	if (!msg)
		return ew_err_set(e, -ENOMEM, "out of memory");
	if (sock_fd >= 0)
		r = nla_put_s32(msg, EDGEWARD_A_TASK_SOCK_FD, sock_fd);
	else
		r = nla_put_u32(msg, EDGEWARD_A_TASK_PID, pid);
	if (r < 0) {
		nlmsg_free(msg);
		return ew_err_set(e, -ENOMEM, "out of memory");
	}
	*out = msg;
	return 0;
}

int ew_attest_fd(struct ew_client *c, int sock_fd, struct ew_task *out,
		 struct ew_error *e)
{
	struct nl_msg *msg;
	int r;

	if (sock_fd < 0)
		return ew_err_set(e, -EBADF, "invalid socket fd %d", sock_fd);
	r = ew_attest_request(c, sock_fd, 0, &msg, e);
	if (r)
		return r;
	return attest(c, msg, out, e);
}

int ew_attest_pid(struct ew_client *c, uint32_t pid, struct ew_task *out,
		  struct ew_error *e)
{
	struct nl_msg *msg;
	int r;

	r = ew_attest_request(c, -1, pid, &msg, e);
	if (r)
		return r;
	r = attest(c, msg, out, e);
	if (r)
		return r;
	/* The kernel must have attested the process that was asked about. */
	if (out->pid != pid)
		return ew_err_set(e, -EPROTO,
				  "attesting the process: the kernel answered for pid %u instead of %u",
				  out->pid, pid);
	return 0;
}
