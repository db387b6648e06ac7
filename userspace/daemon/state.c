// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon's durable state (see state.h): load with full validation,
 * atomic save, identities and module records.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/state.h"
#include "edgeward.h"
#include "util/atomic.h"
#include "util/errbuf.h"

#define STATE_MAX_BYTES (16u << 20)
/* .NET ticks at the Unix epoch. */
#define TICKS_AT_EPOCH 621355968000000000ULL

const char *ew_module_type_name(enum ew_module_type t)
{
	switch (t) {
	case EW_MODULE_PROCESS:
		return "process";
	case EW_MODULE_DOCKER:
		return "docker";
	}
	return "unknown";
}

int ew_module_type_parse(const char *s, enum ew_module_type *t)
{
	if (!strcmp(s, "process"))
		*t = EW_MODULE_PROCESS;
	else if (!strcmp(s, "docker"))
		*t = EW_MODULE_DOCKER;
	else
		return -EINVAL;
	return 0;
}

static bool gen_id_valid(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > EW_GEN_ID_MAX)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Copies a string member of @o named @key into @out (capacity @cap + 1). */
static int get_str(const cJSON *o, const char *key, char *out, size_t cap,
		   bool required, const char *where, char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v) {
		if (!required) {
			out[0] = '\0';
			return 0;
		}
		return ew_errbuf(err, errlen, -EINVAL, "%s: \"%s\" missing", where, key);
	}
	if (!cJSON_IsString(v))
		return ew_errbuf(err, errlen, -EINVAL, "%s: \"%s\" must be a string",
			    where, key);
	if (strlen(v->valuestring) > cap)
		return ew_errbuf(err, errlen, -EINVAL, "%s: \"%s\" longer than %zu",
			    where, key, cap);
	strcpy(out, v->valuestring);
	return 0;
}

static uint64_t gen_tick(const char *gen_id)
{
	return strtoull(gen_id, NULL, 10);
}

static int load_identity(struct ew_state *st, const cJSON *o, size_t i,
			 char *err, size_t errlen)
{
	struct ew_identity *id = &st->ids[i];
	char where[64];
	int rc;

	snprintf(where, sizeof(where), EW_STATE_FILE ": identities[%zu]", i);
	if (!cJSON_IsObject(o))
		return ew_errbuf(err, errlen, -EINVAL, "%s: not an object", where);
	rc = get_str(o, "moduleId", id->module_id, EW_MODULE_NAME_MAX, true,
		     where, err, errlen);
	if (!rc)
		rc = get_str(o, "managedBy", id->managed_by, EW_MANAGED_BY_MAX,
			     false, where, err, errlen);
	if (!rc)
		rc = get_str(o, "generationId", id->gen_id, EW_GEN_ID_MAX, true,
			     where, err, errlen);
	if (rc)
		return rc;
	if (!ew_ident_valid(id->module_id))
		return ew_errbuf(err, errlen, -EINVAL, "%s: invalid moduleId", where);
	if (!gen_id_valid(id->gen_id))
		return ew_errbuf(err, errlen, -EINVAL, "%s: invalid generationId", where);
	if (gen_tick(id->gen_id) > st->last_gen_tick)
		st->last_gen_tick = gen_tick(id->gen_id);
	return 0;
}

static int load_module(struct ew_state *st, const cJSON *o, size_t i,
		       char *err, size_t errlen)
{
	struct ew_module_rec *m = &st->mods[i];
	const cJSON *spec, *run;
	char where[64], type[16];
	int rc;

	snprintf(where, sizeof(where), EW_STATE_FILE ": modules[%zu]", i);
	if (!cJSON_IsObject(o))
		return ew_errbuf(err, errlen, -EINVAL, "%s: not an object", where);
	rc = get_str(o, "name", m->name, EW_MODULE_NAME_MAX, true, where, err,
		     errlen);
	if (!rc)
		rc = get_str(o, "type", type, sizeof(type) - 1, true, where,
			     err, errlen);
	if (rc)
		return rc;
	if (!ew_ident_valid(m->name))
		return ew_errbuf(err, errlen, -EINVAL, "%s: invalid name", where);
	if (ew_module_type_parse(type, &m->type))
		return ew_errbuf(err, errlen, -EINVAL, "%s: unknown type \"%s\"",
			    where, type);
	spec = cJSON_GetObjectItemCaseSensitive(o, "spec");
	if (!cJSON_IsObject(spec))
		return ew_errbuf(err, errlen, -EINVAL, "%s: \"spec\" must be an object",
			    where);
	run = cJSON_GetObjectItemCaseSensitive(o, "wantRunning");
	if (!cJSON_IsBool(run))
		return ew_errbuf(err, errlen, -EINVAL,
			    "%s: \"wantRunning\" must be a boolean", where);
	m->want_running = cJSON_IsTrue(run);
	m->spec = cJSON_Duplicate(spec, true);
	return m->spec ? 0 : ew_errbuf(err, errlen, -ENOMEM, "out of memory");
}

