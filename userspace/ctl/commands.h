/* SPDX-License-Identifier: GPL-2.0-only */
/* edgewardctl's commands and the helpers they share. */
#ifndef EDGEWARDCTL_COMMANDS_H
#define EDGEWARDCTL_COMMANDS_H

#include "args.h"
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
