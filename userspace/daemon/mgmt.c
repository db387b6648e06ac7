// SPDX-License-Identifier: GPL-2.0-only
/*
 * The management API (../shared/spec/management-api.md): the edge agent's
 * interface to modules and identities. Mutations are for the registered
 * agent alone, or root's tools on the host outside every module.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "daemon/mgmt.h"
#include "daemon/modules.h"
#include "daemon/supervise.h"
#include "daemon/sysinfo.h"
#include "http/http.h"

static struct ew_http_response *authorize_agent(struct ew_http_req *req, void *ctx)
{
	struct ew_daemon *d = ctx;
	const struct ew_http_peer *p = ew_http_peer(req);
	const struct ew_caller *c = ew_api_caller(req, d);

	if (!c)
		return ew_http_reply_error(403, "forbidden");
	if (c->kind == EW_CALLER_HOST && c->uid == 0)
		return NULL;
	if (c->kind == EW_CALLER_MODULE && d->cfg.agent.name &&
	    !strcmp(c->module, d->cfg.agent.name))
		return NULL;
	ew_log(LOG_WARNING, "management: %s %s by pid %d (%s%s) refused",
	       ew_http_method(req), ew_http_path(req), (int)p->pid,
	       c->kind == EW_CALLER_MODULE ? "module " :
	       c->kind == EW_CALLER_HOST ? "host, uid not 0" : "refused: ",
	       c->kind == EW_CALLER_MODULE ? c->module :
	       c->kind == EW_CALLER_HOST ? "" : c->why);
	return ew_http_reply_error(403, "forbidden");
}

static struct ew_http_response *status_reply(int status, const char *msg)
{
	return ew_http_reply_error((unsigned int)status, "%s", msg);
}

static struct ew_http_response *details_reply(struct ew_daemon *d, const char *name,
					      unsigned int status)
{
	cJSON *o = ew_module_details(d, name);

	return o ? ew_http_reply_json(status, o) :
		   ew_http_reply_error(404, "module not found");
}

/* --- modules ------------------------------------------------------------- */

static struct ew_http_response *list_modules(struct ew_http_req *req, void *ctx)
{
	(void)req;
	return ew_modules_reply_list(ctx);
}

static struct ew_http_response *create_module(struct ew_http_req *req, void *ctx)
{
	const cJSON *spec = ew_http_body_json(req);
	char err[256];
	int rc;

	rc = ew_module_create(ctx, spec, false, err, sizeof(err));
	if (rc)
		return status_reply(rc, err);
	return details_reply(ctx, cJSON_GetObjectItem(spec, "name")->valuestring, 201);
}

static struct ew_http_response *get_module(struct ew_http_req *req, void *ctx)
{
	return details_reply(ctx, ew_http_param(req, "name"), 200);
}

static int parse_bool(const char *s, bool *out)
{
	if (!s || !strcmp(s, "false") || !strcmp(s, "0")) {
		*out = false;
		return 0;
	}
	if (!strcmp(s, "true") || !strcmp(s, "1")) {
		*out = true;
		return 0;
	}
	return -EINVAL;
}

static struct ew_http_response *put_module(struct ew_http_req *req, void *ctx)
{
	const char *name = ew_http_param(req, "name");
	char err[256];
	bool start;
	int rc;

	if (parse_bool(ew_http_query(req, "start"), &start))
		return ew_http_reply_error(400, "invalid parameter: start");
	rc = ew_module_replace(ctx, name, ew_http_body_json(req), start, err, sizeof(err));
	if (rc)
		return status_reply(rc, err);
	return details_reply(ctx, name, 201);
}

static struct ew_http_response *delete_module(struct ew_http_req *req, void *ctx)
{
	char err[256];
	int rc = ew_module_delete(ctx, ew_http_param(req, "name"), err, sizeof(err));

	return rc ? status_reply(rc, err) : ew_http_reply_empty(204);
}

static struct ew_http_response *prepare_update(struct ew_http_req *req, void *ctx)
{
	const cJSON *spec = ew_http_body_json(req), *n;
	enum ew_module_type type;
	char err[256];
	int rc;

	(void)ctx;
	rc = ew_module_spec_check(spec, &type, err, sizeof(err));
	if (rc)
		return status_reply(rc, err);
	n = cJSON_GetObjectItem(spec, "name");
	if (strcmp(n->valuestring, ew_http_param(req, "name")))
		return ew_http_reply_error(400, "the module name in the spec is not %s",
					   ew_http_param(req, "name"));
	/* A process module has nothing to pull. */
	return ew_http_reply_empty(204);
}

static struct ew_http_response *op_reply(int rc, const char *err)
{
	return rc ? status_reply(rc, err) : ew_http_reply_empty(204);
}

static struct ew_http_response *start_module(struct ew_http_req *req, void *ctx)
{
	char err[256];

	return op_reply(ew_module_start(ctx, ew_http_param(req, "name"), err, sizeof(err)), err);
}