/* Each element of @arr through @load into a fresh array of @size bytes. */
static int load_array(struct ew_state *st, const cJSON *root, const char *key,
		      void **items, size_t *n, size_t size,
		      int (*load)(struct ew_state *, const cJSON *, size_t,
				  char *, size_t),
		      char *err, size_t errlen)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key);
	const cJSON *el;
	size_t count, i = 0;
	int rc;

	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr))
		return ew_errbuf(err, errlen, -EINVAL, EW_STATE_FILE ": \"%s\" must be an array",
			    key);
	count = (size_t)cJSON_GetArraySize(arr);
	if (!count)
		return 0;
	*items = calloc(count, size);
	if (!*items)
		return ew_errbuf(err, errlen, -ENOMEM, "out of memory");
	cJSON_ArrayForEach(el, arr) {
		rc = load(st, el, i, err, errlen);
		*n = ++i;	/* so that ew_state_free sees the partial one */
		if (rc)
			return rc;
	}
	return 0;
}

static int check_unique(struct ew_state *st, char *err, size_t errlen)
{
	size_t i, j;

	for (i = 0; i < st->n_ids; i++)
		for (j = i + 1; j < st->n_ids; j++)
			if (!strcmp(st->ids[i].module_id, st->ids[j].module_id))
				return ew_errbuf(err, errlen, -EINVAL,
					    EW_STATE_FILE ": identity \"%s\" twice",
					    st->ids[i].module_id);
	for (i = 0; i < st->n_mods; i++)
		for (j = i + 1; j < st->n_mods; j++)
			if (!strcmp(st->mods[i].name, st->mods[j].name))
				return ew_errbuf(err, errlen, -EINVAL,
					    EW_STATE_FILE ": module \"%s\" twice",
					    st->mods[i].name);
	return 0;
}

int ew_state_load(struct ew_state *st, int dirfd, char *err, size_t errlen)
{
	const cJSON *ver;
	cJSON *root;
	size_t len;
	char *text;
	int rc;

	memset(st, 0, sizeof(*st));
	st->dirfd = dirfd;
	ew_atomic_sweep_at(dirfd);
	rc = ew_read_file_at(dirfd, EW_STATE_FILE, STATE_MAX_BYTES, &text, &len);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return ew_errbuf(err, errlen, rc, EW_STATE_FILE ": %s", strerror(-rc));
	root = cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return ew_errbuf(err, errlen, -EINVAL, EW_STATE_FILE ": not a JSON object");
	}
	ver = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsNumber(ver) || ver->valuedouble != EW_STATE_VERSION) {
		rc = ew_errbuf(err, errlen, -EINVAL, EW_STATE_FILE ": version must be %d",
			  EW_STATE_VERSION);
		goto out;
	}
	rc = load_array(st, root, "identities", (void **)&st->ids, &st->n_ids,
			sizeof(*st->ids), load_identity, err, errlen);
	if (!rc)
		rc = load_array(st, root, "modules", (void **)&st->mods,
				&st->n_mods, sizeof(*st->mods), load_module,
				err, errlen);
	if (!rc)
		rc = check_unique(st, err, errlen);
out:
	cJSON_Delete(root);
	if (rc) {
		ew_state_free(st);
		st->dirfd = dirfd;
	}
	return rc;
}

