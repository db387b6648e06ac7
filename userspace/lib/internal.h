/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private to libedgeward (and its unit tests): the netlink socket shared by
 * struct ew_client and struct ew_events, error reporting and attribute
 * readers. Nothing here is part of the library's API.
 */
#ifndef EDGEWARD_LIB_INTERNAL_H
#define EDGEWARD_LIB_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "edgeward.h"

struct nlattr;

/* How long a request waits for each reply datagram before giving up. */
#define EW_REPLY_TIMEOUT_MS	30000

/* A generic netlink socket resolved to the edgeward family. */
struct ew_nl {
	struct nl_sock *sk;
	int family;			/* generic netlink family id */
	uint32_t family_version;	/* the version the kernel registered */
	uint32_t events_grp;		/* multicast group id, 0 if absent */
	uint8_t *buf;			/* receive buffer, grown on demand */
	size_t cap;
};

struct ew_client {
	struct ew_nl nl;
};

/*
 * Opens a NETLINK_GENERIC socket with extended and capped ACKs and resolves
 * the edgeward family and its groups. On failure nl is left closed.
 */
int ew_nl_open(struct ew_nl *nl, struct ew_error *e);
void ew_nl_close(struct ew_nl *nl);

/*
 * Receives one datagram from the kernel into nl->buf. Returns its length, 0
 * if nothing arrived within timeout_ms (-1: wait forever), or a negative
 * errno (-ENOBUFS: the socket's receive queue overflowed).
 */
long ew_nl_recv(struct ew_nl *nl, int timeout_ms);

/*
 * The id of the generic netlink controller's "notify" group, which
 * announces families coming and going.
 */
int ew_nl_ctrl_notify_grp(struct ew_nl *nl, uint32_t *grp, struct ew_error *e);

/*
 * ew_transact on any resolved socket. Failures without a kernel message say
 * what the request was doing ("registering the module: File exists").
 */
int ew_nl_transact(struct ew_nl *nl, struct nl_msg *msg,
		   int (*parse)(struct nl_msg *m, void *arg), void *arg,
		   bool *dump_intr, struct ew_error *e);

/*
 * Fills e for a failed errno-style operation: the fixed messages for EPERM
 * and a missing family, else "what: strerror(err)". Returns err.
 */
int ew_err_errno(struct ew_error *e, int err, const char *what);

/*
 * Decodes the NLMSG_ERROR message h (len bytes available from h): returns
 * its error (0 for an ACK, a negative errno, -EPROTO if h is malformed) and,
 * when it is an error, fills e with the extended ACK message, missing
 * attribute and offset, falling back to what: strerror.
 */
int ew_parse_nlmsgerr(const struct nlmsghdr *h, struct ew_error *e,
		      const char *what);
/* The same for an NLMSG_DONE that ends a dump (its payload is an int). */
int ew_parse_nlmsgdone(const struct nlmsghdr *h, struct ew_error *e,
		       const char *what);

/*
 * Attribute readers: each checks the payload length exactly (strings: NUL
 * terminated, no embedded NUL, fitting size with the NUL) and returns 0 or
 * -EPROTO.
 */
int ew_attr_u32(const struct nlattr *a, uint32_t *v);
int ew_attr_u64(const struct nlattr *a, uint64_t *v);
int ew_attr_str(const struct nlattr *a, char *buf, size_t size);

/*
 * Checks that m is a generic netlink message with a complete header and
 * returns its attribute area; -EPROTO if it is truncated.
 */
int ew_genl_attrs(struct nl_msg *m, struct nlattr **head, int *len,
		  uint8_t *cmd);

/* Reply and event parsers (status.c, events.c), exposed for unit tests. */
int ew_status_parse(struct nl_msg *m, struct ew_status *st);
int ew_event_parse(struct nl_msg *m, struct ew_event *ev);

/*
 * Checks what a registration says, everything but its cgroup and manifest
 * signature (what the canonical manifest covers): 0, or -EINVAL / -E2BIG
 * with e filled.
 */
int ew_reg_spec_check(const struct ew_reg_spec *spec, struct ew_error *e);

/*
 * Request builders (reg.c, task.c, lock.c), exposed for unit tests. Each checks its
 * input as the public call does and builds in *out the message it would send
 * (free with nlmsg_free), or returns a negative errno with e filled.
 */
/* EDGEWARD_CMD_REG_NEW or _REG_SET (cmd) for spec. */
int ew_reg_request(struct ew_client *c, uint8_t cmd,
		   const struct ew_reg_spec *spec, struct nl_msg **out,
		   struct ew_error *e);
/* EDGEWARD_CMD_ATTEST: of the peer of sock_fd if it is >= 0, else of pid. */
int ew_attest_request(struct ew_client *c, int sock_fd, uint32_t pid,
		      struct nl_msg **out, struct ew_error *e);
/* EDGEWARD_CMD_LOCK. */
int ew_lock_request(struct ew_client *c, struct nl_msg **out,
		    struct ew_error *e);

/* The name of a command, for messages ("reg-new"), "request" if unknown. */
const char *ew_cmd_name(uint8_t cmd);

#endif /* EDGEWARD_LIB_INTERNAL_H */
