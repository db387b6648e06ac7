/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the configuration loader (config*.c): the load context that
 * carries the one error message, the arena that owns what the loaded
 * configuration points to, the table walker that turns every key it does
 * not know into an error, the list readers, and the value readers the
 * schema is built from.
 */
#ifndef EW_DAEMON_CONFIG_INTERNAL_H
#define EW_DAEMON_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/config.h"
#include "toml/toml.h"

/* Room for the dotted path of the table being read, for messages. */
#define CFG_PATH_MAX 192

struct cfg_ctx {
	const char *file;		/* FILE in messages */
	char *err;
	size_t errlen;
	struct ew_config *cfg;
	char path[CFG_PATH_MAX];	/* "provisioning.attestation", "" at the top */
	size_t path_len;
	size_t path_saved[16];
	unsigned int depth;
	struct ew_toml_pos key_pos;	/* of the key cfg_walk() is reading */
	size_t warn_cap;		/* room in cfg->warnings */
};

/* --- messages (config_util.c) --------------------------------------------- */

/* "FILE:LINE:COLUMN: <fmt>" (or "FILE: <fmt>" without a line); -EINVAL. */
int cfg_fail(struct cfg_ctx *c, struct ew_toml_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same with the value's position. */
int cfg_fail_at(struct cfg_ctx *c, const struct ew_toml_value *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cfg_nomem(struct cfg_ctx *c);
/* Adds "FILE:LINE:COLUMN: <fmt>" to cfg->warnings: 0, or -ENOMEM. */
int cfg_warn(struct cfg_ctx *c, struct ew_toml_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Passes on an error of the TOML library's checked reads (rc kept). */
int cfg_toml(struct cfg_ctx *c, int rc, const struct ew_toml_error *e);
/*
 * @s as a double-quoted string for a message: TOML escapes for quotes,
 * backslashes and control characters, cut (with "...") to fit @size.
 */
const char *cfg_quote(char *buf, size_t size, const char *s, size_t len);
#define CFG_QUOTE_MAX 96
/* " in table [a.b]" for the current table, "" at the top level. */
const char *cfg_in_table(struct cfg_ctx *c, char *buf, size_t size);
/* The TOML type name with its article: "an integer", "a table". */
const char *cfg_a_type(const struct ew_toml_value *v);
/* '"name" must be a string or a table, not an integer' at @v. */
int cfg_wrong_type(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		   const char *want);
/* '"name" must be <want>, not "<s>"' at @v: a string that is not what it should be. */
int cfg_wrong_value(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    const char *want, const char *s);

/* Table paths: push a key (or "[i]" for an array element), pop it again. */
int cfg_push(struct cfg_ctx *c, const struct ew_toml_value *at, const char *seg);
int cfg_push_index(struct cfg_ctx *c, const struct ew_toml_value *at, size_t i);
void cfg_pop(struct cfg_ctx *c);

/* --- the arena (config_util.c) -------------------------------------------- */

void *cfg_alloc(struct cfg_ctx *c, size_t size);	/* zeroed; NULL: message set */
const char *cfg_strdup(struct cfg_ctx *c, const char *s, size_t len);
void cfg_arena_free(struct ew_config_arena *a);

/* --- tables --------------------------------------------------------------- */

/*
 * A reader: checks @v (the value of key @name) and stores it at @dst.
 * @arg is the field's parameter (a range, the names of an enum, ...).
 * The readers below are declared with this type: they all have its
 * parameters, and their definitions spell them out.
 */
typedef int cfg_reader(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		       void *dst, const void *arg);
typedef cfg_reader *cfg_fn;

struct cfg_field {
	const char *name;
	cfg_fn fn;		/* NULL: already read (a discriminator) */
	size_t off;		/* of dst in the struct the walk fills */
	const void *arg;
};

/*
 * Reads every key of @table in the order of the file: a key with a field
 * calls its reader with dst = @base + off (and c->key_pos set to where
 * the key is written), any other key is an error
 * ('unknown key "x" in table [path]', followed by @why when not NULL).
 * The fields end with one whose name is NULL.
 */
int cfg_walk(struct cfg_ctx *c, const struct ew_toml_value *table,
	     const struct cfg_field *fields, void *base, const char *why);
/* The field named by the @len bytes at @key, or NULL. */
const struct cfg_field *cfg_find_field(const struct cfg_field *fields, const char *key,
				       size_t len);
/* @v as a table ('"name" must be a table, not ...'). */
int cfg_expect_table(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name);
/* cfg_expect_table(), then into its path: cfg_pop() when 0. */
int cfg_enter(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name);
/* 'missing key "key" in table [path]' at @table when @table has no @key. */
int cfg_require(struct cfg_ctx *c, const struct ew_toml_value *table, const char *key);
/* cfg_require() for each of the NULL-ended @keys, in order. */
int cfg_require_all(struct cfg_ctx *c, const struct ew_toml_value *table,
		    const char *const *keys);
/* '"b" cannot be combined with "a"' at b's key when @table has both. */
int cfg_exclusive(struct cfg_ctx *c, const struct ew_toml_value *table, const char *a,
		  const char *b);
/* Where key @name of @table was written. */
struct ew_toml_pos cfg_key_pos(const struct ew_toml_value *table, const char *name);

/* --- lists (config_util.c) ------------------------------------------------ */

/*
 * How to read a table of name -> value, or an array, into an array of
 * elements allocated in the arena. A table's keys are names (without NUL
 * bytes), copied into each element's first member.
 */
struct cfg_list {
	enum ew_toml_type type;	/* EW_TOML_TABLE or EW_TOML_ARRAY */
	const char *want;	/* what @v must be: "a table", "an array of strings" */
	size_t size;		/* of an element */
	cfg_fn fn;		/* reads each value into its element, at off */
	size_t off;
	const void *arg;
	bool tables;		/* an array's items must be tables, each with its path */
};

/* The list @how at @v, in the order of the file; *out and *n set on success only. */
int cfg_read_list(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		  const struct cfg_list *how, void **out, size_t *n);
/*
 * Defines reader @fn: the list @how read into the fields @items and @n of
 * the @type at dst. A macro because @items has its elements' own pointer
 * type, which no one function can assign.
 */
#define CFG_LIST_READER(fn, type, items, n, how)					\
	static int fn(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name, \
		      void *dst, const void *arg)					\
	{										\
		type *d = dst;								\
		void *p;								\
		int r = cfg_read_list(c, v, name, how, &p, &d->n);			\
											\
		(void)arg;								\
		if (!r)									\
			d->items = p;							\
		return r;								\
	}
/* struct ew_config_map: a table of name -> what @fn reads with @arg. */
int cfg_read_map(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		 struct ew_config_map *map, cfg_fn fn, const void *arg);
/* A check of one item of a map, in the map's table: 0, or a message. */
typedef int (*cfg_item_check)(struct cfg_ctx *c, const struct ew_toml_value *table,
			      const struct ew_config_pair *item);
/* cfg_f_map() of plain strings, then @check on each item (all read first). */
int cfg_read_map_checked(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			 struct ew_config_map *map, cfg_item_check check);
/* A key of a name -> value table as a string in the arena (no NUL bytes). */
int cfg_key_name(struct cfg_ctx *c, const struct ew_toml_key *k, const char **out);

/* --- readers (config_util.c) ---------------------------------------------- */

struct cfg_range {
	int64_t min;
	int64_t max;
};

struct cfg_enum {
	const char *const *names;
	const int *values;
	size_t n;
};

/* A table and the keys it must have: the @arg of cfg_f_table_req. */
struct cfg_table {
	const struct cfg_field *fields;
	const char *const *required;	/* NULL-ended */
};

/* A string check: 0, or cfg_fail() with why @s is wrong. */
typedef int (*cfg_check)(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			 const char *s);

/* For the @arg of string readers. */
extern const cfg_check cfg_hostname_check;
extern const cfg_check cfg_ident_check;
extern const cfg_check cfg_abs_path_check;
extern const cfg_check cfg_https_check;

/* The checked reads of the TOML library, their errors passed on. */
int cfg_read_string(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    const char **out);
int cfg_read_int(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		 int64_t min, int64_t max, int64_t *out);

/* const char *: any string without NUL bytes; @arg: a const cfg_check * or NULL. */
cfg_reader cfg_f_string;
/* const char *: a string that is not empty (and passes @arg, a const cfg_check *). */
cfg_reader cfg_f_text;
cfg_reader cfg_f_bool;
/* uint32_t in @arg, a struct cfg_range (within 0..UINT32_MAX). */
cfg_reader cfg_f_u32;
/* An enum (int-sized) from the names of @arg, a struct cfg_enum. */
cfg_reader cfg_f_enum;
/* A table whose keys are @arg's fields (const struct cfg_field *), read into dst. */
cfg_reader cfg_f_table;
/* The same with the keys it must have: @arg is a const struct cfg_table *. */
cfg_reader cfg_f_table_req;
/* struct ew_config_map: a table of strings; @arg: a const cfg_check * for the values. */
cfg_reader cfg_f_map;
/* rotate_key true, 80% and 4%: what an absent auto_renew table means. */
void cfg_renew_defaults(struct ew_config_auto_renew *ar);
/* struct ew_config_auto_renew. */
cfg_reader cfg_f_auto_renew;
/* struct ew_renew_value: "80%" or a duration ("10d"). */
cfg_reader cfg_f_renew_value;
/* uint64_t seconds: "<n>s|m|h|d" (and Azure's "<n>min", "<n>day"), n > 0. */
cfg_reader cfg_f_duration;

/*
 * A key of Azure's that edgeward accepts and does not act on: @fn checks
 * the value with @arg, then the key leaves the warning
 * '"name"[ in table [path]] is ignored: <why>' at the key.
 */
struct cfg_ignored {
	cfg_fn fn;
	const void *arg;
	const char *why;
};

/* The value stored at dst, as @fn would, for a feature edgeward may act on later. */
cfg_reader cfg_f_ignored;
/* The value only checked: a key Azure superseded and ignores itself. */
cfg_reader cfg_f_superseded;
/*
 * A key written in the wrong table: always an error at the key,
 * '"name" cannot be in table [path]: <@arg>', @arg a const char * saying
 * where it belongs.
 */
cfg_reader cfg_f_misplaced;

/* Checks for cfg_f_string/cfg_f_text. */
int cfg_check_hostname(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		       const char *s);
int cfg_check_ident(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    const char *s);
int cfg_check_abs_path(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		       const char *s);

/* --- URIs and credentials (config_uri.c) ---------------------------------- */

/* const char *: the absolute path of a "file:///..." URI. */
cfg_reader cfg_f_file;
/* struct ew_config_key: a file or "pkcs11:" URI. */
cfg_reader cfg_f_key;
/* struct ew_config_key: { value = "<base64>" } or { uri = "<file or pkcs11>" }. */
cfg_reader cfg_f_sym_key;
/* const char *: an https:// URL. */
cfg_reader cfg_f_https;
int cfg_check_https(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    const char *s);
/* struct ew_config_sock: "unix:///abs/path", and "fd://name" when @arg is non-NULL. */
cfg_reader cfg_f_sock;
/* const char *: Docker's endpoint, "unix:///abs/path" or "tcp://host:port". */
cfg_reader cfg_f_docker_uri;
/* A file URI as a path in the arena (for readers that build their own arrays). */
int cfg_file_uri(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		 const char **out);
/* Parses connection_string into the manual provisioning fields. */
int cfg_connection_string(struct cfg_ctx *c, const struct ew_toml_value *v,
			  struct ew_config_provisioning *p);
/*
 * Base64 as Azure reads keys: the standard alphabet, padding optional but
 * right when present, nothing else. *out in the arena. -EINVAL when bad.
 */
int cfg_base64(struct cfg_ctx *c, const char *s, const unsigned char **out, size_t *len);

/* --- the schema (config_schema.c, config_prov.c) -------------------------- */

int cfg_read_root(struct cfg_ctx *c, const struct ew_toml_value *root);
cfg_reader cfg_f_provisioning;
cfg_reader cfg_f_cert_issuance;
cfg_reader cfg_f_edge_ca;
/* struct ew_config_cert_issue: the table form of identity_cert. */
cfg_reader cfg_f_cert_issue;
/* Fields of struct ew_config_cert_issue, shared with [edge_ca]. */
int cfg_cert_issue_check(struct cfg_ctx *c, const struct ew_toml_value *table,
			 const struct ew_config_cert_issue *is);
extern const struct cfg_enum cfg_issue_methods;
cfg_reader cfg_f_subject;

#endif /* EW_DAEMON_CONFIG_INTERNAL_H */
