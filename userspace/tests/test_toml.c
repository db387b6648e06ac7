// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of libewtoml (toml/): the API edgewardd's config loader uses.
 * Values and their types, positions of keys and values, key order and
 * lookup, the checked getters and their messages, the errors of the parser
 * with their line:column (duplicates, redefined tables, encodings), and the
 * limits that keep hostile input from exhausting the stack or memory. The
 * conformance suite is scripts/toml-test; these check what it can not.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "toml/toml.h"

/* Parses a string literal, which may hold NUL bytes. */
#define PARSE(text, err) ew_toml_parse(text, sizeof(text) - 1, NULL, err)

/* text must fail at line:column with a message containing msg. */
#define EXPECT_PARSE_ERROR(text, l, c, msg)						\
	do {										\
		struct ew_toml_error e_;						\
		struct ew_toml_doc *d_ = PARSE(text, &e_);				\
											\
		EXPECT_NULL(d_) TH_LOG("accepted: %s", text);				\
		ew_toml_free(d_);							\
		EXPECT_EQ((uint32_t)(l), e_.line) TH_LOG("%s: %s", text, e_.message);	\
		EXPECT_EQ((uint32_t)(c), e_.column) TH_LOG("%s: %s", text, e_.message); \
		EXPECT_NE(NULL, strstr(e_.message, msg))				\
			TH_LOG("%s: message \"%s\" lacks \"%s\"", text, e_.message, msg); \
	} while (0)

/* text of len bytes must fail with a message containing msg. */
static bool fails_with(const char *text, size_t len, const struct ew_toml_limits *limits,
		       const char *msg, struct ew_toml_error *err)
{
	struct ew_toml_doc *doc = ew_toml_parse(text, len, limits, err);

	if (doc) {
		ew_toml_free(doc);
		return false;
	}
	return strstr(err->message, msg) != NULL;
}

/* As an int, to compare with the enum's constants without sign warnings. */
static int type_of(const struct ew_toml_value *v)
{
	return (int)ew_toml_type(v);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail,
		    size_t *len)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(hl + ul * n + tl + 1), *o = s;

	if (!s)
		return NULL;
	memcpy(o, head, hl);
	o += hl;
	for (i = 0; i < n; i++, o += ul)
		memcpy(o, unit, ul);
	memcpy(o, tail, tl + 1);
	*len = hl + ul * n + tl;
	return s;
}

TEST(scalars)
{
	static const char text[] =
		"s = \"caf\\u00e9 \\U0001F600\"\n"
		"lit = 'C:\\path'\n"
		"i = -1_000\n"
		"hex = 0xDEAD_beef\n"
		"oct = 0o755\n"
		"bin = 0b1010\n"
		"f = 6.626e-34\n"
		"pi = +3.141_5\n"
		"ninf = -inf\n"
		"nan = nan\n"
		"negzero = -0.0\n"
		"t = true\n"
		"no = false\n";
	struct ew_toml_error err;
	struct ew_toml_doc *doc = PARSE(text, &err);
	const struct ew_toml_value *r;
	size_t len;

	ASSERT_NE(NULL, doc) TH_LOG("%u:%u: %s", err.line, err.column, err.message);
	/* Success leaves no message behind. */
	EXPECT_STREQ("", err.message);
	r = ew_toml_root(doc);
	EXPECT_EQ(EW_TOML_TABLE, type_of(r));
	EXPECT_EQ(13U, ew_toml_table_len(r));
	EXPECT_STREQ("caf\xc3\xa9 \xf0\x9f\x98\x80", ew_toml_string(ew_toml_get(r, "s"), &len));
	EXPECT_EQ(10U, len);
	EXPECT_STREQ("C:\\path", ew_toml_string(ew_toml_get(r, "lit"), NULL));
	EXPECT_EQ(-1000, ew_toml_int(ew_toml_get(r, "i")));
	EXPECT_EQ(0xdeadbeef, ew_toml_int(ew_toml_get(r, "hex")));
	EXPECT_EQ(0755, ew_toml_int(ew_toml_get(r, "oct")));
	EXPECT_EQ(10, ew_toml_int(ew_toml_get(r, "bin")));
	EXPECT_EQ(EW_TOML_FLOAT, type_of(ew_toml_get(r, "f")));
	EXPECT_TRUE(ew_toml_float(ew_toml_get(r, "f")) == 6.626e-34);
	EXPECT_TRUE(ew_toml_float(ew_toml_get(r, "pi")) == 3.1415);
	EXPECT_TRUE(isinf(ew_toml_float(ew_toml_get(r, "ninf"))));
	EXPECT_TRUE(ew_toml_float(ew_toml_get(r, "ninf")) < 0);
	EXPECT_TRUE(isnan(ew_toml_float(ew_toml_get(r, "nan"))));
	EXPECT_TRUE(signbit(ew_toml_float(ew_toml_get(r, "negzero"))));
	EXPECT_EQ(EW_TOML_BOOL, type_of(ew_toml_get(r, "t")));
	EXPECT_TRUE(ew_toml_bool(ew_toml_get(r, "t")));
	EXPECT_FALSE(ew_toml_bool(ew_toml_get(r, "no")));
	/* Unchecked reads of another type give zero values. */
	EXPECT_EQ(0, ew_toml_int(ew_toml_get(r, "s")));
	EXPECT_NULL(ew_toml_string(ew_toml_get(r, "i"), NULL));
	EXPECT_NULL(ew_toml_datetime(ew_toml_get(r, "i")));
	ew_toml_free(doc);
}

TEST(int64_range)
{
	struct ew_toml_error err;
	struct ew_toml_doc *doc;

	doc = PARSE("a = 9223372036854775807\nb = -9223372036854775808\n"
		    "c = 0x7fffffffffffffff\nd = 0o777777777777777777777\n", &err);
	ASSERT_NE(NULL, doc) TH_LOG("%s", err.message);
	EXPECT_EQ(INT64_MAX, ew_toml_int(ew_toml_get(ew_toml_root(doc), "a")));
	EXPECT_EQ(INT64_MIN, ew_toml_int(ew_toml_get(ew_toml_root(doc), "b")));
	EXPECT_EQ(INT64_MAX, ew_toml_int(ew_toml_get(ew_toml_root(doc), "c")));
	EXPECT_EQ(INT64_MAX, ew_toml_int(ew_toml_get(ew_toml_root(doc), "d")));
	ew_toml_free(doc);

	EXPECT_PARSE_ERROR("a = 9223372036854775808", 1, 5, "does not fit in 64 bits");
	EXPECT_PARSE_ERROR("a = -9223372036854775809", 1, 5, "does not fit in 64 bits");
	EXPECT_PARSE_ERROR("a = 0x8000000000000000", 1, 5, "does not fit in 64 bits");
	EXPECT_PARSE_ERROR("a = 0b1_00000000000000000000000000000000"
			   "00000000000000000000000000000000", 1, 5, "does not fit");
	EXPECT_PARSE_ERROR("\n  x = 99999999999999999999999999", 2, 7, "does not fit");
	/* Floats that overflow are errors too, not silently infinite. */
	EXPECT_PARSE_ERROR("x = 1e309", 1, 5, "out of range");
}

