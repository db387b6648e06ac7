// SPDX-License-Identifier: GPL-2.0-only
/*
 * The module runtime (see modules.h): specs, the supervisor, the kernel
 * registrations and the ModuleDetails of the APIs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "daemon/modules.h"
#include "daemon/supervise.h"
#include "edgeward.h"
#include "util/errbuf.h"

#define EXEC_MAX_BYTES (1u << 30)

/* --- specs ---------------------------------------------------------------- */

static const cJSON *member(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNull(v) ? NULL : v;
}

static int check_env(const cJSON *env, char *err, size_t errlen)
{
	const cJSON *e, *f;

	if (!env)
		return 0;
	if (!cJSON_IsArray(env))
		return ew_errbuf(err, errlen, 400, "invalid parameter: config.env must be an array");
	cJSON_ArrayForEach(e, env) {
		const cJSON *k = member(e, "key"), *v = member(e, "value");

		if (!cJSON_IsObject(e) || !cJSON_IsString(k) || !*k->valuestring ||
		    strchr(k->valuestring, '=') || (v && !cJSON_IsString(v)))
			return ew_errbuf(err, errlen, 400,
				    "invalid parameter: config.env entries are {\"key\":\"K\",\"value\":\"V\"}");
		for (f = e->next; f; f = f->next) {
			const cJSON *k2 = member(f, "key");

			if (cJSON_IsString(k2) && !strcmp(k2->valuestring, k->valuestring))
				return ew_errbuf(err, errlen, 400,
					    "invalid parameter: duplicate env key \"%.64s\"",
					    k->valuestring);
		}
	}
	return 0;
}

static bool digest_text_valid(const char *s)
{
	uint8_t d[EDGEWARD_DIGEST_LEN];

	return !strncmp(s, "sha256:", 7) && strlen(s) == 7 + 2 * EDGEWARD_DIGEST_LEN &&
	       !ew_digest_parse(s + 7, d);
}

static int check_process_settings(const cJSON *settings, char *err, size_t errlen)
{
	const cJSON *exec = member(settings, "exec"), *args = member(settings, "args");
	const cJSON *user = member(settings, "user"), *dig = member(settings, "expectedDigest");
	const cJSON *a;

	if (!exec)
		return ew_errbuf(err, errlen, 400, "missing parameter: config.settings.exec");
	if (!cJSON_IsString(exec) || exec->valuestring[0] != '/' ||
	    strlen(exec->valuestring) >= EW_PATH_MAX)
		return ew_errbuf(err, errlen, 400,
			    "invalid parameter: config.settings.exec must be an absolute path");
	if (args) {
		if (!cJSON_IsArray(args))
			return ew_errbuf(err, errlen, 400,
				    "invalid parameter: config.settings.args must be an array of strings");
		cJSON_ArrayForEach(a, args)
			if (!cJSON_IsString(a))
				return ew_errbuf(err, errlen, 400,
					    "invalid parameter: config.settings.args must be an array of strings");
	}
	if (user && (!cJSON_IsString(user) || strlen(user->valuestring) > 64))
		return ew_errbuf(err, errlen, 400, "invalid parameter: config.settings.user");
	if (dig && (!cJSON_IsString(dig) || !digest_text_valid(dig->valuestring)))
		return ew_errbuf(err, errlen, 400,
			    "invalid parameter: config.settings.expectedDigest must be sha256:<64 hex digits>");
	return 0;
}

