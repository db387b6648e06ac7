// SPDX-License-Identifier: GPL-2.0-only
/*
 * The document tree: making nodes (every allocation of a parse is counted
 * against limits.max_memory), tables with their keys in order and a hash
 * index once they grow, arrays, and freeing it all.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Tables up to this many keys are searched in order, without an index. */
#define TBL_LINEAR_MAX 8

static int account(struct tp *p, size_t size)
{
	if (size > p->max_mem - p->mem)
		return tp_fail(p, tp_pos(p), "the document needs more than %zu bytes of memory",
			       p->max_mem);
	p->mem += size;
	return 0;
}

void *tp_alloc(struct tp *p, size_t size)
{
	void *m;

	if (account(p, size))
		return NULL;
	m = malloc(size ? size : 1);
	if (!m)
		tp_fail(p, tp_pos(p), "out of memory");
	return m;
}

void *tp_grow(struct tp *p, void *ptr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *m;

	if (need <= *cap)
		return ptr;
	ncap = *cap ? *cap : 4;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			goto oom;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elem)
		goto oom;
	if (account(p, (ncap - *cap) * elem))
		return NULL;
	m = realloc(ptr, ncap * elem);
	if (!m)
		goto oom;
	*cap = ncap;
	return m;
oom:
	tp_fail(p, tp_pos(p), "out of memory");
	return NULL;
}

struct ew_toml_value *tv_new(struct tp *p, enum ew_toml_type type, struct ew_toml_pos pos)
{
	struct ew_toml_value *v = tp_alloc(p, sizeof(*v));

	if (!v)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->type = (uint8_t)type;
	v->pos = pos;
	if (type == EW_TOML_TABLE)
		v->u.tbl.hkey = p->doc->hkey;
	return v;
}

struct ew_toml_value *tv_new_container(struct tp *p, enum ew_toml_type type, int kind,
				       struct ew_toml_pos pos, uint32_t depth)
{
	struct ew_toml_value *v;

	if (depth > p->max_depth) {
		tp_fail(p, pos, "tables and arrays nest deeper than %u levels", p->max_depth);
		return NULL;
	}
	v = tv_new(p, type, pos);
	if (v) {
		v->kind = (uint8_t)kind;
		v->depth = depth;
	}
	return v;
}

void tv_free(struct ew_toml_value *v)
{
	size_t i;

	if (!v)
		return;
	switch (v->type) {
	case EW_TOML_STRING:
		free(v->u.str.ptr);
		break;
	case EW_TOML_TABLE:
		for (i = 0; i < v->u.tbl.len; i++) {
			free(v->u.tbl.entries[i].key);
			/* Bounded by max_depth: containers deeper were refused. */
			tv_free(v->u.tbl.entries[i].value);
		}
		free(v->u.tbl.entries);
		free(v->u.tbl.index);
		break;
	case EW_TOML_ARRAY:
		for (i = 0; i < v->u.arr.len; i++)
			tv_free(v->u.arr.items[i]);
		free(v->u.arr.items);
		break;
	default:
		break;
	}
	free(v);
}

struct tbl_entry *tbl_find(const struct ew_toml_value *t, const char *key, size_t len)
{
	const struct tbl_index *ix;
	struct tbl_entry *e;
	size_t i, mask;
	uint64_t h;

	if (t->type != EW_TOML_TABLE)
		return NULL;
	ix = t->u.tbl.index;
	if (!ix) {
		for (i = 0; i < t->u.tbl.len; i++) {
			e = &t->u.tbl.entries[i];
			if (e->key_len == len && !memcmp(e->key, key, len))
				return e;
		}
		return NULL;
	}
	h = ew_toml_hash(t->u.tbl.hkey, key, len);
	mask = ix->cap - 1;
	for (i = h & mask; ix->slots[i]; i = (i + 1) & mask) {
		e = &t->u.tbl.entries[ix->slots[i] - 1];
		if (e->hash == h && e->key_len == len && !memcmp(e->key, key, len))
			return e;
	}
	return NULL;
}

static void index_put(struct tbl_index *ix, uint64_t hash, uint32_t slot)
{
	size_t mask = ix->cap - 1, i;

	for (i = hash & mask; ix->slots[i]; i = (i + 1) & mask)
		;
	ix->slots[i] = slot;
}

/* Keeps the index at most half full, rebuilding it twice as big when not. */
static int index_update(struct tp *p, struct ew_toml_value *t)
{
	struct tbl_index *ix = t->u.tbl.index;
	size_t n = t->u.tbl.len, cap, i;

	if (n <= TBL_LINEAR_MAX)
		return 0;
	if (ix && n * 2 <= ix->cap) {
		index_put(ix, t->u.tbl.entries[n - 1].hash, (uint32_t)n);
		return 0;
	}
	cap = ix ? ix->cap * 2 : 64;
	if (cap > (SIZE_MAX - sizeof(*ix)) / sizeof(ix->slots[0]))
		return tp_fail(p, tp_pos(p), "out of memory");
	ix = tp_alloc(p, sizeof(*ix) + cap * sizeof(ix->slots[0]));
	if (!ix)
		return -1;
	ix->cap = cap;
	memset(ix->slots, 0, cap * sizeof(ix->slots[0]));
	for (i = 0; i < n; i++)
		index_put(ix, t->u.tbl.entries[i].hash, (uint32_t)(i + 1));
	free(t->u.tbl.index);
	t->u.tbl.index = ix;
	return 0;
}

int tbl_add(struct tp *p, struct ew_toml_value *t, const char *key, size_t len,
	    struct ew_toml_pos key_pos, struct ew_toml_value *v)
{
	struct tbl_entry *e;
	char *k;

	if (t->u.tbl.len >= UINT32_MAX - 1) {
		tp_fail(p, key_pos, "too many keys in one table");
		goto fail;
	}
	e = tp_grow(p, t->u.tbl.entries, &t->u.tbl.cap, t->u.tbl.len + 1,
		    sizeof(*t->u.tbl.entries));
	if (!e)
		goto fail;
	t->u.tbl.entries = e;
	k = tp_alloc(p, len + 1);
	if (!k)
		goto fail;
	memcpy(k, key, len);
	k[len] = '\0';
	e = &t->u.tbl.entries[t->u.tbl.len++];
	e->key = k;
	e->key_len = len;
	e->hash = ew_toml_hash(t->u.tbl.hkey, key, len);
	e->key_pos = key_pos;
	e->value = v;
	/* v is the table's now, to be freed with it whatever happens. */
	return index_update(p, t);
fail:
	tv_free(v);
	return -1;
}

int arr_push(struct tp *p, struct ew_toml_value *a, struct ew_toml_value *v)
{
	struct ew_toml_value **items;

	items = tp_grow(p, a->u.arr.items, &a->u.arr.cap, a->u.arr.len + 1,
			sizeof(*a->u.arr.items));
	if (!items) {
		tv_free(v);
		return -1;
	}
	a->u.arr.items = items;
	a->u.arr.items[a->u.arr.len++] = v;
	return 0;
}
