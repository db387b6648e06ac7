// SPDX-License-Identifier: GPL-2.0-only
/*
 * Routing: route tables compiled once at server start, request paths split
 * into percent-decoded segments, and the match of one against the other.
 *
 * Segments are decoded one by one after splitting on the raw '/', so an
 * encoded slash (%2F) stays inside its segment; since no name this daemon
 * serves may contain '/', such a segment matches nothing (404) rather than
 * being smuggled into a {param}. %00 is refused outright: every value ends
 * up in C strings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "util/hex.h"

int ew_http_pct_decode(const char *in, size_t len, char *out, size_t *outlen)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		int hi, lo;

		if (in[i] != '%') {
			out[o++] = in[i];
			continue;
		}
		if (len - i < 3)
			return -EINVAL;
		hi = ew_hex_digit(in[i + 1]);
		lo = ew_hex_digit(in[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return -EINVAL;
		out[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return 0;
}

void ew_http_path_free(struct ew_http_path *p)
{
	unsigned int i;

	for (i = 0; i < p->n_segs; i++) {
		free(p->segs[i]);
		p->segs[i] = NULL;
	}
	p->n_segs = 0;
}

int ew_http_path_decode(const char *path, struct ew_http_path *p)
{
	const char *s, *end;
	int ret;

	memset(p, 0, sizeof(*p));
	/* Only origin-form ("/..."): anything else names no route. */
	if (path[0] != '/') {
		p->unroutable = true;
		return 0;
	}
	if (path[1] == '\0')
		return 0;
	for (s = path + 1;; s = end + 1) {
		size_t len, dlen;
		char *seg;

		end = strchr(s, '/');
		if (!end)
			end = s + strlen(s);
		if (p->n_segs == EW_HTTP_MAX_SEGMENTS) {
			p->unroutable = true;
			return 0;
		}
		len = (size_t)(end - s);
		seg = malloc(len + 1);
		if (!seg) {
			ew_http_path_free(p);
			return -ENOMEM;
		}
		ret = ew_http_pct_decode(s, len, seg, &dlen);
		if (ret) {
			free(seg);
			ew_http_path_free(p);
			return ret;
		}
		p->slash[p->n_segs] = memchr(seg, '/', dlen) != NULL;
		p->segs[p->n_segs++] = seg;
		if (*end == '\0')
			return 0;
	}
}

enum ew_http_match ew_http_route_match(const struct ew_http_croute *routes,
				       size_t n, const char *method,
				       struct ew_http_path *p,
				       const struct ew_http_croute **route,
				       struct ew_http_param *params,
				       unsigned int *n_params)
{
	bool path_known = false;
	size_t r;
	unsigned int i;

	if (p->unroutable)
		return EW_HTTP_NOT_FOUND;
	for (r = 0; r < n; r++) {
		const struct ew_http_croute *cr = &routes[r];
		bool ok = cr->n_segs == p->n_segs;

		for (i = 0; ok && i < cr->n_segs; i++) {
			if (p->slash[i])
				ok = false;
			else if (cr->segs[i].param)
				ok = p->segs[i][0] != '\0';
			else
				ok = strcmp(cr->segs[i].text, p->segs[i]) == 0;
		}
		if (!ok)
			continue;
		path_known = true;
		if (strcmp(cr->route->method, method) != 0)
			continue;
		*route = cr;
		*n_params = 0;
		for (i = 0; i < cr->n_segs; i++) {
			if (!cr->segs[i].param)
				continue;
			params[*n_params].name = cr->segs[i].text;
			params[*n_params].value = p->segs[i];
			p->segs[i] = NULL;
			(*n_params)++;
		}
		return EW_HTTP_MATCHED;
	}
	return path_known ? EW_HTTP_BAD_METHOD : EW_HTTP_NOT_FOUND;
}

/* --- route tables ------------------------------------------------------------ */

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Literal segments: what a client can send unencoded (RFC 3986 pchar minus
 * '%', which would make the literal mean something else decoded). */
static bool is_literal_char(char c)
{
	return is_name_char(c) || (c && strchr("-.~!$&'()*+,;=:@", c));
}

static bool is_method(const char *m)
{
	if (!m[0])
		return false;
	for (; *m; m++)
		if (*m < 'A' || *m > 'Z')
			return false;
	return true;
}

