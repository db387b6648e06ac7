// SPDX-License-Identifier: GPL-2.0-only
/*
 * The configuration's references to things outside it: file URIs (turned
 * into the absolute paths they name), PKCS#11 URIs, key locations, https
 * URLs, the sockets the daemon listens on and connects to, Docker's
 * endpoint, IoT Hub connection strings and inline base64 keys. Key
 * material and passwords are never echoed in a message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

#include "daemon/config_internal.h"
#include "edgeward.h"
#include "http/http.h"
#include "util/hex.h"

/* A symmetric key as IoT Hub and DPS take it. */
#define SYM_KEY_MAX 64

/*
 * The path of a URI, percent-decoded into the arena: what it names must
 * be an absolute path, without a query or fragment (a '?' or '#' in a
 * file name is written %3F and %23), without NUL bytes or control
 * characters, shorter than @max.
 */
static int uri_path(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    const char *uri, const char *in, size_t max, const char **out)
{
	size_t len = strlen(in), o = 0, i;
	char q[CFG_QUOTE_MAX];
	char *buf;

	buf = cfg_alloc(c, len + 1);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)in[i];

		if (ch == '?' || ch == '#')
			return cfg_fail_at(c, v,
					   "\"%s\" must not have a query or fragment (write '?' as %%3F and '#' as %%23), not %s",
					   name, cfg_quote(q, sizeof(q), uri, strlen(uri)));
		if (ch < 0x20 || ch == 0x7f)
			return cfg_fail_at(c, v, "\"%s\" must not contain control characters",
					   name);
		if (ch == '%') {
			/* in is NUL-terminated: a short escape ends in a non-digit. */
			int hi = ew_hex_digit(in[i + 1]);
			int lo = hi >= 0 ? ew_hex_digit(in[i + 2]) : -1;

			if (hi < 0 || lo < 0)
				return cfg_fail_at(c, v,
						   "\"%s\" has a malformed percent-escape (\"%%XX\"): %s",
						   name, cfg_quote(q, sizeof(q), uri, strlen(uri)));
			ch = (unsigned char)(hi << 4 | lo);
			if (!ch)
				return cfg_fail_at(c, v, "\"%s\" must not contain %%00", name);
			i += 2;
		}
		buf[o++] = (char)ch;
	}
	buf[o] = '\0';
	if (o >= max)
		return cfg_fail_at(c, v, "\"%s\" names a path longer than %zu bytes", name,
				   max - 1);
	*out = buf;
	return 0;
}

/* The path part of "file:///p" or "file://localhost/p", or NULL. */
static const char *file_uri_rest(const char *s)
{
	if (strncmp(s, "file://", 7))
		return NULL;
	s += 7;
	if (!strncmp(s, "localhost/", 10))
		s += 9;
	return *s == '/' ? s : NULL;
}

static int file_uri(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    const char *s, const char **out)
{
	const char *rest = file_uri_rest(s);

	if (!rest)
		return cfg_wrong_value(c, v, name,
				       "a file URI with an absolute path (\"file:///path\")", s);
	return uri_path(c, v, name, s, rest, EW_PATH_MAX, out);
}

int cfg_file_uri(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		 const char **out)
{
	const char *s;
	int r = cfg_read_string(c, v, name, &s);

	return r ? r : file_uri(c, v, name, s, out);
}

