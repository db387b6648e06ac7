// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgewardd's answers checked and turned into structs, the join of `list`,
 * a module's environment and the lines of `check` (see daemon_view.h).
 * The daemon is trusted to be edgewardd, not to be bug-free: every member
 * is checked for its type before it is used, and a surprise is an error
 * naming the member rather than a crash or a made-up value.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/modules.h"
#include "daemon_view.h"

static int proto(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int proto(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EPROTO;
}

static const char *const status_names[CTL_MOD_STATUS_COUNT] = {
	[CTL_MOD_RUNNING] = "running",
	[CTL_MOD_STOPPED] = "stopped",
	[CTL_MOD_FAILED] = "failed",
	[CTL_MOD_DEAD] = "dead",
	[CTL_MOD_UNKNOWN] = "unknown",
};

const char *ctl_mod_status_name(enum ctl_mod_status s)
{
	return (unsigned int)s < CTL_MOD_STATUS_COUNT ? status_names[s] : "unknown";
}

static enum ctl_mod_status status_parse(const char *s)
{
	int i;

	for (i = 0; i < CTL_MOD_STATUS_COUNT; i++)
		if (!strcmp(s, status_names[i]))
			return (enum ctl_mod_status)i;
	return CTL_MOD_UNKNOWN;
}

static const char *str_member(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A cgroup id as ModuleDetails.id has it: "" for none, else decimal. */
static int id_parse(const char *s, uint64_t *id)
{
	uint64_t v = 0;

	if (!*s) {
		*id = 0;
		return 0;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (!v)
		return -EINVAL;
	*id = v;
	return 0;
}

static int mod_parse(const cJSON *item, size_t i, struct ctl_daemon_mod *m,
		     char *err, size_t errlen)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(item, "status");
	const char *name = str_member(item, "name"), *id = str_member(item, "id");
	const char *status = str_member(cJSON_GetObjectItemCaseSensitive(st, "runtimeStatus"),
					"status");

	if (!cJSON_IsObject(item))
		return proto(err, errlen, "edgewardd's module list: item %zu is not an object", i);
	if (!name || !ew_ident_valid(name))
		return proto(err, errlen, "edgewardd's module list: item %zu has no valid name", i);
	snprintf(m->name, sizeof(m->name), "%s", name);
	if (!id || id_parse(id, &m->cgroup_id))
		return proto(err, errlen, "edgewardd's module list: module %s has no valid id",
			     name);
	if (!status)
		return proto(err, errlen,
			     "edgewardd's module list: module %s has no status.runtimeStatus.status",
			     name);
	m->status = status_parse(status);
	return 0;
}

int ctl_daemon_mods_parse(const cJSON *list, struct ctl_daemon_mod **mods, size_t *n,
			  char *err, size_t errlen)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(list, "modules"), *item;
	size_t count, i = 0;
	int r;

	*mods = NULL;
	*n = 0;
	if (!cJSON_IsArray(arr))
		return proto(err, errlen, "edgewardd's module list has no \"modules\" array");
	count = (size_t)cJSON_GetArraySize(arr);
	if (!count)
		return 0;
	*mods = calloc(count, sizeof(**mods));
	if (!*mods) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	cJSON_ArrayForEach(item, arr) {
		r = mod_parse(item, i, &(*mods)[i], err, errlen);
		if (r) {
			free(*mods);
			*mods = NULL;
			return r;
		}
		i++;
	}
	*n = i;
	return 0;
}

/* Copies member @key of @o, a string of fewer than @size bytes, to @out. */
static int copy_str(const cJSON *o, const char *key, const char *what, char *out,
		    size_t size, char *err, size_t errlen)
{
	const char *s = str_member(o, key);

	if (!s)
		return proto(err, errlen, "edgewardd's SystemInfo has no string %s", what);
	if (strlen(s) >= size)
		return proto(err, errlen, "edgewardd's SystemInfo: %s is too long", what);
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

int ctl_sysinfo_parse(const cJSON *info, const struct ctl_daemon_mod *mods, size_t n,
		      struct ctl_sysinfo *out, char *err, size_t errlen)
{
	const cJSON *prov = cJSON_GetObjectItemCaseSensitive(info, "provisioning");
	const cJSON *km = cJSON_GetObjectItemCaseSensitive(info, "kernel_module");
	const cJSON *loaded = cJSON_GetObjectItemCaseSensitive(km, "loaded");
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	r = copy_str(info, "version", "version", out->version, sizeof(out->version),
		     err, errlen);
	r = r ?: copy_str(prov, "type", "provisioning.type", out->provisioning,
			  sizeof(out->provisioning), err, errlen);
	if (!r && !cJSON_IsBool(loaded))
		r = proto(err, errlen, "edgewardd's SystemInfo has no boolean kernel_module.loaded");
	r = r ?: copy_str(km, "version", "kernel_module.version", out->km_version,
			  sizeof(out->km_version), err, errlen);
	r = r ?: copy_str(km, "mode", "kernel_module.mode", out->km_mode,
			  sizeof(out->km_mode), err, errlen);
	if (r)
		return r;
	out->km_loaded = cJSON_IsTrue(loaded);
	out->n_modules = n;
	for (i = 0; i < n; i++)
		out->by_status[(unsigned int)mods[i].status < CTL_MOD_STATUS_COUNT ?
			       mods[i].status : CTL_MOD_UNKNOWN]++;
	return 0;
}

int ctl_mods_join(const struct ew_reg *regs, size_t nregs,
		  const struct ctl_daemon_mod *mods, size_t nmods,
		  struct ctl_mod_row **rows, size_t *n)
{
	bool *used = NULL;
	size_t i, j, k = 0;

	*rows = NULL;
	*n = 0;
	if (!nregs && !nmods)
		return 0;
	*rows = calloc(nregs + nmods, sizeof(**rows));
	used = nmods ? calloc(nmods, sizeof(*used)) : NULL;
	if (!*rows || (nmods && !used)) {
		free(*rows);
		free(used);
		*rows = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < nregs; i++) {
		(*rows)[k].reg = &regs[i];
		/* A module without a cgroup (id 0) matches no registration. */
		for (j = 0; j < nmods; j++) {
			if (!used[j] && mods[j].cgroup_id && mods[j].cgroup_id == regs[i].cgroup_id) {
				(*rows)[k].mod = &mods[j];
				used[j] = true;
				break;
			}
		}
		k++;
	}
	for (j = 0; j < nmods; j++)
		if (!used[j])
			(*rows)[k++].mod = &mods[j];
	free(used);
	*n = k;
	return 0;
}

int ctl_identity_gen_id(const cJSON *identities, const char *name, const char **gen_id,
			char *err, size_t errlen)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(identities, "identities"), *item;
	const char *id, *gen;

	if (!cJSON_IsArray(arr))
		return proto(err, errlen, "edgewardd's identity list has no \"identities\" array");
	cJSON_ArrayForEach(item, arr) {
		id = str_member(item, "moduleId");
		if (!id || strcmp(id, name))
			continue;
		gen = str_member(item, "generationId");
		if (!gen || !*gen)
			return proto(err, errlen, "edgewardd's identity of %s has no generationId",
				     name);
		*gen_id = gen;
		return 0;
	}
	snprintf(err, errlen, "module %s has no identity", name);
	return -ENOENT;
}

int ctl_module_env(const struct ew_config *cfg, const char *name, const char *gen_id,
		   struct ctl_env *env)
{
	char **lines = NULL, *eq;
	size_t n = 0, i;
	int r;

	memset(env, 0, sizeof(*env));
	r = ew_module_iotedge_env(cfg, name, gen_id, &lines, &n);
	for (i = 0; !r && i < n; i++) {
		if (env->n >= CTL_ENV_MAX) {
			r = -E2BIG;
			break;
		}
		eq = strchr(lines[i], '=');
		*eq = '\0';
		env->v[env->n].key = lines[i];
		env->v[env->n++].value = eq + 1;
		lines[i] = NULL;
	}
	/* What was not moved into @env (after a failure) goes. */
	for (; i < n; i++)
		free(lines[i]);
	free(lines);
	return r;
}

void ctl_env_free(struct ctl_env *env)
{
	size_t i;

	for (i = 0; i < env->n; i++)
		free(env->v[i].key);
	memset(env, 0, sizeof(*env));
}

int ctl_check_add(struct ctl_checks *c, const char *name, enum ctl_check_result result,
		  const char *fmt, ...)
{
	struct ctl_check *v;
	va_list ap;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;

		v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	v = &c->v[c->n++];
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->result = result;
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
	return 0;
}

void ctl_checks_free(struct ctl_checks *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}

bool ctl_checks_failed(const struct ctl_checks *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].result == CTL_CHECK_FAIL)
			return true;
	return false;
}

const char *ctl_check_result_name(enum ctl_check_result r)
{
	switch (r) {
	case CTL_CHECK_OK:
		return "ok";
	case CTL_CHECK_WARN:
		return "warn";
	case CTL_CHECK_FAIL:
		return "fail";
	}
	return "fail";
}
