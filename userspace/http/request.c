// SPDX-License-Identifier: GPL-2.0-only
/*
 * One request, from libmicrohttpd's first call to the response: the checks
 * in the order http.h documents, the body (limit, deadline, JSON), the
 * handler; and the accessors handlers read the request with.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "http/internal.h"

const char *const ew_http_azure_api_versions[] = {
	"2018-06-28", "2019-01-30", "2019-10-22", "2019-11-05",
	"2020-07-07", "2021-12-07", "2022-08-03", NULL,
};

static void req_free(struct ew_http_req *req)
{
	unsigned int i;

	for (i = 0; i < req->n_params; i++)
		free(req->params[i].value);
	for (i = 0; i < req->n_query; i++) {
		free(req->query[i].key);
		free(req->query[i].value);
	}
	free(req->query);
	free(req->body);
	cJSON_Delete(req->json);
	if (req->answered)
		ew_http_reply_free(req->early);
	free(req);
}

/* --- query ------------------------------------------------------------------------ */

struct query_ctx {
	struct ew_http_req *req;
	size_t cap;
	int err;
};

static char *decode_dup(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len + 1);

	if (out && ew_http_pct_decode(s, len, out, NULL)) {
		free(out);
		errno = EINVAL;
		return NULL;
	}
	return out;
}

static enum MHD_Result query_add(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *value)
{
	struct query_ctx *q = cls;
	struct ew_http_req *req = q->req;
	struct ew_http_kv *kv;

	(void)kind;
	if (req->n_query == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 4;

		kv = realloc(req->query, cap * sizeof(*kv));
		if (!kv) {
			q->err = -ENOMEM;
			return MHD_NO;
		}
		req->query = kv;
		q->cap = cap;
	}
	kv = &req->query[req->n_query];
	errno = ENOMEM;
	kv->key = decode_dup(key ? key : "");
	kv->value = kv->key ? decode_dup(value ? value : "") : NULL;
	if (!kv->value) {
		q->err = -errno;
		free(kv->key);
		return MHD_NO;
	}
	req->n_query++;
	return MHD_YES;
}

/* --- checks before the body ------------------------------------------------------------ */

#define REPLY(r) do { *resp = (r); return false; } while (0)

static bool check_route(struct ew_http_req *req, struct ew_http_response **resp)
{
	struct ew_http_server *srv = req->srv;
	struct ew_http_path p;
	enum ew_http_match m;
	int ret;

	ret = ew_http_path_decode(req->path, &p);
	if (ret == -ENOMEM)
		REPLY(NULL);
	if (ret)
		REPLY(ew_http_reply_error(MHD_HTTP_BAD_REQUEST,
					  "invalid percent-encoding in path"));
	m = ew_http_route_match(srv->routes, srv->n_routes, req->method, &p,
				&req->route, req->params, &req->n_params);
	ew_http_path_free(&p);
	if (m == EW_HTTP_NOT_FOUND)
		REPLY(ew_http_reply_error(MHD_HTTP_NOT_FOUND, "not found"));
	if (m == EW_HTTP_BAD_METHOD)
		REPLY(ew_http_reply_error(MHD_HTTP_BAD_REQUEST, "method not allowed"));
	return true;
}

static bool check_query(struct ew_http_req *req, struct ew_http_response **resp)
{
	const char *const *v;
	struct query_ctx q = { .req = req };
	const char *given;
	char quoted[80];

	MHD_get_connection_values(req->mc, MHD_GET_ARGUMENT_KIND, query_add, &q);
	if (q.err == -ENOMEM)
		REPLY(NULL);
	if (q.err)
		REPLY(ew_http_reply_error(MHD_HTTP_BAD_REQUEST,
					  "invalid percent-encoding in query"));
	if (!req->srv->opts.api_versions)
		return true;
	given = ew_http_query(req, "api-version");
	if (!given)
		REPLY(ew_http_reply_error(MHD_HTTP_BAD_REQUEST,
					  "api-version not specified"));
	for (v = req->srv->opts.api_versions; *v; v++)
		if (!strcmp(*v, given)) {
			req->api_version = *v;
			return true;
		}
	ew_http_quote(quoted, sizeof(quoted), given);
	REPLY(ew_http_reply_error(MHD_HTTP_BAD_REQUEST,
				  "invalid api-version \"%s\"", quoted));
}

