// SPDX-License-Identifier: GPL-2.0-only
/*
 * Integers and floats, from a token the value parser has cut out: TOML's
 * rules for signs, prefixes, underscores and leading zeros, int64 range
 * checks, and floats read in the C locale whatever the process's is.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Shown in messages: a token may be very long. */
#define TOK_SHOWN 40

static bool is_digit_base(int c, int base)
{
	switch (base) {
	case 2:
		return c == '0' || c == '1';
	case 8:
		return c >= '0' && c <= '7';
	case 16:
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		       (c >= 'A' && c <= 'F');
	default:
		return c >= '0' && c <= '9';
	}
}

/* One or more digits, an underscore only ever between two of them. */
static bool digits_ok(const char *s, size_t n, int base)
{
	size_t i;

	if (!n || !is_digit_base((unsigned char)s[0], base) ||
	    !is_digit_base((unsigned char)s[n - 1], base))
		return false;
	for (i = 1; i < n; i++) {
		if (s[i] == '_') {
			if (s[i - 1] == '_')
				return false;
		} else if (!is_digit_base((unsigned char)s[i], base)) {
			return false;
		}
	}
	return true;
}

static int digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

static int fail_range(struct tp *p, struct ew_toml_pos pos, const char *tok, size_t len)
{
	return tp_fail(p, pos, "integer %.*s%s does not fit in 64 bits",
		       (int)(len > TOK_SHOWN ? TOK_SHOWN : len), tok,
		       len > TOK_SHOWN ? "..." : "");
}

static int fail_invalid(struct tp *p, struct ew_toml_pos pos, const char *tok, size_t len,
			const char *why)
{
	return tp_fail(p, pos, "invalid number \"%.*s%s\"%s%s",
		       (int)(len > TOK_SHOWN ? TOK_SHOWN : len), tok,
		       len > TOK_SHOWN ? "..." : "", why ? ": " : "", why ? why : "");
}

/* Digits (and underscores) already checked; limit is the largest magnitude. */
static int accumulate(const char *s, size_t n, int base, uint64_t limit, uint64_t *out)
{
	uint64_t m = 0, d;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '_')
			continue;
		d = (uint64_t)digit_value((unsigned char)s[i]);
		if (m > (limit - d) / (uint64_t)base)
			return -1;
		m = m * (uint64_t)base + d;
	}
	*out = m;
	return 0;
}

static int prefixed(struct tp *p, const char *tok, size_t len, struct ew_toml_pos pos,
		    struct ew_toml_value *v)
{
	int base = tok[1] == 'x' ? 16 : tok[1] == 'o' ? 8 : 2;
	uint64_t m;

	if (!digits_ok(tok + 2, len - 2, base))
		return fail_invalid(p, pos, tok, len, NULL);
	if (accumulate(tok + 2, len - 2, base, INT64_MAX, &m))
		return fail_range(p, pos, tok, len);
	v->type = EW_TOML_INTEGER;
	v->u.i = (int64_t)m;
	return 0;
}

static int to_double(struct tp *p, const char *tok, size_t len, struct ew_toml_pos pos,
		     double *out)
{
	char small[64], *buf = small, *end;
	size_t i, n = 0;
	double d;

	if (!p->c_locale) {
		p->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
		if (!p->c_locale)
			return tp_fail(p, pos, "out of memory");
	}
	if (len >= sizeof(small)) {
		buf = malloc(len + 1);
		if (!buf)
			return tp_fail(p, pos, "out of memory");
	}
	for (i = 0; i < len; i++)
		if (tok[i] != '_')
			buf[n++] = tok[i];
	buf[n] = '\0';
	d = strtod_l(buf, &end, p->c_locale);
	if (*end || isinf(d)) {
		if (buf != small)
			free(buf);
		return tp_fail(p, pos, "float %.*s%s is out of range",
			       (int)(len > TOK_SHOWN ? TOK_SHOWN : len), tok,
			       len > TOK_SHOWN ? "..." : "");
	}
	if (buf != small)
		free(buf);
	*out = d;
	return 0;
}

int tp_number(struct tp *p, const char *tok, size_t len, struct ew_toml_pos pos,
	      struct ew_toml_value *v)
{
	const char *s = tok, *frac;
	size_t n = len, int_len, i;
	bool sign = false, neg = false;
	uint64_t m;

	if (n && (s[0] == '+' || s[0] == '-')) {
		sign = true;
		neg = s[0] == '-';
		s++;
		n--;
	}
	if (n == 3 && (!memcmp(s, "inf", 3) || !memcmp(s, "nan", 3))) {
		v->type = EW_TOML_FLOAT;
		v->u.f = s[0] == 'i' ? INFINITY : NAN;
		v->u.f = neg ? -v->u.f : v->u.f;
		return 0;
	}
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
		if (sign)
			return fail_invalid(p, pos, tok, len,
					    "a sign is not allowed before 0x, 0o or 0b");
		return prefixed(p, s, n, pos, v);
	}
	for (i = 0; i < n && s[i] != '.' && s[i] != 'e' && s[i] != 'E'; i++)
		;
	int_len = i;
	if (!digits_ok(s, int_len, 10))
		return fail_invalid(p, pos, tok, len, NULL);
	if (s[0] == '0' && int_len > 1)
		return fail_invalid(p, pos, tok, len, "leading zeros are not allowed");
	if (int_len == n) {
		if (accumulate(s, n, 10, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX, &m))
			return fail_range(p, pos, tok, len);
		v->type = EW_TOML_INTEGER;
		/* -2^63 has no positive twin: negate in unsigned arithmetic. */
		v->u.i = neg ? (int64_t)(0 - m) : (int64_t)m;
		return 0;
	}
	i = int_len;
	if (s[i] == '.') {
		frac = s + ++i;
		while (i < n && s[i] != 'e' && s[i] != 'E')
			i++;
		if (!digits_ok(frac, (size_t)(s + i - frac), 10))
			return fail_invalid(p, pos, tok, len,
					    "a decimal point needs digits on both sides");
	}
	if (i < n) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (!digits_ok(s + i, n - i, 10))
			return fail_invalid(p, pos, tok, len, "an exponent needs digits");
	}
	v->type = EW_TOML_FLOAT;
	return to_double(p, tok, len, pos, &v->u.f);
}