TEST(number_syntax)
{
	EXPECT_PARSE_ERROR("x = 012", 1, 5, "leading zeros");
	EXPECT_PARSE_ERROR("x = 1__2", 1, 5, "invalid number");
	EXPECT_PARSE_ERROR("x = 1_", 1, 5, "invalid number");
	EXPECT_PARSE_ERROR("x = -0x1", 1, 5, "sign is not allowed");
	EXPECT_PARSE_ERROR("x = 1.", 1, 5, "decimal point");
	EXPECT_PARSE_ERROR("x = .5", 1, 5, "invalid");
	EXPECT_PARSE_ERROR("x = 1e", 1, 5, "exponent");
	EXPECT_PARSE_ERROR("x = 0X10", 1, 5, "invalid number");
	EXPECT_PARSE_ERROR("x = Inf", 1, 5, "invalid value");
	EXPECT_PARSE_ERROR("x = hello", 1, 5, "a string needs quotes");
	EXPECT_PARSE_ERROR("x = truee", 1, 5, "invalid value");
}

TEST(datetimes)
{
	static const char text[] =
		"odt = 1979-05-27 07:32:00.999999999999-07:30\n"
		"utc = 1979-05-27t07:32:00z\n"
		"ldt = 2000-02-29T23:59:60\n"
		"ld = 2024-02-29\n"
		"lt = 00:00:00.5\n";
	struct ew_toml_error err;
	struct ew_toml_doc *doc = PARSE(text, &err);
	const struct ew_toml_datetime *d;
	const struct ew_toml_value *r, *v;
	struct ew_toml_datetime out;

	ASSERT_NE(NULL, doc) TH_LOG("%u:%u: %s", err.line, err.column, err.message);
	r = ew_toml_root(doc);

	v = ew_toml_get(r, "odt");
	EXPECT_EQ(EW_TOML_DATETIME, type_of(v));
	d = ew_toml_datetime(v);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(1979, d->year);
	EXPECT_EQ(5, d->month);
	EXPECT_EQ(27, d->day);
	EXPECT_EQ(7, d->hour);
	EXPECT_EQ(32, d->minute);
	EXPECT_EQ(0, d->second);
	/* Past nanoseconds, truncated rather than rounded. */
	EXPECT_EQ(999999999, d->nanosecond);
	EXPECT_EQ(-(7 * 60 + 30), d->offset_minutes);
	EXPECT_TRUE(d->has_date && d->has_time && d->has_offset);
	EXPECT_STREQ("1979-05-27T07:32:00.999999999-07:30", ew_toml_datetime_text(v));

	v = ew_toml_get(r, "utc");
	EXPECT_STREQ("1979-05-27T07:32:00Z", ew_toml_datetime_text(v));
	EXPECT_EQ(0, ew_toml_datetime(v)->offset_minutes);
	EXPECT_TRUE(ew_toml_datetime(v)->has_offset);

	v = ew_toml_get(r, "ldt");
	EXPECT_EQ(EW_TOML_DATETIME_LOCAL, type_of(v));
	EXPECT_EQ(60, ew_toml_datetime(v)->second);
	EXPECT_FALSE(ew_toml_datetime(v)->has_offset);
	EXPECT_STREQ("2000-02-29T23:59:60", ew_toml_datetime_text(v));

	v = ew_toml_get(r, "ld");
	EXPECT_EQ(EW_TOML_DATE_LOCAL, type_of(v));
	EXPECT_FALSE(ew_toml_datetime(v)->has_time);
	EXPECT_STREQ("2024-02-29", ew_toml_datetime_text(v));

	v = ew_toml_get(r, "lt");
	EXPECT_EQ(EW_TOML_TIME_LOCAL, type_of(v));
	EXPECT_FALSE(ew_toml_datetime(v)->has_date);
	EXPECT_EQ(500000000, ew_toml_datetime(v)->nanosecond);
	EXPECT_STREQ("00:00:00.5", ew_toml_datetime_text(v));

	EXPECT_EQ(0, ew_toml_get_datetime(r, "lt", &out, &err));
	EXPECT_EQ(500000000, out.nanosecond);
	EXPECT_EQ(-ENOENT, ew_toml_get_datetime(r, "nope", &out, &err));
	EXPECT_EQ(0, ew_toml_get_datetime(r, "ld", &out, NULL));
	EXPECT_EQ(29, out.day);
	EXPECT_FALSE(out.has_time);
	ew_toml_free(doc);
}

TEST(datetime_ranges)
{
	EXPECT_PARSE_ERROR("d = 2023-02-29", 1, 5, "day 29 does not exist in 2023-02");
	EXPECT_PARSE_ERROR("d = 1900-02-29", 1, 5, "day 29");
	EXPECT_PARSE_ERROR("d = 2023-04-31", 1, 5, "day 31");
	EXPECT_PARSE_ERROR("d = 2023-00-01", 1, 5, "month 00");
	EXPECT_PARSE_ERROR("d = 2023-13-01", 1, 5, "month 13");
	EXPECT_PARSE_ERROR("d = 2023-01-00", 1, 5, "day 00");
	EXPECT_PARSE_ERROR("d = 24:00:00", 1, 5, "hour 24");
	EXPECT_PARSE_ERROR("d = 23:60:00", 1, 5, "minute 60");
	EXPECT_PARSE_ERROR("d = 23:59:61", 1, 5, "second 61");
	EXPECT_PARSE_ERROR("d = 2023-01-01T00:00:00+24:00", 1, 5, "offset +24:00");
	EXPECT_PARSE_ERROR("d = 2023-01-01T00:00:00-01:60", 1, 5, "offset -01:60");
	EXPECT_PARSE_ERROR("d = 2023-01-01T00:00", 1, 5, "HH:MM:SS");
	EXPECT_PARSE_ERROR("d = 2023-1-01", 1, 5, "YYYY-MM-DD");
	EXPECT_PARSE_ERROR("d = 2023-01-01T", 1, 5, "a time after the 'T'");
	EXPECT_PARSE_ERROR("d = 00:00:00Z", 1, 5, "invalid date-time");
	EXPECT_PARSE_ERROR("d = 2023-01-01 00:00:00.", 1, 5, "digits after the '.'");
	EXPECT_PARSE_ERROR("d = 10000-01-01", 1, 5, "invalid");
}

