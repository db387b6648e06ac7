/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libewtoml: a strict TOML 1.0.0 parser for edgewardd's configuration.
 *
 * ew_toml_parse() or ew_toml_parse_file() turns a document into a tree that
 * one call, ew_toml_free(), releases. The tree is read-only; values are
 * opaque and read through the functions below. The parser stops at the first
 * error and says where it is. Nothing is global: separate documents may be
 * parsed and read from separate threads at once.
 *
 * Strings are UTF-8 and may hold NUL bytes (written \u0000), so each has a
 * length; a newline in a multi-line string reads as LF even if written CRLF.
 *
 * Positions: line and column are 1-based. A column counts characters
 * (Unicode code points, a tab is one), not bytes, so it matches what an
 * editor shows. A UTF-8 byte order mark at the start is not counted.
 *
 * Hostile input: the text must be at most limits.max_size bytes, containers
 * (tables and arrays, counting those made by dotted keys and table headers)
 * nest at most limits.max_depth deep, and the tree may use at most
 * limits.max_memory bytes. The parser recurses only as deep as the nesting,
 * so the stack it needs is bounded by max_depth.
 */
#ifndef EW_TOML_H
#define EW_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EW_TOML_MAX_SIZE	(16u << 20)	/* bytes of text */
#define EW_TOML_MAX_DEPTH	128u		/* nested tables and arrays */
#define EW_TOML_MAX_DEPTH_CAP	1024u		/* what a caller may raise it to */
#define EW_TOML_MAX_MEMORY	(256u << 20)	/* bytes of tree */
/* "YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+HH:MM" and its NUL. */
#define EW_TOML_DATETIME_TEXT_MAX 36

enum ew_toml_type {
	EW_TOML_TABLE,
	EW_TOML_ARRAY,
	EW_TOML_STRING,
	EW_TOML_INTEGER,
	EW_TOML_FLOAT,
	EW_TOML_BOOL,
	EW_TOML_DATETIME,	/* offset date-time: 1979-05-27T07:32:00Z */
	EW_TOML_DATETIME_LOCAL,	/* local date-time: 1979-05-27T07:32:00 */
	EW_TOML_DATE_LOCAL,	/* local date: 1979-05-27 */
	EW_TOML_TIME_LOCAL,	/* local time: 07:32:00 */
};

struct ew_toml_pos {
	uint32_t line;
	uint32_t column;	/* in characters */
};

/*
 * Why a call failed. line and column are 0 when the failure is about no
 * place in the text (a file that cannot be read, a key that is missing from
 * a table that has no position of its own).
 */
struct ew_toml_error {
	uint32_t line;
	uint32_t column;
	char message[256];
};

/*
 * Zero in a field means its default (EW_TOML_MAX_*). max_depth is capped
 * at EW_TOML_MAX_DEPTH_CAP, which bounds the stack a parse needs.
 */
struct ew_toml_limits {
	size_t max_size;
	uint32_t max_depth;
	size_t max_memory;
};

/*
 * The four kinds share one struct; has_date, has_time and has_offset say
 * which parts are there (the others are 0). Fractions of a second finer
 * than nanoseconds are truncated, as TOML allows. second may be 60 (a leap
 * second). An offset written "Z" has offset_minutes 0, as has "+00:00".
 */
struct ew_toml_datetime {
	int32_t year;		/* 0..9999 */
	int32_t month;		/* 1..12 */
	int32_t day;		/* 1..31, valid for the month and year */
	int32_t hour;		/* 0..23 */
	int32_t minute;		/* 0..59 */
	int32_t second;		/* 0..60 */
	int32_t nanosecond;	/* 0..999999999 */
	int32_t offset_minutes;	/* -1439..1439, east of UTC */
	bool has_date;
	bool has_time;
	bool has_offset;
};

/* A key of a table, as ew_toml_table_at() hands it out. */
struct ew_toml_key {
	const char *name;	/* NUL-terminated, but see len */
	size_t len;		/* bytes; name may hold NULs written as \u0000 */
	struct ew_toml_pos pos;	/* where it was written (the definition) */
};

struct ew_toml_doc;
struct ew_toml_value;

/*
 * Parsing. buf holds len bytes of UTF-8 (a NUL byte in it is an error, and
 * it needs no terminator). limits may be NULL for the defaults. On failure
 * both return NULL and fill *err (which may be NULL if the caller does not
 * care); err->message never has the file name: the caller prefixes it.
 */
struct ew_toml_doc *ew_toml_parse(const char *buf, size_t len,
				  const struct ew_toml_limits *limits,
				  struct ew_toml_error *err);
struct ew_toml_doc *ew_toml_parse_file(const char *path,
				       const struct ew_toml_limits *limits,
				       struct ew_toml_error *err);
