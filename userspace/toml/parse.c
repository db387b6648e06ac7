// SPDX-License-Identifier: GPL-2.0-only
/*
 * The document's structure: lines of key/value pairs, [table] and
 * [[array of tables]] headers, and the rules of TOML 1.0 about which table
 * a key or header may define or extend (see enum tbl_kind).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* What an existing value is, for the messages about redefining it. */
static const char *what_is(const struct ew_toml_value *v)
{
	if (v->type == EW_TOML_TABLE) {
		switch (v->kind) {
		case TBL_HEADER:
			return "a table defined by a header";
		case TBL_DOTTED:
			return "a table defined by dotted keys";
		case TBL_INLINE:
			return "an inline table";
		default:
			return "a table";
		}
	}
	if (v->type == EW_TOML_ARRAY)
		return v->kind == ARR_TABLES ? "an array of tables" : "an array";
	switch (v->type) {
	case EW_TOML_INTEGER:
		return "an integer";
	case EW_TOML_BOOL:
		return "a boolean";
	case EW_TOML_STRING:
		return "a string";
	case EW_TOML_FLOAT:
		return "a float";
	default:
		return "a date-time";
	}
}

static bool is_bare_key(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return len > 0;
}

/* Parts 0..upto of a key as TOML would write it: a."b c".d */
static const char *path_show(char *buf, size_t size, const struct key_path *path,
			     size_t upto)
{
	size_t o = 0, i, n;
	char part[64];
	const char *s;

	buf[0] = '\0';
	for (i = 0; i <= upto && o + 1 < size; i++) {
		n = path->parts[i].len;
		s = is_bare_key(key_at(path, i), n) ? key_at(path, i) :
		    tp_quote(part, sizeof(part), key_at(path, i), n);
		n = s == part ? strlen(part) : n;
		if (n > 60)
			n = 60;
		o += (size_t)snprintf(buf + o, size - o, "%s%.*s", i ? "." : "", (int)n, s);
	}
	return buf;
}

/* Key upto of path can not be used as it is: e is in the way. */
static int fail_defined(struct tp *p, const struct key_path *path, size_t upto,
			const struct tbl_entry *e, const char *why)
{
	char key[160];

	return tp_fail(p, path->parts[upto].pos, "%s is already %s (at %u:%u)%s",
		       path_show(key, sizeof(key), path, upto), what_is(e->value),
		       e->key_pos.line, e->key_pos.column, why);
}

enum defining { BY_KEY, BY_TABLE_HEADER, BY_ARRAY_HEADER };

static int fail_duplicate(struct tp *p, const struct key_path *path, size_t upto,
			  const struct tbl_entry *e, enum defining by)
{
	char key[160];

	if (by == BY_TABLE_HEADER && e->value->type == EW_TOML_TABLE &&
	    e->value->kind == TBL_HEADER)
		return tp_fail(p, path->parts[upto].pos,
			       "table [%s] is defined twice (first at %u:%u)",
			       path_show(key, sizeof(key), path, upto), e->value->pos.line,
			       e->value->pos.column);
	if (by == BY_KEY)
		return tp_fail(p, path->parts[upto].pos, "duplicate key %s (first at %u:%u)",
			       path_show(key, sizeof(key), path, upto), e->key_pos.line,
			       e->key_pos.column);
	return fail_defined(p, path, upto, e, "");
}

/* A new (empty) table of the given kind under key i of path in t. */
static struct ew_toml_value *add_table(struct tp *p, struct ew_toml_value *t,
				       const struct key_path *path, size_t i, int kind,
				       struct ew_toml_pos pos)
{
	struct ew_toml_value *nt;

	nt = tv_new_container(p, EW_TOML_TABLE, kind, pos, t->depth + 1);
	if (!nt || tbl_add(p, t, key_at(path, i), path->parts[i].len, path->parts[i].pos, nt))
		return NULL;
	return nt;
}

int tp_keyval(struct tp *p, struct ew_toml_value *table)
{
	struct key_path path = { 0 };
	struct ew_toml_value *t = table, *v;
	struct tbl_entry *e;
	size_t i, last;
	int r = -1;

	if (tp_key(p, &path))
		goto out;
	if (tp_peek(p) != '=') {
		tp_fail_found(p, "'=' after the key");
		goto out;
	}
	tp_adv(p);
	tp_skip_ws(p);
	last = path.n - 1;
	for (i = 0; i < last; i++) {
		e = tbl_find(t, key_at(&path, i), path.parts[i].len);
		if (!e) {
			t = add_table(p, t, &path, i, TBL_DOTTED, path.parts[i].pos);
			if (!t)
				goto out;
			continue;
		}
		v = e->value;
		if (v->type != EW_TOML_TABLE ||
		    (v->kind != TBL_DOTTED && v->kind != TBL_IMPLICIT)) {
			fail_defined(p, &path, i, e, "; dotted keys can not add to it");
			goto out;
		}
		/* Dotted keys define a table a header only made as a parent. */
		v->kind = TBL_DOTTED;
		t = v;
	}
	e = tbl_find(t, key_at(&path, last), path.parts[last].len);
	if (e) {
		fail_duplicate(p, &path, last, e, BY_KEY);
		goto out;
	}
	v = tp_value(p, t->depth + 1);
	if (!v)
		goto out;
	r = tbl_add(p, t, key_at(&path, last), path.parts[last].len, path.parts[last].pos, v);
out:
	key_path_free(&path);
	return r;
}