TEST(strings)
{
	static const char text[] =
		"ml = \"\"\"\nline 1\\n\\\n    line 2 \\\t \n\n  end\"\"\"\"\"\n"
		"mll = '''\r\nraw \\n''''\n"
		"nul = \"a\\u0000b\"\n"
		"empty = \"\"\n"
		"crlf = \"\"\"a\r\nb\\\r\n  c\"\"\"\n";
	struct ew_toml_error err;
	struct ew_toml_doc *doc = PARSE(text, &err);
	const struct ew_toml_value *r;
	const char *s;
	size_t len;

	ASSERT_NE(NULL, doc) TH_LOG("%u:%u: %s", err.line, err.column, err.message);
	r = ew_toml_root(doc);
	/* First newline trimmed; a line-ending backslash eats blank lines too. */
	EXPECT_STREQ("line 1\nline 2 end\"\"", ew_toml_string(ew_toml_get(r, "ml"), NULL));
	EXPECT_STREQ("raw \\n'", ew_toml_string(ew_toml_get(r, "mll"), NULL));
	s = ew_toml_string(ew_toml_get(r, "nul"), &len);
	ASSERT_EQ(3U, len);
	EXPECT_EQ(0, memcmp(s, "a\0b", 3));
	EXPECT_EQ(0, ew_toml_string(ew_toml_get(r, "empty"), &len)[0]);
	EXPECT_EQ(0U, len);
	/* CRLF in a multi-line string reads as LF, whatever the editor wrote. */
	EXPECT_STREQ("a\nbc", ew_toml_string(ew_toml_get(r, "crlf"), NULL));
	/* The checked read refuses what a C string would cut short. */
	EXPECT_EQ(-EINVAL, ew_toml_get_string(r, "nul", &s, &err));
	EXPECT_STREQ("\"nul\" must not contain a NUL character", err.message);
	EXPECT_EQ(8U, err.line);
	EXPECT_EQ(7U, err.column);
	ew_toml_free(doc);

	EXPECT_PARSE_ERROR("s = \"abc\n\"", 1, 5, "no closing \"");
	EXPECT_PARSE_ERROR("s = 'abc", 1, 5, "no closing '");
	EXPECT_PARSE_ERROR("s = \"\"\"abc\"\"", 1, 5, "no closing \"\"\"");
	EXPECT_PARSE_ERROR("s = \"a\\qb\"", 1, 7, "invalid escape sequence \\q");
	EXPECT_PARSE_ERROR("s = \"\\uD800\"", 1, 6, "not a Unicode scalar value");
	EXPECT_PARSE_ERROR("s = \"\\U00110000\"", 1, 6, "not a Unicode scalar value");
	EXPECT_PARSE_ERROR("s = \"\\u12\"", 1, 6, "4 hexadecimal digits");
	EXPECT_PARSE_ERROR("s = \"tab\tok, bell\a no\"", 1, 18, "U+0007");
	EXPECT_PARSE_ERROR("s = \"\"\"a\\ b\"\"\"", 1, 9, "invalid escape");
	EXPECT_PARSE_ERROR("s = '''a\rb'''", 1, 9, "U+000D");
	EXPECT_PARSE_ERROR("s = \"\"\"a\"\"\"\"\"\"", 1, 14, "found '\"'");
	EXPECT_PARSE_ERROR("\"\"\"k\"\"\" = 1", 1, 1, "a key can not be a multi-line string");
}

TEST(positions)
{
	/* Columns count characters: "é" and "€" are one each, a tab is one. */
	static const char text[] =
		"\xef\xbb\xbf" "a = 1\n"
		"\"\xc3\xa9\xe2\x82\xac\" = \"x\"\t# comment\r\n"
		"\n"
		"[server]\n"
		"    port  = 8080\n"
		"\tlist = [\n"
		"  1,\n"
		"     { b.c = true },\n"
		"]\n"
		"[[jobs]]\n"
		"[[jobs]]\n"
		"  x.y.z = 2\n";
	struct ew_toml_error err;
	struct ew_toml_doc *doc = PARSE(text, &err);
	const struct ew_toml_value *r, *v, *server, *list, *inl, *jobs;
	struct ew_toml_key key;

	ASSERT_NE(NULL, doc) TH_LOG("%u:%u: %s", err.line, err.column, err.message);
	r = ew_toml_root(doc);
	EXPECT_EQ(1U, ew_toml_pos(r).line);
	EXPECT_EQ(1U, ew_toml_pos(r).column);

	v = ew_toml_table_at(r, 0, &key);
	EXPECT_STREQ("a", key.name);
	/* The byte order mark is not a column. */
	EXPECT_EQ(1U, key.pos.line);
	EXPECT_EQ(1U, key.pos.column);
	EXPECT_EQ(1U, ew_toml_pos(v).line);
	EXPECT_EQ(5U, ew_toml_pos(v).column);

	v = ew_toml_table_at(r, 1, &key);
	EXPECT_STREQ("\xc3\xa9\xe2\x82\xac", key.name);
	EXPECT_EQ(2U, key.pos.line);
	EXPECT_EQ(1U, key.pos.column);
	EXPECT_EQ(2U, ew_toml_pos(v).line);
	EXPECT_EQ(8U, ew_toml_pos(v).column);

	server = ew_toml_get_n(r, "server", 6, &key);
	ASSERT_NE(NULL, server);
	EXPECT_EQ(4U, key.pos.line);
	EXPECT_EQ(2U, key.pos.column);
	/* A header's table is where its header is. */
	EXPECT_EQ(4U, ew_toml_pos(server).line);
	EXPECT_EQ(1U, ew_toml_pos(server).column);

	v = ew_toml_get_n(server, "port", 4, &key);
	EXPECT_EQ(5U, key.pos.line);
	EXPECT_EQ(5U, key.pos.column);
	EXPECT_EQ(5U, ew_toml_pos(v).line);
	EXPECT_EQ(13U, ew_toml_pos(v).column);

	list = ew_toml_get_n(server, "list", 4, &key);
	EXPECT_EQ(6U, key.pos.line);
	EXPECT_EQ(2U, key.pos.column);
	EXPECT_EQ(6U, ew_toml_pos(list).line);
	EXPECT_EQ(9U, ew_toml_pos(list).column);
	ASSERT_EQ(2U, ew_toml_array_len(list));
	EXPECT_EQ(7U, ew_toml_pos(ew_toml_array_at(list, 0)).line);
	EXPECT_EQ(3U, ew_toml_pos(ew_toml_array_at(list, 0)).column);
	inl = ew_toml_array_at(list, 1);
	EXPECT_EQ(8U, ew_toml_pos(inl).line);
	EXPECT_EQ(6U, ew_toml_pos(inl).column);
	/* The table a dotted key makes is where its part of the key is. */
	v = ew_toml_get_n(inl, "b", 1, &key);
	EXPECT_EQ(8U, key.pos.line);
	EXPECT_EQ(8U, key.pos.column);
	v = ew_toml_get_n(v, "c", 1, &key);
	EXPECT_EQ(8U, key.pos.line);
	EXPECT_EQ(10U, key.pos.column);
	EXPECT_EQ(8U, ew_toml_pos(v).line);
	EXPECT_EQ(14U, ew_toml_pos(v).column);

	jobs = ew_toml_get(r, "jobs");
	ASSERT_EQ(2U, ew_toml_array_len(jobs));
	EXPECT_EQ(10U, ew_toml_pos(ew_toml_array_at(jobs, 0)).line);
	EXPECT_EQ(11U, ew_toml_pos(ew_toml_array_at(jobs, 1)).line);
	v = ew_toml_get(ew_toml_get(ew_toml_get(ew_toml_array_at(jobs, 1), "x"), "y"), "z");
	EXPECT_EQ(12U, ew_toml_pos(v).line);
	EXPECT_EQ(11U, ew_toml_pos(v).column);
	ew_toml_free(doc);
}

