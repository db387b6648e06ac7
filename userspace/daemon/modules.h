/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The module runtime: ModuleSpecs of the management API turned into
 * supervised processes, each registered with the kernel module before its
 * first process runs, and the ModuleDetails the APIs report.
 */
#ifndef EW_DAEMON_MODULES_H
#define EW_DAEMON_MODULES_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "daemon/daemon.h"
#include "http/http.h"

/* The identity's managedBy for modules the agent deploys. */
#define EW_MANAGED_BY_EDGE "IotEdge"
/* The api-version modules are told to speak (the newest accepted). */
#define EW_MODULE_API_VERSION "2022-08-03"

/*
 * Brings the runtime up from the state on disk: every module is added to
 * the supervisor, its kernel registration checked or renewed, and the ones
 * that should run are started. Registrations of the kernel that belong to
 * no module of the state any more are removed once their cgroup is empty.
 */
int ew_modules_init(struct ew_daemon *d, char *err, size_t errlen);
void ew_modules_shutdown(struct ew_daemon *d);

/*
 * A validated ModuleSpec: 0, or an HTTP status (400) with the message in
 * @err. On success *@type is the module's type.
 */
int ew_module_spec_check(const cJSON *spec, enum ew_module_type *type,
			 char *err, size_t errlen);

/*
 * The operations of the management API. Each returns 0 or an HTTP status
 * with a message in @err: 404 unknown module, 409 exists, 400 bad spec,
 * 500 failure.
 */
int ew_module_create(struct ew_daemon *d, const cJSON *spec, bool start,
		     char *err, size_t errlen);
int ew_module_replace(struct ew_daemon *d, const char *name, const cJSON *spec,
		      bool start, char *err, size_t errlen);
int ew_module_delete(struct ew_daemon *d, const char *name, char *err,
		     size_t errlen);
int ew_module_start(struct ew_daemon *d, const char *name, char *err,
		    size_t errlen);
int ew_module_stop(struct ew_daemon *d, const char *name, char *err,
		   size_t errlen);
int ew_module_restart(struct ew_daemon *d, const char *name, char *err,
		      size_t errlen);

/* ModuleDetails of @name (NULL if unknown), and the ModuleList. */
cJSON *ew_module_details(struct ew_daemon *d, const char *name);
struct ew_http_response *ew_modules_reply_list(struct ew_daemon *d);

/*
 * The IOTEDGE_* variables of module @name under @cfg, appended as
 * "KEY=VALUE" strings to the NULL-ended malloc'd array *@env of *@n: the
 * workload URI of [connect], the module and generation ids, the device and
 * hub, the gateway host name, the api-version and auth scheme, and for the
 * agent of [agent] the management URI. What edgewardctl's "module env"
 * prints. 0 or -ENOMEM.
 */
int ew_module_iotedge_env(const struct ew_config *cfg, const char *name,
			  const char *gen_id, char ***env, size_t *n);
/*
 * The environment a module is started with (PATH, IOTEDGE_* and its spec's
 * env), as "KEY=VALUE" strings in a NULL-ended malloc'd array.
 */
char **ew_module_env(struct ew_daemon *d, const char *name, const char *gen_id,
		     const cJSON *spec);
void ew_module_env_free(char **env);

#endif /* EW_DAEMON_MODULES_H */
