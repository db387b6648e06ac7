// SPDX-License-Identifier: GPL-2.0-only
/*
 * A growing byte buffer that strings and keys are decoded into. Its size is
 * bounded by the text's, so only what it hands over to the tree is counted
 * against the memory limit.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int sbuf_reserve(struct tp *p, struct sbuf *b, size_t n)
{
	size_t cap;
	char *m;

	/* One more for the NUL sbuf_take() adds. */
	if (n >= SIZE_MAX - b->len)
		return tp_fail(p, tp_pos(p), "out of memory");
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 32;
	while (cap < b->len + n + 1) {
		if (cap > SIZE_MAX / 2)
			return tp_fail(p, tp_pos(p), "out of memory");
		cap *= 2;
	}
	m = realloc(b->p, cap);
	if (!m)
		return tp_fail(p, tp_pos(p), "out of memory");
	b->p = m;
	b->cap = cap;
	return 0;
}

int sbuf_put(struct tp *p, struct sbuf *b, const char *s, size_t n)
{
	if (sbuf_reserve(p, b, n))
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

int sbuf_putc(struct tp *p, struct sbuf *b, char c)
{
	return sbuf_put(p, b, &c, 1);
}

char *sbuf_take(struct tp *p, struct sbuf *b, size_t *len)
{
	char *s;

	if (sbuf_reserve(p, b, 0))
		return NULL;
	b->p[b->len] = '\0';
	s = tp_alloc(p, b->len + 1);
	if (!s)
		return NULL;
	memcpy(s, b->p, b->len + 1);
	*len = b->len;
	b->len = 0;
	return s;
}

void sbuf_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