/* Walks the parents in a header, making those that are missing. */
static struct ew_toml_value *header_parents(struct tp *p, const struct key_path *path)
{
	struct ew_toml_value *t = p->doc->root, *v;
	struct tbl_entry *e;
	size_t i;

	for (i = 0; i + 1 < path->n; i++) {
		e = tbl_find(t, key_at(path, i), path->parts[i].len);
		if (!e) {
			t = add_table(p, t, path, i, TBL_IMPLICIT, path->parts[i].pos);
			if (!t)
				return NULL;
			continue;
		}
		v = e->value;
		if (v->type == EW_TOML_TABLE && v->kind != TBL_INLINE) {
			t = v;
		} else if (v->type == EW_TOML_ARRAY && v->kind == ARR_TABLES) {
			/* [a.b] after [[a]] is about the last table of a. */
			t = v->u.arr.items[v->u.arr.len - 1];
		} else {
			fail_defined(p, path, i, e, "; a header can not add to it");
			return NULL;
		}
	}
	return t;
}

static int header(struct tp *p)
{
	struct ew_toml_pos pos = tp_pos(p);
	struct key_path path = { 0 };
	struct ew_toml_value *t, *v;
	struct tbl_entry *e;
	bool array;
	size_t last;
	int r = -1;

	tp_adv(p);
	array = tp_peek(p) == '[';
	if (array)
		tp_adv(p);
	tp_skip_ws(p);
	if (tp_key(p, &path))
		goto out;
	if (tp_peek(p) != ']' || (array && tp_peek_at(p, 1) != ']')) {
		if (tp_peek(p) == ']')
			tp_adv(p);
		tp_fail_found(p, array ? "']]' to close the header" : "']' to close the header");
		goto out;
	}
	tp_adv_n(p, array ? 2 : 1);
	t = header_parents(p, &path);
	if (!t)
		goto out;
	last = path.n - 1;
	e = tbl_find(t, key_at(&path, last), path.parts[last].len);
	if (array) {
		if (!e) {
			v = tv_new_container(p, EW_TOML_ARRAY, ARR_TABLES, pos, t->depth + 1);
			if (!v || tbl_add(p, t, key_at(&path, last), path.parts[last].len,
					  path.parts[last].pos, v))
				goto out;
		} else if (e->value->type == EW_TOML_ARRAY && e->value->kind == ARR_TABLES) {
			v = e->value;
		} else {
			fail_duplicate(p, &path, last, e, BY_ARRAY_HEADER);
			goto out;
		}
		p->cur = tv_new_container(p, EW_TOML_TABLE, TBL_HEADER, pos, v->depth + 1);
		if (!p->cur || arr_push(p, v, p->cur))
			goto out;
	} else if (!e) {
		p->cur = add_table(p, t, &path, last, TBL_HEADER, pos);
		if (!p->cur)
			goto out;
	} else if (e->value->type == EW_TOML_TABLE && e->value->kind == TBL_IMPLICIT) {
		/* Made as a parent by an earlier header, defined here. */
		e->value->kind = TBL_HEADER;
		e->value->pos = pos;
		e->key_pos = path.parts[last].pos;
		p->cur = e->value;
	} else {
		fail_duplicate(p, &path, last, e, BY_TABLE_HEADER);
		goto out;
	}
	r = 0;
out:
	key_path_free(&path);
	return r;
}

int tp_document(struct tp *p)
{
	int c;

	/* A byte order mark may start the text, and nowhere else. */
	if (p->len >= 3 && !memcmp(p->buf, "\xef\xbb\xbf", 3))
		p->off = 3;
	p->cur = p->doc->root;
	for (;;) {
		tp_skip_ws(p);
		c = tp_peek(p);
		if (c < 0)
			return 0;
		if (c == '[') {
			if (header(p))
				return -1;
		} else if (c != '#' && c != '\n' && c != '\r') {
			if (tp_keyval(p, p->cur))
				return -1;
		}
		if (tp_end_of_line(p))
			return -1;
	}
}
