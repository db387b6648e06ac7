/* SPDX-License-Identifier: GPL-2.0-only */
/* edgewardctl's commands and the helpers they share. */
#ifndef EDGEWARDCTL_COMMANDS_H
#define EDGEWARDCTL_COMMANDS_H

#include "args.h"
#include "daemon/config.h"
#include "edgeward.h"

/* Each returns an exit code (CTL_EXIT_*). */
int ctl_cmd_status(const struct ctl_args *a);
int ctl_cmd_list(const struct ctl_args *a);
int ctl_cmd_register(const struct ctl_args *a);
int ctl_cmd_update(const struct ctl_args *a);
int ctl_cmd_unregister(const struct ctl_args *a);
int ctl_cmd_mode(const struct ctl_args *a);
int ctl_cmd_events(const struct ctl_args *a);
int ctl_cmd_attest(const struct ctl_args *a);
int ctl_cmd_manifest(const struct ctl_args *a);
int ctl_cmd_lock(const struct ctl_args *a);
int ctl_cmd_system_status(const struct ctl_args *a);
int ctl_cmd_module_env(const struct ctl_args *a);
int ctl_cmd_logs(const struct ctl_args *a);
int ctl_cmd_check(const struct ctl_args *a);
int ctl_cmd_config_check(const struct ctl_args *a);

/* What a command that calls edgewardd works with. */
struct ctl_daemon {
	struct ew_config cfg;	/* the configuration, or the embedded defaults */
	const char *config_file;	/* the file loaded; NULL: the embedded defaults */
	const char *sock;	/* the management socket */
};

/*
 * Loads edgewardd's configuration (--config, else EW_CONFIG_PATH or, when
 * that does not exist, the embedded defaults) and picks the management
 * socket (--mgmt-socket, else [connect] management_uri). Without
 * @need_config a given --mgmt-socket is enough and no file is read.
 * Returns 0 (ctl_daemon_close() after), or a negative errno with the
 * loader's line in @err; prints nothing.
 */
int ctl_daemon_open(const struct ctl_args *a, bool need_config, struct ctl_daemon *d,
		    char *err, size_t errlen);
void ctl_daemon_close(struct ctl_daemon *d);
/* GET @path (no query) of the management API: ctl_mgmt_get_json(). */
int ctl_daemon_get(const struct ctl_daemon *d, const char *path, struct cJSON **out,
		   char *err, size_t errlen);

/*
 * The registration the command line describes (register, update,
 * manifest): pointers into a; the cgroup by id (a->cgroup_id, 0 if none),
 * no manifest signature.
 */
void ctl_reg_spec(const struct ctl_args *a, struct ew_reg_spec *spec);
/*
 * Reads the --manifest-sig file at path whole into *data (free it): 0, or a
 * negative errno with a one-line message in err: the file's own error,
 * -ENODATA empty, -EFBIG longer than EDGEWARD_MANIFEST_SIG_MAX, -EINVAL PEM
 * instead of DER.
 */
int ctl_load_manifest_sig(const char *path, uint8_t **data, size_t *len,
			  char *err, size_t errlen);

/* "edgewardctl: message" on stderr; returns CTL_EXIT_FAIL. */
int ctl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "edgewardctl: warning: message" on stderr. */
void ctl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports a library failure; returns CTL_EXIT_FAIL. */
int ctl_fail(const struct ew_error *e);
/* Opens the client or reports why not; returns 0 or CTL_EXIT_FAIL. */
int ctl_open_client(struct ew_client **c);
/* Reads the status through a client of its own; returns an exit code. */
int ctl_read_status(struct ew_status *st);
/* Prints a JSON value built by the caller (consumed); returns an exit code. */
struct cJSON;
int ctl_emit_json(struct cJSON *j, bool pretty);

#endif /* EDGEWARDCTL_COMMANDS_H */
