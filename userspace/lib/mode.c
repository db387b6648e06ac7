// SPDX-License-Identifier: LGPL-2.1-or-later
/* EDGEWARD_CMD_MODE_SET: the global mode. */
#include <errno.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "internal.h"

int ew_mode_set(struct ew_client *c, uint32_t mode, struct ew_error *e)
{
	struct nl_msg *msg;

	/* The kernel checks the range too; failing here names the culprit. */
	if (mode < EDGEWARD_MODE_OFF || mode > EDGEWARD_MODE_MAX)
		return ew_err_set(e, -EINVAL, "invalid mode %u", mode);
	msg = ew_msg_new(c, EDGEWARD_CMD_MODE_SET, 0);
	if (!msg)
		return ew_err_set(e, -ENOMEM, "out of memory");
	if (nla_put_u32(msg, EDGEWARD_A_MODE_MODE, mode) < 0) {
		nlmsg_free(msg);
		return ew_err_set(e, -ENOMEM, "out of memory");
	}
	return ew_transact(c, msg, NULL, NULL, NULL, e);
}
