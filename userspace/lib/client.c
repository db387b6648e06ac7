// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The netlink plumbing of libedgeward: opening a socket, resolving the
 * "edgeward" family and its groups through the generic netlink controller,
 * and running one request/reply exchange (ew_transact).
 *
 * Replies are received and walked here rather than with nl_recvmsgs(): that
 * keeps the kernel's errno intact (libnl maps it to its own codes), gives
 * access to the extended ACK attributes, and lets -ENOBUFS be told apart.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "internal.h"

#define EW_NOT_LOADED_MSG \
	"edgeward kernel module not loaded (generic netlink family \"" \
	EDGEWARD_FAMILY_NAME "\" not found)"

/* What a request was doing, for error messages. */
static const char *request_action(const struct nlmsghdr *h)
{
	const struct genlmsghdr *g = nlmsg_data(h);

	if (h->nlmsg_type == GENL_ID_CTRL)
		return "resolving the generic netlink family \"" EDGEWARD_FAMILY_NAME "\"";
	if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return "sending a request";
	switch (g->cmd) {
	case EDGEWARD_CMD_STATUS_GET:
		return "reading the edgeward status";
	case EDGEWARD_CMD_REG_NEW:
		return "registering the module";
	case EDGEWARD_CMD_REG_DEL:
		return "removing the registration";
	case EDGEWARD_CMD_REG_GET:
		if (h->nlmsg_flags & NLM_F_DUMP)
			return "listing the registrations";
		return "reading the registration";
	case EDGEWARD_CMD_MODE_SET:
		return "setting the mode";
	case EDGEWARD_CMD_REG_SET:
		return "replacing the registration";
	case EDGEWARD_CMD_ATTEST:
		return "attesting the process";
	case EDGEWARD_CMD_LOCK:
		return "locking the module";
	default:
		return "sending a request";
	}
}

const char *ew_cmd_name(uint8_t cmd)
{
	switch (cmd) {
	case EDGEWARD_CMD_STATUS_GET:
		return "status-get";
	case EDGEWARD_CMD_REG_NEW:
		return "reg-new";
	case EDGEWARD_CMD_REG_DEL:
		return "reg-del";
	case EDGEWARD_CMD_REG_GET:
		return "reg-get";
	case EDGEWARD_CMD_MODE_SET:
		return "mode-set";
	case EDGEWARD_CMD_REG_ADD_NTF:
		return "reg-add-ntf";
	case EDGEWARD_CMD_REG_DEL_NTF:
		return "reg-del-ntf";
	case EDGEWARD_CMD_MODE_CHANGE_NTF:
		return "mode-change-ntf";
	case EDGEWARD_CMD_REG_SET:
		return "reg-set";
	case EDGEWARD_CMD_REG_CHANGE_NTF:
		return "reg-change-ntf";
	case EDGEWARD_CMD_EXEC_NTF:
		return "exec-ntf";
	case EDGEWARD_CMD_ATTEST:
		return "attest";
	case EDGEWARD_CMD_LOCK:
		return "lock";
	case EDGEWARD_CMD_LOCK_NTF:
		return "lock-ntf";
	default:
		return "request";
	}
}

static int ensure_buf(struct ew_nl *nl, size_t need)
{
	uint8_t *p;

	if (need <= nl->cap)
		return 0;
	p = realloc(nl->buf, need);
	if (!p)
		return -ENOMEM;
	nl->buf = p;
	nl->cap = need;
	return 0;
}

long ew_nl_recv(struct ew_nl *nl, int timeout_ms)
{
	int fd = nl_socket_get_fd(nl->sk);
	struct sockaddr_nl peer;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	socklen_t plen;
	ssize_t n;
	int r;

	for (;;) {
		r = poll(&pfd, 1, timeout_ms);
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;

		/* Learn the datagram's size first so that nothing is cut. */
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		r = ensure_buf(nl, n > 4096 ? (size_t)n : 4096);
		if (r)
			return r;
		plen = sizeof(peer);
		n = recvfrom(fd, nl->buf, nl->cap, MSG_DONTWAIT,
			     (struct sockaddr *)&peer, &plen);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		/* Only the kernel speaks for the family; drop anything else. */
		if (plen != sizeof(peer) || peer.nl_family != AF_NETLINK ||
		    peer.nl_pid != 0 || n == 0)
			continue;
		return n;
	}
}

