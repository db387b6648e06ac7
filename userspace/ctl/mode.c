// SPDX-License-Identifier: GPL-2.0-only
/* edgewardctl mode [off|audit|enforce] */
#include <stdio.h>

#include "commands.h"
#include "output.h"

/* The current mode, read from the status. */
static int get_mode(struct ew_client *c, uint32_t *mode)
{
	struct ew_status st;
	struct ew_error e;

	if (ew_status_get(c, &st, &e))
		return ctl_fail(&e);
	*mode = st.mode;
	return CTL_EXIT_OK;
}

int ctl_cmd_mode(const struct ctl_args *a)
{
	struct ew_client *c;
	struct ew_error e;
	uint32_t mode = a->mode;
	int r;

	r = ctl_open_client(&c);
	if (r)
		return r;
	if (a->has_mode)
		r = ew_mode_set(c, mode, &e) ? ctl_fail(&e) : CTL_EXIT_OK;
	else
		r = get_mode(c, &mode);
	ew_client_close(c);
	if (r)
		return r;
	if (a->json)
		return ctl_emit_json(ctl_json_mode(mode), true);
	/* Setting is silent, as the shell expects; reading prints the name. */
	if (!a->has_mode)
		printf("%s\n", ew_mode_name(mode));
	return CTL_EXIT_OK;
}
