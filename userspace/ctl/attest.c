// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgewardctl attest PID: which module a process belongs to and the verdict
 * on its executable. By pid, so for diagnostics: a daemon attests its peers
 * through their Unix sockets (ew_attest_fd) instead.
 */
#include <stdlib.h>

#include "commands.h"
#include "output.h"

int ctl_cmd_attest(const struct ctl_args *a)
{
	struct ew_client *c;
	struct ew_task *t;
	struct ew_error e;
	int r;

	/* A task carries a path of EW_PATH_MAX: keep it off the stack. */
	t = malloc(sizeof(*t));
	if (!t)
		return ctl_error("out of memory");
	r = ctl_open_client(&c);
	if (!r) {
		if (ew_attest_pid(c, a->pid, t, &e))
			r = ctl_fail(&e);
		ew_client_close(c);
	}
	if (!r && a->json)
		r = ctl_emit_json(ctl_json_task(t), true);
	else if (!r)
		ctl_text_task(stdout, t);
	free(t);
	return r;
}