/* Frees the document and every value in it. NULL is fine. */
void ew_toml_free(struct ew_toml_doc *doc);

/* The top-level table. */
const struct ew_toml_value *ew_toml_root(const struct ew_toml_doc *doc);

/* Any value. */
enum ew_toml_type ew_toml_type(const struct ew_toml_value *v);
/*
 * "table", "array", "string", "integer", "float", "boolean",
 * "offset date-time", "local date-time", "local date", "local time";
 * "unknown" for anything else.
 */
const char *ew_toml_type_name(enum ew_toml_type type);
/* Where the value starts; for a table defined by a header, the header. */
struct ew_toml_pos ew_toml_pos(const struct ew_toml_value *v);

/* Tables, with their keys in the order of the file. */
size_t ew_toml_table_len(const struct ew_toml_value *table);
/* The i-th value, and its key into *key if key is not NULL. */
const struct ew_toml_value *ew_toml_table_at(const struct ew_toml_value *table, size_t i,
					     struct ew_toml_key *key);
/* The value of key in table, or NULL (no such key, or table is no table). */
const struct ew_toml_value *ew_toml_get(const struct ew_toml_value *table, const char *key);
/* The same for keys that may hold NUL bytes, and with the key's position. */
const struct ew_toml_value *ew_toml_get_n(const struct ew_toml_value *table,
					  const char *key, size_t len,
					  struct ew_toml_key *found);

/* Arrays. */
size_t ew_toml_array_len(const struct ew_toml_value *array);
const struct ew_toml_value *ew_toml_array_at(const struct ew_toml_value *array, size_t i);

/*
 * Scalars, unchecked: each reads the value as its type says it is and
 * returns 0/NULL/false for a value of another type.
 */
const char *ew_toml_string(const struct ew_toml_value *v, size_t *len);
int64_t ew_toml_int(const struct ew_toml_value *v);
double ew_toml_float(const struct ew_toml_value *v);
bool ew_toml_bool(const struct ew_toml_value *v);
/* Any of the four date-time kinds; NULL for another type. */
const struct ew_toml_datetime *ew_toml_datetime(const struct ew_toml_value *v);
/* Its RFC 3339 text: "T" between date and time, "Z" in upper case. */
const char *ew_toml_datetime_text(const struct ew_toml_value *v);

/*
 * Checked reads for a config loader. Each returns 0, or fills *err and
 * returns -EINVAL when the value has another type ('"port" must be an
 * integer, not a string', at the value's position), or -ERANGE when an
 * integer is outside [min, max]. name is what the message calls the value
 * (usually its key).
 */
int ew_toml_expect(const struct ew_toml_value *v, enum ew_toml_type type, const char *name,
		   struct ew_toml_error *err);
/* A string without NUL bytes, as a C string. */
int ew_toml_as_string(const struct ew_toml_value *v, const char *name, const char **out,
		      struct ew_toml_error *err);
int ew_toml_as_int(const struct ew_toml_value *v, const char *name, int64_t min, int64_t max,
		   int64_t *out, struct ew_toml_error *err);
/* A float, or an integer (exactly representable) read as one. */
int ew_toml_as_float(const struct ew_toml_value *v, const char *name, double *out,
		     struct ew_toml_error *err);
int ew_toml_as_bool(const struct ew_toml_value *v, const char *name, bool *out,
		    struct ew_toml_error *err);
/* Any date-time kind; the caller checks has_date/has_time/has_offset. */
int ew_toml_as_datetime(const struct ew_toml_value *v, const char *name,
			struct ew_toml_datetime *out, struct ew_toml_error *err);

/*
 * The same by key in a table. A missing key returns -ENOENT with *err set
 * to 'missing key "name"' at the table's position and *out untouched, so a
 * caller with a default just ignores -ENOENT.
 */
int ew_toml_get_string(const struct ew_toml_value *table, const char *key, const char **out,
		       struct ew_toml_error *err);
int ew_toml_get_int(const struct ew_toml_value *table, const char *key, int64_t min,
		    int64_t max, int64_t *out, struct ew_toml_error *err);
int ew_toml_get_float(const struct ew_toml_value *table, const char *key, double *out,
		      struct ew_toml_error *err);
int ew_toml_get_bool(const struct ew_toml_value *table, const char *key, bool *out,
		     struct ew_toml_error *err);
int ew_toml_get_datetime(const struct ew_toml_value *table, const char *key,
			 struct ew_toml_datetime *out, struct ew_toml_error *err);
int ew_toml_get_table(const struct ew_toml_value *table, const char *key,
		      const struct ew_toml_value **out, struct ew_toml_error *err);
int ew_toml_get_array(const struct ew_toml_value *table, const char *key,
		      const struct ew_toml_value **out, struct ew_toml_error *err);

#endif /* EW_TOML_H */
