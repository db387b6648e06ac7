// SPDX-License-Identifier: GPL-2.0-only
/*
 * The decoder of the toml-test suite for libewtoml: reads TOML on stdin and
 * prints it as toml-test's "tagged JSON" on stdout (exit 0), or prints the
 * parser's error as "line:column: message" on stderr (exit 1). The JSON is
 * written here rather than with cJSON because keys and strings may hold NUL
 * bytes, which C strings can not.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toml/toml.h"

static void put_string(FILE *f, const char *s, size_t len)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void put_tagged(FILE *f, const char *type, const char *value)
{
	fprintf(f, "{\"type\":\"%s\",\"value\":", type);
	put_string(f, value, strlen(value));
	fputc('}', f);
}

static const char *tag_of(enum ew_toml_type type)
{
	switch (type) {
	case EW_TOML_DATETIME: return "datetime";
	case EW_TOML_DATETIME_LOCAL: return "datetime-local";
	case EW_TOML_DATE_LOCAL: return "date-local";
	case EW_TOML_TIME_LOCAL: return "time-local";
	case EW_TOML_BOOL: return "bool";
	default: return ew_toml_type_name(type);
	}
}

/* Recursion is bounded by the parser's depth limit. */
static void put_value(FILE *f, const struct ew_toml_value *v)
{
	enum ew_toml_type type = ew_toml_type(v);
	struct ew_toml_key key;
	char num[64];
	size_t i, len;
	const char *s;
	double d;

	switch (type) {
	case EW_TOML_TABLE:
		fputc('{', f);
		for (i = 0; i < ew_toml_table_len(v); i++) {
			const struct ew_toml_value *child = ew_toml_table_at(v, i, &key);

			if (i)
				fputc(',', f);
			put_string(f, key.name, key.len);
			fputc(':', f);
			put_value(f, child);
		}
		fputc('}', f);
		return;
	case EW_TOML_ARRAY:
		fputc('[', f);
		for (i = 0; i < ew_toml_array_len(v); i++) {
			if (i)
				fputc(',', f);
			put_value(f, ew_toml_array_at(v, i));
		}
		fputc(']', f);
		return;
	case EW_TOML_STRING:
		s = ew_toml_string(v, &len);
		fputs("{\"type\":\"string\",\"value\":", f);
		put_string(f, s, len);
		fputc('}', f);
		return;
	case EW_TOML_INTEGER:
		snprintf(num, sizeof(num), "%" PRId64, ew_toml_int(v));
		put_tagged(f, "integer", num);
		return;
	case EW_TOML_FLOAT:
		d = ew_toml_float(v);
		if (isnan(d))
			snprintf(num, sizeof(num), "nan");
		else if (isinf(d))
			snprintf(num, sizeof(num), "%sinf", d < 0 ? "-" : "");
		else
			snprintf(num, sizeof(num), "%.17g", d);
		put_tagged(f, "float", num);
		return;
	case EW_TOML_BOOL:
		put_tagged(f, "bool", ew_toml_bool(v) ? "true" : "false");
		return;
	default:
		put_tagged(f, tag_of(type), ew_toml_datetime_text(v));
		return;
	}
}

/* All of stdin, up to one byte past the parser's limit (it says why). */
static char *read_all(size_t *len)
{
	size_t cap = 65536, max = (size_t)EW_TOML_MAX_SIZE + 1;
	char *buf = malloc(cap), *m;
	ssize_t n;

	*len = 0;
	while (buf) {
		if (*len == cap) {
			if (cap >= max)
				break;
			cap = cap * 2 > max ? max : cap * 2;
			m = realloc(buf, cap);
			if (!m) {
				free(buf);
				return NULL;
			}
			buf = m;
		}
		n = read(STDIN_FILENO, buf + *len, cap - *len);
		if (n < 0) {
			perror("toml_decode: stdin");
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return buf;
}

int main(void)
{
	struct ew_toml_error err;
	struct ew_toml_doc *doc;
	size_t len;
	char *buf = read_all(&len);

	if (!buf) {
		fprintf(stderr, "toml_decode: can not read stdin\n");
		return 1;
	}
	doc = ew_toml_parse(buf, len, NULL, &err);
	free(buf);
	if (!doc) {
		fprintf(stderr, "toml_decode: %u:%u: %s\n", err.line, err.column, err.message);
		return 1;
	}
	put_value(stdout, ew_toml_root(doc));
	fputc('\n', stdout);
	ew_toml_free(doc);
	if (fflush(stdout) || ferror(stdout)) {
		perror("toml_decode: stdout");
		return 1;
	}
	return 0;
}
