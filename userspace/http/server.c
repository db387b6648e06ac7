// SPDX-License-Identifier: GPL-2.0-only
/*
 * The server: a libmicrohttpd daemon on a listening socket we were given,
 * and the life of its connections: peer credentials taken at accept time,
 * the per-uid and global connection limits, the handlers' per-connection
 * slot.
 *
 * Threading: one thread per connection (libmicrohttpd's
 * MHD_USE_THREAD_PER_CONNECTION). Handlers block: HMAC and AES through a
 * PKCS#11 token or a TPM take tens to hundreds of milliseconds, attestation
 * is a netlink round trip, `logs?follow=true` streams for minutes. In
 * libmicrohttpd's pool mode a worker serves its connections one after the
 * other, so one blocked handler would stall every connection that worker
 * owns; making that asynchronous needs suspend/resume plus a second pool of
 * our own, for no gain at these loads (a gateway has tens of modules, each
 * with a few connections). The number of threads is bounded by the global
 * connection cap and, per client, by the per-uid limit; a thread costs
 * little more than the stack pages it touches.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "http/internal.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

#define DEFAULT_MAX_PER_UID 10
#define DEFAULT_MAX_CONNECTIONS 128
#define DEFAULT_BODY_LIMIT (1024 * 1024)
#define DEFAULT_BODY_TIMEOUT_MS 5000
#define DEFAULT_IDLE_TIMEOUT_S 60

void ew_http_log(struct ew_http_server *srv, int priority, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (srv->opts.log)
		srv->opts.log(srv->opts.log_cls, priority, buf);
	else if (priority <= LOG_INFO)
		fprintf(stderr, "edgeward %s API: %s\n", srv->name, buf);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct ew_http_server *srv = cls;
	char buf[400];
	size_t len;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	ew_http_log(srv, LOG_NOTICE, "libmicrohttpd: %s", buf);
}

/* --- per-uid connection counts (under srv->lock) ------------------------------ */

/* 0, -EUSERS when @uid is at its limit, -ENOMEM. */
static int uid_take(struct ew_http_server *srv, uid_t uid)
{
	struct ew_http_uid_count *u;
	size_t i;

	for (i = 0; i < srv->n_uids; i++) {
		u = &srv->uids[i];
		if (u->uid != uid)
			continue;
		if (u->n >= srv->opts.max_per_uid)
			return -EUSERS;
		u->n++;
		return 0;
	}
	if (srv->n_uids == srv->cap_uids) {
		size_t cap = srv->cap_uids ? srv->cap_uids * 2 : 8;

		u = realloc(srv->uids, cap * sizeof(*u));
		if (!u)
			return -ENOMEM;
		srv->uids = u;
		srv->cap_uids = cap;
	}
	srv->uids[srv->n_uids].uid = uid;
	srv->uids[srv->n_uids].n = 1;
	srv->n_uids++;
	return 0;
}

static void uid_release(struct ew_http_server *srv, uid_t uid)
{
	size_t i;

	for (i = 0; i < srv->n_uids; i++) {
		if (srv->uids[i].uid != uid)
			continue;
		if (--srv->uids[i].n == 0)
			srv->uids[i] = srv->uids[--srv->n_uids];
		return;
	}
}

/* --- connections --------------------------------------------------------------- */

static int peer_pidfd(struct ew_http_server *srv, int fd)
{
	socklen_t len;
	int pidfd = -1;

	len = sizeof(pidfd);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) == 0)
		return pidfd;
	/* ENOPROTOOPT: a kernel before 6.5. ESRCH: the peer is gone already. */
	if (errno != ENOPROTOOPT && errno != ESRCH)
		ew_http_log(srv, LOG_WARNING, "SO_PEERPIDFD: %s", strerror(errno));
	return -1;
}

static void conn_started(struct ew_http_server *srv, struct MHD_Connection *mc,
			 void **socket_context)
{
	const union MHD_ConnectionInfo *ci;
	struct ew_http_conn *c;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char why[128] = "";

	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci)
		return;	/* no context: the request handler refuses it */
	c = calloc(1, sizeof(*c));
	if (!c) {
		ew_http_log(srv, LOG_ERR, "out of memory: refusing a connection");
		shutdown(ci->connect_fd, SHUT_RDWR);
		return;
	}
	c->srv = srv;
	c->fd = ci->connect_fd;
	c->peer.pidfd = -1;
	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
		c->peer.pid = cred.pid;
		c->peer.uid = cred.uid;
		c->peer.gid = cred.gid;
		c->peer.pidfd = peer_pidfd(srv, c->fd);
	} else {
		snprintf(why, sizeof(why), "no peer credentials (%s)",
			 strerror(errno));
		c->refused = true;
	}

	pthread_mutex_lock(&srv->lock);
	c->next = srv->conns;
	if (srv->conns)
		srv->conns->prev = c;
	srv->conns = c;
	srv->n_conns++;
	if (!c->refused) {
		int r = uid_take(srv, c->peer.uid);

		c->counted = r == 0;
		c->refused = r != 0;
		if (r == -EUSERS)
			snprintf(why, sizeof(why),
				 "too many connections from uid %u (limit %u)",
				 (unsigned int)c->peer.uid, srv->opts.max_per_uid);
		else if (r)
			snprintf(why, sizeof(why), "out of memory");
	}
	if (c->refused) {
		ew_http_log(srv, LOG_WARNING, "refusing a connection of pid %d: %s",
			    (int)c->peer.pid, why);
		/* The others of this uid keep going; this one ends here. */
		ew_http_conn_abort_locked(c, MHD_HTTP_SERVICE_UNAVAILABLE, why);
	}
	pthread_mutex_unlock(&srv->lock);
	*socket_context = c;
}