int ew_module_spec_check(const cJSON *spec, enum ew_module_type *type,
			 char *err, size_t errlen)
{
	const cJSON *name, *t, *pull, *config, *settings;
	struct ew_error e = { 0 };

	if (!cJSON_IsObject(spec))
		return ew_errbuf(err, errlen, 400, "invalid parameter: the module spec must be an object");
	name = member(spec, "name");
	if (!name)
		return ew_errbuf(err, errlen, 400, "missing parameter: name");
	if (!cJSON_IsString(name) || !ew_ident_valid(name->valuestring) ||
	    strlen(name->valuestring) > EW_MODULE_NAME_MAX)
		return ew_errbuf(err, errlen, 400, "invalid parameter: name");
	t = member(spec, "type");
	if (!t)
		return ew_errbuf(err, errlen, 400, "missing parameter: type");
	if (!cJSON_IsString(t) || ew_module_type_parse(t->valuestring, type))
		return ew_errbuf(err, errlen, 400,
			    "invalid parameter: type must be \"process\" or \"docker\"");
	if (*type == EW_MODULE_DOCKER)
		return ew_errbuf(err, errlen, 400,
			    "module type \"docker\" is not supported yet: use \"process\"");
	pull = member(spec, "imagePullPolicy");
	if (pull && (!cJSON_IsString(pull) || (strcmp(pull->valuestring, "on-create") &&
					       strcmp(pull->valuestring, "never"))))
		return ew_errbuf(err, errlen, 400,
			    "invalid parameter: imagePullPolicy must be \"on-create\" or \"never\"");
	config = member(spec, "config");
	if (!config)
		return ew_errbuf(err, errlen, 400, "missing parameter: config");
	if (!cJSON_IsObject(config))
		return ew_errbuf(err, errlen, 400, "invalid parameter: config must be an object");
	settings = member(config, "settings");
	if (!settings)
		return ew_errbuf(err, errlen, 400, "missing parameter: config.settings");
	if (!cJSON_IsObject(settings))
		return ew_errbuf(err, errlen, 400, "invalid parameter: config.settings must be an object");
	if (ew_cgroup_name_check(name->valuestring, &e))
		return ew_errbuf(err, errlen, 400, "invalid parameter: name: %s", e.msg);
	if (check_env(member(config, "env"), err, errlen))
		return 400;
	return check_process_settings(settings, err, errlen);
}

static const cJSON *settings_of(const cJSON *spec)
{
	return member(member(spec, "config"), "settings");
}

static const char *setting(const cJSON *spec, const char *key)
{
	const cJSON *v = member(settings_of(spec), key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* --- measuring what a module runs ------------------------------------------ */

static int sha256_file(const char *path, uint8_t out[EDGEWARD_DIGEST_LEN],
		       char head[128], struct ew_error *e)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char buf[65536];
	size_t total = 0;
	ssize_t n;
	int fd, rc = 0;

	memset(head, 0, 128);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		rc = fd < 0 ? -errno : -ENOMEM;
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (!total)
			memcpy(head, buf, (size_t)n < 127 ? (size_t)n : 127);
		total += (size_t)n;
		if (total > EXEC_MAX_BYTES || !EVP_DigestUpdate(ctx, buf, (size_t)n)) {
			rc = -EFBIG;
			goto out;
		}
	}
	if (n < 0)
		rc = -errno;
	else if (!EVP_DigestFinal_ex(ctx, out, NULL))
		rc = -EIO;
out:
	if (rc)
		snprintf(e->msg, sizeof(e->msg), "measuring %.200s: %s", path, strerror(-rc));
	e->err = rc;
	if (fd >= 0)
		close(fd);
	EVP_MD_CTX_free(ctx);
	return rc;
}

/*
 * The digests a module's registration allows: its expectedDigest, or the
 * executable as it is now, plus a script's interpreter (the kernel judges
 * both the script and the interpreter the kernel runs for it).
 */
static int module_digests(const cJSON *spec,
			  uint8_t digests[2][EDGEWARD_DIGEST_LEN],
			  unsigned int *n, struct ew_error *e)
{
	const char *exec = setting(spec, "exec");
	const char *expected = setting(spec, "expectedDigest");
	char head[128], interp[128];
	int rc;

	*n = 0;
	if (expected) {
		rc = ew_digest_parse(expected + 7, digests[0]);
		*n = rc ? 0 : 1;
	} else {
		rc = sha256_file(exec, digests[0], head, e);
		if (rc)
			return rc;
		*n = 1;
		if (head[0] == '#' && head[1] == '!' &&
		    sscanf(head + 2, " %127[^ \t\n]", interp) == 1 && interp[0] == '/') {
			rc = sha256_file(interp, digests[1], head, e);
			if (!rc)
				*n = 2;
		}
	}
	return rc;
}

