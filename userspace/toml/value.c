// SPDX-License-Identifier: GPL-2.0-only
/*
 * Values: strings, arrays and inline tables by their opening character;
 * everything else (booleans, numbers, date-times) is cut out as one token
 * and handed to number.c or datetime.c. Arrays and inline tables recurse,
 * at most limits.max_depth deep.
 */
#include <string.h>

#include "internal.h"

#define TOK_SHOWN 40

static bool is_token(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '+' || c == '-' || c == '.' || c == ':';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static struct ew_toml_value *string_value(struct tp *p)
{
	struct ew_toml_value *v = tv_new(p, EW_TOML_STRING, tp_pos(p));
	struct sbuf b = { 0 };

	if (!v)
		return NULL;
	if (!tp_string(p, &b, true))
		v->u.str.ptr = sbuf_take(p, &b, &v->u.str.len);
	sbuf_free(&b);
	if (!v->u.str.ptr) {
		tv_free(v);
		return NULL;
	}
	return v;
}

/* A date then a space then a time is one value, "1979-05-27 07:32:00". */
static bool space_then_time(const struct tp *p, const char *tok, size_t len)
{
	return len == 10 && tp_looks_datetime(tok, len) && tp_peek(p) == ' ' &&
	       is_digit(tp_peek_at(p, 1)) && is_digit(tp_peek_at(p, 2)) && tp_peek_at(p, 3) == ':';
}

static struct ew_toml_value *token_value(struct tp *p)
{
	struct ew_toml_pos pos = tp_pos(p);
	const char *tok = p->buf + p->off;
	struct ew_toml_value *v;
	size_t len;
	int r;

	while (is_token(tp_peek(p)))
		tp_adv(p);
	len = (size_t)(p->buf + p->off - tok);
	if (space_then_time(p, tok, len)) {
		tp_adv(p);
		while (is_token(tp_peek(p)))
			tp_adv(p);
		len = (size_t)(p->buf + p->off - tok);
	}
	if (!len) {
		tp_fail_found(p, "a value");
		return NULL;
	}
	v = tv_new(p, EW_TOML_BOOL, pos);
	if (!v)
		return NULL;
	if ((len == 4 && !memcmp(tok, "true", 4)) || (len == 5 && !memcmp(tok, "false", 5))) {
		v->u.b = len == 4;
		return v;
	}
	if (tp_looks_datetime(tok, len))
		r = tp_datetime(p, tok, len, pos, v);
	else if (is_digit(tok[0]) || tok[0] == '+' || tok[0] == '-' ||
		 (len == 3 && (!memcmp(tok, "inf", 3) || !memcmp(tok, "nan", 3))))
		r = tp_number(p, tok, len, pos, v);
	else
		r = tp_fail(p, pos, "invalid value \"%.*s%s\" (a string needs quotes)",
			    (int)(len > TOK_SHOWN ? TOK_SHOWN : len), tok,
			    len > TOK_SHOWN ? "..." : "");
	if (r) {
		tv_free(v);
		return NULL;
	}
	return v;
}

static struct ew_toml_value *array_value(struct tp *p, uint32_t depth)
{
	struct ew_toml_value *a, *item;

	a = tv_new_container(p, EW_TOML_ARRAY, ARR_STATIC, tp_pos(p), depth);
	if (!a)
		return NULL;
	tp_adv(p);
	for (;;) {
		if (tp_skip_ws_comments_newlines(p))
			break;
		if (tp_peek(p) == ']') {
			tp_adv(p);
			return a;
		}
		item = tp_value(p, depth + 1);
		if (!item || arr_push(p, a, item))
			break;
		if (tp_skip_ws_comments_newlines(p))
			break;
		if (tp_peek(p) == ',') {
			tp_adv(p);
			continue;
		}
		if (tp_peek(p) == ']') {
			tp_adv(p);
			return a;
		}
		tp_fail_found(p, "',' or ']' in the array");
		break;
	}
	tv_free(a);
	return NULL;
}

/* TOML 1.0: all on one line, no trailing comma. */
static struct ew_toml_value *inline_table_value(struct tp *p, uint32_t depth)
{
	struct ew_toml_value *t;

	t = tv_new_container(p, EW_TOML_TABLE, TBL_INLINE, tp_pos(p), depth);
	if (!t)
		return NULL;
	tp_adv(p);
	tp_skip_ws(p);
	if (tp_peek(p) == '}') {
		tp_adv(p);
		return t;
	}
	for (;;) {
		tp_skip_ws(p);
		if (tp_keyval(p, t))
			break;
		tp_skip_ws(p);
		if (tp_peek(p) == ',') {
			tp_adv(p);
			continue;
		}
		if (tp_peek(p) == '}') {
			tp_adv(p);
			return t;
		}
		tp_fail_found(p, "',' or '}' in the inline table");
		break;
	}
	tv_free(t);
	return NULL;
}

struct ew_toml_value *tp_value(struct tp *p, uint32_t depth)
{
	switch (tp_peek(p)) {
	case '"':
	case '\'':
		return string_value(p);
	case '[':
		return array_value(p, depth);
	case '{':
		return inline_table_value(p, depth);
	default:
		return token_value(p);
	}
}
