// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of http/: a real server on a Unix socket in a temporary directory,
 * spoken to by a small raw HTTP/1.1 client written here (bytes out, status
 * line, headers and body back), so what is checked is what goes over the
 * wire. Also the listening-socket code, socket activation and the helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "http/http.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

#define AV "api-version=2020-07-07"
#define BODY_LIMIT 1024

/* --- a raw HTTP/1.1 client --------------------------------------------------- */

struct client {
	int fd;
	size_t len;
	char buf[1 << 16];
};

struct reply {
	int status;
	char head[4096];	/* status line and headers */
	size_t body_len;
	char body[1 << 16];	/* NUL-terminated */
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int cl_connect(struct client *c, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	c->len = 0;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = -errno;

		close(c->fd);
		c->fd = -1;
		return e;
	}
	return 0;
}

static void cl_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int cl_send_n(struct client *c, const char *s, size_t len)
{
	while (len) {
		ssize_t n = send(c->fd, s, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static int cl_send(struct client *c, const char *s)
{
	return cl_send_n(c, s, strlen(s));
}

/* More bytes into the buffer: > 0 read, 0 EOF, -ETIMEDOUT, -errno. */
static int cl_fill(struct client *c, long deadline)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	long left = deadline - now_ms();
	ssize_t n;

	if (c->len == sizeof(c->buf))
		return -ENOBUFS;
	if (left <= 0 || poll(&p, 1, (int)left) <= 0)
		return -ETIMEDOUT;
	n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
	if (n < 0)
		return -errno;
	c->len += (size_t)n;
	return (int)n;
}

static void cl_consume(struct client *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

static const char *find_header(const char *head, const char *name, size_t *vlen)
{
	const char *line = strstr(head, "\r\n");
	size_t nl = strlen(name);

	while (line && line[2]) {
		const char *h = line + 2, *end = strstr(h, "\r\n");

		if (!end)
			break;
		if (!strncasecmp(h, name, nl) && h[nl] == ':') {
			h += nl + 1;
			while (*h == ' ')
				h++;
			*vlen = (size_t)(end - h);
			return h;
		}
		line = end;
	}
	return NULL;
}

static bool header_is(const struct reply *r, const char *name, const char *value)
{
	size_t len;
	const char *v = find_header(r->head, name, &len);

	return v && len == strlen(value) && !strncasecmp(v, value, len);
}

static bool has_header(const struct reply *r, const char *name)
{
	size_t len;

	return find_header(r->head, name, &len) != NULL;
}

/*
 * One response (without its body for a HEAD request): 0, -ETIMEDOUT,
 * -EPIPE (closed before a whole response).
 */
static int cl_read_ex(struct client *c, struct reply *r, int timeout_ms,
		      bool head)
{
	long deadline = now_ms() + timeout_ms;
	const char *v, *end;
	size_t hl, vlen;
	int n;

	memset(r, 0, sizeof(*r) - sizeof(r->body));
	r->body[0] = '\0';
	for (;;) {
		end = memmem(c->buf, c->len, "\r\n\r\n", 4);
		if (end)
			break;
		n = cl_fill(c, deadline);
		if (n == 0 || n == -ECONNRESET)
			return -EPIPE;
		if (n < 0)
			return n;
	}
	hl = (size_t)(end - c->buf) + 4;
	if (hl >= sizeof(r->head) || strncmp(c->buf, "HTTP/1.1 ", 9))
		return -EPROTO;
	memcpy(r->head, c->buf, hl);
	r->head[hl] = '\0';
	r->status = atoi(r->head + 9);
	cl_consume(c, hl);
	if (head)
		return 0;

	if ((v = find_header(r->head, "Transfer-Encoding", &vlen)) &&
	    !strncasecmp(v, "chunked", 7)) {
		for (;;) {
			size_t size;
			char *eol;

			while (!(eol = memmem(c->buf, c->len, "\r\n", 2))) {
				n = cl_fill(c, deadline);
				if (n <= 0)
					return n ? n : -EPIPE;
			}
			size = strtoul(c->buf, NULL, 16);
			while (c->len < (size_t)(eol - c->buf) + 2 + size + 2) {
				n = cl_fill(c, deadline);
				if (n <= 0)
					return n ? n : -EPIPE;
				eol = memmem(c->buf, c->len, "\r\n", 2);
			}
			if (r->body_len + size >= sizeof(r->body))
				return -ENOBUFS;
			memcpy(r->body + r->body_len, eol + 2, size);
			r->body_len += size;
			cl_consume(c, (size_t)(eol - c->buf) + 2 + size + 2);
			if (!size)
				break;
		}
	} else if ((v = find_header(r->head, "Content-Length", &vlen))) {
		size_t cl = strtoul(v, NULL, 10);

		if (cl >= sizeof(r->body))
			return -ENOBUFS;
		while (c->len < cl) {
			n = cl_fill(c, deadline);
			if (n <= 0)
				return n ? n : -EPIPE;
		}
		memcpy(r->body, c->buf, cl);
		r->body_len = cl;
		cl_consume(c, cl);
	}
	r->body[r->body_len] = '\0';
	return 0;
}

static int cl_read(struct client *c, struct reply *r, int timeout_ms)
{
	return cl_read_ex(c, r, timeout_ms, false);
}

/* Whether the server closed the connection (EOF or reset) within @ms. */
static bool cl_closed(struct client *c, int ms)
{
	long deadline = now_ms() + ms;
	int n;

	do {
		n = cl_fill(c, deadline);
	} while (n > 0);
	return n == 0 || n == -ECONNRESET;
}

/* One request on a new connection. */
static int roundtrip(const char *path, const char *request, struct reply *r)
{
	struct client c;
	int ret;

	ret = cl_connect(&c, path);
	if (ret)
		return ret;
	ret = cl_send(&c, request);
	if (!ret)
		ret = cl_read(&c, r, 5000);
	cl_close(&c);
	return ret;
}

static void get(const char *path, const char *target, struct reply *r)
{
	char req[1024];

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n",
		 target);
	if (roundtrip(path, req, r))
		r->status = -1;
}

static void post(const char *path, const char *target, const char *body,
		 struct reply *r)
{
	char req[4096];

	snprintf(req, sizeof(req),
		 "POST %s HTTP/1.1\r\nHost: localhost\r\n"
		 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
		 target, strlen(body), body);
	if (roundtrip(path, req, r))
		r->status = -1;
}

/* --- the server under test ------------------------------------------------------ */

struct tctx {
	atomic_int auth_calls;
	atomic_int verdicts_made;
	atomic_int verdicts_freed;
	atomic_int streams_freed;
	pthread_mutex_t log_lock;
	char log[16384];
	size_t log_len;
};

static void capture_log(void *cls, int priority, const char *msg)
{
	struct tctx *t = cls;
	size_t len = strlen(msg);

	(void)priority;
	pthread_mutex_lock(&t->log_lock);
	if (t->log_len + len + 2 < sizeof(t->log)) {
		memcpy(t->log + t->log_len, msg, len);
		t->log_len += len;
		t->log[t->log_len++] = '\n';
		t->log[t->log_len] = '\0';
	}
	pthread_mutex_unlock(&t->log_lock);
}

static bool logged(struct tctx *t, const char *what)
{
	bool found;

	pthread_mutex_lock(&t->log_lock);
	found = strstr(t->log, what) != NULL;
	pthread_mutex_unlock(&t->log_lock);
	return found;
}

static struct ew_http_response *h_list(struct ew_http_req *req, void *ctx)
{
	(void)req;
	(void)ctx;
	return ew_http_reply_json(200, cJSON_Parse("{\"modules\":[]}"));
}

static struct ew_http_response *h_module(struct ew_http_req *req, void *ctx)
{
	cJSON *o = cJSON_CreateObject();

	(void)ctx;
	cJSON_AddStringToObject(o, "name", ew_http_param(req, "name"));
	cJSON_AddStringToObject(o, "api", ew_http_api_version(req));
	if (ew_http_query(req, "x"))
		cJSON_AddStringToObject(o, "x", ew_http_query(req, "x"));
	if (ew_http_header(req, "x-test"))
		cJSON_AddStringToObject(o, "hdr", ew_http_header(req, "x-test"));
	return ew_http_reply_json(200, o);
}

static struct ew_http_response *h_delete(struct ew_http_req *req, void *ctx)
{
	(void)req;
	(void)ctx;
	return ew_http_reply_empty(204);
}

static struct ew_http_response *h_sign(struct ew_http_req *req, void *ctx)
{
	struct ew_http_response *resp;
	unsigned char *data;
	size_t len;
	cJSON *o;

	(void)ctx;
	if (ew_http_b64_member(ew_http_body_json(req), "data", true, &data, &len,
			       &resp))
		return resp;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", ew_http_param(req, "name"));
	cJSON_AddStringToObject(o, "genid", ew_http_param(req, "genid"));
	cJSON_AddNumberToObject(o, "len", (double)len);
	free(data);
	return ew_http_reply_json(200, o);
}

static struct ew_http_response *h_identity(struct ew_http_req *req, void *ctx)
{
	cJSON *o = cJSON_CreateObject();

	(void)ctx;
	cJSON_AddBoolToObject(o, "body", ew_http_body_json(req) != NULL);
	return ew_http_reply_created(o);
}

static struct ew_http_response *h_raw(struct ew_http_req *req, void *ctx)
{
	size_t len;
	const char *body = ew_http_body(req, &len);

	(void)ctx;
	return ew_http_reply_data(200, "application/octet-stream", body ? body : "",
				  len);
}

/* The peer as the handler sees it, with the pid behind the pidfd. */
static struct ew_http_response *h_peer(struct ew_http_req *req, void *ctx)
{
	const struct ew_http_peer *p = ew_http_peer(req);
	cJSON *o = cJSON_CreateObject();
	char path[64], line[128];
	struct ucred cred;
	socklen_t len;
	int fdpid = -1;
	FILE *f;

	(void)ctx;
	cJSON_AddNumberToObject(o, "pid", p->pid);
	cJSON_AddNumberToObject(o, "uid", p->uid);
	cJSON_AddNumberToObject(o, "gid", p->gid);
	if (p->pidfd >= 0) {
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", p->pidfd);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "Pid:", 4))
				fdpid = atoi(line + 4);
		if (f)
			fclose(f);
	}
	cJSON_AddNumberToObject(o, "pidfd_pid", fdpid);
	/* The socket handed out is this connection's. */
	len = sizeof(cred);
	if (getsockopt(ew_http_conn_fd(req), SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    cred.pid != p->pid)
		cJSON_AddStringToObject(o, "fd", "wrong");
	return ew_http_reply_json(200, o);
}

struct stream {
	struct tctx *t;
	int i, n, calls;
};

static ssize_t produce(void *cls, char *buf, size_t max)
{
	struct stream *s = cls;

	if (s->n < 0) {		/* forever idle */
		usleep(10000);
		return 0;
	}
	/* Every other call: nothing yet. */
	if (s->calls++ % 2)
		return 0;
	if (s->i >= s->n)
		return EW_HTTP_STREAM_END;
	return snprintf(buf, max, "line %d\n", s->i++);
}

static void stream_free(void *cls)
{
	struct stream *s = cls;

	atomic_fetch_add(&s->t->streams_freed, 1);
	free(s);
}

static struct ew_http_response *h_stream(struct ew_http_req *req, void *ctx)
{
	struct stream *s = calloc(1, sizeof(*s));
	const char *n = ew_http_query(req, "n");

	if (!s)
		return NULL;
	s->t = ctx;
	s->n = n ? atoi(n) : 0;
	if (!strcmp(n ? n : "", "forever"))
		s->n = -1;
	return ew_http_reply_stream(200, "text/plain; charset=utf-8", produce, s,
				    stream_free);
}

struct verdict {
	struct tctx *t;
	pid_t pid;
};

static void verdict_free(void *data)
{
	struct verdict *v = data;

	atomic_fetch_add(&v->t->verdicts_freed, 1);
	free(v);
}

/* Lets "ok" through, caching one verdict per connection. */
static struct ew_http_response *auth(struct ew_http_req *req, void *ctx)
{
	struct tctx *t = ctx;
	struct verdict *v = ew_http_conn_data(req);

	atomic_fetch_add(&t->auth_calls, 1);
	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v)
			return NULL;
		v->t = t;
		v->pid = ew_http_peer(req)->pid;
		ew_http_conn_set_data(req, v, verdict_free);
		atomic_fetch_add(&t->verdicts_made, 1);
	}
	if (strcmp(ew_http_param(req, "name"), "ok") || v->pid != getpid())
		return ew_http_reply_error(403, "forbidden");
	return NULL;
}

static const struct ew_http_route routes[] = {
	{ "GET", "/modules", EW_HTTP_BODY_RAW, NULL, h_list },
	{ "GET", "/modules/{name}", EW_HTTP_BODY_RAW, NULL, h_module },
	{ "DELETE", "/modules/{name}", EW_HTTP_BODY_RAW, NULL, h_delete },
	{ "POST", "/modules/{name}/genid/{genid}/sign", EW_HTTP_BODY_JSON, NULL,
	  h_sign },
	{ "POST", "/modules/{name}/certificate/identity",
	  EW_HTTP_BODY_JSON_OPTIONAL, NULL, h_identity },
	{ "POST", "/raw", EW_HTTP_BODY_RAW, NULL, h_raw },
	{ "GET", "/peer", EW_HTTP_BODY_RAW, NULL, h_peer },
	{ "GET", "/stream", EW_HTTP_BODY_RAW, NULL, h_stream },
	{ "GET", "/secret/{name}", EW_HTTP_BODY_RAW, auth, h_module },
	{ NULL },
};

static struct ew_http_server *start(struct tctx *t, const char *path,
				    unsigned int per_uid, unsigned int max_conns)
{
	struct ew_http_server_opts o = {
		.name = "test",
		.api_versions = ew_http_azure_api_versions,
		.max_per_uid = per_uid,
		.max_connections = max_conns,
		.body_limit = BODY_LIMIT,
		.body_timeout_ms = 1000,
		.log = capture_log,
		.log_cls = t,
	};
	char err[256];
	int fd;

	fd = ew_http_listen_unix(path, 0666, (gid_t)-1, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "listen: %s\n", err);
		return NULL;
	}
	return ew_http_server_start(fd, routes, t, &o, err, sizeof(err));
}