static cJSON *identity_json(const struct ew_identity *id)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddStringToObject(o, "moduleId", id->module_id) ||
	    !cJSON_AddStringToObject(o, "managedBy", id->managed_by) ||
	    !cJSON_AddStringToObject(o, "generationId", id->gen_id)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *module_json(const struct ew_module_rec *m)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *spec = cJSON_Duplicate(m->spec, true);

	if (!o || !spec || !cJSON_AddStringToObject(o, "name", m->name) ||
	    !cJSON_AddStringToObject(o, "type", ew_module_type_name(m->type)) ||
	    !cJSON_AddBoolToObject(o, "wantRunning", m->want_running) ||
	    !cJSON_AddItemToObject(o, "spec", spec)) {
		cJSON_Delete(spec);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int ew_state_save(struct ew_state *st, char *err, size_t errlen)
{
	cJSON *root = cJSON_CreateObject(), *ids, *mods, *item;
	char *text = NULL;
	size_t i;
	int rc = -ENOMEM;

	if (!root || !cJSON_AddNumberToObject(root, "version", EW_STATE_VERSION))
		goto out;
	ids = cJSON_AddArrayToObject(root, "identities");
	mods = cJSON_AddArrayToObject(root, "modules");
	if (!ids || !mods)
		goto out;
	for (i = 0; i < st->n_ids; i++) {
		item = identity_json(&st->ids[i]);
		if (!item || !cJSON_AddItemToArray(ids, item))
			goto out;
	}
	for (i = 0; i < st->n_mods; i++) {
		item = module_json(&st->mods[i]);
		if (!item || !cJSON_AddItemToArray(mods, item))
			goto out;
	}
	text = cJSON_Print(root);
	if (!text)
		goto out;
	rc = ew_atomic_write_at(st->dirfd, EW_STATE_FILE, text, strlen(text), 0600);
out:
	cJSON_Delete(root);
	free(text);
	if (rc)
		return ew_errbuf(err, errlen, rc, "writing " EW_STATE_FILE ": %s",
			    strerror(-rc));
	return 0;
}

void ew_state_free(struct ew_state *st)
{
	size_t i;

	for (i = 0; i < st->n_mods; i++)
		cJSON_Delete(st->mods[i].spec);
	free(st->mods);
	free(st->ids);
	memset(st, 0, sizeof(*st));
	st->dirfd = -1;
}

void ew_state_new_gen_id(struct ew_state *st, char out[EW_GEN_ID_MAX + 1])
{
	struct timespec ts;
	uint64_t t;

	clock_gettime(CLOCK_REALTIME, &ts);
	t = TICKS_AT_EPOCH + (uint64_t)ts.tv_sec * 10000000ULL +
	    (uint64_t)ts.tv_nsec / 100;
	if (t <= st->last_gen_tick)
		t = st->last_gen_tick + 1;
	st->last_gen_tick = t;
	snprintf(out, EW_GEN_ID_MAX + 1, "%llu", (unsigned long long)t);
}

struct ew_identity *ew_state_identity(struct ew_state *st, const char *module_id)
{
	size_t i;

	for (i = 0; i < st->n_ids; i++)
		if (!strcmp(st->ids[i].module_id, module_id))
			return &st->ids[i];
	return NULL;
}

int ew_state_identity_ensure(struct ew_state *st, const char *module_id,
			     const char *managed_by, struct ew_identity **out)
{
	struct ew_identity *ids, *id = ew_state_identity(st, module_id);

	if (id) {
		*out = id;
		return 0;
	}
	if (!ew_ident_valid(module_id) || strlen(module_id) > EW_MODULE_NAME_MAX ||
	    strlen(managed_by) > EW_MANAGED_BY_MAX)
		return -EINVAL;
	ids = realloc(st->ids, (st->n_ids + 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	st->ids = ids;
	id = &ids[st->n_ids++];
	memset(id, 0, sizeof(*id));
	strcpy(id->module_id, module_id);
	strcpy(id->managed_by, managed_by);
	ew_state_new_gen_id(st, id->gen_id);
	*out = id;
	return 0;
}

void ew_state_identity_rotate(struct ew_state *st, struct ew_identity *id)
{
	ew_state_new_gen_id(st, id->gen_id);
}

int ew_state_identity_delete(struct ew_state *st, const char *module_id)
{
	struct ew_identity *id = ew_state_identity(st, module_id);

	if (!id)
		return -ENOENT;
	*id = st->ids[--st->n_ids];
	return 0;
}

struct ew_module_rec *ew_state_module(struct ew_state *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->n_mods; i++)
		if (!strcmp(st->mods[i].name, name))
			return &st->mods[i];
	return NULL;
}

int ew_state_module_add(struct ew_state *st, const char *name,
			enum ew_module_type type, cJSON *spec)
{
	struct ew_module_rec *mods, *m;

	if (ew_state_module(st, name))
		return -EEXIST;
	if (!ew_ident_valid(name) || strlen(name) > EW_MODULE_NAME_MAX)
		return -EINVAL;
	mods = realloc(st->mods, (st->n_mods + 1) * sizeof(*mods));
	if (!mods)
		return -ENOMEM;
	st->mods = mods;
	m = &mods[st->n_mods++];
	memset(m, 0, sizeof(*m));
	strcpy(m->name, name);
	m->type = type;
	m->spec = spec;
	return 0;
}

int ew_state_module_delete(struct ew_state *st, const char *name)
{
	struct ew_module_rec *m = ew_state_module(st, name);

	if (!m)
		return -ENOENT;
	cJSON_Delete(m->spec);
	*m = st->mods[--st->n_mods];
	return 0;
}
