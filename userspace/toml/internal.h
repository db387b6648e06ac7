/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to libewtoml: the tree's nodes, the parser's state and the helpers
 * the parser's files share. Nothing here is part of the API (toml.h).
 */
#ifndef EW_TOML_INTERNAL_H
#define EW_TOML_INTERNAL_H

#include <locale.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toml.h"

/*
 * How a table came to be, which decides what may later add to it (TOML 1.0
 * section "Table"): a header may define a table that only earlier headers
 * made as a parent (IMPLICIT), never one a header or dotted keys defined;
 * dotted keys may extend only tables dotted keys made; nothing extends an
 * inline table.
 */
enum tbl_kind {
	TBL_ROOT,
	TBL_IMPLICIT,	/* a parent in some header: [a] of [a.b] */
	TBL_HEADER,	/* defined by [a], or an element made by [[a]] */
	TBL_DOTTED,	/* made by a dotted key: a of a.b = 1 */
	TBL_INLINE,	/* { ... }: sealed once closed */
};

enum arr_kind {
	ARR_STATIC,	/* [ ... ]: sealed */
	ARR_TABLES,	/* made by [[a]]: each header appends */
};

struct tbl_entry {
	char *key;		/* NUL-terminated copy */
	size_t key_len;
	uint64_t hash;
	struct ew_toml_pos key_pos;
	struct ew_toml_value *value;
};

/*
 * Open addressing over a table's entries once it has more than a few, so
 * that a hostile file with a million keys does not take n^2 to check for
 * duplicates. slots[] hold entry index + 1, 0 is empty; cap is a power of 2.
 */
struct tbl_index {
	size_t cap;
	uint32_t slots[];
};

struct ew_toml_value {
	uint8_t type;		/* enum ew_toml_type */
	uint8_t kind;		/* enum tbl_kind or enum arr_kind */
	uint32_t depth;		/* containers: the root is 0 */
	struct ew_toml_pos pos;
	union {
		struct {
			char *ptr;	/* NUL-terminated */
			size_t len;
		} str;
		int64_t i;
		double f;
		bool b;
		struct {
			struct ew_toml_datetime dt;
			char text[EW_TOML_DATETIME_TEXT_MAX];
		} dt;
		struct {
			struct tbl_entry *entries;
			size_t len;
			size_t cap;
			const uint64_t *hkey;	/* the document's hash key */
			struct tbl_index *index;
		} tbl;
		struct {
			struct ew_toml_value **items;
			size_t len;
			size_t cap;
		} arr;
	} u;
};

struct ew_toml_doc {
	uint64_t hkey[2];
	struct ew_toml_value *root;
};

/* A growing byte buffer: strings and keys are decoded into one. */
struct sbuf {
	char *p;
	size_t len;
	size_t cap;
};

/* One part of a dotted key, decoded; its bytes are at text.p + off. */
struct key_part {
	size_t off;
	size_t len;
	struct ew_toml_pos pos;
};

struct key_path {
	struct sbuf text;
	struct key_part *parts;
	size_t n;
	size_t cap;
};

struct tp {
	const char *buf;
	size_t len;
	size_t off;
	uint32_t line;		/* of buf[off] */
	uint32_t col;
	struct ew_toml_error *err;
	bool failed;
	uint32_t max_depth;
	size_t mem;		/* bytes the tree holds so far */
	size_t max_mem;
	struct ew_toml_doc *doc;
	struct ew_toml_value *cur;	/* the table of the last header */
	locale_t c_locale;	/* for strtod_l; made on the first float */
};

/* lex.c: the cursor over the text. */
static inline int tp_peek(const struct tp *p)
{
	return p->off < p->len ? (unsigned char)p->buf[p->off] : -1;
}

static inline int tp_peek_at(const struct tp *p, size_t k)
{
	return k < p->len - p->off ? (unsigned char)p->buf[p->off + k] : -1;
}

static inline struct ew_toml_pos tp_pos(const struct tp *p)
{
	return (struct ew_toml_pos){ .line = p->line, .column = p->col };
}