TEST(implicit_table_defined_later)
{
	static const char text[] = "[a.b]\nx = 1\n\n[a]\ny = 2\n";
	struct ew_toml_doc *doc = PARSE(text, NULL);
	const struct ew_toml_value *a;
	struct ew_toml_key key;

	ASSERT_NE(NULL, doc);
	a = ew_toml_get_n(ew_toml_root(doc), "a", 1, &key);
	/* Its position is its definition, not the header that made it. */
	EXPECT_EQ(4U, key.pos.line);
	EXPECT_EQ(2U, key.pos.column);
	EXPECT_EQ(4U, ew_toml_pos(a).line);
	EXPECT_EQ(2U, ew_toml_table_len(a));
	EXPECT_EQ(2, ew_toml_int(ew_toml_get(a, "y")));
	EXPECT_EQ(1, ew_toml_int(ew_toml_get(ew_toml_get(a, "b"), "x")));
	ew_toml_free(doc);
}

TEST(key_order_and_lookup)
{
	/* Enough keys for the hash index, in an order no sort would give. */
	static const char text[] =
		"zeta = 0\nalpha = 1\nmid = 2\n\"\" = 3\n'quoted key' = 4\n9 = 5\n"
		"b-c = 6\nB = 7\n_x = 8\n\"a.b\" = 9\nlast = 10\n";
	static const char *const order[] = {
		"zeta", "alpha", "mid", "", "quoted key", "9", "b-c", "B", "_x", "a.b", "last",
	};
	struct ew_toml_doc *doc = PARSE(text, NULL);
	const struct ew_toml_value *r;
	struct ew_toml_key key;
	size_t i;

	ASSERT_NE(NULL, doc);
	r = ew_toml_root(doc);
	ASSERT_EQ(11U, ew_toml_table_len(r));
	for (i = 0; i < 11; i++) {
		const struct ew_toml_value *v = ew_toml_table_at(r, i, &key);

		EXPECT_STREQ(order[i], key.name);
		EXPECT_EQ(strlen(order[i]), key.len);
		EXPECT_EQ(i + 1, key.pos.line);
		EXPECT_EQ((int64_t)i, ew_toml_int(v));
		EXPECT_EQ(v, ew_toml_get(r, order[i]));
	}
	EXPECT_NULL(ew_toml_table_at(r, 11, &key));
	EXPECT_NULL(ew_toml_get(r, "a"));
	EXPECT_NULL(ew_toml_get(r, "Zeta"));
	EXPECT_NULL(ew_toml_get(r, "zeta "));
	/* Not a table: nothing to look up. */
	EXPECT_NULL(ew_toml_get(ew_toml_get(r, "zeta"), "x"));
	EXPECT_EQ(0U, ew_toml_table_len(ew_toml_get(r, "zeta")));
	EXPECT_EQ(0U, ew_toml_array_len(r));
	ew_toml_free(doc);
}

TEST(keys_with_nul)
{
	static const char text[] = "\"a\\u0000b\" = 1\n\"a\" = 2\n";
	struct ew_toml_doc *doc = PARSE(text, NULL);
	const struct ew_toml_value *r;
	struct ew_toml_key key;

	ASSERT_NE(NULL, doc);
	r = ew_toml_root(doc);
	EXPECT_EQ(1, ew_toml_int(ew_toml_get_n(r, "a\0b", 3, &key)));
	EXPECT_EQ(3U, key.len);
	EXPECT_EQ(2, ew_toml_int(ew_toml_get(r, "a")));
	ew_toml_free(doc);
}

TEST(many_keys)
{
	/* 20000 keys in one table, and as many tables: the index must hold. */
	enum { N = 20000 };
	char *text = malloc(N * 32), *o = text;
	const struct ew_toml_value *r, *t;
	struct ew_toml_error err;
	struct ew_toml_doc *doc;
	char name[32];
	int i;

	ASSERT_NE(NULL, text);
	for (i = 0; i < N; i++)
		o += sprintf(o, "k%d = %d\n", (i * 7919) % N, i);
	for (i = 0; i < N; i++)
		o += sprintf(o, "[t%d]\n", i);
	doc = ew_toml_parse(text, (size_t)(o - text), NULL, &err);
	ASSERT_NE(NULL, doc) TH_LOG("%s", err.message);
	r = ew_toml_root(doc);
	EXPECT_EQ((unsigned int)(2 * N), ew_toml_table_len(r));
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "k%d", (i * 7919) % N);
		t = ew_toml_get(r, name);
		if (ew_toml_int(t) != i)
			break;
		snprintf(name, sizeof(name), "t%d", i);
		if (type_of(ew_toml_get(r, name)) != EW_TOML_TABLE)
			break;
	}
	EXPECT_EQ(N, i);
	ew_toml_free(doc);

	/* The last of them repeated is found as a duplicate. */
	o += sprintf(o, "[t%d]\n", N - 1);
	EXPECT_NULL(ew_toml_parse(text, (size_t)(o - text), NULL, &err));
	EXPECT_EQ((unsigned int)(2 * N + 1), err.line);
	EXPECT_NE(NULL, strstr(err.message, "is defined twice"));
	free(text);
}

