// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgewardctl logs NAME: a module's logs from edgewardd, copied to stdout
 * as they arrive (with --follow, until the daemon ends the stream or the
 * user does).
 */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "mgmt_client.h"

int ctl_cmd_logs(const struct ctl_args *a)
{
	const char *params[] = {
		"follow", a->follow ? "true" : NULL,
		"tail", a->tail,
		"since", a->since,
		"until", a->until,
		"timestamps", a->timestamps ? "true" : NULL,
		NULL,
	};
	char err[1024], *name, *path = NULL, *target = NULL;
	struct ctl_daemon d;
	int r;

	r = ctl_daemon_open(a, false, &d, err, sizeof(err));
	if (r)
		return ctl_error("%s", err);
	name = ctl_mgmt_escape(a->module);
	if (name && asprintf(&path, "/modules/%s/logs", name) < 0)
		path = NULL;
	target = path ? ctl_mgmt_target(path, params) : NULL;
	r = target ? ctl_mgmt_stream(d.sock, target, a->follow, stdout, err, sizeof(err)) :
		     ctl_error("out of memory");
	if (target && r)
		r = ctl_error("%s", err);
	free(target);
	free(path);
	free(name);
	ctl_daemon_close(&d);
	return r;
}