/* Whether a body follows the headers (its size may be known already). */
static void probe_body(struct ew_http_req *req)
{
	const char *cl, *te;
	char *end;

	te = MHD_lookup_connection_value(req->mc, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_TRANSFER_ENCODING);
	cl = MHD_lookup_connection_value(req->mc, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (te) {
		/* libmicrohttpd reads chunked bodies; their size shows later. */
		req->has_body = true;
		req->announced = ~0ULL;
	} else if (cl) {
		errno = 0;
		req->announced = strtoull(cl, &end, 10);
		if (errno || end == cl)
			req->announced = ~0ULL;	/* libmicrohttpd took it; we cannot */
		req->has_body = req->announced > 0;
	}
}

static bool check_body_size(struct ew_http_req *req,
			    struct ew_http_response **resp)
{
	size_t limit = req->srv->opts.body_limit;

	if (req->has_body && req->announced != ~0ULL && req->announced > limit)
		REPLY(ew_http_reply_error(MHD_HTTP_CONTENT_TOO_LARGE,
					  "request body too large (%llu "
					  "bytes, limit %zu)", req->announced,
					  limit));
	if (!req->has_body && req->route->route->body == EW_HTTP_BODY_JSON)
		REPLY(ew_http_reply_error(MHD_HTTP_BAD_REQUEST,
					  "missing parameter: request body"));
	return true;
}

/*
 * An answer found before the body. libmicrohttpd closes a connection
 * whose response was queued on this first call, even without a body, so a
 * request without one gets its answer on the next call and the connection
 * stays open; a request with a body is answered now and the connection
 * closed, rather than reading a body only to throw it away.
 */
static enum MHD_Result answer_early(struct ew_http_req *req,
				    struct ew_http_response *resp)
{
	if (req->has_body)
		return ew_http_queue(req, resp);
	req->early = resp;
	req->answered = true;
	return MHD_YES;
}

static enum MHD_Result request_begin(struct ew_http_server *srv,
				     struct MHD_Connection *mc, const char *url,
				     const char *method, void **req_cls)
{
	const union MHD_ConnectionInfo *ci;
	struct ew_http_response *resp = NULL;
	struct ew_http_conn *c;
	struct ew_http_req *req;
	ew_http_authorize_fn authorize;

	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	c = ci ? ci->socket_context : NULL;
	/* A refused connection whose request was already on its way. */
	if (!c || c->refused)
		return MHD_NO;
	req = calloc(1, sizeof(*req));
	if (!req)
		return MHD_NO;
	req->srv = srv;
	req->conn = c;
	req->mc = mc;
	req->method = method;
	req->path = url;
	*req_cls = req;
	probe_body(req);

	if (!check_route(req, &resp) || !check_query(req, &resp))
		return answer_early(req, resp);
	authorize = req->route->route->authorize;
	if (authorize) {
		resp = authorize(req, srv->ctx);
		if (resp)
			return answer_early(req, resp);
	}
	if (!check_body_size(req, &resp))
		return answer_early(req, resp);
	if (req->has_body)
		ew_http_deadline_arm(c);
	return MHD_YES;
}

/* --- the body ----------------------------------------------------------------------- */

static enum MHD_Result request_data(struct ew_http_req *req, const char *data,
				    size_t len)
{
	size_t limit = req->srv->opts.body_limit;
	char msg[80];

	if (len > limit - req->body_len) {
		snprintf(msg, sizeof(msg), "request body too large (limit %zu bytes)",
			 limit);
		/* libmicrohttpd may not answer while it delivers upload data. */
		ew_http_conn_abort(req->conn, MHD_HTTP_CONTENT_TOO_LARGE, msg);
		return MHD_NO;
	}
	if (req->body_len + len + 1 > req->body_cap) {
		size_t cap = req->body_cap ? req->body_cap : 4096;
		char *b;

		while (cap < req->body_len + len + 1)
			cap *= 2;
		if (cap > limit + 1)
			cap = limit + 1;
		b = realloc(req->body, cap);
		if (!b)
			return MHD_NO;
		req->body = b;
		req->body_cap = cap;
	}
	memcpy(req->body + req->body_len, data, len);
	req->body_len += len;
	req->body[req->body_len] = '\0';
	return MHD_YES;
}

static bool parse_json(struct ew_http_req *req, struct ew_http_response **resp)
{
	enum ew_http_body kind = req->route->route->body;
	const char *end = NULL;
	size_t at;

	if (kind == EW_HTTP_BODY_RAW)
		return true;
	if (!req->body_len) {
		if (kind == EW_HTTP_BODY_JSON)
			REPLY(ew_http_reply_error(MHD_HTTP_BAD_REQUEST,
						  "missing parameter: request body"));
		return true;
	}
	if (memchr(req->body, '\0', req->body_len))
		REPLY(ew_http_reply_error(MHD_HTTP_UNPROCESSABLE_CONTENT,
					  "malformed request body: NUL byte"));
	/* Length including our terminator: cJSON wants to see the end. */
	req->json = cJSON_ParseWithLengthOpts(req->body, req->body_len + 1, &end,
					      true);
	if (!req->json) {
		at = end && end >= req->body ? (size_t)(end - req->body) : 0;
		REPLY(ew_http_reply_error(MHD_HTTP_UNPROCESSABLE_CONTENT,
					  "malformed request body: invalid JSON "
					  "at byte %zu", at));
	}
	if (!cJSON_IsObject(req->json))
		REPLY(ew_http_reply_error(MHD_HTTP_UNPROCESSABLE_CONTENT,
					  "malformed request body: not a JSON object"));
	return true;
}

static enum MHD_Result request_end(struct ew_http_req *req)
{
	struct ew_http_response *resp = NULL;

	if (req->answered) {
		req->answered = false;	/* queued: consumed */
		return ew_http_queue(req, req->early);
	}
	/* The deadline thread answered 408 already (or a 413 went out). */
	if (!ew_http_deadline_disarm(req->conn))
		return MHD_NO;
	if (parse_json(req, &resp))
		resp = req->route->route->handler(req, req->srv->ctx);
	return ew_http_queue(req, resp);
}

enum MHD_Result ew_http_on_request(void *cls, struct MHD_Connection *mc,
				   const char *url, const char *method,
				   const char *version, const char *upload_data,
				   size_t *upload_data_size, void **req_cls)
{
	struct ew_http_req *req = *req_cls;
	enum MHD_Result ret;

	(void)version;
	if (!req)
		return request_begin(cls, mc, url, method, req_cls);
	if (*upload_data_size) {
		ret = request_data(req, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return ret;
	}
	return request_end(req);
}

void ew_http_on_completed(void *cls, struct MHD_Connection *mc, void **req_cls,
			  enum MHD_RequestTerminationCode toe)
{
	struct ew_http_req *req = *req_cls;

	(void)cls;
	(void)mc;
	(void)toe;
	if (!req)
		return;
	/* A request that ended early (client gone) leaves no deadline behind. */
	ew_http_deadline_disarm(req->conn);
	req_free(req);
	*req_cls = NULL;
}

/* --- accessors -------------------------------------------------------------------------- */

const char *ew_http_method(const struct ew_http_req *req)
{
	return req->method;
}

const char *ew_http_path(const struct ew_http_req *req)
{
	return req->path;
}

const char *ew_http_param(const struct ew_http_req *req, const char *name)
{
	unsigned int i;

	for (i = 0; i < req->n_params; i++)
		if (!strcmp(req->params[i].name, name))
			return req->params[i].value;
	return NULL;
}

const char *ew_http_query(const struct ew_http_req *req, const char *name)
{
	unsigned int i;

	for (i = 0; i < req->n_query; i++)
		if (!strcmp(req->query[i].key, name))
			return req->query[i].value;
	return NULL;
}

const char *ew_http_header(const struct ew_http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->mc, MHD_HEADER_KIND, name);
}

const char *ew_http_api_version(const struct ew_http_req *req)
{
	return req->api_version;
}

const char *ew_http_body(const struct ew_http_req *req, size_t *len)
{
	if (len)
		*len = req->body_len;
	return req->body_len ? req->body : NULL;
}

const cJSON *ew_http_body_json(const struct ew_http_req *req)
{
	return req->json;
}

const struct ew_http_peer *ew_http_peer(const struct ew_http_req *req)
{
	return &req->conn->peer;
}

int ew_http_conn_fd(const struct ew_http_req *req)
{
	return req->conn->fd;
}

void *ew_http_conn_data(const struct ew_http_req *req)
{
	return req->conn->data;
}

void ew_http_conn_set_data(struct ew_http_req *req, void *data,
			   void (*destroy)(void *data))
{
	struct ew_http_conn *c = req->conn;

	if (c->data_destroy && c->data != data)
		c->data_destroy(c->data);
	c->data = data;
	c->data_destroy = destroy;
}