/* Waits (up to 2 s) until the server has @n connections open. */
static bool wait_connections(struct ew_http_server *srv, unsigned int n)
{
	long deadline = now_ms() + 2000;

	while (ew_http_server_connections(srv) != n) {
		if (now_ms() > deadline)
			return false;
		usleep(5000);
	}
	return true;
}

/*
 * A server per test, in a directory of its own. Not the harness's FIXTURE:
 * its TEST_F wrapper keeps a local across setjmp() that GCC may hold in a
 * register (-Wclobbered, fatal here). On a failed ASSERT the teardown is
 * skipped; the test's process ends right after anyway.
 */
struct env {
	char dir[64];
	char path[100];
	struct tctx *t;
	struct ew_http_server *srv;
};

static void env_setup(struct __test_metadata *_metadata, struct env *self)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/ew-http-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/api.sock", self->dir);
	self->t = calloc(1, sizeof(*self->t));
	ASSERT_NE(NULL, self->t);
	pthread_mutex_init(&self->t->log_lock, NULL);
	self->srv = start(self->t, self->path, 8, 0);
	ASSERT_NE(NULL, self->srv);
}

static void env_teardown(struct env *self)
{
	char p[200];

	ew_http_server_stop(self->srv);
	pthread_mutex_destroy(&self->t->log_lock);
	free(self->t);
	unlink(self->path);
	snprintf(p, sizeof(p), "%s/other.sock", self->dir);
	unlink(p);
	rmdir(self->dir);
}

