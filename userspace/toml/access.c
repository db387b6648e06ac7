// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading a parsed document: walking tables and arrays, reading scalars,
 * and the checked reads a config loader builds on, whose messages name the
 * key, the type wanted and the type found, at the value's position.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Integers up to 2^53 in magnitude are exact as doubles. */
#define FLOAT_EXACT_MAX (INT64_C(1) << 53)

const struct ew_toml_value *ew_toml_root(const struct ew_toml_doc *doc)
{
	return doc ? doc->root : NULL;
}

enum ew_toml_type ew_toml_type(const struct ew_toml_value *v)
{
	return (enum ew_toml_type)v->type;
}

const char *ew_toml_type_name(enum ew_toml_type type)
{
	switch (type) {
	case EW_TOML_TABLE: return "table";
	case EW_TOML_ARRAY: return "array";
	case EW_TOML_STRING: return "string";
	case EW_TOML_INTEGER: return "integer";
	case EW_TOML_FLOAT: return "float";
	case EW_TOML_BOOL: return "boolean";
	case EW_TOML_DATETIME: return "offset date-time";
	case EW_TOML_DATETIME_LOCAL: return "local date-time";
	case EW_TOML_DATE_LOCAL: return "local date";
	case EW_TOML_TIME_LOCAL: return "local time";
	}
	return "unknown";
}

static const char *article(enum ew_toml_type type)
{
	return type == EW_TOML_ARRAY || type == EW_TOML_INTEGER || type == EW_TOML_DATETIME ?
	       "an" : "a";
}

struct ew_toml_pos ew_toml_pos(const struct ew_toml_value *v)
{
	return v ? v->pos : (struct ew_toml_pos){ 0 };
}

size_t ew_toml_table_len(const struct ew_toml_value *table)
{
	return table && table->type == EW_TOML_TABLE ? table->u.tbl.len : 0;
}

static void fill_key(struct ew_toml_key *key, const struct tbl_entry *e)
{
	if (!key)
		return;
	key->name = e->key;
	key->len = e->key_len;
	key->pos = e->key_pos;
}

const struct ew_toml_value *ew_toml_table_at(const struct ew_toml_value *table, size_t i,
					     struct ew_toml_key *key)
{
	const struct tbl_entry *e;

	if (i >= ew_toml_table_len(table))
		return NULL;
	e = &table->u.tbl.entries[i];
	fill_key(key, e);
	return e->value;
}

const struct ew_toml_value *ew_toml_get_n(const struct ew_toml_value *table,
					  const char *key, size_t len,
					  struct ew_toml_key *found)
{
	const struct tbl_entry *e;

	if (!table || !key || table->type != EW_TOML_TABLE)
		return NULL;
	e = tbl_find(table, key, len);
	if (!e)
		return NULL;
	fill_key(found, e);
	return e->value;
}

const struct ew_toml_value *ew_toml_get(const struct ew_toml_value *table, const char *key)
{
	return key ? ew_toml_get_n(table, key, strlen(key), NULL) : NULL;
}

size_t ew_toml_array_len(const struct ew_toml_value *array)
{
	return array && array->type == EW_TOML_ARRAY ? array->u.arr.len : 0;
}

const struct ew_toml_value *ew_toml_array_at(const struct ew_toml_value *array, size_t i)
{
	return i < ew_toml_array_len(array) ? array->u.arr.items[i] : NULL;
}

const char *ew_toml_string(const struct ew_toml_value *v, size_t *len)
{
	if (!v || v->type != EW_TOML_STRING)
		return NULL;
	if (len)
		*len = v->u.str.len;
	return v->u.str.ptr;
}

int64_t ew_toml_int(const struct ew_toml_value *v)
{
	return v && v->type == EW_TOML_INTEGER ? v->u.i : 0;
}

double ew_toml_float(const struct ew_toml_value *v)
{
	return v && v->type == EW_TOML_FLOAT ? v->u.f : 0.0;
}

