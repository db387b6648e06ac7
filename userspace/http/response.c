// SPDX-License-Identifier: GPL-2.0-only
/*
 * Responses: the builders handlers use (JSON, {"message"} errors, empty,
 * raw data, streamed), queueing them on a connection, and the canned error
 * this layer writes itself where libmicrohttpd cannot answer (see
 * deadline.c).
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <syslog.h>

#include "http/internal.h"

/* How long an idle stream waits between two calls of its producer. */
#define STREAM_IDLE_MS 50

struct ew_http_stream {
	ew_http_stream_fn fn;
	void *cls;
	void (*free_cls)(void *cls);
	/* Set when queued. */
	struct ew_http_server *srv;
	int fd;
};

static struct ew_http_response *wrap(struct MHD_Response *m, unsigned int status,
				     const char *content_type)
{
	struct ew_http_response *r;

	if (!m)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r || (content_type &&
		   MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE,
					   content_type) != MHD_YES)) {
		free(r);
		MHD_destroy_response(m);
		return NULL;
	}
	r->mhd = m;
	r->status = status;
	return r;
}

static void free_json_text(void *text)
{
	cJSON_free(text);
}

struct ew_http_response *ew_http_reply_json(unsigned int status, cJSON *body)
{
	struct MHD_Response *m;
	char *text;

	if (!body)
		return NULL;
	text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	if (!text)
		return NULL;
	m = MHD_create_response_from_buffer_with_free_callback(strlen(text), text,
							       free_json_text);
	if (!m) {
		cJSON_free(text);
		return NULL;
	}
	return wrap(m, status, "application/json");
}

struct ew_http_response *ew_http_reply_created(cJSON *body)
{
	return ew_http_reply_json(MHD_HTTP_CREATED, body);
}

struct ew_http_response *ew_http_reply_empty(unsigned int status)
{
	return wrap(MHD_create_response_from_buffer(0, (void *)"",
						    MHD_RESPMEM_PERSISTENT),
		    status, NULL);
}

struct ew_http_response *ew_http_reply_error(unsigned int status,
					     const char *fmt, ...)
{
	cJSON *o;
	char *msg;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "message", msg)) {
		cJSON_Delete(o);
		free(msg);
		return NULL;
	}
	free(msg);
	return ew_http_reply_json(status, o);
}

struct ew_http_response *ew_http_reply_data(unsigned int status,
					    const char *content_type,
					    const void *data, size_t len)
{
	if (!data && len)
		return NULL;
	return wrap(MHD_create_response_from_buffer(len, data ? (void *)data : "",
						    MHD_RESPMEM_MUST_COPY),
		    status, content_type);
}

/*
 * libmicrohttpd's content reader. It never returns 0 ("nothing yet") to
 * libmicrohttpd, which in thread-per-connection mode would spin; it waits
 * here instead, watching for the client hanging up and the server stopping.
 */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct ew_http_stream *s = cls;

	(void)pos;
	for (;;) {
		struct pollfd p = { .fd = s->fd };
		ssize_t n;

		if (!s->srv || atomic_load(&s->srv->stopping))
			return MHD_CONTENT_READER_END_WITH_ERROR;
		n = s->fn(s->cls, buf, max);
		if (n > 0 && (size_t)n <= max)
			return n;
		if (n == EW_HTTP_STREAM_END)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (n != 0) {
			if (n > 0)
				ew_http_log(s->srv, LOG_ERR,
					    "stream producer returned %zd bytes "
					    "for a %zu-byte buffer", n, max);
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
		/* POLLHUP: the peer closed (or we shut down at stop). */
		if (poll(&p, 1, STREAM_IDLE_MS) > 0 &&
		    (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
}

static void stream_free(void *cls)
{
	struct ew_http_stream *s = cls;

	if (s->free_cls)
		s->free_cls(s->cls);
	free(s);
}

struct ew_http_response *ew_http_reply_stream(unsigned int status,
					      const char *content_type,
					      ew_http_stream_fn fn, void *cls,
					      void (*free_cls)(void *cls))
{
	struct ew_http_response *r;
	struct ew_http_stream *s;
	struct MHD_Response *m;

	s = calloc(1, sizeof(*s));
	if (!s || !fn) {
		free(s);
		if (free_cls)
			free_cls(cls);
		return NULL;
	}
	s->fn = fn;
	s->cls = cls;
	s->free_cls = free_cls;
	s->fd = -1;
	m = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read,
					      s, stream_free);
	if (!m) {
		stream_free(s);
		return NULL;
	}
	/* From here on, MHD_destroy_response() frees @s. */
	r = wrap(m, status, content_type);
	if (!r)
		return NULL;
	/* A stream has no idle timeout, so it does not stay open idle after. */
	if (MHD_add_response_header(m, MHD_HTTP_HEADER_CONNECTION, "close") != MHD_YES) {
		ew_http_reply_free(r);
		return NULL;
	}
	r->stream = s;
	return r;
}

static bool header_token_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s <= 0x20 || *s >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", *s))
			return false;
	return true;
}

static bool header_value_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t')
			return false;
	return true;
}

