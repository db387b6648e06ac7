/* SPDX-License-Identifier: GPL-2.0-only */
/* Starting, running and stopping the daemon (run.c). */
#ifndef EW_DAEMON_RUN_H
#define EW_DAEMON_RUN_H

#include <stddef.h>

#include "daemon/daemon.h"

/* With d->cfg loaded: everything up to serving. 0, or -errno with @err. */
int ew_daemon_start(struct ew_daemon *d, char *err, size_t errlen);
/*
 * Serves until SIGTERM or SIGINT; SIGHUP re-reads @config_path (NULL: the
 * embedded defaults are in use) and applies what can change safely.
 */
int ew_daemon_loop(struct ew_daemon *d, const char *config_path);
/* Stops the servers and the modules, frees everything (after a failed
 * start too). */
void ew_daemon_stop(struct ew_daemon *d);

#endif /* EW_DAEMON_RUN_H */