/* The example of the brief: what a config loader tells its user. */
TEST(config_loader_messages)
{
	static const char text[] =
		"# edgewardd.toml\n"
		"[provisioning]\n"
		"hostname = 42\n"
		"    hostnme = \"gw-1\"\n"
		"port = 70000\n"
		"ratio = 2\n"
		"big = 9007199254740993\n"
		"debug = \"yes\"\n"
		"when = 1979-05-27\n"
		"sub = {}\n"
		"list = []\n";
	static const char *const known[] = { "hostname", "port", "ratio", "big", "debug",
					     "when", "sub", "list" };
	const struct ew_toml_value *prov, *out;
	struct ew_toml_datetime dt;
	struct ew_toml_error err;
	struct ew_toml_key key;
	struct ew_toml_doc *doc;
	const char *s = NULL;
	int64_t i64 = 7;
	bool b = false;
	double d = 0;
	size_t i, k;

	doc = PARSE(text, &err);
	ASSERT_NE(NULL, doc);
	ASSERT_EQ(0, ew_toml_get_table(ew_toml_root(doc), "provisioning", &prov, &err));

	/* An unknown key, where it is written. */
	for (i = 0; i < ew_toml_table_len(prov); i++) {
		ew_toml_table_at(prov, i, &key);
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (!strcmp(known[k], key.name))
				break;
		if (k == sizeof(known) / sizeof(known[0]))
			break;
	}
	ASSERT_LT(i, ew_toml_table_len(prov));
	EXPECT_STREQ("hostnme", key.name);
	EXPECT_EQ(4U, key.pos.line);
	EXPECT_EQ(5U, key.pos.column);

	/* A value of the wrong type, where the value is. */
	EXPECT_EQ(-EINVAL, ew_toml_get_string(prov, "hostname", &s, &err));
	EXPECT_STREQ("\"hostname\" must be a string, not an integer", err.message);
	EXPECT_EQ(3U, err.line);
	EXPECT_EQ(12U, err.column);
	EXPECT_NULL(s);

	EXPECT_EQ(-ERANGE, ew_toml_get_int(prov, "port", 1, 65535, &i64, &err));
	EXPECT_STREQ("\"port\" must be between 1 and 65535", err.message);
	EXPECT_EQ(5U, err.line);
	EXPECT_EQ(8U, err.column);
	EXPECT_EQ(7, i64);
	EXPECT_EQ(-ERANGE, ew_toml_get_int(prov, "port", INT64_MIN, 100, &i64, &err));
	EXPECT_STREQ("\"port\" must be at most 100", err.message);
	EXPECT_EQ(-ERANGE, ew_toml_get_int(prov, "port", 80000, INT64_MAX, &i64, &err));
	EXPECT_STREQ("\"port\" must be at least 80000", err.message);
	EXPECT_EQ(0, ew_toml_get_int(prov, "port", 0, INT64_MAX, &i64, &err));
	EXPECT_EQ(70000, i64);

	/* An integer reads as a float when it is exact. */
	EXPECT_EQ(0, ew_toml_get_float(prov, "ratio", &d, &err));
	EXPECT_TRUE(d == 2.0);
	EXPECT_EQ(-ERANGE, ew_toml_get_float(prov, "big", &d, &err));
	EXPECT_EQ(-EINVAL, ew_toml_get_float(prov, "debug", &d, &err));
	EXPECT_STREQ("\"debug\" must be a float, not a string", err.message);

	EXPECT_EQ(-EINVAL, ew_toml_get_bool(prov, "debug", &b, &err));
	EXPECT_STREQ("\"debug\" must be a boolean, not a string", err.message);
	EXPECT_EQ(8U, err.line);
	EXPECT_EQ(9U, err.column);

	EXPECT_EQ(-EINVAL, ew_toml_get_int(prov, "when", 0, 1, &i64, &err));
	EXPECT_STREQ("\"when\" must be an integer, not a local date", err.message);
	EXPECT_EQ(0, ew_toml_get_datetime(prov, "when", &dt, &err));
	EXPECT_EQ(1979, dt.year);
	EXPECT_EQ(-EINVAL, ew_toml_get_datetime(prov, "port", &dt, &err));
	EXPECT_STREQ("\"port\" must be a date-time, not an integer", err.message);

	EXPECT_EQ(-EINVAL, ew_toml_get_array(prov, "sub", &out, &err));
	EXPECT_STREQ("\"sub\" must be an array, not a table", err.message);
	EXPECT_EQ(-EINVAL, ew_toml_get_table(prov, "list", &out, &err));
	EXPECT_STREQ("\"list\" must be a table, not an array", err.message);
	EXPECT_EQ(0, ew_toml_get_array(prov, "list", &out, &err));
	EXPECT_EQ(0U, ew_toml_array_len(out));

	/* Missing: -ENOENT, at the table, output untouched. */
	i64 = 7;
	EXPECT_EQ(-ENOENT, ew_toml_get_int(prov, "timeout", 0, 10, &i64, &err));
	EXPECT_STREQ("missing key \"timeout\"", err.message);
	EXPECT_EQ(2U, err.line);
	EXPECT_EQ(1U, err.column);
	EXPECT_EQ(7, i64);

	/* Value-level checks, for the elements of arrays. */
	EXPECT_EQ(-EINVAL, ew_toml_expect(ew_toml_get(prov, "port"), EW_TOML_STRING,
					  "allowed[2]", &err));
	EXPECT_STREQ("\"allowed[2]\" must be a string, not an integer", err.message);
	EXPECT_EQ(0, ew_toml_expect(ew_toml_get(prov, "port"), EW_TOML_INTEGER, "p", &err));
	EXPECT_EQ(-EINVAL, ew_toml_as_string(NULL, "gone", &s, &err));
	EXPECT_STREQ("\"gone\" is missing", err.message);
	/* The message's key is escaped. */
	EXPECT_EQ(-EINVAL, ew_toml_as_bool(ew_toml_get(prov, "port"), "a\"b\n", &b, &err));
	EXPECT_STREQ("\"a\\\"b\\x0a\" must be a boolean, not an integer", err.message);
	/* No error struct: just the code. */
	EXPECT_EQ(-EINVAL, ew_toml_as_bool(ew_toml_get(prov, "port"), "x", &b, NULL));
	ew_toml_free(doc);
}

TEST(type_names)
{
	EXPECT_STREQ("table", ew_toml_type_name(EW_TOML_TABLE));
	EXPECT_STREQ("array", ew_toml_type_name(EW_TOML_ARRAY));
	EXPECT_STREQ("string", ew_toml_type_name(EW_TOML_STRING));
	EXPECT_STREQ("integer", ew_toml_type_name(EW_TOML_INTEGER));
	EXPECT_STREQ("float", ew_toml_type_name(EW_TOML_FLOAT));
	EXPECT_STREQ("boolean", ew_toml_type_name(EW_TOML_BOOL));
	EXPECT_STREQ("offset date-time", ew_toml_type_name(EW_TOML_DATETIME));
	EXPECT_STREQ("local date-time", ew_toml_type_name(EW_TOML_DATETIME_LOCAL));
	EXPECT_STREQ("local date", ew_toml_type_name(EW_TOML_DATE_LOCAL));
	EXPECT_STREQ("local time", ew_toml_type_name(EW_TOML_TIME_LOCAL));
	EXPECT_STREQ("unknown", ew_toml_type_name((enum ew_toml_type)42));
}