/* --- the supervisor's callbacks ------------------------------------------- */

static bool is_agent(struct ew_daemon *d, const char *name)
{
	return d->cfg.agent.name && !strcmp(d->cfg.agent.name, name);
}

static int pre_start(void *arg, const char *name, int cgroup_fd, uint64_t cgroup_id,
		     struct ew_error *e)
{
	struct ew_daemon *d = arg;
	uint8_t digests[2][EDGEWARD_DIGEST_LEN];
	struct ew_module_rec *m;
	char gen[EW_GEN_ID_MAX + 1] = "";
	struct ew_identity *id;
	unsigned int n;
	cJSON *spec;
	int rc;

	pthread_mutex_lock(&d->lock);
	m = ew_state_module(&d->state, name);
	id = ew_state_identity(&d->state, name);
	spec = m ? cJSON_Duplicate(m->spec, true) : NULL;
	if (id)
		strcpy(gen, id->gen_id);
	pthread_mutex_unlock(&d->lock);
	if (!spec) {
		snprintf(e->msg, sizeof(e->msg), "module %s has no spec", name);
		return e->err = -ENOENT;
	}
	rc = module_digests(spec, digests, &n, e);
	cJSON_Delete(spec);
	if (rc)
		return rc;
	if (!ew_kernel_present(&d->kernel)) {
		ew_log(LOG_INFO, "module %s: starting without the kernel module (cgroup %llu)",
		       name, (unsigned long long)cgroup_id);
		return 0;
	}
	rc = ew_kernel_register(&d->kernel, cgroup_fd, name, gen[0] ? gen : "0",
				(const uint8_t (*)[EDGEWARD_DIGEST_LEN])digests, n,
				is_agent(d, name) ? EDGEWARD_REG_FLAGS_AGENT : 0, e);
	if (rc)
		ew_log(LOG_ERR, "module %s: kernel registration: %s", name, e->msg);
	else
		ew_log(LOG_INFO, "module %s: registered cgroup %llu with %u digest%s",
		       name, (unsigned long long)cgroup_id, n, n == 1 ? "" : "s");
	return rc;
}

/* The agent is watched: restarted after a minute whenever it ends. */
static enum ew_sv_action module_exited(void *arg, const char *name,
				 const struct ew_sv_status *st, unsigned *delay_ms)
{
	struct ew_daemon *d = arg;

	ew_log(st->state == EW_SV_STOPPED ? LOG_INFO : LOG_WARNING,
	       "module %s: %s (%s)", name, ew_sv_state_name(st->state), st->description);
	if (!is_agent(d, name))
		return EW_SV_KEEP;
	*delay_ms = 60000;
	return EW_SV_RESTART;
}

/* --- environment ----------------------------------------------------------- */

static int env_add(char ***env, size_t *n, const char *key, const char *value)
{
	char **e = realloc(*env, (*n + 2) * sizeof(**env));

	if (!e)
		return -ENOMEM;
	*env = e;
	e[*n] = NULL;
	if (asprintf(&e[*n], "%s=%s", key, value ? value : "") < 0) {
		e[*n] = NULL;
		return -ENOMEM;
	}
	e[++*n] = NULL;
	return 0;
}

void ew_module_env_free(char **env)
{
	char **p;

	for (p = env; p && *p; p++)
		free(*p);
	free(env);
}

/* A [connect] socket's path, as modules are told of it. */
static const char *connect_path(const struct ew_config_sock *s)
{
	return s->kind == EW_CONFIG_SOCK_UNIX && s->path ? s->path : "";
}

