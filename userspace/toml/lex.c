// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parser's cursor: moving over the text while keeping line and column,
 * the error of a parse (the first one wins), and the pieces of TOML that sit
 * between tokens: whitespace, comments and newlines. The text was checked to
 * be UTF-8 without NUL bytes before any of this runs.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

void tp_adv(struct tp *p)
{
	unsigned char c;

	if (p->off >= p->len)
		return;
	c = (unsigned char)p->buf[p->off++];
	if (c == '\n') {
		p->line++;
		p->col = 1;
	} else if ((c & 0xc0) != 0x80) {
		/* A lead byte starts a character; continuation bytes do not. */
		p->col++;
	}
}

void tp_adv_n(struct tp *p, size_t n)
{
	while (n--)
		tp_adv(p);
}

int tp_fail(struct tp *p, struct ew_toml_pos pos, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = true;
	if (!p->err)
		return -1;
	p->err->line = pos.line;
	p->err->column = pos.column;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
	return -1;
}

const char *tp_describe(const struct tp *p, char *buf, size_t size)
{
	int c = tp_peek(p);
	size_t n = 1;

	if (c < 0)
		return "end of file";
	if (c == '\n' || (c == '\r' && tp_peek_at(p, 1) == '\n'))
		return "a newline";
	if (c == '\'')
		return "\"'\"";
	if (c >= 0x21 && c < 0x7f) {
		snprintf(buf, size, "'%c'", c);
		return buf;
	}
	if (c == ' ')
		return "a space";
	if (c == '\t')
		return "a tab";
	if (c < 0x80) {
		snprintf(buf, size, "control character U+%04X", (unsigned int)c);
		return buf;
	}
	/* A whole UTF-8 character: the text is valid UTF-8. */
	while (n < 4 && (tp_peek_at(p, n) & 0xc0) == 0x80)
		n++;
	snprintf(buf, size, "'%.*s'", (int)n, p->buf + p->off);
	return buf;
}

int tp_fail_found(struct tp *p, const char *expected)
{
	char what[32];

	return tp_fail(p, tp_pos(p), "expected %s, found %s", expected,
		       tp_describe(p, what, sizeof(what)));
}

const char *tp_quote(char *buf, size_t size, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	/* Room for the quotes, one escape, "..." and the NUL. */
	if (size < 16)
		return "";
	buf[o++] = '"';
	for (i = 0; i < len && o + 10 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		} else {
			buf[o++] = (char)c;
		}
	}
	if (i < len) {
		/* Cut at a character's start, not inside it. */
		while (o > 1 && ((unsigned char)buf[o - 1] & 0xc0) == 0x80)
			o--;
		if (o > 1 && ((unsigned char)buf[o - 1] & 0xc0) == 0xc0)
			o--;
		buf[o++] = '.';
		buf[o++] = '.';
		buf[o++] = '.';
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

void tp_skip_ws(struct tp *p)
{
	int c;

	while ((c = tp_peek(p)) == ' ' || c == '\t')
		tp_adv(p);
}

bool tp_at_newline(const struct tp *p)
{
	int c = tp_peek(p);

	return c == '\n' || (c == '\r' && tp_peek_at(p, 1) == '\n');
}

/* 1 when a newline was skipped, 0 when there was none, -1 for a bare CR. */
int tp_skip_newline(struct tp *p)
{
	int c = tp_peek(p);

	if (c == '\n') {
		tp_adv(p);
		return 1;
	}
	if (c == '\r') {
		if (tp_peek_at(p, 1) != '\n')
			return tp_fail(p, tp_pos(p),
				       "a carriage return must be followed by a line feed");
		tp_adv_n(p, 2);
		return 1;
	}
	return 0;
}

/* Skips a comment if one starts here: "#" and what may follow it to the newline. */
int tp_skip_comment(struct tp *p)
{
	int c;

	if (tp_peek(p) != '#')
		return 0;
	tp_adv(p);
	while ((c = tp_peek(p)) >= 0 && c != '\n') {
		if (c == '\r' && tp_peek_at(p, 1) == '\n')
			break;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return tp_fail(p, tp_pos(p),
				       "control character U+%04X is not allowed in a comment",
				       (unsigned int)c);
		tp_adv(p);
	}
	return 0;
}

/* Inside an array, values may be spread over lines with comments between. */
int tp_skip_ws_comments_newlines(struct tp *p)
{
	for (;;) {
		int r;

		tp_skip_ws(p);
		if (tp_skip_comment(p))
			return -1;
		r = tp_skip_newline(p);
		if (r < 0)
			return -1;
		if (!r)
			return 0;
	}
}

/* After a key/value pair or a header: whitespace, a comment, then a newline. */
int tp_end_of_line(struct tp *p)
{
	int r;

	tp_skip_ws(p);
	if (tp_skip_comment(p))
		return -1;
	if (tp_peek(p) < 0)
		return 0;
	r = tp_skip_newline(p);
	if (r < 0)
		return -1;
	if (!r)
		return tp_fail_found(p, "a newline or a comment");
	return 0;
}