TEST(duplicate_keys)
{
	EXPECT_PARSE_ERROR("a = 1\na = 2", 2, 1, "duplicate key a (first at 1:1)");
	EXPECT_PARSE_ERROR("a = 1\n\"a\" = 2", 2, 1, "duplicate key a");
	EXPECT_PARSE_ERROR("a = 1\n'a' = 2", 2, 1, "duplicate key a");
	EXPECT_PARSE_ERROR("a.b = 1\na.b = 2", 2, 3, "duplicate key a.b (first at 1:3)");
	EXPECT_PARSE_ERROR("[t]\nx = 1\n  x = 1", 3, 3, "duplicate key x");
	EXPECT_PARSE_ERROR("\"a b\".c = 1\n\"a b\" . c = 1", 2, 9,
			   "duplicate key \"a b\".c");
	EXPECT_PARSE_ERROR("a.b = 1\na = 2", 2, 1, "duplicate key a");
	EXPECT_PARSE_ERROR("a = 1\na.b = 2", 2, 1,
			   "a is already an integer (at 1:1); dotted keys can not add to it");
	EXPECT_PARSE_ERROR("x = { a = 1, a = 2 }", 1, 14, "duplicate key a (first at 1:7)");
	EXPECT_PARSE_ERROR("[[t]]\nk = 1\nk = 2", 3, 1, "duplicate key k");
}

TEST(table_redefinition)
{
	struct ew_toml_doc *doc;

	EXPECT_PARSE_ERROR("[a]\n[a]", 2, 2, "table [a] is defined twice (first at 1:1)");
	EXPECT_PARSE_ERROR("[a.b]\n[a]\n[a]", 3, 2, "table [a] is defined twice (first at 2:1)");
	EXPECT_PARSE_ERROR("[a]\nb = 1\n[a.b]", 3, 4, "a.b is already an integer (at 2:1)");
	EXPECT_PARSE_ERROR("[a]\nb.c = 1\n[a.b]", 3, 4,
			   "a.b is already a table defined by dotted keys (at 2:1)");
	EXPECT_PARSE_ERROR("a.b = 1\n[a]", 2, 2, "a is already a table defined by dotted keys");
	EXPECT_PARSE_ERROR("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, 3,
			   "b.c is already a table defined by a header (at 1:6); "
			   "dotted keys can not add to it");
	EXPECT_PARSE_ERROR("[[a]]\n[a]", 2, 2, "a is already an array of tables (at 1:3)");
	EXPECT_PARSE_ERROR("[a]\n[[a]]", 2, 3, "table defined by a header");
	EXPECT_PARSE_ERROR("a = [1]\n[[a]]", 2, 3, "a is already an array (at 1:1)");
	EXPECT_PARSE_ERROR("a = [1]\n[a.b]", 2, 2, "a header can not add to it");
	/* Inline tables are sealed, whatever tries to add to them. */
	EXPECT_PARSE_ERROR("a = {}\n[a.b]", 2, 2, "a is already an inline table");
	EXPECT_PARSE_ERROR("a = {b = 1}\na.c = 2", 2, 1, "an inline table");
	EXPECT_PARSE_ERROR("a = {b = {}}\n[[a.b]]", 2, 3, "an inline table");
	EXPECT_PARSE_ERROR("a = { b = 1, b.c = 2 }", 1, 14, "b is already an integer");
	EXPECT_PARSE_ERROR("a = { b = {}, b.c = 2 }", 1, 15, "an inline table");

	/* What is allowed: a header under dotted tables, [[ ]] under [ ]. */
	doc = PARSE("[f]\napple.color = 1\n[f.apple.texture]\nsmooth = true\n"
		    "[a.b]\n[a]\n[[x.y]]\n[x]\n[[x.y]]\n", NULL);
	ASSERT_NE(NULL, doc);
	EXPECT_TRUE(ew_toml_bool(ew_toml_get(ew_toml_get(ew_toml_get(ew_toml_get(
		ew_toml_root(doc), "f"), "apple"), "texture"), "smooth")));
	EXPECT_EQ(2U, ew_toml_array_len(ew_toml_get(ew_toml_get(ew_toml_root(doc), "x"), "y")));
	ew_toml_free(doc);
}

TEST(syntax_errors)
{
	EXPECT_PARSE_ERROR("a = 1 2", 1, 7, "expected a newline or a comment, found '2'");
	EXPECT_PARSE_ERROR("a", 1, 2, "expected '=' after the key, found end of file");
	EXPECT_PARSE_ERROR("a =", 1, 4, "expected a value, found end of file");
	EXPECT_PARSE_ERROR("a = # no value", 1, 5, "expected a value, found '#'");
	EXPECT_PARSE_ERROR("= 1", 1, 1, "expected a key, found '='");
	EXPECT_PARSE_ERROR("a b = 1", 1, 3, "expected '=' after the key, found 'b'");
	EXPECT_PARSE_ERROR("a. = 1", 1, 4, "expected a key, found '='");
	EXPECT_PARSE_ERROR("[a", 1, 3, "expected ']' to close the header");
	EXPECT_PARSE_ERROR("[[a]", 1, 5, "expected ']]' to close the header");
	EXPECT_PARSE_ERROR("[ [a]]", 1, 3, "expected a key, found '['");
	EXPECT_PARSE_ERROR("[]", 1, 2, "expected a key, found ']'");
	EXPECT_PARSE_ERROR("[a] b = 1", 1, 5, "expected a newline or a comment");
	EXPECT_PARSE_ERROR("a = [1 2]", 1, 8, "expected ',' or ']' in the array, found '2'");
	EXPECT_PARSE_ERROR("a = [1,,2]", 1, 8, "expected a value, found ','");
	EXPECT_PARSE_ERROR("a = [1", 1, 7, "found end of file");
	EXPECT_PARSE_ERROR("a = {b = 1,}", 1, 12, "expected a key, found '}'");
	EXPECT_PARSE_ERROR("a = {b = 1\n}", 1, 11, "expected ',' or '}' in the inline table");
	EXPECT_PARSE_ERROR("a = 1\r", 1, 6, "carriage return");
	EXPECT_PARSE_ERROR("# \x7f", 1, 3, "control character U+007F");
	EXPECT_PARSE_ERROR("\n\n  \xe3\x80\x80x = 1", 3, 3, "expected a key, found '\xe3\x80\x80'");
	EXPECT_PARSE_ERROR("a = \xef\xbb\xbf" "1", 1, 5, "expected a value");
}

TEST(array_values)
{
	static const char text[] =
		"a = [ # comment\n  1, 'two', [3.0, {x = 4}],\n  2000-01-01, # last\n]\n"
		"e = []\n";
	struct ew_toml_doc *doc = PARSE(text, NULL);
	const struct ew_toml_value *a, *inner;

	ASSERT_NE(NULL, doc);
	a = ew_toml_get(ew_toml_root(doc), "a");
	ASSERT_EQ(4U, ew_toml_array_len(a));
	EXPECT_EQ(1, ew_toml_int(ew_toml_array_at(a, 0)));
	EXPECT_STREQ("two", ew_toml_string(ew_toml_array_at(a, 1), NULL));
	inner = ew_toml_array_at(a, 2);
	EXPECT_EQ(EW_TOML_ARRAY, type_of(inner));
	EXPECT_EQ(4, ew_toml_int(ew_toml_get(ew_toml_array_at(inner, 1), "x")));
	EXPECT_EQ(EW_TOML_DATE_LOCAL, type_of(ew_toml_array_at(a, 3)));
	EXPECT_NULL(ew_toml_array_at(a, 4));
	EXPECT_EQ(0U, ew_toml_array_len(ew_toml_get(ew_toml_root(doc), "e")));
	ew_toml_free(doc);
}

