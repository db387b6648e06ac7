// SPDX-License-Identifier: GPL-2.0-only
/*
 * The four kinds of TOML strings: basic "..." with escapes, literal '...',
 * and their multi-line forms """...""" and '''...'''. Each is decoded into
 * a buffer; control characters other than tab (and, in multi-line strings,
 * newlines, CRLF read as LF) must be escaped or are an error.
 */
#include <stdio.h>

#include "internal.h"
#include "util/hex.h"

static bool is_control(int c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static int fail_control(struct tp *p, int c)
{
	return tp_fail(p, tp_pos(p), "control character U+%04X must be escaped in a string",
		       (unsigned int)c);
}

/* \uXXXX or \UXXXXXXXX, the cursor on the u or U. */
static int unicode_escape(struct tp *p, struct sbuf *out, struct ew_toml_pos esc)
{
	int digits = tp_peek(p) == 'u' ? 4 : 8, i, h;
	uint32_t cp = 0;
	char utf8[4];

	tp_adv(p);
	for (i = 0; i < digits; i++) {
		h = ew_hex_digit(tp_peek(p));
		if (h < 0)
			return tp_fail(p, esc, "\\%c needs %d hexadecimal digits",
				       digits == 4 ? 'u' : 'U', digits);
		cp = (cp << 4) | (uint32_t)h;
		tp_adv(p);
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return tp_fail(p, esc, "U+%04X is not a Unicode scalar value", cp);
	return sbuf_put(p, out, utf8, ew_utf8_encode(cp, utf8));
}

/*
 * An escape in a basic string, the cursor on the backslash. In a multi-line
 * one, a backslash ending a line (maybe with whitespace after it) eats the
 * newline and all whitespace and newlines that follow.
 */
static int escape(struct tp *p, struct sbuf *out, bool multiline)
{
	struct ew_toml_pos esc = tp_pos(p);
	char what[32];
	int c;

	tp_adv(p);
	c = tp_peek(p);
	switch (c) {
	case 'b': tp_adv(p); return sbuf_putc(p, out, '\b');
	case 't': tp_adv(p); return sbuf_putc(p, out, '\t');
	case 'n': tp_adv(p); return sbuf_putc(p, out, '\n');
	case 'f': tp_adv(p); return sbuf_putc(p, out, '\f');
	case 'r': tp_adv(p); return sbuf_putc(p, out, '\r');
	case '"': tp_adv(p); return sbuf_putc(p, out, '"');
	case '\\': tp_adv(p); return sbuf_putc(p, out, '\\');
	case 'u':
	case 'U':
		return unicode_escape(p, out, esc);
	default:
		break;
	}
	if (multiline && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
		size_t k = 0;

		while ((c = tp_peek_at(p, k)) == ' ' || c == '\t')
			k++;
		if (c == '\n' || (c == '\r' && tp_peek_at(p, k + 1) == '\n')) {
			for (;;) {
				int r;

				tp_skip_ws(p);
				r = tp_skip_newline(p);
				if (r <= 0)
					return r;
			}
		}
	}
	if (c > 0x20 && c < 0x7f)
		return tp_fail(p, esc, "invalid escape sequence \\%c", c);
	return tp_fail(p, esc, "invalid escape sequence: a backslash before %s",
		       tp_describe(p, what, sizeof(what)));
}

/* "..." or '...', the cursor past the opening quote. */
static int single_line(struct tp *p, struct sbuf *out, char quote, struct ew_toml_pos start)
{
	int c;

	for (;;) {
		c = tp_peek(p);
		if (c < 0 || c == '\n' || (c == '\r' && tp_peek_at(p, 1) == '\n'))
			return tp_fail(p, start,
				       "string has no closing %s before the end of the %s",
				       quote == '"' ? "\"" : "'", c < 0 ? "file" : "line");
		if (c == quote) {
			tp_adv(p);
			return 0;
		}
		if (c == '\\' && quote == '"') {
			if (escape(p, out, false))
				return -1;
			continue;
		}
		if (is_control(c))
			return fail_control(p, c);
		if (sbuf_putc(p, out, (char)c))
			return -1;
		tp_adv(p);
	}
}

/* """...""" or '''...''', the cursor past the opening quotes. */
static int multi_line(struct tp *p, struct sbuf *out, char quote, struct ew_toml_pos start)
{
	size_t n;
	int c;

	/* A newline right after the opening quotes is not part of the string. */
	if (tp_skip_newline(p) < 0)
		return -1;
	for (;;) {
		c = tp_peek(p);
		if (c < 0)
			return tp_fail(p, start, "multi-line string has no closing %s",
				       quote == '"' ? "\"\"\"" : "'''");
		if (c == quote) {
			for (n = 1; tp_peek_at(p, n) == quote; n++)
				;
			if (n >= 3) {
				/* Up to two quotes may end the string's text. */
				n = n > 5 ? 5 : n;
				tp_adv_n(p, n);
				while (n-- > 3)
					if (sbuf_putc(p, out, quote))
						return -1;
				return 0;
			}
			while (n--) {
				if (sbuf_putc(p, out, quote))
					return -1;
				tp_adv(p);
			}
			continue;
		}
		if (c == '\\' && quote == '"') {
			if (escape(p, out, true))
				return -1;
			continue;
		}
		if (c == '\r' && tp_peek_at(p, 1) == '\n') {
			/* A value must not depend on the editor: CRLF reads as LF. */
			if (sbuf_putc(p, out, '\n'))
				return -1;
			tp_adv_n(p, 2);
			continue;
		}
		if (c != '\n' && is_control(c))
			return fail_control(p, c);
		if (sbuf_putc(p, out, (char)c))
			return -1;
		tp_adv(p);
	}
}

int tp_string(struct tp *p, struct sbuf *out, bool multiline_ok)
{
	struct ew_toml_pos start = tp_pos(p);
	char quote = (char)tp_peek(p);

	if (tp_peek_at(p, 1) == quote && tp_peek_at(p, 2) == quote) {
		if (!multiline_ok)
			return tp_fail(p, start, "a key can not be a multi-line string");
		tp_adv_n(p, 3);
		return multi_line(p, out, quote, start);
	}
	tp_adv(p);
	return single_line(p, out, quote, start);
}
