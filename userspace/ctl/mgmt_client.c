// SPDX-License-Identifier: GPL-2.0-only
/*
 * The management API client (see mgmt_client.h). One easy handle per
 * request: edgewardctl makes a few requests and exits, so nothing is kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include <curl/curl.h>

#include "mgmt_client.h"

/* Bytes of an error body kept to find its message in. */
#define ERROR_BODY_MAX (64u << 10)

/* What a transfer gathers: the body, or where a stream goes. */
struct transfer {
	CURL *curl;
	char *body;
	size_t len;
	size_t max;
	FILE *to;		/* a stream: successful bodies go here */
	bool too_big;
	bool write_failed;
};

char *ctl_mgmt_escape(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	char *out;

	/* curl's memory is freed by curl: hand out our own. */
	if (!e)
		return NULL;
	out = strdup(e);
	curl_free(e);
	return out;
}

char *ctl_mgmt_target(const char *path, const char *const *params)
{
	char *buf = NULL, *v, sep = strchr(path, '?') ? '&' : '?';
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bool ok;

	if (!f)
		return NULL;
	ok = fputs(path, f) >= 0;
	for (; ok && params && params[0]; params += 2) {
		if (!params[1])
			continue;
		v = ctl_mgmt_escape(params[1]);
		ok = v && fprintf(f, "%c%s=%s", sep, params[0], v) > 0;
		free(v);
		sep = '&';
	}
	ok = ok && fprintf(f, "%capi-version=%s", sep, CTL_MGMT_API_VERSION) > 0;
	if (fclose(f) || !ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

bool ctl_mgmt_not_running(int err)
{
	return err == -ENOENT || err == -ECONNREFUSED;
}

void ctl_mgmt_connect_error(int os_errno, const char *sock, char *out, size_t outlen)
{
	switch (os_errno) {
	case ENOENT:
	case ENOTDIR:
		snprintf(out, outlen, "edgewardd is not running (no socket at %s)", sock);
		break;
	case ECONNREFUSED:
		snprintf(out, outlen, "edgewardd is not running (nothing listens on %s)", sock);
		break;
	case EACCES:
	case EPERM:
		snprintf(out, outlen, "permission denied on %s", sock);
		break;
	default:
		snprintf(out, outlen, "cannot connect to %s: %s", sock,
			 os_errno ? strerror(os_errno) : "unknown error");
		break;
	}
}

/* @s into @out with control characters as \xNN: the daemon's text is shown, never obeyed. */
static void copy_escaped(const char *s, char *out, size_t outlen)
{
	size_t o = 0;
	char esc[5];

	for (; *s && o + 1 < outlen; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			if (o + 4 >= outlen)
				break;
			memcpy(out + o, esc, 4);
			o += 4;
		} else {
			out[o++] = (char)c;
		}
	}
	if (outlen)
		out[o] = '\0';
}

void ctl_mgmt_http_error(long status, const char *body, size_t len, char *out,
			 size_t outlen)
{
	cJSON *j = body && len ? cJSON_ParseWithLength(body, len) : NULL;
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
	int n;

	if (cJSON_IsString(m)) {
		n = snprintf(out, outlen, "edgewardd answered %ld: ", status);
		if (n > 0 && (size_t)n < outlen)
			copy_escaped(m->valuestring, out + n, outlen - (size_t)n);
	} else {
		snprintf(out, outlen, "edgewardd answered %ld without a message", status);
	}
	cJSON_Delete(j);
}

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;
	long status = 0;
	char *grown;

	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
	if (t->to && status == 200) {
		if (fwrite(data, 1, len, t->to) != len || fflush(t->to)) {
			t->write_failed = true;
			return 0;
		}
		return len;
	}
	/* A JSON reply, or an error's body: kept, up to a limit. */
	if (len > t->max - t->len) {
		t->too_big = true;
		return 0;
	}
	grown = realloc(t->body, t->len + len + 1);
	if (!grown)
		return 0;
	t->body = grown;
	memcpy(t->body + t->len, data, len);
	t->len += len;
	t->body[t->len] = '\0';
	return len;
}