/* Sends msg as a request: our port, a fresh sequence number, ACK unless dump. */
static int send_request(struct ew_nl *nl, struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	h->nlmsg_pid = nl_socket_get_local_port(nl->sk);
	h->nlmsg_seq = nl_socket_use_seq(nl->sk);
	h->nlmsg_flags |= NLM_F_REQUEST;
	if (!(h->nlmsg_flags & NLM_F_DUMP))
		h->nlmsg_flags |= NLM_F_ACK;
	do {
		n = sendto(nl_socket_get_fd(nl->sk), h, h->nlmsg_len, 0,
			   (struct sockaddr *)&kernel, sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != h->nlmsg_len)
		return -EMSGSIZE;
	return 0;
}

/* State of one exchange while its replies are walked. */
struct xfer {
	const struct nlmsghdr *req;
	const char *what;
	int (*parse)(struct nl_msg *m, void *arg);
	void *arg;
	bool dump_intr;
	bool done;
	int err;		/* first failure; replies are still drained */
};

/* Records the first failure of an exchange as "what: detail". */
static void xfer_fail(struct xfer *x, struct ew_error *e, int err,
		      const char *detail)
{
	if (x->err)
		return;
	x->err = err;
	ew_err_set(e, err, "%s: %s", x->what, detail);
}

/* Hands one data message to the caller's parser. */
static void xfer_data(struct xfer *x, struct nlmsghdr *h, struct ew_error *e)
{
	struct nl_msg *m;
	int r;

	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		x->dump_intr = true;
	if (h->nlmsg_type != x->req->nlmsg_type) {
		xfer_fail(x, e, -EPROTO, "unexpected message type in the kernel's reply");
		return;
	}
	if (!x->parse || x->err)
		return;
	m = nlmsg_convert(h);
	if (!m) {
		xfer_fail(x, e, -ENOMEM, "out of memory");
		return;
	}
	r = x->parse(m, x->arg);
	nlmsg_free(m);
	if (r == -ENOMEM)
		xfer_fail(x, e, r, "out of memory");
	else if (r == -EPROTO)
		xfer_fail(x, e, r, "malformed reply from the edgeward kernel module");
	else if (r < 0)
		xfer_fail(x, e, r, strerror(-r));
}

/* Walks the messages of one datagram. */
static void xfer_datagram(struct xfer *x, uint8_t *buf, long len,
			  struct ew_error *e)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	int rem = (int)len;
	int r;

	for (; nlmsg_ok(h, rem) && !x->done; h = nlmsg_next(h, &rem)) {
		/* A stale reply to an earlier, abandoned request. */
		if (h->nlmsg_seq != x->req->nlmsg_seq ||
		    h->nlmsg_pid != x->req->nlmsg_pid)
			continue;
		switch (h->nlmsg_type) {
		case NLMSG_NOOP:
			break;
		case NLMSG_OVERRUN:
			xfer_fail(x, e, -EOVERFLOW, "the kernel's reply overran");
			x->done = true;
			break;
		case NLMSG_ERROR:
			r = ew_parse_nlmsgerr(h, x->err ? NULL : e, x->what);
			if (r && !x->err)
				x->err = r;
			x->done = true;
			break;
		case NLMSG_DONE:
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				x->dump_intr = true;
			r = ew_parse_nlmsgdone(h, x->err ? NULL : e, x->what);
			if (r && !x->err)
				x->err = r;
			x->done = true;
			break;
		default:
			xfer_data(x, h, e);
			/* A do request ends with its ACK, a dump with DONE. */
			break;
		}
	}
	if (!x->done && rem >= (int)NLMSG_HDRLEN)
		xfer_fail(x, e, -EPROTO, "truncated message from the kernel");
}