static void conn_closed(struct ew_http_server *srv, struct ew_http_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&srv->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	srv->n_conns--;
	if (c->counted)
		uid_release(srv, c->peer.uid);
	pthread_mutex_unlock(&srv->lock);
	if (c->data_destroy)
		c->data_destroy(c->data);
	if (c->peer.pidfd >= 0)
		close(c->peer.pidfd);
	free(c);
}

static void on_connection(void *cls, struct MHD_Connection *mc,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct ew_http_server *srv = cls;

	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		conn_started(srv, mc, socket_context);
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		conn_closed(srv, *socket_context);
		*socket_context = NULL;
	}
}

/* Path and query stay as sent: request.c decodes them, segment by segment. */
static size_t keep_escaped(void *cls, struct MHD_Connection *mc, char *s)
{
	(void)cls;
	(void)mc;
	return strlen(s);
}

/* --- start and stop ------------------------------------------------------------- */

/*
 * On failure libmicrohttpd may or may not have closed the socket: close it
 * if it is still the socket we gave (sockfs inode numbers are unique among
 * open sockets, so a reused fd number is told apart).
 */
static void close_if_same(int fd, const struct stat *before)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && st.st_ino == before->st_ino &&
	    st.st_dev == before->st_dev)
		close(fd);
}

struct ew_http_server *ew_http_server_start(int fd,
					    const struct ew_http_route *routes,
					    void *ctx,
					    const struct ew_http_server_opts *opts,
					    char *err, size_t errlen)
{
	static const struct ew_http_server_opts defaults;
	struct ew_http_server *srv;
	struct stat st;
	char dummy[1];
	unsigned int flags;
	int ret;

	if (!err) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	if (fd < 0 || fstat(fd, &st) || !S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "fd %d is not a socket", fd);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv) {
		snprintf(err, errlen, "out of memory");
		close(fd);
		return NULL;
	}
	srv->opts = opts ? *opts : defaults;
	if (!srv->opts.max_per_uid)
		srv->opts.max_per_uid = DEFAULT_MAX_PER_UID;
	if (!srv->opts.max_connections)
		srv->opts.max_connections = DEFAULT_MAX_CONNECTIONS;
	if (!srv->opts.body_limit)
		srv->opts.body_limit = DEFAULT_BODY_LIMIT;
	if (!srv->opts.body_timeout_ms)
		srv->opts.body_timeout_ms = DEFAULT_BODY_TIMEOUT_MS;
	if (!srv->opts.idle_timeout_s)
		srv->opts.idle_timeout_s = DEFAULT_IDLE_TIMEOUT_S;
	snprintf(srv->name, sizeof(srv->name), "%s",
		 srv->opts.name ? srv->opts.name : "HTTP");
	srv->ctx = ctx;
	atomic_init(&srv->stopping, false);

	ret = ew_http_routes_compile(routes, &srv->routes, &srv->n_routes, err,
				     errlen);
	if (ret)
		goto fail;
	ret = pthread_mutex_init(&srv->lock, NULL);
	if (ret) {
		snprintf(err, errlen, "pthread_mutex_init: %s", strerror(ret));
		goto fail_routes;
	}
	if (ew_http_deadline_start(srv, err, errlen))
		goto fail_lock;

	flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
		MHD_USE_POLL | MHD_USE_ERROR_LOG;
	srv->mhd = MHD_start_daemon(flags, 0, NULL, NULL,
				    ew_http_on_request, srv,
				    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, srv,
				    MHD_OPTION_LISTEN_SOCKET, fd,
				    MHD_OPTION_CONNECTION_LIMIT,
				    srv->opts.max_connections,
				    MHD_OPTION_CONNECTION_TIMEOUT,
				    srv->opts.idle_timeout_s,
				    MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
				    MHD_OPTION_NOTIFY_COMPLETED,
				    ew_http_on_completed, srv,
				    MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, srv,
				    MHD_OPTION_END);
	if (!srv->mhd) {
		snprintf(err, errlen, "libmicrohttpd cannot serve fd %d", fd);
		ew_http_deadline_stop(srv);
		pthread_mutex_destroy(&srv->lock);
		ew_http_routes_free(srv->routes, srv->n_routes);
		free(srv);
		close_if_same(fd, &st);
		return NULL;
	}
	return srv;

fail_lock:
	pthread_mutex_destroy(&srv->lock);
fail_routes:
	ew_http_routes_free(srv->routes, srv->n_routes);
fail:
	free(srv);
	close(fd);
	return NULL;
}

void ew_http_server_stop(struct ew_http_server *srv)
{
	if (!srv)
		return;
	/* Streams notice this and end, so their threads can be joined. */
	atomic_store(&srv->stopping, true);
	MHD_stop_daemon(srv->mhd);
	ew_http_deadline_stop(srv);
	ew_http_routes_free(srv->routes, srv->n_routes);
	free(srv->uids);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}

unsigned int ew_http_server_connections(struct ew_http_server *srv)
{
	unsigned int n;

	pthread_mutex_lock(&srv->lock);
	n = srv->n_conns;
	pthread_mutex_unlock(&srv->lock);
	return n;
}