int ew_module_iotedge_env(const struct ew_config *cfg, const char *name,
			  const char *gen_id, char ***env, size_t *n)
{
	char uri[160];
	int rc;

	snprintf(uri, sizeof(uri), "unix://%s", connect_path(&cfg->connect.workload));
	rc = env_add(env, n, "IOTEDGE_WORKLOADURI", uri);
	rc = rc ?: env_add(env, n, "IOTEDGE_MODULEID", name);
	rc = rc ?: env_add(env, n, "IOTEDGE_MODULEGENERATIONID", gen_id);
	rc = rc ?: env_add(env, n, "IOTEDGE_DEVICEID", ew_config_device_id(cfg));
	rc = rc ?: env_add(env, n, "IOTEDGE_IOTHUBHOSTNAME", ew_config_hub(cfg));
	if (cfg->hostname)
		rc = rc ?: env_add(env, n, "IOTEDGE_GATEWAYHOSTNAME", cfg->hostname);
	rc = rc ?: env_add(env, n, "IOTEDGE_APIVERSION", EW_MODULE_API_VERSION);
	rc = rc ?: env_add(env, n, "IOTEDGE_AUTHSCHEME", "sasToken");
	if (cfg->agent.name && !strcmp(cfg->agent.name, name)) {
		snprintf(uri, sizeof(uri), "unix://%s", connect_path(&cfg->connect.management));
		rc = rc ?: env_add(env, n, "IOTEDGE_MANAGEMENTURI", uri);
	}
	return rc;
}

