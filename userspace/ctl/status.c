// SPDX-License-Identifier: GPL-2.0-only
/* edgewardctl status */
#include "commands.h"
#include "output.h"

int ctl_cmd_status(const struct ctl_args *a)
{
	struct ew_client *c;
	struct ew_status st;
	struct ew_error e;
	int r;

	r = ctl_open_client(&c);
	if (r)
		return r;
	r = ew_status_get(c, &st, &e);
	ew_client_close(c);
	if (r)
		return ctl_fail(&e);
	if (a->json)
		return ctl_emit_json(ctl_json_status(&st), true);
	ctl_text_status(stdout, &st);
	return CTL_EXIT_OK;
}
