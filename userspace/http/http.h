/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HTTP/1.1 over AF_UNIX stream sockets, for the workload and management
 * APIs (libmicrohttpd underneath). This layer owns everything both APIs
 * share: the listening socket (bound here or handed over by systemd), peer
 * credentials taken at accept time, per-uid and global connection limits,
 * routing with percent-decoded {param} segments, the mandatory api-version,
 * request bodies (size limit, 408 for slow bodies, JSON parsing) and
 * responses that are always JSON on error. The API layers supply a route
 * table of handlers and authorization hooks.
 *
 * Order of checks for every request (each step answers and stops):
 *   1. path decoding   400 {"message":"invalid percent-encoding in path"}
 *                      (a bad %-escape, or %00)
 *   2. route           404 {"message":"not found"} unknown path, including
 *                      any segment holding a decoded '/' (%2F never acts as
 *                      a separator, and no resource name contains '/');
 *                      400 {"message":"method not allowed"} known path,
 *                      wrong method (Azure's quirk, kept)
 *   3. query decoding  400 {"message":"invalid percent-encoding in query"}
 *   4. api-version     400 {"message":"api-version not specified"}, or
 *                      400 {"message":"invalid api-version \"X\""}
 *   5. authorize hook  whatever it answers (403 {"message":"forbidden"})
 *   6. body            413 too large (by Content-Length at once, else as
 *                      soon as the limit is crossed), 408 when the body is
 *                      not complete within the body timeout, 400
 *                      {"message":"missing parameter: request body"} for a
 *                      JSON route without one, 422 malformed JSON
 *   7. handler
 * This is Azure's order (route before api-version). Steps 1-5, the size
 * check of an announced body and the missing-body check come before any body
 * is read, so a refused request never has its body buffered: when one was
 * announced, the answer goes out at once and the connection is closed after
 * it (libmicrohttpd keeps no connection whose request body was not read);
 * without a body the connection stays open. A 408 or a 413 found while
 * reading closes the connection too.
 *
 * Connections: a peer uid over its limit gets 503 {"message":"too many
 * connections from uid U (limit N)"} as soon as it connects, and the
 * connection is closed; the uid's other connections are not disturbed. Over
 * the global cap libmicrohttpd closes new connections unanswered.
 *
 * Errors made by libmicrohttpd itself before a request reaches this layer
 * (a malformed request line, headers larger than the connection's memory)
 * are its own short responses, not JSON.
 *
 * Threads: one thread per connection (see server.c for why); a handler runs
 * on its connection's thread and may block (crypto, netlink), a streamed
 * response's producer too. Handlers of different connections run
 * concurrently.
 */
#ifndef EW_HTTP_H
#define EW_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

/*
 * The api-version values of Azure IoT Edge's workload and management APIs
 * (one list for both, as in aziot-edged), oldest first, NULL-ended.
 */
extern const char *const ew_http_azure_api_versions[];

/* --- listening sockets ------------------------------------------------- */

/**
 * ew_http_listen_unix() - bind and listen on a Unix socket at @path
 * @path:  socket path (shorter than sun_path)
 * @mode:  permission bits of the socket file: 0666 workload, 0660 mgmt
 * @group: group of the socket file, or (gid_t)-1 to keep the creator's
 * @err:   receives a message on failure (may be NULL)
 *
 * An existing @path is never followed: a symbolic link is refused, so is
 * anything that is not a socket, so is a socket some server still accepts
 * on; a stale socket (nobody listening) is unlinked. The file never has
 * more permissions than @mode, not even between bind() and chmod().
 *
 * Return: the listening socket (CLOEXEC), or a negative errno: -ELOOP
 * symlink, -EEXIST not a socket, -EADDRINUSE in use, -ENAMETOOLONG, ...
 */
int ew_http_listen_unix(const char *path, mode_t mode, gid_t group,
			char *err, size_t errlen);

/* Socket activation (sd_listen_fds(3) semantics, without libsystemd). */
#define EW_LISTEN_FDS_START 3
#define EW_LISTEN_FDS_MAX 16
#define EW_LISTEN_FDNAME_MAX 255

struct ew_listen_fds {
	unsigned int n;
	struct {
		int fd;		/* -1 once taken */
		char name[EW_LISTEN_FDNAME_MAX + 1];
	} fds[EW_LISTEN_FDS_MAX];
};

/**
 * ew_listen_fds_parse() - interpret LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES
 * @listen_pid, @listen_fds, @listen_fdnames: the variables' values, NULL
 *        when unset
 * @self: the pid they must name (getpid())
 *
 * Pure: looks at no file descriptor and no environment. Without
 * LISTEN_PID, or when it names another process, the sockets are not ours:
 * 0 fds. Names default to "unknown" when LISTEN_FDNAMES is unset; when
 * set, it must have exactly one name per fd.
 *
 * Return: the number of fds (0..EW_LISTEN_FDS_MAX) filled into @out, or
 * -EINVAL with a message.
 */
int ew_listen_fds_parse(const char *listen_pid, const char *listen_fds,
			const char *listen_fdnames, pid_t self,
			struct ew_listen_fds *out, char *err, size_t errlen);

/**
 * ew_listen_fds_from_env() - take the sockets systemd passed
 *
 * Parses the environment, checks that every passed fd is a listening
 * AF_UNIX SOCK_STREAM socket and sets CLOEXEC on each. The three variables
 * are unset in every case, as sd_listen_fds(1) does, so that children do
 * not take the sockets for theirs. Return: as ew_listen_fds_parse(), or
 * -EBADF / -ENOTSOCK / -EINVAL for an fd that is not such a socket.
 */
int ew_listen_fds_from_env(struct ew_listen_fds *out, char *err,
			   size_t errlen);

/* The fd named @name (removed from @set), or -ENOENT. */
int ew_listen_fds_take(struct ew_listen_fds *set, const char *name);
/* Closes every fd of @set not taken. */
void ew_listen_fds_close_rest(struct ew_listen_fds *set);

/* --- server -------------------------------------------------------------- */

struct ew_http_server;
struct ew_http_req;
struct ew_http_response;

/* The peer of a connection, taken once at accept time. */
struct ew_http_peer {
	pid_t pid;	/* SO_PEERCRED, as seen from this pid namespace (0: none) */
	uid_t uid;
	gid_t gid;
	int pidfd;	/* SO_PEERPIDFD, or -1 where the kernel has none;
			 * owned by this layer, valid until the connection closes */
};

/*
 * A handler returns the response to send: a ew_http_reply_*() result, or
 * NULL on allocation failure (answered 500 {"message":"internal error"}).
 */
typedef struct ew_http_response *(*ew_http_handler_fn)(struct ew_http_req *req,
							void *ctx);
/*
 * Called for every request of the route before its body is read: NULL lets
 * the request through, a response (typically 403) refuses it. It may cache
 * its verdict in the connection's slot (ew_http_conn_set_data()).
 */
typedef struct ew_http_response *(*ew_http_authorize_fn)(struct ew_http_req *req,
							  void *ctx);

enum ew_http_body {
	/* Body collected as is (may be empty), not parsed. */
	EW_HTTP_BODY_RAW = 0,
	/* A JSON object is required: none is 400, malformed or not an object
	 * is 422. */
	EW_HTTP_BODY_JSON,
	/* An empty body, or a JSON object (422 if malformed). */
	EW_HTTP_BODY_JSON_OPTIONAL,
};

/*
 * A route: "GET" + "/modules/{name}/logs". A {param} is a whole segment.
 * A table ends with an entry whose method is NULL. For a request, the
 * first entry matching path and method wins.
 */
struct ew_http_route {
	const char *method;
	const char *pattern;
	enum ew_http_body body;
	ew_http_authorize_fn authorize;	/* NULL: anyone who can connect */
	ew_http_handler_fn handler;
};

struct ew_http_server_opts {
	const char *name;		/* for log messages ("workload"), may be NULL */
	/* Accepted api-version values, NULL-ended; NULL: no api-version check.
	 * Must outlive the server. */
	const char *const *api_versions;
	unsigned int max_per_uid;	/* open connections per peer uid; 0: 10 */
	unsigned int max_connections;	/* all connections; 0: 128 */
	size_t body_limit;		/* bytes; 0: 1 MiB */
	unsigned int body_timeout_ms;	/* whole body after the headers; 0: 5000 */
	unsigned int idle_timeout_s;	/* a connection without traffic is closed; 0: 60 */
	/* Messages (syslog priorities; LOG_DEBUG has one line per request);
	 * NULL: stderr, LOG_INFO and above. Called from any of the server's
	 * threads, sometimes under its lock: it must not call back into the
	 * server. */
	void (*log)(void *log_cls, int priority, const char *msg);
	void *log_cls;
};

/**
 * ew_http_server_start() - serve @routes on the listening socket @fd
 * @fd:     from ew_http_listen_unix() or ew_listen_fds_take(); the server
 *          owns it from now on, on failure too
 * @routes: table ended by a NULL method; must outlive the server
 * @ctx:    passed to every handler and hook
 * @opts:   NULL for the defaults
 *
 * Return: the running server, or NULL with a message (a malformed route
 * table, libmicrohttpd refusing to start, ...).
 */
struct ew_http_server *ew_http_server_start(int fd,
					    const struct ew_http_route *routes,
					    void *ctx,
					    const struct ew_http_server_opts *opts,
					    char *err, size_t errlen);
/* Closes every connection (after the running handlers return) and frees. */
void ew_http_server_stop(struct ew_http_server *srv);
/* Connections open right now (refused ones included until they close). */
unsigned int ew_http_server_connections(struct ew_http_server *srv);

/* --- the request, for handlers and hooks --------------------------------- */

const char *ew_http_method(const struct ew_http_req *req);
/* The path as sent, still percent-encoded, without the query. */
const char *ew_http_path(const struct ew_http_req *req);
/* The decoded value of {name} in the route's pattern, NULL if none such:
 * never empty, never containing '/' or NUL. */
const char *ew_http_param(const struct ew_http_req *req, const char *name);
/* The decoded query value ("" for "?flag"), NULL when absent; the first
 * one when repeated. As in forms, '+' reads as a space and %2B as '+'. */
const char *ew_http_query(const struct ew_http_req *req, const char *name);
/* A request header, name case-insensitive; NULL when absent. */
const char *ew_http_header(const struct ew_http_req *req, const char *name);
/* The accepted api-version, NULL when the server checks none. */
const char *ew_http_api_version(const struct ew_http_req *req);
/* The body (NUL-terminated for convenience; NULL and 0 when empty). Only
 * in handlers: hooks run before it arrives. */
const char *ew_http_body(const struct ew_http_req *req, size_t *len);
/* The parsed body of a JSON route (an object), NULL when there was none;
 * owned by the request. */
const cJSON *ew_http_body_json(const struct ew_http_req *req);
const struct ew_http_peer *ew_http_peer(const struct ew_http_req *req);
/*
 * The connection's socket, for asking the kernel about its peer (attestation
 * by socket). Owned by libmicrohttpd: never read, write, close or change it.
 */
int ew_http_conn_fd(const struct ew_http_req *req);

/*
 * One opaque slot per connection, for an authorization verdict: it lives
 * as long as the connection (keep-alive requests share it). Setting it
 * destroys the previous value; @destroy (may be NULL) runs when the
 * connection closes. Only the connection's own handlers touch it, so no
 * locking is needed.
 */
void *ew_http_conn_data(const struct ew_http_req *req);
void ew_http_conn_set_data(struct ew_http_req *req, void *data,
			   void (*destroy)(void *data));

/* --- responses ------------------------------------------------------------ */

/* @body (owned from now on, freed on failure too) as application/json. */
struct ew_http_response *ew_http_reply_json(unsigned int status, cJSON *body);
/* 201 with @body. */
struct ew_http_response *ew_http_reply_created(cJSON *body);
/* A status without a body: 204 and the like. */
struct ew_http_response *ew_http_reply_empty(unsigned int status);
/* {"message":"..."} as application/json. */
struct ew_http_response *ew_http_reply_error(unsigned int status,
					     const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* @len bytes of @data (copied) with @content_type. */
struct ew_http_response *ew_http_reply_data(unsigned int status,
					    const char *content_type,
					    const void *data, size_t len);

#define EW_HTTP_STREAM_END (-1)
#define EW_HTTP_STREAM_ERROR (-2)
/*
 * Fills at most @max bytes of @buf: returns how many (> 0), 0 when there
 * is nothing yet (called again within ~50 ms), EW_HTTP_STREAM_END at the
 * end, EW_HTTP_STREAM_ERROR to abort. It runs on the connection's thread
 * and may block, but should return within about a second when idle so that
 * a client that went away or a stopping server is noticed.
 */
typedef ssize_t (*ew_http_stream_fn)(void *cls, char *buf, size_t max);

/**
 * ew_http_reply_stream() - a body produced piece by piece (chunked)
 *
 * For `logs?follow=true`: the connection has no idle timeout while it
 * streams and is closed after the end. @free_cls(@cls) runs exactly once,
 * whether or not the response is ever sent.
 */
struct ew_http_response *ew_http_reply_stream(unsigned int status,
					      const char *content_type,
					      ew_http_stream_fn fn, void *cls,
					      void (*free_cls)(void *cls));
/* Adds a header; 0 or -EINVAL (bad name/value) / -ENOMEM. */
int ew_http_reply_header(struct ew_http_response *resp, const char *name,
			 const char *value);
/* For a response a handler built but will not return. */
void ew_http_reply_free(struct ew_http_response *resp);

/*
 * Copies @src into @dst for echoing client input in messages: bytes
 * outside printable ASCII become \xHH, and a text longer than @dst holds
 * ends in "...". @dst is always terminated (@dstlen >= 4).
 */
void ew_http_quote(char *dst, size_t dstlen, const char *src);

/* --- base64 (standard alphabet, padding required, nothing else) ------------ */

/* NUL-terminated text, or NULL when out of memory. */
char *ew_http_b64_encode(const void *data, size_t len);
/*
 * Strict: length a multiple of 4, only A-Z a-z 0-9 + /, '=' only as one or
 * two final characters, unused bits zero; no whitespace. *out is allocated
 * (at least one byte, also for empty input). Return: 0, -EINVAL, -ENOMEM.
 */
int ew_http_b64_decode(const char *text, size_t len, unsigned char **out,
		       size_t *outlen);
/*
 * The string member @name of @obj, decoded into *out (allocated; NULL with
 * *outlen 0 when an optional member is absent or null). Return 0, or a
 * negative errno with *resp the answer for the handler to return as is:
 * 400 {"message":"missing parameter: NAME"} for a required member absent or
 * null, 400 {"message":"invalid parameter: NAME"} when it is not a string
 * or not strict base64 (NULL when out of memory, which the layer answers
 * with 500):
 *	if (ew_http_b64_member(json, "data", true, &data, &len, &resp))
 *		return resp;
 */
int ew_http_b64_member(const cJSON *obj, const char *name, bool required,
		       unsigned char **out, size_t *outlen,
		       struct ew_http_response **resp);

#endif /* EW_HTTP_H */