char **ew_module_env(struct ew_daemon *d, const char *name, const char *gen_id,
		     const cJSON *spec)
{
	const cJSON *env = member(member(spec, "config"), "env"), *e;
	char **out = NULL;
	size_t n = 0;
	int rc;

	rc = env_add(&out, &n, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	rc = rc ?: ew_module_iotedge_env(&d->cfg, name, gen_id, &out, &n);
	cJSON_ArrayForEach(e, env) {
		const cJSON *k = member(e, "key"), *v = member(e, "value");

		if (rc)
			break;
		rc = env_add(&out, &n, k->valuestring, v ? v->valuestring : "");
	}
	if (rc) {
		ew_module_env_free(out);
		return NULL;
	}
	return out;
}

/* --- the supervisor's view of a spec ---------------------------------------- */

/* Adds @name to the supervisor from its spec; d->rt_lock held. */
static int sv_add(struct ew_daemon *d, const char *name, const char *gen_id,
		  const cJSON *spec, struct ew_error *e)
{
	const cJSON *args = member(settings_of(spec), "args"), *a;
	struct ew_sv_spec sv = {
		.name = name,
		.exec = setting(spec, "exec"),
		.user = setting(spec, "user"),
	};
	const char **argv = NULL;
	char **env;
	size_t n = 0;
	int rc;

	env = ew_module_env(d, name, gen_id, spec);
	if (!env)
		return -ENOMEM;
	if (args) {
		argv = calloc((size_t)cJSON_GetArraySize(args) + 1, sizeof(*argv));
		if (!argv) {
			ew_module_env_free(env);
			return -ENOMEM;
		}
		cJSON_ArrayForEach(a, args)
			argv[n++] = a->valuestring;
	}
	sv.args = argv;
	sv.nargs = n;
	sv.env = (const char *const *)env;
	for (sv.nenv = 0; env[sv.nenv]; sv.nenv++)
		;
	rc = ew_supervisor_add(d->sv, &sv, e);
	free(argv);
	ew_module_env_free(env);
	return rc;
}

/* --- lifecycle --------------------------------------------------------------- */

static int need_runtime(struct ew_daemon *d, char *err, size_t errlen)
{
	if (d->sv)
		return 0;
	return ew_errbuf(err, errlen, 500, "process modules cannot run here: no cgroup v2");
}

/* Persists the state; on failure says so in @err. d->lock held. */
static int save(struct ew_daemon *d, char *err, size_t errlen)
{
	char msg[256];

	if (!ew_state_save(&d->state, msg, sizeof(msg)))
		return 0;
	ew_log(LOG_ERR, "%s", msg);
	return ew_errbuf(err, errlen, 500, "could not save the state");
}

int ew_module_create(struct ew_daemon *d, const cJSON *spec, bool start,
		     char *err, size_t errlen)
{
	struct ew_error e = { 0 };
	enum ew_module_type type;
	struct ew_identity *id;
	char name[EW_MODULE_NAME_MAX + 1], gen[EW_GEN_ID_MAX + 1];
	cJSON *copy;
	int rc;

	rc = ew_module_spec_check(spec, &type, err, errlen);
	if (rc)
		return rc;
	rc = need_runtime(d, err, errlen);
	if (rc)
		return rc;
	snprintf(name, sizeof(name), "%s", member(spec, "name")->valuestring);
	copy = cJSON_Duplicate(spec, true);
	if (!copy)
		return ew_errbuf(err, errlen, 500, "out of memory");

	pthread_mutex_lock(&d->rt_lock);
	pthread_mutex_lock(&d->lock);
	if (ew_state_module(&d->state, name)) {
		pthread_mutex_unlock(&d->lock);
		pthread_mutex_unlock(&d->rt_lock);
		cJSON_Delete(copy);
		return ew_errbuf(err, errlen, 409, "module %s already exists", name);
	}
	rc = ew_state_identity_ensure(&d->state, name, EW_MANAGED_BY_EDGE, &id);
	if (!rc) {
		strcpy(gen, id->gen_id);
		rc = ew_state_module_add(&d->state, name, type, copy);
	}
	if (rc) {
		pthread_mutex_unlock(&d->lock);
		pthread_mutex_unlock(&d->rt_lock);
		cJSON_Delete(copy);
		return ew_errbuf(err, errlen, 500, "could not record module %s: %s", name,
			    strerror(-rc));
	}
	ew_state_module(&d->state, name)->want_running = start;
	/* On disk before anything runs: a crash from here on is recovered by
	 * the next start, which adds it again. */
	rc = save(d, err, errlen);
	if (rc)
		ew_state_module_delete(&d->state, name);
	pthread_mutex_unlock(&d->lock);
	if (!rc) {
		rc = sv_add(d, name, gen, spec, &e);
		if (rc) {
			ew_log(LOG_ERR, "module %s: %s", name, e.msg);
			rc = ew_errbuf(err, errlen, 500, "module %s: %s", name, e.msg);
		} else if (start && ew_supervisor_start(d->sv, name, &e)) {
			ew_log(LOG_ERR, "module %s: start: %s", name, e.msg);
		}
	}
	pthread_mutex_unlock(&d->rt_lock);
	if (!rc)
		ew_log(LOG_INFO, "module %s created%s", name, start ? " and started" : "");
	return rc;
}

/* Stops @name and waits for its processes; d->rt_lock held. */
static int stop_and_wait(struct ew_daemon *d, const char *name, struct ew_error *e)
{
	int rc = ew_supervisor_stop(d->sv, name, e);

	if (rc)
		return rc;
	return ew_supervisor_wait(d->sv, name, 60000);
}

/* Removes a module that is known to exist; d->rt_lock held. */
static int remove_locked(struct ew_daemon *d, const char *name, bool forget_identity,
			 char *err, size_t errlen)
{
	const struct ew_cgroup *cg;
	struct ew_error e = { 0 };
	uint64_t cgid = 0;
	int rc;

	rc = stop_and_wait(d, name, &e);
	if (rc)
		return ew_errbuf(err, errlen, 500, "module %s does not stop: %s", name, e.msg);
	cg = ew_supervisor_cgroup(d->sv, name);
	if (cg)
		cgid = cg->id;
	/* Forgotten on disk first: a crash after this leaves at most a
	 * registration and a cgroup, which the next start removes. */
	pthread_mutex_lock(&d->lock);
	ew_state_module_delete(&d->state, name);
	if (forget_identity)
		ew_state_identity_delete(&d->state, name);
	rc = save(d, err, errlen);
	pthread_mutex_unlock(&d->lock);
	if (rc)
		return rc;
	if (cgid && ew_kernel_present(&d->kernel) &&
	    ew_kernel_unregister(&d->kernel, cgid, &e) && e.err != -ENOENT)
		ew_log(LOG_WARNING, "module %s: unregistering: %s", name, e.msg);
	if (ew_supervisor_remove(d->sv, name, true, &e))
		ew_log(LOG_WARNING, "module %s: removing: %s", name, e.msg);
	return 0;
}

static bool exists(struct ew_daemon *d, const char *name)
{
	bool found;

	pthread_mutex_lock(&d->lock);
	found = ew_state_module(&d->state, name) != NULL;
	pthread_mutex_unlock(&d->lock);
	return found;
}

int ew_module_delete(struct ew_daemon *d, const char *name, char *err,
		     size_t errlen)
{
	int rc;

	pthread_mutex_lock(&d->rt_lock);
	if (!exists(d, name))
		rc = ew_errbuf(err, errlen, 404, "module not found");
	else
		rc = d->sv ? remove_locked(d, name, false, err, errlen) :
			     need_runtime(d, err, errlen);
	pthread_mutex_unlock(&d->rt_lock);
	if (!rc)
		ew_log(LOG_INFO, "module %s removed", name);
	return rc;
}

int ew_module_replace(struct ew_daemon *d, const char *name, const cJSON *spec,
		      bool start, char *err, size_t errlen)
{
	enum ew_module_type type;
	const cJSON *n;
	int rc;

	rc = ew_module_spec_check(spec, &type, err, errlen);
	if (rc)
		return rc;
	n = member(spec, "name");
	if (strcmp(n->valuestring, name))
		return ew_errbuf(err, errlen, 400, "the module name in the spec is not %s", name);
	pthread_mutex_lock(&d->rt_lock);
	rc = exists(d, name) ? (d->sv ? remove_locked(d, name, false, err, errlen) :
				need_runtime(d, err, errlen)) :
			       ew_errbuf(err, errlen, 404, "module not found");
	pthread_mutex_unlock(&d->rt_lock);
	return rc ? rc : ew_module_create(d, spec, start, err, errlen);
}

/* start, stop, restart: d->rt_lock taken here. */
static int operate(struct ew_daemon *d, const char *name, int op, char *err,
		   size_t errlen)
{
	struct ew_module_rec *m;
	struct ew_error e = { 0 };
	int rc;

	pthread_mutex_lock(&d->rt_lock);
	pthread_mutex_lock(&d->lock);
	m = ew_state_module(&d->state, name);
	if (m && m->want_running != (op != 0)) {
		m->want_running = op != 0;
		rc = save(d, err, errlen);
	} else {
		rc = m ? 0 : ew_errbuf(err, errlen, 404, "module not found");
	}
	pthread_mutex_unlock(&d->lock);
	if (!rc && !d->sv)
		rc = need_runtime(d, err, errlen);
	if (!rc) {
		if (op == 1)
			rc = ew_supervisor_start(d->sv, name, &e);
		else if (op == 0)
			rc = ew_supervisor_stop(d->sv, name, &e);
		else
			rc = ew_supervisor_restart(d->sv, name, &e);
		if (rc == -EALREADY)
			rc = 0;
		if (rc)
			rc = ew_errbuf(err, errlen, 500, "module %s: %s", name, e.msg);
	}
	pthread_mutex_unlock(&d->rt_lock);
	return rc;
}

int ew_module_start(struct ew_daemon *d, const char *name, char *err, size_t errlen)
{
	return operate(d, name, 1, err, errlen);
}

int ew_module_stop(struct ew_daemon *d, const char *name, char *err, size_t errlen)
{
	return operate(d, name, 0, err, errlen);
}

int ew_module_restart(struct ew_daemon *d, const char *name, char *err, size_t errlen)
{
	return operate(d, name, 2, err, errlen);
}

/* --- details ------------------------------------------------------------------ */

static int add_time(cJSON *o, const char *key, int64_t ns)
{
	char t[EW_LOG_TIME_LEN];

	ew_log_time_format(ns, t);
	return cJSON_AddStringToObject(o, key, t) ? 0 : -ENOMEM;
}

/* d->rt_lock and d->lock held. */
static cJSON *details_locked(struct ew_daemon *d, const struct ew_module_rec *m)
{
	cJSON *o = cJSON_CreateObject(), *config, *status, *rt, *ex;
	const struct ew_cgroup *cg = d->sv ? ew_supervisor_cgroup(d->sv, m->name) : NULL;
	struct ew_sv_status st = { .state = EW_SV_UNKNOWN };
	char id[32] = "", code[16];
	const cJSON *c = member(m->spec, "config");

	if (d->sv && ew_supervisor_status(d->sv, m->name, &st))
		snprintf(st.description, sizeof(st.description), "not supervised");
	if (cg)
		snprintf(id, sizeof(id), "%llu", (unsigned long long)cg->id);
	config = cJSON_Duplicate(c, true);
	if (!o || !config || !cJSON_AddStringToObject(o, "id", id) ||
	    !cJSON_AddStringToObject(o, "name", m->name) ||
	    !cJSON_AddStringToObject(o, "type", ew_module_type_name(m->type)) ||
	    !cJSON_AddItemToObject(o, "config", config))
		goto fail;
	config = NULL;
	if (!cJSON_GetObjectItem(cJSON_GetObjectItem(o, "config"), "env") &&
	    !cJSON_AddArrayToObject(cJSON_GetObjectItem(o, "config"), "env"))
		goto fail;
	status = cJSON_AddObjectToObject(o, "status");
	if (!status)
		goto fail;
	if (st.start_ns && add_time(status, "startTime", st.start_ns))
		goto fail;
	if (st.exited) {
		ex = cJSON_AddObjectToObject(status, "exitStatus");
		snprintf(code, sizeof(code), "%d", st.exit_code);
		if (!ex || add_time(ex, "exitTime", st.exit_ns) ||
		    !cJSON_AddStringToObject(ex, "statusCode", code))
			goto fail;
	}
	rt = cJSON_AddObjectToObject(status, "runtimeStatus");
	if (!rt || !cJSON_AddStringToObject(rt, "status", ew_sv_state_name(st.state)) ||
	    !cJSON_AddStringToObject(rt, "description", st.description))
		goto fail;
	return o;
fail:
	cJSON_Delete(config);
	cJSON_Delete(o);
	return NULL;
}

cJSON *ew_module_details(struct ew_daemon *d, const char *name)
{
	struct ew_module_rec *m;
	cJSON *o = NULL;

	pthread_mutex_lock(&d->rt_lock);
	pthread_mutex_lock(&d->lock);
	m = ew_state_module(&d->state, name);
	if (m)
		o = details_locked(d, m);
	pthread_mutex_unlock(&d->lock);
	pthread_mutex_unlock(&d->rt_lock);
	return o;
}

struct ew_http_response *ew_modules_reply_list(struct ew_daemon *d)
{
	cJSON *o = cJSON_CreateObject(), *arr, *item;
	bool ok = true;
	size_t i;

	arr = cJSON_AddArrayToObject(o, "modules");
	if (!o || !arr) {
		cJSON_Delete(o);
		return NULL;
	}
	pthread_mutex_lock(&d->rt_lock);
	pthread_mutex_lock(&d->lock);
	for (i = 0; ok && i < d->state.n_mods; i++) {
		item = details_locked(d, &d->state.mods[i]);
		ok = item && cJSON_AddItemToArray(arr, item);
	}
	pthread_mutex_unlock(&d->lock);
	pthread_mutex_unlock(&d->rt_lock);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return ew_http_reply_json(200, o);
}

/* --- start-up and shutdown ------------------------------------------------------- */

/*
 * Kernel registrations under our module cgroups that belong to no module
 * any more (removed while the daemon was down, or a crash in a removal):
 * unregistered. The others stay: a module keeps its registration across
 * daemon restarts, so none of its processes ever runs unregistered.
 */
static void reconcile_kernel(struct ew_daemon *d)
{
	/* The kernel names cgroups from the root of the hierarchy, as
	 * /proc/PID/cgroup does: the prefix is authz's. */
	const char *prefix = d->authz.cgroup_prefix;
	size_t n = 0, i, plen = strlen(prefix);
	struct ew_error e = { 0 };
	struct ew_reg *regs = NULL;

	if (!ew_kernel_present(&d->kernel))
		return;
	if (ew_kernel_list(&d->kernel, &regs, &n, &e)) {
		ew_log(LOG_WARNING, "kernel registrations: %s", e.msg);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *p = regs[i].cgroup_path;

		if (strncmp(p, prefix, plen) || strchr(p + plen, '/'))
			continue;
		if (ew_state_module(&d->state, p + plen))
			continue;
		ew_log(LOG_INFO, "kernel registration of %s (cgroup %llu) has no module: removed",
		       regs[i].name, (unsigned long long)regs[i].cgroup_id);
		ew_kernel_unregister(&d->kernel, regs[i].cgroup_id, &e);
	}
	free(regs);
}

int ew_modules_init(struct ew_daemon *d, char *err, size_t errlen)
{
	struct ew_supervisor_config cfg = {
		.cgroup_base = d->cfg.edgeward.module_cgroup_base,
		.ops = { .pre_start = pre_start, .on_exit = module_exited, .arg = d },
	};
	struct ew_error e = { 0 };
	char logdir[EW_PATH_MAX];
	size_t i;
	int rc;

	snprintf(logdir, sizeof(logdir), "%s/logs", d->cfg.edgeward.state_dir);
	cfg.log_dir = logdir;
	rc = ew_supervisor_new(&d->sv, &cfg, &e);
	if (rc) {
		d->sv = NULL;
		ew_log(LOG_WARNING, "process modules disabled: %s", e.msg);
		return 0;
	}
	snprintf(d->authz.cgroup_prefix, sizeof(d->authz.cgroup_prefix), "/%s/modules/",
		 ew_supervisor_cgroups(d->sv)->base);
	pthread_mutex_lock(&d->rt_lock);
	pthread_mutex_lock(&d->lock);
	reconcile_kernel(d);
	for (i = 0; i < d->state.n_mods; i++) {
		struct ew_module_rec *m = &d->state.mods[i];
		struct ew_identity *id = ew_state_identity(&d->state, m->name);

		rc = sv_add(d, m->name, id ? id->gen_id : "0", m->spec, &e);
		if (rc)
			ew_log(LOG_ERR, "module %s: %s", m->name, e.msg);
	}
	pthread_mutex_unlock(&d->lock);
	for (i = 0; i < d->state.n_mods; i++) {
		const char *name = d->state.mods[i].name;

		struct ew_sv_status st;

		if (!d->state.mods[i].want_running ||
		    ew_supervisor_status(d->sv, name, &st))
			continue;
		/* Processes of the daemon's previous life: they ran registered
		 * all along, but nobody can wait for them; run them afresh. */
		if (st.state == EW_SV_UNKNOWN)
			rc = ew_supervisor_restart(d->sv, name, &e);
		else
			rc = ew_supervisor_start(d->sv, name, &e);
		if (rc && rc != -EALREADY)
			ew_log(LOG_ERR, "module %s: start: %s", name, e.msg);
	}
	pthread_mutex_unlock(&d->rt_lock);
	(void)err;
	(void)errlen;
	return 0;
}

void ew_modules_shutdown(struct ew_daemon *d)
{
	if (!d->sv)
		return;
	pthread_mutex_lock(&d->rt_lock);
	ew_supervisor_stop_all(d->sv);
	ew_supervisor_wait(d->sv, NULL, 30000);
	ew_supervisor_free(d->sv);
	d->sv = NULL;
	pthread_mutex_unlock(&d->rt_lock);
}
