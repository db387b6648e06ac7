// SPDX-License-Identifier: GPL-2.0-only
/* edgewardctl status */
#include "commands.h"
#include "output.h"

int ctl_cmd_status(const struct ctl_args *a)
{
	struct ew_status st;
	int r;

	r = ctl_read_status(&st);
	if (r)
		return r;
	if (a->json)
		return ctl_emit_json(ctl_json_status(&st), true);
	ctl_text_status(stdout, &st);
	return CTL_EXIT_OK;
}