int cfg_f_file(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
	       void *dst, const void *arg)
{
	(void)arg;
	return cfg_file_uri(c, v, name, dst);
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

int cfg_f_key(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
	      void *dst, const void *arg)
{
	struct ew_config_key *key = dst;
	const char *s;
	int r;

	(void)arg;
	r = cfg_read_string(c, v, name, &s);
	if (r)
		return r;
	if (!strncmp(s, "pkcs11:", 7)) {
		/* The PKCS#11 library is the judge of the rest (RFC 7512). */
		if (has_control(s))
			return cfg_fail_at(c, v, "\"%s\" must not contain control characters",
					   name);
		key->location = cfg_strdup(c, s, strlen(s));
		if (!key->location)
			return -ENOMEM;
		key->kind = EW_CONFIG_KEY_PKCS11;
		return 0;
	}
	if (!file_uri_rest(s))
		return cfg_wrong_value(c, v, name,
				       "a file URI (\"file:///path\") or a PKCS#11 URI (\"pkcs11:...\")",
				       s);
	r = file_uri(c, v, name, s, &key->location);
	if (r)
		return r;
	key->kind = EW_CONFIG_KEY_FILE;
	return 0;
}

int cfg_base64(struct cfg_ctx *c, const char *s, const unsigned char **out, size_t *len)
{
	size_t n = strlen(s), outlen;
	unsigned char *bin;
	char *padded;
	int r;

	/* Azure takes keys with or without their padding: add what is left out. */
	if (n % 4 == 1)
		return -EINVAL;
	padded = malloc(n + 3);
	if (!padded)
		return cfg_nomem(c);
	memcpy(padded, s, n);
	while (n % 4)
		padded[n++] = '=';
	r = ew_http_b64_decode(padded, n, &bin, &outlen);
	explicit_bzero(padded, n);
	free(padded);
	if (r == -ENOMEM)
		return cfg_nomem(c);
	if (r)
		return -EINVAL;
	*out = cfg_alloc(c, outlen ? outlen : 1);
	if (*out)
		memcpy((void *)*out, bin, outlen);
	explicit_bzero(bin, outlen);
	free(bin);
	if (!*out)
		return -ENOMEM;
	*len = outlen;
	return 0;
}

/*
 * Base64 @s as the symmetric key @key, for messages '"name"<what> is not
 * valid base64' (@what: "" for a key of its own, ": SharedAccessKey" for a
 * part of a connection string). The key itself is never quoted.
 */
static int sym_key_decode(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			  const char *what, const char *s, struct ew_config_key *key)
{
	int r = cfg_base64(c, s, &key->value, &key->value_len);

	if (r == -ENOMEM)
		return r;
	if (r)
		return cfg_fail_at(c, v, "\"%s\"%s is not valid base64", name, what);
	if (key->value_len < 1 || key->value_len > SYM_KEY_MAX)
		return cfg_fail_at(c, v, "\"%s\"%s must decode to 1 to %d bytes, not %zu", name,
				   what, SYM_KEY_MAX, key->value_len);
	key->kind = EW_CONFIG_KEY_VALUE;
	return 0;
}

static int sym_key_value(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			 void *dst, const void *arg)
{
	const char *s;
	int r;

	(void)arg;
	r = cfg_read_string(c, v, name, &s);
	return r ? r : sym_key_decode(c, v, name, "", s, dst);
}

static const struct cfg_field sym_key_fields[] = {
	{ "value", sym_key_value, 0, NULL },
	{ "uri", cfg_f_key, 0, NULL },
	{ NULL, NULL, 0, NULL },
};

int cfg_f_sym_key(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		  void *dst, const void *arg)
{
	char t[CFG_PATH_MAX + 16];
	int r;

	(void)arg;
	r = cfg_enter(c, v, name);
	if (r)
		return r;
	r = cfg_exclusive(c, v, "value", "uri");
	if (!r)
		r = cfg_walk(c, v, sym_key_fields, dst, NULL);
	if (!r && !ew_toml_table_len(v))
		r = cfg_fail_at(c, v, "missing key \"value\" or \"uri\"%s",
				cfg_in_table(c, t, sizeof(t)));
	cfg_pop(c);
	return r;
}

/* "host" or "host:port" of an authority: letters, digits, '-', '.', or [v6]. */
static bool authority_valid(const char *s, size_t len, bool need_port)
{
	size_t i = 0, host;
	unsigned long port = 0;

	if (len && s[0] == '[') {
		for (i = 1; i < len && s[i] != ']'; i++)
			if (ew_hex_digit(s[i]) < 0 && s[i] != ':' && s[i] != '.')
				return false;
		if (i == len || i < 3)
			return false;
		i++;
	} else {
		for (; i < len && s[i] != ':'; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
			      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '.'))
				return false;
	}
	host = i;
	if (!host)
		return false;
	if (i == len)
		return !need_port;
	if (s[i++] != ':' || i == len || len - i > 5)
		return false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		port = port * 10 + (unsigned long)(s[i] - '0');
	}
	return port >= 1 && port <= 65535;
}