/* The line for a failed transfer, and its errno. */
static int transfer_error(const struct transfer *t, CURLcode rc, const char *sock,
			  const char *curl_msg, char *err, size_t errlen)
{
	long os_errno = 0;

	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(t->curl, CURLINFO_OS_ERRNO, &os_errno);
		ctl_mgmt_connect_error((int)os_errno, sock, err, errlen);
		if (os_errno == ENOENT || os_errno == ENOTDIR)
			return -ENOENT;
		if (os_errno == ECONNREFUSED)
			return -ECONNREFUSED;
		if (os_errno == EACCES || os_errno == EPERM)
			return -EACCES;
		return -EIO;
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(err, errlen, "edgewardd did not answer in time on %s", sock);
		return -ETIMEDOUT;
	case CURLE_GOT_NOTHING:
		snprintf(err, errlen, "edgewardd closed the connection on %s without an answer",
			 sock);
		return -EPROTO;
	case CURLE_OUT_OF_MEMORY:
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	case CURLE_WRITE_ERROR:
		if (t->too_big) {
			snprintf(err, errlen, "edgewardd's answer is larger than %u bytes",
				 (unsigned int)t->max);
			return -EFBIG;
		}
		if (t->write_failed) {
			snprintf(err, errlen, "cannot write the output");
			return -EIO;
		}
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	default:
		snprintf(err, errlen, "talking to edgewardd on %s: %s", sock,
			 curl_msg[0] ? curl_msg : curl_easy_strerror(rc));
		return -EIO;
	}
}

/*
 * GETs @target into @t (a body, or t->to); 0, or a negative errno with the
 * line in @err. An HTTP status other than 200 is -EREMOTEIO.
 */
static int perform(struct transfer *t, const char *sock, const char *target,
		   long timeout_ms, bool stall_limit, char *err, size_t errlen)
{
	char curl_msg[CURL_ERROR_SIZE] = "", *url = NULL;
	long status = 0;
	CURLcode rc;

	if (strlen(sock) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		snprintf(err, errlen, "%s: too long for a Unix socket path (at most %zu bytes)",
			 sock, sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
		return -ENAMETOOLONG;
	}
	t->curl = curl_easy_init();
	if (!t->curl || asprintf(&url, "http://localhost%s", target) < 0) {
		if (t->curl)
			curl_easy_cleanup(t->curl);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = curl_easy_setopt(t->curl, CURLOPT_URL, url);
	if (!rc)
		rc = curl_easy_setopt(t->curl, CURLOPT_UNIX_SOCKET_PATH, sock);
	if (!rc)
		rc = curl_easy_setopt(t->curl, CURLOPT_ERRORBUFFER, curl_msg);
	if (!rc)
		rc = curl_easy_setopt(t->curl, CURLOPT_NOSIGNAL, 1L);
	if (!rc)
		rc = curl_easy_setopt(t->curl, CURLOPT_CONNECTTIMEOUT_MS,
				      (long)CTL_MGMT_CONNECT_TIMEOUT_MS);
	if (!rc)
		rc = curl_easy_setopt(t->curl, CURLOPT_TIMEOUT_MS, timeout_ms);
	if (!rc && stall_limit)
		rc = curl_easy_setopt(t->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	if (!rc && stall_limit)
		rc = curl_easy_setopt(t->curl, CURLOPT_LOW_SPEED_TIME, (long)CTL_MGMT_STALL_S);
	if (!rc)
		rc = curl_easy_setopt(t->curl, CURLOPT_WRITEFUNCTION, on_data);
	if (!rc)
		rc = curl_easy_setopt(t->curl, CURLOPT_WRITEDATA, t);
	if (!rc)
		rc = curl_easy_perform(t->curl);
	free(url);
	if (rc) {
		int r = transfer_error(t, rc, sock, curl_msg, err, errlen);

		curl_easy_cleanup(t->curl);
		return r;
	}
	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(t->curl);
	if (status != 200) {
		ctl_mgmt_http_error(status, t->body, t->len, err, errlen);
		return -EREMOTEIO;
	}
	return 0;
}

int ctl_mgmt_get_json(const char *sock, const char *target, cJSON **out,
		      char *err, size_t errlen)
{
	struct transfer t = { .max = CTL_MGMT_BODY_MAX };
	int r;

	*out = NULL;
	r = perform(&t, sock, target, CTL_MGMT_TIMEOUT_MS, false, err, errlen);
	if (!r) {
		*out = t.body ? cJSON_ParseWithLength(t.body, t.len) : NULL;
		if (!*out) {
			snprintf(err, errlen, "edgewardd's answer to %s is not JSON", target);
			r = -EPROTO;
		}
	}
	free(t.body);
	return r;
}

int ctl_mgmt_stream(const char *sock, const char *target, bool follow, FILE *to,
		    char *err, size_t errlen)
{
	struct transfer t = { .max = ERROR_BODY_MAX, .to = to };
	int r;

	r = perform(&t, sock, target, 0, !follow, err, errlen);
	free(t.body);
	return r;
}
