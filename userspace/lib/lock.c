// SPDX-License-Identifier: LGPL-2.1-or-later
/* EDGEWARD_CMD_LOCK: locking the module until reboot. */
#include <errno.h>

#include <netlink/msg.h>

#include "internal.h"

int ew_lock_request(struct ew_client *c, struct nl_msg **out,
		    struct ew_error *e)
{
	/* The command takes no attributes: the header is the request. */
	*out = ew_msg_new(c, EDGEWARD_CMD_LOCK, 0);
	if (!*out)
		return ew_err_set(e, -ENOMEM, "out of memory");
	return 0;
}

int ew_lock(struct ew_client *c, struct ew_error *e)
{
	struct nl_msg *msg;
	int r;

	r = ew_lock_request(c, &msg, e);
	if (r)
		return r;
	return ew_transact(c, msg, NULL, NULL, NULL, e);
}
