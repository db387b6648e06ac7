// SPDX-License-Identifier: GPL-2.0-only
/*
 * Keys: bare (A-Za-z0-9_-), "basic" or 'literal', joined by dots with
 * whitespace allowed around them. A key is decoded into a path of parts
 * with their positions; the caller decides what the path refers to.
 */
#include <stdlib.h>

#include "internal.h"

static bool is_bare(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static int push_part(struct tp *p, struct key_path *path, size_t off, struct ew_toml_pos pos)
{
	struct key_part *parts;

	/* A longer key would nest deeper than allowed anyway. */
	if (path->n > p->max_depth)
		return tp_fail(p, pos, "a key of more than %u parts", p->max_depth + 1);
	if (path->n == path->cap) {
		size_t cap = path->cap ? path->cap * 2 : 8;

		parts = realloc(path->parts, cap * sizeof(*parts));
		if (!parts)
			return tp_fail(p, pos, "out of memory");
		path->parts = parts;
		path->cap = cap;
	}
	path->parts[path->n++] = (struct key_part){
		.off = off,
		.len = path->text.len - off,
		.pos = pos,
	};
	return 0;
}

int tp_key(struct tp *p, struct key_path *path)
{
	struct ew_toml_pos pos;
	size_t off;
	int c;

	path->n = 0;
	path->text.len = 0;
	for (;;) {
		pos = tp_pos(p);
		off = path->text.len;
		c = tp_peek(p);
		if (c == '"' || c == '\'') {
			if (tp_string(p, &path->text, false))
				return -1;
		} else if (is_bare(c)) {
			while (is_bare(c = tp_peek(p))) {
				if (sbuf_putc(p, &path->text, (char)c))
					return -1;
				tp_adv(p);
			}
		} else {
			return tp_fail_found(p, "a key");
		}
		if (push_part(p, path, off, pos))
			return -1;
		tp_skip_ws(p);
		if (tp_peek(p) != '.')
			return 0;
		tp_adv(p);
		tp_skip_ws(p);
	}
}

void key_path_free(struct key_path *path)
{
	sbuf_free(&path->text);
	free(path->parts);
	path->parts = NULL;
	path->n = path->cap = 0;
}