TEST(encoding)
{
	/* NUL bytes anywhere, even inside a string or a comment. */
	EXPECT_PARSE_ERROR("a = \"x\0y\"", 1, 7, "NUL byte");
	EXPECT_PARSE_ERROR("a = 1\n# \0", 2, 3, "NUL byte");
	EXPECT_PARSE_ERROR("\0", 1, 1, "NUL byte");
	/* Invalid UTF-8, at the character it starts. */
	EXPECT_PARSE_ERROR("a = \"\xff\"", 1, 6, "invalid UTF-8 (byte 0xff)");
	EXPECT_PARSE_ERROR("a = \"\xc3\"", 1, 6, "invalid UTF-8");
	EXPECT_PARSE_ERROR("# \xc3", 1, 3, "invalid UTF-8");
	EXPECT_PARSE_ERROR("\xc0\xaf", 1, 1, "invalid UTF-8");		/* overlong '/' */
	EXPECT_PARSE_ERROR("x\n\xe0\x80\xaf", 2, 1, "invalid UTF-8");	/* overlong */
	EXPECT_PARSE_ERROR("\xc3\xa9\xed\xa0\x80", 1, 2, "invalid UTF-8");	/* surrogate */
	EXPECT_PARSE_ERROR("\xf4\x90\x80\x80", 1, 1, "invalid UTF-8");	/* > U+10FFFF */
	EXPECT_PARSE_ERROR("\xf8\x88\x80\x80\x80", 1, 1, "invalid UTF-8");
	/* Whichever comes first is reported. */
	EXPECT_PARSE_ERROR("\xff\0", 1, 1, "invalid UTF-8");
	EXPECT_PARSE_ERROR("\0\xff", 1, 1, "NUL byte");
	/* A byte order mark only at the very start. */
	EXPECT_PARSE_ERROR("\xef\xbb\xbf\xef\xbb\xbf" "a = 1", 1, 1, "expected a key");
}

TEST(empty_documents)
{
	static const char *const texts[] = { "", "\xef\xbb\xbf", "\n\r\n  \t\n", "# only\n#" };
	struct ew_toml_doc *doc;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		doc = ew_toml_parse(texts[i], strlen(texts[i]), NULL, NULL);
		ASSERT_NE(NULL, doc) TH_LOG("text %zu", i);
		EXPECT_EQ(0U, ew_toml_table_len(ew_toml_root(doc)));
		ew_toml_free(doc);
	}
	/* No buffer at all is an empty document too; NULL with bytes is not. */
	doc = ew_toml_parse(NULL, 0, NULL, NULL);
	EXPECT_NE(NULL, doc);
	ew_toml_free(doc);
	EXPECT_NULL(ew_toml_parse(NULL, 1, NULL, NULL));
}

TEST(depth_limit)
{
	struct ew_toml_limits lim = { .max_depth = 0 };
	struct ew_toml_error err;
	struct ew_toml_doc *doc;
	size_t len;
	char *text;

	/* 128 nested arrays under the root is the default's edge. */
	text = repeat("a = ", "[", EW_TOML_MAX_DEPTH, "", &len);
	ASSERT_NE(NULL, text);
	text = realloc(text, len + EW_TOML_MAX_DEPTH);
	ASSERT_NE(NULL, text);
	memset(text + len, ']', EW_TOML_MAX_DEPTH);
	doc = ew_toml_parse(text, len + EW_TOML_MAX_DEPTH, NULL, &err);
	EXPECT_NE(NULL, doc) TH_LOG("%s", err.message);
	ew_toml_free(doc);
	free(text);
	text = repeat("a = ", "[", EW_TOML_MAX_DEPTH + 1, "", &len);
	EXPECT_TRUE(fails_with(text, len, NULL, "nest deeper than 128 levels", &err))
		TH_LOG("%s", err.message);
	EXPECT_EQ(1U, err.line);
	EXPECT_EQ(4 + EW_TOML_MAX_DEPTH + 1, err.column);
	free(text);

	/* A million levels: refused early, no stack overflow. */
	text = repeat("a = ", "[", 1000000, "", &len);
	EXPECT_TRUE(fails_with(text, len, NULL, "nest deeper", &err));
	free(text);
	text = repeat("a = ", "{b=", 1000000, "", &len);
	EXPECT_TRUE(fails_with(text, len, NULL, "nest deeper", &err));
	free(text);

	/* Dotted keys and headers nest too. */
	text = repeat("k", ".k", 200, " = 1", &len);
	EXPECT_TRUE(fails_with(text, len, NULL, "more than 129 parts", &err))
		TH_LOG("%s", err.message);
	free(text);
	text = repeat("[k", ".k", 200, "]", &len);
	EXPECT_TRUE(fails_with(text, len, NULL, "more than 129 parts", &err));
	free(text);
	text = repeat("[[k", ".k", 128, "]]", &len);
	EXPECT_TRUE(fails_with(text, len, NULL, "nest deeper", &err)) TH_LOG("%s", err.message);
	free(text);

	/* A smaller limit of the caller's. */
	lim.max_depth = 3;
	EXPECT_TRUE(fails_with("a = [[[[]]]]", 12, &lim, "nest deeper than 3 levels", &err));
	EXPECT_TRUE(fails_with("[a.b]\nc.d = []", 14, &lim, "nest deeper than 3", &err));
	EXPECT_EQ(2U, err.line);
	EXPECT_EQ(7U, err.column);
	doc = ew_toml_parse("a = [[[]]]", 10, &lim, &err);
	EXPECT_NE(NULL, doc);
	ew_toml_free(doc);
	doc = ew_toml_parse("[a.b]\nc = []", 12, &lim, &err);
	EXPECT_NE(NULL, doc);
	ew_toml_free(doc);

	/* A larger one is capped, so the stack stays bounded. */
	lim.max_depth = UINT32_MAX;
	text = repeat("a = ", "[", EW_TOML_MAX_DEPTH_CAP + 1, "", &len);
	EXPECT_TRUE(fails_with(text, len, &lim, "nest deeper than 1024 levels", &err))
		TH_LOG("%s", err.message);
	free(text);
}

