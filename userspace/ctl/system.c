// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgewardctl system status: edgewardd's SystemInfo (version, provisioning,
 * kernel module) and its modules counted by runtime status.
 */
#include <stdlib.h>

#include "commands.h"
#include "output.h"

int ctl_cmd_system_status(const struct ctl_args *a)
{
	struct ctl_daemon_mod *mods = NULL;
	cJSON *info = NULL, *list = NULL;
	struct ctl_daemon d;
	struct ctl_sysinfo si;
	char err[1024];
	size_t n = 0;
	int r;

	r = ctl_daemon_open(a, false, &d, err, sizeof(err));
	if (r)
		return ctl_error("%s", err);
	r = ctl_daemon_get(&d, "/systeminfo", &info, err, sizeof(err));
	if (!r)
		r = ctl_daemon_get(&d, "/modules", &list, err, sizeof(err));
	if (!r)
		r = ctl_daemon_mods_parse(list, &mods, &n, err, sizeof(err));
	if (!r)
		r = ctl_sysinfo_parse(info, mods, n, &si, err, sizeof(err));
	cJSON_Delete(info);
	cJSON_Delete(list);
	free(mods);
	ctl_daemon_close(&d);
	if (r)
		return ctl_error("%s", err);
	if (a->json)
		return ctl_emit_json(ctl_json_sysinfo(&si), true);
	ctl_text_sysinfo(stdout, &si);
	return CTL_EXIT_OK;
}