#define SRV_TEST(name) \
	static void name##_body(struct __test_metadata *_metadata, \
				struct env *self); \
	TEST(name) \
	{ \
		struct env env; \
		env_setup(_metadata, &env); \
		name##_body(_metadata, &env); \
		env_teardown(&env); \
	} \
	static void name##_body(struct __test_metadata *_metadata, \
				struct env *self)

/* --- routing and conventions --------------------------------------------------- */

SRV_TEST(route_and_json_content_type)
{
	struct reply r;

	get(self->path, "/modules?" AV, &r);
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("{\"modules\":[]}", r.body);
	EXPECT_TRUE(header_is(&r, "Content-Type", "application/json"));

	get(self->path, "/modules/edgeAgent?" AV, &r);
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("{\"name\":\"edgeAgent\",\"api\":\"2020-07-07\"}", r.body);
}

SRV_TEST(unknown_path_is_404)
{
	static const char *const paths[] = {
		"/nope?" AV, "/nope", "/modules/?" AV, "//modules?" AV,
		"/modules/a/b?" AV, "/?" AV, "/modules/x/genid?" AV,
		"/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s?" AV,
	};
	struct reply r;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		get(self->path, paths[i], &r);
		EXPECT_EQ(404, r.status) TH_LOG("%s", paths[i]);
		EXPECT_STREQ("{\"message\":\"not found\"}", r.body) TH_LOG("%s", paths[i]);
		EXPECT_TRUE(header_is(&r, "Content-Type", "application/json"));
	}
}

