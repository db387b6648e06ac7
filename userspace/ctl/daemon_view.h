/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What edgewardctl makes of edgewardd: its answers (ModuleList, SystemInfo,
 * identities) checked and turned into plain structs, the module list joined
 * with the kernel's registrations, the environment a module is given, and
 * the results of `check`. Everything here is pure, for the unit tests; the
 * commands do the talking.
 */
#ifndef EDGEWARDCTL_DAEMON_VIEW_H
#define EDGEWARDCTL_DAEMON_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "daemon/config.h"
#include "edgeward.h"

/* A module's runtimeStatus.status. */
enum ctl_mod_status {
	CTL_MOD_RUNNING,
	CTL_MOD_STOPPED,
	CTL_MOD_FAILED,
	CTL_MOD_DEAD,
	CTL_MOD_UNKNOWN,	/* and any status this edgewardctl does not know */
	CTL_MOD_STATUS_COUNT,
};

/* "running", "stopped", "failed", "dead", "unknown". */
const char *ctl_mod_status_name(enum ctl_mod_status s);

/* One module of GET /modules. */
struct ctl_daemon_mod {
	char name[EDGEWARD_NAME_MAX_LEN + 1];
	uint64_t cgroup_id;	/* ModuleDetails.id; 0: none ("", not started yet) */
	enum ctl_mod_status status;
};

/*
 * The modules of a ModuleList ({"modules":[...]}) into a malloc'd array
 * (free() it; NULL when there are none). 0, or -EPROTO with what is wrong
 * in @err, -ENOMEM.
 */
int ctl_daemon_mods_parse(const cJSON *list, struct ctl_daemon_mod **mods, size_t *n,
			  char *err, size_t errlen);

/* system status: SystemInfo's part of it, and the modules by status. */
struct ctl_sysinfo {
	char version[64];
	char provisioning[64];	/* provisioning.type */
	bool km_loaded;		/* kernel_module.loaded */
	char km_version[64];	/* "" when not loaded */
	char km_mode[16];
	size_t n_modules;
	size_t by_status[CTL_MOD_STATUS_COUNT];
};

/* 0, or -EPROTO with the missing or mistyped member named in @err. */
int ctl_sysinfo_parse(const cJSON *info, const struct ctl_daemon_mod *mods, size_t n,
		      struct ctl_sysinfo *out, char *err, size_t errlen);

/* A row of `list`: a registration, a module of edgewardd, or both. */
struct ctl_mod_row {
	const struct ew_reg *reg;		/* NULL: the kernel has none for it */
	const struct ctl_daemon_mod *mod;	/* NULL: no module of edgewardd owns it */
	bool has_verdict;	/* the first process of the cgroup was attested */
	uint32_t verdict;	/* enum edgeward_verdict */
};

/*
 * The rows of `list`: every registration, in the kernel's order, with the
 * module whose id is its cgroup id; then the modules no registration
 * matched, in the daemon's order. *rows is malloc'd (free() it; NULL when
 * there are none) and points into @regs and @mods. 0 or -ENOMEM.
 */
int ctl_mods_join(const struct ew_reg *regs, size_t nregs,
		  const struct ctl_daemon_mod *mods, size_t nmods,
		  struct ctl_mod_row **rows, size_t *n);

/*
 * The generation id of module @name in GET /identities
 * ({"identities":[{"moduleId","generationId",...}]}), pointing into
 * @identities. 0, -ENOENT ("module NAME has no identity"), -EPROTO.
 */
int ctl_identity_gen_id(const cJSON *identities, const char *name, const char **gen_id,
			char *err, size_t errlen);

/* The IOTEDGE_* variables of a module, in the daemon's order. */
#define CTL_ENV_MAX 10

struct ctl_env_var {
	char *key;		/* malloc'd "KEY\0VALUE" */
	const char *value;	/* into key's allocation */
};

struct ctl_env {
	size_t n;
	struct ctl_env_var v[CTL_ENV_MAX];
};

/*
 * What edgewardd gives module @name of generation @gen_id under @cfg, its
 * IOTEDGE_* part (ew_module_iotedge_env()), split into keys and values.
 * 0, -E2BIG or -ENOMEM; ctl_env_free() either way.
 */
int ctl_module_env(const struct ew_config *cfg, const char *name, const char *gen_id,
		   struct ctl_env *env);
void ctl_env_free(struct ctl_env *env);

/* A line of `check`. */
enum ctl_check_result {
	CTL_CHECK_OK,
	CTL_CHECK_WARN,
	CTL_CHECK_FAIL,
};

struct ctl_check {
	char name[32];
	enum ctl_check_result result;
	char detail[640];
};

/* The lines of `check`, in order. */
struct ctl_checks {
	struct ctl_check *v;
	size_t n;
	size_t cap;
};

/* Appends a line; -ENOMEM if it cannot (the line is lost, the rest kept). */
int ctl_check_add(struct ctl_checks *c, const char *name, enum ctl_check_result result,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void ctl_checks_free(struct ctl_checks *c);
/* Whether any line FAILed. */
bool ctl_checks_failed(const struct ctl_checks *c);
/* "ok", "warn", "fail" (JSON); the text form is "[ ok ]", "[warn]", "[FAIL]". */
const char *ctl_check_result_name(enum ctl_check_result r);

#endif /* EDGEWARDCTL_DAEMON_VIEW_H */
