// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgewardd's configuration as edgewardctl uses it: loaded with the
 * daemon's own loader (so both read a file the same way, and fail on it
 * with the same FILE:LINE:COLUMN line), the management socket it names,
 * and `config check FILE`, which also shows the loader's warnings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "mgmt_client.h"
#include "output.h"

int ctl_daemon_open(const struct ctl_args *a, bool need_config, struct ctl_daemon *d,
		    char *err, size_t errlen)
{
	const char *path = a->config_path ? a->config_path : EW_CONFIG_PATH;
	int r;

	d->config_file = NULL;
	d->sock = a->mgmt_socket;
	if (!need_config && d->sock) {
		/* Only the socket was needed, and it was given. */
		ew_config_defaults(&d->cfg);
		return 0;
	}
	r = ew_config_load_file(path, &d->cfg, err, errlen);
	/* As edgewardd: only the default file may be missing. */
	if (r == -ENOENT && !a->config_path) {
		ew_config_defaults(&d->cfg);
	} else if (r) {
		ew_config_free(&d->cfg);
		return r;
	} else {
		d->config_file = path;
	}
	if (!d->sock && d->cfg.connect.management.kind == EW_CONFIG_SOCK_UNIX)
		d->sock = d->cfg.connect.management.path;
	if (!d->sock) {
		snprintf(err, errlen, "%s: [connect] management_uri is not a unix:// URI; "
			 "give --mgmt-socket PATH", path);
		ew_config_free(&d->cfg);
		return -EINVAL;
	}
	return 0;
}

void ctl_daemon_close(struct ctl_daemon *d)
{
	ew_config_free(&d->cfg);
}

int ctl_daemon_get(const struct ctl_daemon *d, const char *path, cJSON **out,
		   char *err, size_t errlen)
{
	char *target = ctl_mgmt_target(path, NULL);
	int r;

	if (!target) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r = ctl_mgmt_get_json(d->sock, target, out, err, errlen);
	free(target);
	return r;
}

int ctl_cmd_config_check(const struct ctl_args *a)
{
	struct ew_config cfg;
	char err[1024];
	size_t i;
	int r;

	r = ew_config_load_file(a->file, &cfg, err, sizeof(err));
	/* On stderr, also with --json: a file that loads with warnings is ok. */
	for (i = 0; !r && i < cfg.n_warnings; i++) {
		fputs("warning: ", stderr);
		ctl_fputs_safe(cfg.warnings[i], stderr);
		fputc('\n', stderr);
	}
	ew_config_free(&cfg);
	if (a->json) {
		int j = ctl_emit_json(ctl_json_config_check(a->file, r ? err : NULL), true);

		return j ? j : r ? CTL_EXIT_FAIL : CTL_EXIT_OK;
	}
	if (r) {
		/* The loader's line as it is: editors jump to FILE:LINE:COLUMN. */
		ctl_fputs_safe(err, stderr);
		fputc('\n', stderr);
		return CTL_EXIT_FAIL;
	}
	ctl_fputs_safe(a->file, stdout);
	fputs(": ok\n", stdout);
	return CTL_EXIT_OK;
}