static struct ew_http_response *stop_module(struct ew_http_req *req, void *ctx)
{
	char err[256];

	return op_reply(ew_module_stop(ctx, ew_http_param(req, "name"), err, sizeof(err)), err);
}

static struct ew_http_response *restart_module(struct ew_http_req *req, void *ctx)
{
	char err[256];

	return op_reply(ew_module_restart(ctx, ew_http_param(req, "name"), err, sizeof(err)),
			err);
}

/* --- logs ---------------------------------------------------------------------- */

struct log_stream {
	struct ew_daemon *d;
	char name[EW_MODULE_NAME_MAX + 1];
	struct ew_log_cursor cur;
};

static ssize_t log_produce(void *cls, char *buf, size_t max)
{
	struct log_stream *ls = cls;
	struct ew_logbuf *lb;
	ssize_t n = EW_HTTP_STREAM_END;

	pthread_mutex_lock(&ls->d->rt_lock);
	lb = ls->d->sv ? ew_supervisor_logs(ls->d->sv, ls->name) : NULL;
	if (lb && !ls->cur.done) {
		n = (ssize_t)ew_logbuf_read(lb, &ls->cur, buf, max);
		if (!n && ls->cur.done)
			n = EW_HTTP_STREAM_END;
	}
	pthread_mutex_unlock(&ls->d->rt_lock);
	if (!n)
		usleep(50000);
	return n;
}

static struct ew_http_response *module_logs(struct ew_http_req *req, void *ctx)
{
	struct ew_daemon *d = ctx;
	const char *name = ew_http_param(req, "name");
	struct ew_error e = { 0 };
	struct ew_log_query q;
	struct log_stream *ls;
	struct ew_logbuf *lb;

	ew_log_query_init(&q);
	if (ew_log_query_parse(&q, ew_http_query(req, "follow"), ew_http_query(req, "tail"),
			       ew_http_query(req, "since"), ew_http_query(req, "until"),
			       ew_http_query(req, "timestamps"), &e))
		return ew_http_reply_error(400, "invalid parameter: %s", e.msg);
	ls = calloc(1, sizeof(*ls));
	if (!ls)
		return NULL;
	ls->d = d;
	snprintf(ls->name, sizeof(ls->name), "%s", name);
	pthread_mutex_lock(&d->rt_lock);
	lb = d->sv ? ew_supervisor_logs(d->sv, name) : NULL;
	if (lb)
		ew_logbuf_cursor(lb, &q, &ls->cur);
	pthread_mutex_unlock(&d->rt_lock);
	if (!lb) {
		free(ls);
		return ew_http_reply_error(404, "module not found");
	}
	return ew_http_reply_stream(200, "text/plain; charset=utf-8", log_produce, ls, free);
}

/* --- identities ------------------------------------------------------------------ */

static cJSON *identity_json(const struct ew_identity *id)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddStringToObject(o, "moduleId", id->module_id) ||
	    !cJSON_AddStringToObject(o, "managedBy", id->managed_by) ||
	    !cJSON_AddStringToObject(o, "generationId", id->gen_id) ||
	    !cJSON_AddStringToObject(o, "authType", "sas")) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static struct ew_http_response *list_identities(struct ew_http_req *req, void *ctx)
{
	struct ew_daemon *d = ctx;
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "identities");
	bool ok = o && arr;
	size_t i;

	(void)req;
	pthread_mutex_lock(&d->lock);
	for (i = 0; ok && i < d->state.n_ids; i++) {
		cJSON *item = identity_json(&d->state.ids[i]);

		ok = item && cJSON_AddItemToArray(arr, item);
	}
	pthread_mutex_unlock(&d->lock);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return ew_http_reply_json(200, o);
}

/* Saves the state after an identity change, or undoes nothing and says so. */
static struct ew_http_response *identity_saved(struct ew_daemon *d,
					       const struct ew_identity *id)
{
	char msg[256];
	cJSON *o;

	if (ew_state_save(&d->state, msg, sizeof(msg))) {
		ew_log(LOG_ERR, "%s", msg);
		return ew_http_reply_error(500, "could not save the state");
	}
	o = id ? identity_json(id) : NULL;
	return id ? (o ? ew_http_reply_json(200, o) : NULL) : ew_http_reply_empty(204);
}

static struct ew_http_response *create_identity(struct ew_http_req *req, void *ctx)
{
	struct ew_daemon *d = ctx;
	const cJSON *body = ew_http_body_json(req);
	const cJSON *mid = cJSON_GetObjectItemCaseSensitive(body, "moduleId");
	const cJSON *by = cJSON_GetObjectItemCaseSensitive(body, "managedBy");
	struct ew_http_response *resp;
	struct ew_identity *id;
	int rc;

