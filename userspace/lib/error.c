// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * struct ew_error: how every libedgeward call explains a failure, including
 * the decoding of the kernel's extended ACKs (libnl 3.7 does not expose them,
 * so the NLMSG_ERROR and NLMSG_DONE payloads are read here directly).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "internal.h"

void ew_err_clear(struct ew_error *e)
{
	if (e)
		memset(e, 0, sizeof(*e));
}

int ew_err_set(struct ew_error *e, int err, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return err;
	ew_err_clear(e);
	e->err = err;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return err;
}

int ew_err_errno(struct ew_error *e, int err, const char *what)
{
	if (err == -EPERM)
		return ew_err_set(e, err,
				  "permission denied: edgeward requires CAP_SYS_ADMIN");
	return ew_err_set(e, err, "%s: %s", what, strerror(-err));
}

/* What an extended ACK carried; empty msg and zeros when absent. */
struct ack_info {
	char msg[sizeof(((struct ew_error *)0)->msg)];
	uint32_t missing_attr;
	uint32_t bad_attr_offset;
};

/*
 * Reads the extended ACK attributes that follow an error or done payload.
 * Unknown attributes are ignored; malformed known ones are dropped rather
 * than trusted, since the error itself is still meaningful.
 */
static void parse_ack_tlvs(const void *tlvs, int len, struct ack_info *ack)
{
	const struct nlattr *a;
	int rem;

	memset(ack, 0, sizeof(*ack));
	if (!tlvs || len <= 0)
		return;
	nla_for_each_attr(a, (struct nlattr *)tlvs, len, rem) {
		switch (nla_type(a)) {
		case NLMSGERR_ATTR_MSG: {
			const char *s = nla_data(a);
			int n = nla_len(a);

			/* A NUL-terminated string; a long one is cut, not lost. */
			if (n < 1 || s[n - 1] != '\0')
				break;
			snprintf(ack->msg, sizeof(ack->msg), "%s", s);
			break;
		}
		case NLMSGERR_ATTR_OFFS:
			if (ew_attr_u32(a, &ack->bad_attr_offset))
				ack->bad_attr_offset = 0;
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (ew_attr_u32(a, &ack->missing_attr))
				ack->missing_attr = 0;
			break;
		default:
			break;
		}
	}
}

/*
 * Fills e from a kernel error: the kernel's own message (after "permission
 * denied: " for EPERM, which has several causes: the capability, a locked
 * module, a missing manifest signature), else the fixed text for EPERM,
 * else what failed and strerror.
 */
static int fill_kernel_error(struct ew_error *e, int err, const char *what,
			     const void *tlvs, int tlv_len)
{
	struct ack_info ack;

	if (!e)
		return err;
	parse_ack_tlvs(tlvs, tlv_len, &ack);
	if (err == -EPERM && ack.msg[0])
		ew_err_set(e, err, "permission denied: %s", ack.msg);
	else if (ack.msg[0])
		ew_err_set(e, err, "%s", ack.msg);
	else
		ew_err_errno(e, err, what);
	e->missing_attr = ack.missing_attr;
	e->bad_attr_offset = ack.bad_attr_offset;
	return err;
}

int ew_parse_nlmsgerr(const struct nlmsghdr *h, struct ew_error *e,
		      const char *what)
{
	const struct nlmsgerr *err;
	const uint8_t *payload = (const uint8_t *)h + NLMSG_HDRLEN;
	size_t plen, off;

	if (h->nlmsg_len < NLMSG_HDRLEN + sizeof(*err))
		return ew_err_set(e, -EPROTO,
				  "%s: truncated error message from the kernel", what);
	plen = h->nlmsg_len - NLMSG_HDRLEN;
	err = (const struct nlmsgerr *)payload;
	if (err->error > 0 || err->error < -4095)
		return ew_err_set(e, -EPROTO,
				  "%s: invalid error code %d from the kernel",
				  what, err->error);
	if (err->error == 0)
		return 0;

	/*
	 * The TLVs follow the echoed request, which is only its header when
	 * the reply was capped (we ask for that, but do not depend on it).
	 */
	off = sizeof(*err);
	if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < NLMSG_HDRLEN)
			off = plen;
		else
			off += NLMSG_ALIGN(err->msg.nlmsg_len) - NLMSG_HDRLEN;
	}
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || off >= plen)
		return fill_kernel_error(e, err->error, what, NULL, 0);
	return fill_kernel_error(e, err->error, what, payload + off,
				 (int)(plen - off));
}

int ew_parse_nlmsgdone(const struct nlmsghdr *h, struct ew_error *e,
		       const char *what)
{
	const uint8_t *payload = (const uint8_t *)h + NLMSG_HDRLEN;
	size_t plen;
	int err;

	/* Old kernels may send an empty DONE: that is a success. */
	if (h->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
		return 0;
	plen = h->nlmsg_len - NLMSG_HDRLEN;
	memcpy(&err, payload, sizeof(err));
	if (err > 0 || err < -4095)
		return ew_err_set(e, -EPROTO,
				  "%s: invalid dump status %d from the kernel",
				  what, err);
	if (err == 0)
		return 0;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || plen <= NLMSG_ALIGN(sizeof(int)))
		return fill_kernel_error(e, err, what, NULL, 0);
	return fill_kernel_error(e, err, what, payload + NLMSG_ALIGN(sizeof(int)),
				 (int)(plen - NLMSG_ALIGN(sizeof(int))));
}
