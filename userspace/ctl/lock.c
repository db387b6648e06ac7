// SPDX-License-Identifier: GPL-2.0-only
/* edgewardctl lock: locks the module until reboot. */
#include "commands.h"
#include "output.h"

int ctl_cmd_lock(const struct ctl_args *a)
{
	struct ew_client *c;
	struct ew_error e;
	int r;

	r = ctl_open_client(&c);
	if (r)
		return r;
	r = ew_lock(c, &e) ? ctl_fail(&e) : CTL_EXIT_OK;
	ew_client_close(c);
	if (r)
		return r;
	/* Silent, as mode setting is; JSON says what now holds. */
	if (a->json)
		return ctl_emit_json(ctl_json_locked(true), true);
	return CTL_EXIT_OK;
}