SRV_TEST(wrong_method_is_400)
{
	struct client c;
	struct reply r;

	post(self->path, "/modules?" AV, "{}", &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"method not allowed\"}", r.body);
	EXPECT_TRUE(header_is(&r, "Content-Type", "application/json"));

	ASSERT_EQ(0, roundtrip(self->path, "PUT /modules/x?" AV " HTTP/1.1\r\n"
			       "Content-Length: 0\r\n\r\n", &r));
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"method not allowed\"}", r.body);

	/* Route first, then api-version (Azure's order). */
	ASSERT_EQ(0, cl_connect(&c, self->path));
	ASSERT_EQ(0, cl_send(&c, "HEAD /modules HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read_ex(&c, &r, 5000, true));
	EXPECT_EQ(400, r.status);
	/* An error before the body keeps a connection without one open. */
	ASSERT_EQ(0, cl_send(&c, "GET /modules?" AV " HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(200, r.status);
	cl_close(&c);
}

SRV_TEST(api_version_missing_or_unknown)
{
	struct reply r;

	get(self->path, "/modules", &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"api-version not specified\"}", r.body);
	EXPECT_TRUE(header_is(&r, "Content-Type", "application/json"));

	get(self->path, "/modules?x=1&api-version=2099-01-01", &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"invalid api-version \\\"2099-01-01\\\"\"}", r.body);

	get(self->path, "/modules?api-version=", &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"invalid api-version \\\"\\\"\"}", r.body);

	/* Echoed input is made printable. */
	get(self->path, "/modules?api-version=%01%22x", &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"invalid api-version \\\"\\\\x01\\\"x\\\"\"}",
		     r.body);

	/* Every accepted version, and one spelled with escapes. */
	for (const char *const *v = ew_http_azure_api_versions; *v; v++) {
		char target[64];

		snprintf(target, sizeof(target), "/modules?api-version=%s", *v);
		get(self->path, target, &r);
		EXPECT_EQ(200, r.status) TH_LOG("%s", *v);
	}
	get(self->path, "/modules/m?api-version=2022%2D08%2d03", &r);
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("{\"name\":\"m\",\"api\":\"2022-08-03\"}", r.body);

	get(self->path, "/modules?api-version=2020-07-07%zz", &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"invalid percent-encoding in query\"}", r.body);
}

SRV_TEST(path_segments_are_percent_decoded)
{
	struct reply r;

	get(self->path, "/modules/%24edgeHub?" AV, &r);
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("{\"name\":\"$edgeHub\",\"api\":\"2020-07-07\"}", r.body);
	get(self->path, "/modules/$edgeHub?" AV, &r);
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("{\"name\":\"$edgeHub\",\"api\":\"2020-07-07\"}", r.body);
	/* Literal segments too; '+' is not a space in a path. */
	get(self->path, "/%6dodules/a+b%20c?" AV "&x=a+b%2B", &r);
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("{\"name\":\"a+b c\",\"api\":\"2020-07-07\",\"x\":\"a b+\"}",
		     r.body);

	/* An encoded slash is not a separator and names nothing. */
	get(self->path, "/modules/a%2Fb?" AV, &r);
	EXPECT_EQ(404, r.status);
	EXPECT_STREQ("{\"message\":\"not found\"}", r.body);
	get(self->path, "/modules%2Fx?" AV, &r);
	EXPECT_EQ(404, r.status);

	/* NUL and malformed escapes. */
	get(self->path, "/modules/a%00b?" AV, &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"invalid percent-encoding in path\"}", r.body);
	get(self->path, "/modules/%zz?" AV, &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"invalid percent-encoding in path\"}", r.body);
	get(self->path, "/modules/ab%2?" AV, &r);
	EXPECT_EQ(400, r.status);
	get(self->path, "/modules/ab%?" AV, &r);
	EXPECT_EQ(400, r.status);
}

SRV_TEST(headers_case_insensitive_host_ignored)
{
	struct reply r;

	ASSERT_EQ(0, roundtrip(self->path,
			       "GET /modules/h?" AV " HTTP/1.1\r\n"
			       "hOsT: some.where.else:1234\r\nX-TEST: v1\r\n\r\n", &r));
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("{\"name\":\"h\",\"api\":\"2020-07-07\",\"hdr\":\"v1\"}", r.body);
	/* No Host at all is fine too. */
	ASSERT_EQ(0, roundtrip(self->path, "GET /modules?" AV " HTTP/1.1\r\n\r\n", &r));
	EXPECT_EQ(200, r.status);
}

SRV_TEST(no_content)
{
	struct reply r;

	ASSERT_EQ(0, roundtrip(self->path, "DELETE /modules/x?" AV " HTTP/1.1\r\n\r\n",
			       &r));
	EXPECT_EQ(204, r.status);
	EXPECT_EQ(0u, r.body_len);
}

/* --- bodies ---------------------------------------------------------------------- */

SRV_TEST(json_body)
{
	const char *t = "/modules/%24edgeHub/genid/637/sign?" AV;
	struct reply r;

	post(self->path, t, "{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\","
	     "\"data\":\"aGVsbG8=\"}", &r);
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("{\"name\":\"$edgeHub\",\"genid\":\"637\",\"len\":5}", r.body);

	post(self->path, t, "{\"data\":\"aGVsbG8=\"", &r);
	EXPECT_EQ(422, r.status);
	EXPECT_TRUE(header_is(&r, "Content-Type", "application/json"));
	EXPECT_EQ(0, strncmp(r.body, "{\"message\":\"malformed request body", 34))
		TH_LOG("%s", r.body);
	post(self->path, t, "[1]", &r);
	EXPECT_EQ(422, r.status);
	post(self->path, t, "{} x", &r);
	EXPECT_EQ(422, r.status);
	post(self->path, t, " ", &r);
	EXPECT_EQ(422, r.status);

	post(self->path, t, "", &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"missing parameter: request body\"}", r.body);
	ASSERT_EQ(0, roundtrip(self->path, "POST /modules/x/genid/1/sign?" AV
			       " HTTP/1.1\r\n\r\n", &r));
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"missing parameter: request body\"}", r.body);

	post(self->path, t, "{\"data\":\"aGVsbG8\"}", &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"invalid parameter: data\"}", r.body);
	post(self->path, t, "{\"data\":5}", &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"invalid parameter: data\"}", r.body);
	post(self->path, t, "{\"algo\":\"HMACSHA256\"}", &r);
	EXPECT_EQ(400, r.status);
	EXPECT_STREQ("{\"message\":\"missing parameter: data\"}", r.body);
}

SRV_TEST(optional_json_body)
{
	const char *t = "/modules/m/certificate/identity?" AV;
	struct reply r;

	post(self->path, t, "", &r);
	EXPECT_EQ(201, r.status);
	EXPECT_STREQ("{\"body\":false}", r.body);
	post(self->path, t, "{}", &r);
	EXPECT_EQ(201, r.status);
	EXPECT_STREQ("{\"body\":true}", r.body);
	post(self->path, t, "{", &r);
	EXPECT_EQ(422, r.status);
}

SRV_TEST(chunked_body)
{
	struct reply r;

	ASSERT_EQ(0, roundtrip(self->path,
			       "POST /raw?" AV " HTTP/1.1\r\n"
			       "Transfer-Encoding: chunked\r\n\r\n"
			       "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n", &r));
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("abcdefg", r.body);
}

SRV_TEST(body_too_large)
{
	char big[BODY_LIMIT + 200], req[BODY_LIMIT + 400];
	struct client c;
	struct reply r;

	/* Announced: refused before it is read. */
	snprintf(req, sizeof(req), "POST /raw?" AV " HTTP/1.1\r\n"
		 "Content-Length: %d\r\n\r\n", BODY_LIMIT + 1);
	ASSERT_EQ(0, roundtrip(self->path, req, &r));
	EXPECT_EQ(413, r.status);
	EXPECT_STREQ("{\"message\":\"request body too large (1025 bytes, limit 1024)\"}",
		     r.body);
	EXPECT_TRUE(header_is(&r, "Content-Type", "application/json"));

	/* Exactly the limit is fine. */
	memset(big, 'a', BODY_LIMIT);
	big[BODY_LIMIT] = '\0';
	snprintf(req, sizeof(req), "POST /raw?" AV " HTTP/1.1\r\n"
		 "Content-Length: %d\r\n\r\n%s", BODY_LIMIT, big);
	ASSERT_EQ(0, roundtrip(self->path, req, &r));
	EXPECT_EQ(200, r.status);
	EXPECT_EQ((size_t)BODY_LIMIT, r.body_len);

	/* Chunked: found out while reading. */
	ASSERT_EQ(0, cl_connect(&c, self->path));
	ASSERT_EQ(0, cl_send(&c, "POST /raw?" AV " HTTP/1.1\r\n"
			     "Transfer-Encoding: chunked\r\n\r\n"));
	memset(big, 'b', sizeof(big));
	snprintf(req, sizeof(req), "%zx\r\n", sizeof(big));
	ASSERT_EQ(0, cl_send(&c, req));
	cl_send_n(&c, big, sizeof(big));
	cl_send(&c, "\r\n0\r\n\r\n");
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(413, r.status);
	EXPECT_STREQ("{\"message\":\"request body too large (limit 1024 bytes)\"}",
		     r.body);
	EXPECT_TRUE(header_is(&r, "Content-Type", "application/json"));
	EXPECT_TRUE(cl_closed(&c, 2000));
	cl_close(&c);
}

/* How long a request on a connection of its own takes; -1 if it fails. */
static long other_connection_ms(const char *path)
{
	long t0 = now_ms();
	struct reply r;

	get(path, "/modules?" AV, &r);
	return r.status == 200 ? now_ms() - t0 : -1;
}

SRV_TEST(stalled_body_is_408)
{
	struct client c;
	struct reply r;
	long t0, ms;

	ASSERT_EQ(0, cl_connect(&c, self->path));
	t0 = now_ms();
	ASSERT_EQ(0, cl_send(&c, "POST /modules/m/genid/1/sign?" AV " HTTP/1.1\r\n"
			     "Content-Length: 20\r\n\r\n{\"data\""));
	usleep(100000);
	/* Another connection is served meanwhile: answered before this one. */
	EXPECT_LE(0, other_connection_ms(self->path));
	EXPECT_EQ(0, poll(&(struct pollfd){ .fd = c.fd, .events = POLLIN }, 1, 0));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	ms = now_ms() - t0;
	EXPECT_EQ(408, r.status);
	EXPECT_STREQ("{\"message\":\"request body not received within 1000 ms\"}",
		     r.body);
	EXPECT_TRUE(header_is(&r, "Content-Type", "application/json"));
	EXPECT_TRUE(header_is(&r, "Connection", "close"));
	EXPECT_LE(950, ms);
	EXPECT_GT(2500, ms);
	EXPECT_TRUE(cl_closed(&c, 2000));
	cl_close(&c);
	EXPECT_TRUE(logged(self->t, "request body too slow"));
	/* The server goes on. */
	EXPECT_LE(0, other_connection_ms(self->path));
}

SRV_TEST(trickled_body_is_408)
{
	struct client c;
	struct reply r;
	long t0, ms;
	int i, ret = -ETIMEDOUT;

	ASSERT_EQ(0, cl_connect(&c, self->path));
	t0 = now_ms();
	ASSERT_EQ(0, cl_send(&c, "POST /raw?" AV " HTTP/1.1\r\n"
			     "Content-Length: 100\r\n\r\n"));
	/* A byte every 100 ms: never idle, never done in time. */
	for (i = 0; i < 40 && ret == -ETIMEDOUT; i++) {
		cl_send_n(&c, "x", 1);
		ret = cl_read(&c, &r, 100);
	}
	ms = now_ms() - t0;
	ASSERT_EQ(0, ret);
	EXPECT_EQ(408, r.status);
	EXPECT_STREQ("{\"message\":\"request body not received within 1000 ms\"}",
		     r.body);
	EXPECT_LE(950, ms);
	EXPECT_GT(2500, ms);
	cl_close(&c);
	EXPECT_LE(0, other_connection_ms(self->path));
}

SRV_TEST(body_in_pieces_in_time)
{
	struct client c;
	struct reply r;

	ASSERT_EQ(0, cl_connect(&c, self->path));
	ASSERT_EQ(0, cl_send(&c, "POST /raw?" AV " HTTP/1.1\r\n"
			     "Content-Length: 6\r\n\r\nabc"));
	usleep(500000);
	ASSERT_EQ(0, cl_send(&c, "def"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("abcdef", r.body);
	/* And the deadline is gone with it: the connection stays usable. */
	usleep(800000);
	ASSERT_EQ(0, cl_send(&c, "GET /modules?" AV " HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(200, r.status);
	cl_close(&c);
}

/* --- connections ---------------------------------------------------------------- */

SRV_TEST(keep_alive)
{
	struct client c;
	struct reply r;

	ASSERT_EQ(0, cl_connect(&c, self->path));
	ASSERT_EQ(0, cl_send(&c, "GET /modules/one?" AV " HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(200, r.status);
	EXPECT_FALSE(header_is(&r, "Connection", "close"));
	EXPECT_STREQ("{\"name\":\"one\",\"api\":\"2020-07-07\"}", r.body);
	ASSERT_EQ(0, cl_send(&c, "POST /raw?" AV " HTTP/1.1\r\nContent-Length: 3\r\n"
			     "\r\nxyz"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("xyz", r.body);
	/* Pipelined, even. */
	ASSERT_EQ(0, cl_send(&c, "GET /modules/two?" AV " HTTP/1.1\r\n\r\n"
			     "GET /nope HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_STREQ("{\"name\":\"two\",\"api\":\"2020-07-07\"}", r.body);
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(404, r.status);
	EXPECT_FALSE(header_is(&r, "Connection", "close"));
	ASSERT_EQ(0, cl_send(&c, "GET /modules?api-version=1 HTTP/1.1\r\n\r\n"
			     "GET /modules/three?" AV " HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(400, r.status);
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_STREQ("{\"name\":\"three\",\"api\":\"2020-07-07\"}", r.body);
	EXPECT_EQ(1u, ew_http_server_connections(self->srv));
	cl_close(&c);
}

SRV_TEST(peer_credentials)
{
	struct reply r;
	char want[128];
	int sv[2], pidfd = -1;
	socklen_t len = sizeof(pidfd);
	bool kernel_has_pidfd;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	kernel_has_pidfd = getsockopt(sv[0], SOL_SOCKET, SO_PEERPIDFD, &pidfd,
				      &len) == 0;
	if (pidfd >= 0)
		close(pidfd);
	close(sv[0]);
	close(sv[1]);

	get(self->path, "/peer?" AV, &r);
	EXPECT_EQ(200, r.status);
	snprintf(want, sizeof(want), "{\"pid\":%d,\"uid\":%u,\"gid\":%u,\"pidfd_pid\":%d}",
		 (int)getpid(), (unsigned int)getuid(), (unsigned int)getgid(),
		 kernel_has_pidfd ? (int)getpid() : -1);
	EXPECT_STREQ(want, r.body);
}

SRV_TEST(per_uid_limit)
{
	struct ew_http_server *srv;
	struct client c[4];
	struct reply r;
	char path[200], want[128];
	int i;

	snprintf(path, sizeof(path), "%s/other.sock", self->dir);
	srv = start(self->t, path, 3, 0);
	ASSERT_NE(NULL, srv);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, cl_connect(&c[i], path));
		ASSERT_EQ(0, cl_send(&c[i], "GET /modules?" AV " HTTP/1.1\r\n\r\n"));
		ASSERT_EQ(0, cl_read(&c[i], &r, 5000));
		EXPECT_EQ(200, r.status);
	}
	/* The fourth of this uid is refused at once, with a reason. */
	ASSERT_EQ(0, cl_connect(&c[3], path));
	ASSERT_EQ(0, cl_read(&c[3], &r, 5000));
	EXPECT_EQ(503, r.status);
	snprintf(want, sizeof(want),
		 "{\"message\":\"too many connections from uid %u (limit 3)\"}",
		 (unsigned int)getuid());
	EXPECT_STREQ(want, r.body);
	EXPECT_TRUE(header_is(&r, "Content-Type", "application/json"));
	EXPECT_TRUE(cl_closed(&c[3], 2000));
	cl_close(&c[3]);
	EXPECT_TRUE(logged(self->t, "too many connections from uid"));

	/* The others were not disturbed. */
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, cl_send(&c[i], "GET /modules?" AV " HTTP/1.1\r\n\r\n"));
		ASSERT_EQ(0, cl_read(&c[i], &r, 5000));
		EXPECT_EQ(200, r.status);
	}
	/* A slot freed is a slot for the next. */
	cl_close(&c[0]);
	EXPECT_TRUE(wait_connections(srv, 2));
	ASSERT_EQ(0, cl_connect(&c[0], path));
	ASSERT_EQ(0, cl_send(&c[0], "GET /modules?" AV " HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c[0], &r, 5000));
	EXPECT_EQ(200, r.status);
	for (i = 0; i < 3; i++)
		cl_close(&c[i]);
	EXPECT_TRUE(wait_connections(srv, 0));
	ew_http_server_stop(srv);
}

SRV_TEST(global_connection_cap)
{
	struct ew_http_server *srv;
	struct client c[3];
	struct reply r;
	char path[200];
	int i;

	snprintf(path, sizeof(path), "%s/other.sock", self->dir);
	srv = start(self->t, path, 10, 2);
	ASSERT_NE(NULL, srv);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, cl_connect(&c[i], path));
		ASSERT_EQ(0, cl_send(&c[i], "GET /modules?" AV " HTTP/1.1\r\n\r\n"));
		ASSERT_EQ(0, cl_read(&c[i], &r, 5000));
		EXPECT_EQ(200, r.status);
	}
	/* A third gets nothing while two are open... */
	ASSERT_EQ(0, cl_connect(&c[2], path));
	cl_send(&c[2], "GET /modules?" AV " HTTP/1.1\r\n\r\n");
	EXPECT_NE(0, cl_read(&c[2], &r, 300));
	cl_close(&c[2]);
	/* ...the two keep working, and a freed slot is taken again. */
	ASSERT_EQ(0, cl_send(&c[1], "GET /modules?" AV " HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c[1], &r, 5000));
	EXPECT_EQ(200, r.status);
	cl_close(&c[0]);
	EXPECT_TRUE(wait_connections(srv, 1));
	ASSERT_EQ(0, cl_connect(&c[0], path));
	ASSERT_EQ(0, cl_send(&c[0], "GET /modules?" AV " HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c[0], &r, 5000));
	EXPECT_EQ(200, r.status);
	cl_close(&c[0]);
	cl_close(&c[1]);
	ew_http_server_stop(srv);
}

SRV_TEST(authorize_hook_and_connection_slot)
{
	struct client c;
	struct reply r;

	ASSERT_EQ(0, cl_connect(&c, self->path));
	ASSERT_EQ(0, cl_send(&c, "GET /secret/ok?" AV " HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(200, r.status);
	ASSERT_EQ(0, cl_send(&c, "GET /secret/ok?" AV " HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(200, r.status);
	ASSERT_EQ(0, cl_send(&c, "GET /secret/no?" AV " HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(403, r.status);
	EXPECT_STREQ("{\"message\":\"forbidden\"}", r.body);
	/* Not for routes without a hook, nor before route and api-version. */
	ASSERT_EQ(0, cl_send(&c, "GET /modules?" AV " HTTP/1.1\r\n\r\n"
			     "GET /secret/ok HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(400, r.status);
	EXPECT_EQ(3, atomic_load(&self->t->auth_calls));
	/* One verdict per connection, destroyed when it closes. */
	EXPECT_EQ(1, atomic_load(&self->t->verdicts_made));
	EXPECT_EQ(0, atomic_load(&self->t->verdicts_freed));
	cl_close(&c);
	EXPECT_TRUE(wait_connections(self->srv, 0));
	EXPECT_EQ(1, atomic_load(&self->t->verdicts_freed));

	/* A refusal before the body closes the connection unread. */
	ASSERT_EQ(0, cl_connect(&c, self->path));
	ASSERT_EQ(0, cl_send(&c, "GET /secret/no?" AV " HTTP/1.1\r\n"
			     "Content-Length: 5\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(403, r.status);
	EXPECT_TRUE(cl_closed(&c, 2000));
	cl_close(&c);
}

/* --- streams -------------------------------------------------------------------- */

SRV_TEST(streamed_response)
{
	struct reply r;

	get(self->path, "/stream?n=3&" AV, &r);
	EXPECT_EQ(200, r.status);
	EXPECT_TRUE(header_is(&r, "Transfer-Encoding", "chunked"));
	EXPECT_FALSE(has_header(&r, "Content-Length"));
	EXPECT_TRUE(header_is(&r, "Connection", "close"));
	EXPECT_TRUE(header_is(&r, "Content-Type", "text/plain; charset=utf-8"));
	EXPECT_STREQ("line 0\nline 1\nline 2\n", r.body);
	EXPECT_TRUE(wait_connections(self->srv, 0));
	EXPECT_EQ(1, atomic_load(&self->t->streams_freed));
}

SRV_TEST(stream_ends_when_client_leaves)
{
	struct client c;
	long deadline;

	ASSERT_EQ(0, cl_connect(&c, self->path));
	ASSERT_EQ(0, cl_send(&c, "GET /stream?n=forever&" AV " HTTP/1.1\r\n\r\n"));
	/* The headers come; the body never does. */
	deadline = now_ms() + 5000;
	while (!memmem(c.buf, c.len, "\r\n\r\n", 4))
		ASSERT_LT(0, cl_fill(&c, deadline));
	usleep(200000);
	EXPECT_EQ(0, atomic_load(&self->t->streams_freed));
	cl_close(&c);
	EXPECT_TRUE(wait_connections(self->srv, 0));
	EXPECT_EQ(1, atomic_load(&self->t->streams_freed));
}

SRV_TEST(stop_ends_streams)
{
	struct client c;
	long deadline, t0;

	ASSERT_EQ(0, cl_connect(&c, self->path));
	ASSERT_EQ(0, cl_send(&c, "GET /stream?n=forever&" AV " HTTP/1.1\r\n\r\n"));
	deadline = now_ms() + 5000;
	while (!memmem(c.buf, c.len, "\r\n\r\n", 4))
		ASSERT_LT(0, cl_fill(&c, deadline));
	t0 = now_ms();
	ew_http_server_stop(self->srv);
	self->srv = NULL;
	EXPECT_GT(2000, now_ms() - t0);
	EXPECT_EQ(1, atomic_load(&self->t->streams_freed));
	EXPECT_TRUE(cl_closed(&c, 2000));
	cl_close(&c);
	/* The listening socket went with the server. */
	EXPECT_EQ(-ECONNREFUSED, cl_connect(&c, self->path));
}

/* --- listening --------------------------------------------------------------------- */

struct tmpdir {
	char dir[64];
	char path[100];
};

static void dir_setup(struct __test_metadata *_metadata, struct tmpdir *self)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/ew-http-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/s.sock", self->dir);
}

static void dir_teardown(struct tmpdir *self)
{
	char p[200];

	unlink(self->path);
	snprintf(p, sizeof(p), "%s/target", self->dir);
	unlink(p);
	rmdir(self->dir);
}

#define DIR_TEST(name) \
	static void name##_body(struct __test_metadata *_metadata, \
				struct tmpdir *self); \
	TEST(name) \
	{ \
		struct tmpdir d; \
		dir_setup(_metadata, &d); \
		name##_body(_metadata, &d); \
		dir_teardown(&d); \
	} \
	static void name##_body(struct __test_metadata *_metadata, \
				struct tmpdir *self)

static mode_t mode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? (mode_t)-1 : st.st_mode;
}

DIR_TEST(listen_mode_exact_whatever_the_umask)
{
	char err[256];
	struct stat st;
	mode_t old = umask(0077);
	int fd;

	fd = ew_http_listen_unix(self->path, 0666, (gid_t)-1, err, sizeof(err));
	ASSERT_LE(0, fd) TH_LOG("%s", err);
	EXPECT_EQ((mode_t)(S_IFSOCK | 0666), mode_of(self->path));
	EXPECT_NE(-1, fcntl(fd, F_GETFD));
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	unlink(self->path);

	umask(0);
	fd = ew_http_listen_unix(self->path, 0660, getgid(), err, sizeof(err));
	ASSERT_LE(0, fd) TH_LOG("%s", err);
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_EQ((mode_t)(S_IFSOCK | 0660), st.st_mode);
	EXPECT_EQ(getgid(), st.st_gid);
	close(fd);
	umask(old);
}

DIR_TEST(listen_replaces_stale_socket)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct client c;
	char err[256];
	int s, fd;

	/* A socket file nobody listens on any more. */
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, s);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", self->path);
	ASSERT_EQ(0, bind(s, (struct sockaddr *)&sa, sizeof(sa)));
	close(s);
	ASSERT_EQ(-ECONNREFUSED, cl_connect(&c, self->path));

	fd = ew_http_listen_unix(self->path, 0666, (gid_t)-1, err, sizeof(err));
	ASSERT_LE(0, fd) TH_LOG("%s", err);
	ASSERT_EQ(0, cl_connect(&c, self->path));
	cl_close(&c);

	/* A live one is left alone. */
	EXPECT_EQ(-EADDRINUSE,
		  ew_http_listen_unix(self->path, 0666, (gid_t)-1, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "another server"));
	ASSERT_EQ(0, cl_connect(&c, self->path));
	cl_close(&c);
	close(fd);
}

DIR_TEST(listen_refuses_symlink_and_files)
{
	char target[200], err[256];
	int fd;

	snprintf(target, sizeof(target), "%s/target", self->dir);
	fd = open(target, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, symlink(target, self->path));
	err[0] = '\0';
	EXPECT_EQ(-ELOOP,
		  ew_http_listen_unix(self->path, 0666, (gid_t)-1, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "symbolic link")) TH_LOG("%s", err);
	EXPECT_TRUE(S_ISLNK(mode_of(self->path)));
	EXPECT_EQ((mode_t)(S_IFREG | 0600), mode_of(target));

	/* A dangling link is a link all the same. */
	unlink(target);
	EXPECT_EQ(-ELOOP,
		  ew_http_listen_unix(self->path, 0666, (gid_t)-1, err, sizeof(err)));
	EXPECT_EQ(-1, access(target, F_OK));
	unlink(self->path);

	fd = open(self->path, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-EEXIST,
		  ew_http_listen_unix(self->path, 0666, (gid_t)-1, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not a socket"));
	EXPECT_TRUE(S_ISREG(mode_of(self->path)));
}

DIR_TEST(listen_bad_arguments)
{
	char path[200], err[256];

	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, ew_http_listen_unix(path, 0666, (gid_t)-1, err,
						     sizeof(err)));
	EXPECT_EQ(-EINVAL, ew_http_listen_unix("", 0666, (gid_t)-1, err, sizeof(err)));
	EXPECT_EQ(-EINVAL, ew_http_listen_unix(self->path, 04666, (gid_t)-1, err,
					       sizeof(err)));
	EXPECT_EQ(-1, access(self->path, F_OK));
}

/* --- socket activation ------------------------------------------------------------ */

TEST(listen_fds_parse)
{
	struct ew_listen_fds s;
	char err[256];

	/* Not activated, or not for us. */
	EXPECT_EQ(0, ew_listen_fds_parse(NULL, "2", "a:b", 42, &s, err, sizeof(err)));
	EXPECT_EQ(0, ew_listen_fds_parse("41", "2", "a:b", 42, &s, err, sizeof(err)));
	EXPECT_EQ(0, ew_listen_fds_parse("42", NULL, NULL, 42, &s, err, sizeof(err)));
	EXPECT_EQ(0, ew_listen_fds_parse("42", "0", NULL, 42, &s, err, sizeof(err)));
	EXPECT_EQ(0u, s.n);

	EXPECT_EQ(2, ew_listen_fds_parse("42", "2", "workload:mgmt", 42, &s, err,
					 sizeof(err)));
	EXPECT_EQ(2u, s.n);
	EXPECT_EQ(3, s.fds[0].fd);
	EXPECT_STREQ("workload", s.fds[0].name);
	EXPECT_EQ(4, s.fds[1].fd);
	EXPECT_STREQ("mgmt", s.fds[1].name);
	EXPECT_EQ(4, ew_listen_fds_take(&s, "mgmt"));
	EXPECT_EQ(-ENOENT, ew_listen_fds_take(&s, "mgmt"));
	EXPECT_EQ(-ENOENT, ew_listen_fds_take(&s, "other"));
	EXPECT_EQ(3, ew_listen_fds_take(&s, "workload"));

	EXPECT_EQ(1, ew_listen_fds_parse("42", "1", NULL, 42, &s, err, sizeof(err)));
	EXPECT_STREQ("unknown", s.fds[0].name);
	EXPECT_EQ(16, ew_listen_fds_parse("42", "16", NULL, 42, &s, err, sizeof(err)));
	EXPECT_EQ(18, s.fds[15].fd);

	static const char *const bad[][3] = {
		{ "x", "1", NULL }, { "-42", "1", NULL }, { "+42", "1", NULL },
		{ " 42", "1", NULL }, { "", "1", NULL }, { "0", "1", NULL },
		{ "99999999999999999999", "1", NULL },
		{ "42", "x", NULL }, { "42", "-1", NULL }, { "42", "1 ", NULL },
		{ "42", "", NULL }, { "42", "17", NULL },
		{ "42", "99999999999999999999", NULL },
		{ "42", "2", "a" }, { "42", "2", "a:b:c" }, { "42", "1", "a:" },
		{ "42", "1", "a\nb" }, { "42", "0", "a" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, ew_listen_fds_parse(bad[i][0], bad[i][1], bad[i][2],
						       42, &s, err, sizeof(err)))
			TH_LOG("case %zu", i);
		EXPECT_NE('\0', err[0]);
		EXPECT_EQ(0u, s.n);
	}
}

/* What the child of listen_fds_from_env reports, one bit per failed check. */
static int activated_child(const char *dir)
{
	struct ew_listen_fds s;
	char path[200], err[256], pid[16];
	int a, b, bad = 0;

	snprintf(path, sizeof(path), "%s/a.sock", dir);
	a = ew_http_listen_unix(path, 0666, (gid_t)-1, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/b.sock", dir);
	b = ew_http_listen_unix(path, 0666, (gid_t)-1, err, sizeof(err));
	if (a < 0 || b < 0)
		return 1;
	/* Out of the way of 3 and 4 (a or b may be one of them). */
	a = fcntl(a, F_DUPFD, 10);
	b = fcntl(b, F_DUPFD, 10);
	close(3);
	close(4);
	/* As systemd passes them: fds 3 and 4, without close-on-exec. */
	if (dup2(a, 3) != 3 || dup2(b, 4) != 4)
		return 2;
	close(a);
	close(b);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "2", 1);
	setenv("LISTEN_FDNAMES", "mgmt:workload", 1);
	if (ew_listen_fds_from_env(&s, err, sizeof(err)) != 2)
		bad |= 4;
	if (getenv("LISTEN_PID") || getenv("LISTEN_FDS") || getenv("LISTEN_FDNAMES"))
		bad |= 8;
	if (!(fcntl(3, F_GETFD) & FD_CLOEXEC) || !(fcntl(4, F_GETFD) & FD_CLOEXEC))
		bad |= 16;
	if (ew_listen_fds_take(&s, "workload") != 4 || ew_listen_fds_take(&s, "mgmt") != 3)
		bad |= 32;

	/* An fd that is not a listening socket is refused. */
	close(4);
	if (socket(AF_UNIX, SOCK_STREAM, 0) != 4)	/* not listening */
		return 3;
	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "2", 1);
	unsetenv("LISTEN_FDNAMES");
	if (ew_listen_fds_from_env(&s, err, sizeof(err)) != -EINVAL ||
	    !strstr(err, "fd 4") || !strstr(err, "not listening"))
		bad |= 64;
	/* Someone else's variables: not ours, but gone all the same. */
	setenv("LISTEN_PID", "1", 1);
	setenv("LISTEN_FDS", "2", 1);
	if (ew_listen_fds_from_env(&s, err, sizeof(err)) != 0 || getenv("LISTEN_PID"))
		bad |= 128;
	return bad;
}

TEST(listen_fds_from_env)
{
	char dir[64], p[200];
	int status;
	pid_t pid;

	snprintf(dir, sizeof(dir), "/tmp/ew-http-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(dir));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(activated_child(dir));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	snprintf(p, sizeof(p), "%s/a.sock", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/b.sock", dir);
	unlink(p);
	rmdir(dir);
}

/* --- helpers ----------------------------------------------------------------------- */

TEST(base64_strict)
{
	static const char *const bad[] = {
		"a", "ab", "abc", "abcde", "a===", "ab=c", "=abc", "ab c", "abc\n",
		"YQ", "YR==", "YWJ=", "YQ==YQ==", "Y Q==", "YQ=\n", "-_==", "====",
	};
	unsigned char *out;
	size_t len, i;
	char *text;

	ASSERT_EQ(0, ew_http_b64_decode("aGVsbG8=", 8, &out, &len));
	EXPECT_EQ(5u, len);
	EXPECT_EQ(0, memcmp(out, "hello", 5));
	free(out);
	ASSERT_EQ(0, ew_http_b64_decode("", 0, &out, &len));
	EXPECT_EQ(0u, len);
	EXPECT_NE(NULL, out);
	free(out);
	ASSERT_EQ(0, ew_http_b64_decode("+/+/YQ==", 8, &out, &len));
	EXPECT_EQ(4u, len);
	EXPECT_EQ(0xfb, out[0]);
	EXPECT_EQ('a', out[3]);
	free(out);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, ew_http_b64_decode(bad[i], strlen(bad[i]), &out, &len))
			TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(NULL, out);
	}

	for (i = 0; i < 64; i++) {
		unsigned char data[64];
		size_t j;

		for (j = 0; j < i; j++)
			data[j] = (unsigned char)(j * 37 + i);
		text = ew_http_b64_encode(data, i);
		ASSERT_NE(NULL, text);
		EXPECT_EQ((i + 2) / 3 * 4, strlen(text));
		ASSERT_EQ(0, ew_http_b64_decode(text, strlen(text), &out, &len));
		EXPECT_EQ(i, len);
		EXPECT_EQ(0, memcmp(out, data, i));
		free(out);
		free(text);
	}
	text = ew_http_b64_encode("hello", 5);
	EXPECT_STREQ("aGVsbG8=", text);
	free(text);
}

TEST(base64_member)
{
	struct ew_http_response *resp = (void *)1;
	cJSON *o = cJSON_Parse("{\"a\":\"YQ==\",\"n\":null,\"x\":1,\"bad\":\"YQ\"}");
	unsigned char *out;
	size_t len;

	ASSERT_NE(NULL, o);
	EXPECT_EQ(0, ew_http_b64_member(o, "a", true, &out, &len, &resp));
	EXPECT_EQ(NULL, resp);
	EXPECT_EQ(1u, len);
	free(out);
	EXPECT_EQ(0, ew_http_b64_member(o, "missing", false, &out, &len, &resp));
	EXPECT_EQ(NULL, out);
	EXPECT_EQ(0, ew_http_b64_member(o, "n", false, &out, &len, &resp));
	EXPECT_EQ(NULL, out);
	EXPECT_EQ(-EINVAL, ew_http_b64_member(o, "missing", true, &out, &len, &resp));
	EXPECT_NE(NULL, resp);
	ew_http_reply_free(resp);
	EXPECT_EQ(-EINVAL, ew_http_b64_member(o, "x", true, &out, &len, &resp));
	ew_http_reply_free(resp);
	EXPECT_EQ(-EINVAL, ew_http_b64_member(o, "bad", false, &out, &len, &resp));
	EXPECT_NE(NULL, resp);
	ew_http_reply_free(resp);
	cJSON_Delete(o);
}

TEST(quote)
{
	char buf[12];

	ew_http_quote(buf, sizeof(buf), "abc");
	EXPECT_STREQ("abc", buf);
	ew_http_quote(buf, sizeof(buf), "a\x01\\b");
	EXPECT_STREQ("a\\x01\\x5cb", buf);
	ew_http_quote(buf, sizeof(buf), "0123456789a");
	EXPECT_STREQ("0123456789a", buf);
	ew_http_quote(buf, sizeof(buf), "0123456789ab");
	EXPECT_STREQ("01234567...", buf);
	ew_http_quote(buf, sizeof(buf), "0123456\xff");
	EXPECT_STREQ("0123456\\xff", buf);
	/* An escape is never cut. */
	ew_http_quote(buf, sizeof(buf), "0123456\xff\xff");
	EXPECT_STREQ("0123456...", buf);
	ew_http_quote(buf, 4, "abcd");
	EXPECT_STREQ("...", buf);
}

static struct ew_http_response *h_none(struct ew_http_req *req, void *ctx)
{
	(void)req;
	(void)ctx;
	return NULL;
}

TEST(route_tables_checked)
{
	static const struct ew_http_route bad[][2] = {
		{ { "GET", "modules", 0, NULL, h_none }, { NULL } },
		{ { "get", "/modules", 0, NULL, h_none }, { NULL } },
		{ { "GET", "/modules/", 0, NULL, h_none }, { NULL } },
		{ { "GET", "/a//b", 0, NULL, h_none }, { NULL } },
		{ { "GET", "/a/{x}/{x}", 0, NULL, h_none }, { NULL } },
		{ { "GET", "/a/{x-y}", 0, NULL, h_none }, { NULL } },
		{ { "GET", "/a/{}", 0, NULL, h_none }, { NULL } },
		{ { "GET", "/a%20b", 0, NULL, h_none }, { NULL } },
		{ { "GET", "/a", 0, NULL, NULL }, { NULL } },
		{ { "GET", "/a", 7, NULL, h_none }, { NULL } },
		{ { NULL } },
	};
	char err[256];
	size_t i;
	int sv[2];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
		err[0] = '\0';
		EXPECT_EQ(NULL, ew_http_server_start(sv[0], bad[i], NULL, NULL, err,
						     sizeof(err))) TH_LOG("case %zu", i);
		EXPECT_NE('\0', err[0]);
		/* The server took the fd, on failure too. */
		EXPECT_EQ(-1, fcntl(sv[0], F_GETFD));
		close(sv[1]);
	}
	EXPECT_EQ(NULL, ew_http_server_start(-1, routes, NULL, NULL, err, sizeof(err)));
}

/* --- the benchmark baseline --------------------------------------------------------- */

TEST(http_echo_tool)
{
	char exe[PATH_MAX], tool[PATH_MAX + 32], dir[64], path[128], line[256];
	struct reply r;
	struct client c;
	ssize_t n;
	int pipefd[2], status;
	pid_t pid;
	FILE *f;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, n);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(tool, sizeof(tool), "%s/../tools/http_echo", exe);
	if (access(tool, X_OK))
		SKIP(return, "%.900s not built", tool);
	snprintf(dir, sizeof(dir), "/tmp/ew-http-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/echo.sock", dir);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		execl(tool, tool, path, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	f = fdopen(pipefd[0], "r");
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	EXPECT_NE(NULL, strstr(line, path));

	ASSERT_EQ(0, cl_connect(&c, path));
	ASSERT_EQ(0, cl_send(&c, "POST /anything HTTP/1.1\r\nContent-Length: 11\r\n\r\n"
			     "{\"a\":\"b\"}\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("{\"a\":\"b\"}\r\n", r.body);
	ASSERT_EQ(0, cl_send(&c, "GET /x/y HTTP/1.1\r\n\r\n"));
	ASSERT_EQ(0, cl_read(&c, &r, 5000));
	EXPECT_EQ(200, r.status);
	EXPECT_STREQ("/x/y", r.body);
	cl_close(&c);

	kill(pid, SIGTERM);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	fclose(f);
	unlink(path);
	rmdir(dir);
}

TEST_HARNESS_MAIN