int ew_nl_transact(struct ew_nl *nl, struct nl_msg *msg,
		   int (*parse)(struct nl_msg *m, void *arg), void *arg,
		   bool *dump_intr, struct ew_error *e)
{
	struct xfer x = { .parse = parse, .arg = arg };
	long n;
	int r;

	ew_err_clear(e);
	if (dump_intr)
		*dump_intr = false;
	if (!msg)
		return ew_err_set(e, -EINVAL, "no request to send");
	x.req = nlmsg_hdr(msg);
	x.what = request_action(x.req);

	r = send_request(nl, msg);
	if (r) {
		ew_err_errno(e, r, x.what);
		nlmsg_free(msg);
		return r;
	}
	while (!x.done) {
		n = ew_nl_recv(nl, EW_REPLY_TIMEOUT_MS);
		if (n == 0) {
			xfer_fail(&x, e, -ETIMEDOUT, "no reply from the kernel");
			break;
		}
		if (n < 0) {
			if (!x.err)
				ew_err_errno(e, (int)n, x.what);
			x.err = x.err ? x.err : (int)n;
			break;
		}
		xfer_datagram(&x, nl->buf, n, e);
	}
	nlmsg_free(msg);
	if (dump_intr)
		*dump_intr = x.dump_intr;
	if (!x.err)
		ew_err_clear(e);
	return x.err;
}

/* What the controller says about one family. */
struct family_info {
	const char *grp_name;	/* the multicast group to look for */
	uint16_t id;
	uint32_t version;
	uint32_t grp_id;	/* 0 if the family has no such group */
};

/* Parses one CTRL_ATTR_MCAST_GROUPS entry; remembers the wanted group. */
static int parse_mcast_group(struct nlattr *grp, struct family_info *fi)
{
	char name[GENL_NAMSIZ];
	uint32_t id = 0;
	bool have_name = false;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, grp, rem) {
		switch (nla_type(a)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (ew_attr_str(a, name, sizeof(name)))
				return -EPROTO;
			have_name = true;
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (ew_attr_u32(a, &id))
				return -EPROTO;
			break;
		default:
			break;
		}
	}
	if (have_name && !strcmp(name, fi->grp_name)) {
		if (!id)
			return -EPROTO;
		fi->grp_id = id;
	}
	return 0;
}

static int parse_family(struct nl_msg *m, void *arg)
{
	struct family_info *fi = arg;
	struct nlattr *head, *a, *grp;
	int len, rem, grem, r;

	r = ew_genl_attrs(m, &head, &len, NULL);
	if (r)
		return r;
	nla_for_each_attr(a, head, len, rem) {
		switch (nla_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (nla_len(a) != sizeof(fi->id))
				return -EPROTO;
			memcpy(&fi->id, nla_data(a), sizeof(fi->id));
			break;
		case CTRL_ATTR_VERSION:
			if (ew_attr_u32(a, &fi->version))
				return -EPROTO;
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			nla_for_each_nested(grp, a, grem) {
				r = parse_mcast_group(grp, fi);
				if (r)
					return r;
			}
			break;
		default:
			break;
		}
	}
	if (rem > 0 || !fi->id)
		return -EPROTO;
	return 0;
}

/* Asks the controller about a family: its id, version and one group. */
static int query_family(struct ew_nl *nl, const char *name,
			struct family_info *fi, struct ew_error *e)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	if (!msg)
		return ew_err_set(e, -ENOMEM, "out of memory");
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, 0,
			 CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name) < 0) {
		nlmsg_free(msg);
		return ew_err_set(e, -ENOMEM, "out of memory");
	}
	return ew_nl_transact(nl, msg, parse_family, fi, NULL, e);
}

