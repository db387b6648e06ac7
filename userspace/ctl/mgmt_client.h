/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgewardctl's client of edgewardd's management API: HTTP/1.1 on the
 * daemon's Unix socket (libcurl), every request carrying the api-version the
 * daemon requires, and every failure turned into one line that says what to
 * do about it: the daemon is not running, the socket is not ours to use, or
 * the daemon's own {"message"} (shown as it was sent).
 */
#ifndef EDGEWARDCTL_MGMT_CLIENT_H
#define EDGEWARDCTL_MGMT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

/* The api-version sent with every request (the daemon's newest). */
#define CTL_MGMT_API_VERSION "2022-08-03"
/* Connecting to a Unix socket is immediate or it is not happening. */
#define CTL_MGMT_CONNECT_TIMEOUT_MS 5000
/* A whole request and its answer (JSON replies). */
#define CTL_MGMT_TIMEOUT_MS 30000
/* A stream that is not followed ends when the daemon stalls this long. */
#define CTL_MGMT_STALL_S 30
/* Largest JSON reply read. */
#define CTL_MGMT_BODY_MAX (16u << 20)

/*
 * The request target for @path (absolute, its segments already escaped) and
 * the query @params (name, value pairs, NULL-ended; a NULL value leaves the
 * pair out), values percent-encoded, api-version last:
 * "/modules/x/logs?tail=5&api-version=2022-08-03". malloc'd; NULL if out of
 * memory.
 */
char *ctl_mgmt_target(const char *path, const char *const *params);
/* @s percent-encoded for a path segment or query value (malloc'd, or NULL). */
char *ctl_mgmt_escape(const char *s);

/*
 * GET @target on the socket at @sock and parse the JSON reply into *@out
 * (cJSON_Delete it). Returns 0, or a negative errno with one line in @err:
 *   -ENOENT        "edgewardd is not running (no socket at PATH)"
 *   -ECONNREFUSED  "edgewardd is not running (nothing listens on PATH)"
 *   -EACCES        "permission denied on PATH"
 *   -EREMOTEIO     an HTTP error: the daemon's message as it was sent
 *   -ETIMEDOUT, -EPROTO (no or no JSON answer), -EFBIG, -ENAMETOOLONG,
 *   -ENOMEM, -EIO (anything else, with curl's words).
 */
int ctl_mgmt_get_json(const char *sock, const char *target, cJSON **out,
		      char *err, size_t errlen);
/*
 * GET @target and copy the body to @to as it arrives, flushed after each
 * piece. Without @follow the transfer gives up once the daemon has sent
 * nothing for CTL_MGMT_STALL_S seconds; with it, it runs until the daemon
 * ends it. The errors of ctl_mgmt_get_json(); an HTTP error's body is not
 * copied but reported.
 */
int ctl_mgmt_stream(const char *sock, const char *target, bool follow, FILE *to,
		    char *err, size_t errlen);

/* Whether an error of the calls above means the daemon is not running. */
bool ctl_mgmt_not_running(int err);

/*
 * The line for a connect(2) failure with errno @os_errno on @sock (the
 * messages above), and for an HTTP error @status with @len bytes of @body:
 * the body's {"message"} with control characters escaped, else the status.
 */
void ctl_mgmt_connect_error(int os_errno, const char *sock, char *out, size_t outlen);
void ctl_mgmt_http_error(long status, const char *body, size_t len, char *out,
			 size_t outlen);

#endif /* EDGEWARDCTL_MGMT_CLIENT_H */