int cfg_check_https(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    const char *s)
{
	const char *auth, *end;
	size_t i;

	if (strncasecmp(s, "https://", 8))
		goto bad;
	auth = strstr(s, "//") + 2;
	end = auth + strcspn(auth, "/?#");
	if (!authority_valid(auth, (size_t)(end - auth), false))
		goto bad;
	for (i = 0; end[i]; i++)
		if ((unsigned char)end[i] <= 0x20 || end[i] == 0x7f)
			goto bad;
	return 0;
bad:
	return cfg_wrong_value(c, v, name, "an https URL (\"https://host/path\")", s);
}

const cfg_check cfg_https_check = cfg_check_https;

int cfg_f_https(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		void *dst, const void *arg)
{
	(void)arg;
	return cfg_f_string(c, v, name, dst, &cfg_https_check);
}

/* "fd://" and systemd's FileDescriptorName=: printable ASCII without ':'. */
static bool fd_uri_valid(const char *uri)
{
	size_t n, i;

	if (strncmp(uri, "fd://", 5))
		return false;
	uri = strchr(uri, '/') + 2;
	n = strlen(uri);
	if (n < 1 || n > EW_LISTEN_FDNAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (uri[i] <= 0x20 || uri[i] >= 0x7f || uri[i] == ':')
			return false;
	return true;
}

static int sock_uri(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    struct ew_config_sock *sock, const char *s, bool fd_ok)
{
	const char *path;
	int r;

	if (!strncmp(s, "unix:///", 8)) {
		r = uri_path(c, v, name, s, s + 7, sizeof(((struct sockaddr_un *)0)->sun_path),
			     &path);
		if (r)
			return r;
		sock->kind = EW_CONFIG_SOCK_UNIX;
	} else if (fd_ok && fd_uri_valid(s)) {
		path = cfg_strdup(c, s + 5, strlen(s) - 5);
		if (!path)
			return -ENOMEM;
		sock->kind = EW_CONFIG_SOCK_FD;
	} else if (fd_ok) {
		return cfg_wrong_value(c, v, name,
				       "\"unix:///absolute/path\" or \"fd://name\" (a systemd socket)",
				       s);
	} else {
		return cfg_wrong_value(c, v, name, "\"unix:///absolute/path\"", s);
	}
	sock->uri = cfg_strdup(c, s, strlen(s));
	if (!sock->uri)
		return -ENOMEM;
	sock->path = path;
	return 0;
}

int cfg_f_sock(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
	       void *dst, const void *arg)
{
	const char *s;
	int r = cfg_read_string(c, v, name, &s);

	return r ? r : sock_uri(c, v, name, dst, s, arg != NULL);
}

int cfg_f_docker_uri(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		     void *dst, const void *arg)
{
	struct ew_config_sock sock;
	const char *s;
	int r;

	(void)arg;
	r = cfg_read_string(c, v, name, &s);
	if (r)
		return r;
	if (!strncmp(s, "unix:///", 8)) {
		r = sock_uri(c, v, name, &sock, s, false);
		if (r)
			return r;
		*(const char **)dst = sock.uri;
		return 0;
	}
	if (!strncmp(s, "tcp://", 6)) {
		size_t alen = strcspn(s + 6, "/");

		/* host:port and at most a "/": Docker takes no path here. */
		if (authority_valid(s + 6, alen, true) &&
		    (!s[6 + alen] || !strcmp(s + 6 + alen, "/")))
			return cfg_f_string(c, v, name, dst, NULL);
	}
	return cfg_wrong_value(c, v, name, "\"unix:///absolute/path\" or \"tcp://host:port\"", s);
}

/* --- connection strings --------------------------------------------------- */

enum {
	CS_HOST,
	CS_DEVICE,
	CS_KEY,
	CS_GATEWAY,
	CS_X509,
	CS_N,
};

static const char *const cs_names[CS_N] = {
	"HostName", "DeviceId", "SharedAccessKey", "GatewayHostName", "x509",
};

/*
 * "HostName=h;DeviceId=d;SharedAccessKey=k" with an optional
 * GatewayHostName; "x509=true" in place of the key means X.509 without a
 * key of ours. Names are case-sensitive, as IoT Hub writes them; each may
 * be given once; anything else is an error.
 */
int cfg_connection_string(struct cfg_ctx *c, const struct ew_toml_value *v,
			  struct ew_config_provisioning *p)
{
	static const char name[] = "connection_string";
	const char *parts[CS_N] = { 0 };
	char q[CFG_QUOTE_MAX];
	const char *s, *part;
	size_t idx = 0;
	int r, i;

	r = cfg_read_string(c, v, name, &s);
	if (r)
		return r;
	if (!*s)
		return cfg_fail_at(c, v, "\"%s\" must not be empty", name);
	for (part = s;; part += strcspn(part, ";") + 1) {
		size_t len = strcspn(part, ";");
		const char *eq = memchr(part, '=', len);

		idx++;
		if (!len)
			return cfg_fail_at(c, v, "\"%s\": part %zu is empty", name, idx);
		if (!eq)
			return cfg_fail_at(c, v, "\"%s\": part %zu is not Name=value", name, idx);
		for (i = 0; i < CS_N; i++)
			if (strlen(cs_names[i]) == (size_t)(eq - part) &&
			    !memcmp(part, cs_names[i], (size_t)(eq - part)))
				break;
		if (i == CS_N)
			return cfg_fail_at(c, v, "\"%s\": unknown part %s", name,
					   cfg_quote(q, sizeof(q), part, (size_t)(eq - part)));
		if (parts[i])
			return cfg_fail_at(c, v, "\"%s\" has %s twice", name, cs_names[i]);
		if (eq + 1 == part + len)
			return cfg_fail_at(c, v, "\"%s\": %s is empty", name, cs_names[i]);
		parts[i] = cfg_strdup(c, eq + 1, (size_t)(part + len - eq - 1));
		if (!parts[i])
			return -ENOMEM;
		if (!part[len])
			break;
	}
	if (!parts[CS_HOST])
		return cfg_fail_at(c, v, "\"%s\" has no HostName", name);
	if (!parts[CS_DEVICE])
		return cfg_fail_at(c, v, "\"%s\" has no DeviceId", name);
	r = cfg_check_hostname(c, v, "HostName", parts[CS_HOST]);
	if (!r)
		r = cfg_check_ident(c, v, "DeviceId", parts[CS_DEVICE]);
	if (!r && parts[CS_GATEWAY])
		r = cfg_check_hostname(c, v, "GatewayHostName", parts[CS_GATEWAY]);
	if (r)
		return r;
	if (parts[CS_KEY] && parts[CS_X509])
		return cfg_fail_at(c, v, "\"%s\": SharedAccessKey cannot be combined with x509",
				   name);
	if (parts[CS_X509]) {
		if (strcasecmp(parts[CS_X509], "true"))
			return cfg_fail_at(c, v, "\"%s\": x509 must be \"true\", not %s", name,
					   cfg_quote(q, sizeof(q), parts[CS_X509],
						     strlen(parts[CS_X509])));
		p->auth = EW_CONFIG_AUTH_X509;
	} else if (parts[CS_KEY]) {
		r = sym_key_decode(c, v, name, ": SharedAccessKey", parts[CS_KEY],
				   &p->device_id_pk);
		if (r)
			return r;
		p->auth = EW_CONFIG_AUTH_SAS;
	} else {
		return cfg_fail_at(c, v, "\"%s\" has no SharedAccessKey (nor x509=true)", name);
	}
	p->from_connection_string = true;
	p->iothub_hostname = parts[CS_HOST];
	p->device_id = parts[CS_DEVICE];
	p->gateway_hostname = parts[CS_GATEWAY];
	return 0;
}
