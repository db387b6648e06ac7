// SPDX-License-Identifier: GPL-2.0-only
/*
 * The machinery under the configuration schema: the one error message and
 * its "FILE:LINE:COLUMN:" prefix, the warnings of keys accepted but
 * ignored, the arena the loaded configuration points into, the table
 * walker that rejects every key it does not know, the readers of name ->
 * value tables and arrays, and the readers for strings, numbers, enums,
 * maps, durations and renewal policies.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "daemon/config_internal.h"
#include "edgeward.h"

/* --- messages ------------------------------------------------------------- */

static int vfail(struct cfg_ctx *c, struct ew_toml_pos pos, int rc, const char *fmt,
		 va_list ap)
{
	int n;

	if (!c->err || !c->errlen)
		return rc;
	if (pos.line)
		n = snprintf(c->err, c->errlen, "%s:%u:%u: ", c->file, pos.line, pos.column);
	else
		n = snprintf(c->err, c->errlen, "%s: ", c->file);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	return rc;
}

int cfg_fail(struct cfg_ctx *c, struct ew_toml_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(c, pos, -EINVAL, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int cfg_fail_at(struct cfg_ctx *c, const struct ew_toml_value *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(c, ew_toml_pos(v), -EINVAL, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int cfg_nomem(struct cfg_ctx *c)
{
	cfg_fail(c, (struct ew_toml_pos){ 0 }, "out of memory");
	return -ENOMEM;
}

int cfg_toml(struct cfg_ctx *c, int rc, const struct ew_toml_error *e)
{
	cfg_fail(c, (struct ew_toml_pos){ .line = e->line, .column = e->column }, "%s",
		 e->message);
	return rc == -ENOMEM ? rc : -EINVAL;
}

int cfg_warn(struct cfg_ctx *c, struct ew_toml_pos pos, const char *fmt, ...)
{
	struct ew_config *cfg = c->cfg;
	const char **list;
	size_t n, m;
	va_list ap;
	char *line;
	int len;

	if (pos.line)
		len = snprintf(NULL, 0, "%s:%u:%u: ", c->file, pos.line, pos.column);
	else
		len = snprintf(NULL, 0, "%s: ", c->file);
	n = len > 0 ? (size_t)len : 0;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	m = len > 0 ? (size_t)len : 0;
	line = cfg_alloc(c, n + m + 1);
	if (!line)
		return -ENOMEM;
	if (pos.line)
		snprintf(line, n + 1, "%s:%u:%u: ", c->file, pos.line, pos.column);
	else
		snprintf(line, n + 1, "%s: ", c->file);
	va_start(ap, fmt);
	vsnprintf(line + n, m + 1, fmt, ap);
	va_end(ap);

	/* Few keys warn: the list grows in the arena and the old one stays. */
	if (cfg->n_warnings == c->warn_cap) {
		size_t cap = c->warn_cap ? c->warn_cap * 2 : 8;

		list = cfg_alloc(c, cap * sizeof(*list));
		if (!list)
			return -ENOMEM;
		if (cfg->n_warnings)
			memcpy(list, cfg->warnings, cfg->n_warnings * sizeof(*list));
		cfg->warnings = list;
		c->warn_cap = cap;
	}
	list = (const char **)cfg->warnings;
	list[cfg->n_warnings++] = line;
	return 0;
}

const char *cfg_quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t o = 0, i;

	/* Room for the quotes, an escape of up to 6 bytes, "..." and the NUL. */
	if (size < 16) {
		if (size)
			buf[0] = '\0';
		return buf;
	}
	buf[o++] = '"';
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		char esc[8];
		size_t n;

		if (ch == '"' || ch == '\\')
			n = (size_t)snprintf(esc, sizeof(esc), "\\%c", ch);
		else if (ch == '\n')
			n = (size_t)snprintf(esc, sizeof(esc), "\\n");
		else if (ch == '\t')
			n = (size_t)snprintf(esc, sizeof(esc), "\\t");
		else if (ch < 0x20 || ch == 0x7f)
			n = (size_t)snprintf(esc, sizeof(esc), "\\u%04X", ch);
		else
			n = 0;
		if (o + (n ? n : 1) + 5 > size) {
			/* Never cut a UTF-8 sequence in two. */
			while (o > 1 && ((unsigned char)buf[o - 1] & 0xc0) == 0x80)
				o--;
			if (o > 1 && (unsigned char)buf[o - 1] >= 0xc0)
				o--;
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (n) {
			memcpy(buf + o, esc, n);
			o += n;
		} else {
			buf[o++] = (char)ch;
		}
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

const char *cfg_in_table(struct cfg_ctx *c, char *buf, size_t size)
{
	if (!c->path_len)
		return "";
	snprintf(buf, size, " in table [%s]", c->path);
	return buf;
}

const char *cfg_a_type(const struct ew_toml_value *v)
{
	switch (ew_toml_type(v)) {
	case EW_TOML_TABLE: return "a table";
	case EW_TOML_ARRAY: return "an array";
	case EW_TOML_STRING: return "a string";
	case EW_TOML_INTEGER: return "an integer";
	case EW_TOML_FLOAT: return "a float";
	case EW_TOML_BOOL: return "a boolean";
	case EW_TOML_DATETIME: return "an offset date-time";
	case EW_TOML_DATETIME_LOCAL: return "a local date-time";
	case EW_TOML_DATE_LOCAL: return "a local date";
	case EW_TOML_TIME_LOCAL: return "a local time";
	}
	return "an unknown value";
}

int cfg_wrong_type(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		   const char *want)
{
	return cfg_fail_at(c, v, "\"%s\" must be %s, not %s", name, want, cfg_a_type(v));
}

int cfg_wrong_value(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    const char *want, const char *s)
{
	char q[CFG_QUOTE_MAX];

	return cfg_fail_at(c, v, "\"%s\" must be %s, not %s", name, want,
			   cfg_quote(q, sizeof(q), s, strlen(s)));
}

static bool bare_key(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

static int push_text(struct cfg_ctx *c, const struct ew_toml_value *at, const char *text,
		     bool dot)
{
	size_t n = strlen(text);

	if (c->depth >= sizeof(c->path_saved) / sizeof(c->path_saved[0]) ||
	    c->path_len + n + 2 > sizeof(c->path))
		return cfg_fail_at(c, at, "tables nest too deep for a configuration");
	c->path_saved[c->depth++] = c->path_len;
	if (dot && c->path_len)
		c->path[c->path_len++] = '.';
	memcpy(c->path + c->path_len, text, n + 1);
	c->path_len += n;
	return 0;
}

int cfg_push(struct cfg_ctx *c, const struct ew_toml_value *at, const char *seg)
{
	char q[CFG_QUOTE_MAX];

	return push_text(c, at, bare_key(seg) ? seg : cfg_quote(q, sizeof(q), seg, strlen(seg)),
			 true);
}

int cfg_push_index(struct cfg_ctx *c, const struct ew_toml_value *at, size_t i)
{
	char idx[32];

	snprintf(idx, sizeof(idx), "[%zu]", i);
	return push_text(c, at, idx, false);
}

void cfg_pop(struct cfg_ctx *c)
{
	if (!c->depth)
		return;
	c->path_len = c->path_saved[--c->depth];
	c->path[c->path_len] = '\0';
}

/* --- the arena ------------------------------------------------------------ */

/*
 * Blocks of memory freed together: the configuration's strings and arrays
 * never change after the load, and one free cannot miss a field. Blocks
 * are wiped before they are freed: passwords and inline keys live here.
 */
struct ew_config_arena {
	struct ew_config_arena *next;
	size_t used;
	size_t cap;
	max_align_t data[];
};

#define ARENA_BLOCK 4096u

void *cfg_alloc(struct cfg_ctx *c, size_t size)
{
	struct ew_config_arena *a = c->cfg->arena;
	const size_t align = sizeof(max_align_t);
	void *p;

	if (size > SIZE_MAX / 2) {
		cfg_nomem(c);
		return NULL;
	}
	size = (size + align - 1) / align * align;
	if (!a || a->cap - a->used < size) {
		size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;

		a = calloc(1, sizeof(*a) + cap);
		if (!a) {
			cfg_nomem(c);
			return NULL;
		}
		a->cap = cap;
		a->next = c->cfg->arena;
		c->cfg->arena = a;
	}
	p = (char *)a->data + a->used;
	a->used += size;
	memset(p, 0, size);
	return p;
}

const char *cfg_strdup(struct cfg_ctx *c, const char *s, size_t len)
{
	char *p = cfg_alloc(c, len + 1);

	if (p)
		memcpy(p, s, len);
	return p;
}

void cfg_arena_free(struct ew_config_arena *a)
{
	while (a) {
		struct ew_config_arena *next = a->next;

		explicit_bzero(a->data, a->cap);
		free(a);
		a = next;
	}
}

/* --- tables --------------------------------------------------------------- */

const struct cfg_field *cfg_find_field(const struct cfg_field *fields, const char *key,
				       size_t len)
{
	for (; fields->name; fields++)
		if (strlen(fields->name) == len && !memcmp(fields->name, key, len))
			return fields;
	return NULL;
}

int cfg_walk(struct cfg_ctx *c, const struct ew_toml_value *table,
	     const struct cfg_field *fields, void *base, const char *why)
{
	size_t i, n = ew_toml_table_len(table);

	for (i = 0; i < n; i++) {
		char q[CFG_QUOTE_MAX], t[CFG_PATH_MAX + 16];
		const struct cfg_field *f;
		const struct ew_toml_value *v;
		struct ew_toml_key k;
		int r;

		v = ew_toml_table_at(table, i, &k);
		f = cfg_find_field(fields, k.name, k.len);
		if (!f)
			return cfg_fail(c, k.pos, "unknown key %s%s%s",
					cfg_quote(q, sizeof(q), k.name, k.len),
					cfg_in_table(c, t, sizeof(t)), why ? why : "");
		if (!f->fn)
			continue;
		c->key_pos = k.pos;
		r = f->fn(c, v, f->name, (char *)base + f->off, f->arg);
		if (r)
			return r;
	}
	return 0;
}

int cfg_expect_table(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name)
{
	if (ew_toml_type(v) != EW_TOML_TABLE)
		return cfg_wrong_type(c, v, name, "a table");
	return 0;
}

int cfg_enter(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name)
{
	int r = cfg_expect_table(c, v, name);

	return r ? r : cfg_push(c, v, name);
}

int cfg_require(struct cfg_ctx *c, const struct ew_toml_value *table, const char *key)
{
	char t[CFG_PATH_MAX + 16];

	if (ew_toml_get(table, key))
		return 0;
	return cfg_fail_at(c, table, "missing key \"%s\"%s", key, cfg_in_table(c, t, sizeof(t)));
}

int cfg_require_all(struct cfg_ctx *c, const struct ew_toml_value *table,
		    const char *const *keys)
{
	int r = 0;

	for (; !r && *keys; keys++)
		r = cfg_require(c, table, *keys);
	return r;
}

struct ew_toml_pos cfg_key_pos(const struct ew_toml_value *table, const char *name)
{
	struct ew_toml_key k;

	if (!ew_toml_get_n(table, name, strlen(name), &k))
		return ew_toml_pos(table);
	return k.pos;
}

static bool pos_before(struct ew_toml_pos a, struct ew_toml_pos b)
{
	return a.line < b.line || (a.line == b.line && a.column < b.column);
}

int cfg_exclusive(struct cfg_ctx *c, const struct ew_toml_value *table, const char *a,
		  const char *b)
{
	struct ew_toml_pos pa, pb;
	char t[CFG_PATH_MAX + 16];

	if (!ew_toml_get(table, a) || !ew_toml_get(table, b))
		return 0;
	pa = cfg_key_pos(table, a);
	pb = cfg_key_pos(table, b);
	/* Blame the one written last: the first one set the form. */
	if (pos_before(pb, pa))
		return cfg_fail(c, pa, "\"%s\" cannot be combined with \"%s\"%s", a, b,
				cfg_in_table(c, t, sizeof(t)));
	return cfg_fail(c, pb, "\"%s\" cannot be combined with \"%s\"%s", b, a,
			cfg_in_table(c, t, sizeof(t)));
}

/* --- lists ---------------------------------------------------------------- */

int cfg_key_name(struct cfg_ctx *c, const struct ew_toml_key *k, const char **out)
{
	char q[CFG_QUOTE_MAX];

	/* Names end up as C strings: a NUL would cut them short. */
	if (memchr(k->name, '\0', k->len))
		return cfg_fail(c, k->pos, "key %s must not contain a NUL character",
				cfg_quote(q, sizeof(q), k->name, k->len));
	*out = cfg_strdup(c, k->name, k->len);
	return *out ? 0 : -ENOMEM;
}

/* Item @i of table or array @v into @elem; a table's key becomes its name. */
static int read_item(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		     const struct cfg_list *how, size_t i, char *elem)
{
	const struct ew_toml_value *item;
	char elem_name[48];
	struct ew_toml_key k;
	int r;

	if (ew_toml_type(v) == EW_TOML_TABLE) {
		item = ew_toml_table_at(v, i, &k);
		r = cfg_key_name(c, &k, (const char **)elem);
		return r ? r : how->fn(c, item, *(const char **)elem, elem + how->off, how->arg);
	}
	item = ew_toml_array_at(v, i);
	if (!how->tables)
		return how->fn(c, item, name, elem + how->off, how->arg);
	if (ew_toml_type(item) != EW_TOML_TABLE) {
		snprintf(elem_name, sizeof(elem_name), "%s[%zu]", name, i);
		return cfg_wrong_type(c, item, elem_name, "a table");
	}
	r = cfg_push_index(c, item, i);
	if (r)
		return r;
	r = how->fn(c, item, name, elem + how->off, how->arg);
	cfg_pop(c);
	return r;
}

int cfg_read_list(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		  const struct cfg_list *how, void **out, size_t *n)
{
	size_t i, len;
	char *items;
	int r = 0;

	if (ew_toml_type(v) != how->type)
		return cfg_wrong_type(c, v, name, how->want);
	len = how->type == EW_TOML_TABLE ? ew_toml_table_len(v) : ew_toml_array_len(v);
	items = cfg_alloc(c, (len ? len : 1) * how->size);
	if (!items)
		return -ENOMEM;
	r = cfg_push(c, v, name);
	if (r)
		return r;
	for (i = 0; !r && i < len; i++)
		r = read_item(c, v, name, how, i, items + i * how->size);
	cfg_pop(c);
	if (r)
		return r;
	*out = items;
	*n = len;
	return 0;
}

int cfg_read_map(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		 struct ew_config_map *map, cfg_fn fn, const void *arg)
{
	const struct cfg_list how = {
		.type = EW_TOML_TABLE,
		.want = "a table",
		.size = sizeof(struct ew_config_pair),
		.fn = fn,
		.off = offsetof(struct ew_config_pair, value),
		.arg = arg,
	};
	void *items;
	int r;

	r = cfg_read_list(c, v, name, &how, &items, &map->n);
	if (!r)
		map->items = items;
	return r;
}

int cfg_read_map_checked(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			 struct ew_config_map *map, cfg_item_check check)
{
	size_t i;
	int r;

	r = cfg_f_map(c, v, name, map, NULL);
	if (r)
		return r;
	r = cfg_push(c, v, name);
	if (r)
		return r;
	for (i = 0; !r && i < map->n; i++)
		r = check(c, v, &map->items[i]);
	cfg_pop(c);
	return r;
}

/* --- readers -------------------------------------------------------------- */

int cfg_read_string(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    const char **out)
{
	struct ew_toml_error e;
	int r = ew_toml_as_string(v, name, out, &e);

	return r ? cfg_toml(c, r, &e) : 0;
}

int cfg_read_int(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		 int64_t min, int64_t max, int64_t *out)
{
	struct ew_toml_error e;
	int r = ew_toml_as_int(v, name, min, max, out, &e);

	return r ? cfg_toml(c, r, &e) : 0;
}

static int store_string(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			void *dst, const void *arg, bool nonempty)
{
	const cfg_check *check = arg;
	const char *s, *copy;
	int r;

	r = cfg_read_string(c, v, name, &s);
	if (r)
		return r;
	if (nonempty && !*s)
		return cfg_fail_at(c, v, "\"%s\" must not be empty", name);
	if (check) {
		r = (*check)(c, v, name, s);
		if (r)
			return r;
	}
	copy = cfg_strdup(c, s, strlen(s));
	if (!copy)
		return -ENOMEM;
	*(const char **)dst = copy;
	return 0;
}

int cfg_f_string(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		 void *dst, const void *arg)
{
	return store_string(c, v, name, dst, arg, false);
}

int cfg_f_text(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
	       void *dst, const void *arg)
{
	return store_string(c, v, name, dst, arg, true);
}

int cfg_f_bool(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
	       void *dst, const void *arg)
{
	struct ew_toml_error e;
	int r;

	(void)arg;
	r = ew_toml_as_bool(v, name, dst, &e);
	return r ? cfg_toml(c, r, &e) : 0;
}

int cfg_f_u32(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
	      void *dst, const void *arg)
{
	const struct cfg_range *range = arg;
	int64_t i;
	int r;

	r = cfg_read_int(c, v, name, range->min, range->max, &i);
	if (!r)
		*(uint32_t *)dst = (uint32_t)i;
	return r;
}

int cfg_f_enum(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
	       void *dst, const void *arg)
{
	const struct cfg_enum *en = arg;
	char list[256];
	const char *s;
	size_t i, o = 0;
	int r;

	r = cfg_read_string(c, v, name, &s);
	if (r)
		return r;
	for (i = 0; i < en->n; i++) {
		if (!strcmp(s, en->names[i])) {
			*(int *)dst = en->values[i];
			return 0;
		}
	}
	list[0] = '\0';
	for (i = 0; i < en->n && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s\"%s\"",
				      !i ? "" : i + 1 == en->n ? " or " : ", ", en->names[i]);
	return cfg_wrong_value(c, v, name, list, s);
}

static int read_table(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		      void *dst, const struct cfg_field *fields, const char *const *required)
{
	int r = cfg_enter(c, v, name);

	if (r)
		return r;
	r = cfg_walk(c, v, fields, dst, NULL);
	if (!r && required)
		r = cfg_require_all(c, v, required);
	cfg_pop(c);
	return r;
}

int cfg_f_table(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		void *dst, const void *arg)
{
	return read_table(c, v, name, dst, arg, NULL);
}

int cfg_f_table_req(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    void *dst, const void *arg)
{
	const struct cfg_table *t = arg;

	return read_table(c, v, name, dst, t->fields, t->required);
}

int cfg_f_map(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
	      void *dst, const void *arg)
{
	return cfg_read_map(c, v, name, dst, cfg_f_string, arg);
}

/* --- durations and renewal policies --------------------------------------- */

/* At most 100 years: more is a typo, and sums stay far from overflow. */
#define DURATION_MAX (36500ull * 86400)
#define DURATION_RANGE "between 1s and 36500d"

/*
 * "<digits><unit>" with unit s, m, h, d or Azure's min and day: the
 * seconds, 0 for a zero or overlong number, -1 when it is not that shape.
 */
static int64_t parse_duration(const char *s)
{
	static const struct {
		const char *unit;
		uint64_t scale;
	} units[] = {
		{ "s", 1 }, { "m", 60 }, { "min", 60 }, { "h", 3600 },
		{ "d", 86400 }, { "day", 86400 },
	};
	uint64_t n = 0;
	const char *p = s;
	size_t i;

	for (; *p >= '0' && *p <= '9'; p++)
		if (n <= DURATION_MAX)
			n = n * 10 + (uint64_t)(*p - '0');
	if (p == s)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(p, units[i].unit))
			return n > DURATION_MAX / units[i].scale ? 0 :
			       (int64_t)(n * units[i].scale);
	return -1;
}

int cfg_f_duration(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		   void *dst, const void *arg)
{
	const char *s;
	int64_t secs;
	int r;

	(void)arg;
	r = cfg_read_string(c, v, name, &s);
	if (r)
		return r;
	secs = parse_duration(s);
	if (secs < 0)
		return cfg_wrong_value(c, v, name,
				       "a duration (\"7d\", \"12h\", \"30m\", \"45s\")", s);
	if (secs == 0 || (uint64_t)secs > DURATION_MAX)
		return cfg_wrong_value(c, v, name, DURATION_RANGE, s);
	*(uint64_t *)dst = (uint64_t)secs;
	return 0;
}

int cfg_f_renew_value(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		      void *dst, const void *arg)
{
	struct ew_renew_value *rv = dst;
	const char *s;
	size_t len;
	int64_t n = 0;
	int r;

	(void)arg;
	r = cfg_read_string(c, v, name, &s);
	if (r)
		return r;
	len = strlen(s);
	if (len >= 2 && s[len - 1] == '%') {
		size_t i;

		for (i = 0; i + 1 < len && s[i] >= '0' && s[i] <= '9'; i++)
			if (n < 1000)
				n = n * 10 + (s[i] - '0');
		if (i + 1 == len) {
			if (n < 1 || n > 99)
				return cfg_wrong_value(c, v, name,
						       "a percentage between 1% and 99%", s);
			rv->unit = EW_RENEW_PERCENT;
			rv->value = n;
			return 0;
		}
	}
	n = parse_duration(s);
	if (n < 0)
		return cfg_wrong_value(c, v, name,
				       "a percentage (\"80%\") or a duration (\"10d\", \"12h\", \"30m\")",
				       s);
	if (n == 0)
		return cfg_wrong_value(c, v, name, DURATION_RANGE, s);
	rv->unit = EW_RENEW_SECONDS;
	rv->value = n;
	return 0;
}

void cfg_renew_defaults(struct ew_config_auto_renew *ar)
{
	ar->set = false;
	ar->rotate_key = true;
	ew_renew_policy_default(&ar->policy);
}

static const struct cfg_field auto_renew_fields[] = {
	{ "rotate_key", cfg_f_bool, offsetof(struct ew_config_auto_renew, rotate_key), NULL },
	{ "threshold", cfg_f_renew_value,
	  offsetof(struct ew_config_auto_renew, policy.threshold), NULL },
	{ "retry", cfg_f_renew_value, offsetof(struct ew_config_auto_renew, policy.retry),
	  NULL },
	{ NULL, NULL, 0, NULL },
};

int cfg_f_auto_renew(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		     void *dst, const void *arg)
{
	struct ew_config_auto_renew *ar = dst;

	(void)arg;
	cfg_renew_defaults(ar);
	ar->set = true;
	return cfg_f_table(c, v, name, dst, auto_renew_fields);
}

/* --- keys accepted and ignored -------------------------------------------- */

static int read_ignored(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			void *dst, const struct cfg_ignored *ig)
{
	/* Taken first: a table's own walk moves it. */
	struct ew_toml_pos at = c->key_pos;
	char t[CFG_PATH_MAX + 16];
	int r;

	r = ig->fn(c, v, name, dst, ig->arg);
	if (r)
		return r;
	return cfg_warn(c, at, "\"%s\"%s is ignored: %s", name, cfg_in_table(c, t, sizeof(t)),
			ig->why);
}

int cfg_f_ignored(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		  void *dst, const void *arg)
{
	return read_ignored(c, v, name, dst, arg);
}

int cfg_f_superseded(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		     void *dst, const void *arg)
{
	/* Room for any value a reader stores; strings stay in the arena. */
	union {
		bool b;
		uint64_t u;
		const char *s;
		struct ew_renew_value rv;
		struct ew_config_key key;
	} scratch;

	(void)dst;
	memset(&scratch, 0, sizeof(scratch));
	return read_ignored(c, v, name, &scratch, arg);
}

int cfg_f_misplaced(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    void *dst, const void *arg)
{
	char t[CFG_PATH_MAX + 16];

	(void)v;
	(void)dst;
	return cfg_fail(c, c->key_pos, "\"%s\" cannot be%s: %s", name,
			cfg_in_table(c, t, sizeof(t)), (const char *)arg);
}

/* --- checks --------------------------------------------------------------- */

int cfg_check_hostname(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		       const char *s)
{
	size_t len = strlen(s), label = 0, i;
	unsigned char addr[16];
	bool ok = len >= 1 && len <= 253;

	/* Nested devices are often named by address (IPv4 passes as labels). */
	if (inet_pton(AF_INET6, s, addr) == 1)
		return 0;

	for (i = 0; ok && i <= len; i++) {
		char ch = s[i];

		if (ch == '.' || ch == '\0') {
			/* RFC 1123 labels: 1..63, no hyphen at either end. */
			ok = label >= 1 && label <= 63 && s[i - 1] != '-' &&
			     s[i - label] != '-';
			label = 0;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			   (ch >= '0' && ch <= '9') || ch == '-') {
			label++;
		} else {
			ok = false;
		}
	}
	if (ok)
		return 0;
	return cfg_wrong_value(c, v, name,
			       "a host name (labels of letters, digits and '-' between dots) or an IP address",
			       s);
}

int cfg_check_ident(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    const char *s)
{
	char q[CFG_QUOTE_MAX];

	if (ew_ident_valid(s))
		return 0;
	return cfg_fail_at(c, v,
			   "\"%s\" must be 1 to %d letters, digits or characters of \"-:.+%%_#*?!(),=@$'\", not %s",
			   name, EDGEWARD_NAME_MAX_LEN, cfg_quote(q, sizeof(q), s, strlen(s)));
}

int cfg_check_abs_path(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		       const char *s)
{
	if (s[0] != '/')
		return cfg_wrong_value(c, v, name, "an absolute path", s);
	if (strlen(s) >= EW_PATH_MAX)
		return cfg_fail_at(c, v, "\"%s\" is longer than %d bytes", name, EW_PATH_MAX - 1);
	return 0;
}

const cfg_check cfg_hostname_check = cfg_check_hostname;
const cfg_check cfg_ident_check = cfg_check_ident;
const cfg_check cfg_abs_path_check = cfg_check_abs_path;