int ew_http_reply_header(struct ew_http_response *resp, const char *name,
			 const char *value)
{
	if (!resp || !name || !value || !header_token_ok(name) ||
	    !header_value_ok(value))
		return -EINVAL;
	return MHD_add_response_header(resp->mhd, name, value) == MHD_YES ?
	       0 : -ENOMEM;
}

void ew_http_reply_free(struct ew_http_response *resp)
{
	if (!resp)
		return;
	MHD_destroy_response(resp->mhd);
	free(resp);
}

enum MHD_Result ew_http_queue(struct ew_http_req *req,
			      struct ew_http_response *resp)
{
	enum MHD_Result ret;
	char path[160];

	if (!resp) {
		ew_http_log(req->srv, LOG_ERR, "%s request: no response (out of memory?)",
			    req->method);
		resp = ew_http_reply_error(MHD_HTTP_INTERNAL_SERVER_ERROR,
					   "internal error");
		if (!resp)
			return MHD_NO;
	}
	if (resp->stream) {
		resp->stream->srv = req->srv;
		resp->stream->fd = req->conn->fd;
		MHD_set_connection_option(req->mc, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
	}
	ret = MHD_queue_response(req->mc, resp->status, resp->mhd);
	ew_http_quote(path, sizeof(path), req->path);
	ew_http_log(req->srv, LOG_DEBUG, "pid %d uid %u: %s %s -> %u",
		    (int)req->conn->peer.pid, (unsigned int)req->conn->peer.uid,
		    req->method, path, resp->status);
	ew_http_reply_free(resp);
	return ret;
}

int ew_http_write_canned(int fd, unsigned int status, const char *message)
{
	const char *reason = MHD_get_reason_phrase_for(status);
	char head[256];
	struct iovec iov[2];
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
	cJSON *o;
	char *body;
	ssize_t n;
	int hl, ret = 0;

	o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "message", message)) {
		cJSON_Delete(o);
		return -ENOMEM;
	}
	body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!body)
		return -ENOMEM;
	hl = snprintf(head, sizeof(head),
		      "HTTP/1.1 %u %s\r\nContent-Type: application/json\r\n"
		      "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		      status, reason && *reason ? reason : "Error", strlen(body));
	iov[0].iov_base = head;
	iov[0].iov_len = (size_t)hl;
	iov[1].iov_base = body;
	iov[1].iov_len = strlen(body);
	/* Never blocks: the connection's thread and its peer may be stuck. */
	n = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n < iov[0].iov_len + iov[1].iov_len)
		ret = -EAGAIN;
	cJSON_free(body);
	return ret;
}

void ew_http_quote(char *dst, size_t dstlen, const char *src)
{
	size_t total = 0, o = 0, limit;
	const unsigned char *s;

	if (dstlen < 4) {
		if (dstlen)
			dst[0] = '\0';
		return;
	}
	for (s = (const unsigned char *)src; *s; s++)
		total += (*s >= 0x20 && *s < 0x7f && *s != '\\') ? 1 : 4;
	limit = total < dstlen ? dstlen - 1 : dstlen - 4;
	for (s = (const unsigned char *)src; *s; s++) {
		size_t tl = (*s >= 0x20 && *s < 0x7f && *s != '\\') ? 1 : 4;

		if (o + tl > limit)
			break;
		if (tl == 1)
			dst[o] = (char)*s;
		else
			snprintf(dst + o, 5, "\\x%02x", *s);
		o += tl;
	}
	if (total >= dstlen) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
}
