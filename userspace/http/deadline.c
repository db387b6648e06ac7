// SPDX-License-Identifier: GPL-2.0-only
/*
 * Slow request bodies: 408 when a body is not complete within the body
 * timeout of its headers, whether it stalled or trickles in.
 *
 * libmicrohttpd only calls the request handler when data arrives, may not
 * queue a response while upload data is being delivered, and its own
 * connection timeout closes without answering; suspend/resume does not
 * exist in thread-per-connection mode and would stop the reading anyway.
 * So one thread per server watches the deadlines of the connections that
 * wait for a body, and when one passes it writes a complete 408 response
 * to the socket itself and shuts the socket down: libmicrohttpd's
 * connection thread then sees the end of the stream and closes the
 * connection the normal way (callbacks, counters, its fd), and the client
 * reads a proper response first (an AF_UNIX socket delivers what was
 * queued before the shutdown).
 *
 * Arming costs one lock: the watcher is woken only when it would wake too
 * late for the new deadline (it waits for nothing, or for a later time).
 * With one body timeout for all, a later arm never has an earlier deadline
 * than an armed one, so keep-alive traffic does not switch to the watcher
 * at every request.
 *
 * Races: the armed/aborted state lives under srv->lock. The handler
 * disarms under the lock before it answers, and gives up if the watcher
 * answered first, so there is never a second response. The watcher only
 * writes to armed connections, and a connection is disarmed (request
 * completed) and unlinked (connection closed) under the lock before
 * libmicrohttpd closes its fd, so the fd written to is always the right one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

#include "http/internal.h"

static void now_plus_ms(struct timespec *ts, unsigned int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

void ew_http_conn_abort_locked(struct ew_http_conn *c, unsigned int status,
			       const char *message)
{
	int ret;

	if (c->aborted)
		return;
	c->armed = false;
	c->aborted = true;
	ret = ew_http_write_canned(c->fd, status, message);
	if (ret)
		ew_http_log(c->srv, LOG_INFO, "pid %d uid %u: cannot send %u: %s",
			    (int)c->peer.pid, (unsigned int)c->peer.uid, status,
			    strerror(-ret));
	shutdown(c->fd, SHUT_RDWR);
}

void ew_http_conn_abort(struct ew_http_conn *c, unsigned int status,
			const char *message)
{
	pthread_mutex_lock(&c->srv->lock);
	ew_http_conn_abort_locked(c, status, message);
	pthread_mutex_unlock(&c->srv->lock);
}

void ew_http_deadline_arm(struct ew_http_conn *c)
{
	struct ew_http_server *srv = c->srv;

	pthread_mutex_lock(&srv->lock);
	if (!c->aborted) {
		now_plus_ms(&c->deadline, srv->opts.body_timeout_ms);
		c->armed = true;
		if (!srv->deadline_sleeping_timed ||
		    before(&c->deadline, &srv->deadline_wake))
			pthread_cond_signal(&srv->deadline_cond);
	}
	pthread_mutex_unlock(&srv->lock);
}

bool ew_http_deadline_disarm(struct ew_http_conn *c)
{
	bool ok;

	pthread_mutex_lock(&c->srv->lock);
	c->armed = false;
	ok = !c->aborted;
	pthread_mutex_unlock(&c->srv->lock);
	return ok;
}

static void *deadline_main(void *arg)
{
	struct ew_http_server *srv = arg;
	char msg[96];

	snprintf(msg, sizeof(msg), "request body not received within %u ms",
		 srv->opts.body_timeout_ms);
	pthread_mutex_lock(&srv->lock);
	while (!srv->deadline_stop) {
		struct timespec now, next;
		struct ew_http_conn *c;
		bool any = false;

		clock_gettime(CLOCK_MONOTONIC, &now);
		for (c = srv->conns; c; c = c->next) {
			if (!c->armed)
				continue;
			if (!before(&now, &c->deadline)) {
				ew_http_log(srv, LOG_INFO,
					    "pid %d uid %u: request body too slow: 408",
					    (int)c->peer.pid,
					    (unsigned int)c->peer.uid);
				ew_http_conn_abort_locked(c, MHD_HTTP_REQUEST_TIMEOUT,
							  msg);
				continue;
			}
			if (!any || before(&c->deadline, &next))
				next = c->deadline;
			any = true;
		}
		srv->deadline_sleeping_timed = any;
		if (any) {
			srv->deadline_wake = next;
			pthread_cond_timedwait(&srv->deadline_cond, &srv->lock, &next);
		} else {
			pthread_cond_wait(&srv->deadline_cond, &srv->lock);
		}
		srv->deadline_sleeping_timed = false;
	}
	pthread_mutex_unlock(&srv->lock);
	return NULL;
}

int ew_http_deadline_start(struct ew_http_server *srv, char *err, size_t errlen)
{
	pthread_condattr_t ca;
	int ret;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	ret = pthread_cond_init(&srv->deadline_cond, &ca);
	pthread_condattr_destroy(&ca);
	if (ret) {
		snprintf(err, errlen, "pthread_cond_init: %s", strerror(ret));
		return -ret;
	}
	srv->deadline_stop = false;
	srv->deadline_sleeping_timed = false;
	ret = pthread_create(&srv->deadline_thread, NULL, deadline_main, srv);
	if (ret) {
		pthread_cond_destroy(&srv->deadline_cond);
		snprintf(err, errlen, "cannot start the body deadline thread: %s",
			 strerror(ret));
		return -ret;
	}
	srv->deadline_running = true;
	return 0;
}

void ew_http_deadline_stop(struct ew_http_server *srv)
{
	if (!srv->deadline_running)
		return;
	pthread_mutex_lock(&srv->lock);
	srv->deadline_stop = true;
	pthread_cond_signal(&srv->deadline_cond);
	pthread_mutex_unlock(&srv->lock);
	pthread_join(srv->deadline_thread, NULL);
	pthread_cond_destroy(&srv->deadline_cond);
	srv->deadline_running = false;
}