static int compile_one(const struct ew_http_route *rt, struct ew_http_croute *cr,
		       char *err, size_t errlen)
{
	const char *s, *end;
	unsigned int i, j;

	cr->route = rt;
	if (!is_method(rt->method)) {
		snprintf(err, errlen, "route %s: bad method \"%s\"",
			 rt->pattern ? rt->pattern : "(null)", rt->method);
		return -EINVAL;
	}
	if (!rt->pattern || rt->pattern[0] != '/') {
		snprintf(err, errlen, "route %s %s: pattern must start with '/'",
			 rt->method, rt->pattern ? rt->pattern : "(null)");
		return -EINVAL;
	}
	if (!rt->handler) {
		snprintf(err, errlen, "route %s %s: no handler", rt->method,
			 rt->pattern);
		return -EINVAL;
	}
	if (rt->body != EW_HTTP_BODY_RAW && rt->body != EW_HTTP_BODY_JSON &&
	    rt->body != EW_HTTP_BODY_JSON_OPTIONAL) {
		snprintf(err, errlen, "route %s %s: bad body kind %d", rt->method,
			 rt->pattern, (int)rt->body);
		return -EINVAL;
	}
	if (rt->pattern[1] == '\0')
		return 0;
	for (s = rt->pattern + 1;; s = end + 1) {
		struct ew_http_seg *seg;
		size_t len;
		bool ok = true;

		end = strchr(s, '/');
		if (!end)
			end = s + strlen(s);
		len = (size_t)(end - s);
		if (cr->n_segs == EW_HTTP_MAX_SEGMENTS) {
			snprintf(err, errlen, "route %s %s: more than %d segments",
				 rt->method, rt->pattern, EW_HTTP_MAX_SEGMENTS);
			return -EINVAL;
		}
		seg = &cr->segs[cr->n_segs];
		if (len >= 3 && s[0] == '{' && s[len - 1] == '}') {
			seg->param = true;
			for (i = 1; i + 1 < len; i++)
				ok = ok && is_name_char(s[i]);
			seg->text = ok ? strndup(s + 1, len - 2) : NULL;
		} else {
			ok = len > 0;
			for (i = 0; i < len; i++)
				ok = ok && is_literal_char(s[i]);
			seg->text = ok ? strndup(s, len) : NULL;
		}
		if (!ok) {
			snprintf(err, errlen, "route %s %s: bad segment \"%.*s\"",
				 rt->method, rt->pattern, (int)len, s);
			return -EINVAL;
		}
		if (!seg->text) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		cr->n_segs++;
		if (*end == '\0')
			break;
	}
	for (i = 0; i < cr->n_segs; i++)
		for (j = i + 1; j < cr->n_segs; j++)
			if (cr->segs[i].param && cr->segs[j].param &&
			    !strcmp(cr->segs[i].text, cr->segs[j].text)) {
				snprintf(err, errlen, "route %s %s: {%s} twice",
					 rt->method, rt->pattern, cr->segs[i].text);
				return -EINVAL;
			}
	return 0;
}

void ew_http_routes_free(struct ew_http_croute *r, size_t n)
{
	size_t i;
	unsigned int j;

	if (!r)
		return;
	for (i = 0; i < n; i++)
		for (j = 0; j < r[i].n_segs; j++)
			free(r[i].segs[j].text);
	free(r);
}

int ew_http_routes_compile(const struct ew_http_route *routes,
			   struct ew_http_croute **out, size_t *n,
			   char *err, size_t errlen)
{
	struct ew_http_croute *cr;
	size_t count = 0, i;
	int ret;

	if (!routes) {
		snprintf(err, errlen, "no route table");
		return -EINVAL;
	}
	while (routes[count].method)
		count++;
	if (!count) {
		snprintf(err, errlen, "empty route table");
		return -EINVAL;
	}
	cr = calloc(count, sizeof(*cr));
	if (!cr) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < count; i++) {
		ret = compile_one(&routes[i], &cr[i], err, errlen);
		if (ret) {
			ew_http_routes_free(cr, i + 1);
			return ret;
		}
	}
	*out = cr;
	*n = count;
	return 0;
}