	if (!mid || cJSON_IsNull(mid))
		return ew_http_reply_error(400, "missing parameter: moduleId");
	if (!cJSON_IsString(mid) || !ew_ident_valid(mid->valuestring) ||
	    strlen(mid->valuestring) > EW_MODULE_NAME_MAX)
		return ew_http_reply_error(400, "invalid parameter: moduleId");
	if (by && !cJSON_IsNull(by) &&
	    (!cJSON_IsString(by) || strlen(by->valuestring) > EW_MANAGED_BY_MAX))
		return ew_http_reply_error(400, "invalid parameter: managedBy");
	pthread_mutex_lock(&d->lock);
	rc = ew_state_identity_ensure(&d->state, mid->valuestring,
				      cJSON_IsString(by) ? by->valuestring : EW_MANAGED_BY_EDGE,
				      &id);
	resp = rc ? ew_http_reply_error(500, "could not create the identity") :
		    identity_saved(d, id);
	pthread_mutex_unlock(&d->lock);
	return resp;
}

static struct ew_http_response *rotate_identity(struct ew_http_req *req, void *ctx)
{
	struct ew_daemon *d = ctx;
	struct ew_http_response *resp;
	struct ew_identity *id;

	pthread_mutex_lock(&d->lock);
	id = ew_state_identity(&d->state, ew_http_param(req, "name"));
	if (id)
		ew_state_identity_rotate(&d->state, id);
	resp = id ? identity_saved(d, id) : ew_http_reply_error(404, "identity not found");
	pthread_mutex_unlock(&d->lock);
	return resp;
}

static struct ew_http_response *delete_identity(struct ew_http_req *req, void *ctx)
{
	struct ew_daemon *d = ctx;
	struct ew_http_response *resp;

	pthread_mutex_lock(&d->lock);
	if (ew_state_identity_delete(&d->state, ew_http_param(req, "name")))
		resp = ew_http_reply_error(404, "identity not found");
	else
		resp = identity_saved(d, NULL);
	pthread_mutex_unlock(&d->lock);
	return resp;
}

/* --- system --------------------------------------------------------------------- */

static struct ew_http_response *system_info(struct ew_http_req *req, void *ctx)
{
	cJSON *o = ew_sysinfo_json(ctx);

	(void)req;
	return o ? ew_http_reply_json(200, o) : NULL;
}

static struct ew_http_response *system_resources(struct ew_http_req *req, void *ctx)
{
	cJSON *o = ew_sysinfo_resources_json(ctx);

	(void)req;
	return o ? ew_http_reply_json(200, o) : NULL;
}

static struct ew_http_response *reprovision(struct ew_http_req *req, void *ctx)
{
	(void)req;
	(void)ctx;
	/* Manual provisioning has nothing to do again; DPS comes with its
	 * issue. */
	ew_log(LOG_INFO, "management: reprovision requested (manual provisioning: nothing to do)");
	return ew_http_reply_empty(204);
}

static const struct ew_http_route mgmt_routes[] = {
	{ "GET", "/modules", EW_HTTP_BODY_RAW, NULL, list_modules },
	{ "POST", "/modules", EW_HTTP_BODY_JSON, authorize_agent, create_module },
	{ "GET", "/modules/{name}", EW_HTTP_BODY_RAW, NULL, get_module },
	{ "PUT", "/modules/{name}", EW_HTTP_BODY_JSON, authorize_agent, put_module },
	{ "DELETE", "/modules/{name}", EW_HTTP_BODY_RAW, authorize_agent, delete_module },
	{ "POST", "/modules/{name}/prepareupdate", EW_HTTP_BODY_JSON, authorize_agent,
	  prepare_update },
	{ "POST", "/modules/{name}/start", EW_HTTP_BODY_RAW, authorize_agent, start_module },
	{ "POST", "/modules/{name}/stop", EW_HTTP_BODY_RAW, authorize_agent, stop_module },
	{ "POST", "/modules/{name}/restart", EW_HTTP_BODY_RAW, authorize_agent,
	  restart_module },
	{ "GET", "/modules/{name}/logs", EW_HTTP_BODY_RAW, NULL, module_logs },
	{ "GET", "/identities", EW_HTTP_BODY_RAW, authorize_agent, list_identities },
	{ "POST", "/identities", EW_HTTP_BODY_JSON, authorize_agent, create_identity },
	{ "PUT", "/identities/{name}", EW_HTTP_BODY_RAW, authorize_agent, rotate_identity },
	{ "DELETE", "/identities/{name}", EW_HTTP_BODY_RAW, authorize_agent, delete_identity },
	{ "GET", "/systeminfo", EW_HTTP_BODY_RAW, NULL, system_info },
	{ "GET", "/systeminfo/resources", EW_HTTP_BODY_RAW, NULL, system_resources },
	{ "POST", "/device/reprovision", EW_HTTP_BODY_RAW, authorize_agent, reprovision },
	{ 0 }
};

const struct ew_http_route *ew_mgmt_routes(void)
{
	return mgmt_routes;
}
