/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The running daemon: everything the API handlers, the module runtime and
 * the event loop share, in one struct (no globals). Handlers run on the
 * HTTP server's threads: @lock guards @state and the module runtime; the
 * key store, edge CA and kernel link guard themselves.
 */
#ifndef EW_DAEMON_DAEMON_H
#define EW_DAEMON_DAEMON_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "certs/certs.h"
#include "daemon/authz.h"
#include "daemon/config.h"
#include "daemon/kernel.h"
#include "daemon/state.h"
#include "keys/keystore.h"

/* The device's identity master key: module SAS keys derive from it. */
#define EW_KEY_IDENTITY_MASTER "identity-master"
/* The master encryption key of the workload API's encrypt/decrypt. */
#define EW_KEY_WORKLOAD_ENC "workload-encryption"

struct ew_supervisor;
struct ew_http_server;

struct ew_daemon {
	struct ew_config cfg;
	/* The device identity: from provisioning, or the local defaults. */
	char hub[256];
	char device_id[256];
	int state_fd;			/* the state directory */
	struct ew_keystore *keys;
	struct ew_edge_ca *ca;
	struct ew_kernel kernel;
	struct ew_authz authz;

	/*
	 * Lock order: rt_lock, then lock. @lock guards @state and is held only
	 * briefly (a sign request reads a generation id under it); @rt_lock
	 * guards the supervisor and is held across module operations, which
	 * may wait for processes to stop.
	 */
	pthread_mutex_t lock;
	struct ew_state state;
	pthread_mutex_t rt_lock;
	struct ew_supervisor *sv;	/* NULL: no cgroup v2 (modules cannot run) */

	struct ew_http_server *workload;
	struct ew_http_server *mgmt;
	int64_t started;		/* Unix seconds, for process_uptime */
	bool reload;			/* SIGHUP seen */
	bool stop;			/* SIGTERM/SIGINT seen */
};

/* Logging with syslog priorities, to stderr (the journal takes it there). */
void ew_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ew_log_set_level(int priority);

#endif /* EW_DAEMON_DAEMON_H */