bool ew_toml_bool(const struct ew_toml_value *v)
{
	return v && v->type == EW_TOML_BOOL ? v->u.b : false;
}

static bool is_datetime(const struct ew_toml_value *v)
{
	return v && (v->type == EW_TOML_DATETIME || v->type == EW_TOML_DATETIME_LOCAL ||
		     v->type == EW_TOML_DATE_LOCAL || v->type == EW_TOML_TIME_LOCAL);
}

const struct ew_toml_datetime *ew_toml_datetime(const struct ew_toml_value *v)
{
	return is_datetime(v) ? &v->u.dt.dt : NULL;
}

const char *ew_toml_datetime_text(const struct ew_toml_value *v)
{
	return is_datetime(v) ? v->u.dt.text : NULL;
}

static int value_error(struct ew_toml_error *err, const struct ew_toml_value *v, int rc,
		       const char *name, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Fills err with '"name" <the rest>' at v's position and returns rc. */
static int value_error(struct ew_toml_error *err, const struct ew_toml_value *v, int rc,
		       const char *name, const char *fmt, ...)
{
	char quoted[96];
	va_list ap;
	int n;

	if (!err)
		return rc;
	err->line = v ? v->pos.line : 0;
	err->column = v ? v->pos.column : 0;
	if (!name)
		name = "value";
	n = snprintf(err->message, sizeof(err->message), "%s ",
		     tp_quote(quoted, sizeof(quoted), name, strlen(name)));
	if (n < 0 || (size_t)n >= sizeof(err->message))
		return rc;
	va_start(ap, fmt);
	vsnprintf(err->message + n, sizeof(err->message) - (size_t)n, fmt, ap);
	va_end(ap);
	return rc;
}

static int wrong_type(const struct ew_toml_value *v, const char *want_article,
		      const char *want, const char *name, struct ew_toml_error *err)
{
	enum ew_toml_type got = (enum ew_toml_type)v->type;

	return value_error(err, v, -EINVAL, name, "must be %s %s, not %s %s", want_article,
			   want, article(got), ew_toml_type_name(got));
}

int ew_toml_expect(const struct ew_toml_value *v, enum ew_toml_type type, const char *name,
		   struct ew_toml_error *err)
{
	if (!v)
		return value_error(err, NULL, -EINVAL, name, "is missing");
	if (v->type == type)
		return 0;
	return wrong_type(v, article(type), ew_toml_type_name(type), name, err);
}

int ew_toml_as_string(const struct ew_toml_value *v, const char *name, const char **out,
		      struct ew_toml_error *err)
{
	if (ew_toml_expect(v, EW_TOML_STRING, name, err))
		return -EINVAL;
	if (memchr(v->u.str.ptr, '\0', v->u.str.len))
		return value_error(err, v, -EINVAL, name, "must not contain a NUL character");
	*out = v->u.str.ptr;
	return 0;
}

int ew_toml_as_int(const struct ew_toml_value *v, const char *name, int64_t min, int64_t max,
		   int64_t *out, struct ew_toml_error *err)
{
	if (ew_toml_expect(v, EW_TOML_INTEGER, name, err))
		return -EINVAL;
	if (v->u.i < min || v->u.i > max) {
		if (max == INT64_MAX)
			return value_error(err, v, -ERANGE, name, "must be at least %" PRId64, min);
		if (min == INT64_MIN)
			return value_error(err, v, -ERANGE, name, "must be at most %" PRId64, max);
		return value_error(err, v, -ERANGE, name,
				   "must be between %" PRId64 " and %" PRId64, min, max);
	}
	*out = v->u.i;
	return 0;
}

int ew_toml_as_float(const struct ew_toml_value *v, const char *name, double *out,
		     struct ew_toml_error *err)
{
	if (v && v->type == EW_TOML_INTEGER) {
		if (v->u.i < -FLOAT_EXACT_MAX || v->u.i > FLOAT_EXACT_MAX)
			return value_error(err, v, -ERANGE, name,
					   "is too large an integer to read as a float exactly");
		*out = (double)v->u.i;
		return 0;
	}
	if (ew_toml_expect(v, EW_TOML_FLOAT, name, err))
		return -EINVAL;
	*out = v->u.f;
	return 0;
}

int ew_toml_as_bool(const struct ew_toml_value *v, const char *name, bool *out,
		    struct ew_toml_error *err)
{
	if (ew_toml_expect(v, EW_TOML_BOOL, name, err))
		return -EINVAL;
	*out = v->u.b;
	return 0;
}

int ew_toml_as_datetime(const struct ew_toml_value *v, const char *name,
			struct ew_toml_datetime *out, struct ew_toml_error *err)
{
	if (!v)
		return value_error(err, NULL, -EINVAL, name, "is missing");
	if (!is_datetime(v))
		return wrong_type(v, "a", "date-time", name, err);
	*out = v->u.dt.dt;
	return 0;
}

/* The value of key, or -ENOENT with err saying it is missing. */
static int lookup(const struct ew_toml_value *table, const char *key,
		  const struct ew_toml_value **v, struct ew_toml_error *err)
{
	char quoted[96];

	*v = ew_toml_get(table, key);
	if (*v)
		return 0;
	if (err) {
		err->line = table ? table->pos.line : 0;
		err->column = table ? table->pos.column : 0;
		snprintf(err->message, sizeof(err->message), "missing key %s",
			 key ? tp_quote(quoted, sizeof(quoted), key, strlen(key)) : "(null)");
	}
	return -ENOENT;
}

int ew_toml_get_string(const struct ew_toml_value *table, const char *key, const char **out,
		       struct ew_toml_error *err)
{
	const struct ew_toml_value *v;

	int r = lookup(table, key, &v, err);

	return r ? r : ew_toml_as_string(v, key, out, err);
}

int ew_toml_get_int(const struct ew_toml_value *table, const char *key, int64_t min,
		    int64_t max, int64_t *out, struct ew_toml_error *err)
{
	const struct ew_toml_value *v;

	int r = lookup(table, key, &v, err);

	return r ? r : ew_toml_as_int(v, key, min, max, out, err);
}

int ew_toml_get_float(const struct ew_toml_value *table, const char *key, double *out,
		      struct ew_toml_error *err)
{
	const struct ew_toml_value *v;

	int r = lookup(table, key, &v, err);

	return r ? r : ew_toml_as_float(v, key, out, err);
}

int ew_toml_get_bool(const struct ew_toml_value *table, const char *key, bool *out,
		     struct ew_toml_error *err)
{
	const struct ew_toml_value *v;

	int r = lookup(table, key, &v, err);

	return r ? r : ew_toml_as_bool(v, key, out, err);
}

int ew_toml_get_datetime(const struct ew_toml_value *table, const char *key,
			 struct ew_toml_datetime *out, struct ew_toml_error *err)
{
	const struct ew_toml_value *v;

	int r = lookup(table, key, &v, err);

	return r ? r : ew_toml_as_datetime(v, key, out, err);
}

static int get_container(const struct ew_toml_value *table, const char *key,
			 enum ew_toml_type type, const struct ew_toml_value **out,
			 struct ew_toml_error *err)
{
	const struct ew_toml_value *v;
	int r = lookup(table, key, &v, err);

	if (!r)
		r = ew_toml_expect(v, type, key, err);
	if (!r)
		*out = v;
	return r;
}

int ew_toml_get_table(const struct ew_toml_value *table, const char *key,
		      const struct ew_toml_value **out, struct ew_toml_error *err)
{
	return get_container(table, key, EW_TOML_TABLE, out, err);
}

int ew_toml_get_array(const struct ew_toml_value *table, const char *key,
		      const struct ew_toml_value **out, struct ew_toml_error *err)
{
	return get_container(table, key, EW_TOML_ARRAY, out, err);
}