static int resolve_family(struct ew_nl *nl, struct ew_error *e)
{
	struct family_info fi = { .grp_name = EDGEWARD_MCGRP_EVENTS };
	int r;

	r = query_family(nl, EDGEWARD_FAMILY_NAME, &fi, e);
	if (r == -ENOENT)
		return ew_err_set(e, r, "%s", EW_NOT_LOADED_MSG);
	if (r)
		return r;
	if (!fi.id)
		return ew_err_set(e, -EPROTO,
				  "the generic netlink controller did not describe \"%s\"",
				  EDGEWARD_FAMILY_NAME);
	if (fi.version < EDGEWARD_FAMILY_VERSION)
		return ew_err_set(e, -EPROTONOSUPPORT,
				  "the edgeward kernel module speaks netlink version %u, this library needs %u",
				  fi.version, EDGEWARD_FAMILY_VERSION);
	nl->family = fi.id;
	nl->family_version = fi.version;
	nl->events_grp = fi.grp_id;
	return 0;
}

int ew_nl_ctrl_notify_grp(struct ew_nl *nl, uint32_t *grp, struct ew_error *e)
{
	struct family_info fi = { .grp_name = "notify" };
	int r;

	r = query_family(nl, "nlctrl", &fi, e);
	if (r)
		return r;
	if (!fi.grp_id)
		return ew_err_set(e, -EPROTO,
				  "the generic netlink controller has no \"notify\" group");
	*grp = fi.grp_id;
	return 0;
}

static int set_flag(int fd, int opt, struct ew_error *e, const char *what)
{
	int one = 1;

	if (setsockopt(fd, SOL_NETLINK, opt, &one, sizeof(one)) < 0)
		return ew_err_errno(e, -errno, what);
	return 0;
}

int ew_nl_open(struct ew_nl *nl, struct ew_error *e)
{
	int fd, r;

	memset(nl, 0, sizeof(*nl));
	ew_err_clear(e);
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return ew_err_set(e, -ENOMEM, "out of memory");
	/* Sequence numbers and ACKs are handled by ew_nl_transact. */
	nl_socket_disable_auto_ack(nl->sk);
	r = nl_connect(nl->sk, NETLINK_GENERIC);
	if (r < 0) {
		r = ew_err_set(e, -EIO,
			       "cannot open a generic netlink socket: %s",
			       nl_geterror(r));
		goto fail;
	}
	fd = nl_socket_get_fd(nl->sk);
	r = set_flag(fd, NETLINK_EXT_ACK, e, "enabling extended ACKs");
	if (!r)
		r = set_flag(fd, NETLINK_CAP_ACK, e, "enabling capped ACKs");
	if (!r)
		r = resolve_family(nl, e);
	if (r)
		goto fail;
	return 0;
fail:
	ew_nl_close(nl);
	return r;
}

void ew_nl_close(struct ew_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
}

int ew_client_open(struct ew_client **out, struct ew_error *e)
{
	struct ew_client *c;
	int r;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return ew_err_set(e, -ENOMEM, "out of memory");
	r = ew_nl_open(&c->nl, e);
	if (r) {
		free(c);
		return r;
	}
	*out = c;
	return 0;
}

void ew_client_close(struct ew_client *c)
{
	if (!c)
		return;
	ew_nl_close(&c->nl);
	free(c);
}

struct nl_sock *ew_client_sock(struct ew_client *c)
{
	return c->nl.sk;
}

int ew_client_family(const struct ew_client *c)
{
	return c->nl.family;
}

struct nl_msg *ew_msg_new(struct ew_client *c, uint8_t cmd, int flags)
{
	struct nl_msg *msg;

	/*
	 * Room for a full reg-new: names, EDGEWARD_DIGESTS_MAX digests,
	 * EDGEWARD_SIGNERS_MAX signers and an EDGEWARD_MANIFEST_SIG_MAX
	 * signature (about 11 KiB).
	 */
	msg = nlmsg_alloc_size(16384);
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->nl.family, 0,
			 flags, cmd, EDGEWARD_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int ew_transact(struct ew_client *c, struct nl_msg *msg,
		int (*parse)(struct nl_msg *m, void *arg), void *arg,
		bool *dump_intr, struct ew_error *e)
{
	return ew_nl_transact(&c->nl, msg, parse, arg, dump_intr, e);
}
