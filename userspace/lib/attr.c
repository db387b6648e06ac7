// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Strict readers for the attributes the kernel sends. The kernel is trusted
 * to follow uapi/linux/edgeward.h, but a reply that does not is reported as
 * -EPROTO instead of being half-read.
 */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "internal.h"

int ew_attr_u32(const struct nlattr *a, uint32_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return -EPROTO;
	memcpy(v, nla_data(a), sizeof(*v));
	return 0;
}

int ew_attr_u64(const struct nlattr *a, uint64_t *v)
{
	/* Only 4-byte aligned on the wire: copy, never dereference. */
	if (nla_len(a) != sizeof(*v))
		return -EPROTO;
	memcpy(v, nla_data(a), sizeof(*v));
	return 0;
}

int ew_attr_str(const struct nlattr *a, char *buf, size_t size)
{
	const char *s = nla_data(a);
	int n = nla_len(a);

	if (n < 1 || s[n - 1] != '\0')
		return -EPROTO;
	if (strlen(s) != (size_t)n - 1)	/* an embedded NUL */
		return -EPROTO;
	if ((size_t)n > size)
		return -EPROTO;
	memcpy(buf, s, n);
	return 0;
}

int ew_genl_attrs(struct nl_msg *m, struct nlattr **head, int *len,
		  uint8_t *cmd)
{
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct genlmsghdr *g;

	if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EPROTO;
	g = nlmsg_data(h);
	*head = genlmsg_attrdata(g, 0);
	*len = genlmsg_attrlen(g, 0);
	if (cmd)
		*cmd = g->cmd;
	return 0;
}