void tp_adv(struct tp *p);
void tp_adv_n(struct tp *p, size_t n);
int tp_fail(struct tp *p, struct ew_toml_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "'x'", "end of file", "a newline", "U+0007"... for "found ..." */
const char *tp_describe(const struct tp *p, char *buf, size_t size);
int tp_fail_found(struct tp *p, const char *expected);
/* s as a quoted, escaped and maybe shortened string for a message. */
const char *tp_quote(char *buf, size_t size, const char *s, size_t len);
void tp_skip_ws(struct tp *p);
bool tp_at_newline(const struct tp *p);
int tp_skip_newline(struct tp *p);
int tp_skip_comment(struct tp *p);
int tp_skip_ws_comments_newlines(struct tp *p);
int tp_end_of_line(struct tp *p);

/* utf8.c */
/* 0, or -1 with *bad at the first byte that is not valid UTF-8. */
int ew_utf8_check(const char *buf, size_t len, size_t *bad);
/* Writes cp as UTF-8 into out (4 bytes room), returns the length. */
size_t ew_utf8_encode(uint32_t cp, char *out);

/* hash.c */
uint64_t ew_toml_hash(const uint64_t key[2], const void *data, size_t len);
void ew_toml_hash_key(uint64_t key[2]);

/* tree.c */
void *tp_alloc(struct tp *p, size_t size);
/* ptr grown to hold need elements (cap updated), or NULL with ptr still valid. */
void *tp_grow(struct tp *p, void *ptr, size_t *cap, size_t need, size_t elem);
struct ew_toml_value *tv_new(struct tp *p, enum ew_toml_type type, struct ew_toml_pos pos);
struct ew_toml_value *tv_new_container(struct tp *p, enum ew_toml_type type, int kind,
				       struct ew_toml_pos pos, uint32_t depth);
void tv_free(struct ew_toml_value *v);
struct tbl_entry *tbl_find(const struct ew_toml_value *t, const char *key, size_t len);
/* Both take v: on failure it is freed, or already in t or a. */
int tbl_add(struct tp *p, struct ew_toml_value *t, const char *key, size_t len,
	    struct ew_toml_pos key_pos, struct ew_toml_value *v);
int arr_push(struct tp *p, struct ew_toml_value *a, struct ew_toml_value *v);

/* sbuf.c */
int sbuf_put(struct tp *p, struct sbuf *b, const char *s, size_t n);
int sbuf_putc(struct tp *p, struct sbuf *b, char c);
/* Hands the bytes (NUL-terminated) to the caller and empties b. */
char *sbuf_take(struct tp *p, struct sbuf *b, size_t *len);
void sbuf_free(struct sbuf *b);

/* string.c: a string at the cursor (", ', """ or '''), decoded into out. */
int tp_string(struct tp *p, struct sbuf *out, bool multiline_ok);

/* number.c: integers and floats from a token. */
int tp_number(struct tp *p, const char *tok, size_t len, struct ew_toml_pos pos,
	      struct ew_toml_value *v);

/* datetime.c */
/* Whether a token starting at s looks like a date-time rather than a number. */
bool tp_looks_datetime(const char *s, size_t len);
int tp_datetime(struct tp *p, const char *tok, size_t len, struct ew_toml_pos pos,
		struct ew_toml_value *v);

/* key.c: a (dotted) key at the cursor. */
int tp_key(struct tp *p, struct key_path *path);
void key_path_free(struct key_path *path);

static inline const char *key_at(const struct key_path *path, size_t i)
{
	/* An empty quoted key leaves the buffer unallocated. */
	return path->text.p ? path->text.p + path->parts[i].off : "";
}

/* value.c: a value at the cursor, for a slot at the given depth. */
struct ew_toml_value *tp_value(struct tp *p, uint32_t depth);

/* parse.c */
int tp_keyval(struct tp *p, struct ew_toml_value *table);
int tp_document(struct tp *p);

#endif /* EW_TOML_INTERNAL_H */
