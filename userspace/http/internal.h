/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of http/ share and nobody else sees: the server, its
 * connections and requests, compiled routes, and the helpers between them.
 */
#ifndef EW_HTTP_INTERNAL_H
#define EW_HTTP_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <microhttpd.h>

#include "http/http.h"

#define EW_HTTP_MAX_SEGMENTS 16

/* --- routes (route.c) ------------------------------------------------------ */

struct ew_http_seg {
	char *text;		/* literal, or the param's name */
	bool param;
};

struct ew_http_croute {
	const struct ew_http_route *route;
	unsigned int n_segs;
	struct ew_http_seg segs[EW_HTTP_MAX_SEGMENTS];
};

struct ew_http_param {
	const char *name;	/* the compiled route's */
	char *value;
};

/* A decoded request path: segments between '/', each percent-decoded. */
struct ew_http_path {
	unsigned int n_segs;
	char *segs[EW_HTTP_MAX_SEGMENTS];
	bool slash[EW_HTTP_MAX_SEGMENTS];	/* held a decoded '/' */
	bool unroutable;	/* not origin-form, or too many segments */
};

int ew_http_routes_compile(const struct ew_http_route *routes,
			   struct ew_http_croute **out, size_t *n,
			   char *err, size_t errlen);
void ew_http_routes_free(struct ew_http_croute *r, size_t n);

/* 0, -EINVAL for a bad escape or %00, -ENOMEM. */
int ew_http_path_decode(const char *path, struct ew_http_path *p);
void ew_http_path_free(struct ew_http_path *p);

enum ew_http_match {
	EW_HTTP_MATCHED,
	EW_HTTP_NOT_FOUND,
	EW_HTTP_BAD_METHOD,
};

/* On EW_HTTP_MATCHED, *route and params[0..*n_params) (values moved out
 * of @p) are set. */
enum ew_http_match ew_http_route_match(const struct ew_http_croute *routes,
				       size_t n, const char *method,
				       struct ew_http_path *p,
				       const struct ew_http_croute **route,
				       struct ew_http_param *params,
				       unsigned int *n_params);

/*
 * Percent-decodes @len bytes of @in into @out (room for @len + 1 bytes),
 * NUL-terminated. -EINVAL for an escape that is not %HH or that is %00.
 */
int ew_http_pct_decode(const char *in, size_t len, char *out, size_t *outlen);

/* --- connections and requests (server.c) ----------------------------------- */

struct ew_http_conn {
	struct ew_http_server *srv;
	struct ew_http_conn *prev, *next;	/* srv->conns, under srv->lock */
	int fd;
	struct ew_http_peer peer;
	bool counted;		/* holds one of its uid's slots */
	bool refused;
	/* Body deadline, under srv->lock (deadline.c). */
	bool armed;
	bool aborted;		/* a canned response went out; connection is done */
	struct timespec deadline;
	/* The handlers' slot. */
	void *data;
	void (*data_destroy)(void *data);
};

struct ew_http_kv {
	char *key;
	char *value;
};

struct ew_http_req {
	struct ew_http_server *srv;
	struct ew_http_conn *conn;
	struct MHD_Connection *mc;
	const char *method;		/* libmicrohttpd's, valid for the request */
	const char *path;
	const struct ew_http_croute *route;
	unsigned int n_params;
	struct ew_http_param params[EW_HTTP_MAX_SEGMENTS];
	unsigned int n_query;
	struct ew_http_kv *query;
	const char *api_version;
	bool has_body;
	unsigned long long announced;	/* Content-Length; ~0 unknown */
	bool answered;			/* early holds the answer */
	struct ew_http_response *early;
	char *body;
	size_t body_len, body_cap;
	cJSON *json;
};

struct ew_http_uid_count {
	uid_t uid;
	unsigned int n;
};

struct ew_http_server {
	struct MHD_Daemon *mhd;
	struct ew_http_croute *routes;
	size_t n_routes;
	void *ctx;
	struct ew_http_server_opts opts;	/* defaults filled in */
	char name[32];
	atomic_bool stopping;

	pthread_mutex_t lock;		/* what follows */
	struct ew_http_conn *conns;
	unsigned int n_conns;
	struct ew_http_uid_count *uids;
	size_t n_uids, cap_uids;

	/* The body deadline thread (deadline.c). */
	pthread_t deadline_thread;
	pthread_cond_t deadline_cond;
	bool deadline_running;
	bool deadline_stop;
	/* When the watcher wakes next; unset while it waits for an arm. */
	bool deadline_sleeping_timed;
	struct timespec deadline_wake;
};

void ew_http_log(struct ew_http_server *srv, int priority, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* libmicrohttpd's request callbacks (request.c). */
enum MHD_Result ew_http_on_request(void *cls, struct MHD_Connection *mc,
				   const char *url, const char *method,
				   const char *version, const char *upload_data,
				   size_t *upload_data_size, void **req_cls);
void ew_http_on_completed(void *cls, struct MHD_Connection *mc, void **req_cls,
			  enum MHD_RequestTerminationCode toe);

/* --- body deadlines (deadline.c) ------------------------------------------- */

int ew_http_deadline_start(struct ew_http_server *srv, char *err, size_t errlen);
void ew_http_deadline_stop(struct ew_http_server *srv);
/* The body must be complete within the server's body timeout from now. */
void ew_http_deadline_arm(struct ew_http_conn *c);
/* Disarms; false if the connection was already answered by a canned
 * response (so no other response may follow). */
bool ew_http_deadline_disarm(struct ew_http_conn *c);
/*
 * Answers @c with a canned error and shuts the socket down, unless that
 * already happened; libmicrohttpd then sees the end of the stream and
 * closes the connection. For answers libmicrohttpd cannot send itself:
 * when the request's handler is not running (408) or is receiving upload
 * data (413 mid-body). Takes srv->lock.
 */
void ew_http_conn_abort(struct ew_http_conn *c, unsigned int status,
			const char *message);
/* The same with srv->lock held. */
void ew_http_conn_abort_locked(struct ew_http_conn *c, unsigned int status,
			       const char *message);

/* --- responses (response.c) ------------------------------------------------- */

struct ew_http_stream;

struct ew_http_response {
	struct MHD_Response *mhd;
	unsigned int status;
	struct ew_http_stream *stream;	/* NULL unless streamed */
};

/* Queues @resp (consumed) on @req's connection; MHD_NO closes it. */
enum MHD_Result ew_http_queue(struct ew_http_req *req,
			      struct ew_http_response *resp);
/*
 * Writes a complete error response ({"message"} JSON, Connection: close)
 * straight to @fd without blocking; 0 or a negative errno.
 */
int ew_http_write_canned(int fd, unsigned int status, const char *message);

#endif /* EW_HTTP_INTERNAL_H */