TEST(size_and_memory_limits)
{
	struct ew_toml_limits lim = { .max_size = 10 };
	struct ew_toml_error err;
	struct ew_toml_doc *doc;
	size_t len;
	char *text;

	doc = ew_toml_parse("a = 123456", 10, &lim, &err);
	EXPECT_NE(NULL, doc);
	ew_toml_free(doc);
	EXPECT_TRUE(fails_with("a = 1234567", 11, &lim, "11 bytes, more than the limit of 10",
			       &err)) TH_LOG("%s", err.message);
	EXPECT_EQ(0U, err.line);
	EXPECT_EQ(0U, err.column);

	/* The default: 16 MiB. */
	text = repeat("", "#", EW_TOML_MAX_SIZE + 1, "", &len);
	ASSERT_NE(NULL, text);
	EXPECT_TRUE(fails_with(text, len, NULL, "more than the limit of 16777216", &err));
	free(text);

	/* Many small values cost more than their text: the memory limit holds. */
	lim.max_size = 0;
	lim.max_memory = 1 << 20;
	text = repeat("a = [", "[],", 100000, "]", &len);
	ASSERT_NE(NULL, text);
	EXPECT_TRUE(fails_with(text, len, &lim, "needs more than 1048576 bytes of memory", &err))
		TH_LOG("%s", err.message);
	EXPECT_EQ(1U, err.line);
	lim.max_memory = 0;
	doc = ew_toml_parse(text, len, &lim, &err);
	EXPECT_NE(NULL, doc);
	EXPECT_EQ(100000U, ew_toml_array_len(ew_toml_get(ew_toml_root(doc), "a")));
	ew_toml_free(doc);
	free(text);

	/* A huge token and a huge string: errors or values, quickly. */
	text = repeat("a = 1", "0", 1 << 20, "", &len);
	EXPECT_TRUE(fails_with(text, len, NULL, "does not fit in 64 bits", &err));
	free(text);
	text = repeat("a = 0.", "0", 1 << 20, "1", &len);
	doc = ew_toml_parse(text, len, NULL, &err);
	EXPECT_NE(NULL, doc);
	ew_toml_free(doc);
	free(text);
	text = repeat("a = '", "x", 1 << 20, "'", &len);
	doc = ew_toml_parse(text, len, NULL, &err);
	ASSERT_NE(NULL, doc);
	ew_toml_string(ew_toml_get(ew_toml_root(doc), "a"), &len);
	EXPECT_EQ((unsigned int)(1 << 20), len);
	ew_toml_free(doc);
	free(text);
}

FIXTURE(file)
{
	char dir[32];
	char path[64];
};

FIXTURE_SETUP(file)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/ew-toml-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/c.toml", self->dir);
}

FIXTURE_TEARDOWN(file)
{
	unlink(self->path);
	rmdir(self->dir);
}

static int write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	size_t n;

	if (!f)
		return -1;
	n = fwrite(text, 1, len, f);
	return fclose(f) == 0 && n == len ? 0 : -1;
}

TEST_F(file, parse_file)
{
	static const char text[] = "[a]\nb = \"c\"\n";
	struct ew_toml_limits lim = { .max_size = 8 };
	struct ew_toml_error err;
	struct ew_toml_doc *doc;
	const char *s = NULL;

	ASSERT_EQ(0, write_file(self->path, text, sizeof(text) - 1));
	doc = ew_toml_parse_file(self->path, NULL, &err);
	ASSERT_NE(NULL, doc) TH_LOG("%s", err.message);
	EXPECT_EQ(0, ew_toml_get_string(ew_toml_get(ew_toml_root(doc), "a"), "b", &s, &err));
	EXPECT_STREQ("c", s);
	ew_toml_free(doc);

	/* Too big: refused before reading it all. */
	EXPECT_NULL(ew_toml_parse_file(self->path, &lim, &err));
	EXPECT_STREQ("the file has 12 bytes, more than the limit of 8", err.message);

	/* Errors in the file: line and column. */
	ASSERT_EQ(0, write_file(self->path, "a = 1\nb = @\n", 12));
	EXPECT_NULL(ew_toml_parse_file(self->path, NULL, &err));
	EXPECT_EQ(2U, err.line);
	EXPECT_EQ(5U, err.column);
	EXPECT_STREQ("expected a value, found '@'", err.message);

	/* A file that can not be read: no position. */
	EXPECT_NULL(ew_toml_parse_file(self->dir, NULL, &err));
	EXPECT_EQ(0U, err.line);
	EXPECT_NE(NULL, strstr(err.message, "Is a directory"));
	unlink(self->path);
	EXPECT_NULL(ew_toml_parse_file(self->path, NULL, &err));
	EXPECT_STREQ("can not open: No such file or directory", err.message);
}

TEST(file_from_pipe)
{
	/* Not a regular file: the limit still holds while reading. */
	struct ew_toml_limits lim = { .max_size = 100000 };
	static char chunk[65536];
	struct ew_toml_error err;
	char path[64];
	int fds[2];
	pid_t pid;

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		memset(chunk, '#', sizeof(chunk));
		/* Ends with EPIPE once the reader gave up. */
		for (int i = 0; i < 4; i++)
			if (write(fds[1], chunk, sizeof(chunk)) < 0)
				break;
		_exit(0);
	}
	close(fds[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	EXPECT_NULL(ew_toml_parse_file(path, &lim, &err));
	EXPECT_STREQ("the file has more than the limit of 100000 bytes", err.message);
	close(fds[0]);
	waitpid(pid, NULL, 0);
}

TEST(null_safety)
{
	struct ew_toml_key key;

	ew_toml_free(NULL);
	EXPECT_NULL(ew_toml_root(NULL));
	EXPECT_EQ(0U, ew_toml_table_len(NULL));
	EXPECT_NULL(ew_toml_table_at(NULL, 0, &key));
	EXPECT_NULL(ew_toml_get(NULL, "a"));
	EXPECT_EQ(0U, ew_toml_array_len(NULL));
	EXPECT_NULL(ew_toml_array_at(NULL, 0));
	EXPECT_NULL(ew_toml_string(NULL, NULL));
	EXPECT_NULL(ew_toml_datetime_text(NULL));
	EXPECT_EQ(0U, ew_toml_pos(NULL).line);
}

struct thread_arg {
	int id;
	int ok;
};

static void *parse_many(void *p)
{
	struct thread_arg *a = p;
	char text[128];
	int i, n;

	for (i = 0; i < 500; i++) {
		struct ew_toml_error err;
		struct ew_toml_doc *doc;

		n = snprintf(text, sizeof(text), "[t]\nid = %d\nf = %d.5\nbad%s", a->id, i,
			     i % 2 ? " = 1" : "");
		doc = ew_toml_parse(text, (size_t)n, NULL, &err);
		if (i % 2) {
			if (!doc || ew_toml_int(ew_toml_get(ew_toml_get(ew_toml_root(doc), "t"),
							    "id")) != a->id ||
			    ew_toml_float(ew_toml_get(ew_toml_get(ew_toml_root(doc), "t"), "f")) !=
			    i + 0.5)
				a->ok = 0;
		} else if (doc || err.line != 4) {
			a->ok = 0;
		}
		ew_toml_free(doc);
	}
	return NULL;
}

TEST(threads)
{
	struct thread_arg args[4];
	pthread_t th[4];
	int i;

	for (i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){ .id = i, .ok = 1 };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, parse_many, &args[i]));
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		EXPECT_EQ(1, args[i].ok) TH_LOG("thread %d", i);
	}
}

TEST_HARNESS_MAIN
